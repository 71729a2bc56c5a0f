"""Request and response models of the bookings API (separate from the tables).

Request bodies forbid unknown fields: price, status, partner or payment mode cannot be
sent (no mass assignment); the price comes from the quote, the partner from the key.
Owner views (``BookingOut``) show the lead traveller's phone and guests' ID numbers in
full; the partner feed (``BookingSummary``) masks names and phones and omits IDs.
"""

import re
import unicodedata
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
)
from pydantic_core import PydanticCustomError

from pricing.money import format_yuan
from pricing.types import Channel
from service.bookings import models
from service.bookings.cancellation import (
    NO_SHOW,
    REASON_MAX,
    STAYS_STARTED,
    RefundTerms,
    refund_of_paid,
    terms_note,
    terms_of,
)
from service.bookings.id_numbers import IdNumber
from service.bookings.models import (
    LIVE_STATUSES,
    MODE_PAY_AT_PROPERTY,
    MODE_STRIPE,
    PENDING_PAYMENT,
)
from service.bookings.modes import PaymentMode
from service.bookings.paid import paid_fen
from service.bookings.shares import Desk, desks
from service.i18n import Lang, pick
from service.logs import mask_name, mask_phone
from service.quotes.schemas import StopRef, stop_ref
from service.text import Text, described, free_text_up_to, required_text, typed

if TYPE_CHECKING:  # the service module imports these schemas
    from service.bookings.service import BookingView

# A phone number as people write it: a leading + if wanted (or "(+86)"), digits, spaces,
# dashes, and brackets around a group of digits ("+86 (138) 0013-8000", "(0431) 8888-1234").
_PHONE_CHARACTERS = re.compile(r"(?:\+|\(\+?[0-9]+\))?(?:[0-9 \-+]|\([0-9][0-9 \-]*\))*")
_PHONE_SPACES = re.compile(r"(?<=^\+) +| {2,}")
PHONE_WORDS = (
    "应为电话号码：数字，可以 + 开头，数字之间可有空格、短横线或括号",
    "must be a phone number: digits, a leading + if wanted, and spaces, dashes or brackets "
    "between the digits",
)
PHONE_MIN_DIGITS = 7  # shorter is no phone number anywhere (a Chinese mobile has 11)
PHONE_MAX_DIGITS = 15  # E.164


def letter_in_name(value: str) -> str:
    """A person's name holds at least one letter (Unicode category L*: 王, A, é...), not
    only digits, signs or emoji (``name_no_letter``)."""
    if not any(unicodedata.category(c).startswith("L") for c in value):
        raise PydanticCustomError("name_no_letter", "must contain a letter")
    return value


Name = Annotated[required_text(60), AfterValidator(letter_in_name)]


def phone_characters(value: object) -> object:
    """A phone number as typed (``service.text.typed``: a Chinese input method's
    full-width ``１３９１２３４５６７８`` is ``13912345678``, as on the pages) holds digits, a
    leading +, spaces, dashes and brackets around a group of digits: anything else
    ("abc", a bracket left open) is ``phone_format``, said as such, before its length is
    counted; then 7 to 15 digits (E.164's most; spaces, dashes, brackets and + not
    counted): ``phone_digits``. It is kept with each bracket as a space (``+86 (138)
    0013-8000`` is ``+86 138 0013-8000``), as the booking's phone has always been
    written, which ``clients.keys.phone_digits`` and the logs' mask read."""
    if not isinstance(value, str):
        return value  # not a string: the string's own checks say so
    if not value.strip():
        # empty, as a name of only spaces is (``required_text``): what is checked is
        # "", so a form says "please fill this in", never "at least 7 characters"
        return ""
    value = typed(value)
    if not _PHONE_CHARACTERS.fullmatch(value.strip()):
        raise PydanticCustomError("phone_format", PHONE_WORDS[1])
    if "(" in value:
        value = _PHONE_SPACES.sub(" ", value.replace("(", " ").replace(")", " ").strip())
        value = value.replace("+ ", "+")
    if not PHONE_MIN_DIGITS <= sum(c.isdigit() for c in value) <= PHONE_MAX_DIGITS:
        raise PydanticCustomError(
            "phone_digits",
            "must have {min_digits} to {max_digits} digits (spaces, dashes, brackets and + not "
            "counted)",
            {"min_digits": PHONE_MIN_DIGITS, "max_digits": PHONE_MAX_DIGITS},
        )
    return value


