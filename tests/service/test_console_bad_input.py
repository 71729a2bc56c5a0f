"""Every console form answers ordinary bad input (an empty form, a field left empty,
letters where a number goes, a number too large for any column) with a 4xx page, never
a 500; the reported cases are a 422 with the page shown again and the error beside the
field, and nothing is written."""

import re
from datetime import time

from fastapi.routing import APIRoute, iter_route_contexts

from tests.service.test_console_sales import _rule
from tests.service.test_operators_bookings import book
from tests.support.clock import FixedClock
from tests.support.console import csrf_of, log_in, post_form
from tests.support.operators import FIRST, world

GARBAGE = ("", "abc", "²", "99999999999999999999", "7,,14")
_NAME = re.compile(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"')


def _paths(client, w) -> dict[str, str]:
    """Each console POST route -> (the path to post to, the page its form is on)."""
    ref = book(client.app.state.db, w.a.product_id)
    rule_id = _rule(client, w)
    product = f"/console/products/{w.a.product_id}"
    season_id = re.search(r'name="s(\d+)_name_zh"', client.get(product).text).group(1)
    assert post_form(client, "/console/packs", _pack_form(w), "/console/packs").status_code == 303
    pack_id = client.get("/v1/admin/packs", headers=w.a.admin.headers).json()["items"][0]["id"]
    return {
        "/console/login": "/console/login",
        "/console/products": "/console/products",
        "/console/products/{product_id}": product,
        "/console/products/{product_id}/active": product,
        "/console/products/{product_id}/seasons": product,
        "/console/products/{product_id}/seasons/{season_id}": product,
        "/console/products/{product_id}/packs": product,
        "/console/packs": "/console/packs",
        "/console/packs/{pack_id}": f"/console/packs/{pack_id}",
        "/console/bookings/find": "/console/bookings",
        "/console/bookings/{reference}/stay-status": f"/console/bookings/{ref}",
        "/console/bookings/{reference}/cancel": f"/console/bookings/{ref}/cancel",
        "/console/bookings/{reference}/retry-refund": f"/console/bookings/{ref}",
        "/console/destinations/{destination_id}": f"/console/destinations/{w.a.destination_id}",
        "/console/calendar/preview": "/console/calendar",
        "/console/calendar/apply": "/console/calendar",
        "/console/rules/{rule_id}/versions": f"/console/rules/{rule_id}",
        "/console/rules/{rule_id}/retire": f"/console/rules/{rule_id}",
        "/console/stubs": "/console/stubs",
        "/console/password": "/console/password",
        "/console/logout": None,  # posting it ends the session the test needs
    }, {
        "product_id": str(w.a.product_id),
        "season_id": season_id,
        "reference": ref,
        "destination_id": str(w.a.destination_id),
        "rule_id": str(rule_id),
        "pack_id": str(pack_id),
    }


def test_no_console_form_answers_500_to_bad_input(db, client):
    w = world(db)
    log_in(client, w.a.admin.login)
    pages, params = _paths(client, w)
    # The booking's check-in date: its desk forms show.
    client.app.state.clock = FixedClock.on(FIRST, time(10))
    routes = sorted(
        c.path_format
        for c in iter_route_contexts(client.app.routes)
        if isinstance(c.route, APIRoute)
        and c.path_format.startswith("/console")
        and "POST" in c.route.methods
    )
    assert set(routes) == set(pages), "a new console form: add it to this test"
    names: set[str] = set()
    for page in {p for p in pages.values() if p}:
        names |= set(_NAME.findall(client.get(page).text))
    names.discard("csrf_token")
    assert {"price_fen", "duration_modules", "status", "weekdays"} <= names
    names.add("pack_ids")  # checkboxes, shown once the destination has packs
    failures = []
    for route in routes:
        page = pages[route]
        if page is None:
            continue
        path = route.format(**params)
        forms = [{}] + [dict.fromkeys(names, value) for value in GARBAGE]
        for form in forms:
            token = csrf_of(client.get("/console/stubs").text)  # one token a session
            r = client.post(path, data={**form, "csrf_token": token}, follow_redirects=False)
            if r.status_code >= 500:
                failures.append((path, form and next(iter(form.values())), r.status_code))
    assert failures == []


def _pack_form(w, **change):
    form = {
        "code": "a-tea",
        "kind": "dining",
        "name_zh": "茶点",
        "name_en": "Tea",
        "basis": "per_stay",
    }
    return {**form, "destination_id": str(w.a.destination_id), "price_fen": "88", **change}


def _beside(html: str, field: str) -> bool:
    described = re.search(rf'aria-describedby="[^"]*\b{field}-error"', html)
    return f'id="{field}-error"' in html and described is not None


def test_a_pack_price_empty_or_unreadable_is_said_beside_it(db, client):
    w = world(db)
    log_in(client, w.a.admin.login)
    form = _pack_form(w, price_fen="")
    for price in ("", "abc"):
        r = post_form(client, "/console/packs", {**form, "price_fen": price}, "/console/packs")
        assert r.status_code == 422 and _beside(r.text, "price_fen"), price
    assert client.get("/v1/admin/packs", headers=w.a.admin.headers).json()["items"] == []


def test_a_stay_status_form_without_its_fields_is_refused_on_the_booking_page(db, client):
    w = world(db)
    ref = book(db, w.a.product_id)
    log_in(client, w.a.staff.login)
    page = f"/console/bookings/{ref}"
    for data in ({}, {"item_index": "0", "status": "bogus"}, {"item_index": "x", "status": ""}):
        r = post_form(client, f"{page}/stay-status", data, page)
        assert r.status_code == 422 and 'role="alert"' in r.text and ref in r.text, data
    assert 'id="stay-0">待入住<' in client.get(page).text


def test_a_malformed_pack_id_is_refused_and_keeps_the_packs(db, client):
    w = world(db)
    log_in(client, w.a.admin.login)
    form = _pack_form(w)
    assert post_form(client, "/console/packs", form, "/console/packs").status_code == 303
    pack_id = client.get("/v1/admin/packs", headers=w.a.admin.headers).json()["items"][0]["id"]
    page = f"/console/products/{w.a.product_id}"
    assert post_form(client, f"{page}/packs", {"pack_ids": str(pack_id)}, page).status_code == 303
    for bad in ("abc", "²", ""):
        r = client.post(
            f"{page}/packs",
            data={"pack_ids": [str(pack_id), bad], "csrf_token": csrf_of(client.get(page).text)},
            follow_redirects=False,
        )
        assert r.status_code == 422 and 'id="pack_ids-error"' in r.text, bad
    api = client.get(f"/v1/admin/products/{w.a.product_id}", headers=w.a.admin.headers).json()
    assert api["pack_ids"] == [pack_id]


def test_an_empty_stay_length_between_commas_is_refused(db, client):
    from tests.service.test_console_catalogue import _product_form

    w = world(db)
    log_in(client, w.a.admin.login)
    page = f"/console/products/{w.a.product_id}"
    r = post_form(client, page, _product_form(duration_modules="7,,14"), page)
    assert r.status_code == 422 and _beside(r.text, "duration_modules")
    api = client.get(f"/v1/admin/products/{w.a.product_id}", headers=w.a.admin.headers).json()
    assert api["duration_modules"] != [7, 14]
    r = post_form(client, page, _product_form(duration_modules="7， 14"), page)
    assert r.status_code == 303


def test_a_calendar_edit_with_an_unreadable_product_is_refused(db, client):
    w = world(db)
    log_in(client, w.a.admin.login)
    form = {
        "product_ids": [str(w.a.product_id), "abc"],
        "edit_from": "2030-01-01",
        "edit_to": "2030-01-02",
        "units": "3",
        "csrf_token": csrf_of(client.get("/console/calendar").text),
    }
    r = client.post("/console/calendar/preview", data=form, follow_redirects=False)
    assert r.status_code == 422 and 'id="product_ids-error"' in r.text
