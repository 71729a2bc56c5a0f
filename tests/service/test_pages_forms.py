"""The traveller forms after a refusal: the language switch posts the same form again
(no 405, nothing typed lost). TestClient on both databases, the demo catalogue."""

import html as markup
import re
from urllib.parse import urlencode

import sqlalchemy as sa
from fastapi.testclient import TestClient

from service.app import create_app
from tests.service.test_pages_trip import PRODUCT, csrf, field_error, pages_db  # noqa: F401
from tests.service.test_pages_trip_states import _quote, _summary, pages  # noqa: F401

FORM = "application/x-www-form-urlencoded"


def switch_form(page: str) -> tuple[str, list[tuple[str, str]]] | None:
    """The language switch of a page made in answer to a form: its address and fields."""
    found = re.search(
        r'<form class="lang-switch-form" method="post" action="([^"]+)">(.*?)</form>', page, re.S
    )
    if found is None:
        return None
    fields = re.findall(r'<input type="hidden" value="([^"]*)" name="([^"]*)">', found.group(2))
    return markup.unescape(found.group(1)), [
        (markup.unescape(n), markup.unescape(v)) for v, n in fields
    ]


def switch(client, page: str, **kwargs):
    """Press the language switch of ``page`` (a form posted again, as a browser sends it:
    its fields in order, the 307 followed with the same body)."""
    action, fields = switch_form(page)
    body = urlencode(fields).encode()
    return client.post(action, content=body, headers={"content-type": FORM}, **kwargs)


def switch_link(page: str) -> str | None:
    found = re.search(r'<a class="lang-switch" href="([^"]+)"', page)
    return markup.unescape(found.group(1)) if found else None


# --- the language switch of a page made in answer to a form ------------------------------


def test_a_refused_quote_form_switches_language_with_what_was_typed(pages):  # noqa: F811
    page = pages.get(f"/products/{PRODUCT}").text
    data = {"csrf_token": csrf(page), "check_in": "", "nights": "14", "guests": "2",
            "units": "1", "stubs": "ZZ-NOPE"}  # fmt: skip
    r = pages.post(f"/products/{PRODUCT}/quote", data=data)
    assert r.status_code == 422 and '<html lang="zh-CN">' in r.text
    assert field_error(r.text, "check_in") == "错误：请填写此项。"
    assert switch_link(r.text) is None  # not a link to the POST's address (a 405)
    action, fields = switch_form(r.text)
    assert action == f"/lang/en?next=/products/{PRODUCT}/quote"
    assert fields == list(data.items())  # as sent, the CSRF token included

    moved = switch(pages, r.text, follow_redirects=False)
    assert moved.status_code == 307 and moved.headers["location"] == f"/products/{PRODUCT}/quote"
    assert "lang=en" in moved.headers["set-cookie"]
    english = switch(pages, r.text)
    assert english.status_code == 422 and '<html lang="en">' in english.text
    assert field_error(english.text, "check_in") == "Error: Please fill this in."
    assert 'name="stubs" value="ZZ-NOPE"' in english.text
    assert 'id="guests" name="guests" value="2"' in english.text
    back = switch(pages, english.text)  # and back again, as often as wanted
    assert '<html lang="zh-CN">' in back.text
    assert field_error(back.text, "check_in") == "错误：请填写此项。"


def test_a_chosen_plan_refused_switches_language(pages):  # noqa: F811
    page = pages.get(f"/products/{PRODUCT}").text
    r = pages.post("/plan/choose", data={"csrf_token": csrf(page), "quote_request": "{}"})
    assert r.status_code == 422 and switch_form(r.text)[0] == "/lang/en?next=/plan/choose"
    english = switch(pages, r.text)
    assert english.status_code == 422 and '<html lang="en">' in english.text
    assert "Something in the link is not right" in english.text


def test_a_refused_sign_in_switches_language_with_the_reference_and_token(pages):  # noqa: F811
    page = pages.get("/manage").text
    data = {"csrf_token": csrf(page), "reference": "JL-7K3Q9M", "token": "7KQ2-NOPE"}
    r = pages.post("/manage", data=data)
    assert r.status_code == 422
    english = switch(pages, r.text)
    assert english.status_code == 422 and '<html lang="en">' in english.text
    assert 'name="reference" type="text" value="JL-7K3Q9M"' in english.text
    assert 'name="token" type="text" value="7KQ2-NOPE"' in english.text
    assert "7KQ2-NOPE" not in "".join(str(s.url) for s in english.history)  # never an address