Phone = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True,
        min_length=7,
        max_length=24,
        # what is typed (brackets included); kept, each bracket is a space
        pattern=described(r"^(?:\+|\(\+?)?[0-9][0-9 ()\-]{5,22}[0-9]$", *PHONE_WORDS),
    ),
    BeforeValidator(phone_characters),  # after the constraints: it runs before them
]

MAX_GUESTS = 50


class LeadTravellerIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name = Field(description="At least one letter of any script (`name_no_letter`)")
    phone: Phone = Field(
        description="Mobile number: 7 to 15 digits, with a leading +, spaces, dashes or "
        "brackets if wanted (`phone_format`, `phone_digits`), kept with each bracket as a "
        "space; shown in full to the booking's owner only"
    )


class GuestIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name
    id_number: IdNumber | None = Field(
        default=None,
        description="ID card or passport number (optional, never logged): letters and "
        "digits (`id_number_format`); a mainland resident ID number (18 characters, or a "
        "first-generation 15 digits) must have a region code, a birth date that has been "
        "and, in 18, its check character (`id_number_check`)",
    )


class BookingIn(BaseModel):
    """Book a quote: who travels. The price, channel and partner are not accepted here."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {
                "quote_id": "q_3f9a1c2b7d8e4f5a6b7c8d9e",
                "lead_traveller": {"name": "王秀兰", "phone": "13800138000"},
                "guests": [
                    {"name": "王秀兰", "id_number": "220102195405061234"},
                    {"name": "李建国"},
                ],
            }
        },
    )

    quote_id: Text = Field(min_length=1, max_length=40)
    lead_traveller: LeadTravellerIn
    guests: list[GuestIn] = Field(
        default_factory=list,
        max_length=MAX_GUESTS,
        description="The party who stay, the lead traveller included (as in the example: "
        "the lead's own record has no ID number). At most the quote's party: the most "
        "guests its stays hold on any one night (stays one after another: the guests of "
        "one stay; stays on the same nights add up); more is 422 `too_many_guests`. The "
        "lead traveller stays too: a list as long as the party must hold the lead's name "
        "(compared in any case, without spaces, full-width letters as letters), else 422 "
        "`lead_not_among_guests` (the lead and the names listed would be one too many); "
        "a shorter list may leave it out (the lead is counted beside them), and no list "
        "is the lead alone",
    )


class CancelIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"example": {"reason": "行程有变"}})

    reason: free_text_up_to(REASON_MAX) | None = Field(  # type: ignore[valid-type]
        default=None,
        description="Why, in a few words: the traveller, the partner, the operator and the "
        "province read it. Stored without personal data: phone, ID and passport numbers, "
        "e-mail addresses and the booking's names become `***`",
    )


# --- responses ---------------------------------------------------------------------------

_PAYMENT_NOTES = {
    "pay_at_property": (
        "到店付款：入住时向住宿方付款，现在不在线收款。",
        "Pay at the property: you pay when you arrive; nothing is paid online.",
    ),
    "merchant_collects": (
        "由预订合作方向旅客收款（代收模式）。",
        "The booking partner collects payment from the traveller.",
    ),
    "stripe": (
        "在线支付（Stripe）：付款后预订才成立。请在保留时间结束前付款，"
        "否则保留结束，房间不再为您保留。",
        "Online payment (Stripe): the booking is made only once it is paid. Pay before "
        "the hold ends, or the hold lapses and the rooms are no longer kept for you.",
    ),
}
# A Stripe booking that no longer waits for its payment, by what was paid (``paid``:
# ``paid.paid_fen`` in yuan): paid and live, paid and ended (cancelled or expired: its
# refund is said with it), ended unpaid.
_STRIPE_PAID_NOTE = ("已在线付款（Stripe）{paid}。", "Paid online (Stripe): {paid}.")
_STRIPE_ENDED_PAID_NOTE = (
    "已在线付款（Stripe）{paid}；预订已结束，退款情况随预订一起给出。",
    "Paid online (Stripe): {paid}. The booking has ended; its refund is given with it.",
)
_STRIPE_ENDED_UNPAID_NOTE = (
    "在线支付（Stripe）：没有付过款，也无需付款。",
    "Online payment (Stripe): nothing was paid and nothing is owed.",
)


class DeskOut(BaseModel):
    """One destination's front desk of a booking paid at the property: what it takes at
    check-in (``bookings.shares``)."""

    destination_id: int
    destination_name: str = Field(description="In the language of Accept-Language")
    destination_name_zh: str
    destination_name_en: str
    item_indexes: list[int] = Field(description="Its stays (`items[].index`)")
    leg_indexes: list[int] = Field(
        description="The transfers whose fares are paid with its stays (`legs[].index`): "
        "a transfer's fare is paid at the desk of the stay the traveller boards it from"
    )
    amount_fen: int = Field(
        description="What this desk collects: its stays' net prices and the fares of "
        "`leg_indexes`, the `to_collect_fen` its operator reads. The desks' amounts add up "
        "to `total_fen`, to the fen (less a stay the desk recorded as a no-show: not "
        "collected, nor the fares paid with it)"
    )
    fares_fen: int = Field(description="Of `amount_fen`, the fares of `leg_indexes`")


class PaymentOut(BaseModel):
    mode: PaymentMode
    note: str
    note_zh: str
    note_en: str
    payment_intent_id: str | None = Field(
        default=None,
        description="Stripe: the booking's PaymentIntent, in every answer (null in the other "
        "modes)",
    )
    client_secret: str | None = Field(
        default=None, description="For Stripe.js; only in the create response"
    )
    paid_fen: int = Field(
        default=0,
        description="What was paid for the booking, online through Stripe or to the partner "
        "that collects (`merchant_collects`): the total once confirmed; 0 while a Stripe "
        "hold waits for its payment, and when paying at the property (money taken at the "
        "desk is not recorded). A cancelled or expired booking keeps what was paid "
        "(`refunded_fen` says what came back)",
    )
    paid_at: datetime | None = Field(
        default=None,
        description="Stripe: when the payment arrived; null until paid, and in the other modes",
    )
    at_property: list[DeskOut] | None = Field(
        default=None,
        description="Paid at the property (`pay_at_property`, a booking not cancelled or "
        "expired): which front desk takes what, one entry a destination in the order of "
        "its first stay; one entry, the whole total, for a booking at one destination. "
        "Null in the other modes, once cancelled or expired, and when nothing is to pay at "
        "the property: every stay recorded as a no-show (a desk whose stays alone are "
        "no-shows keeps its entry, `amount_fen` 0). A booking has at least one stay (a "
        "quote needs one), so every transfer's fare is some desk's",
    )


# The front desk's record of a stay, as the booking's answers show it (the operators'
# ``STAY_STATUSES``: checked in, checked out, did not come).
StayStatusOut = Literal[(*STAYS_STARTED, NO_SHOW)]


class BookingItemOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "index": 0,
                    "product_id": 1,
                    "product_name": "长白山北坡森林疗愈木屋·周模块康养",
                    "product_name_zh": "长白山北坡森林疗愈木屋·周模块康养",
                    "product_name_en": "Changbai north forest-healing cabin, weekly wellness "
                    "modules",
                    "check_in": "2027-10-01",
                    "check_out": "2027-10-15",
                    "nights": 14,
                    "units": 1,
                    "guests": 2,
                    "net_fen": 531200,
                    "stay_status": "completed",
                    "stay_status_at": "2027-10-15T03:12:00Z",
                },
                {
                    "index": 1,
                    "product_id": 28,
                    "product_name": "延吉朝鲜族暖炕民宿",
                    "product_name_zh": "延吉朝鲜族暖炕民宿",
                    "product_name_en": "Yanji Korean ondol homestay",
                    "check_in": "2027-10-15",
                    "check_out": "2027-10-29",
                    "nights": 14,
                    "units": 1,
                    "guests": 2,
                    "net_fen": 302400,
                    "stay_status": None,
                    "stay_status_at": None,
                },
            ]
        }
    )

    index: int
    product_id: int
    product_name: str
    product_name_zh: str
    product_name_en: str
    check_in: date
    check_out: date
    nights: int
    units: int
    guests: int
    net_fen: int
    stay_status: StayStatusOut | None = Field(
        default=None,
        description="The front desk's record of the stay: `checked_in` (the guests have "
        "arrived), `completed` (checked out, early or on the day), `no_show` (they did "
        "not come); null: expected, not recorded yet (or put back to expected). The "
        "booking's `status` stays `confirmed` while its stays run: this says where each is",
    )
    stay_status_at: datetime | None = Field(
        default=None,
        description="When the front desk recorded `stay_status` (UTC); null with it",
    )


class BookingLegOut(BaseModel):
    index: int
    line_id: int
    line_name: str
    travel_date: date
    riders: int
    net_fen: int
    from_destination: StopRef | None = Field(
        default=None, description="Where the leg boards, as its quote said; null when not said"
    )
    to_destination: StopRef | None = Field(
        default=None, description="Where the leg alights, as its quote said; null when not said"
    )


def leg_out(g: models.BookingLeg, lang: Lang) -> BookingLegOut:
    """A booked transit leg as the booking's answers show it, named in ``lang`` (its
    stops as ``stop_ref`` names them): also what the console's booking page lists."""
    return BookingLegOut(
        index=g.leg_index,
        line_id=g.line_id,
        line_name=pick(lang, g.line_name_zh, g.line_name_en),
        travel_date=g.travel_date,
        riders=g.riders,
        net_fen=g.net_fen,
        from_destination=stop_ref(g.from_destination, lang),
        to_destination=stop_ref(g.to_destination, lang),
    )


