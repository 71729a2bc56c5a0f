"""POST /v1/quotes and GET /v1/quotes/{id}: the worked example, storage, expiry, channel."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from freezegun import freeze_time
from sqlmodel import select

from catalog.models import DiscountRule, DiscountRuleVersion, Product, Season
from service.app import create_app
from service.auth import ANONYMOUS, Caller, get_caller
from service.quotes.models import Quote
from service.settings import Settings
from tests.factories import (
    make_destination,
    make_issuer,
    make_line,
    make_pack,
    make_product,
    make_rule,
    make_stub,
)
from tests.support.quotes import quote_lines

BOOKING_MOMENT = "2027-04-20 10:00:00+08:00"


@dataclass
class Example:
    product_id: int
    therapy_id: int
    dining_id: int
    line_id: int
    stub_code: str
    long_stay_id: int
    advance_id: int
    pack_bundle_id: int
    stub_rule_id: int

    def body(self, **changes) -> dict:
        item = {
            "product_id": self.product_id,
            "check_in": "2027-06-25",
            "check_out": "2027-07-09",
            "guests": 2,
            "units": 1,
            "pack_ids": [self.therapy_id, self.dining_id],
        }
        item.update(changes.pop("item", {}))
        body = {
            "items": [item],
            "legs": [{"line_id": self.line_id, "travel_date": "2027-07-09", "riders": 2}],
            "stubs": [self.stub_code],
        }
        body.update(changes)
        return body


def build_worked_example(session) -> Example:
    """The catalogue of the worked example of docs/pricing.md, committed."""
    dest = make_destination(session, name_zh="长白山森林", name_en="Changbai forest")
    therapy = make_pack(
        session,
        dest,
        kind="therapy",
        price_fen=60_000,
        basis="per_week",
        name_zh="森林疗愈套餐",
        name_en="Forest therapy pack",
    )
    dining = make_pack(
        session,
        dest,
        kind="dining",
        price_fen=9_000,
        basis="per_guest_night",
        name_zh="药膳套餐",
        name_en="Herbal dining pack",
    )
    product = make_product(
        session,
        dest,
        seasons=[(date(2027, 7, 1), date(2027, 9, 1), 48_000)],
        packs=[therapy, dining],
        base_rate_fen=38_000,
        base_occupancy=2,
        max_occupancy=3,
        extra_guest_fee_fen=8_000,
        max_discount_bps=3000,
        name_zh="森林疗愈小屋",
        name_en="Forest-healing cabin",
        inventory=(date(2027, 6, 1), 120, 10),
    )
    line = make_line(session, code="L1", fare_fen=5_600, name_zh="接驳专线L1", name_en="Shuttle L1")
    issuer = make_issuer(
        session,
        kind="scenic_area",
        destination=dest,
        name_zh="长白山北景区",
        name_en="Changbai north scenic area",
    )
    stub = make_stub(session, issuer, date(2027, 7, 7), persons=2, code="CBN-0001")
    long_stay = make_rule(
        session,
        "long_stay",
        tiers=[
            {"threshold": 10, "bps": 500},
            {"threshold": 21, "bps": 1000},
            {"threshold": 28, "bps": 1500},
        ],
    )
    advance = make_rule(
        session,
        "advance_booking",
        tiers=[{"threshold": 30, "bps": 500}, {"threshold": 60, "bps": 800}],
    )
    bundle = make_rule(session, "pack_bundle", min_packs=2, bps=1000)
    stub_rule = make_rule(
        session,
        "ticket_stub",
        issuer_id=issuer.id,
        transit_line_ids=[line.id],
        valid_days=3,
        bps=5000,
    )
    session.commit()
    return Example(
        product.id,
        therapy.id,
        dining.id,
        line.id,
        stub.code,
        long_stay.id,
        advance.id,
        bundle.id,
        stub_rule.id,
    )


def new_rule_version(session, rule_id: int, **terms) -> None:
    """What an operator's edit does: a new version row, and the rule points at it."""
    rule = session.get(DiscountRule, rule_id)
    old = session.get(DiscountRuleVersion, (rule_id, rule.current_version))
    fields = old.model_dump(exclude={"version", "created_at"})
    fields.update(terms)
    session.add(
        DiscountRuleVersion(
            **fields, version=rule.current_version + 1, created_at=datetime.now(UTC)
        )
    )
    rule.current_version += 1
    session.add(rule)
    session.commit()


