"""The console's calendar: the grid of the operator's own products, the bulk edit's
preview (refusals listed, nothing written) and its apply (the same service as the API)."""

import re
from datetime import timedelta
from urllib.parse import urlencode

import pytest

from tests.support.console import log_in, post_form, said_beside
from tests.support.operators import FIRST, world

WEEK = {"from": FIRST.isoformat(), "to": (FIRST + timedelta(days=6)).isoformat()}


def edit(w, **fields):
    return {
        "product_ids": str(w.a.product_id),
        "edit_from": FIRST.isoformat(),
        "edit_to": (FIRST + timedelta(days=6)).isoformat(),
        "weekdays": [str(d) for d in range(1, 8)],
        **fields,
    }


def post(client, path, data):
    """Post ``data`` from the calendar's form for ``WEEK``."""
    return post_form(client, path, data, "/console/calendar?" + urlencode(WEEK))


def test_the_grid_shows_only_own_products_and_staff_set_no_rates(db, client):
    w = world(db)
    log_in(client, w.a.staff.login)
    page = client.get("/console/calendar", params=WEEK)
    assert page.status_code == 200
    assert "product-a" not in page.text  # names, not slugs, are shown
    assert page.text.count('<th scope="row">') == 1
    assert 'name="units"' in page.text and 'name="rate"' not in page.text


def test_preview_then_apply_changes_the_calendar(db, client):
    w = world(db)
    log_in(client, w.a.admin.login)
    r = post(client, "/console/calendar/preview", edit(w, units="7", min_stay_arrival="2"))
    assert r.status_code == 200, r.text
    assert "7 个日期格：7 格将修改" in r.text
    cal = client.get(
        f"/v1/admin/products/{w.a.product_id}/calendar",
        params=WEEK,
        headers=w.a.admin.headers,
    ).json()["cells"]
    assert {c["units"] for c in cal} == {5}  # the preview wrote nothing
    hidden = dict(
        (k, v) for k, v in re.findall(r'type="hidden" name="([^"]+)" value="([^"]*)"', r.text)
    )
    assert hidden["units"] == "7"
    r = post(client, "/console/calendar/apply", edit(w, units="7", min_stay_arrival="2"))
    assert r.status_code == 303 and "done=7" in r.headers["location"]
    cal = client.get(
        f"/v1/admin/products/{w.a.product_id}/calendar",
        params=WEEK,
        headers=w.a.admin.headers,
    ).json()["cells"]
    assert {(c["units"], c["min_stay_arrival"]) for c in cal} == {(7, 2)}
    audit = client.get("/v1/admin/audit?entity=calendar", headers=w.a.admin.headers).json()
    assert audit["items"][0]["account_login"] == w.a.admin.login


def test_refused_cells_are_listed_and_nothing_can_be_applied(db, client):
    w = world(db)
    log_in(client, w.a.admin.login)
    r = post(client, "/console/calendar/preview", edit(w, rate="99999"))
    assert r.status_code == 200
    assert "不能修改的日期格" in r.text and "高于备案价" in r.text
    assert "确认应用" not in r.text
    r = post(client, "/console/calendar/apply", edit(w, rate="99999"))
    assert r.status_code == 422 and "备案价" in r.text


def test_unreadable_fields_are_said_beside_them(db, client):
    w = world(db)
    log_in(client, w.a.admin.login)
    r = post(client, "/console/calendar/preview", edit(w, units="many", rate="1.234"))
    assert r.status_code == 422
    assert 'id="units-error"' in r.text and 'id="rate-error"' in r.text
    r = post(client, "/console/calendar/preview", edit(w))  # nothing chosen
    assert r.status_code == 422 and "请至少选择一个字段" in r.text
    r = post(
        client,
        "/console/calendar/preview",
        {**edit(w, units="3"), "product_ids": str(w.b.product_id)},
    )
    assert r.status_code == 422 and 'id="product_ids-error"' in r.text


@pytest.mark.parametrize(
    "lang, weekday, product",
    [
        ("zh-CN", "请至少选择一个星期几。", "请至少选择一个产品。"),
        ("en", "Choose at least one weekday.", "Choose at least one product."),
    ],
)
def test_no_weekday_or_no_product_ticked_is_said_as_such_with_its_label(
    db, client, lang, weekday, product
):
    w = world(db)
    log_in(client, w.a.admin.login)
    headers = {"Accept-Language": lang}
    data = {**edit(w, units="3"), "weekdays": [], "product_ids": []}
    r = post_form(client, "/console/calendar/preview", data, "/console/calendar", headers=headers)
    assert r.status_code == 422
    assert weekday in said_beside(r.text, "weekdays")
    assert product in said_beside(r.text, "product_ids")
    summary = re.search(r'id="error-summary">(.*?)</div>', r.text, re.S).group(1)
    label = {"zh-CN": ("星期", "产品"), "en": ("Weekdays", "Products")}[lang]
    assert f'href="#weekdays">{label[0]}' in summary and weekday in summary
    assert f'href="#product_ids">{label[1]}' in summary and product in summary


