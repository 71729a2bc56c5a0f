"""Request and response models of the quotes API (separate from the ``quote`` table).

The response is rendered from the stored row by ``render``: the stored payload carries
both ``label_zh`` and ``label_en`` (and ``*_name_zh`` / ``*_name_en``); ``label`` and the
plain ``*name`` fields are picked by ``Accept-Language`` when the quote is read, so a
``GET`` with the same ``Accept-Language`` returns exactly the body ``POST`` returned.
"""

from collections import defaultdict
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from pricing.quote import STUB_NOT_APPLIED
from pricing.types import Channel, RuleKind
from service.catalog.schemas import RefundTier
from service.i18n import Lang
from service.quotes.examples import worked_example_quote
from service.quotes.models import Quote
from service.text import Id, IsoDate, StrictInt, typed_code

MAX_ITEMS = 10
MAX_LEGS = 10
MAX_STUBS = 10
MAX_PACKS = 10
# A stub code as typed: full-width or not, any case (service.text.typed, as references,
# tokens and phones are read).
StubCode = typed_code(40, to_upper=True)
StubNotApplied = Literal[STUB_NOT_APPLIED]  # pricing.quote's reasons, in its order

# --- request ---------------------------------------------------------------------------


class StayItemIn(BaseModel):
    """One stay: a product from ``check_in`` (first night) to ``check_out`` (departure)."""

    model_config = ConfigDict(extra="forbid")

    product_id: Id
    check_in: IsoDate = Field(description="First night (Asia/Shanghai local date)")
    check_out: IsoDate = Field(description="Departure day; nights = check_out - check_in")
    guests: StrictInt = Field(ge=1, le=200)
    units: StrictInt = Field(default=1, ge=1, le=50, description="Rooms or beds")
    pack_ids: list[Id] = Field(
        default_factory=list,
        max_length=MAX_PACKS,
        description="Add-on packs the product offers, each at most once",
    )


class TransitLegIn(BaseModel):
    """One ride on a transit line; where it boards and alights are optional (both or
    neither: two distinct stops of the line), said on the quote, the booking and their
    pages. The fare is the line's whatever the stops (docs/pricing.md)."""

    model_config = ConfigDict(extra="forbid")

    line_id: Id
    travel_date: IsoDate
    riders: StrictInt = Field(
        ge=1,
        le=200,
        description="Who ride: at most the trip's party, the most guests its stays hold at "
        "once (stays one after another: the guests of one; on the same nights they add "
        "up); more is 422 `too_many_riders` naming `legs[i].riders`, with that party as "
        "`limit`",
    )
    from_destination_id: Id | None = Field(
        default=None,
        description="The destination (id) where the leg boards: a stop of the line, given "
        "with `to_destination_id`",
    )
    to_destination_id: Id | None = Field(
        default=None,
        description="The destination (id) where the leg alights: another stop of the line, "
        "given with `from_destination_id`",
    )


class QuoteIn(BaseModel):
    """A quote request: stay items, transit legs and ticket-stub codes."""

    model_config = ConfigDict(extra="forbid")

    items: list[StayItemIn] = Field(min_length=1, max_length=MAX_ITEMS)
    legs: list[TransitLegIn] = Field(default_factory=list, max_length=MAX_LEGS)
    stubs: list[StubCode] = Field(
        default_factory=list,
        max_length=MAX_STUBS,
        description="Ticket-stub codes (case-insensitive)",
    )


# --- response --------------------------------------------------------------------------


class NightSegmentOut(BaseModel):
    start: date
    end: date
    nightly_rate_fen: int
    nights: int
    units: int


