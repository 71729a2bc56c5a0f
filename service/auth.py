"""Who is calling: an anonymous traveller (channel ``direct``) or an API client.

API clients (OTA partners, the "一部手机游吉林" mini-program) send
``Authorization: Bearer <key>``. The key is looked up by its HMAC hash
(``service.clients.keys``); its client fixes the sales channel pricing uses.

* no ``Authorization`` header -> anonymous (``direct``) where anonymous is allowed
  (``CallerDep``); 401 ``missing_api_key`` on partner-only endpoints (``PartnerDep``);
* a wrong, malformed or revoked key -> 401 ``invalid_api_key`` on every endpoint that
  reads a key, the catalogue's included (``KEY_CHECKED``);
* a valid key -> counted against its per-minute limit (``service.ratelimit``).
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

import sqlalchemy as sa
from fastapi import Depends, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.exceptions import HTTPException as StarletteHTTPException

from service import query_params, ratelimit, runner
from service.clients import keys
from service.clients import repository as clients_repository
from service.db import Database
from service.deps import ClockDep, DatabaseDep, SettingsDep
from service.errors import Unauthorized, is_unparsable_body
from service.json_body import DuplicateKey
from service.settings import Settings

ANONYMOUS_CHANNEL = "direct"


@dataclass(frozen=True, slots=True)
class Caller:
    client_id: int | None
    channel: str  # direct | miniprogram | ota
    client_name: str | None = None
    merchant_collects: bool = False
    key_id: int | None = None

    @property
    def is_anonymous(self) -> bool:
        return self.client_id is None


ANONYMOUS = Caller(client_id=None, channel=ANONYMOUS_CHANNEL)

_bearer = HTTPBearer(
    auto_error=False,
    scheme_name="ApiKey",
    description="An API key made with `jilin create-client` (partners, the mini-program). "
    "Anonymous travellers send none.",
)
_CHALLENGE = {"WWW-Authenticate": "Bearer"}
# The raw ``Authorization: Bearer`` credentials (no database); also documents the scheme.
BearerDep = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


def _invalid() -> Unauthorized:
    return Unauthorized(
        "The API key is wrong or revoked.",
        zh="API 密钥错误或已吊销。",
        code="invalid_api_key",
        field="Authorization",
        headers=_CHALLENGE,
    )


def key_hash_of(
    request: Request, credentials: HTTPAuthorizationCredentials | None, settings: Settings
) -> str | None:
    """The hash of the request's API key; None without ``Authorization`` (anonymous);
    401 for a malformed header. Touches no database."""
    if "authorization" not in request.headers:
        return None
    if credentials is None or not credentials.credentials.startswith(keys.KEY_PREFIX):
        raise _invalid()
    return keys.hash_key(credentials.credentials, settings.secret_key)


async def get_caller(
    request: Request,
    db: DatabaseDep,
    settings: SettingsDep,
    clock: ClockDep,
    credentials: BearerDep,
) -> Caller:
    """Anonymous without ``Authorization``; the key's client with a valid key; else 401.

    Async so that anonymous requests never wait for a thread; the key lookup and its
    rate-limit count run in the thread pool (one short transaction).
    """
    key_hash = key_hash_of(request, credentials, settings)
    if key_hash is None:
        return ANONYMOUS
    return await runner.in_thread(_resolve, db, settings, key_hash, clock.now())


def resolve(conn: sa.Connection, settings: Settings, key_hash: str | None, now: datetime) -> Caller:
    """The caller of ``key_hash`` (None: anonymous), its request counted against the key's
    rate limit in ``conn``'s transaction; the caller commits. 401 for an unknown or
    revoked key (looked up on every request, never cached, so a revoked key is refused at
    once by every worker); 429 over the limit.
    """
    if key_hash is None:
        return ANONYMOUS
    found = clients_repository.active_key(conn, key_hash)
    if found is None:
        raise _invalid()
    ratelimit.count_credential(
        conn, f"key:{found.key_id}", now=now, limit=settings.rate_limit_per_minute
    )
    return Caller(
        client_id=found.client_id,
        channel=found.channel,
        client_name=found.name,
        merchant_collects=found.merchant_collects,
        key_id=found.key_id,
    )


def _resolve(db: Database, settings: Settings, key_hash: str, now: datetime) -> Caller:
    # Two statements, each whole by itself (the key lookup, then the count's upsert):
    # in autocommit on PostgreSQL, two round trips instead of four.
    with runner.autocommit(db, write=True) as conn:
        return resolve(conn, settings, key_hash, now)


async def require_client(caller: Annotated[Caller, Depends(get_caller)]) -> Caller:
    if caller.is_anonymous:
        raise Unauthorized(
            "This endpoint needs an API key: Authorization: Bearer <key>.",
            zh="此接口需要 API 密钥：Authorization: Bearer <key>。",
            code="missing_api_key",
            field="Authorization",
            headers=_CHALLENGE,
        )
    return caller


class KeyBeforeBodyRoute(APIRoute):
    """The route of an endpoint that resolves the API key itself (``run_idempotent``)
    rather than through ``CallerDep``. FastAPI validates the body before the endpoint
    runs, so without this a body it refuses would be answered 422 before the key is
    looked at: a wrong or revoked key would not get its 401, and a valid key's request
    would not count against its rate limit. When FastAPI refuses the request, the key is
    checked first, exactly as ``CallerDep`` does (401, counted, 429), then the 422 is sent.
    Requests it accepts are not touched (no extra work on the hot path)."""

    def get_route_handler(self):
        handler = super().get_route_handler()

        async def key_before_body(request: Request) -> Response:
            try:
                return await handler(request)
            except (RequestValidationError, StarletteHTTPException, DuplicateKey) as refused:
                if isinstance(refused, StarletteHTTPException) and not is_unparsable_body(refused):
                    raise
                # A body FastAPI cannot parse is refused before the app's dependencies
                # run: two Authorization lines are still refused before either is used.
                await query_params.reject_repeated_headers(request)
                state = request.app.state
                credentials = await _bearer(request)
                await get_caller(request, state.db, state.settings, state.clock, credentials)
                raise

        return key_before_body


# Dependencies that refuse anonymous callers (401 ``missing_api_key``): an operation that
# depends on one is documented as needing a key, any other that reads a key as open to
# anonymous callers too (``service.openapi``).
def refused_anonymous_by_the_endpoint() -> None:
    """Marks an endpoint that resolves the caller itself (``run_idempotent``) and refuses
    an anonymous one there (401 ``missing_api_key``): documented as needing a key, as a
    ``PartnerDep`` endpoint is, without resolving the key twice (nor counting it twice
    against the rate limit)."""


KEY_REQUIRED = (require_client, refused_anonymous_by_the_endpoint)

CallerDep = Annotated[Caller, Depends(get_caller)]
# A router's ``dependencies`` for operations that do not use the caller (the public
# catalogue): a request that presents a key has it checked and counted all the same (401
# for a wrong or revoked key, 429 over its limit), as on every other /v1 operation; one
# with no ``Authorization`` stays anonymous and never waits for a thread. An endpoint
# that also takes ``CallerDep`` resolves the key once (FastAPI's dependency cache).
KEY_CHECKED = [Depends(get_caller)]
PartnerDep = Annotated[Caller, Depends(require_client)]
