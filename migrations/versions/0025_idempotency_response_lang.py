"""idempotency_key.response_lang: the language of the recorded response

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-06 23:00:00

A replay (same Idempotency-Key, same request) sends the first response's bytes, in the
first request's language, but was labelled with the retry's ``Content-Language``. The
record now keeps the language it was rendered in, and a replay says it.

Existing rows are left NULL: records live 24 hours; a replay of one made before this
migration is labelled as before (the retry's language).

Plain ``ALTER TABLE ADD/DROP COLUMN`` (no table rebuild).
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0025'
down_revision: str | None = '0024'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        'idempotency_key',
        sa.Column('response_lang', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=True),
    )


def downgrade() -> None:
    op.execute("ALTER TABLE idempotency_key DROP COLUMN response_lang")
