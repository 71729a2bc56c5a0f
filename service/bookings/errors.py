"""Problems of the bookings capability (RFC 9457 via ``service.errors``)."""

from catalog.inventory import SoldOut
from service.errors import Conflict, DomainError, NotFound, Unprocessable


class BookingNotFound(NotFound):
    code = "booking_not_found"


def booking_not_found(reference: str) -> BookingNotFound:
    # The same answer whether the booking does not exist or is someone else's (no BOLA
    # oracle): partners see only their own, travellers need the booking's token.
    return BookingNotFound(f"No booking {reference} for this caller.", field="reference")


def quote_not_found(quote_id: str) -> Unprocessable:
    return Unprocessable(
        f"No quote {quote_id} for this caller.", field="quote_id", code="quote_not_found"
    )


def quote_expired(quote_id: str) -> Unprocessable:
    return Unprocessable(
        f"Quote {quote_id} has expired; ask for a new quote.",
        field="quote_id",
        code="quote_expired",
    )


def quote_already_booked(quote_id: str) -> Conflict:
    return Conflict(
        f"Quote {quote_id} is already booked; a quote backs one booking at a time (it may "
        "be booked again only if that booking is cancelled or expires).",
        field="quote_id",
        code="quote_already_booked",
    )


def too_many_guests(allowed: int) -> Unprocessable:
    return Unprocessable(
        f"The quote is for {allowed} guests; list at most that many.",
        field="guests",
        code="too_many_guests",
    )


def sold_out(exc: SoldOut) -> Conflict:
    return Conflict(
        f"Sold out: product {exc.product_id} has {exc.available} units left on "
        f"{exc.night.isoformat()}.",
        field=f"items[{exc.index}]",
        code="sold_out",
        night=exc.night.isoformat(),
        product_id=exc.product_id,
    )


def not_on_sale(index: int, product_id: int, reason: str, day) -> Conflict:
    """A stay of the quote is no longer sellable: its operator closed a night or day
    since the quote (stop-sell, closed to arrival or departure, a stay length)."""
    return Conflict(
        f"Product {product_id} is no longer on sale for item {index}: {reason} on {day}.",
        code="not_on_sale",
        field=f"items[{index}]",
        reason=reason,
        day=day.isoformat() if day else None,
    )


def inventory_busy() -> Conflict:
    return Conflict(
        "The inventory is busy; retry in a moment (nothing was booked).",
        code="inventory_busy",
        headers={"Retry-After": "1"},
    )


def hold_limit(limit: int, held: int) -> Conflict:
    return Conflict(
        f"This client already holds {held} unpaid units; the limit is {limit}.",
        code="hold_limit_reached",
        field="items",
        held_units=held,
        limit=limit,
    )


def anonymous_product_hold_limit(index: int, product_id: int, limit: int, held: int) -> Conflict:
    return Conflict(
        f"Unpaid bookings without an API key already hold {held} units of product "
        f"{product_id}; at most {limit} may be held unpaid this way. Retry once some are "
        "paid or expire.",
        code="hold_limit_reached",
        field=f"items[{index}]",
        held_units=held,
        limit=limit,
        product_id=product_id,
    )


def anonymous_address_hold_limit(limit: int, held: int) -> Conflict:
    return Conflict(
        f"Unpaid bookings from this address already hold {held} units; at most {limit} "
        "may be held unpaid at once. Pay for them, or wait until they expire.",
        code="hold_limit_reached",
        field="items",
        held_units=held,
        limit=limit,
    )


def stub_already_used(code: str) -> Conflict:
    return Conflict(
        f"Ticket stub {code} was used by another booking meanwhile.",
        field="quote_id",
        code="stub_already_used",
    )


def not_cancellable(status: str) -> Conflict:
    return Conflict(
        f"A booking in status {status} cannot be cancelled.", field="status", code="not_cancellable"
    )


class PaymentsUnavailable(DomainError):
    status, code, title = 503, "payments_unavailable", "Payments unavailable"
