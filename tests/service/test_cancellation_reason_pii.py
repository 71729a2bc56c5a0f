"""A cancellation's reason is free text that the canceller types and others read (the
traveller, the partner, the destination's operator, the province): it is stored without
personal data, whoever cancels, by the survey comments' rule (``service.personal_data``;
newcomer finding 3)."""

import uuid

from service.auth import ANONYMOUS
from service.cli import main as cli
from service.logs import mask_phone
from tests.service.booking_support import (
    ID_NUMBER,
    LEAD,
    add_partner,
    book_in_service,
    booking_row,
    item,
    make_quote,
    post_booking,
    quote_http,
)
from tests.support.operators import FIRST, world


def _stored_reason(db, reference: str) -> str | None:
    return booking_row(db, reference).cancellation["reason"]


def _booked(db, w, caller=ANONYMOUS) -> str:
    return book_in_service(db, caller, make_quote(db, caller, item(w.a.product_id, check_in=FIRST)))


def _cancel_as_partner(client, reference: str, headers: dict, reason: str):
    return client.post(
        f"/v1/bookings/{reference}/cancel",
        json={"reason": reason},
        headers={**headers, "Idempotency-Key": str(uuid.uuid4())},
    )


def test_a_partners_reason_is_stored_without_the_phone_and_the_province_reads_it_so(db, client):
    w = world(db)
    partner = add_partner(db, "ota-reasons")
    reference = _booked(db, w, partner.caller)
    r = _cancel_as_partner(client, reference, partner.headers, "客人电话13812345678要求取消")
    assert r.status_code == 200, r.text
    assert r.json()["cancellation"]["reason"] == "客人电话***要求取消"
    assert _stored_reason(db, reference) == "客人电话***要求取消"  # never stored in clear
    province = client.get(f"/v1/admin/bookings/{reference}", headers=w.province.headers).json()
    assert province["cancellation"]["reason"] == "客人电话***要求取消"
    assert province["lead_phone"] == mask_phone(LEAD["phone"])
    read = client.get(f"/v1/bookings/{reference}", headers=partner.headers).json()
    assert read["cancellation"]["reason"] == "客人电话***要求取消"


def test_a_travellers_reason_loses_the_names_and_numbers_it_was_typed_with(db, client):
    w = world(db)
    created = post_booking(client, quote_http(client, item(w.a.product_id, check_in=FIRST))["id"])
    booking = created.json()
    typed = f"{LEAD['name']}身份证{ID_NUMBER}，电话１３８ ００１３ ８０００，改期了"
    r = client.post(
        f"/v1/bookings/{booking['reference']}/cancel",
        json={"reason": typed},
        headers={"X-Booking-Token": booking["token"], "Idempotency-Key": str(uuid.uuid4())},
    )
    assert r.status_code == 200, r.text
    assert r.json()["cancellation"]["reason"] == "***身份证***，电话***，改期了"
    assert _stored_reason(db, booking["reference"]) == "***身份证***，电话***，改期了"


def test_an_operators_reason_loses_a_guests_name_and_e_mail(db, client):
    w = world(db)
    reference = _booked(db, w)
    r = client.post(
        f"/v1/admin/bookings/{reference}/cancel",
        json={"reason": "李建国来电取消 li.jianguo@example.com 138_0013_8000"},
        headers=w.a.admin.headers,
    )
    assert r.status_code == 200, r.text
    assert r.json()["cancellation"]["reason"] == "***来电取消 *** ***"
    assert _stored_reason(db, reference) == "***来电取消 *** ***"


def test_a_reason_given_on_the_command_line_is_stored_without_the_phone(db, monkeypatch):
    w = world(db)
    reference = _booked(db, w)
    monkeypatch.setenv("DATABASE_URL", db.settings.database_url)
    assert cli(["cancel-booking", reference, "--reason", "旅客 +86 138 0013 8000 来电"]) == 0
    assert _stored_reason(db, reference) == "旅客 *** 来电"


def test_an_ordinary_reason_is_stored_as_typed(db, client):
    w = world(db)
    reference = _booked(db, w)
    typed = "3 号楼停水，维修至 2027-07-09 14:00，房价 ¥1,280 全额退还"
    r = client.post(
        f"/v1/admin/bookings/{reference}/cancel", json={"reason": typed}, headers=w.a.admin.headers
    )
    assert r.json()["cancellation"]["reason"] == typed


def test_a_reason_loses_a_0086_phone_a_15_digit_id_and_the_names_typed_in_any_case(db, client):
    """The newcomer's finding: a phone with 0086, the booking's names typed in another
    case or with spaces between their characters, and a first-generation ID number were
    stored and read by everyone as typed."""
    w = world(db)
    partner = add_partner(db, "ota-spaced-names")
    quote_id = quote_http(client, item(w.a.product_id, check_in=FIRST), headers=partner.headers)[
        "id"
    ]
    guests = [{"name": "Mary Smith"}, {"name": "周八", "id_number": "220102540506123"}]
    body = {
        "quote_id": quote_id,
        "lead_traveller": {"name": "Mary Smith", "phone": "008613912345678"},
        "guests": guests,
    }
    created = post_booking(client, quote_id, headers=partner.headers, body=body)
    assert created.status_code == 201, created.text
    reference = created.json()["reference"]
    typed = (
        "guest mary smith asked by phone 008613912345678 to cancel; MARY SMITH and 周 八 "
        "(身份证220102540506123) called from 0086 139-1234-5678; Maryland trip, order "
        "202612071234567"
    )
    r = _cancel_as_partner(client, reference, partner.headers, typed)
    assert r.status_code == 200, r.text
    scrubbed = (
        "guest *** asked by phone *** to cancel; *** and *** (身份证***) called from ***; "
        "Maryland trip, order 202612071234567"
    )
    assert r.json()["cancellation"]["reason"] == scrubbed
    assert _stored_reason(db, reference) == scrubbed
    province = client.get(f"/v1/admin/bookings/{reference}", headers=w.province.headers).json()
    assert province["cancellation"]["reason"] == scrubbed


def test_an_operators_reason_loses_a_name_typed_with_spaces_but_not_a_one_character_name(
    db, client
):
    w = world(db)
    reference = _booked(db, w)  # 王秀兰 and 李建国
    r = client.post(
        f"/v1/admin/bookings/{reference}/cancel",
        json={"reason": "王 秀 兰和李　建国来电，王经理同意"},
        headers=w.a.admin.headers,
    )
    assert r.status_code == 200, r.text
    assert _stored_reason(db, reference) == "***和***来电，王经理同意"
