"""The measures of docs/metrics.md, by period and dimension, computed in SQL.

A date range is cut into **segments**: runs of open years read the live tables, each
closed year its frozen copy (``service.reports.facts.Source``). Within a segment the
rows are joined to its **periods** (its months, or the segment whole) and summed by
three queries: arrivals (by check-in; trips count on their first stay's, which carries
the trip's nights), nights (each night in its period) and nights on sale. Every
measure is a sum, so segments add up; the ratios are made from the sums at the end,
rounded half up.
"""

from collections import defaultdict
from dataclasses import dataclass, field, fields
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import sqlalchemy as sa
from sqlmodel import Session

from pricing import MAX_NIGHTS
from service.operators.scope import Operator, scoped
from service.reports import facts
from service.reports.facts import DIMENSION_COLUMNS, Source
from service.reports.models import ASPECTS, SCORES
from service.reports.survey import may_be_rated_sql


@dataclass
class Sums:
    """The additive sums behind every measure of one group."""

    stays: int = 0
    person_trips: int = 0
    guest_nights_whole: int = 0  # Σ guests × whole-stay nights of the arrivals (ALOS)
    long_stays: int = 0
    long_stay_person_trips: int = 0
    long_trips: int = 0
    long_trip_person_trips: int = 0
    cancelled_stays: int = 0
    cancelled_person_trips: int = 0
    no_shows: int = 0
    ended_stays: int = 0
    person_nights: int = 0
    unit_nights_sold: int = 0
    bed_nights_sold: int = 0
    revenue_fen: int = 0
    unit_nights_on_sale: int = 0
    bed_nights_on_sale: int = 0
    score_sums: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SCORES, 0))
    score_counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SCORES, 0))

    def add(self, other: "Sums") -> None:
        for f in fields(self):
            if f.name in ("score_sums", "score_counts"):
                mine, theirs = getattr(self, f.name), getattr(other, f.name)
                for k in mine:
                    mine[k] += theirs[k]
            else:
                setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))


@dataclass(frozen=True, slots=True)
class Period:
    label: str | None  # "2027-07" when by month
    first: date
    end: date  # exclusive

    @property
    def nights(self) -> int:
        return (self.end - self.first).days


@dataclass(frozen=True, slots=True)
class Segment:
    source: Source
    first: date
    last: date
    as_of: date


def ratio(num: int, den: int, scale: int = 1) -> int | None:
    """``num × scale ÷ den`` rounded half up (non-negative integers); None over 0."""
    if not den:
        return None
    return (2 * num * scale + den) // (2 * den)


def decimal(num: int, den: int, places: int) -> float | None:
    if not den:
        return None
    q = Decimal(1).scaleb(-places)
    return float((Decimal(num) / Decimal(den)).quantize(q, rounding=ROUND_HALF_UP))


def index_of(total: int, count: int) -> float | None:
    """The 0–100 index of ``count`` scores 1–5 adding up to ``total``: mean of (s−1)×25."""
    return decimal((total - count) * 25, count, 1)


def months(first: date, last: date) -> list[Period]:
    out = []
    d = first
    while d <= last:
        nxt = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
        out.append(Period(f"{d.year:04d}-{d.month:02d}", d, min(nxt, last + timedelta(days=1))))
        d = nxt
    return out


def segments(first: date, last: date, closed: dict[int, date], today: date) -> list[Segment]:
    """``first``..``last`` cut into runs of open years and single closed years."""
    out: list[Segment] = []
    for year in range(first.year, last.year + 1):
        a, b = max(first, date(year, 1, 1)), min(last, date(year, 12, 31))
        if year in closed:
            out.append(Segment(Source(year), a, b, closed[year]))
        elif out and out[-1].source.live:
            out[-1] = Segment(out[-1].source, out[-1].first, b, today)
        else:
            out.append(Segment(facts.LIVE, a, b, today))
    return out


def _periods_table(periods: list[Period]) -> sa.Subquery:
    selects = [
        sa.select(
            sa.literal(p.label or "", sa.String).label("label"),
            sa.literal(p.first, sa.Date).label("p_first"),
            sa.literal(p.end, sa.Date).label("p_end"),
            # the calendar month a period lies in (by month, each period lies in one)
            sa.literal(p.first.replace(day=1), sa.Date).label("p_month"),
        )
        for p in periods
    ]
    stmt = selects[0] if len(selects) == 1 else sa.union_all(*selects)
    return stmt.subquery("pe")


def month_of(dialect: str, column) -> sa.ColumnElement[str]:
    """``YYYY-MM`` of a date column, in the dialect's words."""
    if dialect == "sqlite":
        return sa.func.strftime("%Y-%m", column)
    return sa.func.to_char(column, "YYYY-MM")


def _when(cond, value) -> sa.ColumnElement:
    return sa.func.coalesce(sa.func.sum(sa.case((cond, value), else_=0)), 0)


