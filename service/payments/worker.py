"""The background worker: one pass of ``run_once`` does every side effect that is due.

1. settle payments paid at Stripe but not confirmed here (the reconciler);
2. expire holds whose time is up (the bookings capability's ``release_expired_holds``);
3. execute pending refunds through Stripe Refunds;
4. deliver outbox events to partners' webhook endpoints, signed, with backoff.

Work rows are claimed in a short transaction (``FOR UPDATE SKIP LOCKED`` on
PostgreSQL, the write lock on SQLite) that also pushes them a lease ahead; the network
call happens outside any transaction; the result is written in another. Several
workers can run at once and never send the same row concurrently; a worker that dies
mid-call leaves its rows due again when the lease ends (at least once; refunds carry
an idempotency key, webhook deliveries an event id the partner de-duplicates on).
"""

import logging
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import httpx
import stripe

from service import runner
from service.clock import Clock
from service.db import Database
from service.payments import gateway, reconcile, repository
from service.payments.models import REFUND_FAILED, REFUND_SUCCEEDED, Refund
from service.retry import MAX_ATTEMPTS, backoff
from service.settings import Settings
from service.webhooks.tasks import deliver_webhooks, new_http_client

log = logging.getLogger("jilin.worker")

BATCH = 10
# Longer than a batch can take (each call: 20 s timeout, 2 retries), so no other worker
# takes a refund while this one is still working through its batch.
LEASE = timedelta(minutes=15)


@dataclass
class WorkerReport:
    reconciled: dict = field(default_factory=dict)
    expired: int = 0
    refunds: dict = field(default_factory=dict)
    deliveries: dict = field(default_factory=dict)


def run_once(
    database: Database,
    settings: Settings,
    now: datetime | None = None,
    *,
    http: httpx.Client | None = None,
) -> WorkerReport:
    now = now or Clock().now()
    report = WorkerReport()
    if not gateway.payments_offline(settings):
        report.reconciled = reconcile.reconcile(database, settings, now)
    report.expired = release_expired(database, now)
    report.refunds = execute_refunds(database, settings, now)
    report.deliveries = deliver_webhooks(database, now, http=http)
    return report


def run_forever(database: Database, settings: Settings, interval_s: float = 5.0) -> None:
    clock = Clock()
    with new_http_client() as http:
        while True:
            try:
                report = run_once(database, settings, clock.now(), http=http)
                log.debug("worker pass: %s", report)
            except Exception:  # one bad pass must not stop the worker; the next retries
                log.exception("worker pass failed")
            time.sleep(interval_s)


def release_expired(database: Database, now: datetime) -> int:
    from service.bookings import service as bookings

    with runner.transaction(database, write=True) as session:
        released = bookings.release_expired_holds(session, now=now)
    return released if isinstance(released, int) else len(released or [])


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
            row = session.get(Refund, refund.id, with_for_update=True)
            counts[_record_refund(row, status, stripe_id, error, now)] += 1
            session.add(row)
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
        row.status, row.succeeded_at, row.last_error = REFUND_SUCCEEDED, now, None
        log.info("refund %s succeeded at Stripe (%s fen)", row.idempotency_key, row.amount_fen)
        return "succeeded"
    permanent = status in ("failed", "canceled", "error:refused")
    if permanent or row.attempts >= MAX_ATTEMPTS:
        row.status, row.last_error = REFUND_FAILED, error or f"stripe refund {status}"
        log.error("refund %s failed for good: %s", row.idempotency_key, row.last_error)
        return "failed"
    # pending / requires_action at Stripe, or a transient error: look again later
    row.next_attempt_at = now + backoff(row.attempts)
    row.last_error = error or f"stripe refund {status}"
    return "retrying"


def _short(exc: Exception) -> str:
    return f"{type(exc).__name__}: {getattr(exc, 'user_message', None) or exc}"[:500]
