"""What the traveller pages say, on both databases with the demo catalogue: a curated
route's link plans the nights its card says."""

import re
from html import unescape

from tests.service.test_pages_trip import pages, pages_db  # noqa: F401


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
