"""The province's report pages in Chromium: the measures with their filters, chart and
exports, the targets and directory, and a pilot unit's printable yearly evaluation with
its charts; axe-clean in both languages (screenshots ``reports-…``)."""

import pytest

from service.clock import Clock
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.test_console import WORDS, log_in

pytestmark = pytest.mark.browser

LAST_YEAR = Clock().today().year - 1
TITLE = {"zh-CN": "旅居康养统计与评估", "en": "Sojourn-wellness reports"}


@pytest.mark.parametrize(("device", "lang"), [(DESKTOP, "zh-CN"), (PHONE, "en")])
def test_the_province_reads_a_year_and_its_evaluation(visit, device, lang):
    v = visit(device, lang, label=f"reports-{'desktop' if device is DESKTOP else 'phone'}-{lang}")
    v.go("/console/login")
    log_in(v, lang, login="demo-province")
    v.page.wait_for_url(v.server.base + "/console")
    v.go(f"/console/reports?from={LAST_YEAR}-01-01&to={LAST_YEAR}-12-31&by=month&by=pilot_kind")
    assert v.page.locator("h1").inner_text() == TITLE[lang]
    assert v.page.locator("figure.chart img").evaluate("i => i.complete && i.naturalWidth") > 0
    assert v.page.locator("table").first.locator("tbody tr").count() > 12
    v.check("1-reports")
    v.page.locator("a[href^='/console/evaluation/']").first.click()
    v.page.wait_for_url("**/console/evaluation/**")
    charts = v.page.locator("figure.chart img")
    assert charts.count() == 3
    for i in range(3):
        assert charts.nth(i).evaluate("i => i.complete && i.naturalWidth") > 0
    v.check("2-evaluation")
    assert WORDS[lang]["logout"]
