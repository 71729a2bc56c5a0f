"""A stay the front desk marked a no-show: its booking is not cancelled by anyone (409
``stay_no_show``), its nights stay sold; the desk undoes a mistaken no-show (back to
expected, or checked in) until the stay's last night, in the audit log, and the reports
count the stay as it then stands. A booking cancelled before this rule with a no-show
stay (the old state) counts as a cancellation everywhere."""

import uuid
from datetime import time, timedelta

import sqlalchemy as sa

from tests.service.booking_support import (
    add_partner,
    booking_row,
    item,
    post_booking,
    quote_http,
    taken,
)
from tests.service.test_operators_bookings import book, paid_online
from tests.support.clock import FixedClock
from tests.support.operators import FIRST, world
from tests.support.payments import fake_stripe, pay_client, refunds_of, stripe_settings

FIXTURES = (fake_stripe, pay_client, stripe_settings)  # used by name below

# The desk is named by the stay's destination, never by the product booked (newcomer
# finding: "ask the front desk of <product name>, weekly wellness modules").
NO_SHOW_SAID = {
    "en": "Stay 1 of this booking was marked a no-show by the front desk at {desk}: its "
    "nights stay sold, and the booking cannot be cancelled while the no-show stands. If the "
    "guest has arrived or still means to come, ask the front desk at {desk} to undo the "
    "no-show, which it can before the check-out day, {check_out}.",
    "zh-CN": "此预订的第 1 段住宿已被「{desk}」的前台登记为未到店：其房晚仍算售出，"
    "未到店登记撤销之前，预订不能取消。如旅客已经到店或仍会入住，请联系「{desk}」的前台"
    "撤销未到店登记；前台可在退房日（{check_out}）之前撤销。",
}


def destination_names(db, destination_id: int) -> tuple[str, str]:
    with db.engine.connect() as conn:
        return tuple(
            conn.execute(
                sa.text("SELECT name_zh, name_en FROM destination WHERE id = :d"),
                {"d": destination_id},
            ).one()
        )


def _desk(client, ref, status, headers, lang="zh-CN"):
    return client.post(
        f"/v1/admin/bookings/{ref}/stay-status",
        json={"item_index": 0, "status": status},
        headers={**headers, "Accept-Language": lang},
    )


def _cancel(client, ref, headers, lang="zh-CN"):
    return client.post(
        f"/v1/bookings/{ref}/cancel",
        headers={**headers, "Idempotency-Key": str(uuid.uuid4()), "Accept-Language": lang},
    )


def _refused_as_no_show(r, desk: tuple[str, str], product: tuple[str, str], lang: str) -> None:
    problem = r.json()
    assert (r.status_code, problem["code"], problem["field"]) == (409, "stay_no_show", "items[0]")
    at = desk[0] if lang == "zh-CN" else desk[1]
    said = NO_SHOW_SAID[lang].format(desk=at, check_out=FIRST + timedelta(days=3))
    assert problem["detail"] == said, problem["detail"]
    assert not any(name in problem["detail"] for name in product)


def test_a_no_show_is_cancelled_by_no_one_and_its_nights_stay_sold(db, client):
    """The tester's repro: booked with a partner key (and by a traveller with a token),
    marked no-show on the check-in day; the traveller's, the partner's and the
    operator's cancel (of its own accord or at the traveller's request, and the preview)
    are each 409 ``stay_no_show`` in both languages; the booking stays confirmed, its
    no-show kept, its nights taken."""
    w = world(db)
    partner = add_partner(db, "ota-no-show")
    stay = item(w.a.product_id, check_in=FIRST, nights=3)
    by_partner = post_booking(
        client, quote_http(client, stay, headers=partner.headers)["id"], headers=partner.headers
    ).json()
    by_traveller = post_booking(client, quote_http(client, stay)["id"]).json()
    client.app.state.clock = FixedClock.on(FIRST, time(21))
    for booking in (by_partner, by_traveller):
        r = _desk(client, booking["reference"], "no_show", w.a.staff.headers)
        assert r.status_code == 200 and r.json()["items"][0]["stay_status"] == "no_show", r.text
    held = taken(db, w.a.product_id)
    assert held[FIRST] == 2
    (product,) = {(i["product_name_zh"], i["product_name_en"]) for i in by_partner["items"]}
    desk = destination_names(db, w.a.destination_id)
    attempts = {
        by_partner["reference"]: [lambda ref, lang: _cancel(client, ref, partner.headers, lang)],
        by_traveller["reference"]: [
            lambda ref, lang: _cancel(
                client, ref, {"X-Booking-Token": by_traveller["token"]}, lang
            ),
            lambda ref, lang: client.post(
                f"/v1/admin/bookings/{ref}/cancel",
                headers={**w.a.admin.headers, "Accept-Language": lang},
            ),
            lambda ref, lang: client.post(
                f"/v1/admin/bookings/{ref}/cancel",
                json={"on_behalf_of_traveller": True},
                headers={**w.a.admin.headers, "Accept-Language": lang},
            ),
        ],
    }
    for ref, tries in attempts.items():
        for attempt in tries:
            for lang in ("zh-CN", "en"):
                _refused_as_no_show(attempt(ref, lang), desk, product, lang)
        row = booking_row(db, ref)
        assert (row.status, row.cancellation) == ("confirmed", None)
        detail = client.get(f"/v1/admin/bookings/{ref}", headers=w.a.admin.headers).json()
        assert detail["items"][0]["stay_status"] == "no_show"
    assert taken(db, w.a.product_id) == held  # tonight's night not back on sale


