"""The admin API's catalogue: destination facts, products (create, edit, retire),
seasons (overlaps refused, filed prices), add-on packs and which products offer them.
Every refusal names its field and writes nothing; every change is audited."""

from datetime import date, timedelta

from sqlmodel import select

from catalog.models import Product, Season
from tests.service.booking_support import item, quote_http
from tests.support.operators import FIRST, add_operator, world
from tests.support.quotes import quote_lines

PRODUCT = {
    "slug": "a-lakeside-cabin",
    "name_zh": "湖畔木屋",
    "name_en": "Lakeside cabin",
    "theme": "forest_healing",
    "unit_type": "cabin",
    "base_occupancy": 2,
    "max_occupancy": 4,
    "min_nights": 1,
    "base_rate_fen": 30_000,
    "filed_rate_fen": 40_000,
    "refund_policy": [
        {"min_days_before_check_in": 3, "refund_bps": 5000},
        {"min_days_before_check_in": 14, "refund_bps": 10000},
    ],
}


def _audit(client, op, entity):
    items = client.get(f"/v1/admin/audit?entity={entity}", headers=op.headers).json()["items"]
    return items


def test_admin_creates_edits_and_retires_a_product(db, client):
    w = world(db)
    h = w.a.admin.headers
    r = client.post(
        "/v1/admin/products", json={**PRODUCT, "destination_id": w.a.destination_id}, headers=h
    )
    assert r.status_code == 201, r.text
    p = r.json()
    assert p["filed_rate_fen"] == 40_000 and p["is_active"] is True
    # the policy is kept highest days first
    assert [t["min_days_before_check_in"] for t in p["refund_policy"]] == [14, 3]
    r = client.patch(f"/v1/admin/products/{p['id']}", json={"base_rate_fen": 32_000}, headers=h)
    assert r.status_code == 200 and r.json()["base_rate_fen"] == 32_000
    history = client.get(f"/v1/products/{p['id']}/rate-history").json()["items"]
    assert history[0]["old_rate_fen"] == 30_000 and history[0]["new_rate_fen"] == 32_000
    assert (
        client.post(f"/v1/admin/products/{p['id']}/retire", headers=h).json()["is_active"] is False
    )
    entries = _audit(client, w.a.admin, "product")
    assert [e["action"] for e in entries][:3] == ["retire", "update", "create"]
    assert entries[1]["before"] == {"base_rate_fen": 30_000}
    assert entries[1]["after"] == {"base_rate_fen": 32_000}


def test_a_product_and_its_seasons_show_the_filed_price_as_stored(db, client):
    w = world(db)  # product a: nothing filed, one season without a filed price
    url = f"/v1/admin/products/{w.a.product_id}"
    r = client.patch(url, json={"base_rate_fen": 99_999_999}, headers=w.a.admin.headers)
    assert r.status_code == 200, r.text
    with db.session() as s:
        stored = s.get(Product, w.a.product_id).filed_rate_fen
        rows = s.exec(select(Season).where(Season.product_id == w.a.product_id)).all()
        seasons = {x.id: x.filed_rate_fen for x in rows}
    assert stored is None
    assert r.json()["base_rate_fen"] == 99_999_999 and r.json()["filed_rate_fen"] is None
    shown = client.get(url, headers=w.province.headers).json()
    assert shown["filed_rate_fen"] is None
    assert {x["id"]: x["filed_rate_fen"] for x in shown["seasons"]} == seasons
    assert set(seasons.values()) == {None}


def test_staff_and_the_province_change_no_product(db, client):
    w = world(db)
    body = {**PRODUCT, "destination_id": w.a.destination_id}
    for op in (w.a.staff, w.province):
        r = client.post("/v1/admin/products", json=body, headers=op.headers)
        assert r.status_code == 403 and r.json()["code"] == "forbidden_role"
        r = client.patch(
            f"/v1/admin/products/{w.a.product_id}", json={"base_rate_fen": 1}, headers=op.headers
        )
        assert r.status_code == 403


