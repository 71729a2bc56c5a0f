"""Scoping, generated from the route table: every admin route x every operator role x
the other destination. Every read or write that names something of a destination not the
caller's is a 404 (exactly as an unknown id), changes nothing, and logs nothing personal;
every list shows nothing of it. A new admin route must be added to one of the tables
below, or ``test_every_admin_route_is_covered`` fails.
"""

import logging
import re

import pytest
from fastapi.routing import APIRoute, iter_route_contexts

from service.app import create_app
from tests.service.booking_support import LEAD
from tests.support.operators import FIRST, PASSWORD, PRODUCT_BODY, World, rule_body, world

# (method, path) -> how to aim the request at destination B: (url, json body or None).
SCOPED = {
    ("DELETE", "/v1/admin/tokens/{token_id}"): lambda w: (
        f"/v1/admin/tokens/{w.extra['b_token_id']}",
        None,
    ),
    ("GET", "/v1/admin/accounts/{account_id}"): lambda w: (
        f"/v1/admin/accounts/{w.b.staff.account_id}",
        None,
    ),
    ("POST", "/v1/admin/accounts/{account_id}/deactivate"): lambda w: (
        f"/v1/admin/accounts/{w.b.staff.account_id}/deactivate",
        None,
    ),
    ("POST", "/v1/admin/accounts"): lambda w: (
        "/v1/admin/accounts",
        {
            "login": "intruder",
            "display_name": "x",
            "role": "operator_staff",
            "destination_ids": [w.b.destination_id],
            "password": "long-enough-password",
        },
    ),
    ("GET", "/v1/admin/destinations/{destination_id}"): lambda w: (
        f"/v1/admin/destinations/{w.b.destination_id}",
        None,
    ),
    ("GET", "/v1/admin/products"): lambda w: (
        f"/v1/admin/products?destination_id={w.b.destination_id}",
        None,
    ),
    ("GET", "/v1/admin/products/{product_id}"): lambda w: (
        f"/v1/admin/products/{w.b.product_id}",
        None,
    ),
    ("GET", "/v1/admin/audit"): lambda w: (
        f"/v1/admin/audit?destination_id={w.b.destination_id}",
        None,
    ),
    ("GET", "/v1/admin/products/{product_id}/calendar"): lambda w: (
        f"/v1/admin/products/{w.b.product_id}/calendar?from={FIRST}&to={FIRST}",
        None,
    ),
    ("POST", "/v1/admin/calendar/preview"): lambda w: (
        "/v1/admin/calendar/preview",
        _edit([w.a.product_id, w.b.product_id]),
    ),
    ("POST", "/v1/admin/calendar/apply"): lambda w: (
        "/v1/admin/calendar/apply",
        _edit([w.a.product_id, w.b.product_id]),
    ),
    ("GET", "/v1/admin/bookings"): lambda w: (
        f"/v1/admin/bookings?destination_id={w.b.destination_id}",
        None,
    ),
    ("GET", "/v1/admin/arrivals"): lambda w: (
        f"/v1/admin/arrivals?from={FIRST}&to={FIRST}&destination_id={w.b.destination_id}"
        "&format=csv",
        None,
    ),
    ("GET", "/v1/admin/bookings/{reference}"): lambda w: (
        f"/v1/admin/bookings/{w.extra['b_booking']}",
        None,
    ),
    ("POST", "/v1/admin/bookings/{reference}/stay-status"): lambda w: (
        f"/v1/admin/bookings/{w.extra['b_booking']}/stay-status",
        {"item_index": 0, "status": "no_show"},
    ),
    ("POST", "/v1/admin/rules"): lambda w: ("/v1/admin/rules", _rule(w, "intruder-rule")),
    ("GET", "/v1/admin/rules/{rule_id}"): lambda w: (
        f"/v1/admin/rules/{w.extra['b_rule']}",
        None,
    ),
    ("POST", "/v1/admin/rules/{rule_id}/versions"): lambda w: (
        f"/v1/admin/rules/{w.extra['b_rule']}/versions",
        {k: v for k, v in _rule(w, "").items() if k not in ("key", "kind")},
    ),
    ("POST", "/v1/admin/rules/{rule_id}/retire"): lambda w: (
        f"/v1/admin/rules/{w.extra['b_rule']}/retire",
        None,
    ),
    ("POST", "/v1/admin/stub-issuers/{issuer_id}/batches"): lambda w: (
        f"/v1/admin/stub-issuers/{w.extra['b_issuer']}/batches",
        {"count": 1, "visit_date": FIRST.isoformat()},
    ),
    ("GET", "/v1/admin/stub-issuers/{issuer_id}/stubs.csv"): lambda w: (
        f"/v1/admin/stub-issuers/{w.extra['b_issuer']}/stubs.csv",
        None,
    ),
    ("PATCH", "/v1/admin/destinations/{destination_id}"): lambda w: (
        f"/v1/admin/destinations/{w.b.destination_id}",
        {"description_en": "intruder"},
    ),
    ("POST", "/v1/admin/products"): lambda w: (
        "/v1/admin/products",
        {**_PRODUCT, "destination_id": w.b.destination_id},
    ),
    ("PATCH", "/v1/admin/products/{product_id}"): lambda w: (
        f"/v1/admin/products/{w.b.product_id}",
        {"base_rate_fen": 1},
    ),
    ("POST", "/v1/admin/products/{product_id}/retire"): lambda w: (
        f"/v1/admin/products/{w.b.product_id}/retire",
        None,
    ),
    ("POST", "/v1/admin/products/{product_id}/reinstate"): lambda w: (
        f"/v1/admin/products/{w.b.product_id}/reinstate",
        None,
    ),
    ("POST", "/v1/admin/products/{product_id}/seasons"): lambda w: (
        f"/v1/admin/products/{w.b.product_id}/seasons",
        _SEASON,
    ),
    ("PATCH", "/v1/admin/products/{product_id}/seasons/{season_id}"): lambda w: (
        f"/v1/admin/products/{w.b.product_id}/seasons/{w.extra['b_season']}",
        {"filed_rate_fen": 1},
    ),
    ("DELETE", "/v1/admin/products/{product_id}/seasons/{season_id}"): lambda w: (
        f"/v1/admin/products/{w.b.product_id}/seasons/{w.extra['b_season']}",
        None,
    ),
    ("GET", "/v1/admin/packs"): lambda w: (
        f"/v1/admin/packs?destination_id={w.b.destination_id}",
        None,
    ),
    ("POST", "/v1/admin/packs"): lambda w: (
        "/v1/admin/packs",
        {**_PACK, "destination_id": w.b.destination_id},
    ),
    ("PATCH", "/v1/admin/packs/{pack_id}"): lambda w: (
        f"/v1/admin/packs/{w.extra['b_pack']}",
        {"price_fen": 1},
    ),
    ("PUT", "/v1/admin/products/{product_id}/packs"): lambda w: (
        f"/v1/admin/products/{w.b.product_id}/packs",
        {"pack_ids": []},
    ),
    ("POST", "/v1/admin/bookings/{reference}/cancel"): lambda w: (
        f"/v1/admin/bookings/{w.extra['b_booking']}/cancel",
        {"reason": "x"},
    ),
    ("POST", "/v1/admin/bookings/{reference}/retry-refund"): lambda w: (
        f"/v1/admin/bookings/{w.extra['b_booking']}/retry-refund",
        None,
    ),
}


