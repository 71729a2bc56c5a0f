"""The way an idempotent POST runs (see the package docstring): who calls and the claim
in one short transaction, the work and its recorded response in a second, one thread
hop (``service.runner``)."""

import asyncio
import functools
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from time import monotonic
from typing import Annotated, Any

from fastapi import Header, Request
from fastapi.responses import Response
from fastapi.security import HTTPAuthorizationCredentials
from sqlmodel import Session

from service import runner
from service.auth import Caller, key_hash_of, resolve
from service.clock import Clock
from service.db import Database
from service.errors import (
    PROBLEM_JSON,
    Conflict,
    DomainError,
    Unprocessable,
    problem_body_of,
    request_lang,
)
from service.i18n import Lang
from service.idempotency import sql
from service.idempotency.sql import Busy, Claimed, Replay
from service.idempotency.table import MAX_KEY_LENGTH, STALE_AFTER
from service.peppered import peppered_hash
from service.settings import Settings

WAIT_SECONDS = 10.0
POLL_SECONDS = 0.02
REPLAY_HEADER = "Idempotent-Replayed"
# Failures that say nothing about the request itself: a retry must run again.
TRANSIENT_CODES = frozenset(
    {"inventory_busy", "idempotency_in_progress", "rate_limited", "payments_unavailable"}
)


