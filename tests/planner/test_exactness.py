"""The planner returns exactly the cheapest plans: on 1,000 seeded random small
catalogues (up to 8 destinations x 2 products, windows up to 35 nights, up to 3 stays,
random seasons, inventory holes, day restrictions, rules of every kind, stubs, needs,
routes, budgets), its top-`limit` totals and order equal a brute-force enumeration that
prices every possible plan with the pricing engine. In-process, no database (the
database path is checked on a sample in ``tests/service/test_plans_db.py``)."""

from dataclasses import replace

import pytest

from planner.search import Planner, plan
from tests.planner.instances import brute_force, brute_force_of, filling, instance

SEEDS = range(1000)


def summary(result) -> list[tuple]:
    return [
        (p.total_fen, p.product_ids, p.stays[0].check_in, tuple(s.nights for s in p.stays))
        for p in result.plans
    ]


def test_the_search_equals_brute_force_on_1000_random_instances():
    mismatches = []
    with_plans = 0
    for seed in SEEDS:
        request, catalogue = instance(seed)
        got, want = summary(plan(request, catalogue)), brute_force_of(seed)
        with_plans += bool(want)
        if got != want:
            mismatches.append((seed, got, want))
    assert not mismatches, mismatches[:3]
    # The generator must exercise the search, not only empty answers (271 of these
    # 1,000 have plans; the others check that both agree there is none).
    assert with_plans >= 250


def test_reading_calendars_only_when_costing_gives_the_same_answers():
    """The service hands the planner offers without calendars and a way to read them
    (docs/planner.md, "Cost"): the same plans, in the same order, as the brute force,
    and the same reason when there is none, on all 1,000 instances."""
    mismatches = []
    read_some = 0
    for seed in SEEDS:
        request, catalogue = instance(seed)
        calendars = {o.id: o.calendar for o in catalogue.offers}
        asked: list[int] = []

        def read(offers, calendars=calendars, asked=asked):
            asked.extend(o.id for o in offers)
            return {o.id: calendars[o.id] for o in offers}

        bare = replace(catalogue, offers=[replace(o, calendar=None) for o in catalogue.offers])
        lazy = Planner(request, bare, read).run()
        eager = plan(request, catalogue)
        assert len(asked) == len(set(asked))  # each calendar read once
        read_some += bool(asked)
        got = (summary(lazy), lazy.empty_stage)
        want = (brute_force_of(seed), eager.empty_stage)
        if got != want:
            mismatches.append((seed, got, want))
    assert not mismatches, mismatches[:3]
    assert read_some >= 250


def test_fitting_the_dates_equals_brute_force_on_1000_random_instances():
    """``fill`` (no length asked): every plan has the most nights any plan has, and the
    plans are the cheapest of that length, as the brute force finds them; the same with
    the calendars read only when costing."""
    mismatches = []
    shorter = 0
    for seed in SEEDS:
        request, catalogue = filling(seed)
        expected = brute_force(request, catalogue)
        calendars = {o.id: o.calendar for o in catalogue.offers}
        bare = replace(catalogue, offers=[replace(o, calendar=None) for o in catalogue.offers])
        lazy = Planner(request, bare, lambda offers, c=calendars: {o.id: c[o.id] for o in offers})
        for got in (summary(plan(request, catalogue)), summary(lazy.run())):
            if got != expected:
                mismatches.append((seed, got, expected))
        shorter += bool(expected) and sum(expected[0][3]) < request.nights_max
    assert not mismatches, mismatches[:3]
    assert shorter >= 50  # instances whose plans cannot fill the range's top


@pytest.mark.parametrize("seed", [s for s in range(60) if instance(s)[0].stubs][:5])
def test_instances_with_stubs_are_exact_too(seed):
    request, catalogue = instance(seed)
    assert summary(plan(request, catalogue)) == brute_force(request, catalogue)


def test_every_returned_plan_is_priced_by_the_engine_for_its_own_quote_request():
    import pricing

    checked = 0
    for seed in range(200):
        request, catalogue = instance(seed)
        products = {o.id: o.terms for o in catalogue.offers}
        lines = {line.terms.id: line.terms for line in catalogue.lines}
        for p in plan(request, catalogue).plans:
            again = pricing.price_quote(p.request, products, lines, catalogue.rules)
            assert again.total_fen == p.total_fen == p.priced.total_fen
            # back to back, in the window, every night on sale with the units
            assert p.stays[0].check_in >= request.earliest_check_in
            assert p.stays[-1].check_out <= request.latest_check_out
            for a, b in zip(p.stays, p.stays[1:], strict=False):
                assert a.check_out == b.check_in
            # each product once; a destination left is not come back to (but on a route)
            assert len(set(p.product_ids)) == len(p.stays)
            dests = [s.destination_id for s in p.stays]
            runs = [d for i, d in enumerate(dests) if i == 0 or d != dests[i - 1]]
            assert request.route or len(runs) == len(set(runs))
            for s in p.stays:
                offer = next(o for o in catalogue.offers if o.id == s.product_id)
                assert offer.calendar.stay_problem(s.check_in, s.check_out, request.units) is None
            checked += 1
    assert checked > 60
