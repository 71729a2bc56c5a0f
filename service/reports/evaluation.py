"""The yearly evaluation of one pilot unit (年度评估): its measures against last year,
by month, its satisfaction and comments, with charts, as one printable page and PDF.

The figures are the measures report's (``service.reports.service.measures_report``)
for the destination, this year and last, by month, as the reports show them to the
audience (``exports.for_audience``: an operator's with small cells blanked, by the one
rule of the API, the exports and the report pages); a closed year reads its snapshot
like every report. Charts are SVG drawn on the server by pygal (a kept library that lays out
axes, labels and bars and writes plain SVG: ``js=[]`` and no script); the PDF is the
same page printed by WeasyPrint (a kept HTML-to-PDF library, rendering with the
system's Pango), the charts handed to it from memory.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pygal
from sqlmodel import Session, select

from service.bookings.models import BookingItem
from service.charts import HEIGHT, PERCENT_TICKS, STYLE, WIDTH, Series, render
from service.operators.scope import Operator, destination_of
from service.reports import exports, service
from service.reports.models import ASPECTS, SurveyResponse

CHARTS = ("occupancy", "person_nights", "aspects")
COMMENTS_SHOWN = 30


@dataclass
class Evaluation:
    destination: dict[str, Any]
    year: int
    this: dict[str, Any]  # the year's total measures
    last: dict[str, Any]  # last year's
    months: list[dict[str, Any]]  # 12 rows: month, this year's and last year's measures
    comments: list[dict[str, Any]]  # with its score (None where the month's answers are hidden)
    as_of: str


def evaluate(
    session: Session,
    operator: Operator,
    destination_id: int,
    *,
    year: int,
    today: date,
    long_nights: int,
    audience: str = "public",
) -> Evaluation:
    """The evaluation as ``audience`` may see it (``exports.for_audience``): an operator's,
    or the province's for the public, with each year's small cells blanked (months, the
    year's total and the charts alike) and its comments without their scores in a month
    whose survey answers are hidden (each would give an answer back); the province's own
    (``audience="province"``) in full."""
    d = destination_of(session, operator, destination_id, "destination_id")
    directory = service.directory(session, operator, year=year, today=today)
    entry = next(r for r in directory.rows if r["destination_id"] == d.id)
    reports = {}
    for y in (year, year - 1):
        report = service.measures_report(
            session,
            operator,
            first=date(y, 1, 1),
            last=date(y, 12, 31),
            by=["month"],
            today=today,
            long_nights=long_nights,
            destination_id=d.id,
        )
        reports[y] = exports.for_audience(report, operator, audience)
    by_month = {y: {r["group"]["month"][5:]: r for r in reports[y].rows} for y in reports}
    months = [
        {
            "month": m,
            "this": by_month[year].get(f"{m:02d}"),
            "last": by_month[year - 1].get(f"{m:02d}"),
        }
        for m in range(1, 13)
    ]
    # a comment's score is one answer: kept only where its month's answers are shown
    few = {m["month"] for m in months if "survey_answers" in _hidden(m["this"])}
    comments = [
        {**c, "overall": None} if c["month"] in few else c for c in _comments(session, d.id, year)
    ]
    return Evaluation(
        destination=entry,
        year=year,
        this=reports[year].total or {},
        last=reports[year - 1].total or {},
        months=months,
        comments=comments,
        as_of=reports[year].meta["as_of"],
    )


def _hidden(row: dict[str, Any] | None) -> list[str]:
    return (row or {}).get("suppressed") or []


def _comments(session: Session, destination_id: int, year: int) -> list[dict[str, Any]]:
    """The year's comments of stays at the destination (stored already stripped of
    personal data), newest stays first, with their overall score."""
    from catalog.models import Product

    rows = session.exec(
        select(SurveyResponse.comment, SurveyResponse.overall, BookingItem.check_in)
        .join(BookingItem, BookingItem.id == SurveyResponse.booking_item_id)
        .join(Product, Product.id == BookingItem.product_id)
        .where(
            Product.destination_id == destination_id,
            BookingItem.check_in.between(date(year, 1, 1), date(year, 12, 31)),
            SurveyResponse.comment != "",
        )
        .order_by(BookingItem.check_in.desc(), SurveyResponse.id.desc())
        .limit(COMMENTS_SHOWN)
    ).all()
    return [{"comment": c, "overall": o, "month": ci.month} for c, o, ci in rows]


def _pct(bps: int | None) -> float | None:
    return None if bps is None else bps / 100


def series(ev: Evaluation, name: str) -> list[tuple[str, list[float | int | None]]]:
    """The figures of one of ``CHARTS``: (year, values) for this year and the last."""
    this, last = str(ev.year), str(ev.year - 1)
    if name == "occupancy":
        return [
            (label, [_pct((m[key] or {}).get("occupancy_bps")) for m in ev.months])
            for label, key in ((this, "this"), (last, "last"))
        ]
    if name == "person_nights":
        return [
            (label, [(m[key] or {}).get("person_nights", 0) for m in ev.months])
            for label, key in ((this, "this"), (last, "last"))
        ]
    out: list[tuple[str, list[float | int | None]]] = []
    for label, total in ((this, ev.this), (last, ev.last)):
        aspects = total.get("aspects") or {}
        out.append((label, [total.get("satisfaction_index"), *(aspects.get(a) for a in ASPECTS)]))
    return out


def chart(ev: Evaluation, name: str, t) -> bytes:
    """One of ``CHARTS`` as SVG; ``t`` gives the words in the page's language."""
    common = dict(style=STYLE, js=[], width=WIDTH, height=HEIGHT, legend_at_bottom=True,
                  truncate_label=-1, print_values=False)  # fmt: skip
    if name == "occupancy":
        c = pygal.Bar(title=t("eval_chart_occupancy"), y_title="%", range=(0, 100),
                      y_labels=PERCENT_TICKS, **common)  # fmt: skip
        c.x_labels = [str(m) for m in range(1, 13)]
    elif name == "person_nights":
        c = pygal.Bar(title=t("eval_chart_person_nights"), **common)
        c.x_labels = [str(m) for m in range(1, 13)]
    else:
        c = pygal.HorizontalBar(title=t("eval_chart_aspects"), range=(0, 100),
                                y_labels=PERCENT_TICKS, **common)  # fmt: skip
        c.x_labels = [t("survey_" + a) for a in ("overall", *ASPECTS)]
    return render(c, series(ev, name), t("chart_no_data"))


