"""The audit log: every change made through the admin API, who, when, before, after.

``record`` adds an entry in the caller's transaction (it commits or rolls back with the
change it describes). ``entries`` reads through the scope filter: an operator reads the
entries of its destinations, the province reads all. Entries never carry guests'
personal data (callers pass the fields of what changed, not of whom it is about).
"""

from datetime import datetime
from typing import Any, Literal, get_args

import sqlalchemy as sa
from sqlmodel import Session, select

from service.operators.models import AuditEntry
from service.operators.scope import Operator, scoped

# What an entry is about: the ``entity`` of every entry written (a test finds each one
# the services write), the values the log's ``entity`` filter takes (API and console).
Entity = Literal[
    "calendar", "product", "season", "pack", "destination", "rule", "booking", "issuer", "account"
]
ENTITIES: tuple[str, ...] = get_args(Entity)


def record(
    session: Session,
    operator: Operator,
    *,
    now: datetime,
    action: str,
    entity: str,
    entity_id: object,
    destination_id: int | None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    entry = AuditEntry(
        at=now,
        account_id=operator.account_id,
        account_login=operator.login,
        destination_id=destination_id,
        action=action,
        entity=entity,
        entity_id=str(entity_id),
        before=before,
        after=after,
    )
    session.add(entry)
    session.flush()
    return entry


def record_many(
    session: Session, operator: Operator, *, now: datetime, entries: list[dict[str, Any]]
) -> None:
    """Several entries in one INSERT (a bulk edit writes one per product); each entry
    has ``action``, ``entity``, ``entity_id``, ``destination_id``, ``before``, ``after``."""
    if not entries:
        return
    rows = [
        {
            "at": now,
            "account_id": operator.account_id,
            "account_login": operator.login,
            **entry,
            "entity_id": str(entry["entity_id"]),
        }
        for entry in entries
    ]
    session.connection().execute(sa.insert(AuditEntry.__table__), rows)


def entries(
    session: Session,
    operator: Operator,
    *,
    destination_id: int | None = None,
    entity: str | None = None,
    before_id: int | None = None,
    limit: int,
) -> list[AuditEntry]:
    """Newest first (by id), through the scope filter. The province also reads entries
    that belong to no destination; an operator only those of its destinations."""
    stmt = scoped(select(AuditEntry), operator, AuditEntry.destination_id)
    if destination_id is not None:
        stmt = stmt.where(AuditEntry.destination_id == destination_id)
    if entity is not None:
        stmt = stmt.where(AuditEntry.entity == entity)
    if before_id is not None:
        stmt = stmt.where(AuditEntry.id < before_id)
    return list(session.exec(stmt.order_by(AuditEntry.id.desc()).limit(limit)))


def record_for(session: Session, operator: Operator, destination_ids, **entry: Any) -> None:
    """One entry per destination, so each destination's operator reads it; one entry of
    no destination (the province's) when there is none."""
    for d in sorted(set(destination_ids)) or [None]:
        record(session, operator, destination_id=d, **entry)
