"""The audit log: every change made through the admin API, who, when, before, after.

``record`` adds an entry in the caller's transaction (it commits or rolls back with the
change it describes). ``entries`` reads through the scope filter: an operator reads the
entries of its destinations, the province reads all. Entries never carry guests'
personal data (callers pass the fields of what changed, not of whom it is about).
"""

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any, Literal, get_args

import sqlalchemy as sa
from sqlmodel import Session, select

from catalog.models import AddOnPack, Destination, DiscountRuleVersion, Product, Season, StubIssuer
from service.clock import day_start
from service.operators import errors
from service.operators.models import AuditEntry, OperatorAccount
from service.operators.scope import Operator, scoped
from service.pagination import keyset

# What an entry is about: the ``entity`` of every entry written (a test finds each one
# the services write), the values the log's ``entity`` filter takes (API and console).
Entity = Literal[
    "calendar", "product", "season", "pack", "destination", "rule", "booking", "issuer", "account"
]
ENTITIES: tuple[str, ...] = get_args(Entity)
# The log's dates, as its ``changed_from``/``changed_to`` refusal names them.
CHANGED_ENDS = (("the first day", "起始日期"), ("the last day", "截止日期"))


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
    changed_from: date | None = None,
    changed_to: date | None = None,
    before_id: int | None = None,
    limit: int,
    backward: bool = False,
) -> list[AuditEntry]:
    """Newest first (by id: those older than ``before_id``; ``backward``, the newer ones
    from it, nearest first: ``pagination.keyset``), through the scope filter. The
    province also reads entries that belong to no destination; an operator only those
    of its destinations. ``changed_from``/``changed_to``: the entries made on those
    Asia/Shanghai days, both in (``changed_to`` before ``changed_from``: 422
    ``invalid_range`` naming ``changed_to``)."""
    if changed_from is not None and changed_to is not None:
        errors.check_days(changed_from, changed_to, last_field="changed_to", ends=CHANGED_ENDS)
    stmt = scoped(select(AuditEntry), operator, AuditEntry.destination_id)
    if destination_id is not None:
        stmt = stmt.where(AuditEntry.destination_id == destination_id)
    if entity is not None:
        stmt = stmt.where(AuditEntry.entity == entity)
    if changed_from is not None:
        stmt = stmt.where(AuditEntry.at >= day_start(changed_from))
    if changed_to is not None:
        stmt = stmt.where(AuditEntry.at < day_start(changed_to + timedelta(days=1)))
    stmt = keyset(stmt, AuditEntry.id, before_id, backward=backward, newest_first=True)
    return list(session.exec(stmt.limit(limit)))


# The table of the thing an entry is about, by its ``entity`` (its calendar's: the
# product's), whose name says it; a booking is said by its reference, its id.
_NAMED = {
    "calendar": Product,
    "product": Product,
    "season": Season,
    "pack": AddOnPack,
    "destination": Destination,
    "issuer": StubIssuer,
}


def names_of(
    session: Session, rows: Sequence[AuditEntry]
) -> dict[tuple[str, str], tuple[str, str]]:
    """What each entry is about by name (zh-CN, English), by (entity, entity_id): the
    log keeps the thing's id, which people know by its name (a product, its calendar, a
    season, a pack, a destination, a rule by its latest version's, a stub issuer, an
    account by its display name). A thing removed since, or named with nothing, has
    none here: its id is said."""
    wanted: dict[str, set[int]] = {}
    for e in rows:
        if e.entity_id.isdigit():
            wanted.setdefault(e.entity, set()).add(int(e.entity_id))
    out: dict[tuple[str, str], tuple[str, str]] = {}
    for entity, ids in wanted.items():
        if (model := _NAMED.get(entity)) is not None:
            stmt = sa.select(model.id, model.name_zh, model.name_en).where(model.id.in_(ids))
        elif entity == "rule":
            latest = (
                sa.select(
                    DiscountRuleVersion.rule_id, sa.func.max(DiscountRuleVersion.version).label("v")
                )
                .where(DiscountRuleVersion.rule_id.in_(ids))
                .group_by(DiscountRuleVersion.rule_id)
                .subquery()
            )
            stmt = sa.select(
                DiscountRuleVersion.rule_id,
                DiscountRuleVersion.name_zh,
                DiscountRuleVersion.name_en,
            ).join(
                latest,
                (latest.c.rule_id == DiscountRuleVersion.rule_id)
                & (latest.c.v == DiscountRuleVersion.version),
            )
        elif entity == "account":
            name = OperatorAccount.display_name
            stmt = sa.select(OperatorAccount.id, name, name).where(OperatorAccount.id.in_(ids))
        else:
            continue
        for thing_id, zh, en in session.execute(stmt):
            if zh or en:
                out[entity, str(thing_id)] = (zh or en, en or zh)
    return out


def record_for(session: Session, operator: Operator, destination_ids, **entry: Any) -> None:
    """One entry per destination, so each destination's operator reads it; one entry of
    no destination (the province's) when there is none."""
    for d in sorted(set(destination_ids)) or [None]:
        record(session, operator, destination_id=d, **entry)
