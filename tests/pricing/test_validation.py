"""Each validation error: its code and the field it names, first problem in request order."""

from dataclasses import replace
from datetime import date, timedelta

import pytest

from pricing import (
    DiscountRule,
    PricingError,
    RuleKind,
    Season,
    StubInfo,
    Tier,
    TransitLegRequest,
    check_guests,
    check_rooms,
    validate_product,
    validate_rule,
    validate_seasons,
)
from tests.support.english import field_names

from .factories import BOOKING_DATE, CABIN, SPA, THERAPY, item, quote, request, rule


def said_in_words(err: PricingError) -> PricingError:
    """``err``, once its detail is said in both languages without a field's name: the
    details are shown to people (travellers, operators), ``field`` names the field. Every
    problem these tests raise passes here ("check_out 应晚于 check_in。" until December
    2026)."""
    assert err.detail and err.detail_zh, err
    assert field_names(err.detail) == field_names(err.detail_zh) == [], err
    return err


def error_of(req, rules=(), products=None) -> PricingError:
    with pytest.raises(PricingError) as caught:
        quote(req, rules, products=products)
    return said_in_words(caught.value)


def code_and_field(req, **kwargs):
    err = error_of(req, **kwargs)
    return err.code, err.field


def leg(**fields) -> TransitLegRequest:
    base = TransitLegRequest(line_id=1, travel_date=date(2027, 5, 2), riders=1)
    return replace(base, **fields)


# --- request errors ---------------------------------------------------------------------


def test_an_empty_request_is_no_items():
    assert code_and_field(request()) == ("no_items", "items")


def test_unknown_product():
    assert code_and_field(request(item(), item(product_id=77))) == (
        "unknown_product",
        "items[1].product_id",
    )


def test_check_out_on_or_before_check_in_is_invalid_dates():
    assert code_and_field(request(item(nights=0))) == ("invalid_dates", "items[0].check_out")
    assert code_and_field(request(item(nights=-2)))[0] == "invalid_dates"


def test_more_than_400_nights_is_stay_too_long():
    assert code_and_field(request(item(nights=401))) == ("stay_too_long", "items[0].check_out")
    assert quote(request(item(nights=400))).items[0].nights == 400


def test_check_in_before_the_booking_date_is_check_in_in_past():
    past = BOOKING_DATE - timedelta(days=1)
    assert code_and_field(request(item(past))) == ("check_in_in_past", "items[0].check_in")
    assert quote(request(item(BOOKING_DATE))).items[0].days_ahead == 0


def test_nights_outside_min_max_is_duration_not_allowed():
    product = {1: replace(CABIN, min_nights=7, max_nights=28)}
    for nights in (6, 29):
        assert code_and_field(request(item(nights=nights)), products=product) == (
            "duration_not_allowed",
            "items[0].check_out",
        )
    for nights in (7, 28):
        assert quote(request(item(nights=nights)), products=product).items[0].nights == nights


def test_nights_not_among_duration_modules_is_duration_not_allowed():
    product = {1: replace(CABIN, duration_modules=(7, 14, 21, 28), min_nights=1)}
    assert code_and_field(request(item(nights=10)), products=product) == (
        "duration_not_allowed",
        "items[0].check_out",
    )
    assert quote(request(item(nights=14)), products=product).items[0].nights == 14


def test_a_night_before_sold_from_is_not_on_sale():
    product = {1: replace(CABIN, sold_from=date(2027, 5, 2))}
    assert code_and_field(request(item(date(2027, 5, 1))), products=product) == (
        "not_on_sale",
        "items[0].check_in",
    )
    assert quote(request(item(date(2027, 5, 2))), products=product)


def test_a_night_after_sold_until_is_not_on_sale_but_departing_the_day_after_is_fine():
    product = {1: replace(CABIN, sold_until=date(2027, 5, 7))}
    # 7 nights from 05-01: last night 05-07, departure 05-08.
    assert quote(request(item(date(2027, 5, 1), 7)), products=product)
    assert code_and_field(request(item(date(2027, 5, 1), 8)), products=product) == (
        "not_on_sale",
        "items[0].check_out",
    )