def test_bad_products_are_refused_naming_the_field(db, client):
    w = world(db)
    h = w.a.admin.headers
    base = {**PRODUCT, "destination_id": w.a.destination_id}
    cases = [
        # both sent (a new product's): the base occupancy, which must fit the maximum
        ({"max_occupancy": 1}, 422, "invalid_product", "base_occupancy"),
        ({"base_rate_fen": 50_000}, 422, "above_filed_price", "base_rate_fen"),
        (
            {
                "refund_policy": [
                    {"min_days_before_check_in": 14, "refund_bps": 5000},
                    {"min_days_before_check_in": 3, "refund_bps": 8000},
                ]
            },
            422,
            "invalid_refund_policy",
            "refund_policy[1].min_days_before_check_in",
        ),
        ({"slug": "product-a"}, 409, "slug_taken", "slug"),
    ]
    for change, status, code, field in cases:
        r = client.post("/v1/admin/products", json={**base, **change}, headers=h)
        assert (r.status_code, r.json()["code"], r.json()["field"]) == (status, code, field)
    assert _audit(client, w.a.admin, "product") == []
    r = client.patch(
        f"/v1/admin/products/{w.a.product_id}", json={"base_rate_fen": None}, headers=h
    )
    assert r.status_code == 422


def test_a_rate_above_its_filed_price_names_the_one_the_request_changes(db, client):
    """PATCH ``filed_rate_fen`` 100 under a base rate of 30,000 is refused naming
    ``filed_rate_fen`` (it named ``base_rate_fen``, which the request did not send); a
    base rate above the filed price names ``base_rate_fen``, and so does a request that
    changes both. ``value`` is the rate, ``limit`` the filed price, either way."""
    w = world(db)
    product = f"/v1/admin/products/{w.a.product_id}"
    h = {**w.a.admin.headers, "Accept-Language": "en"}
    assert client.patch(product, json={"filed_rate_fen": 40_000}, headers=h).status_code == 200
    base = client.get(product, headers=h).json()["base_rate_fen"]
    cases = [
        ({"filed_rate_fen": 100}, "filed_rate_fen", (base, 100)),
        ({"base_rate_fen": 50_000}, "base_rate_fen", (50_000, 40_000)),
        ({"base_rate_fen": 50_000, "filed_rate_fen": 45_000}, "base_rate_fen", (50_000, 45_000)),
    ]
    for change, field, (value, limit) in cases:
        r = client.patch(product, json=change, headers=h)
        body = r.json()
        assert (r.status_code, body["code"], body["field"]) == (422, "above_filed_price", field)
        assert (body["value"], body["limit"]) == (value, limit)
    r = client.patch(product, json={"filed_rate_fen": 100}, headers=h)
    assert r.json()["detail"] == (
        f"The filed list price (备案价) of 100 fen is below the base rate of {base} fen."
    )
    r = client.patch(product, json={"filed_rate_fen": 100}, headers=w.a.admin.headers)
    assert r.json()["detail"] == f"备案价 100 分低于基础房价 {base} 分。"
    assert client.get(product, headers=h).json()["filed_rate_fen"] == 40_000


