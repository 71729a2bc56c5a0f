"""Who is calling: an anonymous traveller (channel ``direct``) or an API client.

API clients (OTA partners, the "一部手机游吉林" mini-program) send
``Authorization: Bearer <key>``. The key is looked up by its HMAC hash
(``service.clients.keys``); its client fixes the sales channel pricing uses.

* no ``Authorization`` header -> anonymous (``direct``) where anonymous is allowed
  (``CallerDep``); 401 ``missing_api_key`` on partner-only endpoints (``PartnerDep``);
* a wrong, malformed or revoked key -> 401 ``invalid_api_key`` on every endpoint;
* a valid key -> counted against its per-minute limit (``service.ratelimit``).
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from service import ratelimit
from service.clients import keys
from service.clients import repository as clients_repository
from service.db import Database
from service.deps import ClockDep, DatabaseDep, SettingsDep
from service.errors import Unauthorized
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


def _invalid() -> Unauthorized:
    return Unauthorized(
        "The API key is wrong or revoked.", code="invalid_api_key", headers=_CHALLENGE
    )


async def get_caller(
    request: Request,
    db: DatabaseDep,
    settings: SettingsDep,
    clock: ClockDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Caller:
    """Anonymous without ``Authorization``; the key's client with a valid key; else 401.

    Async so that anonymous requests never wait for a thread; the key lookup and its
    rate-limit count run in the thread pool (one short transaction).
    """
    if "authorization" not in request.headers:
        return ANONYMOUS
    if credentials is None or not credentials.credentials.startswith(keys.KEY_PREFIX):
        raise _invalid()
    return await run_in_threadpool(
        _resolve,
        db,
        settings,
        keys.hash_key(credentials.credentials, settings.secret_key),
        clock.now(),
    )


def _resolve(db: Database, settings: Settings, key_hash: str, now: datetime) -> Caller:
    with db.write_session() as session:
        found = clients_repository.active_key(session, key_hash)
        if found is None:
            raise _invalid()
        ratelimit.hit(
            session, scope=f"key:{found.key_id}", now=now, limit=settings.rate_limit_per_minute
        )
        session.commit()
    return Caller(
        client_id=found.client_id,
        channel=found.channel,
        client_name=found.name,
        merchant_collects=found.merchant_collects,
        key_id=found.key_id,
    )


async def require_client(caller: Annotated[Caller, Depends(get_caller)]) -> Caller:
    if caller.is_anonymous:
        raise Unauthorized(
            "This endpoint needs an API key: Authorization: Bearer <key>.",
            code="missing_api_key",
            headers=_CHALLENGE,
        )
    return caller


CallerDep = Annotated[Caller, Depends(get_caller)]
PartnerDep = Annotated[Caller, Depends(require_client)]
