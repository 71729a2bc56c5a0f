"""The role before the state and the body, on every admin write (docs/operators.md,
"Scoping: one place"): scope (404), then role (403 ``forbidden_role``), then the state of
what is changed (409) and the body's own rules (422). Each case below is aimed within the
caller's scope by a role that may not make the change, at something whose state or with
a body the service would refuse (a retired rule, a taken slug, a past or reversed date):
the answer is 403 every time, and nothing is written. Until December 2026 a staff
account or the province adding a version to a retired rule got 409 ``rule_retired``, and
a bulk edit from a past night 422 ``nights_in_past``, telling them something they may
not change. A new admin write route must be added here, or
``test_every_admin_write_is_swept`` fails.
"""

from datetime import timedelta

from service.app import create_app
from service.clock import Clock
from tests.service.test_operators_scope import admin_routes
from tests.support.operators import FIRST, PRODUCT_BODY, World, rule_body, rule_terms, world

PAST = (Clock().today() - timedelta(days=30)).isoformat()
EARLIER = (Clock().today() - timedelta(days=40)).isoformat()
STAFF, PROVINCE = "staff", "province"

_PRODUCT = {
    **PRODUCT_BODY,
    "slug": "product-a",  # taken
    "sold_from": "2027-05-02",
    "sold_until": "2027-05-01",  # before sold_from
}


def _edit(w: World, field: str, value) -> dict:
    """A bulk edit of A's product from a past night, its range reversed."""
    return {"product_ids": [w.a.product_id], "from": PAST, "to": EARLIER, "set": {field: value}}


