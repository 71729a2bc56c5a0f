"""Idempotency for every POST that creates or changes a booking.

A client sends ``Idempotency-Key``; the key is scoped per API client, and for anonymous
callers per secret they present (the quote they book, the token of the booking they
cancel: ``scope_of``), so a replay never reaches another traveller. For 24 hours:

* same key + same request (method, path, canonical JSON body) -> the first response's
  status and body are replayed (header ``Idempotent-Replayed: true``);
* same key + a different request -> 422 ``idempotency_key_reused``, nothing written;
* same key while the first request still runs -> the duplicate waits (up to
  ``WAIT_SECONDS``) and replays the first response, else 409 ``idempotency_in_progress``.

How it stays right with several workers: the *claim* is an
``INSERT ... ON CONFLICT DO NOTHING`` committed in a short transaction of its own (the
same one as the caller's key lookup and rate-limit count), so the
unique constraint on (scope, key) picks exactly one winner and every other request sees
the row before the work starts. The winner's response is written to the row in the
*same* transaction as the booking change (``store``), so "booking exists" and "response
recorded" commit together. Each claim carries a random ``claim_token``; finishing
updates the row only while the token is still ours, so even a takeover of a stale claim
(a crashed worker) can never apply one request twice.

Deterministic failures (4xx such as ``sold_out``, ``quote_expired``) are recorded and
replayed like successes; transient ones (``inventory_busy``, rate limits, 5xx) remove
the claim so that a retry runs again.

One way in, ``run_idempotent``: the endpoint is ``async`` and hands over one function;
key resolution, rate limit, claim, the work and the recorded response all run in one
trip to the thread pool (create and cancel a booking). A claim never crosses an
``await``, so a request cancelled while it runs (client gone, shutdown) cannot strand
its key: the thread finishes and commits or releases it. Its route is a
``KeyBeforeBodyRoute`` (the API key is checked before a refused body's 422).
"""

import asyncio
import functools
import hashlib
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import Header, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from fastapi.security import HTTPAuthorizationCredentials
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Field, Session, SQLModel

from catalog.base import UTCDateTime
from service.auth import Caller, key_hash_of, resolve
from service.clock import Clock
from service.db import Database
from service.errors import PROBLEM_JSON, PROBLEM_TYPE_BASE, Conflict, DomainError, Unprocessable
from service.settings import Settings

IN_PROGRESS = "in_progress"
DONE = "done"
TTL = timedelta(hours=24)
WAIT_SECONDS = 10.0
POLL_SECONDS = 0.02
STALE_AFTER = timedelta(seconds=60)
MAX_KEY_LENGTH = 200
REPLAY_HEADER = "Idempotent-Replayed"
# Failures that say nothing about the request itself: a retry must run again.
TRANSIENT_CODES = frozenset(
    {"inventory_busy", "idempotency_in_progress", "rate_limited", "payments_unavailable"}
)


class IdempotencyRecord(SQLModel, table=True):
    __tablename__ = "idempotency_key"
    __table_args__ = (sa.UniqueConstraint("scope", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    scope: str = Field(max_length=40)
    key: str = Field(max_length=MAX_KEY_LENGTH)
    fingerprint: str = Field(max_length=64)
    status: str = Field(max_length=12)
    claim_token: str = Field(max_length=32)
    response_status: int | None = None
    # The exact bytes sent (as text), so a replay is byte-identical (JSONB would reorder).
    response_body: str | None = Field(default=None, sa_type=sa.Text)
    created_at: datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))
    claimed_at: datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))
    expires_at: datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False, index=True))


_T = IdempotencyRecord.__table__