def test_contradicting_occupancies_or_nights_name_the_field_changed_in_words(db, client):
    """A PATCH whose occupancy or nights contradict the product's other one names the
    field it sent (both sent and changed: the base occupancy, the maximum nights), in
    words a person reads in the caller's language, never "Need 1 <= base_occupancy <=
    max_occupancy." naming ``max_occupancy`` for a ``base_occupancy`` sent."""
    w = world(db)
    product = f"/v1/admin/products/{w.a.product_id}"
    set_up = {"base_occupancy": 2, "max_occupancy": 3, "min_nights": 3, "max_nights": 5}
    assert client.patch(product, json=set_up, headers=w.a.admin.headers).status_code == 200
    before = client.get(product, headers=w.a.admin.headers).json()
    base_said = {
        "en": "The base occupancy (4 guests) cannot be more than the maximum occupancy (3 guests).",
        "zh-CN": "标准入住人数（4 人）不能多于最多入住人数（3 人）。",
    }
    for lang, detail in base_said.items():
        r = client.patch(
            product,
            json={"base_occupancy": 4},
            headers={**w.a.admin.headers, "Accept-Language": lang},
        )
        assert r.status_code == 422
        assert (r.json()["code"], r.json()["field"]) == ("invalid_product", "base_occupancy")
        assert r.json()["detail"] == detail
    cases = [
        ({"max_occupancy": 1}, "max_occupancy",
         "The maximum occupancy (1 guest) cannot be below the base occupancy (2 guests)."),
        ({"base_occupancy": 4, "max_occupancy": 3}, "base_occupancy", base_said["en"]),
        ({"base_occupancy": 2, "max_occupancy": 1}, "max_occupancy",  # the base as it was
         "The maximum occupancy (1 guest) cannot be below the base occupancy (2 guests)."),
        ({"base_occupancy": 4, "max_occupancy": 2}, "base_occupancy",
         "The base occupancy (4 guests) cannot be more than the maximum occupancy (2 guests)."),
        ({"min_nights": 7}, "min_nights",
         "The minimum stay (7 nights) cannot be longer than the maximum stay (5 nights)."),
        ({"max_nights": 2}, "max_nights",
         "The maximum stay (2 nights) cannot be shorter than the minimum stay (3 nights)."),
        ({"min_nights": 7, "max_nights": 6}, "max_nights",
         "The maximum stay (6 nights) cannot be shorter than the minimum stay (7 nights)."),
    ]  # fmt: skip
    english = {**w.a.admin.headers, "Accept-Language": "en"}
    for change, field, detail in cases:
        r = client.patch(product, json=change, headers=english)
        assert r.status_code == 422, change
        assert (r.json()["code"], r.json()["field"], r.json()["detail"]) == (
            "invalid_product", field, detail,
        ), change  # fmt: skip
    r = client.patch(
        product, json={"max_nights": 2}, headers={**w.a.admin.headers, "Accept-Language": "zh-CN"}
    )
    assert r.json()["detail"] == "最多晚数（2 晚）不能少于最少晚数（3 晚）。"
    assert client.get(product, headers=w.a.admin.headers).json() == before


def test_a_sale_that_ends_before_it_begins_is_refused_in_words(db, client):
    w = world(db)
    product = f"/v1/admin/products/{w.a.product_id}"
    dates = {"sold_from": "2027-05-02", "sold_until": "2027-05-01"}
    said = {
        "en": "The last night on sale (2027-05-01) cannot be before the first night on sale "
        "(2027-05-02).",
        "zh-CN": "停售日期（2027-05-01）不能早于开售日期（2027-05-02）。",
    }
    for lang, detail in said.items():
        r = client.patch(
            product, json=dates, headers={**w.a.admin.headers, "Accept-Language": lang}
        )
        assert r.status_code == 422
        assert (r.json()["code"], r.json()["field"], r.json()["detail"]) == (
            "invalid_range",  # every inclusive range's code (README, "Date ranges")
            "sold_until",
            detail,
        )


