"""The schema is made only by Alembic; it must match the models on both backends."""

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

import service.models  # noqa: F401
from service.migrate import downgrade, upgrade


def _fresh_url(request, backend: str) -> str:
    if backend == "sqlite":
        return f"sqlite:///{request.getfixturevalue('tmp_path')}/m.db"
    return request.getfixturevalue("pg_server").create("mig")


def test_upgrade_to_head_matches_models(request, backend):
    url = _fresh_url(request, backend)
    upgrade(url)
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(ctx, SQLModel.metadata)
    engine.dispose()
    assert diff == []


def test_downgrade_to_base_leaves_no_tables(request, backend):
    url = _fresh_url(request, backend)
    upgrade(url)
    downgrade(url, "base")
    engine = sa.create_engine(url)
    names = set(sa.inspect(engine).get_table_names())
    engine.dispose()
    assert names <= {"alembic_version"}


def test_rate_limit_counts_skip_the_wal_on_postgresql(request, backend):
    """The per-minute counts are UNLOGGED on PostgreSQL (no WAL flush per counted
    request); every table that holds a record of business stays logged."""
    if backend != "postgresql":
        pytest.skip("SQLite has no unlogged tables")
    url = _fresh_url(request, backend)
    upgrade(url)
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        rows = dict(
            conn.execute(
                sa.text(
                    "SELECT relname, relpersistence FROM pg_class "
                    "WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace"
                )
            ).all()
        )
    engine.dispose()
    assert rows.pop("rate_limit_window") == "u"
    assert set(rows.values()) == {"p"}