def test_from_its_check_out_day_a_no_show_is_said_to_stand():
    """From the stay's check-out day the desk can no longer undo the no-show
    (``operators.bookings._too_late``): the refusal no longer suggests asking for it."""
    from service.bookings.errors import stay_no_show

    out = FIRST + timedelta(days=3)
    before = stay_no_show(0, "长白山", "Changbai", out, out - timedelta(days=1))
    assert f"which it can before the check-out day, {out}." in before.detail
    stands = stay_no_show(0, "长白山", "Changbai", out, out)
    assert stands.detail.endswith(f"The stay's check-out day, {out}, has come: the no-show stands.")
    assert "ask the front desk" not in stands.detail
    assert stands.detail_zh.endswith(f"该住宿的退房日（{out}）已到，未到店登记不能再撤销。")


def test_a_paid_no_show_is_not_refunded_by_the_operators_cancel(db, pay_client, stripe_settings):
    """Paid online, then a no-show: the operator's cancel (which would refund everything
    paid) is 409 ``stay_no_show``, and no refund is asked of Stripe."""
    w = world(db)
    booking = paid_online(pay_client, stripe_settings, w)
    ref = booking["reference"]
    pay_client.app.state.clock = FixedClock.on(FIRST, time(22))
    assert _desk(pay_client, ref, "no_show", w.a.staff.headers).status_code == 200
    r = pay_client.post(f"/v1/admin/bookings/{ref}/cancel", headers=w.a.admin.headers)
    assert (r.status_code, r.json()["code"]) == (409, "stay_no_show"), r.text
    row = booking_row(db, ref)
    assert row.status == "confirmed" and refunds_of(db, row.id) == []
    assert (row.refund_requested_fen, row.refunded_fen) == (0, 0)


def _measures(client, w, day) -> dict:
    r = client.get(
        "/v1/reports/measures",
        params={"from": day.isoformat(), "to": day.isoformat()},
        headers=w.province.headers,
    )
    assert r.status_code == 200, r.text
    total = r.json()["total"]
    return {k: total[k] for k in ("stays", "no_shows", "cancelled_stays")}


