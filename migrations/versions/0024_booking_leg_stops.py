"""booking_leg_stops: a booked transit leg keeps where it boards and alights

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-06 20:00:00

A quote's transit leg may say where it boards and alights (``from_destination_id``,
``to_destination_id``, two stops of its line); the quote keeps them in its stored
request and priced legs (JSON, no migration). The booking copies its legs into
``booking_leg``, names included (as its items copy their products' names), so each leg
now keeps its two stops as the quote named them (id, slug, Chinese and English
names), null for a leg booked without (and for every leg booked before).

Plain ``ALTER TABLE ADD/DROP COLUMN`` (no table rebuild).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _json() -> sa.types.TypeEngine:
    return sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.add_column("booking_leg", sa.Column("from_destination", _json(), nullable=True))
    op.add_column("booking_leg", sa.Column("to_destination", _json(), nullable=True))


def downgrade() -> None:
    op.execute("ALTER TABLE booking_leg DROP COLUMN to_destination")
    op.execute("ALTER TABLE booking_leg DROP COLUMN from_destination")
