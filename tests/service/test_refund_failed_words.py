"""A refund through Stripe that failed is said, on the traveller's "My booking" and on
the console's booking page, in words their reader understands: what happened (the
money did not go back, so it has not arrived, and nothing retries it) and what to do
(the traveller: contact the destination's operator with the booking reference; the
operator: contact the guest and refund another way), in zh-CN and English. The booking
gets there as it really does: Stripe fails the refund the worker made (its
``refund.failed`` event), or refuses it when the worker asks."""

import re

import pytest

from service.pages.formats import yuan
from service.worker import run_once
from tests.service.test_payments_refund_state import _refund_event
from tests.service.test_refund_retry import refused_by_stripe
from tests.support.console import csrf_of, log_in
from tests.support.pages import page_text
from tests.support.payments import (
    booking_row,
    cancel,
    fake_stripe,
    make_stay,
    paid_and_confirmed,
    pay_client,
    post_event,
    stripe_sdk,
    stripe_settings,
)

FIXTURES = (fake_stripe, pay_client, stripe_settings)  # used by name below

MANAGE_FAILED = {
    "zh-CN": "退款 {amount} 没有退成功：付款平台未能把这笔钱退回您付款所用的银行卡或账户，"
    "所以您还没有收到，也不会再自动重试。请联系目的地运营方，告诉对方预订号 {ref}，"
    "由运营方为您另行安排退款。",
    "en": "Your refund of {amount} did not go through: the payment service could not return "
    "it to the card or account you paid with, so you have not received it, and it will "
    "not be tried again by itself. Please contact the destination's operator, give them "
    "your booking reference {ref}, and they will arrange your refund another way.",
}
CONSOLE_FAILED = {
    "zh-CN": "已在线付款 {paid}；退款失败：Stripe 拒绝或未能把 {owed} 退回旅客的付款方式"
    "（已退回 {refunded}），旅客没有收到这笔钱，系统也不会自动重试。"
    "请联系旅客，商定如何另行退还 {owed}。",
    "en": "Paid online: {paid}; the refund failed: Stripe refused or could not return "
    "{owed} to the way the guest paid (refunded so far: {refunded}), so the guest has not "
    "got this money back and it will not be tried again by itself. Contact the guest and "
    "agree how the {owed} is refunded another way.",
}


def _open_manage(client, booking: dict) -> None:
    """Sign in to "My booking" as the traveller does: reference and token, posted."""
    page = client.get("/manage").text
    r = client.post(
        "/manage",
        data={
            "csrf_token": csrf_of(page),
            "reference": booking["reference"],
            "token": booking["token"],
        },
    )
    assert r.status_code == 200, r.text


def _refund_said(html: str) -> tuple[str, str]:
    """The refund paragraph of "My booking": (its class, its words)."""
    found = re.search(r'<p id="refund" class="([^"]+)">(.*?)</p>', html, re.S)
    assert found, "no refund paragraph"
    return found.group(1), page_text(found.group(2)).strip()


def _payment_said(html: str) -> str:
    found = re.search(r'<dd id="payment">(.*?)</dd>', html, re.S)
    assert found, "no payment on the page"
    return page_text(found.group(1)).strip()


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_my_booking_says_a_refund_stripe_failed_and_whom_to_contact(
    db, pay_client, stripe_settings, lang
):
    """Cancelled and refunded at Stripe by the worker, then Stripe's ``refund.failed``
    (the card's bank sent it back): the page said "refunded", and now says it did not
    go through and what to do, never "refunded"."""
    booking, intent = paid_and_confirmed(pay_client, stripe_settings, make_stay(db))
    assert cancel(pay_client, booking).status_code == 200
    run_once(db, stripe_settings)
    _open_manage(pay_client, booking)
    headers = {"Accept-Language": lang}
    assert _refund_said(pay_client.get("/manage", headers=headers).text)[0] == "refund-succeeded"
    (made,) = stripe_sdk(stripe_settings).v1.refunds.list({"payment_intent": intent["id"]})
    failed = {**made.to_dict(for_json=True), "status": "failed"}

    r = post_event(pay_client, _refund_event(failed, "refund.failed"))

    assert r.json()["outcome"] == "refund_failed"
    row = booking_row(db, booking["reference"])
    assert (row.refund_status, row.refunded_fen) == ("failed", 0)
    kind, words = _refund_said(pay_client.get("/manage", headers=headers).text)
    assert kind == "refund-failed"
    assert words == MANAGE_FAILED[lang].format(amount=yuan(made.amount), ref=booking["reference"])


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_the_console_says_a_refund_stripe_refused_and_to_contact_the_guest(
    db, pay_client, stripe_settings, lang
):
    """The traveller cancels a booking paid online; when the worker asks Stripe for the
    refund, Stripe refuses it for good (a PaymentIntent it does not know): the
    operator's booking page says the refund failed, how much the guest has not got
    back, and what to do."""
    w, booking, row = refused_by_stripe(db, pay_client, stripe_settings)
    log_in(pay_client, w.a.admin.login)
    html = pay_client.get(
        f"/console/bookings/{booking['reference']}", headers={"Accept-Language": lang}
    ).text
    said = _payment_said(html)
    assert said.endswith(
        CONSOLE_FAILED[lang].format(
            paid=yuan(row.total_fen), owed=yuan(row.refund_requested_fen), refunded=yuan(0)
        )
    ), said