def test_guests_below_one_is_invalid_guests():
    assert code_and_field(request(item(guests=0))) == ("invalid_guests", "items[0].guests")


def test_units_below_one_is_invalid_units():
    assert code_and_field(request(item(units=0))) == ("invalid_units", "items[0].units")


def test_more_units_than_guests_is_more_rooms_than_guests_naming_the_units():
    """Each unit needs a guest: 10 rooms for 1 guest is refused, not priced for 10."""
    err = error_of(request(item(guests=1, units=10)))
    assert (err.code, err.field) == ("more_rooms_than_guests", "items[0].units")
    assert err.values == {"guests": 1, "asked_units": 10}
    assert "每间至少住 1 人" in err.detail_zh and "at least one guest" in err.detail
    assert quote(request(item(guests=2, units=2))).items[0].units == 2


def test_more_rooms_than_guests_never_meets_too_many_guests():
    """The two party rules agree: a party that passes the first (a guest a unit at
    least) is refused by the second only for more guests than the units take."""
    for units in range(1, 6):
        for guests in range(1, 4 * units):
            try:
                check_rooms(guests, units, "units")
            except PricingError:
                assert guests < units
                continue
            try:
                check_guests(guests, units, CABIN.max_occupancy, "guests")
            except PricingError:
                assert guests > CABIN.max_occupancy * units


def test_guests_above_max_occupancy_times_units_is_too_many_guests():
    assert code_and_field(request(item(guests=4))) == ("too_many_guests", "items[0].guests")
    assert quote(request(item(guests=6, units=2))).items[0].guests == 6


def test_a_pack_the_product_does_not_offer_is_pack_not_offered():
    assert code_and_field(request(item(pack_ids=(101, 999)))) == (
        "pack_not_offered",
        "items[0].pack_ids[1]",
    )


def test_the_same_pack_twice_is_duplicate_pack():
    assert code_and_field(request(item(pack_ids=(101, 102, 101)))) == (
        "duplicate_pack",
        "items[0].pack_ids[2]",
    )


def test_unknown_transit_line():
    assert code_and_field(request(item(), legs=(leg(), leg(line_id=9)))) == (
        "unknown_transit_line",
        "legs[1].line_id",
    )


def test_travel_date_before_the_booking_date_is_travel_date_in_past():
    past = leg(travel_date=BOOKING_DATE - timedelta(days=1))
    assert code_and_field(request(item(), legs=(past,))) == (
        "travel_date_in_past",
        "legs[0].travel_date",
    )


def test_riders_below_one_is_invalid_riders():
    assert code_and_field(request(item(), legs=(leg(riders=0),))) == (
        "invalid_riders",
        "legs[0].riders",
    )


def test_riders_above_the_party_are_too_many_riders_naming_the_leg_and_the_party():
    """A transfer carries the trip's party: at most its most guests at once (the
    newcomer's finding: 9 riders beside a 2-guest stay were priced, and the front desk
    collected 9 fares of a party of 2)."""
    nine = leg(riders=9)
    err = error_of(request(item(guests=2), legs=(leg(riders=2), nine)))
    assert (err.code, err.field, err.values) == ("too_many_riders", "legs[1].riders", {"limit": 2})
    assert err.detail == (
        "9 riders exceed the party of the trip's stays (2 guests at most at once); a "
        "transfer carries the party, at most that many."
    )
    assert err.detail_zh == (
        "乘车人数 9 人超过行程住宿的人数（同一晚最多 2 人）；交通接送的是同行客人，不能多于此数。"
    )
    assert len(quote(request(item(guests=2), legs=(leg(riders=2),))).legs) == 1


