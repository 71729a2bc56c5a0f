"""The traveller pages in Stripe mode say where a booking's payment stands, in both
languages: before booking, that these pages cannot take a card yet and what a hold is;
while a hold waits for its payment, that it is not booked yet, held until when, and how
it is paid (not here; a partner's booking in the partner's app); once paid, what was
paid online and on which day (the API's ``payment.paid_fen`` and ``paid_at``, the
console's amount); cancelled after paying, the refund as it stands. The fake Stripe
server (localstripe) takes the payment, both databases, the demo catalogue."""

import re
import uuid
from datetime import datetime, timedelta
from html import unescape

import pytest

from service.clock import Clock, local_date
from service.pages.formats import local_time, long_date, yuan
from service.worker import run_once
from tests.service.test_pages_trip import (  # noqa: F401
    PRODUCT,
    _book,
    _cancel,
    _quote,
    open_with_form,
    pages_db,
    stripe_pages,
)
from tests.support.payments import Stay, fake_stripe, make_partner, pay_and_confirm, post_booking_of

FIXTURES = (fake_stripe, pages_db, stripe_pages)  # used by name below

BOOK_SAYS = {
    "zh-CN": "在线付款：预订后，房间为您保留 15 分钟，付款后预订才成立。本网站暂时还不能付款，"
    "所以在这里预订后无法在这里付款：15 分钟内没有付款，保留会自动结束，不收取任何费用。",
    "en": "Online payment: booking holds your rooms for 15 minutes, and the booking is made "
    "only once it is paid. This website cannot take payments yet, so a booking made here "
    "cannot be paid here: if it is not paid within 15 minutes, the hold ends by itself and "
    "nothing is charged.",
}
HOLD_BUTTON = {"zh-CN": "保留房间（", "en": "Hold the rooms ("}
BOOK_NOW = {"zh-CN": "确认预订（", "en": "Book now ("}
BOOKED = {"zh-CN": "预订成功！", "en": "You are booked!"}
NOT_BOOKED = {"zh-CN": "还没有预订成功：尚未付款。", "en": "Not booked yet: not paid."}
HELD = {
    "zh-CN": "房间为您保留到 {until}。付款后预订才成立；"
    "到时没有付款，保留会自动结束，不收取任何费用。",
    "en": "Your rooms are held until {until}. The booking is made only once it is paid; if it "
    "is not paid by then, the hold ends by itself and nothing is charged.",
}
NOT_HERE = {
    "zh-CN": "本网站暂时还不能付款，所以这笔预订无法在这里付款。",
    "en": "This website cannot take payments yet, so this booking cannot be paid here.",
}
WITH_PARTNER = {
    "zh-CN": "请在您预订时使用的应用或网站里付款。",
    "en": "Please pay in the app or website where you made this booking.",
}
PAID = {"zh-CN": "已于{day}在线付款 {amount}。", "en": "Paid {amount} online on {day}."}
CANCELLED_PAID = {
    "zh-CN": "已付 {paid}；这笔预订已取消，无需再付款，退款情况见下方。",
    "en": "Paid {paid}; this booking was cancelled, so nothing more is to pay; the refund is "
    "shown below.",
}
REFUNDED = {
    "zh-CN": "已退款 {amount}，已退回您付款所用的银行卡或账户。",
    "en": "Refunded: {amount}, back to the card or account you paid with.",
}
LANGS = ["zh-CN", "en"]


def said(html: str, element_id: str) -> str | None:
    """The words of the element ``element_id`` (tags dropped, spaces folded), or None."""
    found = re.search(rf'<(\w+)[^>]* id="{element_id}"[^>]*>(.*?)</\1>', html, re.S)
    if found is None:
        return None
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", found.group(2))).split())


def _code(html: str) -> tuple[str, str]:
    reference = re.search(r'id="booking-reference"><strong>([^<]+)', html).group(1)
    token = re.search(r'id="booking-token"><strong>([^<]+)', html).group(1)
    return reference, token


def _check_in(days: int) -> str:
    return (Clock().today() + timedelta(days=days)).isoformat()


