# ruff: noqa: F811 (pages, pages_db: fixtures imported from test_pages_trip)
"""A page's address may say its language: ``?lang=en`` or ``?lang=zh-CN`` (any case) opens
that view in it, whatever the visitor's cookie or ``Accept-Language`` (a partner's link,
the mini-program's). It was ignored silently. The language asked is kept in the ``lang``
cookie, so the visitor goes on in it (the links and forms of the page); a ``lang``
we do not speak is ignored as any parameter a page does not read (the usual
negotiation); given twice, the address is refused as any repeated page parameter is. The
catalogue pages' cache keeps each language apart, and the language switch of such a page
leads back to the address without its ``lang``. Both databases."""

import re

import pytest

from tests.service.test_pages_trip import PRODUCT, pages, pages_db  # noqa: F401

PATHS = ["/", f"/products/{PRODUCT}", "/destinations", "/plan"]


def _lang_of(r) -> str:
    assert r.status_code == 200, r.text[:300]
    said = re.search(r'<html lang="([^"]+)">', r.text).group(1)
    assert r.headers["content-language"] == said
    return said


@pytest.mark.parametrize("path", PATHS)
def test_lang_in_the_address_opens_the_page_in_it_over_accept_language(pages, path):
    glue = "&" if "?" in path else "?"
    for asked, header, lang in (
        ("en", "zh-CN", "en"),
        ("zh-CN", "en", "zh-CN"),
        ("EN", "zh-CN", "en"),
        ("zh-cn", "en", "zh-CN"),
    ):
        try:
            r = pages.get(f"{path}{glue}lang={asked}", headers={"Accept-Language": header})
            assert _lang_of(r) == lang, (path, asked)
            assert pages.cookies.get("lang") == lang  # kept for the pages after
        finally:
            pages.cookies.clear()
    # and, without it, the visitor's own language as before, with no cookie set
    r = pages.get(path, headers={"Accept-Language": "en"})
    assert _lang_of(r) == "en"
    assert "lang=" not in r.headers.get("set-cookie", "")


def test_lang_in_the_address_wins_over_the_cookie_and_the_visitor_goes_on_in_it(pages):
    path = f"/products/{PRODUCT}"
    pages.get("/lang/zh-CN", follow_redirects=False)  # the visitor chose Chinese
    try:
        assert pages.cookies.get("lang") == "zh-CN"
        assert _lang_of(pages.get(path + "?lang=en")) == "en"
        assert pages.cookies.get("lang") == "en"
        # the next page, without the parameter, is in the language the link asked for
        assert _lang_of(pages.get("/destinations", headers={"Accept-Language": "zh-CN"})) == "en"
        # a link in the language already kept sets nothing again
        r = pages.get(path + "?lang=en")
        assert _lang_of(r) == "en" and "lang=" not in r.headers.get("set-cookie", "")
    finally:
        pages.cookies.clear()


def test_the_cached_page_of_each_language_is_kept_apart(pages):
    path = f"/products/{PRODUCT}"
    zh = {"Accept-Language": "zh-CN"}

    def first_view(address: str, headers: dict) -> str:
        try:
            return _lang_of(pages.get(address, headers=headers))
        finally:
            pages.cookies.clear()  # each view a new visitor's: no lang kept from the last

    for _ in range(2):  # the second round from the cache
        assert first_view(path, zh) == "zh-CN"
        assert first_view(path + "?lang=en", zh) == "en"
        assert first_view("/destinations?lang=en", zh) == "en"
        assert first_view("/destinations", zh) == "zh-CN"
    # A tag of the Chinese page is not the English one's: no 304 in the wrong language.
    tag = pages.get("/destinations", headers=zh).headers["etag"]
    assert first_view("/destinations?lang=en", {**zh, "If-None-Match": tag}) == "en"


@pytest.mark.parametrize("asked", ["fr", "", "zh", "en-US,zh-CN"])
def test_a_lang_we_do_not_speak_leaves_the_usual_language(pages, asked):
    for header in ("en", "zh-CN"):
        r = pages.get(f"/destinations?lang={asked}", headers={"Accept-Language": header})
        assert _lang_of(r) == header
        assert "lang=" not in r.headers.get("set-cookie", "")


def test_lang_given_twice_is_the_pages_repeated_parameter_refusal(pages):
    r = pages.get("/destinations?lang=en&lang=zh-CN", headers={"Accept-Language": "en"})
    assert r.status_code == 422
    assert "more than one value for" in r.text


def test_the_language_switch_of_such_a_page_leads_back_without_its_lang(pages):
    r = pages.get(f"/products/{PRODUCT}?lang=en", headers={"Accept-Language": "en"})
    switch = re.search(r'class="lang-switch" href="([^"]+)"', r.text).group(1)
    assert switch.startswith("/lang/zh-CN?next=")
    try:
        moved = pages.get(switch.replace("&amp;", "&"), follow_redirects=False)
        assert moved.status_code == 303
        assert moved.headers["location"] == f"/products/{PRODUCT}"
        assert pages.cookies.get("lang") == "zh-CN"
        back = pages.get(moved.headers["location"], headers={"Accept-Language": "en"})
        assert _lang_of(back) == "zh-CN"
    finally:
        pages.cookies.clear()
    # other parameters of the address are kept
    moved = pages.get(
        "/lang/en?next=/destinations%3Flang%3Dzh-CN%26theme%3Dx", follow_redirects=False
    )
    assert moved.headers["location"] == "/destinations?theme=x"
    pages.cookies.clear()


def test_the_api_still_refuses_lang_as_an_unknown_parameter(pages):
    r = pages.get("/v1/destinations?lang=en")
    assert (r.status_code, r.json()["code"], r.json()["field"]) == (
        422,
        "unknown_parameter",
        "lang",
    )
