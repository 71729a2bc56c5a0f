"""What a partner's webhook endpoint is sent when one of its bookings changes (the
``BookingEvent`` body, its ``data`` the booking's state), beside the answers of
``schemas``."""

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from service.bookings.cancellation import RefundTerms
from service.bookings.modes import PaymentMode
from service.bookings.schemas import (
    REFUND_REQUESTED_DOC,
    REFUND_STATUS_DOC,
    REFUNDED_DOC,
    BookingStatus,
    RefundStatus,
)


class BookingEventType(StrEnum):
    confirmed = "booking.confirmed"
    cancelled = "booking.cancelled"
    expired = "booking.expired"
    refunded = "booking.refunded"
    refund_succeeded = "booking.refund_succeeded"
    refund_failed = "booking.refund_failed"


class BookingEventData(BaseModel):
    """The booking as the event left it: no personal data (read the booking for more)."""

    event: BookingEventType
    reference: str
    status: BookingStatus
    status_reason: str | None
    version: int = Field(description="Grows with every change: keep the highest you saw")
    payment_mode: PaymentMode
    total_fen: int
    refunded_fen: int = Field(description=REFUNDED_DOC)
    refund_requested_fen: int = Field(default=0, description=REFUND_REQUESTED_DOC)
    refund_status: RefundStatus | None = Field(default=None, description=REFUND_STATUS_DOC)
    currency: str
    occurred_at: datetime
    refund_fen: int | None = Field(
        default=None,
        description="`booking.cancelled`: what this cancellation refunds; "
        "`booking.refunded`: what this refund returns; `booking.refund_succeeded` / "
        "`booking.refund_failed`: the refund Stripe made or failed",
    )
    refund_terms: RefundTerms | None = Field(
        default=None,
        description="`booking.cancelled`: on which terms it refunds, as the booking's "
        "`cancellation.refund_terms` (`full_refund`: the operator cancelled of its own accord)",
    )


class BookingEvent(BaseModel):
    """One event POSTed to a partner's webhook endpoint."""

    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "id": "evt_118",
                "type": "booking.confirmed",
                "created_at": "2027-04-20T02:00:00+00:00",
                "data": {
                    "event": "booking.confirmed",
                    "reference": "JL-7K3Q9M",
                    "status": "confirmed",
                    "status_reason": None,
                    "version": 2,
                    "payment_mode": "stripe",
                    "total_fen": 875288,
                    "refunded_fen": 0,
                    "refund_requested_fen": 0,
                    "refund_status": None,
                    "currency": "CNY",
                    "occurred_at": "2027-04-20T02:00:00+00:00",
                },
            }
        }
    )

    id: str = Field(description="The same in every retry (also `Jilin-Event-Id`)")
    type: BookingEventType
    created_at: datetime
    data: BookingEventData
