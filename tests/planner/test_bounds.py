"""The search's bounds are lower bounds (docs/planner.md, "Why it is exact"): each
product's rate floor, computed from its terms without costing its stays, is at most
its exact lowest cost per night, and the lowest rate the search bounds the nights still
needed with (``r_min``) is the exact lowest over all products. On the generated
instances of the exactness test, and on a catalogue built so the floor is loose."""

from dataclasses import replace

import numpy as np

from planner.search import _HALF, Planner
from tests.planner.instances import instance


def exact_rate(planner: Planner, product) -> int:
    """The lowest cost per night (floored) of any possible stay at d_max, from the
    costs the search prices plans with."""
    costs = planner.costs(product, planner.d_max)
    a, n = np.nonzero(costs < _HALF)
    return int((costs[a, n] // n).min())


def check(request, catalogue) -> int:
    planner = Planner(request, catalogue)
    planner.run()
    if not planner.products:
        return 0
    exact = {p.index: exact_rate(planner, p) for p in planner.products}
    for p in planner.products:
        floor = int(planner._rate_floors([p.offer], p.valid[None])[0])
        assert floor <= exact[p.index], (p.offer.id, floor, exact[p.index])
        assert p.rate_lb <= exact[p.index], (p.offer.id, p.rate_lb, exact[p.index])
    assert min(p.rate_lb for p in planner.products) == min(exact.values())
    return len(planner.products)


def test_rate_floors_are_below_every_exact_rate_and_r_min_is_exact():
    checked = sum(check(*instance(seed)) for seed in range(400))
    assert checked > 500


def test_a_loose_floor_still_gives_the_exact_r_min():
    # Seasons that the window only partly covers and a cap far above what the rules
    # give make the floors loose; r_min must still be the exact lowest rate.
    checked = 0
    for seed in range(200):
        request, catalogue = instance(seed)
        offers = [
            replace(o, terms=replace(o.terms, max_discount_bps=9000)) for o in catalogue.offers
        ]
        checked += check(request, replace(catalogue, offers=offers))
    assert checked > 200
