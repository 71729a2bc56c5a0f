"""catalogue version: one row that every write to the pricing terms bumps (by trigger)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 12:20:00

``catalogue_version`` holds one row (id 1). Database triggers on every table a quote
reads as catalogue terms bump its ``version`` in the writer's own transaction, so no
writer (our code, the demo loader, an operator's plain SQL) can forget to: quote
workers cache terms keyed by that version (``service.quotes.cache``).

* The bump is an upsert: if the row is missing (a test emptied every table, a restore
  without it) it is re-created at a random value in [0, 2**62), so a version number
  never comes back with other terms behind it; otherwise ``version + 1``.
* SQLite: row-level AFTER INSERT/UPDATE/DELETE triggers (SQLite has no statement-level
  ones). PostgreSQL: statement-level AFTER INSERT/UPDATE/DELETE/TRUNCATE triggers
  calling one function.
* Not versioned on purpose: ``inventory_night`` and ``ticket_stub`` (bookings change them
  all the time; quotes read stubs per request), ``destination`` and the rest (quotes do
  not read them).
* SQLite drops a table's triggers with the table: a later migration that rebuilds one
  of these tables with ``batch_alter_table`` must create its triggers again
  (``tests/service/test_quotes_cache.py`` fails if one is missing).
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The tables whose rows are pricing terms of a quote (frozen here: a migration must not
# follow later code changes).
VERSIONED_TABLES = (
    "product",
    "season",
    "add_on_pack",
    "product_pack",
    "transit_line",
    "discount_rule",
    "discount_rule_version",
)
FUNCTION = "bump_catalogue_version"

_SQLITE_BUMP = (
    "INSERT INTO catalogue_version (id, version) "
    "VALUES (1, random() & 4611686018427387903) "
    "ON CONFLICT (id) DO UPDATE SET version = catalogue_version.version + 1"
)
_PG_BUMP = (
    "INSERT INTO catalogue_version (id, version) "
    "VALUES (1, floor(random() * 4611686018427387904)::bigint) "
    "ON CONFLICT (id) DO UPDATE SET version = catalogue_version.version + 1"
)


def _trigger(table: str, op_name: str | None = None) -> str:
    return f"catalogue_version_{table}" + (f"_{op_name.lower()}" if op_name else "")


def upgrade() -> None:
    op.create_table('catalogue_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.BigInteger(), nullable=False),
    sa.CheckConstraint('id = 1', name=op.f('ck_catalogue_version_one_row')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_catalogue_version'))
    )
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute("INSERT INTO catalogue_version (id, version) "
                   "VALUES (1, floor(random() * 4611686018427387904)::bigint)")
        op.execute(
            f"CREATE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
            f"BEGIN\n  {_PG_BUMP};\n  RETURN NULL;\nEND\n$$"
        )
        for table in VERSIONED_TABLES:
            op.execute(
                f'CREATE TRIGGER {_trigger(table)} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE '
                f'ON "{table}" FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()'
            )
    elif dialect == "sqlite":
        op.execute("INSERT INTO catalogue_version (id, version) "
                   "VALUES (1, random() & 4611686018427387903)")
        for table in VERSIONED_TABLES:
            for op_name in ("INSERT", "UPDATE", "DELETE"):
                op.execute(
                    f'CREATE TRIGGER {_trigger(table, op_name)} AFTER {op_name} ON "{table}" '
                    f"BEGIN {_SQLITE_BUMP}; END"
                )
    else:  # pragma: no cover - the project runs on SQLite and PostgreSQL only
        raise NotImplementedError(f"catalogue version triggers for {dialect}")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        for table in VERSIONED_TABLES:
            op.execute(f'DROP TRIGGER IF EXISTS {_trigger(table)} ON "{table}"')
        op.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}()")
    elif dialect == "sqlite":
        for table in VERSIONED_TABLES:
            for op_name in ("INSERT", "UPDATE", "DELETE"):
                op.execute(f"DROP TRIGGER IF EXISTS {_trigger(table, op_name)}")
    op.drop_table('catalogue_version')