def test_the_party_riders_may_reach_is_the_most_guests_at_once():
    """Stays one after another are one party (2 then 3: 3), stays on the same nights add
    up (two rooms of 2: 4), as ``service.at_once`` counts a booking's guests."""
    one_after = (item(guests=2), item(date(2027, 5, 8), guests=3))
    assert quote(request(*one_after, legs=(leg(riders=3),))).legs
    assert code_and_field(request(*one_after, legs=(leg(riders=4),))) == (
        "too_many_riders",
        "legs[0].riders",
    )
    together = (item(guests=2), item(guests=2))
    assert quote(request(*together, legs=(leg(riders=4),))).legs
    assert error_of(request(*together, legs=(leg(riders=5),))).values == {"limit": 4}


def test_no_riders_is_invalid_riders_before_any_party_and_legs_alone_have_no_party():
    assert code_and_field(request(item(guests=1), legs=(leg(riders=0),)))[0] == "invalid_riders"
    far = leg(travel_date=BOOKING_DATE + timedelta(days=300), riders=9)
    assert quote(request(legs=(far,))).total_fen == 9 * 5_600


def test_stays_at_two_destinations_sharing_a_night_are_overlapping_stays():
    # The cabin 05-01..05-08 and the spa (another destination) from 05-07: night 05-07.
    req = request(item(), item(date(2027, 5, 7), product_id=SPA.id))
    assert code_and_field(req) == ("overlapping_stays", "items[1]")
    # A later stay that starts before and ends inside an earlier one is named, too.
    req = request(item(date(2027, 5, 3)), item(date(2027, 4, 28), product_id=SPA.id))
    assert code_and_field(req) == ("overlapping_stays", "items[1]")
    # The first item that overlaps any earlier one, whichever earlier item it meets.
    req = request(item(), item(date(2027, 6, 1)), item(date(2027, 6, 5), product_id=SPA.id))
    assert code_and_field(req) == ("overlapping_stays", "items[2]")


def test_stays_that_touch_or_share_a_destination_are_not_overlapping():
    # Moving on the check-out day is a trip, not an overlap.
    assert quote(request(item(), item(date(2027, 5, 8), product_id=SPA.id))).items
    # Two rooms (or two products) at one destination share nights: one family, two rooms.
    assert len(quote(request(item(), item(date(2027, 5, 3), nights=3))).items) == 2


def test_a_leg_outside_the_trip_is_leg_outside_trip():
    stays = (item(), item(date(2027, 5, 10), product_id=SPA.id))  # 05-01..05-08, 05-10..05-17
    inside = leg(travel_date=date(2027, 5, 1))
    for day in (date(2027, 5, 1), date(2027, 5, 9), date(2027, 5, 17)):  # gaps count, too
        assert len(quote(request(*stays, legs=(inside, leg(travel_date=day)))).legs) == 2
    for day in (date(2027, 4, 30), date(2027, 5, 18)):
        req = request(*stays, legs=(inside, leg(travel_date=day)))
        assert code_and_field(req) == ("leg_outside_trip", "legs[1].travel_date"), day


def test_a_quote_of_legs_only_has_no_trip_to_lie_within():
    far = leg(travel_date=BOOKING_DATE + timedelta(days=300))
    assert quote(request(legs=(far,))).total_fen == 5_600


def test_the_same_stub_twice_is_duplicate_stub():
    stub = StubInfo("S1", 7, date(2027, 5, 1), 1)
    assert code_and_field(request(item(), stubs=(stub, stub))) == (
        "duplicate_stub",
        "stubs[1].code",
    )


def test_a_stub_given_twice_names_its_code():
    stub = StubInfo("S1", 7, date(2027, 5, 1), 1)
    assert error_of(request(item(), stubs=(stub, stub))).values == {"stub": "S1"}


def test_the_first_problem_in_request_order_is_raised():
    req = request(item(guests=9), item(nights=0), legs=(leg(riders=0),))
    assert code_and_field(req) == ("too_many_guests", "items[0].guests")
    req = request(item(), item(nights=0, guests=9), legs=(leg(riders=0),))
    assert code_and_field(req) == ("invalid_dates", "items[1].check_out")


