"""HTTP for payments: the Stripe webhook, ``POST /v1/payments/stripe/webhook``."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Request

from service.deps import ClockDep, SettingsDep, WriteSessionDep
from service.errors import problems
from service.payments import service
from service.payments.schemas import StripeWebhookAck

router = APIRouter(prefix="/v1/payments", tags=["payments"])


async def raw_body(request: Request) -> bytes:
    """The exact bytes Stripe signed (parsing first would change them)."""
    return await request.body()


@router.post(
    "/stripe/webhook",
    response_model=StripeWebhookAck,
    summary="Receive a Stripe event",
    description=(
        "For Stripe only. The `Stripe-Signature` header is verified with the webhook "
        "secret (tolerance 5 minutes); a missing, wrong, altered or stale signature is "
        "a 400 `invalid_signature` and nothing changes; a body that is not UTF-8, or is "
        "correctly signed but not a Stripe event (not a JSON object with a string `id`), "
        "is a 400 `invalid_payload` (field `body`). `payment_intent.succeeded` "
        "confirms the booking, or refunds it in full when its hold expired and the "
        "nights are gone. Each event is processed once; repeats and out-of-order "
        "events change nothing (a payment's status never moves backwards). A 503 "
        "`retry_later` asks Stripe to send it again."
    ),
    responses=problems(400, 503),
)
def stripe_webhook(
    body: Annotated[bytes, Depends(raw_body)],
    session: WriteSessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    stripe_signature: Annotated[
        str | None, Header(alias="Stripe-Signature", description="Set by Stripe")
    ] = None,
) -> Any:
    outcome = service.handle_stripe_webhook(session, settings, body, stripe_signature, clock.now())
    return StripeWebhookAck(outcome=outcome)
