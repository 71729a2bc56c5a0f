"""The min-plus kernel's two ways (planner/kernels.py): middle by middle over each
middle's finite spans (``_min_plus_spans``, for large cubes) gives the same matrix and
charges the same work as one block over the finite rows, middles and columns (the
only way before), on random matrices of every shape of finiteness; and the search with
every product going middle by middle answers the 1,000 exactness instances exactly as
with every product in one block (which ``test_exactness.py`` checks against brute
force)."""

import random

import numpy as np
import pytest

from planner import kernels
from planner.kernels import INF, _min_plus
from planner.search import plan
from tests.planner.instances import instance

# Larger than any cube: every product in one block, the kernel as it was.
ONE_BLOCK = 1 << 62


def _random_pair(rng: random.Random) -> tuple[np.ndarray, np.ndarray]:
    """A (W, W) prefix and a (W, W+1) stay matrix: upper triangular with random stays
    missing (a stay's matrix), or any pattern of INF (rows, columns, cells), with costs
    up to a few million yuan."""
    gen = np.random.default_rng(rng.randrange(1 << 30))
    W = rng.choice([1, 2, 3, 7, 20, 45, 90, rng.randrange(1, 130)])
    pair = []
    for cols in (W, W + 1):
        m = gen.integers(0, 10**9, size=(W, cols), dtype=np.int64)
        shape = rng.choice(["triangular", "cells", "rows", "empty", "dense"])
        keep = np.ones((W, cols), dtype=bool)
        if shape == "triangular":
            lo = rng.randrange(1, 4)
            span = np.arange(cols)[None, :] - np.arange(W)[:, None]
            keep = (span >= lo) & (gen.random((W, cols)) < rng.choice([0.3, 0.9, 1.0]))
        elif shape == "cells":
            keep = gen.random((W, cols)) < rng.random()
        elif shape == "rows":
            keep[gen.random(W) < 0.5] = False
            keep[:, gen.random(cols) < 0.5] = False
        elif shape == "empty":
            keep[:] = False
        pair.append(np.where(keep, m, INF))
    return pair[0], pair[1]


def _both(F, M, monkeypatch) -> tuple[tuple, tuple]:
    out = []
    for spans_from in (ONE_BLOCK, 0):
        monkeypatch.setattr(kernels, "_SPANS_FROM", spans_from)
        charged: list[int] = []
        out.append((_min_plus(F, M, charged.append), charged))
    return out[0], out[1]


def test_middle_by_middle_equals_one_block_and_charges_the_same(monkeypatch):
    rng = random.Random(2026)
    for _ in range(400):
        F, M = _random_pair(rng)
        (block, block_work), (spans, spans_work) = _both(F, M, monkeypatch)
        assert block_work == spans_work
        assert np.array_equal(block, spans)


def test_a_long_window_goes_middle_by_middle():
    W = 400
    span = np.arange(W + 1)[None, :] - np.arange(W)[:, None]
    M = np.where(span >= 1, 1000, INF).astype(np.int64)
    assert W**3 // 6 > kernels._SPANS_FROM  # the refused 400-night request's size
    out = _min_plus(M[:, :W], M)
    assert out[0, W] == 2000 and out[0, 1] == INF


@pytest.mark.parametrize("part", range(4))
def test_the_search_answers_the_same_with_every_product_middle_by_middle(part, monkeypatch):
    def summary(result):
        return (
            [
                (p.total_fen, p.product_ids, p.stays[0].check_in, [s.nights for s in p.stays])
                for p in result.plans
            ],
            result.empty_stage,
            result.stats.work,
        )

    differ = []
    for seed in range(part, 1000, 4):
        request, catalogue = instance(seed)
        monkeypatch.setattr(kernels, "_SPANS_FROM", ONE_BLOCK)
        before = summary(plan(request, catalogue))
        monkeypatch.setattr(kernels, "_SPANS_FROM", 0)
        after = summary(plan(request, catalogue))
        if before != after:
            differ.append((seed, before, after))
    assert not differ, differ[:2]
