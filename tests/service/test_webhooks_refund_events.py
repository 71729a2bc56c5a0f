"""A partner hears a refund's outcome: ``booking.refund_succeeded`` when Stripe has made a
refund the cancel requested, ``booking.refund_failed`` when Stripe refused or failed it,
each once, whichever of the worker and Stripe's refund events records it first, with
the refund's and the booking's amounts in fen (``payments.refund_state.moved``)."""

import json

import pytest

from service.worker import run_once
from tests.service.test_payments_refund_state import _refund_event
from tests.support.payments import (
    book,
    booking_row,
    cancel,
    fake_stripe,
    intent_unknown_at_stripe,
    make_partner,
    make_stay,
    outbox_types,
    pay_and_confirm,
    pay_client,
    post_event,
    receiver,
    stripe_sdk,
    stripe_settings,
)

FIXTURES = (fake_stripe, pay_client, receiver, stripe_settings)  # used by name below


@pytest.fixture
def partner(db, pay_client, stripe_settings, receiver) -> dict:
    """A partner (paid through Stripe, not collecting itself) with an endpoint at the
    local receiver: its Authorization header."""
    _, headers = make_partner(db, stripe_settings)
    r = pay_client.post(
        "/v1/webhook-endpoints", headers=headers, json={"url": receiver.url + "/hooks"}
    )
    assert r.status_code == 201, r.text
    return headers


def _cancelled_after_paying(db, client, settings, headers) -> tuple[dict, dict, int]:
    """The partner's booking, paid online and cancelled by the partner: (the booking,
    its intent, the refund the cancel requested)."""
    booking = book(client, make_stay(db), headers)
    intent = pay_and_confirm(client, settings, booking["payment"]["payment_intent_id"])
    r = cancel(client, booking, headers=headers)
    assert r.status_code == 200, r.text
    refund = r.json()["cancellation"]["refund_fen"]
    assert refund > 0 and r.json()["refund_status"] == "pending"
    return booking, intent, refund


def _received(receiver) -> list[dict]:
    """The events the partner's endpoint received, in order (their JSON bodies)."""
    return [json.loads(r.body) for r in receiver.requests]


def _of_type(events: list[dict], event_type: str) -> list[dict]:
    return [e["data"] for e in events if e["type"] == event_type]


def test_a_refund_the_worker_makes_is_sent_once_as_refund_succeeded(
    db, pay_client, stripe_settings, partner, receiver
):
    booking, intent, refund = _cancelled_after_paying(db, pay_client, stripe_settings, partner)

    report = run_once(db, stripe_settings)  # makes the refund at Stripe, then delivers

    assert report.refunds["succeeded"] == 1
    events = _received(receiver)
    assert [e["type"] for e in events] == [
        "booking.confirmed",
        "booking.cancelled",
        "booking.refund_succeeded",
    ]
    (made,) = _of_type(events, "booking.refund_succeeded")
    row = booking_row(db, booking["reference"])
    assert made["reference"] == booking["reference"] and made["status"] == "cancelled"
    assert (made["refund_fen"], made["refunded_fen"], made["refund_requested_fen"]) == (
        refund,
        refund,
        refund,
    )
    assert made["refund_status"] == "succeeded" and made["version"] == row.version
    (at_stripe,) = stripe_sdk(stripe_settings).v1.refunds.list({"payment_intent": intent["id"]})
    assert at_stripe.amount == refund

    # Stripe's own event about the same refund arrives after the worker: nothing more.
    said = {**at_stripe.to_dict(for_json=True), "status": "succeeded"}
    assert post_event(pay_client, _refund_event(said)).json()["outcome"] == "refund_unchanged"
    run_once(db, stripe_settings)
    assert [e["type"] for e in _received(receiver)] == [e["type"] for e in events]
    assert outbox_types(db, row.id).count("booking.refund_succeeded") == 1


def test_a_refund_stripe_fails_after_making_it_is_sent_once_as_refund_failed(
    db, pay_client, stripe_settings, partner, receiver
):
    booking, intent, refund = _cancelled_after_paying(db, pay_client, stripe_settings, partner)
    run_once(db, stripe_settings)
    (at_stripe,) = stripe_sdk(stripe_settings).v1.refunds.list({"payment_intent": intent["id"]})
    failed = _refund_event(
        {**at_stripe.to_dict(for_json=True), "status": "failed"}, "refund.failed"
    )

    assert post_event(pay_client, failed).json()["outcome"] == "refund_failed"
    assert post_event(pay_client, failed).json()["outcome"] == "duplicate"  # Stripe's retry
    again = _refund_event({**at_stripe.to_dict(for_json=True), "status": "failed"})
    assert post_event(pay_client, again).json()["outcome"] == "refund_unchanged"
    run_once(db, stripe_settings)
    run_once(db, stripe_settings)

    events = _received(receiver)
    assert [e["type"] for e in events][-2:] == ["booking.refund_succeeded", "booking.refund_failed"]
    (lost,) = _of_type(events, "booking.refund_failed")
    row = booking_row(db, booking["reference"])
    assert (lost["refund_fen"], lost["refunded_fen"], lost["refund_requested_fen"]) == (
        refund,
        0,
        refund,
    )
    assert lost["refund_status"] == "failed" and lost["version"] == row.version
    assert outbox_types(db, row.id).count("booking.refund_failed") == 1


def test_a_refund_stripe_refuses_to_the_worker_is_sent_once_as_refund_failed(
    db, pay_client, stripe_settings, partner, receiver
):
    booking, _, refund = _cancelled_after_paying(db, pay_client, stripe_settings, partner)
    row = booking_row(db, booking["reference"])
    intent_unknown_at_stripe(db, row.id)  # Stripe refuses its refund

    assert run_once(db, stripe_settings).refunds["failed"] == 1
    run_once(db, stripe_settings)

    events = _received(receiver)
    assert [e["type"] for e in events] == [
        "booking.confirmed",
        "booking.cancelled",
        "booking.refund_failed",
    ]
    (lost,) = _of_type(events, "booking.refund_failed")
    assert (lost["refund_fen"], lost["refunded_fen"], lost["refund_status"]) == (
        refund,
        0,
        "failed",
    )
    assert "booking.refund_succeeded" not in outbox_types(db, row.id)