@pytest.mark.parametrize(
    "lang, said", [("zh-CN", "请从列出的选项中选择。"), ("en", "Choose from the options listed.")]
)
def test_a_switch_posted_with_a_value_none_of_its_choices_is_refused_beside_it(
    db, client, lang, said
):
    """The stop-sell and closed-to selects offer unchanged, yes and no; a crafted
    ``true`` or ``1`` was read as "unchanged" without a word, so an edit meant to close
    nights was previewed, or applied with its other fields, as if it did."""
    w = world(db)
    log_in(client, w.a.admin.login)
    headers = {"Accept-Language": lang}
    data = edit(w, units="3", stop_sell="true", closed_to_arrival="1")
    for path in ("/console/calendar/preview", "/console/calendar/apply"):
        r = post_form(client, path, data, "/console/calendar", headers=headers)
        assert r.status_code == 422
        assert said in said_beside(r.text, "stop_sell")
        assert said in said_beside(r.text, "closed_to_arrival")
    for day in ("8", "0"):  # a weekday box no weekday has: not "at most 7" (B, 2026-12-07)
        r = post_form(client, "/console/calendar/preview", edit(w, units="3", weekdays=["1", day]),
                      "/console/calendar", headers=headers)  # fmt: skip
        assert r.status_code == 422 and said_beside(r.text, "weekdays").endswith(said)
    cal = client.get(
        f"/v1/admin/products/{w.a.product_id}/calendar", params=WEEK, headers=w.a.admin.headers
    ).json()["cells"]
    assert {(c["units"], c["stop_sell"]) for c in cal} == {(5, False)}  # nothing written


@pytest.mark.parametrize(
    "lang, said",
    [("zh-CN", "您的角色（运营方员工）无权"), ("en", "Your role (operator staff) may not")],
)
def test_a_rate_forged_into_a_staff_accounts_edit_is_a_403_that_says_why(db, client, lang, said):
    """Staff see no rate field; a rate posted anyway (a forged form, a colleague's
    bookmarked preview) was refused as a 422 with its words beside the rate field the
    page does not have: the calendar again, and no word of why nothing happened."""
    w = world(db)
    log_in(client, w.a.staff.login)
    headers = {"Accept-Language": lang}
    for path in ("/console/calendar/preview", "/console/calendar/apply"):
        r = post_form(client, path, edit(w, units="3", rate="200"), "/console/calendar",
                      headers=headers)  # fmt: skip
        assert r.status_code == 403, (path, r.status_code)
        assert said in r.text, r.text[-2000:]
    cal = client.get(
        f"/v1/admin/products/{w.a.product_id}/calendar", params=WEEK, headers=w.a.admin.headers
    ).json()["cells"]
    assert {(c["units"], c["rate_override_fen"]) for c in cal} == {(5, None)}  # nothing written


@pytest.mark.parametrize(
    "lang, units, rate, cells",
    [
        ("zh-CN", "总间数：5（{first} 至 {last}） → 7",
         "当晚房价：季节价（未单独调价）（{first} 至 {last}） → ¥88.00", "7 个日期格将修改"),
        ("en", "Total rooms: 5 ({first} to {last}) → 7",
         "Nightly rate: the season&#39;s rate (no override) ({first} to {last}) → ¥88.00",
         "7 cells will change"),
    ],
)  # fmt: skip
def test_the_preview_says_what_the_nights_hold_and_what_they_will_hold(
    db, client, lang, units, rate, cells
):
    """The preview shows, per product, each field's present values by runs of nights and
    the value it will take, in the audit log's words (the record the apply writes), not
    only how many cells change: until December 2026 it said "7 cells: 7 will change"
    and nothing of which, so an operator applied a rate without seeing it beside the
    rate it replaced. A field none of whose nights change is not listed."""
    from service.pages import formats

    w = world(db)
    log_in(client, w.a.admin.login)
    client.cookies.set("lang", lang)
    r = post(client, "/console/calendar/preview", edit(w, units="7", rate="88", stop_sell="off"))
    assert r.status_code == 200, r.text
    shown = r.text[r.text.index('id="preview-changes"') :]
    first, last = (formats.long_date(FIRST + timedelta(days=d), lang) for d in (0, 6))
    assert units.format(first=first, last=last) in shown, shown
    assert rate.format(first=first, last=last) in shown, shown
    assert ("产品" if lang == "zh-CN" else "Product") in shown and cells in shown
    assert ("停售" if lang == "zh-CN" else "Stop-sell") not in shown  # already not stopped
    product = client.get(f"/v1/admin/products/{w.a.product_id}", headers=w.a.admin.headers)
    assert product.json()["name_zh" if lang == "zh-CN" else "name_en"] in shown
