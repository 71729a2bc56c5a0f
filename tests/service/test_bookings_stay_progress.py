"""A stay's progress at the front desk, as the traveller's booking says it and as the
address cap counts it: each item's ``stay_status`` (and when it was recorded) in
``GET /v1/bookings/{reference}``, and a stay that has ended (checked out, or its
check-out day come) no longer counts among an address's unpaid rooms."""

from datetime import UTC, datetime, time, timedelta

from fastapi.testclient import TestClient

from service.app import create_app
from service.clock import SHANGHAI
from tests.service.booking_support import booking_body, item, post_booking, quote_http
from tests.support.clock import FixedClock
from tests.support.operators import FIRST, world


def _book(client: TestClient, product_id: int, check_in=FIRST, nights=3, units=1) -> dict:
    stay = item(product_id, check_in=check_in, nights=nights, units=units)
    quote_id = quote_http(client, stay)["id"]
    return post_booking(client, quote_id, body=booking_body(quote_id, guests=[]))


def _at_the_desk(client: TestClient, w, reference: str, status: str) -> None:
    r = client.post(
        f"/v1/admin/bookings/{reference}/stay-status",
        json={"item_index": 0, "status": status},
        headers=w.a.staff.headers,
    )
    assert r.status_code == 200, r.text


def test_the_travellers_booking_says_each_stays_progress_at_the_front_desk(db, client):
    """The newcomer's finding: checked in, then checked out, the booking's only stay
    still read ``confirmed`` with nothing on its item, while the manage page said the
    front desk had checked the traveller out."""
    w = world(db)
    client.app.state.clock = FixedClock.on(FIRST - timedelta(days=1))
    booked = _book(client, w.a.product_id).json()
    mine = {"X-Booking-Token": booked["token"]}
    url = f"/v1/bookings/{booked['reference']}"
    assert [(i["stay_status"], i["stay_status_at"]) for i in booked["items"]] == [(None, None)]
    said = []
    for status, hour in (("checked_in", 15), ("completed", 18)):  # left early, day one
        client.app.state.clock = FixedClock.on(FIRST, time(hour))
        _at_the_desk(client, w, booked["reference"], status)
        read = client.get(url, headers=mine).json()
        (stay,) = read["items"]
        said.append((read["status"], stay["stay_status"], stay["stay_status_at"]))
    at = [
        datetime.combine(FIRST, time(h), SHANGHAI)
        .astimezone(UTC)
        .isoformat()
        .replace("+00:00", "Z")
        for h in (15, 18)
    ]
    assert said == [
        ("confirmed", "checked_in", at[0]),
        ("confirmed", "completed", at[1]),
    ]


def _capped(db) -> TestClient:
    """The app without Stripe (anonymous bookings paid at the property count towards
    their address's cap for a day), 2 rooms an address, on a clock of its own."""
    settings = db.settings.model_copy(update={"max_anonymous_units_held_per_address": 2})
    return TestClient(create_app(settings, database=db), client=("192.0.2.77", 50000))


def test_a_stay_checked_out_no_longer_counts_among_the_addresss_rooms(db):
    w = world(db)
    with _capped(db) as c:
        c.app.state.clock = FixedClock.on(FIRST, time(9))
        first = _book(c, w.a.product_id, units=2)
        assert first.status_code == 201, first.text
        refused = _book(c, w.b.product_id)
        assert (refused.status_code, refused.json()["held_units"]) == (409, 2)
        c.app.state.clock = FixedClock.on(FIRST, time(10))
        _at_the_desk(c, w, first.json()["reference"], "checked_in")
        assert _book(c, w.b.product_id).status_code == 409  # still in its rooms
        _at_the_desk(c, w, first.json()["reference"], "completed")
        again = _book(c, w.b.product_id, units=2)
        assert again.status_code == 201, again.text


def test_a_stay_whose_check_out_day_has_come_no_longer_counts(db):
    """Booked at 09:00 for one night, the stay is over the next morning, within the day
    its booking counts: the rooms it held are free again."""
    w = world(db)
    with _capped(db) as c:
        c.app.state.clock = FixedClock.on(FIRST, time(9))
        assert _book(c, w.a.product_id, nights=1, units=2).status_code == 201
        c.app.state.clock = FixedClock.on(FIRST, time(23))  # its night
        assert _book(c, w.b.product_id, check_in=FIRST + timedelta(days=1)).status_code == 409
        c.app.state.clock = FixedClock.on(FIRST + timedelta(days=1), time(8))  # its day out
        later = _book(c, w.b.product_id, check_in=FIRST + timedelta(days=1), units=2)
        assert later.status_code == 201, later.text
