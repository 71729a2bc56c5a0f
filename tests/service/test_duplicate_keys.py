"""A JSON body with a key given twice in one object is 422 ``duplicate_key`` naming the
key's path, on every operation (``service.json_body``), never resolved to the last one;
one holding NaN or Infinity (not JSON, RFC 8259) is 422 ``malformed_json`` naming the
value's path. Both databases."""

import pytest

from service.json_body import body_fault, duplicate_key_path, loads
from tests.service.booking_support import add_partner
from tests.support.operators import FIRST, world


@pytest.mark.parametrize(
    "body, path",
    [
        (b'{"a":1,"a":2}', "a"),
        (b'{"set":{"units":12,"units":0}}', "set.units"),
        (b'{"items":[{"x":1},{"x":1,"y":2,"x":3}]}', "items[1].x"),
        (b'[{"k":1,"k":1}]', "[0].k"),
        (b'{"a":{"b":1},"c":{"b":2}}', None),
        (b'{"a":', None),
    ],
)
def test_the_path_of_the_first_repeated_key(body, path):
    assert duplicate_key_path(body) == path


def test_a_repeated_key_in_a_calendar_preview_is_refused_not_the_last_one(db, client):
    w = world(db)
    day = FIRST.isoformat()
    body = (
        f'{{"product_ids":[{w.a.product_id}],"from":"{day}","to":"{day}",'
        '"set":{"units":12,"units":0}}'
    )
    headers = w.a.admin.headers | {"Content-Type": "application/json", "Accept-Language": "en"}
    r = client.post("/v1/admin/calendar/preview", content=body, headers=headers)
    assert r.status_code == 422, r.text
    assert (r.json()["code"], r.json()["field"]) == ("duplicate_key", "set.units")
    zh = client.post(
        "/v1/admin/calendar/preview",
        content=body,
        headers=headers | {"Accept-Language": "zh-CN"},
    )
    assert "不止一次" in zh.json()["detail"]
    once = body.replace('"units":12,', "")
    ok = client.post("/v1/admin/calendar/preview", content=once, headers=headers)
    assert ok.status_code == 200, ok.text


def test_a_repeated_key_is_refused_on_a_quote_and_a_booking_with_its_key_checked_first(db, client):
    partner = add_partner(db, "dup-partner")
    h = {"Content-Type": "application/json", "Accept-Language": "en"}
    quote = client.post("/v1/quotes", content=b'{"items":[],"items":[]}', headers=h)
    assert quote.status_code == 422 and quote.json()["code"] == "duplicate_key"
    booking = b'{"quote_id":"q","quote_id":"r"}'
    bad_key = client.post(
        "/v1/bookings",
        content=booking,
        headers=h | {"Authorization": "Bearer jl_nope_nope", "Idempotency-Key": "k-1"},
    )
    assert bad_key.status_code == 401
    refused = client.post(
        "/v1/bookings",
        content=booking,
        headers=h | partner.headers | {"Idempotency-Key": "k-2"},
    )
    assert refused.status_code == 422 and refused.json()["field"] == "quote_id"


# -- NaN and Infinity: not JSON (RFC 8259), refused where they are ---------------------------


@pytest.mark.parametrize(
    "body, fault",
    [
        (b'{"guests":NaN}', ("NaN", "guests")),
        (b'{"items":[{"a":1},{"km":Infinity}]}', ("Infinity", "items[1].km")),
        (b"[-Infinity]", ("-Infinity", "[0]")),
        (b"NaN", ("NaN", "")),
        (b'{"a":NaN,"a":1}', ("NaN", "a")),
        (b'{"a":1,"a":NaN}', ("duplicate", "a")),
        (b'{"text":"NaN","n":1e400}', None),
    ],
)
def test_the_first_fault_of_a_body_in_its_order(body, fault):
    assert body_fault(body) == fault


def test_strict_loads_refuses_the_constants_python_takes():
    assert loads('{"a":[1.5,"NaN"]}') == {"a": [1.5, "NaN"]}
    for text in ("NaN", "[Infinity]", '{"a":-Infinity}'):
        with pytest.raises(ValueError):
            loads(text)


def test_nan_in_a_quote_is_malformed_json_at_its_path_in_both_languages(db, client):
    body = (
        b'{"items":[{"product_id":1,"check_in":"2027-07-01","check_out":"2027-07-08",'
        b'"guests":NaN}]}'
    )
    h = {"Content-Type": "application/json"}
    en = client.post("/v1/quotes", content=body, headers=h | {"Accept-Language": "en"})
    assert en.status_code == 422, en.text
    assert (en.json()["code"], en.json()["field"]) == ("malformed_json", "items[0].guests")
    assert "NaN" in en.json()["detail"] and "RFC 8259" in en.json()["detail"]
    zh = client.post("/v1/quotes", content=body, headers=h)
    assert zh.json()["code"] == "malformed_json" and "不是 JSON 数值" in zh.json()["detail"]
    whole = client.post("/v1/quotes", content=b"Infinity", headers=h)
    assert (whole.json()["code"], whole.json()["field"]) == ("malformed_json", "body")


@pytest.mark.parametrize("literal", ["Infinity", "-Infinity", "NaN"])
def test_infinity_in_an_admin_patch_is_malformed_json_not_a_bound(db, client, literal):
    w = world(db)
    r = client.patch(
        f"/v1/admin/destinations/{w.a.destination_id}",
        content=f'{{"nearest_hospital_km": {literal}}}',
        headers=w.a.admin.headers | {"Content-Type": "application/json"},
    )
    assert r.status_code == 422, r.text
    assert (r.json()["code"], r.json()["field"]) == ("malformed_json", "nearest_hospital_km")


def test_a_stripe_event_holding_nan_is_not_one_the_service_reads():
    from service.payments.events import event_from_text

    good = '{"id":"evt_1","type":"payment_intent.succeeded","data":{"object":{}}}'
    assert event_from_text(good) is not None
    assert event_from_text(good.replace("{}", '{"amount":NaN}')) is None