@pytest.fixture
def example(session) -> Example:
    return build_worked_example(session)


def post_quote(client, body, **headers):
    return client.post("/v1/quotes", json=body, headers=headers)


# --- the worked example ----------------------------------------------------------------


def test_worked_example_through_the_api_totals_875288_fen(client, example):
    with freeze_time(BOOKING_MOMENT):
        r = post_quote(client, example.body())
    assert r.status_code == 201, r.text
    q = r.json()
    assert (q["subtotal_fen"], q["discount_total_fen"], q["total_fen"]) == (
        995_200,
        119_912,
        875_288,
    )
    assert q["currency"] == "CNY"
    assert q["booking_date"] == "2027-04-20"


def test_worked_example_lines_name_their_rules_bases_and_bps(client, example):
    with freeze_time(BOOKING_MOMENT):
        q = post_quote(client, example.body()).json()
    got = [
        (
            ln["kind"],
            ln["amount_fen"],
            ln["rule_id"],
            ln["rule_version"],
            ln["rule_kind"],
            ln["base_fen"],
            ln["bps"],
            ln["capped"],
            ln["stub_code"],
        )
        for ln in quote_lines(q)
    ]
    assert got == [
        ("accommodation", 612_000, None, None, None, None, None, False, None),
        ("pack", 120_000, None, None, None, None, None, False, None),
        ("pack", 252_000, None, None, None, None, None, False, None),
        ("discount", 30_600, example.long_stay_id, 1, "long_stay", 612_000, 500, False, None),
        ("discount", 46_512, example.advance_id, 1, "advance_booking", 581_400, 800, False, None),
        ("discount", 37_200, example.pack_bundle_id, 1, "pack_bundle", 372_000, 1000, False, None),
        ("transit", 11_200, None, None, None, None, None, False, None),
        (
            "discount",
            5_600,
            example.stub_rule_id,
            1,
            "ticket_stub",
            11_200,
            5000,
            False,
            "CBN-0001",
        ),
    ]


def test_worked_example_items_and_legs_carry_their_own_lines_and_nets(client, example):
    with freeze_time(BOOKING_MOMENT):
        q = post_quote(client, example.body()).json()
    (item,) = q["items"]
    (leg,) = q["legs"]
    assert (item["product_id"], item["nights"], item["days_ahead"]) == (example.product_id, 14, 66)
    assert (
        item["accommodation_fen"],
        item["packs_fen"],
        item["discount_fen"],
        item["net_fen"],
    ) == (612_000, 372_000, 114_312, 869_688)
    assert [ln["kind"] for ln in item["lines"]] == [
        "accommodation",
        "pack",
        "pack",
        "discount",
        "discount",
        "discount",
    ]
    assert (leg["line_code"], leg["gross_fen"], leg["discount_fen"], leg["net_fen"]) == (
        "L1",
        11_200,
        5_600,
        5_600,
    )
    assert [ln["kind"] for ln in leg["lines"]] == ["transit", "discount"]
    assert len(quote_lines(q)) == 8  # each line once, under its item or leg
    assert "lines" not in q
    assert item["net_fen"] + leg["net_fen"] == q["total_fen"]


def test_worked_example_lists_the_rule_versions_it_used_and_what_the_stub_did(client, example):
    with freeze_time(BOOKING_MOMENT):
        q = post_quote(client, example.body()).json()
    assert [(r["rule_id"], r["version"], r["kind"]) for r in q["rules_used"]] == [
        (example.long_stay_id, 1, "long_stay"),
        (example.advance_id, 1, "advance_booking"),
        (example.pack_bundle_id, 1, "pack_bundle"),
        (example.stub_rule_id, 1, "ticket_stub"),
    ]
    (stub,) = q["stubs"]
    assert stub["code"] == "CBN-0001" and stub["applied"] is True
    assert (stub["applies_to"], stub["leg_index"], stub["rule_id"], stub["amount_fen"]) == (
        "transit",
        0,
        example.stub_rule_id,
        5_600,
    )


def test_labels_follow_accept_language_and_carry_both_languages(client, example):
    with freeze_time(BOOKING_MOMENT):
        zh = post_quote(client, example.body()).json()
        en = post_quote(client, example.body(), **{"Accept-Language": "en"}).json()
    assert quote_lines(zh)[3]["label"] == "长住折扣（14晚，5.00%）"
    assert quote_lines(en)[3]["label"] == "Long-stay discount (14 nights, 5.00%)"
    assert quote_lines(zh)[3]["label_en"] == quote_lines(en)[3]["label_en"]
    assert zh["items"][0]["product_name"] == "森林疗愈小屋"
    assert en["items"][0]["product_name"] == "Forest-healing cabin"
    assert en["rules_used"][0]["name"] == en["rules_used"][0]["name_en"]


