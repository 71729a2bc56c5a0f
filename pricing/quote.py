"""Outputs of the pricing engine: an itemised quote a person can check by hand."""

from __future__ import annotations

from dataclasses import MISSING, dataclass, field, fields, make_dataclass
from datetime import date
from typing import NamedTuple

from pricing.types import Bps, Channel, Fen, PackBasis, RuleKind

# QuoteLine.kind
LINE_ACCOMMODATION = "accommodation"
LINE_PACK = "pack"
LINE_TRANSIT = "transit"
LINE_DISCOUNT = "discount"

# QuoteLine.applies_to (discount lines only)
APPLIES_ACCOMMODATION = "accommodation"
APPLIES_PACKS = "packs"
APPLIES_PACK = "pack"
APPLIES_TRANSIT = "transit"


class NightSegment(NamedTuple):
    """Consecutive nights ``[start, end)`` at one nightly rate (a season or the base)."""

    start: date
    end: date
    nightly_rate_fen: Fen
    nights: int
    units: int

    @property
    def amount_fen(self) -> Fen:
        return self.nightly_rate_fen * self.nights * self.units


@dataclass(frozen=True, slots=True)
class QuoteLine:
    """One line of a quote. ``amount_fen`` is never negative: a discount line carries the
    positive amount it saves.

    Gross lines: ``accommodation`` (``nights_detail``, ``extra_guests``,
    ``extra_guest_fee_fen``, ``extra_guest_fen``; ``quantity`` = nights), ``pack``
    (``basis``, ``multiplier``; ``unit_price_fen`` = pack price, ``quantity`` =
    multiplier), ``transit`` (``unit_price_fen`` = fare, ``quantity`` = riders).
    Discount lines: ``amount_fen = round_half_up(base_fen, bps)`` unless ``capped``, when
    it was cut from ``uncapped_fen``. For a stub on a leg ``quantity`` is the riders the
    stub covers, ``min(riders, persons)``.
    """

    kind: str
    label_zh: str
    label_en: str
    amount_fen: Fen
    item_index: int | None = None
    leg_index: int | None = None
    pack_id: int | None = None
    quantity: int | None = None
    unit_price_fen: Fen | None = None
    # accommodation lines
    nights_detail: tuple[NightSegment, ...] = ()
    extra_guests: int = 0
    extra_guest_fee_fen: Fen = 0
    extra_guest_fen: Fen = 0
    # pack lines
    basis: PackBasis | None = None
    multiplier: int | None = None
    # discount lines
    rule_id: int | None = None
    rule_version: int | None = None
    rule_kind: RuleKind | None = None
    base_fen: Fen | None = None
    bps: Bps | None = None
    tier_threshold: int | None = None
    capped: bool = False
    uncapped_fen: Fen | None = None
    applies_to: str | None = None
    stub_code: str | None = None


@dataclass(frozen=True, slots=True)
class PricedItem:
    """One stay item. ``net_fen = accommodation_fen + packs_fen -
    accommodation_discount_fen - packs_discount_fen``; ``cap_fen`` is the most its
    accommodation discounts may take. ``packs_discount_fen`` includes stub lines on its
    packs."""

    index: int
    product_id: int
    check_in: date
    check_out: date
    nights: int
    guests: int
    units: int
    days_ahead: int
    accommodation_fen: Fen
    packs_fen: Fen
    accommodation_discount_fen: Fen
    packs_discount_fen: Fen
    net_fen: Fen
    cap_fen: Fen
    lines: tuple[QuoteLine, ...]


@dataclass(frozen=True, slots=True)
class PricedLeg:
    index: int
    line_id: int
    travel_date: date
    riders: int
    fare_fen: Fen
    gross_fen: Fen
    discount_fen: Fen
    net_fen: Fen
    lines: tuple[QuoteLine, ...]


@dataclass(frozen=True, slots=True)
class StubUse:
    """What one presented stub did, in request order. ``applied`` is False (and the
    target fields None) for a stub that found no line to discount; ``reason`` then says
    why (``STUB_NOT_APPLIED``)."""

    stub_code: str
    issuer_id: int
    applied: bool
    applies_to: str | None = None  # "pack" | "transit"
    item_index: int | None = None
    pack_id: int | None = None
    leg_index: int | None = None
    rule_id: int | None = None
    rule_version: int | None = None
    amount_fen: Fen = 0
    reason: str | None = None  # one of STUB_NOT_APPLIED when not applied


# Why a presented stub discounted nothing, in the order they are told apart:
STUB_NOT_APPLIED = (
    "no_deal",  # its issuer has no ticket-stub rule open to this quote (channel, date)
    "nothing_it_discounts",  # no pack of the rules' kinds, no ride on their lines
    "outside_validity",  # such lines, but none from the visit date to valid_days after
    "already_discounted",  # such lines in its days, all taken by earlier stubs or capped
)


@dataclass(frozen=True, slots=True)
class PricedQuote:
    """The whole quote. ``lines`` lists, per item, its accommodation line, its pack lines
    (in ``pack_ids`` order), then its discount lines (long_stay, advance_booking,
    trip_bundle, pack_bundle, stub lines on its packs in pack order); then per leg its
    transit line and its stub line. ``total_fen = subtotal_fen - discount_total_fen`` and
    equals the sum of item and leg nets."""

    items: tuple[PricedItem, ...]
    legs: tuple[PricedLeg, ...]
    lines: tuple[QuoteLine, ...]
    subtotal_fen: Fen
    discount_total_fen: Fen
    total_fen: Fen
    booking_date: date
    channel: Channel
    rules_used: tuple[tuple[int, int], ...]
    stubs_applied: tuple[StubUse, ...]
    currency: str = "CNY"

    @property
    def unused_stub_codes(self) -> tuple[str, ...]:
        return tuple(use.stub_code for use in self.stubs_applied if not use.applied)


# --- fast construction ---------------------------------------------------------------
#
# A frozen dataclass's generated ``__init__`` stores each field through
# ``object.__setattr__`` (the class's own ``__setattr__`` refuses), which costs a call
# per field: a 25-field ``QuoteLine`` took ~2.5 us to build, most of a quote's cost. The
# engine instead builds a *draft*: a plain slots dataclass generated from the frozen
# class's own fields, so it has exactly the same slots, whose ``__init__`` stores with
# ordinary attribute assignment; then it sets the draft's ``__class__`` to the frozen
# class (CPython allows this between classes of identical slot layout). What callers get
# is a genuine instance of the public frozen class, equal to one built by its
# ``__init__`` and just as immutable; a draft never leaves the engine.


def _draft_of(cls: type) -> type:
    specs: list = []
    for f in fields(cls):
        if f.default is not MISSING:
            specs.append((f.name, f.type, field(default=f.default)))
        elif f.default_factory is not MISSING:
            specs.append((f.name, f.type, field(default_factory=f.default_factory)))
        else:
            specs.append((f.name, f.type))
    draft = make_dataclass(
        f"{cls.__name__}Draft", specs, slots=True, eq=False, repr=False, match_args=False
    )
    if draft.__slots__ != cls.__slots__ or cls.__bases__ != (object,):  # pragma: no cover
        raise TypeError(f"{cls.__name__}: a draft needs the same slots and no base class")
    return draft


QuoteLineDraft = _draft_of(QuoteLine)
PricedItemDraft = _draft_of(PricedItem)
PricedLegDraft = _draft_of(PricedLeg)
StubUseDraft = _draft_of(StubUse)
PricedQuoteDraft = _draft_of(PricedQuote)