def fingerprint(method: str, path: str, body: bytes) -> str:
    """sha256 of method, path and the body as canonical JSON (key order, spacing ignored)."""
    try:
        canonical = (
            json.dumps(json.loads(body), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
            if body.strip()
            else ""
        )
    except (ValueError, UnicodeDecodeError):
        canonical = "raw:" + hashlib.sha256(body).hexdigest()
    return hashlib.sha256(f"{method.upper()}\n{path}\n{canonical}".encode()).hexdigest()


def scope_of(client_id: int | None, anonymous_secret: str | None = None) -> str:
    """Whose keys these are: an API client's, or, for anonymous callers, the holders of
    the secret the request presents (the quote id it books, the booking's token it
    cancels with). A replay carries the first response, personal data and the booking
    token included, so it must only ever reach someone who could have sent that request:
    a traveller's keys never meet another traveller's."""
    if client_id is not None:
        return f"client:{client_id}"
    if anonymous_secret is None:
        return "anonymous"
    return "anon:" + hashlib.sha256(anonymous_secret.encode()).hexdigest()[:32]


# --- outcomes of a claim attempt ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Claimed:
    record_id: int
    token: str


@dataclass(frozen=True, slots=True)
class Replay:
    status: int
    body: str  # the JSON text of the first response


@dataclass(frozen=True, slots=True)
class Busy:
    pass


@functools.cache
def _claim_stmt(dialect: str):
    insert = postgresql.insert(_T) if dialect == "postgresql" else sqlite.insert(_T)
    return insert.on_conflict_do_nothing(index_elements=["scope", "key"]).returning(_T.c.id)


def claim(
    conn: sa.Connection, *, scope: str, key: str, fp: str, now: datetime
) -> Claimed | Replay | Busy:
    """One attempt in ``conn``'s transaction; the caller commits it (a new or taken-over
    claim is seen by other requests from then on). Raises 422 on a reused key."""
    token = secrets.token_hex(16)
    values = dict(
        scope=scope,
        key=key,
        fingerprint=fp,
        status=IN_PROGRESS,
        claim_token=token,
        created_at=now,
        claimed_at=now,
        expires_at=now + TTL,
    )
    stmt = _claim_stmt(conn.dialect.name)
    new_id = conn.execute(stmt, values).scalar()
    if new_id is None:
        # An expired record (older than 24 h) no longer counts: replace it.
        gone = conn.execute(
            sa.delete(_T).where(_T.c.scope == scope, _T.c.key == key, _T.c.expires_at <= now)
        ).rowcount
        if gone:
            new_id = conn.execute(stmt, values).scalar()
    if new_id is not None:
        return Claimed(new_id, token)
    row = conn.execute(sa.select(_T).where(_T.c.scope == scope, _T.c.key == key)).one()
    if row.fingerprint != fp:
        raise Unprocessable(
            "This Idempotency-Key was already used with a different request.",
            field="Idempotency-Key",
            code="idempotency_key_reused",
        )
    if row.status == DONE:
        return Replay(row.response_status, row.response_body)
    if row.claimed_at <= now - STALE_AFTER:
        # The first request's worker died; take the claim over. Its token changes,
        # so the old request (if it ever wakes up) can no longer finish.
        taken = conn.execute(
            sa.update(_T)
            .where(
                _T.c.id == row.id,
                _T.c.claim_token == row.claim_token,
                _T.c.status == IN_PROGRESS,
            )
            .values(claim_token=token, claimed_at=now)
        ).rowcount
        if taken:
            return Claimed(row.id, token)
    return Busy()


def try_claim(
    db: Database, *, scope: str, key: str, fp: str, now: datetime
) -> Claimed | Replay | Busy:
    """One attempt, in its own committed transaction. Raises 422 on a reused key."""
    with db.engine.connect() as conn:
        outcome = claim(conn, scope=scope, key=key, fp=fp, now=now)
        conn.commit()
    return outcome


def release(db: Database, claim: Claimed) -> None:
    """Forget a claim whose request failed transiently, so that a retry runs again."""
    with db.session() as s:
        s.execute(
            sa.delete(_T).where(
                _T.c.id == claim.record_id,
                _T.c.claim_token == claim.token,
                _T.c.status == IN_PROGRESS,
            )
        )
        s.commit()


_FINISH = sa.update(_T).where(
    _T.c.id == sa.bindparam("b_id"),
    _T.c.claim_token == sa.bindparam("b_token"),
    _T.c.status == IN_PROGRESS,
)


def render_json(body: dict[str, Any]) -> str:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


def finish(session: Session, claim: Claimed, status: int, body: str) -> None:
    """Record the response text in ``session``'s transaction. Fails if the claim was lost."""
    done = (
        session.connection()
        .execute(
            _FINISH,
            {
                "b_id": claim.record_id,
                "b_token": claim.token,
                "status": DONE,
                "response_status": status,
                "response_body": body,
            },
        )
        .rowcount
    )
    if done != 1:
        raise Conflict(
            "Another request with this Idempotency-Key took over.",
            field="Idempotency-Key",
            code="idempotency_in_progress",
            headers={"Retry-After": "1"},
        )


def record_failure(db: Database, claim: Claimed, exc: DomainError) -> None:
    with db.session() as s:
        finish(s, claim, exc.status, render_json(problem_body(exc)))
        s.commit()


def settle_failure(db: Database, claim: Claimed, exc: BaseException) -> None:
    """After the request's own transaction rolled back: record a deterministic failure
    (replayed to retries), forget the claim after a transient one (a retry runs again)."""
    if isinstance(exc, DomainError) and not (
        exc.code in TRANSIENT_CODES or exc.status >= 500 or exc.status == 429
    ):
        record_failure(db, claim, exc)
    else:
        release(db, claim)


def problem_body(exc: DomainError) -> dict[str, Any]:
    """The body ``service.errors`` renders for ``exc`` (kept to replay it)."""
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE_BASE + exc.code,
        "title": exc.title,
        "status": exc.status,
        "detail": exc.detail,
        "code": exc.code,
    }
    if exc.field is not None:
        body["field"] = exc.field
    body.update({k: v for k, v in exc.extra.items() if v is not None})
    return body


