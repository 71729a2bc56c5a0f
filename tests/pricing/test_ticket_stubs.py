"""Ticket stubs: eligibility, valid_days edges, pack lines and the greedy allocation."""

from dataclasses import replace
from datetime import date, timedelta

import pytest

from pricing import Channel, RuleKind, StubInfo, TransitLegRequest

from .factories import CHANGBAI_NORTH, L1, L2, discount_lines, item, quote, request, rule

STUB = RuleKind.ticket_stub
VISIT = date(2027, 5, 10)


def stub(code="S1", *, visit=VISIT, persons=2, issuer=CHANGBAI_NORTH) -> StubInfo:
    return StubInfo(code=code, issuer_id=issuer, visit_date=visit, persons=persons)


def leg(day: date = VISIT, line=L1.id, riders=2) -> TransitLegRequest:
    return TransitLegRequest(line_id=line, travel_date=day, riders=riders)


def stay():
    """A stay of two weeks from 2027-05-01: every leg of these tests lies within it."""
    return item(nights=14)


def stub_lines(q):
    return discount_lines(q, STUB)


# --- legs -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days_after_visit", "applies"), [(-1, False), (0, True), (3, True), (4, False)]
)
def test_stub_covers_legs_from_visit_date_to_valid_days_after(days_after_visit, applies):
    day = VISIT + timedelta(days=days_after_visit)
    q = quote(request(stay(), legs=(leg(day),), stubs=(stub(),)), [rule(STUB, valid_days=3)])
    assert bool(stub_lines(q)) is applies
    assert q.unused_stub_codes == (() if applies else ("S1",))


def test_stub_with_zero_valid_days_covers_only_the_visit_date():
    rules = [rule(STUB, valid_days=0)]
    assert stub_lines(quote(request(stay(), legs=(leg(VISIT),), stubs=(stub(),)), rules))
    next_day = (leg(VISIT + timedelta(days=1)),)
    assert not stub_lines(quote(request(stay(), legs=next_day, stubs=(stub(),)), rules))


def test_stub_discounts_only_as_many_riders_as_it_covers_persons():
    party = item(nights=14, guests=3)  # three riders: a party of three
    q = quote(request(party, legs=(leg(riders=3),), stubs=(stub(persons=1),)), [rule(STUB)])
    (line,) = stub_lines(q)
    assert (line.quantity, line.base_fen, line.amount_fen) == (1, 5_600, 2_800)
    assert line.label_en == "Ticket-stub discount (stub S1, 1 rider, 50.00%)"
    assert q.legs[0].net_fen == 3 * 5_600 - 2_800


def test_stub_needs_a_rule_of_its_issuer():
    q = quote(request(stay(), legs=(leg(),), stubs=(stub(issuer=99),)), [rule(STUB)])
    assert stub_lines(q) == []


def test_stub_rule_applies_only_to_the_lines_it_names():
    q = quote(request(stay(), legs=(leg(line=L2.id),), stubs=(stub(),)), [rule(STUB)])
    assert stub_lines(q) == []


def test_stub_rule_respects_channel_and_booking_window():
    only_ota = rule(STUB, channels=frozenset({Channel.ota}))
    req = request(stay(), legs=(leg(),), stubs=(stub(),))
    assert stub_lines(quote(req, [only_ota])) == []
    expired = rule(STUB, booking_to=date(2027, 4, 19))
    assert stub_lines(quote(req, [expired])) == []


# --- greedy allocation ------------------------------------------------------------------


def test_two_stubs_competing_for_one_leg_the_first_presented_takes_it():
    req = request(stay(), legs=(leg(),), stubs=(stub("A", persons=1), stub("B", persons=2)))
    q = quote(req, [rule(STUB)])
    (line,) = stub_lines(q)
    assert (line.stub_code, line.amount_fen) == ("A", 2_800)
    assert [(use.stub_code, use.applied) for use in q.stubs_applied] == [
        ("A", True),
        ("B", False),
    ]
    assert q.unused_stub_codes == ("B",)


def test_each_stub_takes_the_line_that_saves_the_most():
    rules = [rule(STUB, transit_line_ids=frozenset({L1.id, L2.id}))]
    legs = (leg(line=L2.id), leg(line=L1.id))
    q = quote(request(stay(), legs=legs, stubs=(stub("A"), stub("B"))), rules)
    assert [(use.stub_code, use.leg_index) for use in q.stubs_applied] == [("A", 1), ("B", 0)]


def test_stub_saving_ties_go_to_the_earliest_date():
    legs = (leg(VISIT + timedelta(days=2)), leg(VISIT + timedelta(days=1)))
    q = quote(request(stay(), legs=legs, stubs=(stub(),)), [rule(STUB)])
    assert q.stubs_applied[0].leg_index == 1


def test_stub_saving_and_date_ties_go_to_the_line_first_in_the_request():
    q = quote(request(stay(), legs=(leg(), leg()), stubs=(stub(),)), [rule(STUB)])
    assert q.stubs_applied[0].leg_index == 0


def test_stub_full_ties_go_to_the_lowest_rule_id():
    rules = [rule(STUB, id=8), rule(STUB, id=6)]
    q = quote(request(stay(), legs=(leg(),), stubs=(stub(),)), rules)
    assert q.stubs_applied[0].rule_id == 6


