"""POST /v1/bookings: a quote becomes a booking at exactly its total, or nothing changes."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import func, select

from service.app import create_app
from service.auth import ANONYMOUS
from service.bookings.models import Booking
from service.bookings.outbox import OutboxEvent
from service.logs import carries_pii
from tests.service.booking_support import (
    FIRST_NIGHT,
    LEAD,
    add_partner,
    add_product,
    booking_body,
    item,
    make_quote,
    post_booking,
    quote_http,
    taken,
)
from tests.support.payments import fake_stripe, stripe_settings  # noqa: F401


def _count(db, table) -> int:
    with db.session() as s:
        return s.exec(select(func.count()).select_from(table)).one()


def test_without_stripe_a_booking_is_confirmed_pay_at_property_at_the_quoted_total(db, client):
    product = add_product(db, units=3, nights=3)
    quote = quote_http(client, item(product, nights=3))
    r = post_booking(client, quote["id"])
    body = r.json()
    assert r.status_code == 201
    assert body["reference"].startswith("JL-") and len(body["reference"]) == 9
    assert body["status"] == "confirmed"
    assert body["total_fen"] == quote["total_fen"]
    assert body["payment"]["mode"] == "pay_at_property"
    assert "pay" in body["payment"]["note_en"] and body["payment"]["note_zh"]
    assert body["token"]
    assert body["lead_traveller"] == LEAD
    assert set(taken(db, product).values()) == {1}
    with db.session() as s:
        event = s.exec(select(OutboxEvent)).one()
    assert (event.event_type, event.payload["reference"]) == (
        "booking.confirmed",
        body["reference"],
    )


def test_the_token_is_never_shown_again_after_creation(db, client):
    created = post_booking(client, quote_http(client, item(add_product(db)))["id"]).json()
    read = client.get(
        f"/v1/bookings/{created['reference']}", headers={"X-Booking-Token": created["token"]}
    ).json()
    assert "token" not in read
    assert read["reference"] == created["reference"]


def test_a_merchant_model_partner_gets_a_confirmed_booking_it_collects_for(db, client):
    partner = add_partner(db, "merchant-ota", merchant_collects=True)
    quote_id = quote_http(client, item(add_product(db)), headers=partner.headers)["id"]
    r = post_booking(client, quote_id, headers=partner.headers)
    assert r.status_code == 201
    assert (r.json()["status"], r.json()["payment"]["mode"]) == ("confirmed", "merchant_collects")
    assert r.json()["channel"] == "ota"


def test_an_expired_quote_is_refused_with_quote_expired(db, client):
    old = datetime.now(UTC) - timedelta(minutes=31)
    quote_id = make_quote(db, ANONYMOUS, item(add_product(db)), now=old, ttl_minutes=30)
    r = post_booking(client, quote_id)
    assert r.status_code == 422
    assert (r.json()["code"], r.json()["field"]) == ("quote_expired", "quote_id")
    assert _count(db, Booking) == 0


def test_a_quote_of_another_caller_cannot_be_booked(db, client):
    a, b = add_partner(db, "ota-a"), add_partner(db, "ota-b")
    product = add_product(db)
    quote_a = quote_http(client, item(product), headers=a.headers)["id"]
    anonymous = quote_http(client, item(product))["id"]
    for quote_id, headers in (
        (quote_a, b.headers),
        (quote_a, {}),
        (anonymous, a.headers),
        ("q_does_not_exist", {}),
    ):
        r = post_booking(client, quote_id, headers=headers)
        assert (r.status_code, r.json()["code"]) == (422, "quote_not_found")
    assert _count(db, Booking) == 0


def test_price_status_and_partner_cannot_be_sent_in_the_body(db, client):
    quote_id = quote_http(client, item(add_product(db)))["id"]
    for extra in (
        {"total_fen": 1},
        {"status": "confirmed"},
        {"client_id": 2},
        {"payment_mode": "merchant_collects"},
    ):
        r = post_booking(client, quote_id, body={**booking_body(quote_id), **extra})
        assert r.status_code == 422
        assert r.json()["errors"][0]["code"] == "unknown_field"
    bad_guest = booking_body(quote_id, guests=[{"name": "甲", "paid": True}])
    assert post_booking(client, quote_id, body=bad_guest).status_code == 422
    assert _count(db, Booking) == 0


def test_names_of_only_spaces_are_422_naming_the_field(db, client):
    quote_id = quote_http(client, item(add_product(db)))["id"]
    blank_lead = {**booking_body(quote_id), "lead_traveller": {**LEAD, "name": "   "}}
    r = post_booking(client, quote_id, body=blank_lead)
    assert r.status_code == 422, r.text
    assert r.json()["field"] == "lead_traveller.name"
    blank_guest = booking_body(quote_id, guests=[{"name": "王秀兰"}, {"name": " \t "}])
    r = post_booking(client, quote_id, body=blank_guest)
    assert (r.status_code, r.json()["field"]) == (422, "guests[1].name")
    assert _count(db, Booking) == 0
    padded = {**booking_body(quote_id), "lead_traveller": {**LEAD, "name": "  王秀兰 "}}
    r = post_booking(client, quote_id, body=padded)
    assert r.status_code == 201 and r.json()["lead_traveller"]["name"] == "王秀兰"


@pytest.mark.parametrize(
    ("lead", "guests", "field", "code"),
    [
        ({"phone": "139123"}, None, "lead_traveller.phone", "phone_digits"),  # 6 digits
        (
            {"phone": "+86 139-1"},
            None,
            "lead_traveller.phone",
            "phone_digits",
        ),  # 6: + - not counted
        ({"phone": "1234567890123456"}, None, "lead_traveller.phone", "phone_digits"),  # 16
        ({"name": "😀🌲"}, None, "lead_traveller.name", "name_no_letter"),
        ({}, [{"name": "王秀兰"}, {"name": "123 !"}], "guests[1].name", "name_no_letter"),
    ],
)
def test_a_phone_needs_7_to_15_digits_and_a_name_a_letter(db, client, lead, guests, field, code):
    quote_id = quote_http(client, item(add_product(db)))["id"]
    body = {**booking_body(quote_id, guests=guests), "lead_traveller": {**LEAD, **lead}}
    r = post_booking(client, quote_id, body=body)
    assert r.status_code == 422, r.text
    assert (r.json()["field"], r.json()["errors"][0]["code"]) == (field, code)
    assert _count(db, Booking) == 0


def test_phones_and_names_as_people_write_them_are_taken(db, client):
    quote_id = quote_http(client, item(add_product(db)))["id"]
    lead = {"name": "Zoë O'Brien", "phone": "+86 139-1234-5678"}
    body = {**booking_body(quote_id, guests=[{"name": "Zoë O'Brien"}]), "lead_traveller": lead}
    r = post_booking(client, quote_id, body=body)
    assert r.status_code == 201, r.text
    assert r.json()["lead_traveller"] == lead


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("+86 (138) 0013-8000", "+86 138 0013-8000"),
        ("(+86) 139 1234 5678", "+86 139 1234 5678"),
        ("+86(138)00138000", "+86 138 00138000"),
        ("(0431) 8888-1234", "0431 8888-1234"),
    ],
)
def test_a_phone_with_brackets_is_taken_and_kept_with_spaces(db, client, typed, kept):
    from service.clients.keys import phone_digits
    from service.logs import mask_pii

    quote_id = quote_http(client, item(add_product(db)))["id"]
    body = {**booking_body(quote_id), "lead_traveller": {"name": "王秀兰", "phone": typed}}
    r = post_booking(client, quote_id, body=body)
    assert r.status_code == 201, r.text
    assert r.json()["lead_traveller"]["phone"] == kept
    assert phone_digits(kept) == phone_digits(typed.replace("(", "").replace(")", ""))
    if "86" in typed:  # a mobile: a log line that quotes it shows 138****8000
        assert "****" in mask_pii(typed), mask_pii(typed)


@pytest.mark.parametrize("typed", ["+86 (138 0013-8000", "139) 1234 5678", "(13(9)) 12345678"])
def test_a_phone_with_a_bracket_left_open_is_a_phone_format_said_in_words(db, client, typed):
    quote_id = quote_http(client, item(add_product(db)))["id"]
    body = {**booking_body(quote_id), "lead_traveller": {"name": "王秀兰", "phone": typed}}
    said = {}
    for lang in ("en", "zh-CN"):
        r = client.post(
            "/v1/bookings",
            json=body,
            headers={"Idempotency-Key": str(uuid.uuid4()), "Accept-Language": lang},
        )
        assert r.status_code == 422, r.text
        assert r.json()["errors"][0]["code"] == "phone_format"
        said[lang] = r.json()["errors"][0]["message"]
    assert said["en"] == (
        "must be a phone number: digits, a leading + if wanted, and spaces, dashes or "
        "brackets between the digits"
    )
    assert said["zh-CN"] == "应为电话号码：数字，可以 + 开头，数字之间可有空格、短横线或括号。"
    assert _count(db, Booking) == 0


def test_a_phone_typed_in_full_width_digits_is_read_as_the_pages_read_it(db, client):
    from service.pages import forms
    from service.text import typed

    quote_id = quote_http(client, item(add_product(db)))["id"]
    lead = {"name": " 王秀兰 ", "phone": " １３９１２３４５６７８ "}
    body = {**booking_body(quote_id), "lead_traveller": lead}
    r = post_booking(client, quote_id, body=body)
    assert r.status_code == 201, r.text
    assert r.json()["lead_traveller"] == {"name": "王秀兰", "phone": "13912345678"}
    assert forms.typed is typed  # one reading of typed text, the pages' and the API's


def test_an_id_number_is_read_as_typed_and_a_resident_id_by_its_check_digit(db, client):
    """Full-width digits and a lower-case x are the same number; a mainland resident ID
    number whose last character is not the one its 17 digits give (ISO 7064 MOD 11-2:
    220102199001011235 should end in 9) is refused naming the guest's id_number, in
    words in both languages; a passport number is letters and digits."""
    quote_id = quote_http(client, item(add_product(db)))["id"]
    guests = [
        {"name": "王秀兰", "id_number": " ２２０１０１１９８００１０１１０６ｘ "},
        {"name": "Zoë", "id_number": "e12345678"},
    ]
    r = post_booking(client, quote_id, body=booking_body(quote_id, guests=guests))
    assert r.status_code == 201, r.text
    assert [g["id_number"] for g in r.json()["guests"]] == ["22010119800101106X", "E12345678"]
    quote_id = quote_http(client, item(add_product(db)))["id"]
    for number, code, lang, said in (
        ("220102199001011235", "id_number_check", "zh-CN", "不是有效的居民身份证号码"),
        ("220102199001011235", "id_number_check", "en", "is not a valid mainland ID number"),
        ("AB-1234", "id_number_format", "zh-CN", "只能使用数字和英文字母。"),
    ):
        problem = _refused_id_number(client, quote_id, number, lang)
        assert problem["errors"][0]["code"] == code
        assert said in problem["detail"] and "^" not in problem["detail"], problem["detail"]
    assert _count(db, Booking) == 1


def _refused_id_number(client, quote_id: str, number: str, lang: str) -> dict:
    """The problem of booking ``quote_id`` for one guest with ``number`` as ID number,
    which names the guest's id_number."""
    wrong = [{"name": "王秀兰", "id_number": number}]
    r = client.post(
        "/v1/bookings",
        json=booking_body(quote_id, guests=wrong),
        headers={"Idempotency-Key": str(uuid.uuid4()), "Accept-Language": lang},
    )
    assert r.status_code == 422, r.text
    assert r.json()["field"] == "guests[0].id_number"
    return r.json()


