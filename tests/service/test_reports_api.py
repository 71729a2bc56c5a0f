"""The reports' contract: bad input names its field, scope, exports (CSV, Excel, small
cells suppressed outside the province), targets and directory, closed years."""

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from tests.support import reports as R
from tests.support.clock import FixedClock

M = "/v1/reports/measures"


@pytest.fixture
def province(db, app):
    app.state.clock = FixedClock.on(R.TODAY)
    return R.build(db, scale=0.6)


@pytest.mark.parametrize(
    ("query", "code", "field"),
    [
        ("from=2026-05-01&to=2026-04-30", "invalid_range", "to"),
        ("from=2026-01-01&to=2026-12-31&by=month&by=weather", "unknown_dimension", "by[1]"),
        (
            "from=2026-01-01&to=2026-12-31&by=month&by=theme&by=channel",
            "too_many_dimensions",
            "by",
        ),  # fmt: skip
        ("from=2020-01-01&to=2026-12-31", "range_too_long", "to"),
        ("from=2026-13-01&to=2026-12-31", "validation_error", "from"),
        ("from=2026-01-01&to=2026-12-31&format=pdf", "validation_error", "format"),
    ],
)
def test_bad_input_is_a_422_naming_the_field(client, province, query, code, field):
    r = client.get(f"{M}?{query}", headers=province.province.headers)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert (r.json()["code"], r.json()["field"]) == (code, field)


def test_reports_need_an_operator_token_and_respect_the_scope(client, province):
    assert client.get(f"{M}?from=2026-01-01&to=2026-01-31").status_code == 401
    other = province.destination_ids["care-c"]
    r = client.get(
        f"{M}?from=2026-01-01&to=2026-01-31&destination_id={other}",
        headers=province.operator.headers,
    )
    assert r.status_code == 404
    pilots = client.get("/v1/reports/pilots?year=2026", headers=province.operator.headers)
    assert [p["slug"] for p in pilots.json()["items"]] == ["forest-a"]


def test_csv_and_excel_carry_the_same_table_and_suppress_small_cells_outside(client, province):
    q = f"{M}?from=2026-01-01&to=2026-12-31&by=month&by=destination"
    h = province.province.headers
    full = client.get(q, headers=h).json()
    small = [r for r in full["rows"] if 0 < r["person_trips"] < 5]
    assert small, "the generated year has months with fewer than 5 people somewhere"
    csv_in = client.get(q + "&format=csv", headers=h)
    assert csv_in.headers["content-type"].startswith("text/csv")
    lines = csv_in.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("month,destination,stays,person_trips")
    assert len(lines) == len(full["rows"]) + 2 and lines[-1].startswith("total,")
    assert ",x," not in csv_in.text
    public = client.get(q + "&format=csv&audience=public", headers=h).content.decode("utf-8-sig")
    row = small[0]
    head = f"{row['group']['month']},{row['group']['destination']},"
    line = next(x for x in public.splitlines() if x.startswith(head))
    assert line.split(",")[2:5] == ["x", "x", "x"]  # stays, person-trips, person-nights
    xlsx = client.get(q + "&format=xlsx&audience=public", headers=h)
    sheet = load_workbook(io.BytesIO(xlsx.content))["measures"]
    cells = [[c.value for c in r] for r in sheet.iter_rows()]
    assert cells[0] == public.splitlines()[0].split(",")
    assert len(cells) == len(lines)
    # an operator's export always leaves the province: suppressed whatever it asks
    op = client.get(q + "&format=csv", headers=province.operator.headers).text
    assert "forest-a" in op and "care-c" not in op


# Every measure of the bookings a row's stays count (docs/metrics.md, "Small cells").
BOOKING_MEASURES = ("stays", "person_trips", "person_nights", "unit_nights_sold",
                    "bed_nights_sold", "revenue_fen", "adr_fen", "revpar_fen",
                    "occupancy_bps", "bed_occupancy_bps", "alos_nights")  # fmt: skip


def _published(body: dict) -> set:
    return {v for r in [*body["rows"], body["total"]] for v in r.values() if isinstance(v, int)}


