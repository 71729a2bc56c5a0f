"""Stripe events: verify, store once, process, mark handled (polar's external_event way).

A webhook is processed in one write transaction: the event row (unique Stripe id), the
payment's new status, the booking's confirmation (and its outbox event) or the refund
it needs all commit together or not at all. So a crash in the middle leaves nothing
half done, and Stripe's retry (or the reconciler) does it again from the start.

Order does not matter: a payment's status only moves forward, ``payment_failed`` after
``succeeded`` changes nothing, and a second ``succeeded`` (another event id, or the
reconciler) finds the payment settled and does nothing.
"""

import logging
from datetime import datetime

import stripe
from sqlmodel import Session

from catalog.inventory import InventoryBusy
from service.bookings.cancellation import paid_after_cancelling
from service.bookings.models import CANCELLED
from service.bookings.outbox import BOOKING_REFUNDED
from service.bookings.transitions import confirm_booking, emit, touch
from service.errors import DomainError
from service.payments import gateway, refund_state, repository
from service.payments.events import ReceivedEvent, ReceivedIntent, ReceivedRefund, event_from_text
from service.payments.models import (
    PAYMENT_FAILED,
    PAYMENT_RANK,
    PAYMENT_SUCCEEDED,
    REFUND_FAILED,
    REFUND_SUCCEEDED,
    Payment,
)
from service.settings import Settings

log = logging.getLogger("jilin.payments")

PAYMENT_SUCCEEDED_EVENT = "payment_intent.succeeded"
PAYMENT_FAILED_EVENT = "payment_intent.payment_failed"
# Events that report a refund's status: a Refund object, or a Charge with its refunds.
REFUND_EVENTS = (
    "refund.created",
    "refund.updated",
    "refund.failed",
    "charge.refund.updated",
    "charge.refunded",
)
# Stripe's Refund status -> ours; "pending" and "requires_action" are not final.
STRIPE_REFUND_STATUS = {
    "succeeded": REFUND_SUCCEEDED,
    "failed": REFUND_FAILED,
    "canceled": REFUND_FAILED,
}

REASON_PAID_AFTER_EXPIRY = "paid_after_expiry_sold_out"
REASON_PAID_AFTER_CANCEL = "paid_after_cancellation"


class InvalidSignature(DomainError):
    status, code, title, title_zh = 400, "invalid_signature", "Invalid signature", "签名无效"


class InvalidPayload(DomainError):
    status, code, title, title_zh = 400, "invalid_payload", "Invalid payload", "请求体无效"


class RetryLater(DomainError):
    status, code, title, title_zh = 503, "retry_later", "Retry later", "请稍后重试"


def handle_stripe_webhook(
    session: Session, settings: Settings, payload: bytes, signature: str | None, now: datetime
) -> str:
    """Verify a Stripe webhook and process it once; returns what was done (the outcome).

    400 ``invalid_signature`` (field ``Stripe-Signature``) when the signature is missing,
    wrong or stale; 400 ``invalid_payload`` (field ``body``) when the body is not UTF-8
    (Stripe signs text, so it cannot be checked) or is correctly signed but not a Stripe
    event this service can read (``service.payments.events``: not JSON, too deeply
    nested, no string ``id``, a PaymentIntent whose fields have the wrong types).
    """
    try:
        text = payload.decode("utf-8")
        gateway.verify_webhook(text, signature, settings)
    except UnicodeDecodeError:
        log.warning("stripe webhook refused: the body is not UTF-8")
        raise _invalid_payload() from None
    except stripe.SignatureVerificationError:
        log.warning("stripe webhook refused: bad, missing or stale signature")
        raise InvalidSignature(
            "The Stripe-Signature header is missing, wrong or too old.",
            zh="Stripe-Signature 请求头缺失、错误或已过期。",
            field="Stripe-Signature",
        ) from None
    event = event_from_text(text)
    if event is None:
        log.warning("stripe webhook refused: signed, but the body is not a Stripe event")
        raise _invalid_payload()
    return process_event(session, event, now, source="webhook")


def _invalid_payload() -> InvalidPayload:
    return InvalidPayload(
        "The body is not a Stripe event (a UTF-8 JSON object with a string id).",
        zh="请求体不是 Stripe 事件（应为带字符串 id 的 UTF-8 JSON 对象）。",
        field="body",
    )


def process_event(session: Session, event: ReceivedEvent, now: datetime, *, source: str) -> str:
    """Store ``event`` unless seen before, act on it, mark it handled with the outcome."""
    intent = event.intent
    row_id = repository.insert_stripe_event_once(session, event, source=source, now=now)
    if row_id is None:
        log.info("stripe event %s already stored: ignored", event.id)
        return "duplicate"
    if event.type == PAYMENT_SUCCEEDED_EVENT and intent is not None:
        outcome = settle_succeeded(session, intent, now)
    elif event.type == PAYMENT_FAILED_EVENT and intent is not None:
        outcome = record_failed(session, intent, now)
    elif event.type in REFUND_EVENTS and event.refunds:
        outcome = ",".join(sorted({record_refund(session, r, now) for r in event.refunds}))[:60]
    else:
        outcome = "ignored"
    stored = repository.stripe_event(session, row_id)
    stored.handled_at, stored.outcome = now, outcome
    session.add(stored)
    session.flush()
    log.info("stripe event %s (%s) from %s: %s", event.id, event.type, source, outcome)
    return outcome


