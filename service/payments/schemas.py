"""Response models of the payments API."""

from pydantic import BaseModel, ConfigDict, Field


class StripeWebhookAck(BaseModel):
    """What the webhook did with the event (Stripe only needs the 2xx)."""

    model_config = ConfigDict(
        json_schema_extra={"example": {"received": True, "outcome": "confirmed"}}
    )

    received: bool = True
    outcome: str = Field(
        description="confirmed, refund_requested, payment_failed, duplicate, already_settled, "
        "stale, ignored, unknown_payment_intent..."
    )
