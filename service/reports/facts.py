"""The rows every report reads, live or frozen, as one shape (docs/metrics.md).

* ``stays(source)``: one row per stay item of a counted (confirmed, completed) or
  cancelled booking, with its product's and destination's dimensions, its survey
  answer and, on the first stay of a trip, the trip's nights. Live: ``report_stay``
  (the per-stay summary the database keeps by trigger, migration 0016) joined to
  ``product`` and ``destination`` (dimensions that can change are never copied);
  frozen: ``closed_stay`` of one closed year.
* ``supply(source)``: one row per night that offers units, ``total_units`` its units on
  sale by the dashboard's rule (``catalog.supply``): all of them while its product is
  active and the night not stop-sold, else only those taken (a retired product's or a
  closed night's sales still count, its units left are not capacity).
* ``pilots(source)``: one row per destination.

Both sources give the same columns, so each report's query is written once.
"""

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from catalog import supply as supply_rule
from catalog.models import Destination, InventoryNight, Product
from service.reports.models import (
    SCORES,
    ClosedPilot,
    ClosedStay,
    ClosedSupply,
    ReportStay,
)

DIMENSIONS = ("month", "pilot_kind", "theme", "prefecture", "destination", "channel")
# The column of each dimension in the rows (month comes from the period, not a column).
DIMENSION_COLUMNS = {
    "pilot_kind": "pilot_kind",
    "theme": "theme",
    "prefecture": "prefecture",
    "destination": "destination_id",
    "channel": "channel",
}


@dataclass(frozen=True, slots=True)
class Source:
    """Where a segment's rows come from: the live tables, or a closed year's copy."""

    closed_year: int | None = None

    @property
    def live(self) -> bool:
        return self.closed_year is None


LIVE = Source()

_R = ReportStay.__table__
_P, _D = Product.__table__, Destination.__table__
_N = InventoryNight.__table__
_CS, _CN, _CP = ClosedStay.__table__, ClosedSupply.__table__, ClosedPilot.__table__


def live_stays() -> sa.Select:
    """The live stay rows (what a closing copies into ``closed_stay``)."""
    return (
        sa.select(
            _R.c.item_id,
            _R.c.booking_id,
            _R.c.item_index,
            _R.c.counted,
            _R.c.no_show,
            _R.c.channel,
            _R.c.product_id,
            _P.c.destination_id,
            _P.c.theme,
            _D.c.pilot_kind,
            _D.c.prefecture,
            _P.c.beds_per_unit,
            _R.c.check_in,
            _R.c.check_out,
            _R.c.units,
            _R.c.guests,
            _R.c.net_fen,
            *(_R.c[s] for s in SCORES),
            _R.c.trip_nights,
            _R.c.checked_out,
        )
        .select_from(_R)
        .join(_P, _P.c.id == _R.c.product_id)
        .join(_D, _D.c.id == _P.c.destination_id)
    )


def stays(source: Source) -> sa.Subquery:
    if source.live:
        return live_stays().subquery("st")
    cols = [c for c in _CS.c if c.name != "year"]
    return sa.select(*cols).where(_CS.c.year == source.closed_year).subquery("st")


def live_supply() -> sa.Select:
    return (
        sa.select(
            _N.c.product_id,
            _N.c.night,
            supply_rule.units_on_sale(_N, _P).label("total_units"),
            _P.c.destination_id,
            _P.c.theme,
            _D.c.pilot_kind,
            _D.c.prefecture,
            _P.c.beds_per_unit,
        )
        .select_from(_N)
        .join(_P, _P.c.id == _N.c.product_id)
        .join(_D, _D.c.id == _P.c.destination_id)
        .where(supply_rule.offers_units(_N, _P))
    )


def live_supply_between(first: date, last: date) -> sa.Select:
    return live_supply().where(_N.c.night.between(first, last))


def supply(source: Source, first: date, last: date) -> sa.Subquery:
    """Nights on sale from ``first`` to ``last`` (inclusive)."""
    if source.live:
        stmt = live_supply_between(first, last)
    else:
        cols = [c for c in _CN.c if c.name != "year"]
        stmt = sa.select(*cols).where(
            _CN.c.year == source.closed_year, _CN.c.night.between(first, last)
        )
    return stmt.subquery("su")


def live_pilots() -> sa.Select:
    return sa.select(
        _D.c.id.label("destination_id"),
        _D.c.slug,
        _D.c.name_zh,
        _D.c.name_en,
        _D.c.pilot_kind,
        _D.c.pilot_status,
        _D.c.prefecture,
        _D.c.lat,
        _D.c.lon,
        _D.c.certifications,
    )


def pilots(source: Source) -> sa.Subquery:
    if source.live:
        return live_pilots().subquery("pi")
    cols = [c for c in _CP.c if c.name != "year"]
    return sa.select(*cols).where(_CP.c.year == source.closed_year).subquery("pi")


def days(dialect: str, later, earlier) -> sa.ColumnElement[int]:
    """Whole days from ``earlier`` to ``later`` (dates), in the dialect's arithmetic."""
    if dialect == "sqlite":
        return sa.cast(sa.func.julianday(later) - sa.func.julianday(earlier), sa.Integer)
    return sa.cast(later - earlier, sa.Integer)
