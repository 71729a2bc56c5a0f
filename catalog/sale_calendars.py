"""The sale calendars read from ``inventory_night``: each product's nights with their
units left and day restrictions (``catalog.sellability.SaleCalendar``), for a window of
many products (``load_calendars``: the planner, a theme's availability, the price
calendar) or for a quote's or booking's own stays (``stays_calendars``,
``stays_problems``/``problems_of``, with ``sale_terms``: the availability check, the
quote and booking re-checks). Read by primary-key range; they never commit.
"""

import functools
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from catalog.models import InventoryNight, Product
from catalog.queries import in_ids
from catalog.sellability import DayRestriction, SaleCalendar, SaleTerms, Unsellable

_inv = InventoryNight.__table__.c
# What the loaders read of a cell: units left and the calendar's restrictions.
_CELL = (
    _inv.product_id,
    _inv.night,
    (_inv.total_units - _inv.taken_units).label("left"),
    _inv.total_units,
    _inv.stop_sell,
    _inv.closed_to_arrival,
    _inv.closed_to_departure,
    _inv.min_stay_arrival,
    _inv.max_stay,
    _inv.min_stay_through,
)


# A cell with a restriction of the calendar (few: most cells carry none).
_RESTRICTED = sa.or_(
    _inv.stop_sell,
    _inv.closed_to_arrival,
    _inv.closed_to_departure,
    _inv.min_stay_arrival.is_not(None),
    _inv.max_stay.is_not(None),
    _inv.min_stay_through.is_not(None),
)


def _day_index(dialect: str, start: date) -> sa.ColumnElement[int]:
    """``night - start`` in days, computed by the database."""
    if dialect == "postgresql":
        return _inv.night - sa.cast(sa.literal(start), sa.Date)
    return sa.cast(sa.func.julianday(_inv.night) - sa.func.julianday(start.isoformat()), sa.Integer)


def _int_list(dialect: str, column) -> sa.ColumnElement:
    """A group's values of an integer column as one list: an integer array on PostgreSQL
    (cheaper for the database to build and for the driver to read than JSON), a JSON
    array on SQLite."""
    if dialect == "postgresql":
        # the driver reads int[] as a list of ints: no SQLAlchemy processing on top
        return sa.func.array_agg(column, type_=sa.types.NullType())
    return sa.type_coerce(sa.func.json_group_array(column), sa.JSON)


def load_calendars(
    conn: sa.Connection,
    terms: Iterable[SaleTerms],
    start: date,
    end: date,
    restrictions: Mapping[int, Mapping[date, DayRestriction]] | None = None,
    *,
    totals: bool = False,
) -> dict[int, SaleCalendar]:
    """Calendars of ``[start, end)`` for every product in ``terms``: one primary-key
    range read of ``inventory_night`` for all of them, aggregated by the database into
    one row per product (its nights' day indexes and units left, two arrays: integer
    arrays on PostgreSQL, JSON on SQLite; a province's candidates have ~10^5 cells, too
    many to build a row object for each; and whether any of its cells, the last
    departure day's too, carries a restriction), and a second read of the cells with a
    restriction of the products that have some (few: most have none). ``totals``: read
    each night's units in all too (``SaleCalendar.totals``, a third array), for a caller
    that says whether a stay asks for more than a night has in all
    (``SaleCalendar.fewer_in_all``: a theme's availability, the price calendar)."""
    by_id = {t.product_id: t for t in terms}
    days = max((end - start).days, 0)
    left: dict[int, list[int | None]] = {pid: [None] * days for pid in by_id}
    in_all: dict[int, dict[date, int]] | None = {pid: {} for pid in by_id} if totals else None
    published: dict[int, dict[date, DayRestriction]] = {pid: {} for pid in by_id}
    if by_id:
        dialect = conn.dialect.name
        index = _day_index(dialect, start)
        stmt = (
            sa.select(
                _inv.product_id,
                _int_list(dialect, index),
                _int_list(dialect, _inv.total_units - _inv.taken_units),
                sa.func.max(sa.case((_RESTRICTED, 1), else_=0)),
                *([_int_list(dialect, _inv.total_units)] if totals else []),
            )
            # the check-out day too: its restrictions (its units are not a night's)
            .where(in_ids(dialect, _inv.product_id, by_id), _inv.night >= start, _inv.night <= end)
            .group_by(_inv.product_id)
        )
        every_day = list(range(days + 1))
        restricted = []
        for pid, indexes, units, marked, *night_totals in conn.execute(stmt).all():
            if in_all is not None:
                in_all[pid] = {
                    start + timedelta(days=i): total
                    for i, total in zip(indexes, night_totals[0], strict=True)
                    if i < days
                }
            if indexes == every_day or indexes == every_day[:days]:
                left[pid] = list(units[:days])  # the usual case: every night, in order
            else:
                row = left[pid]
                for i, value in zip(indexes, units, strict=True):
                    if i < days:
                        row[i] = value
            if marked:
                restricted.append(pid)
        if restricted:
            stmt = sa.select(*_CELL).where(
                in_ids(dialect, _inv.product_id, restricted),
                _inv.night >= start,
                _inv.night <= end,
                _RESTRICTED,
            )
            for cell in conn.execute(stmt):
                restriction = DayRestriction.of(cell)
                if restriction is not None:
                    published[cell.product_id][cell.night] = restriction
    restrictions = restrictions or {}
    return {
        pid: SaleCalendar(
            t,
            start,
            end,
            left[pid],
            {**published[pid], **restrictions.get(pid, {})},
            None if in_all is None else in_all[pid],
        )
        for pid, t in by_id.items()
    }


