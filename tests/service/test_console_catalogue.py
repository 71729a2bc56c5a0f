"""The console's products, seasons and packs: the same checks as the admin API, said
beside the field; the change is audited."""

import re
from datetime import timedelta

import pytest

from tests.support.console import log_in, post_form, said_beside
from tests.support.operators import FIRST, world


def new_product_form(destination_id: int, **change) -> dict:
    """The new product form filled in (a villa at ``destination_id``)."""
    form = {
        "destination_id": str(destination_id),
        "slug": "a-new-villa",
        "name_zh": "新别墅",
        "name_en": "New villa",
        "theme": "hot_spring",
        "unit_type": "villa",
        "base_occupancy": "2",
        "max_occupancy": "4",
        "min_nights": "3",
        "base_rate_fen": "800",
        "filed_rate_fen": "900",
    }
    return {**form, **change}


def _product_form(**change):
    form = {
        "name_zh": "木屋",
        "name_en": "Cabin",
        "base_rate_fen": "300",
        "filed_rate_fen": "400",
        "extra_guest_fee_fen": "0",
        "base_occupancy": "2",
        "max_occupancy": "4",
        "min_nights": "1",
        "max_nights": "",
        "duration_modules": "",
        "refund_0_days": "7",
        "refund_0_pct": "100",
    }
    return {**form, **change}


def test_products_list_and_edit_with_the_filed_price(db, client):
    w = world(db)
    log_in(client, w.a.admin.login)
    listed = client.get("/console/products").text
    assert f"/console/products/{w.a.product_id}" in listed
    assert f"/console/products/{w.b.product_id}" not in listed
    page = f"/console/products/{w.a.product_id}"
    r = post_form(client, page, _product_form(base_rate_fen="450"), page)
    assert r.status_code == 422 and 'id="base_rate_fen-error"' in r.text and "备案价" in r.text
    r = post_form(client, page, _product_form(), page)
    assert r.status_code == 303
    api = client.get(f"/v1/admin/products/{w.a.product_id}", headers=w.a.admin.headers).json()
    assert (api["base_rate_fen"], api["filed_rate_fen"]) == (30_000, 40_000)
    assert api["refund_policy"] == [{"min_days_before_check_in": 7, "refund_bps": 10_000}]
    assert client.get(f"/console/products/{w.b.product_id}").status_code == 404


def test_seasons_overlap_is_said_beside_the_date_that_overlaps(db, client):
    w = world(db)
    log_in(client, w.a.admin.login)
    page = f"/console/products/{w.a.product_id}"
    start = FIRST + timedelta(days=40)
    season = {
        "new_name_zh": "秋",
        "new_name_en": "Autumn",
        "new_start_date": start.isoformat(),
        "new_end_date": (start + timedelta(days=5)).isoformat(),
        "new_nightly_rate_fen": "350",
    }
    assert post_form(client, f"{page}/seasons", season, page).status_code == 303
    r = post_form(client, f"{page}/seasons", season, page)
    assert r.status_code == 409 and 'id="new_start_date-error"' in r.text
    # a season that begins before the other and runs into it: said beside its end
    into = {**season, "new_start_date": (start - timedelta(days=3)).isoformat()}
    r = post_form(client, f"{page}/seasons", into, page)
    assert r.status_code == 409 and said_beside(r.text, "new_end_date")
    assert not said_beside(r.text, "new_start_date")
    actions = client.get("/v1/admin/audit?entity=season", headers=w.a.admin.headers).json()
    assert [e["action"] for e in actions["items"]] == ["create"]


