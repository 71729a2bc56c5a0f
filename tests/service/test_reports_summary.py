"""``report_stay``, the reports' per-stay summary, equals a recomputation from the raw
rows after every writer of the facts it holds, on SQLite and PostgreSQL: a booking, a
second booking of the same traveller that continues the trip, a Stripe hold, its
payment, a hold's expiry by the sweeper, cancellation by the traveller and by the
operator, each front-desk transition, the survey, completion by the sweeper, and SQL
run by hand (the triggers of migrations 0016 and 0018 keep it, not code)."""

import threading
from collections import defaultdict
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from service.bookings import service as bookings
from tests.service.booking_support import item, post_booking, quote_http
from tests.support import reports as R
from tests.support.clock import FixedClock
from tests.support.operators import FIRST, world
from tests.support.payments import (
    Stay,
    cancel,
    event_for,
    fake_stripe,
    pay_at_fake,
    pay_client,
    post_event,
    stripe_settings,
)
from tests.support.payments import book as book_online

FIXTURES = (fake_stripe, pay_client, stripe_settings)  # used by name below


def _agrees(db) -> dict[int, dict]:
    """The summary, after checking it equals the recomputation from the raw rows."""
    stays, _ = R.raw_rows(db)
    got = R.summary_rows(db)
    assert got == R.expected_summary(stays)
    return got


def _of(rows: dict[int, dict], booking_id: int) -> list[dict]:
    return sorted((r for r in rows.values() if r["booking_id"] == booking_id),
                  key=lambda r: r["item_index"])  # fmt: skip


def _booking_id(db, reference: str) -> int:
    with db.engine.connect() as conn:
        return conn.execute(
            sa.text("SELECT id FROM booking WHERE reference = :r"), {"r": reference}
        ).scalar_one()


def _stay(product_id: int, offset: int, nights: int) -> Stay:
    first = FIRST + timedelta(days=offset)
    return Stay(product_id, first.isoformat(), (first + timedelta(days=nights)).isoformat())


def _sweep(db, **kw) -> int:
    with db.write_session() as s:
        if "today" in kw:
            n = bookings.complete_past_bookings(s, now=datetime.now(UTC), **kw)
        else:
            n = bookings.release_expired_holds(s, now=datetime.now(UTC) + timedelta(hours=2))
        s.commit()
        return n


def test_the_summary_follows_every_writer(db, client, pay_client, stripe_settings):
    w = world(db)
    a, b = w.a.product_id, w.b.product_id
    assert _agrees(db) == {}

    # A booking paid at the property (confirmed at once): a trip a -> b, a later stay at a.
    q = quote_http(client, item(a, FIRST, 3), item(b, FIRST + timedelta(days=3), 4),
                   item(a, FIRST + timedelta(days=10), 3))  # fmt: skip
    r = post_booking(client, q["id"])
    assert r.status_code == 201, r.text
    trip = r.json()
    trip_id = _booking_id(db, trip["reference"])
    rows = _of(_agrees(db), trip_id)
    assert [x["trip_nights"] for x in rows] == [7, None, 3]

    # The same traveller (by phone) books the next two nights elsewhere: one trip across
    # two bookings, counted on its first stay.
    q = quote_http(client, item(b, FIRST + timedelta(days=13), 2))
    on = post_booking(client, q["id"]).json()
    rows = _agrees(db)
    assert [x["trip_nights"] for x in _of(rows, trip_id)] == [7, None, 5]
    assert [x["trip_nights"] for x in _of(rows, _booking_id(db, on["reference"]))] == [None]

    # Online: a hold is not counted until it is paid.
    paid = book_online(pay_client, _stay(a, 20, 3))
    assert paid["status"] == "pending_payment"
    assert _of(_agrees(db), _booking_id(db, paid["reference"])) == []
    intent = pay_at_fake(stripe_settings, paid["payment"]["payment_intent_id"])
    assert post_event(pay_client, event_for(intent.to_dict(for_json=True))).json()["outcome"] == (
        "confirmed"
    )
    assert [x["counted"] for x in _of(_agrees(db), _booking_id(db, paid["reference"]))] == [True]

    # A hold that expires (the sweeper) never counts.
    held = book_online(pay_client, _stay(b, 30, 3))
    assert _sweep(db) == 1
    assert _of(_agrees(db), _booking_id(db, held["reference"])) == []

    # Cancelled by the traveller (refunded through Stripe): counted apart.
    assert cancel(pay_client, paid).status_code == 200
    assert [x["counted"] for x in _of(_agrees(db), _booking_id(db, paid["reference"]))] == [False]

    # Cancelled by the operator.
    q = quote_http(client, item(a, FIRST + timedelta(days=40), 2))
    other = post_booking(client, q["id"]).json()
    other_id = _booking_id(db, other["reference"])
    assert [x["counted"] for x in _of(_agrees(db), other_id)] == [True]
    r = client.post(f"/v1/admin/bookings/{other['reference']}/cancel", headers=w.a.admin.headers)
    assert r.status_code == 200, r.text
    assert [x["counted"] for x in _of(_agrees(db), other_id)] == [False]

    # The front desk: checked in, completed, and a no-show that breaks the trip.
    desk = f"/v1/admin/bookings/{trip['reference']}/stay-status"
    client.app.state.clock = FixedClock.on(FIRST)
    for status in ("checked_in", "completed"):
        r = client.post(desk, json={"item_index": 0, "status": status}, headers=w.a.staff.headers)
        assert r.status_code == 200, r.text
        _agrees(db)
    client.app.state.clock = FixedClock.on(FIRST + timedelta(days=3))
    r = client.post(desk, json={"item_index": 1, "status": "no_show"}, headers=w.b.staff.headers)
    assert r.status_code == 200, r.text
    rows = _of(_agrees(db), trip_id)
    assert [(x["no_show"], x["trip_nights"]) for x in rows] == [(False, 3), (True, None),
                                                                (False, 5)]  # fmt: skip

    # The survey, once the first stay has ended.
    survey = f"/v1/bookings/{trip['reference']}/survey"
    r = client.post(survey, json={"item_index": 0, "overall": 4, "food": 5},
                    headers={"X-Booking-Token": trip["token"]})  # fmt: skip
    assert r.status_code == 201, r.text
    first = _of(_agrees(db), trip_id)[0]
    assert (first["overall"], first["food"], first["value"]) == (4, 5, None)

    # Completed by the sweeper once every stay has ended: still counted.
    assert _sweep(db, today=FIRST + timedelta(days=13)) == 1
    assert [x["counted"] for x in _of(_agrees(db), trip_id)] == [True, True, True]

    # SQL run by hand is followed too: a stay's guests, a survey answer removed, a stay
    # moved so that it joins the trip again.
    with db.engine.begin() as conn:
        conn.execute(sa.text("UPDATE booking_item SET guests = 1 WHERE booking_id = :b"),
                     {"b": trip_id})  # fmt: skip
        conn.execute(sa.text("DELETE FROM survey_response"))
        conn.execute(
            sa.text("UPDATE booking_item SET stay_status = NULL WHERE booking_id = :b"),
            {"b": trip_id},
        )
    rows = _of(_agrees(db), trip_id)
    assert [(x["guests"], x["overall"], x["trip_nights"]) for x in rows] == [
        (1, None, 7), (1, None, None), (1, None, 5)
    ]  # fmt: skip
    # and when that booking is cancelled, the trip ends where it did
    assert cancel(client, on).status_code == 200
    assert [x["trip_nights"] for x in _of(_agrees(db), trip_id)] == [7, None, 3]


