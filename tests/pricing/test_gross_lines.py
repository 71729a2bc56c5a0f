"""Accommodation, pack and transit lines (docs/pricing.md, "Lines")."""

from dataclasses import replace
from datetime import date

import pytest

from pricing import NightSegment, PackBasis, PackKind, PackOffer, Season, TransitLegRequest

from .factories import CABIN, L1, L2, SPA, item, quote, request


def accommodation(q, index=0):
    return q.items[index].lines[0]


def test_off_season_nights_are_priced_at_the_base_rate():
    q = quote(request(item(date(2027, 5, 1), 3)))
    assert accommodation(q).amount_fen == 3 * 38_000
    assert accommodation(q).nights_detail == (
        NightSegment(date(2027, 5, 1), date(2027, 5, 4), 38_000, 3, 1),
    )


def test_a_stay_crossing_a_season_start_prices_each_night_by_its_own_date():
    q = quote(request(item(date(2027, 6, 29), 4)))
    segments = accommodation(q).nights_detail
    assert [(s.start, s.nightly_rate_fen, s.nights) for s in segments] == [
        (date(2027, 6, 29), 38_000, 2),
        (date(2027, 7, 1), 48_000, 2),
    ]
    assert accommodation(q).amount_fen == 2 * 38_000 + 2 * 48_000


def test_the_season_end_date_itself_is_priced_at_the_base_rate():
    # The summer window is [07-01, 09-01): the night of 09-01 is off-season.
    q = quote(request(item(date(2027, 8, 31), 2)))
    assert [(s.start, s.nightly_rate_fen) for s in accommodation(q).nights_detail] == [
        (date(2027, 8, 31), 48_000),
        (date(2027, 9, 1), 38_000),
    ]


def test_a_stay_spanning_a_whole_season_has_three_segments():
    short_season = replace(CABIN, seasons=(Season(date(2027, 5, 3), date(2027, 5, 5), 50_000),))
    q = quote(request(item(date(2027, 5, 1), 6)), products={1: short_season})
    assert [(s.nightly_rate_fen, s.nights) for s in accommodation(q).nights_detail] == [
        (38_000, 2),
        (50_000, 2),
        (38_000, 2),
    ]
    assert accommodation(q).amount_fen == 4 * 38_000 + 2 * 50_000


def test_adjacent_seasons_each_price_their_own_nights():
    two = replace(
        CABIN,
        seasons=(
            Season(date(2027, 5, 4), date(2027, 5, 10), 45_000),
            Season(date(2027, 5, 2), date(2027, 5, 4), 41_000),
        ),
    )
    q = quote(request(item(date(2027, 5, 1), 5)), products={1: two})
    assert [(s.start, s.nightly_rate_fen, s.nights) for s in accommodation(q).nights_detail] == [
        (date(2027, 5, 1), 38_000, 1),
        (date(2027, 5, 2), 41_000, 2),
        (date(2027, 5, 4), 45_000, 2),
    ]


def test_nightly_rate_is_multiplied_by_units():
    q = quote(request(item(date(2027, 5, 1), 3, units=2, guests=4)))
    assert accommodation(q).amount_fen == 3 * 38_000 * 2
    assert accommodation(q).nights_detail[0].units == 2


def test_extra_guest_fee_is_charged_per_guest_above_base_occupancy_per_night():
    q = quote(request(item(date(2027, 5, 1), 3, guests=3)))
    line = accommodation(q)
    assert (line.extra_guests, line.extra_guest_fee_fen, line.extra_guest_fen) == (1, 8_000, 24_000)
    assert line.amount_fen == 3 * 38_000 + 24_000
    assert "加客1人" in line.label_zh and "1 extra guest" in line.label_en


def test_base_occupancy_counts_per_unit():
    q = quote(request(item(date(2027, 5, 1), 3, guests=5, units=2)))
    assert accommodation(q).extra_guests == 1


@pytest.mark.parametrize(
    ("basis", "guests", "nights", "multiplier"),
    [
        (PackBasis.per_stay, 3, 10, 1),
        (PackBasis.per_guest, 3, 10, 3),
        (PackBasis.per_night, 3, 10, 10),
        (PackBasis.per_guest_night, 3, 10, 30),
        (PackBasis.per_week, 3, 10, 2),
    ],
)
def test_pack_multiplier_follows_its_basis(basis, guests, nights, multiplier):
    pack = PackOffer(9, "P", PackKind.culture, "体验", "Experience", 1_234, basis)
    product = replace(CABIN, packs=(pack,))
    q = quote(
        request(item(date(2027, 5, 1), nights, guests=guests, pack_ids=(9,))),
        products={1: product},
    )
    line = q.items[0].lines[1]
    assert (line.kind, line.basis, line.multiplier) == ("pack", basis, multiplier)
    assert line.amount_fen == 1_234 * multiplier
    assert q.items[0].packs_fen == 1_234 * multiplier


@pytest.mark.parametrize(("nights", "weeks"), [(1, 1), (7, 1), (8, 2), (14, 2), (15, 3)])
def test_per_week_packs_round_nights_up_to_whole_weeks(nights, weeks):
    q = quote(request(item(date(2027, 5, 1), nights, pack_ids=(101,))))
    assert q.items[0].lines[1].multiplier == weeks


def test_pack_lines_follow_the_order_of_pack_ids():
    q = quote(request(item(pack_ids=(103, 101))))
    assert [line.pack_id for line in q.items[0].lines[1:]] == [103, 101]


def test_transit_leg_is_fare_times_riders():
    leg = TransitLegRequest(line_id=L2.id, travel_date=date(2027, 5, 3), riders=3)
    q = quote(request(item(guests=3), legs=(leg,)))
    (priced,) = q.legs
    assert (priced.fare_fen, priced.gross_fen, priced.net_fen) == (3_000, 9_000, 9_000)
    assert priced.lines[0].quantity == 3
    assert priced.lines[0].label_en == "Transit: Shuttle L2 (2027-05-03, 3 riders × ¥30.00)"


def test_a_quote_of_transit_legs_only_is_allowed():
    leg = TransitLegRequest(line_id=L1.id, travel_date=date(2027, 5, 3), riders=1)
    q = quote(request(legs=(leg,)))
    assert q.items == ()
    assert q.total_fen == 5_600


def test_lines_are_ordered_item_by_item_then_leg_by_leg():
    leg = TransitLegRequest(line_id=L1.id, travel_date=date(2027, 5, 3), riders=1)
    q = quote(
        request(item(pack_ids=(101,)), item(date(2027, 5, 8), product_id=SPA.id), legs=(leg,)),
    )
    assert [(line.kind, line.item_index, line.leg_index) for line in q.lines] == [
        ("accommodation", 0, None),
        ("pack", 0, None),
        ("accommodation", 1, None),
        ("transit", None, 0),
    ]
    assert q.subtotal_fen == 7 * 38_000 + 60_000 + 7 * 30_000 + 5_600


def test_labels_state_nights_and_units():
    line = accommodation(quote(request(item(nights=14))))
    assert line.label_zh == "住宿：森林疗愈小屋（14晚 × 1间）"
    assert line.label_en == "Accommodation: Forest-healing cabin (14 nights × 1 room)"
