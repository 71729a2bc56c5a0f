"""API clients (OTA partners, the mini-program) and their keys.

A key is shown once, when it is made; only ``key_hash`` (HMAC-SHA256 of the key under
the server's secret, a "pepper") is stored, with a short ``key_prefix`` so an operator
can tell keys apart and revoke one. Revoking sets ``revoked_at``; the key then gets 401.
"""

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from catalog.base import UTCDateTime


class ApiClient(SQLModel, table=True):
    """A partner or the mini-program. ``channel`` is the sales channel pricing uses."""

    __tablename__ = "api_client"
    __table_args__ = (sa.CheckConstraint("channel IN ('ota', 'miniprogram')", name="channel"),)

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120, unique=True)
    channel: str = Field(max_length=20)
    merchant_collects: bool = False
    created_at: datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))


class ApiKey(SQLModel, table=True):
    __tablename__ = "api_key"

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="api_client.id", index=True)
    key_prefix: str = Field(max_length=16, index=True)
    key_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))
    revoked_at: datetime | None = Field(default=None, sa_column=sa.Column(UTCDateTime()))