def test_the_desk_undoes_a_no_show_until_the_stays_last_night(db, client):
    """Recorded by mistake (or the guest came late): the desk puts the stay back to
    expected, or checks it in, from the check-in date through the stay's last night; on
    its check-out day the no-show stands (409 ``too_late``, in words). Each change is in
    the audit log; the reports count the stay as it stands; expected again, the booking
    may be cancelled again."""
    w = world(db)
    ref, late = book(db, w.a.product_id), book(db, w.a.product_id)  # 3 nights from FIRST
    h = w.a.staff.headers
    client.app.state.clock = FixedClock.on(FIRST, time(20))
    assert _measures(client, w, FIRST) == {"stays": 2, "no_shows": 0, "cancelled_stays": 0}
    for r in (_desk(client, ref, "no_show", h), _desk(client, late, "no_show", h)):
        assert r.status_code == 200, r.text
    assert _measures(client, w, FIRST) == {"stays": 0, "no_shows": 2, "cancelled_stays": 0}
    # a mistake: back to expected, the same day
    r = _desk(client, ref, "expected", h)
    assert r.status_code == 200 and r.json()["items"][0]["stay_status"] is None, r.text
    assert _measures(client, w, FIRST) == {"stays": 1, "no_shows": 1, "cancelled_stays": 0}
    log = client.get("/v1/admin/audit", headers=w.a.admin.headers).json()["items"]
    assert (log[0]["action"], log[0]["entity_id"]) == ("stay_expected", ref)
    assert (log[0]["before"], log[0]["after"]) == (
        {"item_index": 0, "stay_status": "no_show"},
        {"item_index": 0, "stay_status": None},
    )
    # the guest of the other booking arrives on the stay's last night: checked in
    client.app.state.clock = FixedClock.on(FIRST + timedelta(days=2), time(23))
    r = _desk(client, late, "checked_in", h)
    assert r.status_code == 200 and r.json()["items"][0]["stay_status"] == "checked_in", r.text
    assert _measures(client, w, FIRST) == {"stays": 2, "no_shows": 0, "cancelled_stays": 0}
    log = client.get("/v1/admin/audit", headers=w.a.admin.headers).json()["items"]
    assert (log[0]["action"], log[0]["before"]["stay_status"]) == ("stay_checked_in", "no_show")
    # on the check-out day a no-show stands
    again = book(db, w.a.product_id)
    client.app.state.clock = FixedClock.on(FIRST, time(20))
    assert _desk(client, again, "no_show", h).status_code == 200
    out = FIRST + timedelta(days=3)
    client.app.state.clock = FixedClock.on(out, time(8))
    said = {
        "en": f"The stay ends on {out}; from that day its no-show can no longer be undone.",
        "zh-CN": f"离店日期为 {out}，从当天起不能再撤销未到店登记。",
    }
    for status in ("expected", "checked_in"):
        for lang, words in said.items():
            r = _desk(client, again, status, h, lang)
            problem = r.json()
            assert (r.status_code, problem["code"], problem["field"]) == (409, "too_late", "status")
            assert problem["detail"] == words
    assert booking_row(db, again).status == "confirmed"
    cancelled = client.post(f"/v1/admin/bookings/{ref}/cancel", headers=w.a.admin.headers)
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"


def test_only_a_no_show_or_a_check_in_is_put_back_to_expected(db, client):
    """``expected`` undoes a no-show or a check-in (test_desk_undo) and nothing else: a
    stay expected or checked out is 409 ``invalid_transition`` (the words:
    test_operators_bookings)."""
    w = world(db)
    ref = book(db, w.a.product_id)
    client.app.state.clock = FixedClock.on(FIRST, time(10))
    h = w.a.staff.headers
    for step in (None, "checked_in", "completed"):
        if step:
            assert _desk(client, ref, step, h).status_code == 200
        if step == "checked_in":
            continue
        r = _desk(client, ref, "expected", h)
        assert (r.status_code, r.json()["code"]) == (409, "invalid_transition"), r.text


def test_a_booking_cancelled_with_a_no_show_stay_counts_as_a_cancellation(db, client):
    """The old state (cancelled after its no-show, before cancelling refused it): nothing
    breaks. The reports count it as a cancellation, not a no-show (its nights were put
    back on sale); its stay reads cancelled on the console; the desk cannot undo its
    no-show (the booking is not confirmed); cancelling again returns the cancellation."""
    w = world(db)
    ref = book(db, w.a.product_id)
    client.app.state.clock = FixedClock.on(FIRST, time(10))
    r = client.post(f"/v1/admin/bookings/{ref}/cancel", headers=w.a.admin.headers)
    assert r.status_code == 200
    with db.write_session() as s:  # as the desk's no-show and the cancel left it then
        s.execute(
            sa.text(
                "UPDATE booking_item SET stay_status = 'no_show' WHERE booking_id = "
                "(SELECT id FROM booking WHERE reference = :r)"
            ),
            {"r": ref},
        )
        s.commit()
    assert _measures(client, w, FIRST) == {"stays": 0, "no_shows": 0, "cancelled_stays": 1}
    for status in ("expected", "checked_in"):
        r = _desk(client, ref, status, w.a.staff.headers)
        assert (r.status_code, r.json()["code"]) == (409, "invalid_transition"), r.text
    again = client.post(f"/v1/admin/bookings/{ref}/cancel", headers=w.a.admin.headers)
    assert again.status_code == 200 and again.json()["status"] == "cancelled"
    from tests.support.console import log_in

    log_in(client, w.a.staff.login)
    page = client.get(f"/console/bookings/{ref}").text
    assert 'id="stay-0">已取消，无需入住<' in page
    assert 'name="status" value=' not in page and 'id="not-cancellable"' not in page
