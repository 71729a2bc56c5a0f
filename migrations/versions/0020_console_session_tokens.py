"""console_session_tokens: mark the tokens a console login issues

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06 05:05:00

A console login revoked the account's live tokens labelled ``console`` older than a
session (12 h), but ``POST /v1/admin/tokens`` takes any label: an integration token
labelled "console" was revoked by its account's next console login.
``operator_token.console_session`` is set by the console's login only; the revocation
reads it, not the label.

Existing rows are left ``false``: a ``console`` label cannot tell the console's tokens
from an API client's, and revoking a client's token is worse than leaving a lapsed
console token live (its plaintext was only ever in the browser's signed cookie; a new
login from that browser still revokes it, and ``DELETE /v1/admin/tokens/{id}`` does).

Plain ``ALTER TABLE ADD/DROP COLUMN`` (no table rebuild).
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0020'
down_revision: str | None = '0019'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        'operator_token',
        sa.Column('console_session', sa.Boolean(), nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    op.execute("ALTER TABLE operator_token DROP COLUMN console_session")
