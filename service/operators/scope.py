"""Scoping: the ONE place that decides what an operator may see and change.

* ``Operator`` is the resolved caller: its account, role and destinations (``None`` =
  every destination, the province).
* ``scoped(stmt, operator, column)`` is the filter every admin query goes through: it
  adds ``column IN (the operator's destinations)`` (nothing for the province).
* ``product_of`` / ``destination_of`` / ``require_destinations`` fetch through that
  filter; anything outside the caller's destinations is 404, exactly as an unknown id
  (a scope cannot be probed by comparing 403 with 404).
* ``Operator.require(permission)`` is the role check, made after the scope check, so a
  foreign resource is 404 whatever the role.
* ``listing_of`` is an admin list's cursors, bound to the caller's account.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, select

from catalog.models import Destination, Product
from service.operators import errors
from service.operators.models import OPERATOR_ADMIN, OPERATOR_STAFF, PROVINCE_ADMIN
from service.pagination import Listing

# What each role may do (reading is open to every role within its scope).
READ = "read"
INVENTORY = "inventory"  # units, stop-sell and stay restrictions of the calendar
RATES = "rates"  # nightly rate overrides, discount rules, stubs
BOOKINGS = "bookings"  # front-desk transitions and operator cancellation
CATALOGUE = "catalogue"  # destination facts, products, seasons, packs, filed prices
ACCOUNTS = "accounts"  # operator accounts (an operator admin: its own staff)
EVALUATE = "evaluate"  # close a year of the province's reports (service.reports.closing)
PERMISSIONS = {
    PROVINCE_ADMIN: frozenset({READ, ACCOUNTS, EVALUATE}),
    OPERATOR_ADMIN: frozenset({READ, INVENTORY, RATES, BOOKINGS, ACCOUNTS, CATALOGUE}),
    OPERATOR_STAFF: frozenset({READ, INVENTORY, BOOKINGS}),
}


@dataclass(frozen=True, slots=True)
class Operator:
    account_id: int | None  # None: the command line (bookings.COMMAND_LINE)
    login: str
    role: str
    destination_ids: frozenset[int] | None  # None: every destination (the province)
    token_id: int | None = None

    @property
    def is_province(self) -> bool:
        return self.destination_ids is None

    def sees(self, destination_id: int | None) -> bool:
        if self.destination_ids is None:
            return True
        return destination_id is not None and destination_id in self.destination_ids

    def can(self, permission: str) -> bool:
        return permission in PERMISSIONS.get(self.role, frozenset())

    def require(self, permission: str) -> None:
        if not self.can(permission):
            raise errors.forbidden(permission, self.role)


def listing_of(
    operator: Operator,
    name: str,
    filters: dict | None = None,
    *,
    former: bool = True,
    newer: tuple[str, ...] = (),
) -> Listing:
    """The admin list ``name`` under ``filters`` as ``operator`` walks it: its cursors
    belong to the operator's account as well as to the list and its filters, so another
    account's ``next`` is 422 ``invalid_cursor`` (it was a 200 over the caller's own
    rows, after the other's position), as the bookings feed's cursor is its partner's.
    A cursor issued before they were bound (not tagged with an account, before
    2026-12-07) is still taken through 2027-03-31 (docs/api-changes.md), by the lists
    that issued such cursors (``former``); the lists paginated since (rules, packs,
    accounts, stub issuers) take only bound ones.

    ``newer``: filters the list gained after it issued cursors (the audit log's days,
    2026-12-07). A cursor made before them was tagged without them, so it is taken, in
    either form, while they are unset (a kept link to the log's next page still works),
    never with one of them set."""
    bound = {"account_id": operator.account_id, **(filters or {})}
    older = [Listing(name, filters)] if former else []
    if newer and all(bound.get(k) is None for k in newer):
        before = {k: v for k, v in bound.items() if k not in newer}
        older.append(Listing(name, before))
        if former:
            older.append(Listing(name, {k: v for k, v in before.items() if k != "account_id"}))
    return Listing(name, bound, takes_former=tuple(older))


def scoped(stmt, operator: Operator, column: sa.ColumnElement):
    """``stmt`` limited to rows whose ``column`` (a destination id) the operator sees."""
    if operator.destination_ids is None:
        return stmt
    return stmt.where(column.in_(sorted(operator.destination_ids)))


def destination_of(session: Session, operator: Operator, destination_id: int, field: str):
    row = session.exec(
        scoped(select(Destination), operator, Destination.id).where(
            Destination.id == destination_id
        )
    ).first()
    if row is None:
        raise errors.not_found("destination", destination_id, field)
    return row


def require_destinations(
    session: Session, operator: Operator, destination_ids: Sequence[int], field: str
) -> None:
    """Every id is a destination the operator sees; else 404 naming ``field[i]``."""
    wanted = sorted(set(destination_ids))
    found = set(
        session.exec(
            scoped(select(Destination.id), operator, Destination.id).where(
                Destination.id.in_(wanted)
            )
        ).all()
    )
    for i, d in enumerate(destination_ids):
        if d not in found:
            raise errors.not_found("destination", d, f"{field}[{i}]")


def product_of(session: Session, operator: Operator, product_id: int, field: str) -> Product:
    row = session.exec(
        scoped(select(Product), operator, Product.destination_id).where(Product.id == product_id)
    ).first()
    if row is None:
        raise errors.not_found("product", product_id, field)
    return row


def products_of(
    session: Session, operator: Operator, product_ids: Sequence[int], field: str
) -> dict[int, Product]:
    """The products by id, all within scope; else 404 naming ``field[i]``."""
    wanted = sorted(set(product_ids))
    rows = {
        p.id: p
        for p in session.exec(
            scoped(select(Product), operator, Product.destination_id).where(Product.id.in_(wanted))
        )
    }
    for i, p in enumerate(product_ids):
        if p not in rows:
            raise errors.not_found("product", p, f"{field}[{i}]")
    return rows


def visible_destination_ids(session: Session, operator: Operator) -> list[int]:
    return list(
        session.exec(
            scoped(select(Destination.id), operator, Destination.id).order_by(Destination.id)
        )
    )


def rule_is_visible(operator: Operator, destination_ids: Sequence[int]) -> bool:
    """A discount rule is an operator's when it is scoped to destinations (a non-empty
    ``destination_ids``) that are all the operator's; the province sees every rule,
    province-wide ones (no destinations) included."""
    if operator.is_province:
        return True
    return bool(destination_ids) and within(operator, destination_ids)


def within(operator: Operator, destination_ids: Iterable[int]) -> bool:
    """Every one of ``destination_ids`` is the operator's (the province: always)."""
    return operator.destination_ids is None or set(destination_ids) <= operator.destination_ids
