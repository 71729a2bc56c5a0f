"""A cursor this API did not issue is 422 ``invalid_cursor`` on every endpoint that
pages, never a 500: each endpoint declares its cursor's shape and
``service.pagination.Listing.key`` checks the decoded values' count, JSON types and
ranges before any reaches SQL (``[true]`` once passed as an id: Python's bool is an
int). A cursor is tied to its list and filters: another list's, or its own list's under
other filters, is refused the same way. The endpoints are read from the app's OpenAPI
document, so a new paged endpoint is covered without being listed here. Both
databases."""

import base64
import json
from datetime import timedelta

import pytest

from catalog.queries import DestinationFilter, ProductFilter
from service.clock import Clock
from service.pagination import DISTANCE_KM, ROW_ID, Listing
from tests.service.booking_support import add_partner
from tests.support.operators import world


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


FORGED = {
    "true": _b64(b"[true]"),
    "false": _b64(b"[false]"),
    "null": _b64(b"[null]"),
    "empty list": _b64(b"[]"),
    "four numbers": _b64(b"[1,2,3,4]"),
    "object": _b64(b'{"a":1}'),
    "string": _b64(b'["x"]'),
    "huge float": _b64(b"[1e308]"),
    "float": _b64(b"[1.5]"),
    "negative": _b64(b"[-1]"),
    "beyond 64 bits": _b64(b"[99999999999999999999999]"),
    "nested": _b64(b"[[1]]"),
    "deep": _b64(b"[" * 120 + b"]" * 120),
    "long string": "A" * 1500,  # under the 2,048-byte query limit (414)
    "long valid base64": _b64(json.dumps(["x" * 1000]).encode()),
    "not base64": "!!!***",
    "not utf-8": _b64(b"\xff\xfe[1]"),
    "not json": _b64(b"hello"),
    "nan": _b64(b"[NaN]"),
}

# Required query parameters of the paged endpoints (none is a cursor's business).
_REQUIRED = {
    "theme": "hot_spring",
    "from": (Clock().today() + timedelta(days=30)).isoformat(),
    "to": (Clock().today() + timedelta(days=32)).isoformat(),
}


def _paged_operations(app) -> list[str]:
    paths = []
    for path, ops in app.openapi()["paths"].items():
        for method, op in ops.items():
            if any(p.get("name") == "cursor" for p in op.get("parameters", [])):
                assert method == "get", (method, path)
                required = [
                    p["name"]
                    for p in op["parameters"]
                    if p.get("required") and p["in"] == "query" and p["name"] != "cursor"
                ]
                assert set(required) <= set(_REQUIRED), (path, required)
                paths.append(path)
    return paths


def test_every_paged_endpoint_refuses_every_forged_cursor_as_invalid_cursor(db, app, client):
    w = world(db)
    partner = add_partner(db, "cursor-partner")
    paths = _paged_operations(app)
    assert {"/v1/products/{id_or_slug}/rate-history", "/v1/admin/audit", "/v1/bookings"} <= set(
        paths
    )
    required = {
        path: {
            p["name"]: _REQUIRED[p["name"]]
            for p in op["get"]["parameters"]
            if p.get("required") and p["in"] == "query" and p["name"] != "cursor"
        }
        for path, op in app.openapi()["paths"].items()
        if path in paths
    }
    cases = [(p, {}) for p in paths] + [("/v1/destinations", {"near": "43.8,126.5"})]
    for path, extra in cases:
        url = path.replace("{id_or_slug}", str(w.a.product_id))
        headers = {"Accept-Language": "en"}
        if path.startswith("/v1/admin/"):
            headers |= w.province.headers
        elif path.startswith(("/v1/bookings", "/v1/webhook-")):
            headers |= {"Authorization": f"Bearer {partner.key}"}
        params = required[path] | extra
        ok = client.get(url, params=params, headers=headers)
        assert ok.status_code == 200, (path, ok.text)
        for name, cursor in FORGED.items():
            r = client.get(url, params=params | {"cursor": cursor}, headers=headers)
            assert r.status_code == 422, (path, name, r.status_code, r.text)
            body = r.json()
            assert (body["code"], body["field"]) == ("invalid_cursor", "cursor"), (path, name)


def test_the_decoder_checks_each_value_against_the_declared_shape():
    listing = Listing("/v1/things")
    assert listing.after_id(listing.cursor([7])) == 7
    assert listing.after_id(None) is None
    for forged in ([True], [False], [None], [7.0], [2**31], ["7"]):
        with pytest.raises(Exception) as exc:
            listing.after_id(listing.cursor(forged))
        assert exc.value.code == "invalid_cursor"
    assert listing.key(listing.cursor([1.5, 3]), (DISTANCE_KM, ROW_ID)) == [1.5, 3]
    with pytest.raises(Exception):
        listing.key(listing.cursor([True, 3]), (DISTANCE_KM, ROW_ID))


