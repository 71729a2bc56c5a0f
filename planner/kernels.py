"""The search's integer-array kernels: a tiered discount read off at many measures, the
min-plus product that chains stays, and the splits of a chain that cost a target (pure
numpy, no state of the search)."""

from collections.abc import Callable

import numpy as np

import pricing

INF = 1 << 50  # no finite cost (sums of two stay in int64)
_HALF = INF >> 1  # anything at or above is INF
_CHUNK = 1 << 21  # elements of one min-plus block (bounds memory on long windows)


def _tiers(rule: pricing.DiscountRule, measures: np.ndarray) -> np.ndarray:
    """For each measure, the bps of the rule's highest tier with threshold <= measure
    (0 when none): tiers are sorted by threshold (validated rules)."""
    thresholds = np.array([t.threshold for t in rule.tiers], dtype=np.int64)
    bps = np.array([0] + [t.bps for t in rule.tiers], dtype=np.int64)
    return bps[np.searchsorted(thresholds, measures, side="right")]


def _most_bps(rule: pricing.DiscountRule, measure: int) -> int:
    """The most bps a tiered rule gives at any measure up to ``measure`` (0: none)."""
    return max((t.bps for t in rule.tiers if t.threshold <= measure), default=0)


def _min_plus(
    F: np.ndarray, M: np.ndarray, charge: Callable[[int], None] | None = None
) -> np.ndarray:
    """``out[a, t] = min_s F[a, s] + M[s, t]`` (INF where no finite path), computed on
    the finite rows, middles and columns only, in row blocks (bounded memory).
    ``charge``: told the element operations (finite rows x middles x columns, plus the
    output's cells) before they are done; it may raise to stop the search."""
    rows_n, mid_n = F.shape
    out = np.full((rows_n, M.shape[1]), INF, dtype=np.int64)
    finite_f = F < _HALF
    finite_m = M < _HALF
    rows = np.nonzero(finite_f.any(axis=1))[0]
    mids = np.nonzero(finite_f.any(axis=0) & finite_m.any(axis=1))[0]
    cols = np.nonzero(finite_m[mids].any(axis=0))[0] if len(mids) else mids
    if charge is not None:
        charge(out.size + len(rows) * len(mids) * len(cols))
    if not len(rows) or not len(mids) or not len(cols):
        return out
    f = F[np.ix_(rows, mids)]
    m = M[np.ix_(mids, cols)]
    step = max(1, _CHUNK // max(1, len(mids) * len(cols)))
    sub = np.empty((len(rows), len(cols)), dtype=np.int64)
    for r0 in range(0, len(rows), step):
        sub[r0 : r0 + step] = (f[r0 : r0 + step, :, None] + m[None, :, :]).min(axis=1)
    np.minimum(sub, INF, out=sub)
    out[np.ix_(rows, cols)] = sub
    return out


def _splits(mats, a1: int, target: int, end_ok_row: np.ndarray, at_most: bool = False):
    """Nights tuples from day ``a1`` whose stays cost exactly ``target`` (or at most
    it, ``at_most``), in lexicographic order (``mats``: the stays' (W, W+1) cost
    matrices, in order)."""
    W = len(mats[0])
    k = len(mats)
    # back[i][t]: cheapest cost of stays i..k-1 starting on day t and ending on an
    # allowed last day.
    back = [None] * (k + 1)
    last = np.where(end_ok_row, 0, INF)
    back[k] = last
    for i in range(k - 1, -1, -1):
        nxt = back[i + 1]
        back[i] = (mats[i] + nxt[None, :]).min(axis=1)
        back[i] = np.concatenate([back[i], [INF]])  # no stay starts on day W

    def walk(i: int, t: int, spent: int, nights: tuple[int, ...]):
        if i == k:
            if end_ok_row[t] and (spent <= target if at_most else spent == target):
                yield nights
            return
        row = mats[i][t] if t < W else None
        if row is None:
            return
        for t2 in np.nonzero(row < _HALF)[0]:
            t2 = int(t2)
            cost = spent + int(row[t2])
            rest = int(back[i + 1][t2])
            if rest >= _HALF:
                continue
            total = cost + rest
            if total > target or (not at_most and total != target):
                continue
            yield from walk(i + 1, t2, cost, nights + (t2 - t,))

    yield from walk(0, a1, 0, ())