_PRODUCT = PRODUCT_BODY
_SEASON = {
    "name_zh": "冬",
    "name_en": "Winter",
    "start_date": "2030-01-01",
    "end_date": "2030-02-01",
    "nightly_rate_fen": 100,
}
_PACK = {
    "code": "intruder-pack",
    "kind": "dining",
    "name_zh": "餐",
    "name_en": "Meals",
    "price_fen": 100,
    "basis": "per_stay",
}


def _edit(product_ids):
    """A bulk edit naming the caller's product and B's: the whole edit is 404."""
    return {
        "product_ids": product_ids,
        "from": FIRST.isoformat(),
        "to": FIRST.isoformat(),
        "set": {"units": 1},
    }


def _rule(w, key):
    """A rule of B's destination."""
    return rule_body(w, key=key, name_zh="长住", destination_ids=[w.b.destination_id])


def _ids(items, key="id"):
    return {i[key] for i in items}


# (method, path) -> (url, check(world, json) that nothing of B is listed). Routes here
# take no id of a destination-scoped thing (or take it optionally: listed in both).
LISTS = {
    ("GET", "/v1/admin/me"): (
        "/v1/admin/me",
        lambda w, j: not set(j["account"]["destination_ids"]) & {w.b.destination_id},
    ),
    ("GET", "/v1/admin/accounts"): (
        "/v1/admin/accounts",
        lambda w, j: not _ids(j["items"]) & {w.b.admin.account_id, w.b.staff.account_id},
    ),
    ("GET", "/v1/admin/destinations"): (
        "/v1/admin/destinations",
        lambda w, j: w.b.destination_id not in _ids(j["items"]),
    ),
    ("GET", "/v1/admin/products"): (
        "/v1/admin/products",
        lambda w, j: w.b.product_id not in _ids(j["items"]),
    ),
    ("GET", "/v1/admin/bookings"): (
        "/v1/admin/bookings",
        lambda w, j: w.extra["b_booking"] not in {b["reference"] for b in j["items"]},
    ),
    ("GET", "/v1/admin/arrivals"): (
        f"/v1/admin/arrivals?from={FIRST}&to={FIRST}",
        lambda w, j: w.extra["b_booking"] not in {b["reference"] for b in j["items"]},
    ),
    ("GET", "/v1/admin/rules"): (
        "/v1/admin/rules",
        lambda w, j: w.extra["b_rule"] not in _ids(j["items"]),
    ),
    ("GET", "/v1/admin/packs"): (
        "/v1/admin/packs",
        lambda w, j: w.extra["b_pack"] not in _ids(j["items"]),
    ),
    ("GET", "/v1/admin/stub-issuers"): (
        "/v1/admin/stub-issuers",
        lambda w, j: w.extra["b_issuer"] not in _ids(j["items"]),
    ),
    ("GET", "/v1/admin/audit"): (
        "/v1/admin/audit",
        lambda w, j: all(e["destination_id"] != w.b.destination_id for e in j["items"]),
    ),
}
# Routes that need no operator token at all.
OPEN = {("POST", "/v1/admin/tokens")}
# Routes that act on the caller's own account only: they take no id, so there is nothing
# of B to aim them at (``test_a_password_change_touches_only_the_callers_account``).
OWN = {("POST", "/v1/admin/me/password")}