def stops_travelled(
    line_stops: Sequence[tuple[int, str]],
    start: dict[str, Any] | None,
    end: dict[str, Any] | None,
) -> list[str]:
    """A leg's stops in the order it rides them, as (destination id, name) of its line's
    stops in the line's order: from where it boards to where it alights (``leg_out``'s
    ``from_destination`` and ``to_destination``, the "A → B" the pages say,
    ``macros.leg_stops``), so a leg riding its line backwards lists them backwards. A leg
    that does not say where it boards and alights (a quote made before legs had stops),
    or whose stops its line no longer has: the line's stops in its order."""
    ids = [stop_id for stop_id, _ in line_stops]
    if not (start and end and start["id"] in ids and end["id"] in ids):
        return [name for _, name in line_stops]
    boards, alights = ids.index(start["id"]), ids.index(end["id"])
    ridden = [name for _, name in line_stops[min(boards, alights) : max(boards, alights) + 1]]
    return ridden if boards <= alights else ridden[::-1]


class TravellerOut(BaseModel):
    name: str
    phone: str


class GuestOut(BaseModel):
    name: str
    id_number: str | None = None


class RefundLineOut(BaseModel):
    kind: Literal["item", "leg"]
    index: int
    label: str
    label_zh: str
    label_en: str
    base_fen: int
    refund_bps: int
    amount_fen: int
    days_before: int
    tier_min_days: int | None


