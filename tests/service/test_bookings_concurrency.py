"""Never sell a bed twice: concurrent bookings on real SQLite and PostgreSQL.

Each attempt runs in its own thread with its own database session (service level) or
its own HTTP request through the app (``TestClient`` shared by threads: requests run
concurrently in the app's thread pool).
"""

import random
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from service import db as service_db
from service.app import create_app
from service.auth import ANONYMOUS
from service.db import Database
from tests.service.booking_support import (
    FIRST_NIGHT,
    add_product,
    book_in_service,
    booking_row,
    item,
    make_quote,
    oversold_nights,
    post_booking,
    quote_http,
    race_http,
    race_service,
    taken,
    without_anonymous_caps,
)

ATTEMPTS = 50
REPETITIONS = 20


def test_last_three_units_go_to_exactly_three_of_fifty_concurrent_bookings(db):
    """3 units left, 50 concurrent attempts (50 quotes of the same stay): exactly 3
    succeed and 47 get ``sold_out``; no night ever has more taken than it has. Repeated
    20 times.

    Without the lock this test fails. Observed once with the locking removed
    (``with_for_update()`` dropped from ``catalog.inventory.take`` and, on SQLite, the
    attempts run in ``Database.session()`` instead of the ``BEGIN IMMEDIATE`` write
    session):

    * PostgreSQL, first repetition: two transactions read 2 of 3 units taken, both
      passed the re-check and both added one; the second UPDATE hit the table's
      backstop, ``psycopg.errors.CheckViolation: new row for relation
      "inventory_night" violates check constraint "ck_inventory_night_units" DETAIL:
      Failing row contains (1, 2027-01-22, 3, 4)``: an IntegrityError (a 500 through
      the API) instead of a clean ``sold_out``. Without that check constraint the
      night would have been sold 4 times.
    * SQLite: ``Counter({'inventory_busy': 49, 'booked': 1})`` instead of
      ``Counter({'booked': 3, 'sold_out': 47})``: deferred transactions that read and
      then write fail with "database is locked" when they try to upgrade to writers.
    """
    for _ in range(REPETITIONS):
        product = add_product(db, units=3, nights=3)
        quote_ids = [make_quote(db, ANONYMOUS, item(product, nights=3)) for _ in range(ATTEMPTS)]
        outcome = race_service(db, quote_ids)
        assert outcome == Counter(booked=3, sold_out=47)
        assert set(taken(db, product).values()) == {3}
        assert oversold_nights(db) == 0


def test_last_units_over_http_three_of_fifty_get_201_the_rest_409_sold_out(db, client):
    product = add_product(db, units=3, nights=3)
    quote_ids = [quote_http(client, item(product, nights=3))["id"] for _ in range(ATTEMPTS)]
    results = race_http(client, quote_ids)
    assert results == Counter({(201, None): 3, (409, "sold_out"): 47})
    assert set(taken(db, product).values()) == {3}


def test_a_sold_out_middle_night_refuses_the_stay_and_leaves_the_other_nights_alone(db, client):
    product = add_product(db, units=2, nights=3)
    middle = FIRST_NIGHT + timedelta(days=1)
    filler = quote_http(client, item(product, check_in=middle, nights=1, units=2))["id"]
    assert post_booking(client, filler).status_code == 201
    before = taken(db, product)

    quote_id = quote_http(client, item(product, nights=3))["id"]
    r = post_booking(client, quote_id)

    assert r.status_code == 409
    assert r.json()["code"] == "sold_out"
    assert r.json()["field"] == "items[0]"
    assert r.json()["night"] == middle.isoformat()
    assert (
        taken(db, product) == before == {FIRST_NIGHT: 0, middle: 2, middle + timedelta(days=1): 0}
    )


@pytest.fixture
def uncapped_client(db):
    """Anonymous bookings from one address without the anonymous caps (their own tests
    are in test_bookings_anonymous_holds.py): what is tested here is the nights' lock."""
    settings = without_anonymous_caps(db.settings)
    with TestClient(create_app(settings, database=db), raise_server_exceptions=False) as c:
        yield c