def test_a_listing_takes_back_only_the_cursors_of_its_own_list_and_filters():
    products = Listing("/v1/products", {"theme": None, "destinations": (1, 2)})
    cursor = products.cursor([7])
    same = Listing("/v1/products", {"destinations": [1, 2], "theme": None})
    assert same.after_id(cursor) == 7  # the same filters, however spelled
    # certifications (and a product's room facts) are all required, in any order
    both = Listing("/v1/destinations", DestinationFilter(certifications=("a", "b")))
    for spelled in (("b", "a"), ("a", "b", "a")):
        listing = Listing("/v1/destinations", DestinationFilter(certifications=spelled))
        assert listing.after_id(both.cursor([3])) == 3
    rooms = Listing("/v1/products", ProductFilter(rooms=("lift", "step_free")))
    again = Listing("/v1/products", ProductFilter(rooms=("step_free", "lift")))
    assert again.after_id(rooms.cursor([5])) == 5
    for other in (
        Listing("/v1/destinations", {"theme": None, "destinations": (1, 2)}),
        Listing("/v1/products", {"theme": "hot_spring", "destinations": (1, 2)}),
        Listing("/v1/products"),
    ):
        with pytest.raises(Exception) as exc:
            other.after_id(cursor)
        assert (exc.value.code, exc.value.field) == ("invalid_cursor", "cursor")


def test_a_cursor_of_one_list_is_invalid_cursor_at_every_other_list(db, app, client):
    """The newcomer's walk: /v1/products' ``next`` at /v1/destinations (and everywhere
    else that pages), and at /v1/products under another filter."""
    w = world(db)
    partner = add_partner(db, "cursor-partner")
    cursor = client.get("/v1/products", params={"limit": 1}).json()["next"]
    assert cursor and client.get("/v1/products", params={"cursor": cursor}).status_code == 200
    for path in _paged_operations(app):
        if path == "/v1/products":
            continue
        url = path.replace("{id_or_slug}", str(w.a.product_id))
        headers = w.province.headers if path.startswith("/v1/admin/") else {}
        if path.startswith(("/v1/bookings", "/v1/webhook-")):
            headers = {"Authorization": f"Bearer {partner.key}"}
        params = {k: v for k, v in _REQUIRED.items() if k in _required_of(app, path)}
        r = client.get(url, params=params | {"cursor": cursor}, headers=headers)
        assert (r.status_code, r.json().get("code"), r.json().get("field")) == (
            422,
            "invalid_cursor",
            "cursor",
        ), (path, r.text)
    for params in ({"theme": "hot_spring"}, {"destination": str(w.b.destination_id)}):
        r = client.get("/v1/products", params=params | {"cursor": cursor})
        assert (r.status_code, r.json()["code"]) == (422, "invalid_cursor"), params
        assert "筛选条件" in r.json()["detail"]


def test_cursors_issued_before_tagging_are_refused_except_the_feeds(db, app, client):
    """Page cursors of before f56a479 (the sort key alone: ``[id]``, near
    ``[distance_km, id]``) are short-lived and refused everywhere; only the bookings
    feed still takes its old ``[change_seq, id]`` (a saved poll_cursor,
    tests/service/test_bookings_feed.py)."""
    w = world(db)
    partner = add_partner(db, "cursor-partner")
    untagged = [_b64(b"[7]"), _b64(b"[1.5,7]"), _b64(b"[1,7]")]
    cases = [(p, {}) for p in _paged_operations(app) if p != "/v1/bookings"]
    cases.append(("/v1/destinations", {"near": "43.8,126.5"}))
    for path, extra in cases:
        url = path.replace("{id_or_slug}", str(w.a.product_id))
        headers = w.province.headers if path.startswith("/v1/admin/") else {}
        if path.startswith("/v1/webhook-"):
            headers = {"Authorization": f"Bearer {partner.key}"}
        params = {k: v for k, v in _REQUIRED.items() if k in _required_of(app, path)} | extra
        for cursor in untagged:
            r = client.get(url, params=params | {"cursor": cursor}, headers=headers)
            assert (r.status_code, r.json().get("code")) == (422, "invalid_cursor"), (path, r.text)
    feed = client.get(
        "/v1/bookings",
        params={"cursor": _b64(b"[1,7]")},
        headers={"Authorization": f"Bearer {partner.key}"},
    )
    assert feed.status_code == 200, feed.text


