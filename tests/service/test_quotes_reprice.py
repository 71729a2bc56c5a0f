"""Rule versions: a quote names the versions it used; reprice reproduces it exactly."""

import pytest
from freezegun import freeze_time
from sqlmodel import select

from catalog.models import DiscountRuleVersion, Product, Season
from service.errors import DomainError
from service.quotes.models import Quote
from service.quotes.payload import line_json
from service.quotes.service import reprice
from tests.service.test_quotes_api import (
    BOOKING_MOMENT,
    Example,
    build_worked_example,
    new_rule_version,
)
from tests.support.quotes import quote_lines


@pytest.fixture
def example(session) -> Example:
    return build_worked_example(session)


def make_quote(client, example: Example) -> dict:
    with freeze_time(BOOKING_MOMENT):
        r = client.post("/v1/quotes", json=example.body())
    assert r.status_code == 201, r.text
    return r.json()


def stored(session, quote_id: str) -> Quote:
    session.expire_all()
    return session.get(Quote, quote_id)


def test_reprice_reproduces_the_stored_lines_and_total(client, session, example):
    q = make_quote(client, example)
    again = reprice(session, stored(session, q["id"]))
    assert again.total_fen == q["total_fen"] == 875_288
    assert [line_json(line) for line in again.lines] == stored(session, q["id"]).priced["lines"]


def test_new_rule_version_changes_new_quotes_but_not_the_reprice_of_old_ones(
    client, session, example
):
    old = make_quote(client, example)
    new_rule_version(session, example.long_stay_id, tiers=[{"threshold": 10, "bps": 1000}])

    new = make_quote(client, example)
    long_stay = next(ln for ln in quote_lines(new) if ln["rule_kind"] == "long_stay")
    assert (long_stay["rule_version"], long_stay["bps"], long_stay["amount_fen"]) == (
        2,
        1000,
        61_200,
    )
    assert (example.long_stay_id, 2) in [(r["rule_id"], r["version"]) for r in new["rules_used"]]
    assert new["total_fen"] != old["total_fen"]

    repriced = reprice(session, stored(session, old["id"]))
    assert repriced.total_fen == old["total_fen"] == 875_288
    assert (example.long_stay_id, 1) in repriced.rules_used


def test_reprice_ignores_later_rate_changes(client, session, example):
    q = make_quote(client, example)
    product = session.get(Product, example.product_id)
    product.base_rate_fen = 99_000
    session.add(product)
    for season in session.exec(select(Season).where(Season.product_id == example.product_id)):
        season.nightly_rate_fen = 99_000
        session.add(season)
    session.commit()
    assert reprice(session, stored(session, q["id"])).total_fen == 875_288


def test_reprice_uses_the_versions_in_force_even_if_the_rule_was_withdrawn(
    client, session, example
):
    q = make_quote(client, example)
    new_rule_version(session, example.pack_bundle_id, bps=0)
    assert reprice(session, stored(session, q["id"])).total_fen == 875_288


def test_quote_stores_every_rule_version_in_force(client, session, example):
    q = make_quote(client, example)
    assert stored(session, q["id"]).rule_versions == [
        [example.long_stay_id, 1],
        [example.advance_id, 1],
        [example.pack_bundle_id, 1],
        [example.stub_rule_id, 1],
    ]


def test_reprice_refuses_when_a_stored_rule_version_is_gone(client, session, example):
    q = make_quote(client, example)
    version = session.get(DiscountRuleVersion, (example.advance_id, 1))
    session.delete(version)
    session.commit()
    with pytest.raises(DomainError) as caught:
        reprice(session, stored(session, q["id"]))
    assert caught.value.code == "rule_version_missing"
