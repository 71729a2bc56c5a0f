"""POST /v1/quotes refuses what cannot be priced: a 422 problem naming code and field."""

from datetime import date

import pytest
from freezegun import freeze_time
from sqlmodel import func, select

from catalog.models import Product, TicketStub, TransitLine
from service.quotes.models import Quote
from tests.factories import make_destination, make_pack, make_product, make_rule
from tests.service.test_quotes_api import BOOKING_MOMENT, Example, build_worked_example


@pytest.fixture
def example(session) -> Example:
    return build_worked_example(session)


def refused(client, body, moment=BOOKING_MOMENT) -> dict:
    with freeze_time(moment):
        r = client.post("/v1/quotes", json=body)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == "application/problem+json"
    problem = r.json()
    assert problem["status"] == 422
    return problem


def code_and_field(problem: dict) -> tuple[str, str]:
    return problem["code"], problem["field"]


def update(session, model, row_id, **values) -> None:
    row = session.get(model, row_id)
    for name, value in values.items():
        setattr(row, name, value)
    session.add(row)
    session.commit()


# --- what the engine refuses -----------------------------------------------------------


def test_duration_the_product_does_not_allow(client, session, example):
    update(session, Product, example.product_id, duration_modules=[7, 14, 21, 28])
    body = example.body(item={"check_out": "2027-07-05"})  # 10 nights
    assert code_and_field(refused(client, body)) == ("duration_not_allowed", "items[0].check_out")


def test_duration_outside_min_max_nights(client, session, example):
    update(session, Product, example.product_id, min_nights=21, max_nights=60)
    assert code_and_field(refused(client, example.body())) == (
        "duration_not_allowed",
        "items[0].check_out",
    )


def test_more_guests_than_max_occupancy_times_units(client, example):
    body = example.body(item={"guests": 4, "units": 1})
    assert code_and_field(refused(client, body)) == ("too_many_guests", "items[0].guests")


def test_a_pack_the_product_does_not_offer(client, session, example):
    other = make_pack(session, make_destination(session), kind="culture")
    session.commit()
    body = example.body(item={"pack_ids": [example.therapy_id, other.id]})
    assert code_and_field(refused(client, body)) == ("pack_not_offered", "items[0].pack_ids[1]")


def test_the_same_pack_twice(client, example):
    body = example.body(item={"pack_ids": [example.therapy_id, example.therapy_id]})
    assert code_and_field(refused(client, body)) == ("duplicate_pack", "items[0].pack_ids[1]")


def test_check_in_before_the_shanghai_booking_date_just_after_midnight(client, example):
    # 2027-06-25 00:00:01 in Shanghai is still 2027-06-24 in UTC.
    body = example.body(item={"check_in": "2027-06-24", "check_out": "2027-07-08"}, legs=[])
    problem = refused(client, body, moment="2027-06-25 00:00:01+08:00")
    assert code_and_field(problem) == ("check_in_in_past", "items[0].check_in")


def test_check_in_on_the_shanghai_booking_date_just_before_midnight_is_accepted(client, example):
    body = example.body(item={"check_in": "2027-06-24", "check_out": "2027-07-08"}, legs=[])
    with freeze_time("2027-06-24 23:59:59+08:00"):
        r = client.post("/v1/quotes", json=body)
    assert r.status_code == 201, r.text
    assert r.json()["booking_date"] == "2027-06-24"


def test_check_out_not_after_check_in(client, example):
    body = example.body(item={"check_out": "2027-06-25"})
    assert code_and_field(refused(client, body)) == ("invalid_dates", "items[0].check_out")


def test_dates_before_the_product_is_sold(client, session, example):
    update(session, Product, example.product_id, sold_from=date(2027, 7, 1))
    assert code_and_field(refused(client, example.body())) == ("not_on_sale", "items[0].check_in")


def test_dates_after_the_product_is_sold(client, session, example):
    update(session, Product, example.product_id, sold_until=date(2027, 7, 5))
    assert code_and_field(refused(client, example.body())) == ("not_on_sale", "items[0].check_out")


def test_a_withdrawn_product_is_not_on_sale(client, session, example):
    update(session, Product, example.product_id, is_active=False)
    assert code_and_field(refused(client, example.body())) == (
        "not_on_sale",
        "items[0].product_id",
    )


def test_unknown_product(client, example):
    body = example.body(item={"product_id": 999_999, "pack_ids": []})
    assert code_and_field(refused(client, body)) == ("unknown_product", "items[0].product_id")


