"""The console's report pages: measures with filters, chart and exports, the targets and
the directory, the printable yearly evaluation with its SVG charts and its PDF; for the
province and for an operator (its destination only, small cells blanked)."""

import io
import re
from collections import Counter

import pytest
from openpyxl import load_workbook

from tests.support import reports as R
from tests.support.clock import FixedClock
from tests.support.console import log_in


@pytest.fixture
def province(db, app):
    app.state.clock = FixedClock.on(R.TODAY)
    return R.build(db, scale=0.6)


def test_the_province_reads_filters_and_exports(client, province):
    assert log_in(client, province.province.login).status_code == 303
    page = client.get("/console/reports?from=2026-01-01&to=2026-12-31&by=month&by=pilot_kind")
    assert page.status_code == 200, page.text
    html = page.text
    assert (
        "2026年7月" in html
        and "旅居养老机构" in html
        and 'src="/console/reports/chart.svg?' in html
    )
    for slug in ("forest-a", "spring-b", "care-c", "snow-d"):
        assert f"/console/evaluation/{province.destination_ids[slug]}?year=2026" in html
    chart = client.get("/console/reports/chart.svg?from=2026-01-01&to=2026-12-31&by=month")
    assert chart.headers["content-type"] == "image/svg+xml" and b"<script" not in chart.content
    full = client.get("/console/reports/export.xlsx?from=2026-01-01&to=2026-12-31&by=destination"
                      "&audience=province")  # fmt: skip
    public = client.get("/console/reports/export.csv?from=2026-01-01&to=2026-12-31&by=month"
                        "&by=destination")  # fmt: skip
    assert load_workbook(io.BytesIO(full.content))["measures"]["A2"].value == "forest-a"
    assert ",x," in public.content.decode("utf-8-sig")
    bad = client.get("/console/reports?from=2026-05-01&to=2026-04-01")
    assert bad.status_code == 422 and 'id="to-error"' in bad.text


def test_months_read_in_the_page_language_and_stay_iso_in_exports(client, province):
    """The table and the chart say a month as the page's language does (2026年7月, Jul
    2026), one formatter for both; the CSV and the spreadsheet keep 2026-07 for
    machines."""
    assert log_in(client, province.province.login).status_code == 303
    q = "from=2026-01-01&to=2026-12-31&by=month"
    zh = client.get(f"/console/reports?{q}").text
    assert '<th scope="row">2026年7月</th>' in zh and ">2026-07<" not in zh
    en = client.get(f"/console/reports?{q}", headers={"Accept-Language": "en"}).text
    assert '<th scope="row">Jul 2026</th>' in en and ">2026-07<" not in en
    chart = client.get(f"/console/reports/chart.svg?{q}").content.decode()
    assert "2026年7月" in chart and "2026-07" not in chart
    chart_en = client.get(f"/console/reports/chart.svg?{q}", headers={"Accept-Language": "en"})
    assert "Jul 2026" in chart_en.content.decode()
    csv = client.get(f"/console/reports/export.csv?{q}&audience=province").content
    assert "\n2026-07," in csv.decode("utf-8-sig") and "2026年" not in csv.decode("utf-8-sig")
    xlsx = client.get(f"/console/reports/export.xlsx?{q}&audience=province").content
    column = [c.value for c in load_workbook(io.BytesIO(xlsx))["measures"]["A"]]
    assert "2026-07" in column and not any("年" in str(v) for v in column)


def _name_zh(db, slug: str) -> str:
    with db.engine.connect() as conn:
        return conn.exec_driver_sql(
            f"SELECT name_zh FROM destination WHERE slug = '{slug}'"
        ).scalar()


def test_an_operator_sees_its_own_destination_with_small_cells_blanked(db, client, province):
    assert log_in(client, province.operator.login).status_code == 303
    html = client.get("/console/reports?from=2026-01-01&to=2026-12-31&by=destination").text
    assert f'<th scope="row">{_name_zh(db, "forest-a")}</th>' in html
    assert all(f">{_name_zh(db, slug)}<" not in html for slug in ("care-c", "spring-b"))
    other = province.destination_ids["care-c"]
    assert client.get(f"/console/evaluation/{other}?year=2026").status_code == 404
    q = "from=2026-01-01&to=2026-01-10&by=month"
    export = client.get(f"/console/reports/export.csv?{q}")
    assert ",x," in export.content.decode("utf-8-sig")  # an operator's export always leaves
    # the full report is the province's: asked for, it is refused (it was the public one)
    assert client.get(f"/console/reports/export.csv?{q}&audience=province").status_code == 403


