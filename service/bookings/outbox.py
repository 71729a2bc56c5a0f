"""The outbox: events about bookings, written in the same transaction as the change.

A booking transition (``booking.confirmed``, ``booking.cancelled``, ``booking.expired``,
``booking.refunded``) or a Stripe refund's outcome (``booking.refund_succeeded``,
``booking.refund_failed``, ``payments.refund_state.moved``) adds one ``outbox_event``
row with ``enqueue_event`` before its transaction commits, so an event exists exactly
when the change does. Delivery (partner webhooks) is done by a worker that reads this
table (``service/webhooks``); nothing here sends anything.

Payloads carry no personal data: the booking's reference, status, version and amounts.
"""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, Session, SQLModel

from catalog.base import UTCDateTime, json_column

BOOKING_CONFIRMED = "booking.confirmed"
BOOKING_CANCELLED = "booking.cancelled"
BOOKING_EXPIRED = "booking.expired"
# Money went back after the booking ended: a payment that landed on a cancelled or expired
# booking, refunded in full (``payments.service.settle_succeeded``).
BOOKING_REFUNDED = "booking.refunded"
# A refund through Stripe made, or failed (``payments.refund_state.moved``): the outcome of
# one refund that ``booking.cancelled`` or ``booking.refunded`` only requested.
BOOKING_REFUND_SUCCEEDED = "booking.refund_succeeded"
BOOKING_REFUND_FAILED = "booking.refund_failed"
EVENT_TYPES = (
    BOOKING_CONFIRMED,
    BOOKING_CANCELLED,
    BOOKING_EXPIRED,
    BOOKING_REFUNDED,
    BOOKING_REFUND_SUCCEEDED,
    BOOKING_REFUND_FAILED,
)


class OutboxEvent(SQLModel, table=True):
    __tablename__ = "outbox_event"
    # (client_id, created_at): a partner's events of a time range, what the worker's
    # fan-out and the /metrics gauges read (service.webhooks.repository); created_at: the
    # oldest events, what the worker's purge reads (migration 0032).
    __table_args__ = (
        sa.Index("ix_outbox_event_client_id_created_at", "client_id", "created_at"),
        sa.Index("ix_outbox_event_created_at", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    client_id: int | None = Field(default=None, foreign_key="api_client.id")
    event_type: str = Field(max_length=40)
    # None: an event of no booking (a webhook endpoint's ``ping``, ``service.webhooks``)
    booking_id: int | None = Field(default=None, foreign_key="booking.id", index=True)
    payload: dict = Field(sa_column=json_column())
    created_at: datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))


_T = OutboxEvent.__table__
_INSERT = sa.insert(_T).returning(_T.c.id)


def enqueue_event(
    session: Session,
    *,
    client_id: int | None,
    event_type: str,
    booking_id: int,
    payload: dict[str, Any],
    now: datetime | None = None,
) -> int:
    """Add one event row in the caller's transaction (flush, never commit); its id.

    Pending ORM changes are flushed first, then the row is written with one Core INSERT
    (no ORM object: this runs on every booking, the hot path).
    """
    if event_type not in EVENT_TYPES:
        raise ValueError(f"unknown outbox event type {event_type!r}")
    values = {
        "client_id": client_id,
        "event_type": event_type,
        "booking_id": booking_id,
        "payload": payload,
        "created_at": now or payload_time(payload),
    }
    session.flush()
    return session.connection().execute(_INSERT, values).scalar_one()


def payload_time(payload: dict[str, Any]) -> datetime:
    """The event's time: the payload's ``occurred_at`` (the service's clock)."""
    occurred = payload.get("occurred_at")
    if isinstance(occurred, str):
        return datetime.fromisoformat(occurred)
    if isinstance(occurred, datetime):
        return occurred
    raise ValueError("an outbox payload needs occurred_at (the clock's time), or pass now=")
