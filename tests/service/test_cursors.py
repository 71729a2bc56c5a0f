"""A cursor this API did not issue is 422 ``invalid_cursor`` on every endpoint that
pages, never a 500: each endpoint declares its cursor's shape and
``service.pagination.decode_cursor`` checks the decoded values' count, JSON types and
ranges before any reaches SQL (``[true]`` once passed as an id: Python's bool is an
int). The endpoints are read from the app's OpenAPI document, so a new paged endpoint
is covered without being listed here. Both databases."""

import base64
import json
from datetime import timedelta

import pytest

from service.clock import Clock
from service.pagination import after_id, decode_cursor, encode_cursor
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
    assert after_id(encode_cursor([7])) == 7
    assert after_id(None) is None
    for forged in ([True], [False], [None], [7.0], [2**31], ["7"]):
        with pytest.raises(Exception) as exc:
            after_id(encode_cursor(forged))
        assert exc.value.code == "invalid_cursor"
    from service.pagination import DISTANCE_KM, ROW_ID

    assert decode_cursor(encode_cursor([1.5, 3]), (DISTANCE_KM, ROW_ID)) == [1.5, 3]
    with pytest.raises(Exception):
        decode_cursor(encode_cursor([True, 3]), (DISTANCE_KM, ROW_ID))
