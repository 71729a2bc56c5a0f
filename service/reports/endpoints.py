"""HTTP of the reports: ``/v1/reports/…`` for the province and operators.

Every endpoint needs an operator token (``OperatorDep``); what it counts is limited by
``service.operators.scope`` (the province: everything; an operator: its destinations).
Each report answers JSON, or ``format=csv`` / ``format=xlsx`` (the pilot directory
also ``geojson``). An operator's report, and the province's with ``audience=public``,
blanks cells of fewer than 5 people or stays with their nights, revenue and rates
(``service.reports.exports.for_audience``).
"""

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response
from fastapi.responses import JSONResponse

from service import spreadsheet
from service.deps import ClockDep, SessionDep, SettingsDep, WriteSessionDep
from service.errors import problems
from service.i18n import LangDep
from service.operators.auth import OperatorDep
from service.reports import closing, exports, schemas, service, workbook
from service.reports.service import Report
from service.text import IsoDate

router = APIRouter(prefix="/v1/reports", tags=["reports"])

Format = Literal["json", "csv", "xlsx"]
Audience = Annotated[
    Literal["province", "public"] | None,
    Query(
        description="`province`: in full, the province only (403 `forbidden_role` naming "
        "`audience` for an operator); `public`: as it leaves the province, cells of fewer "
        "than 5 people or stays blanked. Default: `province` for the province, `public` "
        "for an operator."
    ),
]
Year = Annotated[int | None, Query(ge=2000, le=2100, description="Default: this year")]


def _exports(example: Report) -> dict[str, Any]:
    """The CSV and Excel answers of a report: the CSV example is the JSON example's table,
    written by the exporter itself (so the two cannot drift apart)."""
    csv_text = exports.to_csv(example).decode("utf-8").removeprefix("\ufeff")
    return {
        "text/csv": {"schema": {"type": "string"}, "example": csv_text},
        spreadsheet.XLSX_TYPE: {"schema": {"type": "string", "format": "binary"}},
    }


def _example_of(model: type) -> dict[str, Any]:
    return model.model_config["json_schema_extra"]["examples"][0]


_M, _T, _P = (_example_of(m) for m in (schemas.MeasuresReport, schemas.Targets,
                                        schemas.PilotDirectory))  # fmt: skip
_MEASURES_EXPORTS = _exports(
    Report(
        "measures",
        {},
        [*_M["by"], *service.MEASURE_COLUMNS],
        _M["rows"],
        _M["total"],
        keys=_M["by"],
    )  # fmt: skip
)
_TARGETS_EXPORTS = _exports(
    Report(
        "targets",
        {},
        [*service.TARGET_KIND_COLUMNS, *service.TARGET_TOTAL_COLUMNS],
        _T["pilot_kinds"],
        {c: _T[c] for c in service.TARGET_TOTAL_COLUMNS},
        keys=["pilot_kind"],
    )  # fmt: skip
)
_PILOTS_EXPORTS = _exports(Report("pilots", {}, service.PILOT_COLUMNS, _P["items"]))


def _render(
    report: Report, fmt: str, json_body: dict[str, Any], xlsx: bytes | None = None
) -> Response:
    """The report in ``fmt``; ``xlsx``: its workbook when it has its own (the measures'
    readable sheet before the machine one, ``workbook.measures_xlsx``)."""
    if fmt == "csv":
        body, media, ext = exports.to_csv(report), spreadsheet.CSV_TYPE, "csv"
    elif fmt == "xlsx":
        body = xlsx if xlsx is not None else exports.to_xlsx(report)
        media, ext = spreadsheet.XLSX_TYPE, "xlsx"
    else:
        return JSONResponse(json_body | _json_of(report))
    disposition = spreadsheet.attachment(report.name, *report.params.values(), ext=ext)
    return Response(body, media_type=media, headers={"Content-Disposition": disposition})


def _json_of(report: Report) -> dict[str, Any]:
    if report.name == "measures":
        return {
            **report.params,
            "audience": report.params.get("audience", "province"),
            **report.meta,
            "rows": report.rows,
            "total": report.total,
        }
    if report.name == "pilots":
        return {**report.params, **report.meta, "items": report.rows}
    return {
        **report.params,
        **report.meta,
        "pilot_kinds": report.rows,
        **(report.total or {}),
    }


