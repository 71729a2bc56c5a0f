"""The front desk's arrivals and departures (``GET /v1/admin/arrivals``): one row per
stay of the operator's that checks in or out within the days, as JSON, CSV and Excel
(read back, the Excel with openpyxl); names and phones in clear to the operator of the
booked destination only, masked for the province; no shared cache keeps the file; a
cell a spreadsheet would run is made text; bad inputs are problems naming the field in
the caller's language."""

import csv
import io
from datetime import datetime, timedelta

import pytest
from openpyxl import load_workbook

from service.auth import ANONYMOUS
from service.clock import SHANGHAI
from service.logs import mask_name, mask_phone
from service.operators.arrivals import COLUMNS
from tests.service.booking_support import LEAD, book_in_service, item, make_quote
from tests.support.clock import FixedClock
from tests.support.operators import FIRST, world

EN, ZH = {"Accept-Language": "en"}, {"Accept-Language": "zh-CN"}
PHONE = "+86 138 0013 8000"
DAY = FIRST + timedelta(days=2)  # the first nights on sale are FIRST's


def _book(db, product_id, check_in, nights, **kw):
    quote = make_quote(db, ANONYMOUS, item(product_id, check_in=check_in, nights=nights))
    return book_in_service(db, ANONYMOUS, quote, **kw)


def _days(first, last, **more):
    return {"from": first.isoformat(), "to": last.isoformat(), **more}


@pytest.fixture
def desk(db):
    """A: one stay arriving on DAY (3 nights), one leaving on DAY (arrived two days
    before), one far later; B: one arriving on DAY."""
    w = world(db)
    refs = {
        "arrives": _book(db, w.a.product_id, DAY, 3),
        "leaves": _book(db, w.a.product_id, DAY - timedelta(days=2), 2),
        "later": _book(db, w.a.product_id, DAY + timedelta(days=40), 2),
        "other": _book(db, w.b.product_id, DAY, 2),
    }
    assert all(r.startswith("JL-") for r in refs.values()), refs
    return w, refs


