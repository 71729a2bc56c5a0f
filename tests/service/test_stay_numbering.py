"""Every problem that names a stay (or a leg) of a request or booking says it as people
count, from 1, in both languages: ``items[0]`` is "stay 1" / "第 1 段住宿" (the field keeps
the index). One helper says it (``pricing.labels.nth``); the engine's own texts are
checked in tests/pricing/test_numbering.py."""

from datetime import date

import pytest
from freezegun import freeze_time

from pricing import StayItemRequest
from service.bookings import errors as bookings
from service.operators import errors as operators
from service.quotes import errors as quotes
from service.reports import errors as reports
from tests.service.test_quotes_api import BOOKING_MOMENT, build_worked_example
from tests.support.english import field_names

_STAY = StayItemRequest(
    product_id=7, check_in=date(2027, 7, 1), check_out=date(2027, 7, 8), guests=8, units=4
)

# (what makes the problem for index 1, what its English says, what its Chinese says)
NAMING_A_STAY = {
    "too_many_units": (
        lambda: quotes.too_many_units(1, _STAY, date(2027, 7, 2), 3),
        "; stay 2 can book at most 3 units",
        "；第 2 段住宿的日期最多只能订 3 间",
    ),
    "too_many_units of a night with none": (
        lambda: quotes.too_many_units(1, _STAY, date(2027, 7, 2), 0),
        "; stay 2 cannot be booked",
        "；第 2 段住宿的日期无法预订",
    ),
    "not_on_sale (product_retired)": (
        lambda: bookings.not_on_sale(1, 7, "product_retired", None),
        "no longer on sale for stay 2:",
        "第 2 段住宿的产品 7 已不再出售",
    ),
    "not_on_sale (a night closed)": (
        lambda: bookings.not_on_sale(1, 7, "not_on_sale", date(2027, 7, 3)),
        "no longer on sale for stay 2:",
        "第 2 段住宿的产品 7 已不再出售",
    ),
    "stay_started (checked in)": (
        lambda: bookings.stay_started(1, "checked_in"),
        "Stay 2 of this booking is checked in",
        "此预订的第 2 段住宿已入住",
    ),
    "stay_started (completed)": (
        lambda: bookings.stay_started(1, "completed"),
        "Stay 2 of this booking is checked out",
        "此预订的第 2 段住宿已离店",
    ),
    "unknown_item (survey)": (
        lambda: reports.no_such_stay(1),
        "The booking has no stay 2.",
        "该预订没有第 2 段住宿。",
    ),
    "not_found (a stay at the front desk)": (
        lambda: operators.no_such_stay("JL-ABCDEF", 1),
        "Booking JL-ABCDEF has no stay 2.",
        "预订 JL-ABCDEF 没有第 2 段住宿。",
    ),
    "leg_stop_missing": (
        lambda: quotes.leg_stop_missing(1, "from", "to"),
        "Leg 2 gives where it boards",
        "第 2 段行程只给了上车站",
    ),
    "leg_stops_same": (
        lambda: quotes.leg_stops_same(1, 8),
        "Leg 2 boards and alights",
        "第 2 段行程的上车站",
    ),
}


@pytest.mark.parametrize("case", NAMING_A_STAY)
def test_a_problem_naming_the_second_stay_says_2_in_both_languages(case):
    make, en, zh = NAMING_A_STAY[case]
    error = make()
    assert en in error.detail, error.detail
    assert zh in error.detail_zh, error.detail_zh
    for wrong in ("item 1", "Item 1", "stay 1", "Stay 1", "leg 1", "Leg 1"):
        assert wrong not in error.detail
    for wrong in ("第 1 ", "第 0 ", "项"):
        assert wrong not in error.detail_zh
    # said in words, the index only in ``field`` ("(item_index 1)" until December 2026)
    assert field_names(error.detail) == field_names(error.detail_zh) == [], error.detail


@pytest.mark.parametrize(
    "lang, said",
    [
        ("en", "; stay 2 can book at most 10 units"),
        ("zh-CN", "；第 2 段住宿的日期最多只能订 10 间"),
    ],
)
def test_the_quote_of_too_many_units_names_the_same_stay_in_both_languages(
    client, session, lang, said
):
    """The newcomer's request: items[1] asks for more units than its nights have in all;
    both languages say "stay 2", the field is items[1].units."""
    example = build_worked_example(session)
    body = example.body(legs=[], item={"units": 1, "guests": 2, "pack_ids": []})
    body["items"].append(
        dict(body["items"][0], check_in="2027-07-02", check_out="2027-07-16", units=11, guests=11)
    )
    with freeze_time(BOOKING_MOMENT):
        r = client.post("/v1/quotes", json=body, headers={"Accept-Language": lang})
    assert r.status_code == 422, r.text
    problem = r.json()
    assert (problem["code"], problem["field"]) == ("too_many_units", "items[1].units")
    assert said in problem["detail"], problem["detail"]
