"""The search's integer-array kernels: a tiered discount read off at many measures, the
min-plus product that chains stays, and the splits of a chain that cost a target (pure
numpy, no state of the search)."""

from collections.abc import Callable

import numpy as np

import pricing

INF = 1 << 50  # no finite cost (sums of two stay in int64)
_HALF = INF >> 1  # anything at or above is INF
_CHUNK = 1 << 21  # elements of one min-plus block (bounds memory on long windows)
# Cubes (rows x middles x columns) from which a min-plus goes middle by middle
# (``_min_plus_spans``): below, ~100 days, one block is as fast or faster.
_SPANS_FROM = 1 << 20


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
    the finite rows, middles and columns only (bounded memory).
    ``charge``: told the element operations (finite rows x middles x columns, plus the
    output's cells) before they are done; it may raise to stop the search. Large
    products go middle by middle over each middle's span of finite rows and columns
    (``_min_plus_spans``: a stay's matrix is upper triangular, so about a sixth of the
    cube, ~10x faster at 400 days); the charge counts the whole cube either way, so the
    work budget refuses exactly what it refused before (docs/planner.md, "Work budget")."""
    rows_n, mid_n = F.shape
    out = np.full((rows_n, M.shape[1]), INF, dtype=np.int64)
    finite_f = F < _HALF
    finite_m = M < _HALF
    rows = np.nonzero(finite_f.any(axis=1))[0]
    mids = np.nonzero(finite_f.any(axis=0) & finite_m.any(axis=1))[0]
    cols = np.nonzero(finite_m[mids].any(axis=0))[0] if len(mids) else mids
    cube = len(rows) * len(mids) * len(cols)
    if charge is not None:
        charge(out.size + cube)
    if not cube:
        return out
    if cube >= _SPANS_FROM:
        return _min_plus_spans(F, M, finite_f, finite_m, mids, out)
    f = F[np.ix_(rows, mids)]
    m = M[np.ix_(mids, cols)]
    step = max(1, _CHUNK // max(1, len(mids) * len(cols)))
    sub = np.empty((len(rows), len(cols)), dtype=np.int64)
    for r0 in range(0, len(rows), step):
        sub[r0 : r0 + step] = (f[r0 : r0 + step, :, None] + m[None, :, :]).min(axis=1)
    np.minimum(sub, INF, out=sub)
    out[np.ix_(rows, cols)] = sub
    return out


def _min_plus_spans(
    F: np.ndarray,
    M: np.ndarray,
    finite_f: np.ndarray,
    finite_m: np.ndarray,
    mids: np.ndarray,
    out: np.ndarray,
) -> np.ndarray:
    """``_min_plus`` middle by middle: for middle ``s``, ``F[a, s] + M[s, t]`` over the
    span of rows where ``F[:, s]`` is finite and of columns where ``M[s]`` is, folded
    into ``out`` (all INF on entry). A term left out has an infinite factor, so the
    minimum of every finite path is the same as over the whole cube."""
    rows_n = F.shape[0]
    cols_n = M.shape[1]
    f_mid = finite_f[:, mids]
    m_mid = finite_m[mids]
    first_row = f_mid.argmax(axis=0)
    end_row = rows_n - f_mid[::-1].argmax(axis=0)
    first_col = m_mid.argmax(axis=1)
    end_col = cols_n - m_mid[:, ::-1].argmax(axis=1)
    buf = np.empty(out.size, dtype=np.int64)
    for i, s in enumerate(mids):
        r0, r1, c0, c1 = first_row[i], end_row[i], first_col[i], end_col[i]
        block = out[r0:r1, c0:c1]
        terms = buf[: block.size].reshape(block.shape)
        np.add(F[r0:r1, s, None], M[s, None, c0:c1], out=terms)
        np.minimum(block, terms, out=block)
    np.minimum(out, INF, out=out)
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
