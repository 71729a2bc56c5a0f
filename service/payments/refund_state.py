"""A booking's refunds through Stripe as its answers show them: the one place that
writes ``booking.refunded_fen``, ``refund_requested_fen`` and ``refund_status`` of a
booking with Stripe refunds.

A refund is decided in the transaction that cancels the booking (or settles a payment
that landed after it ended) and only *requested* there (a ``pending`` ``refund`` row,
``gateway.request_refund``); the worker makes it at Stripe (``refunds``) and Stripe's
refund events say when it is made or fails (``service.process_event``). Each of these
re-reads the booking's refund rows here, so what the booking says is what Stripe has
confirmed, as Stripe's own Refund object models it (``status`` ``pending``,
``succeeded``, ``failed``; ``requires_action`` is still pending, ``canceled`` failed):

- ``refund_requested_fen``: every refund asked of Stripe for the booking;
- ``refunded_fen``: those Stripe has made (``succeeded``), never more than the total;
- ``refund_status``: ``failed`` if one failed (money the traveller is owed and did not
  get: the case to act on), else ``pending`` while one is not made yet, else
  ``succeeded``.

A refund that becomes ``succeeded`` or ``failed`` (``moved``) tells the booking's partner
at once, in the same transaction: ``booking.refund_succeeded`` or
``booking.refund_failed``, with that refund's ``refund_fen`` and the booking's refund
state as it now is.
"""

from datetime import datetime

from sqlmodel import Session

from service.bookings.models import Booking
from service.bookings.outbox import BOOKING_REFUND_FAILED, BOOKING_REFUND_SUCCEEDED
from service.bookings.transitions import emit, touch
from service.payments import repository
from service.payments.models import REFUND_FAILED, REFUND_PENDING, REFUND_SUCCEEDED, Refund


def status_of(statuses: list[str]) -> str | None:
    """The booking's refund status from its refunds' (None: no refund)."""
    if not statuses:
        return None
    if REFUND_FAILED in statuses:
        return REFUND_FAILED
    return REFUND_PENDING if REFUND_PENDING in statuses else REFUND_SUCCEEDED


def sync_booking(session: Session, booking: Booking) -> bool:
    """Write the booking's refund state from its refund rows (in the caller's
    transaction, the booking locked by it); whether anything changed."""
    refunds = repository.refunds_for_booking(session, booking.id)
    if not refunds:
        return False
    state = (
        sum(r.amount_fen for r in refunds),
        min(booking.total_fen, sum(r.amount_fen for r in refunds if r.status == REFUND_SUCCEEDED)),
        status_of([r.status for r in refunds]),
    )
    if state == (booking.refund_requested_fen, booking.refunded_fen, booking.refund_status):
        return False
    booking.refund_requested_fen, booking.refunded_fen, booking.refund_status = state
    session.add(booking)
    session.flush()
    return True


def locked(session: Session, booking_id: int, refund_id: int) -> tuple[Booking, Refund]:
    """The booking and one of its refunds, locked in that order (as every booking
    transaction locks), the refund read afresh: the worker's and Stripe's event's way
    to move a refund."""
    booking = repository.lock_booking(session, booking_id)  # the booking first
    row = session.get(Refund, refund_id, with_for_update=True, populate_existing=True)
    return booking, row


OUTCOME_EVENTS = {REFUND_SUCCEEDED: BOOKING_REFUND_SUCCEEDED, REFUND_FAILED: BOOKING_REFUND_FAILED}


def moved(session: Session, booking: Booking, row: Refund, now: datetime, *, was: str) -> None:
    """``row`` (``locked``'s, just ``record``ed; ``was`` its status before) written, and
    its booking's refund state with it; the booking touched if that changed. A refund
    that has come to an outcome (``succeeded``, ``failed``) sends its event, once: only
    here, and only when its status moved."""
    session.add(row)
    session.flush()
    if sync_booking(session, booking):
        touch(booking, now)  # a refund made or failed: the booking changed
    if row.status != was and row.status in OUTCOME_EVENTS:
        emit(session, booking, OUTCOME_EVENTS[row.status], now, refund_fen=row.amount_fen)


def record(row, status: str, now: datetime, *, stripe_id: str | None, error: str | None) -> None:
    """A refund row's new status (``succeeded`` or ``failed``), as Stripe reported it."""
    row.updated_at = now
    if stripe_id and not row.stripe_refund_id:
        row.stripe_refund_id = stripe_id
    row.status = status
    if status == REFUND_SUCCEEDED:
        row.succeeded_at, row.last_error = now, None
    else:
        row.succeeded_at, row.last_error = None, error
