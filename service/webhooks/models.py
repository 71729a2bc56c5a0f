"""Partners' webhook endpoints and deliveries.

- ``webhook_endpoint``: a partner's URL for booking events, with its signing secret;
- ``webhook_delivery``: one delivery per (outbox event, endpoint) with its attempts and
  backoff.
"""

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

import service.bookings.outbox
import service.clients.models  # noqa: F401  (api_client)
from catalog.base import utc_column

DELIVERY_PENDING = "pending"
DELIVERY_DELIVERED = "delivered"
DELIVERY_FAILED = "failed"
GIVEN_UP_ENDPOINT_DISABLED = "endpoint_disabled"  # last_error of a removed endpoint's deliveries
# The test event a partner asks for (``POST /v1/webhook-endpoints/{id}/ping``): an outbox
# event of no booking, delivered to that one endpoint only (never fanned out).
PING = "ping"


class WebhookEndpoint(SQLModel, table=True):
    """A partner's URL for booking events. The secret is shown once, when it is made.

    ``active`` false: removed (``DELETE``), never listed again. ``enabled`` false: paused
    by its partner (``PATCH`` ``active: false``), listed, sent nothing; enabled again, it
    gets the events made from ``enabled_at`` on (those of the pause are never sent).
    ``event_types``: the ``WebhookEndpointEventType`` rows, none for every event type.
    """

    __tablename__ = "webhook_endpoint"

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="api_client.id", index=True)
    url: str = Field(max_length=2048)
    description: str | None = Field(default=None, max_length=200)
    secret: str = Field(max_length=100)
    active: bool = True
    created_at: datetime = Field(sa_column=utc_column())
    disabled_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    enabled: bool = Field(default=True, sa_column_kwargs={"server_default": sa.true()})
    enabled_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    # The secret a rotation replaced: it signs beside ``secret`` until it expires.
    previous_secret: str | None = Field(default=None, max_length=100)
    previous_secret_expires_at: datetime | None = Field(
        default=None, sa_column=utc_column(nullable=True)
    )

    def signing_secrets(self, now: datetime) -> list[str]:
        """The secrets a delivery at ``now`` is signed with: the current one, then the
        previous one while it has not expired."""
        previous = self.previous_secret
        expires = self.previous_secret_expires_at
        return [self.secret] + ([previous] if previous and expires and now < expires else [])


class WebhookEndpointEventType(SQLModel, table=True):
    """One event type an endpoint takes; an endpoint with none takes every type."""

    __tablename__ = "webhook_endpoint_event_type"

    endpoint_id: int = Field(foreign_key="webhook_endpoint.id", primary_key=True)
    event_type: str = Field(max_length=40, primary_key=True)


class WebhookDelivery(SQLModel, table=True):
    """One outbox event to one endpoint: retried with backoff until 2xx or given up."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (
        sa.UniqueConstraint(
            "outbox_event_id", "endpoint_id", name="uq_webhook_delivery_outbox_event_id_endpoint_id"
        ),
        sa.CheckConstraint("status IN ('pending', 'delivered', 'failed')", name="status"),
        sa.Index("ix_webhook_delivery_status_next_attempt_at", "status", "next_attempt_at"),
        sa.Index("ix_webhook_delivery_client_id_id", "client_id", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    outbox_event_id: int = Field(foreign_key="outbox_event.id")
    endpoint_id: int = Field(foreign_key="webhook_endpoint.id", index=True)
    client_id: int = Field(foreign_key="api_client.id")
    event_type: str = Field(max_length=40)
    status: str = Field(default=DELIVERY_PENDING, max_length=20)
    attempts: int = 0
    next_attempt_at: datetime = Field(sa_column=utc_column())
    last_status_code: int | None = None
    last_error: str | None = Field(default=None, max_length=500)
    created_at: datetime = Field(sa_column=utc_column())
    updated_at: datetime = Field(sa_column=utc_column())
    delivered_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
