"""The top menu marks the section each traveller page belongs to, once, with
``aria-current="page"``: the destinations section for a destination, a product, its
quote and its book form (refused or not), the planner's, my booking's for a booking and
its cancellation. TestClient on both databases, the demo catalogue."""

import re

from tests.service.test_pages_trip import PRODUCT, _book, pages_db  # noqa: F401
from tests.service.test_pages_trip_states import _quote, pages  # noqa: F401


def marked(page: str) -> list[str]:
    nav = re.search(r"<nav aria-label=[^>]*>(.*?)</nav>", page, re.S).group(1)
    return re.findall(r'<a href="([^"]*)" aria-current="page"', nav)


def test_every_traveller_page_marks_its_section(pages):  # noqa: F811
    for path, section in [
        ("/", "/"),
        ("/destinations", "/destinations"),
        ("/destinations/changbaishan-north", "/destinations"),
        (f"/products/{PRODUCT}", "/destinations"),
        ("/plan", "/plan"),
        ("/manage", "/manage"),
    ]:
        assert marked(pages.get(path).text) == [section], path
    quote_url = _quote(pages).headers["location"]
    assert marked(pages.get(quote_url).text) == ["/destinations"]
    assert marked(pages.get(quote_url + "/book").text) == ["/destinations"]
    refused = _quote(pages, guests="99")
    assert refused.status_code == 422 and marked(refused.text) == ["/destinations"]
    r, _ = _book(pages, quote_url, consent="")
    assert r.status_code == 422 and marked(r.text) == ["/destinations"]
    r, _ = _book(pages, quote_url)
    assert r.status_code == 303
    assert marked(pages.get(r.headers["location"]).text) == ["/manage"]
    assert marked(pages.get("/manage/cancel").text) == ["/manage"]