def _required_of(app, path: str) -> set[str]:
    op = app.openapi()["paths"][path]["get"]
    return {p["name"] for p in op["parameters"] if p.get("required") and p["in"] == "query"}


def test_the_destinations_page_shows_its_first_page_for_another_lists_cursor(db, client):
    """The page says a kept link is out of date (its own words), never invalid_cursor."""
    world(db)
    cursor = client.get("/v1/products", params={"limit": 1}).json()["next"]
    r = client.get("/destinations", params={"cursor": cursor})
    assert r.status_code == 200 and 'id="cursor-stale"' in r.text
    assert 'id="cursor-stale"' not in client.get("/destinations").text


# Each admin list's filters, none set, as it tags its cursors (without the account).
_ADMIN_FILTERS_UNSET = {
    "/v1/admin/destinations": None,
    "/v1/admin/products": {"destination_id": None},
    "/v1/admin/audit": {"destination_id": None, "entity": None},
    "/v1/admin/bookings": dict.fromkeys(
        ("destination_id", "status", "arriving_from", "arriving_to")
    ),
}
# Lists paginated since the binding (December 2026): they never issued an unbound cursor,
# and take none.
_ADMIN_BOUND_ONLY = {
    "/v1/admin/rules": None,
    "/v1/admin/packs": {"destination_id": None},
    "/v1/admin/accounts": None,
    "/v1/admin/stub-issuers": None,
}


def test_an_admin_lists_cursor_is_its_accounts(db, app, client):
    """Every admin list's ``next`` belongs to the account that walked it: another
    account's, even one that sees the same rows (a second province account), is 422
    ``invalid_cursor``; it was a 200 over the caller's own rows after the other's
    position. A cursor issued before the binding (the list and filters alone) is still
    taken, by any account, through 2027-03-31."""
    from service.auth import ANONYMOUS
    from service.operators.models import PROVINCE_ADMIN
    from tests.service.booking_support import book_in_service, item, make_quote
    from tests.support.operators import FIRST, add_operator

    w = world(db)
    other = add_operator(db, "province-2", PROVINCE_ADMIN)
    for nights in (2, 3):  # two bookings, two audit entries: a second page of each
        quote = make_quote(db, ANONYMOUS, item(w.a.product_id, check_in=FIRST, nights=nights))
        book_in_service(db, ANONYMOUS, quote)
        r = client.patch(
            f"/v1/admin/products/{w.a.product_id}",
            json={"base_rate_fen": 30_000 + nights},
            headers=w.a.admin.headers,
        )
        assert r.status_code == 200, r.text
    from catalog.models import Destination
    from tests.factories import make_issuer, make_pack
    from tests.support.operators import rule_body

    for key in ("rule-one", "rule-two"):  # two of every list: a second page
        r = client.post("/v1/admin/rules", json=rule_body(w, key=key), headers=w.a.admin.headers)
        assert r.status_code == 201, r.text
    with db.write_session() as s:
        for _ in range(2):
            make_pack(s, s.get(Destination, w.a.destination_id))
            make_issuer(s, destination=s.get(Destination, w.a.destination_id))
        s.commit()
    admin_lists = [p for p in _paged_operations(app) if p.startswith("/v1/admin/")]
    assert set(admin_lists) == set(_ADMIN_FILTERS_UNSET) | set(_ADMIN_BOUND_ONLY)
    for path in admin_lists:
        first = client.get(path, params={"limit": 1}, headers=w.province.headers)
        cursor = first.json()["next"]
        assert cursor, (path, first.text)
        mine = client.get(path, params={"limit": 1, "cursor": cursor}, headers=w.province.headers)
        assert mine.status_code == 200, (path, mine.text)
        theirs = client.get(path, params={"limit": 1, "cursor": cursor}, headers=other.headers)
        assert (theirs.status_code, theirs.json()["code"], theirs.json()["field"]) == (
            422,
            "invalid_cursor",
            "cursor",
        ), (path, theirs.text)
        key = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))[1:]
        filters = {**_ADMIN_FILTERS_UNSET, **_ADMIN_BOUND_ONLY}[path]
        unbound = Listing(path, filters).cursor(key)
        former = client.get(path, params={"limit": 1, "cursor": unbound}, headers=other.headers)
        if path in _ADMIN_BOUND_ONLY:
            assert former.json()["code"] == "invalid_cursor", (path, former.text)
        else:
            assert former.json()["items"] == mine.json()["items"], (path, former.text)
