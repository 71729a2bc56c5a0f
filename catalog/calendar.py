"""The inventory and rate calendar: one cell per product and night (``inventory_night``),
and the bulk edit over products x dates x weekdays x chosen fields.

``plan_edit`` is pure: given the edit, the products with their seasons, and the current
cells, it says which cells change, which are unchanged, and which cannot change and why
(``units_below_taken``: fewer units than already taken; ``above_filed_price``: a rate
override above the night's filed list price, 备案价; ``no_inventory``: the night has no
cell and the edit does not set ``units`` to publish one; ``min_stay_above_max_stay``:
the night would ask a stay arriving on it for more nights than it allows, which closes
it to every arrival). The preview shows that plan;
the apply (``service.operators.calendar``) makes it again under the inventory lock and
writes it all, or nothing when any cell is refused.

A night's **published rate** is its season's nightly rate (or the product's base rate
outside every season); its **filed price** is that season's (or the product's) filed
list price, the published rate when nothing is filed; its **effective rate** is the
override when one is set, else the published rate.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

FIELDS = (
    "units",
    "rate_override_fen",
    "stop_sell",
    "min_stay_arrival",
    "min_stay_through",
    "max_stay",
    "closed_to_arrival",
    "closed_to_departure",
)
# The column each field writes (``units`` is ``total_units``).
COLUMNS = {f: ("total_units" if f == "units" else f) for f in FIELDS}
RATE_FIELDS = frozenset({"rate_override_fen"})

UNITS_BELOW_TAKEN = "units_below_taken"
ABOVE_FILED_PRICE = "above_filed_price"
NO_INVENTORY = "no_inventory"
MIN_STAY_ABOVE_MAX_STAY = "min_stay_above_max_stay"
MIN_STAY_FIELDS = ("min_stay_arrival", "min_stay_through")
STAY_LIMIT_FIELDS = ("max_stay", *MIN_STAY_FIELDS)


@dataclass(frozen=True, slots=True)
class BulkEdit:
    """Set ``changes`` (field -> value; ``None`` clears a nullable field) on every night
    ``first <= night <= last`` whose ISO weekday (1 = Monday) is in ``weekdays``, of
    every product in ``product_ids``."""

    product_ids: tuple[int, ...]
    first: date
    last: date
    weekdays: frozenset[int]
    changes: Mapping[str, Any]

    def nights(self) -> list[date]:
        out, d = [], self.first
        while d <= self.last:
            if d.isoweekday() in self.weekdays:
                out.append(d)
            d += timedelta(days=1)
        return out


@dataclass(frozen=True, slots=True)
class RateWindow:
    """A season as the calendar needs it: nights ``start <= d < end``."""

    start: date
    end: date
    rate_fen: int
    filed_fen: int


@dataclass(frozen=True, slots=True)
class ProductRates:
    product_id: int
    base_rate_fen: int
    filed_rate_fen: int
    seasons: tuple[RateWindow, ...] = ()

    def published(self, night: date) -> tuple[int, int]:
        """(published rate, filed price) of ``night``."""
        for s in self.seasons:
            if s.start <= night < s.end:
                return s.rate_fen, s.filed_fen
        return self.base_rate_fen, self.filed_rate_fen


def product_rates(product, seasons: Iterable) -> ProductRates:
    """From a ``product`` row and its ``season`` rows (filed prices default to rates)."""
    return ProductRates(
        product_id=product.id,
        base_rate_fen=product.base_rate_fen,
        filed_rate_fen=(
            product.filed_rate_fen if product.filed_rate_fen is not None else product.base_rate_fen
        ),
        seasons=tuple(
            RateWindow(
                s.start_date,
                s.end_date,
                s.nightly_rate_fen,
                s.filed_rate_fen if s.filed_rate_fen is not None else s.nightly_rate_fen,
            )
            for s in sorted(seasons, key=lambda s: s.start_date)
        ),
    )


@dataclass(frozen=True, slots=True)
class Cell:
    """One ``inventory_night`` row's values (``units`` = ``total_units``)."""

    units: int
    taken_units: int = 0
    rate_override_fen: int | None = None
    stop_sell: bool = False
    min_stay_arrival: int | None = None
    min_stay_through: int | None = None
    max_stay: int | None = None
    closed_to_arrival: bool = False
    closed_to_departure: bool = False

    @classmethod
    def of(cls, row) -> Cell:
        return cls(
            units=row.total_units,
            taken_units=row.taken_units,
            rate_override_fen=row.rate_override_fen,
            stop_sell=bool(row.stop_sell),
            min_stay_arrival=row.min_stay_arrival,
            min_stay_through=row.min_stay_through,
            max_stay=row.max_stay,
            closed_to_arrival=bool(row.closed_to_arrival),
            closed_to_departure=bool(row.closed_to_departure),
        )

    def get(self, name: str) -> Any:
        return getattr(self, name)


@dataclass(frozen=True, slots=True)
class Refusal:
    product_id: int
    night: date
    field: str
    code: str
    value: Any
    limit: int | None = None  # units taken, the filed price, or the other stay limit


@dataclass(frozen=True, slots=True)
class RateRun:
    """Consecutive changed nights of one product whose effective rate went old -> new."""

    product_id: int
    first_night: date
    last_night: date
    old_rate_fen: int
    new_rate_fen: int
    source: str