class Query:
    """One report's parameters, run segment by segment."""

    def __init__(
        self,
        session: Session,
        operator: Operator,
        by: list[str],
        long_nights: int,
        destination_id: int | None = None,
    ) -> None:
        self.session = session
        self.operator = operator
        self.by = by
        self.long_nights = long_nights
        self.destination_id = destination_id
        self.dialect = session.get_bind().dialect.name

    def _label(self, column) -> sa.ColumnElement[str]:
        """The period label of a row by one date: its month, or '' (the whole segment)."""
        if "month" in self.by:
            return month_of(self.dialect, column).label("label")
        return sa.literal("", sa.String).label("label")

    def _dims(self, table) -> list[sa.ColumnElement]:
        return [table.c[DIMENSION_COLUMNS[d]] for d in self.by if d != "month"]

    def _limit(self, stmt, table):
        stmt = scoped(stmt, self.operator, table.c.destination_id)
        if self.destination_id is not None:
            stmt = stmt.where(table.c.destination_id == self.destination_id)
        return stmt

    def _run(self, stmt, out: dict, fill) -> None:
        ndims = len(self._dims_names())
        for row in self.session.execute(stmt):
            label = row[0] or None
            key = (label, *row[1 : 1 + ndims])
            # PostgreSQL's SUM of integers is NUMERIC: back to int.
            fill(out[key], [int(v or 0) for v in row[1 + ndims :]])

    def _dims_names(self) -> list[str]:
        return [d for d in self.by if d != "month"]

    def segment(self, seg: Segment, out: dict[tuple, Sums]) -> None:
        periods = (
            months(seg.first, seg.last)
            if "month" in self.by
            else [Period(None, seg.first, seg.last + timedelta(days=1))]
        )
        pe = _periods_table(periods)
        self._arrivals(seg, pe, out)
        self._nights(seg, pe, out)
        if "channel" not in self.by:
            self._supply(seg, pe, out)

    def _arrivals(self, seg: Segment, pe, out) -> None:
        st = facts.stays(seg.source)
        sold = sa.and_(st.c.counted, sa.not_(st.c.no_show))
        nights = facts.days(self.dialect, st.c.check_out, st.c.check_in)
        long = sa.and_(sold, nights >= self.long_nights)
        # Only a trip's first stay carries trip_nights (counted, not a no-show).
        long_trip = st.c.trip_nights >= self.long_nights
        # The response rate's stays: those open to the survey on the report's day (the
        # closing day of a closed year) by the survey's own rule, and those answered (a
        # check-out the desk undid keeps its answer): never an answer over no stay.
        surveyed = sa.or_(may_be_rated_sql(st, seg.as_of), sa.and_(sold, st.c.overall.is_not(None)))
        cols = [
            _when(sold, 1),
            _when(sold, st.c.guests),
            _when(sold, st.c.guests * nights),
            _when(long, 1),
            _when(long, st.c.guests),
            _when(sa.not_(st.c.counted), 1),
            _when(sa.not_(st.c.counted), st.c.guests),
            _when(sa.and_(st.c.counted, st.c.no_show), 1),
            _when(surveyed, 1),
            _when(long_trip, 1),
            _when(long_trip, st.c.guests),
        ]
        for s in SCORES:
            cols.append(_when(sold, sa.func.coalesce(st.c[s], 0)))
            cols.append(_when(sa.and_(sold, st.c[s].is_not(None)), 1))
        dims = self._dims(st)
        label = self._label(st.c.check_in)
        stmt = (
            sa.select(label, *dims, *cols)
            .where(st.c.check_in.between(seg.first, seg.last))
            .group_by(label, *dims)
        )

        def fill(s: Sums, v) -> None:
            (
                s.stays,
                s.person_trips,
                s.guest_nights_whole,
                s.long_stays,
                s.long_stay_person_trips,
                s.cancelled_stays,
                s.cancelled_person_trips,
                s.no_shows,
                s.ended_stays,
            ) = (s.stays + v[0], s.person_trips + v[1], s.guest_nights_whole + v[2],
                 s.long_stays + v[3], s.long_stay_person_trips + v[4],
                 s.cancelled_stays + v[5], s.cancelled_person_trips + v[6],
                 s.no_shows + v[7], s.ended_stays + v[8])  # fmt: skip
            s.long_trips += v[9]
            s.long_trip_person_trips += v[10]
            for i, sc in enumerate(SCORES):
                s.score_sums[sc] += v[11 + 2 * i]
                s.score_counts[sc] += v[12 + 2 * i]

        self._run(self._limit(stmt, st), out, fill)

    def _nights(self, seg: Segment, pe, out) -> None:
        st = facts.stays(seg.source)
        d = self.dialect
        lo = sa.case((st.c.check_in > pe.c.p_first, st.c.check_in), else_=pe.c.p_first)
        hi = sa.case((st.c.check_out < pe.c.p_end, st.c.check_out), else_=pe.c.p_end)
        n_in = facts.days(d, hi, lo)
        a, b = facts.days(d, lo, st.c.check_in), facts.days(d, hi, st.c.check_in)
        n = facts.days(d, st.c.check_out, st.c.check_in)
        share = st.c.net_fen * b // n - st.c.net_fen * a // n
        dims = self._dims(st)
        stmt = (
            sa.select(
                pe.c.label,
                *dims,
                _when(sa.not_(st.c.no_show), st.c.guests * n_in),
                _when(sa.true(), st.c.units * n_in),
                _when(sa.true(), st.c.units * st.c.beds_per_unit * n_in),
                _when(sa.true(), share),
            )
            .select_from(self._stays_in_periods(st, pe))
            .where(
                st.c.counted,
                # A stay is at most MAX_NIGHTS long: the bound lets the check-in index serve.
                st.c.check_in.between(seg.first - timedelta(days=MAX_NIGHTS), seg.last),
                st.c.check_out > seg.first,
            )
            .group_by(pe.c.label, *dims)
        )

        def fill(s: Sums, v) -> None:
            s.person_nights += v[0]
            s.unit_nights_sold += v[1]
            s.bed_nights_sold += v[2]
            s.revenue_fen += v[3]

        self._run(self._limit(stmt, st), out, fill)

    def _stays_in_periods(self, st, pe):
        """Each stay joined to the periods it shares a night with. By month on
        PostgreSQL, a stay is first expanded into the calendar months it touches and
        joined to their periods by month (a hash join), instead of being tried against
        every period: 3x faster at a year of 1,000,000 stays (bench/results/reports.md).
        The same pairs either way."""
        meets = sa.and_(st.c.check_in < pe.c.p_end, st.c.check_out > pe.c.p_first)
        if self.dialect != "postgresql" or "month" not in self.by:
            return st.join(pe, meets)
        months = (
            sa.func.generate_series(
                sa.func.date_trunc("month", sa.cast(st.c.check_in, sa.DateTime)),
                sa.cast(st.c.check_out - 1, sa.DateTime),
                sa.text("interval '1 month'"),
            )
            .table_valued("m")
            .render_derived(name="tm")  # a function in FROM may use the items before it
        )
        return st.join(months, sa.true()).join(
            pe, sa.and_(pe.c.p_month == sa.cast(months.c.m, sa.Date), meets)
        )

    def _supply(self, seg: Segment, pe, out) -> None:
        su = facts.supply(seg.source, seg.first, seg.last)
        dims = self._dims(su)
        label = self._label(su.c.night)
        stmt = sa.select(
            label,
            *dims,
            _when(sa.true(), su.c.total_units),
            _when(sa.true(), su.c.total_units * su.c.beds_per_unit),
        ).group_by(label, *dims)

        def fill(s: Sums, v) -> None:
            s.unit_nights_on_sale += v[0]
            s.bed_nights_on_sale += v[1]

        self._run(self._limit(stmt, su), out, fill)


