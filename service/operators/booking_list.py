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
"""

from typing import Literal

from sqlmodel import Session

from service.bookings.models import STATUSES
from service.operators.bookings import OperatorBooking, list_bookings
from service.operators.lists import DestinationFilter, in_scope, page_of
from service.operators.scope import Operator
from service.pagination import Page
from service.text import IsoDate

BookingStatus = Literal[STATUSES]  # the bookings list's filter: bookings.models.STATUSES
NAME = "/v1/admin/bookings"  # the list its cursors belong to (the console walks it too)


class BookingFilters(DestinationFilter):
    """The bookings list's filters, each optional (left out: not filtered by)."""

    status: BookingStatus | None = None
    arriving_from: IsoDate | None = None
    arriving_to: IsoDate | None = None


FILTERS = tuple(BookingFilters.model_fields)


def page(
    session: Session,
    operator: Operator,
    filters: BookingFilters,
    *,
    cursor: str | None,
    limit: int,
) -> Page:
    """One page of the bookings the operator sees under ``filters``, newest first, with
    the cursors of the next page (None on the last) and the previous one
    (``pagination.walk``)."""
    in_scope(session, operator, filters)

    def rows(after_id: int | None, limit: int, backward: bool) -> list[OperatorBooking]:
        return list_bookings(
            session,
            operator,
            destination_id=filters.destination_id,
            status=filters.status,
            arriving_from=filters.arriving_from,
            arriving_to=filters.arriving_to,
            before_id=after_id,
            limit=limit,
            backward=backward,
        )

    return page_of(
        operator, NAME, filters, rows, lambda v: v.booking.id, cursor=cursor, limit=limit
    )
