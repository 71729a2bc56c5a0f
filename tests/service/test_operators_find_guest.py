"""A front desk finds a booking by the guest (docs/operators.md, "Finding a booking by the
guest"): ``GET /v1/admin/bookings?lead_phone=&name=`` matches the lead traveller's phone
by its keyed hash (``booking.traveller_hash``), however it is written, and the lead's
name exactly, only among the caller's own destinations' bookings; neither is logged or
put in a cursor."""

import base64
import json
import logging
import re
from datetime import UTC, datetime
from urllib.parse import quote

from service.auth import ANONYMOUS
from service.bookings import service as bookings
from service.bookings.schemas import BookingIn
from service.logs import JsonFormatter
from tests.service.booking_support import booking_body, item, make_quote
from tests.support.operators import FIRST, world

FANG = {"name": "王芳", "phone": "13800138000"}
# Fang's phone however written (digits, spaces, dashes, percent-encoded), never a bare
# "0013" or "8000": a request id's or a hash's hex may hold those.
FANG_PHONE = re.compile(r"138(?:%[0-9A-F]{2}|\D){0,3}0013(?:%[0-9A-F]{2}|\D){0,3}8000")
OTHER = {"name": "李建国", "phone": "13912345678"}


def _book(db, product_id, lead) -> str:
    quote_id = make_quote(db, ANONYMOUS, item(product_id, check_in=FIRST, nights=2))
    body = booking_body(quote_id, guests=[{"name": lead["name"]}], lead=lead)
    with db.write_session() as s:
        view = bookings.create_booking(
            s,
            ANONYMOUS,
            BookingIn.model_validate(body),
            now=datetime.now(UTC),
            settings=db.settings,
        )
        s.commit()
        return view.booking.reference


def _found(client, headers, **query) -> list[str]:
    r = client.get("/v1/admin/bookings", params=query, headers=headers)
    assert r.status_code == 200, r.text
    return [b["reference"] for b in r.json()["items"]]


def test_a_guest_is_found_by_phone_however_written_and_by_name(db, client):
    w = world(db)
    fang = _book(db, w.a.product_id, FANG)
    other = _book(db, w.a.product_id, OTHER)
    h = w.a.staff.headers
    spellings = ("138 0013 8000", "+86 138-0013-8000", "0086 13800138000", "１３８００１３８０００")
    for said in spellings:
        assert _found(client, h, lead_phone=said) == [fang], said
    assert _found(client, h, name=" 王芳 ") == [fang]
    assert _found(client, h, name="王芳", lead_phone="13912345678") == []
    assert _found(client, h, name="李建国", lead_phone="139 1234 5678") == [other]
    assert _found(client, h, lead_phone="13700000000") == []
    assert _found(client, h, name="王") == []  # exact, never a part of a name
    assert set(_found(client, h)) == {fang, other}  # without them, the list as it was


def test_another_destinations_booking_is_never_found_by_the_guest(db, client):
    w = world(db)
    at_b = _book(db, w.b.product_id, FANG)
    for headers in (w.a.admin.headers, w.a.staff.headers):
        assert _found(client, headers, lead_phone="138 0013 8000") == []
        assert _found(client, headers, name="王芳") == []
    assert _found(client, w.b.admin.headers, lead_phone="138 0013 8000") == [at_b]
    # the province reads every destination, the names masked as in the list
    r = client.get("/v1/admin/bookings", params={"name": "王芳"}, headers=w.province.headers)
    assert [b["reference"] for b in r.json()["items"]] == [at_b]
    assert "王芳" not in r.text


def test_a_phone_that_is_not_a_phone_is_refused_naming_lead_phone(db, client):
    w = world(db)
    for lang, words in (("en", "must be a phone number"), ("zh-CN", "应为电话号码")):
        r = client.get(
            "/v1/admin/bookings",
            params={"lead_phone": "abc"},
            headers={**w.a.admin.headers, "Accept-Language": lang},
        )
        problem = r.json()
        assert (r.status_code, problem["code"], problem["field"]) == (
            422, "validation_error", "lead_phone",
        ), r.text  # fmt: skip
        assert words in r.text
    r = client.get("/v1/admin/bookings?lead_phone=123", headers=w.a.admin.headers)
    assert (r.status_code, r.json()["field"]) == (422, "lead_phone")


def test_the_search_is_in_no_log_and_no_cursor(db, client, caplog):
    w = world(db)
    for _ in range(3):
        _book(db, w.a.product_id, FANG)
    caplog.set_level(logging.DEBUG)
    url = f"/v1/admin/bookings?lead_phone={quote('138 0013 8000')}&name={quote('王芳')}&limit=2"
    r = client.get(url, headers=w.a.admin.headers)
    assert r.status_code == 200 and len(r.json()["items"]) == 2
    cursor = r.json()["next"]
    raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    # the phone however written (not a bare "8000": the cursor's hashes are hex)
    assert not FANG_PHONE.search(raw) and "王芳" not in raw
    server = [rec for rec in caplog.records if rec.name != "httpx"]  # httpx: the test's client
    lines = "\n".join(JsonFormatter().format(rec) for rec in server)
    assert "jilin.access" in lines
    assert not FANG_PHONE.search(lines)
    for said in ("王芳", "%E7%8E%8B"):
        assert said not in lines
    access = [json.loads(JsonFormatter().format(x)) for x in server if x.name == "jilin.access"]
    assert access[-1]["path"] == "/v1/admin/bookings"
    # the cursor walks the same search, and only it
    more = client.get(f"{url}&cursor={cursor}", headers=w.a.admin.headers)
    assert more.status_code == 200 and len(more.json()["items"]) == 1
    other = client.get(f"/v1/admin/bookings?name=李建国&cursor={cursor}", headers=w.a.admin.headers)
    assert (other.status_code, other.json()["code"]) == (422, "invalid_cursor")