@pytest.mark.parametrize(
    ("number", "zh", "en"),
    [
        ("220102209905061235", "第 7 至 14 位不是可能的出生日期", "not a possible birth date"),
        ("220102195413061234", "第 7 至 14 位不是可能的出生日期", "not a possible birth date"),
        ("220102195402311234", "第 7 至 14 位不是可能的出生日期", "not a possible birth date"),
        ("220102189902011234", "第 7 至 14 位不是可能的出生日期", "not a possible birth date"),
        ("000000000000000001", "前 6 位不是地区代码", "first 6 digits are not a region code"),
        ("020102195405061234", "前 6 位不是地区代码", "first 6 digits are not a region code"),
        ("220102541306123", "第 7 至 12 位不是可能的出生日期", "digits 7 to 12 are not"),
        ("220102540231123", "第 7 至 12 位不是可能的出生日期", "digits 7 to 12 are not"),
        ("000000540506123", "前 6 位不是地区代码", "first 6 digits are not a region code"),
        ("931840540506123", "前 6 位不是地区代码", "first 6 digits are not a region code"),
    ],
)
def test_an_id_number_with_no_region_or_no_possible_birth_date_is_refused(
    db, client, number, zh, en
):
    """Beyond the check character: the region code (first digit 1-8; 9 for a foreign
    permanent resident's card) and a birth date of the calendar, 1900 to today (19yymmdd
    in a first-generation number of 15 digits), the same code in both languages."""
    quote_id = quote_http(client, item(add_product(db)))["id"]
    for lang, said in (("zh-CN", zh), ("en", en)):
        problem = _refused_id_number(client, quote_id, number, lang)
        assert problem["errors"][0]["code"] == "id_number_check"
        assert said in problem["detail"], problem["detail"]
    assert _count(db, Booking) == 0


