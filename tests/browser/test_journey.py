"""The whole journey in Chromium, on a phone and on a desktop, in both languages:
plan (the planner form, ranked plans) -> choose -> quote (the price explained) -> book
-> manage -> calendar file -> cancel with the refund shown first; and browsing:
destinations (need filters, map) -> destination -> product (price calendar) -> quote.
Every page passes axe (WCAG 2.1 AA), stays on its origin and is screenshotted; what the
pages show is checked against the JSON API of the same server."""

import re
from datetime import timedelta

import httpx
import pytest
from icalendar import Calendar

from tests.browser.bookings import today
from tests.browser.conftest import DESKTOP, PHONE
from tests.support.quotes import quote_lines

pytestmark = pytest.mark.browser

PRODUCT = "changbaishan-north-forest-cabin"
WORDS = {
    "zh-CN": {
        "dest": "目的地",
        "plan": "规划行程",
        "find": "查找行程",
        "choose": "选这个行程，看价格明细",
        "settlement": "异地就医直接结算",
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
        "calendar": "加入手机日历",
    },
    "en": {
        "dest": "Destinations",
        "plan": "Plan a trip",
        "find": "Find trips",
        "choose": "Choose this trip and see the price",
        "settlement": "Cross-province medical-insurance settlement",
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
        "calendar": "Add to my phone's calendar",
    },
}


def yuan(fen: int) -> str:
    return f"¥{fen // 100:,}.{fen % 100:02d}"


