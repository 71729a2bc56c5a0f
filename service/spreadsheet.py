"""Cells bound for a spreadsheet (CSV or Excel), made safe in one place.

A text cell beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is
read by Excel, LibreOffice and Google Sheets as a formula (CSV injection): such a cell
gets a leading ``'``, which those programs show as text. Numbers are left as they are
(a negative number is a number, not a formula). Every CSV and Excel export goes through
``safe_cell`` (the reports' ``table``, the operators' ticket-stub register, the front
desk's arrivals).

The bytes of a download are made here too, one way for every export: CSV in UTF-8 with
a BOM (``csv_bytes``: Excel reads UTF-8 then), Excel by openpyxl with every zip entry
dated ``FIXED`` (``xlsx_bytes``, or ``xlsx_book`` for several sheets with number formats,
bold frozen headers and widths: the same rows give the same bytes, no timestamp of the
moment), and the ``Content-Disposition`` naming the file by what it holds
(``attachment``).
"""

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from unicodedata import east_asian_width
from urllib.parse import quote

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FIXED = datetime(2026, 1, 1)  # the date stamped on every Excel part (not the moment)

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """``value``, with a leading ``'`` when it is text a spreadsheet would run."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [safe_cell(v) for v in values]


def csv_text(rows: Iterable[Iterable[Any]], *, lineterminator: str = "\r\n") -> str:
    """The rows as CSV (``None`` an empty cell), every cell through ``safe_cell``."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator=lineterminator)
    for row in rows:
        writer.writerow(["" if v is None else v for v in safe_row(row)])
    return buf.getvalue()


def csv_bytes(rows: Iterable[Iterable[Any]]) -> bytes:
    """``csv_text`` in UTF-8 after a BOM (Excel reads UTF-8 then)."""
    return ("\ufeff" + csv_text(rows)).encode("utf-8")


@dataclass(frozen=True, slots=True)
class Sheet:
    """One sheet of a workbook: its rows (every cell through ``safe_cell``) and, for a
    sheet people read, the row of its column headers (1-based: bold, and frozen with
    the rows above it), each column's number format for the cells below the header
    (``None``: as written) and its width in characters."""

    title: str
    rows: list[list[Any]]
    header: int = 0
    formats: tuple[str | None, ...] = ()
    widths: tuple[float, ...] = ()
    landscape: bool = False  # printed landscape, fit to the page's width


def xlsx_bytes(rows: Iterable[Iterable[Any]], *, title: str) -> bytes:
    """The rows as one Excel sheet named ``title`` (``xlsx_book``)."""
    return xlsx_book([Sheet(title, [list(r) for r in rows])])


def xlsx_book(sheets: list[Sheet]) -> bytes:
    """The sheets as one Excel workbook (openpyxl), the first one open, every cell
    through ``safe_cell``, every zip entry and the document's dates ``FIXED``."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    for sheet in sheets:
        ws = wb.create_sheet(sheet.title)
        for row in sheet.rows:
            ws.append(safe_row(row))
        if sheet.header:
            for cell in ws[sheet.header]:
                cell.font = Font(bold=True)
            ws.freeze_panes = ws.cell(row=sheet.header + 1, column=1)
        for i, fmt in enumerate(sheet.formats, start=1):
            if fmt is None:
                continue
            for (cell,) in ws.iter_rows(min_row=sheet.header + 1, min_col=i, max_col=i):
                if isinstance(cell.value, int | float | date) and not isinstance(cell.value, bool):
                    cell.number_format = fmt
        for i, width in enumerate(sheet.widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = width
        if sheet.landscape:
            ws.page_setup.orientation = "landscape"
            ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
            ws.sheet_properties.pageSetUpPr.fitToPage = True
    wb.active = 0
    wb.properties.creator = "Jilin Sojourn"
    wb.properties.created = FIXED
    wb.properties.modified = FIXED
    raw = io.BytesIO()
    wb.save(raw)
    return _fixed_zip(raw.getvalue())


def text_width(value: Any) -> int:
    """How many columns ``value`` takes as text: a CJK (full-width) character two."""
    return sum(2 if east_asian_width(ch) in "WF" else 1 for ch in str(value))


def column_widths(
    rows: list[list[Any]], shown: Callable[[Any], str], *, least: int, most: int = 40
) -> tuple[int, ...]:
    """Each column's width for ``Sheet.widths``: its widest cell in ``rows`` (the
    header row and those under it) as ``shown`` writes it, two more, from ``least`` to
    ``most``."""
    return tuple(
        min(most, max(least, *(text_width(shown(row[i])) + 2 for row in rows)))
        for i in range(len(rows[0]))
    )


def _fixed_zip(data: bytes) -> bytes:
    """The same zip with every entry dated ``FIXED`` (openpyxl stamps the moment)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = _fixed_core(body)
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, body)
    return out.getvalue()


def _fixed_core(body: bytes) -> bytes:
    stamp = FIXED.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    return re.sub(
        rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)", rb"\g<1>" + stamp + rb"\2", body
    )


_UNSAFE = re.compile(r"[^A-Za-z0-9._+-]+")


def attachment(*parts: Any, ext: str) -> str:
    """A ``Content-Disposition`` naming a download by what it holds:
    ``attachment("measures", "2026-01-01", ["month", "channel"], None, ext="xlsx")`` ->
    ``attachment; filename="measures-2026-01-01-month+channel.xlsx"``. Empty parts are
    left out, a list is joined with ``+``; the quoted name keeps only ``A-Z a-z 0-9 . _ +
    -`` (anything else becomes ``_``, so no quote, slash or header break can get in), and
    a name with other characters (a Chinese slug) is also given whole as RFC 6266
    ``filename*`` (UTF-8, percent-encoded)."""
    words = []
    for part in parts:
        if isinstance(part, list | tuple):
            part = "+".join(str(p) for p in part)
        if part not in (None, ""):
            words.append(str(part))
    name = "-".join(words)[:150] + f".{ext}"
    plain = _UNSAFE.sub("_", name)
    header = f'attachment; filename="{plain}"'
    if plain != name:
        header += f"; filename*=UTF-8''{quote(name, safe='')}"
    return header