def _born_on(day) -> str:
    """A resident ID number (Changchun, check character right) of a guest born on ``day``."""
    from service.bookings.id_numbers import resident_id_check

    first_17 = f"220102{day:%Y%m%d}123"
    return first_17 + resident_id_check(first_17)


def test_a_birth_date_that_has_been_is_by_the_apps_clock(db, client):
    """The ID number's birth date is checked against the app's clock (``app.state.clock``,
    as the service's every other date), not real time: with the clock replaced 20 days
    ahead (no freezegun), a guest born 10 days from now by real time is booked, one born
    after the app's today is refused (``id_number_check``)."""
    from service.clock import Clock
    from tests.support.clock import FixedClock

    real_today = Clock().today()
    client.app.state.clock = FixedClock.on(real_today + timedelta(days=20))
    product = add_product(db)
    quote_id = quote_http(client, item(product))["id"]
    problem = _refused_id_number(client, quote_id, _born_on(real_today + timedelta(days=21)), "en")
    assert problem["errors"][0]["code"] == "id_number_check"
    assert "not a possible birth date" in problem["detail"]
    guests = [{"name": "王小宝", "id_number": _born_on(real_today + timedelta(days=10))}]
    r = post_booking(client, quote_id, body=booking_body(quote_id, guests=guests))
    assert r.status_code == 201, r.text


