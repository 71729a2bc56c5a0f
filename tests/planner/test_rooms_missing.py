"""More rooms when rooms are what is missing, against the brute force: on the 1,000
random instances with no plan, the party's size keeping out some offers that meet the
rest (all of them, or only some while others take the party), the relaxation "book N
rooms" is offered exactly when the brute force finds a plan with some number of rooms,
the fewest from those the largest room needs (more, smaller rooms when the largest give
none), at its cheapest total, and the reason is the party's size exactly when the search's own
stage is one of the offers it may use (``availability``, ``shape``) and those rooms
give plans. The newcomer's case (5 guests, one stay, the rooms that hold 5 giving no
plan, 2 rooms giving 3) said ``shape``, "no sequence of stays ... a transit line", and
offered no rooms; until December 2026 it tried only the rooms the largest room needs,
so 9 guests whose 2 rooms of 6 gave no plan were offered nothing while 3 rooms gave
plans."""

from dataclasses import replace
from itertools import product

from planner import explain
from planner.model import MAX_UNITS, SearchResult, blocked_occupancy, largest_occupancy
from planner.search import plan
from tests.planner.instances import brute_force, brute_force_of, instance

SEEDS = range(1000)


def _rooms_only(request, catalogue):
    """The planner for the relaxations that change the rooms; no plan for the others
    (their own tests: tests/service/test_plans_changes.py), which keeps this one short."""
    return lambda r, _budget: plan(r, catalogue) if r.units != request.units else SearchResult([])


def test_more_rooms_is_offered_exactly_when_the_brute_force_finds_plans_with_them():
    mismatches = []
    partial = offered = beyond = 0
    for seed, party in product(SEEDS, (None, 3)):
        request, catalogue = instance(seed)
        if party is not None:  # a party of 3 in one room: more rooms held too small
            request = replace(request, guests=party, units=1)
        if brute_force_of(seed) if party is None else brute_force(request, catalogue):
            continue
        result = plan(request, catalogue)
        assert not result.plans
        most = blocked_occupancy(request, catalogue)
        expected = None  # (units, the cheapest total with them)
        if most is not None:  # the fewest rooms that give plans, from those most needs
            for units in range(-(-request.guests // most), min(MAX_UNITS, request.guests) + 1):
                found = brute_force(replace(request, units=units), catalogue)
                if found:
                    expected = (units, found[0][0])
                    break
        relaxed = explain.relaxations(request, catalogue, _rooms_only(request, catalogue))
        got = [(r.change["units"], r.cheapest_total_fen) for r in relaxed if "units" in r.change]
        if got != ([expected] if expected else []):
            mismatches.append((seed, got, expected))
        said = explain.rooms_missing(request, catalogue, result, relaxed)
        party = result.empty_stage == "party_too_large" or (
            result.empty_stage in ("availability", "shape") and expected is not None
        )
        if (said.empty_stage == "party_too_large") != party:
            mismatches.append((seed, result.empty_stage, said.empty_stage, expected))
        if party and said.largest_occupancy != most:
            mismatches.append((seed, said.largest_occupancy, most))
        some_take_it = largest_occupancy(request, catalogue) is None
        partial += expected is not None and some_take_it
        offered += expected is not None
        beyond += expected is not None and expected[0] > -(-request.guests // most)
        if said.rooms_short:  # said as such only where others take the party
            assert some_take_it and result.empty_stage != "party_too_large", seed
    assert not mismatches, mismatches[:3]
    # the instances exercise it: rooms offered, where some offers take the party, and
    # more rooms than the largest room needs
    assert offered >= 30 and partial >= 15 and beyond >= 1, (offered, partial, beyond)


def test_the_reason_words_say_the_rooms_when_others_take_the_party():
    request, catalogue = instance(0)
    request = replace(request, guests=5, units=1)
    result = replace(plan(request, catalogue), empty_stage="party_too_large", largest_occupancy=4)
    zh, en = explain.empty_reason(request, replace(result, rooms_short=True))
    assert en.startswith("5 guests do not fit in 1 room or bed: the stays that take 5 in 1 ")
    assert "hold at most 4 guests a room" in en and "transit" not in en
    assert zh.startswith("5位住客订1间（床位）住不下：能住下5人的产品") and "每间最多住4人" in zh
