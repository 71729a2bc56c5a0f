"""My booking of a Stripe booking in Chromium, on a phone, in both languages: a hold
waiting for its payment ("not booked yet", held until when, and that this website
cannot take payments yet), then paid ("paid ¥… online on …"). Each page passes the
suite's checks (axe, 44px targets, 18px text, no sideways scroll). The server takes no
online payment (pay at the property), so what Stripe would have left is written into
its database, as test_console_journeys.refund_failed does: the booking is the row's."""

import sqlite3
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest

from tests.browser.bookings import book, today
from tests.browser.conftest import PHONE

pytestmark = pytest.mark.browser

PRODUCT = "changbaishan-north-forest-cabin"
WORDS = {
    "zh-CN": {
        "reference": "预订号",
        "token": "预订凭证",
        "open": "查看预订",
        "not_booked": "还没有预订成功：尚未付款。",
        "not_here": "本网站暂时还不能付款，所以这笔预订无法在这里付款。",
        "paid": "已于{day}在线付款 {amount}。",
    },
    "en": {
        "reference": "Booking reference",
        "token": "Booking token",
        "open": "Open my booking",
        "not_booked": "Not booked yet: not paid.",
        "not_here": "This website cannot take payments yet, so this booking cannot be paid here.",
        "paid": "Paid {amount} online on {day}.",
    },
}


def _booking(server, days: int) -> dict:
    """An anonymous booking of one cabin for a week, ``days`` from today."""
    product = httpx.get(server.base + f"/v1/products/{PRODUCT}").json()
    return book(server, product["id"], today() + timedelta(days=days), 7)


def _stored(instant: datetime) -> str:
    """An instant as the SQLite database keeps it (naive UTC)."""
    return instant.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ")


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_a_stripe_hold_then_paid_on_my_booking(visit, server, lang):
    w = WORDS[lang]
    booking = _booking(server, 300 if lang == "zh-CN" else 310)
    now = datetime.now(UTC)
    with sqlite3.connect(server.db) as conn:
        conn.execute(
            "UPDATE booking SET payment_mode = 'stripe', status = 'pending_payment',"
            " hold_expires_at = ? WHERE reference = ?",
            (_stored(now + timedelta(minutes=15)), booking["reference"]),
        )
    v = visit(PHONE, lang, label=f"stripe-phone-{lang}")
    v.go("/manage")
    v.page.get_by_label(w["reference"]).fill(booking["reference"])
    v.page.get_by_label(w["token"]).fill(booking["token"])
    v.page.get_by_role("button", name=w["open"]).click()
    v.page.wait_for_url(server.base + "/manage")
    notice = v.page.locator("#awaiting-payment").inner_text()
    assert notice.startswith(w["not_booked"]), notice
    assert v.page.locator("#payment").inner_text() == w["not_here"]
    v.check("1-hold")

    with sqlite3.connect(server.db) as conn:
        conn.execute(
            "UPDATE booking SET status = 'confirmed', hold_expires_at = NULL, paid_at = ?"
            " WHERE reference = ?",
            (_stored(now), booking["reference"]),
        )
    v.go("/manage")
    day = now.astimezone(ZoneInfo("Asia/Shanghai")).date()
    shown = {
        "zh-CN": f"{day.year}年{day.month}月{day.day}日（周{'一二三四五六日'[day.weekday()]}）",
        "en": f"{day:%a %d %b %Y}",
    }[lang]
    total = booking["total_fen"]
    amount = f"¥{total // 100:,}.{total % 100:02d}"
    assert v.page.locator("#payment").inner_text() == w["paid"].format(day=shown, amount=amount)
    assert v.page.locator("#awaiting-payment").count() == 0
    v.check("2-paid")
