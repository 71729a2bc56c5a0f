"""The traveller's refund preview in the API, GET /v1/bookings/{reference}/cancellation:
what cancelling now would refund, line by line, by the cancel's own rule (the manage
page's preview's service), changing nothing; the cancel then refunds exactly that, to
the fen, under a frozen clock. Both databases."""

import uuid
from datetime import date, time, timedelta

from service.bookings.cancel_schemas import CancellationPreviewOut
from tests.service.booking_support import (
    FIRST_NIGHT,
    add_partner,
    add_product,
    item,
    post_booking,
    quote_http,
    taken,
)
from tests.support.clock import FixedClock
from tests.support.payments import (
    booking_row,
    fake_stripe,
    make_stay,
    paid_and_confirmed,
    pay_client,
    refunds_of,
    stripe_settings,
)

FIXTURES = (fake_stripe, pay_client, stripe_settings)  # used by name below
SAME = (
    "cancel_date",
    "cancelled_by",
    "refund_terms",
    "refund_terms_note",
    "paid_fen",
    "refundable_fen",
    "refund_fen",
    "refund_method",
    "lines",
)


def _preview(client, reference: str, headers: dict):
    return client.get(f"/v1/bookings/{reference}/cancellation", headers=headers)


def _cancel(client, reference: str, headers: dict):
    r = client.post(
        f"/v1/bookings/{reference}/cancel",
        headers={**headers, "Idempotency-Key": str(uuid.uuid4())},
    )
    assert r.status_code == 200, r.text
    return r.json()


def _same(preview: dict, cancellation: dict) -> None:
    assert {k: preview[k] for k in SAME} == {k: cancellation[k] for k in SAME}


def test_a_partners_preview_is_what_its_cancel_refunds_to_the_fen(db, client):
    """A merchant partner's booking of two stays, 10 days before the
    first check-in and 30 before the second: each stay by its tier; the cancel refunds the
    same lines and total, and the preview changed nothing."""
    partner = add_partner(db, "merchant", merchant_collects=True)
    cabin = add_product(db, nights=40)
    later = FIRST_NIGHT + timedelta(days=20)
    quote = quote_http(
        client,
        item(cabin, nights=3),
        item(cabin, check_in=later, nights=4),
        headers=partner.headers,
    )
    created = post_booking(client, quote["id"], headers=partner.headers).json()
    client.app.state.clock = FixedClock.on(FIRST_NIGHT - timedelta(days=10), time(23, 30))
    headers = {**partner.headers, "Accept-Language": "en"}
    r = _preview(client, created["reference"], headers)
    assert r.status_code == 200, r.text
    preview = r.json()
    CancellationPreviewOut.model_validate(preview)
    first, second = (i["net_fen"] for i in quote["items"])
    assert [(ln["kind"], ln["refund_bps"], ln["tier_min_days"]) for ln in preview["lines"]] == [
        ("item", 5000, 7),  # 10 days before: the 7-day tier
        ("item", 10000, 30),  # 30 days before: the 30-day tier
    ]
    assert preview["refund_fen"] == (first * 5000 + 5000) // 10000 + second
    assert (preview["cancelled_by"], preview["refund_method"]) == ("partner", "partner")
    assert preview["cancel_date"] == (FIRST_NIGHT - timedelta(days=10)).isoformat()
    assert "10 days before check-in" in preview["lines"][0]["label"]
    # Nothing changed: still booked, its nights still taken.
    read = client.get(f"/v1/bookings/{created['reference']}", headers=partner.headers).json()
    assert (read["status"], read["cancellation"]) == ("confirmed", None)
    assert set(taken(db, cabin).values()) >= {1}
    cancelled = _cancel(client, created["reference"], headers)
    _same(preview, cancelled["cancellation"])
    assert cancelled["refunded_fen"] == preview["refund_fen"]
    # Once cancelled, the preview is the cancel's refusal.
    again = _preview(client, created["reference"], headers)
    assert (again.status_code, again.json()["code"]) == (409, "not_cancellable")
    # The status said by its name in the caller's language (the pages' words), not its code.
    assert again.json()["field"] == "status"
    assert again.json()["detail"] == "This booking's status is Cancelled: it cannot be cancelled."
    in_zh = _preview(client, created["reference"], partner.headers).json()["detail"]
    assert in_zh == "这笔预订的状态是「已取消」，不能取消。"


def test_a_travellers_preview_of_a_paid_booking_is_its_stripe_refund(
    db, pay_client, stripe_settings
):
    stay = make_stay(db)
    booking, _ = paid_and_confirmed(pay_client, stripe_settings, stay)
    check_in = date.fromisoformat(stay.check_in)
    pay_client.app.state.clock = FixedClock.on(check_in - timedelta(days=3))  # 0-day tier: 0%
    token = {"X-Booking-Token": booking["token"], "Accept-Language": "zh-CN"}
    preview = _preview(pay_client, booking["reference"], token).json()
    assert (preview["cancelled_by"], preview["refund_method"]) == ("traveller", "none")
    assert preview["paid_fen"] == booking["total_fen"] and preview["refund_fen"] == 0
    assert "入住前3天取消：不退款" in preview["lines"][0]["label"]
    pay_client.app.state.clock = FixedClock.on(check_in - timedelta(days=8))  # 7-day tier: 50%
    preview = _preview(pay_client, booking["reference"], token).json()
    assert preview["refund_method"] == "stripe"
    assert preview["refund_fen"] == (booking["total_fen"] * 5000 + 5000) // 10000
    cancelled = _cancel(pay_client, booking["reference"], token)
    _same(preview, cancelled["cancellation"])
    row = booking_row(db, booking["reference"])
    [refund] = refunds_of(db, row.id)
    assert refund.amount_fen == preview["refund_fen"] == row.refund_requested_fen


def test_nothing_paid_previews_no_refund_and_only_the_bookings_holders_may_ask(db, client):
    product = add_product(db)
    created = post_booking(client, quote_http(client, item(product))["id"]).json()
    ref = created["reference"]
    for headers in ({}, {"X-Booking-Token": "not-the-token"}):
        r = _preview(client, ref, headers)
        assert (r.status_code, r.json()["code"]) == (404, "booking_not_found"), r.text
    stranger = add_partner(db, "stranger")
    assert _preview(client, ref, stranger.headers).status_code == 404
    token = {"X-Booking-Token": created["token"]}
    preview = _preview(client, ref, token).json()
    assert (preview["paid_fen"], preview["refund_fen"], preview["lines"]) == (0, 0, [])
    assert preview["refund_method"] == "none" and preview["cancelled_by"] == "traveller"
    _same(preview, _cancel(client, ref, token)["cancellation"])
