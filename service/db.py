"""Engines and sessions. Transactions are opened and committed by ``service.runner``
only; services and repositories only ``flush()``. SQLite ignores ``SELECT ... FOR UPDATE``, so
a *write session* there starts with ``BEGIN IMMEDIATE`` (takes the write lock up
front); on PostgreSQL rows are locked explicitly (see ``catalog.inventory``).
"""

import asyncio
import functools
import logging
import os
import socket
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import sqlalchemy as sa
from prometheus_client import Counter
from sqlalchemy import event
from sqlalchemy.dialects.postgresql import asyncpg as pg_asyncpg
from sqlalchemy.engine import Engine
from sqlmodel import Session

from service.settings import Settings

# PostgreSQL pool: ping a connection on checkout only after this long idle in the pool,
# and replace connections after an hour whatever happens (see ``_ping_if_idle``).
PING_IF_IDLE_SECONDS = 2.0
RECYCLE_SECONDS = 3600
_IDLE_SINCE = "jl_idle_since"
# PostgreSQL one-value reads on the event loop (``AsyncReads``): connections per worker
# and event loop, and how long making one may take before the read goes to a thread
# (a read as a whole is limited by ``Settings.loop_read_timeout_ms``).
ASYNC_READ_CONNECTIONS = 4
ASYNC_CONNECT_TIMEOUT_SECONDS = 2
# Their ``application_name`` (how an operator finds them in ``pg_stat_activity``).
ASYNC_READS_APPLICATION = "jilin-reads-on-loop"
# TCP keepalives on them (named as libpq names them, set on the socket by ``_keep_alive``:
# idle seconds before the first probe, seconds between probes, probes lost before the
# kernel calls the connection dead), and how long one may
# sit idle, or live at all, before it is closed and a new one made (as the pool's
# ``_ping_if_idle`` and ``RECYCLE_SECONDS``: a connection cut while idle, by a firewall
# or a restart, is not found by a read that then waits on it).
ASYNC_KEEPALIVES = {
    "keepalives": 1,
    "keepalives_idle": 30,
    "keepalives_interval": 10,
    "keepalives_count": 3,
}
ASYNC_MAX_IDLE_SECONDS = 60.0
# How often a falling back is logged: its first time for each reason, then every Nth.
FALLBACK_LOG_EVERY = 100

log = logging.getLogger("jilin.db")

# In this module, not ``service.metrics`` (which imports this one): registered all the
# same, so ``GET /metrics`` shows it.
LOOP_READ_FALLBACKS = Counter(
    "jilin_loop_read_fallbacks_total",
    "Reads on the event loop (PostgreSQL's one-value reads, SQLite's first views) that "
    "went to the thread pool instead, by reason "
    "(timeout: no slot or no answer in time; connection: could not connect or the "
    "connection broke; error: the statement failed; busy: SQLite's database busy, or "
    "its connection for reads on the event loop in use)",
    ["reason"],
)


def sqlite_file(database_url: str) -> Path | None:
    """The file of a SQLite file database (relative to the working folder, as SQLite
    opens it), else None (PostgreSQL, an in-memory database, a ``file:`` URI)."""
    url = sa.make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    if url.query.get("uri") or url.database.startswith("file:"):
        return None
    return Path(url.database)


def ensure_sqlite_dir(database_url: str) -> None:
    """Create the folder of a SQLite file database (``var/`` on a fresh clone), so that
    migrating or serving works before anything else has run."""
    path = sqlite_file(database_url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)


def sqlite_file_missing(database_url: str) -> bool:
    """Whether the database is a SQLite file that does not exist: connecting would create
    it, empty (and its folder), so a command that needs a migrated database refuses
    first (``service.cli``)."""
    path = sqlite_file(database_url)
    return path is not None and not path.exists()


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
    booking's ``change_seq``, the catalogue version): plain SQL with named parameters
    (``:name``), which both SQLAlchemy and the sqlite3 module run as written, so a kept
    page can be checked without a thread hop: on SQLite by
    ``service.catalog.responses.VersionWatch.probe``, on PostgreSQL in one round trip by
    ``AsyncReads`` (which has SQLAlchemy render it for asyncpg)."""

    sql: str
    params: Mapping[str, Any]

    def read(self, conn: sa.Connection) -> Any:
        return conn.execute(_text(self.sql), dict(self.params)).scalar()

    def and_(self, other: "Probe") -> "Probe":
        """One probe that reads this and ``other`` in one statement (each as a scalar
        subquery, ``joined``): its value changes whenever either's does. Their
        parameters' names must differ."""
        if shared := set(self.params) & set(other.params):
            raise ValueError(f"probes share parameters {sorted(shared)}")
        return Probe(
            f"SELECT {joined(f'({self.sql})', f'({other.sql})')}",
            {**self.params, **other.params},
        )