def test_a_refused_booking_switches_language_by_replaying_its_refusal(pages_db):  # noqa: F811
    """The book form sent again with its idempotency key and the same body replays the
    refusal recorded for it (the same answer, now in English), and books nothing: the
    switch posts exactly what was sent."""
    assert pages_db.settings.max_anonymous_units_held_per_address == 6
    with TestClient(create_app(pages_db.settings, database=pages_db)) as client:
        client.cookies.set("lang", "zh-CN")
        location = _quote(client, "zh-CN", units="7", guests="7").headers["location"]
        page = client.get(location + "/book").text
        key = re.search(r'name="idempotency_key" value="([^"]+)"', page).group(1)
        data = {"csrf_token": csrf(page), "idempotency_key": key, "lead_name": "王秀兰",
                "lead_phone": "13912345678", "consent": "yes"}  # fmt: skip
        for i in range(6):
            data[f"guest_{i}"] = f"客人{i}"
        r = client.post(location + "/book", data=data)
        assert r.status_code == 409 and "这次预订同时需要 7 间房" in _summary(r.text)
        with pages_db.session() as s:
            count = s.execute(sa.text("SELECT count(*) FROM booking")).scalar_one()
        english = switch(client, r.text)
        assert english.status_code == 409 and '<html lang="en">' in english.text
        assert "This booking needs 7 rooms at once" in _summary(english.text)
        assert 'name="lead_name" type="text" value="王秀兰"' in english.text
        assert 'name="guest_5" type="text" value="客人5"' in english.text
        with pages_db.session() as s:
            assert s.execute(sa.text("SELECT count(*) FROM booking")).scalar_one() == count


def test_a_post_never_read_switches_to_its_get_page(pages):  # noqa: F811
    """A form refused before it is read (no CSRF token) has nothing to post again: the
    switch leads to its address's GET page where there is one, else home."""
    r = pages.post("/manage", data={"reference": "JL-7K3Q9M"})
    assert r.status_code == 403 and switch_form(r.text) is None
    assert switch_link(r.text) == "/lang/en?next=/manage"
    r = pages.post(f"/products/{PRODUCT}/quote", data={"check_in": ""})
    assert r.status_code == 403 and switch_link(r.text) == "/lang/en?next=/"


def test_the_switch_posts_only_with_this_visitors_csrf_token(pages):  # noqa: F811
    r = pages.post(f"/lang/en?next=/products/{PRODUCT}/quote", data={"check_in": ""})
    assert r.status_code == 403
    r = pages.post("/lang/xx?next=/manage", data={"csrf_token": csrf(pages.get("/manage").text)})
    assert r.status_code == 422 and switch_link(r.text) == "/lang/en?next=/"


# --- the console shares the layout, and the mechanism ----------------------------------


def test_a_console_preview_switches_language_by_posting_it_again(db, client):
    """The calendar's preview only reads (``web.only_reads``): its switch posts the edit
    again; a batch of ticket stubs issued (a write answered with a page) switches to the
    stubs page instead, and issues nothing more; a refused login is posted again without
    its password."""
    from datetime import timedelta

    from catalog.models import Destination
    from tests.factories import make_issuer
    from tests.support.console import csrf_of, log_in
    from tests.support.operators import FIRST, world

    w = world(db)
    with db.write_session() as s:
        issuer = make_issuer(s, destination=s.get(Destination, w.a.destination_id)).id
        s.commit()
    refused = log_in(client, w.a.admin.login, password="wrong")
    assert refused.status_code >= 400
    assert [n for n, _ in switch_form(refused.text)[1]] == ["login", "next", "csrf_token"]
    log_in(client, w.a.admin.login)
    token = csrf_of(client.get("/console/calendar").text)
    edit = {"product_ids": str(w.a.product_id), "edit_from": FIRST.isoformat(),
            "edit_to": (FIRST + timedelta(days=6)).isoformat(), "units": "7",
            "weekdays": [str(d) for d in range(1, 8)],
            "csrf_token": token}  # fmt: skip
    r = client.post("/console/calendar/preview", data=edit)
    assert r.status_code == 200 and "7 格将修改" in r.text
    english = switch(client, r.text)
    assert english.status_code == 200 and '<html lang="en">' in english.text
    assert "7 will change" in english.text, english.text

    stubs = {"issuer_id": str(issuer), "count": "2", "visit_date": FIRST.isoformat(),
             "persons": "2", "csrf_token": token}  # fmt: skip
    r = client.post("/console/stubs", data=stubs)
    assert r.status_code == 200 and len(re.findall(r"<code>(STUB-[A-Z0-9]+)</code>", r.text)) == 2
    assert switch_form(r.text) is None
    assert switch_link(r.text) == "/lang/zh-CN?next=/console/stubs"