def measures_of(s: Sums, nights_in_period: int, with_supply: bool) -> dict:
    """The published measures of one group's sums (docs/metrics.md)."""
    sold_stays = s.stays + s.no_shows
    out = {
        "stays": s.stays,
        "person_trips": s.person_trips,
        "person_nights": s.person_nights,
        "long_stays": s.long_stays,
        "long_stay_person_trips": s.long_stay_person_trips,
        "long_trips": s.long_trips,
        "long_trip_person_trips": s.long_trip_person_trips,
        "unit_nights_sold": s.unit_nights_sold,
        "bed_nights_sold": s.bed_nights_sold,
        "unit_nights_on_sale": s.unit_nights_on_sale if with_supply else None,
        "bed_nights_on_sale": s.bed_nights_on_sale if with_supply else None,
        "units_available": ratio(s.unit_nights_on_sale, nights_in_period) if with_supply else None,
        "beds_available": ratio(s.bed_nights_on_sale, nights_in_period) if with_supply else None,
        "occupancy_bps": ratio(s.unit_nights_sold, s.unit_nights_on_sale, 10000)
        if with_supply
        else None,
        "bed_occupancy_bps": ratio(s.person_nights, s.bed_nights_on_sale, 10000)
        if with_supply
        else None,
        "revenue_fen": s.revenue_fen,
        "adr_fen": ratio(s.revenue_fen, s.unit_nights_sold),
        "revpar_fen": ratio(s.revenue_fen, s.unit_nights_on_sale) if with_supply else None,
        "alos_nights": decimal(s.guest_nights_whole, s.person_trips, 2),
        "cancelled_stays": s.cancelled_stays,
        "cancelled_person_trips": s.cancelled_person_trips,
        "cancellation_bps": ratio(s.cancelled_stays, sold_stays + s.cancelled_stays, 10000),
        "no_shows": s.no_shows,
        "survey_answers": s.score_counts["overall"],
        "response_bps": ratio(s.score_counts["overall"], s.ended_stays, 10000),
        "satisfaction_index": index_of(s.score_sums["overall"], s.score_counts["overall"]),
        "aspects": {a: index_of(s.score_sums[a], s.score_counts[a]) for a in ASPECTS},
    }
    return out


@dataclass
class Result:
    groups: dict[tuple, Sums]
    total: Sums


def compute(query: Query, segs: list[Segment]) -> Result:
    groups: dict[tuple, Sums] = defaultdict(Sums)
    for seg in segs:
        query.segment(seg, groups)
    total = Sums()
    for s in groups.values():
        total.add(s)
    return Result(dict(groups), total)
