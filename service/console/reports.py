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

from service import spreadsheet
from service.charts import HEIGHT, WIDTH, has_data
from service.console import forms
from service.console.session import ConsoleOperatorDep, ConsoleRoute
from service.console.session import render as console_render
from service.deps import ClockDep, SessionDep, SettingsDep
from service.errors import DomainError
from service.pages import formats, messages, templating, web
from service.pages.forms import shown_day
from service.reports import evaluation, exports, service, workbook
from service.reports.facts import DIMENSIONS
from service.reports.words import group_word

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


def _helpers(
    request: Request, destinations: dict[str, tuple[str, str]] | None = None
) -> dict[str, Any]:
    """``fmt_measure(row, name)``, ``kind_name(kind)`` and ``group_name(dimension,
    value)`` (a prefecture, pilot kind or theme in the page's language, a destination by
    its name (``destinations``: slug -> names, ``service.destination_names``) and a
    channel in words, by ``words.group_word`` as the readable Excel sheet names them; a
    month as ``formats.year_month`` says it, ``2025年1月`` or ``Jan 2025``: the CSV and
    the machine sheet keep ``2025-01``, the slug and the channel's code) for the report
    templates and the chart's labels."""
    from catalog.vocab import PILOT_KIND_NAMES, name_in
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

    def group_name(dimension: str, value: Any) -> Any:
        if dimension == "month" and isinstance(value, str) and value:
            return formats.year_month(value, lang)
        return group_word(dimension, value, lang, destinations or {})

    return {"fmt_measure": fmt_measure, "kind_name": kind_name, "group_name": group_name}


# The filters' dates, each with its label (the error summary and the exports' refusal
# name the field so).
DATE_FIELDS = (("from", "rep_from"), ("to", "rep_to"))


def _filters(
    request: Request, today: date, first: str | None, to: str | None, by: list[str]
) -> tuple[dict[str, Any], dict[str, str], dict[str, str]]:
    """(the filters, what is wrong with them beside each field, the dates as the form
    shows them back). A date left out of the address is the default (the year so far);
    one given is read as every console date is (``forms.day``: said beside it when it is
    none, or when it was cleared); a date not read leaves the report out, and the
    targets and directory are of the year of the date that was (or this year)."""
    t = web.text(request)
    defaults = {"from": date(today.year, 1, 1), "to": today}
    days: dict[str, date] = {}
    errors: dict[str, str] = {}
    shown: dict[str, str] = {}
    for name, raw in (("from", first), ("to", to)):
        if raw is None:
            days[name] = defaults[name]
            shown[name] = defaults[name].isoformat()
            continue
        shown[name] = shown_day(raw)
        if not raw.strip():
            errors[name] = t("error_required")
            continue
        try:
            days[name] = forms.day(raw)
        except forms.Unreadable as exc:
            errors[name] = t(exc.key)
    year_of = days.get("to") or days.get("from") or today
    f = {
        "from": days.get("from", defaults["from"]),
        "to": days.get("to", year_of),
        "year": year_of.year,
        "by": [b for b in by if b] or ["month"],
    }
    return f, errors, shown


def _report_errors(request: Request, exc: DomainError) -> dict[str, str]:
    """A refused report beside its field, in the form's words: a reversed range as the
    other console forms say it (``forms.problem_text``), a grouping not in the list as
    a choice (the page offers only the list)."""
    if exc.code == "unknown_dimension":
        return {"by": web.text(request)("error_choice")}
    return forms.problem_errors(request, exc, lambda p: p if p in ("from", "to") else "by")


def _refused(request: Request, errors: dict[str, str]) -> Response:
    """An export or a chart asked with filters the page refuses: a 422 page saying each
    beside its field's name, with the way back to the form (which says them beside the
    fields), never the generic page."""
    t = web.text(request)
    labels = {name: t(key) for name, key in DATE_FIELDS} | {"by": t("rep_by")}
    colon = messages.punct("：", web.page_lang(request))
    detail = " ".join(f"{labels.get(k, k)}{colon}{v}" for k, v in errors.items())
    query = request.url.query
    return web.error_page(
        request,
        422,
        "rep_bad_filters",
        detail,
        way_on=("/console/reports" + (f"?{query}" if query else ""), t("rep_fix_filters")),
        template=ConsoleRoute.error_template,
    )


def _checked(request, operator, db_session, settings, today, first, to, by):
    """The report an export or a chart is made of, with the filters the page reads
    (``_filters``, ``_report_errors``); the refusal (``_refused``) when they are wrong."""
    f, errors, _shown_values = _filters(request, today, first, to, by)
    if errors:
        return None, _refused(request, errors)
    try:
        return _measures(db_session, operator, f, settings, today), None
    except DomainError as exc:
        return None, _refused(request, _report_errors(request, exc))


