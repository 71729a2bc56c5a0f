"""Shared table plumbing: the constraint naming convention and a UTC datetime type.

Every table of the project (catalogue, quotes, bookings) registers on
``SQLModel.metadata``; importing this module first fixes the naming convention so
Alembic autogenerate produces stable constraint names on SQLite and PostgreSQL.
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlmodel import SQLModel

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
SQLModel.metadata.naming_convention = NAMING_CONVENTION


class UTCDateTime(sa.types.TypeDecorator):
    """Timestamps are stored in UTC and always come back timezone-aware.

    SQLite has no time zones, so values are stored naive-in-UTC there; PostgreSQL
    stores ``timestamptz``. Naive values are refused: a naive ``datetime`` in our
    code is a bug (local dates are Asia/Shanghai *dates*, instants are UTC).
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def utc_column(nullable: bool = False, index: bool = False) -> sa.Column:
    return sa.Column(UTCDateTime(), nullable=nullable, index=index)


def json_column(nullable: bool = False) -> sa.Column:
    """A JSON column (``JSON`` on SQLite, ``JSONB`` on PostgreSQL)."""
    return sa.Column(sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=nullable)
