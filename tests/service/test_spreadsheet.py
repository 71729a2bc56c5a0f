"""Every CSV and Excel export is safe from formula injection, in one place."""

import csv
import io

import pytest
from openpyxl import load_workbook

from service import spreadsheet
from service.reports import exports
from service.reports.service import Report


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("王**", "王**"),
        ("2027-07", "2027-07"),
        (-5, -5),  # a number stays a number
        (None, None),
    ],
)
def test_a_cell_a_spreadsheet_would_run_gets_a_leading_quote(value, safe):
    assert spreadsheet.safe_cell(value) == safe


def test_report_exports_quote_formulas_in_csv_and_excel():
    report = Report(
        name="pilots",
        params={},
        columns=["slug", "name_en", "units"],
        rows=[{"slug": "a", "name_en": '=HYPERLINK("http://evil","x")', "units": -1}],
    )
    rows = list(csv.reader(io.StringIO(exports.to_csv(report).decode().removeprefix("\ufeff"))))
    assert rows[1] == ["a", '\'=HYPERLINK("http://evil","x")', "-1"]
    sheet = load_workbook(io.BytesIO(exports.to_xlsx(report))).active
    assert [c.value for c in sheet[2]] == ["a", '\'=HYPERLINK("http://evil","x")', -1]
    assert sheet["B2"].data_type == "s"  # text, not a formula


def test_csv_text_used_by_the_stub_register_guards_too():
    text = spreadsheet.csv_text([["code"], ["=1+1"]], lineterminator="\n")
    assert text == "code\n'=1+1\n"
