"""Operator accounts, their destinations, their admin API tokens, and the audit log.

Roles: ``province_admin`` (every destination; reads everything, writes no prices),
``operator_admin`` (its destinations: everything, including its own staff) and
``operator_staff`` (its destinations: inventory and bookings, not rates or rules).
Passwords are stored as argon2 hashes (``service.operators.passwords``); API tokens
only as HMAC hashes, like partner keys (``service.clients.keys``).
"""

import re
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from catalog.base import UTCDateTime, json_column

PROVINCE_ADMIN = "province_admin"
OPERATOR_ADMIN = "operator_admin"
OPERATOR_STAFF = "operator_staff"
ROLES = (PROVINCE_ADMIN, OPERATOR_ADMIN, OPERATOR_STAFF)
DEMO_PREFIX = "demo-"
# A login's characters: ASCII letters and digits and . @ _ - (migration 0028). Logins are
# matched without case, and only ASCII letters fold alike in SQLite's lower() (which
# folds nothing else), PostgreSQL's and Python's casefold() (the login limit's count).
LOGIN_CHARACTERS = re.compile(r"^[A-Za-z0-9._@-]+$")


def is_demo_login(login: str) -> bool:
    """A documented demo login (``demo-…``, in any case): refused in production."""
    return login.casefold().startswith(DEMO_PREFIX)


class OperatorAccount(SQLModel, table=True):
    __tablename__ = "operator_account"
    __table_args__ = (
        sa.CheckConstraint(
            "role IN ('province_admin', 'operator_admin', 'operator_staff')", name="role"
        ),
        # A login is one whatever its case (migration 0026): ``accounts.same_login``.
        sa.Index("uq_operator_account_login_lower", sa.func.lower(sa.column("login")), unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    login: str = Field(max_length=80, unique=True)
    display_name: str = Field(max_length=120)
    role: str = Field(max_length=20)
    password_hash: str = Field(max_length=255)
    is_active: bool = True
    created_at: datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))
    created_by: int | None = Field(default=None)


class OperatorDestination(SQLModel, table=True):
    """The destinations an operator account works for (none for the province)."""

    __tablename__ = "operator_destination"

    account_id: int = Field(foreign_key="operator_account.id", primary_key=True, ondelete="CASCADE")
    destination_id: int = Field(foreign_key="destination.id", primary_key=True, index=True)


class OperatorToken(SQLModel, table=True):
    """An admin API token: ``jlop_<prefix>_<secret>``, stored as its HMAC hash only."""

    __tablename__ = "operator_token"

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="operator_account.id", index=True, ondelete="CASCADE")
    token_prefix: str = Field(max_length=20, index=True)
    token_hash: str = Field(max_length=64, unique=True)
    label: str = Field(default="", max_length=80)
    created_at: datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))
    revoked_at: datetime | None = Field(default=None, sa_column=sa.Column(UTCDateTime()))
    # Issued by a console login (its cookie holds it), never by the API, whatever the
    # label: what a console login revokes when the session has lapsed (migration 0020).
    console_session: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})


class AuditEntry(SQLModel, table=True):
    """One change made through the admin API: who, when, what, before and after.

    ``destination_id`` scopes who may read it (the operator of that destination and the
    province); ``None`` for changes that belong to no one destination (read by the
    province only). ``before``/``after`` never carry guests' personal data.
    """

    __tablename__ = "audit_entry"
    __table_args__ = (sa.Index("ix_audit_entry_destination_id_id", "destination_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))
    account_id: int | None = Field(default=None, foreign_key="operator_account.id")
    account_login: str = Field(max_length=80)
    destination_id: int | None = Field(default=None, foreign_key="destination.id")
    action: str = Field(max_length=40)
    entity: str = Field(max_length=40)
    entity_id: str = Field(max_length=80)
    before: dict | None = Field(default=None, sa_column=json_column(nullable=True))
    after: dict | None = Field(default=None, sa_column=json_column(nullable=True))
