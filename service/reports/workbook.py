"""The measures report as an Excel workbook people read as well as machines: one
function for the API (``GET /v1/reports/measures?format=xlsx``) and the console's
export (``/console/reports/export.xlsx``).

The workbook's second sheet, named ``measures``, is the export contract: the same
columns, codes and figures as the CSV and the JSON (``exports.table``: money in fen,
percentages in basis points, ``x`` for a hidden cell). Before it, open when the file
opens, a readable sheet says the same table in the caller's language (zh-CN by
default): a title row (what the sheet is, its range and grouping, whether small cells
are hidden, the figures' date), then headers in the words of the report pages
(``service.reports.words``, bold and frozen), each row's group by its name (a month as
a date, a destination by its name, a channel in words), money in yuan with ``#,##0.00``,
basis points as fractions with ``0.0%``, counts with ``#,##0``, so Excel and WPS sum
and sort them; every cell is a conversion of the machine sheet's cell beside it.
"""

from datetime import date
from typing import Any

from sqlmodel import Session

from service import spreadsheet
from service.i18n import Lang
from service.reports import exports, service
from service.reports.facts import DIMENSIONS
from service.reports.service import Report
from service.reports.words import group_word, word

MONEY = "#,##0.00"
PERCENT = "0.0%"
COUNT = "#,##0"
MONTH = {"zh-CN": 'yyyy"年"m"月"', "en": "mmm yyyy"}
# The measures that are neither counts, money nor percentages: their decimals.
DECIMALS = {"alos_nights": "0.00", "satisfaction_index": "0.0"}


def measures_xlsx(session: Session, report: Report, lang: Lang) -> bytes:
    """The workbook of ``report`` (a measures report, as it leaves: ``for_audience``):
    the readable sheet in ``lang``, then the machine sheet ``measures``."""
    machine = exports.table(report)
    slugs = (r["group"].get("destination") for r in report.rows)
    destinations = service.destination_names(session, slugs) if "destination" in report.keys else {}
    return spreadsheet.xlsx_book([readable(report, machine, lang, destinations),
                                  spreadsheet.Sheet(report.name, machine)])  # fmt: skip


def column_format(column: str, lang: Lang) -> str | None:
    """The number format of a readable column (of the machine sheet's ``column``)."""
    if column == "month":
        return MONTH[lang]
    if column.endswith("_fen"):
        return MONEY
    if column.endswith("_bps"):
        return PERCENT
    if column.startswith("aspect_"):
        return DECIMALS["satisfaction_index"]
    return DECIMALS.get(column, COUNT)


def readable_cell(column: str, value: Any, lang: Lang, destinations: dict) -> Any:
    """The machine sheet's cell of ``column`` as people read it."""
    if value is None or value == "":
        return None
    if value == exports.SUPPRESSED:
        return word("rep_suppressed", lang)
    if column == "month":
        year, month = str(value).split("-")
        return date(int(year), int(month), 1)
    if isinstance(value, int) and column.endswith("_fen"):
        return value / 100
    if isinstance(value, int) and column.endswith("_bps"):
        return value / 10000
    return group_word(column, value, lang, destinations)


def header(column: str, lang: Lang) -> str:
    if column in DIMENSIONS:
        return word(f"rep_dim_{column}", lang)
    if column.startswith("aspect_"):
        aspect = word("survey_" + column.removeprefix("aspect_"), lang)
        open_, close = ("（", "）") if lang == "zh-CN" else (" (", ")")
        return f"{word('m_satisfaction_index', lang)}{open_}{aspect}{close}"
    return word(f"m_{column}", lang)


def title(report: Report, lang: Lang) -> str:
    p = report.params
    by = p.get("by") or []
    sep = "、" if lang == "zh-CN" else ", "
    grouping = sep.join(word(f"rep_dim_{d}", lang) for d in by) or word("rep_by_none", lang)
    colon = "：" if lang == "zh-CN" else ": "
    audience = "rep_public" if p.get("audience") == "public" else "rep_full"
    parts = [
        f"{word('rep_title', lang)} · {word('rep_measures', lang)}",
        word("rep_range", lang, first=p.get("from"), last=p.get("to")),
        f"{word('rep_by', lang)}{colon}{grouping}",
        word(audience, lang),
        word("eval_as_of", lang, day=report.meta.get("as_of")),
    ]
    return ("　" if lang == "zh-CN" else " · ").join(parts)


def readable(
    report: Report, machine: list[list[Any]], lang: Lang, destinations: dict
) -> spreadsheet.Sheet:
    """The readable sheet of the machine table ``machine`` (header row, rows, total)."""
    columns = [str(c) for c in machine[0]]
    keys = len(report.keys)
    rows: list[list[Any]] = [[title(report, lang)], [header(c, lang) for c in columns]]
    last = len(machine) - 1 if report.total is not None and keys else None
    for i, line in enumerate(machine[1:], start=1):
        if i == last:  # the total row: "total" in its first key column, nothing after
            rows.append([word("rep_total", lang), *(None for _ in range(keys - 1)),
                         *(readable_cell(c, v, lang, destinations)
                           for c, v in zip(columns[keys:], line[keys:], strict=True))])  # fmt: skip
            continue
        rows.append([readable_cell(c, v, lang, destinations)
                     for c, v in zip(columns, line, strict=True)])  # fmt: skip
    widths = spreadsheet.column_widths(rows[1:], _shown, least=10)
    return spreadsheet.Sheet(
        word("rep_title", lang),
        rows,
        header=2,
        formats=tuple(column_format(c, lang) for c in columns),
        widths=widths,
    )


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return "2026年12月"  # as wide as any month shown
    if isinstance(value, float):
        return f"{value:,.2f}"
    return f"{value:,}" if isinstance(value, int) else str(value)