# --- rules ------------------------------------------------------------------------------


def rule_said(**fields) -> PricingError:
    kind = fields.pop("kind", RuleKind.long_stay)
    with pytest.raises(PricingError) as caught:
        validate_rule(rule(kind, **fields))
    return said_in_words(caught.value)


def rule_error(**fields) -> tuple[str, str]:
    err = rule_said(**fields)
    return err.code, err.field


def test_every_default_rule_of_the_factories_is_valid():
    for kind in RuleKind:
        validate_rule(rule(kind))


def test_rule_bps_outside_0_to_10000_is_invalid_rule():
    assert rule_error(kind=RuleKind.trip_bundle, bps=10001) == ("invalid_rule", "rule.bps")
    assert rule_error(kind=RuleKind.pack_bundle, bps=-1) == ("invalid_rule", "rule.bps")
    assert rule_error(tiers=(Tier(7, 10001),)) == ("invalid_rule", "rule.tiers[0].bps")


def test_unsorted_or_duplicate_tiers_are_invalid_rule():
    assert rule_error(tiers=(Tier(21, 1000), Tier(10, 500))) == (
        "invalid_rule",
        "rule.tiers[1].threshold",
    )
    assert rule_error(tiers=(Tier(10, 500), Tier(10, 800)))[1] == "rule.tiers[1].threshold"


def test_tiered_rule_without_tiers_is_invalid_rule():
    assert rule_error(tiers=()) == ("invalid_rule", "rule.tiers")


def test_fields_a_kind_does_not_use_are_invalid_rule():
    assert rule_error(bps=500) == ("invalid_rule", "rule.bps")
    assert rule_error(kind=RuleKind.trip_bundle, tiers=(Tier(1, 1),))[1] == "rule.tiers"
    assert rule_error(kind=RuleKind.pack_bundle, min_destinations=2)[1] == "rule.min_destinations"
    assert rule_error(issuer_id=7)[1] == "rule.issuer_id"
    assert rule_error(issuer_id=0)[1] == "rule.issuer_id"
    assert rule_error(valid_days=3)[1] == "rule.valid_days"
    assert rule_error(kind=RuleKind.trip_bundle, min_destinations=1)[1] == "rule.min_destinations"
    assert rule_error(kind=RuleKind.pack_bundle, min_packs=0)[1] == "rule.min_packs"


def test_ticket_stub_rule_must_name_issuer_and_lines_or_pack_kinds():
    assert rule_error(kind=RuleKind.ticket_stub, issuer_id=None)[1] == "rule.issuer_id"
    assert rule_error(kind=RuleKind.ticket_stub, transit_line_ids=frozenset())[1] == (
        "rule.transit_line_ids"
    )
    assert rule_error(kind=RuleKind.ticket_stub, pack_kinds=frozenset({"spa"}))[1] == (
        "rule.pack_kinds"
    )


def test_ticket_stub_rule_rejects_item_scopes_that_do_not_apply_to_it():
    stub = RuleKind.ticket_stub
    assert rule_error(kind=stub, destination_ids=frozenset({1}))[1] == "rule.destination_ids"
    assert rule_error(kind=stub, check_in_to=date(2027, 1, 1))[1] == "rule.check_in_from"


def test_inverted_windows_and_unknown_channels_are_invalid_rule():
    assert rule_error(booking_from=date(2027, 2, 1), booking_to=date(2027, 1, 1))[1] == (
        "rule.booking_to"
    )
    assert rule_error(channels=frozenset({"fax"}))[1] == "rule.channels"