REFUND_TERMS_DOC = (
    "On which terms the cancellation refunds: `policy`, the product's refund policy on "
    "the cancellation date (the traveller's or partner's cancel, or the operator's at the "
    "traveller's request); `full_refund`, everything paid, whatever the policy says (the "
    "operator cancelled of its own accord)"
)


class CancellationOut(BaseModel):
    cancelled_at: datetime
    cancelled_by: Literal["traveller", "partner", "operator"]
    refund_terms: RefundTerms = Field(description=REFUND_TERMS_DOC)
    refund_terms_note: str = Field(
        description="Who cancelled and on which terms, in words, in the answer's language"
    )
    refund_terms_note_zh: str
    refund_terms_note_en: str
    cancel_date: date
    paid_fen: int
    refundable_fen: int = Field(
        description="What the terms return of what was paid (all of it on `full_refund`); "
        "0, with no `lines`, when nothing was paid (`paid_fen` 0)"
    )
    refund_fen: int = Field(
        description="What this cancellation refunds: 0 when nothing was paid. Through "
        "Stripe it is requested at once and made later: the booking's `refund_status` "
        "says whether it has been"
    )
    refund_method: Literal["stripe", "partner", "none"]
    reason: str | None = Field(
        default=None,
        description="The reason given when cancelling (at most 200 characters), as stored: "
        "phone, ID and passport numbers, e-mail addresses and the booking's names "
        "replaced by `***`",
    )
    lines: list[RefundLineOut]


