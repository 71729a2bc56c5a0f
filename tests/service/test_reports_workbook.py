"""The measures workbook (docs/metrics.md, "Exports"): a readable first sheet in the
caller's language (headers in the report pages' words, yuan, percentages, dates, names)
before the machine sheet ``measures``, which stays the CSV's table. Read back with
openpyxl, from the API and from the console, in both languages, on both databases."""

import csv
import io
from datetime import datetime

import pytest
from openpyxl import load_workbook

from tests.support import reports as R
from tests.support.clock import FixedClock
from tests.support.console import log_in

M = "/v1/reports/measures"
ZH = {
    "month": "月份",
    "destination": "目的地",
    "channel": "渠道",
    "stays": "住宿段数",
    "person_trips": "人次",
    "person_nights": "人天",
    "occupancy_bps": "出租率",
    "revenue_fen": "收入",
    "adr_fen": "平均房价",
    "satisfaction_index": "满意度指数",
    "aspect_food": "满意度指数（餐饮）",
}
EN = {
    "month": "Month",
    "channel": "Channel",
    "person_trips": "Person-trips",
    "occupancy_bps": "Occupancy",
    "revenue_fen": "Revenue",
    "revpar_fen": "RevPAR",
    "aspect_food": "Satisfaction (Food)",
}
CHANNELS = {
    "zh-CN": {"direct": "本系统直接预订", "miniprogram": "小程序", "ota": "在线旅行社（OTA）"},
    "en": {"direct": "Booked directly", "miniprogram": "Mini-program",
           "ota": "Online travel agency (OTA)"},
}  # fmt: skip


@pytest.fixture
def province(db, app):
    app.state.clock = FixedClock.on(R.TODAY)
    return R.build(db, scale=0.6)


def _names(db, lang: str) -> dict[str, str]:
    column = "name_zh" if lang == "zh-CN" else "name_en"
    with db.engine.connect() as conn:
        return dict(conn.exec_driver_sql(f"SELECT slug, {column} FROM destination").all())


def _expected(column: str, value, lang: str, names: dict[str, str]):
    """The machine cell as the readable sheet must hold it (written out here, not taken
    from the code under test)."""
    if value is None:
        return None
    if value == "x":
        return "隐去" if lang == "zh-CN" else "hidden"
    if column == "month":
        return datetime(int(value[:4]), int(value[5:7]), 1)
    if column.endswith("_fen"):
        return value / 100
    if column.endswith("_bps"):
        return value / 10000
    if column == "destination":
        return names[value]
    if column == "channel":
        return CHANNELS[lang][value]
    return value


def _format(column: str, lang: str) -> str:
    if column == "month":
        return 'yyyy"年"m"月"' if lang == "zh-CN" else "mmm yyyy"
    if column.endswith("_fen"):
        return "#,##0.00"
    if column.endswith("_bps"):
        return "0.0%"
    if column == "alos_nights":
        return "0.00"
    if column == "satisfaction_index" or column.startswith("aspect_"):
        return "0.0"
    return "#,##0"


def _plain(value) -> str:
    """A cell as text, a number as its value (Excel reads 13.0 back as 13)."""
    if value is None:
        return ""
    try:
        return repr(float(value))
    except ValueError:
        return str(value)


def _check(content: bytes, csv_text: str, lang: str, names: dict[str, str], by: list[str]):
    """Both sheets of the workbook against the CSV (the machine table) and each other;
    answers the readable sheet."""
    book = load_workbook(io.BytesIO(content))
    readable_title = "旅居康养统计与评估" if lang == "zh-CN" else "Sojourn-wellness reports"
    assert book.sheetnames == [readable_title, "measures"] and book.active.title == readable_title
    machine = [list(r) for r in book["measures"].iter_rows(values_only=True)]
    table = list(csv.reader(io.StringIO(csv_text.removeprefix("\ufeff"))))
    assert machine[0] == table[0]  # the contract: the CSV's columns, codes
    assert [[_plain(v) for v in r] for r in machine] == [[_plain(v) for v in r] for r in table]
    sheet = book[readable_title]
    assert sheet.freeze_panes == "A3" and all(c.font.b for c in sheet[2])
    columns = machine[0]
    assert len(sheet[2]) == len(columns)
    data = list(sheet.iter_rows(min_row=3))
    assert len(data) == len(machine) - 1
    for line, cells in zip(machine[1:], data, strict=True):
        is_total = line[0] == "total"
        for j, (column, value, cell) in enumerate(zip(columns, line, cells, strict=True)):
            if is_total and j < len(by):
                total_word = "合计" if lang == "zh-CN" else "Total"
                assert cell.value == (total_word if j == 0 else None)
                continue
            assert cell.value == _expected(column, value, lang, names), (column, value)
            if isinstance(cell.value, int | float | datetime):
                assert cell.number_format == _format(column, lang), column
    # columns wide enough for their header (a CJK character takes two)
    for cell in sheet[2]:
        width = sheet.column_dimensions[cell.column_letter].width
        shown = sum(2 if ord(ch) > 0x2E80 else 1 for ch in cell.value)
        assert width >= min(40, shown), (cell.value, width)
    return sheet


