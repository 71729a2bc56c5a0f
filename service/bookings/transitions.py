"""Status changes of a booking, each with its outbox event, in the caller's transaction.

Every transition locks the booking row first (``repository.lock``), re-reads its status
and only then acts, so two workers (a sweep and a payment, two cancels) never both
apply one: the loser sees the new status and does nothing. ``inventory_held`` flips in
the same transaction as the inventory it frees, which is why sweeping twice releases
once. Each change bumps ``version`` and ``updated_at`` (the partner feed) and writes
``booking.confirmed`` / ``booking.cancelled`` / ``booking.expired`` with
``enqueue_event``. Locks follow docs/architecture.md ("Locks, in one order"): the
booking rows, their travellers' report_stay locks (by writing the status, or sorted at
once for several bookings), and the nights last.
"""

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from catalog import inventory
from catalog.inventory import StayNights
from service.bookings import repository
from service.bookings.models import (
    CANCELLED,
    COMPLETED,
    CONFIRMED,
    EXPIRED,
    PENDING_PAYMENT,
    Booking,
    BookingItem,
)
from service.bookings.outbox import BOOKING_CONFIRMED, BOOKING_EXPIRED, enqueue_event

DEFAULT_LOCK_TIMEOUT_MS = 3000
SWEEP_BATCH = 500
REASON_PAID_AFTER_EXPIRY_SOLD_OUT = "paid_after_expiry_sold_out"
REASON_CONFIRMED_AFTER_EXPIRY = "paid_after_expiry_retaken"
REASON_HOLD_EXPIRED = "hold_expired"


def touch(booking: Booking, now: datetime) -> None:
    booking.updated_at = now
    booking.version += 1


def event_payload(booking: Booking, event_type: str, now: datetime, **extra: Any) -> dict[str, Any]:
    """What partners receive: no personal data, enough to fetch the booking."""
    return {
        "event": event_type,
        "reference": booking.reference,
        "status": booking.status,
        "status_reason": booking.status_reason,
        "version": booking.version,
        "payment_mode": booking.payment_mode,
        "total_fen": booking.total_fen,
        "refunded_fen": booking.refunded_fen,
        "refund_requested_fen": booking.refund_requested_fen,
        "refund_status": booking.refund_status,
        "currency": booking.currency,
        "occurred_at": now.isoformat(),
        **extra,
    }


def emit(session: Session, booking: Booking, event_type: str, now: datetime, **extra: Any) -> None:
    enqueue_event(
        session,
        client_id=booking.client_id,
        event_type=event_type,
        booking_id=booking.id,
        payload=event_payload(booking, event_type, now, **extra),
    )


def stays(items: Sequence[BookingItem]) -> list[StayNights]:
    return [StayNights(i.product_id, i.check_in, i.check_out, i.units) for i in items]


# --- expiry ------------------------------------------------------------------------------


def _mark_expired(session: Session, booking: Booking, now: datetime) -> None:
    booking.status = EXPIRED
    booking.status_reason = REASON_HOLD_EXPIRED
    booking.inventory_held = False
    touch(booking, now)
    session.add(booking)
    emit(session, booking, BOOKING_EXPIRED, now)


def expire_locked(
    session: Session,
    bookings: Sequence[Booking],
    now: datetime,
    *,
    traveller_hash: str | None = None,
) -> tuple[list[Booking], list[StayNights]]:
    """Expire holds already locked by the caller; returns them and the nights to give back.

    Their travellers' report_stay locks are taken first, at once and sorted, with
    ``traveller_hash``'s (a booking the caller writes next), never one booking at a
    time (``repository.lock_travellers``). The caller releases those nights
    (``inventory.release``, or in one sorted pass with what it takes:
    ``inventory.take(..., release=...)``). Stubs are freed here.
    """
    due = [
        b
        for b in bookings
        if b.status == PENDING_PAYMENT
        and b.inventory_held
        and b.hold_expires_at is not None
        and b.hold_expires_at <= now
    ]
    repository.lock_travellers(session, [b.id for b in due], traveller_hash)
    if not due:
        return [], []
    items = repository.items_of(session, [b.id for b in due])
    freed: list[StayNights] = []
    for booking in due:
        freed.extend(stays(items[booking.id]))
        _mark_expired(session, booking, now)
    repository.release_stubs(session, [b.id for b in due])
    session.flush()
    return due, freed