def test_unknown_transit_line(client, example):
    body = example.body(legs=[{"line_id": 999_999, "travel_date": "2027-07-09", "riders": 2}])
    assert code_and_field(refused(client, body)) == ("unknown_transit_line", "legs[0].line_id")


def test_a_line_out_of_service_is_not_on_sale(client, session, example):
    update(session, TransitLine, example.line_id, is_active=False)
    assert code_and_field(refused(client, example.body())) == ("not_on_sale", "legs[0].line_id")


def test_travel_date_in_the_past(client, example):
    body = example.body(
        legs=[{"line_id": example.line_id, "travel_date": "2027-04-19", "riders": 2}]
    )
    assert code_and_field(refused(client, body)) == ("travel_date_in_past", "legs[0].travel_date")


def test_more_riders_than_the_party_is_too_many_riders_in_both_languages(client, example):
    """The newcomer's finding: a 2-guest stay with a leg of 9 riders was quoted ("9人 ×
    ¥56.00") and booked with 2 guests; the front desk then collected 9 fares. Nothing
    is stored, and the party's own riders are priced."""
    legs = [{"line_id": example.line_id, "travel_date": "2027-07-09", "riders": 9}]
    problem = refused(client, example.body(legs=legs))
    assert code_and_field(problem) == ("too_many_riders", "legs[0].riders")
    assert problem["limit"] == 2
    assert problem["detail"] == (
        "乘车人数 9 人超过行程住宿的人数（同一晚最多 2 人）；交通接送的是同行客人，不能多于此数。"
    )
    with freeze_time(BOOKING_MOMENT):
        en = client.post(
            "/v1/quotes", json=example.body(legs=legs), headers={"Accept-Language": "en"}
        ).json()
        assert en["detail"].startswith("9 riders exceed the party of the trip's stays (2 guests")
        legs[0]["riders"] = 2
        assert client.post("/v1/quotes", json=example.body(legs=legs)).status_code == 201


# --- stubs -----------------------------------------------------------------------------


def test_stays_at_two_destinations_on_one_night_are_overlapping_stays(client, session, example):
    elsewhere = make_product(session, inventory=(date(2027, 7, 1), 60, 3))
    session.commit()
    # The worked example's cabin runs 06-25..07-09; this stay elsewhere starts on 07-08.
    second = {"product_id": elsewhere.id, "check_in": "2027-07-08", "check_out": "2027-07-15"}
    body = example.body()
    body["items"].append({**second, "guests": 2, "units": 1, "pack_ids": []})
    problem = refused(client, body)
    assert code_and_field(problem) == ("overlapping_stays", "items[1]")
    # Moving on on the check-out day is a trip: priced, and the leg may travel then.
    body["items"][1].update(check_in="2027-07-09", check_out="2027-07-16")
    body["legs"][0]["travel_date"] = "2027-07-16"
    with freeze_time(BOOKING_MOMENT):
        assert client.post("/v1/quotes", json=body).status_code == 201


def test_a_leg_after_the_last_check_out_is_leg_outside_trip(client, example):
    body = example.body(
        legs=[{"line_id": example.line_id, "travel_date": "2027-07-10", "riders": 2}]
    )
    assert code_and_field(refused(client, body)) == ("leg_outside_trip", "legs[0].travel_date")


def test_unknown_stub(client, example):
    body = example.body(stubs=[example.stub_code, "NO-SUCH-STUB"])
    assert code_and_field(refused(client, body)) == ("unknown_stub", "stubs[1]")


def test_stub_already_used_by_a_booking(client, session, example):
    stub = session.exec(select(TicketStub).where(TicketStub.code == example.stub_code)).one()
    update(session, TicketStub, stub.id, used_by_booking_id=1)
    assert code_and_field(refused(client, example.body())) == ("stub_already_used", "stubs[0]")


def test_the_same_stub_twice(client, example):
    body = example.body(stubs=[example.stub_code, example.stub_code.lower()])
    assert code_and_field(refused(client, body)) == ("duplicate_stub", "stubs[1]")


