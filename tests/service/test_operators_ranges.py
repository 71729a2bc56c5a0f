"""Every inclusive date range of the admin API and the reports, reversed, is one refusal
(README, "Date ranges"): 422 ``invalid_range`` naming the later field, by the one check
``operators.errors.check_days``. Until December 2026 a rule's booking or check-in dates
reversed were 422 ``invalid_rule`` and a product's selling window ``invalid_product``
(the pricing engine's codes). A season's nights are half-open: its reversed or empty
range is ``invalid_date_range`` naming ``end_date``, as every half-open range."""

from tests.support.operators import FIRST, PRODUCT_BODY, rule_body, rule_terms, world

LATER = (FIRST.replace(day=1)).isoformat()


def _reversed(first_field: str, last_field: str) -> dict:
    return {first_field: "2027-03-01", last_field: "2027-02-01"}


def test_every_inclusive_range_reversed_is_invalid_range_naming_its_end(db, client):
    w = world(db)
    h = {**w.a.admin.headers, "Accept-Language": "en"}
    rule = client.post("/v1/admin/rules", json=rule_body(w), headers=h)
    assert rule.status_code == 201, rule.text
    rule_id = rule.json()["id"]
    product = {**PRODUCT_BODY, "destination_id": w.a.destination_id, "slug": "new-cabin"}
    edit = {"product_ids": [w.a.product_id], "set": {"units": 3}}
    cases = [
        ("POST", "/v1/admin/rules",
         rule_body(w, key="rule-b1", **_reversed("booking_from", "booking_to")), "booking_to",
         "The last booking date (2027-02-01) cannot be before the first booking date "
         "(2027-03-01)."),
        ("POST", "/v1/admin/rules",
         rule_body(w, key="rule-c1", **_reversed("check_in_from", "check_in_to")), "check_in_to",
         "The last check-in date (2027-02-01) cannot be before the first check-in date "
         "(2027-03-01)."),
        ("POST", f"/v1/admin/rules/{rule_id}/versions",
         rule_terms(rule_body(w, **_reversed("booking_from", "booking_to"))), "booking_to",
         None),
        ("POST", f"/v1/admin/rules/{rule_id}/versions",
         rule_terms(rule_body(w, **_reversed("check_in_from", "check_in_to"))), "check_in_to",
         None),
        ("POST", "/v1/admin/products",
         {**product, "sold_from": "2027-03-01", "sold_until": "2027-02-01"}, "sold_until",
         "The last night on sale (2027-02-01) cannot be before the first night on sale "
         "(2027-03-01)."),
        ("PATCH", f"/v1/admin/products/{w.a.product_id}",
         {"sold_from": "2027-03-01", "sold_until": "2027-02-01"}, "sold_until", None),
        ("POST", "/v1/admin/calendar/preview",
         {**edit, "from": (FIRST).isoformat(), "to": LATER}, "to",
         f"The end date ({LATER}) cannot be before the start date ({FIRST})."),
        ("GET", f"/v1/admin/products/{w.a.product_id}/calendar?from={FIRST}&to={LATER}",
         None, "to", None),
        ("GET", "/v1/admin/bookings?arriving_from=2027-03-01&arriving_to=2027-02-01", None,
         "arriving_to", None),
        ("GET", "/v1/reports/measures?from=2027-03-01&to=2027-02-01", None, "to", None),
    ]  # fmt: skip
    assert LATER < FIRST.isoformat()
    for method, url, body, field, detail in cases:
        r = client.request(method, url, json=body, headers=h)
        problem = r.json()
        assert (r.status_code, problem["code"], problem["field"]) == (
            422, "invalid_range", field,
        ), (method, url, r.text)  # fmt: skip
        if detail is not None:
            assert problem["detail"] == detail
    # only the province reads the province's reports in full; the same range check
    r = client.get("/v1/reports/measures?from=2027-03-01&to=2027-02-01", headers=w.province.headers)
    assert (r.status_code, r.json()["code"], r.json()["field"]) == (422, "invalid_range", "to")
    zh = client.post(
        "/v1/admin/products",
        json={**product, "sold_from": "2027-03-01", "sold_until": "2027-02-01"},
        headers={**w.a.admin.headers, "Accept-Language": "zh-CN"},
    )
    assert zh.json()["detail"] == "停售日期（2027-02-01）不能早于开售日期（2027-03-01）。"
    # nothing was made or changed
    assert client.get("/v1/admin/rules", headers=h).json()["items"][0]["current_version"] == 1
    slugs = {p["slug"] for p in client.get("/v1/admin/products", headers=h).json()["items"]}
    assert "new-cabin" not in slugs


def test_a_range_of_one_day_is_a_range(db, client):
    """Both ends included: the same day twice is one day, never refused."""
    w = world(db)
    h = w.a.admin.headers
    body = rule_body(w, booking_from="2027-03-01", booking_to="2027-03-01")
    assert client.post("/v1/admin/rules", json=body, headers=h).status_code == 201
    patch = {"sold_from": "2027-03-01", "sold_until": "2027-03-01"}
    assert client.patch(f"/v1/admin/products/{w.a.product_id}", json=patch, headers=h).is_success


def test_a_season_is_half_open_and_says_invalid_date_range(db, client):
    w = world(db)
    season = {
        "name_zh": "冬",
        "name_en": "Winter",
        "start_date": "2030-03-01",
        "end_date": "2030-03-01",  # no night: the end is the first night after it
        "nightly_rate_fen": 100,
    }
    r = client.post(
        f"/v1/admin/products/{w.a.product_id}/seasons", json=season, headers=w.a.admin.headers
    )
    assert (r.status_code, r.json()["code"], r.json()["field"]) == (
        422,
        "invalid_date_range",
        "end_date",
    )
