"""Tables of the reports: survey answers, the stays they count, the frozen facts of
closed years.

``report_stay`` is the reports' narrow copy of every stay that counts (one row per stay
item of a confirmed, completed or cancelled booking, with its survey scores and, on the
first stay of a trip, the trip's nights). No code of ours writes it: triggers on
``booking``, ``booking_item`` and ``survey_response`` (migration 0016) rewrite a
booking's rows in the transaction of every change to those facts, so it cannot fall
behind a writer. The catalogue's dimensions (destination, theme, pilot kind,
prefecture, beds per unit) are not copied: the reports join them at query time.

A closed year (``report_closure``) keeps a copy of every fact its reports read
(``closed_stay``, ``closed_supply``, ``closed_pilot``), taken in the closing
transaction; reports over a closed year read the copy, so they give the same bytes
however bookings, surveys or the catalogue change afterwards.
"""

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from catalog.base import UTCDateTime, json_column

ASPECTS = (
    "accommodation",
    "medical_access",
    "food",
    "activities",
    "value",
    "elder_friendliness",
)
SCORES = ("overall", *ASPECTS)


class SurveyResponse(SQLModel, table=True):
    """One traveller's answer about one stay (one answer per stay item)."""

    __tablename__ = "survey_response"
    __table_args__ = (
        sa.CheckConstraint(
            " AND ".join(
                f"({s} IS NULL OR {s} BETWEEN 1 AND 5)"
                if s != "overall"
                else f"{s} BETWEEN 1 AND 5"
                for s in SCORES
            ),
            name="scores",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    booking_item_id: int = Field(foreign_key="booking_item.id", unique=True, ondelete="CASCADE")
    booking_id: int = Field(foreign_key="booking.id", index=True, ondelete="CASCADE")
    overall: int
    accommodation: int | None = None
    medical_access: int | None = None
    food: int | None = None
    activities: int | None = None
    value: int | None = None
    elder_friendliness: int | None = None
    # Stripped of personal data (phone numbers, ID numbers, names) before it is stored.
    comment: str = Field(default="", sa_type=sa.Text)
    submitted_at: datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))


class ReportStay(SQLModel, table=True):
    """A stay as the reports count it; kept by triggers (migration 0016), never by code."""

    __tablename__ = "report_stay"
    __table_args__ = (
        sa.Index("ix_report_stay_booking_id", "booking_id"),
        sa.Index("ix_report_stay_check_in", "check_in"),
    )

    item_id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    booking_id: int
    item_index: int
    counted: bool  # the booking is confirmed or completed (else cancelled)
    no_show: bool
    channel: str = Field(max_length=20)
    product_id: int
    check_in: date
    check_out: date
    units: int
    guests: int
    net_fen: int = Field(sa_type=sa.BigInteger)
    overall: int | None = None
    accommodation: int | None = None
    medical_access: int | None = None
    food: int | None = None
    activities: int | None = None
    value: int | None = None
    elder_friendliness: int | None = None
    # On the first stay of a trip (contiguous counted stays, no-shows excluded): the
    # trip's nights; None on every other stay.
    trip_nights: int | None = None
    # The front desk marked the stay completed (the guest left; its survey is open:
    # ``survey.may_be_rated``). Migration 0030.
    checked_out: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})


class ReportClosure(SQLModel, table=True):
    """A closed (evaluated) year: its reports read the frozen facts below."""

    __tablename__ = "report_closure"

    year: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    as_of: date  # the day the year was closed: stays ended by then count as surveyable
    closed_at: datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))
    closed_by: str = Field(max_length=80)


class ClosedStay(SQLModel, table=True):
    """A stay as the reports saw it when its year closed (see ``service.reports.facts``)."""

    __tablename__ = "closed_stay"

    year: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    item_id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    booking_id: int
    item_index: int
    counted: bool
    no_show: bool
    channel: str = Field(max_length=20)
    product_id: int
    destination_id: int
    theme: str = Field(max_length=20)
    pilot_kind: str = Field(max_length=20)
    prefecture: str = Field(max_length=40)
    beds_per_unit: int
    check_in: date
    check_out: date
    units: int
    guests: int
    net_fen: int = Field(sa_type=sa.BigInteger)
    overall: int | None = None
    accommodation: int | None = None
    medical_access: int | None = None
    food: int | None = None
    activities: int | None = None
    value: int | None = None
    elder_friendliness: int | None = None
    trip_nights: int | None = None  # as ``report_stay.trip_nights`` (migration 0016)
    # as ``report_stay.checked_out`` when the year closed (false in years closed before
    # migration 0030)
    checked_out: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})


class ClosedSupply(SQLModel, table=True):
    """A night of a closed year's supply and its units on sale (``catalog.supply``)."""

    __tablename__ = "closed_supply"

    year: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    product_id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    night: date = Field(primary_key=True)
    total_units: int
    destination_id: int
    theme: str = Field(max_length=20)
    pilot_kind: str = Field(max_length=20)
    prefecture: str = Field(max_length=40)
    beds_per_unit: int


class ClosedPilot(SQLModel, table=True):
    """A destination (pilot unit) as it stood when the year closed."""

    __tablename__ = "closed_pilot"

    year: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    destination_id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    slug: str = Field(max_length=80)
    name_zh: str = Field(max_length=120)
    name_en: str = Field(max_length=160)
    pilot_kind: str = Field(max_length=20)
    pilot_status: str = Field(max_length=10)
    prefecture: str = Field(max_length=40)
    lat: float
    lon: float
    certifications: list[str] = Field(default_factory=list, sa_column=json_column())
