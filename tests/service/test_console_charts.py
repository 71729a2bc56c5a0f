"""The console's charts as a phone reads them: drawn at their own size with text to read
(16 px labels), shown at that size in a box that scrolls (a sentence says so), labelled
in the page's words; and a chart with nothing to show says "no data yet" instead of
drawing an empty 0-1 axis (the page, and the SVG itself)."""

import re

import pytest

from service.charts import STYLE, WIDTH
from tests.support import reports as R
from tests.support.clock import FixedClock
from tests.support.console import log_in

NO_DATA = {"zh-CN": "暂无数据", "en": "No data yet"}


@pytest.fixture
def province(db, app):
    app.state.clock = FixedClock.on(R.TODAY)
    return R.build(db, scale=0.6)


def _chart_box(html: str, name: str) -> str:
    """The chart's figure: a hint, then a labelled region that scrolls, the image in it."""
    figure = re.search(r'<figure class="chart">(.*?)</figure>', html, re.S)
    assert figure, "no chart on the page"
    box = figure.group(1)
    assert f'id="{name}-scroll"' in box and f'aria-describedby="{name}-scroll"' in box
    assert 'role="region"' in box and 'tabindex="0"' in box
    assert f'width="{WIDTH}"' in box
    return box


def test_a_chart_is_drawn_with_text_to_read_and_shown_at_its_size(client, province):
    assert STYLE.label_font_size >= 16 and STYLE.major_label_font_size >= 16
    assert log_in(client, province.province.login).status_code == 303
    query = "from=2026-01-01&to=2026-12-31&by=pilot_kind"
    page = client.get(f"/console/reports?{query}")
    box = _chart_box(page.text, "measures")
    assert f'src="/console/reports/chart.svg?{query}"' in box.replace("&amp;", "&")
    svg = client.get(f"/console/reports/chart.svg?{query}").content.decode()
    # the bars are named as the table names them, in the page's language
    assert "旅居养老机构" in svg and "scenic_cluster" not in svg
    assert NO_DATA["zh-CN"] not in svg
    english = client.get(
        f"/console/reports/chart.svg?{query}", headers={"Accept-Language": "en"}
    ).content.decode()
    assert "Sojourn elder-care institution" in english and "scenic_cluster" not in english


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_a_report_with_nothing_to_chart_says_no_data_yet(client, province, lang):
    assert log_in(client, province.province.login).status_code == 303
    client.cookies.set("lang", "en" if lang == "en" else "zh-CN")
    query = "from=2027-02-01&to=2027-02-20"  # after the year of bookings
    page = client.get(f"/console/reports?{query}")
    assert page.status_code == 200
    assert "<figure" not in page.text and 'id="measures-none"' in page.text
    assert NO_DATA[lang].lower() in page.text.lower()
    svg = client.get(f"/console/reports/chart.svg?{query}").content.decode()
    assert NO_DATA[lang] in svg


def test_an_evaluation_without_figures_says_no_data_yet(client, province):
    assert log_in(client, province.province.login).status_code == 303
    d = province.destination_ids["forest-a"]
    empty = client.get(f"/console/evaluation/{d}?year=2025")  # 2025 and 2024: no bookings
    assert empty.status_code == 200 and "<figure" not in empty.text
    for chart in ("occupancy", "person_nights", "aspects"):
        assert f'id="{chart}-none"' in empty.text
        svg = client.get(f"/console/evaluation/{d}/{chart}.svg?year=2025").content.decode()
        assert NO_DATA["zh-CN"] in svg
    full = client.get(f"/console/evaluation/{d}?year=2026")
    assert full.text.count('<figure class="chart">') == 3


def test_an_operators_chart_blanks_the_cells_its_table_blanks(client, province):
    """Small cells (under 5 people) are hidden from an operator in the table and the
    exports; the chart beside the table hides the same bars (it drew them)."""
    assert log_in(client, province.operator.login).status_code == 303
    query = "from=2026-01-01&to=2026-12-31&by=month"
    page = client.get(f"/console/reports?{query}").text
    rows = re.findall(r'<tr>\s*<th scope="row">(\d{4}年\d{1,2}月)</th>(.*?)</tr>', page, re.S)
    hidden = [month for month, cells in rows if 'data-label="人天">隐去<' in cells]
    assert rows and hidden, "the fixture has small months"
    svg = client.get(f"/console/reports/chart.svg?{query}").content.decode()
    drawn = re.findall(r'<desc class="value">([^<]*)</desc>', svg)
    assert len(drawn) == len(rows) - len(hidden)