def purge_expired(session: Session, *, now: datetime) -> int:
    return session.execute(sa.delete(_T).where(_T.c.expires_at <= now)).rowcount


def replay_response(replay: Replay) -> Response:
    media = PROBLEM_JSON if replay.status >= 400 else "application/json"
    return Response(
        replay.body, status_code=replay.status, media_type=media, headers={REPLAY_HEADER: "true"}
    )


def store(session: Session, claim: Claimed, status: int, body: dict[str, Any]) -> Response:
    """Record ``body`` in ``session``'s transaction, commit, and return exactly that text.

    The commit happens here, in the request's thread: the response is sent only once
    the change and its recorded response are durable, and a failed commit raises (so
    the claim is released instead of a success being sent that did not happen).
    """
    text = render_json(body)
    finish(session, claim, status, text)
    session.commit()
    return Response(text, status_code=status, media_type="application/json")


def check_key(idempotency_key: str | None) -> str:
    key = (idempotency_key or "").strip()
    if not key:
        raise Unprocessable(
            "Send an Idempotency-Key header (a random UUID per operation).",
            field="Idempotency-Key",
            code="missing_idempotency_key",
        )
    if len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise Unprocessable(
            f"Idempotency-Key must be 1..{MAX_KEY_LENGTH} printable characters.",
            field="Idempotency-Key",
            code="invalid_idempotency_key",
        )
    return key


async def _wait_while_busy(clock: Clock, outcome: Any, attempt: Callable[[datetime], Any]) -> Any:
    """Poll while another request holds the key: the first response once it is done, or
    what ``attempt(now)`` (run in the thread pool each time) makes of a released key;
    409 ``idempotency_in_progress`` after ``WAIT_SECONDS``."""
    waited = 0.0
    while isinstance(outcome, Busy):
        if waited >= WAIT_SECONDS:
            raise Conflict(
                "A request with this Idempotency-Key is still being processed.",
                field="Idempotency-Key",
                code="idempotency_in_progress",
                headers={"Retry-After": "1"},
            )
        await asyncio.sleep(POLL_SECONDS)
        waited += POLL_SECONDS
        outcome = await run_in_threadpool(attempt, clock.now())
    return outcome


