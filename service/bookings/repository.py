"""All SQL of the bookings capability. Functions flush, never commit.

Lock order, the same in every transaction so none waits in a cycle: booking rows
(expired holds are taken with ``SKIP LOCKED``) -> the client's ``api_client`` row (the
unit cap) -> ``inventory_night`` rows in sorted order (``catalog.inventory``) -> the
ticket stubs. ``FOR UPDATE`` is a no-op on SQLite, whose write session already holds
the database's write lock (``BEGIN IMMEDIATE``).
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Session, select

from catalog.models import Product, TicketStub
from service.bookings.models import (
    CONFIRMED,
    MODE_PAY_AT_PROPERTY,
    PENDING_PAYMENT,
    Booking,
    BookingItem,
    BookingLeg,
    BookingStub,
)
from service.clients.models import ApiClient
from service.quotes.models import Quote


def get_quote(session: Session, quote_id: str) -> Quote | None:
    return session.get(Quote, quote_id) if len(quote_id) <= 40 else None


def products(session: Session, ids: Iterable[int]) -> dict[int, Product]:
    rows = session.exec(select(Product).where(Product.id.in_(sorted(set(ids)))))
    return {p.id: p for p in rows}


def stubs_by_code(session: Session, codes: Sequence[str]) -> dict[str, TicketStub]:
    if not codes:
        return {}
    rows = session.exec(select(TicketStub).where(TicketStub.code.in_(list(codes))))
    return {s.code: s for s in rows}


def claim_stub(session: Session, stub_id: int, booking_id: int) -> bool:
    """Mark a stub used by ``booking_id`` unless another booking has it."""
    return bool(session.execute(
        sa.update(TicketStub).where(TicketStub.id == stub_id,
                                    TicketStub.used_by_booking_id.is_(None))
        .values(used_by_booking_id=booking_id)
    ).rowcount)


def stub_ids_of(session: Session, booking_id: int) -> list[int]:
    return list(session.exec(select(BookingStub.stub_id)
                             .where(BookingStub.booking_id == booking_id)
                             .order_by(BookingStub.stub_id)))


def stub_codes_of(session: Session, booking_id: int) -> list[tuple[int, str]]:
    rows = session.execute(
        sa.select(TicketStub.id, TicketStub.code)
        .join(BookingStub, BookingStub.stub_id == TicketStub.id)
        .where(BookingStub.booking_id == booking_id).order_by(TicketStub.id)
    ).all()
    return [(r.id, r.code) for r in rows]


def release_stubs(session: Session, booking_ids: Sequence[int]) -> int:
    if not booking_ids:
        return 0
    return session.execute(
        sa.update(TicketStub).where(TicketStub.used_by_booking_id.in_(list(booking_ids)))
        .values(used_by_booking_id=None)
    ).rowcount


def reference_taken(session: Session, reference: str) -> bool:
    return session.execute(
        sa.select(Booking.id).where(Booking.reference == reference)).first() is not None


def add(session: Session, *rows) -> None:
    session.add_all(rows)
    session.flush()


def lock_client(session: Session, client_id: int) -> None:
    session.execute(sa.select(ApiClient.id).where(ApiClient.id == client_id).with_for_update())


def held_units(session: Session, client_id: int) -> int:
    """Units in the client's unpaid bookings: holds, and pay-at-property confirmations."""
    unpaid = sa.or_(Booking.status == PENDING_PAYMENT,
                    sa.and_(Booking.status == CONFIRMED,
                            Booking.payment_mode == MODE_PAY_AT_PROPERTY))
    return session.execute(
        sa.select(sa.func.coalesce(sa.func.sum(BookingItem.units), 0))
        .join(Booking, Booking.id == BookingItem.booking_id)
        .where(Booking.client_id == client_id, unpaid)
    ).scalar_one()


def by_reference(session: Session, reference: str) -> Booking | None:
    return session.exec(select(Booking).where(Booking.reference == reference)).first()


def lock(session: Session, booking_id: int) -> Booking:
    """The booking row, locked for this transaction and re-read (fresh status)."""
    return session.exec(
        select(Booking).where(Booking.id == booking_id).with_for_update()
        .execution_options(populate_existing=True)
    ).one()


def lock_expired_holds(session: Session, *, now: datetime, limit: int) -> list[Booking]:
    """Holds past their expiry, locked; rows another transaction holds are skipped."""
    stmt = (select(Booking)
            .where(Booking.status == PENDING_PAYMENT, Booking.hold_expires_at <= now)
            .order_by(Booking.id).limit(limit)
            .with_for_update(skip_locked=True)
            .execution_options(populate_existing=True))
    return list(session.exec(stmt))


def items_of(session: Session, booking_ids: Sequence[int]) -> dict[int, list[BookingItem]]:
    out: dict[int, list[BookingItem]] = defaultdict(list)
    if booking_ids:
        for row in session.exec(select(BookingItem)
                                .where(BookingItem.booking_id.in_(list(booking_ids)))
                                .order_by(BookingItem.booking_id, BookingItem.item_index)):
            out[row.booking_id].append(row)
    return out


def legs_of(session: Session, booking_ids: Sequence[int]) -> dict[int, list[BookingLeg]]:
    out: dict[int, list[BookingLeg]] = defaultdict(list)
    if booking_ids:
        for row in session.exec(select(BookingLeg)
                                .where(BookingLeg.booking_id.in_(list(booking_ids)))
                                .order_by(BookingLeg.booking_id, BookingLeg.leg_index)):
            out[row.booking_id].append(row)
    return out


def feed(session: Session, *, client_id: int, updated_since: datetime | None,
         after: tuple[datetime, int] | None, limit: int) -> list[Booking]:
    """The client's bookings by (updated_at, id), after the cursor, ``limit`` rows."""
    stmt = select(Booking).where(Booking.client_id == client_id)
    if updated_since is not None:
        stmt = stmt.where(Booking.updated_at >= updated_since)
    if after is not None:
        at, last_id = after
        stmt = stmt.where(sa.or_(Booking.updated_at > at,
                                 sa.and_(Booking.updated_at == at, Booking.id > last_id)))
    return list(session.exec(stmt.order_by(Booking.updated_at, Booking.id).limit(limit)))


def lock_completable(session: Session, *, today: date, limit: int) -> list[Booking]:
    """Confirmed bookings whose every stay has ended (check_out on or before ``today``)."""
    last_out = (sa.select(sa.func.max(BookingItem.check_out))
                .where(BookingItem.booking_id == Booking.id).scalar_subquery())
    stmt = (select(Booking).where(Booking.status == CONFIRMED, last_out <= today)
            .order_by(Booking.id).limit(limit).with_for_update(skip_locked=True)
            .execution_options(populate_existing=True))
    return list(session.exec(stmt))