def test_a_refused_stub_is_named_by_its_code_as_read(client, session, example):
    """``stub``: the code refused at ``field`` (upper-cased, as the register is read), so
    a caller need not find it again in its request by the index."""
    unknown = refused(client, example.body(stubs=[example.stub_code, "no-such-stub"]))
    assert (unknown["code"], unknown["stub"]) == ("unknown_stub", "NO-SUCH-STUB")
    twice = refused(client, example.body(stubs=[example.stub_code, example.stub_code.lower()]))
    assert (twice["code"], twice["stub"]) == ("duplicate_stub", example.stub_code.upper())
    stub = session.exec(select(TicketStub).where(TicketStub.code == example.stub_code)).one()
    update(session, TicketStub, stub.id, used_by_booking_id=1)
    used = refused(client, example.body())
    assert (used["code"], used["stub"]) == ("stub_already_used", example.stub_code.upper())


# --- what the body schema refuses ------------------------------------------------------


def test_unknown_field_in_the_body(client, example):
    body = example.body(coupon="FREE")
    problem = refused(client, body)
    assert problem["code"] == "validation_error"
    assert problem["field"] == "coupon"
    assert problem["errors"][0]["code"] == "unknown_field"
    english = client.post("/v1/quotes", json=body, headers={"Accept-Language": "en"}).json()
    assert english["detail"] == "coupon: must not be sent: this request has no such field"


def test_unknown_field_in_an_item(client, example):
    problem = refused(client, example.body(item={"price_fen": 1}))
    assert (problem["field"], problem["errors"][0]["code"]) == (
        "items[0].price_fen",
        "unknown_field",
    )


@pytest.mark.parametrize(("name", "size"), [("items", 11), ("legs", 11), ("stubs", 11)])
def test_lists_are_capped_at_ten(client, example, name, size):
    body = example.body()
    body[name] = [body[name][0]] * size
    problem = refused(client, body)
    assert (problem["field"], problem["errors"][0]["code"]) == (name, "too_long")


def test_pack_ids_are_capped_at_ten(client, example):
    problem = refused(client, example.body(item={"pack_ids": list(range(1, 12))}))
    assert (problem["field"], problem["errors"][0]["code"]) == ("items[0].pack_ids", "too_long")


def test_a_quote_needs_a_stay_item(client, example):
    problem = refused(client, example.body(items=[]))
    assert (problem["field"], problem["errors"][0]["code"]) == ("items", "too_short")


def test_zero_guests(client, example):
    problem = refused(client, example.body(item={"guests": 0}))
    assert problem["field"] == "items[0].guests"


def test_not_a_date(client, example):
    problem = refused(client, example.body(item={"check_in": "next tuesday"}))
    assert problem["field"] == "items[0].check_in"


def test_refused_requests_store_nothing(client, session, example):
    refused(client, example.body(item={"guests": 4}))
    refused(client, example.body(stubs=["NOPE"]))
    assert session.exec(select(func.count()).select_from(Quote)).one() == 0


# --- catalogue data the engine refuses is not the caller's fault -----------------------


def test_an_inconsistent_rule_is_a_500_problem_without_a_field(client, session, example):
    make_rule(session, "long_stay", tiers=[])  # a tiered rule without tiers
    session.commit()
    with freeze_time(BOOKING_MOMENT):
        r = client.post("/v1/quotes", json=example.body())
    assert r.status_code == 500
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["code"] == "catalogue_error"
    assert "field" not in r.json()


# --- when a night is on sale -------------------------------------------------------------


def test_a_stay_past_the_published_inventory_is_not_on_sale_naming_the_item(client, example):
    """The worked example's product has inventory for 120 nights from 2027-06-01: a stay
    in 2099, or one running past the last published night, is refused, not priced at
    the base rate."""
    body = example.body(item={"check_in": "2099-07-01", "check_out": "2099-07-15"}, legs=[])
    problem = refused(client, body)
    assert code_and_field(problem) == ("not_on_sale", "items[0].check_in")
    assert "2099-07-01" in problem["detail"]
    body = example.body(item={"check_in": "2027-09-20", "check_out": "2027-10-04"}, legs=[])
    problem = refused(client, body)
    assert code_and_field(problem) == ("not_on_sale", "items[0].check_out")
    assert "2027-09-29" in problem["detail"]  # the first night without inventory


def test_a_night_with_every_unit_taken_is_on_sale(client, db, session, example):
    """Sold out is not off sale, and units taken by others are availability, which the
    booking checks: the quote is made, the booking will find no units."""
    from catalog.models import InventoryNight

    for night in (date(2027, 6, 30), date(2027, 7, 1)):
        row = session.get(InventoryNight, (example.product_id, night))
        row.taken_units = row.total_units
    session.commit()
    with freeze_time(BOOKING_MOMENT):
        r = client.post("/v1/quotes", json=example.body(item={"units": 10, "guests": 10}))
    assert r.status_code == 201, r.text