def test_the_generated_year_agrees(db):
    """Many bookings at once (the demo year: trips, cancellations, no-shows, answers)."""
    R.build(db, scale=0.6)
    rows = _agrees(db)
    stays, _ = R.raw_rows(db)
    sold = [
        r
        for r in stays
        if r["status"] in ("confirmed", "completed") and r["stay_status"] != "no_show"
    ]
    ended = defaultdict(set)  # (traveller, check-out): the bookings with a stay ending so
    for r in sold:
        ended[(r["traveller_hash"], r["check_out"])].add(r["booking_id"])
    assert any(ended[(r["traveller_hash"], r["check_in"])] - {r["booking_id"]} for r in sold), (
        "some trip goes on in a second booking of the same traveller"
    )  # fmt: skip
    assert len(rows) > 100 and any(r["trip_nights"] for r in rows.values())
    assert sum(r["trip_nights"] is not None for r in rows.values()) < sum(
        r["counted"] and not r["no_show"] for r in rows.values()
    )  # some trips have several stays


def test_two_writers_of_one_traveller_take_turns(db, client):
    """PostgreSQL: two transactions changing stays of one traveller's two bookings at
    once both commit, and the summary has both changes (the second waits for the first
    on the traveller's lock, then rewrites the rows from a snapshot that sees the first)."""
    if db.dialect != "postgresql":
        pytest.skip("SQLite has one writer at a time")
    w = world(db)
    ids = []
    for product, offset, nights in ((w.a.product_id, 0, 3), (w.b.product_id, 3, 4)):
        q = quote_http(client, item(product, FIRST + timedelta(days=offset), nights))
        ids.append(_booking_id(db, post_booking(client, q["id"]).json()["reference"]))
    change = "UPDATE booking_item SET {} WHERE booking_id = :b"
    second_done: list[BaseException | None] = []

    def second() -> None:
        try:
            with db.engine.begin() as conn:
                conn.execute(sa.text(change.format("guests = 1")), {"b": ids[1]})
            second_done.append(None)
        except BaseException as exc:  # reported below
            second_done.append(exc)

    assert [_of(_agrees(db), b)[0]["trip_nights"] for b in ids] == [7, None]
    with db.engine.connect() as first:
        tx = first.begin()
        first.execute(sa.text(change.format("stay_status = 'no_show'")), {"b": ids[0]})
        other = threading.Thread(target=second)
        other.start()
        other.join(1.0)
        assert other.is_alive(), "the second writer waits for the first"
        tx.commit()
    other.join(10)
    assert second_done == [None]
    rows = _agrees(db)
    assert [(x["no_show"], x["guests"], x["trip_nights"]) for b in ids for x in _of(rows, b)] == [
        (True, 2, None), (False, 1, 4)
    ]  # fmt: skip
