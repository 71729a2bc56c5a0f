"""The worked example of docs/pricing.md, line by line, to the fen."""

from datetime import date

from pricing import NightSegment, PackBasis, RuleKind

from .factories import EXAMPLE_REQUEST, EXAMPLE_RULES, quote


def example():
    return quote(EXAMPLE_REQUEST, EXAMPLE_RULES)


def test_worked_example_accommodation_is_6_base_nights_and_8_summer_nights():
    line = example().lines[0]
    assert line.kind == "accommodation"
    assert line.amount_fen == 612_000
    assert line.nights_detail == (
        NightSegment(date(2027, 6, 25), date(2027, 7, 1), 38_000, 6, 1),
        NightSegment(date(2027, 7, 1), date(2027, 7, 9), 48_000, 8, 1),
    )
    assert line.extra_guests == 0
    assert line.extra_guest_fen == 0


def test_worked_example_packs_are_two_weeks_of_therapy_and_28_guest_nights_of_dining():
    therapy, dining = example().lines[1:3]
    assert (therapy.kind, therapy.amount_fen) == ("pack", 120_000)
    assert (therapy.basis, therapy.multiplier, therapy.unit_price_fen) == (
        PackBasis.per_week,
        2,
        60_000,
    )
    assert (dining.kind, dining.amount_fen) == ("pack", 252_000)
    assert (dining.basis, dining.multiplier) == (PackBasis.per_guest_night, 28)


def test_worked_example_discount_lines_name_rule_base_bps_and_amount():
    lines = example().lines
    long_stay, advance, bundle = lines[3:6]
    assert (long_stay.rule_kind, long_stay.rule_id, long_stay.rule_version) == (
        RuleKind.long_stay,
        1,
        1,
    )
    assert (long_stay.base_fen, long_stay.bps, long_stay.amount_fen) == (612_000, 500, 30_600)
    assert long_stay.label_zh == "长住折扣（14晚，5.00%）"
    assert long_stay.label_en == "Long-stay discount (14 nights, 5.00%)"
    assert advance.rule_kind == RuleKind.advance_booking
    assert (advance.base_fen, advance.bps, advance.amount_fen) == (581_400, 800, 46_512)
    assert advance.label_en == "Advance-booking discount (66 days ahead, 8.00%)"
    assert bundle.rule_kind == RuleKind.pack_bundle
    assert (bundle.base_fen, bundle.bps, bundle.amount_fen) == (372_000, 1000, 37_200)
    assert bundle.applies_to == "packs"
    assert not any(line.capped for line in (long_stay, advance, bundle))


def test_worked_example_leg_and_its_stub_line():
    transit, stub = example().lines[6:8]
    assert (transit.kind, transit.amount_fen, transit.leg_index) == ("transit", 11_200, 0)
    assert stub.rule_kind == RuleKind.ticket_stub
    assert (stub.base_fen, stub.bps, stub.amount_fen) == (11_200, 5000, 5_600)
    assert (stub.stub_code, stub.applies_to, stub.quantity) == ("CBN-0001", "transit", 2)


def test_worked_example_totals():
    q = example()
    assert len(q.lines) == 8
    assert q.subtotal_fen == 995_200
    assert q.discount_total_fen == 119_912
    assert q.total_fen == 875_288
    assert q.currency == "CNY"


def test_worked_example_item_and_leg_nets_add_up_to_the_total():
    q = example()
    (item,) = q.items
    (leg,) = q.legs
    assert item.days_ahead == 66
    assert item.cap_fen == 183_600
    assert (item.accommodation_fen, item.packs_fen) == (612_000, 372_000)
    assert (item.accommodation_discount_fen, item.packs_discount_fen) == (77_112, 37_200)
    assert item.net_fen == 869_688
    assert (leg.gross_fen, leg.discount_fen, leg.net_fen) == (11_200, 5_600, 5_600)
    assert item.net_fen + leg.net_fen == q.total_fen


def test_worked_example_reports_rules_used_and_the_stub_applied():
    q = example()
    assert q.rules_used == ((1, 1), (2, 1), (3, 1), (4, 1))
    (use,) = q.stubs_applied
    assert use.applied and use.leg_index == 0 and use.amount_fen == 5_600
    assert q.unused_stub_codes == ()
