"""The relaxations share one work budget, each change its equal share of what is left:
a change that would search too broadly is not offered, and the others are offered as
if it had not been tried (newcomer finding: allowing self-travel over a 60-day window
spent the whole shared budget, so "no destination required", which plans at once, was
not offered and the answer had no relaxation at all)."""

from dataclasses import replace

from planner import explain
from planner.budget import WORK_BUDGET, WorkBudget
from planner.model import SearchStats
from planner.search import plan
from tests.planner.instances import instance


def test_a_change_that_spends_its_share_leaves_the_others_theirs():
    compared = 0
    for seed in range(300):
        request, catalogue = instance(seed)
        request = replace(request, allow_self_travel=False)
        if plan(request, catalogue).plans:
            continue

        def hog(r, share):
            if r.allow_self_travel:  # spends more than its share: too broad
                share.charge(share.left + 1, SearchStats())
            return plan(r, catalogue)

        alone = [
            r
            for r in explain.relaxations(request, catalogue, lambda r, _budget: plan(r, catalogue))
            if "allow_self_travel" not in r.change
        ]
        shared = WorkBudget()
        got = explain.relaxations(request, catalogue, hog, shared)
        assert got == alone, seed
        assert 0 <= shared.left < WORK_BUDGET  # the hog's share charged, no more
        compared += bool(alone)
    assert compared >= 20, compared
