"""webhook_endpoint.previous_secret: a rotated secret keeps signing for 24 hours

Revision ID: 0034
Revises: 0033
Create Date: 2026-12-07 23:55:00

``POST /v1/webhook-endpoints/{id}/rotate-secret`` gives an endpoint a new secret; the
one it replaces signs beside it (a second ``v1`` in ``Jilin-Signature``) until
``previous_secret_expires_at``, so a partner can switch its receiver without refusing
a delivery. Both null: no previous secret (every endpoint so far).

Plain ``ALTER TABLE ADD/DROP COLUMN`` (no table rebuild).
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import catalog.base

revision: str = '0034'
down_revision: str | None = '0033'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        'webhook_endpoint',
        sa.Column('previous_secret', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
    )
    op.add_column(
        'webhook_endpoint',
        sa.Column(
            'previous_secret_expires_at', catalog.base.UTCDateTime(timezone=True), nullable=True
        ),
    )


def downgrade() -> None:
    op.execute("ALTER TABLE webhook_endpoint DROP COLUMN previous_secret_expires_at")
    op.execute("ALTER TABLE webhook_endpoint DROP COLUMN previous_secret")
