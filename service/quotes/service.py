"""Quotes: price a request against the catalogue, store it, read it back, re-price it.

* ``build_quote`` reads the catalogue version and only the terms of what the request
  names that are not cached under it (products with seasons and packs, transit lines,
  the rules in force; ``service.quotes.cache``), then the presented stubs, and prices it
  with the pure engine; ``store`` (the endpoint) and ``create_quote`` store the whole
  priced payload with an expiry (one INSERT) in the caller's transaction.
* ``get_quote`` returns the stored row; nothing is recomputed, so a quote reads the same
  after rates or rules change.
* ``reprice`` runs the engine again on the stored request and catalogue terms with
  exactly the stored rule versions, read back from ``discount_rule_version``.
"""

import contextlib
import re
import secrets
import threading
import weakref
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

import sqlalchemy as sa
from pydantic import ValidationError
from sqlmodel import Session

import pricing
from catalog import sale_calendars, sellability
from catalog import terms as catalog_terms
from service import holds
from service.auth import Caller
from service.catalog import availability
from service.clock import local_date
from service.db import Database
from service.errors import DomainError, Unprocessable, echoed
from service.quotes import errors, payload, repository, stops
from service.quotes.cache import CachedCatalogue, TermsCache
from service.quotes.models import Quote
from service.quotes.reader import MAX_QUOTE_ID_LENGTH
from service.quotes.schemas import QuoteIn

QUOTE_ID_PREFIX = "q_"
# What a quote read finds (a shown quote, a stored request): each says whose quote it is.
_Read = TypeVar("_Read")


def new_quote_id() -> str:
    """Unguessable: a quote id is all it takes to read a quote."""
    return QUOTE_ID_PREFIX + secrets.token_hex(12)


def price(
    request: pricing.QuoteRequest, products, transit_lines, rules: Sequence[pricing.DiscountRule]
) -> pricing.PricedQuote:
    """The engine, with its errors turned into problems (422, or 500 for bad catalogue data)."""
    try:
        return pricing.price_quote(request, products, transit_lines, rules)
    except pricing.PricingError as err:
        raise errors.from_pricing(err) from None


def _check_on_sale(body: QuoteIn, terms: catalog_terms.CatalogueTerms) -> None:
    for i, item in enumerate(body.items):
        if item.product_id in terms.inactive_products:
            raise errors.not_on_sale(
                f"items[{i}].product_id",
                f"Product {item.product_id} is no longer offered (retired by its operator).",
                f"产品 {item.product_id} 已不再提供（运营方已下架）。",
                reason=sellability.PRODUCT_RETIRED,
            )
    for k, leg in enumerate(body.legs):
        if leg.line_id in terms.inactive_lines:
            raise errors.not_on_sale(
                f"legs[{k}].line_id",
                f"Transit line {leg.line_id} is not in service.",
                f"交通线路 {leg.line_id} 未运营。",
            )


def _check_inventory(
    conn: sa.Connection, request: pricing.QuoteRequest, terms: catalog_terms.CatalogueTerms
) -> None:
    """Every night of every item on sale (``catalog.sellability``: inventory published,
    no stop-sell or restriction closing it), however far in the future: else 422
    ``not_on_sale`` naming the item and the night. Then each stay's units against each
    of its nights' units in all, taken or not (``SaleCalendar.fewer_in_all``): a stay
    that asks for more than the product has in all on a night can never be booked, 422
    ``too_many_units`` naming ``items[i].units``. Units taken by others, and stays of a
    quote that fit one by one but not together, are availability: the quote's pages
    say so and the booking takes the units under its lock (409 ``sold_out``)."""
    stays = [
        (sellability.SaleTerms.of(terms.products[item.product_id]), item.check_in, item.check_out)
        for item in request.items
    ]
    calendars = sale_calendars.stays_calendars(conn, stays)
    for i, problem in enumerate(sale_calendars.problems_of(calendars, stays)):
        if problem is not None:
            zh, en = sellability.reason_words(problem.reason, problem.day)
            raise errors.not_on_sale(
                f"items[{i}].{problem.field}",
                f"Product {request.items[i].product_id} is not on sale for the stay "
                f"{request.items[i].check_in} to {request.items[i].check_out}: {en}.",
                f"产品 {request.items[i].product_id} 在 {request.items[i].check_in} 至 "
                f"{request.items[i].check_out} 的入住不在售：{zh}。",
                reason=problem.reason,
                day=problem.day.isoformat() if problem.day else None,
            )
    for i, (calendar, item) in enumerate(zip(calendars, request.items, strict=True)):
        _check_units_in_all(calendar, i, item)


