"""Taking and releasing units of ``inventory_night`` without ever selling a bed twice.

Taking follows the locking rules of pretix's ``locking.py``: lock the rows of what
becomes less available, in sorted (product_id, night) order, once per transaction,
with a lock timeout; then re-check availability; then write.

* PostgreSQL: ``SET LOCAL lock_timeout`` (``lock_timeout_ms``), then one
  ``SELECT ... ORDER BY product_id, night FOR UPDATE`` over every night needed. Rows
  are locked in that order (the LockRows node sits above the Sort), so two bookings
  over overlapping nights queue on their first shared night instead of deadlocking.
* SQLite ignores ``FOR UPDATE``; the caller's *write session* began with
  ``BEGIN IMMEDIATE``, which already holds the database's single write lock.

Releasing needs no lock beyond its ``UPDATE``s; they are issued one row at a time in
the same sorted order, so a release and a take can never wait on each other in a
cycle. Writes are relative (``taken_units = taken_units + :delta``) and the table's
check constraint (``0 <= taken_units <= total_units``) backs the lock up: a code path
that forgot to lock fails instead of overselling.

Whether the units are there is ``short_nights``: the stays of one product add their
units up on the nights they share, the earlier stays first. It is pure, so the check of
a quote's stays on the pages (``service.catalog.availability.check_stays``) counts by
the same rule as the booking that takes them, and says from it whether a stay is short
because of the stays before it (``Short.earlier``).

A lock timeout, deadlock or serialisation failure becomes ``InventoryBusy`` (the API
answers 409 ``inventory_busy``, never 500). Calling a helper outside a transaction,
or with a non-write session on SQLite, raises ``NotInTransaction``: it never silently
runs unlocked.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from catalog.models import InventoryNight
from pricing.labels import counted

_T = InventoryNight.__table__
_BUSY_SQLSTATES = frozenset({"55P03", "40P01", "40001"})  # lock timeout, deadlock, serialise
_LOCKED_KEY = "jl_inventory_locked_txn"


@dataclass(frozen=True, slots=True)
class StayNights:
    """``units`` of a product for each night ``check_in <= night < check_out``."""

    product_id: int
    check_in: date
    check_out: date
    units: int

    def nights(self) -> Iterator[date]:
        d = self.check_in
        while d < self.check_out:
            yield d
            d += timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Short:
    """The first night a stay does not fit beside the stays before it (``short_nights``):
    ``left`` units are left that night, ``earlier`` of them (or more) the stays before
    it of the same product need (0: the stay is short by itself)."""

    night: date
    left: int
    earlier: int


class InventoryError(Exception):
    pass


class SoldOut(InventoryError):
    """Stay ``index`` cannot have ``night`` beside the stays before it (``short_nights``):
    ``available`` units are left (0 = not sold)."""

    def __init__(self, index: int, product_id: int, night: date, available: int) -> None:
        super().__init__(f"product {product_id} has {counted(available, 'unit')} left on {night}")
        self.index, self.product_id, self.night, self.available = (
            index,
            product_id,
            night,
            available,
        )


class InventoryBusy(InventoryError):
    """The rows stayed locked past the lock timeout, or the database broke a deadlock."""


class NotInTransaction(RuntimeError):
    """An inventory helper was called where it could not lock (a bug, never user input)."""


def _connection(session: Session) -> sa.Connection:
    conn = session.connection()
    options = conn.get_execution_options()
    if options.get("isolation_level") == "AUTOCOMMIT" or not conn.in_transaction():
        raise NotInTransaction("inventory helpers must run inside a transaction")
    if conn.dialect.name == "sqlite" and options.get("sqlite_begin") != "IMMEDIATE":
        raise NotInTransaction(
            "on SQLite inventory changes need Database.write_session() (BEGIN IMMEDIATE)"
        )
    return conn


def _set_lock_timeout(conn: sa.Connection, lock_timeout_ms: int) -> None:
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"SET LOCAL lock_timeout = '{int(lock_timeout_ms)}ms'")


@contextmanager
def _busy_is_409() -> Iterator[None]:
    try:
        yield
    except sa.exc.DBAPIError as exc:
        state = getattr(exc.orig, "sqlstate", None)
        if state in _BUSY_SQLSTATES or "database is locked" in str(exc.orig):
            raise InventoryBusy(str(type(exc.orig).__name__)) from exc
        raise


def short_nights(
    stays: Sequence[StayNights], left: Callable[[int, date], int]
) -> list[Short | None]:
    """Whether several stays can be had together, stay by stay: the one rule of a booking
    (``take``) and of the check of a quote's stays
    (``service.catalog.availability.check_stays``). Per stay, in order: the first of its
    nights on which it and the stays before it of the same product need more units
    together than are left (``left(index, night)``: the units left that night, as stay
    ``index`` reads them), with those units and what the stays before it need that
    night (``Short``); None when every one of its nights has enough.

    The units of all the stays of a product count on each night they share (a booking
    takes them all or none), and the stays listed first take theirs first: so a later
    stay is the one named short when it no longer fits beside the earlier ones (two of
    a product's nights with 2 left: 2 units on nights 10-15 fit, then 1 unit on nights
    12-20 is short on night 12, with 2 left), and every stay has enough exactly when,
    on every night, all the stays together need no more than is left."""
    need: dict[tuple[int, date], int] = defaultdict(int)
    found: list[Short | None] = []
    for index, stay in enumerate(stays):
        short = None
        for night in stay.nights():
            key = (stay.product_id, night)
            earlier = need[key]
            need[key] += stay.units
            if short is None and need[key] > (units := left(index, night)):
                short = Short(night, units, earlier)
        found.append(short)
    return found


def _deltas(stays: Sequence[StayNights]) -> dict[tuple[int, date], int]:
    out: dict[tuple[int, date], int] = defaultdict(int)
    for stay in stays:
        for night in stay.nights():
            out[(stay.product_id, night)] += stay.units
    return out


@functools.lru_cache(maxsize=32)
def _lock_statement(spans: int) -> sa.Select:
    """``SELECT ... FOR UPDATE`` of ``spans`` (product, [first, last)) ranges, sorted."""
    ranges = sa.or_(
        *(
            sa.and_(
                _T.c.product_id == sa.bindparam(f"p{i}"),
                _T.c.night >= sa.bindparam(f"a{i}"),
                _T.c.night < sa.bindparam(f"b{i}"),
            )
            for i in range(spans)
        )
    )
    return (
        sa.select(_T.c.product_id, _T.c.night, _T.c.total_units, _T.c.taken_units)
        .where(ranges)
        .order_by(_T.c.product_id, _T.c.night)
        .with_for_update()
    )


def _lock_params(stays: Sequence[StayNights]) -> dict:
    spans = sorted({(s.product_id, s.check_in, s.check_out) for s in stays})
    params = {}
    for i, (p, a, b) in enumerate(spans):
        params.update({f"p{i}": p, f"a{i}": a, f"b{i}": b})
    return params


_ADD = (
    sa.update(_T)
    .where(_T.c.product_id == sa.bindparam("b_product"), _T.c.night == sa.bindparam("b_night"))
    .values(taken_units=_T.c.taken_units + sa.bindparam("b_delta"))
)


def take(
    session: Session,
    stays: Sequence[StayNights],
    *,
    lock_timeout_ms: int,
    release: Sequence[StayNights] = (),
) -> None:
    """Take every night of every stay, all or nothing; optionally free ``release`` first.

    ``release`` lets one transaction give back nights (an expired hold) and take
    others under a single sorted lock. Raises ``SoldOut`` (nothing written) naming the
    first stay ``short_nights`` finds short, ``InventoryBusy`` (the transaction must be
    rolled back) or ``NotInTransaction``.
    """
    stays = [s for s in stays if s.units > 0 and s.check_out > s.check_in]
    if not stays:
        return
    conn = _connection(session)
    txn = session.get_transaction()
    if session.info.get(_LOCKED_KEY) is txn:
        raise NotInTransaction("inventory is locked once per transaction; take all at once")
    session.info[_LOCKED_KEY] = txn
    need = _deltas(stays)
    freed = _deltas(release)
    with _busy_is_409():
        _set_lock_timeout(conn, lock_timeout_ms)
        params = _lock_params([*stays, *release])
        rows = conn.execute(_lock_statement(len(params) // 3), params).all()
    free = {(r.product_id, r.night): r.total_units - r.taken_units for r in rows}
    for key, units in freed.items():
        if key in free:
            free[key] += units
    shorts = short_nights(stays, lambda i, night: free.get((stays[i].product_id, night), 0))
    for index, short in enumerate(shorts):
        if short is not None:
            raise SoldOut(index, stays[index].product_id, short.night, max(0, short.left))
    changes = defaultdict(int)
    for key, units in need.items():
        changes[key] += units
    for key, units in freed.items():
        if key in free:
            changes[key] -= units
    params = [
        {"b_product": p, "b_night": n, "b_delta": d} for (p, n), d in sorted(changes.items()) if d
    ]
    if params:
        with _busy_is_409():
            conn.execute(_ADD, params)


def release(session: Session, stays: Sequence[StayNights], *, lock_timeout_ms: int) -> None:
    """Give back every night of every stay (relative updates, in sorted order)."""
    freed = _deltas([s for s in stays if s.units > 0])
    if not freed:
        return
    conn = _connection(session)
    params = [{"b_product": p, "b_night": n, "b_delta": -d} for (p, n), d in sorted(freed.items())]
    with _busy_is_409():
        _set_lock_timeout(conn, lock_timeout_ms)
        conn.execute(_ADD, params)


def taken_by_night(
    session: Session, product_id: int, first: date, last: date
) -> dict[date, tuple[int, int]]:
    """(total, taken) per night in ``[first, last)``: for reports and tests."""
    rows = session.execute(
        sa.select(_T.c.night, _T.c.total_units, _T.c.taken_units).where(
            _T.c.product_id == product_id, _T.c.night >= first, _T.c.night < last
        )
    ).all()
    return {r.night: (r.total_units, r.taken_units) for r in rows}


def lock_cells(
    session: Session,
    product_ids: Sequence[int],
    first: date,
    end: date,
    *,
    lock_timeout_ms: int,
) -> list[sa.Row]:
    """Lock every ``inventory_night`` row of ``product_ids`` on nights ``[first, end)``
    and return them (every column), for an operator's bulk edit of the calendar.

    The same rules as ``take``: rows are locked in sorted (product_id, night) order by
    one ``SELECT ... FOR UPDATE`` under the lock timeout, once per transaction, so an
    edit and a booking over the same nights queue on their first shared night instead
    of deadlocking, and a booking never sees half an edit. Raises ``InventoryBusy`` or
    ``NotInTransaction`` as ``take`` does.
    """
    conn = _connection(session)
    txn = session.get_transaction()
    if session.info.get(_LOCKED_KEY) is txn:
        raise NotInTransaction("inventory is locked once per transaction; take all at once")
    session.info[_LOCKED_KEY] = txn
    stmt = (
        sa.select(_T)
        .where(
            _T.c.product_id.in_(sorted(set(product_ids))),
            _T.c.night >= first,
            _T.c.night < end,
        )
        .order_by(_T.c.product_id, _T.c.night)
        .with_for_update()
    )
    with _busy_is_409():
        _set_lock_timeout(conn, lock_timeout_ms)
        return conn.execute(stmt).all()
