"""Fixtures and helpers for the payments and partner-webhooks tests.

Import the fixtures into a test module (``from tests.support.payments import *``-style,
by name). Everything is real: the fake Stripe (localstripe) runs as a process on
127.0.0.1, the SDK talks HTTP to it, bookings go through the API and the databases are
the suite's SQLite and PostgreSQL.
"""

import json
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
import stripe
from fastapi.testclient import TestClient
from sqlmodel import func, select

from catalog.models import InventoryNight
from service.app import create_app
from service.bookings.models import Booking
from service.bookings.outbox import OutboxEvent
from service.clients import service as clients
from service.clock import SHANGHAI
from service.db import Database
from service.payments import gateway
from service.payments.models import Payment, Refund
from service.settings import Settings
from tests.conftest import make_settings
from tests.factories import make_product
from tests.support.fake_stripe import FakeStripe, start_fake_stripe
from tests.support.receiver import Receiver

STRIPE_KEY = "sk_test_jilin"
WEBHOOK_SECRET = "whsec_test_jilin"
LEAD = {"name": "张三", "phone": "13812345678"}
GUEST_ID_NUMBER = "22010119800101106X"  # a valid check character (X)


@pytest.fixture(scope="session")
def fake_stripe() -> Iterator[FakeStripe]:
    fake = start_fake_stripe()
    yield fake
    fake.stop()


def stripe_settings_for(database_url: str, fake_stripe: FakeStripe) -> Settings:
    """The tests' settings for ``database_url``, with Stripe pointed at the fake; only
    ``card`` can be paid there."""
    return make_settings(
        database_url,
        stripe_secret_key=STRIPE_KEY,
        stripe_webhook_secret=WEBHOOK_SECRET,
        stripe_api_base=fake_stripe.url,
        stripe_payment_method_types=["card"],
    )


@pytest.fixture
def stripe_settings(db: Database, fake_stripe: FakeStripe) -> Settings:
    """The test database, with Stripe pointed at the fake (``stripe_settings_for``)."""
    return stripe_settings_for(db.settings.database_url, fake_stripe)


@pytest.fixture
def pay_client(db: Database, stripe_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(stripe_settings, database=db), raise_server_exceptions=False) as c:
        yield c


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.stop()


def stripe_sdk(settings: Settings) -> stripe.StripeClient:
    """The same client the service uses (what a payer's app does, for the tests)."""
    return gateway.stripe_client(settings)


# -- catalogue and bookings ------------------------------------------------------------------


@dataclass
class Stay:
    product_id: int
    check_in: str
    check_out: str


def make_stay(db: Database, *, units: int = 5, nights: int = 7) -> Stay:
    """A product with ``units`` for ``nights`` nights starting 40 days from today."""
    first = datetime.now(SHANGHAI).date() + timedelta(days=40)
    with db.write_session() as s:
        product = make_product(s, inventory=(first, nights, units))
        s.commit()
        return Stay(product.id, first.isoformat(), (first + timedelta(days=nights)).isoformat())


def make_partner(
    db: Database, settings: Settings, *, merchant_collects: bool = False, name: str | None = None
) -> tuple[int, dict[str, str]]:
    """An OTA partner with a key: (client id, the Authorization header)."""
    with db.write_session() as s:
        issued = clients.create_client(
            s,
            name=name or f"ota-{time.monotonic_ns()}",
            channel="ota",
            merchant_collects=merchant_collects,
            pepper=settings.secret_key,
            now=datetime.now(UTC),
        )
        s.commit()
        return issued.client.id, {"Authorization": f"Bearer {issued.plaintext}"}


def book(client: TestClient, stay: Stay, headers: dict | None = None) -> dict:
    """Quote and book one unit of ``stay`` over HTTP; the booking response."""
    r = post_booking_of(client, stay, headers=headers)
    assert r.status_code == 201, r.text
    return r.json()


def post_booking_of(client: TestClient, stay: Stay, *, units: int = 1, headers: dict | None = None):
    """Quote ``units`` of ``stay`` and POST its booking; the response, whatever it is."""
    q = client.post(
        "/v1/quotes",
        headers=headers or {},
        json={
            "items": [
                {
                    "product_id": stay.product_id,
                    "check_in": stay.check_in,
                    "check_out": stay.check_out,
                    "guests": max(2, units),  # a guest a unit at least
                    "units": units,
                }
            ]
        },
    )
    assert q.status_code == 201, q.text
    return client.post(
        "/v1/bookings",
        headers={**(headers or {}), **idem()},
        json={
            "quote_id": q.json()["id"],
            "lead_traveller": LEAD,
            "guests": [{"name": "张三", "id_number": GUEST_ID_NUMBER}],
        },
    )


def idem() -> dict[str, str]:
    return {"Idempotency-Key": str(uuid.uuid4())}