def test_a_first_generation_or_foreign_residents_id_number_is_booked(db, client):
    quote_id = quote_http(client, item(add_product(db)))["id"]
    guests = [
        {"name": "王秀兰", "id_number": "220102540506123"},  # 15 digits, born 1954-05-06
        {"name": "Zoë", "id_number": "931840199001011233"},  # 9: a foreigner's card
    ]
    r = post_booking(client, quote_id, body=booking_body(quote_id, guests=guests))
    assert r.status_code == 201, r.text
    assert [g["id_number"] for g in r.json()["guests"]] == [g["id_number"] for g in guests]
    assert all(carries_pii(g["id_number"]) for g in guests)  # so the logs mask them


def test_more_guests_than_the_quote_is_for_is_422(db, client):
    quote_id = quote_http(client, item(add_product(db), guests=1))["id"]
    r = post_booking(
        client, quote_id, body=booking_body(quote_id, guests=[{"name": "甲"}, {"name": "乙"}])
    )
    assert (r.status_code, r.json()["code"]) == (422, "too_many_guests")


def test_with_stripe_a_booking_holds_its_nights_pending_payment(db, stripe_settings):  # noqa: F811
    product = add_product(db, units=3, nights=3)
    with TestClient(create_app(stripe_settings, database=db)) as c:
        quote_id = quote_http(c, item(product, nights=3))["id"]
        r = post_booking(c, quote_id)
    body = r.json()
    assert r.status_code == 201
    assert body["status"] == "pending_payment"
    assert body["payment"]["mode"] == "stripe"
    assert body["payment"]["client_secret"] and body["payment"]["payment_intent_id"]
    assert body["hold_expires_at"] is not None
    assert set(taken(db, product).values()) == {1}


