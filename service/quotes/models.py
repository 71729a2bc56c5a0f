"""Stored quotes: every line as returned, immutable, with the rule versions used."""

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from catalog.base import UTCDateTime, json_column


class Quote(SQLModel, table=True):
    """A priced request kept for the price guarantee (PRICING.md)."""

    id: str = Field(primary_key=True, max_length=40)
    created_at: datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))
    expires_at: datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False, index=True))
    booking_date: date
    channel: str = Field(max_length=20)
    client_id: int | None = Field(default=None, index=True)
    request: dict = Field(sa_column=json_column())
    priced: dict = Field(sa_column=json_column())
    rule_versions: list = Field(default_factory=list, sa_column=json_column())
    subtotal_fen: int
    discount_total_fen: int
    total_fen: int
    currency: str = Field(default="CNY", max_length=3)