@functools.lru_cache(maxsize=256)
def _text(sql: str) -> sa.TextClause:
    """``sa.text(sql)``, built once per SQL (a probe's SQL depends on its shape, not on
    its values)."""
    return sa.text(sql)


def joined(*parts: str) -> str:
    """SQL values ``parts`` as one text, ``/`` between them, a NULL as the empty text in
    its place (so two reads compare equal exactly when every part does; ``concat_ws``
    would drop a NULL and its place with it). The same SQL on both databases."""
    return " || '/' || ".join(f"coalesce(CAST({part} AS TEXT), '')" for part in parts)


# What ``AsyncReads.value`` returns when it could not read (then read in a thread).
NOT_READ: Any = object()


def fell_back(counts: dict[str, int], reason: str, exc: Exception | None) -> Any:
    """Count (and now and then log) a read on the event loop going to the thread pool
    (``counts``: the reader's own, by reason): ``NOT_READ``."""
    LOOP_READ_FALLBACKS.labels(reason).inc()
    seen = counts[reason] = counts.get(reason, 0) + 1
    if (seen - 1) % FALLBACK_LOG_EVERY == 0:
        # The error's class and code only: its message may quote a parameter.
        what = "no answer in time" if exc is None else type(exc).__name__
        sqlstate = getattr(exc, "sqlstate", None)
        code = f"SQLSTATE {sqlstate}" if sqlstate else getattr(exc, "sqlite_errorname", None)
        log.warning(
            "read on the event loop went to a thread (%s: %s%s; %d so far)",
            reason,
            what,
            f", {code}" if code else "",
            seen,
        )
    return NOT_READ


class _LoopReads:
    """One event loop's connections: at most ``size`` open, each running one query at a
    time (the semaphore), the idle ones in a list with when each was made and last
    used."""

    def __init__(self, loop: asyncio.AbstractEventLoop, size: int) -> None:
        self.loop = loop
        self.slots = asyncio.Semaphore(size)
        self.idle: list[tuple[asyncpg.Connection, float]] = []
        self.born: dict[asyncpg.Connection, float] = {}

    def take(self) -> asyncpg.Connection | None:
        """An idle connection still young enough, the others closed; ``None`` if none."""
        now = time.monotonic()
        while self.idle:
            conn, since = self.idle.pop()
            if (
                now - since < ASYNC_MAX_IDLE_SECONDS
                and now - self.born.get(conn, now) < RECYCLE_SECONDS
                and not conn.is_closed()
            ):
                return conn
            self.drop(conn)
        return None

    def put_back(self, conn: asyncpg.Connection) -> None:
        self.idle.append((conn, time.monotonic()))

    def drop(self, conn: asyncpg.Connection) -> None:
        """Close ``conn`` now: on its own loop by asyncpg, from any other thread or a
        closed loop by shutting its socket down (its loop, if still running, then sees
        the connection end by itself)."""
        self.born.pop(conn, None)
        try:
            here = asyncio.get_running_loop() is self.loop
        except RuntimeError:
            here = False
        if here:
            conn.terminate()
        else:
            _shut_down(conn)

    def drop_all(self) -> None:
        self.idle.clear()
        for conn in list(self.born):
            self.drop(conn)


def _socket(conn: asyncpg.Connection) -> Any:
    # asyncpg has no public accessor for its transport.
    return conn._transport.get_extra_info("socket")


def _shut_down(conn: asyncpg.Connection) -> None:
    """Shut ``conn``'s TCP connection down (the server sees it end), usable from any
    thread: on a duplicate of its socket, so its own stays for its transport to close."""
    try:
        dup = socket.socket(fileno=os.dup(_socket(conn).fileno()))
    except (OSError, AttributeError):
        return  # already closed
    with dup:
        try:
            dup.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def _keep_alive(conn: asyncpg.Connection) -> None:
    """TCP keepalives on ``conn`` (``ASYNC_KEEPALIVES``) as libpq sets them: asyncpg does
    not."""
    sock = _socket(conn)
    if sock is None or sock.family not in (socket.AF_INET, socket.AF_INET6):
        return  # a Unix socket: nothing to keep alive
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
    for option, value in (
        ("TCP_KEEPIDLE", ASYNC_KEEPALIVES["keepalives_idle"]),
        ("TCP_KEEPINTVL", ASYNC_KEEPALIVES["keepalives_interval"]),
        ("TCP_KEEPCNT", ASYNC_KEEPALIVES["keepalives_count"]),
    ):
        if hasattr(socket, option):  # Linux; macOS lacks TCP_KEEPIDLE
            sock.setsockopt(socket.IPPROTO_TCP, getattr(socket, option), value)


