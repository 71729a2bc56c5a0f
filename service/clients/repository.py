"""SQL of API clients and keys."""

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, select

from service.clients.models import ApiClient, ApiKey

_K, _C = ApiKey.__table__, ApiClient.__table__
_ACTIVE_KEY = (
    sa.select(
        _K.c.id.label("key_id"),
        _C.c.id.label("client_id"),
        _C.c.name,
        _C.c.channel,
        _C.c.merchant_collects,
    )
    .join(_C, _C.c.id == _K.c.client_id)
    .where(_K.c.key_hash == sa.bindparam("key_hash"), _K.c.revoked_at.is_(None))
)


def active_key(conn: sa.Connection, key_hash: str) -> sa.Row | None:
    """(key_id, client_id, name, channel, merchant_collects) of an unrevoked key."""
    return conn.execute(_ACTIVE_KEY, {"key_hash": key_hash}).first()


def client_by_name(session: Session, name: str) -> ApiClient | None:
    return session.exec(select(ApiClient).where(ApiClient.name == name)).first()


def add(session: Session, row):
    session.add(row)
    session.flush()
    return row


def revoke(session: Session, *, prefix: str, now: datetime) -> int:
    return session.execute(
        sa.update(ApiKey)
        .where(ApiKey.key_prefix == prefix, ApiKey.revoked_at.is_(None))
        .values(revoked_at=now)
    ).rowcount


def keys_of(session: Session, client_id: int) -> list[ApiKey]:
    return list(
        session.exec(select(ApiKey).where(ApiKey.client_id == client_id).order_by(ApiKey.id))
    )
