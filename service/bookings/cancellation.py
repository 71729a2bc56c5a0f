"""Cancelling a booking: refund by the product's policy (or in full, when the operator
cancels), free the nights and stubs.

Who may cancel is decided by the caller of ``cancel_booking`` (the traveller with the
booking's token, the partner that owns it, an operator through the admin API, the
console or the CLI); ``by`` only records it. Cancelling twice refunds once: the booking
row is locked and re-read, and a booking already ``cancelled`` returns the first
cancellation unchanged.

On which terms (``refund_terms``, recorded in the cancellation): ``policy``, the
product's refund policy on the day, when the traveller cancels (themselves, through a
partner, or by asking the operator: ``operator_terms(on_behalf_of_traveller=True)``);
``full_refund`` when the operator cancels of its own accord (repairs, overbooking: the
traveller did nothing wrong, so everything paid comes back, as a hotel that cancels owes
its guest a full refund).

What is refunded: ``pricing.refunds`` computes the refund of every item and leg on
those terms (docs/pricing.md, "Cancellation"), itemised like a quote. Money moves only
where money was taken: a Stripe payment is refunded through the ``Payments`` port the
caller hands in (``bookings.ports``; a pending refund row in this transaction, paid by
the worker; the booking's ``refunded_fen`` grows when Stripe has made it, and its
``refund_status`` says where it stands, ``payments.refund_state``); a merchant-model
partner refunds its traveller itself (``refund_method`` "partner", ``refunded_fen`` at
once); pay-at-property and unpaid holds refund nothing and state no refund
(``refund_of_paid``).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, get_args

from sqlmodel import Session

from catalog import inventory
from pricing.refunds import (
    ItemToRefund,
    LegToRefund,
    Refund,
    compute_refund,
    policy_from_json,
)
from service.bookings import errors, repository
from service.bookings.models import (
    CANCELLED,
    CONFIRMED,
    MODE_MERCHANT_COLLECTS,
    MODE_STRIPE,
    PENDING_PAYMENT,
    Booking,
    BookingItem,
    BookingLeg,
    traveller_names,
)
from service.bookings.outbox import BOOKING_CANCELLED
from service.bookings.ports import Payments
from service.bookings.transitions import DEFAULT_LOCK_TIMEOUT_MS, emit, stays, touch
from service.clock import local_date
from service.personal_data import strip_personal_data

BY_TRAVELLER = "traveller"
BY_PARTNER = "partner"
BY_OPERATOR = "operator"
CANCELLERS = (BY_TRAVELLER, BY_PARTNER, BY_OPERATOR)
# A cancellation's reason: free text the canceller types and the traveller, the partner,
# the operator and the province read; at most this long, stored without personal data.
REASON_MAX = 200
# On which terms a cancellation refunds: the product's policy, or everything paid (the
# API's ``refund_terms``, schemas.CancellationOut).
RefundTerms = Literal["policy", "full_refund"]
REFUND_TERMS: tuple[str, ...] = get_args(RefundTerms)
POLICY, FULL_REFUND = REFUND_TERMS
# What the terms are called (zh-CN, English) by who cancelled on them: the API's
# ``cancellation.refund_terms_note``, the console and the traveller's pages.
_TERMS_NOTES = {
    (FULL_REFUND, BY_OPERATOR): (
        "运营方取消：已付款项全额退还，不按退款规则扣减。",
        "Cancelled by the operator: everything paid is refunded in full; the refund policy "
        "does not apply.",
    ),
    (POLICY, BY_OPERATOR): (
        "应旅客要求由运营方取消：按产品的退款规则退款。",
        "Cancelled by the operator at the traveller's request: the product's refund policy "
        "applies.",
    ),
    (POLICY, BY_TRAVELLER): ("按产品的退款规则退款。", "The product's refund policy applies."),
    (POLICY, BY_PARTNER): ("按产品的退款规则退款。", "The product's refund policy applies."),
}
# The statuses a booking is cancelled from: a hold not yet paid, or a booked stay.
CANCELLABLE = (PENDING_PAYMENT, CONFIRMED)
# The front desk's stay statuses (operators.bookings) of a stay that has begun.
STAYS_STARTED = ("checked_in", "completed")
# A stay the front desk marked a no-show: the guest did not come, its nights stay sold
# (docs/metrics.md), and the booking is not cancelled either, unless the desk undoes the
# no-show first (operators.bookings).
NO_SHOW = "no_show"


@dataclass(frozen=True, slots=True)
class CancellationResult:
    booking: Booking
    refund_fen: int
    cancellation: dict[str, Any]  # as stored on the booking and shown in responses
    first_time: bool


def operator_terms(*, on_behalf_of_traveller: bool) -> str:
    """The terms of an operator's cancellation: everything paid comes back, unless the
    operator cancels because the traveller asked (then the policy, as if they had)."""
    return POLICY if on_behalf_of_traveller else FULL_REFUND


def terms_of(cancellation: dict[str, Any]) -> str:
    """A recorded cancellation's terms (one recorded before December 2026: the policy)."""
    return cancellation.get("refund_terms", POLICY)


