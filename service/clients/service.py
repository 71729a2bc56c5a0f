"""Making clients and keys (the CLI), and revoking keys."""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from service.clients import keys, repository
from service.clients.models import ApiClient, ApiKey

CHANNELS = ("ota", "miniprogram")


class ClientError(ValueError):
    """A CLI-level mistake (unknown channel, duplicate name, unknown key)."""


@dataclass(frozen=True)
class IssuedKey:
    client: ApiClient
    key: ApiKey
    plaintext: str  # shown once, never stored


def create_client(
    session: Session,
    *,
    name: str,
    channel: str,
    merchant_collects: bool,
    pepper: str,
    now: datetime,
) -> IssuedKey:
    name = name.strip()
    if not name or len(name) > 120:
        raise ClientError("name must be 1..120 characters")
    if channel not in CHANNELS:
        raise ClientError(f"channel must be one of {', '.join(CHANNELS)}")
    if repository.client_by_name(session, name) is not None:
        raise ClientError(f"a client named {name!r} already exists")
    client = repository.add(
        session,
        ApiClient(name=name, channel=channel, merchant_collects=merchant_collects, created_at=now),
    )
    return issue_key(session, client, pepper=pepper, now=now)


def issue_key(session: Session, client: ApiClient, *, pepper: str, now: datetime) -> IssuedKey:
    plaintext, prefix = keys.new_key()
    key = repository.add(
        session,
        ApiKey(
            client_id=client.id,
            key_prefix=prefix,
            key_hash=keys.hash_key(plaintext, pepper),
            created_at=now,
        ),
    )
    return IssuedKey(client=client, key=key, plaintext=plaintext)


def revoke_key(session: Session, *, key_or_prefix: str, now: datetime) -> int:
    """Revoke by the key's prefix (``jl_ab12cd34``) or the whole key; returns keys revoked."""
    prefix = key_or_prefix.strip()
    if prefix.count("_") >= 2:
        prefix = prefix[: prefix.index("_", len(keys.KEY_PREFIX))]
    revoked = repository.revoke(session, prefix=prefix, now=now)
    if not revoked:
        raise ClientError(f"no active key with prefix {prefix!r}")
    return revoked
