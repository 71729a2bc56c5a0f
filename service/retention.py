"""Rows that only grow, purged once they are no longer needed, and the count of them.

What is purged, by whom and when (README, Operations, "What is purged"):

* the webhook outbox (``outbox_event`` and ``webhook_delivery``): by ``jilin worker``,
  events and their deliveries once ``JL_WEBHOOK_RETENTION_DAYS`` old, in batches
  (``service.webhooks.tasks.purge_outbox``);
* expired idempotency keys (``idempotency_key``) and ended rate-limit windows
  (``rate_limit_window``): by the sweeper (``service.worker.sweep``).

Each purge adds the rows it deleted to ``purged_rows`` in the transaction that deleted
them, so the count is exactly what was deleted, whichever process purged:
``/metrics`` reads it at each scrape as the counter ``jilin_rows_purged_total{table}``
(``service.metrics``), like every other figure read from the database there.
"""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Field, Session, SQLModel

from catalog.base import utc_column


class PurgedRows(SQLModel, table=True):
    """How many rows of a table the purges have deleted since the table was made."""

    __tablename__ = "purged_rows"

    table_name: str = Field(primary_key=True, max_length=40)
    rows: int = Field(sa_type=sa.BigInteger)
    last_purged_at: datetime = Field(sa_column=utc_column())


# The tables purged: each on /metrics from the start, 0 until its first purge.
TABLES = ("idempotency_key", "outbox_event", "rate_limit_window", "webhook_delivery")
_T = PurgedRows.__table__
READ = sa.select(_T.c.table_name, _T.c.rows)


def count_purged(session: Session, table: str, rows: int, now: datetime) -> int:
    """Add ``rows`` deleted from ``table`` to its count, in the caller's transaction (the
    one that deleted them); nothing when none. ``rows``, for the caller's report."""
    if rows:
        dialect = session.get_bind().dialect.name
        insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(_T)
        stmt = insert.values(table_name=table, rows=rows, last_purged_at=now)
        stmt = stmt.on_conflict_do_update(
            index_elements=[_T.c.table_name],
            set_={"rows": _T.c.rows + stmt.excluded.rows, "last_purged_at": now},
        )
        session.execute(stmt)
    return rows
