"""All SQL of payments, refunds and Stripe events.

Row locks: ``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite ignores it, and there the
caller's write session already holds the database's write lock (``BEGIN IMMEDIATE``).
Pending refunds are claimed with ``FOR UPDATE SKIP LOCKED`` so
several workers never take the same row at once.
"""

from datetime import datetime, timedelta

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, func, select

from service import retry
from service.bookings.models import CANCELLED, EXPIRED, PENDING_PAYMENT, Booking
from service.payments.events import ReceivedEvent
from service.payments.models import (
    REFUND_FAILED,
    REFUND_PENDING,
    REFUND_SUCCEEDED,
    Payment,
    Refund,
    StripeEvent,
)


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def _insert(session: Session, table):
    return (postgresql.insert if _dialect(session) == "postgresql" else sqlite.insert)(table)


# -- payments ----------------------------------------------------------------------------


def payment_for_booking(session: Session, booking_id: int) -> Payment | None:
    return session.exec(select(Payment).where(Payment.booking_id == booking_id)).first()


def payment_by_intent(session: Session, payment_intent_id: str) -> Payment | None:
    stmt = select(Payment).where(Payment.payment_intent_id == payment_intent_id)
    return session.exec(stmt).first()


def lock_payment_for_booking(session: Session, booking_id: int) -> Payment | None:
    """The booking's payment, locked and re-read (its status as committed now)."""
    stmt = (
        select(Payment)
        .where(Payment.booking_id == booking_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return session.exec(stmt).first()


def lock_payment_by_intent(session: Session, payment_intent_id: str) -> Payment | None:
    stmt = (
        select(Payment)
        .where(Payment.payment_intent_id == payment_intent_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return session.exec(stmt).first()


def lock_booking(session: Session, booking_id: int) -> Booking:
    """The booking row, locked and re-read; taken before the payment row, as bookings do."""
    stmt = (
        select(Booking)
        .where(Booking.id == booking_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return session.exec(stmt).one()


def unsettled_payments(session: Session, since: datetime, limit: int = 500) -> list[Payment]:
    """Stripe payments not (yet) succeeded here, made at or after ``since``."""
    stmt = (
        select(Payment)
        .where(
            Payment.status != "succeeded",
            col(Payment.payment_intent_id).is_not(None),
            Payment.created_at >= since,
        )
        .order_by(Payment.id)
        .limit(limit)
    )
    return list(session.exec(stmt).all())


def intents_to_cancel(session: Session, since: datetime, limit: int) -> list[tuple[int, str]]:
    """(payment id, PaymentIntent id) of unpaid payments made at or after ``since`` whose
    booking was cancelled or expired and whose PaymentIntent is not cancelled yet."""
    stmt = (
        select(Payment.id, Payment.payment_intent_id)
        .join(Booking, col(Booking.id) == col(Payment.booking_id))
        .where(
            Payment.status != "succeeded",
            col(Payment.canceled_at).is_(None),
            col(Payment.payment_intent_id).is_not(None),
            col(Booking.status).in_((CANCELLED, EXPIRED)),
            Payment.created_at >= since,
        )
        .order_by(Payment.id)
        .limit(limit)
    )
    return [(pid, intent) for pid, intent in session.exec(stmt).all()]


def lock_payment(session: Session, payment_id: int) -> Payment:
    stmt = (
        select(Payment)
        .where(Payment.id == payment_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return session.exec(stmt).one()


def pending_bookings_with_hold_ended(
    session: Session, booking_ids: list[int], now: datetime
) -> list[int]:
    stmt = select(Booking.id).where(
        col(Booking.id).in_(booking_ids),
        Booking.status == PENDING_PAYMENT,
        col(Booking.hold_expires_at) <= now,
    )
    return list(session.exec(stmt).all())


# -- refunds -------------------------------------------------------------------------------


def refunded_or_pending_fen(session: Session, payment_id: int) -> int:
    stmt = select(func.coalesce(func.sum(Refund.amount_fen), 0)).where(
        Refund.payment_id == payment_id,
        col(Refund.status).in_([REFUND_PENDING, REFUND_SUCCEEDED]),
    )
    return int(session.exec(stmt).one())


def count_refunds(session: Session, booking_id: int) -> int:
    stmt = select(func.count()).select_from(Refund).where(Refund.booking_id == booking_id)
    return int(session.exec(stmt).one())


def refunds_for_booking(session: Session, booking_id: int) -> list[Refund]:
    stmt = select(Refund).where(Refund.booking_id == booking_id).order_by(Refund.id)
    return list(session.exec(stmt).all())


def lock_failed_refunds(session: Session, booking_id: int) -> list[Refund]:
    """The booking's failed refunds, locked and re-read, in order."""
    stmt = (
        select(Refund)
        .where(Refund.booking_id == booking_id, Refund.status == REFUND_FAILED)
        .order_by(Refund.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return list(session.exec(stmt).all())


def refund_at_stripe(session: Session, stripe_refund_id: str, key: str | None) -> Refund | None:
    """Our refund that Stripe's refund ``stripe_refund_id`` made: by that id, or by our
    idempotency key in its metadata (an event that came before the worker wrote the id)."""
    found = session.exec(select(Refund).where(Refund.stripe_refund_id == stripe_refund_id)).first()
    if found is None and key:
        found = session.exec(select(Refund).where(Refund.idempotency_key == key)).first()
    return found


def claim_due_refunds(
    session: Session, now: datetime, lease: timedelta, limit: int
) -> list[tuple[Refund, str]]:
    """Take due pending refunds (with their PaymentIntent id) and push them ``lease`` ahead.

    The lease keeps other workers off a refund while this one calls Stripe; if this
    worker dies, the refund is due again when the lease ends (at least once, and the
    idempotency key makes Stripe refund once).
    """
    refunds = retry.claim_due(
        session, Refund, pending_status=REFUND_PENDING, now=now, lease=lease, limit=limit
    )
    return [(r, session.get(Payment, r.payment_id).payment_intent_id) for r in refunds]


# -- Stripe events -----------------------------------------------------------------------


def insert_stripe_event_once(
    session: Session, event: ReceivedEvent, *, source: str, now: datetime
) -> int | None:
    """Store a Stripe event unless its id is known: the new row's id, or ``None``.

    ``ON CONFLICT DO NOTHING``: a concurrent insert of the same id waits for the first
    transaction and then inserts nothing, so one event is processed once.
    """
    stmt = (
        _insert(session, StripeEvent)
        .values(
            event_id=event.id,
            type=event.type[:80],
            payment_intent_id=event.intent.id if event.intent else None,
            source=source,
            payload=event.payload,
            received_at=now,
        )
        .on_conflict_do_nothing(index_elements=["event_id"])
        .returning(StripeEvent.id)
    )
    return session.exec(stmt).scalar_one_or_none()


def stripe_event(session: Session, row_id: int) -> StripeEvent:
    return session.get(StripeEvent, row_id)


def stripe_event_by_event_id(session: Session, event_id: str) -> StripeEvent | None:
    return session.exec(select(StripeEvent).where(StripeEvent.event_id == event_id)).first()
