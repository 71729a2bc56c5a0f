"""Stored quotes: every line as returned, immutable, with the rule versions used.

A quote row keeps everything needed to answer ``GET /v1/quotes/{id}`` unchanged and to
re-price it later (``service.quotes.service.reprice``):

* ``request``: the normalised request body (items, legs, upper-cased stub codes);
* ``terms``: the catalogue terms the engine was given (products with seasons and packs,
  transit lines, the presented stubs), so a later rate change cannot alter a re-price;
* ``rule_versions``: every ``[rule_id, version]`` in force when the quote was made (the
  rules the engine considered; ``priced["rules_used"]`` lists the ones that applied);
* ``priced``: the language-neutral response payload (both ``label_zh`` and ``label_en``).
"""

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from catalog.base import UTCDateTime, json_column


class Quote(SQLModel, table=True):
    """A priced request kept for the price guarantee (docs/pricing.md)."""

    id: str = Field(primary_key=True, max_length=40)
    created_at: datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))
    expires_at: datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False, index=True))
    booking_date: date
    channel: str = Field(max_length=20)
    client_id: int | None = Field(default=None, index=True)
    request: dict = Field(sa_column=json_column())
    terms: dict = Field(default_factory=dict, sa_column=json_column())
    priced: dict = Field(sa_column=json_column())
    rule_versions: list = Field(default_factory=list, sa_column=json_column())
    subtotal_fen: int = Field(sa_type=sa.BigInteger)
    discount_total_fen: int = Field(sa_type=sa.BigInteger)
    total_fen: int = Field(sa_type=sa.BigInteger)
    currency: str = Field(default="CNY", max_length=3)
