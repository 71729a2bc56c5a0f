"""The planner's transfers carry the plan's party: on the random instances, every leg
of every plan has at most the most guests its stays hold at once (the engine's
``too_many_riders`` bound, ``pricing.at_once``), and exactly the request's guests,
and every plan's quote request passes the engine's validation as ``POST /v1/quotes``
would price it."""

import pricing
from planner.search import plan
from pricing.at_once import most_at_once
from tests.planner.instances import instance

SEEDS = range(300)


def test_no_plan_proposes_more_riders_than_its_party():
    legs = 0
    for seed in SEEDS:
        request, catalogue = instance(seed)
        products = {o.id: o.terms for o in catalogue.offers}
        lines = {line.terms.id: line.terms for line in catalogue.lines}
        for p in plan(request, catalogue).plans:
            quote = p.request
            party = most_at_once((i.check_in, i.check_out, i.guests) for i in quote.items)
            assert party == request.guests, seed
            for leg in quote.legs:
                assert leg.riders == request.guests <= party, seed
                legs += 1
            pricing.validate_request(quote, products, lines)
    assert legs >= 20  # the instances do take transfers (28 on these seeds)