REFUNDED_DOC = (
    "Money returned to the traveller: refunds Stripe has made (`refund_status`), or what "
    "a partner that collects payment refunds itself (`cancellation.refund_method` "
    "`partner`). A refund that is only requested is not counted here: see "
    "`refund_requested_fen`"
)
REFUND_STATUS_DOC = (
    "Where the booking's refunds through Stripe stand, as Stripe's Refund `status`: "
    "`pending` (requested, not yet made: on its way to the card), `succeeded` (made: "
    "`refunded_fen` = `refund_requested_fen`), `failed` (Stripe refused or could not make "
    "one: the money is not back; the operator follows it up); null when nothing is "
    "refunded through Stripe"
)
REFUND_REQUESTED_DOC = "What was asked of Stripe to refund (0 when nothing was)"
RefundStatus = Literal["pending", "succeeded", "failed"]


STATUS_REASON = (
    "Why the booking is in its status, or null: `hold_expired` (expired: the unpaid hold "
    "lapsed); `paid_after_expiry_retaken` (confirmed: paid after the hold lapsed, and its "
    "nights were free and taken again); `paid_after_expiry_sold_out` (expired: paid after "
    "the hold lapsed, but a night or stub was gone or the quote was booked again; the "
    "payment is refunded in full); `cancelled_by_traveller`, `cancelled_by_partner`, "
    "`cancelled_by_operator` (cancelled, by whom)."
)


class BookingStatus(StrEnum):
    """`pending_payment` (nights held until `hold_expires_at`) -> `confirmed` ->
    `cancelled` or `completed`; `pending_payment` -> `expired` (or `cancelled`)."""

    pending_payment = models.PENDING_PAYMENT
    confirmed = models.CONFIRMED
    cancelled = models.CANCELLED
    completed = models.COMPLETED
    expired = models.EXPIRED


class BookingOut(BaseModel):
    """A booking as its owner sees it."""

    reference: str = Field(examples=["JL-7K3Q9M"])
    status: BookingStatus
    status_reason: str | None = Field(description=STATUS_REASON)
    channel: Channel = Field(description="The sales channel the price was made for")
    quote_id: str
    total_fen: int
    refunded_fen: int = Field(description=REFUNDED_DOC)
    refund_requested_fen: int = Field(default=0, description=REFUND_REQUESTED_DOC)
    refund_status: RefundStatus | None = Field(default=None, description=REFUND_STATUS_DOC)
    currency: str
    hold_expires_at: datetime | None
    payment: PaymentOut
    items: list[BookingItemOut]
    legs: list[BookingLegOut]
    stubs: list[str]
    lead_traveller: TravellerOut
    guests: list[GuestOut]
    cancellation: CancellationOut | None
    created_at: datetime
    updated_at: datetime
    version: int


