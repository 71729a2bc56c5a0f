"""The planner's needs in Chromium: every need the API takes is a box (or the distance's
select) a traveller ticks by its label; the search keeps them in the address and the
boxes; a value a box does not take is said beside it. axe at 0 violations on a 360px
phone and a desktop, in both languages."""

import re
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from catalog.vocab import CERTIFICATION_NAMES, ROOM_FACT_LABELS
from tests.browser.conftest import DESKTOP, PHONE
from tests.service.test_pages_plan_needs import _WINDOW

pytestmark = pytest.mark.browser

_INSURANCE = {"zh-CN": "医保服务站", "en": "Medical-insurance station"}


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360", "1280"])
def test_the_needs_are_ticked_by_their_labels_and_kept(visit, viewport, lang):
    v = visit(viewport, lang)
    page = v.page
    v.go("/plan?" + urlencode(_WINDOW))
    assert page.locator("ol.plans > li").count() > 0
    pick = 0 if lang == "zh-CN" else 1
    page.get_by_label(_INSURANCE[lang], exact=True).check()
    page.get_by_label(ROOM_FACT_LABELS["step_free"][pick], exact=True).check()
    page.get_by_label(ROOM_FACT_LABELS["grab_bars"][pick], exact=True).check()
    page.get_by_label(CERTIFICATION_NAMES["forest_healing_base"][pick], exact=True).check()
    page.locator("form[action='/plan'] button[type=submit]").click()
    page.wait_for_url(re.compile(r".*step_free=yes.*"))
    query = parse_qs(urlsplit(page.url).query)
    assert query["insurance"] == ["yes"] and query["grab_bars"] == ["yes"]
    assert query["cert"] == ["forest_healing_base"]
    assert page.locator("ol.plans > li").count() > 0
    for box in ("#insurance", "#step_free", "#grab_bars", "#cert-forest_healing_base"):
        assert page.locator(box).is_checked(), box
    assert not page.locator("#lift").is_checked()
    v.check("plan-needs")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360", "1280"])
def test_a_value_a_box_does_not_take_is_said_beside_it(visit, viewport):
    v = visit(viewport, "en")
    v.go("/plan?" + urlencode({**_WINDOW, "lift": "maybe"}))
    page = v.page
    assert (
        page.locator("#lift-error").inner_text().endswith("Please tick this box or leave it empty.")
    )
    assert page.locator("#lift").get_attribute("aria-invalid") == "true"
    assert page.locator("#error-summary a[href='#lift']").count() == 1
    v.check("plan-needs-refused")