def test_stub_codes_are_matched_case_insensitively(client, example):
    with freeze_time(BOOKING_MOMENT):
        r = post_quote(client, example.body(stubs=[" cbn-0001 "]))
    assert r.status_code == 201, r.text
    assert r.json()["stubs"][0]["code"] == "CBN-0001"
    assert r.json()["total_fen"] == 875_288


def test_stub_codes_typed_full_width_are_read_as_typed_like_references(client, example):
    """A Chinese input method's full-width letters, digits and hyphen (and an ideographic
    space around) read as the code (NFKC, ``service.text.typed``), as references, tokens
    and phones are; on POST /v1/quotes and POST /v1/plans's body model alike."""
    from service.plans.schemas import PlanIn

    for typed in ("ＣＢＮ－０００１", "\u3000ｃｂｎ-0001\u3000", "CBN\uff0d0001"):
        with freeze_time(BOOKING_MOMENT):
            r = post_quote(client, example.body(stubs=[typed]))
        assert r.status_code == 201, (typed, r.text)
        assert r.json()["stubs"][0]["code"] == "CBN-0001"
        assert r.json()["total_fen"] == 875_288
    plan = PlanIn.model_validate(
        {
            "earliest_check_in": "2027-06-25",
            "latest_check_out": "2027-07-09",
            "guests": 2,
            "stubs": ["ＣＢＮ－０００１"],
        }
    )
    assert plan.stubs == ["CBN-0001"]
    with freeze_time(BOOKING_MOMENT):
        r = post_quote(client, example.body(stubs=["ＣＢＮ－\x00１"]))
    assert r.status_code == 422 and r.json()["field"] == "stubs[0]", r.text


def test_a_stub_that_finds_no_line_is_reported_unapplied(client, example):
    body = example.body(legs=[])
    with freeze_time(BOOKING_MOMENT):
        q = post_quote(client, body).json()
    assert q["stubs"] == [
        {
            "code": "CBN-0001",
            "issuer_id": q["stubs"][0]["issuer_id"],
            "applied": False,
            "applies_to": None,
            "item_index": None,
            "pack_id": None,
            "leg_index": None,
            "rule_id": None,
            "rule_version": None,
            "amount_fen": 0,
            "reason": "nothing_it_discounts",  # its deal discounts rides on L1: none here
        }
    ]
    assert q["total_fen"] == 875_288 - 5_600


# --- storage ---------------------------------------------------------------------------


def test_created_quote_is_at_its_location(client, example):
    with freeze_time(BOOKING_MOMENT):
        r = post_quote(client, example.body())
        fetched = client.get(r.headers["location"])
    assert r.headers["location"] == f"/v1/quotes/{r.json()['id']}"
    assert fetched.status_code == 200
    assert fetched.json()["id"] == r.json()["id"]


def test_fetch_returns_the_quote_unchanged_after_rates_and_rules_change(client, example, session):
    with freeze_time(BOOKING_MOMENT):
        created = post_quote(client, example.body())
    product = session.get(Product, example.product_id)
    product.base_rate_fen = 50_000
    session.add(product)
    for season in session.exec(select(Season).where(Season.product_id == example.product_id)):
        season.nightly_rate_fen = 70_000
        session.add(season)
    session.commit()
    new_rule_version(session, example.long_stay_id, tiers=[{"threshold": 7, "bps": 2000}])
    with freeze_time("2027-04-20 11:00:00+08:00"):
        fetched = client.get(created.headers["location"])
        repriced_now = post_quote(client, example.body()).json()
    assert fetched.status_code == 200
    assert fetched.content == created.content
    assert repriced_now["total_fen"] != created.json()["total_fen"]


def test_a_quote_read_from_its_shown_columns_renders_as_its_whole_row(client, example, db):
    """``get_quote`` reads only the columns a quote shows (not its request, terms and
    rule versions): its answer and page render exactly as from the whole stored row."""
    from service.quotes import schemas, service

    with freeze_time(BOOKING_MOMENT):
        created = post_quote(client, example.body()).json()
    with db.engine.connect() as conn:
        shown = service.get_quote(conn, created["id"], caller=ANONYMOUS)
    with db.session() as s:
        row = s.get(Quote, created["id"])
        for lang in ("zh-CN", "en"):
            assert schemas.render(shown, lang) == schemas.render(row, lang)
            assert schemas.quote_json(shown, lang) == schemas.quote_json(row, lang)
    body = schemas.render(shown, "en")
    assert body["items"] and body["legs"] and body["stubs"] and body["rules_used"]


