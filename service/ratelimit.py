"""Per-key rate limits: a fixed one-minute window counted in the database.

Every request made with an API key adds one to the row (scope, window start) with
``INSERT ... ON CONFLICT DO UPDATE ... RETURNING hits``, so all workers and servers
share one count without a separate store. Over ``Settings.rate_limit_per_minute`` the
request is refused with 429 ``rate_limited`` and ``Retry-After`` (seconds until the
next window). Every answer to a request whose API key or operator token was counted says
where the credential stands (``RateLimit-Limit``, ``RateLimit-Remaining``,
``RateLimit-Reset``: ``Quota``, added by ``service.middleware.RequestContext``), so a
partner can pace itself before it is refused. Old windows are purged by the sweeper
(``jilin sweep-holds``). On PostgreSQL the table is UNLOGGED (migration 0014): a count is
written without waiting for a WAL flush, and a database crash resets the current minute's
counts.

Anonymous callers are counted here only where one request can cost much: the trip
planner's searches, by client address (``service.plans.fair``); otherwise they can only
read and book with a quote, and are limited in front of the app (reverse proxy).
Operators' login attempts are, by client address (``client_address``) and login, with
their own refusal (``service.operators.accounts.count_login_attempt``).
"""

import functools
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Field, Session, SQLModel
from starlette.requests import Request

from catalog.base import UTCDateTime
from service.errors import (
    DomainError,
    PageError,
    PayloadTooLarge,
    TooManyRequests,
    UriTooLong,
    problem_body_of,
    send_problem,
)
from service.i18n import negotiate

WINDOW = timedelta(minutes=1)


class RateLimitWindow(SQLModel, table=True):
    __tablename__ = "rate_limit_window"

    scope: str = Field(max_length=40, primary_key=True)
    window_start: datetime = Field(sa_column=sa.Column(UTCDateTime(), primary_key=True))
    hits: int = 0


_T = RateLimitWindow.__table__


def window_start(now: datetime) -> datetime:
    return now.replace(second=0, microsecond=0)


def seconds_left(now: datetime) -> int:
    """The whole seconds until the window of ``now`` ends, at least 1."""
    return max(1, int((window_start(now) + WINDOW - now).total_seconds() + 0.999))


@dataclass(frozen=True, slots=True)
class Quota:
    """Where a credential stands in its minute once a request was counted: its limit,
    the requests it has left (0 once refused) and the seconds until the next window."""

    limit: int
    remaining: int
    reset: int

    def headers(self) -> list[tuple[bytes, bytes]]:
        """The answer's ``RateLimit-Limit``, ``RateLimit-Remaining``, ``RateLimit-Reset``."""
        return [
            (b"ratelimit-limit", str(self.limit).encode()),
            (b"ratelimit-remaining", str(self.remaining).encode()),
            (b"ratelimit-reset", str(self.reset).encode()),
        ]


# Each request's holder, set by ``RequestContext`` before the app runs: ``hit(shown=True)``
# puts the credential's ``Quota`` in it. The thread pool runs the count in a copy of the
# context, which holds the same list, so the middleware reads what the thread put there.
COUNTED: ContextVar[list[Quota] | None] = ContextVar("jilin_rate_counted", default=None)


@functools.cache
def _upsert(dialect: str):
    insert = postgresql.insert(_T) if dialect == "postgresql" else sqlite.insert(_T)
    return insert.on_conflict_do_update(
        index_elements=["scope", "window_start"],
        set_={"hits": _T.c.hits + 1},
    ).returning(_T.c.hits)


def client_address(request: Request) -> str | None:
    """The client address limits count by: the connection's peer (behind a proxy, run
    uvicorn with ``--proxy-headers`` and ``--forwarded-allow-ips``, README)."""
    return request.client.host if request.client else None


def _api_key_refused(limit: int) -> DomainError:
    return TooManyRequests(
        f"More than {limit} requests this minute for this API key.",
        zh=f"此 API 密钥本分钟的请求已超过 {limit} 次。",
        code="rate_limited",
        field="Authorization",
        limit=limit,
    )


