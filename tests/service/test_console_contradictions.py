"""The console refuses contradictory terms by the admin API's own rules, and says each
refusal beside the field at fault, in the page's language: a free night, a minimum stay
above the maximum, past nights, duration choices outside the stay limits or twice,
refund tiers out of order, a rule tier above 100% or giving less than the tier below,
a name too long, an unchanged rule. Its login replaces the browser's console token, and
its rules page shows the province-wide rules that price the operator's products."""

from datetime import timedelta

from sqlmodel import select

from catalog.models import DiscountRuleVersion
from service.operators.models import OperatorToken
from tests.service.test_console_catalogue import _product_form as product_form
from tests.service.test_console_sales import _rule
from tests.service.test_operators_contradictions import calendar as calendar_of
from tests.service.test_operators_contradictions import saved_contradictory
from tests.support.console import log_in, post_form, said_beside
from tests.support.operators import FIRST, PASSWORD, rule_body, world


def edit(w, first=FIRST, **fields):
    return {
        "product_ids": str(w.a.product_id),
        "edit_from": first.isoformat(),
        "edit_to": (first + timedelta(days=6)).isoformat(),
        "weekdays": [str(d) for d in range(1, 8)],
        **fields,
    }


def test_a_bulk_edit_at_rate_zero_is_refused_beside_the_rate(db, client):
    w = world(db)
    log_in(client, w.a.admin.login)
    r = post_form(client, "/console/calendar/preview", edit(w, rate="0"), "/console/calendar")
    assert r.status_code == 422
    assert said_beside(r.text, "rate") == "错误：房价至少 ¥0.01，不能为零；要关闭某晚请用停售。"
    client.cookies.set("lang", "en")
    r = post_form(client, "/console/calendar/apply", edit(w, rate="0.00"), "/console/calendar")
    assert "never zero" in said_beside(r.text, "rate")
    cells = client.get(
        f"/v1/admin/products/{w.a.product_id}/calendar",
        params={"from": FIRST.isoformat(), "to": (FIRST + timedelta(days=6)).isoformat()},
        headers=w.a.admin.headers,
    ).json()["cells"]
    assert {c["rate_override_fen"] for c in cells} == {None}


def test_a_base_rate_of_zero_on_the_product_form_is_refused_beside_it(db, client):
    w = world(db)
    log_in(client, w.a.admin.login)
    page = f"/console/products/{w.a.product_id}"
    r = post_form(client, page, product_form(base_rate_fen="0"), page)
    assert r.status_code == 422
    assert "不能为零" in said_beside(r.text, "base_rate_fen")
    product = client.get(f"/v1/admin/products/{w.a.product_id}", headers=w.a.admin.headers)
    assert product.json()["base_rate_fen"] == 38_000


def test_min_stay_above_max_stay_and_past_nights_are_said_beside_their_fields(db, client):
    w = world(db)
    log_in(client, w.a.admin.login)
    r = post_form(
        client,
        "/console/calendar/preview",
        edit(w, min_stay_arrival="7", max_stay="1"),
        "/console/calendar",
    )
    assert r.status_code == 422
    assert "最少入住 7 晚多于最多入住 1 晚" in said_beside(r.text, "max_stay")
    past = FIRST.replace(year=2020, month=1, day=1)
    r = post_form(
        client, "/console/calendar/preview", edit(w, first=past, units="3"), "/console/calendar"
    )
    assert r.status_code == 422
    assert "过去的日期不能修改" in said_beside(r.text, "edit_from")


def test_duration_choices_outside_the_limits_or_twice_are_said_beside_them(db, client):
    w = world(db)
    log_in(client, w.a.admin.login)
    page = f"/console/products/{w.a.product_id}"
    r = post_form(client, page, product_form(min_nights="7", duration_modules="5, 6"), page)
    assert r.status_code == 422
    assert (
        said_beside(r.text, "duration_modules") == "错误：5 晚不在最少、最多晚数（7..∞ 晚）之内。"
    )
    r = post_form(client, page, product_form(min_nights="7", duration_modules="7, 7"), page)
    assert said_beside(r.text, "duration_modules") == "错误：7 晚重复填写。"
    product = client.get(f"/v1/admin/products/{w.a.product_id}", headers=w.a.admin.headers)
    assert product.json()["duration_modules"] == [] and product.json()["min_nights"] == 1


def test_refund_tiers_out_of_order_are_said_beside_the_days_at_fault(db, client):
    w = world(db)
    log_in(client, w.a.admin.login)
    page = f"/console/products/{w.a.product_id}"
    form = product_form(
        refund_0_days="3", refund_0_pct="100", refund_2_days="14", refund_2_pct="50"
    )
    r = post_form(client, page, form, page)
    assert r.status_code == 422
    said = said_beside(r.text, "refund_0_days")
    assert "入住前 3 天以上取消退 100.00%" in said and "请检查这一档的天数" in said
    assert said_beside(r.text, "refund_0_pct") == ""


RULE_FORM = {"name_zh": "长住", "name_en": "Long stay", "tier_0_threshold": "3", "tier_0_pct": "5"}


