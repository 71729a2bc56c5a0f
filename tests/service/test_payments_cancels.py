"""A hold that ends unpaid, cancelled or expired, has its PaymentIntent cancelled at the
(fake) Stripe by the worker, so the payer can no longer be charged for it; a payment
that got in first is refunded in full, once. Real SDK against localstripe, both
databases."""

from datetime import UTC, datetime, timedelta

import pytest
import stripe
from freezegun import freeze_time

from service.payments.cancels import cancel_abandoned_intents
from service.worker import run_once
from tests.support.payments import (
    book,
    booking_row,
    cancel,
    fake_stripe,
    make_stay,
    pay_at_fake,
    pay_client,
    payment_row,
    refunds_of,
    stripe_sdk,
    stripe_settings,
    taken_units,
)

FIXTURES = (fake_stripe, pay_client, stripe_settings)  # used by name below


def intent_status(settings, payment_intent_id: str) -> str:
    return stripe_sdk(settings).v1.payment_intents.retrieve(payment_intent_id).status


def test_a_cancelled_hold_cannot_be_paid_after_the_worker_pass(db, pay_client, stripe_settings):
    stay = make_stay(db, units=1)
    booking = book(pay_client, stay)
    intent_id = booking["payment"]["payment_intent_id"]
    cancelled = cancel(pay_client, booking)
    assert cancelled.status_code == 200
    assert cancelled.json()["cancellation"]["reason"] == "plans changed"  # kept, shown

    report = run_once(db, stripe_settings)

    assert report.canceled_intents == {"canceled": 1}
    assert intent_status(stripe_settings, intent_id) == "canceled"
    assert payment_row(db, booking_row(db, booking["reference"]).id).canceled_at is not None
    with pytest.raises(stripe.InvalidRequestError):
        pay_at_fake(stripe_settings, intent_id)
    assert run_once(db, stripe_settings).canceled_intents == {}  # done once
    row = booking_row(db, booking["reference"])
    assert (row.status, row.refunded_fen, refunds_of(db, row.id)) == ("cancelled", 0, [])
    assert taken_units(db, stay.product_id) == 0


def test_an_expired_hold_cannot_be_paid_after_the_worker_pass(db, pay_client, stripe_settings):
    with freeze_time(datetime.now(UTC) - timedelta(minutes=20)):
        booking = book(pay_client, make_stay(db))  # a hold of 15 minutes: over
    intent_id = booking["payment"]["payment_intent_id"]

    report = run_once(db, stripe_settings)

    assert report.expired == 1 and report.canceled_intents == {"canceled": 1}
    assert booking_row(db, booking["reference"]).status == "expired"
    with pytest.raises(stripe.InvalidRequestError):
        pay_at_fake(stripe_settings, intent_id)


def test_a_payment_made_before_the_cancel_reached_stripe_is_refunded_once(
    db, pay_client, stripe_settings
):
    """Stripe refuses to cancel a PaymentIntent that succeeded: the worker settles it as
    its webhook would (paid after cancellation: refunded in full), once."""
    booking = book(pay_client, make_stay(db))
    assert cancel(pay_client, booking).status_code == 200
    pay_at_fake(stripe_settings, booking["payment"]["payment_intent_id"])  # no webhook

    # The worker's cancel step on its own (a whole pass's reconciler would find the
    # payment first, and settle it the same way).
    first = cancel_abandoned_intents(db, stripe_settings, datetime.now(UTC))
    run_once(db, stripe_settings)

    assert first == {"refund_requested": 1}
    row = booking_row(db, booking["reference"])
    (refund,) = refunds_of(db, row.id)
    assert (refund.amount_fen, refund.reason, refund.status) == (
        row.total_fen,
        "paid_after_cancellation",
        "succeeded",
    )
    assert (row.refunded_fen, row.refund_status) == (row.total_fen, "succeeded")
    assert payment_row(db, row.id).canceled_at is None  # paid: nothing to cancel


def test_without_a_stripe_key_nothing_is_cancelled(db, client):
    assert cancel_abandoned_intents(db, client.app.state.settings, datetime.now(UTC)) == {}
