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


@pytest.mark.parametrize(
    "lang, lines",
    [
        ("zh-CN", ["季节房价：¥450.00", "类别：康养理疗", "计价方式：每人每晚",
                   "价格：¥1,280.00", "退款条件：已付款项全额退还"]),
        ("en", ["Season rate: ¥450.00", "Kind: therapy", "Priced: per guest per night",
                "Price: ¥1,280.00", "Refund terms: everything paid refunded in full"]),
    ],
)  # fmt: skip
def test_a_seasons_rate_a_packs_kind_and_a_cancellations_terms_are_said(db, client, lang, lines):
    """A season's rate, a pack's kind and pricing and a cancellation's terms were kept
    apart as the record ("nightly_rate_fen": 45000, "full_refund"): the change an
    operator most often looks for in the log could be read only as fen and codes."""
    from tests.service.test_operators_bookings import book

    w = world(db)
    first = FIRST + timedelta(days=30)
    end = first + timedelta(days=7)
    season = {"name_zh": "秋季", "name_en": "Autumn", "start_date": first.isoformat(),
              "end_date": end.isoformat(), "nightly_rate_fen": 45_000}  # fmt: skip
    url = f"/v1/admin/products/{w.a.product_id}/seasons"
    assert client.post(url, json=season, headers=w.a.admin.headers).status_code == 201
    pack = {"destination_id": w.a.destination_id, "code": "a-hot-spring", "kind": "therapy",
            "name_zh": "温泉理疗", "name_en": "Hot spring", "price_fen": 128_000,
            "basis": "per_guest_night"}  # fmt: skip
    assert client.post("/v1/admin/packs", json=pack, headers=w.a.admin.headers).status_code == 201
    ref = book(db, w.a.product_id)
    r = client.post(f"/v1/admin/bookings/{ref}/cancel", json={}, headers=w.a.admin.headers)
    assert r.status_code == 200, r.text
    log_in(client, w.a.admin.login)
    client.cookies.set("lang", lang)
    page = client.get("/console/audit").text
    for line in lines:
        assert line in page, line
    for code in ("nightly_rate_fen", "45000", "full_refund", "per_guest_night", 'therapy"'):
        assert code not in page, code