def cancel(client: TestClient, booking: dict, headers: dict | None = None):
    """The traveller (by token) or the partner (``headers``) cancels; the response."""
    auth = headers or {"X-Booking-Token": booking["token"]}
    return client.post(
        f"/v1/bookings/{booking['reference']}/cancel",
        headers={**auth, **idem()},
        json={"reason": "plans changed"},
    )


def booking_row(db: Database, reference: str) -> Booking:
    with db.session() as s:
        return s.exec(select(Booking).where(Booking.reference == reference)).one()


def payment_row(db: Database, booking_id: int) -> Payment:
    with db.session() as s:
        return s.exec(select(Payment).where(Payment.booking_id == booking_id)).one()


def refunds_of(db: Database, booking_id: int) -> list[Refund]:
    with db.session() as s:
        return list(s.exec(select(Refund).where(Refund.booking_id == booking_id)))


def outbox_types(db: Database, booking_id: int) -> list[str]:
    with db.session() as s:
        rows = s.exec(
            select(OutboxEvent).where(OutboxEvent.booking_id == booking_id).order_by(OutboxEvent.id)
        )
        return [e.event_type for e in rows]


def intent_unknown_at_stripe(db: Database, booking_id: int) -> None:
    """Point the booking's payment at a PaymentIntent Stripe does not know, so Stripe
    refuses its refund (400, for good) when the worker asks."""
    point_payment_at(db, booking_id, "pi_gone")


def point_payment_at(db: Database, booking_id: int, payment_intent_id: str) -> None:
    """The booking's payment's PaymentIntent id set to ``payment_intent_id`` (its own
    again, after ``intent_unknown_at_stripe``: Stripe then takes its refund)."""
    with db.write_session() as s:
        s.execute(
            sa.text("UPDATE payment SET payment_intent_id = :pi WHERE booking_id = :b"),
            {"b": booking_id, "pi": payment_intent_id},
        )
        s.commit()


def taken_units(db: Database, product_id: int) -> int:
    with db.session() as s:
        return s.exec(
            select(func.max(InventoryNight.taken_units)).where(
                InventoryNight.product_id == product_id
            )
        ).one()


def pay_at_fake(settings: Settings, payment_intent_id: str) -> stripe.PaymentIntent:
    """What the payer's app does with the client_secret: pay by card (test card visa)."""
    sdk = stripe_sdk(settings)
    sdk.v1.payment_intents.update(payment_intent_id, {"payment_method": "pm_card_visa"})
    intent = sdk.v1.payment_intents.confirm(payment_intent_id)
    assert intent.status == "succeeded"
    return intent


def pay_and_confirm(client: TestClient, settings: Settings, payment_intent_id: str) -> dict:
    """Pay at the fake Stripe and post its signed event, which confirms the booking; the
    intent, as the event carried it."""
    intent = pay_at_fake(settings, payment_intent_id).to_dict(for_json=True)
    assert post_event(client, event_for(intent)).json()["outcome"] == "confirmed"
    return intent


def paid_and_confirmed(client: TestClient, settings: Settings, stay: Stay) -> tuple[dict, dict]:
    """Book one unit of ``stay`` over HTTP and pay it online: (the booking, its intent)."""
    booking = book(client, stay)
    return booking, pay_and_confirm(client, settings, booking["payment"]["payment_intent_id"])


# -- Stripe events we sign ourselves ---------------------------------------------------------


def event_for(
    intent: dict,
    event_type: str = "payment_intent.succeeded",
    *,
    event_id: str | None = None,
    created: int | None = None,
) -> str:
    """A Stripe event (JSON text) carrying ``intent`` as its object."""
    return json.dumps(
        {
            "id": event_id or f"evt_test_{time.monotonic_ns()}",
            "object": "event",
            "type": event_type,
            "api_version": gateway.STRIPE_API_VERSION,
            "created": created or int(time.time()),
            "livemode": False,
            "data": {"object": intent},
        }
    )


def intent_dict(
    payment_intent_id: str, amount_fen: int, booking_id: int, *, status: str = "succeeded"
) -> dict:
    return {
        "id": payment_intent_id,
        "object": "payment_intent",
        "amount": amount_fen,
        "amount_received": amount_fen if status == "succeeded" else 0,
        "currency": "cny",
        "status": status,
        "metadata": {"booking_id": str(booking_id)},
    }


def sign(payload: str, secret: str = WEBHOOK_SECRET, timestamp: int | None = None) -> str:
    return stripe.WebhookSignature.generate_signature_header(payload, secret, timestamp)


def post_event(client: TestClient, payload: str, signature: str | None = "sign"):
    headers = {"Content-Type": "application/json"}
    if signature == "sign":
        signature = sign(payload)
    if signature is not None:
        headers["Stripe-Signature"] = signature
    return client.post("/v1/payments/stripe/webhook", content=payload.encode(), headers=headers)
