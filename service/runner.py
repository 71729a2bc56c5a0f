"""The one place a unit of work begins, commits and hops to a thread.

Every transaction of the service is opened here and commits here, once, when the
block that holds it succeeds; it rolls back when the block raises. Services and
repositories receive the session (or connection) and only ``flush()``: they never
commit (a test scans them). What calls the runner is the top of a unit of work:

* a ``GET`` through the session dependency (``service.deps.SessionDep``), whose
  transaction commits before the response is sent;
* an ``async`` endpoint that hands its whole database work to ``in_thread`` (one trip
  to the thread pool) and opens its transactions there: the quote ``POST``, the
  idempotent booking ``POST``s (``service.idempotency.runner``) and the API-key
  lookup with its rate-limit count (``service.auth``);
* the command line and the worker (``service.worker``), one transaction per step;
* statements each whole by themselves (``autocommit``): the catalogue version of the
  cached catalogue responses (``service.catalog.responses``), a quote's reads and its
  one INSERT, the API-key lookup and its rate-limit count;
* one-value reads on the event loop (``on_loop``, PostgreSQL): the catalogue version and
  a kept page's probe, each one statement in autocommit, with no thread hop;
* a first view's reads on the event loop (``read_on_loop``, SQLite): the manage page's
  booking and quote, the quote page's quote and stays, in autocommit on a connection
  that never waits;
* a read whose statements must see one snapshot (``snapshot``): the product page's
  catalogue version, units left and rendering.

``transaction`` hands out an ORM session and ``core_transaction`` a Core connection
(cheaper: no unit-of-work bookkeeping, for a few Core statements), on the write engine
when ``write=True`` (``BEGIN IMMEDIATE`` on SQLite, see ``service.db``).
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, ParamSpec, TypeVar

import sqlalchemy as sa
from fastapi.concurrency import run_in_threadpool
from sqlmodel import Session

from service.db import NOT_READ, Database, Probe

P = ParamSpec("P")
R = TypeVar("R")


async def in_thread(fn: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    """Run ``fn`` in the thread pool: the one hop an ``async`` endpoint makes for its
    blocking work (database, pricing, rendering)."""
    return await run_in_threadpool(fn, *args, **kwargs)


async def on_loop(db: Database, probe: Probe) -> Any:
    """``probe``'s value read now, on the event loop: on PostgreSQL one statement in
    autocommit on the worker's own async connection (``db.reads``: no thread hop, no
    SQLAlchemy), so it sees every change committed before it runs. ``NOT_READ`` on
    SQLite (``VersionWatch`` reads there) or when the read failed: then read it in a
    thread (``in_thread`` with ``autocommit``), as before."""
    return NOT_READ if db.reads is None else await db.reads.value(probe)


def read_on_loop(db: Database, read: Callable[[sa.Connection], R]) -> R:
    """``read(conn)`` now, on the event loop, with no thread hop: on SQLite (one plain
    file) on the worker's own connection for it (``db.loop_reads``: autocommit, read
    only, never waiting). ``NOT_READ`` on PostgreSQL, and on SQLite when the database is
    busy: then read in a thread (``in_thread`` with ``autocommit``), as before."""
    return NOT_READ if db.loop_reads is None else db.loop_reads.read(read)


@contextmanager
def transaction(db: Database, *, write: bool = False) -> Iterator[Session]:
    """``with transaction(db) as session:`` commits when the block succeeds, rolls back
    when it raises, and always closes. ``write=True``: on the write engine."""
    yield from committed(db.write_session() if write else db.session())


@contextmanager
def core_transaction(db: Database, *, write: bool = False) -> Iterator[sa.Connection]:
    """The same with a Core connection (no ORM unit of work), for a few Core statements."""
    with db.write_connection() if write else db.engine.connect() as conn:
        yield conn
        conn.commit()


@contextmanager
def autocommit(db: Database, *, write: bool = False) -> Iterator[sa.Connection]:
    """A Core connection for statements that are each whole by themselves: reads, and
    writes of ONE statement that needs no other in its transaction. On PostgreSQL in
    autocommit: each statement commits as it runs, one round trip, no BEGIN and COMMIT
    around it. On SQLite the same as ``core_transaction`` (one transaction, BEGIN
    IMMEDIATE when ``write``, committed at the end)."""
    if db.dialect != "postgresql":
        with core_transaction(db, write=write) as conn:
            yield conn
        return
    with db.engine.connect() as conn:
        yield conn.execution_options(isolation_level="AUTOCOMMIT")


@contextmanager
def snapshot(db: Database) -> Iterator[sa.Connection]:
    """A read transaction whose statements all see one snapshot of the database:
    ``REPEATABLE READ`` on PostgreSQL (where the default, ``READ COMMITTED``, gives each
    statement its own), SQLite's deferred read transaction as it is. For reads whose
    results must agree with each other, e.g. a cache key read first and the value it
    keys built after (``service.catalog.responses.cached``)."""
    with db.engine.connect() as conn:
        if db.dialect == "postgresql":
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
        yield conn
        conn.commit()


def committed(session: Session) -> Iterator[Session]:
    """Yield ``session``; commit on success, roll back on any exception, always close
    (the body of the session dependency and of ``transaction``)."""
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
