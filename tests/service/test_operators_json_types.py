"""The admin API takes each field in its JSON type, as POST /v1/quotes and POST /v1/plans
do: a number is a JSON number, a flag ``true`` or ``false``, an id a JSON integer.
``"10"``, ``"yes"``, ``"true"``, ``1`` for a flag or ``true`` for a number is 422
``validation_error`` naming the field, in zh-CN and English, and changes nothing.
Both databases."""

from datetime import timedelta

import pytest

from tests.service.test_catalog_api import assert_problem
from tests.service.test_operators_catalogue import PRODUCT
from tests.support.operators import FIRST, rule_body, rule_terms, world

NUMBER = ("must be a number", "应为数字")
FLAG = ("must be true or false", "应为 true 或 false")
WHOLE = ("must be a whole number", "应为整数")


def _refused(client, method, url, body, headers, field, words) -> None:
    en, zh = words
    for lang, said in (("en", en), ("zh-CN", zh)):
        r = client.request(method, url, json=body, headers={**headers, "Accept-Language": lang})
        problem = assert_problem(r, 422, "validation_error", field)
        assert said in problem["detail"], problem


def _pack(client, w) -> int:
    body = {
        "destination_id": w.a.destination_id,
        "code": "a-forest-week",
        "kind": "therapy",
        "name_zh": "森林浴一周",
        "name_en": "A week of forest bathing",
        "price_fen": 68000,
        "basis": "per_guest",
    }
    r = client.post("/v1/admin/packs", json=body, headers=w.a.admin.headers)
    assert r.status_code == 201, r.text
    return r.json()["id"]


@pytest.mark.parametrize(
    "field, value, words",
    [
        ("nearest_hospital_km", "10", NUMBER),
        ("nearest_hospital_km", True, NUMBER),
        ("has_5g", "yes", FLAG),
        ("elder_friendly_rooms", "true", FLAG),
        ("medical_insurance_station", 1, FLAG),
        ("cross_province_settlement", "false", FLAG),
    ],
)
def test_destination_facts_refuse_a_value_of_another_json_type(db, client, field, value, words):
    w = world(db)
    url = f"/v1/admin/destinations/{w.a.destination_id}"
    h = w.a.admin.headers
    before = client.get(url, headers=h).json()
    _refused(client, "PATCH", url, {field: value}, h, field, words)
    assert client.get(url, headers=h).json() == before


def test_destination_facts_take_json_numbers_and_booleans(db, client):
    w = world(db)
    url = f"/v1/admin/destinations/{w.a.destination_id}"
    body = {"nearest_hospital_km": 12, "has_5g": True, "medical_insurance_station": False}
    r = client.patch(url, json=body, headers=w.a.admin.headers)
    assert r.status_code == 200, r.text
    assert r.json()["nearest_hospital_km"] == 12.0 and r.json()["has_5g"] is True
    r = client.patch(url, json={"nearest_hospital_km": 12.5}, headers=w.a.admin.headers)
    assert r.json()["nearest_hospital_km"] == 12.5


@pytest.mark.parametrize(
    "over, field",
    [
        ({"base_rate_fen": "30000"}, "base_rate_fen"),
        ({"base_rate_fen": 30000.0}, "base_rate_fen"),
        ({"destination_id": "1"}, "destination_id"),
        ({"max_occupancy": "4"}, "max_occupancy"),
        ({"beds_per_unit": True}, "beds_per_unit"),
        ({"min_nights": "1"}, "min_nights"),
        ({"duration_modules": ["7"]}, "duration_modules[0]"),
        ({"max_discount_bps": "3000"}, "max_discount_bps"),
        (
            {"refund_policy": [{"min_days_before_check_in": 3, "refund_bps": "5000"}]},
            "refund_policy[0].refund_bps",
        ),
    ],
)
def test_a_new_product_refuses_a_number_as_text(db, client, over, field):
    w = world(db)
    body = {**PRODUCT, "destination_id": w.a.destination_id, **over}
    _refused(client, "POST", "/v1/admin/products", body, w.a.admin.headers, field, WHOLE)
    mine = client.get("/v1/admin/products", headers=w.a.admin.headers).json()["items"]
    assert PRODUCT["slug"] not in {p["slug"] for p in mine}


@pytest.mark.parametrize(
    "body, field",
    [
        ({"base_rate_fen": "32000"}, "base_rate_fen"),
        ({"filed_rate_fen": "42000"}, "filed_rate_fen"),
        ({"extra_guest_fee_fen": False}, "extra_guest_fee_fen"),
        ({"base_occupancy": "2"}, "base_occupancy"),
    ],
)
def test_a_product_edit_refuses_a_number_as_text(db, client, body, field):
    w = world(db)
    url = f"/v1/admin/products/{w.a.product_id}"
    before = client.get(url, headers=w.a.admin.headers).json()
    _refused(client, "PATCH", url, body, w.a.admin.headers, field, WHOLE)
    assert client.get(url, headers=w.a.admin.headers).json() == before