@pytest.mark.parametrize("lang", LANGS)
def test_a_hold_is_not_booked_until_paid_and_a_paid_booking_says_what_and_when(
    stripe_pages,
    lang,
):
    c, h = stripe_pages, {"Accept-Language": lang}
    quote_url = _quote(c, lang, check_in=_check_in(120), nights="7").headers["location"]
    form = c.get(quote_url + "/book", headers=h).text
    assert said(form, "how-to-pay") == BOOK_SAYS[lang]
    assert HOLD_BUTTON[lang] in form and BOOK_NOW[lang] not in form
    assert _book(c, quote_url, page=form)[0].status_code == 303

    first = c.get("/manage", headers=h).text
    reference, token = _code(first)
    read = {"X-Booking-Token": token}
    api = c.get(f"/v1/bookings/{reference}", headers=read).json()
    assert api["status"] == "pending_payment" and api["payment"]["paid_fen"] == 0
    until = local_time(api["hold_expires_at"], lang)
    for html in (first, c.get("/manage", headers=h).text):  # the first view, then kept
        assert BOOKED[lang] not in html
        notice = said(html, "awaiting-payment")
        assert notice.startswith(NOT_BOOKED[lang] + " " + HELD[lang].format(until=until))
        assert said(html, "payment") == NOT_HERE[lang]

    pay_and_confirm(c, c.app.state.settings, api["payment"]["payment_intent_id"])
    paid = c.get(f"/v1/bookings/{reference}", headers=read).json()
    assert paid["status"] == "confirmed"
    assert paid["payment"]["paid_fen"] == paid["total_fen"]
    day = long_date(local_date(datetime.fromisoformat(paid["payment"]["paid_at"])), lang)
    assert day == long_date(Clock().today(), lang)  # paid just now
    html = c.get("/manage", headers=h).text
    amount = yuan(paid["total_fen"])
    assert said(html, "payment") == PAID[lang].format(amount=amount, day=day)
    assert said(html, "awaiting-payment") is None and BOOKED[lang] not in html
    for words in ("no longer awaiting", "已不再等待"):
        assert words not in html
    # paid: the stay's refund terms, as the quote page said them (none on the hold's
    # pages above, nor once cancelled below: nothing paid, or nothing more to refund)
    assert 'id="item-0-refund"' in html and 'id="item-0-refund"' not in first
    terms = re.search(r'<ul class="refund-policy">.*?</ul>', html, re.S).group(0)
    assert terms in c.get(quote_url, headers=h).text

    # Cancelled (in full: the stay is 120 days away), then refunded by the worker.
    assert _cancel(c, c.get("/manage/cancel", headers=h).text).status_code == 303
    run_once(c.app.state.db, c.app.state.settings)
    html = c.get("/manage", headers=h).text
    assert said(html, "payment") == CANCELLED_PAID[lang].format(paid=amount)
    assert said(html, "refund") == REFUNDED[lang].format(amount=amount)
    assert 'id="item-0-refund"' not in html


@pytest.mark.parametrize("lang", LANGS)
def test_a_partners_hold_says_to_pay_where_it_was_booked(stripe_pages, pages_db, lang):
    """A booking a partner made with its key, opened on these pages with its reference
    and token: not booked yet, and paid in the partner's app or website."""
    c, h = stripe_pages, {"Accept-Language": lang}
    quote_url = _quote(c, lang, check_in=_check_in(150), nights="7").headers["location"]
    item = c.get("/v1" + quote_url).json()["items"][0]
    _, key = make_partner(pages_db, c.app.state.settings, name=f"ota-{uuid.uuid4().hex[:8]}")
    stay = Stay(item["product_id"], item["check_in"], item["check_out"])
    booked = post_booking_of(c, stay, headers=key)
    assert booked.status_code == 201, booked.text
    reference, token = booked.json()["reference"], booked.json()["token"]
    assert open_with_form(c, reference, token).status_code == 303
    html = c.get("/manage", headers=h).text
    assert said(html, "awaiting-payment").startswith(NOT_BOOKED[lang])
    assert said(html, "payment") == WITH_PARTNER[lang]
    assert BOOKED[lang] not in html
    cancelled = c.post(
        f"/v1/bookings/{reference}/cancel",
        headers={**key, "Idempotency-Key": str(uuid.uuid4())},
        json={},
    )
    assert cancelled.status_code == 200, cancelled.text
