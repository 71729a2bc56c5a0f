"""Transit lines, ticket-stub deals and the published discount rules (明码标价)."""

from datetime import UTC, date, datetime

import pytest

from catalog.models import DiscountRuleVersion
from tests.factories import (
    make_destination,
    make_issuer,
    make_line,
    make_product,
    make_rule,
)
from tests.service.test_catalog_api import EN, assert_problem


def items(client, url: str, headers=None) -> list[dict]:
    resp = client.get(url, headers=headers)
    assert resp.status_code == 200, resp.text
    return resp.json()["items"]


# --- transit lines ---------------------------------------------------------------------


def test_transit_lines_list_stops_in_order_with_fares(client, session):
    a = make_destination(session, slug="yanji", name_zh="延吉", name_en="Yanji")
    b = make_destination(session, slug="erdao", name_zh="二道白河", name_en="Erdaobaihe")
    line = make_line(
        session,
        code="L1",
        name_zh="长白山专线",
        name_en="Changbai shuttle",
        fare_fen=5_600,
        stops=(b, a),
    )
    make_line(session, code="OLD", is_active=False, stops=(a,))
    session.commit()
    body = items(client, "/v1/transit-lines", headers=EN)
    assert body == [
        {
            "id": line.id,
            "code": "L1",
            "name": "Changbai shuttle",
            "name_zh": "长白山专线",
            "name_en": "Changbai shuttle",
            "fare_fen": 5_600,
            "stops": [
                {
                    "seq": 0,
                    "destination_id": b.id,
                    "destination_slug": "erdao",
                    "destination_name": "Erdaobaihe",
                },
                {
                    "seq": 1,
                    "destination_id": a.id,
                    "destination_slug": "yanji",
                    "destination_name": "Yanji",
                },
            ],
        }
    ]
    zh = items(client, "/v1/transit-lines", headers={"Accept-Language": "zh-CN"})
    assert [s["destination_name"] for s in zh[0]["stops"]] == ["二道白河", "延吉"]


def test_transit_line_pages_walk_every_line_once(client, session):
    made = [make_line(session).code for _ in range(5)]
    session.commit()
    seen, cursor = [], None
    while True:
        resp = client.get("/v1/transit-lines?limit=2" + (f"&cursor={cursor}" if cursor else ""))
        seen += [x["code"] for x in resp.json()["items"]]
        cursor = resp.json()["next"]
        if cursor is None:
            break
    assert seen == made


# --- stub deals --------------------------------------------------------------------------


@pytest.fixture
def stub_world(session):
    park = make_destination(session, slug="north-gate", name_en="North gate")
    line = make_line(session, code="L1", name_en="Shuttle", stops=(park,))
    scenic = make_issuer(
        session, kind="scenic_area", destination=park, code="PARK", name_en="North scenic area"
    )
    on_line = make_issuer(
        session, kind="transit_line", line=line, code="RIDE", name_en="Shuttle ticket office"
    )
    fare_deal = make_rule(
        session,
        "ticket_stub",
        key="park-to-shuttle",
        issuer_id=scenic.id,
        transit_line_ids=[line.id],
        bps=5000,
        valid_days=3,
        channels=["miniprogram", "direct"],
        name_en="Half-price shuttle",
    )
    pack_deal = make_rule(
        session,
        "ticket_stub",
        key="shuttle-to-pack",
        issuer_id=on_line.id,
        pack_kinds=["therapy", "culture"],
        bps=1000,
        valid_days=7,
        name_en="Pack with a shuttle stub",
    )
    make_rule(session, "long_stay", tiers=[{"min_nights": 10, "bps": 500}])
    retired = make_rule(session, "ticket_stub", issuer_id=scenic.id, bps=100)
    retired.is_active = False
    session.commit()
    return {"park": park, "line": line, "fare": fare_deal, "pack": pack_deal}