def test_seasons_refuse_overlaps_and_rates_above_the_filed_price(db, client):
    w = world(db)
    h = w.a.admin.headers
    url = f"/v1/admin/products/{w.a.product_id}/seasons"
    existing = client.get(f"/v1/admin/products/{w.a.product_id}", headers=h).json()["seasons"][0]
    start = FIRST + timedelta(days=30)
    season = {
        "name_zh": "冬季",
        "name_en": "Winter",
        "start_date": start.isoformat(),
        "end_date": (start + timedelta(days=10)).isoformat(),
        "nightly_rate_fen": 50_000,
        "filed_rate_fen": 55_000,
    }
    overlap = {**season, "start_date": existing["start_date"]}
    r = client.post(url, json=overlap, headers=h)
    assert r.status_code == 409 and r.json()["code"] == "season_overlap"
    assert r.json()["field"] == "start_date" and r.json()["season_id"] == existing["id"]
    named = {k: existing[k] for k in ("name_zh", "name_en", "start_date", "end_date")}
    assert {k: r.json()[k] for k in named} == named  # the other season, as it is stored
    # a season that begins before the other and runs into it: its end is named
    before = FIRST + timedelta(days=5)
    into = {**season, "start_date": before.isoformat(), "end_date": existing["end_date"]}
    r = client.post(url, json=into, headers=h)
    assert (r.status_code, r.json()["code"], r.json()["field"]) == (
        409,
        "season_overlap",
        "end_date",
    )
    # [start_date, end_date) is half-open, like a stay: empty is invalid_date_range
    r = client.post(url, json={**season, "end_date": season["start_date"]}, headers=h)
    assert (r.status_code, r.json()["code"], r.json()["field"]) == (
        422,
        "invalid_date_range",
        "end_date",
    )
    # in the product page's words ("end_date (the first night after the season) must be
    # after start_date." until December 2026)
    first = season["start_date"]
    assert r.json()["detail"] == f"结束日期（{first}，季节后的第一晚）须晚于第一晚（{first}）。"
    r = client.post(url, json={**season, "nightly_rate_fen": 60_000}, headers=h)
    assert (r.status_code, r.json()["code"], r.json()["field"]) == (
        422,
        "above_filed_price",
        "nightly_rate_fen",
    )
    r = client.post(url, json=season, headers=h)
    assert r.status_code == 201, r.text
    created = r.json()
    # the filed price (备案价) of a season is set through the API
    r = client.patch(f"{url}/{created['id']}", json={"filed_rate_fen": 52_000}, headers=h)
    assert r.status_code == 200 and r.json()["filed_rate_fen"] == 52_000
    # a filed price lowered below the season's rate is refused naming the filed price
    r = client.patch(f"{url}/{created['id']}", json={"filed_rate_fen": 49_000}, headers=h)
    assert r.status_code == 422 and r.json()["field"] == "filed_rate_fen"
    assert (r.json()["value"], r.json()["limit"]) == (50_000, 49_000)
    r = client.patch(f"{url}/{created['id']}", json={"nightly_rate_fen": 53_000}, headers=h)
    assert r.status_code == 422 and r.json()["field"] == "nightly_rate_fen"
    history = client.get(f"/v1/products/{w.a.product_id}/rate-history").json()["items"]
    assert history[0]["source"] == "season" and history[0]["new_rate_fen"] == 50_000
    # the next quote prices the season's nights at its rate
    q = quote_http(client, item(w.a.product_id, check_in=start, nights=2))
    stay = next(ln for ln in quote_lines(q) if ln["kind"] == "accommodation")
    assert stay["amount_fen"] == 2 * 50_000
    r = client.delete(f"{url}/{created['id']}", headers=h)
    assert r.status_code == 204
    actions = [e["action"] for e in _audit(client, w.a.admin, "season")]
    assert actions == ["delete", "update", "create"]


def test_a_season_overlap_names_the_date_the_patch_sent(db, client):
    """A PATCH that moves only a season's end into the next season is refused on
    ``end_date`` (it named ``start_date``, a field the request never sent); one that
    moves only the start, on ``start_date``; both sent, the date that runs into it."""
    w = world(db)
    h = w.a.admin.headers | {"Accept-Language": "en"}
    url = f"/v1/admin/products/{w.a.product_id}/seasons"
    peak = client.get(f"/v1/admin/products/{w.a.product_id}", headers=h).json()["seasons"][0]
    early = {
        "name_zh": "初春",
        "name_en": "Early spring",
        "start_date": (FIRST + timedelta(days=5)).isoformat(),
        "end_date": peak["start_date"],
        "nightly_rate_fen": 40_000,
    }
    r = client.post(url, json=early, headers=h)
    assert r.status_code == 201, r.text
    early_id = r.json()["id"]
    later_end = (FIRST + timedelta(days=12)).isoformat()
    earlier_start = (FIRST + timedelta(days=3)).isoformat()
    for season_id, change, field, other in (
        (early_id, {"end_date": later_end}, "end_date", peak["id"]),
        (early_id, {"start_date": earlier_start, "end_date": later_end}, "end_date", peak["id"]),
        (peak["id"], {"start_date": earlier_start}, "start_date", early_id),
    ):
        r = client.patch(f"{url}/{season_id}", json=change, headers=h)
        assert (r.status_code, r.json()["code"], r.json()["field"]) == (
            409,
            "season_overlap",
            field,
        ), change
        assert r.json()["season_id"] == other