# The URL query keys asyncpg reads itself (``asyncpg.connect_utils``); it sends any other
# to the server as a setting, which refuses a libpq-only one (``gssencmode``,
# ``channel_binding``...: "unrecognized configuration parameter", every read then
# falling back). Those are libpq's business (the thread pool's connections), dropped.
_ASYNCPG_DSN_KEYS = frozenset(
    {
        "host",
        "port",
        "dbname",
        "database",
        "user",
        "password",
        "passfile",
        "service",
        "sslmode",
        "sslcert",
        "sslkey",
        "sslrootcert",
        "sslnegotiation",
        "sslcrl",
        "sslpassword",
        "ssl_min_protocol_version",
        "ssl_max_protocol_version",
        "target_session_attrs",
        "krbsrvname",
        "gsslib",
    }
)


def read_only_connect_args(url: sa.URL) -> dict[str, Any]:
    """``url`` as ``asyncpg.connect`` arguments for ``AsyncReads``: read only
    (``default_transaction_read_only``), named (``application_name``), the URL's own
    ``options`` (a ``search_path``, say) kept; of the rest, what asyncpg reads itself
    (``sslmode``, ``host`` of a Unix socket...) left for it, the libpq-only settings
    (keepalives and connect timeout, which this module sets itself; ``gssencmode``...)
    dropped."""
    query = {k: v for k, v in url.query.items() if k in _ASYNCPG_DSN_KEYS}
    settings = {
        "application_name": ASYNC_READS_APPLICATION,
        "default_transaction_read_only": "on",
    }
    if options := url.query.get("options"):
        settings["options"] = options  # the startup packet's, as libpq sends it
    return {
        "dsn": url.set(drivername="postgresql", query=query).render_as_string(hide_password=False),
        "server_settings": settings,
    }


def _statement_failed(exc: Exception) -> bool:
    """An error of the statement (the connection stays in use), not of the connection:
    the server's (``ERROR``, not ``FATAL`` or ``PANIC``) or asyncpg's about a parameter
    (a value not of the type the server took the parameter for)."""
    if isinstance(exc, asyncpg.PostgresError):
        return getattr(exc, "severity_en", None) not in {"FATAL", "PANIC"}
    return isinstance(exc, asyncpg.InterfaceError)


