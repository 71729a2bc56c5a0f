"""POST /v1/payments/stripe/webhook: signatures, repeats and order never corrupt a booking."""

import itertools
import json
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest
from sqlmodel import func, select

from service.payments.models import StripeEvent
from tests.support.payments import (
    book,
    booking_row,
    event_for,
    fake_stripe,
    intent_dict,
    make_stay,
    outbox_types,
    pay_client,
    payment_row,
    post_event,
    refunds_of,
    sign,
    stripe_settings,
)

FIXTURES = (fake_stripe, pay_client, stripe_settings)  # used by name below


@pytest.fixture
def pending(db, pay_client):
    """A booking waiting for its payment, and the succeeded event Stripe would send."""
    booking = book(pay_client, make_stay(db))
    row = booking_row(db, booking["reference"])
    intent = intent_dict(booking["payment"]["payment_intent_id"], row.total_fen, row.id)
    return row, intent


def stored_events(db) -> int:
    with db.session() as s:
        return s.exec(select(func.count()).select_from(StripeEvent)).one()


def assert_nothing_changed(db, row) -> None:
    assert booking_row(db, row.reference).status == "pending_payment"
    assert booking_row(db, row.reference).version == row.version
    assert payment_row(db, row.id).status == "requires_payment"
    assert stored_events(db) == 0
    assert outbox_types(db, row.id) == []


# --- signatures ----------------------------------------------------------------------------


def refused(response, code: str = "invalid_signature") -> None:
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == code
    assert response.json()["field"] == ("body" if code == "invalid_payload" else "Stripe-Signature")


def test_missing_signature_is_refused_and_changes_nothing(db, pay_client, pending):
    row, intent = pending
    refused(post_event(pay_client, event_for(intent), signature=None))
    assert_nothing_changed(db, row)


def test_signature_made_with_another_secret_is_refused(db, pay_client, pending):
    row, intent = pending
    payload = event_for(intent)
    refused(post_event(pay_client, payload, signature=sign(payload, "whsec_not_ours")))
    assert_nothing_changed(db, row)


def test_altered_body_is_refused(db, pay_client, pending):
    row, intent = pending
    payload = event_for(intent)
    header = sign(payload)
    altered = payload.replace(f'"amount": {row.total_fen}', '"amount": 1')
    assert altered != payload
    refused(post_event(pay_client, altered, signature=header))
    assert_nothing_changed(db, row)


def test_signature_older_than_five_minutes_is_refused(db, pay_client, pending):
    row, intent = pending
    payload = event_for(intent)
    stale = sign(payload, timestamp=int(time.time()) - 301)
    refused(post_event(pay_client, payload, signature=stale))
    assert_nothing_changed(db, row)


def test_garbage_signature_header_is_refused(db, pay_client, pending):
    row, intent = pending
    refused(post_event(pay_client, event_for(intent), signature="t=abc,v1=zz"))
    assert_nothing_changed(db, row)


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        '{"id": "evt_1", "type": "payment_intent.succeeded"',  # truncated
        "[]",
        '{"object": "event"}',
        '{"id": 7, "object": "event"}',
        '{"id": "evt_1", "data": []}',
        '{"id": "evt_1", "data": {"object": "pi_1"}}',
        "[" * 20_000 + "]" * 20_000,
        '{"id": "' + "e" * 256 + '", "type": "payment_intent.succeeded"}',  # wider than stored
        '{"id": "evt_1", "type": 7}',
    ],
)
def test_signed_body_that_is_not_a_stripe_event_is_invalid_payload(db, pay_client, pending, body):
    """Correctly signed, so not a signature problem: the body is at fault."""
    row, _ = pending
    refused(post_event(pay_client, body), "invalid_payload")
    assert_nothing_changed(db, row)


@pytest.mark.parametrize(
    "change",
    [
        {"amount": "12345", "amount_received": "12345"},  # Stripe's amounts are integers
        {"amount_received": 1.5},
        {"metadata": ["booking_id", "1"]},
        {"metadata": {"booking_id": 1}},  # Stripe's metadata values are strings
        {"currency": ["cny"]},
        {"id": 42},
        {"id": "pi_" + "x" * 253},
    ],
)
def test_a_signed_payment_intent_with_wrongly_typed_fields_is_invalid_payload(
    db, pay_client, pending, change
):
    """Refused at the edge, before anything is stored or settled (never a 500)."""
    row, intent = pending
    refused(post_event(pay_client, event_for({**intent, **change})), "invalid_payload")
    assert_nothing_changed(db, row)


def test_a_body_that_is_not_utf8_is_invalid_payload(db, pay_client, pending):
    row, intent = pending
    payload = event_for(intent)
    r = pay_client.post(
        "/v1/payments/stripe/webhook",
        content=payload.encode() + b"\xff",
        headers={"Content-Type": "application/json", "Stripe-Signature": sign(payload)},
    )
    refused(r, "invalid_payload")
    assert_nothing_changed(db, row)


def test_a_wrongly_signed_malformed_body_is_a_signature_problem(db, pay_client, pending):
    row, _ = pending
    refused(post_event(pay_client, "not json", signature=sign("not json", "whsec_not_ours")))
    assert_nothing_changed(db, row)


# --- repeats and order -----------------------------------------------------------------------