SEASON_FIELDS = ("name_zh", "name_en", "start_date", "end_date", "nightly_rate_fen")


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_a_season_form_says_every_wrong_field_at_once(db, client, lang):
    """Every field's error in one round, beside it (the rate, which the form reads, and
    the names and dates, which the request model checks), not the rate first and the
    dates on the next post; nothing is written."""
    w = world(db)
    log_in(client, w.a.admin.login)
    client.cookies.set("lang", lang)
    page = f"/console/products/{w.a.product_id}"
    fill = "请填写此项" if lang == "zh-CN" else "Please fill this in"
    r = post_form(client, f"{page}/seasons", {f"new_{f}": "" for f in SEASON_FIELDS}, page)
    assert r.status_code == 422
    said = {f: said_beside(r.text, f"new_{f}") for f in SEASON_FIELDS}
    assert all(fill in text for text in said.values()), said
    # a rate that does not read and a date that is none: both said, the rest filled in
    season_id = re.search(r'name="s(\d+)_name_zh"', r.text)[1]
    p = f"s{season_id}_"
    edit = {p + "name_zh": "旺季", p + "name_en": "", p + "start_date": "2027-02-30",
            p + "end_date": "", p + "nightly_rate_fen": "abc"}  # fmt: skip
    r = post_form(client, f"{page}/seasons/{season_id}", edit, page)
    assert r.status_code == 422
    said = {f: said_beside(r.text, p + f) for f in SEASON_FIELDS}
    assert said["name_zh"] == "" and fill in said["name_en"] and fill in said["end_date"], said
    assert said["start_date"] and fill not in said["start_date"], said
    assert said["nightly_rate_fen"] and fill not in said["nightly_rate_fen"], said
    audit = client.get("/v1/admin/audit?entity=season", headers=w.a.admin.headers).json()
    assert audit["items"] == []


def test_staff_see_products_but_no_forms(db, client):
    w = world(db)
    log_in(client, w.a.staff.login)
    page = client.get(f"/console/products/{w.a.product_id}")
    assert page.status_code == 200 and 'name="base_rate_fen"' not in page.text
    r = post_form(
        client, f"/console/products/{w.a.product_id}", _product_form(), "/console/products"
    )
    assert r.status_code == 403


def test_create_a_pack_and_offer_it(db, client):
    w = world(db)
    log_in(client, w.a.admin.login)
    form = {
        "destination_id": str(w.a.destination_id),
        "code": "a-tea",
        "kind": "dining",
        "name_zh": "茶点",
        "name_en": "Tea",
        "price_fen": "88",
        "basis": "per_stay",
    }
    assert post_form(client, "/console/packs", form, "/console/packs").status_code == 303
    r = post_form(client, "/console/packs", form, "/console/packs")
    assert r.status_code == 409 and 'id="code-error"' in r.text
    packs = client.get("/v1/admin/packs", headers=w.a.admin.headers).json()["items"]
    page = f"/console/products/{w.a.product_id}"
    r = post_form(client, f"{page}/packs", {"pack_ids": str(packs[0]["id"])}, page)
    assert r.status_code == 303
    api = client.get(f"/v1/admin/products/{w.a.product_id}", headers=w.a.admin.headers).json()
    assert api["pack_ids"] == [packs[0]["id"]]


def test_create_a_product_from_the_list(db, client):
    w = world(db)
    log_in(client, w.a.admin.login)
    form = new_product_form(w.a.destination_id, max_occupancy="1")
    r = post_form(client, "/console/products", form, "/console/products")
    # both typed: the base occupancy, which must fit the maximum, is named
    assert r.status_code == 422 and 'id="base_occupancy-error"' in r.text
    r = post_form(client, "/console/products", {**form, "max_occupancy": "4"}, "/console/products")
    assert r.status_code == 303 and "done=created" in r.headers["location"]
    api = client.get("/v1/admin/products", headers=w.a.admin.headers).json()["items"]
    assert [p["slug"] for p in api if p["slug"] == "a-new-villa"] == ["a-new-villa"]
    r = post_form(client, "/console/products", {**form, "max_occupancy": "4"}, "/console/products")
    assert r.status_code == 409 and 'id="slug-error"' in r.text


def _forms(html: str) -> list[str]:
    return re.findall(r"<form\b.*?</form>", html, re.S)


def _seasons_section(html: str) -> str:
    return html[
        html.index('id="seasons"') : html.index('id="packs"') if 'id="packs"' in html else None
    ]


def test_staff_see_the_seasons_listed_and_no_empty_season_forms(db, client):
    w = world(db)
    log_in(client, w.a.staff.login)
    html = client.get(f"/console/products/{w.a.product_id}").text
    section = _seasons_section(html)
    assert _forms(section) == []  # nothing to submit: no form at all
    row = re.search(r"<tr>\s*<th scope=\"row\">旺季</th>(.*?)</tr>", section, re.S)
    assert row and "¥450.00" in row[1]