def test_every_rule_problem_is_said_as_the_console_says_the_terms():
    """A rule's problems are shown beside the console's rule form and in the admin API:
    the kinds as the console names them, the discount as a percentage, the dates by what
    they are ("booking_to 2027-01-01 is before booking_from 2027-02-01." until December
    2026); ``field`` names the field."""
    stub, trip, packs = RuleKind.ticket_stub, RuleKind.trip_bundle, RuleKind.pack_bundle
    ahead = RuleKind.advance_booking
    said = [
        (
            {"kind": trip, "bps": 10001},
            "bps",
            "The discount must be between 0% and 100%; it is 100.01%.",
            "优惠比例须在 0% 到 100% 之间，此处为 100.01%。",
        ),
        (
            {"tiers": (Tier(7, -50),)},
            "tiers[0].bps",
            "The discount of tier 1 must be between 0% and 100%; it is -0.5%.",
            "第 1 档的优惠比例须在 0% 到 100% 之间，此处为 -0.5%。",
        ),
        (
            {"booking_from": date(2027, 2, 1), "booking_to": date(2027, 1, 1)},
            "booking_to",
            "The last booking date (2027-01-01) cannot be before the first booking date "
            "(2027-02-01).",
            "预订截止日（2027-01-01）不能早于预订起始日（2027-02-01）。",
        ),
        (
            {"check_in_from": date(2027, 2, 1), "check_in_to": date(2027, 1, 1)},
            "check_in_to",
            "The last check-in date (2027-01-01) cannot be before the first check-in date "
            "(2027-02-01).",
            "入住截止日（2027-01-01）不能早于入住起始日（2027-02-01）。",
        ),
        (
            {"tiers": (Tier(14, 500), Tier(7, 800))},
            "tiers[1].threshold",
            "Each tier must be for more nights than the one before: tier 2 is for 7 nights, "
            "tier 1 for 14 nights.",
            "每一档须比前一档住得更久：第 2 档为 7 晚，第 1 档为 14 晚。",
        ),
        (
            {"kind": ahead, "tiers": (Tier(30, 500), Tier(30, 800))},
            "tiers[1].threshold",
            "Each tier must be more days ahead than the one before: tier 2 is 30 days ahead, "
            "tier 1 is 30 days ahead.",
            "每一档须比前一档提前更多天：第 2 档为提前 30 天，第 1 档为提前 30 天。",
        ),
        (
            {"kind": trip, "min_destinations": 1},
            "min_destinations",
            "A trip-bundle rule needs at least 2 destinations; it asks for 1.",
            "多目的地联游优惠至少需要 2 个目的地，此处为 1 个。",
        ),
        (
            {"kind": packs, "valid_days": 3},
            "valid_days",
            "Only a ticket-stub rule has days of validity; this is a pack-bundle rule.",
            "只有票根优惠才设有效天数，这是组合优惠（增值包）。",
        ),
        (
            {"kind": stub, "product_ids": frozenset({1})},
            "product_ids",
            "A ticket-stub rule is not limited to certain products.",
            "票根优惠不按产品限定。",
        ),
    ]
    # The other problems: each only in words (``rule_said``).
    others = [
        ({"tiers": (Tier(0, 500),)}, "tiers[0].threshold"),
        ({"kind": ahead, "tiers": (Tier(-1, 500),)}, "tiers[0].threshold"),
        ({"tiers": ()}, "tiers"),
        ({"bps": 500}, "bps"),
        ({"kind": trip, "tiers": (Tier(1, 1),)}, "tiers"),
        ({"kind": packs, "min_destinations": 2}, "min_destinations"),
        ({"kind": packs, "min_packs": 0}, "min_packs"),
        ({"kind": trip, "min_packs": 1}, "min_packs"),
        ({"kind": stub, "issuer_id": None}, "issuer_id"),
        ({"kind": stub, "transit_line_ids": frozenset()}, "transit_line_ids"),
        ({"kind": stub, "valid_days": -1}, "valid_days"),
        ({"kind": stub, "destination_ids": frozenset({1})}, "destination_ids"),
        ({"kind": stub, "themes": frozenset({"ski"})}, "themes"),
        ({"kind": stub, "check_in_to": date(2027, 1, 1)}, "check_in_from"),
        ({"issuer_id": 7}, "issuer_id"),
        ({"transit_line_ids": frozenset({1})}, "transit_line_ids"),
        ({"pack_kinds": frozenset({"spa"})}, "pack_kinds"),
    ]
    for fields, field, en, zh in said:
        err = rule_said(**fields)
        assert (err.code, err.field, err.detail, err.detail_zh) == (
            "invalid_rule",
            f"rule.{field}",
            en,
            zh,
        )
    for fields, field in others:
        assert rule_error(**fields) == ("invalid_rule", f"rule.{field}"), fields