def test_the_yearly_evaluation_prints_with_charts_and_a_pdf(db, client, province):
    assert log_in(client, province.province.login).status_code == 303
    d = province.destination_ids["forest-a"]
    page = client.get(f"/console/evaluation/{d}?year=2026")
    assert page.status_code == 200
    for chart in ("occupancy", "person_nights", "aspects"):
        assert f"/console/evaluation/{d}/{chart}.svg?year=2026" in page.text
        svg = client.get(f"/console/evaluation/{d}/{chart}.svg?year=2026")
        assert svg.headers["content-type"] == "image/svg+xml"
        assert b"<svg" in svg.content and b"<script" not in svg.content
    assert "2025" in page.text  # against last year
    with db.engine.connect() as conn:
        comment = conn.exec_driver_sql(
            "SELECT s.comment FROM survey_response s JOIN booking_item i"
            " ON i.id = s.booking_item_id JOIN product p ON p.id = i.product_id"
            f" WHERE p.destination_id = {d} AND s.comment <> '' LIMIT 1"
        ).scalar()
    assert comment and comment in page.text
    pdf = client.get(f"/console/evaluation/{d}/evaluation.pdf?year=2026")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-") and len(pdf.content) > 5000


def test_the_evaluation_chooses_its_year_on_the_page(client, province):
    """Another year's evaluation was reached only by editing the address (and a year
    typed wrong there was the generic "something in the link" page): the page chooses
    among this year and the five before, the year shown selected, by a GET form whose
    address is the year's."""
    assert log_in(client, province.province.login).status_code == 303
    d = province.destination_ids["forest-a"]
    for lang, legend in (("zh-CN", "查看其他年度"), ("en", "Another year")):
        html = client.get(f"/console/evaluation/{d}?year=2026", headers={"Accept-Language": lang})
        form = re.search(rf'<form class="no-print" method="get" action="/console/evaluation/{d}">'
                         r"(.*?)</form>", html.text, re.S)  # fmt: skip
        assert form and legend in form.group(1)
        years = re.findall(r'<option value="(\d+)"( selected)?>', form.group(1))
        assert years == [(str(y), " selected" if y == 2026 else "") for y in range(2027, 2021, -1)]
    older = client.get(f"/console/evaluation/{d}", params={"year": "2022"})
    assert older.status_code == 200 and "2022年度评估" in older.text
    assert '<option value="2022" selected>' in older.text


@pytest.fixture
def quiet(db, app):
    """A province of few bookings: forest-a's 2026 counts 2 stays of 3 people."""
    app.state.clock = FixedClock.on(R.TODAY)
    return R.build(db, scale=0.02)


def _counted(db, destination_id: int) -> tuple[int, int]:
    """(person-trips, survey answers) of the destination's 2026 arrivals, from the rows."""
    with db.engine.connect() as conn:
        return conn.exec_driver_sql(
            "SELECT coalesce(sum(i.guests), 0), count(s.id) FROM booking_item i"
            " JOIN booking b ON b.id = i.booking_id JOIN product p ON p.id = i.product_id"
            " LEFT JOIN survey_response s ON s.booking_item_id = i.id"
            f" WHERE p.destination_id = {destination_id}"
            " AND b.status IN ('confirmed', 'completed') AND i.stay_status <> 'no_show'"
            " AND i.check_in BETWEEN '2026-01-01' AND '2026-12-31'"
        ).one()


def _measure_cells(html: str, label: str) -> list[str]:
    """The evaluation table's two figures (this year, last year) of the measure ``label``."""
    row = re.search(rf'<tr><th scope="row">{re.escape(label)}</th>(.*?)</tr>', html, re.S)
    assert row, label
    return [c.strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)]


