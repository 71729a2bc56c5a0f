"""Holds expire after their time and give their nights back: when read, by the sweeper
(once, however often it runs), and before a new booking; payment after expiry."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from freezegun import freeze_time
from sqlmodel import select

from service.auth import ANONYMOUS
from service.bookings import service as bookings
from service.bookings.models import Booking
from service.bookings.outbox import OutboxEvent
from service.clock import Clock
from tests.service.booking_support import (
    add_product,
    book_in_service,
    booking_row,
    item,
    make_hold,
    make_quote,
    post_booking,
    quote_http,
    taken,
)

T0 = datetime.now(UTC).replace(microsecond=0) + timedelta(days=1)  # before FIRST_NIGHT
HOLD = timedelta(minutes=15)


def _hold(db, units: int = 3, nights: int = 3) -> tuple[int, str]:
    """A product with ``units`` per night and one unpaid hold of 1 unit made at T0."""
    product = add_product(db, units=units, nights=nights)
    quote_id = make_quote(db, ANONYMOUS, item(product, nights=nights), now=T0)
    ref = book_in_service(db, ANONYMOUS, quote_id, now=T0)
    make_hold(db, ref, T0 + HOLD)
    return product, ref


def _events(db, kind: str) -> int:
    with db.session() as s:
        return len(list(s.exec(select(OutboxEvent).where(OutboxEvent.event_type == kind))))


def _sweep(db) -> int:
    with db.write_session() as s:
        n = bookings.release_expired_holds(s, now=Clock().now())
        s.commit()
        return n


def test_a_hold_keeps_its_nights_until_it_expires(db):
    product, ref = _hold(db)
    with freeze_time(T0 + HOLD - timedelta(seconds=1)):
        assert _sweep(db) == 0
    assert booking_row(db, ref).status == "pending_payment"
    assert set(taken(db, product).values()) == {1}


def test_the_sweeper_expires_a_lapsed_hold_and_frees_its_nights(db):
    product, ref = _hold(db)
    with freeze_time(T0 + HOLD):
        assert _sweep(db) == 1
    row = booking_row(db, ref)
    assert (row.status, row.status_reason, row.inventory_held) == ("expired", "hold_expired", False)
    assert set(taken(db, product).values()) == {0}
    assert _events(db, "booking.expired") == 1


def test_sweeping_twice_releases_once(db):
    product, _ = _hold(db, units=3)
    with freeze_time(T0 + HOLD + timedelta(minutes=1)):
        assert [_sweep(db), _sweep(db)] == [1, 0]
    assert set(taken(db, product).values()) == {0}
    assert _events(db, "booking.expired") == 1


def test_concurrent_sweeps_release_once(db):
    product, _ = _hold(db, units=3)
    start = threading.Barrier(4)

    def sweep(_):
        start.wait()
        with db.write_session() as s:
            n = bookings.release_expired_holds(s, now=T0 + HOLD)
            s.commit()
            return n

    with ThreadPoolExecutor(max_workers=4) as pool:
        assert sorted(pool.map(sweep, range(4))) == [0, 0, 0, 1]
    assert set(taken(db, product).values()) == {0}
    assert _events(db, "booking.expired") == 1


def test_reading_a_lapsed_hold_shows_it_expired_and_frees_its_nights(db, client):
    product = add_product(db, units=3, nights=3)
    created = post_booking(client, quote_http(client, item(product, nights=3))["id"]).json()
    make_hold(db, created["reference"], datetime.now(UTC) - timedelta(seconds=1))
    r = client.get(
        f"/v1/bookings/{created['reference']}", headers={"X-Booking-Token": created["token"]}
    )
    assert r.json()["status"] == "expired"
    assert r.json()["status_reason"] == "hold_expired"
    assert set(taken(db, product).values()) == {0}
    assert _events(db, "booking.expired") == 1


def test_a_lapsed_hold_never_blocks_a_new_booking(db):
    product, ref = _hold(db, units=1)
    quote_id = make_quote(db, ANONYMOUS, item(product, nights=3), now=T0 + HOLD)
    assert (
        book_in_service(db, ANONYMOUS, quote_id, now=T0 + HOLD - timedelta(seconds=1)) == "sold_out"
    )
    assert book_in_service(db, ANONYMOUS, quote_id, now=T0 + HOLD).startswith("JL-")
    assert booking_row(db, ref).status == "expired"
    assert set(taken(db, product).values()) == {1}


def test_payment_before_expiry_confirms_the_hold(db):
    product, ref = _hold(db)
    with db.write_session() as s:
        b = s.exec(select(Booking).where(Booking.reference == ref)).one()
        assert bookings.confirm_booking(s, b, now=T0 + timedelta(minutes=5)) is True
        assert bookings.confirm_booking(s, b, now=T0 + timedelta(minutes=6)) is True
        s.commit()
    row = booking_row(db, ref)
    assert (row.status, row.hold_expires_at, row.version) == ("confirmed", None, 2)
    assert _events(db, "booking.confirmed") == 2  # created (pay-at-property setup) + paid


def test_payment_after_expiry_takes_the_nights_again_when_they_are_free(db):
    product, ref = _hold(db)
    with freeze_time(T0 + HOLD):
        _sweep(db)
    with db.write_session() as s:
        b = s.exec(select(Booking).where(Booking.reference == ref)).one()
        assert bookings.confirm_booking(s, b, now=T0 + HOLD + timedelta(minutes=1)) is True
        s.commit()
    assert booking_row(db, ref).status == "confirmed"
    assert set(taken(db, product).values()) == {1}


def test_payment_after_expiry_when_sold_out_leaves_it_expired_for_a_refund(db):
    product, ref = _hold(db, units=1)
    with freeze_time(T0 + HOLD):
        _sweep(db)
    other = make_quote(db, ANONYMOUS, item(product, nights=3), now=T0 + HOLD)
    assert book_in_service(db, ANONYMOUS, other, now=T0 + HOLD).startswith("JL-")
    with db.write_session() as s:
        b = s.exec(select(Booking).where(Booking.reference == ref)).one()
        assert bookings.confirm_booking(s, b, now=T0 + HOLD + timedelta(minutes=1)) is False
        s.commit()
    row = booking_row(db, ref)
    assert (row.status, row.status_reason) == ("expired", "paid_after_expiry_sold_out")
    assert set(taken(db, product).values()) == {1}