ROLES = ("admin", "staff")


def admin_routes(app) -> set[tuple[str, str]]:
    """Every (method, path) under /v1/admin: the routes of the included routers, as
    FastAPI lists them (``iter_route_contexts``; ``app.routes`` holds wrappers)."""
    out = set()
    for route in iter_route_contexts(app.routes):
        if isinstance(route.original_route, APIRoute) and route.path.startswith("/v1/admin"):
            for method in route.methods - {"HEAD", "OPTIONS"}:
                out.add((method, route.path))
    return out


def test_every_admin_route_is_covered(db):
    routes = admin_routes(create_app(db.settings, database=db))
    assert len(routes) >= 30, "the scan sees the admin API"
    uncovered = routes - set(SCOPED) - set(LISTS) - OPEN - OWN
    assert not uncovered, f"admin routes without a scope case: {sorted(uncovered)}"


def _seed_b(db, client, w: World) -> None:
    """Things of B to aim at: a token of B's admin, an audit entry and a booking of B
    (its guests' names and phone must not reach a log)."""
    from service.auth import ANONYMOUS
    from tests.service.booking_support import book_in_service, item, make_quote

    quote = make_quote(db, ANONYMOUS, item(w.b.product_id, check_in=FIRST, nights=2))
    w.extra["b_booking"] = book_in_service(db, ANONYMOUS, quote)
    assert w.extra["b_booking"].startswith("JL-")
    rule = client.post("/v1/admin/rules", json=_rule(w, "b-rule"), headers=w.b.admin.headers)
    assert rule.status_code == 201, rule.text
    w.extra["b_rule"] = rule.json()["id"]
    from sqlmodel import select

    from catalog.models import Destination, Season
    from tests.factories import make_issuer, make_pack

    with db.write_session() as s:
        b = s.get(Destination, w.b.destination_id)
        w.extra["b_issuer"] = make_issuer(s, destination=b).id
        w.extra["b_pack"] = make_pack(s, b).id
        w.extra["b_season"] = s.exec(
            select(Season.id).where(Season.product_id == w.b.product_id)
        ).first()
        s.commit()
    me = client.get("/v1/admin/me", headers=w.b.admin.headers).json()
    w.extra["b_token_id"] = me["tokens"][0]["id"]
    r = client.post(
        "/v1/admin/accounts",
        json={
            "login": "b-desk",
            "display_name": "王秀兰 13912345678",
            "role": "operator_staff",
            "destination_ids": [w.b.destination_id],
            "password": "long-enough-password",
        },
        headers=w.b.admin.headers,
    )
    assert r.status_code == 201, r.text


