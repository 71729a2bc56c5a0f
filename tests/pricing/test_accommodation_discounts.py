"""long_stay, advance_booking and trip_bundle: tiers, order, best-of-kind, scope, cap."""

from dataclasses import replace
from datetime import date, timedelta

from pricing import Channel, RuleKind, Tier

from .factories import BOOKING_DATE, CABIN, SPA, discount_lines, item, quote, request, rule

LONG = RuleKind.long_stay
ADVANCE = RuleKind.advance_booking
TRIP = RuleKind.trip_bundle

# The day the default 7-night cabin stay (from 2027-05-01) checks out: a stay at another
# destination may start then, not before (stays at two destinations never overlap).
NEXT_STAY = date(2027, 5, 8)


def amounts(q, kind=None):
    return [line.amount_fen for line in discount_lines(q, kind)]


# --- long_stay ---------------------------------------------------------------------------


def test_long_stay_tier_starts_at_exactly_min_nights():
    tiers = (Tier(10, 500), Tier(21, 1000))
    q = quote(request(item(nights=10)), [rule(LONG, tiers=tiers)])
    (line,) = discount_lines(q, LONG)
    assert (line.tier_threshold, line.bps, line.amount_fen) == (10, 500, 19_000)


def test_long_stay_one_night_short_of_a_tier_gets_nothing():
    q = quote(request(item(nights=9)), [rule(LONG, tiers=(Tier(10, 500),))])
    assert discount_lines(q) == []


def test_long_stay_uses_the_highest_tier_reached():
    tiers = (Tier(10, 500), Tier(21, 1000), Tier(28, 1500))
    q = quote(request(item(nights=27)), [rule(LONG, tiers=tiers)])
    assert discount_lines(q, LONG)[0].bps == 1000


# --- advance_booking --------------------------------------------------------------------


def test_advance_booking_tier_starts_at_exactly_min_days_ahead():
    check_in = BOOKING_DATE + timedelta(days=30)
    q = quote(request(item(check_in)), [rule(ADVANCE, tiers=(Tier(30, 500),))])
    (line,) = discount_lines(q, ADVANCE)
    assert (line.bps, line.amount_fen) == (500, 13_300)
    assert line.label_zh == "预订优惠（提前30天，5.00%）"


def test_advance_booking_one_day_short_of_a_tier_gets_nothing():
    check_in = BOOKING_DATE + timedelta(days=29)
    q = quote(request(item(check_in)), [rule(ADVANCE, tiers=(Tier(30, 500),))])
    assert discount_lines(q) == []


def test_advance_booking_applies_to_the_amount_left_after_long_stay():
    rules = [rule(LONG, id=1, tiers=(Tier(7, 1000),)), rule(ADVANCE, id=2, tiers=(Tier(0, 1000),))]
    q = quote(request(item(nights=7)), rules)
    long_stay, advance = discount_lines(q)
    assert (long_stay.base_fen, long_stay.amount_fen) == (266_000, 26_600)
    assert (advance.base_fen, advance.amount_fen) == (239_400, 23_940)


# --- rounding ---------------------------------------------------------------------------


def test_a_half_fen_rounds_up():
    product = replace(CABIN, base_rate_fen=10_050)  # 1 night: 10,050 * 5% = 502.5
    q = quote(request(item(nights=1)), [rule(LONG, tiers=(Tier(1, 500),))], products={1: product})
    assert amounts(q) == [503]


def test_less_than_half_a_fen_rounds_down():
    product = replace(CABIN, base_rate_fen=10_049)  # 502.45
    q = quote(request(item(nights=1)), [rule(LONG, tiers=(Tier(1, 500),))], products={1: product})
    assert amounts(q) == [502]


def test_each_discount_line_is_rounded_on_its_own():
    product = replace(CABIN, base_rate_fen=10_010)
    rules = [rule(LONG, id=1, tiers=(Tier(1, 5),)), rule(ADVANCE, id=2, tiers=(Tier(0, 5),))]
    q = quote(request(item(nights=1)), rules, products={1: product})
    # 10,010 * 0.05% = 5.005 -> 5; (10,010 - 5) * 0.05% = 5.0025 -> 5
    assert amounts(q) == [5, 5]
    assert q.total_fen == 10_000


# --- several rules of one kind ----------------------------------------------------------


def test_of_two_long_stay_rules_the_larger_saving_applies():
    rules = [rule(LONG, id=1, tiers=(Tier(7, 500),)), rule(LONG, id=2, tiers=(Tier(7, 800),))]
    (line,) = discount_lines(quote(request(item()), rules))
    assert (line.rule_id, line.bps) == (2, 800)


def test_of_two_equal_long_stay_rules_the_lower_id_applies():
    rules = [rule(LONG, id=9, tiers=(Tier(7, 800),)), rule(LONG, id=4, tiers=(Tier(5, 800),))]
    (line,) = discount_lines(quote(request(item()), rules))
    assert line.rule_id == 4


def test_best_rule_is_chosen_regardless_of_rule_order():
    rules = [rule(ADVANCE, id=3, tiers=(Tier(0, 300),)), rule(ADVANCE, id=2)]
    assert quote(request(item()), rules) == quote(request(item()), rules[::-1])


# --- eligibility: channel, scope, windows -----------------------------------------------


def test_channel_restricted_rule_applies_only_on_its_channels():
    only_app = rule(LONG, channels=frozenset({Channel.miniprogram}))
    assert discount_lines(quote(request(item(), channel=Channel.miniprogram), [only_app]))
    assert not discount_lines(quote(request(item(), channel=Channel.ota), [only_app]))
    assert not discount_lines(quote(request(item()), [only_app]))


