"""The whole journey in Chromium, on a phone and on a desktop, in both languages:
destinations (need filters, map) -> destination -> product -> quote (the price
explained) -> book -> manage -> calendar file -> cancel with the refund shown first.
Every page passes axe (WCAG 2.1 AA), stays on its origin and is screenshotted; what the
pages show is checked against the JSON API of the same server."""

import re

import httpx
import pytest
from icalendar import Calendar

from tests.browser.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.browser

PRODUCT = "changbaishan-north-forest-cabin"
WORDS = {
    "zh-CN": {
        "dest": "目的地",
        "apply": "筛选",
        "price": "查看价格明细",
        "book": "按此价格预订",
        "name": "姓名",
        "phone": "手机号码",
        "consent": "我已阅读并同意以上个人信息说明",
        "submit": "确认预订",
        "cancel": "取消预订…",
        "confirm": "确认取消",
        "confirmed": "已确认",
        "cancelled": "已取消",
        "calendar": "加入手机日历（.ics）",
    },
    "en": {
        "dest": "Destinations",
        "apply": "Show destinations",
        "price": "See the itemised price",
        "book": "Book at this price",
        "name": "Name",
        "phone": "Mobile number",
        "consent": "I have read and agree to the note on personal data above",
        "submit": "Book now",
        "cancel": "Cancel this booking…",
        "confirm": "Yes, cancel it",
        "confirmed": "Confirmed",
        "cancelled": "Cancelled",
        "calendar": "Add to my phone's calendar (.ics)",
    },
}


def yuan(fen: int) -> str:
    return f"¥{fen // 100:,}.{fen % 100:02d}"


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_browse_quote_book_manage_cancel(visit, server, viewport, lang):
    w = WORDS[lang]
    v = visit(viewport, lang)
    page = v.page
    v.go("/")
    v.check("1-home")

    page.get_by_role("navigation").get_by_role("link", name=w["dest"]).click()
    v.check("2-destinations")
    page.locator("select#theme").select_option("forest_healing")
    page.get_by_role("button", name=w["apply"]).click()
    page.wait_for_url(re.compile(r".*theme=forest_healing.*"))
    found = page.locator("ol.results > li").count()
    api = httpx.get(server.base + "/v1/destinations?theme=forest_healing&limit=100")
    assert found == len(api.json()["items"]) > 0
    assert page.locator("figure.map circle").count() == found
    v.check("3-destinations-filtered")

    page.locator("ol.results a[href='/destinations/changbaishan-north']").click()
    v.check("4-destination")
    page.locator(f"a[href='/products/{PRODUCT}']").click()
    v.check("5-product")

    page.locator("#nights").select_option("14")
    page.locator("#guests").fill("2")
    page.locator("input[name=packs]").first.check()
    page.get_by_role("button", name=w["price"]).click()
    page.wait_for_url(re.compile(r".*/quotes/q_[0-9a-f]+$"))
    quote_id = page.url.rsplit("/", 1)[1]
    quote = httpx.get(server.base + f"/v1/quotes/{quote_id}").json()
    assert page.locator("#quote-total").inner_text() == yuan(quote["total_fen"])
    discounts = [ln for ln in quote["lines"] if ln["kind"] == "discount"]
    assert discounts, "the demo stay of 14 nights earns long-stay and advance discounts"
    body = page.locator("main").inner_text()
    for ln in discounts:  # every discount: its rule's name, base, percentage and amount
        name = next(
            r["name_zh" if lang == "zh-CN" else "name_en"]
            for r in quote["rules_used"]
            if r["rule_id"] == ln["rule_id"]
        )
        assert name in body
        assert yuan(ln["base_fen"]) in body and yuan(ln["amount_fen"]) in body
    v.check("6-quote")

    page.get_by_role("link", name=w["book"]).click()
    v.check("7-book")
    page.locator("#lead_name").fill("王秀兰")
    page.locator("#lead_phone").fill("13912345678")
    page.get_by_label(w["consent"]).check()
    page.get_by_role("button", name=re.compile(re.escape(w["submit"]))).click()
    page.wait_for_url(server.base + "/manage")
    reference = page.locator("#booking-reference").inner_text().strip()
    token = page.locator("#booking-token").inner_text().strip()
    assert page.locator("#booking-status").inner_text() == w["confirmed"]
    booking = httpx.get(
        server.base + f"/v1/bookings/{reference}", headers={"X-Booking-Token": token}
    ).json()
    assert booking["status"] == "confirmed" and booking["total_fen"] == quote["total_fen"]
    v.check("8-booked")

    page.reload()  # the token was shown once; the cookie still opens the booking
    assert page.locator("#booking-token").count() == 0
    assert page.locator("#booking-status").inner_text() == w["confirmed"]

    with page.expect_download() as download:
        page.get_by_role("link", name=w["calendar"]).click()
    cal = Calendar.from_ical(open(download.value.path(), "rb").read())
    events = cal.walk("VEVENT")
    assert [str(e["dtstart"].dt) for e in events] == [i["check_in"] for i in booking["items"]]

    page.get_by_role("link", name=w["cancel"]).click()
    shown_refund = page.locator("#refund-now").inner_text()  # before confirming
    v.check("9-cancel-preview")
    page.get_by_role("button", name=w["confirm"]).click()
    page.wait_for_url(server.base + "/manage")
    assert page.locator("#booking-status").inner_text() == w["cancelled"]
    after = httpx.get(
        server.base + f"/v1/bookings/{reference}", headers={"X-Booking-Token": token}
    ).json()
    assert after["status"] == "cancelled"
    assert shown_refund == yuan(after["cancellation"]["refund_fen"])
    v.check("10-cancelled")

    # The token never travelled in a URL (it would be in access logs).
    assert not [u for u in v.requests if token in u]
    log = server.log.read_text(errors="replace")
    assert token not in log and "13912345678" not in log
