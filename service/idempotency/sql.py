"""The statements of the ``idempotency_key`` table, each in the caller's transaction
(a Core connection or a session); the caller commits (``service.runner``)."""

import functools
import secrets
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from service.errors import Conflict, Unprocessable
from service.idempotency import sealed
from service.idempotency.table import DONE, IN_PROGRESS, STALE_AFTER, TTL, IdempotencyRecord

_T = IdempotencyRecord.__table__


# --- outcomes of a claim attempt ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Claimed:
    record_id: int
    token: str


@dataclass(frozen=True, slots=True)
class Replay:
    status: int
    body: str  # the JSON text of the first response
    lang: str | None  # its language (None: recorded before 2026-12-06)


@dataclass(frozen=True, slots=True)
class Busy:
    pass


def _conn(db: Session | sa.Connection) -> sa.Connection:
    return db.connection() if isinstance(db, Session) else db


@functools.cache
def _claim_stmt(dialect: str):
    insert = postgresql.insert(_T) if dialect == "postgresql" else sqlite.insert(_T)
    return insert.on_conflict_do_nothing(index_elements=["scope", "key"]).returning(_T.c.id)


def claim(
    conn: sa.Connection, *, scope: str, key: str, fp: str, now: datetime, secret_key: str
) -> Claimed | Replay | Busy:
    """One attempt in ``conn``'s transaction; the caller commits it (a new or taken-over
    claim is seen by other requests from then on). Raises 422 on a reused key. A recorded
    response is opened with ``secret_key`` (``sealed``)."""
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
    row = conn.execute(sa.select(_T).where(_T.c.scope == scope, _T.c.key == key)).first()
    if row is None:
        # Released (its request failed transiently) between our INSERT and this read:
        # the key is free again; a waiting caller polls and claims it on its next try.
        return Busy()
    if row.fingerprint != fp:
        raise Unprocessable(
            "This Idempotency-Key was already used with a different request.",
            zh="此 Idempotency-Key 已用于另一个不同的请求。",
            field="Idempotency-Key",
            code="idempotency_key_reused",
        )
    if row.status == DONE:
        try:
            body = sealed.unseal(row.response_body, record_id=row.id, secret_key=secret_key)
        except sealed.Unreadable:
            # Sealed under another secret (JL_SECRET_KEY changed): as good as expired.
            conn.execute(sa.delete(_T).where(_T.c.id == row.id))
            new_id = conn.execute(stmt, values).scalar()
            return Claimed(new_id, token) if new_id is not None else Busy()
        return Replay(row.response_status, body, row.response_lang)
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


def forget(conn: sa.Connection, claim: Claimed) -> None:
    """Delete a claim still in progress and still ours (a transient failure)."""
    conn.execute(
        sa.delete(_T).where(
            _T.c.id == claim.record_id,
            _T.c.claim_token == claim.token,
            _T.c.status == IN_PROGRESS,
        )
    )


_FINISH = sa.update(_T).where(
    _T.c.id == sa.bindparam("b_id"),
    _T.c.claim_token == sa.bindparam("b_token"),
    _T.c.status == IN_PROGRESS,
)


def finish(
    db: Session | sa.Connection,
    claim: Claimed,
    status: int,
    body: str,
    *,
    lang: str,
    secret_key: str,
) -> None:
    """Record the response text, sealed under ``secret_key`` (``sealed``: it may hold a
    booking token and personal data), and its language, in the transaction of ``db`` (a
    session or a connection). Fails if the claim was lost."""
    done = (
        _conn(db)
        .execute(
            _FINISH,
            {
                "b_id": claim.record_id,
                "b_token": claim.token,
                "status": DONE,
                "response_status": status,
                "response_lang": lang,
                "response_body": sealed.seal(
                    body, record_id=claim.record_id, secret_key=secret_key
                ),
            },
        )
        .rowcount
    )
    if done != 1:
        raise Conflict(
            "Another request with this Idempotency-Key took over.",
            zh="另一个使用此 Idempotency-Key 的请求已接手。",
            field="Idempotency-Key",
            code="idempotency_in_progress",
            headers={"Retry-After": "1"},
        )


def purge_expired(session: Session, *, now: datetime) -> int:
    return session.execute(sa.delete(_T).where(_T.c.expires_at <= now)).rowcount