def test_forty_concurrent_bookings_over_overlapping_ranges_never_fail_with_5xx_or_deadlock(
    db, uncapped_client
):
    """Two products (of one destination, so one quote may hold both on the same nights),
    bookings of two items in either order over overlapping nights: the sorted lock makes
    them queue, never deadlock; every answer is 201 or sold_out."""
    client = uncapped_client
    a = add_product(db, units=6, nights=12)
    b = add_product(db, units=6, nights=12, beside=a)
    rng = random.Random(4)
    quotes = []
    for _ in range(40):
        first = [
            item(
                p,
                check_in=FIRST_NIGHT + timedelta(days=rng.randrange(0, 8)),
                nights=rng.randrange(2, 5),
            )
            for p in (a, b)
        ]
        rng.shuffle(first)
        quotes.append(quote_http(client, *first)["id"])
    results = race_http(client, quotes)

    assert set(results) <= {(201, None), (409, "sold_out")}, results
    assert results[(201, None)] >= 6
    assert oversold_nights(db) == 0
    for product in (a, b):
        assert max(taken(db, product).values()) <= 6


def test_a_pooled_connection_cut_while_idle_is_replaced_before_a_booking_uses_it(db, monkeypatch):
    """No pre-ping on every checkout (service.db): a connection idle in the pool is pinged,
    and one the server cut meanwhile is replaced, so the request never sees it."""
    if db.dialect != "postgresql":
        pytest.skip("SQLite has no server to cut a connection")
    own = Database(db.settings)  # its own pool, so the shared one is left alone
    try:
        with own.engine.connect() as conn:
            pid = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar_one()
        with db.engine.connect() as admin:
            admin.exec_driver_sql(f"SELECT pg_terminate_backend({int(pid)})")
            admin.commit()
        monkeypatch.setattr(service_db, "PING_IF_IDLE_SECONDS", 0.0)
        product = add_product(own)
        quote_id = make_quote(own, ANONYMOUS, item(product))
        assert book_in_service(own, ANONYMOUS, quote_id).startswith("JL-")
        with own.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT pg_backend_pid()").scalar_one() != pid
    finally:
        own.dispose()


def test_a_partners_cancel_never_waits_for_its_hold_cap_lock(db):
    """A partner's booking in Stripe mode locks its ``api_client`` row to count its unpaid
    units (``repository.lock_client``) and keeps it to commit, through its traveller's
    ``report_stay`` lock and its nights. A cancel of another of its bookings (or a
    payment confirming one) writes an outbox event naming the client: the foreign key
    takes ``FOR KEY SHARE`` of that row. Locked ``FOR UPDATE``, the two waited for each
    other (the cancel holding the traveller's lock): over HTTP on PostgreSQL, 3 workers,
    a partner booking and cancelling for one lead phone, 12 bookings and 4 cancels of
    about 200 were 500 ``DeadlockDetected``. Locked ``FOR NO KEY UPDATE``, the count
    still serialises the partner's bookings and no longer blocks a key share."""
    if db.dialect != "postgresql":
        pytest.skip("SQLite writers take turns: the row locks are PostgreSQL's")
    from service.bookings import repository
    from service.bookings.cancellation import BY_PARTNER, cancel_booking
    from tests.service.booking_support import add_partner

    partner = add_partner(db, "Ctrip")
    product = add_product(db)
    ref = book_in_service(db, partner.caller, make_quote(db, partner.caller, item(product)))
    with db.write_session() as counting:  # a booking of the partner, counting its holds
        repository.lock_client(counting, partner.id)
        with db.write_session() as s:
            cancel_booking(s, repository.by_reference(s, ref), by=BY_PARTNER, now=datetime.now(UTC))
            s.commit()
        counting.rollback()
    assert booking_row(db, ref).status == "cancelled"
    with db.write_session() as first, db.write_session() as second:
        repository.lock_client(first, partner.id)
        second.connection().exec_driver_sql("SET LOCAL lock_timeout = '200ms'")
        with pytest.raises(sa.exc.OperationalError):  # two counts of one partner queue
            repository.lock_client(second, partner.id)