def test_a_quote_request_s_problems_say_the_dates_and_counts_in_words():
    """As the quote form says them ("check_in 2027-04-19 早于预订日期 2027-04-20。" until
    December 2026); each in both languages."""
    past = BOOKING_DATE - timedelta(days=1)
    said = [
        (
            request(item(nights=0)),
            "The check-out date (2027-05-01) must be after the check-in date (2027-05-01).",
            "退房日期（2027-05-01）须晚于入住日期（2027-05-01）。",
        ),
        (
            request(item(past)),
            "The check-in date (2027-04-19) is before the booking date (2027-04-20).",
            "入住日期（2027-04-19）早于预订日期（2027-04-20）。",
        ),
        (request(item(guests=0)), "A stay is for at least 1 guest.", "入住人数至少为 1 人。"),
        (request(item(units=0)), "A stay books at least 1 room or bed.", "房间或床位数至少为 1。"),
        (
            request(item(), legs=(leg(travel_date=past),)),
            "The travel date (2027-04-19) is before the booking date (2027-04-20).",
            "出行日期（2027-04-19）早于预订日期（2027-04-20）。",
        ),
        (
            request(item(), legs=(leg(riders=0),)),
            "A transit leg is for at least 1 rider.",
            "乘车人数至少为 1 人。",
        ),
    ]
    for req, en, zh in said:
        err = error_of(req)
        assert (err.detail, err.detail_zh) == (en, zh)


def test_price_quote_refuses_an_invalid_rule_and_names_it():
    bad = DiscountRule(9, 1, RuleKind.trip_bundle, "坏", "Bad", min_destinations=2, bps=20000)
    err = error_of(request(item()), rules=[rule(RuleKind.long_stay), bad])
    assert (err.code, err.field) == ("invalid_rule", "rules[1].bps")


# --- seasons and products ---------------------------------------------------------------


def test_overlapping_seasons_are_rejected():
    seasons = (
        Season(date(2027, 7, 1), date(2027, 9, 1), 48_000),
        Season(date(2027, 8, 31), date(2027, 10, 1), 40_000),
    )
    with pytest.raises(PricingError) as caught:
        validate_seasons(seasons)
    assert (caught.value.code, caught.value.field) == ("overlapping_seasons", "seasons[1]")
    # named as people count them, from 1 (tests/pricing/test_numbering.py)
    assert caught.value.detail.startswith("Season 2 [2027-08-31, 2027-10-01) overlaps season 1")
    assert caught.value.detail_zh.startswith("第 2 个季节（2027-08-31 至 2027-10-01）与第 1 个季节")


def test_a_season_ending_on_or_before_its_start_is_rejected():
    with pytest.raises(PricingError) as caught:
        validate_seasons((Season(date(2027, 7, 1), date(2027, 7, 1), 48_000),))
    assert caught.value.code == "overlapping_seasons"


def test_seasons_that_touch_do_not_overlap():
    seasons = (
        Season(date(2027, 9, 1), date(2027, 10, 1), 40_000),
        Season(date(2027, 7, 1), date(2027, 9, 1), 48_000),
    )
    assert [s.start for s in validate_seasons(seasons)] == [date(2027, 7, 1), date(2027, 9, 1)]


def test_price_quote_refuses_a_product_with_overlapping_seasons():
    season = Season(date(2027, 5, 1), date(2027, 6, 1), 40_000)
    product = {1: replace(CABIN, seasons=(season, season))}
    err = error_of(request(item()), products=product)
    assert (err.code, err.field) == ("overlapping_seasons", "products[1].seasons[1]")