def test_stub_deals_list_every_active_ticket_stub_rule_with_its_issuer(client, stub_world):
    deals = items(client, "/v1/stub-deals", headers=EN)
    park, line = stub_world["park"], stub_world["line"]
    assert [d["key"] for d in deals] == ["park-to-shuttle", "shuttle-to-pack"]
    fare, pack = deals
    assert fare["rule_id"] == stub_world["fare"].id
    assert fare["name"] == "Half-price shuttle"
    assert fare["issuer"] == {
        "id": fare["issuer"]["id"],
        "code": "PARK",
        "kind": "scenic_area",
        "name": "North scenic area",
        "destination": {
            "id": park.id,
            "slug": "north-gate",
            "name": "North gate",
            "pilot_kind": "county",
            "prefecture": "白山市",
            "prefecture_name": "Baishan",
        },
        "transit_line": None,
    }
    assert fare["transit_lines"] == [{"id": line.id, "code": "L1", "name": "Shuttle"}]
    assert (fare["pack_kinds"], fare["bps"], fare["valid_days"], fare["channels"]) == (
        [],
        5000,
        3,
        ["direct", "miniprogram"],
    )
    assert pack["issuer"]["kind"] == "transit_line"
    assert pack["issuer"]["destination"] is None
    assert pack["issuer"]["transit_line"] == {"id": line.id, "code": "L1", "name": "Shuttle"}
    assert (pack["transit_lines"], pack["pack_kinds"], pack["bps"], pack["valid_days"]) == (
        [],
        ["culture", "therapy"],
        1000,
        7,
    )


def test_stub_deals_are_paginated(client, stub_world):
    first = client.get("/v1/stub-deals?limit=1").json()
    second = client.get(f"/v1/stub-deals?limit=1&cursor={first['next']}").json()
    assert [first["items"][0]["key"], second["items"][0]["key"]] == [
        "park-to-shuttle",
        "shuttle-to-pack",
    ]
    assert second["next"] is None


# --- published discount rules ------------------------------------------------------------


def add_version(session, rule, **terms) -> None:
    session.add(
        DiscountRuleVersion(
            rule_id=rule.id,
            version=rule.current_version + 1,
            kind=rule.kind,
            created_at=datetime.now(UTC),
            **terms,
        )
    )
    rule.current_version += 1


@pytest.fixture
def rules(session):
    spa = make_destination(session, slug="spa-town")
    cabin = make_product(session, spa, slug="spa-cabin")
    long_stay = make_rule(
        session,
        "long_stay",
        key="long-stay",
        tiers=[{"min_nights": 21, "bps": 1000}, {"min_nights": 10, "bps": 500}],
    )
    add_version(
        session,
        long_stay,
        name_zh="长住优惠（新）",
        name_en="Long stay (new)",
        description_zh="住得越久越省",
        description_en="Stay longer, pay less",
        tiers=[{"min_nights": 10, "bps": 600}, {"min_nights": 28, "bps": 1500}],
        themes=["hot_spring"],
        destination_ids=[spa.id],
        product_ids=[cabin.id],
        channels=["ota"],
        booking_from=date(2027, 1, 1),
        booking_to=date(2027, 6, 30),
        check_in_from=date(2027, 3, 1),
        check_in_to=None,
    )
    advance = make_rule(
        session, "advance_booking", key="early", tiers=[{"min_days_ahead": 30, "bps": 500}]
    )
    bundle = make_rule(session, "trip_bundle", key="two-places", bps=800, min_destinations=2)
    packs = make_rule(session, "pack_bundle", key="two-packs", bps=1000, min_packs=2)
    retired = make_rule(session, "pack_bundle", key="retired", bps=2000, min_packs=1)
    retired.is_active = False
    session.commit()
    return {
        "spa": spa,
        "cabin": cabin,
        "long": long_stay,
        "advance": advance,
        "bundle": bundle,
        "packs": packs,
    }


def test_rules_are_the_current_versions_of_active_rules(client, rules):
    body = items(client, "/v1/discount-rules")
    assert [(r["key"], r["version"]) for r in body] == [
        ("long-stay", 2),
        ("early", 1),
        ("two-places", 1),
        ("two-packs", 1),
    ]


