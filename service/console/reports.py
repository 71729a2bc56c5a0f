"""The console's report pages: the province's (or an operator's) measures with filters,
chart and exports, the plan's targets, the pilot directory, and the printable yearly
evaluation of one pilot unit (HTML, SVG charts and PDF).

HTTP only: every page calls the services the ``/v1/reports`` API calls, under the
console's login (``ConsoleOperatorDep``), so scoping is ``service.operators.scope``'s.
"""

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from service.charts import HEIGHT, WIDTH, has_data
from service.console.session import ConsoleOperatorDep, ConsoleRoute
from service.console.session import render as console_render
from service.deps import ClockDep, SessionDep, SettingsDep
from service.errors import DomainError
from service.pages import formats, templating, web
from service.reports import evaluation, exports, service
from service.reports.facts import DIMENSIONS
from service.text import IsoDate

router = APIRouter(prefix="/console", route_class=ConsoleRoute, include_in_schema=False)

DestinationId = Annotated[int, Path(ge=1, le=2**31 - 1)]
Year = Annotated[int | None, Query(ge=2000, le=2100)]
SHOWN = (
    "person_trips",
    "person_nights",
    "long_trip_person_trips",
    "occupancy_bps",
    "adr_fen",
    "revpar_fen",
    "alos_nights",
    "cancelled_stays",
    "satisfaction_index",
)
CHARTED = "person_nights"  # the measure the reports page draws
_SVG_HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
    "X-Content-Type-Options": "nosniff",
}


def _helpers(request: Request) -> dict[str, Any]:
    """``fmt_measure(row, name)``, ``kind_name(kind)`` and ``group_name(dimension,
    value)`` (a prefecture, pilot kind or theme in the page's language, from the same
    vocabularies as the API's ``*_name`` fields; a month as ``formats.year_month`` says it,
    ``2025年1月`` or ``Jan 2025``: the exports keep ``2025-01``) for the report templates
    and the chart's labels."""
    from catalog.vocab import PILOT_KIND_NAMES, PREFECTURE_NAMES, THEME_NAMES, name_in
    from service.pages.formats import percent, yuan

    lang = web.page_lang(request)
    t = web.text(request)

    def fmt_measure(row: dict[str, Any] | None, name: str) -> str:
        row = row or {}
        if name in (row.get("suppressed") or ()):
            return t("rep_suppressed")
        value = row.get(name)
        if value is None:
            return "—"
        if name.endswith("_bps"):
            return percent(value)
        if name.endswith("_fen"):
            return yuan(value)
        return f"{value:,}" if isinstance(value, int) else str(value)

    def kind_name(kind: str) -> str:
        return name_in(PILOT_KIND_NAMES, kind, lang)

    vocabularies = {
        "prefecture": PREFECTURE_NAMES,
        "pilot_kind": PILOT_KIND_NAMES,
        "theme": THEME_NAMES,
    }

    def group_name(dimension: str, value: Any) -> str:
        if dimension == "month" and isinstance(value, str) and value:
            return formats.year_month(value, lang)
        names = vocabularies.get(dimension)
        return name_in(names, value, lang) if names and isinstance(value, str) else value

    return {"fmt_measure": fmt_measure, "kind_name": kind_name, "group_name": group_name}


def _filters(today: date, first: date | None, to: date | None, by: list[str]) -> dict[str, Any]:
    first = first or date(today.year, 1, 1)
    to = to or today
    return {"from": first, "to": to, "by": [b for b in by if b][:2] or ["month"]}


def _measures(db_session, operator, f, settings, today):
    return service.measures_report(
        db_session, operator, first=f["from"], last=f["to"], by=f["by"], today=today,
        long_nights=settings.long_stay_nights,
    )  # fmt: skip


def _shown(report, operator):
    """The report as the page shows it: an operator's with its small cells blanked (the
    table, the chart and the targets' long stays alike, by the rule of the API and the
    exports), the province's in full."""
    return exports.for_audience(report, operator, "province")


@router.get("/reports")
def reports_page(
    request: Request,
    operator: ConsoleOperatorDep,
    db_session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    first: Annotated[IsoDate | None, Query(alias="from")] = None,
    to: Annotated[IsoDate | None, Query()] = None,
    by: Annotated[list[str], Query(max_length=2)] = [],  # noqa: B006 (FastAPI copies it)
) -> Response:
    t = web.text(request)
    today = clock.today()
    f = _filters(today, first, to, by)
    errors: dict[str, str] = {}
    report = None
    try:
        report = _shown(_measures(db_session, operator, f, settings, today), operator)
    except DomainError as exc:
        errors = web.form_errors(request, exc, lambda p: "to" if p == "to" else "by")
    targets = _shown(service.targets(db_session, operator, year=f["to"].year, today=today,
                                     long_nights=settings.long_stay_nights), operator)  # fmt: skip
    pilots = service.directory(db_session, operator, year=f["to"].year, today=today)
    query = request.url.query
    charted = report is not None and has_data(
        evaluation.measure_series(report, CHARTED, t("rep_chart"))
    )
    return console_render(
        request,
        operator,
        "console/reports.html",
        {
            "f": f,
            "dimensions": DIMENSIONS,
            "report": report,
            "charted": charted,
            "chart_size": (WIDTH, HEIGHT),
            "shown": SHOWN,
            "long_nights": settings.long_stay_nights,  # the long stays' measure says it
            "errors": errors,
            "targets": targets,
            "pilots": pilots.rows,
            "query": query,
            **_helpers(request),
        },
        status_code=422 if errors else 200,
        title=t("rep_title"),
        nav="reports",
    )