def _check_units_in_all(
    calendar: sellability.SaleCalendar, index: int, item: pricing.StayItemRequest
) -> None:
    """422 ``too_many_units`` if stay ``index`` asks for more units than a night of it
    has in all (``calendar``: the stay's, its totals read)."""
    short = calendar.short_in_all([(item.check_in, item.check_out)], item.units)
    if short is not None:
        raise errors.too_many_units(index, item, *short)


_GUESTS_FIELD = re.compile(r"items\[(\d+)\]\.guests")


def _units_before_guests(
    conn: sa.Connection,
    request: pricing.QuoteRequest,
    terms: catalog_terms.CatalogueTerms,
    refused: DomainError,
) -> None:
    """A party refused as too large for a stay's units (``too_many_guests``, whose limit
    counts every unit asked) where those units are more than the product has in all: the
    units are said first, ``too_many_units``, else the limit would count rooms that can
    never be booked ("add a room" to 13 of a 12-room product). The engine checks the
    stay's dates before its guests, so the stay's calendar can be read. The order is the
    price calendar's too (``availability.units_before_guests``)."""
    found = _GUESTS_FIELD.fullmatch(refused.field or "")
    if refused.code != "too_many_guests" or found is None:
        return
    index = int(found.group(1))
    item = request.items[index]
    stay = (
        sellability.SaleTerms.of(terms.products[item.product_id]),
        item.check_in,
        item.check_out,
    )
    [calendar] = sale_calendars.stays_calendars(conn, [stay])
    dates = (item.check_in, item.check_out)
    short = availability.units_before_guests(request.booking_date, calendar, [dates], item.units)
    if short is not None:
        raise errors.too_many_units(index, item, *short)


def _presented_stubs(
    conn: sa.Connection, codes: Sequence[str], rows: dict[str, Any], now: datetime
) -> list[pricing.StubInfo]:
    """Every presented code in the register (``rows``, by upper-cased code): unknown or
    used codes are refused. A stub of a hold past its expiry, not yet swept, is free
    (``service.holds``: the booking reads that hold as expired too)."""
    users = {row.used_by_booking_id for row in rows.values()} - {None}
    lapsed = holds.lapsed_among(conn, users, now)
    out = []
    for s, code in enumerate(codes):
        row = rows.get(code.upper())
        if row is None:
            raise errors.unknown_stub(s, code)
        if row.used_by_booking_id is not None and row.used_by_booking_id not in lapsed:
            raise errors.stub_already_used(s, code)
        out.append(catalog_terms.stub_info(row))
    return out


def build_quote(
    conn: sa.Connection,
    body: QuoteIn,
    *,
    caller: Caller,
    now: datetime,
    ttl_minutes: int,
    cache: TermsCache | None = None,
) -> "NewQuote":
    """Price ``body`` (the validated request: items, legs, stub codes) into a new quote,
    not yet stored (its request is kept as JSON).

    Reads through ``conn``: the catalogue version with the presented stubs (never
    cached) in one SELECT, then only the terms not cached under that version
    (``service.quotes.cache``; default: the cache of ``conn``'s engine). A quote whose
    terms are cached is that one SELECT. The booking
    date is the Asia/Shanghai date of ``now``; the channel and client come from
    ``caller``. Raises ``Unprocessable`` with the engine's code and field.
    """
    booking_date = local_date(now)
    request = body.model_dump(mode="json")
    version, stub_rows = catalog_terms.version_and_stubs(conn, body.stubs)
    catalogue = CachedCatalogue(conn, version, cache)
    terms = catalogue.terms((i.product_id for i in body.items), (g.line_id for g in body.legs))
    _check_on_sale(body, terms)
    stubs = _presented_stubs(conn, body.stubs, stub_rows, now)
    rules = catalogue.rules_in_force(booking_date)
    engine_request = payload.pricing_request(request, stubs, booking_date, caller.channel)
    try:
        priced = price(engine_request, terms.products, terms.transit_lines, rules)
    except DomainError as refused:
        _units_before_guests(conn, engine_request, terms, refused)
        raise
    leg_stops = stops.checked(conn, body.legs)
    _check_inventory(conn, engine_request, terms)
    return NewQuote(
        id=new_quote_id(),
        created_at=now,
        expires_at=now + timedelta(minutes=ttl_minutes),
        booking_date=booking_date,
        channel=caller.channel,
        client_id=caller.client_id,
        request=request,
        terms=payload.terms_json(terms.products, terms.transit_lines, stubs),
        priced=payload.priced_json(
            priced,
            terms.products,
            terms.transit_lines,
            rules,
            leg_stops,
            refund_policies=terms.refund_policies,
        ),
        rule_versions=[[r.id, r.version] for r in rules],
        subtotal_fen=priced.subtotal_fen,
        discount_total_fen=priced.discount_total_fen,
        total_fen=priced.total_fen,
        currency=priced.currency,
    )


