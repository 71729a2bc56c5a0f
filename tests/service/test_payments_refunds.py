"""Refunds: asked for once, in the deciding transaction; paid at Stripe once, by the worker."""

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from freezegun import freeze_time
from sqlmodel import select

from service.bookings.outbox import OutboxEvent
from service.errors import Conflict
from service.payments import gateway
from service.payments.refunds import LEASE
from service.worker import release_expired, run_once
from tests.support.payments import (
    book,
    booking_row,
    cancel,
    event_for,
    fake_stripe,
    make_stay,
    outbox_types,
    paid_and_confirmed,
    pay_at_fake,
    pay_client,
    payment_row,
    post_event,
    refunds_of,
    stripe_sdk,
    stripe_settings,
    taken_units,
)

FIXTURES = (fake_stripe, pay_client, stripe_settings)  # used by name below


def refunds_at_stripe(settings, payment_intent_id: str) -> list:
    found = stripe_sdk(settings).v1.refunds.list({"payment_intent": payment_intent_id})
    return list(found.auto_paging_iter())


# --- a payment that lands after its hold expired ----------------------------------------------


def booked_twenty_minutes_ago(db, client, stay) -> dict:
    with freeze_time(datetime.now(UTC) - timedelta(minutes=20)):
        return book(client, stay)


def test_late_payment_with_the_nights_gone_is_refunded_once(db, pay_client, stripe_settings):
    stay = make_stay(db, units=1)
    late = booked_twenty_minutes_ago(db, pay_client, stay)  # hold of 15 minutes: expired
    other = book(pay_client, stay)  # takes the last unit (late's hold is let go)
    assert other["status"] == "pending_payment"
    intent = pay_at_fake(stripe_settings, late["payment"]["payment_intent_id"])
    event = event_for(intent.to_dict(for_json=True))

    first = post_event(pay_client, event)
    repeats = [post_event(pay_client, event) for _ in range(3)]
    another_event = post_event(pay_client, event_for(intent.to_dict(for_json=True)))

    assert first.json()["outcome"] == "refund_requested"
    assert {r.json()["outcome"] for r in repeats} == {"duplicate"}
    assert another_event.json()["outcome"] == "already_settled"
    row = booking_row(db, late["reference"])
    assert (row.status, row.status_reason) == ("expired", "paid_after_expiry_sold_out")
    # Requested, not made: the booking says so until Stripe has made it.
    assert (row.refunded_fen, row.refund_requested_fen, row.refund_status) == (
        0,
        row.total_fen,
        "pending",
    )
    (refund,) = refunds_of(db, row.id)
    assert (refund.amount_fen, refund.reason, refund.status) == (
        row.total_fen,
        "paid_after_expiry_sold_out",
        "pending",
    )
    assert refund.idempotency_key == f"booking:{row.id}:refund:1"
    assert outbox_types(db, row.id) == ["booking.expired", "booking.refunded"]

    run_once(db, stripe_settings)
    run_once(db, stripe_settings)

    (refund,) = refunds_of(db, row.id)
    assert refund.status == "succeeded"
    row = booking_row(db, late["reference"])
    assert (row.refunded_fen, row.refund_status) == (row.total_fen, "succeeded")
    (at_stripe,) = refunds_at_stripe(stripe_settings, intent.id)
    assert (at_stripe.id, at_stripe.amount) == (refund.stripe_refund_id, row.total_fen)
    assert taken_units(db, stay.product_id) == 1  # still the other booking's


def test_late_payment_confirms_when_the_nights_are_still_free(db, pay_client, stripe_settings):
    stay = make_stay(db, units=1)
    late = booked_twenty_minutes_ago(db, pay_client, stay)
    # The sweeper expires the hold; the payment lands before the worker's next step
    # cancels the PaymentIntent (after it, it could not be paid: test_payments_cancels).
    release_expired(db, datetime.now(UTC))
    assert booking_row(db, late["reference"]).status == "expired"
    intent = pay_at_fake(stripe_settings, late["payment"]["payment_intent_id"])

    r = post_event(pay_client, event_for(intent.to_dict(for_json=True)))

    assert r.json()["outcome"] == "confirmed"
    row = booking_row(db, late["reference"])
    assert row.status == "confirmed"
    assert refunds_of(db, row.id) == []
    assert taken_units(db, stay.product_id) == 1


def test_payment_for_a_booking_cancelled_while_unpaid_is_refunded(db, pay_client, stripe_settings):
    booking = book(pay_client, make_stay(db))
    assert cancel(pay_client, booking).status_code == 200
    intent = pay_at_fake(stripe_settings, booking["payment"]["payment_intent_id"])

    r = post_event(pay_client, event_for(intent.to_dict(for_json=True)))

    assert r.json()["outcome"] == "refund_requested"
    row = booking_row(db, booking["reference"])
    assert row.status == "cancelled"
    (refund,) = refunds_of(db, row.id)
    assert (refund.amount_fen, refund.reason) == (row.total_fen, "paid_after_cancellation")
    # The partner hears of the refund, and the booking's cancellation agrees with it.
    assert outbox_types(db, row.id)[-2:] == ["booking.cancelled", "booking.refunded"]
    with db.session() as s:
        (event,) = s.exec(
            select(OutboxEvent).where(
                OutboxEvent.booking_id == row.id, OutboxEvent.event_type == "booking.refunded"
            )
        ).all()
    assert event.payload["version"] == row.version
    assert (event.payload["refund_fen"], event.payload["refund_requested_fen"]) == (
        row.total_fen,
        row.total_fen,
    )
    assert (event.payload["refunded_fen"], event.payload["refund_status"]) == (0, "pending")
    read = pay_client.get(
        f"/v1/bookings/{booking['reference']}", headers={"X-Booking-Token": booking["token"]}
    ).json()
    assert (read["refunded_fen"], read["refund_requested_fen"], read["refund_status"]) == (
        0,
        row.total_fen,
        "pending",
    )
    c = read["cancellation"]
    assert (c["paid_fen"], c["refund_fen"], c["refund_method"]) == (
        row.total_fen,
        row.total_fen,
        "stripe",
    )