def test_an_operator_s_evaluation_hides_what_its_reports_hide(db, client, quiet, monkeypatch):
    """The yearly evaluation and its PDF show an operator what its reports show it: a
    year of fewer than 5 people is hidden (隐去) in the table, the charts' figures, the
    satisfaction and the comments' scores, by the reports' one rule; the province sees
    the same page in full."""
    from service.reports import evaluation

    d = quiet.destination_ids["forest-a"]
    trips, answers = _counted(db, d)
    assert 0 < trips < 5 and answers >= 1  # the data this test is about
    api = client.get(
        f"/v1/reports/measures?from=2026-01-01&to=2026-12-31&destination_id={d}",
        headers=quiet.operator.headers,
    ).json()
    assert api["total"]["person_trips"] is None and api["total"]["revenue_fen"] is None
    shown: dict[str, str] = {}

    def pdf(html, charts, base_url, static):  # the page the PDF is printed from
        shown["html"], shown["charts"] = html, charts
        return b"%PDF-1.7 test"

    monkeypatch.setattr(evaluation, "pdf", pdf)
    assert log_in(client, quiet.operator.login).status_code == 303
    page = client.get(f"/console/evaluation/{d}?year=2026")
    assert page.status_code == 200
    assert client.get(f"/console/evaluation/{d}/evaluation.pdf?year=2026").status_code == 200
    for html in (page.text, shown["html"]):
        for label in ("人次", "人天", "收入", "平均房价", "出租率", "满意度指数", "评价份数"):
            assert _measure_cells(html, label)[0] == "隐去", label
        assert _measure_cells(html, "人次")[1] == "0"  # 2025 had no one: nothing to hide
        assert "满意度指数: 隐去" in html and "/5 ·" not in html  # no answer's score
    for name in ("person_nights", "aspects"):  # nothing of the hidden year is drawn
        svg = client.get(f"/console/evaluation/{d}/{name}.svg?year=2026").content.decode()
        assert "暂无数据" in svg and "暂无数据" in shown["charts"][name].decode(), name
    english = client.get(f"/console/evaluation/{d}?year=2026", headers={"Accept-Language": "en"})
    assert _measure_cells(english.text, "Person-trips")[0] == "hidden"
    assert log_in(client, quiet.province.login).status_code == 303
    full = client.get(f"/console/evaluation/{d}?year=2026").text
    assert _measure_cells(full, "人次")[0] == f"{trips:,}"
    assert "/5 ·" in full and ">隐去</td>" not in full


def test_a_comment_keeps_its_score_only_where_its_month_shows_its_answers(db, client, province):
    """A comment's score is one survey answer: an operator sees it only in a month whose
    answers its reports show (5 or more); in a month of 1 to 4 answers the comment is
    shown without it."""
    d = province.destination_ids["forest-a"]
    with db.engine.connect() as conn:
        days = conn.exec_driver_sql(
            "SELECT i.check_in FROM survey_response s"
            " JOIN booking_item i ON i.id = s.booking_item_id"
            " JOIN product p ON p.id = i.product_id"
            f" WHERE p.destination_id = {d}"
            " AND i.check_in BETWEEN '2026-01-01' AND '2026-12-31'"
        ).all()
    answers = Counter(R._d(day).month for (day,) in days)
    assert log_in(client, province.operator.login).status_code == 303
    page = client.get(f"/console/evaluation/{d}?year=2026").text
    said = re.findall(r"<li>(\d+)月( · \d/5)? · ", page)
    assert said and any(0 < answers[int(m)] < 5 for m, _ in said)  # the case this is about
    for month, score in said:
        if answers[int(month)] < 5:
            assert not score, month
    assert log_in(client, province.province.login).status_code == 303
    full = client.get(f"/console/evaluation/{d}?year=2026").text
    assert all(score for _, score in re.findall(r"<li>(\d+)月( · \d/5)? · ", full))


def test_the_console_names_an_export_as_the_api_does(client, province):
    """The console's export is named by what it holds, as ``GET /v1/reports/measures``
    names it (``spreadsheet.attachment`` of the report's parameters): its grouping, and
    ``-public`` on the one with small cells hidden. Until December 2026 every console
    export of a range was ``measures-<from>-<to>.xlsx``: the province's full workbook and
    its public one downloaded side by side were told apart only by the browser's "(1)",
    and the one to publish could be the full one."""
    assert log_in(client, province.province.login).status_code == 303
    q = "from=2026-01-01&to=2026-12-31&by=month&by=channel"
    named = {}
    for fmt, audience in (("xlsx", "province"), ("xlsx", "public"), ("csv", "public")):
        page = client.get(f"/console/reports/export.{fmt}?{q}&audience={audience}")
        api = client.get(f"/v1/reports/measures?{q}&format={fmt}&audience={audience}",
                         headers=province.province.headers)  # fmt: skip
        assert page.status_code == api.status_code == 200
        named[fmt, audience] = page.headers["content-disposition"]
        assert named[fmt, audience] == api.headers["content-disposition"]
    assert named["xlsx", "public"] == (
        'attachment; filename="measures-2026-01-01-2026-12-31-month+channel-10-public.xlsx"'
    )
    assert (
        "public" not in named["xlsx", "province"] and "month+channel" in named["xlsx", "province"]
    )


@pytest.mark.parametrize(
    "lang, said", [("zh-CN", "目标新增 30,000 张"), ("en", "target 30,000 new")]
)
def test_the_beds_line_groups_thousands_as_the_table_does(client, province, lang, said):
    """The targets' beds line writes its counts as every other figure of the page
    (``fmt_measure``: 3,140,496), not 「目标新增 30000 张」 beside 「3,800,000」."""
    assert log_in(client, province.province.login).status_code == 303
    client.cookies.set("lang", lang)
    page = client.get("/console/reports?from=2026-01-01&to=2026-12-31").text
    assert said in page, page
