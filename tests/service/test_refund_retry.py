"""An operator retries a refund through Stripe that failed (``operators.bookings.
retry_refund``: the console's "Retry the refund" and ``POST /v1/admin/bookings/{ref}/
retry-refund``). The refund is asked of Stripe again for the same amount and made by the
worker, and never twice: a second or concurrent retry is 409 ``refund_not_failed``, and a
refund an earlier attempt made at Stripe after all is taken for the retry's. The booking
gets there as it really does: Stripe refuses the refund the worker asks for, or fails
the one it made (its ``refund.failed`` event)."""

import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlmodel import select

from service.console.audit_words import entry_said
from service.operators.models import AuditEntry
from service.pages.formats import yuan
from service.worker import run_once
from tests.service.test_operators_bookings import book, paid_online
from tests.service.test_payments_refund_state import _refund_event
from tests.support.console import log_in, post_form
from tests.support.operators import world
from tests.support.pages import page_text
from tests.support.payments import (
    booking_row,
    cancel,
    fake_stripe,
    intent_unknown_at_stripe,
    outbox_types,
    pay_client,
    point_payment_at,
    post_event,
    refunds_of,
    stripe_sdk,
    stripe_settings,
)

FIXTURES = (fake_stripe, pay_client, stripe_settings)  # used by name below

NOT_FAILED_PENDING = {
    "en": "Booking {ref} has no failed refund: Stripe is making it; there is nothing to retry.",
    "zh-CN": "预订 {ref} 的退款没有失败：Stripe 正在办理，无需重试。",
}
BUTTON = {"en": "Retry the refund", "zh-CN": "重新退款"}
HINT = {
    "en": "Asks Stripe again to return {amount} to the way the guest paid, the same amount. "
    "However often it is pressed, the guest is refunded once.",
    "zh-CN": "请 Stripe 再次把 {amount} 退回旅客的付款方式，金额不变。"
    "无论点几次，旅客只会收到一次退款。",
}
DONE = {
    "en": "The refund has been asked of Stripe again; this page says refunded once Stripe "
    "has made it.",
    "zh-CN": "已重新向 Stripe 申请退款；Stripe 退回旅客后，本页会显示为已退款。",
}


def _at_stripe(settings, intent_id: str) -> list:
    found = stripe_sdk(settings).v1.refunds.list({"payment_intent": intent_id})
    return list(found.auto_paging_iter())


def refused_by_stripe(db, client, settings):
    """A booking of A's, paid online and cancelled by its traveller, whose refund Stripe
    refused when the worker asked (it did not know the PaymentIntent); its payment then
    points at its real PaymentIntent again, so a retry can be made."""
    w = world(db)
    booking = paid_online(client, settings, w)
    assert cancel(client, booking).status_code == 200
    row = booking_row(db, booking["reference"])
    intent_unknown_at_stripe(db, row.id)
    assert run_once(db, settings).refunds["failed"] == 1
    point_payment_at(db, row.id, booking["payment"]["payment_intent_id"])
    row = booking_row(db, booking["reference"])
    assert (row.refund_status, row.refunded_fen) == ("failed", 0) and row.refund_requested_fen
    return w, booking, row


def _retry(client, op, reference: str, lang: str = "en"):
    return client.post(
        f"/v1/admin/bookings/{reference}/retry-refund",
        headers={**op.headers, "Accept-Language": lang},
    )


