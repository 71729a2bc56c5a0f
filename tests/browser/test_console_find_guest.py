"""The console's "find bookings by the guest" in Chromium, both languages: a phone that
is no phone said beside the field, then a phone of nobody's booking said as none found;
the POST leaves the phone out of the address (history); axe, 44 px targets, origin."""

import pytest

from tests.browser.conftest import PHONE
from tests.browser.test_console import log_in

pytestmark = pytest.mark.browser

LOGIN = "demo-chaganhu"  # its own login: ten attempts a minute per login
WORDS = {
    "zh-CN": ("主联系人电话", "查找", "请填写电话号码", "没有与此电话或姓名相符的预订"),
    "en": ("Lead traveller's phone", "Find", "Please enter a phone number",
           "No booking at the destinations you can see has this phone or name."),
}  # fmt: skip


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_find_bookings_by_the_guest_without_javascript_words(visit, server, lang):
    label, find, not_a_phone, none = WORDS[lang]
    v = visit(PHONE, lang, label=f"console-phone-{lang}")
    v.go("/console/bookings")
    log_in(v, lang, login=LOGIN)
    v.page.wait_for_url(server.base + "/console/bookings")
    form = v.page.locator('form[action="/console/bookings/find"]')
    form.get_by_label(label).fill("abc")
    form.get_by_role("button", name=find).click()
    v.page.wait_for_url(server.base + "/console/bookings/find")
    assert not_a_phone in v.page.locator("#lead_phone-error").inner_text()
    v.check("30-find-guest-refused")
    form = v.page.locator('form[action="/console/bookings/find"]')
    form.get_by_label(label).fill("+86 137 0000 0000")
    form.get_by_role("button", name=find).click()
    v.page.wait_for_load_state()
    assert none in v.page.locator("#guest-result").inner_text()
    assert "0000" not in v.page.url  # the phone is in no address
    v.check("31-find-guest-none")
