"""Cancelling a booking: refund by the product's policy, free the nights and stubs.

Who may cancel is decided by the caller of ``cancel_booking`` (the traveller with the
booking's token, the partner that owns it, an operator through the CLI); ``by`` only
records it. Cancelling twice refunds once: the booking row is locked and re-read, and
a booking already ``cancelled`` returns the first cancellation unchanged.

What is refunded: ``pricing.refunds`` computes the policy refund of every item and leg
(docs/pricing.md, "Cancellation"), itemised like a quote. Money moves only where money was
taken: a Stripe payment is refunded through the ``Payments`` port the caller hands in
(``bookings.ports``; a pending refund row in this transaction, paid by the worker); a
merchant-model partner refunds its traveller itself (``refund_method`` "partner");
pay-at-property and unpaid holds refund nothing.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

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
)
from service.bookings.outbox import BOOKING_CANCELLED
from service.bookings.ports import Payments
from service.bookings.transitions import DEFAULT_LOCK_TIMEOUT_MS, emit, stays, touch
from service.clock import local_date

BY_TRAVELLER = "traveller"
BY_PARTNER = "partner"
BY_OPERATOR = "operator"
CANCELLERS = (BY_TRAVELLER, BY_PARTNER, BY_OPERATOR)
# The front desk's stay statuses (operators.bookings) after which nothing is cancelled.
STAYS_STARTED = ("checked_in", "completed")


@dataclass(frozen=True, slots=True)
class CancellationResult:
    booking: Booking
    refund_fen: int
    cancellation: dict[str, Any]  # as stored on the booking and shown in responses
    first_time: bool


def policy_refund(items: list[BookingItem], legs: list[BookingLeg], cancel_date) -> Refund:
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
    b: Booking,
    items: list[BookingItem],
    legs: list[BookingLeg],
    *,
    by: str,
    now: datetime,
    reason: str | None = None,
) -> dict[str, Any]:
    """What cancelling ``b`` at ``now`` records and refunds, computed without changing
    anything: ``cancel_booking`` stores exactly this, and a traveller is shown it before
    confirming. Raises 409 ``not_cancellable`` unless ``pending_payment`` or
    ``confirmed``, and 409 ``stay_started`` once the front desk has checked any item in
    (or out): its nights are being lived in and never go back on sale."""
    if b.status not in (PENDING_PAYMENT, CONFIRMED):
        raise errors.not_cancellable(b.status)
    for item in items:
        if item.stay_status in STAYS_STARTED:
            raise errors.stay_started(item.item_index, item.stay_status)
    cancel_date = local_date(now)
    refund = policy_refund(items, legs, cancel_date)
    paid = b.status == CONFIRMED and b.payment_mode in (MODE_STRIPE, MODE_MERCHANT_COLLECTS)
    refund_fen = refund.refund_fen if paid else 0
    method = "none"
    if refund_fen:
        method = "stripe" if b.payment_mode == MODE_STRIPE else "partner"
    return {
        "cancelled_at": now.isoformat(),
        "cancelled_by": by,
        "cancel_date": cancel_date.isoformat(),
        "was_status": b.status,
        "reason": (reason or "")[:200] or None,
        "paid_fen": b.total_fen if paid else 0,
        "refundable_fen": refund.refund_fen if b.status == CONFIRMED else 0,
        "refund_fen": refund_fen,
        "refund_method": method,
        "lines": _lines_json(refund) if b.status == CONFIRMED else [],
    }


def cancel_booking(
    session: Session,
    booking: Booking,
    *,
    by: str,
    now: datetime,
    reason: str | None = None,
    lock_timeout_ms: int = DEFAULT_LOCK_TIMEOUT_MS,
    payments: Payments | None = None,
) -> CancellationResult:
    """Cancel a ``pending_payment`` or ``confirmed`` booking (see the module docstring).

    Raises 409 ``not_cancellable`` for ``expired`` and ``completed`` bookings, 409
    ``stay_started`` when an item is checked in or out (``cancellation_terms``).
    """
    if by not in CANCELLERS:
        raise ValueError(f"by must be one of {CANCELLERS}")
    b = repository.lock(session, booking.id)
    if b.status == CANCELLED and b.cancellation is not None:
        return CancellationResult(b, b.cancellation["refund_fen"], b.cancellation, False)
    items = repository.items_of(session, [b.id])[b.id]
    legs = repository.legs_of(session, [b.id])[b.id]
    cancellation = cancellation_terms(b, items, legs, by=by, now=now, reason=reason)
    refund_fen, method, lines = (
        cancellation["refund_fen"],
        cancellation["refund_method"],
        cancellation["lines"],
    )
    if b.inventory_held:
        inventory.release(session, stays(items), lock_timeout_ms=lock_timeout_ms)
        b.inventory_held = False
    repository.release_stubs(session, [b.id])
    b.status = CANCELLED
    b.status_reason = f"cancelled_by_{by}"
    b.hold_expires_at = None
    b.refunded_fen = refund_fen
    b.cancellation = cancellation
    touch(b, now)
    session.add(b)
    session.flush()
    if method == "stripe":
        _request_stripe_refund(
            session, b, payments, refund_fen, f"booking {b.reference} cancelled by {by}", lines, now
        )
    emit(session, b, BOOKING_CANCELLED, now, refund_fen=refund_fen)
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
