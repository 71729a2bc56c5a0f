"""Paying a booking with Stripe, end to end against the local fake Stripe server."""

import json

from service.app import create_app
from service.payments.gateway import payment_intent_key
from tests.support.payments import (
    WEBHOOK_SECRET,
    book,
    booking_row,
    event_for,
    fake_stripe,
    make_stay,
    outbox_types,
    pay_at_fake,
    pay_client,
    payment_row,
    post_event,
    receiver,
    stripe_sdk,
    stripe_settings,
)

FIXTURES = (fake_stripe, pay_client, receiver, stripe_settings)  # used by name below


def test_booking_creates_a_payment_intent_for_its_total_in_cny_fen(db, pay_client, stripe_settings):
    booking = book(pay_client, make_stay(db))

    assert booking["status"] == "pending_payment"
    assert booking["payment"]["mode"] == "stripe"
    assert booking["payment"]["client_secret"]
    intent = stripe_sdk(stripe_settings).v1.payment_intents.retrieve(
        booking["payment"]["payment_intent_id"]
    )
    row = booking_row(db, booking["reference"])
    assert intent.amount == booking["total_fen"] == row.total_fen
    assert intent.currency == "cny"
    assert intent.metadata["booking_id"] == str(row.id)
    assert intent.client_secret == booking["payment"]["client_secret"]
    payment = payment_row(db, row.id)
    assert (payment.payment_intent_id, payment.amount_fen, payment.status) == (
        intent.id,
        booking["total_fen"],
        "requires_payment",
    )
    assert (
        payment.idempotency_key == payment_intent_key(row.id) == f"booking:{row.id}:payment_intent"
    )


def test_every_read_of_a_stripe_booking_shows_its_payment_intent(db, pay_client, stripe_settings):
    """The report: right after booking, ``GET /v1/bookings/{ref}`` said
    ``payment_intent_id: null`` (only the create answer had it). The traveller's and the
    partner's reads, paid or not, and the cancel's answer all name it; the
    ``client_secret`` stays in the create answer only."""
    from tests.support.payments import cancel, make_partner

    created = book(pay_client, make_stay(db))
    intent_id = created["payment"]["payment_intent_id"]
    row = booking_row(db, created["reference"])
    assert intent_id.startswith("pi_") and payment_row(db, row.id).payment_intent_id == intent_id
    url, mine = f"/v1/bookings/{created['reference']}", {"X-Booking-Token": created["token"]}
    read = pay_client.get(url, headers=mine).json()["payment"]
    assert (read["payment_intent_id"], read["client_secret"]) == (intent_id, None)
    intent = pay_at_fake(stripe_settings, intent_id)
    assert post_event(pay_client, event_for(intent.to_dict(for_json=True))).status_code == 200
    paid = pay_client.get(url, headers=mine).json()
    assert (paid["status"], paid["payment"]["payment_intent_id"]) == ("confirmed", intent_id)
    cancelled = cancel(pay_client, created)
    assert cancelled.json()["payment"]["payment_intent_id"] == intent_id
    # A partner's booking, read with its key.
    _, key = make_partner(db, stripe_settings)
    theirs = book(pay_client, make_stay(db), headers=key)
    again = pay_client.get(f"/v1/bookings/{theirs['reference']}", headers=key)
    assert again.json()["payment"]["payment_intent_id"] == theirs["payment"]["payment_intent_id"]


def test_paid_booking_is_confirmed_by_a_webhook_we_sign_from_the_paid_intent(
    db, pay_client, stripe_settings
):
    booking = book(pay_client, make_stay(db))
    intent = pay_at_fake(stripe_settings, booking["payment"]["payment_intent_id"])

    r = post_event(pay_client, event_for(intent.to_dict(for_json=True)))

    assert r.status_code == 200, r.text
    assert r.json()["outcome"] == "confirmed"
    row = booking_row(db, booking["reference"])
    assert row.status == "confirmed"
    assert payment_row(db, row.id).status == "succeeded"
    assert outbox_types(db, row.id) == ["booking.confirmed"]


