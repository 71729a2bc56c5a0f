"""One rule for whether a stay may be rated: ``survey.may_be_rated`` (the survey's API
and pages) and ``survey.may_be_rated_sql`` (the reports' response rate, over the stay
rows the triggers keep) agree on every booking status, front-desk status and day, on
SQLite and PostgreSQL; and the response rate counts the stay of every answer."""

import itertools
from datetime import timedelta

import sqlalchemy as sa

from service.bookings.models import STATUSES
from service.operators.bookings import STAY_STATUS_NAMES
from service.reports import facts
from service.reports.survey import may_be_rated, may_be_rated_sql
from tests.service.booking_support import FIRST_NIGHT, add_product, item, post_booking, quote_http
from tests.support.clock import FixedClock
from tests.support.operators import add_operator

CHECK_OUT = FIRST_NIGHT + timedelta(days=7)
# The days around the check-out day: before the stay, during it, the day before, the
# day itself, after.
DAYS = [CHECK_OUT + timedelta(days=d) for d in (-9, -3, -1, 0, 1)]


def _booked(client, db) -> str:
    product = add_product(db, nights=30)
    r = post_booking(client, quote_http(client, item(product, nights=7))["id"])
    assert r.status_code == 201, r.text
    return r.json()["reference"]


def test_the_reports_sql_says_what_the_survey_says_on_every_case(db, client):
    reference = _booked(client, db)
    st = facts.stays(facts.LIVE)
    rated = [may_be_rated_sql(st, day).label(f"d{i}") for i, day in enumerate(DAYS)]
    checked = 0
    cases = itertools.product(STATUSES, STAY_STATUS_NAMES)  # every stay status, None too
    with db.engine.connect() as conn:  # rolled back at the end
        booking_id, item_id = conn.execute(
            sa.text(
                "SELECT b.id, i.id FROM booking b JOIN booking_item i ON i.booking_id = b.id "
                "WHERE b.reference = :r"
            ),
            {"r": reference},
        ).one()
        for status, stay_status in cases:
            # Written as any writer would: the triggers rewrite the stay's row.
            conn.execute(
                sa.text("UPDATE booking SET status = :s WHERE id = :b"),
                {"s": status, "b": booking_id},
            )
            conn.execute(
                sa.text("UPDATE booking_item SET stay_status = :s WHERE id = :i"),
                {"s": stay_status, "i": item_id},
            )
            row = conn.execute(sa.select(*rated).where(st.c.item_id == item_id)).first()
            for i, day in enumerate(DAYS):
                in_sql = bool(row[i]) if row is not None else False  # no row: not counted
                want = may_be_rated(status, CHECK_OUT, stay_status, day)
                assert in_sql == want, (status, stay_status, day, in_sql, want)
                checked += 1
    assert checked == len(STATUSES) * len(STAY_STATUS_NAMES) * len(DAYS)


def test_an_answer_after_an_early_check_out_counts_over_its_stay(db, client, app):
    """The newcomer's case: a stay of 7-14 Dec checked out on the 7th and answered that
    day is one answer over one stay (100%), not an answer over none (null)."""
    product = add_product(db, nights=30)
    r = post_booking(client, quote_http(client, item(product, nights=7))["id"])
    booking = r.json()
    with db.engine.connect() as conn:
        place = conn.execute(
            sa.text("SELECT destination_id FROM product WHERE id = :p"), {"p": product}
        ).scalar_one()
    desk = add_operator(db, "desk-rate", "operator_staff", destination_ids=[place])
    prov = add_operator(db, "prov-rate", "province_admin")
    app.state.clock = FixedClock.on(FIRST_NIGHT)  # the first day of the stay
    for status in ("checked_in", "completed"):
        r = client.post(
            f"/v1/admin/bookings/{booking['reference']}/stay-status",
            json={"item_index": 0, "status": status},
            headers=desk.headers,
        )
        assert r.status_code == 200, r.text
    r = client.post(
        f"/v1/bookings/{booking['reference']}/survey",
        json={"item_index": 0, "overall": 5},
        headers={"X-Booking-Token": booking["token"]},
    )
    assert r.status_code == 201, r.text
    params = {"from": FIRST_NIGHT.isoformat(), "to": FIRST_NIGHT.isoformat()}
    total = client.get("/v1/reports/measures", params=params, headers=prov.headers).json()["total"]
    assert (total["survey_answers"], total["response_bps"]) == (1, 10000)
    assert total["satisfaction_index"] == 100.0