def create_quote(
    session: Session, body: QuoteIn, *, caller: Caller, now: datetime, ttl_minutes: int
) -> Quote:
    """Price ``body`` in ``session``'s transaction (``build_quote``) and add the quote
    to it; it is inserted when the caller's transaction commits. For callers that own a
    transaction (tests, scripts); the endpoint uses ``build_quote`` and ``store``.
    """
    new = build_quote(session.connection(), body, caller=caller, now=now, ttl_minutes=ttl_minutes)
    return repository.add_quote(session, Quote(**new.row()))


def store(conn: sa.Connection, new: "NewQuote") -> None:
    """Insert the priced quote in ``conn``'s transaction (one Core INSERT, no ORM unit of
    work); the caller commits."""
    repository.insert_quote(conn, new.row())


_insert_locks: "weakref.WeakKeyDictionary[Database, threading.Lock]" = weakref.WeakKeyDictionary()


def insert_lock(db: Database) -> contextlib.AbstractContextManager:
    """On SQLite, one quote INSERT at a time per process: threads queue on a Python lock
    (woken as soon as it is free) instead of meeting SQLite's busy handler, which sleeps
    1, 2, 5, 10... ms between retries while another thread of the same worker commits;
    other processes and writers still meet the busy timeout. No lock on PostgreSQL
    (concurrent INSERTs do not conflict)."""
    if db.dialect != "sqlite":
        return contextlib.nullcontext()
    lock = _insert_locks.get(db)
    return lock if lock is not None else _insert_locks.setdefault(db, threading.Lock())


@dataclass(frozen=True, slots=True)
class NewQuote:
    """A just-priced quote: the ``quote`` row's values, with its attributes (``render``
    reads a stored ``Quote`` and a ``NewQuote`` alike)."""

    id: str
    created_at: datetime
    expires_at: datetime
    booking_date: date
    channel: str
    client_id: int | None
    request: dict[str, Any]
    terms: dict[str, Any]
    priced: dict[str, Any]
    rule_versions: list[list[int]]
    subtotal_fen: int
    discount_total_fen: int
    total_fen: int
    currency: str

    def row(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__slots__}


@dataclass(frozen=True, slots=True)
class StoredQuote:
    """A stored quote as it is shown (``GET /v1/quotes/{id}``, the quote and book pages):
    the ``quote`` row's values that ``schemas.render`` reads, as a ``NewQuote`` has
    them; not the request, terms and rule versions kept for ``reprice``."""

    id: str
    client_id: int | None
    created_at: datetime
    expires_at: datetime
    booking_date: date
    channel: str
    currency: str
    priced: dict[str, Any]
    subtotal_fen: int
    discount_total_fen: int
    total_fen: int


def get_quote(conn: sa.Connection, quote_id: str, *, caller: Caller) -> StoredQuote:
    """A stored quote, visible to whoever could book it: a client's quote to that client
    only, an anonymous quote to anonymous callers holding its (unguessable) id. One
    SELECT (a quote never changes after it is made: no transaction is needed around
    it). The same read as ``quote_of_booking``, then whose it is (``_callers``)."""
    return _callers(conn, quote_id, caller, quote_of_booking)


