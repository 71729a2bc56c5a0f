"""SQL of API clients and keys."""

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, select

from service.clients.models import ApiClient, ApiKey


def active_key(session: Session, key_hash: str) -> tuple[ApiKey, ApiClient] | None:
    row = session.exec(
        select(ApiKey, ApiClient).join(ApiClient, ApiClient.id == ApiKey.client_id)
        .where(ApiKey.key_hash == key_hash, ApiKey.revoked_at.is_(None))
    ).first()
    return None if row is None else (row[0], row[1])


def client_by_name(session: Session, name: str) -> ApiClient | None:
    return session.exec(select(ApiClient).where(ApiClient.name == name)).first()


def add(session: Session, row):
    session.add(row)
    session.flush()
    return row


def revoke(session: Session, *, prefix: str, now: datetime) -> int:
    return session.execute(
        sa.update(ApiKey).where(ApiKey.key_prefix == prefix, ApiKey.revoked_at.is_(None))
        .values(revoked_at=now)
    ).rowcount


def keys_of(session: Session, client_id: int) -> list[ApiKey]:
    return list(session.exec(select(ApiKey).where(ApiKey.client_id == client_id)
                             .order_by(ApiKey.id)))