@dataclass(slots=True)
class EditPlan:
    cells: int = 0
    changed: list[tuple[int, date]] = field(default_factory=list)
    missing: list[tuple[int, date]] = field(default_factory=list)  # rows to insert
    unchanged: int = 0
    refused: list[Refusal] = field(default_factory=list)
    rate_runs: list[RateRun] = field(default_factory=list)
    # Per product and field, runs of changed nights with their old value:
    # {product_id: {field: [[first, last, old value], ...]}}
    before: dict[int, dict[str, list]] = field(default_factory=dict)


def plan_edit(
    edit: BulkEdit, rates: Mapping[int, ProductRates], cells: Mapping[tuple[int, date], Cell]
) -> EditPlan:
    """What ``edit`` does to ``cells`` (see the module docstring)."""
    plan = EditPlan()
    nights = edit.nights()
    changes = dict(edit.changes)
    for product_id in sorted(set(edit.product_ids)):
        product_rates = rates[product_id]
        runs: list[list] = []
        before: dict[str, list] = {}
        for night in nights:
            plan.cells += 1
            cell = cells.get((product_id, night))
            if cell is None:
                if "units" not in changes:
                    plan.refused.append(Refusal(product_id, night, "units", NO_INVENTORY, None))
                    continue
                cell = Cell(units=0)
                plan.missing.append((product_id, night))
            refusal = _refusal(product_id, night, cell, changes, product_rates)
            if refusal is not None:
                plan.refused.append(refusal)
                continue
            differs = [f for f, v in changes.items() if cell.get(f) != v]
            if not differs and (product_id, night) not in plan.missing:
                plan.unchanged += 1
                continue
            plan.changed.append((product_id, night))
            for f in differs:
                _extend(before.setdefault(f, []), night, cell.get(f))
            if "rate_override_fen" in differs:
                published, _filed = product_rates.published(night)
                old = cell.rate_override_fen if cell.rate_override_fen is not None else published
                new_override = changes["rate_override_fen"]
                new = new_override if new_override is not None else published
                if old != new:
                    source = "override" if new_override is not None else "override_cleared"
                    _extend_rate(runs, night, old, new, source)
        if before:
            plan.before[product_id] = before
        plan.rate_runs.extend(
            RateRun(product_id, first, last, old, new, source)
            for first, last, old, new, source in runs
        )
    return plan


def _refusal(
    product_id: int, night: date, cell: Cell, changes: Mapping[str, Any], rates: ProductRates
) -> Refusal | None:
    units = changes.get("units")
    if units is not None and units < cell.taken_units:
        return Refusal(product_id, night, "units", UNITS_BELOW_TAKEN, units, cell.taken_units)
    override = changes.get("rate_override_fen")
    if override is not None:
        _published, filed = rates.published(night)
        if override > filed:
            return Refusal(
                product_id, night, "rate_override_fen", ABOVE_FILED_PRICE, override, filed
            )
    return _stay_limits_refusal(product_id, night, cell, changes)


def _stay_limits_refusal(
    product_id: int, night: date, cell: Cell, changes: Mapping[str, Any]
) -> Refusal | None:
    found = stay_limits_contradiction(changes, cell)
    if found is None:
        return None
    field, value, limit = found
    return Refusal(product_id, night, field, MIN_STAY_ABOVE_MAX_STAY, value, limit)


def stay_limits_contradiction(
    changes: Mapping[str, Any], cell: Cell | None = None
) -> tuple[str, int, int] | None:
    """A stay arriving on a night has at least ``min_stay_arrival`` and
    ``min_stay_through`` nights and at most ``max_stay``: a minimum above the maximum
    closes the night to every arrival. The night is judged as the edit would leave it
    (the cell's own values for the limits it does not set; none without a cell). A
    minimum and the maximum the edit touches (either of the two) that end contradictory,
    and further apart than they were (a night saved contradictory before this check may
    be edited, and brought closer or right), give (the field the edit sets, ``max_stay``
    first; its value; the other limit of that pair, the largest such minimum first),
    else None."""
    if not any(f in changes for f in STAY_LIMIT_FIELDS):
        return None  # the edit leaves the stay limits as they are
    before = {f: cell.get(f) if cell else None for f in STAY_LIMIT_FIELDS}
    after = {**before, **{f: changes[f] for f in STAY_LIMIT_FIELDS if f in changes}}
    found = []
    for least in MIN_STAY_FIELDS:
        if least not in changes and "max_stay" not in changes:
            continue  # a pair the edit leaves as it was
        gap = _stay_gap(after, least)
        if gap > 0 and gap > _stay_gap(before, least):
            field, other = ("max_stay", least) if "max_stay" in changes else (least, "max_stay")
            found.append((field != "max_stay", -gap, field, after[field], after[other]))
    return min(found)[2:] if found else None


def _stay_gap(limits: Mapping[str, Any], least: str) -> int:
    """How many nights the minimum ``least`` is above the maximum (0 if not, or unset)."""
    if limits[least] is None or limits["max_stay"] is None:
        return 0
    return max(limits[least] - limits["max_stay"], 0)


def _extend(runs: list, night: date, value: Any) -> None:
    """Runs of consecutive calendar nights with one value: [[first, last, value]]."""
    if runs and runs[-1][2] == value and runs[-1][1] + timedelta(days=1) == night:
        runs[-1][1] = night
    else:
        runs.append([night, night, value])


def _extend_rate(runs: list, night: date, old: int, new: int, source: str) -> None:
    if runs and runs[-1][2:] == [old, new, source] and runs[-1][1] + timedelta(days=1) == night:
        runs[-1][1] = night
    else:
        runs.append([night, night, old, new, source])


def runs_json(runs: Sequence) -> list:
    return [[a.isoformat(), b.isoformat(), v] for a, b, v in runs]
