"""Catalogue responses rendered once per catalogue version, with ``ETag`` and 304.

What ``GET /v1/products`` and ``GET /v1/products/{id_or_slug}`` return depends only on
the request (path, filters, cursor, limit, language) and on rows whose every write bumps
``catalogue_version`` in the writer's own transaction (database triggers: products,
seasons, packs, offered packs, destinations...). So a response is rendered once per
version and kept:

* Each request reads the version: one tiny SELECT, one round trip on PostgreSQL (a
  read connection in autocommit, ``runner.autocommit``), so a change committed
  before the request began is always seen, on every worker.
* ``ETag`` is ``"<version>.<language>.<fingerprint>"``, the fingerprint a digest of the
  request's cache key and of the response model's JSON schema (a release that changes
  the shape of a response changes every tag). A matching ``If-None-Match`` is a 304
  before anything is read besides the version, cached or not.
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
from collections.abc import Callable
from functools import cache
from typing import Any

import orjson
import sqlalchemy as sa
from fastapi import Request, Response
from pydantic import BaseModel
from sqlmodel import Session

from catalog.queries import catalogue_version
from service import runner
from service.db import Database
from service.i18n import Lang
from service.lru import MISSING, PerEngine

MAX_ENTRIES = 2048

responses_for = PerEngine(MAX_ENTRIES)

Build = Callable[[Session], BaseModel]


@cache
def _schema_digest(model: type[BaseModel]) -> bytes:
    schema = json.dumps(model.model_json_schema(), sort_keys=True).encode()
    return hashlib.blake2b(schema, digest_size=8).digest()


def etag(version: int, lang: Lang, key: tuple, model: type[BaseModel]) -> str:
    h = hashlib.blake2b(_schema_digest(model), digest_size=8)
    h.update(repr(key).encode())
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


def cached(
    db: Database,
    cache: PerEngine,
    key: tuple,
    build: Callable[[sa.Connection], Any],
    fresh: Callable[[int], bool] | None = None,
    vary: Callable[[sa.Connection, int], tuple] | None = None,
) -> tuple[int | None, Any]:
    """``(version, value)``: what ``build(conn)`` made for ``key`` under the catalogue
    version read now, from ``cache`` or built on the same connection and kept.

    ``fresh(version)`` says whether the client's copy is current (its ``If-None-Match``
    matches): then the value is ``None`` (a 304) and nothing else is read or built. If the
    version row is missing the value is built and not kept (``version`` is ``None``).
    ``vary(conn, version)``: what else, outside the catalogue's versioned rows, the value
    depends on (the product page: the units left over its calendar), read after the
    version and added to the key; then the version, ``vary`` and the build all read one
    snapshot (``runner.snapshot``), so the value shows exactly the state it is kept
    under. The JSON responses below and the catalogue pages
    (``service.pages.web.cached_page``) all go through here: one version read, one
    thread hop, one LRU mechanism."""
    reading = runner.autocommit(db) if vary is None else runner.snapshot(db)
    with reading as conn:
        version = catalogue_version(conn)
        if version is None:
            return None, build(conn)
        if fresh is not None and fresh(version):
            return version, None
        full_key = (version, *key) if vary is None else (version, *key, vary(conn, version))
        entries = cache(db.engine)
        value = entries.get(full_key)
        if value is MISSING:
            value = build(conn)
            entries.put(full_key, value)
        return version, value


def _lookup(
    db: Database,
    lang: Lang,
    key: tuple,
    model: type[BaseModel],
    build: Build,
    if_none_match: str | None,
) -> tuple[str | None, bytes | None]:
    """``(etag, body)``; ``body`` is ``None`` when ``If-None-Match`` matched (a 304)."""
    version, body = cached(
        db,
        responses_for,
        (lang, key),
        lambda conn: _build(conn, build),
        lambda v: matches(if_none_match, etag(v, lang, key, model)),
    )
    return (None if version is None else etag(version, lang, key, model)), body


def _build(conn: sa.Connection, build: Build) -> bytes:
    """Render ``build``'s model with an ORM session on ``conn`` (reads only)."""
    with Session(bind=conn) as session:
        return render(build(session))


async def respond(
    request: Request, lang: Lang, key: tuple, model: type[BaseModel], build: Build
) -> Response:
    """The response for ``key`` (what, besides the language, the body depends on),
    built by ``build(session)`` (an instance of ``model``) when not cached: one thread
    hop for the version read, the lookup and any rendering."""
    tag, body = await runner.in_thread(
        _lookup,
        request.app.state.db,
        lang,
        key,
        model,
        build,
        request.headers.get("if-none-match"),
    )
    headers = {"Content-Language": lang, "Vary": "Accept-Language", "Cache-Control": "no-cache"}
    if tag is not None:
        headers["ETag"] = tag
    if body is None:
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="application/json", headers=headers)
