"""What the traveller pages say, on both databases with the demo catalogue: a curated
route's link plans the nights its card says; a season its last night; the booking
and its price without jargon."""

import re
from datetime import date, timedelta
from html import unescape

import pytest

from tests.service.test_pages_trip import PRODUCT, _book, _quote, pages, pages_db  # noqa: F401


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def test_a_routes_link_plans_the_nights_its_card_says(pages):  # noqa: F811
    """The review: "about 28 nights" on the card, 49-night plans (10+29+10) behind it,
    because the link carried no nights and the plans filled the window."""
    home = pages.get("/").text
    routes = {r["slug"]: r for r in pages.get("/v1/routes?limit=100").json()["items"]}
    links = re.findall(r'href="(/plan\?[^"]*route=([a-z0-9-]+))">([^<]+)<', home)
    assert len(links) == len(routes) > 0
    for href, slug, words in links:
        nights = routes[slug]["suggested_nights"]
        assert f"nights={nights}&" in unescape(href), href
        assert f"共 {nights} 晚" in words and "约" not in words
    href, slug, _ = links[0]
    plans = _text(pages.get(unescape(href)).text)
    nights = routes[slug]["suggested_nights"]
    totals = re.findall(r"共 (\d+) 晚，\d+ 段住宿", plans)
    assert totals and set(totals) == {str(nights)}, plans[:2000]


def _date_zh(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日（周{'一二三四五六日'[d.weekday()]}）"


def test_a_season_says_its_last_night_and_a_room_takes_guests_per_room(pages):  # noqa: F811
    """ "至 2027年3月16日（周二）前一晚" / "until the night before Tue 16 Mar 2027": the
    season's end_date is the first night after it; the page says its last night."""
    product = pages.get(f"/v1/products/{PRODUCT}").json()
    zh = _text(pages.get(f"/products/{PRODUCT}").text)
    en = _text(pages.get(f"/products/{PRODUCT}", headers={"Accept-Language": "en"}).text)
    assert product["seasons"]
    for s in product["seasons"]:
        start = date.fromisoformat(s["start_date"])
        last = date.fromisoformat(s["end_date"]) - timedelta(days=1)
        assert f"{s['name']}：{_date_zh(start)} 至 {_date_zh(last)} 晚" in zh, zh
        assert f"to the night of {last.strftime('%a %d %b %Y')}," in en, en
    assert "前一晚" not in zh and "night before" not in en
    assert "Guests per room" in en and "per unit" not in en


def _booked_manage(pages, lang="zh-CN", **form):  # noqa: F811
    quote_url = _quote(pages, lang, **form).headers["location"]
    r, _ = _book(pages, quote_url)
    assert r.status_code == 303, r.text[:300]
    pages.get("/manage")  # the first view, with the token
    return quote_url


@pytest.mark.parametrize(
    "lang, plain, jargon",
    [
        ("zh-CN", ("到店付款：", "加入手机日历", "预订优惠"), ("离线模式", ".ics", "预定")),
        ("en", ("Pay at the property:", "Add to my phone's calendar"), ("Offline", ".ics")),
    ],
)
def test_the_booking_and_its_price_are_said_without_jargon(pages, lang, plain, jargon):  # noqa: F811
    """Paying at the property said plainly (was "离线模式：…" / "Offline mode: …"), the
    calendar link without its file extension, and booking is 预订 (the advance-booking
    discount of a stay 60 days ahead was 预定优惠)."""
    quote_url = _booked_manage(pages, lang)
    shown = _text(pages.get("/manage", headers={"Accept-Language": lang}).text)
    shown += _text(pages.get(quote_url, headers={"Accept-Language": lang}).text)
    shown += _text(pages.get("/", headers={"Accept-Language": lang}).text)
    for words in plain:
        assert words in shown, words
    for words in jargon:
        assert words not in shown, words
