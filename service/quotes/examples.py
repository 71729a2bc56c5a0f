"""OpenAPI examples of the quotes API: the worked example of the pricing contract.

The response example is computed by the engine from the worked example's terms when
the OpenAPI document is generated, so it can never drift from what the API returns.
"""

from datetime import UTC, date, datetime, timedelta

import pricing
from service.catalog.examples import REFUND_POLICY_EXAMPLE
from service.quotes import payload
from service.quotes.models import Quote


def _tour(*, pack_ids: list[int], stubs: list[str]) -> dict:
    """14 nights at product 1 for two with packs, then the shuttle on line 1 from its
    destination (1, Changbai north) to Yanji (8), two stops of the line."""
    return {
        "items": [
            {
                "product_id": 1,
                "check_in": "2027-06-25",
                "check_out": "2027-07-09",
                "guests": 2,
                "units": 1,
                "pack_ids": pack_ids,
            }
        ],
        "legs": [
            {
                "line_id": 1,
                "travel_date": "2027-07-09",
                "riders": 2,
                "from_destination_id": 1,
                "to_destination_id": 8,
            }
        ],
        "stubs": stubs,
    }


REQUEST_EXAMPLES = {
    "worked_example": {
        "summary": "14 nights with two packs, a shuttle leg and a ticket stub",
        "description": "The worked example of the pricing contract (booking date "
        "2027-04-20: total 875,288 fen against that example's terms). Its packs (1 forest "
        "therapy, 3 herbal dining) and its stub CBN-0001 are in the demo catalogue, so it "
        "quotes there too (at the demo's rates and rules of the day).",
        "value": _tour(pack_ids=[1, 3], stubs=["CBN-0001"]),
    },
    "demo_tour": {
        "summary": "The README's tour, on the demo catalogue (./dev serve)",
        "value": _tour(pack_ids=[1, 3], stubs=[]),
    },
    "stay_only": {
        "summary": "One stay, nothing else",
        "value": {
            "items": [
                {"product_id": 1, "check_in": "2027-06-25", "check_out": "2027-07-09", "guests": 2}
            ]
        },
    },
}


def _worked_example_terms():
    therapy = pricing.PackOffer(
        1,
        "FOREST-THERAPY",
        pricing.PackKind.therapy,
        "森林疗愈套餐",
        "Forest therapy pack",
        60_000,
        pricing.PackBasis.per_week,
    )
    dining = pricing.PackOffer(
        3,  # the demo catalogue's id of the same pack (9,000 fen a guest-night)
        "HERBAL-DINING",
        pricing.PackKind.dining,
        "药膳套餐",
        "Herbal dining pack",
        9_000,
        pricing.PackBasis.per_guest_night,
    )
    cabin = pricing.ProductTerms(
        id=1,
        destination_id=1,
        theme="forest_healing",
        name_zh="森林疗愈小屋",
        name_en="Forest-healing cabin",
        base_rate_fen=38_000,
        base_occupancy=2,
        max_occupancy=3,
        extra_guest_fee_fen=8_000,
        seasons=(pricing.Season(date(2027, 7, 1), date(2027, 9, 1), 48_000, "夏季", "Summer"),),
        packs=(therapy, dining),
    )
    line = pricing.TransitLineTerms(1, "L1", "接驳专线L1", "Shuttle L1", 5_600)
    stub = pricing.StubInfo("CBN-0001", 1, date(2027, 7, 7), 2)
    kinds = pricing.RuleKind
    rules = [
        pricing.DiscountRule(
            1,
            1,
            kinds.long_stay,
            "长住折扣",
            "Long stay",
            tiers=(pricing.Tier(10, 500), pricing.Tier(21, 1000), pricing.Tier(28, 1500)),
        ),
        pricing.DiscountRule(
            2,
            1,
            kinds.advance_booking,
            "预订优惠",
            "Advance booking",
            tiers=(pricing.Tier(30, 500), pricing.Tier(60, 800)),
        ),
        pricing.DiscountRule(
            3, 1, kinds.pack_bundle, "套餐组合优惠", "Pack bundle", min_packs=2, bps=1000
        ),
        pricing.DiscountRule(
            4,
            1,
            kinds.ticket_stub,
            "长白山北景区票根",
            "Changbai north stub",
            issuer_id=1,
            transit_line_ids=frozenset({1}),
            valid_days=3,
            bps=5000,
        ),
    ]
    return {1: cabin}, {1: line}, [stub], rules


# Where the example's leg boards and alights, as the demo catalogue names them.
_STOPS = (
    {
        "id": 1,
        "slug": "changbaishan-north",
        "name_zh": "长白山北景区·二道白河",
        "name_en": "Changbai Mountain North (Erdaobaihe)",
    },
    {"id": 8, "slug": "yanji", "name_zh": "延吉市", "name_en": "Yanji"},
)


def worked_example_quote() -> Quote:
    """The worked example as a stored quote (not persisted)."""
    products, lines, stubs, rules = _worked_example_terms()
    request = REQUEST_EXAMPLES["worked_example"]["value"]
    request = {**request, "items": [{**i} for i in request["items"]]}
    booking_date = date(2027, 4, 20)
    priced = pricing.price_quote(
        payload.pricing_request(request, stubs, booking_date, "direct"), products, lines, rules
    )
    created = datetime(2027, 4, 20, 2, 0, tzinfo=UTC)
    return Quote(
        id="q_3f9c2a7d51e84b06a1c2d3e4",
        created_at=created,
        expires_at=created + timedelta(minutes=30),
        booking_date=booking_date,
        channel="direct",
        request=request,
        terms=payload.terms_json(products, lines, stubs),
        priced=payload.priced_json(
            priced, products, lines, rules, {0: _STOPS}, refund_policies={1: REFUND_POLICY_EXAMPLE}
        ),
        rule_versions=[[r.id, r.version] for r in rules],
        subtotal_fen=priced.subtotal_fen,
        discount_total_fen=priced.discount_total_fen,
        total_fen=priced.total_fen,
    )
