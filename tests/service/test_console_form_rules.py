"""The console's calendar form says the rule a value breaks, the field's own, in both
languages (findings 14 and 16 of the newcomer's evaluation): a choice that is none of
the boxes, a number beyond the field's limit, a negative rate (whose rule is "at least
¥0.01", not "0 or more"), and a rate typed while "remove the override" is ticked, which
dropped the rate typed without a word."""

from datetime import timedelta
from html import unescape

import pytest

from tests.support.console import log_in, post_form, said_beside
from tests.support.operators import FIRST, world


def _edit(w, **fields) -> dict:
    return {
        "product_ids": str(w.a.product_id),
        "weekdays": [str(d) for d in range(1, 8)],
        "edit_from": FIRST.isoformat(),
        "edit_to": (FIRST + timedelta(days=2)).isoformat(),
        **fields,
    }


def _beside(html: str, field: str) -> str:
    """The words beside ``field``, without the "错误：" / "Error: " every error starts with."""
    said = unescape(said_beside(html, field))
    for prefix in ("错误：", "Error: "):
        said = said.removeprefix(prefix)
    return said


def _preview(client, edit: dict, lang: str):
    client.cookies.set("lang", lang)
    return post_form(client, "/console/calendar/preview", edit, form_page="/console/calendar")


RULES = {
    "zh-CN": {
        "product_ids": "请从列出的选项中选择。",
        "units": "数值太大：最多为 100,000。",
        "rate": "房价至少 ¥0.01",
        "rate_and_clear": "填了新房价，又勾选了“取消调价，恢复季节价”：请只选一种",
    },
    "en": {
        "product_ids": "Choose from the options listed.",
        "units": "Too large: at most 100,000.",
        "rate": "at least ¥0.01",
        "rate_and_clear": 'A rate is typed and "Remove the override" is ticked too: choose one',
    },
}


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_each_value_is_refused_by_the_rule_it_breaks(db, client, lang):
    w = world(db)
    log_in(client, w.a.admin.login)
    rules = RULES[lang]
    r = _preview(client, _edit(w, product_ids="abc"), lang)
    assert r.status_code == 422
    assert _beside(r.text, "product_ids") == rules["product_ids"]
    r = _preview(client, _edit(w, units="99999999999"), lang)
    assert r.status_code == 422 and _beside(r.text, "units") == rules["units"]
    # a negative rate and a zero one break the same rule, and it is said
    for rate in ("-5", "0"):
        r = _preview(client, _edit(w, rate=rate), lang)
        said = _beside(r.text, "rate")
        assert r.status_code == 422 and rules["rate"] in said, said
        assert "0 或以上" not in said and "0 or more" not in said


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_a_rate_typed_with_remove_the_override_ticked_is_refused_beside_the_rate(db, client, lang):
    w = world(db)
    log_in(client, w.a.admin.login)
    r = _preview(client, _edit(w, rate="290", rate_clear="on"), lang)
    assert r.status_code == 422
    assert _beside(r.text, "rate").startswith(RULES[lang]["rate_and_clear"])
    # either one alone is a preview
    assert _preview(client, _edit(w, rate="290"), lang).status_code == 200
    assert _preview(client, _edit(w, rate_clear="on"), lang).status_code == 200