def test_validate_product_accepts_the_example_cabin_and_rejects_bad_occupancy():
    validate_product(CABIN)
    with pytest.raises(PricingError) as caught:
        validate_product(replace(CABIN, max_occupancy=1))
    assert (caught.value.code, caught.value.field) == ("invalid_product", "product.base_occupancy")


def test_every_product_problem_is_said_in_words_in_both_languages():
    """What is wrong with a product's terms is shown to operators, so it is said in words,
    never by field names ("sold_until must not be before sold_from." until December
    2026); ``field`` names the field."""
    said = {
        "sold_until": (
            replace(CABIN, sold_from=date(2027, 5, 2), sold_until=date(2027, 5, 1)),
            "The last night on sale (2027-05-01) cannot be before the first night on sale "
            "(2027-05-02).",
            "停售日期（2027-05-01）不能早于开售日期（2027-05-02）。",
        ),
        "min_nights": (
            replace(CABIN, min_nights=0),
            "The minimum stay must be at least 1 night.",
            "最少晚数至少为 1 晚。",
        ),
        "max_discount_bps": (
            replace(CABIN, max_discount_bps=10001),
            "The room-charge discount limit must be between 0% and 100%.",
            "住宿优惠上限须在 0% 到 100% 之间。",
        ),
        "duration_modules": (
            replace(CABIN, duration_modules=(0,)),
            "Each length of stay must be at least 1 night.",
            "固定晚数每一项至少为 1 晚。",
        ),
        "packs[1].id": (
            replace(CABIN, packs=(THERAPY, THERAPY)),
            f"Pack {THERAPY.id} is offered twice.",
            f"增值包 {THERAPY.id} 重复提供。",
        ),
    }
    others = [
        replace(CABIN, base_rate_fen=-1),
        replace(CABIN, base_occupancy=0),
        replace(CABIN, base_occupancy=4),
        replace(CABIN, min_nights=3, max_nights=2),
        replace(CABIN, duration_modules=(3, 3)),
        replace(CABIN, min_nights=3, duration_modules=(2,)),
        replace(CABIN, packs=(replace(THERAPY, price_fen=-1),)),
    ]
    for field, (terms, en, zh) in said.items():
        with pytest.raises(PricingError) as caught:
            validate_product(terms)
        err = said_in_words(caught.value)
        assert (err.code, err.field, err.detail, err.detail_zh) == (
            "invalid_product",
            f"product.{field}",
            en,
            zh,
        )
    for terms in others:
        with pytest.raises(PricingError) as caught:
            validate_product(terms)
        assert said_in_words(caught.value).code == "invalid_product", terms


def test_contradicting_fields_are_named_by_the_one_changed():
    """Two fields that contradict each other: the one the caller changed, if only one;
    else the base occupancy (it must fit the maximum) and the maximum nights."""
    few = replace(CABIN, base_occupancy=2, max_occupancy=1)
    short = replace(CABIN, min_nights=3, max_nights=2)
    for terms, changed, field in [
        (few, None, "base_occupancy"),
        (few, {"max_occupancy"}, "max_occupancy"),
        (few, {"base_occupancy"}, "base_occupancy"),
        (few, {"base_occupancy", "max_occupancy"}, "base_occupancy"),
        (few, {"base_rate_fen"}, "base_occupancy"),
        (replace(CABIN, base_occupancy=0), {"max_occupancy"}, "base_occupancy"),
        (short, None, "max_nights"),
        (short, {"min_nights"}, "min_nights"),
        (short, {"min_nights", "max_nights"}, "max_nights"),
    ]:
        with pytest.raises(PricingError) as caught:
            validate_product(terms, changed=changed)
        assert caught.value.field == f"product.{field}", (changed, field)
        assert "<=" not in caught.value.detail and "_" not in caught.value.detail
