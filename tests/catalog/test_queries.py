"""catalog.queries on both backends: each read returns exactly the rows it promises."""

from datetime import UTC, date, datetime

import pytest

from catalog import queries as q
from catalog.models import DiscountRuleVersion, InventoryNight
from tests.factories import make_destination, make_pack, make_product, make_rule

D0 = date(2027, 7, 1)


def ids(rows):
    return [r.id for r in rows]


def test_haversine_one_degree_of_latitude_is_about_111_km():
    assert q.haversine_km(42.0, 128.0, 43.0, 128.0) == pytest.approx(111.19, abs=0.01)


def test_destination_filters_combine(session):
    a = make_destination(
        session,
        themes=("hot_spring", "ice_snow"),
        corridors=("changbai",),
        pilot_kind="resort",
        prefecture="白山市",
    )
    make_destination(
        session,
        themes=("hot_spring",),
        corridors=("changbai",),
        pilot_kind="village",
        prefecture="白山市",
    )
    make_destination(
        session,
        themes=("hot_spring",),
        corridors=("songhua_river",),
        pilot_kind="resort",
        prefecture="白山市",
    )
    make_destination(
        session,
        themes=("forest_healing",),
        corridors=("changbai",),
        pilot_kind="resort",
        prefecture="白山市",
    )
    make_destination(
        session,
        themes=("hot_spring",),
        corridors=("changbai",),
        pilot_kind="resort",
        prefecture="延边州",
    )
    f = q.DestinationFilter(
        theme="hot_spring", pilot_kind="resort", prefecture="白山市", corridor="changbai"
    )
    assert ids(q.list_destinations(session, f)) == [a.id]


def test_destination_list_is_keyset_paginated_by_id(session):
    made = [make_destination(session).id for _ in range(5)]
    first = q.list_destinations(session, q.DestinationFilter(), limit=2)
    rest = q.list_destinations(session, q.DestinationFilter(), after_id=first[-1].id)
    assert ids(first) + ids(rest) == sorted(made)


def test_destinations_near_keeps_those_within_and_sorts_by_distance(session):
    far = make_destination(session, lat=43.0, lon=128.0)  # ~111 km north
    near = make_destination(session, lat=42.1, lon=128.0)  # ~11 km
    middle = make_destination(session, lat=42.0, lon=128.5)  # ~41 km east
    found = q.destinations_near(session, q.DestinationFilter(), 42.0, 128.0, within_km=50)
    assert [r.destination.id for r in found] == [near.id, middle.id]
    assert found[0].distance_km == pytest.approx(11.12, abs=0.05)
    everything = q.destinations_near(session, q.DestinationFilter(), 42.0, 128.0)
    assert [r.destination.id for r in everything] == [near.id, middle.id, far.id]


def test_product_counts_ignore_inactive_products(session):
    d = make_destination(session)
    make_product(session, d)
    make_product(session, d)
    make_product(session, d, is_active=False)
    empty = make_destination(session)
    assert q.product_counts(session, [d.id, empty.id]) == {d.id: 2}


@pytest.mark.parametrize(
    "nights, expected",
    [(7, {"mod"}), (14, {"mod", "range", "open"}), (10, {"range", "open"}), (30, {"open"})],
)
def test_nights_filter_uses_modules_when_present_else_the_range(session, nights, expected):
    made = {
        "mod": make_product(session, duration_modules=[7, 14, 21], min_nights=1, max_nights=90),
        "range": make_product(session, min_nights=10, max_nights=20),
        "open": make_product(session, min_nights=10, max_nights=None),
    }
    found = set(ids(q.list_products(session, q.ProductFilter(nights=nights))))
    assert found == {made[k].id for k in expected}