def test_a_public_report_gives_no_measure_of_a_few_bookings_back(client, province):
    """Newcomer finding 1: a public row hid its people but published the revenue,
    unit- and bed-nights of its one booking, which the public price calendar turns back
    into the party. Now every measure of a cell of 1 to 4 stays or people is hidden
    (JSON null and listed, CSV x), the province's own report keeps them, and a single
    booking's revenue is neither published nor a line's sum less its visible cells."""
    h = province.province.headers
    q = f"{M}?from=2026-01-01&to=2026-12-31&by=month&by=theme"
    full = client.get(q, headers=h).json()
    public = client.get(q + "&audience=public", headers=h).json()
    assert (full["audience"], public["audience"]) == ("province", "public")
    few = [k for k, r in enumerate(full["rows"]) if 0 < r["stays"] < 5 or 0 < r["person_trips"] < 5]
    lone = [k for k in few if full["rows"][k]["stays"] == 1]
    assert lone, "the generated year has a month of one booking of some theme"
    for k in few:
        kept, row = full["rows"][k], public["rows"][k]
        assert row["group"] == kept["group"]
        assert kept["revenue_fen"] > 0 and kept["unit_nights_sold"] > 0  # the province's
        assert all(row[n] is None for n in BOOKING_MEASURES), row
        assert set(BOOKING_MEASURES) <= set(row["suppressed"])
    csv = client.get(q + "&format=csv&audience=public", headers=h).content.decode("utf-8-sig")
    head, *lines = csv.splitlines()
    columns = head.split(",")
    for k in few:
        cells = dict(zip(columns, lines[k].split(","), strict=True))
        assert {cells[n] for n in BOOKING_MEASURES} == {"x"}, cells
    # each line hides none or at least two cells (the two-way table's months and
    # themes), so subtraction gives no cell back
    sums = {d: client.get(f"{M}?from=2026-01-01&to=2026-12-31&by={d}&audience=public",
                          headers=h).json() for d in ("month", "theme")}  # fmt: skip
    for k in lone:
        revenue = full["rows"][k]["revenue_fen"]
        assert revenue not in _published(public) | _published(sums["month"])
        for d, one_way in sums.items():
            value = public["rows"][k]["group"][d]
            line = [r for r in public["rows"] if r["group"][d] == value]
            assert sum(r["revenue_fen"] is None for r in line) >= 2
            shown = next(r for r in one_way["rows"] if r["group"][d] == value)
            if shown["revenue_fen"] is not None:
                rest = sum(r["revenue_fen"] for r in line if r["revenue_fen"] is not None)
                assert shown["revenue_fen"] - rest != revenue
    # an operator's report leaves the province: the same rule
    mine = client.get(f"{M}?from=2026-01-01&to=2026-12-31&by=month",
                      headers=province.operator.headers).json()  # fmt: skip
    for row in mine["rows"]:
        if row["person_trips"] is None:
            assert all(row[n] is None for n in BOOKING_MEASURES)


def test_targets_and_the_directory(client, province):
    h = province.province.headers
    t = client.get("/v1/reports/targets?year=2026", headers=h).json()
    kinds = {k["pilot_kind"]: k for k in t["pilot_kinds"]}
    assert kinds["eldercare"]["target"] == 80 and kinds["village"]["reserve"] == 1
    assert kinds["resort"]["mature"] == 1 and kinds["resort"]["pilots"] == 1
    assert t["long_stay_path"] == 3_140_496 and t["long_stay_target_2028"] == 3_800_000
    # beds: Σ units × beds per unit of the products (2×6 + 4×3, 2×5, 1×8, 3×2 + 2×2)
    assert t["beds"] == 12 + 12 + 10 + 8 + 6 + 4
    total = client.get(f"{M}?from=2026-01-01&to=2026-12-31", headers=h).json()["total"]
    assert t["long_stay_person_trips"] == total["long_trip_person_trips"] > 0
    geo = client.get("/v1/reports/pilots?year=2026&format=geojson", headers=h)
    assert geo.headers["content-type"].startswith("application/geo+json")
    statuses = {f["properties"]["slug"]: f["properties"]["pilot_status"]
                for f in geo.json()["features"]}  # fmt: skip
    assert statuses == {"forest-a": "mature", "spring-b": "pilot", "care-c": "pilot",
                        "snow-d": "reserve"}  # fmt: skip


def test_a_closed_year_gives_the_same_bytes_after_bookings_change(db, client, province):
    h = province.province.headers
    queries = [
        f"{M}?from=2026-01-01&to=2026-12-31&by=month&by=pilot_kind",
        f"{M}?from=2026-01-01&to=2026-12-31&by=destination&format=csv",
        f"{M}?from=2026-03-01&to=2026-05-31&by=channel&format=xlsx",
        "/v1/reports/targets?year=2026",
        "/v1/reports/pilots?year=2026&format=csv",
    ]
    assert client.post("/v1/reports/closures", json={"year": 2027}, headers=h).status_code == 409
    refused = client.post("/v1/reports/closures", json={"year": 2026},
                          headers=province.operator.headers)  # fmt: skip
    assert refused.status_code == 403
    closed = client.post("/v1/reports/closures", json={"year": 2026}, headers=h)
    assert closed.status_code == 201 and closed.json()["stays"] > 0
    before = [client.get(q, headers=h).content for q in queries]
    # afterwards: bookings cancelled, a product's beds and a destination's status change
    with db.engine.begin() as conn:
        conn.exec_driver_sql(
            "UPDATE booking SET status = 'cancelled'"
            " WHERE id IN (SELECT id FROM booking ORDER BY id LIMIT 40)"
        )
        conn.exec_driver_sql("UPDATE product SET beds_per_unit = beds_per_unit + 1")
        conn.exec_driver_sql("UPDATE destination SET pilot_status = 'mature'")
        conn.exec_driver_sql(
            "UPDATE inventory_night SET stop_sell = true WHERE night < '2026-02-01'"
        )
    after = [client.get(q, headers=h).content for q in queries]
    assert after == before
    again = client.post("/v1/reports/closures", json={"year": 2026}, headers=h)
    assert again.status_code == 200 and again.json() == closed.json()  # the first closing
    (listed,) = client.get("/v1/reports/closures", headers=h).json()["items"]
    assert listed == closed.json()
    # an open range still sees the change
    live = client.get(f"{M}?from=2027-01-01&to=2027-01-31", headers=h).json()
    assert live["closed_years"] == [] and date.fromisoformat(live["as_of"]) == R.TODAY


