"""pilot status of destinations, beds per unit of products (the province's reports)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 22:00:00

* ``destination.pilot_status``: ``reserve`` (储备), ``pilot`` (试点) or ``mature``
  (成熟), the stage of the pilot unit in the province's plan. Existing rows are filled
  by ``catalog.vocab.default_pilot_status`` (the demo loader's rule): a destination of
  the reserve directory is ``reserve``; one with two or more certifications ``mature``;
  any other ``pilot``.
* ``product.beds_per_unit``: beds (床位) in one unit of the product; existing rows get
  the product's base occupancy.

Plain ``ALTER TABLE ADD/DROP COLUMN`` (no table rebuild, so SQLite keeps the catalogue
version triggers of ``product``).
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from catalog.vocab import default_pilot_status

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        'destination',
        sa.Column('pilot_status', sa.String(length=10), nullable=False, server_default='pilot'),
    )
    op.add_column(
        'product',
        sa.Column('beds_per_unit', sa.Integer(), nullable=False, server_default='2'),
    )
    conn = op.get_bind()
    conn.execute(sa.text("UPDATE product SET beds_per_unit = base_occupancy"))
    dest = sa.table(
        'destination',
        sa.column('id', sa.Integer),
        sa.column('directory_status', sa.String),
        sa.column('certifications', sa.JSON),
        sa.column('pilot_status', sa.String),
    )
    for row in conn.execute(sa.select(dest.c.id, dest.c.directory_status, dest.c.certifications)):
        status = default_pilot_status(row.directory_status, row.certifications or [])
        conn.execute(dest.update().where(dest.c.id == row.id).values(pilot_status=status))


def downgrade() -> None:
    op.execute("ALTER TABLE product DROP COLUMN beds_per_unit")
    op.execute("ALTER TABLE destination DROP COLUMN pilot_status")
