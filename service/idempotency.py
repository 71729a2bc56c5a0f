"""Idempotency for every POST that creates or changes a booking.

A client sends ``Idempotency-Key``; the key is scoped per API client (anonymous
callers share one scope, so they should send random UUIDs). For 24 hours:

* same key + same request (method, path, canonical JSON body) -> the first response's
  status and body are replayed (header ``Idempotent-Replayed: true``);
* same key + a different request -> 422 ``idempotency_key_reused``, nothing written;
* same key while the first request still runs -> the duplicate waits (up to
  ``WAIT_SECONDS``) and replays the first response, else 409 ``idempotency_in_progress``.

How it stays right with several workers: the *claim* is an
``INSERT ... ON CONFLICT DO NOTHING`` committed in its own short transaction, so the
unique constraint on (scope, key) picks exactly one winner and every other request sees
the row. The winner's response is written to the row in the *same* transaction as the
booking change (``IdempotentRequest.store``), so "booking exists" and "response
recorded" commit together. Each claim carries a random ``claim_token``; finishing
updates the row only while the token is still ours, so even a takeover of a stale claim
(a crashed worker) can never apply one request twice.

Deterministic failures (4xx such as ``sold_out``, ``quote_expired``) are recorded and
replayed like successes; transient ones (``inventory_busy``, rate limits, 5xx) remove
the claim so that a retry runs again.
"""

import asyncio
import functools
import hashlib
import json
import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Annotated, Any

import anyio
import sqlalchemy as sa
from fastapi import Depends, Header, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Field, Session, SQLModel

from catalog.base import UTCDateTime
from service.auth import CallerDep
from service.db import Database
from service.deps import ClockDep, DatabaseDep, get_write_session
from service.errors import PROBLEM_JSON, PROBLEM_TYPE_BASE, Conflict, DomainError, Unprocessable

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


def scope_of(client_id: int | None) -> str:
    return f"client:{client_id}" if client_id is not None else "anonymous"


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


def try_claim(
    db: Database, *, scope: str, key: str, fp: str, now: datetime
) -> Claimed | Replay | Busy:
    """One attempt, in its own committed transaction. Raises 422 on a reused key."""
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
    with db.session() as s:
        stmt = _claim_stmt(db.dialect)
        new_id = s.execute(stmt, values).scalar()
        if new_id is None:
            # An expired record (older than 24 h) no longer counts: replace it.
            gone = s.execute(
                sa.delete(_T).where(_T.c.scope == scope, _T.c.key == key, _T.c.expires_at <= now)
            ).rowcount
            if gone:
                new_id = s.execute(stmt, values).scalar()
        if new_id is not None:
            s.commit()
            return Claimed(new_id, token)
        row = s.execute(sa.select(_T).where(_T.c.scope == scope, _T.c.key == key)).one()
        if row.fingerprint != fp:
            s.rollback()
            raise Unprocessable(
                "This Idempotency-Key was already used with a different request.",
                field="Idempotency-Key",
                code="idempotency_key_reused",
            )
        if row.status == DONE:
            s.rollback()
            return Replay(row.response_status, row.response_body)
        if row.claimed_at <= now - STALE_AFTER:
            # The first request's worker died; take the claim over. Its token changes,
            # so the old request (if it ever wakes up) can no longer finish.
            taken = s.execute(
                sa.update(_T)
                .where(
                    _T.c.id == row.id,
                    _T.c.claim_token == row.claim_token,
                    _T.c.status == IN_PROGRESS,
                )
                .values(claim_token=token, claimed_at=now)
            ).rowcount
            s.commit()
            if taken:
                return Claimed(row.id, token)
            return Busy()
        s.rollback()
        return Busy()


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


# --- the FastAPI dependency ----------------------------------------------------------------


@dataclass
class IdempotentRequest:
    """What an endpoint gets: a replay to return at once, or a claim to finish."""

    session: Session
    replay: Replay | None = None
    claim: Claimed | None = None
    stored: bool = field(default=False)

    def replay_response(self) -> Response:
        assert self.replay is not None
        media = PROBLEM_JSON if self.replay.status >= 400 else "application/json"
        return Response(
            self.replay.body,
            status_code=self.replay.status,
            media_type=media,
            headers={REPLAY_HEADER: "true"},
        )

    def respond(self, status: int, body: dict[str, Any]) -> Response:
        """Record ``body`` in the request's transaction and return exactly that text."""
        assert self.claim is not None
        text = render_json(body)
        finish(self.session, self.claim, status, text)
        # Commit here, in the endpoint's thread: the response is sent only once the
        # booking and its recorded response are durable, and a failed commit raises
        # into the dependency below, which then releases the claim.
        self.session.commit()
        self.stored = True
        return Response(text, status_code=status, media_type="application/json")


async def _on_exit(fn, *args) -> None:
    """Run ``fn`` in a thread of its own limiter, as FastAPI runs dependency exits.

    The request may still hold SQLite's write lock here; taking a token of the shared
    thread pool could wait behind requests that are themselves waiting for that lock.
    """
    await anyio.to_thread.run_sync(functools.partial(fn, *args), limiter=anyio.CapacityLimiter(1))


def _missing() -> Unprocessable:
    return Unprocessable(
        "Send an Idempotency-Key header (a random UUID per operation).",
        field="Idempotency-Key",
        code="missing_idempotency_key",
    )


async def idempotent_request(
    request: Request,
    caller: CallerDep,
    db: DatabaseDep,
    clock: ClockDep,
    session: Annotated[Session, Depends(get_write_session, scope="function")],
    idempotency_key: Annotated[
        str | None,
        Header(
            alias="Idempotency-Key",
            description="A unique key per operation (a UUID). "
            "Retries with the same key and body replay the first response for 24 hours.",
        ),
    ] = None,
) -> AsyncIterator[IdempotentRequest]:
    key = (idempotency_key or "").strip()
    if not key:
        raise _missing()
    if len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise Unprocessable(
            f"Idempotency-Key must be 1..{MAX_KEY_LENGTH} printable characters.",
            field="Idempotency-Key",
            code="invalid_idempotency_key",
        )
    fp = fingerprint(request.method, request.url.path, await request.body())
    scope = scope_of(caller.client_id)
    waited = 0.0
    while True:
        outcome = await run_in_threadpool(
            try_claim, db, scope=scope, key=key, fp=fp, now=clock.now()
        )
        if not isinstance(outcome, Busy):
            break
        if waited >= WAIT_SECONDS:
            raise Conflict(
                "A request with this Idempotency-Key is still being processed.",
                field="Idempotency-Key",
                code="idempotency_in_progress",
                headers={"Retry-After": "1"},
            )
        await asyncio.sleep(POLL_SECONDS)
        waited += POLL_SECONDS
    if isinstance(outcome, Replay):
        yield IdempotentRequest(session=session, replay=outcome)
        return
    handle = IdempotentRequest(session=session, claim=outcome)
    try:
        yield handle
    except DomainError as exc:
        await _on_exit(session.rollback)
        if exc.code in TRANSIENT_CODES or exc.status >= 500 or exc.status == 429:
            await _on_exit(release, db, outcome)
        else:
            await _on_exit(record_failure, db, outcome, exc)
        raise
    except BaseException:
        await _on_exit(session.rollback)
        await _on_exit(release, db, outcome)
        raise
    else:
        if not handle.stored:
            await _on_exit(release, db, outcome)


IdempotencyDep = Annotated[IdempotentRequest, Depends(idempotent_request, scope="function")]
