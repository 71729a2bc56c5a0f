"""outbox_retention: the outbox is read by time, and purged rows are counted

Revision ID: 0032
Revises: 0031
Create Date: 2026-12-07 23:30:00

The webhook outbox (``outbox_event``, ``webhook_delivery``) was never purged, and the
/metrics gauges of the fan-out (``jilin_webhook_events_unsent_oldest_seconds``,
``jilin_webhook_deliveries_lost``) and the worker's fan-out read every event of each
partner with an endpoint, however old, through ``(client_id, id)``.

* ``ix_outbox_event_client_id_created_at`` replaces ``ix_outbox_event_client_id_id``
  (nothing read events by a partner's ids in order): the fan-out reads a partner's last
  3 days, the gauges its events since its endpoint was registered, which the purge keeps
  to ``JL_WEBHOOK_RETENTION_DAYS``.
* ``ix_outbox_event_created_at``: the purge reads the oldest events first, every worker
  pass, without a scan of the table.
* ``purged_rows``: how many rows each purge has deleted, per table, written in the
  deleting transaction (``service.retention``), read at each scrape as
  ``jilin_rows_purged_total{table}``.

Plain ``CREATE``/``DROP INDEX`` (no table rebuild). On PostgreSQL the index builds lock
the outbox against writes while they run: about a second for 100,000 events
(bench/results/outbox.md).
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import catalog.base

revision: str = '0032'
down_revision: str | None = '0031'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'purged_rows',
        sa.Column('table_name', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column('rows', sa.BigInteger(), nullable=False),
        sa.Column('last_purged_at', catalog.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('table_name', name=op.f('pk_purged_rows')),
    )
    op.create_index(
        'ix_outbox_event_client_id_created_at', 'outbox_event', ['client_id', 'created_at']
    )
    op.create_index('ix_outbox_event_created_at', 'outbox_event', ['created_at'])
    op.drop_index('ix_outbox_event_client_id_id', table_name='outbox_event')


def downgrade() -> None:
    op.create_index('ix_outbox_event_client_id_id', 'outbox_event', ['client_id', 'id'])
    op.drop_index('ix_outbox_event_created_at', table_name='outbox_event')
    op.drop_index('ix_outbox_event_client_id_created_at', table_name='outbox_event')
    op.drop_table('purged_rows')
