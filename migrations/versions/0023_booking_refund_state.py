"""booking_refund_state: a booking says whether its Stripe refunds are made

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-06 20:00:00

``booking.refunded_fen`` was written when a refund was *decided* (the cancel, a payment
that landed after the booking ended), while the refund itself is only requested then
and made at Stripe later by the worker; with no worker running, or a refund Stripe
refused, every answer said the money was back. ``refunded_fen`` now counts the refunds
Stripe has confirmed (``succeeded``); ``refund_requested_fen`` is what was asked of
Stripe and ``refund_status`` (``pending``, ``succeeded``, ``failed``; NULL: no refund
through Stripe) where it stands (``service/payments/refund_state.py``).

Existing bookings with refunds get them from their ``refund`` rows; a partner's
(``merchant_collects``) refunds have no rows and keep ``refunded_fen`` as it was. That
UPDATE gives those bookings a new ``change_seq`` (the trigger of 0008/0019), so a
partner's feed lists them once more, their ``version`` unchanged.

Plain ``ALTER TABLE ADD/DROP COLUMN`` (no table rebuild).
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0023'
down_revision: str | None = '0022'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ALL = "SELECT COALESCE(SUM(r.amount_fen), 0) FROM refund r WHERE r.booking_id = booking.id"
_DONE = _ALL + " AND r.status = 'succeeded'"


def _any(status: str) -> str:
    return f"EXISTS (SELECT 1 FROM refund r WHERE r.booking_id = booking.id AND r.status = '{status}')"


def upgrade() -> None:
    op.add_column('booking', sa.Column('refund_requested_fen', sa.BigInteger(), nullable=False, server_default='0'))
    op.add_column('booking', sa.Column('refund_status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True))
    op.execute(
        f"UPDATE booking SET refund_requested_fen = ({_ALL}), "
        f"refunded_fen = CASE WHEN ({_DONE}) > total_fen THEN total_fen ELSE ({_DONE}) END, "
        f"refund_status = CASE WHEN {_any('failed')} THEN 'failed' "
        f"WHEN {_any('pending')} THEN 'pending' ELSE 'succeeded' END "
        "WHERE EXISTS (SELECT 1 FROM refund r WHERE r.booking_id = booking.id)"
    )


def downgrade() -> None:
    op.execute(
        "UPDATE booking SET refunded_fen = CASE WHEN refund_requested_fen > total_fen "
        "THEN total_fen ELSE refund_requested_fen END WHERE refund_status IS NOT NULL"
    )
    op.execute("ALTER TABLE booking DROP COLUMN refund_status")
    op.execute("ALTER TABLE booking DROP COLUMN refund_requested_fen")
