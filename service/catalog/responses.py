"""Catalogue responses rendered once per catalogue version, with ``ETag`` and 304.

What ``GET /v1/products`` and ``GET /v1/destinations`` (each list and its detail) and
``GET /v1/map/destinations`` return depends only on the request (path, filters, cursor,
limit, language) and on rows whose every write bumps ``catalogue_version`` in the
writer's own transaction (database triggers: products, seasons, packs, offered packs,
destinations with their themes and corridors...). So a response is rendered once per
version and kept:

* Each request knows the version as of its start, so a change committed before the
  request began is always seen, on every worker. On PostgreSQL it reads it: one tiny
  SELECT, one round trip, on the event loop (``runner.on_loop``: the worker's own async
  connection in autocommit; in the thread pool, ``runner.autocommit``, if that read
  fails). On SQLite ``VersionWatch`` asks the database, in microseconds and on the
  event loop, whether anything at all was committed since the version was last read
  (``PRAGMA data_version``); only then is it read again. A kept body or a 304 is then
  answered without a thread hop (``known``).
* ``ETag`` is ``"<version>.<language>.<fingerprint>"``, the fingerprint a digest of the
  body and of the response model's JSON schema (a release that changes the shape of a
  response changes every tag): the same representation has the same tag whatever
  address it was reached by (``/v1/products/1`` and ``/v1/products/<its slug>``, a
  destination filter by id or by slug), so a client keeps it once. A matching
  ``If-None-Match`` is a 304 without a thread hop when the body is kept (``known``);
  else the body is built (and kept) to know its tag.
* Otherwise the body comes from a per-worker LRU keyed by ``(version, language, key)``,
  or is built by the service function on the same connection (after the version, so
  it is never older than the version it is stored under: a writer committing in
  between makes it newer, under a version already superseded) and encoded once with
  orjson from the response model (validated once, by the model itself).
* Problems (404, 422) are not cached; if the version row is missing nothing is cached
  and no ``ETag`` is sent.

The catalogue pages (``service.pages.web.cached_page``) are kept the same way, through
``cached``, in an LRU of their own.

Responses say ``Cache-Control: no-cache`` (clients and proxies may keep them but must
revalidate, which the ``ETag`` makes a cheap 304) and ``Vary: Accept-Language``.
"""

import hashlib
import json
import sqlite3
import threading
import weakref
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

import orjson
import sqlalchemy as sa
from fastapi import Request, Response
from pydantic import BaseModel
from sqlmodel import Session

from catalog.queries import VERSION, catalogue_version
from service import runner
from service.db import NOT_READ, Database, Probe, joined
from service.i18n import Lang
from service.lru import MISSING, PerEngine

MAX_ENTRIES = 2048

# The catalogue version as a ``Probe`` (``catalog.queries.VERSION`` as plain SQL), for
# the read on the event loop (``known``).
VERSION_PROBE = Probe(str(VERSION.compile(compile_kwargs={"literal_binds": True})), {})

responses_for = PerEngine(MAX_ENTRIES)

Build = Callable[[Session], BaseModel]


@cache
def _schema_digest(model: type[BaseModel]) -> bytes:
    schema = json.dumps(model.model_json_schema(), sort_keys=True).encode()
    return hashlib.blake2b(schema, digest_size=8).digest()


def etag(version: int, lang: Lang, body: bytes, model: type[BaseModel]) -> str:
    """The tag of ``body`` (a ``model`` in ``lang``) under the catalogue ``version``."""
    h = hashlib.blake2b(_schema_digest(model), digest_size=8)
    h.update(body)
    return f'"{version}.{lang}.{h.hexdigest()}"'


def matches(if_none_match: str | None, tag: str) -> bool:
    """RFC 9110 weak comparison of ``If-None-Match`` (a list, or ``*``) with ``tag``."""
    if not if_none_match:
        return False
    for candidate in if_none_match.split(","):
        candidate = candidate.strip()
        if candidate == "*" or candidate.removeprefix("W/") == tag:
            return True
    return False


def render(model: BaseModel) -> bytes:
    return orjson.dumps(model.model_dump(mode="json"))