def test_a_rule_shows_its_terms_scope_windows_and_channels(client, rules):
    rule = items(client, "/v1/discount-rules?kind=long_stay", headers=EN)[0]
    assert rule == {
        "id": rules["long"].id,
        "key": "long-stay",
        "kind": "long_stay",
        "kind_name": "Long-stay discount",
        "version": 2,
        "name": "Long stay (new)",
        "name_zh": "长住优惠（新）",
        "name_en": "Long stay (new)",
        "description": "Stay longer, pay less",
        "tiers": [{"threshold": 10, "bps": 600}, {"threshold": 28, "bps": 1500}],
        "bps": 0,
        "min_destinations": 0,
        "min_packs": 0,
        "scope": {
            "destinations": ["spa-town"],
            "themes": ["hot_spring"],
            "products": ["spa-cabin"],
        },
        "channels": ["ota"],
        "booking_from": "2027-01-01",
        "booking_to": "2027-06-30",
        "check_in_from": "2027-03-01",
        "check_in_to": None,
        "issuer": None,
        "transit_lines": [],
        "pack_kinds": [],
        "valid_days": 0,
    }


def test_rule_text_in_chinese(client, rules):
    rule = items(client, "/v1/discount-rules?kind=long_stay", headers={"Accept-Language": "zh-CN"})[
        0
    ]
    assert (rule["name"], rule["description"], rule["kind_name"]) == (
        "长住优惠（新）",
        "住得越久越省",
        "长住折扣",
    )


@pytest.mark.parametrize(
    "kind, expected",
    [
        ("advance_booking", ["early"]),
        ("trip_bundle", ["two-places"]),
        ("pack_bundle", ["two-packs"]),
        ("ticket_stub", []),
    ],
)
def test_rules_filter_by_kind(client, rules, kind, expected):
    assert [r["key"] for r in items(client, f"/v1/discount-rules?kind={kind}")] == expected


def test_bundle_rules_show_bps_and_minimums(client, rules):
    bundle, packs = items(client, "/v1/discount-rules")[2:]
    assert (bundle["bps"], bundle["min_destinations"]) == (800, 2)
    assert (packs["bps"], packs["min_packs"]) == (1000, 2)
    assert bundle["scope"] == {"destinations": [], "themes": [], "products": []}


def test_advance_booking_tiers_read_min_days_ahead(client, rules):
    rule = items(client, "/v1/discount-rules?kind=advance_booking")[0]
    assert rule["tiers"] == [{"threshold": 30, "bps": 500}]


def test_ticket_stub_rules_are_published_with_their_issuer(client, stub_world):
    rule = items(client, "/v1/discount-rules?kind=ticket_stub")[0]
    assert rule["issuer"]["code"] == "PARK"
    assert [x["code"] for x in rule["transit_lines"]] == ["L1"]
    assert rule["valid_days"] == 3


def test_rule_pages_walk_every_rule_once(client, rules):
    seen, cursor = [], None
    while True:
        resp = client.get("/v1/discount-rules?limit=2" + (f"&cursor={cursor}" if cursor else ""))
        seen += [r["key"] for r in resp.json()["items"]]
        cursor = resp.json()["next"]
        if cursor is None:
            break
    assert seen == ["long-stay", "early", "two-places", "two-packs"]


@pytest.mark.parametrize(
    "url, code, field",
    [
        ("/v1/discount-rules?kind=half_price", "validation_error", "kind"),
        ("/v1/discount-rules?limit=101", "validation_error", "limit"),
        ("/v1/discount-rules?cursor=xyz", "invalid_cursor", "cursor"),
        ("/v1/stub-deals?limit=101", "validation_error", "limit"),
        ("/v1/transit-lines?cursor=WyJhIl0", "invalid_cursor", "cursor"),
    ],
)
def test_bad_list_parameters_are_422(client, url, code, field):
    assert_problem(client.get(url), 422, code, field)
