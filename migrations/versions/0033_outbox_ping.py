"""outbox_event.booking_id nullable: a webhook endpoint's ping is an event of no booking

Revision ID: 0033
Revises: 0032
Create Date: 2026-12-07 23:30:00

``POST /v1/webhook-endpoints/{id}/ping`` queues a ``ping`` event to that endpoint alone,
delivered, signed and listed like any other: it is an ``outbox_event`` row (its
``evt_<id>`` and body come from there) with no booking, and a ``webhook_delivery`` made
with it (the fan-out never gives a ``ping`` to another endpoint).

SQLite changes a column's nullability by rebuilding the table (alembic's batch mode;
``outbox_event`` has no triggers). The downgrade removes the pings and their deliveries
first.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0033'
down_revision: str | None = '0032'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('outbox_event', schema=None) as batch_op:
        batch_op.alter_column('booking_id', existing_type=sa.Integer(), nullable=True)


def downgrade() -> None:
    op.execute(
        "DELETE FROM webhook_delivery WHERE outbox_event_id IN "
        "(SELECT id FROM outbox_event WHERE booking_id IS NULL)"
    )
    op.execute("DELETE FROM outbox_event WHERE booking_id IS NULL")
    with op.batch_alter_table('outbox_event', schema=None) as batch_op:
        batch_op.alter_column('booking_id', existing_type=sa.Integer(), nullable=False)