def test_sold_out_says_how_many_units_are_left_and_never_only_0(db, client):
    """Two quotes of the product's last 2 units: booking the second finds none left,
    said so in both languages (not "only 0 left")."""
    product = add_product(db, units=2)
    first = quote_http(client, item(product, units=2))["id"]
    second = quote_http(client, item(product, units=2))["id"]
    assert post_booking(client, first).status_code == 201
    zh = post_booking(client, second)
    en = post_booking(client, second, headers={"Accept-Language": "en"})
    assert zh.status_code == en.status_code == 409
    night = zh.json()["night"]
    assert zh.json()["code"] == "sold_out"
    assert zh.json()["detail"] == f"已售罄：产品 {product} 在 {night} 已无空房。"
    assert en.json()["detail"] == f"Sold out: product {product} has no units left on {night}."


def test_fewer_units_left_than_asked_names_the_units_left(db, client):
    product = add_product(db, units=3)
    first = quote_http(client, item(product, units=2))["id"]
    second = quote_http(client, item(product, units=2))["id"]
    assert post_booking(client, first).status_code == 201
    en = post_booking(client, second, headers={"Accept-Language": "en"})
    zh = post_booking(client, second)
    night = en.json()["night"]
    assert en.json()["code"] == "sold_out"
    assert en.json()["detail"] == (
        f"Not enough units: product {product} has only 1 unit left on {night}."
    )
    assert zh.json()["detail"] == f"空房不足：产品 {product} 在 {night} 仅剩 1 间。"


def test_a_client_cannot_hold_more_unpaid_units_than_its_cap(db, stripe_settings):  # noqa: F811
    partner = add_partner(db, "ota-a")
    settings = stripe_settings.model_copy(update={"max_units_held_per_client": 3})
    product = add_product(db, units=10, nights=3)
    with TestClient(create_app(settings, database=db)) as c:
        first = quote_http(c, item(product, units=2), headers=partner.headers)["id"]
        assert post_booking(c, first, headers=partner.headers).status_code == 201
        second = quote_http(c, item(product, units=2), headers=partner.headers)["id"]
        r = post_booking(c, second, headers=partner.headers)
    assert r.status_code == 409
    assert r.json()["code"] == "hold_limit_reached"
    assert set(taken(db, product).values()) == {2}


def test_bodies_over_the_size_limit_are_413(db, client):
    r = client.post(
        "/v1/bookings",
        content=b"{" + b" " * 70_000 + b"}",
        headers={"Content-Type": "application/json", "Idempotency-Key": "big"},
    )
    assert r.status_code == 413
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["code"] == "payload_too_large"
    assert r.json()["field"] == "body"


def test_one_quote_is_booked_once_however_many_units_are_left(db, client):
    product = add_product(db, units=3)
    quote_id = quote_http(client, item(product, check_in=FIRST_NIGHT))["id"]
    answers = [post_booking(client, quote_id) for _ in range(2)]
    assert [r.status_code for r in answers] == [201, 409]
    assert answers[1].json()["code"] == "quote_already_booked"