class BookingCreated(BookingOut):
    token: str = Field(
        description="The traveller's secret: with the reference it opens "
        "the booking (header X-Booking-Token). Shown only here. 20 letters and digits "
        "of Crockford's base32 in groups of four (100 bits), read back in any case, with "
        "or without the spaces or dashes, O for 0 and I or L for 1; show it as it is.",
        examples=["7KQ2-M9XD-3FHT-0BWC-RZ5N"],
    )


class BookingSummary(BaseModel):
    """A booking in the partner feed: personal data masked."""

    reference: str
    status: BookingStatus
    status_reason: str | None = Field(description=STATUS_REASON)
    total_fen: int
    refunded_fen: int = Field(description=REFUNDED_DOC)
    refund_requested_fen: int = Field(default=0, description=REFUND_REQUESTED_DOC)
    refund_status: RefundStatus | None = Field(default=None, description=REFUND_STATUS_DOC)
    currency: str
    payment_mode: PaymentMode
    hold_expires_at: datetime | None
    items: list[BookingItemOut]
    lead_traveller: TravellerOut
    guest_names: list[str]
    created_at: datetime
    updated_at: datetime
    version: int


class BookingPage(BaseModel):
    items: list[BookingSummary]
    next: str | None = Field(description="Pass back as `cursor` for the next page")
    poll_cursor: str | None = Field(
        description="Where your next poll starts: pass it as `cursor` later to get every "
        "change committed after this page, none skipped (null only when nothing was "
        "returned and no cursor given)"
    )


# --- rendering ---------------------------------------------------------------------------


def desks_shown(b: Any) -> bool:
    """Whether booking ``b``'s answers say which desk takes what (``at_property``): paid
    at the property, and not cancelled or expired."""
    return b.payment_mode == MODE_PAY_AT_PROPERTY and b.status in LIVE_STATUSES


def _destination_of(view: "BookingView") -> dict[int, int]:
    places = view.places
    assert places is not None, "a booking paid at the property is read with its places"
    return {product: p.destination_id for product, p in places.items()}


def _desks(view: "BookingView", lang: Lang) -> list[DeskOut] | None:
    """``payment.at_property`` of ``view`` (read with its ``places`` when shown); None
    when nothing is to pay at the property (every stay a no-show: no desk collects)."""
    if not desks_shown(view.booking):
        return None
    split = desks(view.items, view.legs, _destination_of(view))
    if not sum(d.amount_fen for d in split):
        return None
    return named_desks(split, view.places, lang)


def named_desks(split: Sequence[Desk], places: Mapping[int, Any], lang: Lang) -> list[DeskOut]:
    """``split`` (``shares.desks``) with each destination's names: ``places``, product
    id -> its ``repository.Place``, of every product the stays name. A booking's
    ``payment.at_property``, and a quote's desks before it is booked (``quote_desks``)."""
    named = {p.destination_id: p for p in places.values()}
    out = []
    for d in split:
        place = named[d.destination_id]
        out.append(
            DeskOut(
                destination_id=d.destination_id,
                destination_name=pick(lang, place.name_zh, place.name_en),
                destination_name_zh=place.name_zh,
                destination_name_en=place.name_en,
                item_indexes=d.item_indexes,
                leg_indexes=d.leg_indexes,
                amount_fen=d.amount_fen,
                fares_fen=d.fares_fen,
            )
        )
    return out


def payment(view: "BookingView", lang: Lang) -> PaymentOut:
    """How the booking is paid and what was paid (``paid.paid_fen``, the console's rule
    too), with its note in words: a Stripe booking's by whether it still waits for its
    payment, was paid, or ended unpaid."""
    b = view.booking
    mode = b.payment_mode
    paid = paid_fen(b)
    zh, en = _PAYMENT_NOTES[mode]
    if mode == MODE_STRIPE and b.status != PENDING_PAYMENT:
        ended = b.status in (models.CANCELLED, models.EXPIRED)
        if not paid:
            zh, en = _STRIPE_ENDED_UNPAID_NOTE
        else:
            zh, en = _STRIPE_ENDED_PAID_NOTE if ended else _STRIPE_PAID_NOTE
            zh, en = zh.format(paid=format_yuan(paid)), en.format(paid=format_yuan(paid))
    return PaymentOut(
        mode=mode,
        note=pick(lang, zh, en),
        note_zh=zh,
        note_en=en,
        payment_intent_id=b.payment_intent_id,
        client_secret=view.payment_start.client_secret if view.payment_start else None,
        paid_fen=paid,
        paid_at=b.paid_at if mode == MODE_STRIPE else None,
        at_property=_desks(view, lang),
    )