def check_quote_page(v, server, lang: str) -> dict:
    """The price page shows the stored quote's total and, for every discount, its rule's
    name, base and amount."""
    page = v.page
    page.wait_for_url(re.compile(r".*/quotes/q_[0-9a-f]+$"))
    quote_id = page.url.rsplit("/", 1)[1]
    quote = httpx.get(server.base + f"/v1/quotes/{quote_id}").json()
    assert page.locator("#quote-total").inner_text() == yuan(quote["total_fen"])
    body = page.locator("main").inner_text()
    for ln in quote_lines(quote):
        assert yuan(ln["amount_fen"]) in body, ln["label"]
        if ln["kind"] == "discount":
            name = next(
                r["name_zh" if lang == "zh-CN" else "name_en"]
                for r in quote["rules_used"]
                if r["rule_id"] == ln["rule_id"]
            )
            assert name in body and yuan(ln["base_fen"]) in body
    v.check("quote")
    return quote


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_plan_choose_quote_book_manage_cancel(visit, server, viewport, lang):
    w = WORDS[lang]
    v = visit(viewport, lang)
    page = v.page
    v.go("/")
    v.check("1-home")

    page.get_by_role("navigation").get_by_role("link", name=w["plan"]).click()
    v.check("2-plan-form")
    start = page.locator("#start").input_value()
    end = page.locator("#end").input_value()
    page.locator("#nights").fill("28")
    page.locator("#max_stays").select_option("2")
    page.get_by_label(w["settlement"]).check()
    page.get_by_role("button", name=w["find"]).click()
    page.wait_for_url(re.compile(r".*/plan\?.*start=.*"))
    api = httpx.post(
        server.base + "/v1/plans",
        json={
            "earliest_check_in": start,
            "latest_check_out": end,
            "nights": 28,
            "guests": 2,
            "max_stays": 2,
            "needs": {"cross_province_settlement": True},
        },
    ).json()
    assert api["plans"], api
    shown = page.locator("[id$=-total]").all_inner_texts()
    assert shown == [yuan(p["total_fen"]) for p in api["plans"]]
    v.check("3-plans")

    page.get_by_role("button", name=w["choose"]).first.click()
    quote = check_quote_page(v, server, lang)
    assert quote["total_fen"] == api["plans"][0]["total_fen"]

    page.get_by_role("link", name=w["book"]).click()
    v.check("5-book")
    # Paid at the property: a trip across destinations says each desk's part before
    # booking (``bookings.quote_desks``), one at one destination the one sentence.
    desks_before = page.locator("#pay-desks li").all_inner_texts()
    # the consent box's "(required)" is one line of text, as tall as one line, on a phone
    # too (Visit.check: REQUIRED_MARKS_BROKEN; it read "(req / uire / d)" at 360px)
    mark = page.locator("label[for=consent] .req")
    line = mark.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)")
    assert mark.evaluate("e => e.getClientRects().length") == 1
    assert mark.bounding_box()["height"] <= line + 0.5, (mark.bounding_box(), line)
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
    v.check("6-booked")
    # the same desks and amounts once booked (``payment.at_property``), on my booking too
    desks = booking["payment"]["at_property"]
    assert len(desks_before) == (len(desks) if len(desks) > 1 else 0)
    assert page.locator("#pay-desks li").all_inner_texts() == desks_before
    for line, desk in zip(desks_before, desks, strict=False):
        name = desk["destination_name_zh" if lang == "zh-CN" else "destination_name_en"]
        assert name in line and yuan(desk["amount_fen"]) in line
    # The row of buttons (the red "cancel…" among them) keeps its distance from the
    # line under it (it touched it).
    gap = page.evaluate(
        "(() => { const a = document.querySelector('main .actions');"
        " return a.nextElementSibling.getBoundingClientRect().top"
        " - a.getBoundingClientRect().bottom; })()"
    )
    assert gap >= 16, gap

    page.reload()  # the cookie still opens the booking, and still offers its code, folded
    assert page.locator("#booking-status").inner_text() == w["confirmed"]
    assert not page.locator("#booking-token").is_visible()
    page.locator("#booking-code summary").click()  # no script: the browser's own <details>
    assert page.locator("#booking-token").inner_text().strip() == token
    v.check("6a-booking-code")
    other = "en" if lang == "zh-CN" else "zh-CN"
    page.locator(".lang-switch").click()  # the other language keeps it too
    page.wait_for_url(server.base + "/manage")
    assert page.locator("html").get_attribute("lang") == other
    page.locator("#booking-code summary").click()
    assert page.locator("#booking-token").inner_text().strip() == token
    page.locator(".lang-switch").click()
    page.wait_for_url(server.base + "/manage")

    with page.expect_download() as download:
        page.get_by_role("link", name=w["calendar"]).click()
    cal = Calendar.from_ical(open(download.value.path(), "rb").read())
    starts = [str(e["dtstart"].dt) for e in cal.walk("VEVENT")]
    assert starts == [i["check_in"] for i in booking["items"]] + [
        g["travel_date"] for g in booking["legs"]
    ]

    # The price is booked now: its book page says so, with the ways on, and no form.
    page.goto(server.base + f"/quotes/{quote['id']}/book")
    assert page.locator("#quote-booked").count() == 1 and page.locator("#lead_name").count() == 0
    v.check("6b-price-booked")
    # Its price page names the booking and offers neither "book" nor a new price.
    page.goto(server.base + f"/quotes/{quote['id']}")
    assert page.locator("#quote-booked").count() == 1
    assert page.locator(f'a[href="/quotes/{quote["id"]}/book"]').count() == 0
    assert page.locator(f'form[action="/quotes/{quote["id"]}/again"]').count() == 0
    v.check("6c-quote-booked")
    page.goto(server.base + "/manage")

    page.get_by_role("link", name=w["cancel"]).click()
    # Paid at the property: nothing was paid, so no refund amount before or after.
    assert page.locator("#nothing-to-pay").count() == 1
    assert page.locator("#refund-now").count() == 0
    v.check("7-cancel-preview")
    page.get_by_role("button", name=w["confirm"]).click()
    page.wait_for_url(server.base + "/manage")
    assert page.locator("#booking-status").inner_text() == w["cancelled"]
    after = httpx.get(
        server.base + f"/v1/bookings/{reference}", headers={"X-Booking-Token": token}
    ).json()
    assert after["status"] == "cancelled"
    assert after["cancellation"]["refund_fen"] == 0
    assert page.locator("#nothing-to-refund").count() == 1
    v.check("8-cancelled")

    # An address too long for a page: the 414 page, in the page's language.
    response = page.goto(server.base + "/destinations?theme=" + "x" * 3000)
    assert response is not None and response.status == 414
    v.check("9-address-too-long")

    # The token never travelled in a URL (it would be in access logs).
    assert not [u for u in v.requests if token in u]
    log = server.log.read_text(errors="replace")
    assert token not in log and "13912345678" not in log


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_browse_by_need_to_a_product_and_its_price(visit, server, lang):
    w = WORDS[lang]
    v = visit(PHONE, lang, label=f"browse-{lang}")
    page = v.page
    v.go("/destinations")
    v.check("1-destinations")
    page.get_by_label(w["settlement"]).check()
    page.get_by_role("button", name=w["apply"]).click()
    page.wait_for_url(re.compile(r".*settlement=yes.*"))
    found = page.locator("ol.results > li").count()
    api = httpx.get(server.base + "/v1/destinations?cross_province_settlement=true&limit=100")
    assert found == len(api.json()["items"]) > 0
    assert page.locator("figure.map circle").count() == found
    v.check("2-destinations-filtered")

    page.locator("ol.results a[href='/destinations/changbaishan-north']").click()
    v.check("3-destination")
    page.locator(f"a[href='/products/{PRODUCT}']").click()
    cal = page.locator("table.calendar tbody tr").count()
    assert cal == 28
    v.check("4-product")
    # a date of the calendar prices that check-in: the quote form filled with it, at it
    date_link = page.locator("table.calendar tbody a").nth(2)
    href = date_link.get_attribute("href")
    check_in = re.search(r"check_in=([0-9-]+)", href)[1]
    date_link.click()
    page.wait_for_url(re.compile(rf".*check_in={check_in}#quote-form-title$"))
    assert page.locator("#check_in").input_value() == check_in
    v.check("4b-product-date-chosen")

    page.locator("#nights").select_option("14")
    page.locator("#guests").fill("2")
    page.locator("input[name=packs]").first.check()
    page.get_by_role("button", name=w["price"]).click()
    check_quote_page(v, server, lang)


