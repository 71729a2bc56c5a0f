"""Executing refunds at Stripe (a task of the worker, ``service.worker``).

Pending refunds are claimed in a short transaction (``FOR UPDATE SKIP LOCKED`` on
PostgreSQL, the write lock on SQLite) that also pushes them a lease ahead; the call to
Stripe happens outside any transaction; the result is written in another. Several
workers never refund the same row at once; a worker that dies mid-call leaves its rows
due again when the lease ends, and the refund's idempotency key makes Stripe refund once.
A refund made or failed moves its booking's refund state (``refund_state``) in the same
transaction, the booking locked first, as every booking transaction does.

A refund that failed is not tried again by itself; an operator may ask for it again
(``retry_failed``): the same row, pending again under a new idempotency key
(``gateway.retry_key``), made by the worker as any other. Before it makes one, the
worker looks at Stripe for a refund an earlier attempt made that Stripe has not failed
(``gateway.find_refund``), so a retry never refunds what was refunded.
"""

import logging
from datetime import datetime, timedelta

import stripe
from sqlmodel import Session

from service import runner
from service.bookings.models import Booking
from service.bookings.transitions import touch
from service.db import Database
from service.errors import Conflict
from service.payments import gateway, refund_state, repository
from service.payments.models import REFUND_FAILED, REFUND_PENDING, REFUND_SUCCEEDED, Refund
from service.retry import MAX_ATTEMPTS, backoff
from service.settings import Settings

log = logging.getLogger("jilin.refunds")

BATCH = 10
# Longer than a batch can take (each call: 20 s timeout, 2 retries), so no other worker
# takes a refund while this one is still working through its batch.
LEASE = timedelta(minutes=15)


# -- refunds --------------------------------------------------------------------------------

# What a booking's refunds are when none has failed (``refund_status``), for the refusal.
_NOT_FAILED = {
    None: ("没有通过 Stripe 的退款", "has no refund through Stripe"),
    REFUND_PENDING: (
        "的退款没有失败：Stripe 正在办理",
        "has no failed refund: Stripe is making it",
    ),
    REFUND_SUCCEEDED: (
        "的退款没有失败：Stripe 已退回旅客",
        "has no failed refund: Stripe has made it",
    ),
}


def retry_failed(session: Session, booking: Booking, now: datetime) -> list[Refund]:
    """Every failed refund of ``booking`` (locked by the caller, as every booking
    transaction locks it first) asked of Stripe again: pending, due now, its attempts
    counted afresh, under a new idempotency key and without the failed attempt's Stripe
    id (a late event about that attempt then moves nothing). The booking's refund state
    follows (``pending``) and the booking is touched. None failed (a second click, or a
    concurrent one that came first): 409 ``refund_not_failed``, nothing written. Those
    refunds together with the booking's others stay within what was paid
    (``refund_exceeds_payment``)."""
    rows = repository.lock_failed_refunds(session, booking.id)
    if not rows:
        zh, en = _NOT_FAILED.get(booking.refund_status, _NOT_FAILED[None])
        raise Conflict(
            f"Booking {booking.reference} {en}; there is nothing to retry.",
            zh=f"预订 {booking.reference} {zh}，无需重试。",
            code="refund_not_failed",
            field="refund_status",
        )
    gateway.check_within_paid(session, booking.id, sum(r.amount_fen for r in rows))
    for row in rows:
        row.status, row.idempotency_key = REFUND_PENDING, gateway.retry_key(row.idempotency_key)
        row.stripe_refund_id, row.succeeded_at = None, None
        row.attempts, row.next_attempt_at, row.updated_at = 0, now, now
        session.add(row)
        log.info("refund %s asked of Stripe again (%s fen)", row.idempotency_key, row.amount_fen)
    session.flush()
    if refund_state.sync_booking(session, booking):
        touch(booking, now)
        session.add(booking)
        session.flush()
    return rows


def execute_refunds(database: Database, settings: Settings, now: datetime) -> dict:
    counts = {"succeeded": 0, "retrying": 0, "failed": 0}
    if gateway.payments_offline(settings):
        return counts
    with runner.transaction(database, write=True) as session:
        claimed = repository.claim_due_refunds(session, now, LEASE, BATCH)
    for refund, intent_id in claimed:
        status, stripe_id, error = _refund_at_stripe(settings, refund, intent_id)
        with runner.transaction(database, write=True) as session:
            booking, row = refund_state.locked(session, refund.booking_id, refund.id)
            if row.status != REFUND_PENDING:  # Stripe's event got here first: it stands
                continue
            if row.idempotency_key != refund.idempotency_key:  # failed, then retried
                continue  # meanwhile: this answer is the old attempt's; the new one stands
            counts[_record_refund(row, status, stripe_id, error, now)] += 1
            refund_state.moved(session, booking, row, now, was=REFUND_PENDING)
    return counts


def _refund_at_stripe(
    settings: Settings, refund: Refund, intent_id: str
) -> tuple[str, str | None, str | None]:
    """(Stripe's refund status or "error:<kind>", refund id, error text)."""
    try:
        found = None
        if (
            refund.attempts > 1
            or refund.stripe_refund_id
            or gateway.is_retry(refund.idempotency_key)
        ):
            found = gateway.find_refund(settings, intent_id, refund.idempotency_key)
        made = found or gateway.create_refund(settings, refund, intent_id)
        return str(made.status), made.id, None
    except stripe.InvalidRequestError as exc:  # Stripe refuses it: retrying will not help
        return "error:refused", None, _short(exc)
    except stripe.StripeError as exc:  # network, rate limit, Stripe's 5xx: retry later
        return "error:transient", None, _short(exc)


def _record_refund(
    row: Refund, status: str, stripe_id: str | None, error: str | None, now: datetime
) -> str:
    row.updated_at = now
    if stripe_id:
        row.stripe_refund_id = stripe_id
    if status == "succeeded":
        refund_state.record(row, REFUND_SUCCEEDED, now, stripe_id=stripe_id, error=None)
        log.info("refund %s succeeded at Stripe (%s fen)", row.idempotency_key, row.amount_fen)
        return "succeeded"
    permanent = status in ("failed", "canceled", "error:refused")
    if permanent or row.attempts >= MAX_ATTEMPTS:
        error = error or f"stripe refund {status}"
        refund_state.record(row, REFUND_FAILED, now, stripe_id=stripe_id, error=error)
        log.error("refund %s failed for good: %s", row.idempotency_key, row.last_error)
        return "failed"
    # pending / requires_action at Stripe, or a transient error: look again later
    row.next_attempt_at = now + backoff(row.attempts)
    row.last_error = error or f"stripe refund {status}"
    return "retrying"


def _short(exc: Exception) -> str:
    return f"{type(exc).__name__}: {getattr(exc, 'user_message', None) or exc}"[:500]
