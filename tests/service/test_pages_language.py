"""A page says its own language: a zh-CN page shows no English word and an English page
no Chinese, outside what is the same in both (brand names, codes, units) and what
people typed (names). Every traveller page and the console's main pages are walked in
one trip: a quote with a stub it does not use, a booking, its cancellation, a season
added in the console (an audit entry)."""

import re
from datetime import UTC, datetime, timedelta
from html import unescape

import pytest
from fastapi.testclient import TestClient

from service.app import create_app
from service.clock import Clock
from service.operators.demo import DEMO_PASSWORD, load_demo_operators
from tests.service.booking_support import without_anonymous_caps
from tests.service.test_pages_trip import PRODUCT, csrf, pages_db  # noqa: F401 (a fixture)
from tests.support import payments
from tests.support.console import log_in

# Words that are the same in both languages: names of things that have no other name
# (Stripe; Excel, CSV and PDF files) and units.
SAME_IN_BOTH = {"Stripe", "CSV", "Excel", "PDF", "km"}
# Chinese kept in English text on purpose: the official terms, glossed (明码标价,
# 备案价), and what was typed (people's names): this test's, and those of the tests
# that book in the same kept pages database before it (the Stripe pages' lead, whose
# booking the console's list shows too).
GLOSSES = {"明码标价", "备案价"}
TYPED = {"王秀兰", "李建国", payments.LEAD["name"]}

_HIDDEN = re.compile(
    r"<(script|style|textarea|pre|code)\b.*?</\1>"  # not words of the page's language
    r'|<a class="lang-switch".*?</a>'  # the switch says the other language, in it
    r'|<button type="submit" class="lang-switch".*?</button>'  # (posting a form again)
    r'|<(\w+)[^>]*\bid="booking-token"[^>]*>.*?</\2>'  # a random token
    r'|<span\b[^>]*\blang="[^"]+"[^>]*>.*?</span>',  # text marked as of its own language
    re.S,
)
_SAID_ATTRIBUTES = re.compile(r'\b(?:aria-label|title|alt|placeholder)="([^"]*)"')
# A run of the characters codes are written with (references, logins, slugs, file
# names, dates); a run with anything but letters is a code, not a word. Except on a
# traveller's page, which shows no slug: there lower-case words joined by hyphens are
# words (a slug shown where a name belongs), each checked; a reference (JL-7K3Q9M) is
# upper case. The console shows codes (a pack's, a rule's, a login) beside names.
_RUN = re.compile(r"[A-Za-z0-9_./@:+-]+")
_HYPHENATED = re.compile(r"[a-z]+(?:-[a-z]+)+")


def said(html: str) -> str:
    """The words a page says: its text and the attributes read out, without markup."""
    html = _HIDDEN.sub(" ", html)
    spoken = " ".join(_SAID_ATTRIBUTES.findall(html))
    return unescape(re.sub(r"<[^>]+>", " ", html) + " " + spoken)


def english_words(text: str, *, slugs_are_words: bool = False) -> set[str]:
    runs = _RUN.findall(text)
    words = {r for r in runs if r.isalpha()}
    if slugs_are_words:
        words |= {w for r in runs if _HYPHENATED.fullmatch(r) for w in r.split("-")}
    return {w for w in words if len(w) > 1} - SAME_IN_BOTH


def chinese_words(text: str) -> set[str]:
    found = set(re.findall(r"[\u3400-\u9fff]+", text))
    return {w for w in found if not any(w in keep for keep in GLOSSES | TYPED)}


