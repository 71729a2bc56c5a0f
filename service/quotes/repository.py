"""All SQL of the quote table. Functions flush, never commit; the catalogue reads a
quote prices with are ``catalog.terms``."""

from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from service.quotes.models import Quote

# --- quotes --------------------------------------------------------------------------


def add_quote(session: Session, quote: Quote) -> Quote:
    """Stage the INSERT; it runs when the request's transaction commits.

    Not flushed here on purpose: on SQLite the write lock is then taken and released
    inside that one commit, never held while the response is rendered or across the
    thread hops FastAPI makes between the endpoint and its dependencies' exits.
    """
    session.add(quote)
    return quote


_INSERT_QUOTE = Quote.__table__.insert()


def insert_quote(conn: sa.Connection, values: dict[str, Any]) -> None:
    """Insert one ``quote`` row now (a Core INSERT: no ORM unit of work)."""
    conn.execute(_INSERT_QUOTE, values)


_Q = Quote.__table__
# What a stored quote shows (``schemas.render``) and who may see it: not the request,
# catalogue terms and rule versions it keeps for re-pricing (most of the row's JSON).
# A booking's first view reads them beside the booking (``bookings.repository``).
SHOWN = (
    _Q.c.id,
    _Q.c.client_id,
    _Q.c.created_at,
    _Q.c.expires_at,
    _Q.c.booking_date,
    _Q.c.channel,
    _Q.c.currency,
    _Q.c.priced,
    _Q.c.subtotal_fen,
    _Q.c.discount_total_fen,
    _Q.c.total_fen,
)
_SHOWN = sa.select(*SHOWN).where(_Q.c.id == sa.bindparam("quote_id"))


def shown_quote(conn: sa.Connection, quote_id: str) -> sa.Row | None:
    """The columns of quote ``quote_id`` that its answer and page show, or None (one
    Core SELECT by primary key: no ORM object, no transaction needed)."""
    return conn.execute(_SHOWN, {"quote_id": quote_id}).first()


_REQUEST = sa.select(_Q.c.client_id, _Q.c.request).where(_Q.c.id == sa.bindparam("quote_id"))


def quote_request(conn: sa.Connection, quote_id: str) -> sa.Row | None:
    """Who made quote ``quote_id`` and the request it priced (as stored), or None."""
    return conn.execute(_REQUEST, {"quote_id": quote_id}).first()
