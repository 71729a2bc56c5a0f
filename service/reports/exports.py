"""Every report as CSV or Excel, and the suppression of small cells.

* **Suppression.** A report that leaves the province (any operator's, or the
  province's with ``audience=public``; ``for_audience`` decides for the API, the exports
  and the console alike) blanks every cell that counts fewer than 5 people or stays
  with every other sum of the same bookings (nights, revenue) and the ratios made from
  them (primary suppression), then, so that no blanked cell can be worked back by
  subtraction from a total, as many further cells as it takes for each line of the
  table to hide none or at least two (secondary, or complementary, suppression;
  ``suppress_table``). Hidden cells read ``x`` in CSV and Excel and ``null`` in JSON,
  and each row lists them.
* **Bytes.** Both formats are made deterministically from the report (no timestamp of
  the moment), so a closed year exports the same bytes every time: by
  ``service.spreadsheet`` (openpyxl, the kept library for .xlsx, its zip entries dated
  ``spreadsheet.FIXED``), as every export is.
"""

from dataclasses import dataclass, replace
from typing import Any

from service import spreadsheet
from service.operators import errors
from service.operators.scope import Operator
from service.reports.models import ASPECTS
from service.reports.service import Report

SMALL = 5
# A hidden cell reads the same whether it counts fewer than 5 people or was hidden so
# that such a cell cannot be worked out ("<5" would be untrue of the latter).
SUPPRESSED = "x"


@dataclass(frozen=True, slots=True)
class _Counted:
    """The counts of one set of bookings: ``people`` and ``stays`` are hidden when 1 to 4
    (``SMALL``), and with them every other sum of the same bookings (``sums``): money
    and nights give the bookings back as well as their number does (the public price
    calendar turns one booking's revenue and nights into its party)."""

    people: str
    stays: str | None = None
    sums: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.people, *((self.stays,) if self.stays else ()), *self.sums)


# Every additive count of the measures report, in the set of bookings it counts.
COUNTED = (
    _Counted(
        "person_trips",
        "stays",
        ("person_nights", "unit_nights_sold", "bed_nights_sold", "revenue_fen"),
    ),
    _Counted("long_stay_person_trips", "long_stays"),
    _Counted("long_trip_person_trips", "long_trips"),
    _Counted("cancelled_person_trips", "cancelled_stays"),
    _Counted("no_shows"),
    _Counted("survey_answers"),
)
# The measures made from those counts (ratios, averages, indexes), each with the counts
# (by ``people``) it is made from: hidden wherever any of them is, since a ratio beside
# what is published gives its parts back (RevPAR × unit-nights on sale is the revenue;
# the cancellation rate beside the stays and cancellations is the no-shows).
MADE_FROM = {
    "alos_nights": ("person_trips",),
    "occupancy_bps": ("person_trips",),
    "bed_occupancy_bps": ("person_trips",),
    "adr_fen": ("person_trips",),
    "revpar_fen": ("person_trips",),
    "cancellation_bps": ("person_trips", "no_shows", "cancelled_person_trips"),
    "response_bps": ("person_trips", "survey_answers"),
    "satisfaction_index": ("survey_answers",),
    "aspects": ("survey_answers",),
}


def _small(value: Any) -> bool:
    return isinstance(value, int) and 0 < value < SMALL


def _discloses(row: dict[str, Any], counted: _Counted) -> bool:
    """The row's cells of ``counted`` must be hidden: they count 1 to 4 people or stays,
    or no one while its other sums count something (a month's person-nights and revenue
    of stays that arrived the month before, with no arrival of its own, or of no-shows
    alone: how many people stand behind them is not known, so they are hidden as if they
    were few)."""
    if any(_small(row.get(name)) for name in (counted.people, counted.stays) if name):
        return True
    return row.get(counted.people) == 0 and any(
        isinstance(row.get(c), int | float) and row.get(c)
        for c in (*((counted.stays,) if counted.stays else ()), *counted.sums)
    )


def suppress_table(
    rows: list[dict[str, Any]], total: dict[str, Any] | None, dims: list[str]
) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    """The rows and total with small cells and their complements blanked.

    For each set of bookings counted (``COUNTED``), a row counting 1 to 4 of its people
    or stays is hidden in all of that set's counts and sums (and a row counting none
    whose sums count something, ``_discloses``): primary suppression. Then every *line*
    of the table, a set of cells whose sum is published (the whole table against the
    total row; in a two-way table also every row and every column, whose sums the
    one-way reports publish), must hide no cell or at least two: a line hiding exactly
    one gets its smallest visible cell (the fewest people, non-zero first, then the
    first in order) hidden as well, or, in the whole-table line, the total; repeated
    until no line hides exactly one (secondary suppression). The same cells are hidden
    in every count and sum of the set, so none of them can be worked out by subtraction
    either. Last, each measure made from the counts (``MADE_FROM``) is hidden wherever
    one of its counts is. Deterministic, so a closed year's export keeps its bytes.
    """
    rows = [dict(r) for r in rows]
    total = dict(total) if total is not None else None
    lines = _lines(rows, dims)
    hidden_in: dict[str, set[int]] = {}  # by ``people``: the rows hiding it
    total_hidden_in: set[str] = set()
    for counted in COUNTED:
        people = counted.people
        hidden = {i for i, r in enumerate(rows) if _discloses(r, counted)}
        total_hidden = total is not None and _discloses(total, counted)
        changed = bool(hidden)
        while changed:
            changed = False
            for line, with_total in lines:
                unknowns = sum(1 for i in line if i in hidden) + (with_total and total_hidden)
                if unknowns != 1:
                    continue
                visible = [i for i in line if i not in hidden and rows[i].get(people) is not None]
                if visible:
                    hidden.add(min(visible, key=lambda i: _complement_rank(rows, people, i)))
                    changed = True
                elif with_total and total is not None and not total_hidden:
                    total_hidden = changed = True
        hidden_in[people] = hidden
        for i in sorted(hidden):
            _blank(rows[i], counted.names)
        if total is not None and total_hidden:
            _blank(total, counted.names)
            total_hidden_in.add(people)
    for name, parts in MADE_FROM.items():
        for i, row in enumerate(rows):
            if any(i in hidden_in[p] for p in parts):
                _blank(row, (name,))
        if total is not None and total_hidden_in.intersection(parts):
            _blank(total, (name,))
    return rows, total