def _walk(client: TestClient, lang: str) -> tuple[dict[str, str], set[str]]:
    """Every page of a visit, by name: the traveller's trip, then the console; and the
    names of the traveller's pages."""
    client.cookies.set("lang", lang)
    pages: dict[str, str] = {}

    def get(name: str, path: str, status: int = 200) -> str:
        r = client.get(path)
        assert r.status_code == status, (path, r.status_code)
        pages[name] = r.text
        return r.text

    def post(name: str, path: str, data: dict, form: str) -> str:
        r = client.post(path, data={"csrf_token": csrf(form), **data}, follow_redirects=False)
        pages[name] = r.text
        return r.headers.get("location", "")

    get("home", "/")
    get("destinations", "/destinations?theme=nowhere&hospital_km=3", 422)
    get("destination", "/destinations/changbaishan-north")
    product = get("product", f"/products/{PRODUCT}")
    get("plan", "/plan")
    start = Clock().today() + timedelta(days=120)
    get("plans", f"/plan?start={start}&end={start + timedelta(days=40)}&nights=28&guests=2")
    window = f"start={start}&end={start + timedelta(days=49)}&guests=2"
    get("plan-route", f"/plan?{window}&route=changbai-forest-corridor")
    check_in = (Clock().today() + timedelta(days=60)).isoformat()
    stay = {"check_in": check_in, "nights": "14", "guests": "2", "units": "1"}
    post("product-errors", f"/products/{PRODUCT}/quote", {**stay, "guests": "9"}, product)
    quote = post(
        "quoted",
        f"/products/{PRODUCT}/quote",
        {**stay, "packs": ["1", "3"], "stubs": "CBN-0001"},
        product,
    )
    get("quote", quote)
    book = get("book", quote + "/book")
    post("book-errors", quote + "/book", {"lead_phone": "12"}, book)
    key = re.search(r'name="idempotency_key" value="([^"]+)"', book).group(1)
    person = {"lead_name": "王秀兰", "lead_phone": "13912345678", "guest_0": "李建国"}
    post("booked", quote + "/book", {**person, "consent": "yes", "idempotency_key": key}, book)
    get("manage-fresh", "/manage")
    get("manage", "/manage")
    get("quote-booked", quote)
    get("book-booked", quote + "/book")
    get("survey", "/manage/survey")
    preview = get("cancel", "/manage/cancel")
    key = re.search(r'name="idempotency_key" value="([^"]+)"', preview).group(1)
    post("cancelled", "/manage/cancel", {"idempotency_key": key}, preview)
    get("manage-cancelled", "/manage")
    get("not-found", "/destinations/nowhere", 404)

    traveller = set(pages)
    assert log_in(client, "demo-changbaishan-north", DEMO_PASSWORD).status_code == 303
    for path in ("/console", "/console/calendar", "/console/products", "/console/packs",
                 "/console/rules", "/console/stubs", "/console/bookings",
                 "/console/destinations", "/console/reports"):  # fmt: skip
        get(path, path)
    product_page = re.search(r'href="(/console/products/\d+)"', pages["/console/products"])[1]
    page = get("console-product", product_page)
    season = {
        "new_name_zh": "新年",
        "new_name_en": "New year",
        "new_start_date": "2099-01-01",
        "new_end_date": "2099-01-08",
        "new_nightly_rate_fen": "300",
    }
    post("season-added", product_page + "/seasons", season, page)
    get("console-product-season", product_page)
    get("audit", "/console/audit")
    reference = re.search(r'id="booking-reference"><strong>([^<]+)', pages["manage-fresh"])[1]
    get("console-booking", f"/console/bookings/{reference}")
    destination = re.search(r'href="(/console/destinations/\d+)"', pages["/console/destinations"])
    get("console-destination", destination[1])
    get("console-pack", re.search(r'href="(/console/packs/\d+)"', pages["/console/packs"])[1])

    client.post("/console/logout", data={"csrf_token": csrf(pages["audit"])})
    assert log_in(client, "demo-province", DEMO_PASSWORD).status_code == 303
    get("province-rules", "/console/rules")
    get("province-rule", re.search(r'href="(/console/rules/\d+)"', pages["province-rules"])[1])
    reports = get("province-reports", "/console/reports")
    get("evaluation", re.search(r'href="(/console/evaluation/[^"]+)"', reports)[1])
    return pages, traveller


@pytest.fixture
def walker(pages_db):  # noqa: F811 (the fixture imported above)
    with pages_db.write_session() as s:
        load_demo_operators(s, env="test", now=datetime.now(UTC))
        s.commit()
    # TestClient's one address books in a database other tests booked in: the anonymous
    # caps (their own tests: test_bookings_anonymous_holds.py) must not refuse the walk.
    settings = without_anonymous_caps(pages_db.settings)
    with TestClient(create_app(settings, database=pages_db), raise_server_exceptions=False) as c:
        yield c


def test_zh_cn_pages_show_no_english_words(walker):
    pages, traveller = _walk(walker, "zh-CN")
    stray = {
        name: english_words(said(html), slugs_are_words=name in traveller)
        for name, html in pages.items()
    }
    assert {name: words for name, words in stray.items() if words} == {}


def test_english_pages_show_no_chinese_words(walker):
    pages, _ = _walk(walker, "en")
    stray = {name: chinese_words(said(html)) for name, html in pages.items()}
    assert {name: words for name, words in stray.items() if words} == {}


def test_the_checks_see_a_stray_word():
    assert english_words(said("<p>取消方 traveller</p>")) == {"traveller"}
    assert english_words(said('<p title="cancel">预订 JL-ABC123 · 2027-01-01 · 5 km</p>')) == {
        "cancel"
    }
    slug = said("<p>按精品线路规划：changbai-forest-corridor · 预订号 JL-ABCDEF</p>")
    assert english_words(slug) == set()
    assert english_words(slug, slugs_are_words=True) == {"changbai", "forest", "corridor"}
    assert chinese_words(said("<p>Status 已取消 · Filed price 备案价 · 王秀兰</p>")) == {"已取消"}