@router.get(
    "/measures",
    response_model=schemas.MeasuresReport,
    summary="The measures by month and dimension over a date range",
    description=(
        "Stays, person-trips (人次), person-nights (人天), long stays per stay and per trip, "
        "units and beds, occupancy, ADR, RevPAR, average length of stay, cancellations, "
        "no-shows and satisfaction (docs/metrics.md), from `from` to `to` inclusive, "
        "grouped by up to two of `by` (`month`, `pilot_kind`, `theme`, `prefecture`, "
        "`destination`, `channel`). The province counts every destination, an operator "
        "its own. `format=csv|xlsx` exports the same table. 422 `invalid_range` (`to` "
        "before `from`), `unknown_dimension` (naming `by[i]`), `too_many_dimensions`, "
        "`range_too_long` (over 5 years); 404 for a `destination_id` outside the caller's. "
        "The Excel workbook opens on a readable sheet in the caller's language "
        "(Accept-Language: headers in words, yuan, percentages, dates), then the sheet "
        "`measures`: the CSV's table, codes, fen and basis points."
    ),
    responses={200: {"content": _MEASURES_EXPORTS}, **problems(401, 404, 422, 429)},
)
def report_measures(
    operator: OperatorDep,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    lang: LangDep,
    first: Annotated[IsoDate, Query(alias="from", description="First day (inclusive)")],
    to: Annotated[IsoDate, Query(description="Last day (inclusive)")],
    by: Annotated[list[str], Query(max_length=6)] = [],  # noqa: B006 (FastAPI copies it)
    destination_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
    format: Format = "json",
    audience: Audience = None,
) -> Any:
    audience = exports.audience_of(operator, audience)  # the role before the request's rest
    report = service.measures_report(
        session,
        operator,
        first=first,
        last=to,
        by=by,
        today=clock.today(),
        long_nights=settings.long_stay_nights,
        destination_id=destination_id,
    )
    report = exports.for_audience(report, operator, audience)
    xlsx = workbook.measures_xlsx(session, report, lang) if format == "xlsx" else None
    return _render(report, format, {}, xlsx)


@router.get(
    "/targets",
    response_model=schemas.Targets,
    summary="The plan's targets beside the year's actuals",
    description=(
        "Pilot units by kind and status (reserve 储备, pilot 试点, mature 成熟) against the "
        "plan's 6/6/10/20/30/80, beds on sale against the 30,000 new beds, and the year's "
        "per-trip long stays against the 10%-a-year path to 3.8 million in 2028."
    ),
    responses={200: {"content": _TARGETS_EXPORTS}, **problems(401, 422, 429)},
)
def report_targets(
    operator: OperatorDep,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    year: Year = None,
    format: Format = "json",
    audience: Audience = None,
) -> Any:
    audience = exports.audience_of(operator, audience)
    today = clock.today()
    report = service.targets(
        session,
        operator,
        year=year or today.year,
        today=today,
        long_nights=settings.long_stay_nights,
    )
    return _render(exports.for_audience(report, operator, audience), format, {})


@router.get(
    "/pilots",
    response_model=schemas.PilotDirectory,
    summary="The pilot directory: kind, status, certifications, units and beds",
    description=(
        "Every destination the caller sees, with its pilot kind and status, "
        "certifications, products, units and beds on sale in `year`. `format=geojson` "
        "answers a GeoJSON FeatureCollection whose features carry the status (the map)."
    ),
    responses={
        200: {
            "content": {**_PILOTS_EXPORTS, "application/geo+json": {"schema": {"type": "object"}}}
        },
        **problems(401, 422, 429),
    },
)
def report_pilots(
    operator: OperatorDep,
    session: SessionDep,
    clock: ClockDep,
    lang: LangDep,
    year: Year = None,
    format: Literal["json", "csv", "xlsx", "geojson"] = "json",
) -> Any:
    today = clock.today()
    report = service.directory(session, operator, year=year or today.year, today=today)
    if format == "geojson":
        return JSONResponse(service.geojson(report, lang), media_type="application/geo+json")
    # The directory counts no people: nothing to suppress.
    return _render(report, format, {})


@router.get(
    "/closures",
    response_model=schemas.Closures,
    summary="The closed years",
    description="Years whose reports read their snapshot (closed by the province).",
    responses=problems(401, 422, 429),
)
def list_closures(operator: OperatorDep, session: SessionDep) -> Any:
    return {"items": [_closure(c) for c in closing.listed(session)]}


@router.post(
    "/closures",
    status_code=201,
    response_model=schemas.Closure,
    summary="Close a year: snapshot its facts",
    description=(
        "The province closes a past year once it is evaluated: its stays, nights on sale "
        "and destinations are copied, and every report over the year reads the copy from "
        "then on (the same bytes, whatever changes later). 201 when this request closed "
        "the year; closing a closed year again is 200 with the first closing (the same "
        "body, counts included). 403 `forbidden_role` for an operator; 409 `period_open` "
        "for a year not yet over."
    ),
    responses={
        200: {"model": schemas.Closure, "description": "Closed before: its first closing"},
        **problems(401, 403, 409, 413, 422, 429),
    },
)
def close_year(
    body: schemas.CloseIn,
    operator: OperatorDep,
    session: WriteSessionDep,
    clock: ClockDep,
    response: Response,
) -> Any:
    closed = closing.close(session, operator, body.year, now=clock.now(), today=clock.today())
    if not closed.created:
        response.status_code = 200
    return _closure(closed)


def _closure(c: closing.Closed) -> dict[str, Any]:
    return {
        "year": c.year,
        "as_of": c.as_of.isoformat(),
        "closed_at": c.closed_at.isoformat().replace("+00:00", "Z"),
        "closed_by": c.closed_by,
        "stays": c.stays,
        "nights_on_sale": c.nights_on_sale,
    }