def fingerprint(method: str, path: str, body: bytes, secret_key: str) -> str:
    """What tells two requests with one key apart: method, path and the body as canonical
    JSON (key order, spacing ignored), hashed with HMAC under ``secret_key``
    (``service.peppered``): the body holds names, phones and ID numbers, and a plain hash
    of it could be matched against guesses by anyone who reads the table."""
    try:
        canonical = (
            json.dumps(json.loads(body), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
            if body.strip()
            else ""
        )
    except (ValueError, UnicodeDecodeError):
        canonical = "raw:" + hashlib.sha256(body).hexdigest()
    message = f"{method.upper()}\n{path}\n{canonical}".encode()
    return peppered_hash(secret_key, "idempotency-fingerprint", message)


def scope_of(client_id: int | None, anonymous_secret: str | None = None, *, secret_key: str) -> str:
    """Whose keys these are: an API client's, or, for anonymous callers, the holders of
    the secret the request presents (the quote id it books, the booking's reference and
    token, as typed, it cancels with). A replay carries the first response, personal
    data and the booking token included, so it must only ever reach someone who could
    have sent that request: a traveller's keys never meet another traveller's.

    The secret is kept as an HMAC under ``secret_key`` (``service.peppered``), like every
    other hash of what a caller typed: until December 2026 it was a plain SHA-256, which
    anyone with the table could test guesses against (a token typed wrongly, a phone
    number typed where the token goes). Rows scoped that way are found by no request
    since; they expire within 24 hours (docs/personal-data.md)."""
    if client_id is not None:
        return f"client:{client_id}"
    if anonymous_secret is None:
        return "anonymous"
    return "anon:" + peppered_hash(secret_key, "idempotency-scope", anonymous_secret.encode())[:32]


def try_claim(
    db: Database, *, scope: str, key: str, fp: str, now: datetime
) -> Claimed | Replay | Busy:
    """One attempt, in its own committed transaction. Raises 422 on a reused key."""
    with runner.core_transaction(db) as conn:
        return sql.claim(
            conn, scope=scope, key=key, fp=fp, now=now, secret_key=db.settings.secret_key
        )


def release(db: Database, claim: Claimed) -> None:
    """Forget a claim whose request failed transiently, so that a retry runs again."""
    with runner.core_transaction(db) as conn:
        sql.forget(conn, claim)


def render_json(body: dict[str, Any]) -> str:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


def record_failure(db: Database, claim: Claimed, exc: DomainError, lang: Lang) -> None:
    """Record a deterministic failure's problem body, the one the exception handler
    renders (``errors.problem_body_of``, in the first request's language), so that a
    retry replays it."""
    with runner.core_transaction(db) as conn:
        body = render_json(problem_body_of(exc, lang))
        sql.finish(conn, claim, exc.status, body, lang=lang, secret_key=db.settings.secret_key)


def settle_failure(db: Database, claim: Claimed, exc: BaseException, lang: Lang) -> None:
    """After the request's own transaction rolled back: record a deterministic failure
    (replayed to retries), forget the claim after a transient one (a retry runs again)."""
    if isinstance(exc, DomainError) and not (
        exc.code in TRANSIENT_CODES or exc.status >= 500 or exc.status == 429
    ):
        record_failure(db, claim, exc, lang)
    else:
        release(db, claim)


def replay_response(replay: Replay) -> Response:
    """The first response's bytes, labelled in its own language (``Content-Language`` of
    the first request, whatever the retry's ``Accept-Language``)."""
    media = PROBLEM_JSON if replay.status >= 400 else "application/json"
    headers = {REPLAY_HEADER: "true"}
    if replay.lang:
        headers["Content-Language"] = replay.lang
    return Response(replay.body, status_code=replay.status, media_type=media, headers=headers)


def printable_ascii(text: str) -> bool:
    """Every character of ``text`` is printable ASCII, space to ``~``: what a key may
    hold. Headers reach us decoded as latin-1 (``é`` sent as UTF-8 reads ``Ã©``), so
    "printable" beyond ASCII would take some non-ASCII keys and not others."""
    return all(" " <= c <= "~" for c in text)


def check_key(idempotency_key: str | None) -> str:
    key = (idempotency_key or "").strip()
    if not key:
        raise Unprocessable(
            "Send an Idempotency-Key header (a random UUID per operation).",
            zh="请发送 Idempotency-Key 请求头（每次操作一个随机 UUID）。",
            field="Idempotency-Key",
            code="missing_idempotency_key",
        )
    if len(key) > MAX_KEY_LENGTH or not printable_ascii(key):
        raise Unprocessable(
            f"Idempotency-Key must be 1..{MAX_KEY_LENGTH} printable ASCII characters "
            "(letters, digits, punctuation, space), such as a UUID.",
            zh=f"Idempotency-Key 应为 1..{MAX_KEY_LENGTH} 个可打印 ASCII 字符"
            "（字母、数字、标点、空格），例如一个 UUID。",
            field="Idempotency-Key",
            code="invalid_idempotency_key",
        )
    return key


async def _wait_while_busy(clock: Clock, outcome: Any, attempt: Callable[[datetime], Any]) -> Any:
    """Poll while another request holds the key: the first response once it is done, or
    what ``attempt(now)`` (run in the thread pool each time) makes of a released key;
    409 ``idempotency_in_progress`` after ``WAIT_SECONDS`` of waiting, the attempts'
    own time included (counting the pauses alone, 10 seconds were 16 on PostgreSQL)."""
    deadline = monotonic() + WAIT_SECONDS
    while isinstance(outcome, Busy):
        if monotonic() >= deadline:
            raise Conflict(
                "A request with this Idempotency-Key is still being processed.",
                zh="使用此 Idempotency-Key 的请求仍在处理中。",
                field="Idempotency-Key",
                code="idempotency_in_progress",
                headers={"Retry-After": "1"},
            )
        await asyncio.sleep(POLL_SECONDS)
        outcome = await runner.in_thread(attempt, clock.now())
    return outcome


IdempotencyKeyHeader = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        description=f"A unique key per operation (a UUID; 1 to {MAX_KEY_LENGTH} "
        "printable ASCII characters, space to `~`: any other is 422 "
        "`invalid_idempotency_key`). Retries with the same key and body replay the "
        "first response for 24 hours (header `Idempotent-Replayed: true`), in its "
        "language (`Content-Language` the first request's); the same key "
        "with another body is 422 `idempotency_key_reused`. A retry while the first "
        f"request still runs waits up to {WAIT_SECONDS:g} seconds for its answer, else "
        "gets 409 `idempotency_in_progress` (retry it). A key whose first request was "
        "abandoned (its worker died) is taken over by a retry "
        f"{STALE_AFTER.total_seconds():g} seconds after that request started; the "
        "abandoned request can then never complete, so the operation is applied at most "
        "once.",
    ),
]