def test_greedy_stub_order_is_followed_even_when_another_allocation_saves_more():
    # A could discount L1 (2,800) or L2 (1,500); B only L1. Greedy: A takes L1, B nothing.
    rules = [
        rule(STUB, id=1, transit_line_ids=frozenset({L1.id, L2.id})),
        rule(STUB, id=2, issuer_id=8, transit_line_ids=frozenset({L1.id})),
    ]
    stubs = (stub("A", persons=1), stub("B", persons=1, issuer=8))
    q = quote(request(stay(), legs=(leg(line=L2.id), leg()), stubs=stubs), rules)
    assert [(u.stub_code, u.leg_index) for u in q.stubs_applied] == [("A", 1), ("B", None)]
    assert q.discount_total_fen == 2_800


# --- pack lines -------------------------------------------------------------------------


def pack_stub_rule(**fields):
    return rule(STUB, transit_line_ids=frozenset(), pack_kinds=frozenset({"therapy"}), **fields)


def test_stub_on_a_pack_line_takes_bps_of_the_gross_pack_line():
    req = request(item(VISIT, pack_ids=(101, 102)), stubs=(stub(),))
    q = quote(req, [pack_stub_rule(bps=1000)])
    (line,) = stub_lines(q)
    assert (line.applies_to, line.pack_id, line.item_index) == ("pack", 101, 0)
    assert (line.base_fen, line.amount_fen, line.quantity) == (60_000, 6_000, None)
    assert q.items[0].packs_discount_fen == 6_000
    assert q.items[0].lines[-1] == line


@pytest.mark.parametrize(("days_after_visit", "applies"), [(-1, False), (3, True), (4, False)])
def test_pack_stub_window_is_on_the_item_check_in(days_after_visit, applies):
    check_in = VISIT + timedelta(days=days_after_visit)
    req = request(item(check_in, pack_ids=(101,)), stubs=(stub(),))
    assert bool(stub_lines(quote(req, [pack_stub_rule()]))) is applies


def test_pack_stub_applies_only_to_the_pack_kinds_it_names():
    req = request(item(VISIT, pack_ids=(102, 103)), stubs=(stub(),))
    assert stub_lines(quote(req, [pack_stub_rule()])) == []


def test_a_stub_prefers_a_pack_line_that_saves_more_than_a_leg():
    rules = [pack_stub_rule(id=1, bps=1000), rule(STUB, id=2)]
    req = request(item(VISIT, pack_ids=(101,)), legs=(leg(),), stubs=(stub(),))
    assert quote(req, rules).stubs_applied[0].applies_to == "pack"


def test_pack_lines_come_before_legs_in_request_order_for_ties():
    # Culture pack 25,000 at 11.20% = 2,800 = one rider of L1 at 50%, same date.
    culture = rule(STUB, id=2, transit_line_ids=frozenset(), pack_kinds=frozenset({"culture"}))
    culture = replace(culture, bps=1120)
    rules = [rule(STUB, id=1), culture]
    req = request(item(VISIT, pack_ids=(103,)), legs=(leg(),), stubs=(stub(persons=1),))
    use = quote(req, rules).stubs_applied[0]
    assert (use.applies_to, use.pack_id, use.rule_id, use.amount_fen) == ("pack", 103, 2, 2_800)


def test_pack_discounts_never_exceed_the_add_on_subtotal():
    rules = [rule(RuleKind.pack_bundle, id=1, bps=6000), pack_stub_rule(id=2, bps=5000)]
    q = quote(request(item(VISIT, pack_ids=(101,)), stubs=(stub(),)), rules)
    bundle, stub_line = discount_lines(q)
    assert bundle.amount_fen == 36_000
    assert (stub_line.amount_fen, stub_line.uncapped_fen, stub_line.capped) == (
        24_000,
        30_000,
        True,
    )
    assert q.items[0].net_fen == q.items[0].accommodation_fen


def test_a_stub_that_would_save_nothing_takes_no_line():
    rules = [rule(RuleKind.pack_bundle, id=1, bps=10000), pack_stub_rule(id=2)]
    q = quote(request(item(VISIT, pack_ids=(101,)), stubs=(stub(),)), rules)
    assert stub_lines(q) == []
    assert q.unused_stub_codes == ("S1",)


# --- why a stub discounted nothing -------------------------------------------------------


def _reasons(q):
    return [(use.stub_code, use.reason) for use in q.stubs_applied]


def test_a_stub_whose_issuer_has_no_deal_in_force_says_no_deal():
    q = quote(request(stay(), legs=(leg(),), stubs=(stub(),)), [])
    assert _reasons(q) == [("S1", "no_deal")]


def test_a_stub_with_no_pack_or_ride_of_its_deal_says_nothing_it_discounts():
    q = quote(request(stay(), legs=(leg(line=L2.id),), stubs=(stub(),)), [rule(STUB)])
    assert _reasons(q) == [("S1", "nothing_it_discounts")]


def test_a_stub_whose_ride_is_after_its_days_says_outside_validity():
    late = (leg(VISIT + timedelta(days=4)),)
    q = quote(request(stay(), legs=late, stubs=(stub(),)), [rule(STUB, valid_days=3)])
    assert _reasons(q) == [("S1", "outside_validity")]


def test_a_stub_whose_only_ride_an_earlier_stub_took_says_already_discounted():
    q = quote(request(stay(), legs=(leg(),), stubs=(stub("A"), stub("B"))), [rule(STUB)])
    assert _reasons(q) == [("A", None), ("B", "already_discounted")]


def test_a_pack_stub_with_no_room_left_says_already_discounted():
    rules = [rule(RuleKind.pack_bundle, id=1, bps=10000), pack_stub_rule(id=2)]
    q = quote(request(item(VISIT, pack_ids=(101,)), stubs=(stub(),)), rules)
    assert _reasons(q) == [("S1", "already_discounted")]
