"""Control characters in bodies and paths are a 422 naming the field, on both databases
(PostgreSQL text cannot hold NUL: it used to reach the database and answer 500)."""

import copy
import uuid

import pytest

from tests.service.booking_support import add_product, booking_body, item, quote_http


def _problem(r, field: str) -> None:
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["field"] == field


def test_nul_in_a_quote_body_or_path_is_422_not_500(db, client):
    product = add_product(db)
    body = {"items": [item(product)], "stubs": ["AB\u0000C"]}
    _problem(client.post("/v1/quotes", json=body), "stubs[0]")
    _problem(client.get("/v1/quotes/q_%00x"), "quote_id")


@pytest.mark.parametrize(
    ("where", "field"),
    [
        ("lead", "lead_traveller.name"),
        ("guest", "guests[0].name"),
        ("quote_id", "quote_id"),
    ],
)
def test_nul_in_a_booking_body_is_422_naming_the_field(db, client, where, field):
    quote_id = quote_http(client, item(add_product(db)))["id"]
    body = copy.deepcopy(booking_body(quote_id))  # the shared guest dicts stay intact
    if where == "lead":
        body["lead_traveller"]["name"] = "王\u0000秀兰"
    elif where == "guest":
        body["guests"][0]["name"] = "李\u202e建国"  # a bidi override: hides text in logs
    else:
        body["quote_id"] = "q_\u0000"
    r = client.post("/v1/bookings", json=body, headers={"Idempotency-Key": str(uuid.uuid4())})
    _problem(r, field)


def test_control_characters_in_booking_paths_and_cancel_reasons(db, client):
    _problem(client.get("/v1/bookings/JL-%00"), "reference")
    r = client.post(
        "/v1/bookings/JL-%00/cancel", json={}, headers={"Idempotency-Key": str(uuid.uuid4())}
    )
    _problem(r, "reference")
    quote_id = quote_http(client, item(add_product(db)))["id"]
    r = client.post("/v1/bookings", json=booking_body(quote_id), headers={"Idempotency-Key": "b-1"})
    assert r.status_code == 201, r.text
    booked = r.json()
    path = f"/v1/bookings/{booked['reference']}/cancel"
    headers = {"X-Booking-Token": booked["token"]}
    bad = client.post(
        path, json={"reason": "a\u0000b"}, headers={**headers, "Idempotency-Key": "c-1"}
    )
    _problem(bad, "reason")
    ok = client.post(
        path, json={"reason": "行程有变\n改期"}, headers={**headers, "Idempotency-Key": "c-2"}
    )
    assert ok.status_code == 200 and ok.json()["status"] == "cancelled"


@pytest.mark.parametrize("since", ["9999-12-31T23:59:59-12:00", "0001-01-01T00:00:00+14:00"])
def test_a_feed_instant_that_utc_cannot_hold_is_422(db, client, since):
    from tests.service.booking_support import add_partner

    partner = add_partner(db, "ota-a")
    r = client.get("/v1/bookings", params={"updated_since": since}, headers=partner.headers)
    _problem(r, "updated_since")


@pytest.mark.parametrize(
    ("since", "ok"),
    [
        ("9999-01-01T00:00:00Z", False),
        ("2101-01-01T00:00:00Z", False),
        ("1999-12-31T23:59:59Z", False),
        ("2000-01-01T08:00:00+08:00", True),  # 2000-01-01T00:00:00Z
        ("2100-12-31T23:59:59Z", True),
    ],
)
def test_a_feed_instant_outside_the_calendar_is_422(db, client, since, ok):
    from tests.service.booking_support import add_partner

    partner = add_partner(db, "ota-a")
    r = client.get("/v1/bookings", params={"updated_since": since}, headers=partner.headers)
    if ok:
        assert r.status_code == 200, r.text
    else:
        _problem(r, "updated_since")
        assert "2000-01-01T00:00:00Z" in r.json()["errors"][0]["message"]


def test_every_datetime_query_parameter_is_checked_against_the_calendar(db, client):
    """Every query parameter of the document that takes an instant refuses one outside
    2000-2100 (a new one is found here and asked for as a partner would)."""
    from tests.service.booking_support import add_partner

    spec = client.get("/openapi.json").json()
    found = [
        (path, method, p["name"])
        for path, ops in spec["paths"].items()
        for method, op in ops.items()
        for p in op.get("parameters", [])
        if p["in"] == "query" and "date-time" in str(p["schema"])
    ]
    assert ("/v1/bookings", "get", "updated_since") in found
    partner = add_partner(db, "ota-a")
    for path, method, name in found:
        for outside in ("9999-01-01T00:00:00Z", "1999-12-31T23:59:59Z"):
            r = client.request(method, path, params={name: outside}, headers=partner.headers)
            _problem(r, name)