# (method, path) -> (the roles that may not make it, aim(world) -> (url, body)).
CASES = {
    ("POST", "/v1/admin/accounts"): (
        (STAFF,),
        lambda w: (
            "/v1/admin/accounts",
            {
                "login": "admin-a",  # taken
                "display_name": "x",
                "role": "operator_staff",
                "destination_ids": [w.a.destination_id],
                "password": "demo-operator-2026",  # weak
            },
        ),
    ),
    ("POST", "/v1/admin/accounts/{account_id}/deactivate"): (
        (STAFF,),
        lambda w: (f"/v1/admin/accounts/{w.a.staff.account_id}/deactivate", None),  # oneself
    ),
    ("PATCH", "/v1/admin/destinations/{destination_id}"): (
        (STAFF, PROVINCE),
        lambda w: (
            f"/v1/admin/destinations/{w.a.destination_id}",
            {"certifications": ["no-such-certification"]},
        ),
    ),
    ("POST", "/v1/admin/products"): (
        (STAFF, PROVINCE),
        lambda w: ("/v1/admin/products", {**_PRODUCT, "destination_id": w.a.destination_id}),
    ),
    ("PATCH", "/v1/admin/products/{product_id}"): (
        (STAFF, PROVINCE),
        lambda w: (
            f"/v1/admin/products/{w.a.product_id}",
            {"sold_from": "2027-05-02", "sold_until": "2027-05-01", "base_occupancy": 9},
        ),
    ),
    ("POST", "/v1/admin/products/{product_id}/retire"): (
        (STAFF, PROVINCE),
        lambda w: (f"/v1/admin/products/{w.a.product_id}/retire", None),
    ),
    ("POST", "/v1/admin/products/{product_id}/reinstate"): (
        (STAFF, PROVINCE),
        lambda w: (f"/v1/admin/products/{w.a.product_id}/reinstate", None),  # on sale
    ),
    ("POST", "/v1/admin/products/{product_id}/seasons"): (
        (STAFF, PROVINCE),
        lambda w: (
            f"/v1/admin/products/{w.a.product_id}/seasons",
            {
                "name_zh": "冬",
                "name_en": "Winter",
                "start_date": PAST,
                "end_date": EARLIER,
                "nightly_rate_fen": 100,
            },
        ),
    ),
    ("PATCH", "/v1/admin/products/{product_id}/seasons/{season_id}"): (
        (STAFF, PROVINCE),
        lambda w: (
            f"/v1/admin/products/{w.a.product_id}/seasons/{w.extra['season']}",
            {"start_date": PAST},
        ),
    ),
    ("DELETE", "/v1/admin/products/{product_id}/seasons/{season_id}"): (
        (STAFF, PROVINCE),
        lambda w: (f"/v1/admin/products/{w.a.product_id}/seasons/{w.extra['season']}", None),
    ),
    ("POST", "/v1/admin/packs"): (
        (STAFF, PROVINCE),
        lambda w: (
            "/v1/admin/packs",
            {
                "destination_id": w.a.destination_id,
                "code": w.extra["pack_code"],  # taken
                "kind": "dining",
                "name_zh": "餐",
                "name_en": "Meals",
                "price_fen": 100,
                "basis": "per_stay",
            },
        ),
    ),
    ("PATCH", "/v1/admin/packs/{pack_id}"): (
        (STAFF, PROVINCE),
        lambda w: (f"/v1/admin/packs/{w.extra['pack']}", {"price_fen": 1}),
    ),
    ("PUT", "/v1/admin/products/{product_id}/packs"): (
        (STAFF, PROVINCE),
        lambda w: (f"/v1/admin/products/{w.a.product_id}/packs", {"pack_ids": [w.extra["pack"]]}),
    ),
    ("POST", "/v1/admin/calendar/preview"): (
        (STAFF, PROVINCE),
        lambda w: ("/v1/admin/calendar/preview", _edit(w, "rate_override_fen", 30000)),
    ),
    ("POST", "/v1/admin/calendar/apply"): (
        (STAFF, PROVINCE),
        lambda w: ("/v1/admin/calendar/apply", _edit(w, "rate_override_fen", 30000)),
    ),
    ("POST", "/v1/admin/bookings/{reference}/stay-status"): (
        (PROVINCE,),
        lambda w: (
            f"/v1/admin/bookings/{w.extra['booking']}/stay-status",
            {"item_index": 0, "status": "completed"},  # never checked in
        ),
    ),
    ("POST", "/v1/admin/bookings/{reference}/cancel"): (
        (PROVINCE,),
        lambda w: (f"/v1/admin/bookings/{w.extra['booking']}/cancel", {"reason": "x"}),
    ),
    ("POST", "/v1/admin/bookings/{reference}/retry-refund"): (
        (PROVINCE,),
        lambda w: (f"/v1/admin/bookings/{w.extra['booking']}/retry-refund", None),  # none
    ),
    ("POST", "/v1/admin/rules"): (
        (STAFF, PROVINCE),
        lambda w: (
            "/v1/admin/rules",
            rule_body(w, key="a-long-stay", booking_from="2027-03-01", booking_to="2027-02-01"),
        ),
    ),
    ("POST", "/v1/admin/rules/{rule_id}/versions"): (
        (STAFF, PROVINCE),
        lambda w: (
            f"/v1/admin/rules/{w.extra['retired_rule']}/versions",
            rule_terms(rule_body(w, name_en="Long stay, again")),
        ),
    ),
    ("POST", "/v1/admin/rules/{rule_id}/retire"): (
        (STAFF, PROVINCE),
        lambda w: (f"/v1/admin/rules/{w.extra['retired_rule']}/retire", None),
    ),
    ("POST", "/v1/admin/stub-issuers/{issuer_id}/batches"): (
        (STAFF, PROVINCE),
        lambda w: (
            f"/v1/admin/stub-issuers/{w.extra['issuer']}/batches",
            {"count": 1, "visit_date": PAST},
        ),
    ),
}
# Writes every role may make: the caller's own tokens and password, and logging in.
EVERY_ROLE = {
    ("DELETE", "/v1/admin/tokens/{token_id}"),
    ("POST", "/v1/admin/me/password"),
    ("POST", "/v1/admin/tokens"),
}


