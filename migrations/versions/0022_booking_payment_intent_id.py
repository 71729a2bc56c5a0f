"""booking_payment_intent_id: the booking keeps the PaymentIntent it was started with

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-06 12:30:00

``payment.payment_intent_id`` of a Stripe booking read as null on every read of the
booking (``GET /v1/bookings/{ref}``, the cancel's answer): only the create answer had
it, from what the payments port returned, and bookings does not read the payments'
tables. The booking now keeps what the port answered, in its own row, written in the
booking's transaction.

Existing Stripe bookings get theirs from their ``payment`` row (one per booking). That
UPDATE gives each of them a new ``change_seq`` (the trigger of 0008/0019), so a
partner's feed lists those bookings once more, their ``version`` unchanged.

Plain ``ALTER TABLE ADD/DROP COLUMN`` (no table rebuild).
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0022'
down_revision: str | None = '0021'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('booking', sa.Column('payment_intent_id', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True))
    op.execute(
        "UPDATE booking SET payment_intent_id = "
        "(SELECT p.payment_intent_id FROM payment p WHERE p.booking_id = booking.id) "
        "WHERE payment_mode = 'stripe' "
        "AND EXISTS (SELECT 1 FROM payment p WHERE p.booking_id = booking.id "
        "AND p.payment_intent_id IS NOT NULL)"
    )


def downgrade() -> None:
    op.execute("ALTER TABLE booking DROP COLUMN payment_intent_id")
