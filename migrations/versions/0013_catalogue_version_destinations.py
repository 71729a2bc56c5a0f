"""catalogue version: destinations bump it too (catalogue responses are cached under it)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04 19:40:00

The product list and detail show each product's destination (name, slug, kind,
prefecture) and filter by it, and are cached per catalogue version
(``service.catalog.responses``): a write to ``destination`` now bumps the version like
a write to the pricing terms (same function on PostgreSQL, same upsert on SQLite).
"""
from collections.abc import Sequence

from alembic import op

revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("destination",)
FUNCTION = "bump_catalogue_version"
_SQLITE_BUMP = (
    "INSERT INTO catalogue_version (id, version) "
    "VALUES (1, random() & 4611686018427387903) "
    "ON CONFLICT (id) DO UPDATE SET version = catalogue_version.version + 1"
)


def _trigger(table: str, op_name: str | None = None) -> str:
    return f"catalogue_version_{table}" + (f"_{op_name.lower()}" if op_name else "")


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    for table in TABLES:
        if dialect == "postgresql":
            op.execute(
                f'CREATE TRIGGER {_trigger(table)} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE '
                f'ON "{table}" FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()'
            )
        elif dialect == "sqlite":
            for op_name in ("INSERT", "UPDATE", "DELETE"):
                op.execute(
                    f'CREATE TRIGGER {_trigger(table, op_name)} AFTER {op_name} ON "{table}" '
                    f"BEGIN {_SQLITE_BUMP}; END"
                )
        else:  # pragma: no cover - the project runs on SQLite and PostgreSQL only
            raise NotImplementedError(f"catalogue version triggers for {dialect}")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for table in TABLES:
        if dialect == "postgresql":
            op.execute(f'DROP TRIGGER IF EXISTS {_trigger(table)} ON "{table}"')
        elif dialect == "sqlite":
            for op_name in ("INSERT", "UPDATE", "DELETE"):
                op.execute(f"DROP TRIGGER IF EXISTS {_trigger(table, op_name)}")
