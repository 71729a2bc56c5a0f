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


def get_quote(session: Session, quote_id: str) -> Quote | None:
    return session.get(Quote, quote_id)