class QuoteLineOut(BaseModel):
    """One line. ``amount_fen`` is never negative: a discount line shows what it saves."""

    kind: Literal["accommodation", "pack", "transit", "discount"]
    label: str = Field(description="In the language of Accept-Language")
    label_zh: str
    label_en: str
    amount_fen: int
    item_index: int | None
    leg_index: int | None
    pack_id: int | None
    quantity: int | None = Field(
        description="Nights, pack multiplier, riders or riders covered by a stub"
    )
    unit_price_fen: int | None
    nights_detail: list[NightSegmentOut] = Field(
        description="Accommodation: runs of nights at one rate"
    )
    extra_guests: int | None
    extra_guest_fee_fen: int | None
    extra_guest_fen: int | None
    basis: str | None
    multiplier: int | None
    rule_id: int | None
    rule_version: int | None
    rule_kind: RuleKind | None
    base_fen: int | None
    bps: int | None
    tier_threshold: int | None
    capped: bool
    uncapped_fen: int | None
    applies_to: str | None = Field(description="Discounts: accommodation, packs, pack or transit")
    stub_code: str | None


class QuoteItemOut(BaseModel):
    index: int
    product_id: int
    product_name: str
    product_name_zh: str
    product_name_en: str
    check_in: date
    check_out: date
    nights: int
    guests: int
    units: int
    days_ahead: int
    accommodation_fen: int
    packs_fen: int
    accommodation_discount_fen: int
    packs_discount_fen: int
    discount_fen: int
    net_fen: int
    cap_fen: int = Field(description="The most its accommodation discounts may take")
    refund_policy: list[RefundTier] | None = Field(
        default=None,
        description="What cancelling this stay refunds: the product's refund policy "
        "(`GET /v1/products/{id}`'s `refund_policy`, highest tier first: cancelling at "
        "least `min_days_before_check_in` days before `check_in`, Asia/Shanghai, refunds "
        "`refund_bps` of the stay's `net_fen`), as it was when this price was made. A "
        "booking of this quote keeps exactly these tiers, whatever the product's policy "
        "later, and its cancellation refunds by them (`GET /v1/bookings/{reference}/"
        "cancellation` previews it). An empty list: the stay is not "
        "refunded. Null only on quotes made before 2026-12-07, which did not keep it (a "
        "booking of one takes the product's policy of the day it is booked)",
    )
    lines: list[QuoteLineOut] = Field(description="The item's lines, discounts included")


class StopRef(BaseModel):
    """A destination a leg boards or alights at, a stop of its line."""

    id: int
    slug: str
    name: str = Field(description="In the language of Accept-Language")
    name_zh: str
    name_en: str


_STOPS_DOC = "as the request's `{}_destination_id` gave it; null when not given"


class QuoteLegOut(BaseModel):
    index: int
    line_id: int
    line_code: str
    line_name: str
    line_name_zh: str
    line_name_en: str
    travel_date: date
    riders: int
    from_destination: StopRef | None = Field(
        default=None, description="Where the leg boards, " + _STOPS_DOC.format("from")
    )
    to_destination: StopRef | None = Field(
        default=None, description="Where the leg alights, " + _STOPS_DOC.format("to")
    )
    fare_fen: int
    gross_fen: int
    discount_fen: int
    net_fen: int
    lines: list[QuoteLineOut]


class RuleUsedOut(BaseModel):
    rule_id: int
    version: int
    kind: RuleKind
    name: str
    name_zh: str
    name_en: str


class StubUseOut(BaseModel):
    """What a presented stub did; ``applied`` is false for a stub that found no line,
    and ``reason`` says why."""

    code: str
    issuer_id: int
    applied: bool
    applies_to: str | None
    item_index: int | None
    pack_id: int | None
    leg_index: int | None
    rule_id: int | None
    rule_version: int | None
    amount_fen: int
    reason: StubNotApplied | None = Field(
        default=None,
        description="Why a stub that is not applied discounted nothing (null when applied, "
        "and on quotes made before it was recorded): `no_deal` (its issuer has no "
        "ticket-stub deal open to this quote), `nothing_it_discounts` (no pack of the "
        "deal's kinds and no ride on its lines), `outside_validity` (such packs or rides, "
        "but none from the visit date to `valid_days` after), `already_discounted` (all "
        "taken by stubs presented before it, or the packs' discount limit reached)",
    )


