"""The one Stripe gateway: every call to Stripe goes through this module.

- One ``stripe.StripeClient`` per (key, API base), built from ``Settings`` on first use
  (never at import time), with the API version pinned, two network retries and a
  bounded timeout. ``JL_STRIPE_API_BASE`` points it at the local fake in tests and the
  demo.
- Idempotency keys are derived from our ids (``booking:<id>:payment_intent``,
  ``booking:<id>:refund:<n>``, a failed refund asked again ``…:retry:<k>``) and sent
  with every creating call, so a retry after a timeout or a crash never pays or refunds
  twice at Stripe. (The local fake ignores them; our own rows are what make the tests'
  "exactly once" hold.)
- Without a Stripe key the service runs in the explicit offline mode
  ``pay_at_property`` (the two-command demo): no PaymentIntent, and every booking
  response says so.

Two use cases live here because the bookings capability calls them in its own
transaction, through ``StripePayments`` (bookings' ``Payments`` port, handed in by the
app and the CLI; bookings never imports payments): ``start_payment`` (a PaymentIntent
for a new booking, recorded as a ``payment`` row) and ``request_refund`` (only *writes*
a pending refund; the worker executes it).
"""

import logging
from collections.abc import Iterator
from datetime import datetime
from functools import lru_cache
from typing import Any

import stripe
from sqlmodel import Session

from service.bookings.models import Booking
from service.bookings.ports import PaymentStart
from service.clock import Clock
from service.errors import Conflict, DomainError
from service.payments import refund_state, repository
from service.payments.models import (
    PAYMENT_REQUIRES_PAYMENT,
    PAYMENT_SUCCEEDED,
    PROVIDER_STRIPE,
    REFUND_PENDING,
    Payment,
    Refund,
)
from service.settings import Settings

log = logging.getLogger("jilin.payments")

STRIPE_API_VERSION = "2026-10-28.endive"  # pinned: the version SDK 16.1.0 is typed for
NETWORK_TIMEOUT_S = 20
MAX_NETWORK_RETRIES = 2
WEBHOOK_TOLERANCE_S = 300
OFFLINE_PROVIDER = "pay_at_property"


class PaymentProviderUnavailable(DomainError):
    status, code = 503, "payment_provider_unavailable"
    title, title_zh = "Payment provider unavailable", "支付服务不可用"


def payments_offline(settings: Settings) -> bool:
    """No Stripe key: bookings are paid at the property (the explicit offline mode)."""
    return not settings.stripe_secret_key


def stripe_client(settings: Settings) -> stripe.StripeClient:
    if payments_offline(settings):
        raise RuntimeError("no Stripe key configured (offline mode pay_at_property)")
    return _client(settings.stripe_secret_key, settings.stripe_api_base)


@lru_cache(maxsize=8)
def _client(api_key: str, api_base: str | None) -> stripe.StripeClient:
    kwargs: dict[str, Any] = {}
    if api_base:
        kwargs["base_addresses"] = {"api": api_base}
    return stripe.StripeClient(
        api_key,
        stripe_version=STRIPE_API_VERSION,
        max_network_retries=MAX_NETWORK_RETRIES,
        http_client=stripe.RequestsClient(timeout=NETWORK_TIMEOUT_S),
        **kwargs,
    )


# -- idempotency keys: derived from our ids, never random ------------------------------


def payment_intent_key(booking_id: int) -> str:
    return f"booking:{booking_id}:payment_intent"


def refund_key(booking_id: int, n: int) -> str:
    return f"booking:{booking_id}:refund:{n}"


RETRY = ":retry:"


def retry_key(key: str) -> str:
    """The key of a failed refund's next attempt (``refunds.retry_failed``): its first
    key and ``:retry:<k>``, a new one each time, since Stripe answers a key it has seen
    with its first answer (the refund that failed)."""
    first, _, k = key.partition(RETRY)
    return f"{first}{RETRY}{int(k or 0) + 1}"


def is_retry(key: str) -> bool:
    return RETRY in key


# -- thin calls ------------------------------------------------------------------------


def create_payment_intent(
    settings: Settings, *, booking_id: int, reference: str, amount_fen: int
) -> stripe.PaymentIntent:
    return stripe_client(settings).v1.payment_intents.create(
        {
            "amount": amount_fen,
            "currency": "cny",
            "payment_method_types": list(settings.stripe_payment_method_types),
            "metadata": {"booking_id": str(booking_id), "booking_reference": reference},
        },
        {"idempotency_key": payment_intent_key(booking_id)},
    )


