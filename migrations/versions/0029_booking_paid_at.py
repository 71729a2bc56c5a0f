"""booking_paid_at: the booking keeps when its online payment arrived

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-07 05:30:00

A Stripe booking that was paid said, on the traveller's page and in the API's
``payment.note``, only that it was "no longer awaiting payment"; the console said
"Paid online: ¥…" with no date. The day it was paid is in ``payment.succeeded_at``,
which bookings does not read (payments sits above it). The booking now keeps it in its
own row, written by payments in the transaction that settles the payment, and every
read of the booking shows it (``payment.paid_at``).

Existing Stripe bookings get theirs from their succeeded ``payment`` row (one per
booking). That UPDATE gives each of them a new ``change_seq`` (the trigger of
0008/0019), so a partner's feed lists those bookings once more, their ``version``
unchanged.

Plain ``ALTER TABLE ADD/DROP COLUMN`` (no table rebuild).
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import catalog.base

revision: str = '0029'
down_revision: str | None = '0028'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('booking', sa.Column('paid_at', catalog.base.UTCDateTime(timezone=True), nullable=True))
    op.execute(
        "UPDATE booking SET paid_at = "
        "(SELECT p.succeeded_at FROM payment p WHERE p.booking_id = booking.id) "
        "WHERE payment_mode = 'stripe' "
        "AND EXISTS (SELECT 1 FROM payment p WHERE p.booking_id = booking.id "
        "AND p.status = 'succeeded' AND p.succeeded_at IS NOT NULL)"
    )


def downgrade() -> None:
    op.execute("ALTER TABLE booking DROP COLUMN paid_at")
