"""Payments, refunds and Stripe events received.

- ``payment``: a booking's Stripe PaymentIntent (at most one per booking; bookings paid
  at the property or collected by the partner have none: ``booking.payment_mode`` says
  so). Its status only moves forward (``requires_payment`` → ``failed`` →
  ``succeeded``; a failure after a success changes nothing). ``canceled_at``: when the
  worker cancelled the PaymentIntent at Stripe because its hold was cancelled or expired
  unpaid (``payments.cancels``), so it can no longer be paid.
- ``refund``: written ``pending`` in the transaction that decides it, executed at
  Stripe by the worker; ``idempotency_key`` (``booking:<id>:refund:<n>``) is unique and
  is sent to Stripe, so a refund is asked for once however often the worker retries.
- ``stripe_event``: every verified Stripe event, stored once by its id (duplicates are
  harmless), then processed and marked handled with its outcome.
"""

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

import service.bookings.models  # noqa: F401  (booking, the foreign keys' target)
from catalog.base import json_column, utc_column

PROVIDER_STRIPE = "stripe"

PAYMENT_REQUIRES_PAYMENT = "requires_payment"
PAYMENT_FAILED = "failed"
PAYMENT_SUCCEEDED = "succeeded"
# How far a Stripe payment has got: a status never moves to a lower rank.
PAYMENT_RANK = {PAYMENT_REQUIRES_PAYMENT: 0, PAYMENT_FAILED: 1, PAYMENT_SUCCEEDED: 2}

REFUND_PENDING = "pending"
REFUND_SUCCEEDED = "succeeded"
REFUND_FAILED = "failed"


class Payment(SQLModel, table=True):
    __tablename__ = "payment"
    __table_args__ = (
        sa.CheckConstraint("provider IN ('stripe')", name="provider"),
        sa.CheckConstraint("status IN ('requires_payment', 'failed', 'succeeded')", name="status"),
        sa.CheckConstraint("amount_fen >= 0", name="amount_fen"),
    )

    id: int | None = Field(default=None, primary_key=True)
    booking_id: int = Field(foreign_key="booking.id", unique=True)
    provider: str = Field(default=PROVIDER_STRIPE, max_length=20)
    payment_intent_id: str | None = Field(default=None, max_length=255, unique=True)
    idempotency_key: str | None = Field(default=None, max_length=120)
    amount_fen: int = Field(sa_type=sa.BigInteger)
    currency: str = Field(default="CNY", max_length=3)
    payment_method_types: list = Field(default_factory=list, sa_column=json_column())
    status: str = Field(max_length=30)
    amount_received_fen: int = Field(default=0, sa_type=sa.BigInteger)
    created_at: datetime = Field(sa_column=utc_column())
    updated_at: datetime = Field(sa_column=utc_column())
    succeeded_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    canceled_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))


class Refund(SQLModel, table=True):
    __tablename__ = "refund"
    __table_args__ = (
        sa.CheckConstraint("status IN ('pending', 'succeeded', 'failed')", name="status"),
        sa.CheckConstraint("amount_fen > 0", name="amount_fen"),
        sa.Index("ix_refund_status_next_attempt_at", "status", "next_attempt_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    booking_id: int = Field(foreign_key="booking.id", index=True)
    payment_id: int = Field(foreign_key="payment.id", index=True)
    amount_fen: int = Field(sa_type=sa.BigInteger)
    reason: str = Field(max_length=60)
    lines: list = Field(default_factory=list, sa_column=json_column())
    status: str = Field(default=REFUND_PENDING, max_length=20)
    idempotency_key: str = Field(max_length=120, unique=True)
    stripe_refund_id: str | None = Field(default=None, max_length=255, unique=True)
    attempts: int = 0
    next_attempt_at: datetime = Field(sa_column=utc_column())
    last_error: str | None = Field(default=None, max_length=500)
    created_at: datetime = Field(sa_column=utc_column())
    updated_at: datetime = Field(sa_column=utc_column())
    succeeded_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))


class StripeEvent(SQLModel, table=True):
    """A verified Stripe event, stored once (``event_id`` unique), then handled."""

    __tablename__ = "stripe_event"

    id: int | None = Field(default=None, primary_key=True)
    event_id: str = Field(max_length=255, unique=True)
    type: str = Field(max_length=80)
    payment_intent_id: str | None = Field(default=None, max_length=255, index=True)
    source: str = Field(default="webhook", max_length=20)
    payload: dict = Field(sa_column=json_column())
    received_at: datetime = Field(sa_column=utc_column())
    handled_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    outcome: str | None = Field(default=None, max_length=60)