def test_a_refund_stripe_refused_is_retried_and_made_once(db, pay_client, stripe_settings):
    w, booking, row = refused_by_stripe(db, pay_client, stripe_settings)
    intent = booking["payment"]["payment_intent_id"]

    r = _retry(pay_client, w.a.staff, booking["reference"])

    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["refund_status"], body["refunded_fen"]) == ("pending", 0)
    assert body["refund_requested_fen"] == row.refund_requested_fen
    assert _at_stripe(stripe_settings, intent) == []  # asked for, not made: the worker makes it
    assert run_once(db, stripe_settings).refunds["succeeded"] == 1
    done = booking_row(db, booking["reference"])
    assert (done.refund_status, done.refunded_fen) == ("succeeded", row.refund_requested_fen)
    (refund,) = refunds_of(db, row.id)
    (made,) = _at_stripe(stripe_settings, intent)
    assert made.amount == refund.amount_fen == row.refund_requested_fen
    assert made.metadata["refund_key"] == refund.idempotency_key
    assert refund.idempotency_key == f"booking:{row.id}:refund:1:retry:1"
    assert outbox_types(db, row.id)[-2:] == ["booking.refund_failed", "booking.refund_succeeded"]


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_a_second_retry_is_409_refund_not_failed_and_refunds_nothing_more(
    db, pay_client, stripe_settings, lang
):
    w, booking, row = refused_by_stripe(db, pay_client, stripe_settings)
    ref = booking["reference"]
    assert _retry(pay_client, w.a.staff, ref).status_code == 200
    version = booking_row(db, ref).version

    again = _retry(pay_client, w.a.admin, ref, lang)

    assert again.status_code == 409
    assert again.headers["content-type"].startswith("application/problem+json")
    problem = again.json()
    assert (problem["code"], problem["field"]) == ("refund_not_failed", "refund_status")
    assert problem["detail"] == NOT_FAILED_PENDING[lang].format(ref=ref)
    assert booking_row(db, ref).version == version  # nothing written
    run_once(db, stripe_settings)
    assert len(_at_stripe(stripe_settings, booking["payment"]["payment_intent_id"])) == 1


def test_retries_at_once_ask_stripe_once(db, pay_client, stripe_settings):
    w, booking, row = refused_by_stripe(db, pay_client, stripe_settings)

    with ThreadPoolExecutor(6) as pool:
        answers = list(
            pool.map(lambda _: _retry(pay_client, w.a.staff, booking["reference"]), range(6))
        )

    codes = sorted(a.status_code for a in answers)
    assert codes == [200] + [409] * 5, [a.text for a in answers]
    assert {a.json()["code"] for a in answers if a.status_code == 409} == {"refund_not_failed"}
    (refund,) = refunds_of(db, row.id)
    assert refund.idempotency_key.endswith(":retry:1")  # retried once, not six times
    run_once(db, stripe_settings)
    (made,) = _at_stripe(stripe_settings, booking["payment"]["payment_intent_id"])
    assert made.amount == row.refund_requested_fen


def test_a_retry_takes_the_refund_an_earlier_attempt_made_at_stripe_and_makes_none(
    db, pay_client, stripe_settings
):
    """The worker made the refund and Stripe then reported it failed; retried, the
    worker finds at Stripe a refund of the first attempt that is not failed there (here:
    the fake keeps it made) and records that one: the guest is never refunded twice. A
    late event about the first attempt moves nothing once it is retried."""
    w = world(db)
    booking = paid_online(pay_client, stripe_settings, w)
    assert cancel(pay_client, booking).status_code == 200
    run_once(db, stripe_settings)
    intent = booking["payment"]["payment_intent_id"]
    (made,) = _at_stripe(stripe_settings, intent)
    failed = _refund_event({**made.to_dict(for_json=True), "status": "failed"}, "refund.failed")
    assert post_event(pay_client, failed).json()["outcome"] == "refund_failed"
    ref = booking["reference"]

    assert _retry(pay_client, w.a.admin, ref).status_code == 200
    late = _refund_event({**made.to_dict(for_json=True), "status": "failed"}, "refund.failed")
    assert post_event(pay_client, late).json()["outcome"] == "unknown_refund"
    assert booking_row(db, ref).refund_status == "pending"
    assert run_once(db, stripe_settings).refunds["succeeded"] == 1

    assert [r.id for r in _at_stripe(stripe_settings, intent)] == [made.id]  # no second one
    row = booking_row(db, ref)
    assert (row.refund_status, row.refunded_fen) == ("succeeded", made.amount)
    (refund,) = refunds_of(db, row.id)
    assert refund.stripe_refund_id == made.id


def test_only_a_booking_with_a_failed_refund_is_retried(db, client):
    """A booking paid at the property has no refund through Stripe: 409, said so."""
    w = world(db)
    ref = book(db, w.a.product_id)
    r = client.post(
        f"/v1/admin/bookings/{ref}/retry-refund",
        headers={**w.a.admin.headers, "Accept-Language": "en"},
    )
    assert r.status_code == 409
    assert r.json()["code"] == "refund_not_failed"
    assert r.json()["detail"] == (
        f"Booking {ref} has no refund through Stripe; there is nothing to retry."
    )