def settle_succeeded(session: Session, intent: ReceivedIntent, now: datetime) -> str:
    """A PaymentIntent succeeded: confirm its booking, or refund it in full, once.

    Locks the booking, then the payment (the order every booking transaction uses), and
    re-reads the payment: a second settle finds it ``succeeded`` and does nothing.
    """
    found = repository.payment_by_intent(session, intent.id)
    if found is None:
        return "unknown_payment_intent"
    booking = repository.lock_booking(session, found.booking_id)
    payment = repository.lock_payment_by_intent(session, intent.id)
    if payment.status == PAYMENT_SUCCEEDED:
        return "already_settled"
    metadata_booking = intent.booking_id
    if metadata_booking is not None and metadata_booking != str(payment.booking_id):
        log.error(
            "stripe PI %s names booking %s, our payment row booking %s",
            intent.id,
            metadata_booking,
            payment.booking_id,
        )
        return "booking_mismatch"
    received = intent.received_fen
    if not intent.is_cny or received < payment.amount_fen:
        log.error(
            "stripe PI %s paid %s %s, expected %s fen",
            intent.id,
            received,
            intent.currency,
            payment.amount_fen,
        )
        return "amount_mismatch"
    _advance(payment, PAYMENT_SUCCEEDED, now)
    payment.amount_received_fen = received
    payment.succeeded_at = now
    session.add(payment)
    booking.paid_at = now  # what every read of the booking says: "paid ¥… on <day>"
    session.add(booking)
    session.flush()

    try:
        confirmed = confirm_booking(session, booking, now=now)
    except InventoryBusy:
        raise RetryLater(
            "The booking's nights are busy; send the event again.",
            zh="该预订的房晚正被占用；请重新发送事件。",
        ) from None
    if confirmed:
        return "confirmed"
    booking = repository.lock_booking(session, booking.id)  # re-read: confirm may have changed it
    reason = REASON_PAID_AFTER_CANCEL if booking.status == CANCELLED else REASON_PAID_AFTER_EXPIRY
    lines = [
        {
            "kind": "payment",
            "reason": reason,
            "base_fen": received,
            "refund_bps": 10000,
            "amount_fen": received,
        }
    ]
    gateway.request_refund(session, booking, received, reason, lines=lines, now=now)
    if booking.status != CANCELLED:
        booking.status_reason = reason
    if booking.cancellation is not None:  # what was paid and refunded, as it now is
        booking.cancellation = paid_after_cancelling(booking.cancellation, received)
    touch(booking, now)
    session.add(booking)
    session.flush()
    emit(session, booking, BOOKING_REFUNDED, now, refund_fen=received)
    return "refund_requested"


def record_refund(session: Session, received: ReceivedRefund, now: datetime) -> str:
    """Stripe says where one of our refunds stands: made (``succeeded``) or not
    (``failed``, ``canceled``) moves our refund and its booking's refund state
    (``refund_state``) at once, whether or not the worker has heard back yet; still
    ``pending`` (or ``requires_action``) changes nothing."""
    found = repository.refund_at_stripe(session, received.id, received.refund_key)
    if found is None:
        return "unknown_refund"
    status = STRIPE_REFUND_STATUS.get(received.status or "")
    if status is None:
        return "refund_pending"
    booking, row = refund_state.locked(session, found.booking_id, found.id)
    if row.status == status:
        return "refund_unchanged"
    was = row.status
    error = None if status == REFUND_SUCCEEDED else f"stripe refund {received.status}"
    refund_state.record(row, status, now, stripe_id=received.id, error=error)
    refund_state.moved(session, booking, row, now, was=was)
    log.info("refund %s %s at Stripe (event)", row.idempotency_key, status)
    return f"refund_{status}"


def record_failed(session: Session, intent: ReceivedIntent, now: datetime) -> str:
    """A payment attempt failed: noted, unless the payment already succeeded (never backwards)."""
    payment = repository.lock_payment_by_intent(session, intent.id)
    if payment is None:
        return "unknown_payment_intent"
    if not _advance(payment, PAYMENT_FAILED, now):
        return "stale"
    session.add(payment)
    session.flush()
    return "payment_failed"


def _advance(payment: Payment, status: str, now: datetime) -> bool:
    if PAYMENT_RANK[status] <= PAYMENT_RANK[payment.status]:
        return False
    payment.status, payment.updated_at = status, now
    return True