class VersionWatch:
    """Whether anything was committed since the catalogue version was last read, without
    a query (SQLite).

    SQLite's ``PRAGMA data_version`` returns, on one connection, a number that changes
    whenever any other connection (of this process or another: workers, the command
    line, an operator's SQL shell) has committed to the database since that connection
    last asked. A connection of its own that only ever asks it answers, in microseconds
    and with no thread hop, "is the version read then still the version now?": exactly,
    since a commit that changed nothing of the catalogue is also a change (the answer is
    then "read it again"), and none is missed. PostgreSQL has no such counter without a
    round trip (``LISTEN``/``NOTIFY`` would see a change only some time after its
    commit), so there the version is read on every request."""

    def __init__(self, path: str) -> None:
        # timeout 0: if the database is ever busy, say "unknown" at once (the caller
        # then reads the version in a thread, waiting as usual) rather than wait here.
        self._conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=0)
        self._lock = threading.Lock()
        self._seen: tuple[int, int] | None = None  # (data_version, catalogue version)

    def data_version(self) -> int | None:
        with self._lock:
            try:
                return self._conn.execute("PRAGMA data_version").fetchone()[0]
            except sqlite3.Error:
                return None

    def probe(self, probe: Probe) -> tuple[int, Any] | None:
        """``(data_version, value)``: ``probe``'s value read now on this connection (an
        indexed read of a few microseconds, on the event loop), after the
        ``data_version`` it is current for; None if the database is busy or the read
        fails (then read it in a thread, as usual)."""
        with self._lock:
            try:
                seen = self._conn.execute("PRAGMA data_version").fetchone()[0]
                rows = self._conn.execute(probe.sql, dict(probe.params)).fetchall()
            except sqlite3.Error:
                return None
        return seen, rows[0][0] if rows else None

    def remember(self, data_version: int | None, version: int | None) -> None:
        """``version`` was read after ``data_version`` was (a commit in between makes the
        next ``data_version`` differ: then nothing is known)."""
        self._seen = None if data_version is None or version is None else (data_version, version)

    def known(self) -> int | None:
        """The catalogue version if nothing was committed since it was read; else None."""
        seen = self._seen
        if seen is None:
            return None
        return seen[1] if self.data_version() == seen[0] else None

    def close(self) -> None:
        self._conn.close()


_watches: weakref.WeakKeyDictionary[sa.Engine, VersionWatch | None] = weakref.WeakKeyDictionary()
_watches_lock = threading.Lock()


def watch_for(engine: sa.Engine) -> VersionWatch | None:
    """The engine's ``VersionWatch`` (made on first use), or ``None``: PostgreSQL, or a
    SQLite database that is not one plain file (in memory: another connection would
    see another database)."""
    try:
        return _watches[engine]
    except KeyError:
        pass
    with _watches_lock:
        if engine not in _watches:
            url = engine.url
            plain_file = (
                url.get_backend_name() == "sqlite"
                and url.database not in (None, "", ":memory:")
                and not url.query
            )
            found = VersionWatch(url.database) if plain_file else None
            if found is not None:
                weakref.finalize(engine, found.close)
            _watches[engine] = found
        return _watches[engine]


@dataclass(frozen=True, slots=True)
class Vary:
    """What a kept value depends on outside the catalogue's versioned rows (``cached``'s
    ``vary``): ``state``, read in the value's snapshot and part of its key; ``probe``,
    one statement whose value is the same exactly while that state is (checked with the
    version on the event loop, ``known``: on PostgreSQL on every request, on SQLite once
    something was committed since the state was read)."""

    state: tuple
    probe: Probe | None = None


VaryRead = Callable[[sa.Connection, int], Vary]


def with_version(probe: Probe) -> Probe:
    """``probe``'s value and the catalogue version, as one value read in one statement
    (so in one snapshot)."""
    value = joined(f"({VERSION_PROBE.sql})", f"({probe.sql})")
    return Probe(f"SELECT {value}", probe.params)


def cached(
    db: Database,
    cache: PerEngine,
    key: tuple,
    build: Callable[[sa.Connection], Any],
    fresh: Callable[[int], bool] | None = None,
    vary: VaryRead | None = None,
) -> tuple[int | None, Any]:
    """``(version, value)``: what ``build(conn)`` made for ``key`` under the catalogue
    version read now, from ``cache`` or built on the same connection and kept.

    ``fresh(version)`` says whether the client's copy is current (its ``If-None-Match``
    matches): then the value is ``None`` (a 304) and nothing else is read or built. If the
    version row is missing the value is built and not kept (``version`` is ``None``).
    ``vary(conn, version)``: what else, outside the catalogue's versioned rows, the value
    depends on (the product page: the units left over its calendar, a ``Vary``), read
    after the version and added to the key; then the version, ``vary`` and the build
    all read one snapshot (``runner.snapshot``), so the value shows exactly the state it
    is kept under. The JSON responses below and the catalogue pages
    (``service.pages.web.cached_page``) all go through here (by ``lookup``, which
    first tries ``known``): one version read, one thread hop, one LRU
    mechanism. On SQLite the ``data_version`` read before the version is remembered
    with it, and with a ``vary`` key's state, for ``known``; on both databases a
    ``vary`` key's probe (with the version: ``with_version``) is read in the same
    snapshot and remembered with its value, for ``known``."""
    watch = watch_for(db.engine)
    reading = runner.autocommit(db) if vary is None else runner.snapshot(db)
    with reading as conn:
        seen = watch.data_version() if watch is not None else None
        version = catalogue_version(conn)
        if watch is not None:
            watch.remember(seen, version)
        if version is None:
            return None, build(conn)
        if fresh is not None and fresh(version):
            return version, None
        entries = cache(db.engine)
        if vary is None:
            full_key = (version, *key)
        else:
            varied = vary(conn, version)
            full_key = (version, *key, varied.state)
            if seen is not None:  # while nothing is committed, ``known`` may reuse it
                entries.put(("vary", *key), (seen, full_key))
            if varied.probe is not None and (seen is not None or db.reads is not None):
                # and while this reads the same
                probe = with_version(varied.probe)
                entries.put(("probe", *key), (probe, probe.read(conn), full_key))
        value = entries.get(full_key)
        if value is MISSING:
            value = build(conn)
            entries.put(full_key, value)
        return version, value


