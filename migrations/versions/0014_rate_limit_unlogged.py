"""rate-limit windows unlogged on PostgreSQL

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04 22:15:00

``rate_limit_window`` holds per-minute request counts (``service.ratelimit``). Every
request with an API key upserts one row; as a logged table each such write waited for
a WAL flush of its own (in autocommit, the quote path's first write). Unlogged, the
count is written without WAL: a crash of the database empties the table, which resets
the current minute's counts and nothing else (the limit is a guard, not a record).
SQLite has no unlogged tables: nothing to do there.
"""
from collections.abc import Sequence

from alembic import op

revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE rate_limit_window SET UNLOGGED")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE rate_limit_window SET LOGGED")