def test_a_filed_price_below_a_published_override_is_refused(db, client):
    w = world(db)
    h = w.a.admin.headers
    edit = {
        "product_ids": [w.a.product_id],
        "from": FIRST.isoformat(),
        "to": FIRST.isoformat(),
        "set": {"rate_override_fen": 28_000},
    }
    assert client.post("/v1/admin/calendar/apply", json=edit, headers=h).status_code == 200
    r = client.patch(
        f"/v1/admin/products/{w.a.product_id}",
        json={"filed_rate_fen": 27_000, "base_rate_fen": 20_000},
        headers=h,
    )
    assert (r.status_code, r.json()["code"], r.json()["field"]) == (
        422,
        "above_filed_price",
        "filed_rate_fen",
    )
    assert (
        client.get(f"/v1/admin/products/{w.a.product_id}", headers=h).json()["base_rate_fen"]
        != 20_000
    )


def test_packs_are_offered_only_by_products_of_their_destination(db, client):
    w = world(db)
    both = add_operator(
        db, "admin-both", "operator_admin", [w.a.destination_id, w.b.destination_id]
    )
    h = both.headers
    pack = {
        "code": "a-forest-walks",
        "kind": "therapy",
        "name_zh": "森林步道",
        "name_en": "Forest walks",
        "price_fen": 20_000,
        "basis": "per_guest",
    }
    a_pack = client.post(
        "/v1/admin/packs", json={**pack, "destination_id": w.a.destination_id}, headers=h
    ).json()
    b_pack = client.post(
        "/v1/admin/packs",
        json={**pack, "code": "b-forest-walks", "destination_id": w.b.destination_id},
        headers=h,
    ).json()
    url = f"/v1/admin/products/{w.a.product_id}/packs"
    r = client.put(url, json={"pack_ids": [a_pack["id"], b_pack["id"]]}, headers=h)
    assert (r.status_code, r.json()["code"], r.json()["field"]) == (
        422,
        "pack_not_at_destination",
        "pack_ids[1]",
    )
    r = client.put(url, json={"pack_ids": [a_pack["id"]]}, headers=h)
    assert r.status_code == 200 and r.json()["pack_ids"] == [a_pack["id"]]
    listed = client.get(
        f"/v1/admin/packs?destination_id={w.a.destination_id}", headers=w.a.admin.headers
    ).json()["items"]
    assert [(p["code"], p["product_ids"]) for p in listed] == [("a-forest-walks", [w.a.product_id])]
    r = client.patch(f"/v1/admin/packs/{a_pack['id']}", json={"price_fen": 25_000}, headers=h)
    assert r.json()["price_fen"] == 25_000 and r.json()["product_ids"] == [w.a.product_id]
    r = client.post(
        "/v1/admin/packs", json={**pack, "destination_id": w.a.destination_id}, headers=h
    )
    assert r.status_code == 409 and r.json()["code"] == "pack_code_taken"


def test_destination_facts_change_with_certifications_checked(db, client):
    w = world(db)
    h = w.a.admin.headers
    url = f"/v1/admin/destinations/{w.a.destination_id}"
    r = client.patch(url, json={"certifications": ["forest_healing_base", "made_up"]}, headers=h)
    assert (r.status_code, r.json()["code"], r.json()["field"]) == (
        422,
        "invalid_certification",
        "certifications[1]",
    )
    r = client.patch(
        url,
        json={"certifications": ["forest_healing_base"], "nearest_hospital_km": 3.5},
        headers=h,
    )
    assert r.status_code == 200
    assert r.json()["certifications"] == ["forest_healing_base"]
    assert r.json()["nearest_hospital_km"] == 3.5
    entry = _audit(client, w.a.admin, "destination")[0]
    assert entry["after"]["nearest_hospital_km"] == 3.5
    assert client.patch(url, json={"has_5g": None}, headers=h).status_code == 422


