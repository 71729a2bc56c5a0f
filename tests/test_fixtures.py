"""The suite's own database fixture: after a test, every table is empty again and every
identity starts from 1, on both backends, however few tables the test wrote (on
PostgreSQL ``_clean`` truncates only the tables it finds written: tests/conftest.py)."""

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlmodel import SQLModel

from tests.conftest import _clean

NOW = datetime(2026, 12, 7, tzinfo=UTC)


def _counts(db) -> dict[str, int]:
    with db.engine.connect() as conn:
        return {
            t.name: conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
            for t in SQLModel.metadata.sorted_tables
        }


def _insert_client(conn, name: str) -> int:
    table = SQLModel.metadata.tables["api_client"]
    values = {"name": name, "channel": "ota", "merchant_collects": False, "created_at": NOW}
    return conn.execute(table.insert().values(**values).returning(table.c.id)).scalar_one()


def test_clean_empties_written_tables_and_restarts_identities(db):
    table = SQLModel.metadata.tables["api_client"]
    with db.engine.begin() as conn:
        first = _insert_client(conn, "a")
        _insert_client(conn, "b")
        # A row written and deleted in the test: its table is empty, its sequence drawn.
        conn.execute(table.delete())
    with db.engine.begin() as conn:
        _insert_client(conn, "c")
    _clean(db)
    assert set(_counts(db).values()) == {0}
    with db.engine.begin() as conn:
        again = _insert_client(conn, "d")
    assert again == first
    _clean(db)
    assert set(_counts(db).values()) == {0}


def test_clean_of_a_table_drawn_from_but_empty_restarts_its_identity(db):
    table = SQLModel.metadata.tables["api_client"]
    with db.engine.begin() as conn:
        first = _insert_client(conn, "a")
        conn.execute(table.delete())
    _clean(db)
    with db.engine.begin() as conn:
        assert _insert_client(conn, "b") == first