def test_closing_an_empty_year_twice_answers_the_same_and_takes_only_an_integer(client, province):
    h = province.province.headers
    as_text = client.post("/v1/reports/closures", json={"year": "2025"}, headers=h)
    assert as_text.status_code == 422, as_text.text
    first = client.post("/v1/reports/closures", json={"year": 2025}, headers=h)
    assert first.status_code == 201, first.text
    assert (first.json()["stays"], first.json()["nights_on_sale"]) == (0, 0)
    again = client.post("/v1/reports/closures", json={"year": 2025}, headers=h)
    assert (again.status_code, again.json()) == (200, first.json())
    items = client.get("/v1/reports/closures", headers=h).json()["items"]
    assert [c for c in items if c["year"] == 2025] == [first.json()]


def test_an_export_is_named_by_what_it_holds_in_a_safe_file_name(client, province):
    from service.spreadsheet import attachment

    q = f"{M}?from=2026-01-01&to=2026-12-31&by=month&by=channel&format=xlsx&audience=public"
    r = client.get(q, headers=province.province.headers)
    assert r.status_code == 200
    assert r.headers["content-disposition"] == (
        'attachment; filename="measures-2026-01-01-2026-12-31-month+channel-10-public.xlsx"'
    )
    named = attachment("evaluation", "长白山", '"; x', 2026, ext="pdf")
    assert named == (
        'attachment; filename="evaluation-_-_x-2026.pdf"; '
        "filename*=UTF-8''evaluation-%E9%95%BF%E7%99%BD%E5%B1%B1-%22%3B%20x-2026.pdf"
    )


def _csv_rows(body: bytes) -> list[list[str]]:
    import csv

    return list(csv.reader(io.StringIO(body.decode("utf-8").removeprefix("\ufeff"))))


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return " ".join(
            ":".join(map(str, v.values())) if isinstance(v, dict) else str(v) for v in value
        )
    return str(value)


@pytest.mark.parametrize("year", [2026, 2027])
def test_the_targets_csv_and_excel_are_the_json_table_with_a_total_row(client, province, year):
    from service.reports.service import TARGET_KIND_COLUMNS, TARGET_TOTAL_COLUMNS

    h = province.province.headers
    t = client.get(f"/v1/reports/targets?year={year}", headers=h).json()
    lines = _csv_rows(client.get(f"/v1/reports/targets?year={year}&format=csv", headers=h).content)
    header, *kinds, total = lines
    assert header == [*TARGET_KIND_COLUMNS, *TARGET_TOTAL_COLUMNS]
    assert "beds" in header and "beds_target" in header and "long_stay_path" in header
    assert kinds == [
        [_text(k.get(c)) for c in header] for k in t["pilot_kinds"]
    ]  # the kinds' rows, the year's figures blank there
    assert total[0] == "total"
    assert total[len(TARGET_KIND_COLUMNS) :] == [_text(t[c]) for c in TARGET_TOTAL_COLUMNS]
    xlsx = client.get(f"/v1/reports/targets?year={year}&format=xlsx", headers=h).content
    sheet = [
        ["" if v is None else _text(v) for v in row]
        for row in load_workbook(io.BytesIO(xlsx)).active.iter_rows(values_only=True)
    ]
    assert sheet == lines


def test_the_directory_csv_is_its_json_items(client, province):
    from service.reports.service import PILOT_COLUMNS

    h = province.province.headers
    items = client.get("/v1/reports/pilots?year=2026", headers=h).json()["items"]
    header, *rows = _csv_rows(
        client.get("/v1/reports/pilots?year=2026&format=csv", headers=h).content
    )
    assert header == PILOT_COLUMNS
    assert rows == [[_text(i[c]) for c in header] for i in items]


def test_the_openapi_csv_examples_are_each_reports_own_table(client):
    spec = client.get("/openapi.json").json()
    header = {
        path: spec["paths"][path]["get"]["responses"]["200"]["content"]["text/csv"][
            "example"
        ].splitlines()[0]
        for path in ("/v1/reports/measures", "/v1/reports/targets", "/v1/reports/pilots")
    }
    assert len(set(header.values())) == 3
    assert header["/v1/reports/targets"].startswith("pilot_kind,target,")
    assert "beds_target" in header["/v1/reports/targets"]
    assert header["/v1/reports/pilots"].startswith("slug,name_zh,")