def is_callers(client_id: int | None, caller: Caller) -> bool:
    """Whether a quote made by ``client_id`` (None: without an API key) is ``caller``'s
    to read and book: a client's quote is that client's only, an anonymous one is every
    anonymous caller's that holds its id (``get_quote`` and ``request_of``, by
    ``_callers``; the traveller pages are anonymous). A booking's own pages read its quote
    whoever made it (``quote_of_booking``), but link to the quote page only when it is
    the traveller's (a partner's booking: the page would refuse it)."""
    return client_id == caller.client_id


def quote_of_booking(conn: sa.Connection, quote_id: str) -> StoredQuote:
    """The quote a booking was made from, for that booking's pages: whoever has read the
    booking (its token, its client) may read the price it was booked at, whichever
    caller made the quote. ``quote_id`` is the booking's own (a foreign key: the quote
    is there, and never changes)."""
    row = repository.shown_quote(conn, quote_id)
    if row is None:
        raise _not_found(quote_id)
    return shown_quote(row._mapping)


def shown_quote(values: Mapping[str, Any]) -> StoredQuote:
    """The quote as its shown columns (``repository.SHOWN``, by name) gave it, read here
    or beside its booking (``bookings.repository.shown_booking``)."""
    return StoredQuote(**values)


def _callers(
    conn: sa.Connection,
    quote_id: str,
    caller: Caller,
    read: Callable[[sa.Connection, str], _Read | None],
) -> _Read:
    """What ``read`` finds of quote ``quote_id`` if the quote is ``caller``'s (a client's
    quote is that client's only, an anonymous one anonymous callers'): an id longer than
    a quote's column holds, no such quote, or someone else's quote, is ``QuoteNotFound``
    alike (``get_quote`` and ``request_of``)."""
    found = read(conn, quote_id) if len(quote_id) <= MAX_QUOTE_ID_LENGTH else None
    if found is None or not is_callers(found.client_id, caller):
        raise _not_found(quote_id)
    return found


def _not_found(quote_id: str) -> errors.QuoteNotFound:
    return errors.QuoteNotFound(
        f"No quote {echoed(quote_id)}.", zh=f"没有报价 {echoed(quote_id)}。", field="quote_id"
    )


def request_of(conn: sa.Connection, quote_id: str, *, caller: Caller) -> QuoteIn:
    """The request a stored quote priced (the same stays, dates, party, packs, legs and
    stubs), to price again now; visible as ``get_quote`` is. A request stored under an
    older schema that no longer validates is ``Unprocessable`` (422), never a 500."""
    row = _callers(conn, quote_id, caller, repository.quote_request)
    try:
        return QuoteIn.model_validate(row.request)
    except ValidationError as exc:  # stored under an older form of the request
        raise Unprocessable(
            f"Quote {quote_id} was made by an earlier version of the quote form and cannot "
            "be priced again: please quote the stay anew.",
            zh=f"报价 {quote_id} 由旧版报价表单生成，无法重新计价，请重新查询这处住宿的价格。",
            field="quote_id",
        ) from exc


def reprice(session: Session, quote: Quote) -> pricing.PricedQuote:
    """Price ``quote``'s stored request again, on its stored catalogue terms, with exactly
    the rule versions that were in force when it was made (not the rules' current
    versions). The result equals the stored quote's lines and totals.

    Raises ``RuleVersionMissing`` if a stored rule version no longer exists.
    """
    products, transit_lines, stubs = payload.terms_from_json(quote.terms)
    pairs = [(int(rule_id), int(version)) for rule_id, version in quote.rule_versions]
    found = catalog_terms.rule_versions(session, pairs)
    if missing := [p for p in pairs if p not in found]:
        raise errors.RuleVersionMissing(
            f"Rule versions {missing} of quote {quote.id} no longer exist.",
            zh=f"报价 {quote.id} 所用的规则版本 {missing} 已不存在。",
        )
    rules = [found[p] for p in pairs]
    request = payload.pricing_request(quote.request, stubs, quote.booking_date, quote.channel)
    return price(request, products, transit_lines, rules)
