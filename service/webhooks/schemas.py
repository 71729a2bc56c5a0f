"""Request and response models of the partner webhooks API (separate from the tables)."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from service.bookings.outbox import EVENT_TYPES
from service.text import StrictBool, Text, free_text_up_to, patched

DeliveryStatus = Literal["pending", "delivered", "failed"]

# One rule for an endpoint's fields, whether it is registered or changed (a PATCH sends
# the same fields, each optional). Event types are checked by the service
# (``check_event_types``: 422 ``unknown_event_type`` naming the one), not as an enum here,
# so the refusal names its code in both languages.
Url = Annotated[
    Text,
    Field(
        min_length=8,
        max_length=2048,
        description="Where booking events are POSTed (https in production)",
    ),
]
Description = free_text_up_to(200)
EventTypes = Annotated[
    list[Annotated[str, Field(max_length=40, json_schema_extra={"enum": list(EVENT_TYPES)})]],
    Field(
        min_length=1,
        max_length=len(EVENT_TYPES),
        description="The event types sent to this endpoint; null or left out: every "
        "booking event type, those added later included",
    ),
]

_ENDPOINT_EXAMPLE = {
    "id": 3,
    "url": "https://partner.example/jilin/webhooks",
    "description": "bookings feed",
    "active": True,
    "event_types": None,
    "secret_hint": "…9f2a",
    "created_at": "2027-04-20T02:00:00Z",
}


class WebhookEndpointIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {
                "url": "https://partner.example/jilin/webhooks",
                "description": "bookings feed",
            }
        },
    )

    url: Url
    description: Description | None = None  # type: ignore[valid-type]
    event_types: EventTypes | None = None


class WebhookEndpointPatch(BaseModel):
    """What ``PATCH`` changes: only the fields sent (at least one). ``description`` and
    ``event_types`` may be set to null (none; every type), ``url`` and ``active`` not."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {
                "url": "https://partner.example/jilin/webhooks/v2",
                "event_types": ["booking.confirmed", "booking.cancelled"],
                "active": False,
            }
        },
    )

    url: patched(Url) = None  # type: ignore[valid-type]
    description: Description | None = None  # type: ignore[valid-type]
    event_types: EventTypes | None = None
    active: patched(StrictBool) = Field(  # type: ignore[valid-type]
        default=None,
        description="false pauses the endpoint (nothing is sent, its pending deliveries "
        "are given up); true sends it the events made from then on",
    )


class WebhookEndpointOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"example": _ENDPOINT_EXAMPLE})

    id: int
    url: str
    description: str | None
    active: bool = Field(description="false: paused (`PATCH` `active: false`), sent nothing")
    event_types: list[str] | None = Field(
        description="The event types it takes; null: every booking event type"
    )
    secret_hint: str = Field(description="The secret's last four characters")
    previous_secret_expires_at: datetime | None = Field(
        default=None,
        description="After `rotate-secret`: until when the replaced secret signs beside "
        "the new one (a second `v1`); null when only the secret signs",
    )
    created_at: datetime


class WebhookEndpointCreated(WebhookEndpointOut):
    """The new endpoint with its signing secret: shown this once, never again."""

    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                **_ENDPOINT_EXAMPLE,
                "secret": "whsec_4mQ0oVt7Qe0gGk1bq7bX3m1q0xk3v7s1W8cJm6p9f2a",
            }
        }
    )

    secret: str = Field(description="HMAC-SHA256 key of the Jilin-Signature header")


class WebhookEndpointPage(BaseModel):
    items: list[WebhookEndpointOut]
    next: str | None = None


class WebhookDeliveryOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "id": 41,
                "endpoint_id": 3,
                "event_id": "evt_118",
                "event_type": "booking.confirmed",
                "booking_reference": "JL7Q2M4K",
                "status": "pending",
                "attempts": 2,
                "next_attempt_at": "2027-04-20T02:01:30Z",
                "last_status_code": 500,
                "last_error": "HTTP 500",
                "delivered_at": None,
                "created_at": "2027-04-20T02:00:00Z",
            }
        }
    )

    id: int
    endpoint_id: int
    event_id: str = Field(description="Also sent as the Jilin-Event-Id header")
    event_type: str
    booking_reference: str | None
    status: DeliveryStatus
    attempts: int
    next_attempt_at: datetime | None = Field(description="When it is tried again (pending)")
    last_status_code: int | None
    last_error: str | None
    delivered_at: datetime | None
    created_at: datetime


class WebhookDeliveryPage(BaseModel):
    items: list[WebhookDeliveryOut]
    next: str | None = None


class PingEventData(BaseModel):
    event: Literal["ping"]
    endpoint_id: int = Field(description="The endpoint the ping was asked for")
    occurred_at: datetime


class PingEvent(BaseModel):
    """The test event ``POST /v1/webhook-endpoints/{endpoint_id}/ping`` queues."""

    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "id": "evt_131",
                "type": "ping",
                "created_at": "2027-04-20T02:05:00+00:00",
                "data": {
                    "event": "ping",
                    "endpoint_id": 3,
                    "occurred_at": "2027-04-20T02:05:00+00:00",
                },
            }
        }
    )

    id: str = Field(description="The same in every retry (also `Jilin-Event-Id`)")
    type: Literal["ping"]
    created_at: datetime
    data: PingEventData
