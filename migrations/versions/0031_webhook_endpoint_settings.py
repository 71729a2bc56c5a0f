"""webhook_endpoint settings: paused endpoints and the event types an endpoint takes

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-07 23:15:00

A partner changes an endpoint (``PATCH /v1/webhook-endpoints/{id}``): its URL, the event
types it takes, paused or not.

* ``webhook_endpoint.enabled`` (true for every endpoint so far) and ``enabled_at``: a
  paused endpoint is sent nothing; enabled again, it gets the events made from
  ``enabled_at`` on (null: from ``created_at``, as before).
* ``webhook_endpoint_event_type``: the event types an endpoint takes, one row each; an
  endpoint with none (every endpoint so far) takes every type.

Plain ``ALTER TABLE ADD/DROP COLUMN`` (no table rebuild).
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import catalog.base

revision: str = '0031'
down_revision: str | None = '0030'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        'webhook_endpoint',
        sa.Column('enabled', sa.Boolean(), server_default=sa.true(), nullable=False),
    )
    op.add_column(
        'webhook_endpoint',
        sa.Column('enabled_at', catalog.base.UTCDateTime(timezone=True), nullable=True),
    )
    op.create_table(
        'webhook_endpoint_event_type',
        sa.Column('endpoint_id', sa.Integer(), nullable=False),
        sa.Column('event_type', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ['endpoint_id'],
            ['webhook_endpoint.id'],
            name=op.f('fk_webhook_endpoint_event_type_endpoint_id_webhook_endpoint'),
        ),
        sa.PrimaryKeyConstraint(
            'endpoint_id', 'event_type', name=op.f('pk_webhook_endpoint_event_type')
        ),
    )


def downgrade() -> None:
    op.drop_table('webhook_endpoint_event_type')
    op.execute("ALTER TABLE webhook_endpoint DROP COLUMN enabled_at")
    op.execute("ALTER TABLE webhook_endpoint DROP COLUMN enabled")