def test_rule_tier_problems_are_said_beside_that_tier(db, client):
    w = world(db)
    page = f"/console/rules/{_rule(client, w)}"
    log_in(client, w.a.admin.login)
    # the rows are read in any order: the 150% tier is the form's second row
    form = {**RULE_FORM, "tier_0_threshold": "14", "tier_1_threshold": "7", "tier_1_pct": "150"}
    r = post_form(client, f"{page}/versions", form, page)
    assert r.status_code == 422
    assert said_beside(r.text, "tier_1_pct") and not said_beside(r.text, "tiers")
    form = {**RULE_FORM, "tier_0_pct": "8", "tier_1_threshold": "7", "tier_1_pct": "5"}
    r = post_form(client, f"{page}/versions", form, page)
    assert r.status_code == 422
    assert "按规则取满足条件的最高档" in said_beside(r.text, "tier_1_pct")
    versions = client.get(page.replace("/console", "/v1/admin"), headers=w.a.admin.headers)
    assert versions.json()["current_version"] == 1


def test_a_long_rule_name_says_how_long_it_may_be(db, client):
    w = world(db)
    page = f"/console/rules/{_rule(client, w)}"
    log_in(client, w.a.admin.login)
    r = post_form(client, f"{page}/versions", {**RULE_FORM, "name_zh": "长" * 500}, page)
    assert r.status_code == 422
    assert said_beside(r.text, "name_zh") == "错误：内容太长：最多 120 个字符。"
    client.cookies.set("lang", "en")
    r = post_form(client, f"{page}/versions", {**RULE_FORM, "name_en": "x" * 500}, page)
    assert said_beside(r.text, "name_en") == "Error: This is too long (at most 160 characters)."


def test_saving_an_unchanged_rule_adds_no_version(db, client):
    w = world(db)
    rule_id = _rule(client, w)
    page = f"/console/rules/{rule_id}"
    log_in(client, w.a.admin.login)
    r = post_form(client, f"{page}/versions", RULE_FORM, page)
    assert r.status_code == 409 and "没有任何改动：与第 1 版相同，未新增版本。" in r.text
    rule = client.get(f"/v1/admin/rules/{rule_id}", headers=w.a.admin.headers).json()
    assert rule["current_version"] == 1 and len(rule["versions"]) == 1


def _console_tokens(client, w) -> list[dict]:
    me = client.get("/v1/admin/me", headers=w.a.admin.headers).json()
    return [t for t in me["tokens"] if t["label"] == "console"]


def test_logging_in_again_replaces_the_browsers_console_token(db, client):
    w = world(db)
    for _ in range(3):
        assert log_in(client, w.a.admin.login).status_code == 303
    assert len(_console_tokens(client, w)) == 1
    assert client.get("/console", follow_redirects=False).status_code == 200
    # another browser's session is its own
    other = client.__class__(client.app)
    assert log_in(other, w.a.admin.login).status_code == 303
    assert len(_console_tokens(client, w)) == 2
    assert client.get("/console", follow_redirects=False).status_code == 200


def test_an_operator_sees_the_province_wide_rules_that_price_its_products(db, client):
    w = world(db)
    body = rule_body(w, key="province-advance", name_zh="全省长住", name_en="Province long stay")
    r = client.post("/v1/admin/rules", json=body, headers=w.a.admin.headers)
    assert r.status_code == 201
    with db.write_session() as s:  # made province-wide, as the province's loader does
        row = s.get(DiscountRuleVersion, (r.json()["id"], 1))
        row.destination_ids = []
        s.add(row)
        s.commit()
    log_in(client, w.b.admin.login)
    page = client.get("/console/rules").text
    assert "您的目的地没有自己的优惠规则。" in page and "/v1/" not in page
    assert "全省通用的优惠规则" in page and "全省长住" in page
    assert f'href="/console/rules/{r.json()["id"]}"' not in page


def test_a_night_saved_contradictory_takes_an_edit_that_does_not_widen_it(db, client):
    w = world(db)
    saved_contradictory(db, w, min_stay_through=12, max_stay=10)
    log_in(client, w.a.admin.login)
    r = post_form(
        client, "/console/calendar/apply", edit(w, min_stay_arrival="3"), "/console/calendar"
    )
    assert r.status_code == 303, said_beside(r.text, "min_stay_arrival")
    r = post_form(client, "/console/calendar/preview", edit(w, max_stay="9"), "/console/calendar")
    assert "（12 晚）矛盾" in r.text
    cells = calendar_of(client, w)
    assert {(c["min_stay_arrival"], c["max_stay"]) for c in cells} == {(3, 10)}


def test_a_console_login_leaves_an_api_token_labelled_console_alone(db, client):
    w = world(db)
    api = client.post(
        "/v1/admin/tokens",
        json={"login": w.a.admin.login, "password": PASSWORD, "label": "console"},
    ).json()
    lapsed = client.__class__(client.app)  # a browser whose session has lapsed
    assert log_in(lapsed, w.a.admin.login).status_code == 303
    assert len(_console_tokens(client, w)) == 2  # the same label, the API's and the console's
    with db.write_session() as s:  # both issued longer ago than a console session lasts
        for row in s.exec(select(OperatorToken).where(OperatorToken.label == "console")):
            row.created_at -= timedelta(hours=13)
            s.add(row)
        s.commit()
    assert log_in(client, w.a.admin.login).status_code == 303
    # the lapsed console session is revoked; the API's token still works
    live = {t["id"] for t in _console_tokens(client, w)}
    assert api["id"] in live and len(live) == 2
    me = client.get("/v1/admin/me", headers={"Authorization": f"Bearer {api['token']}"})
    assert me.status_code == 200