def test_a_retry_is_scoped_and_needs_the_bookings_permission(db, pay_client, stripe_settings):
    w, booking, _ = refused_by_stripe(db, pay_client, stripe_settings)
    ref = booking["reference"]
    assert _retry(pay_client, w.b.admin, ref).status_code == 404  # not B's booking
    province = _retry(pay_client, w.province, ref)
    assert (province.status_code, province.json()["code"]) == (403, "forbidden_role")
    assert booking_row(db, ref).refund_status == "failed"


def test_a_retry_is_audited_with_amounts_and_statuses_only(db, pay_client, stripe_settings):
    w, booking, row = refused_by_stripe(db, pay_client, stripe_settings)
    assert _retry(pay_client, w.a.staff, booking["reference"]).status_code == 200
    with db.session() as s:
        (entry,) = s.exec(select(AuditEntry).where(AuditEntry.action == "retry_refund")).all()
    assert (entry.entity, entry.entity_id) == ("booking", booking["reference"])
    assert entry.before == {"refund_status": "failed", "refunded_fen": 0}
    assert entry.after == {"refund_status": "pending", "refund_fen": row.refund_requested_fen}
    said = entry_said(entry.action, entry.before, entry.after, "en", str)
    assert not said.unsaid  # every field said in the console's words
    assert sorted(page_text(line).strip() for line in said.after) == [
        "Refund status: requested, not made yet",
        f"Refund: {yuan(row.refund_requested_fen)}",
    ]


def _payment_said(html: str) -> str:
    found = re.search(r'<dd id="payment">(.*?)</dd>', html, re.S)
    assert found, "no payment on the page"
    return page_text(found.group(1)).strip()


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_the_console_retries_a_failed_refund_and_a_second_click_is_said_not_done(
    db, pay_client, stripe_settings, lang
):
    w, booking, row = refused_by_stripe(db, pay_client, stripe_settings)
    ref = booking["reference"]
    page = f"/console/bookings/{ref}"
    headers = {"Accept-Language": lang}
    log_in(pay_client, w.a.staff.login)
    html = pay_client.get(page, headers=headers).text
    form = re.search(
        r'<form method="post" action="([^"]+)" id="retry-refund">(.*?)</form>', html, re.S
    )
    assert form and form.group(1) == f"{page}/retry-refund"
    assert (
        page_text(form.group(2)).split()
        == (HINT[lang].format(amount=yuan(row.refund_requested_fen)) + " " + BUTTON[lang]).split()
    )
    stale = pay_client.get(page, headers=headers).text  # a second tab, with the same form
    forged = pay_client.post(f"{page}/retry-refund", headers=headers, follow_redirects=False)
    assert forged.status_code == 403  # no CSRF token: refused, nothing retried
    assert booking_row(db, ref).refund_status == "failed"

    r = post_form(pay_client, f"{page}/retry-refund", {}, page, headers=headers)

    assert r.status_code == 303 and r.headers["location"].endswith("done=refund_retried")
    shown = pay_client.get(r.headers["location"], headers=headers).text
    assert DONE[lang] in page_text(shown)
    assert 'id="retry-refund"' not in shown  # pending now: nothing to retry
    assert "Stripe" in _payment_said(shown) and yuan(row.refund_requested_fen) in _payment_said(
        shown
    )
    token = re.search(r'name="csrf_token" value="([^"]+)"', stale).group(1)
    again = pay_client.post(
        f"{page}/retry-refund", data={"csrf_token": token}, headers=headers, follow_redirects=False
    )
    assert again.status_code == 409
    alert = re.search(r'role="alert".*?</div>', again.text, re.S).group(0)
    assert NOT_FAILED_PENDING[lang].format(ref=ref) in page_text(alert)
    run_once(db, stripe_settings)
    assert len(_at_stripe(stripe_settings, booking["payment"]["payment_intent_id"])) == 1


def test_the_console_offers_no_retry_without_the_bookings_permission(
    db, pay_client, stripe_settings
):
    w, booking, _ = refused_by_stripe(db, pay_client, stripe_settings)
    log_in(pay_client, w.province.login)
    html = pay_client.get(f"/console/bookings/{booking['reference']}").text
    assert "retry-refund" not in html