@router.get("/reports/export.{fmt}")
def reports_export(
    request: Request,
    operator: ConsoleOperatorDep,
    db_session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    fmt: Annotated[str, Path(pattern="^(csv|xlsx)$")],
    first: Annotated[IsoDate | None, Query(alias="from")] = None,
    to: Annotated[IsoDate | None, Query()] = None,
    by: Annotated[list[str], Query(max_length=2)] = [],  # noqa: B006
    audience: Annotated[str, Query(pattern="^(province|public)$")] = "public",
) -> Response:
    today = clock.today()
    report = _measures(db_session, operator, _filters(today, first, to, by), settings, today)
    report = exports.for_audience(report, operator, audience)
    body = exports.to_csv(report) if fmt == "csv" else exports.to_xlsx(report)
    media = exports.CSV_TYPE if fmt == "csv" else exports.XLSX_TYPE
    disposition = exports.attachment(
        "measures", report.params["from"], report.params["to"], ext=fmt
    )
    return Response(body, media_type=media, headers={"Content-Disposition": disposition})


@router.get("/reports/chart.svg")
def reports_chart(
    request: Request,
    operator: ConsoleOperatorDep,
    db_session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    first: Annotated[IsoDate | None, Query(alias="from")] = None,
    to: Annotated[IsoDate | None, Query()] = None,
    by: Annotated[list[str], Query(max_length=2)] = [],  # noqa: B006
) -> Response:
    t = web.text(request)
    today = clock.today()
    f = _filters(today, first, to, by)
    report = _shown(_measures(db_session, operator, f, settings, today), operator)
    body = evaluation.measure_chart(
        report,
        CHARTED,
        t("rep_chart"),
        group_name=_helpers(request)["group_name"],
        no_data=t("chart_no_data"),
    )
    return Response(body, media_type="image/svg+xml",
                    headers={**_SVG_HEADERS, "Vary": "Cookie, Accept-Language"})  # fmt: skip


def _evaluation(request, operator, db_session, settings, clock, destination_id, year):
    today = clock.today()
    return evaluation.evaluate(
        db_session, operator, destination_id, year=year or today.year - 1, today=today,
        long_nights=settings.long_stay_nights,
    )  # fmt: skip


def _evaluation_page(request, operator, ev, *, for_pdf: bool = False) -> Response:
    t = web.text(request)
    name = ev.destination["name_zh" if web.page_lang(request) == "zh-CN" else "name_en"]
    heading = t("eval_title", name=name, year=ev.year)
    return console_render(
        request,
        operator,
        "console/evaluation.html",
        {
            "ev": ev,
            "heading": heading,
            "charts": evaluation.CHARTS,
            "charted": {c: has_data(evaluation.series(ev, c)) for c in evaluation.CHARTS},
            "chart_size": (WIDTH, HEIGHT),
            "aspects": ("overall", *evaluation.ASPECTS),
            "for_pdf": for_pdf,
            **_helpers(request),
        },
        title=heading,
        nav="reports",
    )


@router.get("/evaluation/{destination_id}")
def evaluation_page(
    request: Request,
    operator: ConsoleOperatorDep,
    db_session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    destination_id: DestinationId,
    year: Year = None,
) -> Response:
    ev = _evaluation(request, operator, db_session, settings, clock, destination_id, year)
    return _evaluation_page(request, operator, ev)


@router.get("/evaluation/{destination_id}/{name}.svg")
def evaluation_chart(
    request: Request,
    operator: ConsoleOperatorDep,
    db_session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    destination_id: DestinationId,
    name: Annotated[str, Path(pattern="^(occupancy|person_nights|aspects)$")],
    year: Year = None,
) -> Response:
    ev = _evaluation(request, operator, db_session, settings, clock, destination_id, year)
    body = evaluation.chart(ev, name, web.text(request))
    return Response(body, media_type="image/svg+xml",
                    headers={**_SVG_HEADERS, "Vary": "Cookie, Accept-Language"})  # fmt: skip


@router.get("/evaluation/{destination_id}/evaluation.pdf")
def evaluation_pdf(
    request: Request,
    operator: ConsoleOperatorDep,
    db_session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    destination_id: DestinationId,
    year: Year = None,
) -> Response:
    ev = _evaluation(request, operator, db_session, settings, clock, destination_id, year)
    t = web.text(request)
    page = _evaluation_page(request, operator, ev, for_pdf=True)
    charts = {name: evaluation.chart(ev, name, t) for name in evaluation.CHARTS}
    body = evaluation.pdf(
        page.body.decode("utf-8"), charts, str(request.base_url), templating.STATIC
    )
    return Response(
        body,
        media_type="application/pdf",
        headers={
            "Content-Disposition": exports.attachment(
                "evaluation", ev.destination["slug"], ev.year, ext="pdf"
            )
        },
    )