def test_paid_booking_is_confirmed_by_the_webhook_the_fake_stripe_sends(
    db, pay_client, stripe_settings, fake_stripe, receiver
):
    """localstripe posts its own signed event; the receiver hands it to our endpoint as is."""
    _register_stripe_webhook(fake_stripe.url, receiver.url)
    booking = book(pay_client, make_stay(db))
    pay_at_fake(stripe_settings, booking["payment"]["payment_intent_id"])

    sent = receiver.wait_for_match(booking["payment"]["payment_intent_id"])
    r = post_event(pay_client, sent.body, signature=sent.headers["Stripe-Signature"])

    assert r.status_code == 200, r.text
    assert json.loads(sent.body)["type"] == "payment_intent.succeeded"
    assert booking_row(db, booking["reference"]).status == "confirmed"


def test_wechat_pay_and_alipay_are_offered_and_a_signed_event_confirms(
    db, stripe_settings, fake_stripe
):
    settings = stripe_settings.model_copy(
        update={"stripe_payment_method_types": ["card", "wechat_pay", "alipay"]}
    )
    from fastapi.testclient import TestClient

    with TestClient(create_app(settings, database=db)) as client:
        booking = book(client, make_stay(db))
        row = booking_row(db, booking["reference"])
        payment = payment_row(db, row.id)
        assert payment.payment_method_types == ["card", "wechat_pay", "alipay"]
        # The fake cannot complete WeChat Pay: the event Stripe would send, signed by us.
        intent = {
            "id": payment.payment_intent_id,
            "object": "payment_intent",
            "amount": row.total_fen,
            "amount_received": row.total_fen,
            "currency": "cny",
            "status": "succeeded",
            "payment_method_types": ["wechat_pay"],
            "metadata": {"booking_id": str(row.id)},
        }
        r = post_event(client, event_for(intent))

    assert r.json()["outcome"] == "confirmed"
    assert booking_row(db, booking["reference"]).status == "confirmed"


def test_without_a_stripe_key_bookings_say_pay_at_property(client, db):
    booking = book(client, make_stay(db))

    assert booking["status"] == "confirmed"
    assert booking["payment"]["mode"] == "pay_at_property"
    assert booking["payment"]["client_secret"] is None
    r = client.get(
        f"/v1/bookings/{booking['reference']}", headers={"X-Booking-Token": booking["token"]}
    )
    assert r.json()["payment"]["mode"] == "pay_at_property"


def test_a_partner_that_collects_payment_gets_confirmed_at_once(db, pay_client, stripe_settings):
    from tests.support.payments import make_partner

    _, headers = make_partner(db, stripe_settings, merchant_collects=True)
    booking = book(pay_client, make_stay(db), headers)

    assert booking["status"] == "confirmed"
    assert booking["payment"]["mode"] == "merchant_collects"
    assert booking["payment"]["payment_intent_id"] is None


def _register_stripe_webhook(fake_url: str, target: str) -> None:
    import urllib.request

    req = urllib.request.Request(
        f"{fake_url}/_config/webhooks/jilin",
        data=json.dumps(
            {
                "url": target + "/stripe",
                "secret": WEBHOOK_SECRET,
                "events": ["payment_intent.succeeded"],
            }
        ).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    urllib.request.build_opener(urllib.request.ProxyHandler({})).open(req).read()


def test_booking_while_stripe_is_unreachable_is_a_503_and_books_nothing(db, stripe_settings):
    from fastapi.testclient import TestClient

    from tests.support.payments import idem, taken_units

    down = stripe_settings.model_copy(update={"stripe_api_base": "http://127.0.0.1:9"})
    stay = make_stay(db)
    with TestClient(create_app(down, database=db)) as client:
        quote = client.post(
            "/v1/quotes",
            json={
                "items": [
                    {
                        "product_id": stay.product_id,
                        "check_in": stay.check_in,
                        "check_out": stay.check_out,
                        "guests": 2,
                    }
                ]
            },
        ).json()
        r = client.post(
            "/v1/bookings",
            headers=idem(),
            json={
                "quote_id": quote["id"],
                "lead_traveller": {"name": "张三", "phone": "13812345678"},
            },
        )

    assert r.status_code == 503, r.text
    assert r.json()["code"] == "payment_provider_unavailable"
    assert r.json()["field"] == "payment"
    assert taken_units(db, stay.product_id) == 0
