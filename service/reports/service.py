"""The reports as the API, the exports and the console pages ask for them.

Every report is made here once, as plain data (``Report``): the JSON answer, the CSV and
Excel exports and the pages render the same object. What a caller sees is limited by
``service.operators.scope`` (an operator: its destinations; the province: all).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from catalog.vocab import PilotKind, PilotStatus
from service.operators.errors import check_days
from service.operators.scope import Operator, destination_of, scoped
from service.reports import errors, facts, measures
from service.reports.facts import DIMENSIONS, LIVE, Source
from service.reports.models import ReportClosure

MAX_RANGE_DAYS = 366 * 5

# The province's plan (吉林省推动旅居康养高质量发展试点工作方案): pilot units by 2028.
PILOT_TARGETS = {
    PilotKind.county: 6,
    PilotKind.resort: 6,
    PilotKind.scenic_cluster: 10,
    PilotKind.village: 20,
    PilotKind.community: 30,
    PilotKind.eldercare: 80,
}
NEW_BEDS_TARGET = 30_000
LONG_STAY_TARGET_YEAR = 2028
LONG_STAY_TARGET = 3_800_000
LONG_STAY_GROWTH_BPS = 1000  # at least 10% a year


def long_stay_path(year: int) -> int:
    """The plan's long-stay person-trips for ``year`` on its 10%-a-year growth path:
    3,800,000 in 2028, ÷ 1.1 for each year before, × 1.1 for each year after."""
    k = year - LONG_STAY_TARGET_YEAR
    num, den = LONG_STAY_TARGET, 1
    step_num, step_den = 10000 + LONG_STAY_GROWTH_BPS, 10000
    for _ in range(abs(k)):
        if k > 0:
            num, den = num * step_num, den * step_den
        else:
            num, den = num * step_den, den * step_num
    return measures.ratio(num, den)


def closures(session: Session) -> dict[int, date]:
    return {r.year: r.as_of for r in session.exec(select(ReportClosure))}


def check_by(by: list[str]) -> list[str]:
    seen: list[str] = []
    for i, d in enumerate(by):
        if d not in DIMENSIONS:
            raise errors.unknown_dimension(d, i)
        if d not in seen:
            seen.append(d)
    if len(seen) > 2:
        raise errors.too_many_dimensions()
    return seen


@dataclass
class Report:
    """One report as plain data: what every format renders."""

    name: str
    params: dict[str, Any]
    columns: list[str]  # the dimension columns, then the measure columns
    rows: list[dict[str, Any]]
    total: dict[str, Any] | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    # The leading columns that name a row: the total row reads "total" in the first of
    # them (and nothing in the rest). Its other columns are the total's own figures.
    keys: list[str] = field(default_factory=list)


MEASURE_COLUMNS = [
    "stays",
    "person_trips",
    "person_nights",
    "long_stays",
    "long_stay_person_trips",
    "long_trips",
    "long_trip_person_trips",
    "unit_nights_sold",
    "bed_nights_sold",
    "unit_nights_on_sale",
    "bed_nights_on_sale",
    "units_available",
    "beds_available",
    "occupancy_bps",
    "bed_occupancy_bps",
    "revenue_fen",
    "adr_fen",
    "revpar_fen",
    "alos_nights",
    "cancelled_stays",
    "cancelled_person_trips",
    "cancellation_bps",
    "no_shows",
    "survey_answers",
    "response_bps",
    "satisfaction_index",
    "aspects",
]


def _destination_slugs(session: Session, segs: list[measures.Segment]) -> dict[int, str]:
    source = segs[0].source if len(segs) == 1 else LIVE
    pi = facts.pilots(source)
    slugs = dict(session.execute(sa.select(pi.c.destination_id, pi.c.slug)).all())
    if not source.live:  # a destination that came after the closing: its live slug
        pi = facts.pilots(LIVE)
        for k, v in session.execute(sa.select(pi.c.destination_id, pi.c.slug)):
            slugs.setdefault(k, v)
    return slugs


def destination_names(session: Session, slugs: Iterable[str]) -> dict[str, tuple[str, str]]:
    """The names (zh-CN, English) of the destinations of ``slugs``, as the catalogue has
    them now: what the report pages call a row grouped by ``destination`` (the report,
    its JSON and its exports keep the slug)."""
    wanted = {s for s in slugs if isinstance(s, str)}
    if not wanted:
        return {}
    pi = facts.live_pilots().subquery("pi")
    found = session.execute(
        sa.select(pi.c.slug, pi.c.name_zh, pi.c.name_en).where(pi.c.slug.in_(sorted(wanted)))
    )
    return {slug: (zh, en) for slug, zh, en in found}


def measures_report(
    session: Session,
    operator: Operator,
    *,
    first: date,
    last: date,
    by: list[str],
    today: date,
    long_nights: int,
    destination_id: int | None = None,
) -> Report:
    check_days(first, last, last_field="to", most=MAX_RANGE_DAYS)
    by = check_by(by)
    if destination_id is not None:
        destination_of(session, operator, destination_id, "destination_id")
    segs = measures.segments(first, last, closures(session), today)
    query = measures.Query(session, operator, by, long_nights, destination_id)
    result = measures.compute(query, segs)
    with_supply = "channel" not in by
    slugs = _destination_slugs(session, segs) if "destination" in by else {}
    nights = {p.label: p.nights for p in measures.months(first, last)}
    total_nights = (last - first).days + 1
    dims = query._dims_names()
    rows = []
    for key in sorted(result.groups, key=lambda k: tuple("" if v is None else str(v) for v in k)):
        label, values = key[0], key[1:]
        group: dict[str, Any] = {}
        if "month" in by:
            group["month"] = label
        for d, v in zip(dims, values, strict=True):
            group[d] = slugs.get(v, str(v)) if d == "destination" else v
        n = nights[label] if label else total_nights
        rows.append({"group": group, **measures.measures_of(result.groups[key], n, with_supply)})
    return Report(
        name="measures",
        params={
            "from": first.isoformat(),
            "to": last.isoformat(),
            "by": by,
            "destination_id": destination_id,
            "long_stay_nights": long_nights,
        },
        columns=[*by, *MEASURE_COLUMNS],
        keys=list(by),
        rows=rows,
        total=measures.measures_of(result.total, total_nights, with_supply),
        meta=_meta(segs),
    )


def _meta(segs: list[measures.Segment]) -> dict[str, Any]:
    return {
        "as_of": max(s.as_of for s in segs).isoformat(),
        "closed_years": [s.source.closed_year for s in segs if not s.source.live],
    }


def _year_source(session: Session, year: int, today: date) -> tuple[Source, date]:
    closed = closures(session)
    if year in closed:
        return Source(year), closed[year]
    return LIVE, today


def directory(session: Session, operator: Operator, *, year: int, today: date) -> Report:
    """The pilot directory (资源名录) of ``year``: each destination's kind, status,
    certifications, and its products, units and beds on sale (the most units each
    product has on sale on any night of the year)."""
    source, as_of = _year_source(session, year, today)
    first, last = date(year, 1, 1), date(year, 12, 31)
    pi = facts.pilots(source)
    su = facts.supply(source, first, last)
    per_product = (
        sa.select(
            su.c.destination_id,
            su.c.product_id,
            sa.func.max(su.c.total_units).label("units"),
            sa.func.max(su.c.beds_per_unit).label("beds_per_unit"),
        )
        .group_by(su.c.destination_id, su.c.product_id)
        .subquery("pp")
    )
    per_dest = (
        sa.select(
            per_product.c.destination_id,
            sa.func.count().label("products"),
            sa.func.sum(per_product.c.units).label("units"),
            sa.func.sum(per_product.c.units * per_product.c.beds_per_unit).label("beds"),
        )
        .group_by(per_product.c.destination_id)
        .subquery("pd")
    )
    stmt = scoped(
        sa.select(pi, per_dest.c.products, per_dest.c.units, per_dest.c.beds)
        .select_from(pi)
        .outerjoin(per_dest, per_dest.c.destination_id == pi.c.destination_id),
        operator,
        pi.c.destination_id,
    ).order_by(pi.c.pilot_kind, pi.c.slug)
    rows = []
    for r in session.execute(stmt):
        rows.append(
            {
                "destination_id": r.destination_id,
                "slug": r.slug,
                "name_zh": r.name_zh,
                "name_en": r.name_en,
                "pilot_kind": r.pilot_kind,
                "pilot_status": r.pilot_status,
                "prefecture": r.prefecture,
                "certifications": list(r.certifications or []),
                "products": r.products or 0,
                "units": int(r.units or 0),
                "beds": int(r.beds or 0),
                "lat": r.lat,
                "lon": r.lon,
            }
        )
    return Report(
        name="pilots",
        params={"year": year},
        columns=PILOT_COLUMNS,
        rows=rows,
        meta={"as_of": as_of.isoformat(), "closed_years": [year] if not source.live else []},
    )


def geojson(report: Report, lang: str) -> dict[str, Any]:
    """The directory as a GeoJSON FeatureCollection; each feature says its status."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": r["destination_id"],
                "geometry": {"type": "Point", "coordinates": [r["lon"], r["lat"]]},
                "properties": {
                    "slug": r["slug"],
                    "name": r["name_zh"] if lang == "zh-CN" else r["name_en"],
                    "pilot_kind": r["pilot_kind"],
                    "pilot_status": r["pilot_status"],
                    "beds": r["beds"],
                    "certifications": r["certifications"],
                },
            }
            for r in report.rows
        ],
    }


