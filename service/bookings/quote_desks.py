"""Which front desk takes what of a quote paid at the property, before it is booked (the
book page): the booking's own rule (``shares.desks``) on the lines a booking of the
quote copies (``quotes.reader.priced_lines``, written as they are by
``service.create_booking``), each destination named as a booking's desks are (its
products' one read, ``repository.places_of_products``). So the same amounts as the
booking's ``payment.at_property`` once booked (no stay is a no-show yet), together the
quote's total to the fen.
"""

from datetime import date
from typing import NamedTuple

from sqlmodel import Session

from service.bookings import repository
from service.bookings.schemas import DeskOut, named_desks
from service.bookings.shares import desks
from service.i18n import Lang
from service.quotes.reader import priced_lines
from service.quotes.service import StoredQuote


class _Stay(NamedTuple):
    """A quoted stay as its booking's item will read: the front desk has not seen the
    guest yet (``stay_status`` None)."""

    item_index: int
    product_id: int
    check_in: date
    net_fen: int
    stay_status: str | None = None


class _Ride(NamedTuple):
    """A quoted transfer as its booking's leg will read."""

    leg_index: int
    travel_date: date
    net_fen: int


def quote_desks(session: Session, quote: StoredQuote, lang: Lang) -> list[DeskOut]:
    """Every desk a booking of ``quote`` paid at the property would have, in the order
    of its first stay, named in ``lang``: what each collects and, of that, the fares
    paid with its stays."""
    items, legs = priced_lines(quote.priced)
    stays = [_Stay(i.index, i.product_id, i.check_in, i.net_fen) for i in items]
    rides = [_Ride(g.index, g.travel_date, g.net_fen) for g in legs]
    places = repository.places_of_products(session, (i.product_id for i in items))
    destination_of = {p: place.destination_id for p, place in places.items()}
    return named_desks(desks(stays, rides, destination_of), places, lang)