def test_product_filters_by_rate_range_theme_kind_and_destination(session):
    village = make_destination(session, pilot_kind="village")
    resort = make_destination(session, pilot_kind="resort")
    hit = make_product(session, village, theme="hot_spring", base_rate_fen=30_000)
    make_product(session, village, theme="hot_spring", base_rate_fen=50_000)
    make_product(session, village, theme="ice_snow", base_rate_fen=30_000)
    make_product(session, resort, theme="hot_spring", base_rate_fen=30_000)
    f = q.ProductFilter(
        destination_id=village.id,
        theme="hot_spring",
        pilot_kind="village",
        min_rate_fen=30_000,
        max_rate_fen=40_000,
    )
    assert ids(q.list_products(session, f)) == [hit.id]


def test_packs_and_seasons_are_batch_loaded_per_product(session):
    d = make_destination(session)
    dining = make_pack(session, d, kind="dining")
    therapy = make_pack(session, d, kind="therapy")
    p1 = make_product(
        session,
        d,
        packs=(therapy, dining),
        seasons=[
            (date(2027, 12, 1), date(2028, 3, 1), 50_000),
            (date(2027, 7, 1), date(2027, 9, 1), 48_000),
        ],
    )
    p2 = make_product(session, d)
    packs = q.packs_of(session, [p1.id, p2.id])
    seasons = q.seasons_of(session, [p1.id, p2.id])
    assert [p.kind for p in packs[p1.id]] == ["dining", "therapy"]
    assert p2.id not in packs
    assert [x.start_date for x in seasons[p1.id]] == [date(2027, 7, 1), date(2027, 12, 1)]


def test_inventory_nights_reads_the_half_open_range(session):
    p = make_product(session, inventory=(D0, 10, 4))
    rows = q.inventory_nights(session, p.id, date(2027, 7, 3), date(2027, 7, 6))
    assert sorted(rows) == [date(2027, 7, 3), date(2027, 7, 4), date(2027, 7, 5)]
    assert rows[date(2027, 7, 3)].units_left == 4


def test_availability_by_theme_takes_the_fewest_units_left_and_counts_gaps_as_zero(session):
    full = make_product(session, theme="hot_spring", inventory=(D0, 10, 5))
    busy = make_product(session, theme="hot_spring", inventory=(D0, 10, 5))
    session.get(InventoryNight, (busy.id, date(2027, 7, 4))).taken_units = 4
    gap = make_product(session, theme="hot_spring", inventory=(D0, 3, 5))
    make_product(session, theme="ice_snow", inventory=(D0, 10, 5))
    make_product(session, theme="hot_spring", inventory=(D0, 10, 5), is_active=False)
    session.flush()
    rows = q.availability_by_theme(session, "hot_spring", D0, date(2027, 7, 8))
    assert [(r.product.id, r.min_units_left) for r in rows] == [
        (full.id, 5),
        (busy.id, 1),
        (gap.id, 0),
    ]
    at_least_2 = q.availability_by_theme(session, "hot_spring", D0, date(2027, 7, 8), min_units=2)
    assert [r.product.id for r in at_least_2] == [full.id]
    page = q.availability_by_theme(
        session, "hot_spring", D0, date(2027, 7, 8), after_id=full.id, limit=1
    )
    assert [r.product.id for r in page] == [busy.id]


def test_published_rules_are_current_versions_of_active_rules(session):
    edited = make_rule(session, "long_stay", tiers=[{"min_nights": 10, "bps": 500}])
    session.add(
        DiscountRuleVersion(
            rule_id=edited.id,
            version=2,
            kind="long_stay",
            name_zh="新版",
            name_en="New terms",
            tiers=[{"min_nights": 10, "bps": 700}],
            created_at=datetime.now(UTC),
        )
    )
    edited.current_version = 2
    retired = make_rule(session, "pack_bundle", bps=1000, min_packs=2)
    retired.is_active = False
    stub = make_rule(session, "ticket_stub", bps=5000, valid_days=3)
    session.flush()
    rows = q.published_rules(session)
    assert [(r.rule.id, r.terms.version) for r in rows] == [(edited.id, 2), (stub.id, 1)]
    assert rows[0].terms.name_en == "New terms"
    assert [r.rule.id for r in q.published_rules(session, kinds=["ticket_stub"])] == [stub.id]
