"""The admin lists the console shows too, each read by one rule for ``/v1/admin/…`` and
its console page, the bookings list too (``booking_list``, by ``in_scope`` and
``page_of``).

A list's filters are one model (``DestinationFilter``, ``AuditFilters``: the API's query
types, which the console's form fills), and its page one function applying them in the
admin API's order: the scope of a destination named (404 naming ``destination_id``),
the cursor (422 ``invalid_cursor``, bound to the list, its filters and the account:
``scope.listing_of``), then the rows, in the API's order. Each answers a
``pagination.Page``: its rows, the next page's cursor (the API's ``next``) and the
previous page's (the console's "previous" link). Until December 2026 the console's
audit log read its kind itself and paged by a raw entry id, and its products list
showed every product with no filter, whatever the address said.
"""

from collections.abc import Callable
from functools import partial
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import Session

from catalog.models import Product
from service.operators import audit, catalogue, rules, stubs
from service.operators.scope import Operator, destination_of, listing_of
from service.pagination import Page, walk
from service.text import IsoDate

DestinationId = Annotated[int, Field(ge=1, le=2**31 - 1)]


class DestinationFilter(BaseModel):
    """A list of one destination's rows, or of all the caller's (left out)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    destination_id: DestinationId | None = None


class AuditFilters(DestinationFilter):
    """The audit log's filters: a destination, the kind of entry (``audit.ENTITIES``),
    and the first and last Asia/Shanghai days the entries were made on (inclusive)."""

    entity: audit.Entity | None = None
    changed_from: IsoDate | None = None
    changed_to: IsoDate | None = None

    # Filters added after the log issued cursors: one made before them is still taken
    # while they are unset (``scope.listing_of``'s ``newer``).
    NEWER: ClassVar[tuple[str, ...]] = ("changed_from", "changed_to")


def page_of(
    operator: Operator,
    name: str,
    filters: BaseModel | None,
    rows: Callable[..., list],
    key: Callable[[Any], int],
    *,
    cursor: str | None,
    limit: int,
    former: bool = True,
) -> Page:
    """A page of the list ``name`` under ``filters``: ``rows(after_id=, limit=,
    backward=)`` its rows (``pagination.walk``); the cursor bound to the list, its
    filters and the account (``former`` and the filters' ``NEWER``: ``scope.listing_of``)."""
    dumped = filters.model_dump() if filters is not None else None
    newer = getattr(type(filters), "NEWER", ())
    listing = listing_of(operator, name, dumped, former=former, newer=newer)

    def fetch(after: int | None, n: int, backward: bool) -> list:
        return rows(after_id=after, limit=n, backward=backward)

    return walk(listing, cursor, limit, fetch, key)


def in_scope(session: Session, operator: Operator, filters: DestinationFilter) -> None:
    """The destination filtered by is the caller's (404 naming ``destination_id``),
    checked before the cursor, as every admin list."""
    if filters.destination_id is not None:
        destination_of(session, operator, filters.destination_id, "destination_id")


def audit_page(
    session: Session, operator: Operator, filters: AuditFilters, *, cursor: str | None, limit: int
) -> Page:
    """The audit log's entries under ``filters``, newest first (``GET /v1/admin/audit``)."""
    in_scope(session, operator, filters)

    def rows(after_id: int | None, limit: int, backward: bool) -> list:
        return audit.entries(
            session,
            operator,
            destination_id=filters.destination_id,
            entity=filters.entity,
            changed_from=filters.changed_from,
            changed_to=filters.changed_to,
            before_id=after_id,
            limit=limit,
            backward=backward,
        )

    name = "/v1/admin/audit"
    return page_of(operator, name, filters, rows, lambda e: e.id, cursor=cursor, limit=limit)


def product_page(
    session: Session,
    operator: Operator,
    filters: DestinationFilter,
    *,
    cursor: str | None,
    limit: int,
) -> Page:
    """The products, active or not, by id (``GET /v1/admin/products``)."""
    in_scope(session, operator, filters)
    rows = partial(catalogue.rows_at, session, operator, Product, filters.destination_id)
    name = "/v1/admin/products"
    return page_of(operator, name, filters, rows, lambda p: p.id, cursor=cursor, limit=limit)


def pack_page(
    session: Session,
    operator: Operator,
    filters: DestinationFilter,
    *,
    cursor: str | None,
    limit: int,
) -> Page:
    """The add-on packs, each with the ids of the products that offer it, by id
    (``GET /v1/admin/packs``)."""
    in_scope(session, operator, filters)
    rows = partial(catalogue.list_packs, session, operator, filters.destination_id)
    return page_of(
        operator, "/v1/admin/packs", filters, rows, lambda row: row[0].id,
        cursor=cursor, limit=limit, former=False,
    )  # fmt: skip


def rule_page(
    session: Session,
    operator: Operator,
    *,
    cursor: str | None,
    limit: int,
    with_province_wide: bool = False,
) -> Page:
    """The discount rules with their current versions, by id (``GET /v1/admin/rules``);
    ``with_province_wide``, the console's walk: the province-wide rules an operator reads
    too, among its own by id (``rules.list_rules``). Either way a cursor is the last
    rule's id, so the API's page from the console's cursor is its own rows after it."""
    rows = partial(rules.list_rules, session, operator, with_province_wide=with_province_wide)
    return page_of(
        operator, "/v1/admin/rules", None, rows, lambda v: v.rule.id,
        cursor=cursor, limit=limit, former=False,
    )  # fmt: skip


def issuer_page(session: Session, operator: Operator, *, cursor: str | None, limit: int) -> Page:
    """The ticket stub issuers, by id (``GET /v1/admin/stub-issuers``)."""
    rows = partial(stubs.issuers_of, session, operator)
    return page_of(
        operator, "/v1/admin/stub-issuers", None, rows, lambda i: i.id,
        cursor=cursor, limit=limit, former=False,
    )  # fmt: skip