def _complement_rank(rows: list[dict[str, Any]], people: str, i: int) -> tuple[bool, int, int]:
    """Which visible cell to hide beside another: the smallest that counts someone (a 0
    hides little), then the first."""
    return rows[i][people] == 0, rows[i][people], i


def _lines(rows: list[dict[str, Any]], dims: list[str]) -> list[tuple[list[int], bool]]:
    """The lines of the table: (row indexes, whether the total row is their sum). In a
    two-way table the rows and columns: each hiding none or two, the whole does too."""
    if len(dims) < 2:
        return [(list(range(len(rows))), True)]
    lines: list[tuple[list[int], bool]] = []
    for d in dims:
        by_value: dict[Any, list[int]] = {}
        for i, r in enumerate(rows):
            by_value.setdefault(r["group"].get(d), []).append(i)
        lines += [(members, False) for members in by_value.values()]
    return lines


def _blank(row: dict[str, Any], names: tuple[str, ...]) -> None:
    blanked = row.setdefault("suppressed", [])
    for name in names:
        if name in row and name not in blanked:
            row[name] = None
            blanked.append(name)


def suppressed(report: Report) -> Report:
    rows, total = suppress_table(report.rows, report.total, report.params.get("by") or [])
    return replace(report, params={**report.params, "audience": "public"}, rows=rows, total=total)


def audience_of(operator: Operator, asked: str | None) -> str:
    """The audience a caller of the API asks a report for: by default its own (the
    province ``province``, in full; an operator ``public``); ``province`` asked by an
    operator is 403 ``forbidden_role`` naming ``audience``, never quietly the public
    report (it was a 200 saying ``"audience": "public"`` until December 2026)."""
    if asked is None:
        return "province" if operator.is_province else "public"
    if asked == "province" and not operator.is_province:
        raise errors.province_audience_only(operator.role)
    return asked


def for_audience(report: Report, operator: Operator, audience: str = "public") -> Report:
    """The report as ``operator`` may take it away: in full only to the province keeping
    it (``audience="province"``); every other report leaves the province, suppressed
    (``suppressed``). The API, the exports and the console pages all ask here."""
    if operator.is_province and audience == "province":
        return report
    return suppressed(report)


def _flat_columns(report: Report) -> list[str]:
    cols: list[str] = []
    for c in report.columns:
        if c == "aspects":
            cols += [f"aspect_{a}" for a in ASPECTS]
        else:
            cols.append(c)
    return cols


def _cell(row: dict[str, Any], column: str) -> Any:
    blanked = row.get("suppressed", ())
    group = row.get("group", {})
    if column in group:
        return group[column]
    if column.startswith("aspect_"):
        if "aspects" in blanked:
            return SUPPRESSED
        return (row.get("aspects") or {}).get(column.removeprefix("aspect_"))
    if column in blanked:
        return SUPPRESSED
    value = row.get(column)
    if isinstance(value, list):  # a list of values, or of records (the growth path)
        return " ".join(":".join(map(str, v.values())) if isinstance(v, dict) else str(v)
                        for v in value)  # fmt: skip
    return value


def table(report: Report) -> list[list[Any]]:
    """The report as a header and rows, then the total row when there is one: the one
    table CSV and Excel write, the same columns and figures as the JSON (rows, then the
    total's figures). Every cell is made spreadsheet-safe (``service.spreadsheet``)."""
    cols = _flat_columns(report)
    out: list[list[Any]] = [cols]
    for r in report.rows:
        out.append([_cell(r, c) for c in cols])
    if report.total is not None:
        keys = len(report.keys)
        label = ["total"] + [""] * (keys - 1) if keys else []
        out.append(label + [_cell(report.total, c) for c in cols[keys:]])
    return [spreadsheet.safe_row(line) for line in out]


def to_csv(report: Report) -> bytes:
    return spreadsheet.csv_bytes(table(report))


def to_xlsx(report: Report) -> bytes:
    return spreadsheet.xlsx_bytes(table(report), title=report.name)