def test_unknown_quote_id_is_404_problem(client, example):
    r = client.get("/v1/quotes/q_000000000000000000000000")
    assert r.status_code == 404
    assert r.headers["content-type"] == "application/problem+json"
    assert (r.json()["code"], r.json()["field"]) == ("quote_not_found", "quote_id")


def test_overlong_quote_id_is_404_not_an_error(client, example):
    r = client.get("/v1/quotes/" + "x" * 300)
    assert r.status_code == 404
    assert r.json()["code"] == "quote_not_found"


# --- expiry ----------------------------------------------------------------------------


def test_quote_expires_30_minutes_after_it_is_made(client, example):
    with freeze_time(BOOKING_MOMENT):
        q = post_quote(client, example.body()).json()
    assert q["created_at"] == "2027-04-20T02:00:00Z"
    assert q["expires_at"] == "2027-04-20T02:30:00Z"


def test_quote_lifetime_comes_from_settings(db, example):
    settings = db.settings.model_copy(update={"quote_ttl_minutes": 45})
    app = create_app(settings, database=db)
    with TestClient(app) as c, freeze_time(BOOKING_MOMENT):
        q = post_quote(c, example.body()).json()
    created = datetime.fromisoformat(q["created_at"])
    assert datetime.fromisoformat(q["expires_at"]) - created == timedelta(minutes=45)


def test_quote_ttl_setting_refuses_zero():
    with pytest.raises(ValueError):
        Settings(quote_ttl_minutes=0)


# --- channel ---------------------------------------------------------------------------


def _miniprogram_long_stay(session) -> int:
    rule = make_rule(
        session, "long_stay", channels=["miniprogram"], tiers=[{"threshold": 7, "bps": 2500}]
    )
    session.commit()
    return rule.id


def test_anonymous_quote_is_direct_and_misses_a_miniprogram_only_rule(client, example, session):
    mini = _miniprogram_long_stay(session)
    with freeze_time(BOOKING_MOMENT):
        q = post_quote(client, example.body()).json()
    assert q["channel"] == "direct"
    assert mini not in [r["rule_id"] for r in q["rules_used"]]
    assert q["total_fen"] == 875_288


def test_caller_channel_and_client_are_priced_and_stored(app, client, example, session):
    mini = _miniprogram_long_stay(session)
    app.dependency_overrides[get_caller] = lambda: Caller(client_id=7, channel="miniprogram")
    with freeze_time(BOOKING_MOMENT):
        q = post_quote(client, example.body()).json()
    assert q["channel"] == "miniprogram"
    assert (mini, 1) in [(r["rule_id"], r["version"]) for r in q["rules_used"]]
    assert session.get(Quote, q["id"]).client_id == 7


def test_a_clients_quote_is_hidden_from_other_callers(app, client, example):
    app.dependency_overrides[get_caller] = lambda: Caller(client_id=7, channel="ota")
    with freeze_time(BOOKING_MOMENT):
        q = post_quote(client, example.body()).json()
    assert client.get(f"/v1/quotes/{q['id']}").status_code == 200
    app.dependency_overrides[get_caller] = lambda: Caller(client_id=8, channel="ota")
    assert client.get(f"/v1/quotes/{q['id']}").status_code == 404
    del app.dependency_overrides[get_caller]
    assert client.get(f"/v1/quotes/{q['id']}").status_code == 404


def test_an_anonymous_quote_is_hidden_from_partners(app, client, example):
    """A partner cannot book an anonymous quote, so it cannot read one either (404, as
    for any quote that is not the caller's)."""
    with freeze_time(BOOKING_MOMENT):
        q = post_quote(client, example.body()).json()
    assert client.get(f"/v1/quotes/{q['id']}").status_code == 200
    app.dependency_overrides[get_caller] = lambda: Caller(client_id=8, channel="ota")
    r = client.get(f"/v1/quotes/{q['id']}")
    del app.dependency_overrides[get_caller]
    assert r.status_code == 404
    assert r.json()["code"] == "quote_not_found"