def _items(view: "BookingView", lang: Lang) -> list[BookingItemOut]:
    return [
        BookingItemOut(
            index=i.item_index,
            product_id=i.product_id,
            product_name=pick(lang, i.product_name_zh, i.product_name_en),
            product_name_zh=i.product_name_zh,
            product_name_en=i.product_name_en,
            check_in=i.check_in,
            check_out=i.check_out,
            nights=(i.check_out - i.check_in).days,
            units=i.units,
            guests=i.guests,
            net_fen=i.net_fen,
            stay_status=i.stay_status,
            stay_status_at=i.stay_status_at if i.stay_status else None,
        )
        for i in view.items
    ]


def refund_fields(b: Any) -> dict[str, Any]:
    """A booking's refunds as every answer about it says them (``payments.refund_state``
    writes them)."""
    return {
        "refunded_fen": b.refunded_fen,
        "refund_requested_fen": b.refund_requested_fen,
        "refund_status": b.refund_status,
    }


def cancellation_out(data: dict[str, Any] | None, lang: Lang) -> CancellationOut | None:
    """A recorded cancellation (``Booking.cancellation``) as answers show it."""
    if not data:
        return None
    data = refund_of_paid(data)
    zh, en = terms_note(data)
    return CancellationOut(
        **{
            k: data[k]
            for k in (
                "cancelled_at",
                "cancelled_by",
                "cancel_date",
                "paid_fen",
                "refundable_fen",
                "refund_fen",
                "refund_method",
            )
        },
        refund_terms=terms_of(data),
        refund_terms_note=pick(lang, zh, en),
        refund_terms_note_zh=zh,
        refund_terms_note_en=en,
        reason=data.get("reason"),
        lines=[
            RefundLineOut(label=pick(lang, ln["label_zh"], ln["label_en"]), **ln)
            for ln in data["lines"]
        ],
    )


def render(view: "BookingView", lang: Lang) -> BookingOut | BookingCreated:
    b = view.booking
    fields: dict[str, Any] = dict(
        reference=b.reference,
        status=b.status,
        status_reason=b.status_reason,
        channel=b.channel,
        quote_id=b.quote_id,
        total_fen=b.total_fen,
        **refund_fields(b),
        currency=b.currency,
        hold_expires_at=b.hold_expires_at,
        payment=payment(view, lang),
        items=_items(view, lang),
        legs=[leg_out(g, lang) for g in view.legs],
        stubs=view.stub_codes,
        lead_traveller=TravellerOut(name=b.lead_name, phone=b.lead_phone),
        guests=[GuestOut(**g) for g in b.guests],
        cancellation=cancellation_out(b.cancellation, lang),
        created_at=b.created_at,
        updated_at=b.updated_at,
        version=b.version,
    )
    if view.token is not None:
        return BookingCreated(token=view.token, **fields)
    return BookingOut(**fields)


def summary(view: "BookingView", lang: Lang) -> BookingSummary:
    b = view.booking
    return BookingSummary(
        reference=b.reference,
        status=b.status,
        status_reason=b.status_reason,
        total_fen=b.total_fen,
        **refund_fields(b),
        currency=b.currency,
        payment_mode=b.payment_mode,
        hold_expires_at=b.hold_expires_at,
        items=_items(view, lang),
        lead_traveller=TravellerOut(name=mask_name(b.lead_name), phone=mask_phone(b.lead_phone)),
        guest_names=[mask_name(g["name"]) for g in b.guests],
        created_at=b.created_at,
        updated_at=b.updated_at,
        version=b.version,
    )
