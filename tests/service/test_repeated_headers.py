"""A one-value header given more than once (``Idempotency-Key``, ``X-Booking-Token``,
``Authorization`` wherever credentials are read, ``X-Request-Id``) is 422
``repeated_parameter`` naming it, as a repeated query parameter is: never cut to its
first value, and two ``Authorization`` lines are refused before either is looked up.
Both databases."""

import re
import uuid

from fastapi.testclient import TestClient
from sqlmodel import func, select

from service.app import create_app
from service.ratelimit import RateLimitWindow
from service.settings import Settings
from tests.service.booking_support import (
    add_partner,
    add_product,
    item,
    post_booking,
    quote_http,
)
from tests.support.operators import world


def _booked(db, client) -> dict:
    product = add_product(db, units=3, nights=3)
    return post_booking(client, quote_http(client, item(product, nights=3))["id"]).json()


def _refused(r, name: str) -> None:
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert (r.json()["code"], r.json()["field"]) == ("repeated_parameter", name)


def test_a_repeated_booking_token_is_refused_in_either_order(db, client):
    booked = _booked(db, client)
    path = f"/v1/bookings/{booked['reference']}"
    for tokens in ([booked["token"], "bad"], ["bad", booked["token"]], [booked["token"]] * 2):
        for lang, words in (("en", "more than once"), ("zh-CN", "不止一次")):
            headers = [("X-Booking-Token", t) for t in tokens] + [("Accept-Language", lang)]
            r = client.get(path, headers=headers)
            _refused(r, "X-Booking-Token")
            assert words in r.json()["detail"]
    assert client.get(path, headers={"X-Booking-Token": booked["token"]}).status_code == 200


def test_a_repeated_idempotency_key_is_refused_and_nothing_is_done(db, client):
    booked = _booked(db, client)
    path = f"/v1/bookings/{booked['reference']}/cancel"
    token = ("X-Booking-Token", booked["token"])
    r = client.post(
        path, json={}, headers=[token, ("Idempotency-Key", "a1"), ("Idempotency-Key", "a2")]
    )
    _refused(r, "Idempotency-Key")
    status = client.get(f"/v1/bookings/{booked['reference']}", headers=[token]).json()["status"]
    assert status != "cancelled"
    r = client.post(path, json={}, headers=[token, ("Idempotency-Key", str(uuid.uuid4()))])
    assert r.status_code == 200, r.text


def test_every_operation_refuses_a_repeated_one_value_header():
    app = create_app(Settings(database_url="sqlite:///:memory:"))
    checked = set()
    with TestClient(app, raise_server_exceptions=False) as client:
        for path, ops in app.openapi()["paths"].items():
            url = re.sub(r"\{[^}]*\}", "x", path)
            for method, op in ops.items():
                for p in op.get("parameters", []):
                    if p["in"] != "header" or p["name"].lower() == "accept-language":
                        continue
                    headers = [(p["name"], "1"), (p["name"], "2")]
                    r = client.request(method.upper(), url, headers=headers)
                    assert r.status_code == 422, (method, path, p["name"], r.text)
                    assert r.json()["code"] == "repeated_parameter", (method, path, r.text)
                    assert r.json()["field"] == p["name"]
                    checked.add(p["name"])
    assert {"Idempotency-Key", "X-Booking-Token"} <= checked


def test_accept_language_given_twice_is_a_list_not_refused(client):
    # RFC 9110 §5.3: a list header's lines read as one comma-separated list.
    r = client.get(
        "/v1/destinations", headers=[("Accept-Language", "en"), ("Accept-Language", "zh")]
    )
    assert r.status_code == 200, r.text


def _counted(db) -> int:
    """Requests counted against any key's or token's rate limit (each looked-up key or
    token adds one)."""
    with db.session() as s:
        return s.exec(select(func.coalesce(func.sum(RateLimitWindow.hits), 0))).one()


def _two_lines(right: str) -> list[list[str]]:
    return [[right, "Bearer jl_00000000_wrong"], ["Bearer jl_00000000_wrong", right], [right] * 2]