def test_admins_see_the_seasons_and_one_labelled_add_a_season_form(db, client):
    w = world(db)
    log_in(client, w.a.admin.login)
    html = client.get(f"/console/products/{w.a.product_id}").text
    forms = _forms(_seasons_section(html))
    season_id = re.search(r"/seasons/(\d+)", html)[1]
    edit = [f for f in forms if f'/seasons/{season_id}"' in f]
    add = [f for f in forms if f'action="/console/products/{w.a.product_id}/seasons"' in f]
    assert len(forms) == 2 and len(edit) == 1 and len(add) == 1
    assert f'name="s{season_id}_nightly_rate_fen" type="text" value="450.00"' in edit[0]
    assert 'aria-labelledby="new-season"' in add[0]
    assert re.search(r'<h3 id="new-season">新增季节</h3>', html)
    assert re.search(r"<tr>\s*<th scope=\"row\">旺季</th>", html)


def test_product_terms_the_engine_refuses_are_said_in_chinese(db, client):
    w = world(db)
    log_in(client, w.a.admin.login)
    page = f"/console/products/{w.a.product_id}"
    r = post_form(client, page, _product_form(base_occupancy="3", max_occupancy="2"), page)
    assert r.status_code == 422
    said = said_beside(r.text, "base_occupancy")
    assert said == "错误：标准入住人数（3 人）不能多于最多入住人数（2 人）。", said
    # the form sends every field: the one changed is named (the base stays 2)
    r = post_form(client, page, _product_form(max_occupancy="1"), page)
    said = said_beside(r.text, "max_occupancy")
    assert said == "错误：最多入住人数（1 人）不能少于标准入住人数（2 人）。", said


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_a_slug_of_digits_alone_is_said_beside_the_field(db, client, lang):
    w = world(db)
    log_in(client, w.a.admin.login)
    client.cookies.set("lang", lang)
    page = client.get("/console/products").text
    hint = {"zh-CN": "不能全是数字", "en": "not all digits"}[lang]
    assert hint in page  # the form says the rule before it is broken
    form = new_product_form(w.a.destination_id, slug="093")
    r = post_form(client, "/console/products", form, "/console/products")
    assert r.status_code == 422
    said = {"zh-CN": "产品标识不能全是数字", "en": "A slug cannot be all digits"}[lang]
    assert said in said_beside(r.text, "slug"), said_beside(r.text, "slug")


def _products_listed(html: str) -> set[str]:
    return set(re.findall(r'href="/console/products/(\d+)"', html))


def test_the_products_list_takes_and_refuses_the_apis_filters(db, client):
    """The console's products are ``GET /v1/admin/products``'s (``operators.lists``): its
    destination filter, said beside the list's own select (the new product's form has a
    destination too), and what the API refuses refused alike, nothing listed. Until
    December 2026 the page listed every product whatever its address said."""
    from tests.support.console import refused_alike, summary_of

    w = world(db)
    assert log_in(client, w.a.admin.login).status_code == 303
    assert _products_listed(client.get("/console/products").text) == {str(w.a.product_id)}
    cases = [
        (f"destination_id={w.b.destination_id}", 404, "destination_id", "filter-destination_id"),
        ("destination_id=abc", 422, "destination_id", "filter-destination_id"),
        ("cursor=garbage", 422, "cursor", "_form"),
        ("foo=1", 422, "foo", "_form"),
    ]
    refused_alike(
        client, "/v1/admin/products", "/console/products", cases, w.a.admin.headers,
        _products_listed,
    )  # fmt: skip
    en = client.get("/console/products?foo=1", headers={"Accept-Language": "en"}).text
    assert "this page does not take, “foo”" in summary_of(en)
    refused = client.get("/console/products?destination_id=abc").text
    assert refused.count('id="filter-destination_id"') == 1
    assert '<a href="#filter-destination_id">' in summary_of_links(refused)
    province = client.__class__(client.app, base_url=str(client.base_url))
    assert log_in(province, w.province.login).status_code == 303
    every = province.get("/console/products").text
    assert _products_listed(every) == {str(w.a.product_id), str(w.b.product_id)}
    assert every.count('id="filter-destination_id"') == 1
    only_b = province.get(f"/console/products?destination_id={w.b.destination_id}").text
    assert _products_listed(only_b) == {str(w.b.product_id)}


def summary_of_links(html: str) -> str:
    box = re.search(r'<div class="form-summary"[^>]*>(.*?)</div>', html, re.S)
    return box.group(1) if box else ""
