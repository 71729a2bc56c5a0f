"""catalogue version: themes, corridors and curated routes bump it too (the catalogue
pages are cached under it)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-05 21:30:00

The catalogue pages (home with its curated routes, the destinations list with its theme
filter, a destination, a product) are rendered once per catalogue version
(``service.pages.web.cached_page``). Besides the tables that already bump it (0005,
0009's calendar columns, 0013's ``destination``), they show a destination's themes and
corridors and the curated routes with their stops: a write to ``destination_theme``,
``destination_corridor``, ``route`` or ``route_stop`` now bumps the version as well
(same function on PostgreSQL, same upsert on SQLite), so no writer, plain SQL included,
can change a page without the next load seeing it.
"""
from collections.abc import Sequence

from alembic import op

revision: str = '0017'
down_revision: str | None = '0016'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("destination_theme", "destination_corridor", "route", "route_stop")
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