def terms_note(cancellation: dict[str, Any]) -> tuple[str, str]:
    """Which terms a cancellation (or its preview, ``cancellation_terms``) applies, in
    words (zh-CN, English)."""
    return _TERMS_NOTES[terms_of(cancellation), cancellation["cancelled_by"]]


def started_stay(items: Sequence[Any]) -> Any | None:
    """The first item (a ``BookingItem`` or its row) whose stay has begun at the front
    desk (checked in, or out); None if none has."""
    return next((i for i in items if i.stay_status in STAYS_STARTED), None)


def kept_stay(items: Sequence[Any]) -> Any | None:
    """The item whose front-desk record stops its booking being cancelled: the first
    stay begun (``started_stay``), else the first marked a no-show; None if none. A
    booking with one is never cancelled, by anyone (409 ``stay_started`` or
    ``stay_no_show``, ``cancellation_terms``), and its pages say why instead of offering
    to."""
    started = started_stay(items)
    if started is not None:
        return started
    return next((i for i in items if i.stay_status == NO_SHOW), None)


def may_cancel(status: str, items: Sequence[Any]) -> bool:
    """Whether a booking of ``status`` with ``items`` (``BookingItem``s or their rows) may
    be cancelled: its status is ``CANCELLABLE`` and no stay of it has begun or was marked
    a no-show (``kept_stay``). ``cancellation_terms`` refuses any other; the console's
    desk and the traveller's page offer to cancel only these."""
    return status in CANCELLABLE and kept_stay(items) is None


def refund_on_terms(
    items: list[BookingItem], legs: list[BookingLeg], cancel_date, *, in_full: bool = False
) -> Refund:
    return compute_refund(
        [
            ItemToRefund(
                index=i.item_index,
                name_zh=i.product_name_zh,
                name_en=i.product_name_en,
                check_in=i.check_in,
                net_fen=i.net_fen,
                policy=policy_from_json(i.refund_policy),
            )
            for i in items
        ],
        [
            LegToRefund(
                index=g.leg_index,
                name_zh=g.line_name_zh,
                name_en=g.line_name_en,
                travel_date=g.travel_date,
                net_fen=g.net_fen,
            )
            for g in legs
        ],
        cancel_date=cancel_date,
        in_full=in_full,
    )


def _lines_json(refund: Refund) -> list[dict[str, Any]]:
    return [
        {
            "kind": line.kind,
            "index": line.index,
            "label_zh": line.label_zh,
            "label_en": line.label_en,
            "base_fen": line.base_fen,
            "refund_bps": line.refund_bps,
            "amount_fen": line.amount_fen,
            "days_before": line.days_before,
            "tier_min_days": line.tier_min_days,
        }
        for line in refund.lines
    ]


def _request_stripe_refund(
    session: Session,
    booking: Booking,
    payments: Payments | None,
    amount_fen: int,
    reason: str,
    lines: list[dict[str, Any]],
    now: datetime,
) -> None:
    if payments is None:
        raise errors.PaymentsUnavailable(
            "Refunds through Stripe are not available on this server; nothing was changed.",
            zh="此服务器无法通过 Stripe 退款；未做任何更改。",
        )
    payments.request_refund(session, booking, amount_fen, reason, lines=lines, now=now)


def cancellation_terms(
    session: Session,
    b: Booking,
    items: list[BookingItem],
    legs: list[BookingLeg],
    *,
    by: str,
    now: datetime,
    reason: str | None = None,
    refund_terms: str = POLICY,
) -> dict[str, Any]:
    """What cancelling ``b`` at ``now`` on ``refund_terms`` records and refunds, computed
    without changing anything: ``cancel_booking`` stores exactly this, and a traveller or
    an operator is shown it before confirming. Raises 409 ``not_cancellable`` unless
    ``pending_payment`` or ``confirmed``, 409 ``stay_started`` once the front desk has
    checked any item in (or out): its nights are being lived in and never go back on
    sale, and 409 ``stay_no_show`` once it has marked one a no-show: its nights stay
    sold (``may_cancel``, the same rule)."""
    if (refund_terms, by) not in _TERMS_NOTES:
        raise ValueError(f"{by} does not cancel on terms {refund_terms!r}")
    if b.status not in CANCELLABLE:
        raise errors.not_cancellable(b.status)
    if (kept := kept_stay(items)) is not None:
        if kept.stay_status == NO_SHOW:
            # The desk is its destination's: read where the stay is (the refusal only).
            desk = repository.places_of(session.connection(), b.id)[kept.product_id]
            raise errors.stay_no_show(
                kept.item_index, desk.name_zh, desk.name_en, kept.check_out, local_date(now)
            )
        raise errors.stay_started(kept.item_index, kept.stay_status)
    cancel_date = local_date(now)
    refund = refund_on_terms(items, legs, cancel_date, in_full=refund_terms == FULL_REFUND)
    paid = b.status == CONFIRMED and b.payment_mode in (MODE_STRIPE, MODE_MERCHANT_COLLECTS)
    refund_fen = refund.refund_fen if paid else 0
    method = "none"
    if refund_fen:
        method = "stripe" if b.payment_mode == MODE_STRIPE else "partner"
    return refund_of_paid(
        {
            "cancelled_at": now.isoformat(),
            "cancelled_by": by,
            "refund_terms": refund_terms,
            "cancel_date": cancel_date.isoformat(),
            "was_status": b.status,
            "reason": stated_reason(b, reason),
            "paid_fen": b.total_fen if paid else 0,
            "refundable_fen": refund.refund_fen,
            "refund_fen": refund_fen,
            "refund_method": method,
            "lines": _lines_json(refund),
        }
    )


