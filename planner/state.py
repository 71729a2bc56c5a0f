"""What the search keeps while it runs: per candidate product (its possible stays and
bounds) and per product sequence (the best plan found), and the error it raises when
the search and the engine disagree."""

from dataclasses import dataclass

import numpy as np

from planner.model import Offer, Plan


class PlanningBug(RuntimeError):
    """The search and the engine disagree: never expected; raised rather than hidden."""


@dataclass(slots=True)
class _Product:
    offer: Offer
    index: int
    valid: np.ndarray  # bool (W, NM+1): stay (a, n) sellable and allowed
    rate_lb: int = 0  # r: lowest cost per night (floor) at the most destinations
    min_len: int = 0  # l: shortest possible stay
    base: dict | None = None  # its cost arrays, computed again when the search expands it
    checked: bool = True  # False: its calendar is not read yet, ``valid`` is optimistic


@dataclass(slots=True)
class _Found:
    """The best plan of one product sequence as the search knows it: its rank key
    (``Plan.rank_key``: total, stays, first check-in, product ids), its first check-in
    day and nights, and the plan when the engine has priced it already (with stubs)."""

    key: tuple
    ids: tuple[int, ...]
    a1: int
    nights: tuple[int, ...]
    plan: Plan | None = None
