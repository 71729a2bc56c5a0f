"""Booking tables: the booking, its stay items, transit legs and the stubs it uses.

Status: ``pending_payment`` -> ``confirmed`` -> ``cancelled`` | ``completed``;
``pending_payment`` -> ``expired`` (or ``cancelled``). ``inventory_held`` says whether
the booking's nights are counted in ``inventory_night.taken_units``: every transition
that frees them flips it in the same transaction, which is what makes "release once"
hold however many sweeps or cancels race.

Personal data (lead phone, guests' ID numbers) is stored for the booking's owner only;
list views and logs mask it.
"""

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from catalog.base import UTCDateTime, json_column
from service.holds import PENDING_PAYMENT  # a hold's status, defined where holds are read

CONFIRMED = "confirmed"
CANCELLED = "cancelled"
COMPLETED = "completed"
EXPIRED = "expired"
STATUSES = (PENDING_PAYMENT, CONFIRMED, CANCELLED, COMPLETED, EXPIRED)
# What a booking's status is called (zh-CN, English): on the pages, in the console and
# in the problems that name a status.
STATUS_NAMES = {
    PENDING_PAYMENT: ("待付款", "Awaiting payment"),
    CONFIRMED: ("已确认", "Confirmed"),
    CANCELLED: ("已取消", "Cancelled"),
    COMPLETED: ("已完成", "Completed"),
    EXPIRED: ("已过期", "Expired"),
}
# A quote backs one live booking at a time: while one of these is live, another booking
# of its quote is refused (``uq_booking_live_quote``); cancelled and expired ones free it.
LIVE_STATUSES = (PENDING_PAYMENT, CONFIRMED, COMPLETED)
LIVE_QUOTE_WHERE = "status IN ('pending_payment', 'confirmed', 'completed')"

MODE_STRIPE = "stripe"
MODE_PAY_AT_PROPERTY = "pay_at_property"
MODE_MERCHANT_COLLECTS = "merchant_collects"
PAYMENT_MODES = (MODE_STRIPE, MODE_PAY_AT_PROPERTY, MODE_MERCHANT_COLLECTS)


class Booking(SQLModel, table=True):
    __table_args__ = (
        sa.CheckConstraint(
            "status IN ('pending_payment', 'confirmed', 'cancelled', 'completed', 'expired')",
            name="status",
        ),
        sa.CheckConstraint(
            "payment_mode IN ('stripe', 'pay_at_property', 'merchant_collects')",
            name="payment_mode",
        ),
        sa.CheckConstraint("refunded_fen >= 0 AND refunded_fen <= total_fen", name="refund"),
        sa.Index("ix_booking_client_id_updated_at_id", "client_id", "updated_at", "id"),
        sa.Index("ix_booking_client_id_change_seq_id", "client_id", "change_seq", "id"),
        sa.Index("ix_booking_status_hold_expires_at", "status", "hold_expires_at"),
        sa.Index(
            "uq_booking_live_quote",
            "quote_id",
            unique=True,
            sqlite_where=sa.text(LIVE_QUOTE_WHERE),
            postgresql_where=sa.text(LIVE_QUOTE_WHERE),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(max_length=12, unique=True)
    token_hash: str = Field(max_length=64)
    client_id: int | None = Field(default=None, foreign_key="api_client.id")
    channel: str = Field(max_length=20)
    quote_id: str = Field(foreign_key="quote.id", max_length=40, index=True)
    status: str = Field(max_length=20)
    payment_mode: str = Field(max_length=20)
    total_fen: int = Field(sa_type=sa.BigInteger)
    currency: str = Field(default="CNY", max_length=3)
    # Money returned: refunds Stripe has confirmed (``payments.refund_state``), or what a
    # partner that collects refunds itself (``cancellation.refund_method`` "partner").
    refunded_fen: int = Field(default=0, sa_type=sa.BigInteger)
    # Refunds asked of Stripe, and where they stand: ``pending`` (asked, not yet made),
    # ``succeeded`` (all made), ``failed`` (one Stripe refused or never made); None when
    # nothing was refunded through Stripe. Written by ``service.payments.refund_state``.
    refund_requested_fen: int = Field(
        default=0, sa_column=sa.Column(sa.BigInteger(), nullable=False, server_default="0")
    )
    refund_status: str | None = Field(default=None, max_length=20)
    hold_expires_at: datetime | None = Field(default=None, sa_column=sa.Column(UTCDateTime()))
    inventory_held: bool = True
    status_reason: str | None = Field(default=None, max_length=60)
    # HMAC of the client address of an anonymous booking (its unpaid holds are capped per
    # address); None for partners' bookings and when the address is unknown.
    client_address_hash: str | None = Field(default=None, max_length=64, index=True)
    # HMAC of the lead traveller's normalised phone (``clients.keys.hash_traveller``): the
    # reports join one traveller's contiguous stays across bookings into one trip.
    # None for bookings made before migration 0018.
    traveller_hash: str | None = Field(default=None, max_length=64, index=True)
    lead_name: str = Field(max_length=60)
    lead_phone: str = Field(max_length=24)
    guests: list[dict] = Field(default_factory=list, sa_column=json_column())
    cancellation: dict | None = Field(default=None, sa_column=json_column(nullable=True))
    # The PaymentIntent the payments port started for a Stripe booking, as it answered
    # (``PaymentStart``), written in the booking's transaction: every read of the booking
    # shows it (``payment.payment_intent_id``); None in the other payment modes.
    payment_intent_id: str | None = Field(default=None, max_length=255)
    # When the booking's online payment arrived (the Stripe PaymentIntent succeeded),
    # written by ``service.payments`` with the payment; None until paid, and in the other
    # payment modes. Every read of the booking shows it (``payment.paid_at``).
    paid_at: datetime | None = Field(default=None, sa_column=sa.Column(UTCDateTime()))
    created_at: datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))
    updated_at: datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))
    version: int = 1
    # The partner feed's order: set by a database trigger on every insert and update
    # (migrations 0008, 0019), never by our code. PostgreSQL: the writing transaction's
    # id (``pg_current_xact_id()``); SQLite (one writer at a time): ``change_counter``.
    change_seq: int = Field(
        default=0, sa_column=sa.Column(sa.BigInteger(), nullable=False, server_default="0")
    )