def _override(client, w, night, rate):
    edit = {
        "product_ids": [w.a.product_id],
        "from": night.isoformat(),
        "to": night.isoformat(),
        "set": {"rate_override_fen": rate},
    }
    r = client.post("/v1/admin/calendar/apply", json=edit, headers=w.a.admin.headers)
    assert r.status_code == 200, r.text


def test_a_base_rate_lowered_below_an_override_is_refused_where_nothing_is_filed(db, client):
    w = world(db)  # product a: base 38,000, nothing filed: the base rate is the ceiling
    h = w.a.admin.headers
    url = f"/v1/admin/products/{w.a.product_id}"
    _override(client, w, FIRST + timedelta(days=2), 37_000)
    _override(client, w, FIRST + timedelta(days=3), 36_000)
    r = client.patch(url, json={"base_rate_fen": 20_000}, headers=h)
    body = r.json()
    assert (r.status_code, body["code"], body["field"]) == (
        422,
        "above_filed_price",
        "base_rate_fen",
    )
    assert body["night"] == (FIRST + timedelta(days=2)).isoformat()
    assert (body["value"], body["limit"]) == (37_000, 20_000)
    assert client.get(url, headers=h).json()["base_rate_fen"] == 38_000
    # raising it, or lowering it to the overrides, is fine
    assert client.patch(url, json={"base_rate_fen": 37_000}, headers=h).status_code == 200
    assert client.patch(url, json={"name_en": "Cabin"}, headers=h).status_code == 200


def test_a_season_rate_lowered_below_an_override_in_it_is_refused_where_nothing_is_filed(
    db, client
):
    w = world(db)  # its season FIRST+10..FIRST+20 at 45,000, nothing filed
    h = w.a.admin.headers
    season = client.get(f"/v1/admin/products/{w.a.product_id}", headers=h).json()["seasons"][0]
    _override(client, w, FIRST + timedelta(days=12), 44_000)
    url = f"/v1/admin/products/{w.a.product_id}/seasons/{season['id']}"
    r = client.patch(url, json={"nightly_rate_fen": 40_000}, headers=h)
    body = r.json()
    assert (r.status_code, body["code"], body["field"]) == (
        422,
        "above_filed_price",
        "nightly_rate_fen",
    )
    assert body["night"] == (FIRST + timedelta(days=12)).isoformat()


def test_a_base_rate_change_shows_in_the_history_only_on_the_nights_it_prices(db, client):
    w = world(db)  # product a: season FIRST+10..FIRST+20 at 45,000
    h = w.a.admin.headers
    _override(client, w, FIRST + timedelta(days=2), 30_000)
    before = client.get(f"/v1/products/{w.a.product_id}/rate-history").json()["items"]
    r = client.patch(
        f"/v1/admin/products/{w.a.product_id}", json={"base_rate_fen": 36_000}, headers=h
    )
    assert r.status_code == 200, r.text
    items = client.get(f"/v1/products/{w.a.product_id}/rate-history").json()["items"]
    runs = [
        (x["first_night"], x["last_night"])
        for x in items[: len(items) - len(before)]
        if x["source"] == "base"
    ]
    nights = set()
    for first, last in runs:
        d = date.fromisoformat(first)
        while d <= date.fromisoformat(last):
            nights.add(d)
            d += timedelta(days=1)
    assert FIRST + timedelta(days=2) not in nights  # its override did not move
    assert not any(FIRST + timedelta(days=k) in nights for k in range(10, 20))  # the season
    assert {
        FIRST + timedelta(days=1),
        FIRST + timedelta(days=3),
        FIRST + timedelta(days=20),
    } <= nights
    assert all(x["old_rate_fen"] == 38_000 and x["new_rate_fen"] == 36_000 for x in items[:3])