def test_destination_scoped_rule_applies_only_to_items_there():
    scoped = rule(LONG, destination_ids=frozenset({SPA.destination_id}))
    q = quote(request(item(), item(NEXT_STAY, product_id=SPA.id)), [scoped])
    assert [line.item_index for line in discount_lines(q)] == [1]


def test_theme_scoped_rule_applies_only_to_products_of_that_theme():
    scoped = rule(LONG, themes=frozenset({"forest_healing"}))
    q = quote(request(item(), item(NEXT_STAY, product_id=SPA.id)), [scoped])
    assert [line.item_index for line in discount_lines(q)] == [0]


def test_product_scoped_rule_applies_only_to_that_product():
    scoped = rule(LONG, product_ids=frozenset({SPA.id}))
    q = quote(request(item(), item(NEXT_STAY, product_id=SPA.id)), [scoped])
    assert [line.item_index for line in discount_lines(q)] == [1]


def test_every_non_empty_scope_must_match():
    scoped = rule(LONG, product_ids=frozenset({CABIN.id}), themes=frozenset({"hot_spring"}))
    assert not discount_lines(quote(request(item()), [scoped]))


def test_booking_window_includes_both_end_dates():
    window = {"booking_from": BOOKING_DATE, "booking_to": BOOKING_DATE}
    assert discount_lines(quote(request(item()), [rule(LONG, **window)]))
    day_after = replace(request(item()), booking_date=BOOKING_DATE + timedelta(days=1))
    assert not discount_lines(quote(day_after, [rule(LONG, **window)]))
    day_before = replace(request(item()), booking_date=BOOKING_DATE - timedelta(days=1))
    assert not discount_lines(quote(day_before, [rule(LONG, **window)]))


def test_check_in_window_includes_both_end_dates():
    window = {"check_in_from": date(2027, 5, 1), "check_in_to": date(2027, 5, 3)}
    hits = [
        bool(discount_lines(quote(request(item(date(2027, 5, day))), [rule(LONG, **window)])))
        for day in (1, 3, 4)
    ]
    assert hits == [True, True, False]
    before = quote(request(item(date(2027, 4, 30))), [rule(LONG, **window)])
    assert not discount_lines(before)


# --- trip_bundle ------------------------------------------------------------------------


def test_trip_bundle_does_not_apply_with_one_destination():
    q = quote(request(item(), item(date(2027, 6, 1))), [rule(TRIP, min_destinations=2)])
    assert discount_lines(q) == []


def test_trip_bundle_applies_to_every_item_with_two_destinations():
    q = quote(request(item(), item(NEXT_STAY, product_id=SPA.id)), [rule(TRIP, min_destinations=2)])
    lines = discount_lines(q, TRIP)
    assert [(line.item_index, line.amount_fen) for line in lines] == [(0, 26_600), (1, 21_000)]
    assert lines[0].label_en == "Multi-destination bundle (2 destinations, 10.00%)"


def test_trip_bundle_counts_destinations_outside_its_scope_but_discounts_only_in_scope():
    scoped = rule(TRIP, destination_ids=frozenset({SPA.destination_id}))
    q = quote(request(item(), item(NEXT_STAY, product_id=SPA.id)), [scoped])
    assert [line.item_index for line in discount_lines(q)] == [1]


def test_trip_bundle_comes_after_long_stay_and_advance_booking():
    rules = [
        rule(TRIP, id=1, bps=1000),
        rule(ADVANCE, id=2, tiers=(Tier(0, 500),)),
        rule(LONG, id=3, tiers=(Tier(7, 500),)),
    ]
    q = quote(request(item(), item(NEXT_STAY, product_id=SPA.id)), rules)
    kinds = [line.rule_kind for line in q.items[0].lines if line.kind == "discount"]
    assert kinds == [LONG, ADVANCE, TRIP]
    trip = discount_lines(q, TRIP)[0]
    assert trip.base_fen == 266_000 - 13_300 - 12_635


# --- cap --------------------------------------------------------------------------------


def test_cap_cuts_the_line_that_would_pass_it_and_marks_it_capped():
    rules = [rule(LONG, id=1, tiers=(Tier(7, 2000),)), rule(ADVANCE, id=2, tiers=(Tier(0, 2000),))]
    q = quote(request(item()), rules)  # 266,000: cap 79,800; 53,200 then 42,560 -> 26,600
    long_stay, advance = discount_lines(q)
    assert (long_stay.amount_fen, long_stay.capped) == (53_200, False)
    assert (advance.amount_fen, advance.capped, advance.uncapped_fen) == (26_600, True, 42_560)
    assert advance.label_en.endswith(", capped)")
    assert advance.label_zh.endswith("，已封顶）")
    assert q.items[0].accommodation_discount_fen == q.items[0].cap_fen == 79_800


def test_a_discount_exactly_at_the_cap_is_not_marked_capped():
    q = quote(request(item()), [rule(LONG, tiers=(Tier(7, 3000),))])
    (line,) = discount_lines(q)
    assert (line.amount_fen, line.capped) == (79_800, False)


def test_lines_after_the_cap_is_reached_add_no_line():
    rules = [rule(LONG, id=1, tiers=(Tier(7, 3000),)), rule(ADVANCE, id=2)]
    q = quote(request(item()), rules)
    assert [line.rule_kind for line in discount_lines(q)] == [LONG]


def test_max_discount_bps_sets_the_cap_per_product():
    product = replace(CABIN, max_discount_bps=500)
    q = quote(request(item()), [rule(LONG, tiers=(Tier(7, 1000),))], products={1: product})
    (line,) = discount_lines(q)
    assert (line.amount_fen, line.capped) == (13_300, True)


def test_a_rule_at_zero_bps_adds_no_line():
    q = quote(request(item()), [rule(LONG, tiers=(Tier(7, 0),))])
    assert discount_lines(q) == []
    assert q.rules_used == ()
