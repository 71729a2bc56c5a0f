"""Cancelling the PaymentIntents of holds that ended unpaid (a task of the worker).

A ``pending_payment`` booking cancelled by its traveller, partner or operator, or
expired, gives its nights back; its PaymentIntent must stop being payable, or the payer
can still confirm it and be charged for a booking that no longer is. Bookings never
call Stripe (and nothing calls Stripe inside a transaction), so the worker does it, as
it executes refunds: it reads the payments still to cancel in one short transaction,
calls ``PaymentIntent.cancel`` outside any, and marks each ``canceled_at`` in another.

When Stripe refuses the cancel, the PaymentIntent is read back: if it succeeded (paid
before the cancel arrived) it is settled exactly as its webhook would be
(``service.settle_succeeded``: a cancelled or expired booking is refunded in full, the
"paid after expiry/cancellation" path); if it is already cancelled it is marked so;
anything else (processing, a network error) is tried again on the next pass.
"""

import logging
from datetime import datetime, timedelta

import stripe

from service import runner
from service.db import Database
from service.payments import gateway, repository
from service.payments.events import intent_from_dict
from service.payments.models import PAYMENT_SUCCEEDED
from service.payments.reconcile import in_transaction
from service.payments.service import settle_succeeded
from service.settings import Settings

log = logging.getLogger("jilin.payments")

BATCH = 20
LOOKBACK = timedelta(days=2)


def cancel_abandoned_intents(database: Database, settings: Settings, now: datetime) -> dict:
    """One pass; how many PaymentIntents ended how (``{"canceled": 1}``...)."""
    counts: dict[str, int] = {}
    if gateway.payments_offline(settings):
        return counts
    with runner.transaction(database) as session:
        due = repository.intents_to_cancel(session, now - LOOKBACK, BATCH)
    for payment_id, intent_id in due:
        outcome = _cancel_one(database, settings, payment_id, intent_id, now)
        counts[outcome] = counts.get(outcome, 0) + 1
    if counts:
        log.info("payment intents of ended holds: %s", counts)
    return counts


def _cancel_one(
    database: Database, settings: Settings, payment_id: int, intent_id: str, now: datetime
) -> str:
    try:
        gateway.cancel_payment_intent(settings, intent_id)
        status = "canceled"
    except stripe.InvalidRequestError:  # not cancellable: Stripe says what it is
        try:
            intent = gateway.retrieve_payment_intent(settings, intent_id)
        except stripe.StripeError as exc:
            log.warning("cancel PaymentIntent %s: %s", intent_id, type(exc).__name__)
            return "retry_later"
        status = str(intent.status)
        if status == "succeeded":
            received = intent_from_dict(intent.to_dict(for_json=True))
            if received is None:
                return "unreadable"
            return in_transaction(database, lambda s: settle_succeeded(s, received, now))
    except stripe.StripeError as exc:  # network, rate limit, Stripe's 5xx
        log.warning("cancel PaymentIntent %s: %s", intent_id, type(exc).__name__)
        return "retry_later"
    if status != "canceled":
        return "retry_later"  # processing, say: the next pass looks again
    with runner.transaction(database, write=True) as session:
        payment = repository.lock_payment(session, payment_id)
        if payment.status != PAYMENT_SUCCEEDED and payment.canceled_at is None:
            payment.canceled_at, payment.updated_at = now, now
            session.add(payment)
    log.info("PaymentIntent %s of an ended hold cancelled at Stripe", intent_id)
    return "canceled"