def pdf(html: str, charts: dict[str, bytes], base_url: str, static: Path) -> bytes:
    """The printable page as PDF (WeasyPrint); its chart images come from ``charts``
    (by the file name the page links), its stylesheet from ``static`` (the app's static
    files); nothing else is fetched (no network, no other file)."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class Fetcher(URLFetcher):
        def fetch(self, url, headers=None):
            name = url.rsplit("/", 1)[-1].split("?", 1)[0]
            if name.endswith(".svg") and name[:-4] in charts:
                body, mime = charts[name[:-4]], "image/svg+xml"
            elif "/static/" in url:
                path = (static / url.split("/static/", 1)[1].split("?", 1)[0]).resolve()
                if not (path.is_relative_to(static.resolve()) and path.is_file()):
                    raise ValueError("not a static file")
                body, mime = path.read_bytes(), _mime(path.name)
            else:
                raise ValueError("the evaluation PDF loads nothing else")
            return URLFetcherResponse(url, body=body, headers={"Content-Type": mime})

    return HTML(string=html, base_url=base_url, url_fetcher=Fetcher()).write_pdf()


def _mime(name: str) -> str:
    return "text/css" if name.endswith(".css") else "image/svg+xml"


MOST_X_LABELS = 12  # a measure chart labels at most so many bars (every k-th beyond)


def measure_chart(
    report: service.Report,
    measure: str,
    title: str,
    *,
    group_name: Callable[[str, Any], Any],
    no_data: str,
) -> bytes:
    """One measure of a measures report, a bar per row, each labelled by its group in
    the page's words (``group_name(dimension, value)``, as the table under it); beyond
    ``MOST_X_LABELS`` bars only every k-th is labelled, so the labels keep their size."""
    rows = report.rows
    every = max(1, math.ceil(len(rows) / MOST_X_LABELS))
    c = pygal.Bar(style=STYLE, js=[], width=WIDTH, height=HEIGHT, title=title, show_legend=False,
                  truncate_label=-1, x_label_rotation=0 if every == 1 else 30,
                  show_minor_x_labels=every == 1, x_labels_major_every=every)  # fmt: skip
    c.x_labels = [" ".join(str(group_name(d, v)) for d, v in r["group"].items()) for r in rows]
    return render(c, measure_series(report, measure, title), no_data)


def measure_series(report: service.Report, measure: str, title: str) -> Series:
    """The figures a measure chart draws, one series named ``title`` (a blanked cell is
    missing, as in the table)."""
    return [(title, [r.get(measure) for r in report.rows])]
