"""The bookings list's filters and pages, read by one rule for ``GET /v1/admin/bookings``
and the console's ``/console/bookings``.

``BookingFilters`` is what the filters may be (a destination id, a booking status, the
first and last check-in days: the API's query types, which the console's form fills);
``page`` applies them in the admin API's order: the destination's scope (404 naming
``destination_id``), the cursor (422 ``invalid_cursor``, bound to the list, its filters
and the account, ``scope.listing_of``), then the range (422 ``invalid_range`` naming
``arriving_to``). Until December 2026 the console read only a status and the dates
itself and let anything else go: another destination's id, ``abc`` or a cursor of no
walk gave the full list.

``BookingSearch`` adds the guest's own words to them (the API's ``lead_phone`` and
``name``; the console's "find by guest" form, a POST): a phone is matched by its keyed
hash (``booking.traveller_hash``, ``clients.keys.traveller_hashes``: the digits,
without ``86``/``+86``/``0086``), a name exactly, as typed (NFKC, spaces around dropped), against
the lead traveller's. Neither is ever in a cursor: the cursor is bound to their keyed
hashes (``_bound``), so a ``next`` pasted anywhere says no phone or name.
"""

from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, StringConstraints
from sqlmodel import Session

from service.bookings.models import STATUSES
from service.bookings.schemas import Phone
from service.clients.keys import traveller_hashes
from service.operators.bookings import OperatorBooking, list_bookings
from service.operators.lists import DestinationFilter, in_scope, page_of
from service.operators.scope import Operator
from service.pagination import Page
from service.peppered import peppered_hash
from service.text import IsoDate, typed_text

BookingStatus = Literal[STATUSES]  # the bookings list's filter: bookings.models.STATUSES
NAME = "/v1/admin/bookings"  # the list its cursors belong to (the console walks it too)


class BookingFilters(DestinationFilter):
    """The bookings list's filters, each optional (left out: not filtered by)."""

    status: BookingStatus | None = None
    arriving_from: IsoDate | None = None
    arriving_to: IsoDate | None = None


FILTERS = tuple(BookingFilters.model_fields)

# A name as typed (NFKC, spaces around dropped: ``service.text.typed``), matched exactly.
GuestName = Annotated[
    str, StringConstraints(min_length=1, max_length=60), BeforeValidator(typed_text)
]


class BookingSearch(BookingFilters):
    """The filters and the guest's own words: the lead traveller's phone (``Phone``, as
    the booking form reads one: 422 ``phone_format``/``phone_digits`` naming
    ``lead_phone``) and name. Personal data: only the caller's own bookings are searched
    (the list's scope), and neither value is logged or put in a cursor."""

    lead_phone: Phone | None = None
    name: GuestName | None = None


SEARCH = ("lead_phone", "name")


class _Bound(BookingFilters):
    """What a searched list's cursor is bound to: the filters and the keyed hashes of
    the phone and name searched for, never the phone or name."""

    lead_phone_hash: str | None = None
    name_hash: str | None = None


def _bound(filters: BookingFilters, phone_hash: str | None, pepper: str) -> BaseModel:
    """``filters`` as its cursor is bound: unchanged without a search (a cursor of the
    list as it was, or of the console's list, is the same cursor), else with the
    search's keyed hashes in place of its words."""
    plain = BookingFilters(**filters.model_dump(include=set(FILTERS)))
    name = getattr(filters, "name", None)
    if phone_hash is None and name is None:
        return plain
    name_hash = peppered_hash(pepper, "booking-search-name", name.encode()) if name else None
    return _Bound(**plain.model_dump(), lead_phone_hash=phone_hash, name_hash=name_hash)


def page(
    session: Session,
    operator: Operator,
    filters: BookingFilters,
    *,
    cursor: str | None,
    limit: int,
    pepper: str,
) -> Page:
    """One page of the bookings the operator sees under ``filters``, newest first, with
    the cursors of the next page (None on the last) and the previous one
    (``pagination.walk``)."""
    in_scope(session, operator, filters)
    phone = getattr(filters, "lead_phone", None)
    phone_hashes = traveller_hashes(phone, pepper) if phone else None
    name = getattr(filters, "name", None)

    def rows(after_id: int | None, limit: int, backward: bool) -> list[OperatorBooking]:
        return list_bookings(
            session,
            operator,
            destination_id=filters.destination_id,
            status=filters.status,
            arriving_from=filters.arriving_from,
            arriving_to=filters.arriving_to,
            traveller_hashes=phone_hashes,
            lead_name=name,
            before_id=after_id,
            limit=limit,
            backward=backward,
        )

    bound = _bound(filters, phone_hashes[0] if phone_hashes else None, pepper)
    return page_of(operator, NAME, bound, rows, lambda v: v.booking.id, cursor=cursor, limit=limit)
