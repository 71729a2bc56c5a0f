"""Executing refunds at Stripe (a task of the worker, ``service.worker``).

Pending refunds are claimed in a short transaction (``FOR UPDATE SKIP LOCKED`` on
PostgreSQL, the write lock on SQLite) that also pushes them a lease ahead; the call to
Stripe happens outside any transaction; the result is written in another. Several
workers never refund the same row at once; a worker that dies mid-call leaves its rows
due again when the lease ends, and the refund's idempotency key makes Stripe refund once.
A refund made or failed moves its booking's refund state (``refund_state``) in the same
transaction, the booking locked first, as every booking transaction does.
"""

import logging
from datetime import datetime, timedelta

import stripe

from service import runner
from service.db import Database
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
            counts[_record_refund(row, status, stripe_id, error, now)] += 1
            refund_state.moved(session, booking, row, now, was=REFUND_PENDING)
    return counts


def _refund_at_stripe(
    settings: Settings, refund: Refund, intent_id: str
) -> tuple[str, str | None, str | None]:
    """(Stripe's refund status or "error:<kind>", refund id, error text)."""
    try:
        found = None
        if refund.attempts > 1 or refund.stripe_refund_id:
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