async def known(
    db: Database,
    cache: PerEngine,
    key: tuple,
    fresh: Callable[[int], bool] | None = None,
    varies: bool = False,
) -> tuple[int, Any] | None:
    """``cached``'s answer without a thread hop, when it can be had: the value kept (or
    the client's copy current) under the version, and for a ``vary`` key the state,
    known to be current (``_key_on_sqlite``, ``_key_on_postgresql``). ``None``
    otherwise: then ask ``cached`` in a thread."""
    entries = cache(db.engine)
    watch = watch_for(db.engine)
    if watch is not None:
        full_key = _key_on_sqlite(watch, entries, key, varies)
    elif db.reads is not None:
        full_key = await _key_on_postgresql(db, entries, key, varies)
    else:
        return None
    return None if full_key is None else _kept(entries, full_key, fresh)


def _key_on_sqlite(watch: VersionWatch, entries: Any, key: tuple, varies: bool) -> tuple | None:
    """With no query: the key of the version (and for a ``vary`` key, the state) last
    read, if nothing was committed since (``VersionWatch``). For a ``vary`` key after a
    commit (a booking elsewhere), the probe ``cached`` remembered for it, read now on
    the watch's connection (microseconds, no thread hop): the same value, the same
    version and state."""
    if varies:
        last = entries.get(("vary", *key))
        if last is not MISSING and watch.data_version() == last[0]:
            return last[1]
        remembered = entries.get(("probe", *key))
        if remembered is MISSING:
            return None
        probe, state, full_key = remembered
        read = watch.probe(probe)
        if read is None or read[1] != state:
            return None
        entries.put(("vary", *key), (read[0], full_key))
        return full_key
    version = watch.known()
    return None if version is None else (version, *key)


async def _key_on_postgresql(db: Database, entries: Any, key: tuple, varies: bool) -> tuple | None:
    """With one query on the event loop (``runner.on_loop``: one round trip on the
    worker's async connection, so a change committed before the request began is
    seen): the key of the version read now; for a ``vary`` key, the probe ``cached``
    last remembered for it, read now: the same value, the same version and state, so
    the key kept with them. ``None`` when the read failed, the version row is missing
    or the probe reads otherwise."""
    if varies:
        last = entries.get(("probe", *key))
        if last is MISSING:
            return None
        probe, state, full_key = last
        return full_key if await runner.on_loop(db, probe) == state else None
    version = await runner.on_loop(db, VERSION_PROBE)
    return None if version is NOT_READ or version is None else (version, *key)


def _kept(
    entries: Any, full_key: tuple, fresh: Callable[[int], bool] | None
) -> tuple[int, Any] | None:
    """``(version, value)`` kept under ``full_key`` (its version first), ``None`` for the
    value if the client's copy is current; ``None`` if nothing is kept."""
    version = full_key[0]
    if fresh is not None and fresh(version):
        return version, None
    value = entries.get(full_key)
    return None if value is MISSING else (version, value)


async def lookup(
    db: Database,
    cache: PerEngine,
    key: tuple,
    build: Callable[[sa.Connection], Any],
    fresh: Callable[[int], bool] | None = None,
    vary: VaryRead | None = None,
) -> tuple[int | None, Any]:
    """``cached`` from the event loop: ``known`` first (no hop: SQLite no query,
    PostgreSQL one on the event loop), else one thread hop."""
    found = await known(db, cache, key, fresh, varies=vary is not None)
    if found is not None:
        return found
    return await runner.in_thread(cached, db, cache, key, build, fresh, vary)


def _lookup(
    request: Request, lang: Lang, key: tuple, build: Build
) -> Awaitable[tuple[int | None, Any]]:
    return lookup(
        request.app.state.db, responses_for, (lang, key), lambda conn: _build(conn, build)
    )


def _build(conn: sa.Connection, build: Build) -> bytes:
    """Render ``build``'s model with an ORM session on ``conn`` (reads only)."""
    with Session(bind=conn) as session:
        return render(build(session))


async def respond(
    request: Request,
    lang: Lang,
    key: tuple,
    model: type[BaseModel],
    build: Build,
    media_type: str = "application/json",
) -> Response:
    """The response for ``key`` (what, besides the language, the body depends on),
    built by ``build(session)`` (an instance of ``model``, sent as ``media_type``) when
    not cached: no thread hop when the version is known and the body kept (``known``),
    else one for the version read, the lookup and any rendering."""
    version, body = await _lookup(request, lang, key, build)
    headers = {"Content-Language": lang, "Vary": "Accept-Language", "Cache-Control": "no-cache"}
    if version is not None:
        headers["ETag"] = tag = etag(version, lang, body, model)
        if matches(request.headers.get("if-none-match"), tag):
            return Response(status_code=304, headers=headers)
    return Response(body, media_type=media_type, headers=headers)