def test_two_api_keys_are_refused_before_either_is_looked_at(db, client):
    partner = add_partner(db, "ota-a")
    key = partner.headers["Authorization"]
    product = add_product(db, units=3, nights=3)
    quote = {"items": [item(product, nights=3)]}
    for lines in _two_lines(key):
        for lang, words in (("en", "more than once"), ("zh-CN", "不止一次")):
            headers = [("Authorization", v) for v in lines] + [("Accept-Language", lang)]
            for method, path, body in (
                ("GET", "/v1/bookings", None),  # a key required
                ("POST", "/v1/quotes", quote),  # anonymous or a key
            ):
                r = client.request(method, path, json=body, headers=headers)
                _refused(r, "Authorization")
                assert words in r.json()["detail"]
            # the booking POST looks at the key itself when its body cannot be read
            r = client.post(
                "/v1/bookings",
                content=b"{",
                headers=[*headers, ("Content-Type", "application/json"), ("Idempotency-Key", "k")],
            )
            _refused(r, "Authorization")
    assert _counted(db) == 0
    assert client.get("/v1/bookings", headers=partner.headers).status_code == 200
    r = client.post("/v1/quotes", json=quote, headers=partner.headers)
    assert r.status_code == 201 and r.json()["channel"] == "ota"
    assert _counted(db) == 2


def test_two_operator_tokens_are_refused_before_either_is_looked_at(db, client):
    w = world(db)
    token = w.a.admin.headers["Authorization"]
    for lines in _two_lines(token):
        for lang, words in (("en", "more than once"), ("zh-CN", "不止一次")):
            headers = [("Authorization", v) for v in lines] + [("Accept-Language", lang)]
            r = client.get("/v1/admin/me", headers=headers)
            _refused(r, "Authorization")
            assert words in r.json()["detail"]
            url = f"/v1/admin/destinations/{w.a.destination_id}"
            _refused(client.patch(url, json={"has_5g": True}, headers=headers), "Authorization")
    assert _counted(db) == 0
    assert client.get(url, headers=w.a.admin.headers).json()["has_5g"] is False
    me = client.get("/v1/admin/me", headers=w.a.admin.headers)
    assert me.status_code == 200 and me.json()["account"]["login"] == "admin-a"
    assert _counted(db) == 2


def test_every_operation_that_reads_credentials_refuses_two_authorization_lines():
    app = create_app(Settings(database_url="sqlite:///:memory:"))
    lines = [("Authorization", "Bearer jl_a_b"), ("Authorization", "Bearer jl_a_b")]
    checked = 0
    with TestClient(app, raise_server_exceptions=False) as client:
        for path, ops in app.openapi()["paths"].items():
            url = re.sub(r"\{[^}]*\}", "x", path)
            for method, op in ops.items():
                if not any(op.get("security", [])):
                    continue  # public: it never reads Authorization
                r = client.request(method.upper(), url, headers=lines)
                assert r.status_code == 422, (method, path, r.text)
                assert (r.json()["code"], r.json()["field"]) == (
                    "repeated_parameter",
                    "Authorization",
                ), (method, path, r.text)
                checked += 1
    assert checked >= 50


def test_a_repeated_request_id_is_refused_and_answered_with_a_new_one(client):
    """``X-Request-Id`` sent twice was taken silently (its last line); it is refused as
    any repeated one-value header is, on every API operation, and the id answered (and
    logged) is a new one, neither of those sent. Sent once, it is kept as before."""
    for lang, words in (("en", "more than once"), ("zh-CN", "不止一次")):
        for ids in (["first-1", "second-2"], ["same-1", "same-1"]):
            headers = [("X-Request-Id", i) for i in ids] + [("Accept-Language", lang)]
            r = client.get("/v1/destinations", headers=headers)
            _refused(r, "X-Request-Id")
            assert words in r.json()["detail"]
            assert r.headers["x-request-id"] not in ids
    post = client.post(
        "/v1/quotes", json={}, headers=[("X-Request-Id", "a-1"), ("X-Request-Id", "b-2")]
    )
    _refused(post, "X-Request-Id")
    once = client.get("/v1/destinations", headers={"X-Request-Id": "only-1"})
    assert once.status_code == 200 and once.headers["x-request-id"] == "only-1"


def test_a_page_given_a_repeated_request_id_answers_with_a_new_one(client):
    r = client.get("/", headers=[("X-Request-Id", "first-1"), ("X-Request-Id", "second-2")])
    assert r.status_code == 200
    assert r.headers["x-request-id"] not in ("first-1", "second-2")