def test_the_admin_season_shows_both_names(db, client):
    w = world(db)
    url = f"/v1/admin/products/{w.a.product_id}"
    (season,) = client.get(url, headers=w.a.admin.headers).json()["seasons"]
    assert (season["name"], season["name_zh"], season["name_en"]) == ("旺季", "旺季", "Peak")
    h = w.a.admin.headers | {"Accept-Language": "en"}
    r = client.patch(f"{url}/seasons/{season['id']}", json={"name_zh": "盛夏"}, headers=h)
    assert (r.json()["name"], r.json()["name_zh"], r.json()["name_en"]) == ("Peak", "盛夏", "Peak")


def test_a_slug_of_digits_alone_is_refused_as_it_would_name_another_product(db, client):
    """/v1/products/{id_or_slug} reads digits as an id: /v1/products/093 is product 93,
    so a product's slug is never all digits (422 slug_all_digits naming slug)."""
    w = world(db)
    base = {**PRODUCT, "destination_id": w.a.destination_id}
    for slug in ("12345", "093", str(w.a.product_id).zfill(3)):
        for lang, words in (("zh-CN", "不能全是数字"), ("en", "must not be all digits")):
            r = client.post(
                "/v1/admin/products",
                json={**base, "slug": slug},
                headers={**w.a.admin.headers, "Accept-Language": lang},
            )
            body = r.json()
            assert (r.status_code, body["code"], body["field"]) == (
                422,
                "validation_error",
                "slug",
            ), r.text
            assert body["errors"][0]["code"] == "slug_all_digits"
            assert words in body["errors"][0]["message"], body
    assert _audit(client, w.a.admin, "product") == []
    r = client.post(
        "/v1/admin/products", json={**base, "slug": "cabin-093"}, headers=w.a.admin.headers
    )
    assert (
        r.status_code == 201 and client.get("/v1/products/cabin-093").json()["id"] == r.json()["id"]
    )


def test_no_demo_slug_reads_as_an_id(demo_db):
    from catalog.models import Destination, Route
    from catalog.vocab import reads_as_id

    with demo_db.session() as s:
        slugs = [*s.exec(select(Product.slug)), *s.exec(select(Destination.slug))]
        slugs += list(s.exec(select(Route.slug)))
    assert slugs and not [slug for slug in slugs if reads_as_id(slug)]


def _kept_fields(model) -> list[str]:
    """The fields of a PATCH model that may be left out but not set to null."""
    from service.text import not_null

    return [
        name
        for name, info in model.model_fields.items()
        if any(getattr(m, "func", None) is not_null for m in info.metadata)
    ]


def test_every_patch_refuses_a_null_naming_its_field_in_both_languages(db, client):
    """A PATCH may leave a field out, not set it to null: the refusal names the field
    (never ``body``) and says so in the caller's language (it said「值无效：name_zh
    cannot be null」 naming ``body``). Every PATCH of the admin API, every such field."""
    from service.operators import catalogue_schemas as schemas

    w = world(db)
    product = f"/v1/admin/products/{w.a.product_id}"
    patches = {
        f"/v1/admin/destinations/{w.a.destination_id}": schemas.DestinationFactsIn,
        product: schemas.ProductPatch,
        f"{product}/seasons/1": schemas.SeasonPatch,
        "/v1/admin/packs/1": schemas.PackPatch,
    }
    said = {
        "zh-CN": "不能为 null：不修改此项请不要发送该字段。",
        "en": "must not be null: leave the field out to keep its value",
    }
    assert {"name_zh", "base_rate_fen"} <= set(_kept_fields(schemas.ProductPatch))
    assert "nightly_rate_fen" in _kept_fields(schemas.SeasonPatch)
    for url, model in patches.items():
        for name in _kept_fields(model):
            for lang, words in said.items():
                headers = {**w.a.admin.headers, "Accept-Language": lang}
                r = client.patch(url, json={name: None}, headers=headers)
                problem = r.json()
                assert r.status_code == 422, (url, name, r.text)
                assert (problem["code"], problem["field"]) == ("validation_error", name)
                assert problem["errors"][0]["code"] == "not_nullable", r.text
                assert problem["errors"][0]["message"] == words, r.text
    # a field that may be emptied still may (the filed price: none filed)
    r = client.patch(product, json={"filed_rate_fen": None}, headers=w.a.admin.headers)
    assert r.status_code == 200, r.text
