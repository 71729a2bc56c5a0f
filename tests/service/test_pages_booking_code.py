"""The code that opens a booking on another device (its reference and token) stays on
/manage for whoever holds the booking cookie on this device: a reload, a language switch
or coming back later never loses it, where it was once shown only on the first view. It
never goes into a URL, a log or a kept body (the body kept for the views after holds a
placeholder; each response gets the visitor's token from their cookie), and the page is
not stored by any cache. TestClient on both databases, the demo catalogue."""

import logging
import re

import pytest

from service.pages import manage, web
from tests.service.test_pages_trip import _book, csrf, open_with_form, pages_db  # noqa: F401
from tests.service.test_pages_trip_states import _quote, pages  # noqa: F401

BOOKED = {"zh-CN": "预订成功！", "en": "You are booked!"}


def _code(html: str) -> tuple[str, str] | None:
    found = re.search(
        r'<details class="booking-code" id="booking-code"( open)?>.*?'
        r'id="booking-reference"><strong>([^<]+)</strong>.*?'
        r'id="booking-token"><strong>([^<]+)</strong>.*?</details>',
        html,
        re.S,
    )
    return (found.group(2), found.group(3), bool(found.group(1))) if found else None


def _booked(client, lang: str):
    """A booking made on the pages, in ``lang``: the redirect and its first view."""
    client.cookies.set("lang", lang)
    r, _ = _book(client, _quote(client, lang).headers["location"])
    assert r.status_code == 303 and r.headers["location"] == "/manage"
    return r, client.get("/manage")


@pytest.mark.parametrize("lang, other", [("zh-CN", "en"), ("en", "zh-CN")])
def test_the_code_survives_a_reload_and_a_language_switch(pages, lang, other):  # noqa: F811
    made, first = _booked(pages, lang)
    reference, token, opened = _code(first.text)
    assert opened and BOOKED[lang] in first.text  # the first view: said, and shown
    assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){4}", token)
    api = pages.get(f"/v1/bookings/{reference}", headers={"X-Booking-Token": token})
    assert api.status_code == 200  # the code shown opens the booking

    again = pages.get("/manage").text  # a reload: kept now, the code folded, not lost
    assert _code(again) == (reference, token, False) and BOOKED[lang] not in again
    assert _code(pages.get("/manage").text) == (reference, token, False)  # served kept

    switch = re.search(r'class="lang-switch" href="([^"]+)"', again).group(1)
    assert switch == "/lang/" + other + "?next=/manage"
    switched = pages.get(switch)  # the language link, as tapped: back to /manage
    assert switched.status_code == 200 and f'<html lang="{other}">' in switched.text
    assert _code(switched.text) == (reference, token, False)
    back = pages.get(f"/lang/{lang}?next=/manage").text
    assert _code(back) == (reference, token, False)

    # never in an address: not the redirects', not a link's or a form's
    for response in (made, first, switched):
        for step in [*response.history, response]:
            assert token not in step.headers.get("location", "")
    for html in (first.text, again, switched.text):
        assert not re.search(rf'(href|action|src)="[^"]*{re.escape(token)}', html)


def test_the_manage_page_is_stored_by_no_cache(pages):  # noqa: F811
    _, first = _booked(pages, "zh-CN")
    for response in (first, pages.get("/manage"), pages.get("/manage")):
        assert response.headers["cache-control"] == "no-store"
        assert "Cookie" in response.headers["vary"]
        assert "etag" not in response.headers


def test_the_kept_body_holds_a_placeholder_and_each_visitor_gets_their_own_token(
    pages,  # noqa: F811
    pages_db,  # noqa: F811
):
    """The kept page is keyed by the token's digest and holds no token: what a visitor is
    answered with is filled from their own cookie. Another way in with the same booking
    (signed in with the token typed in lower case, without dashes) reads the token as
    that visitor holds it, never another's."""
    _, first = _booked(pages, "zh-CN")
    reference, token, _ = _code(first.text)
    pages.get("/manage")  # kept
    kept = web.visitor_pages_for(pages_db.engine)
    bodies = [v.body for v in kept._entries.values() if isinstance(v, web.Kept)]
    assert any(manage.TOKEN_PLACEHOLDER.encode() in b for b in bodies)
    assert not any(token.encode() in b for b in bodies)

    typed = token.replace("-", "").lower()
    other = pages.__class__(pages.app, raise_server_exceptions=False)
    other.cookies.set("lang", "zh-CN")
    assert open_with_form(other, reference, typed).status_code == 303
    assert _code(other.get("/manage").text) == (reference, typed, False)
    assert _code(other.get("/manage").text) == (reference, typed, False)  # kept
    assert _code(pages.get("/manage").text) == (reference, token, False)


def test_the_token_is_never_logged(pages, caplog):  # noqa: F811
    with caplog.at_level(logging.DEBUG):
        _, first = _booked(pages, "en")
        _, token, _ = _code(first.text)
        pages.get("/manage")
        pages.get("/lang/zh-CN?next=/manage")
    assert caplog.records  # the requests were logged
    assert not [r for r in caplog.records if token in f"{r.getMessage()} {r.__dict__}"]


def test_forgetting_the_booking_takes_the_code_off_this_device(pages):  # noqa: F811
    _, first = _booked(pages, "zh-CN")
    _, token, _ = _code(first.text)
    html = pages.get("/manage").text
    r = pages.post("/manage/forget", data={"csrf_token": csrf(html)})
    assert r.status_code == 200 and 'name="token"' in r.text  # the sign-in form
    assert token not in r.text and "booking-code" not in r.text