def release_expired_holds(
    session: Session,
    *,
    now: datetime,
    limit: int = SWEEP_BATCH,
    lock_timeout_ms: int = DEFAULT_LOCK_TIMEOUT_MS,
) -> int:
    """The sweeper: expire every hold past ``hold_expires_at`` and free its nights.

    Idempotent: holds are locked (``SKIP LOCKED`` on PostgreSQL) and re-checked, so a
    second sweep, concurrent or later, finds nothing left to release. Returns how many
    bookings it expired (at most ``limit`` per call).
    """
    locked = repository.lock_expired_holds(session, now=now, limit=limit)
    expired, freed = expire_locked(session, locked, now)
    inventory.release(session, freed, lock_timeout_ms=lock_timeout_ms)
    return len(expired)


def expire_booking(
    session: Session,
    booking: Booking,
    *,
    now: datetime,
    lock_timeout_ms: int = DEFAULT_LOCK_TIMEOUT_MS,
) -> bool:
    """Expire one hold if it is past its time (used when it is read). True if it did."""
    locked = repository.lock(session, booking.id)
    expired, freed = expire_locked(session, [locked], now)
    inventory.release(session, freed, lock_timeout_ms=lock_timeout_ms)
    return bool(expired)


# --- confirmation --------------------------------------------------------------------------


def _retake(session: Session, booking: Booking, lock_timeout_ms: int) -> None:
    """Take an expired booking's nights and stubs again; ``_Gone`` if any is gone."""
    items = repository.items_of(session, [booking.id])[booking.id]
    try:
        inventory.take(session, stays(items), lock_timeout_ms=lock_timeout_ms)
    except inventory.SoldOut:
        raise _Gone() from None
    for stub_id in repository.stub_ids_of(session, booking.id):
        if not repository.claim_stub(session, stub_id, booking.id):
            raise _Gone()


class _Gone(Exception):
    """A night or a ticket stub of an expired booking was taken by someone else."""


def confirm_booking(
    session: Session,
    booking: Booking,
    *,
    now: datetime,
    reason: str | None = None,
    lock_timeout_ms: int = DEFAULT_LOCK_TIMEOUT_MS,
) -> bool:
    """``pending_payment`` -> ``confirmed`` (payment succeeded). True when confirmed.

    * already confirmed (or completed): True, nothing changes (a repeated webhook);
    * a hold that expired and gave its nights back: take them again; when a night
      or a stub is gone, or its quote was booked again meanwhile, the booking stays
      ``expired`` with status_reason ``paid_after_expiry_sold_out`` and this returns
      False: the caller refunds;
    * cancelled: False (the caller refunds).

    Raises ``inventory.InventoryBusy`` when the nights stay locked: retry later.
    """
    b = repository.lock(session, booking.id)
    if b.status in (CONFIRMED, COMPLETED):
        return True
    if b.status == CANCELLED:
        return False
    if b.status == EXPIRED or not b.inventory_held:
        if b.status_reason == REASON_PAID_AFTER_EXPIRY_SOLD_OUT:
            return False
        try:
            with session.begin_nested():  # rolled back to if a night or a stub is gone
                # Live again, written before the nights are taken, as a cancel and an
                # expiry write their status before they free them: the status's trigger
                # takes the traveller's report_stay lock, and taking the nights first
                # took the two the other way round (a cancel of another booking of the
                # traveller on those nights, and this, each waited for the other). The
                # quote's unique index refuses it if another booking of the quote is
                # live (waiting for one not yet committed): a quote backs one live
                # booking at a time.
                b.status, b.inventory_held = CONFIRMED, True
                session.flush()
                _retake(session, b, lock_timeout_ms)
        except (_Gone, IntegrityError):
            b = repository.lock(session, booking.id)
            b.status = EXPIRED
            b.status_reason = REASON_PAID_AFTER_EXPIRY_SOLD_OUT
            touch(b, now)
            session.add(b)
            session.flush()
            return False
        b.inventory_held = True
        reason = reason or REASON_CONFIRMED_AFTER_EXPIRY
    b.status = CONFIRMED
    b.status_reason = reason
    b.hold_expires_at = None
    touch(b, now)
    session.add(b)
    session.flush()
    emit(session, b, BOOKING_CONFIRMED, now)
    return True


def complete_past_bookings(
    session: Session, *, today: date, now: datetime, limit: int = SWEEP_BATCH
) -> int:
    """``confirmed`` -> ``completed`` once every stay has checked out."""
    done = repository.lock_completable(session, today=today, limit=limit)
    repository.lock_travellers(session, [b.id for b in done])
    for b in done:
        b.status = COMPLETED
        touch(b, now)
        session.add(b)
    session.flush()
    return len(done)
