"""Every report as CSV or Excel, and the suppression of small cells.

* **Suppression.** A report that leaves the province (any operator's, or the
  province's with ``audience=public``) blanks every cell that counts fewer than 5
  people, and what could be worked back from it (``suppress``). The suppressed cells
  read ``<5`` in CSV and Excel and ``null`` in JSON, and each row lists them.
* **Bytes.** Both formats are made deterministically from the report (no timestamp of
  the moment), so a closed year exports the same bytes every time. Excel is written by
  openpyxl, the kept library for .xlsx; its zip entries get a fixed date.
"""

import csv
import io
import zipfile
from datetime import datetime
from typing import Any

from service.reports.models import ASPECTS
from service.reports.service import Report

SMALL = 5
SUPPRESSED = "<5"
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_FIXED = datetime(2026, 1, 1)  # the date stamped on every Excel part (not the moment)

# (the cell counting people, the cells that go with it)
_PEOPLE = (
    ("person_trips", ("stays", "person_nights", "alos_nights", "bed_occupancy_bps")),
    ("long_stay_person_trips", ("long_stays",)),
    ("long_trip_person_trips", ("long_trips",)),
    ("cancelled_person_trips", ("cancelled_stays", "cancellation_bps")),
    ("no_shows", ()),
    ("survey_answers", ("response_bps", "satisfaction_index", "aspects")),
)


def _small(value: Any) -> bool:
    return isinstance(value, int) and 0 < value < SMALL


def suppress(row: dict[str, Any]) -> dict[str, Any]:
    """The row with every cell of fewer than 5 people (and its companions) blanked."""
    out = dict(row)
    blanked: list[str] = []
    for people, companions in _PEOPLE:
        if people in out and _small(out[people]):
            for name in (people, *companions):
                if name in out:
                    out[name] = None
                    blanked.append(name)
    if blanked:
        out["suppressed"] = blanked
    return out


def suppressed(report: Report) -> Report:
    return Report(
        name=report.name,
        params={**report.params, "audience": "public"},
        columns=report.columns,
        rows=[suppress(r) for r in report.rows],
        total=suppress(report.total) if report.total else report.total,
        meta=report.meta,
    )


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
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    return value


def table(report: Report) -> list[list[Any]]:
    """The report as a header and rows (then a total row when there is one)."""
    cols = _flat_columns(report)
    out: list[list[Any]] = [cols]
    for r in report.rows:
        out.append([_cell(r, c) for c in cols])
    if report.total is not None and report.name == "measures":
        by = report.params.get("by", [])
        label = ["total"] + [""] * (len(by) - 1) if by else []
        out.append(label + [_cell(report.total, c) for c in cols[len(by) :]])
    return out


def to_csv(report: Report) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    for line in table(report):
        writer.writerow(["" if v is None else v for v in line])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")  # the BOM: Excel reads UTF-8 then


def to_xlsx(report: Report) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = report.name
    for line in table(report):
        ws.append(line)
    wb.properties.creator = "Jilin Sojourn"
    wb.properties.created = _FIXED
    wb.properties.modified = _FIXED
    raw = io.BytesIO()
    wb.save(raw)
    return _fixed_zip(raw.getvalue())


def _fixed_zip(data: bytes) -> bytes:
    """The same zip with every entry dated ``_FIXED`` (openpyxl stamps the moment)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = _fixed_core(body)
            fixed = zipfile.ZipInfo(info.filename, date_time=_FIXED.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, body)
    return out.getvalue()


def _fixed_core(body: bytes) -> bytes:
    import re

    stamp = _FIXED.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    return re.sub(
        rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)", rb"\g<1>" + stamp + rb"\2", body
    )