def stated_reason(booking: Booking, reason: str | None) -> str | None:
    """The reason a cancellation records and everyone reads: as the canceller gave it,
    less its personal data (phone, ID and passport numbers, e-mail addresses, the
    booking's names: ``service.personal_data``, the survey comments' rule), never
    stored in clear; None when none was given."""
    if not reason:
        return None
    return strip_personal_data(reason, traveller_names(booking), max_length=REASON_MAX) or None


def refund_of_paid(cancellation: dict[str, Any]) -> dict[str, Any]:
    """The one rule for what a cancellation (or its preview) states as refunded: a refund
    is only ever of money paid. Nothing paid (``paid_fen`` 0: pay at the property, an
    unpaid hold) states no refund at all: ``refundable_fen`` 0 and no refund lines, never
    "refunded in full, ¥6,897.24" of money that was not taken. Applied when the terms
    are computed and again when a recorded cancellation is shown (records made before
    December 2026 kept the lines), so the API, webhooks' readers, the traveller's pages
    and the console all say the same."""
    if cancellation["paid_fen"]:
        return cancellation
    return {**cancellation, "refundable_fen": 0, "lines": []}


def cancel_booking(
    session: Session,
    booking: Booking,
    *,
    by: str,
    now: datetime,
    reason: str | None = None,
    refund_terms: str = POLICY,
    lock_timeout_ms: int = DEFAULT_LOCK_TIMEOUT_MS,
    payments: Payments | None = None,
) -> CancellationResult:
    """Cancel a ``pending_payment`` or ``confirmed`` booking on ``refund_terms`` (see the
    module docstring).

    Raises 409 ``not_cancellable`` for ``expired`` and ``completed`` bookings, 409
    ``stay_started`` when an item is checked in or out, ``stay_no_show`` when one is
    marked a no-show (``cancellation_terms``).
    """
    if by not in CANCELLERS:
        raise ValueError(f"by must be one of {CANCELLERS}")
    b = repository.lock(session, booking.id)
    if b.status == CANCELLED and b.cancellation is not None:
        return CancellationResult(b, b.cancellation["refund_fen"], b.cancellation, False)
    items = repository.items_of(session, [b.id])[b.id]
    legs = repository.legs_of(session, [b.id])[b.id]
    cancellation = cancellation_terms(
        session, b, items, legs, by=by, now=now, reason=reason, refund_terms=refund_terms
    )
    refund_fen, method, lines = (
        cancellation["refund_fen"],
        cancellation["refund_method"],
        cancellation["lines"],
    )
    held = b.inventory_held
    b.status = CANCELLED
    b.status_reason = f"cancelled_by_{by}"
    b.hold_expires_at = None
    b.inventory_held = False
    if method == "partner":  # the partner refunds its traveller itself
        b.refunded_fen = refund_fen
    b.cancellation = cancellation
    touch(b, now)
    session.add(b)
    # The status is written before the nights are freed: its trigger takes the
    # traveller's report_stay lock (migration 0018), which a new booking of that
    # traveller takes (inserting its items) before it locks its nights. Freeing the
    # nights first took the two the other way round: the two deadlocked.
    session.flush()
    if held:
        inventory.release(session, stays(items), lock_timeout_ms=lock_timeout_ms)
    repository.release_stubs(session, [b.id])
    if method == "stripe":
        _request_stripe_refund(
            session, b, payments, refund_fen, f"booking {b.reference} cancelled by {by}", lines, now
        )
    emit(session, b, BOOKING_CANCELLED, now, refund_fen=refund_fen, refund_terms=refund_terms)
    return CancellationResult(b, refund_fen, cancellation, True)


def paid_after_cancelling(cancellation: dict[str, Any], received_fen: int) -> dict[str, Any]:
    """A cancellation's record once a payment that landed after it is refunded in full:
    it says what was paid and refunded (it said 0 of each, nothing having been paid)."""
    return {
        **cancellation,
        "paid_fen": cancellation["paid_fen"] + received_fen,
        "refund_fen": cancellation["refund_fen"] + received_fen,
        "refund_method": "stripe",
    }
