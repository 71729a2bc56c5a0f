"""The reports page's filters: a date cleared, impossible or outside the service's years
is said beside its field in the page's language, with what was typed kept, as every
console date is read (``forms.day``); a reversed range in the console's words; an export
or chart asked with such filters is a 422 page that says so and leads back to the form.
Rows grouped by destination or channel are named in the page's language; the exports
keep the codes."""

import io
import re

import pytest
from openpyxl import load_workbook

from tests.support import reports as R
from tests.support.clock import FixedClock
from tests.support.console import log_in, said_beside


@pytest.fixture
def quiet(db, app):
    app.state.clock = FixedClock.on(R.TODAY)
    return R.build(db, scale=0.02)


WRONG = [
    # (query, field, zh-CN, English)
    ("from=2027-01-01&to=", "to", "请填写此项。", "Please fill this in."),
    ("from=&to=2027-12-31", "from", "请填写此项。", "Please fill this in."),
    ("from=2027-02-29&to=2027-12-31", "from", "没有这个日期：该月没有这一天。",
     "There is no such date: that month has no such day."),
    ("from=2027-13-01&to=2027-12-31", "from", "没有这个日期：没有这个月份（月份为 01 至 12）。",
     "There is no such date: no such month: months are 01 to 12."),
    ("from=2101-01-01&to=2101-12-31", "from", "请填写 2000-01-01 至 2100-12-31 之间的日期。",
     "Please enter a date between 2000-01-01 and 2100-12-31."),
    ("from=soon&to=2027-12-31", "from", "请按 年-月-日 填写日期，例如 2027-07-01。",
     "Please enter a date as YYYY-MM-DD, e.g. 2027-07-01."),
    ("from=2027-12-31&to=2027-01-01", "to", "结束日期不能早于开始日期。",
     "The end date must not be before the start date."),
]  # fmt: skip


@pytest.mark.parametrize(("query", "field", "zh", "en"), WRONG)
def test_a_wrong_filter_is_said_beside_its_field_and_kept(db, client, quiet, query, field, zh, en):
    assert log_in(client, quiet.province.login).status_code == 303
    page = client.get(f"/console/reports?{query}")
    assert page.status_code == 422, page.text
    assert said_beside(page.text, field) == f"错误：{zh}"
    assert "链接中的信息有误" not in page.text and 'id="measures"' not in page.text
    typed = dict(p.split("=") for p in query.split("&"))
    for name, value in typed.items():  # what was typed is in its field again
        assert re.search(
            rf'<input id="{name}" name="{name}" type="date" value="{value}"', page.text
        )
    english = client.get(f"/console/reports?{query}", headers={"Accept-Language": "en"})
    assert said_beside(english.text, field) == f"Error: {en}"
    for path in ("/console/reports/export.csv", "/console/reports/export.xlsx",
                 "/console/reports/chart.svg"):  # fmt: skip
        refused = client.get(f"{path}?{query}")
        assert refused.status_code == 422 and refused.headers["content-type"].startswith(
            "text/html"
        )
        assert "筛选条件有误" in refused.text and zh in refused.text, path
        assert "链接中的信息有误" not in refused.text
        assert f'href="/console/reports?{query.replace("&", "&amp;")}"' in refused.text


def test_a_date_left_out_of_the_address_is_the_year_so_far(client, quiet):
    assert log_in(client, quiet.province.login).status_code == 303
    page = client.get("/console/reports")
    assert page.status_code == 200 and 'value="2027-01-01"' in page.text
    assert client.get("/console/reports/export.csv").status_code == 200


def test_a_grouping_not_in_the_list_is_said_beside_it(client, quiet):
    assert log_in(client, quiet.province.login).status_code == 303
    page = client.get("/console/reports?from=2026-01-01&to=2026-12-31&by=weather")
    assert page.status_code == 422 and said_beside(page.text, "by") == "错误：请从列表中选择。"
    three = client.get(
        "/console/reports?from=2026-01-01&to=2026-12-31&by=month&by=theme&by=channel"
    )
    assert three.status_code == 422 and "最多按两个维度" in said_beside(three.text, "by")


def test_destinations_and_channels_are_named_and_the_exports_keep_codes(db, client, quiet):
    with db.engine.connect() as conn:
        names = dict(conn.exec_driver_sql("SELECT slug, name_zh FROM destination").all())
        english = dict(conn.exec_driver_sql("SELECT slug, name_en FROM destination").all())
    assert log_in(client, quiet.province.login).status_code == 303
    q = "from=2026-01-01&to=2026-12-31&by=destination&by=channel"
    zh = client.get(f"/console/reports?{q}").text
    assert f'<th scope="row">{names["forest-a"]}</th>' in zh
    assert ">在线旅行社（OTA）<" in zh or ">小程序<" in zh or ">本系统直接预订<" in zh
    assert not re.search(r">(forest-a|spring-b|care-c|snow-d|ota|direct|miniprogram)<", zh)
    en = client.get(f"/console/reports?{q}", headers={"Accept-Language": "en"}).text
    assert f'<th scope="row">{english["forest-a"]}</th>' in en
    assert '<th scope="col">Destination</th>' in en and '<th scope="col">Channel</th>' in en
    chart = client.get(f"/console/reports/chart.svg?{q}").content.decode()
    assert names["forest-a"] in chart and "forest-a" not in chart
    csv = client.get(f"/console/reports/export.csv?{q}&audience=province").content
    lines = csv.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("destination,channel,") and lines[1].split(",")[0] in names
    xlsx = client.get(f"/console/reports/export.xlsx?{q}&audience=province").content
    sheet = load_workbook(io.BytesIO(xlsx))["measures"]
    assert sheet["A2"].value in names and sheet["B2"].value in ("direct", "miniprogram", "ota")