def retrieve_payment_intent(settings: Settings, payment_intent_id: str) -> stripe.PaymentIntent:
    return stripe_client(settings).v1.payment_intents.retrieve(payment_intent_id)


def cancel_payment_intent(settings: Settings, payment_intent_id: str) -> stripe.PaymentIntent:
    """Cancel a PaymentIntent so it can no longer be paid; ``stripe.InvalidRequestError``
    when it cannot be (already succeeded, processing or cancelled)."""
    return stripe_client(settings).v1.payment_intents.cancel(payment_intent_id)


def create_refund(settings: Settings, refund: Refund, payment_intent_id: str) -> stripe.Refund:
    return stripe_client(settings).v1.refunds.create(
        {
            "payment_intent": payment_intent_id,
            "amount": refund.amount_fen,
            "metadata": {
                "booking_id": str(refund.booking_id),
                "refund_key": refund.idempotency_key,
            },
        },
        {"idempotency_key": refund.idempotency_key},
    )


def find_refund(settings: Settings, payment_intent_id: str, key: str) -> stripe.Refund | None:
    """A refund Stripe already made for our ``key`` (a retry after a lost answer), else
    one an earlier attempt of the same refund made (``retry_key``) that Stripe has not
    failed: an attempt given up on errors may have been made after all, and a refund
    retried is then that one, never a second. One Stripe failed is not it."""
    refunds = stripe_client(settings).v1.refunds.list(
        {"payment_intent": payment_intent_id, "limit": 100}
    )
    first = key.partition(RETRY)[0]
    earlier = None
    for found in refunds.auto_paging_iter():
        made_for = found.metadata["refund_key"] if "refund_key" in found.metadata else None
        if made_for == key:
            return found
        if (
            earlier is None
            and made_for is not None
            and made_for.partition(RETRY)[0] == first
            and found.status not in ("failed", "canceled")
        ):
            earlier = found
    return earlier


def succeeded_payment_events(settings: Settings, since: datetime) -> Iterator[stripe.Event]:
    """``payment_intent.succeeded`` events created at or after ``since``."""
    events = stripe_client(settings).v1.events.list(
        {
            "type": "payment_intent.succeeded",
            "created": {"gte": int(since.timestamp())},
            "limit": 100,
        }
    )
    return events.auto_paging_iter()


def verify_webhook(payload: str, signature: str | None, settings: Settings) -> None:
    """Check the ``Stripe-Signature`` of ``payload`` (the body as text) and nothing else;
    ``stripe.SignatureVerificationError`` if it is missing, wrong or stale. The body is
    parsed afterwards, so a signed body that is not an event is told apart."""
    if not settings.stripe_webhook_secret:
        raise stripe.SignatureVerificationError("no webhook secret configured", signature)
    stripe.WebhookSignature.verify_header(
        payload, signature, settings.stripe_webhook_secret, tolerance=WEBHOOK_TOLERANCE_S
    )


# -- use cases called by the bookings capability ----------------------------------------


def start_payment(
    session: Session, booking: Booking, settings: Settings, now: datetime | None = None
) -> PaymentStart:
    """A PaymentIntent for the booking's total in CNY fen; its ``client_secret`` for the payer.

    Offline (no Stripe key) it creates nothing and says ``pay_at_property``. Calling it
    again for the same booking returns the same PaymentIntent.
    """
    if payments_offline(settings):
        return PaymentStart(OFFLINE_PROVIDER, None, None)
    if booking.total_fen <= 0:
        raise ValueError("a Stripe payment needs a positive amount")
    now = now or Clock().now()
    existing = repository.payment_for_booking(session, booking.id)
    try:
        if existing is not None:
            intent = retrieve_payment_intent(settings, existing.payment_intent_id)
            return _started(existing, intent)
        intent = create_payment_intent(
            settings,
            booking_id=booking.id,
            reference=booking.reference,
            amount_fen=booking.total_fen,
        )
    except stripe.StripeError as exc:
        log.warning(
            "stripe: PaymentIntent for booking %s failed: %s", booking.id, type(exc).__name__
        )
        raise PaymentProviderUnavailable(
            "The payment provider could not be reached; nothing was booked. Try again.",
            zh="无法连接支付服务；未做任何预订，请重试。",
            field="payment",
        ) from None
    payment = Payment(
        booking_id=booking.id,
        provider=PROVIDER_STRIPE,
        payment_intent_id=intent.id,
        idempotency_key=payment_intent_key(booking.id),
        amount_fen=booking.total_fen,
        currency="CNY",
        payment_method_types=list(settings.stripe_payment_method_types),
        status=PAYMENT_REQUIRES_PAYMENT,
        created_at=now,
        updated_at=now,
    )
    session.add(payment)
    session.flush()
    log.info(
        "stripe: PaymentIntent %s for booking %s (%s fen)", intent.id, booking.id, booking.total_fen
    )
    return _started(payment, intent)