class BookingItem(SQLModel, table=True):
    """One stay item as quoted: the nights it takes and its net price (for refunds)."""

    __tablename__ = "booking_item"
    # Stays by check-in date: the operators' arrivals filter and front desk (the reports
    # read ``report_stay``, which has its own).
    __table_args__ = (sa.Index("ix_booking_item_check_in", "check_in"),)

    id: int | None = Field(default=None, primary_key=True)
    booking_id: int = Field(foreign_key="booking.id", index=True, ondelete="CASCADE")
    item_index: int
    product_id: int = Field(foreign_key="product.id", index=True)
    check_in: date
    check_out: date
    units: int
    guests: int
    net_fen: int = Field(sa_type=sa.BigInteger)
    product_name_zh: str = Field(max_length=160)
    product_name_en: str = Field(max_length=200)
    # The product's refund policy when booked: a later change cannot alter this booking.
    refund_policy: list[dict] = Field(default_factory=list, sa_column=json_column())
    # The front desk's record of the stay: None (expected), checked_in, completed, no_show.
    stay_status: str | None = Field(default=None, max_length=20)
    stay_status_at: datetime | None = Field(default=None, sa_column=sa.Column(UTCDateTime()))


class BookingLeg(SQLModel, table=True):
    __tablename__ = "booking_leg"

    id: int | None = Field(default=None, primary_key=True)
    booking_id: int = Field(foreign_key="booking.id", index=True, ondelete="CASCADE")
    leg_index: int
    line_id: int = Field(foreign_key="transit_line.id")
    travel_date: date
    riders: int
    net_fen: int = Field(sa_type=sa.BigInteger)
    line_name_zh: str = Field(max_length=120)
    line_name_en: str = Field(max_length=160)
    # Where the leg boards and alights, as its quote named them (id, slug, name_zh,
    # name_en; ``service.quotes.stops``); null when the quote did not say.
    from_destination: dict | None = Field(default=None, sa_column=json_column(nullable=True))
    to_destination: dict | None = Field(default=None, sa_column=json_column(nullable=True))


class BookingStub(SQLModel, table=True):
    """A ticket stub the booking's price used (its ``ticket_stub.used_by_booking_id``)."""

    __tablename__ = "booking_stub"

    booking_id: int = Field(foreign_key="booking.id", primary_key=True, ondelete="CASCADE")
    stub_id: int = Field(foreign_key="ticket_stub.id", primary_key=True)


class ChangeCounter(SQLModel, table=True):
    """One row (id 1): on SQLite, the last ``booking.change_seq`` given out.

    Bumped by the triggers of migration 0019 on every insert and update of a booking,
    which give the booking the new value: no scan of ``booking``, and no value comes
    back. Never written by our code. Empty on PostgreSQL (the writing transaction's id
    is the value there)."""

    __tablename__ = "change_counter"
    __table_args__ = (sa.CheckConstraint("id = 1", name="one_row"),)

    id: int = Field(default=1, primary_key=True)
    last_seq: int = Field(sa_type=sa.BigInteger)


def traveller_names(booking: Booking) -> list[str]:
    """The names a booking carries, its lead traveller's and its guests': what a free
    text about it (a survey comment, a cancellation's reason) must not repeat
    (``service.personal_data``)."""
    return [booking.lead_name, *(g.get("name", "") for g in booking.guests or [])]
