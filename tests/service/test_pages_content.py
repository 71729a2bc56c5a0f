"""What the traveller pages say, on both databases with the demo catalogue: a curated
route's link plans the nights its card says; a season its last night; the booking
and its price without jargon."""

import re
from datetime import date, timedelta
from html import unescape

import pytest

from service.clock import Clock
from tests.service.test_pages_trip import PRODUCT, _book, _quote, pages, pages_db  # noqa: F401
from tests.support.pages import page_text


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
    plans = page_text(pages.get(unescape(href)).text)
    nights = routes[slug]["suggested_nights"]
    totals = re.findall(r"共 (\d+) 晚，\d+ 段住宿", plans)
    assert totals and set(totals) == {str(nights)}, plans[:2000]


def _date_zh(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日（周{'一二三四五六日'[d.weekday()]}）"


def test_a_season_says_its_last_night_and_a_room_takes_guests_per_room(pages):  # noqa: F811
    """ "至 2027年3月16日（周二）前一晚" / "until the night before Tue 16 Mar 2027": the
    season's end_date is the first night after it; the page says its last night (of the
    seasons with a night from today on, a running one from today: test_pages_seasons)."""
    product = pages.get(f"/v1/products/{PRODUCT}").json()
    zh = page_text(pages.get(f"/products/{PRODUCT}").text)
    en = page_text(pages.get(f"/products/{PRODUCT}", headers={"Accept-Language": "en"}).text)
    today = Clock().today()
    ahead = [s for s in product["seasons"] if date.fromisoformat(s["end_date"]) > today]
    assert ahead
    for s in ahead:
        start = max(date.fromisoformat(s["start_date"]), today)
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
    shown = page_text(pages.get("/manage", headers={"Accept-Language": lang}).text)
    shown += page_text(pages.get(quote_url, headers={"Accept-Language": lang}).text)
    shown += page_text(pages.get("/", headers={"Accept-Language": lang}).text)
    for words in plain:
        assert words in shown, words
    for words in jargon:
        assert words not in shown, words


def _shown(html: str) -> str:
    """The main text a sighted reader sees (no hidden table captions)."""
    main = re.search(r"<main[^>]*>(.*?)</main>", html, re.S).group(1)
    shown = re.sub(r'<caption class="visually-hidden">.*?</caption>', "", main, flags=re.S)
    return page_text(shown)


def _trip_quote(pages) -> dict:  # noqa: F811
    """Two stays (the cabin, then the hot-spring room with its therapy pack) and the
    transfer between them, quoted through the API as a partner's page would."""
    ids = {}
    for slug in (PRODUCT, "changbaishan-north-hot-spring-room"):
        ids[slug] = pages.get(f"/v1/products/{slug}").json()
    line = next(x for x in pages.get("/v1/transit-lines").json()["items"] if x["code"] == "L1")
    first = Clock().today() + timedelta(days=50)
    second = first + timedelta(days=7)
    pack = ids["changbaishan-north-hot-spring-room"]["packs"][0]
    body = {
        "items": [
            {
                "product_id": ids[PRODUCT]["id"],
                "check_in": first.isoformat(),
                "check_out": second.isoformat(),
                "guests": 2,
                "units": 1,
            },
            {
                "product_id": ids["changbaishan-north-hot-spring-room"]["id"],
                "check_in": second.isoformat(),
                "check_out": (second + timedelta(days=7)).isoformat(),
                "guests": 2,
                "units": 1,
                "pack_ids": [pack["id"]],
            },
        ],
        "legs": [{"line_id": line["id"], "travel_date": second.isoformat(), "riders": 2}],
    }
    r = pages.post("/v1/quotes", json=body)
    assert r.status_code == 201, r.text
    return r.json()


def test_each_stay_and_transfer_is_named_once_and_the_cap_is_no_line_of_the_total(pages):  # noqa: F811
    """The review: on a multi-stay quote every stay's name showed twice (its heading, its
    room line) and a transfer's three times; 住宿优惠上限 sat among the totals like a
    charge. Each is named once, and the limit is said with the discounts, as a limit."""
    quote = _trip_quote(pages)
    for lang in ("zh-CN", "en"):
        html = pages.get(f"/quotes/{quote['id']}", headers={"Accept-Language": lang}).text
        shown = _shown(html)
        zh = lang == "zh-CN"
        for item in quote["items"]:
            assert shown.count(item["product_name_zh" if zh else "product_name_en"]) == 1
        for leg in quote["legs"]:
            assert shown.count(leg["line_name_zh" if zh else "line_name_en"]) == 1
        cap = "住宿优惠上限" if zh else "Room-charge discount limit"
        assert f"<dt>{cap}</dt>" not in html
        for item in quote["items"]:
            said = re.search(rf'id="item-{item["index"]}-cap">([^<]+)<', html).group(1)
            amount = f"¥{item['cap_fen'] // 100:,}.{item['cap_fen'] % 100:02d}"
            assert cap in said and amount in said, said


def test_the_booking_shows_each_stays_packs_as_the_quote_explains_them(pages):  # noqa: F811
    """The review: the confirmation and my booking folded the hot-spring therapy pack
    (¥2,240.00) silently into one line that named only the room. They show each stay's
    lines as the quote page does (the same partial): the pack by name and amount."""
    quote = _trip_quote(pages)
    quote_page = _shown(pages.get(f"/quotes/{quote['id']}").text)
    r, _ = _book(pages, f"/quotes/{quote['id']}")
    assert r.status_code == 303, r.text[:300]
    packs = [ln for ln in quote["items"][1]["lines"] if ln["kind"] == "pack"]
    assert packs
    for view in ("confirmation", "kept"):
        html = pages.get("/manage").text
        assert ('id="booking-code" open' in html) == (view == "confirmation")
        shown = _shown(html)
        stay = shown[shown.index(quote["items"][1]["product_name_zh"]) :]
        for ln in packs:
            amount = f"¥{ln['amount_fen'] // 100:,}.{ln['amount_fen'] % 100:02d}"
            assert ln["label_zh"] in stay and amount in stay, ln
        # the same words as the quote page, stay by stay
        for item in quote["items"]:
            start = quote_page.index(item["product_name_zh"])
            assert quote_page[start : quote_page.index("此项应付", start)] in shown


def test_the_cancel_page_says_what_is_cancelled_before_its_button(pages):  # noqa: F811
    """ "如果现在取消预订 JL-2YA6SM：…" named only the reference: the page lists the stays
    (name, dates) and the transfer before the button, then the refund."""
    quote = _trip_quote(pages)
    assert _book(pages, f"/quotes/{quote['id']}")[0].status_code == 303
    pages.get("/manage")
    for lang in ("zh-CN", "en"):
        html = pages.get("/manage/cancel", headers={"Accept-Language": lang}).text
        listed = re.search(r'<ul class="stack trip" id="trip-list">(.*?)</ul>', html, re.S)
        assert listed and html.index('id="trip-list"') < html.index('type="submit"')
        words = page_text(listed.group(1))
        zh = lang == "zh-CN"
        for item in quote["items"]:
            check_in = date.fromisoformat(item["check_in"])
            day = _date_zh(check_in) if zh else check_in.strftime("%a %d %b %Y")
            assert item["product_name_zh" if zh else "product_name_en"] in words
            assert day in words, (day, words)
        leg = quote["legs"][0]
        assert leg["line_name_zh" if zh else "line_name_en"] in words
        assert "¥" not in words
        assert 'id="nothing-to-pay"' in html  # paid at the property: the refund said
