"""A stored quote as the bookings capability reads it: typed, and only what a booking
needs (its owner, expiry, total, and the priced items, legs and applied stubs), never
the stored request, terms or lines. Quotes own their table; bookings reads it here."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from service.at_once import most_at_once
from service.quotes.models import Quote

MAX_QUOTE_ID_LENGTH = 40


@dataclass(frozen=True, slots=True)
class QuotedItem:
    index: int
    product_id: int
    product_name_zh: str | None
    product_name_en: str | None
    check_in: date
    check_out: date
    guests: int
    units: int
    net_fen: int
    # The stay's refund tiers as the quote kept them (``payload.priced_json``); None: a
    # quote made before it kept them (its booking takes the product's policy of the day).
    refund_policy: tuple[dict[str, int], ...] | None = None


@dataclass(frozen=True, slots=True)
class QuotedLeg:
    index: int
    line_id: int
    line_name_zh: str
    line_name_en: str
    travel_date: date
    riders: int
    net_fen: int
    from_destination: dict[str, Any] | None = None  # ``stops.stop_json``; None: not said
    to_destination: dict[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class QuoteToBook:
    id: str
    client_id: int | None
    expires_at: datetime
    total_fen: int
    currency: str
    items: tuple[QuotedItem, ...]
    legs: tuple[QuotedLeg, ...]
    applied_stub_codes: tuple[str, ...]  # sorted, each once

    @property
    def guests(self) -> int:
        """The party the quote was priced for, the most a booking may name: the most
        guests at once over its stays (``service.at_once``), not one party per stay."""
        return most_at_once((i.check_in, i.check_out, i.guests) for i in self.items)

    @property
    def units(self) -> int:
        return sum(i.units for i in self.items)


_Q = Quote.__table__
_GET = sa.select(
    _Q.c.id, _Q.c.client_id, _Q.c.expires_at, _Q.c.total_fen, _Q.c.currency, _Q.c.priced
).where(_Q.c.id == sa.bindparam("quote_id"))


def quote_to_book(session: Session, quote_id: str) -> QuoteToBook | None:
    """The stored quote ``quote_id`` (in ``session``'s transaction), or ``None``."""
    if len(quote_id) > MAX_QUOTE_ID_LENGTH:
        return None
    row = session.connection().execute(_GET, {"quote_id": quote_id}).first()
    if row is None:
        return None
    priced = row.priced
    items, legs = priced_lines(priced)
    return QuoteToBook(
        id=row.id,
        client_id=row.client_id,
        expires_at=row.expires_at,
        total_fen=row.total_fen,
        currency=row.currency,
        items=items,
        legs=legs,
        applied_stub_codes=tuple(
            sorted({s["code"] for s in priced.get("stubs", ()) if s.get("applied")})
        ),
    )


def priced_lines(
    priced: dict[str, Any],
) -> tuple[tuple[QuotedItem, ...], tuple[QuotedLeg, ...]]:
    """The priced items and legs of a quote's stored ``priced`` payload, as a booking of
    it copies them (``quote_to_book``; before it is booked, what its desks will take:
    ``bookings.quote_desks``)."""
    return (
        tuple(_item(i) for i in priced["items"]),
        tuple(_leg(g) for g in priced.get("legs", ())),
    )


def _item(i: dict[str, Any]) -> QuotedItem:
    return QuotedItem(
        index=i["index"],
        product_id=i["product_id"],
        product_name_zh=i.get("product_name_zh"),
        product_name_en=i.get("product_name_en"),
        check_in=_date(i["check_in"]),
        check_out=_date(i["check_out"]),
        guests=i["guests"],
        units=i["units"],
        net_fen=i["net_fen"],
        refund_policy=_tiers(i.get("refund_policy")),
    )


def _tiers(policy: list[dict[str, int]] | None) -> tuple[dict[str, int], ...] | None:
    return None if policy is None else tuple(dict(t) for t in policy)


def _leg(g: dict[str, Any]) -> QuotedLeg:
    return QuotedLeg(
        index=g["index"],
        line_id=g["line_id"],
        line_name_zh=g.get("line_name_zh", ""),
        line_name_en=g.get("line_name_en", ""),
        travel_date=_date(g["travel_date"]),
        riders=g["riders"],
        net_fen=g["net_fen"],
        from_destination=g.get("from_destination"),
        to_destination=g.get("to_destination"),
    )


def _date(value: str | date) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value
