"""Operators' discount rules: create, change by a new version, retire; quotes follow."""

from tests.service.booking_support import item, quote_http
from tests.support.operators import FIRST, rule_body, rule_terms, world


def test_a_new_version_prices_new_quotes_and_old_quotes_keep_theirs(db, client):
    w = world(db)
    h = w.a.admin.headers
    stay = item(w.a.product_id, check_in=FIRST, nights=7)
    created = client.post("/v1/admin/rules", json=rule_body(w), headers=h)
    assert created.status_code == 201, created.text
    rule_id = created.json()["id"]
    old = quote_http(client, stay)
    assert old["discount_total_fen"] == 7 * 38_000 * 5 // 100
    changed = client.post(
        f"/v1/admin/rules/{rule_id}/versions",
        json=rule_terms(rule_body(w, tiers=[{"threshold": 7, "bps": 1000}])),
        headers=h,
    )
    assert changed.status_code == 201 and changed.json()["current_version"] == 2
    versions = client.get(f"/v1/admin/rules/{rule_id}", headers=h).json()["versions"]
    assert [(v["version"], v["created_by"]) for v in versions] == [(1, "admin-a"), (2, "admin-a")]
    new = quote_http(client, stay)
    assert new["discount_total_fen"] == 7 * 38_000 * 10 // 100
    assert client.get(f"/v1/quotes/{old['id']}").json()["total_fen"] == old["total_fen"]
    retired = client.post(f"/v1/admin/rules/{rule_id}/retire", headers=h)
    assert retired.json()["is_active"] is False
    assert quote_http(client, stay)["discount_total_fen"] == 0
    again = client.post(
        f"/v1/admin/rules/{rule_id}/versions", json=rule_terms(rule_body(w)), headers=h
    )
    assert again.status_code == 409 and again.json()["code"] == "rule_retired"
    actions = [
        e["action"] for e in client.get("/v1/admin/audit?entity=rule", headers=h).json()["items"]
    ]
    assert actions == ["retire", "new_version", "create"]


def test_rules_are_scoped_and_checked(db, client):
    w = world(db)
    h = w.a.admin.headers
    foreign = client.post(
        "/v1/admin/rules", json=rule_body(w, destination_ids=[w.b.destination_id]), headers=h
    )
    assert foreign.status_code == 404 and foreign.json()["field"] == "destination_ids[0]"
    other_product = client.post(
        "/v1/admin/rules", json=rule_body(w, product_ids=[w.b.product_id]), headers=h
    )
    assert other_product.status_code == 404 and other_product.json()["field"] == "product_ids[0]"
    bad = client.post("/v1/admin/rules", json=rule_body(w, bps=500), headers=h)
    assert bad.status_code == 422 and bad.json()["code"] == "invalid_rule"
    staff = client.post("/v1/admin/rules", json=rule_body(w), headers=w.a.staff.headers)
    assert staff.status_code == 403
    created = client.post("/v1/admin/rules", json=rule_body(w), headers=h).json()
    assert (
        client.get(f"/v1/admin/rules/{created['id']}", headers=w.b.admin.headers).status_code == 404
    )
    assert [
        r["id"] for r in client.get("/v1/admin/rules", headers=w.b.admin.headers).json()["items"]
    ] == []
    assert client.post("/v1/admin/rules", json=rule_body(w), headers=h).status_code == 409


def test_a_rules_themes_channels_and_pack_kinds_come_from_the_vocabulary(db, client):
    w = world(db)
    h = w.a.admin.headers | {"Accept-Language": "en"}
    for field, value in (
        ("themes", ["nonexistent"]),
        ("channels", ["fax"]),
        ("pack_kinds", ["karaoke"]),
    ):
        r = client.post("/v1/admin/rules", json=rule_body(w, **{field: value}), headers=h)
        assert r.status_code == 422, (field, r.text)
        assert r.json()["field"] == f"{field}[0]", r.json()
        assert r.json()["code"] == "validation_error"
    ok = client.post(
        "/v1/admin/rules",
        json=rule_body(w, themes=["hot_spring", "forest_healing"], channels=["ota"]),
        headers=h,
    )
    assert ok.status_code == 201, ok.text
    assert ok.json()["versions"][-1]["terms"]["themes"] == ["forest_healing", "hot_spring"]
    changed = client.post(
        f"/v1/admin/rules/{ok.json()['id']}/versions",
        json=rule_terms(rule_body(w, themes=["hot_spring", "nonexistent"])),
        headers=h,
    )
    assert changed.status_code == 422 and changed.json()["field"] == "themes[1]"


def test_a_tier_threshold_below_the_kinds_first_is_refused_saying_that_first(db, client):
    """A long-stay tier from -7 nights said "must be 0 or more", and from 0 "Tier
    thresholds start at 1": the schema's bound was not the kind's. Now every threshold
    below the kind's first (1 night of a long stay, 0 days ahead of an advance booking)
    is the engine's one refusal, saying that first, for a new rule and a new version."""
    w = world(db)
    h = {**w.a.admin.headers, "Accept-Language": "en"}
    said = {
        ("long_stay", -7): "Tier 1 must be for at least 1 night; it is for -7.",
        ("long_stay", 0): "Tier 1 must be for at least 1 night; it is for 0.",
        ("advance_booking", -7): "Tier 1 cannot be a negative number of days ahead (-7).",
        ("advance_booking", -1): "Tier 1 cannot be a negative number of days ahead (-1).",
    }
    for kind, first in (("long_stay", 1), ("advance_booking", 0)):
        for threshold in (-7, first - 1):
            body = rule_body(
                w,
                kind=kind,
                key=f"a-{kind.replace('_', '-')}",
                tiers=[{"threshold": threshold, "bps": 500}],
            )
            r = client.post("/v1/admin/rules", json=body, headers=h)
            assert r.status_code == 422, r.text
            assert (r.json()["code"], r.json()["field"]) == ("invalid_rule", "tiers[0].threshold")
            assert r.json()["detail"] == said[kind, threshold]
    created = client.post("/v1/admin/rules", json=rule_body(w), headers=h)
    assert created.status_code == 201, created.text
    r = client.post(
        f"/v1/admin/rules/{created.json()['id']}/versions",
        json=rule_terms(rule_body(w, tiers=[{"threshold": -7, "bps": 500}])),
        headers=h,
    )
    assert (r.status_code, r.json()["field"]) == (422, "tiers[0].threshold")
    assert r.json()["detail"] == said["long_stay", -7]
