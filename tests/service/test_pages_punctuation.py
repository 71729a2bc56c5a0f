"""Every page in English joins its pieces with English punctuation and counts in
English: no full-width mark (：，（）；、) touching Latin text or a number (names and other
data in Chinese keep theirs), no "unit(s)", no "1 nights"."""

import re
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

from service.clock import Clock
from service.operators.demo import DEMO_PASSWORD, load_demo_operators
from tests.service.test_pages_trip import PRODUCT, _book, _quote, pages, pages_db  # noqa: F401
from tests.support.console import log_in

# A full-width mark next to a Latin letter, a digit or money: glue a template put there.
_GLUE = re.compile(r"[A-Za-z0-9)][：，（）；、]|[：，（）；、][A-Za-z0-9(¥]")
_COUNTS = re.compile(r"\(s\)|\b1 (nights|guests|units|riders|places|stays|days|cells)\b")


def _problems(html: str) -> list[str]:
    text = re.sub(r"<[^>]+>", "", html)
    return sorted({m.group(0) for m in _GLUE.finditer(text)}) + sorted(
        {m.group(0) for m in _COUNTS.finditer(text)}
    )


def _plan_url() -> str:
    start = Clock().today() + timedelta(days=90)
    params = {
        "start": start.isoformat(),
        "end": (start + timedelta(days=35)).isoformat(),
        "nights": "28",
        "guests": "2",
        "max_stays": "2",
        "packs": "therapy",
    }
    return "/plan?" + urlencode(params)


def test_every_page_in_english_has_english_punctuation_and_plurals(pages, pages_db):  # noqa: F811
    with pages_db.write_session() as s:
        load_demo_operators(s, env="test", now=datetime.now(UTC))
        s.commit()
    quote_url = _quote(pages, "en", packs=["3"], units="1").headers["location"]
    assert _book(pages, quote_url)[0].status_code == 303
    reference = re.search(r'id="booking-reference"><strong>([^<]+)', pages.get("/manage").text)
    pages.cookies.set("lang", "en")
    traveller = [
        "/",
        "/destinations",
        "/destinations/yanji",
        "/destinations/changbaishan-north",
        f"/products/{PRODUCT}",
        quote_url,
        quote_url + "/book",
        "/manage",
        "/manage/cancel",
        _plan_url(),
    ]
    assert log_in(pages, "demo-province", DEMO_PASSWORD).status_code == 303
    console = [
        "/console",
        "/console/bookings",
        f"/console/bookings/{reference.group(1)}",
        "/console/products",
        "/console/products/1",
        "/console/packs",
        "/console/packs/1",
        "/console/calendar",
        "/console/rules",
        "/console/stubs",
        "/console/destinations",
        "/console/destinations/1",
        "/console/reports",
        "/console/evaluation/1?year=2026",
        "/console/audit",
        "/console/arrivals",
    ]
    found = {}
    for path in traveller + console:
        r = pages.get(path)
        assert r.status_code == 200 and '<html lang="en">' in r.text, path
        if problems := _problems(r.text):
            found[path] = problems
    assert found == {}
