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

from service.db import Database
from service.payments import gateway, repository
from service.payments.service import process_event, settle_succeeded
from service.settings import Settings

log = logging.getLogger("jilin.reconcile")

LOOKBACK = timedelta(days=2)
EVENT_SLACK = timedelta(minutes=5)


def reconcile(database: Database, settings: Settings, now: datetime) -> dict:
    counts: dict[str, int] = {}
    if gateway.payments_offline(settings):
        return counts
    with database.session() as session:
        unsettled = {
            p.payment_intent_id: (p.booking_id, p.created_at)
            for p in repository.unsettled_payments(session, now - LOOKBACK)
        }
        session.rollback()
    if not unsettled:
        return counts
    since = min(created for _, created in unsettled.values()) - EVENT_SLACK
    try:
        for event in gateway.succeeded_payment_events(settings, since):
            intent = event.data.object
            if intent.id not in unsettled:
                continue
            with database.write_session() as session:
                outcome = process_event(
                    session, event.to_dict(for_json=True), now, source="reconciler"
                )
                session.commit()
            unsettled.pop(intent.id)
            _count(counts, outcome)
    except stripe.StripeError as exc:
        log.warning("reconcile: listing Stripe events failed: %s", type(exc).__name__)
    for intent_id in _holds_ending(database, unsettled, now):
        try:
            intent = gateway.retrieve_payment_intent(settings, intent_id)
        except stripe.StripeError as exc:
            log.warning("reconcile: PaymentIntent %s: %s", intent_id, type(exc).__name__)
            continue
        if intent.status != "succeeded":
            continue
        with database.write_session() as session:
            outcome = settle_succeeded(session, intent.to_dict(for_json=True), now)
            session.commit()
        _count(counts, outcome)
    if counts:
        log.info("reconcile: %s", counts)
    return counts


def _holds_ending(database: Database, unsettled: dict, now: datetime) -> list[str]:
    ids = {booking_id: intent_id for intent_id, (booking_id, _) in unsettled.items()}
    if not ids:
        return []
    with database.session() as session:
        ended = repository.pending_bookings_with_hold_ended(session, list(ids), now)
        session.rollback()
    return [ids[booking_id] for booking_id in ended]


def _count(counts: dict[str, int], outcome: str) -> None:
    counts[outcome] = counts.get(outcome, 0) + 1
