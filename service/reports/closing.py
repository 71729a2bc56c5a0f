"""Closing a year: its facts are copied, in one transaction, and read from then on.

``close(year)`` (the province, once the year is over) copies into ``closed_stay`` every
stay of every booking with a stay arriving or staying in the year (whole bookings, so
trips are whole), into ``closed_supply`` the year's nights on sale, and into
``closed_pilot`` every destination as it stands. Reports over the year read only
the copy (``service.reports.measures.segments``), so they give the same bytes later
whatever changes. Closing again returns the first closing.
"""

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Session

from service.operators.scope import EVALUATE, Operator
from service.reports import errors, facts
from service.reports.models import ClosedPilot, ClosedStay, ClosedSupply, ReportClosure


@dataclass(frozen=True, slots=True)
class Closed:
    year: int
    as_of: date
    closed_at: datetime
    closed_by: str
    stays: int
    nights_on_sale: int
    created: bool = False  # this call closed the year (a repeat returns the first closing)


def _of(session: Session, row: ReportClosure, *, created: bool = False) -> Closed:
    """The closing as it was made: its counts are read from the frozen copy, every time."""
    return Closed(
        row.year,
        row.as_of,
        row.closed_at,
        row.closed_by,
        stays=_count(session, ClosedStay, row.year),
        nights_on_sale=_count(session, ClosedSupply, row.year),
        created=created,
    )


def listed(session: Session) -> list[Closed]:
    rows = session.execute(sa.select(ReportClosure).order_by(ReportClosure.year)).scalars()
    return [_of(session, r) for r in rows]


def close(session: Session, operator: Operator, year: int, *, now: datetime, today: date) -> Closed:
    operator.require(EVALUATE)
    existing = session.get(ReportClosure, year)
    if existing is not None:
        return _of(session, existing)
    if date(year, 12, 31) >= today:
        raise errors.period_open(year)
    first, last = date(year, 1, 1), date(year, 12, 31)
    row = ReportClosure(year=year, as_of=today, closed_at=now, closed_by=operator.login)
    session.add(row)
    session.flush()

    live = facts.live_stays().subquery("ls")
    touching = sa.select(live.c.booking_id).where(
        sa.or_(
            live.c.check_in.between(first, last),
            sa.and_(live.c.check_in <= last, live.c.check_out > first),
        )
    )
    stay_cols = [c.name for c in ClosedStay.__table__.c if c.name != "year"]
    session.execute(
        sa.insert(ClosedStay.__table__).from_select(
            ["year", *stay_cols],
            sa.select(sa.literal(year), *(live.c[c] for c in stay_cols)).where(
                live.c.booking_id.in_(touching)
            ),
        )
    )

    supply = facts.live_supply_between(first, last).subquery("lsu")
    supply_cols = [c.name for c in ClosedSupply.__table__.c if c.name != "year"]
    session.execute(
        sa.insert(ClosedSupply.__table__).from_select(
            ["year", *supply_cols],
            sa.select(sa.literal(year), *(supply.c[c] for c in supply_cols)),
        )
    )

    pilots = facts.live_pilots().subquery("lp")
    pilot_cols = [c.name for c in ClosedPilot.__table__.c if c.name != "year"]
    session.execute(
        sa.insert(ClosedPilot.__table__).from_select(
            ["year", *pilot_cols],
            sa.select(sa.literal(year), *(pilots.c[c] for c in pilot_cols)),
        )
    )
    session.flush()
    return _of(session, row, created=True)


def _count(session: Session, model, year: int) -> int:
    table = model.__table__
    return session.execute(
        sa.select(sa.func.count()).select_from(table).where(table.c.year == year)
    ).scalar_one()