def _snapshot(client, w: World) -> dict:
    """What B looks like to B's own admin (compared before and after the attempts)."""
    h = w.b.admin.headers
    return {
        "me": client.get("/v1/admin/me", headers=h).json(),
        "accounts": client.get("/v1/admin/accounts", headers=h).json(),
        "audit": client.get("/v1/admin/audit", headers=h).json(),
        "rule": client.get(f"/v1/admin/rules/{w.extra['b_rule']}", headers=h).json(),
        "booking": client.get(f"/v1/admin/bookings/{w.extra['b_booking']}", headers=h).json(),
        "calendar": client.get(
            f"/v1/admin/products/{w.b.product_id}/calendar?from={FIRST}&to={FIRST}", headers=h
        ).json(),
        "product": client.get(f"/v1/admin/products/{w.b.product_id}", headers=h).json(),
        "destination": client.get(f"/v1/admin/destinations/{w.b.destination_id}", headers=h).json(),
        "packs": client.get("/v1/admin/packs", headers=h).json(),
    }


def test_cross_destination_reads_and_writes_are_404_for_every_route_and_role(db, client, caplog):
    w = world(db)
    _seed_b(db, client, w)
    before = _snapshot(client, w)
    caplog.set_level(logging.DEBUG)
    cases = passed = 0
    failures = []
    for role in ROLES:
        caller = getattr(w.a, role)
        for (method, path), aim in sorted(SCOPED.items()):
            url, body = aim(w)
            r = client.request(method, url, json=body, headers=caller.headers)
            cases += 1
            # A path's own thing is named as the path names it (`product_id`, never
            # `product_id[0]`): the 404 of a read of another's product's calendar
            # named the parameter as a list's first item.
            named = re.findall(r"{(\w+)}", path)
            if (
                r.status_code == 404
                and r.headers["content-type"].startswith("application/problem+json")
                and (not named or r.json().get("field") in named)
            ):
                passed += 1
            else:
                failures.append((role, method, url, r.status_code, r.text[:200]))
        for (method, _path), (url, check) in sorted(LISTS.items()):
            r = client.request(method, url, headers=caller.headers)
            cases += 1
            if r.status_code == 403 or (r.status_code == 200 and check(w, r.json())):
                passed += 1
            else:
                failures.append((role, method, url, r.status_code, r.text[:200]))
    assert not failures, failures
    assert passed == cases >= 2 * (len(SCOPED) + len(LISTS))
    assert _snapshot(client, w) == before  # nothing of B changed
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "13912345678" not in logged and "王秀兰" not in logged
    assert LEAD["phone"] not in logged and LEAD["name"] not in logged


@pytest.mark.parametrize("role", ROLES)
def test_own_destination_is_reachable_through_the_same_routes(db, client, role):
    """The same reads aimed at the caller's own destination answer 200: the 404s above
    are the scope, not broken routes."""
    w = world(db)
    caller = getattr(w.a, role)
    for url in (
        f"/v1/admin/destinations/{w.a.destination_id}",
        f"/v1/admin/products/{w.a.product_id}",
        f"/v1/admin/products?destination_id={w.a.destination_id}",
        f"/v1/admin/audit?destination_id={w.a.destination_id}",
    ):
        assert client.get(url, headers=caller.headers).status_code == 200, url


def test_a_password_change_touches_only_the_callers_account(db, client):
    """A's admin and staff change their own passwords: nothing of B changes, and B's
    admin still logs in with the password it had."""
    w = world(db)
    _seed_b(db, client, w)
    before = _snapshot(client, w)
    for role in ROLES:
        r = client.post(
            "/v1/admin/me/password",
            json={"current_password": PASSWORD, "new_password": f"{role}-quiet-lake-at-dawn"},
            headers=getattr(w.a, role).headers,
        )
        assert r.status_code == 200, r.text
    assert _snapshot(client, w) == before
    login = client.post("/v1/admin/tokens", json={"login": w.b.admin.login, "password": PASSWORD})
    assert login.status_code == 201, login.text