def hit(
    conn: sa.Connection,
    *,
    scope: str,
    now: datetime,
    limit: int,
    refused: Callable[[int], DomainError] = _api_key_refused,
    shown: bool = False,
) -> int:
    """Count one request for ``scope`` in this minute (in ``conn``'s transaction); raise
    ``refused(limit)`` (429 ``rate_limited`` for an API key unless told otherwise) with
    ``Retry-After`` past ``limit``. ``shown``: the count is the caller's credential's (an
    API key, an operator token), which the answer's ``RateLimit-*`` headers say."""
    start = window_start(now)
    hits = conn.execute(
        _upsert(conn.dialect.name), {"scope": scope, "window_start": start, "hits": 1}
    ).scalar_one()
    if shown and (holder := COUNTED.get()) is not None:
        holder[:] = [Quota(limit, max(0, limit - hits), seconds_left(now))]
    if hits > limit:
        raise retry_after(refused(limit), now)
    return hits


def count_credential(conn: sa.Connection, scope: str, *, now: datetime, limit: int) -> int:
    """``hit`` for the caller's own credential (``key:<id>``, ``op:<id>``): counted, and
    said in the answer's ``RateLimit-*`` headers."""
    return hit(conn, scope=scope, now=now, limit=limit, shown=True)


def retry_after(error: DomainError, now: datetime) -> DomainError:
    """``error`` (a refusal past a limit counted in the window of ``now``) with
    ``Retry-After``: the whole seconds until the next window, at least 1."""
    error.headers = {**error.headers, "Retry-After": str(seconds_left(now))}
    return error


def purge(session: Session, *, now: datetime) -> int:
    """Drop windows that ended more than a minute ago."""
    return session.execute(sa.delete(_T).where(_T.c.window_start < now - 2 * WINDOW)).rowcount


async def _nothing_more() -> dict:
    return {"type": "http.disconnect"}


class BodySizeLimit:
    """ASGI middleware: refuse request bodies over ``max_bytes`` with 413.

    A ``Content-Length`` over the limit is refused before anything is read. A body
    without one (chunked) is read up to the limit and refused as soon as it passes it,
    so an oversized body is never held in memory whole.
    """

    def __init__(self, app, max_bytes: int, page_error: PageError | None = None) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.page_error = page_error  # the HTML answer at a page's path (the composition's)

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None:
            if not length.isdigit() or int(length) > self.max_bytes:
                await self._refuse(scope, send)
                return
            await self.app(scope, receive, send)
            return
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            if size > self.max_bytes:
                await self._refuse(scope, send)
                return
            if not message.get("more_body", False):
                break
        replayed = False

        async def replay():
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _refuse(self, scope, send) -> None:
        exc = PayloadTooLarge(
            f"Request bodies are limited to {self.max_bytes} bytes.",
            zh=f"请求体最大 {self.max_bytes} 字节。",
            field="body",
        )
        await _refuse(scope, send, exc, self.page_error)


class QueryLengthLimit:
    """ASGI middleware: refuse a query string over ``max_bytes`` with 414
    ``uri_too_long``, before routing: nothing is rendered, cached or kept for it (a
    catalogue page is cached per address, and every page's language switch repeats the
    query)."""

    def __init__(self, app, max_bytes: int, page_error: PageError | None = None) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.page_error = page_error  # the HTML answer at a page's path (the composition's)

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or len(scope.get("query_string", b"")) <= self.max_bytes:
            await self.app(scope, receive, send)
            return
        exc = UriTooLong(
            f"Query strings are limited to {self.max_bytes} bytes.",
            zh=f"查询字符串最长 {self.max_bytes} 字节。",
            field="query",
        )
        await _refuse(scope, send, exc, self.page_error)


async def _refuse(scope, send, exc: DomainError, page_error: PageError | None) -> None:
    """Answer a request refused before routing: the HTML error page at a page's path,
    else the problem document, in the request's language."""
    if page_error is not None:
        page = page_error(Request(scope), exc.status, None)
        if page is not None:
            await page(scope, _nothing_more, send)
            return
    lang = negotiate(dict(scope["headers"]).get(b"accept-language", b"").decode("latin-1"))
    await send_problem(send, problem_body_of(exc, lang))