def _trip_across_destinations(server) -> dict:
    """A quote (over the API) of a planned trip at two destinations with a bus between
    them: the first such plan of a 28-night search 90 days ahead."""
    start = today() + timedelta(days=90)
    asked = {
        "earliest_check_in": start.isoformat(),
        "latest_check_out": (start + timedelta(days=35)).isoformat(),
        "nights": 28,
        "guests": 2,
        "max_stays": 2,
    }
    plans = httpx.post(server.base + "/v1/plans", json=asked).json()["plans"]
    plan = next(
        p
        for p in plans
        if len({s["destination"]["id"] for s in p["stays"]}) > 1
        and any(g["line"] for g in p["legs"])
    )
    made = httpx.post(server.base + "/v1/quotes", json=plan["quote_request"])
    assert made.status_code == 201, made.text
    return made.json()


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_a_trip_across_destinations_says_each_desks_part_before_and_after_booking(
    visit, server, lang
):
    """The book page of a trip at two destinations says each front desk's part (the bus's
    fare with the stay it boards from) before anything is booked, accessibly; my booking
    then lists the same desks and amounts, the booking's ``payment.at_property``."""
    w = WORDS[lang]
    quote = _trip_across_destinations(server)
    v = visit(PHONE, lang, label=f"desks-{lang}")
    page = v.page
    v.go(f"/quotes/{quote['id']}/book")
    v.check("book-desks")
    before = page.locator("#pay-desks li").all_inner_texts()
    assert len(before) == 2
    together = "合计 {}。" if lang == "zh-CN" else "Together: {}."
    total = page.locator("#how-to-pay > p").last.inner_text().strip()
    assert total == together.format(yuan(quote["total_fen"]))
    page.locator("#lead_name").fill("王秀兰")
    page.locator("#lead_phone").fill("13912345678")
    page.get_by_label(w["consent"]).check()
    page.get_by_role("button", name=re.compile(re.escape(w["submit"]))).click()
    page.wait_for_url(server.base + "/manage")
    v.check("booked-desks")
    reference = page.locator("#booking-reference").inner_text().strip()
    token = page.locator("#booking-token").inner_text().strip()
    booking = httpx.get(
        server.base + f"/v1/bookings/{reference}", headers={"X-Booking-Token": token}
    ).json()
    desks = booking["payment"]["at_property"]
    assert sum(d["amount_fen"] for d in desks) == booking["total_fen"] == quote["total_fen"]
    assert page.locator("#pay-desks li").all_inner_texts() == before
    for line, desk in zip(before, desks, strict=True):
        name = desk["destination_name_zh" if lang == "zh-CN" else "destination_name_en"]
        assert name in line and yuan(desk["amount_fen"]) in line
