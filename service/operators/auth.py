"""Who is calling the admin API: ``Authorization: Bearer jlop_…`` -> an ``Operator``.

The token is looked up by its HMAC hash on every request (never cached: a revoked token
or a disabled account is refused at once by every worker) together with the account's
destinations, in one short transaction that also counts the request against the
token's per-minute limit. No header: 401 ``missing_token``; anything else that is not a
live token of an active account: 401 ``invalid_token``.
"""

from datetime import datetime
from typing import Annotated

import sqlalchemy as sa
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from service import ratelimit, runner
from service.db import Database
from service.deps import ClockDep, DatabaseDep, SettingsDep
from service.operators import errors, tokens
from service.operators.models import (
    OperatorAccount,
    OperatorDestination,
    OperatorToken,
    is_demo_login,
)
from service.operators.scope import Operator
from service.settings import Settings

_bearer = HTTPBearer(
    auto_error=False,
    scheme_name="OperatorToken",
    description="An operator's admin API token (`jlop_…`): from `POST /v1/admin/tokens` "
    "with the account's login and password, or printed by `jilin create-operator`.",
)

_A, _T, _D = OperatorAccount.__table__, OperatorToken.__table__, OperatorDestination.__table__
_LIVE_TOKEN = (
    sa.select(
        _T.c.id.label("token_id"),
        _A.c.id.label("account_id"),
        _A.c.login,
        _A.c.role,
    )
    .join(_A, _A.c.id == _T.c.account_id)
    .where(_T.c.token_hash == sa.bindparam("h"), _T.c.revoked_at.is_(None), _A.c.is_active)
)
_DESTINATIONS = sa.select(_D.c.destination_id).where(_D.c.account_id == sa.bindparam("a"))


def destinations_scope(conn: sa.Connection, account_id: int, role: str) -> frozenset[int] | None:
    """The destinations an account sees: ``None`` (all) for the province."""
    if role == "province_admin":
        return None
    return frozenset(conn.execute(_DESTINATIONS, {"a": account_id}).scalars())


def resolve(conn: sa.Connection, settings: Settings, token: str, now: datetime) -> Operator:
    if not tokens.looks_like_token(token):
        raise errors.invalid_token()
    row = conn.execute(_LIVE_TOKEN, {"h": tokens.hash_token(token, settings.secret_key)}).first()
    if row is None or (settings.env == "production" and is_demo_login(row.login)):
        raise errors.invalid_token()
    ratelimit.count_credential(
        conn, f"op:{row.token_id}", now=now, limit=settings.rate_limit_per_minute
    )
    return Operator(
        account_id=row.account_id,
        login=row.login,
        role=row.role,
        destination_ids=destinations_scope(conn, row.account_id, row.role),
        token_id=row.token_id,
    )


def resolve_token(db: Database, settings: Settings, token: str, now: datetime) -> Operator:
    with runner.core_transaction(db, write=True) as conn:
        return resolve(conn, settings, token, now)


async def get_operator(
    request: Request,
    db: DatabaseDep,
    settings: SettingsDep,
    clock: ClockDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Operator:
    if "authorization" not in request.headers:
        raise errors.missing_token()
    if credentials is None:
        raise errors.invalid_token()
    return await runner.in_thread(resolve_token, db, settings, credentials.credentials, clock.now())


OperatorDep = Annotated[Operator, Depends(get_operator)]
