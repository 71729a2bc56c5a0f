"""operator_login_case: one account per login whatever its case

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-07 02:30:00

Logins were compared as typed: ``ok-staff`` and ``OK-STAFF`` could be two accounts, and
``DEMO-province`` did not log in as ``demo-province``. A unique index on
``lower(login)`` keeps one account per login whatever its case, and logging in compares
``lower(login)`` with ``lower(:login)`` (it serves that lookup too). The stored login
keeps the case it was typed in.

Existing accounts whose logins differ only in case would break the index: the upgrade
stops before creating it and names them, so that an operator renames (or disables and
renames) one of each pair first; nothing is renamed behind anyone's back.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0026'
down_revision: str | None = '0025'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    clashes = op.get_bind().execute(
        sa.text(
            "SELECT lower(login) FROM operator_account GROUP BY lower(login) "
            "HAVING count(*) > 1 ORDER BY lower(login)"
        )
    ).scalars().all()
    if clashes:
        raise RuntimeError(
            "operator logins that differ only in case: "
            + ", ".join(clashes)
            + ". Rename one account of each (UPDATE operator_account SET login = ...) "
            "and run the upgrade again."
        )
    op.create_index(
        'uq_operator_account_login_lower',
        'operator_account',
        [sa.text('lower(login)')],
        unique=True,
    )


def downgrade() -> None:
    op.drop_index('uq_operator_account_login_lower', table_name='operator_account')