def test_json_csv_and_xlsx_hold_the_same_rows_with_names_in_clear(db, client, desk):
    w, refs = desk
    days = _days(DAY, DAY + timedelta(days=2))
    r = client.get("/v1/admin/arrivals", params=days, headers={**w.a.admin.headers, **EN})
    assert r.status_code == 200, r.text
    assert r.headers["cache-control"] == "private, no-store"
    rows = r.json()["items"]
    # by check-in: the stay that arrived the day before (leaving in range) first
    assert [(x["reference"], x["movement"]) for x in rows] == [
        (refs["leaves"], "departure"),
        (refs["arrives"], "arrival"),
    ]
    arrives = rows[1]
    assert arrives["lead_name"] == LEAD["name"] and arrives["lead_phone"] == LEAD["phone"]
    assert arrives["guest_names"] == "王秀兰; 李建国"
    assert (arrives["nights"], arrives["units"], arrives["status"], arrives["stay_status"]) == (
        3,
        1,
        "confirmed",
        "expected",
    )
    assert arrives["check_in"] == DAY.isoformat()

    c = client.get(
        "/v1/admin/arrivals", params={**days, "format": "csv"}, headers=w.a.admin.headers
    )
    assert c.status_code == 200 and c.headers["content-type"].startswith("text/csv")
    assert c.headers["cache-control"] == "private, no-store"
    name = f"arrivals-{DAY}-{DAY + timedelta(days=2)}.csv"
    assert c.headers["content-disposition"] == f'attachment; filename="{name}"'
    text = c.content.decode("utf-8")
    assert text.startswith("\ufeff")
    table = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert table[0] == list(COLUMNS)
    # the CSV in the token's language (zh-CN by default) names the product in Chinese
    zh_rows = client.get("/v1/admin/arrivals", params=days, headers=w.a.admin.headers).json()
    assert table[1:] == [[str(x[k]) for k in COLUMNS] for x in zh_rows["items"]]

    x = client.get(
        "/v1/admin/arrivals", params={**days, "format": "xlsx"}, headers=w.a.admin.headers
    )
    assert x.status_code == 200 and x.headers["cache-control"] == "private, no-store"
    assert x.headers["content-disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(x.content))["arrivals"]  # the machine sheet
    values = [
        [("" if v is None else str(v)) for v in row] for row in sheet.iter_rows(values_only=True)
    ]
    assert values == table


def test_the_province_reads_names_and_phones_masked(db, client, desk):
    w, refs = desk
    days = _days(DAY, DAY)
    r = client.get("/v1/admin/arrivals", params={**days, "format": "csv"},
                   headers=w.province.headers)  # fmt: skip
    assert r.status_code == 200
    text = r.content.decode("utf-8")
    assert LEAD["phone"] not in text and LEAD["name"] not in text
    assert mask_phone(LEAD["phone"]) in text and mask_name(LEAD["name"]) in text
    # every destination's arrivals, the province's scope
    assert refs["arrives"] in text and refs["other"] in text
    # an operator sees only its own
    own = client.get("/v1/admin/arrivals", params=days, headers=w.a.staff.headers).json()
    assert [x["reference"] for x in own["items"]] == [refs["leaves"], refs["arrives"]]


def test_a_cell_a_spreadsheet_would_run_is_made_text(db, client):
    w = world(db)
    lead = {"name": "=HYPERLINK(1)", "phone": PHONE}
    ref = _book(
        db, w.a.product_id, DAY, 2, lead=lead, guests=[{"name": lead["name"]}, {"name": "@SUM(A1)"}]
    )
    assert ref.startswith("JL-"), ref
    days = _days(DAY, DAY)
    c = client.get("/v1/admin/arrivals", params={**days, "format": "csv"},
                   headers=w.a.admin.headers)  # fmt: skip
    row = list(csv.reader(io.StringIO(c.content.decode().removeprefix("\ufeff"))))[1]
    assert row[0] == ref
    assert row[COLUMNS.index("lead_name")] == "'=HYPERLINK(1)"
    assert row[COLUMNS.index("lead_phone")] == "'" + PHONE
    assert row[COLUMNS.index("guest_names")] == "'=HYPERLINK(1); @SUM(A1)"
    x = client.get("/v1/admin/arrivals", params={**days, "format": "xlsx"},
                   headers=w.a.admin.headers)  # fmt: skip
    book = load_workbook(io.BytesIO(x.content))
    cells = list(book["arrivals"].iter_rows(values_only=True))[1]
    assert cells[COLUMNS.index("lead_name")] == "'=HYPERLINK(1)"
    readable = list(book.worksheets[0].iter_rows(values_only=True))[2]
    assert readable[COLUMNS.index("lead_name")] == "'=HYPERLINK(1)"


@pytest.mark.parametrize(
    ("params", "status", "code", "field", "en", "zh"),
    [
        (_days(DAY + timedelta(days=1), DAY), 422, "invalid_range", "to",
         "cannot be before the start date", "不能早于开始日期"),
        (_days(DAY, DAY + timedelta(days=31)), 422, "range_too_long", "to",
         "At most 31 days at once.", "一次最多 31 天。"),
        (_days(DAY, DAY, format="pdf"), 422, "validation_error", "format", None, None),
        (_days(DAY, DAY, status="lost"), 422, "validation_error", "status", None, None),
        ({"from": "2027-02-30", "to": "2027-03-01"}, 422, "validation_error", "from", None, None),
        ({"to": "2027-03-01"}, 422, "validation_error", "from", None, None),
    ],
)  # fmt: skip
def test_bad_inputs_are_problems_naming_the_field(db, client, params, status, code, field, en, zh):
    w = world(db)
    for lang, words in ((EN, en), (ZH, zh)):
        r = client.get("/v1/admin/arrivals", params=params, headers={**w.a.admin.headers, **lang})
        assert r.status_code == status, r.text
        assert r.headers["content-type"].startswith("application/problem+json")
        body = r.json()
        assert (body["code"], body["field"]) == (code, field)
        if words:
            assert words in body["detail"]


def test_a_destination_not_yours_is_404_as_an_unknown_one(db, client, desk):
    w, _ = desk
    for destination_id in (w.b.destination_id, 999_999):
        params = _days(DAY, DAY, destination_id=destination_id, format="csv")
        r = client.get("/v1/admin/arrivals", headers=w.a.admin.headers, params=params)
        assert r.status_code == 404, r.text
        assert r.json()["field"] == "destination_id"
    ok = client.get(
        "/v1/admin/arrivals",
        params=_days(DAY, DAY, destination_id=w.a.destination_id),
        headers=w.a.admin.headers,
    )
    assert ok.status_code == 200 and len(ok.json()["items"]) == 2
    # 31 days, both ends included, is the most
    longest = client.get("/v1/admin/arrivals", params=_days(DAY, DAY + timedelta(days=30)),
                         headers=w.a.admin.headers)  # fmt: skip
    assert longest.status_code == 200
    assert len(longest.json()["items"]) == 2  # the later stay is 40 days on


# What the readable sheet says, by language: its name, the headers, a row's words.
READABLE = {
    "zh-CN": {
        "sheet": "到离店名单",
        "headers": ["预订号", "目的地", "产品", "入住日期", "离店日期", "晚数", "间数", "人数",
                    "到店/离店", "联系人", "手机号码", "同行人", "状态", "入住状态"],
        "words": ("到店", "离店", "已确认", "待入住"),
        "as_of": "制表时间 2026-12-08 09:30",
        "days": f"{DAY} 至 {DAY + timedelta(days=2)}",
    },
    "en": {
        "sheet": "Arrivals and departures",
        "headers": ["Reference", "Destination", "Product", "Check-in", "Check-out", "Nights",
                    "Rooms", "Guests", "Arrives / leaves", "Lead traveller", "Mobile number",
                    "Guests' names", "Status", "Stay status"],
        "words": ("Arrives", "Leaves", "Confirmed", "Expected"),
        "as_of": "As of 2026-12-08 09:30",
        "days": f"{DAY} to {DAY + timedelta(days=2)}",
    },
}  # fmt: skip


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_the_workbook_opens_on_a_readable_sheet_then_the_machine_one(db, client, desk, lang):
    w, refs = desk
    client.app.state.clock = FixedClock(datetime(2026, 12, 8, 9, 30, tzinfo=SHANGHAI))
    days = _days(DAY, DAY + timedelta(days=2))
    said = READABLE[lang]
    headers = {**w.a.admin.headers, "Accept-Language": lang}
    json_rows = client.get("/v1/admin/arrivals", params=days, headers=headers).json()["items"]
    csv_body = client.get("/v1/admin/arrivals", params={**days, "format": "csv"}, headers=headers)
    machine = list(csv.reader(io.StringIO(csv_body.content.decode().removeprefix("\ufeff"))))
    x = client.get("/v1/admin/arrivals", params={**days, "format": "xlsx"}, headers=headers)
    assert x.status_code == 200, x.text
    book = load_workbook(io.BytesIO(x.content))
    assert book.sheetnames == [said["sheet"], "arrivals"]
    assert book.active.title == said["sheet"]  # it opens on the readable sheet
    # the machine sheet is the CSV's table, as before
    kept = [["" if v is None else str(v) for v in row]
            for row in book["arrivals"].iter_rows(values_only=True)]  # fmt: skip
    assert kept == machine and machine[0] == list(COLUMNS)

    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    title = rows[0][0]
    for part in (said["sheet"], said["days"], said["as_of"]):
        assert part in title, title
    assert list(rows[1]) == said["headers"]
    assert sheet.freeze_panes == "A3" and all(c.font.b for c in sheet[2])
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1
    body = rows[2:]
    # the JSON's rows in the JSON's order, each said in words
    assert (
        [r[0] for r in body]
        == [x["reference"] for x in json_rows]
        == [refs["leaves"], refs["arrives"]]
    )
    arrival, leaving = (
        dict(zip(COLUMNS, body[1], strict=True)),
        dict(zip(COLUMNS, body[0], strict=True)),
    )
    assert arrival["check_in"] == datetime.combine(DAY, datetime.min.time())
    assert sheet.cell(row=4, column=COLUMNS.index("check_in") + 1).number_format == "yyyy-mm-dd"
    assert (arrival["nights"], arrival["units"], arrival["guests"]) == (3, 1, 2)
    arrives, leaves, confirmed, expected = said["words"]
    assert (arrival["movement"], leaving["movement"]) == (arrives, leaves)
    assert (arrival["status"], arrival["stay_status"]) == (confirmed, expected)
    assert arrival["lead_name"] == LEAD["name"] and arrival["lead_phone"] == LEAD["phone"]
    assert arrival["product"] == json_rows[1]["product"]
    # the destination by its name, the one the title names
    assert isinstance(arrival["destination_id"], str) and arrival["destination_id"] in title
    widths = [sheet.column_dimensions[c].width for c in "ABCDEFGHIJKLMN"]
    assert all(8 <= width <= 40 for width in widths), widths
