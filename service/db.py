"""Engines and sessions. Transactions are opened and committed by ``service.runner``
only; services and repositories only ``flush()``. SQLite ignores ``SELECT ... FOR UPDATE``, so
a *write session* there starts with ``BEGIN IMMEDIATE`` (takes the write lock up
front); on PostgreSQL rows are locked explicitly (see ``catalog.inventory``).
"""

import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session

from service.settings import Settings

# PostgreSQL pool: ping a connection on checkout only after this long idle in the pool,
# and replace connections after an hour whatever happens (see ``_ping_if_idle``).
PING_IF_IDLE_SECONDS = 2.0
RECYCLE_SECONDS = 3600
_IDLE_SINCE = "jl_idle_since"


def ensure_sqlite_dir(database_url: str) -> None:
    """Create the folder of a SQLite file database (``var/`` on a fresh clone), so that
    migrating or serving works before anything else has run."""
    url = sa.make_url(database_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)


def make_engine(settings: Settings) -> Engine:
    url = sa.make_url(settings.database_url)
    if url.get_backend_name() == "sqlite":
        if not url.database or url.database == ":memory:":
            engine = sa.create_engine(
                url,
                connect_args={"check_same_thread": False},
                poolclass=sa.pool.StaticPool,
                hide_parameters=True,
            )
            _configure_sqlite(engine, settings)
            return engine
        ensure_sqlite_dir(settings.database_url)
        engine = sa.create_engine(
            url,
            connect_args={
                "check_same_thread": False,
                "timeout": settings.sqlite_busy_timeout_ms / 1000,
            },
            pool_size=settings.db_pool_size,
            max_overflow=20,
            hide_parameters=True,
        )
        _configure_sqlite(engine, settings)
        return engine
    engine = sa.create_engine(
        url,
        pool_size=settings.db_pool_size,
        max_overflow=10,
        pool_recycle=RECYCLE_SECONDS,
        hide_parameters=True,
    )
    _ping_if_idle(engine)
    return engine


def _ping_if_idle(engine: Engine) -> None:
    """Check a pooled connection with a round trip only if it sat idle in the pool.

    ``pool_pre_ping`` costs one round trip on *every* checkout (two per booking). A
    connection that went back to the pool moments ago is as good as the last statement
    it ran, so only one idle for ``PING_IF_IDLE_SECONDS`` or more is pinged
    (the case pre-ping exists for: the server restarted, or an idle connection was
    cut); a dead one invalidates the pool (every connection older than now is replaced)
    and the checkout is retried on a fresh connection. A database lost *while* busy
    fails the statements in flight, which no ping could have saved; SQLAlchemy then
    sees the disconnect and invalidates the pool the same way, so only those fail.
    """

    @event.listens_for(engine, "checkin")
    def _idle_from(_dbapi_conn, record) -> None:
        if record is not None:
            record.info[_IDLE_SINCE] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping(dbapi_conn, record, _proxy) -> None:
        idle_since = record.info.get(_IDLE_SINCE)
        if idle_since is None or time.monotonic() - idle_since < PING_IF_IDLE_SECONDS:
            return
        try:
            engine.dialect.do_ping(dbapi_conn)
        except engine.dialect.loaded_dbapi.Error as exc:
            if engine.dialect.is_disconnect(exc, dbapi_conn, None):
                raise sa.exc.InvalidatePoolError(str(exc)) from exc
            raise


def _configure_sqlite(engine: Engine, settings: Settings) -> None:
    busy_ms = settings.sqlite_busy_timeout_ms

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record) -> None:
        # Let SQLAlchemy emit BEGIN itself so we can choose DEFERRED or IMMEDIATE.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute(f"PRAGMA busy_timeout={int(busy_ms)}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")


@dataclass(frozen=True, slots=True)
class Probe:
    """One read of one value that changes whenever the rows something shows change (a
    booking's ``change_seq``): plain SQL with named parameters (``:name``), which both
    SQLAlchemy and the sqlite3 module run as written, so a kept page can be checked on
    PostgreSQL in one round trip and on SQLite without a thread hop
    (``service.catalog.responses.VersionWatch.probe``)."""

    sql: str
    params: Mapping[str, Any]

    def read(self, conn: sa.Connection) -> Any:
        return conn.execute(sa.text(self.sql), dict(self.params)).scalar()


class Database:
    """Holds the engine; hands out read and write sessions."""

    def __init__(self, settings: Settings, engine: Engine | None = None) -> None:
        self.settings = settings
        self.engine = engine or make_engine(settings)
        self._write_engine = (
            self.engine.execution_options(sqlite_begin="IMMEDIATE")
            if self.engine.dialect.name == "sqlite"
            else self.engine
        )

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

    def write_session(self) -> Session:
        return Session(self._write_engine, expire_on_commit=False)

    def write_connection(self) -> sa.Connection:
        """A Core connection for a short write transaction of Core statements only (no
        ORM session to build); ``commit()`` it, or it rolls back when closed."""
        return self._write_engine.connect()

    def dispose(self) -> None:
        self.engine.dispose()
