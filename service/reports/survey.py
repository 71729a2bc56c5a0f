"""The satisfaction survey: after check-out, one answer per stay, by the booking's link.

The traveller reaches it as they reach the booking (reference and token, or the partner
that owns it: ``service.bookings.service.find_for_caller``). A stay can be rated once
its check-out date has come, or as soon as the front desk marks it completed (a guest
who left early), when its booking is confirmed or completed and the front desk did not
mark it a no-show (``may_be_rated``, the one rule of the API and the pages). Scores are
1–5 (overall, and the aspects answered); the
comment is stored without personal data (``service.personal_data``, the one rule of the
free texts people type and others read: phone numbers, ID, passport and permit numbers,
e-mail addresses and the names the booking carries become ``***``) before anything is
written.
"""

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Session, select

from service.bookings.models import COMPLETED, CONFIRMED, Booking, BookingItem, traveller_names
from service.personal_data import strip_personal_data
from service.reports import errors
from service.reports.models import ASPECTS, SurveyResponse

COMMENT_MAX = 500


@dataclass(frozen=True, slots=True)
class StayState:
    item_index: int
    product_name_zh: str
    product_name_en: str
    check_in: date
    check_out: date
    open: bool  # may be answered now
    answered: bool
    # not open yet: the day it opens (its check-out day), as a refusal to rate it says
    opens: date | None = None


# The front desk's status of a stay (``operators.bookings.STAY_STATUSES``): the guest
# has left, or never came.
LEFT, NO_SHOW = "completed", "no_show"


def may_be_rated(status: str, check_out: date, stay_status: str | None, today: date) -> bool:
    """The one rule, for the API and the pages: a stay may be rated when its booking is
    confirmed or completed, the front desk has not marked it a no-show, and it has ended:
    its check-out day has come, or the front desk marked it completed (the guest left
    early: their stay is over, so is the wait to rate it)."""
    if status not in (CONFIRMED, COMPLETED) or stay_status == NO_SHOW:
        return False
    return check_out <= today or stay_status == LEFT


def may_be_rated_sql(stays, today: date) -> sa.ColumnElement[bool]:
    """``may_be_rated`` over the reports' stay rows (``facts.stays``: ``report_stay`` or a
    closed year's copy), for the response rate's stays: the same rule in SQL. A row's
    ``counted`` is its booking confirmed or completed (a pending or expired booking has
    no row), ``no_show`` and ``checked_out`` its stay status ``NO_SHOW`` and ``LEFT``
    (the triggers of migrations 0018 and 0030). tests/service/test_survey_rule.py checks
    the two against each other on every status, stay status and day."""
    c = stays.c
    return sa.and_(c.counted, sa.not_(c.no_show), sa.or_(c.check_out <= today, c.checked_out))


def opens_on(status: str, check_out: date, stay_status: str | None) -> date | None:
    """The day a stay not yet open to rating opens (its check-out day, if the front desk
    does not record the guest's leaving before); None for one that never will."""
    if status not in (CONFIRMED, COMPLETED) or stay_status == NO_SHOW:
        return None
    return check_out


def _openness(booking: Booking, item: BookingItem, today: date) -> bool:
    return may_be_rated(booking.status, item.check_out, item.stay_status, today)


def _items(session: Session, booking: Booking) -> list[BookingItem]:
    return list(
        session.exec(
            select(BookingItem)
            .where(BookingItem.booking_id == booking.id)
            .order_by(BookingItem.item_index)
        )
    )


def _answered(session: Session, item: BookingItem) -> bool:
    return (
        session.exec(
            select(SurveyResponse.id).where(SurveyResponse.booking_item_id == item.id)
        ).first()
        is not None
    )


def states(session: Session, booking: Booking, today: date) -> list[StayState]:
    answered = set(
        session.exec(
            select(SurveyResponse.booking_item_id).where(SurveyResponse.booking_id == booking.id)
        )
    )
    return [
        StayState(
            i.item_index,
            i.product_name_zh,
            i.product_name_en,
            i.check_in,
            i.check_out,
            _openness(booking, i, today) and i.id not in answered,
            i.id in answered,
            None
            if i.id in answered or _openness(booking, i, today)
            else opens_on(booking.status, i.check_out, i.stay_status),
        )
        for i in _items(session, booking)
    ]


def submit(
    session: Session,
    booking: Booking,
    *,
    item_index: int,
    scores: dict[str, int | None],
    comment: str,
    now: datetime,
    today: date,
) -> tuple[SurveyResponse, bool]:
    """Store the answer for one stay: ``(row, True)``. The same answer again (a retry
    after a lost response) returns the stored row, ``(row, False)``; a different one is
    409 ``survey_answered``: one answer per stay. An answer stays when its stay is no
    longer open (a check-out the front desk undid after it), and is still the stay's
    one answer: the same again returns it, another is ``survey_answered``."""
    item = next((i for i in _items(session, booking) if i.item_index == item_index), None)
    if item is None:
        raise errors.no_such_stay(item_index)
    if not _openness(booking, item, today) and not _answered(session, item):
        raise errors.survey_not_open(opens_on(booking.status, item.check_out, item.stay_status))
    values = {
        "booking_item_id": item.id,
        "booking_id": booking.id,
        "overall": scores["overall"],
        **{a: scores.get(a) for a in ASPECTS},
        "comment": strip_personal_data(comment, traveller_names(booking), max_length=COMMENT_MAX),
        "submitted_at": now,
    }
    table = SurveyResponse.__table__
    # One answer per stay, even when two arrive at once: the unique item decides.
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    stmt = (
        insert(table)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["booking_item_id"])
        .returning(table.c.id)
    )
    created = session.execute(stmt).first() is not None
    row = session.exec(
        select(SurveyResponse).where(SurveyResponse.booking_item_id == item.id)
    ).one()
    if not created and any(getattr(row, k) != values[k] for k in ("overall", *ASPECTS, "comment")):
        raise errors.survey_answered()
    return row, created
