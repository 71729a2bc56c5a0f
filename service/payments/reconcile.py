"""The reconciler: payments that succeeded at Stripe but were never settled here.

A crash between Stripe taking the money and our webhook handler committing (or a
webhook that never arrives) leaves a booking ``pending_payment`` with a ``payment`` row
that is not ``succeeded``. Each pass:

1. lists ``payment_intent.succeeded`` events at Stripe since the oldest unsettled
   payment of the last ``LOOKBACK`` (``events.list`` with ``type`` and ``created``,
   as on real Stripe), and processes those of our unsettled payments exactly like a
   webhook, under the same event id: a webhook arriving later is a harmless duplicate;
2. for unsettled payments whose booking's hold has run out (about to expire), and that
   step 1 did not settle, retrieves the PaymentIntent itself: a last look before the
   hold is let go.

Settling is the webhook's own ``settle_succeeded``: confirm, or refund in full once.
"""

import logging
from datetime import datetime, timedelta

import stripe

from service import runner
from service.db import Database
from service.payments import gateway, repository
from service.payments.events import event_from_dict, intent_from_dict
from service.payments.service import RetryLater, process_event, settle_succeeded
from service.settings import Settings

log = logging.getLogger("jilin.reconcile")

LOOKBACK = timedelta(days=2)
EVENT_SLACK = timedelta(minutes=5)


def reconcile(database: Database, settings: Settings, now: datetime) -> dict[str, int]:
    """One pass; how many payments ended how (``{"confirmed": 1}``...)."""
    counts: dict[str, int] = {}
    if gateway.payments_offline(settings):
        return counts
    unsettled = unsettled_intents(database, now)
    if unsettled:
        settle_from_events(database, settings, now, unsettled, counts)
    if unsettled:
        settle_holds_ending(database, settings, now, unsettled, counts)
    if counts:
        log.info("reconcile: %s", counts)
    return counts


def unsettled_intents(database: Database, now: datetime) -> dict[str, tuple[int, datetime]]:
    """PaymentIntent id -> (booking id, payment created_at) of every unsettled payment."""
    with runner.transaction(database) as session:
        rows = repository.unsettled_payments(session, now - LOOKBACK)
        return {p.payment_intent_id: (p.booking_id, p.created_at) for p in rows}


def settle_from_events(
    database: Database, settings: Settings, now: datetime, unsettled: dict, counts: dict[str, int]
) -> None:
    """Step 1: Stripe's ``payment_intent.succeeded`` events for our unsettled payments."""
    since = min(created for _, created in unsettled.values()) - EVENT_SLACK
    try:
        for event in gateway.succeeded_payment_events(settings, since):
            received = event_from_dict(event.to_dict(for_json=True))
            if received is None or received.intent is None:
                log.warning("reconcile: Stripe listed an event this service cannot read")
                continue
            intent_id = received.intent.id
            if intent_id not in unsettled:
                continue
            outcome = in_transaction(
                database, lambda s, e=received: process_event(s, e, now, source="reconciler")
            )
            unsettled.pop(intent_id)
            _count(counts, outcome)
    except stripe.StripeError as exc:
        log.warning("reconcile: listing Stripe events failed: %s", type(exc).__name__)


def settle_holds_ending(
    database: Database, settings: Settings, now: datetime, unsettled: dict, counts: dict[str, int]
) -> None:
    """Step 2: a last look at Stripe for holds that are over, before they are let go."""
    for intent_id in _holds_ending(database, unsettled, now):
        try:
            intent = gateway.retrieve_payment_intent(settings, intent_id)
        except stripe.StripeError as exc:
            log.warning("reconcile: PaymentIntent %s: %s", intent_id, type(exc).__name__)
            continue
        received = intent_from_dict(intent.to_dict(for_json=True))
        if received is None or received.status != "succeeded":
            continue
        outcome = in_transaction(database, lambda s, i=received: settle_succeeded(s, i, now))
        unsettled.pop(intent_id)
        _count(counts, outcome)


def in_transaction(database: Database, work) -> str:
    try:
        with runner.transaction(database, write=True) as session:
            return work(session)
    except RetryLater:  # the nights are locked right now: the next pass tries again
        return "retry_later"


def _holds_ending(database: Database, unsettled: dict, now: datetime) -> list[str]:
    ids = {booking_id: intent_id for intent_id, (booking_id, _) in unsettled.items()}
    if not ids:
        return []
    with runner.transaction(database) as session:
        ended = repository.pending_bookings_with_hold_ended(session, list(ids), now)
    return [ids[booking_id] for booking_id in ended]


def _count(counts: dict[str, int], outcome: str) -> None:
    counts[outcome] = counts.get(outcome, 0) + 1
