"""The ``idempotency_key`` table: one row per (scope, key), the claim and then the
recorded response."""

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from catalog.base import UTCDateTime

IN_PROGRESS = "in_progress"
DONE = "done"
TTL = timedelta(hours=24)
STALE_AFTER = timedelta(seconds=60)
MAX_KEY_LENGTH = 200


class IdempotencyRecord(SQLModel, table=True):
    __tablename__ = "idempotency_key"
    __table_args__ = (sa.UniqueConstraint("scope", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    scope: str = Field(max_length=40)
    key: str = Field(max_length=MAX_KEY_LENGTH)
    fingerprint: str = Field(max_length=64)
    status: str = Field(max_length=12)
    claim_token: str = Field(max_length=32)
    response_status: int | None = None
    # The exact bytes sent (as text), so a replay is byte-identical (JSONB would reorder).
    response_body: str | None = Field(default=None, sa_type=sa.Text)
    # The language of that body (zh-CN or en), said again in a replay's Content-Language.
    response_lang: str | None = Field(default=None, max_length=8)
    created_at: datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))
    claimed_at: datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))
    expires_at: datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False, index=True))
