"""Cells bound for a spreadsheet (CSV or Excel), made safe in one place.

A text cell beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is
read by Excel, LibreOffice and Google Sheets as a formula (CSV injection): such a cell
gets a leading ``'``, which those programs show as text. Numbers are left as they are
(a negative number is a number, not a formula). Every CSV and Excel export goes through
``safe_cell`` (the reports' ``table``, the operators' ticket-stub register).
"""

import csv
import io
from collections.abc import Iterable
from typing import Any

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
