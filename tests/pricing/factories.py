"""Small builders for pricing tests: the worked example of docs/pricing.md and variations."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from pricing import (
    DiscountRule,
    PackBasis,
    PackKind,
    PackOffer,
    ProductTerms,
    QuoteRequest,
    RuleKind,
    Season,
    StayItemRequest,
    StubInfo,
    Tier,
    TransitLegRequest,
    TransitLineTerms,
    price_quote,
)

BOOKING_DATE = date(2027, 4, 20)
CHANGBAI_NORTH = 7  # stub issuer: the Changbai north scenic area

THERAPY = PackOffer(
    id=101,
    code="THERAPY",
    kind=PackKind.therapy,
    name_zh="森林疗愈套餐",
    name_en="Forest therapy pack",
    price_fen=60_000,
    basis=PackBasis.per_week,
)
DINING = PackOffer(
    id=102,
    code="DINING",
    kind=PackKind.dining,
    name_zh="药膳套餐",
    name_en="Herbal dining pack",
    price_fen=9_000,
    basis=PackBasis.per_guest_night,
)
CULTURE = PackOffer(
    id=103,
    code="CULTURE",
    kind=PackKind.culture,
    name_zh="朝鲜族文化体验",
    name_en="Korean-Chinese culture day",
    price_fen=25_000,
    basis=PackBasis.per_stay,
)

CABIN = ProductTerms(
    id=1,
    destination_id=10,
    theme="forest_healing",
    name_zh="森林疗愈小屋",
    name_en="Forest-healing cabin",
    base_rate_fen=38_000,
    base_occupancy=2,
    max_occupancy=3,
    extra_guest_fee_fen=8_000,
    seasons=(Season(date(2027, 7, 1), date(2027, 9, 1), 48_000, "夏季", "Summer"),),
    max_discount_bps=3000,
    packs=(THERAPY, DINING, CULTURE),
)
# A second destination, for trip bundles.
SPA = ProductTerms(
    id=2,
    destination_id=20,
    theme="hot_spring",
    name_zh="温泉疗养房",
    name_en="Hot-spring room",
    base_rate_fen=30_000,
    base_occupancy=2,
    max_occupancy=4,
    extra_guest_fee_fen=5_000,
)
L1 = TransitLineTerms(id=1, code="L1", name_zh="接驳专线L1", name_en="Shuttle L1", fare_fen=5_600)
L2 = TransitLineTerms(id=2, code="L2", name_zh="接驳专线L2", name_en="Shuttle L2", fare_fen=3_000)

PRODUCTS = {CABIN.id: CABIN, SPA.id: SPA}
LINES = {L1.id: L1, L2.id: L2}

LONG_STAY = DiscountRule(
    id=1,
    version=1,
    kind=RuleKind.long_stay,
    name_zh="长住折扣",
    name_en="Long stay",
    tiers=(Tier(10, 500), Tier(21, 1000), Tier(28, 1500)),
)
ADVANCE = DiscountRule(
    id=2,
    version=1,
    kind=RuleKind.advance_booking,
    name_zh="预订优惠",
    name_en="Advance booking",
    tiers=(Tier(30, 500), Tier(60, 800)),
)
PACK_BUNDLE = DiscountRule(
    id=3,
    version=1,
    kind=RuleKind.pack_bundle,
    name_zh="套餐组合优惠",
    name_en="Pack bundle",
    min_packs=2,
    bps=1000,
)
STUB_L1 = DiscountRule(
    id=4,
    version=1,
    kind=RuleKind.ticket_stub,
    name_zh="长白山北景区票根",
    name_en="Changbai north stub",
    issuer_id=CHANGBAI_NORTH,
    transit_line_ids=frozenset({L1.id}),
    valid_days=3,
    bps=5000,
)
EXAMPLE_RULES = (LONG_STAY, ADVANCE, PACK_BUNDLE, STUB_L1)

EXAMPLE_ITEM = StayItemRequest(
    product_id=CABIN.id,
    check_in=date(2027, 6, 25),
    check_out=date(2027, 7, 9),
    guests=2,
    units=1,
    pack_ids=(THERAPY.id, DINING.id),
)
EXAMPLE_LEG = TransitLegRequest(line_id=L1.id, travel_date=date(2027, 7, 9), riders=2)
EXAMPLE_STUB = StubInfo(
    code="CBN-0001", issuer_id=CHANGBAI_NORTH, visit_date=date(2027, 7, 7), persons=2
)
EXAMPLE_REQUEST = QuoteRequest(
    items=(EXAMPLE_ITEM,),
    legs=(EXAMPLE_LEG,),
    stubs=(EXAMPLE_STUB,),
    booking_date=BOOKING_DATE,
)


def item(
    check_in: date = date(2027, 5, 1),
    nights: int = 7,
    *,
    product_id: int = CABIN.id,
    guests: int = 2,
    units: int = 1,
    pack_ids: tuple[int, ...] = (),
) -> StayItemRequest:
    """A stay of ``nights`` nights from ``check_in`` (default: off-season, 7 nights)."""

    return StayItemRequest(
        product_id=product_id,
        check_in=check_in,
        check_out=check_in + timedelta(days=nights),
        guests=guests,
        units=units,
        pack_ids=pack_ids,
    )


def request(*items: StayItemRequest, **kwargs) -> QuoteRequest:
    kwargs.setdefault("booking_date", BOOKING_DATE)
    return QuoteRequest(items=tuple(items), **kwargs)


def rule(kind: RuleKind, id: int = 50, **fields) -> DiscountRule:
    """A rule of ``kind`` with sensible defaults for its kind; ``fields`` override."""
    defaults: dict = {
        RuleKind.long_stay: {"tiers": (Tier(7, 1000),)},
        RuleKind.advance_booking: {"tiers": (Tier(0, 1000),)},
        RuleKind.trip_bundle: {"min_destinations": 2, "bps": 1000},
        RuleKind.pack_bundle: {"min_packs": 1, "bps": 1000},
        RuleKind.ticket_stub: {
            "issuer_id": CHANGBAI_NORTH,
            "transit_line_ids": frozenset({L1.id}),
            "valid_days": 3,
            "bps": 5000,
        },
    }[kind]
    base = DiscountRule(
        id=id, version=1, kind=kind, name_zh=f"规则{id}", name_en=f"Rule {id}", **defaults
    )
    return replace(base, **fields)


def quote(req: QuoteRequest, rules=(), products=None, lines=None):
    return price_quote(
        req, PRODUCTS if products is None else products, LINES if lines is None else lines, rules
    )


def discount_lines(q, kind: RuleKind | None = None):
    return [
        line
        for line in q.lines
        if line.kind == "discount" and (kind is None or line.rule_kind == kind)
    ]
