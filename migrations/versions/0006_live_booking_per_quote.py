"""one live booking per quote

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 19:00:00

A quote backs one live booking at a time (pending_payment, confirmed or completed):
a partial unique index on ``booking.quote_id`` over those statuses. It is what makes
the rule hold when two requests book one quote at the same moment; the booking
service checks first so the usual case is a clean 409 ``quote_already_booked``.

Before this revision a quote could be booked several times. If a database holds such
bookings, creating the index fails naming ``uq_booking_live_quote``; cancel the extra
bookings (or point them at quotes of their own) and migrate again.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LIVE = "status IN ('pending_payment', 'confirmed', 'completed')"


def upgrade() -> None:
    op.create_index(
        'uq_booking_live_quote',
        'booking',
        ['quote_id'],
        unique=True,
        sqlite_where=sa.text(LIVE),
        postgresql_where=sa.text(LIVE),
    )


def downgrade() -> None:
    op.drop_index('uq_booking_live_quote', table_name='booking')
