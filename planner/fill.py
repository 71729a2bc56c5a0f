"""Fitting the dates (``PlanRequest.fill``; docs/planner.md, "Fitting the dates"): the
cheapest plans of the most nights any plan has, searched one total at a time, the
longest first, over the totals and placements the products' stays could make."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from planner.kernels import _HALF
from planner.model import PlanRequest, SearchResult

if TYPE_CHECKING:
    from planner.search import Planner


def fill(search: Planner, some: SearchResult) -> SearchResult:
    """With ``fill``: the cheapest plans of the most nights any plan has. ``some``
    (the cheapest plans of any length in range) shows a plan of ``done`` nights, so
    that many is reached; each longer total that stays of the products' possible
    lengths could make (``_totals``, a superset of the real ones) is searched
    exactly, the longest first, as if the request had given it; the first with a
    plan is the answer, else the one of ``done`` nights."""
    done = max(sum(s.nights for s in p.stays) for p in some.plans)
    for n in _totals(search, done + 1, search.request.nights_max)[::-1]:
        found = search._best_first(n, n, _completable(search, n))
        if found.plans:
            return found
    return search._best_first(done, done, _completable(search, done))


def _reach(search: Planner) -> np.ndarray:
    """(W+1, W+1) bool: day ``t`` to day ``u`` by one stay of some product, as far as
    what is known of the products' stays (a calendar not read yet counts as all on
    sale, so this is a superset of the real stays)."""
    W = search.W
    union = np.zeros((W, search.NM + 1), dtype=bool)
    for p in search.products:
        if p.rate_lb < _HALF:
            union |= p.valid
    a, n = np.nonzero(union)
    one = np.zeros((W + 1, W + 1), dtype=bool)
    one[a, a + n] = True
    return one


def _within(one: np.ndarray, stays: int) -> list[np.ndarray]:
    """``out[k][t, u]``: day ``t`` to day ``u`` by at most ``k`` stays (k = 0 ..
    ``stays``; 0 stays: ``t == u``)."""
    step = one.astype(np.float32)
    out = [np.eye(len(one), dtype=bool)]
    for _ in range(stays):
        prev = out[-1]
        out.append(prev | ((prev.astype(np.float32) @ step) > 0))
    return out


def _stays_left(request: PlanRequest) -> int:
    return len(request.route) if request.route else request.max_stays


def _totals(search: Planner, lo: int, hi: int) -> list[int]:
    """The totals in ``lo..hi`` that 1 to ``max_stays`` back-to-back stays could
    have (``_reach``: ignoring which products follow which), ascending."""
    one = _reach(search)
    within = _within(one, _stays_left(search.request) - 1)[-1]
    some = (within.astype(np.float32) @ one.astype(np.float32)) > 0  # >= 1 stay
    t, u = np.nonzero(some)
    return sorted({int(x) for x in u - t if lo <= x <= hi})


def _completable(search: Planner, n: int) -> list[np.ndarray]:
    """``out[k][a1, t]``: a prefix that began on day ``a1`` and ends on day ``t`` can
    still make a plan of ``n`` nights with at most ``k`` more stays (as far as
    ``_reach`` knows: never False for a real completion)."""
    W = search.W
    out = []
    for within in _within(_reach(search), _stays_left(search.request)):
        ok = np.zeros((W, W + 1), dtype=bool)
        a1 = np.arange(max(0, W + 1 - n))
        ok[a1] = within[:, a1 + n].T
        out.append(ok)
    return out