def _units_in_all(session, product_id: int, units_by_night: dict[date, int]) -> None:
    from catalog.models import InventoryNight

    for night, units in units_by_night.items():
        session.get(InventoryNight, (product_id, night)).total_units = units
    session.commit()


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_more_units_than_a_night_has_in_all_is_too_many_units_naming_them(
    client, session, example, lang
):
    """A stay that asks for more units than the product has in all (taken or not) on a
    night can never be booked: refused when quoted, naming ``items[i].units``, with the
    night, the product, the units in all (``limit``) and those asked."""
    _units_in_all(session, example.product_id, {date(2027, 7, 2): 3})  # 10 on the others
    with freeze_time(BOOKING_MOMENT):
        r = client.post(
            "/v1/quotes",
            json=example.body(item={"units": 4, "guests": 4}),
            headers={"Accept-Language": lang},
        )
    assert r.status_code == 422, r.text
    problem = r.json()
    assert code_and_field(problem) == ("too_many_units", "items[0].units")
    assert (problem["night"], problem["product_id"]) == ("2027-07-02", example.product_id)
    assert (problem["limit"], problem["asked_units"]) == (3, 4)
    assert "2027-07-02" in problem["detail"] and "3" in problem["detail"]
    with freeze_time(BOOKING_MOMENT):
        fits = client.post("/v1/quotes", json=example.body(item={"units": 3, "guests": 3}))
    assert fits.status_code == 201, fits.text


def test_a_night_published_with_no_units_takes_no_stay(client, session, example):
    """0 units in all is on sale (never ``not_on_sale``) but no stay fits it."""
    _units_in_all(session, example.product_id, {date(2027, 6, 30): 0})
    problem = refused(client, example.body())
    assert code_and_field(problem) == ("too_many_units", "items[0].units")
    assert (problem["night"], problem["limit"], problem["asked_units"]) == ("2027-06-30", 0, 1)


def test_each_stay_is_held_to_the_units_in_all_alone(client, example):
    """The check is each stay's: two stays of 6 and 5 of the 10 units on the same nights
    are quoted (that they do not fit together is what the quote's pages and the
    booking's ``sold_out`` say: tests/service/test_stays_together.py), and the one over
    10 by itself is named."""
    body = example.body(legs=[], item={"units": 6, "guests": 6, "pack_ids": []})
    overlapping = dict(body["items"][0], check_in="2027-07-02", check_out="2027-07-16", units=5)
    body["items"].append(overlapping)
    with freeze_time(BOOKING_MOMENT):
        r = client.post("/v1/quotes", json=body)
    assert r.status_code == 201, r.text
    body["items"][1] = dict(overlapping, units=11, guests=11)
    problem = refused(client, body)
    assert code_and_field(problem) == ("too_many_units", "items[1].units")
    assert (problem["night"], problem["limit"], problem["asked_units"]) == ("2027-07-02", 10, 11)


def test_a_party_too_large_for_more_units_than_there_are_is_said_by_the_units(
    client, session, example
):
    """13 guests in 4 units where a night has 3 in all: too_many_guests' limit would
    count the fourth unit, which can never be booked ("add a room"); the units are said
    first, with the most the stay can book. A party too large for units that exist is
    still too_many_guests."""
    _units_in_all(session, example.product_id, {date(2027, 7, 2): 3})
    problem = refused(client, example.body(item={"units": 4, "guests": 13}))
    assert code_and_field(problem) == ("too_many_units", "items[0].units")
    assert (problem["limit"], problem["asked_units"]) == (3, 4)
    problem = refused(client, example.body(item={"units": 3, "guests": 13}))
    assert code_and_field(problem) == ("too_many_guests", "items[0].guests")


def test_a_stay_not_on_sale_is_said_before_its_units(client, session, example):
    _units_in_all(session, example.product_id, {date(2027, 7, 2): 0})
    body = example.body(legs=[], item={"units": 2})
    body["items"].append(dict(body["items"][0], check_in="2099-01-01", check_out="2099-01-15"))
    assert code_and_field(refused(client, body)) == ("not_on_sale", "items[1].check_in")


def test_the_second_item_not_on_sale_is_named(client, example):
    body = example.body(legs=[])
    second = dict(body["items"][0], check_in="2099-01-01", check_out="2099-01-15")
    body["items"].append(second)
    assert code_and_field(refused(client, body)) == ("not_on_sale", "items[1].check_in")