# --- cancelling ----------------------------------------------------------------------------


def test_cancelling_ten_times_at_once_refunds_once(db, pay_client, stripe_settings):
    booking, intent = paid_and_confirmed(pay_client, stripe_settings, make_stay(db))

    with ThreadPoolExecutor(10) as pool:
        answers = list(pool.map(lambda _: cancel(pay_client, booking), range(10)))

    assert [a.status_code for a in answers] == [200] * 10, [a.text for a in answers]
    row = booking_row(db, booking["reference"])
    (refund,) = refunds_of(db, row.id)
    assert refund.amount_fen == row.refund_requested_fen == row.cancellation["refund_fen"] > 0
    assert refund.lines == row.cancellation["lines"]
    run_once(db, stripe_settings)
    (at_stripe,) = refunds_at_stripe(stripe_settings, intent["id"])
    assert at_stripe.amount == refund.amount_fen
    assert at_stripe.metadata["refund_key"] == refund.idempotency_key


def test_refunds_never_exceed_what_was_paid(db, pay_client, stripe_settings):
    booking, _ = paid_and_confirmed(pay_client, stripe_settings, make_stay(db))
    row = booking_row(db, booking["reference"])

    with db.write_session() as s:
        gateway.request_refund(s, row, row.total_fen - 100, "goodwill")
        with pytest.raises(Conflict) as refused:
            gateway.request_refund(s, row, 101, "goodwill")
        gateway.request_refund(s, row, 100, "goodwill")
        s.commit()

    assert refused.value.code == "refund_exceeds_payment"
    keys = [r.idempotency_key for r in refunds_of(db, row.id)]
    assert keys == [f"booking:{row.id}:refund:1", f"booking:{row.id}:refund:2"]


def test_nothing_is_refunded_through_stripe_for_an_unpaid_booking(db, pay_client):
    booking = book(pay_client, make_stay(db))
    row = booking_row(db, booking["reference"])

    with db.write_session() as s:
        assert gateway.request_refund(s, row, row.total_fen, "goodwill") is None


# --- the worker ----------------------------------------------------------------------------


def test_a_refund_stripe_cannot_take_now_is_retried_with_backoff(db, pay_client, stripe_settings):
    booking, intent = paid_and_confirmed(pay_client, stripe_settings, make_stay(db))
    cancel(pay_client, booking)
    unreachable = stripe_settings.model_copy(update={"stripe_api_base": "http://127.0.0.1:9"})
    now = datetime.now(UTC)

    run_once(db, unreachable, now)

    (refund,) = refunds_of(db, booking_row(db, booking["reference"]).id)
    assert (refund.status, refund.attempts) == ("pending", 1)
    assert refund.next_attempt_at == now + timedelta(seconds=30)
    assert refund.last_error.startswith("APIConnectionError")
    run_once(db, stripe_settings, now + timedelta(seconds=10))  # not due yet
    assert refunds_at_stripe(stripe_settings, intent["id"]) == []
    run_once(db, stripe_settings, now + timedelta(seconds=31))
    (refund,) = refunds_of(db, refund.booking_id)
    assert (refund.status, refund.attempts) == ("succeeded", 2)
    assert len(refunds_at_stripe(stripe_settings, intent["id"])) == 1


def test_a_refund_whose_answer_was_lost_is_not_made_twice(db, pay_client, stripe_settings):
    """Stripe made the refund but the worker died before recording it: the retry adopts it."""
    booking, intent = paid_and_confirmed(pay_client, stripe_settings, make_stay(db))
    cancel(pay_client, booking)
    (refund,) = refunds_of(db, booking_row(db, booking["reference"]).id)
    made = gateway.create_refund(stripe_settings, refund, intent["id"])  # the lost call
    now = datetime.now(UTC) + LEASE + timedelta(seconds=1)  # the dead worker's lease ended
    with db.write_session() as s:
        row = s.get(type(refund), refund.id)
        row.attempts = 1
        s.add(row)
        s.commit()

    run_once(db, stripe_settings, now)

    (refund,) = refunds_of(db, refund.booking_id)
    assert (refund.status, refund.stripe_refund_id) == ("succeeded", made.id)
    assert len(refunds_at_stripe(stripe_settings, intent["id"])) == 1


def test_a_refund_stripe_refuses_is_marked_failed(db, pay_client, stripe_settings):
    booking, _ = paid_and_confirmed(pay_client, stripe_settings, make_stay(db))
    row = booking_row(db, booking["reference"])
    with db.write_session() as s:
        payment = payment_row(db, row.id)
        # a PaymentIntent that was never paid at Stripe: Stripe answers 400
        unpaid = stripe_sdk(stripe_settings).v1.payment_intents.create(
            {"amount": 100, "currency": "cny", "payment_method_types": ["card"]}
        )
        payment.payment_intent_id = unpaid.id
        s.add(payment)
        gateway.request_refund(s, row, 100, "goodwill")
        s.commit()

    run_once(db, stripe_settings)

    (refund,) = refunds_of(db, row.id)
    assert refund.status == "failed"
    assert refund.last_error.startswith("InvalidRequestError")