def _measures(db_session, operator, f, settings, today):
    return service.measures_report(
        db_session, operator, first=f["from"], last=f["to"], by=f["by"], today=today,
        long_nights=settings.long_stay_nights,
    )  # fmt: skip


def _names(db_session, report) -> dict[str, tuple[str, str]]:
    """The names of the destinations a report grouped by ``destination`` has rows of."""
    if report is None or "destination" not in report.params.get("by", ()):
        return {}
    return service.destination_names(db_session, (r["group"]["destination"] for r in report.rows))


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
    first: Annotated[str | None, Query(alias="from")] = None,
    to: Annotated[str | None, Query()] = None,
    by: Annotated[list[str], Query()] = [],  # noqa: B006 (FastAPI copies it)
) -> Response:
    t = web.text(request)
    today = clock.today()
    f, errors, shown_values = _filters(request, today, first, to, by)
    report = None
    if not errors:
        try:
            report = _shown(_measures(db_session, operator, f, settings, today), operator)
        except DomainError as exc:
            errors = _report_errors(request, exc)
    targets = _shown(service.targets(db_session, operator, year=f["year"], today=today,
                                     long_nights=settings.long_stay_nights), operator)  # fmt: skip
    pilots = service.directory(db_session, operator, year=f["year"], today=today)
    query = request.url.query
    charted = report is not None and has_data(
        evaluation.measure_series(report, CHARTED, t("rep_chart"))
    )
    names = _names(db_session, report)
    return console_render(
        request,
        operator,
        "console/reports.html",
        {
            "f": f,
            "values": shown_values,
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
            **_helpers(request, names),
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
    first: Annotated[str | None, Query(alias="from")] = None,
    to: Annotated[str | None, Query()] = None,
    by: Annotated[list[str], Query()] = [],  # noqa: B006
    audience: Annotated[str, Query(pattern="^(province|public)$")] = "public",
) -> Response:
    # in full only to the province: an operator asking for it is refused (403), as by the API
    audience = exports.audience_of(operator, audience)
    today = clock.today()
    report, refused = _checked(request, operator, db_session, settings, today, first, to, by)
    if refused is not None:
        return refused
    report = exports.for_audience(report, operator, audience)
    # the workbook is the API's (a readable sheet in the page's language, then the
    # machine sheet): one function for both
    if fmt == "csv":
        body = exports.to_csv(report)
    else:
        body = workbook.measures_xlsx(db_session, report, web.page_lang(request))
    media = spreadsheet.CSV_TYPE if fmt == "csv" else spreadsheet.XLSX_TYPE
    # named by what it holds, as the API names it (its grouping; "-public" when cells
    # are hidden), so the full and the public workbook are never one file name
    disposition = spreadsheet.attachment(report.name, *report.params.values(), ext=fmt)
    return Response(body, media_type=media, headers={"Content-Disposition": disposition})


@router.get("/reports/chart.svg")
def reports_chart(
    request: Request,
    operator: ConsoleOperatorDep,
    db_session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    first: Annotated[str | None, Query(alias="from")] = None,
    to: Annotated[str | None, Query()] = None,
    by: Annotated[list[str], Query()] = [],  # noqa: B006
) -> Response:
    t = web.text(request)
    today = clock.today()
    report, refused = _checked(request, operator, db_session, settings, today, first, to, by)
    if refused is not None:
        return refused
    report = _shown(report, operator)
    body = evaluation.measure_chart(
        report,
        CHARTED,
        t("rep_chart"),
        group_name=_helpers(request, _names(db_session, report))["group_name"],
        no_data=t("chart_no_data"),
    )
    return Response(body, media_type="image/svg+xml",
                    headers={**_SVG_HEADERS, "Vary": "Cookie, Accept-Language"})  # fmt: skip


def _evaluation(request, operator, db_session, settings, clock, destination_id, year):
    today = clock.today()
    return evaluation.evaluate(
        db_session, operator, destination_id, year=year or today.year - 1, today=today,
        long_nights=settings.long_stay_nights, audience="province",
    )  # fmt: skip


def _evaluation_page(request, operator, ev, *, for_pdf: bool = False) -> Response:
    t = web.text(request)
    name = ev.destination["name_zh" if web.page_lang(request) == "zh-CN" else "name_en"]
    heading = t("eval_title", name=name, year=ev.year)
    # the years to choose from: this one (figures so far) and the five before, and the
    # year shown whatever it is (a link may name an older one)
    this_year = request.app.state.clock.today().year
    years = sorted({*range(this_year - 5, this_year + 1), ev.year}, reverse=True)
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
            "years": [(y, str(y)) for y in years],
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
            "Content-Disposition": spreadsheet.attachment(
                "evaluation", ev.destination["slug"], ev.year, ext="pdf"
            )
        },
    )
