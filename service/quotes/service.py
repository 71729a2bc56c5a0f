"""Quotes: price a request against the catalogue, store it, read it back, re-price it.

* ``create_quote`` loads only what the request names (products with seasons and packs,
  transit lines, stubs, the rules in force: a handful of SELECTs), prices it with the
  pure engine, and stores the whole priced payload with an expiry (one INSERT).
* ``get_quote`` returns the stored row; nothing is recomputed, so a quote reads the same
  after rates or rules change.
* ``reprice`` runs the engine again on the stored request and catalogue terms with
  exactly the stored rule versions, read back from ``discount_rule_version``.
"""

import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session

import pricing
from service.auth import Caller
from service.clock import local_date
from service.quotes import errors, payload, repository
from service.quotes.models import Quote

QUOTE_ID_PREFIX = "q_"


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


def _check_on_sale(request: dict[str, Any], terms: repository.CatalogueTerms) -> None:
    for i, item in enumerate(request["items"]):
        if item["product_id"] in terms.inactive_products:
            raise errors.not_on_sale(
                f"items[{i}].product_id", f"Product {item['product_id']} is not on sale."
            )
    for k, leg in enumerate(request["legs"]):
        if leg["line_id"] in terms.inactive_lines:
            raise errors.not_on_sale(
                f"legs[{k}].line_id", f"Transit line {leg['line_id']} is not in service."
            )


def _presented_stubs(session: Session, codes: Sequence[str]) -> list[pricing.StubInfo]:
    """Look every presented code up in the register: unknown or used codes are refused."""
    rows = repository.stubs_by_code(session, codes)
    out = []
    for s, code in enumerate(codes):
        row = rows.get(code.upper())
        if row is None:
            raise errors.unknown_stub(s, code)
        if row.used_by_booking_id is not None:
            raise errors.stub_already_used(s, code)
        out.append(repository.stub_info(row))
    return out


def create_quote(
    session: Session,
    request: dict[str, Any],
    *,
    caller: Caller,
    now: datetime,
    ttl_minutes: int,
    write_session: Session | None = None,
) -> Quote:
    """Price and store ``request`` (the validated body as JSON: items, legs, stub codes).

    The booking date is the Asia/Shanghai date of ``now``; the channel and client come
    from ``caller``. Raises ``Unprocessable`` with the engine's code and field.

    Reads go through ``session``; the quote is added to ``write_session`` (default: the
    same session) and inserted when that session's transaction commits. The endpoint
    passes a separate write session so that, on SQLite, the database write lock is held
    only for that INSERT and commit, not while the catalogue is read and the quote
    priced: nothing read here is changed by the write.
    """
    booking_date = local_date(now)
    terms = repository.load_terms(
        session,
        (i["product_id"] for i in request["items"]),
        (g["line_id"] for g in request["legs"]),
    )
    _check_on_sale(request, terms)
    stubs = _presented_stubs(session, request["stubs"])
    rules = repository.rules_in_force(session, booking_date)
    engine_request = payload.pricing_request(request, stubs, booking_date, caller.channel)
    priced = price(engine_request, terms.products, terms.transit_lines, rules)
    quote = Quote(
        id=new_quote_id(),
        created_at=now,
        expires_at=now + timedelta(minutes=ttl_minutes),
        booking_date=booking_date,
        channel=caller.channel,
        client_id=caller.client_id,
        request=request,
        terms=payload.terms_json(terms.products, terms.transit_lines, stubs),
        priced=payload.priced_json(priced, terms.products, terms.transit_lines, rules),
        rule_versions=[[r.id, r.version] for r in rules],
        subtotal_fen=priced.subtotal_fen,
        discount_total_fen=priced.discount_total_fen,
        total_fen=priced.total_fen,
        currency=priced.currency,
    )
    return repository.add_quote(write_session or session, quote)


def get_quote(session: Session, quote_id: str, *, caller: Caller) -> Quote:
    """A stored quote. A quote made by an API client is visible to that client only;
    an anonymous quote to whoever holds its (unguessable) id."""
    quote = repository.get_quote(session, quote_id) if len(quote_id) <= 40 else None
    if quote is None or (quote.client_id is not None and quote.client_id != caller.client_id):
        raise errors.QuoteNotFound(f"No quote {quote_id}.", field="quote_id")
    return quote


def reprice(session: Session, quote: Quote) -> pricing.PricedQuote:
    """Price ``quote``'s stored request again, on its stored catalogue terms, with exactly
    the rule versions that were in force when it was made (not the rules' current
    versions). The result equals the stored quote's lines and totals.

    Raises ``RuleVersionMissing`` if a stored rule version no longer exists.
    """
    products, transit_lines, stubs = payload.terms_from_json(quote.terms)
    pairs = [(int(rule_id), int(version)) for rule_id, version in quote.rule_versions]
    found = repository.rule_versions(session, pairs)
    if missing := [p for p in pairs if p not in found]:
        raise errors.RuleVersionMissing(
            f"Rule versions {missing} of quote {quote.id} no longer exist."
        )
    rules = [found[p] for p in pairs]
    request = payload.pricing_request(quote.request, stubs, quote.booking_date, quote.channel)
    return price(request, products, transit_lines, rules)