# The directory's table (its JSON items carry destination_id as well).
PILOT_COLUMNS = [
    "slug",
    "name_zh",
    "name_en",
    "pilot_kind",
    "pilot_status",
    "prefecture",
    "certifications",
    "products",
    "units",
    "beds",
    "lat",
    "lon",
]

# The targets' table: a row per pilot kind, then the total row with the year's figures
# (what the JSON gives beside ``pilot_kinds``); CSV and Excel write the same columns.
TARGET_KIND_COLUMNS = ["pilot_kind", "target", "reserve", "pilot", "mature", "pilots"]
TARGET_TOTAL_COLUMNS = [
    "beds",
    "beds_target",
    "long_stay_person_trips",
    "long_stay_path",
    "long_stay_path_bps",
    "long_stay_target_2028",
    "growth_path",
]


def targets(
    session: Session, operator: Operator, *, year: int, today: date, long_nights: int
) -> Report:
    """The plan's targets beside the actuals of ``year`` (within the caller's scope)."""
    pilots = directory(session, operator, year=year, today=today)
    counts = {(k, s): 0 for k in PilotKind for s in PilotStatus}
    for r in pilots.rows:
        counts[(r["pilot_kind"], r["pilot_status"])] = (
            counts.get((r["pilot_kind"], r["pilot_status"]), 0) + 1
        )
    rows = []
    for kind in PilotKind:
        by_status = {s.value: counts[(kind, s)] for s in PilotStatus}
        rows.append(
            {
                "pilot_kind": kind.value,
                "target": PILOT_TARGETS[kind],
                **by_status,
                # Units in the plan's pilot stages (reserves are candidates, not pilots).
                "pilots": by_status["pilot"] + by_status["mature"],
            }
        )
    year_report = measures_report(
        session,
        operator,
        first=date(year, 1, 1),
        last=date(year, 12, 31),
        by=[],
        today=today,
        long_nights=long_nights,
    )
    actual = year_report.total["long_trip_person_trips"] if year_report.total else 0
    path = long_stay_path(year)
    return Report(
        name="targets",
        params={"year": year, "long_stay_nights": long_nights},
        columns=[*TARGET_KIND_COLUMNS, *TARGET_TOTAL_COLUMNS],
        keys=["pilot_kind"],
        rows=rows,
        total={
            "beds": sum(r["beds"] for r in pilots.rows),
            "beds_target": NEW_BEDS_TARGET,
            "long_stay_person_trips": actual,
            "long_stay_path": path,
            "long_stay_path_bps": measures.ratio(actual, path, 10000),
            "long_stay_target_2028": LONG_STAY_TARGET,
            "growth_path": [
                {"year": y, "person_trips": long_stay_path(y)}
                for y in range(2026, LONG_STAY_TARGET_YEAR + 1)
            ],
        },
        meta=year_report.meta,
    )