# --- one thread hop per request ------------------------------------------------------------

# What an endpoint does once it holds the claim: its change in ``session`` (flushed, not
# committed) and the response as (status, JSON body).
Work = Callable[[Session, Caller], tuple[int, dict[str, Any]]]


def execute(db: Database, claim: Claimed, caller: Caller, work: Work, lang: Lang) -> Response:
    """Run ``work`` holding ``claim``: the change and its recorded response commit in one
    write transaction, in the request's thread, so the response is sent only once both
    are durable; on failure (a failed commit included) it rolls back and the claim is
    settled, so no success is sent that did not happen."""
    try:
        with runner.transaction(db, write=True) as session:
            status, body = work(session, caller)
            text = render_json(body)
            sql.finish(session, claim, status, text, lang=lang, secret_key=db.settings.secret_key)
    except BaseException as exc:
        settle_failure(db, claim, exc, lang)
        raise
    return Response(text, status_code=status, media_type="application/json")


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
    lang: Lang,
) -> Response | _Waiting:
    # One short transaction: the key's client and its rate-limit count, then the claim.
    refused: DomainError | None = None
    with runner.core_transaction(db, write=True) as conn:
        caller = resolve(conn, settings, key_hash, now)
        scope = scope_of(caller.client_id, anonymous_secret, secret_key=settings.secret_key)
        try:
            key = check_key(idempotency_key)
            outcome = sql.claim(
                conn, scope=scope, key=key, fp=fp, now=now, secret_key=settings.secret_key
            )
        except DomainError as exc:
            refused = exc  # committed all the same: the request counts against the key
    if refused is not None:
        raise refused
    result = _act_on(db, outcome, caller, work, lang)
    return _Waiting(caller, scope, key, result) if isinstance(result, Busy) else result


def _act_on(
    db: Database, outcome: Claimed | Replay | Busy, caller: Caller, work: Work, lang: Lang
) -> Response | Busy:
    """What a claim attempt leads to: the first response replayed, still ``Busy``, or
    (the key is ours) ``work`` run holding the claim."""
    if isinstance(outcome, Replay):
        return replay_response(outcome)
    if isinstance(outcome, Busy):
        return outcome
    return execute(db, outcome, caller, work, lang)


async def run_idempotent(
    request: Request,
    *,
    credentials: HTTPAuthorizationCredentials | None,
    idempotency_key: str | None,
    work: Work,
    anonymous_secret: str | None,
    lang: Lang | None = None,
) -> Response:
    """An idempotent POST in one trip to the thread pool: who calls (``auth.resolve``, with
    its rate-limit count) and the claim in one short transaction, then ``work`` and its
    recorded response in a second, from the same thread (see the module docstring); only
    a request that finds its key in flight waits here, without holding a thread, and
    takes a second trip if the key is released to it. ``anonymous_secret``: what scopes
    an anonymous caller's keys (``scope_of``). ``lang``: the language a refusal is
    recorded in (default: ``Accept-Language``'s; a page passes its own).
    """
    state = request.app.state
    db, settings, clock = state.db, state.settings, state.clock
    key_hash = key_hash_of(request, credentials, settings)
    fp = fingerprint(request.method, request.url.path, await request.body(), settings.secret_key)
    lang = lang or request_lang(request)
    first = await runner.in_thread(
        _first_pass,
        db,
        settings,
        key_hash,
        idempotency_key,
        fp,
        clock.now(),
        work,
        anonymous_secret,
        lang,
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
        functools.partial(_claim_and_execute, db, caller, scope, first.key, fp, work, lang),
    )


def _claim_and_execute(
    db: Database,
    caller: Caller,
    scope: str,
    key: str,
    fp: str,
    work: Work,
    lang: Lang,
    now: datetime,
) -> Response | Busy:
    """One more attempt at a key in flight (``_act_on``)."""
    outcome = try_claim(db, scope=scope, key=key, fp=fp, now=now)
    return _act_on(db, outcome, caller, work, lang)
