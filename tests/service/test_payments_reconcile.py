"""The reconciler settles payments that succeeded at Stripe but were never settled here."""

import json
from datetime import UTC, datetime, timedelta

from freezegun import freeze_time
from sqlmodel import select

from service.payments import reconcile
from service.payments.models import StripeEvent
from service.payments.service import handle_stripe_webhook
from service.worker import run_once
from tests.support.payments import (
    book,
    booking_row,
    fake_stripe,
    make_stay,
    outbox_types,
    pay_at_fake,
    pay_client,
    payment_row,
    post_event,
    sign,
    stripe_sdk,
    stripe_settings,
)

FIXTURES = (fake_stripe, pay_client, stripe_settings)  # used by name below


def stripes_event_for(settings, payment_intent_id: str) -> dict:
    """The ``payment_intent.succeeded`` event the fake Stripe recorded for this intent."""
    events = stripe_sdk(settings).v1.events.list({"type": "payment_intent.succeeded"})
    for event in events.auto_paging_iter():
        if event.data.object.id == payment_intent_id:
            return event.to_dict(for_json=True)
    raise AssertionError(f"no event for {payment_intent_id}")


def crash_while_handling(db, settings, payload: str) -> None:
    """Our handler runs, then the process dies before COMMIT: nothing of it remains."""
    with db.write_session() as s:
        outcome = handle_stripe_webhook(
            s, settings, payload.encode(), sign(payload), datetime.now(UTC)
        )
        assert outcome == "confirmed"
        s.rollback()


def test_payment_lost_in_a_crash_is_confirmed_by_the_reconciler(db, pay_client, stripe_settings):
    booking = book(pay_client, make_stay(db))
    intent_id = booking["payment"]["payment_intent_id"]
    pay_at_fake(stripe_settings, intent_id)
    stripes_event = stripes_event_for(stripe_settings, intent_id)
    crash_while_handling(db, stripe_settings, json.dumps(stripes_event))
    assert booking_row(db, booking["reference"]).status == "pending_payment"

    counts = reconcile.reconcile(db, stripe_settings, datetime.now(UTC))

    assert counts == {"confirmed": 1}
    row = booking_row(db, booking["reference"])
    assert row.status == "confirmed"
    assert payment_row(db, row.id).status == "succeeded"
    assert outbox_types(db, row.id) == ["booking.confirmed"]
    with db.session() as s:
        stored = s.exec(select(StripeEvent)).one()
    assert (stored.event_id, stored.source) == (stripes_event["id"], "reconciler")


def test_the_webhook_arriving_after_the_reconciler_is_a_duplicate(db, pay_client, stripe_settings):
    booking = book(pay_client, make_stay(db))
    intent_id = booking["payment"]["payment_intent_id"]
    pay_at_fake(stripe_settings, intent_id)
    reconcile.reconcile(db, stripe_settings, datetime.now(UTC))

    late = post_event(pay_client, json.dumps(stripes_event_for(stripe_settings, intent_id)))

    assert late.json()["outcome"] == "duplicate"
    assert reconcile.reconcile(db, stripe_settings, datetime.now(UTC)) == {}
    row = booking_row(db, booking["reference"])
    assert outbox_types(db, row.id) == ["booking.confirmed"]


def test_unpaid_bookings_are_left_alone(db, pay_client, stripe_settings):
    booking = book(pay_client, make_stay(db))

    assert reconcile.reconcile(db, stripe_settings, datetime.now(UTC)) == {}
    assert booking_row(db, booking["reference"]).status == "pending_payment"


def test_a_hold_that_ran_out_is_checked_at_stripe_before_it_is_let_go(
    db, pay_client, stripe_settings
):
    with freeze_time(datetime.now(UTC) - timedelta(minutes=20)):
        booking = book(pay_client, make_stay(db))
    intent_id = booking["payment"]["payment_intent_id"]
    pay_at_fake(stripe_settings, intent_id)
    now = datetime.now(UTC)
    unsettled = reconcile.unsettled_intents(db, now)
    counts: dict = {}

    reconcile.settle_holds_ending(db, stripe_settings, now, unsettled, counts)

    assert counts == {"confirmed": 1}
    assert unsettled == {}
    assert booking_row(db, booking["reference"]).status == "confirmed"


def test_the_worker_settles_a_lost_payment_instead_of_expiring_its_hold(
    db, pay_client, stripe_settings
):
    with freeze_time(datetime.now(UTC) - timedelta(minutes=20)):
        booking = book(pay_client, make_stay(db))
    pay_at_fake(stripe_settings, booking["payment"]["payment_intent_id"])

    report = run_once(db, stripe_settings)

    assert report.reconciled == {"confirmed": 1}
    assert report.expired == 0
    row = booking_row(db, booking["reference"])
    assert (row.status, row.status_reason) == ("confirmed", None)


def test_without_a_stripe_key_there_is_nothing_to_reconcile(db, pay_client):
    offline = db.settings

    assert reconcile.reconcile(db, offline, datetime.now(UTC)) == {}
