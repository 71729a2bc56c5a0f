"""payment_canceled_at: when an unpaid hold's PaymentIntent was cancelled at Stripe

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06 10:30:00

A hold cancelled or expired unpaid left its PaymentIntent payable: the payer could still
confirm it and be charged for a booking that no longer was (refunded later by the
worker). The worker now cancels such PaymentIntents at Stripe (``payments.cancels``)
and marks the payment ``canceled_at``, which is what it reads to know it is done.

Existing rows are left NULL: the worker's next pass cancels the PaymentIntents of holds
cancelled or expired in its look-back window (two days); older ones have long been
cancelled by Stripe's own PaymentIntent expiry or are beyond the window.

Plain ``ALTER TABLE ADD/DROP COLUMN`` (no table rebuild).
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import catalog.base

revision: str = '0021'
down_revision: str | None = '0020'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('payment', sa.Column('canceled_at', catalog.base.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    op.execute("ALTER TABLE payment DROP COLUMN canceled_at")