def test_the_api_workbook_reads_in_chinese_and_keeps_the_machine_sheet(db, client, province):
    h = province.province.headers
    q = f"{M}?from=2026-01-01&to=2026-12-31&by=month&by=destination&audience=public"
    csv_text = client.get(q + "&format=csv", headers=h).content.decode("utf-8")
    answer = client.get(q + "&format=xlsx", headers=h)
    assert answer.headers["content-type"].startswith("application/vnd.openxmlformats")
    sheet = _check(answer.content, csv_text, "zh-CN", _names(db, "zh-CN"), ["month", "destination"])
    assert sheet["A1"].value == (
        "旅居康养统计与评估 · 主要指标　2026-01-01 至 2026-12-31　分组：月份、目的地"
        f"　对外版：少于5人的格隐去　数据截至 {R.TODAY.isoformat()}"
    )
    headers = {c: cell.value for c, cell in zip(
        next(load_workbook(io.BytesIO(answer.content))["measures"].iter_rows(values_only=True)),
        sheet[2], strict=True)}  # fmt: skip
    for code, words in ZH.items():
        if code in headers:
            assert headers[code] == words
    values = [c.value for row in sheet.iter_rows(min_row=3) for c in row]
    assert "隐去" in values  # small cells hidden, said in words
    assert any(isinstance(v, float) and v != int(v) for v in values)  # yuan with fen


def test_the_api_workbook_speaks_english_by_accept_language(db, client, province):
    h = {**province.province.headers, "Accept-Language": "en"}
    q = f"{M}?from=2026-01-01&to=2026-12-31&by=month&by=channel"
    csv_text = client.get(q + "&format=csv", headers=h).content.decode("utf-8")
    content = client.get(q + "&format=xlsx", headers=h).content
    sheet = _check(content, csv_text, "en", _names(db, "en"), ["month", "channel"])
    title = sheet["A1"].value
    assert title.startswith("Sojourn-wellness reports · Measures · 2026-01-01 to 2026-12-31")
    assert "Group by: Month, Channel" in title and "In full, department only" in title
    assert f"Figures as of {R.TODAY.isoformat()}" in title
    headers = [c.value for c in sheet[2]]
    assert all(words in headers for words in EN.values())


def test_the_console_export_is_the_same_workbook_in_the_page_language(db, client, province):
    assert log_in(client, province.province.login).status_code == 303
    q = "from=2026-01-01&to=2026-06-30&by=destination&audience=province"
    csv_text = client.get(f"/console/reports/export.csv?{q}").content.decode("utf-8")
    zh = client.get(f"/console/reports/export.xlsx?{q}").content
    _check(zh, csv_text, "zh-CN", _names(db, "zh-CN"), ["destination"])
    en = client.get(f"/console/reports/export.xlsx?{q}", headers={"Accept-Language": "en"})
    sheet = _check(en.content, csv_text, "en", _names(db, "en"), ["destination"])
    assert f"Figures as of {R.TODAY.isoformat()}" in sheet["A1"].value
    # the API's workbook for the same report, in the same language: the same bytes
    api = client.get(f"{M}?{q}&format=xlsx", headers={**province.province.headers,
                                                       "Accept-Language": "en"})  # fmt: skip
    assert api.content == en.content
