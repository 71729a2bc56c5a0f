"""operator desk: the front desk's stay status, who made a rule version

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 19:36:00

* ``booking_item.stay_status`` / ``stay_status_at``: checked in, completed or no-show,
  recorded by the destination's front desk for its own stay item.
* ``discount_rule_version.created_by``: the operator login that made the version.

Plain ``ALTER TABLE ADD COLUMN`` (no table rebuild, so SQLite keeps the catalogue
version triggers of ``discount_rule_version``).
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import catalog.base

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SQLITE_BUMP = (
    "INSERT INTO catalogue_version (id, version) "
    "VALUES (1, random() & 4611686018427387903) "
    "ON CONFLICT (id) DO UPDATE SET version = catalogue_version.version + 1"
)


def upgrade() -> None:
    op.add_column('booking_item', sa.Column('stay_status', sa.String(length=20), nullable=True))
    op.add_column(
        'booking_item',
        sa.Column('stay_status_at', catalog.base.UTCDateTime(timezone=True), nullable=True),
    )
    op.add_column(
        'discount_rule_version', sa.Column('created_by', sa.String(length=80), nullable=True)
    )


def downgrade() -> None:
    with op.batch_alter_table('discount_rule_version', schema=None) as batch_op:
        batch_op.drop_column('created_by')
    if op.get_bind().dialect.name == "sqlite":  # the rebuild dropped its triggers
        for op_name in ("INSERT", "UPDATE", "DELETE"):
            name = f"catalogue_version_discount_rule_version_{op_name.lower()}"
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
            op.execute(
                f'CREATE TRIGGER {name} AFTER {op_name} ON "discount_rule_version" '
                f"BEGIN {_SQLITE_BUMP}; END"
            )
    with op.batch_alter_table('booking_item', schema=None) as batch_op:
        batch_op.drop_column('stay_status_at')
        batch_op.drop_column('stay_status')