def test_seasons_refuse_a_rate_as_text(db, client):
    w = world(db)
    h = w.a.admin.headers
    url = f"/v1/admin/products/{w.a.product_id}/seasons"
    season = {
        "name_zh": "盛夏",
        "name_en": "High summer",
        "start_date": (FIRST + timedelta(days=30)).isoformat(),
        "end_date": (FIRST + timedelta(days=40)).isoformat(),
        "nightly_rate_fen": "45000",
    }
    _refused(client, "POST", url, season, h, "nightly_rate_fen", WHOLE)
    season["nightly_rate_fen"], season["filed_rate_fen"] = 45000, "48000"
    _refused(client, "POST", url, season, h, "filed_rate_fen", WHOLE)
    del season["filed_rate_fen"]
    created = client.post(url, json=season, headers=h)
    assert created.status_code == 201, created.text
    one = f"{url}/{created.json()['id']}"
    _refused(client, "PATCH", one, {"nightly_rate_fen": "43000"}, h, "nightly_rate_fen", WHOLE)


def test_packs_refuse_a_price_or_an_id_as_text(db, client):
    w = world(db)
    h = w.a.admin.headers
    pack_id = _pack(client, w)
    body = {
        "destination_id": str(w.a.destination_id),
        "code": "a-hot-spring-week",
        "kind": "therapy",
        "name_zh": "温泉一周",
        "name_en": "A hot-spring week",
        "price_fen": 50000,
        "basis": "per_guest",
    }
    _refused(client, "POST", "/v1/admin/packs", body, h, "destination_id", WHOLE)
    body = {**body, "destination_id": w.a.destination_id, "price_fen": "50000"}
    _refused(client, "POST", "/v1/admin/packs", body, h, "price_fen", WHOLE)
    url = f"/v1/admin/packs/{pack_id}"
    _refused(client, "PATCH", url, {"price_fen": "72000"}, h, "price_fen", WHOLE)
    offers = f"/v1/admin/products/{w.a.product_id}/packs"
    _refused(client, "PUT", offers, {"pack_ids": [str(pack_id)]}, h, "pack_ids[0]", WHOLE)
    r = client.put(offers, json={"pack_ids": [pack_id]}, headers=h)
    assert r.status_code == 200, r.text


@pytest.mark.parametrize(
    "over, field",
    [
        ({"product_ids": ["1"]}, "product_ids[0]"),
        ({"weekdays": ["6"]}, "weekdays[0]"),
        ({"set": {"units": "3"}}, "set.units"),
    ],
)
def test_a_calendar_edit_refuses_an_id_or_a_number_as_text(db, client, over, field):
    w = world(db)
    body = {
        "product_ids": [w.a.product_id],
        "from": FIRST.isoformat(),
        "to": (FIRST + timedelta(days=6)).isoformat(),
        "set": {"units": 3},
        **over,
    }
    _refused(client, "POST", "/v1/admin/calendar/preview", body, w.a.admin.headers, field, WHOLE)


def test_an_account_refuses_a_destination_id_as_text(db, client):
    w = world(db)
    body = {
        "login": "desk-a",
        "display_name": "前台",
        "role": "operator_staff",
        "destination_ids": [str(w.a.destination_id)],
        "password": "long-enough-pass",
    }
    h = w.a.admin.headers
    _refused(client, "POST", "/v1/admin/accounts", body, h, "destination_ids[0]", WHOLE)
    logins = {a["login"] for a in client.get("/v1/admin/accounts", headers=h).json()["items"]}
    assert "desk-a" not in logins


@pytest.mark.parametrize(
    "over, field",
    [
        ({"destination_ids": ["1"]}, "destination_ids[0]"),
        ({"product_ids": ["1"]}, "product_ids[0]"),
        ({"issuer_id": "1"}, "issuer_id"),
        ({"transit_line_ids": ["1"]}, "transit_line_ids[0]"),
        ({"tiers": [{"threshold": "7", "bps": 500}]}, "tiers[0].threshold"),
    ],
)
def test_a_rule_and_its_new_version_refuse_an_id_as_text(db, client, over, field):
    w = world(db)
    h = w.a.admin.headers
    _refused(client, "POST", "/v1/admin/rules", rule_body(w, **over), h, field, WHOLE)
    created = client.post("/v1/admin/rules", json=rule_body(w), headers=h)
    assert created.status_code == 201, created.text
    url = f"/v1/admin/rules/{created.json()['id']}/versions"
    _refused(client, "POST", url, rule_terms(rule_body(w, **over)), h, field, WHOLE)
