"""A one-value header given more than once (``Idempotency-Key``, ``X-Booking-Token``) is
422 ``repeated_parameter`` naming it, as a repeated query parameter is: never cut to its
first value. Both databases."""

import re
import uuid

from fastapi.testclient import TestClient

from service.app import create_app
from service.settings import Settings
from tests.service.booking_support import add_product, item, post_booking, quote_http


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