class QuoteOut(BaseModel):
    """A stored quote. It never changes; it is honoured until ``expires_at``.

    Every line is listed once, under the item or leg it belongs to (``items[i].lines``,
    ``legs[k].lines``); the quote's total is the sum of the items' and legs' nets."""

    model_config = ConfigDict(json_schema_extra=lambda schema, cls: _add_example(schema))

    id: str
    created_at: datetime
    expires_at: datetime = Field(
        description="A booking must be made from the quote before this instant"
    )
    booking_date: date = Field(description="Asia/Shanghai date when the quote was made")
    channel: Channel = Field(description="`direct` for anonymous callers, else the key's")
    currency: Literal["CNY"]
    subtotal_fen: int
    discount_total_fen: int
    total_fen: int
    items: list[QuoteItemOut]
    legs: list[QuoteLegOut]
    rules_used: list[RuleUsedOut]
    stubs: list[StubUseOut]


def render_priced(p: dict[str, Any], lang: Lang) -> dict[str, Any]:
    """The price part of a quote body (totals, items and legs with their lines, the flat
    lines, rules used, stubs) from a ``payload.priced_json`` payload, in ``lang``."""
    zh = lang == "zh-CN"
    lines = [{**line, "label": line["label_zh" if zh else "label_en"]} for line in p["lines"]]
    by_item: dict[int, list] = defaultdict(list)
    by_leg: dict[int, list] = defaultdict(list)
    for line in lines:
        if line["leg_index"] is not None:
            by_leg[line["leg_index"]].append(line)
        else:
            by_item[line["item_index"]].append(line)
    return {
        "subtotal_fen": p["subtotal_fen"],
        "discount_total_fen": p["discount_total_fen"],
        "total_fen": p["total_fen"],
        "items": [
            {
                **item,
                "product_name": item["product_name_zh" if zh else "product_name_en"],
                "lines": by_item[item["index"]],
            }
            for item in p["items"]
        ],
        "legs": [
            {
                **leg,
                "line_name": leg["line_name_zh" if zh else "line_name_en"],
                "from_destination": stop_ref(leg.get("from_destination"), lang),
                "to_destination": stop_ref(leg.get("to_destination"), lang),
                "lines": by_leg[leg["index"]],
            }
            for leg in p["legs"]
        ],
        "rules_used": [{**r, "name": r["name_zh" if zh else "name_en"]} for r in p["rules_used"]],
        "stubs": p["stubs"],
    }


def stop_ref(stop: dict[str, Any] | None, lang: Lang) -> dict[str, Any] | None:
    """A stored stop (``payload.stop_json``: id, slug and both names; None: not given,
    or a quote made before legs had stops) as answers show it, named in ``lang``."""
    if stop is None:
        return None
    return {**stop, "name": stop["name_zh" if lang == "zh-CN" else "name_en"]}


def render(quote: Quote, lang: Lang) -> dict[str, Any]:
    """The response body of a stored quote in ``lang`` (validated as ``QuoteOut``): a
    ``Quote`` row, the ``service.StoredQuote`` read to show it, or a just-priced
    ``service.NewQuote``, which have these attributes alike."""
    return {
        "id": quote.id,
        "created_at": quote.created_at,
        "expires_at": quote.expires_at,
        "booking_date": quote.booking_date,
        "channel": quote.channel,
        "currency": quote.currency,
        **render_priced(quote.priced, lang),
        "subtotal_fen": quote.subtotal_fen,
        "discount_total_fen": quote.discount_total_fen,
        "total_fen": quote.total_fen,
    }


def _add_example(schema: dict[str, Any]) -> None:
    """The worked example, computed when the schema is generated (never stale)."""
    body = render(worked_example_quote(), "en")
    schema["examples"] = [QuoteOut.model_validate(body).model_dump(mode="json")]


_QUOTE_OUT = TypeAdapter(QuoteOut)


def quote_json(quote: Quote, lang: Lang) -> bytes:
    """The response body as JSON bytes, validated against ``QuoteOut`` (the endpoints
    return it as a ready ``Response``: one validation, no extra thread hop)."""
    return _QUOTE_OUT.dump_json(_QUOTE_OUT.validate_python(render(quote, lang)))
