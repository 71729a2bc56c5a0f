"""Console forms say their limits in the form's own units (yuan, %), with the form's
words, in both languages: never the API's fen, basis points or field names."""

from datetime import timedelta

from tests.service.test_console_bad_input import _beside
from tests.service.test_console_catalogue import _product_form
from tests.service.test_console_sales import _rule
from tests.support.console import log_in, post_form
from tests.support.operators import FIRST, world


def _said(html: str, field: str) -> str:
    start = html.index(f'id="{field}-error"')
    return html[start : html.index("</p>", start)]


def test_a_base_rate_too_large_is_said_in_yuan(db, client):
    w = world(db)
    log_in(client, w.a.admin.login)
    page = f"/console/products/{w.a.product_id}"
    r = post_form(client, page, _product_form(base_rate_fen="99999999", filed_rate_fen=""))
    assert r.status_code == 422 and _beside(r.text, "base_rate_fen")
    said = _said(r.text, "base_rate_fen")
    assert "¥1,000,000.00" in said and "100000000" not in said


def test_a_refund_above_100_percent_is_said_in_percent(db, client):
    w = world(db)
    log_in(client, w.a.admin.login)
    page = f"/console/products/{w.a.product_id}"
    r = post_form(client, page, _product_form(refund_0_pct="150"))
    assert r.status_code == 422
    said = _said(r.text, "refund_0_pct")
    assert "100%" in said and "10000" not in said


def test_a_rule_tier_above_100_percent_is_said_in_percent(db, client):
    w = world(db)
    rule_id = _rule(client, w)
    log_in(client, w.a.admin.login)
    page = f"/console/rules/{rule_id}"
    form = {"name_zh": "长住", "name_en": "Long stay", "tier_0_threshold": "3", "tier_0_pct": "150"}
    r = post_form(client, f"{page}/versions", form, form_page=page)
    assert r.status_code == 422, r.text
    said = _said(r.text, "tier_0_pct")
    assert "100%" in said and "10000" not in said


def test_negative_units_say_0_or_more_in_both_languages(db, client):
    w = world(db)
    log_in(client, w.a.admin.login)
    edit = {
        "product_ids": str(w.a.product_id),
        "weekdays": [str(d) for d in range(1, 8)],
        "edit_from": FIRST.isoformat(),
        "edit_to": (FIRST + timedelta(days=1)).isoformat(),
        "units": "-3",
    }
    r = post_form(client, "/console/calendar/preview", edit, form_page="/console/calendar")
    assert r.status_code == 422 and "须为 0 或以上" in _said(r.text, "units")
    client.cookies.set("lang", "en")
    r = post_form(client, "/console/calendar/preview", edit, form_page="/console/calendar")
    assert "Must be 0 or more" in _said(r.text, "units")


def test_reversed_dates_are_said_with_the_form_words(db, client):
    w = world(db)
    log_in(client, w.a.admin.login)
    edit = {
        "product_ids": str(w.a.product_id),
        "weekdays": [str(d) for d in range(1, 8)],
        "edit_from": (FIRST + timedelta(days=3)).isoformat(),
        "edit_to": FIRST.isoformat(),
        "units": "3",
    }
    r = post_form(client, "/console/calendar/preview", edit, form_page="/console/calendar")
    assert r.status_code == 422, r.text
    assert "结束日期不能早于开始日期" in _said(r.text, "edit_to"), (
        _said(r.text, "edit_to") and "不能早于 from" not in r.text
    )
