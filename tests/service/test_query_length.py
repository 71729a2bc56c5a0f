"""A query string longer than ``Settings.max_query_bytes`` (2,048 bytes) is refused
before routing: a page gets the 414 page in its language (the address it repeats is the
path alone), the API its problem document with the code ``uri_too_long``; nothing is
rendered, cached or kept for it. TestClient on both databases."""

import pytest

from service.pages import web
from tests.service.test_pages_trip import pages, pages_db  # noqa: F401

LONG = "x" * 60_000


@pytest.mark.parametrize(
    "lang, words",
    [
        ("zh-CN", "这个网址太长了"),
        ("en", "This web address is too long"),
    ],
)
def test_a_page_with_a_long_query_is_a_short_414_page_in_its_language(pages, lang, words):  # noqa: F811
    cached = web.pages_for(pages.app.state.db.engine)
    before = len(cached)
    r = pages.get(f"/destinations?theme={LONG}", headers={"Accept-Language": lang})
    assert r.status_code == 414
    assert r.headers["content-type"].startswith("text/html")
    assert f'<html lang="{lang}">' in r.text and words in r.text
    assert "xxxxxxxxxx" not in r.text and len(r.content) < 20_000
    assert "next=/destinations" in r.text.replace("%2F", "/")  # the switch: the path alone
    assert len(cached) == before  # nothing rendered into the catalogue page cache


def test_a_query_at_the_limit_is_still_a_page(pages):  # noqa: F811
    limit = pages.app.state.settings.max_query_bytes
    query = "theme=hot_spring&q=" + "y" * (limit - len("theme=hot_spring&q="))
    assert len(query) == limit
    assert pages.get(f"/destinations?{query}").status_code == 200
    assert pages.get(f"/destinations?{query}z").status_code == 414


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_the_api_answers_a_long_query_with_a_problem(pages, lang):  # noqa: F811
    r = pages.get(f"/v1/destinations?theme={LONG}", headers={"Accept-Language": lang})
    assert r.status_code == 414
    assert r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    assert body["code"] == "uri_too_long" and body["field"] == "query"
    assert r.headers["content-language"] == lang