def test_every_admin_write_is_swept(db):
    writes = {
        (m, p)
        for m, p in admin_routes(create_app(db.settings, database=db))
        if m in ("POST", "PUT", "PATCH", "DELETE")
    }
    assert len(writes) >= 20, "the scan sees the admin API's writes"
    assert not writes - set(CASES) - EVERY_ROLE, sorted(writes - set(CASES) - EVERY_ROLE)


def _seed(db, client, w: World) -> None:
    from sqlmodel import select

    from catalog.models import Destination, Season
    from service.auth import ANONYMOUS
    from tests.factories import make_issuer, make_pack
    from tests.service.booking_support import book_in_service, item, make_quote

    h = w.a.admin.headers
    quote = make_quote(db, ANONYMOUS, item(w.a.product_id, check_in=FIRST, nights=2))
    w.extra["booking"] = book_in_service(db, ANONYMOUS, quote)
    assert client.post("/v1/admin/rules", json=rule_body(w), headers=h).status_code == 201
    retired = client.post("/v1/admin/rules", json=rule_body(w, key="gone"), headers=h).json()
    w.extra["retired_rule"] = retired["id"]
    r = client.post(f"/v1/admin/rules/{retired['id']}/retire", headers=h)
    assert r.status_code == 200 and r.json()["is_active"] is False
    with db.write_session() as s:
        a = s.get(Destination, w.a.destination_id)
        w.extra["issuer"] = make_issuer(s, destination=a).id
        pack = make_pack(s, a)
        w.extra["pack"], w.extra["pack_code"] = pack.id, pack.code
        w.extra["season"] = s.exec(
            select(Season.id).where(Season.product_id == w.a.product_id)
        ).first()
        s.commit()


def _state(client, w: World) -> dict:
    h = w.a.admin.headers
    return {
        "audit": client.get("/v1/admin/audit?limit=100", headers=h).json(),
        "product": client.get(f"/v1/admin/products/{w.a.product_id}", headers=h).json(),
        "booking": client.get(f"/v1/admin/bookings/{w.extra['booking']}", headers=h).json(),
    }


def test_a_role_that_may_not_make_a_change_is_403_whatever_the_state_or_body(db, client):
    w = world(db)
    _seed(db, client, w)
    before = _state(client, w)
    callers = {STAFF: w.a.staff, PROVINCE: w.province}
    failures, cases = [], 0
    for (method, _path), (roles, aim) in sorted(CASES.items()):
        url, body = aim(w)
        for role in roles:
            r = client.request(method, url, json=body, headers=callers[role].headers)
            cases += 1
            if r.status_code != 403 or r.json().get("code") != "forbidden_role":
                failures.append((role, method, url, r.status_code, r.text[:160]))
    assert not failures, failures
    assert cases >= 35
    assert _state(client, w) == before  # nothing written


def test_the_same_writes_by_a_role_that_may_are_refused_for_their_state(db, client):
    """The cases above are real refusals, not broken aims: the operator admin, who may
    make them, is told the state or the body (the newcomer's retired rule: 409)."""
    w = world(db)
    _seed(db, client, w)
    h = w.a.admin.headers
    for key, expected in {
        ("POST", "/v1/admin/rules/{rule_id}/versions"): (409, "rule_retired"),
        ("POST", "/v1/admin/rules"): (409, "rule_key_taken"),
        ("POST", "/v1/admin/products"): (409, "slug_taken"),
        ("POST", "/v1/admin/calendar/preview"): (422, "invalid_range"),
        ("POST", "/v1/admin/stub-issuers/{issuer_id}/batches"): (422, "nights_in_past"),
        ("PATCH", "/v1/admin/destinations/{destination_id}"): (422, "invalid_certification"),
    }.items():
        url, body = CASES[key][1](w)
        r = client.request(key[0], url, json=body, headers=h)
        assert (r.status_code, r.json()["code"]) == expected, (key, r.text)