IdempotencyKeyHeader = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        description="A unique key per operation (a UUID). "
        "Retries with the same key and body replay the first response for 24 hours.",
    ),
]


# --- one thread hop per request ------------------------------------------------------------

# What an endpoint does once it holds the claim: its change in ``session`` (flushed, not
# committed) and the response as (status, JSON body).
Work = Callable[[Session, Caller], tuple[int, dict[str, Any]]]


def execute(db: Database, claim: Claimed, caller: Caller, work: Work) -> Response:
    """Run ``work`` holding ``claim``: the change and its recorded response commit in one
    write transaction; on failure it rolls back and the claim is settled."""
    with db.write_session() as session:
        try:
            status, body = work(session, caller)
            return store(session, claim, status, body)
        except BaseException as exc:
            session.rollback()
            settle_failure(db, claim, exc)
            raise


@dataclass(frozen=True, slots=True)
class _Waiting:
    caller: Caller
    scope: str
    key: str
    busy: Busy


def _first_pass(
    db: Database,
    settings: Settings,
    key_hash: str | None,
    idempotency_key: str | None,
    fp: str,
    now: datetime,
    work: Work,
    anonymous_secret: str | None,
) -> Response | _Waiting:
    # One short transaction: the key's client and its rate-limit count, then the claim.
    with db.write_connection() as conn:
        caller = resolve(conn, settings, key_hash, now)
        scope = scope_of(caller.client_id, anonymous_secret)
        try:
            key = check_key(idempotency_key)
            outcome = claim(conn, scope=scope, key=key, fp=fp, now=now)
        except DomainError:
            conn.commit()  # the request still counts against the key's rate limit
            raise
        conn.commit()
    result = _act_on(db, outcome, caller, work)
    return _Waiting(caller, scope, key, result) if isinstance(result, Busy) else result


def _act_on(
    db: Database, outcome: Claimed | Replay | Busy, caller: Caller, work: Work
) -> Response | Busy:
    """What a claim attempt leads to: the first response replayed, still ``Busy``, or
    (the key is ours) ``work`` run holding the claim."""
    if isinstance(outcome, Replay):
        return replay_response(outcome)
    if isinstance(outcome, Busy):
        return outcome
    return execute(db, outcome, caller, work)


async def run_idempotent(
    request: Request,
    *,
    credentials: HTTPAuthorizationCredentials | None,
    idempotency_key: str | None,
    work: Work,
    anonymous_secret: str | None,
) -> Response:
    """An idempotent POST in one trip to the thread pool: who calls (``auth.resolve``, with
    its rate-limit count) and the claim in one short transaction, then ``work`` and its
    recorded response in a second, from the same thread (see the module docstring); only
    a request that finds its key in flight waits here, without holding a thread, and
    takes a second trip if the key is released to it. ``anonymous_secret``: what scopes
    an anonymous caller's keys (``scope_of``).
    """
    state = request.app.state
    db, settings, clock = state.db, state.settings, state.clock
    key_hash = key_hash_of(request, credentials, settings)
    fp = fingerprint(request.method, request.url.path, await request.body())
    first = await run_in_threadpool(
        _first_pass,
        db,
        settings,
        key_hash,
        idempotency_key,
        fp,
        clock.now(),
        work,
        anonymous_secret,
    )
    if isinstance(first, Response):
        return first
    caller, scope = first.caller, first.scope
    # Each poll claims and, if the key was released to it, runs the work in the same
    # thread call: a claim never comes back across an ``await``, where a cancelled
    # request (client gone, shutdown) would drop it and leave the key claimed.
    return await _wait_while_busy(
        clock,
        first.busy,
        functools.partial(_claim_and_execute, db, caller, scope, first.key, fp, work),
    )


def _claim_and_execute(
    db: Database, caller: Caller, scope: str, key: str, fp: str, work: Work, now: datetime
) -> Response | Busy:
    """One more attempt at a key in flight (``_act_on``)."""
    return _act_on(db, try_claim(db, scope=scope, key=key, fp=fp, now=now), caller, work)
