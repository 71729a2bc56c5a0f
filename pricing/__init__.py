"""Jilin Sojourn pricing engine: a quote request in, an itemised quote out.

Pure Python, standard library only, no I/O and no clock (the booking date is an
input). Money is integer fen, percentages are basis points. See ``pricing/README.md``
and the project's pricing contract.
"""

from pricing.engine import pack_multiplier, price_quote, rule_covers
from pricing.errors import PricingError
from pricing.money import format_bps, format_yuan, round_half_up
from pricing.quote import (
    APPLIES_ACCOMMODATION,
    APPLIES_PACK,
    APPLIES_PACKS,
    APPLIES_TRANSIT,
    LINE_ACCOMMODATION,
    LINE_DISCOUNT,
    LINE_PACK,
    LINE_TRANSIT,
    STUB_NOT_APPLIED,
    NightSegment,
    PricedItem,
    PricedLeg,
    PricedQuote,
    QuoteLine,
    StubUse,
)
from pricing.types import (
    Bps,
    Channel,
    DiscountRule,
    Fen,
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
)
from pricing.validation import (
    MAX_NIGHTS,
    validate_product,
    validate_request,
    validate_rule,
    validate_seasons,
)

__all__ = [
    "rule_covers",
    "APPLIES_ACCOMMODATION",
    "APPLIES_PACK",
    "APPLIES_PACKS",
    "APPLIES_TRANSIT",
    "LINE_ACCOMMODATION",
    "LINE_DISCOUNT",
    "LINE_PACK",
    "LINE_TRANSIT",
    "MAX_NIGHTS",
    "Bps",
    "Channel",
    "DiscountRule",
    "Fen",
    "NightSegment",
    "PackBasis",
    "PackKind",
    "PackOffer",
    "PricedItem",
    "PricedLeg",
    "PricedQuote",
    "PricingError",
    "ProductTerms",
    "QuoteLine",
    "QuoteRequest",
    "RuleKind",
    "Season",
    "StayItemRequest",
    "StubInfo",
    "STUB_NOT_APPLIED",
    "StubUse",
    "Tier",
    "TransitLegRequest",
    "TransitLineTerms",
    "format_bps",
    "format_yuan",
    "pack_multiplier",
    "price_quote",
    "round_half_up",
    "validate_product",
    "validate_request",
    "validate_rule",
    "validate_seasons",
]
