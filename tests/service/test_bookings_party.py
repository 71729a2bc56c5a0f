"""Who stays: a booking's ``guests`` are the party, the lead traveller included
(``bookings.service.check_party``, the one rule for the API and the book page)."""

import pytest
from sqlmodel import select

from service.bookings.models import Booking
from service.bookings.schemas import BookingIn
from tests.service.booking_support import (
    LEAD,
    add_product,
    booking_body,
    item,
    post_booking,
    quote_http,
)


def _quote(db, client, guests: int = 2) -> str:
    return quote_http(client, item(add_product(db, units=3), guests=guests))["id"]


def _booked_guests(db) -> list[str]:
    with db.session() as s:
        return [g["name"] for g in s.exec(select(Booking)).one().guests]


def test_a_full_list_without_the_lead_traveller_is_refused_naming_guests(db, client):
    """The newcomer's finding: a 2-guest quote booked by 王秀兰 for 张三 and 李四 was 201,
    three people on a booking for two. Nothing is booked."""
    quote_id = _quote(db, client)
    others = [{"name": "张三"}, {"name": "李四"}]
    body = booking_body(quote_id, guests=others)
    zh = post_booking(client, quote_id, body=body)
    assert (zh.status_code, zh.json()["code"], zh.json()["field"]) == (
        422,
        "lead_not_among_guests",
        "guests",
    )
    assert zh.json()["detail"] == (
        "该报价为 2 位客人（含联系人本人）；所列 2 位客人中没有联系人的姓名，合计 3 人。"
        "请把联系人列入客人，或最多列出另外 1 位客人。"
    )
    en = post_booking(client, quote_id, body=body, headers={"Accept-Language": "en"})
    assert en.json()["detail"] == (
        "The quote is for 2 guests, the lead traveller included; the lead traveller's name "
        "is not among the 2 listed, which makes 3. List the lead traveller among the "
        "guests, or at most 1 other guest."
    )
    with db.session() as s:
        assert s.exec(select(Booking)).all() == []


def test_a_party_of_one_says_to_list_no_other_guest(db, client):
    quote_id = _quote(db, client, guests=1)
    body = booking_body(quote_id, guests=[{"name": "张三"}])
    r = post_booking(client, quote_id, body=body, headers={"Accept-Language": "en"})
    assert r.json()["code"] == "lead_not_among_guests"
    said = "List the lead traveller among the guests, or list no other guest."
    assert r.json()["detail"].endswith(said)


@pytest.mark.parametrize(
    "lead, listed",
    [
        ("王秀兰", "王 秀兰"),  # a space typed between the characters
        ("Mary Smith", "MARY SMITH"),  # another case
        ("Mary Smith", "MarySmith"),  # without the space
        ("Mary Smith", "Ｍａｒｙ Ｓｍｉｔｈ"),  # full-width letters, as a Chinese IME types
    ],
)
def test_the_lead_traveller_is_found_among_the_guests_as_names_are_compared(
    db, client, lead, listed
):
    quote_id = _quote(db, client)
    body = {
        "quote_id": quote_id,
        "lead_traveller": {**LEAD, "name": lead},
        "guests": [{"name": "张三"}, {"name": listed}],
    }
    r = post_booking(client, quote_id, body=body)
    assert r.status_code == 201, r.text
    assert [g["name"] for g in r.json()["guests"]] == ["张三", listed]


@pytest.mark.parametrize(
    "guests",
    [
        [{"name": "张三"}],  # fewer names than the party: the lead is counted beside them
        [],  # no list: the lead alone
        [{"name": "王秀兰"}, {"name": "李建国"}],  # the example: the lead listed first
    ],
)
def test_a_list_that_leaves_room_for_the_lead_or_holds_them_is_booked(db, client, guests):
    quote_id = _quote(db, client)
    r = post_booking(client, quote_id, body=booking_body(quote_id, guests=guests))
    assert r.status_code == 201, r.text
    assert _booked_guests(db) == [g["name"] for g in guests]


def test_the_documented_example_holds_the_lead_traveller():
    example = BookingIn.model_json_schema()["example"]
    lead = example["lead_traveller"]["name"]
    assert lead in [g["name"] for g in example["guests"]]


def test_more_names_than_the_party_is_still_too_many_guests_lead_or_not(db, client):
    quote_id = _quote(db, client)
    three = [{"name": "张三"}, {"name": "李四"}, {"name": "王五"}]
    for guests in (three, [{"name": "王秀兰"}] * 3):
        r = post_booking(client, quote_id, body=booking_body(quote_id, guests=guests))
        assert (r.status_code, r.json()["code"], r.json()["field"]) == (
            422,
            "too_many_guests",
            "guests",
        )