def test_a_trailing_slash_is_a_404_problem_not_a_redirect(db, client):
    r = client.post(
        "/v1/quotes/", json={}, headers={"Host": "evil.example"}, follow_redirects=False
    )
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("application/problem+json")
    assert "location" not in r.headers


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"guests": True}, "items[0].guests"),
        ({"guests": "2"}, "items[0].guests"),
        ({"units": 1.0}, "items[0].units"),
        ({"product_id": "1"}, "items[0].product_id"),
        ({"pack_ids": ["1"]}, "items[0].pack_ids[0]"),
        ({"check_in": "2027-06-25T00:00:00-10:00"}, "items[0].check_in"),
        ({"check_in": 1814400000}, "items[0].check_in"),
    ],
)
def test_a_quote_takes_json_integers_and_plain_dates_only(db, client, change, field):
    """No silent coercion: ``true`` is not 1 guest, a datetime is not its date."""
    body = {"items": [{**item(add_product(db)), **change}]}
    _problem(client.post("/v1/quotes", json=body), field)


def test_a_forged_feed_cursor_with_a_huge_id_is_422_invalid_cursor(db, client):
    from service.bookings.feed import FEED
    from tests.service.booking_support import add_partner

    partner = add_partner(db, "ota-a")
    cursor = FEED.cursor(["2026-11-23T17:11:37+00:00", 99999999999999999999999])
    r = client.get("/v1/bookings", params={"cursor": cursor}, headers=partner.headers)
    assert r.status_code == 422 and r.json()["code"] == "invalid_cursor"
    assert r.json()["field"] == "cursor"


def test_over_long_optional_text_is_counted_in_characters(db, client):
    """An optional text's limit is on the text: "at most 40 characters", never "items"."""
    r = client.get(
        "/v1/destinations", params={"prefecture": "吉" * 41}, headers={"Accept-Language": "en"}
    )
    _problem(r, "prefecture")
    assert "40 characters" in r.json()["detail"]
    zh = client.get("/v1/destinations", params={"prefecture": "吉" * 41})
    assert zh.json()["detail"] == "prefecture：最多 40 个字符。"
    created = client.post(
        "/v1/bookings",
        json=booking_body(quote_http(client, item(add_product(db)))["id"]),
        headers={"Idempotency-Key": str(uuid.uuid4())},
    ).json()
    r = client.post(
        f"/v1/bookings/{created['reference']}/cancel",
        json={"reason": "x" * 201},
        headers={
            "X-Booking-Token": created["token"],
            "Idempotency-Key": "c-long",
            "Accept-Language": "en",
        },
    )
    _problem(r, "reason")
    assert "200 characters" in r.json()["detail"]
    assert "items" not in r.json()["detail"]


@pytest.mark.parametrize(
    ("name", "code", "en", "zh"),
    [
        (
            "王\u0000",
            "control_character",
            "must not contain control characters: it holds U+0000 NUL",
            "不得包含控制字符：其中有 U+0000（空字符 NUL）。",
        ),
        (
            "王\u200b",
            "invisible_character",
            "must not contain invisible characters: it holds U+200B ZERO WIDTH SPACE (a "
            "formatting character)",
            "不得包含看不见的字符：其中有 U+200B（零宽空格）。",
        ),
        (
            "王\u202e秀兰",
            "invisible_character",
            "must not contain invisible characters: it holds U+202E RIGHT-TO-LEFT OVERRIDE (a "
            "formatting character)",
            "不得包含看不见的字符：其中有 U+202E（文字方向控制符）。",
        ),
    ],
)
def test_a_control_or_invisible_character_in_a_name_has_its_code(db, client, name, code, en, zh):
    """Not the generic ``value_error``, and a zero-width space is no "control character":
    each is said as what it is, with the character named, in both languages."""
    quote_id = quote_http(client, item(add_product(db)))["id"]
    body = copy.deepcopy(booking_body(quote_id))
    body["lead_traveller"]["name"] = name
    for lang, said in (("en", en), ("zh-CN", zh)):
        headers = {"Idempotency-Key": str(uuid.uuid4()), "Accept-Language": lang}
        r = client.post("/v1/bookings", json=body, headers=headers)
        _problem(r, "lead_traveller.name")
        [error] = r.json()["errors"]
        assert (error["code"], error["message"]) == (code, said)


def test_free_text_names_the_control_character_and_allows_newlines(db, client):
    from pydantic import TypeAdapter, ValidationError

    from service.text import FreeText
    from service.validation_messages import message

    with pytest.raises(ValidationError) as refused:
        TypeAdapter(FreeText).validate_python("行程\n有变\u0007")
    error = refused.value.errors()[0]
    assert message(error, "en") == (
        "control_character",
        "must not contain control characters other than newlines and tabs: it holds U+0007 BEL",
    )
    assert message(error, "zh-CN") == (
        "control_character",
        "除换行和制表符外不得包含控制字符：其中有 U+0007（响铃符 BEL）。",
    )
    for unseen, said in (("\u2028", "U+2028 LINE SEPARATOR"), ("\ue000", "U+E000 (a private-use")):
        with pytest.raises(ValidationError) as refused:
            TypeAdapter(FreeText).validate_python(f"a{unseen}b")
        assert refused.value.errors()[0]["type"] == "invisible_character"
        assert said in message(refused.value.errors()[0], "en")[1]