_TERMS = Product.__table__.c
_SALE_TERMS_COLUMNS = (
    _TERMS.id,
    _TERMS.is_active,
    _TERMS.sold_from,
    _TERMS.sold_until,
    _TERMS.min_nights,
    _TERMS.max_nights,
    _TERMS.duration_modules,
)
# Built once per dialect (only the cached compilation is looked up per read): the ids
# one array parameter on PostgreSQL, an expanding IN on SQLite.
_SALE_TERMS = {
    "postgresql": sa.select(*_SALE_TERMS_COLUMNS).where(
        _TERMS.id == sa.any_(sa.bindparam("ids", type_=postgresql.ARRAY(sa.Integer)))
    ),
    "sqlite": sa.select(*_SALE_TERMS_COLUMNS).where(
        _TERMS.id.in_(sa.bindparam("ids", expanding=True))
    ),
}


def sale_terms(conn: sa.Connection, product_ids: Iterable[int]) -> dict[int, SaleTerms]:
    """The products' own terms of sale (active, sale dates, stay lengths) as they are
    now, for checking stays again after a quote (a booking: a product retired since is
    not on sale)."""
    wanted = sorted(set(product_ids))
    if not wanted:
        return {}
    stmt = _SALE_TERMS["postgresql" if conn.dialect.name == "postgresql" else "sqlite"]
    return {row.id: SaleTerms.of(row) for row in conn.execute(stmt, {"ids": wanted})}


@functools.lru_cache(maxsize=64)
def _stays_cells(stays: int) -> sa.Select:
    """The cells of ``stays`` stays' days (``p<i>``: product, ``s<i>``/``e<i>``: first and
    last day), the statement built once per number of stays."""
    return sa.select(*_CELL).where(
        sa.or_(
            *(
                sa.and_(
                    _inv.product_id == sa.bindparam(f"p{i}"),
                    _inv.night >= sa.bindparam(f"s{i}"),
                    _inv.night <= sa.bindparam(f"e{i}"),
                )
                for i in range(stays)
            )
        )
    )


def stays_calendars(
    conn: sa.Connection, stays: Sequence[tuple[SaleTerms, date, date]]
) -> list[SaleCalendar]:
    """The calendar of each (terms, check_in, check_out), its nights and its check-out
    day, with each night's units in all (``SaleCalendar.totals``, read: a night without
    a row has none): one query reads the inventory of every stay's own days (a quote's
    stays may lie years apart)."""
    if not stays:
        return []
    params: dict[str, Any] = {}
    for i, (t, ci, co) in enumerate(stays):
        # the check-out day too: its closed-to-departure restriction
        params |= {f"p{i}": t.product_id, f"s{i}": ci, f"e{i}": co}
    rows: dict[int, dict[date, int]] = {}
    totals: dict[int, dict[date, int]] = {}
    restrictions: dict[int, dict[date, DayRestriction]] = {}
    for row in conn.execute(_stays_cells(len(stays)), params):
        rows.setdefault(row.product_id, {})[row.night] = row.left
        totals.setdefault(row.product_id, {})[row.night] = row.total_units
        restriction = DayRestriction.of(row)
        if restriction is not None:
            restrictions.setdefault(row.product_id, {})[row.night] = restriction
    return [
        SaleCalendar.build(
            t,
            ci,
            max(co, ci),
            rows.get(t.product_id, {}),
            restrictions.get(t.product_id),
            totals.get(t.product_id, {}),
        )
        for t, ci, co in stays
    ]


def stays_problems(
    conn: sa.Connection,
    stays: Sequence[tuple[SaleTerms, date, date]],
    units: Sequence[int | None] | None = None,
) -> list[Unsellable | None]:
    """``stay_problem`` for each (terms, check_in, check_out), from ``stays_calendars``."""
    return problems_of(stays_calendars(conn, stays), stays, units)


def problems_of(
    calendars: Sequence[SaleCalendar],
    stays: Sequence[tuple[SaleTerms, date, date]],
    units: Sequence[int | None] | None = None,
) -> list[Unsellable | None]:
    """``stays_problems`` on calendars already read (``stays_calendars`` of ``stays``), for
    a caller that checks more on them (a quote: its stays' units in all)."""
    units = units or [None] * len(stays)
    return [
        calendar.stay_problem(ci, co, u)
        for calendar, (_, ci, co), u in zip(calendars, stays, units, strict=True)
    ]
