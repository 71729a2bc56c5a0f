"""Inputs of the pricing engine: catalogue terms, discount rules and the quote request.

Everything is a frozen dataclass of ints, strings and dates: money in fen (``Fen``),
percentages in basis points (``Bps``). The engine never looks anything up itself; the
caller passes the terms it read from the catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

Fen = int
Bps = int


class PackBasis(StrEnum):
    per_stay = "per_stay"
    per_guest = "per_guest"
    per_night = "per_night"
    per_guest_night = "per_guest_night"
    per_week = "per_week"


class RuleKind(StrEnum):
    """The five kinds of discount (docs/pricing.md, "Discounts")."""

    long_stay = "long_stay"
    advance_booking = "advance_booking"
    trip_bundle = "trip_bundle"
    pack_bundle = "pack_bundle"
    ticket_stub = "ticket_stub"


# Each kind's name as people read it (zh-CN, English): the console's, and the rules'
# problems say the kind by its Chinese name too (``validation``).
RULE_KIND_NAMES: dict[RuleKind, tuple[str, str]] = {
    RuleKind.long_stay: ("长住优惠", "Long stay"),
    RuleKind.advance_booking: ("预订优惠", "Advance booking"),
    RuleKind.trip_bundle: ("多目的地联游优惠", "Trip bundle"),
    RuleKind.pack_bundle: ("组合优惠（增值包）", "Pack bundle"),
    RuleKind.ticket_stub: ("票根优惠", "Ticket stub"),
}


class Channel(StrEnum):
    direct = "direct"
    miniprogram = "miniprogram"
    ota = "ota"


class PackKind(StrEnum):
    therapy = "therapy"
    dining = "dining"
    culture = "culture"


@dataclass(frozen=True, slots=True)
class Season:
    """A seasonal nightly rate for the nights ``start <= d < end``."""

    start: date
    end: date
    nightly_rate_fen: Fen
    name_zh: str = ""
    name_en: str = ""


@dataclass(frozen=True, slots=True)
class PackOffer:
    """An add-on pack a product offers: ``price_fen`` times the basis multiplier."""

    id: int
    code: str
    kind: PackKind
    name_zh: str
    name_en: str
    price_fen: Fen
    basis: PackBasis


@dataclass(frozen=True, slots=True)
class ProductTerms:
    """What the engine needs to know about one bookable product.

    Occupancy is per unit. Durations: when ``duration_modules`` is non-empty the
    number of nights must be one of them, else ``min_nights <= nights <= max_nights``
    (``None`` = open). Every night of a stay must lie in ``[sold_from, sold_until]``
    (inclusive, ``None`` = open).
    """

    id: int
    destination_id: int
    theme: str
    name_zh: str
    name_en: str
    base_rate_fen: Fen
    base_occupancy: int
    max_occupancy: int
    extra_guest_fee_fen: Fen
    seasons: tuple[Season, ...] = ()
    max_discount_bps: Bps = 3000
    min_nights: int | None = None
    max_nights: int | None = None
    duration_modules: tuple[int, ...] = ()
    sold_from: date | None = None
    sold_until: date | None = None
    packs: tuple[PackOffer, ...] = ()


@dataclass(frozen=True, slots=True)
class TransitLineTerms:
    id: int
    code: str
    name_zh: str
    name_en: str
    fare_fen: Fen


@dataclass(frozen=True, slots=True)
class StubInfo:
    """A ticket stub the caller already looked up in the register (known, unused)."""

    code: str
    issuer_id: int
    visit_date: date
    persons: int


@dataclass(frozen=True, slots=True)
class Tier:
    """``threshold`` is min_nights (long_stay) or min_days_ahead (advance_booking)."""

    threshold: int
    bps: Bps


@dataclass(frozen=True, slots=True)
class DiscountRule:
    """An operator-managed discount rule (docs/pricing.md, "Discounts").

    Empty scope sets mean "all"; date windows are inclusive at each end, ``None`` open.
    Which fields a kind uses: ``long_stay`` / ``advance_booking`` -> ``tiers``;
    ``trip_bundle`` -> ``min_destinations`` + ``bps``; ``pack_bundle`` -> ``min_packs`` +
    ``bps``; ``ticket_stub`` -> ``issuer_id`` + ``transit_line_ids`` and/or ``pack_kinds``
    + ``valid_days`` + ``bps``. ``validate_rule`` rejects fields a kind does not use.
    """

    id: int
    version: int
    kind: RuleKind
    name_zh: str
    name_en: str
    destination_ids: frozenset[int] = frozenset()
    themes: frozenset[str] = frozenset()
    product_ids: frozenset[int] = frozenset()
    channels: frozenset[str] = frozenset()
    booking_from: date | None = None
    booking_to: date | None = None
    check_in_from: date | None = None
    check_in_to: date | None = None
    tiers: tuple[Tier, ...] = ()
    bps: Bps = 0
    min_destinations: int = 0
    min_packs: int = 0
    issuer_id: int | None = None
    transit_line_ids: frozenset[int] = frozenset()
    pack_kinds: frozenset[str] = frozenset()
    valid_days: int = 0


@dataclass(frozen=True, slots=True)
class StayItemRequest:
    product_id: int
    check_in: date
    check_out: date
    guests: int
    units: int = 1
    pack_ids: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class TransitLegRequest:
    line_id: int
    travel_date: date
    riders: int


@dataclass(frozen=True, slots=True)
class QuoteRequest:
    """One quote: stay items, transit legs, presented stubs, the booking date, channel.

    ``booking_date`` is the Asia/Shanghai local date at the moment of quoting; the
    caller supplies it (the engine has no clock).
    """

    items: tuple[StayItemRequest, ...]
    booking_date: date
    legs: tuple[TransitLegRequest, ...] = ()
    stubs: tuple[StubInfo, ...] = ()
    channel: Channel = Channel.direct