class AsyncReads:
    """One-value reads (a ``Probe``) on the event loop, PostgreSQL only: the catalogue
    version of the kept catalogue answers and a kept page's probe, with no thread hop
    and no SQLAlchemy (``runner.on_loop``).

    Each read is one statement on an asyncpg connection outside any transaction (its own
    snapshot, taken when it runs: a change committed before the request began is seen,
    as by ``runner.autocommit``) and read only (``default_transaction_read_only``), the
    options of the database URL kept (``read_only_connect_args``). asyncpg, not psycopg:
    about half the time on the client (~45 us a read of the catalogue version against
    ~90 us, ``bench/probe_reads.py``), and each statement prepared on its first use on
    a connection (asyncpg's statement cache), then one Bind/Execute round trip. A
    connection runs one query at a time, and several requests may be in flight on one
    loop, so each loop has up to ``ASYNC_READ_CONNECTIONS``, made on first use; a
    connection belongs to the loop it was made on (``TestClient`` runs each app on a
    loop of its own), so they are kept per running loop, and those of a loop found
    closed are closed.

    A read that does not answer within ``timeout`` seconds (waiting for a free
    connection, connecting and the query together) returns ``NOT_READ`` and the caller
    reads in a thread as before; a connection whose query did not answer is closed (the
    query may still be running). So is one that failed as a connection (cut, the server
    restarts: asyncpg's connection errors, ``OSError``, ``FATAL``); a statement that
    failed by itself leaves its connection in use. The next read opens a new connection
    where needed, and one idle ``ASYNC_MAX_IDLE_SECONDS`` or older than
    ``RECYCLE_SECONDS`` is replaced; each has TCP keepalives. Every falling back is
    counted (``jilin_loop_read_fallbacks_total{reason}``) and the first of each reason,
    then every ``FALLBACK_LOG_EVERY``th, logged as a warning. ``close_here`` (the app's
    shutdown) and ``close`` (``Database.dispose``) close them.

    The common case costs no timer beyond asyncpg's own: the timeout is asyncpg's
    ``timeout=`` on the query (what is left of it), and ``asyncio.timeout`` is only
    entered to wait for a slot when every connection is busy."""

    def __init__(
        self, engine: Engine, size: int = ASYNC_READ_CONNECTIONS, timeout: float = 0.5
    ) -> None:
        self._dialect = pg_asyncpg.dialect()
        self._connect_args = read_only_connect_args(engine.url)
        self._size = size
        self.timeout = timeout  # seconds; each read takes the value it finds
        self._loops: dict[asyncio.AbstractEventLoop, _LoopReads] = {}
        self._lock = threading.Lock()
        self._sql: dict[str, tuple[str, tuple[str, ...]]] = {}
        self._fallbacks: dict[str, int] = {}

    def _here(self) -> _LoopReads:
        loop = asyncio.get_running_loop()
        here = self._loops.get(loop)
        if here is None:
            with self._lock:
                for gone in [other for other in self._loops if other.is_closed()]:
                    self._loops.pop(gone).drop_all()
                here = self._loops.setdefault(loop, _LoopReads(loop, self._size))
        return here

    def _numbered(self, sql: str) -> tuple[str, tuple[str, ...]]:
        """``sql`` (``:name`` parameters) as asyncpg takes it (``$1``, ``$2``...) and the
        names in that order, compiled by SQLAlchemy's PostgreSQL dialect as
        ``Probe.read`` would run it (``::`` casts kept, a name used twice one ``$n``)."""
        found = self._sql.get(sql)
        if found is None:
            compiled = sa.text(sql).compile(dialect=self._dialect)
            found = self._sql[sql] = (str(compiled), tuple(compiled.positiontup or ()))
        return found

    async def value(self, probe: Probe) -> Any:
        """``probe``'s value read now (``None`` for no row), or ``NOT_READ``."""
        here = self._here()
        sql, names = self._numbered(probe.sql)
        args = [probe.params[name] for name in names]
        deadline = here.loop.time() + self.timeout
        if here.slots.locked():  # every connection busy: wait for one, in the time
            try:
                async with asyncio.timeout(self.timeout):
                    await here.slots.acquire()
            except TimeoutError:
                return self._fell_back("timeout", None)
        else:
            await here.slots.acquire()  # free: returns at once
        try:
            return await self._read(here, sql, args, deadline)
        finally:
            here.slots.release()

    async def _read(self, here: _LoopReads, sql: str, args: list, deadline: float) -> Any:
        conn = here.take()
        connecting = conn is None
        try:
            if conn is None:
                left = deadline - here.loop.time()
                if left <= 0:
                    return self._fell_back("timeout", None)
                conn = await asyncpg.connect(
                    **self._connect_args, timeout=min(left, ASYNC_CONNECT_TIMEOUT_SECONDS)
                )
                here.born[conn] = time.monotonic()
                _keep_alive(conn)
                connecting = False
            left = deadline - here.loop.time()
            if left <= 0:
                here.put_back(conn)
                return self._fell_back("timeout", None)
            value = await conn.fetchval(sql, *args, timeout=left)
        except TimeoutError:
            if conn is not None:
                here.drop(conn)  # its query may still be running
            if connecting and self.timeout > ASYNC_CONNECT_TIMEOUT_SECONDS:
                return self._fell_back("connection", None)
            return self._fell_back("timeout", None)
        except (asyncpg.PostgresError, asyncpg.InterfaceError, OSError) as exc:
            if conn is not None and _statement_failed(exc) and not conn.is_closed():
                here.put_back(conn)  # the statement failed, not the connection
                return self._fell_back("error", exc)
            if conn is not None:
                here.drop(conn)
            return self._fell_back("connection", exc)
        except Exception as exc:  # asyncpg's own (a protocol error...): never a 500
            if conn is not None:
                here.drop(conn)
            return self._fell_back("connection", exc)
        except BaseException:  # cancelled mid-query: its state is unknown
            if conn is not None:
                here.drop(conn)
            raise
        here.put_back(conn)
        return value

    def _fell_back(self, reason: str, exc: Exception | None) -> Any:
        return fell_back(self._fallbacks, reason, exc)

    async def close_here(self) -> None:
        """Close the running loop's connections (the app's shutdown, on its loop)."""
        with self._lock:
            here = self._loops.pop(asyncio.get_running_loop(), None)
        if here is not None:
            here.drop_all()

    def close(self) -> None:
        """Close every connection of every loop."""
        with self._lock:
            loops, self._loops = self._loops, {}
        for here in loops.values():
            here.drop_all()


