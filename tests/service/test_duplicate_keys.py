"""A JSON body with a key given twice in one object is 422 ``duplicate_key`` naming the
key's path, on every operation (``service.json_body``), never resolved to the last one.
Both databases."""

import pytest

from service.json_body import duplicate_key_path
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
