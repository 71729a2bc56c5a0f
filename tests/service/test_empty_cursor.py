"""An empty cursor (``?cursor=``) is the first page on every list, as no cursor is; the
destinations page says a cursor it did not issue in a traveller's words and shows the
first page. Both databases."""

import re

import pytest

from tests.service.booking_support import add_partner
from tests.service.test_pages_trip import pages, pages_db  # noqa: F401


def _listed_with_a_cursor(app) -> list[str]:
    return [
        path
        for path, ops in app.openapi()["paths"].items()
        if "{" not in path
        and "get" in ops
        and any(p["name"] == "cursor" for p in ops["get"].get("parameters", []))
    ]


def test_an_empty_cursor_is_the_first_page_on_every_list(client):
    paths = _listed_with_a_cursor(client.app)
    assert "/v1/products" in paths and "/v1/bookings" in paths and len(paths) > 5
    for path in paths:
        empty = client.get(f"{path}?cursor=")
        assert empty.json().get("code") != "invalid_cursor", (path, empty.text)
        assert empty.status_code == client.get(path).status_code, path
        if empty.status_code == 200:
            assert empty.json() == client.get(path).json(), path
    assert client.get("/v1/products?cursor=abc").json()["code"] == "invalid_cursor"


def test_the_feed_with_an_empty_cursor_starts_at_the_first_change(db, client):
    partner = add_partner(db, "ota-empty-cursor")
    r = client.get("/v1/bookings?cursor=", headers=partner.headers)
    assert r.status_code == 200, r.text
    assert r.json()["poll_cursor"] is None and r.json()["next"] is None


@pytest.mark.parametrize(
    "lang, words",
    [
        ("zh-CN", "这个列表链接已经过时，下面是列表的第一页。"),
        ("en", "That link to the list is out of date; here is the first page."),
    ],
)
@pytest.mark.parametrize("cursor", ["abc", "x" * 300, "WzFd" + "A"])
def test_a_list_link_out_of_date_shows_the_first_page_and_says_so(pages, lang, words, cursor):  # noqa: F811
    h = {"Accept-Language": lang}
    first = pages.get("/destinations", headers=h)
    r = pages.get(f"/destinations?cursor={cursor}", headers=h)
    assert r.status_code == 200, r.text
    assert words in r.text and "cursor" not in re.sub(r"<[^>]+>", "", r.text).lower()
    names = re.findall(r'href="/destinations/[^"]+"', r.text)
    assert names and names == re.findall(r'href="/destinations/[^"]+"', first.text)
    assert words not in first.text
    assert words not in pages.get("/destinations?cursor=", headers=h).text
