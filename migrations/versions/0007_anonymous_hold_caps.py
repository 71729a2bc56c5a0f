"""anonymous hold caps: the client address of an anonymous booking, as an HMAC

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 19:20:00

Anonymous unpaid holds are capped per product and per client address; the address is
kept only as an HMAC under the service's secret (``booking.client_address_hash``),
enough to count a caller's holds, never to show or log an address.
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401
from alembic import op

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('booking', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('client_address_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )
        batch_op.create_index(batch_op.f('ix_booking_client_address_hash'), ['client_address_hash'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('booking', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_booking_client_address_hash'))
        batch_op.drop_column('client_address_hash')