def _started(payment: Payment, intent: stripe.PaymentIntent) -> PaymentStart:
    return PaymentStart(PROVIDER_STRIPE, payment.payment_intent_id, intent.client_secret)


def check_within_paid(session: Session, booking_id: int, amount_fen: int) -> Payment | None:
    """The booking's payment, locked (so two refunds of one booking are serialised);
    ``Conflict`` ``refund_exceeds_payment`` when ``amount_fen`` more, with its refunds
    pending or made, would exceed what a succeeded payment took."""
    payment = repository.lock_payment_for_booking(session, booking_id)
    if payment is None or payment.status != PAYMENT_SUCCEEDED:
        return payment
    already = repository.refunded_or_pending_fen(session, payment.id)
    paid = payment.amount_received_fen or payment.amount_fen
    if already + amount_fen > paid:
        raise Conflict(
            f"Refunds would exceed the {paid} fen paid ({already} fen already refunded).",
            zh=f"退款将超过已付的 {paid} 分（已退 {already} 分）。",
            code="refund_exceeds_payment",
            field="amount_fen",
        )
    return payment


def request_refund(
    session: Session,
    booking: Booking,
    amount_fen: int,
    reason: str,
    *,
    lines: list[dict] | None = None,
    now: datetime | None = None,
) -> Refund | None:
    """Write a pending refund of ``amount_fen`` in the caller's transaction; the worker pays it.

    The booking then says the refund is requested (``refund_state``: ``refund_status``
    ``pending``, ``refund_requested_fen``), not made: ``refunded_fen`` grows only when
    Stripe has made it.

    Returns ``None`` when there is nothing to refund through Stripe (no succeeded
    payment: paid at the property, collected by the partner, or never paid) or the
    amount is 0. Refunds of one payment together never exceed what was paid
    (``Conflict`` ``refund_exceeds_payment``). The payment row is locked first, so two
    concurrent requests for one booking are serialised.
    """
    if amount_fen < 0:
        raise ValueError("a refund amount is never negative")
    payment = check_within_paid(session, booking.id, amount_fen)
    if payment is None or payment.status != PAYMENT_SUCCEEDED or amount_fen == 0:
        return None
    now = now or Clock().now()
    n = repository.count_refunds(session, booking.id) + 1
    refund = Refund(
        booking_id=booking.id,
        payment_id=payment.id,
        amount_fen=amount_fen,
        reason=reason[:60],
        lines=lines or [],
        status=REFUND_PENDING,
        idempotency_key=refund_key(booking.id, n),
        next_attempt_at=now,
        created_at=now,
        updated_at=now,
    )
    session.add(refund)
    session.flush()
    refund_state.sync_booking(session, booking)  # requested, not yet made: pending
    log.info(
        "refund %s requested for booking %s: %s fen (%s)",
        refund.idempotency_key,
        booking.id,
        amount_fen,
        reason,
    )
    return refund


class StripePayments:
    """The payments capability as bookings sees it (``service.bookings.ports.Payments``):
    the composition roots hand one to bookings (``app.state.payments``, the CLI)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def start_payment(self, session: Session, booking: Booking, now: datetime) -> PaymentStart:
        return start_payment(session, booking, self.settings, now=now)

    def request_refund(
        self,
        session: Session,
        booking: Booking,
        amount_fen: int,
        reason: str,
        *,
        lines: list[dict[str, Any]],
        now: datetime,
    ) -> None:
        request_refund(session, booking, amount_fen, reason, lines=lines, now=now)
