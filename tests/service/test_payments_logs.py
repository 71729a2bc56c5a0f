"""Payments and webhooks never log a traveller's phone or ID number, nor send them to Stripe."""

import json
import logging

from service.cli import main
from service.worker import run_once
from tests.support.payments import (
    GUEST_ID_NUMBER,
    LEAD,
    book,
    cancel,
    event_for,
    fake_stripe,
    make_partner,
    make_stay,
    pay_at_fake,
    pay_client,
    post_event,
    receiver,
    stripe_sdk,
    stripe_settings,
)

FIXTURES = (fake_stripe, pay_client, receiver, stripe_settings)  # used by name below


def test_a_paid_cancelled_partner_booking_logs_no_phone_or_id_number(
    db, pay_client, stripe_settings, receiver, caplog
):
    caplog.set_level(logging.DEBUG)
    _, headers = make_partner(db, stripe_settings)
    pay_client.post("/v1/webhook-endpoints", headers=headers, json={"url": receiver.url})
    booking = book(pay_client, make_stay(db), headers)
    intent = pay_at_fake(stripe_settings, booking["payment"]["payment_intent_id"])
    post_event(pay_client, event_for(intent.to_dict(for_json=True)))
    cancel(pay_client, booking, headers)
    run_once(db, stripe_settings)

    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "refund" in logged and "PaymentIntent" in logged  # the run did log
    assert LEAD["phone"] not in logged
    assert GUEST_ID_NUMBER not in logged
    at_stripe = stripe_sdk(stripe_settings).v1.payment_intents.retrieve(intent.id)
    assert set(at_stripe.metadata.to_dict()) == {"booking_id", "booking_reference"}
    assert LEAD["phone"] not in json.dumps(at_stripe.to_dict(for_json=True))
    assert all(LEAD["phone"] not in r.body for r in receiver.requests)


def test_worker_once_from_the_command_line(db, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", db.settings.database_url)
    monkeypatch.delenv("JL_STRIPE_SECRET_KEY", raising=False)

    assert main(["worker", "--once"]) == 0

    report = json.loads(capsys.readouterr().out)
    assert report["deliveries"] == {"delivered": 0, "failed": 0, "retrying": 0}


def test_reconcile_from_the_command_line_says_offline_without_a_key(db, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", db.settings.database_url)
    monkeypatch.delenv("JL_STRIPE_SECRET_KEY", raising=False)

    assert main(["reconcile"]) == 0

    assert "pay_at_property" in capsys.readouterr().out
