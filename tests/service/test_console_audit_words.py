"""The console's audit log says before and after in the console's words, never the
stored record's field names and codes: a calendar bulk edit by its nights and weekdays
and, per field, what the nights held and what they were set to; a product's change
field by field (amounts in yuan, dates as the console writes them). Both databases,
both languages."""

from datetime import timedelta

import pytest

from service.pages import formats
from tests.service.test_operators_calendar import edit
from tests.support.console import log_in
from tests.support.operators import FIRST, world


@pytest.mark.parametrize(
    "lang, stop, scope, rate",
    [
        ("zh-CN", "停售：否（{night}） → 是", "日期：{night}，每天；修改了 1 个日期格。",
         "基础房价：¥380.00"),
        ("en", "Stop-sell: no ({night}) → yes", "Nights: {night}, every day; 1 cell changed.",
         "Base rate: ¥380.00"),
    ],
)  # fmt: skip
def test_the_audit_log_says_a_bulk_edit_and_a_change_in_words(db, client, lang, stop, scope, rate):
    w = world(db)
    night = FIRST + timedelta(days=5)
    body = edit(w, first=night, days=1, stop_sell=True)
    r = client.post("/v1/admin/calendar/apply", json=body, headers=w.a.admin.headers)
    assert r.status_code == 200, r.text
    weekday = edit(w, first=night, days=7, weekdays=[6, 7], units=4)
    r = client.post("/v1/admin/calendar/apply", json=weekday, headers=w.a.admin.headers)
    assert r.status_code == 200, r.text
    log_in(client, w.a.admin.login)
    client.cookies.set("lang", lang)
    page = client.get("/console/audit").text
    said = formats.long_date(night, lang)
    assert stop.format(night=said) in page, page
    assert scope.format(night=said) in page
    assert ("仅周六、周日" if lang == "zh-CN" else "Sat, Sun only") in page
    assert ("总间数：5" if lang == "zh-CN" else "Total rooms: 5") in page
    for code in ("stop_sell", "weekdays", "&#34;set&#34;", '"set"', "total_units", "[ ["):
        assert code not in page, code


@pytest.mark.parametrize(
    "lang, lines",
    [
        ("zh-CN", ["基础房价：¥380.00", "开售日期：2027年1月10日（周日）", "主题：森林疗愈",
                   "启用：否"]),
        ("en", ["Base rate: ¥380.00", "On sale from: Sun 10 Jan 2027", "Theme: Forest healing",
                "Active: no"]),
    ],
)  # fmt: skip
def test_a_change_is_said_field_by_field_and_an_unknown_field_kept_apart(lang, lines):
    from service.console.audit_words import entry_said

    before = {"base_rate_fen": 38_000, "sold_from": "2027-01-10", "theme": "forest_healing",
              "is_active": False, "new_thing": "x"}  # fmt: skip
    said = entry_said("update", before, {"base_rate_fen": 39_000}, lang,
                      lambda iso: formats.long_date(iso, lang))  # fmt: skip
    assert said.before == lines
    assert said.after == [lines[0].replace("380", "390")]
    assert said.unsaid == {"before": {"new_thing": "x"}}


def test_typed_text_is_marked_with_its_language_and_escaped():
    from service.console.audit_words import entry_said

    said = entry_said("update", None, {"name_en": "<b>New</b>", "name_zh": "新年"}, "zh-CN",
                      lambda iso: iso)  # fmt: skip
    assert [str(x) for x in said.after] == [
        '英文名称：<span lang="en">&lt;b&gt;New&lt;/b&gt;</span>',
        '中文名称：<span lang="zh-CN">新年</span>',
    ]


@pytest.mark.parametrize(
    "lang, line, stay",
    [("zh-CN", "第几段住宿：1", "住宿状态：已入住"), ("en", "Stay number: 1", "Stay: checked in")],
)
def test_a_stay_is_numbered_from_1_on_the_audit_page(db, client, lang, line, stay):
    from datetime import time

    from tests.service.test_operators_bookings import book
    from tests.support.clock import FixedClock

    w = world(db)
    ref = book(db, w.a.product_id)
    client.app.state.clock = FixedClock.on(FIRST, time(10))
    url = f"/v1/admin/bookings/{ref}/stay-status"
    r = client.post(url, json={"item_index": 0, "status": "checked_in"}, headers=w.a.admin.headers)
    assert r.status_code == 200, r.text
    log_in(client, w.a.admin.login)
    client.cookies.set("lang", lang)
    page = client.get("/console/audit").text
    assert line in page and stay in page, page
    for said in ("第几段住宿：0", "Stay number: 0", "从 0 起", "from 0"):
        assert said not in page, said