def _plain_sqlite_file(url: sa.URL) -> bool:
    """A SQLite database that is one plain file: another connection opens the same
    database (in memory, or a ``file:`` URI with options, it may not)."""
    return (
        url.get_backend_name() == "sqlite"
        and url.database not in (None, "", ":memory:")
        and not url.query
    )


class SQLiteLoopReads:
    """Reads on the event loop, SQLite: a first view's few Core statements (``runner.
    read_on_loop``) on one connection of the worker's own, with no thread hop.

    The connection is in autocommit (each statement its own read of the latest commit:
    no BEGIN or COMMIT), read only (``PRAGMA query_only``) and never waits: its busy
    timeout is 0, and while another thread's loop uses it (one per worker, but a test
    runs several loops) the read is not made. Either way ``read`` says ``NOT_READ`` at
    once, counted as ``busy`` in ``jilin_loop_read_fallbacks_total``, and the caller
    reads in the thread pool as before, waiting as usual. In WAL mode (``service.db``
    sets it) a reader is not blocked by writers, so that is rare."""

    def __init__(self, url: sa.URL) -> None:
        self.engine = sa.create_engine(
            url,
            poolclass=sa.pool.StaticPool,
            connect_args={"check_same_thread": False, "timeout": 0},
            isolation_level="AUTOCOMMIT",
            hide_parameters=True,
        )

        @event.listens_for(self.engine, "connect")
        def _read_only(dbapi_conn, _record) -> None:
            dbapi_conn.execute("PRAGMA query_only = ON")

        self._lock = threading.Lock()
        self._fallbacks: dict[str, int] = {}

    def read(self, read: Callable[[sa.Connection], Any]) -> Any:
        """``read(conn)`` now, or ``NOT_READ`` (the database busy, the connection in use).
        What ``read`` raises otherwise is raised (a booking not found is an answer)."""
        if not self._lock.acquire(blocking=False):
            return fell_back(self._fallbacks, "busy", None)
        try:
            with self.engine.connect() as conn:
                return read(conn)
        except sa.exc.OperationalError as exc:
            if not _busy(exc):
                raise
            return fell_back(self._fallbacks, "busy", exc.orig)
        finally:
            self._lock.release()

    def close(self) -> None:
        self.engine.dispose()


# PostgreSQL's SQLSTATEs of a statement that lost to another transaction and may
# succeed when sent again: deadlock_detected, lock_not_available (a lock_timeout),
# serialization_failure.
CONTENTION_SQLSTATES = frozenset({"40P01", "55P03", "40001"})


def is_contention(exc: BaseException) -> bool:
    """Whether ``exc`` is the database saying "busy: try again" (a deadlock, a lock
    timeout, a serialization failure on PostgreSQL; SQLite's database locked past its
    busy timeout), not a bug: the request's transaction rolled back whole."""
    if not isinstance(exc, sa.exc.DBAPIError):
        return False
    if getattr(exc.orig, "sqlstate", None) in CONTENTION_SQLSTATES:
        return True
    return isinstance(exc, sa.exc.OperationalError) and _busy(exc)


def _busy(exc: sa.exc.OperationalError) -> bool:
    """SQLite's "database is locked" or "database table is locked" (SQLITE_BUSY,
    SQLITE_LOCKED): another connection has it now."""
    code = getattr(exc.orig, "sqlite_errorname", "")
    return code.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in str(exc.orig)


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
        # One-value reads on the event loop (PostgreSQL; ``runner.on_loop``).
        self.reads = (
            AsyncReads(self.engine, timeout=settings.loop_read_timeout_ms / 1000)
            if self.dialect == "postgresql"
            else None
        )
        # A first view's reads on the event loop (SQLite, one plain file; ``runner.read_on_loop``).
        self.loop_reads = (
            SQLiteLoopReads(self.engine.url) if _plain_sqlite_file(self.engine.url) else None
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
        if self.reads is not None:
            self.reads.close()
        if self.loop_reads is not None:
            self.loop_reads.close()
        self.engine.dispose()