def test_same_event_ten_times_five_at_once_is_one_transition(db, pay_client, pending):
    row, intent = pending
    payload = event_for(intent)
    header = sign(payload)

    with ThreadPoolExecutor(5) as pool:
        first = list(pool.map(lambda _: post_event(pay_client, payload, header), range(5)))
    rest = [post_event(pay_client, payload, header) for _ in range(5)]

    outcomes = sorted(r.json()["outcome"] for r in first + rest)
    assert all(r.status_code == 200 for r in first + rest)
    assert outcomes == ["confirmed"] + ["duplicate"] * 9
    after = booking_row(db, row.reference)
    assert after.status == "confirmed"
    assert after.version == row.version + 1
    assert outbox_types(db, row.id) == ["booking.confirmed"]
    assert stored_events(db) == 1


def _events(intent: dict) -> dict[str, str]:
    failed = {
        **intent,
        "status": "requires_payment_method",
        "amount_received": 0,
        "last_payment_error": {"code": "card_declined"},
    }
    return {
        "succeeded": event_for(intent, event_id="evt_succeeded"),
        "failed": event_for(failed, "payment_intent.payment_failed", event_id="evt_failed"),
        "succeeded_again": event_for(intent, event_id="evt_succeeded_second"),
    }


ORDERS = sorted(
    set(itertools.permutations(["succeeded", "failed", "succeeded", "succeeded_again"]))
)


@pytest.mark.parametrize("order", ORDERS, ids=["-".join(o) for o in ORDERS])
def test_events_in_any_order_end_in_the_same_state(db, pay_client, pending, order):
    row, intent = pending
    events = _events(intent)

    for name in order:
        assert post_event(pay_client, events[name]).status_code == 200

    after = booking_row(db, row.reference)
    assert after.status == "confirmed"
    assert payment_row(db, row.id).status == "succeeded"
    assert outbox_types(db, row.id) == ["booking.confirmed"]
    assert refunds_of(db, row.id) == []
    assert stored_events(db) == 3


def test_failed_payment_leaves_the_hold_waiting_for_a_retry(db, pay_client, pending):
    row, intent = pending
    r = post_event(pay_client, _events(intent)["failed"])

    assert r.json()["outcome"] == "payment_failed"
    assert booking_row(db, row.reference).status == "pending_payment"
    assert payment_row(db, row.id).status == "failed"


def test_failure_after_success_does_not_move_the_payment_back(db, pay_client, pending):
    row, intent = pending
    events = _events(intent)
    post_event(pay_client, events["succeeded"])

    r = post_event(pay_client, events["failed"])

    assert r.json()["outcome"] == "stale"
    assert payment_row(db, row.id).status == "succeeded"
    assert booking_row(db, row.reference).status == "confirmed"


def test_event_for_an_unknown_payment_intent_is_acknowledged_and_changes_nothing(
    db, pay_client, pending
):
    row, intent = pending
    stranger = {**intent, "id": "pi_not_ours", "metadata": {}}

    r = post_event(pay_client, event_for(stranger))

    assert r.status_code == 200
    assert r.json()["outcome"] == "unknown_payment_intent"
    assert booking_row(db, row.reference).status == "pending_payment"


def test_payment_of_a_different_amount_does_not_confirm(db, pay_client, pending):
    row, intent = pending
    short = {**intent, "amount": 100, "amount_received": 100}

    r = post_event(pay_client, event_for(short))

    assert r.json()["outcome"] == "amount_mismatch"
    assert booking_row(db, row.reference).status == "pending_payment"


def test_other_event_types_are_stored_and_ignored(db, pay_client, pending):
    payload = json.dumps(
        {
            "id": "evt_customer",
            "object": "event",
            "type": "customer.created",
            "created": int(time.time()),
            "data": {"object": {"id": "cus_1", "object": "customer"}},
        }
    )
    r = post_event(pay_client, payload)

    assert r.json()["outcome"] == "ignored"
    assert stored_events(db) == 1


def test_once_paid_the_payment_says_what_was_paid_and_when(db, pay_client):
    """Waiting: the note says the booking is made only once paid, nothing is paid yet.
    Paid: the note, ``paid_fen`` and ``paid_at`` say what was paid and when (the day the
    traveller's page gives); the console's ``payment_of`` says the same amount."""
    from service.operators.bookings import OperatorBooking, payment_of

    booking = book(pay_client, make_stay(db))
    waiting = booking["payment"]
    assert waiting["note_en"].startswith("Online payment (Stripe): the booking is made only once")
    assert "付款后预订才成立" in waiting["note_zh"]
    assert (waiting["paid_fen"], waiting["paid_at"]) == (0, None)
    row = booking_row(db, booking["reference"])
    payload = event_for(intent_dict(booking["payment"]["payment_intent_id"], row.total_fen, row.id))
    before = datetime.now(UTC)
    assert post_event(pay_client, payload, sign(payload)).json()["outcome"] == "confirmed"

    read = pay_client.get(
        f"/v1/bookings/{booking['reference']}", headers={"X-Booking-Token": booking["token"]}
    ).json()
    assert read["status"] == "confirmed"
    paid = read["payment"]
    amount = f"¥{row.total_fen // 100:,}.{row.total_fen % 100:02d}"
    assert paid["note_en"] == f"Paid online (Stripe): {amount}."
    assert paid["note_zh"] == f"已在线付款（Stripe）{amount}。"
    assert paid["paid_fen"] == row.total_fen
    row = booking_row(db, booking["reference"])
    assert before <= row.paid_at <= datetime.now(UTC)
    assert datetime.fromisoformat(paid["paid_at"]) == row.paid_at
    assert row.paid_at == payment_row(db, row.id).succeeded_at
    desk = payment_of(OperatorBooking(row, [], [], all_items_mine=True, destination_ids=[]))
    assert desk.paid_fen == paid["paid_fen"]
