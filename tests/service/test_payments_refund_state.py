"""A booking says whether its refund is made: ``refunded_fen`` counts what Stripe has
refunded, ``refund_requested_fen`` and ``refund_status`` (pending / succeeded / failed)
what was asked and where it stands, moved by the worker and by Stripe's refund events
(newcomer finding 4: a refund only requested read as paid back)."""

import json
import time

from service.worker import run_once
from tests.support.payments import (
    booking_row,
    cancel,
    fake_stripe,
    intent_unknown_at_stripe,
    make_stay,
    paid_and_confirmed,
    pay_client,
    post_event,
    refunds_of,
    stripe_sdk,
    stripe_settings,
)

FIXTURES = (fake_stripe, pay_client, stripe_settings)  # used by name below


def _read(client, booking: dict) -> dict:
    r = client.get(
        f"/v1/bookings/{booking['reference']}", headers={"X-Booking-Token": booking["token"]}
    )
    assert r.status_code == 200, r.text
    return r.json()


def _state(body: dict) -> tuple:
    return body["refunded_fen"], body["refund_requested_fen"], body["refund_status"]


def _at_stripe(settings, intent_id: str) -> list:
    return list(
        stripe_sdk(settings).v1.refunds.list({"payment_intent": intent_id}).auto_paging_iter()
    )


def _cancelled_paid(db, client, settings) -> tuple[dict, dict, int]:
    booking, intent = paid_and_confirmed(client, settings, make_stay(db))
    r = cancel(client, booking)
    assert r.status_code == 200, r.text
    return booking, intent, r.json()["cancellation"]["refund_fen"]


def _refund_event(refund: dict, event_type: str = "refund.updated") -> str:
    return json.dumps(
        {
            "id": f"evt_test_{time.monotonic_ns()}",
            "object": "event",
            "type": event_type,
            "created": int(time.time()),
            "data": {"object": refund},
        }
    )


def _refund_object(row, status: str, refund_id: str = "re_test_1") -> dict:
    return {
        "id": refund_id,
        "object": "refund",
        "amount": row.amount_fen,
        "currency": "cny",
        "status": status,
        "metadata": {"booking_id": str(row.booking_id), "refund_key": row.idempotency_key},
    }


def test_a_refund_is_requested_until_the_worker_has_made_it_at_stripe(
    db, pay_client, stripe_settings
):
    booking, intent, refund = _cancelled_paid(db, pay_client, stripe_settings)
    assert refund > 0
    answered = cancel(pay_client, booking).json()  # the cancel's answer, again
    assert _state(answered) == (0, refund, "pending")
    read = _read(pay_client, booking)
    assert _state(read) == (0, refund, "pending")
    assert read["cancellation"]["refund_fen"] == refund  # what the cancellation refunds
    assert _at_stripe(stripe_settings, intent["id"]) == []  # no worker has run
    metrics = pay_client.get("/metrics").text
    assert "jilin_refunds_pending 1.0" in metrics

    run_once(db, stripe_settings)

    done = _read(pay_client, booking)
    assert _state(done) == (refund, refund, "succeeded")
    assert done["version"] == read["version"] + 1  # a partner's feed sees the change
    (made,) = _at_stripe(stripe_settings, intent["id"])
    assert made.amount == refund
    run_once(db, stripe_settings)  # nothing more
    assert _state(_read(pay_client, booking)) == (refund, refund, "succeeded")
    assert len(_at_stripe(stripe_settings, intent["id"])) == 1


def test_a_refund_stripe_refuses_reads_failed_and_nothing_refunded(db, pay_client, stripe_settings):
    booking, _, refund = _cancelled_paid(db, pay_client, stripe_settings)
    row = booking_row(db, booking["reference"])
    intent_unknown_at_stripe(db, row.id)  # Stripe refuses its refund

    run_once(db, stripe_settings)

    assert _state(_read(pay_client, booking)) == (0, refund, "failed")
    (stored,) = refunds_of(db, row.id)
    assert stored.status == "failed" and stored.last_error


def test_stripe_refund_events_move_the_booking_without_the_worker(db, pay_client, stripe_settings):
    booking, intent, refund = _cancelled_paid(db, pay_client, stripe_settings)
    row = booking_row(db, booking["reference"])
    (pending,) = refunds_of(db, row.id)
    still = post_event(pay_client, _refund_event(_refund_object(pending, "pending")))
    assert still.json()["outcome"] == "refund_pending"
    assert _state(_read(pay_client, booking)) == (0, refund, "pending")

    made = post_event(pay_client, _refund_event(_refund_object(pending, "succeeded")))

    assert made.json()["outcome"] == "refund_succeeded"
    assert _state(_read(pay_client, booking)) == (refund, refund, "succeeded")
    (stored,) = refunds_of(db, row.id)
    assert (stored.status, stored.stripe_refund_id) == ("succeeded", "re_test_1")
    run_once(db, stripe_settings)  # the worker does not refund it again
    assert _at_stripe(stripe_settings, intent["id"]) == []

    # Stripe can fail a refund after it succeeded (the card's bank sends it back).
    failed = post_event(
        pay_client, _refund_event(_refund_object(stored, "failed"), "refund.failed")
    )
    assert failed.json()["outcome"] == "refund_failed"
    assert _state(_read(pay_client, booking)) == (0, refund, "failed")

    # charge.refunded carries the Charge, its refunds within.
    charge = {
        "id": "ch_1",
        "object": "charge",
        "refunds": {"object": "list", "data": [_refund_object(stored, "succeeded")]},
    }
    again = post_event(pay_client, _refund_event(charge, "charge.refunded"))
    assert again.json()["outcome"] == "refund_succeeded"
    assert _state(_read(pay_client, booking)) == (refund, refund, "succeeded")


def test_a_refund_event_of_no_refund_of_ours_changes_nothing(pay_client):
    stranger = {
        "id": "re_other",
        "object": "refund",
        "amount": 100,
        "status": "succeeded",
        "metadata": {},
    }
    assert post_event(pay_client, _refund_event(stranger)).json()["outcome"] == "unknown_refund"
    wrong = {**stranger, "amount": "100"}
    r = post_event(pay_client, _refund_event(wrong))
    assert (r.status_code, r.json()["code"]) == (400, "invalid_payload")


def test_a_partner_that_collects_refunds_at_once_and_no_stripe_state(
    db, pay_client, stripe_settings
):
    from tests.support.payments import book, make_partner

    _, headers = make_partner(db, stripe_settings, merchant_collects=True)
    booking = book(pay_client, make_stay(db), headers=headers)
    body = cancel(pay_client, booking, headers=headers).json()
    refund = body["cancellation"]["refund_fen"]
    assert refund > 0 and body["cancellation"]["refund_method"] == "partner"
    assert _state(body) == (refund, 0, None)
