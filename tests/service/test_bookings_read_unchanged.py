"""``read_booking_unchanged``, the manage page's first view (Core rows on a connection,
no ORM objects, no transaction on PostgreSQL), shows exactly what ``read_booking`` (the
ORM read of ``GET /v1/bookings/{reference}``) shows, on both databases: a booking with a
stay, a transit leg and a ticket stub, before and after it is cancelled; it refuses the
same callers; a hold past its time reads None (reading it must expire it). Its rows,
read in one statement with the items, legs and stubs as JSON beside the booking's row,
hold every column as the ORM reads it (dates, UTC instants, JSON), and its quote's
shown columns read beside it what the quote's own read gives."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from service.auth import ANONYMOUS
from service.bookings import repository, schemas
from service.bookings import service as bookings
from service.bookings.models import Booking, BookingItem, BookingLeg
from service.errors import DomainError
from service.quotes import service as quotes
from tests.service.booking_support import (
    add_partner,
    add_product,
    add_stub_line,
    item,
    make_hold,
    post_booking,
    quote_http,
)


def _booked(db, client) -> tuple[str, str, str]:
    """A booking of a stay, a transit leg and a ticket stub: reference, token, stub code."""
    legs, stub_code = add_stub_line(db)
    quote = quote_http(client, item(add_product(db)), legs=legs, stubs=[stub_code])
    r = post_booking(client, quote["id"])
    assert r.status_code == 201, r.text
    return r.json()["reference"], r.json()["token"], stub_code


def _read_both(db, reference: str, token: str, now: datetime, caller=ANONYMOUS):
    """The booking read both ways, each rendered as the API and the pages render it, in
    both languages, with the state each was read in."""
    settings = db.settings
    shown = {}
    with db.engine.connect() as conn:
        view = bookings.read_booking_unchanged(
            conn, reference, caller=caller, token=token, now=now, settings=settings
        )
        shown["core"] = _shown(view)
    with db.session() as s:
        view = bookings.read_booking(
            s, reference, caller=caller, token=token, now=now, settings=settings
        )
        shown["orm"] = _shown(view)
    return shown["core"], shown["orm"]


def _shown(view: bookings.BookingView) -> tuple:
    pages = tuple(schemas.render(view, lang).model_dump(mode="json") for lang in ("zh-CN", "en"))
    return pages, bookings.BookingState.of(view.booking)


def test_a_booking_read_with_core_shows_what_the_orm_read_shows(db, client):
    reference, token, stub_code = _booked(db, client)
    core, orm = _read_both(db, reference, token, datetime.now(UTC))
    assert core == orm
    (page, _), state = core
    assert len(page["items"]) == 1 and len(page["legs"]) == 1
    assert page["stubs"] == [stub_code]
    assert page["cancellation"] is None

    r = client.post(
        f"/v1/bookings/{reference}/cancel",
        json={},
        headers={"X-Booking-Token": token, "Idempotency-Key": str(uuid.uuid4())},
    )
    assert r.status_code == 200, r.text
    core, orm = _read_both(db, reference, token, datetime.now(UTC))
    assert core == orm
    (page, _), cancelled = core
    assert page["status"] == "cancelled" and page["cancellation"] is not None
    # Never paid (pay at property): the cancellation states no refund (refund_of_paid).
    assert page["cancellation"]["paid_fen"] == 0 and page["cancellation"]["lines"] == []
    assert cancelled.change_seq != state.change_seq


def test_core_read_refuses_whom_the_orm_read_refuses(db, client):
    reference, token, _ = _booked(db, client)
    partner = add_partner(db, "ota-read")
    now = datetime.now(UTC)
    wrong_token = token[:-1] + ("A" if token[-1] != "A" else "B")
    for ref, tok, caller in (
        (reference, wrong_token, ANONYMOUS),
        (reference, None, ANONYMOUS),
        (reference, token, partner.caller),
        ("JL-ZZZZZZ", token, ANONYMOUS),
        (reference + "X" * 20, token, ANONYMOUS),
    ):
        with db.engine.connect() as conn, pytest.raises(DomainError) as refused:
            bookings.read_booking_unchanged(
                conn, ref, caller=caller, token=tok, now=now, settings=db.settings
            )
        assert refused.value.code == "booking_not_found"
        assert refused.value.status == 404
    with db.engine.connect() as conn:  # the reference as typed: spaces, lower case
        view = bookings.read_booking_unchanged(
            conn,
            f" {reference.lower()} ",
            caller=ANONYMOUS,
            token=token,
            now=now,
            settings=db.settings,
        )
    assert view.booking.reference == reference


def test_a_hold_past_its_time_reads_none_so_that_it_is_read_again_to_expire(db, client):
    reference, token, _ = _booked(db, client)
    ends = datetime.now(UTC) + timedelta(minutes=10)
    make_hold(db, reference, ends)
    before, orm = _read_both(db, reference, token, ends - timedelta(seconds=1))
    assert before == orm and before[0][0]["status"] == "pending_payment"
    with db.engine.connect() as conn:
        due = bookings.read_booking_unchanged(
            conn, reference, caller=ANONYMOUS, token=token, now=ends, settings=db.settings
        )
    assert due is None


def test_rows_read_in_one_statement_hold_every_column_as_the_orm_reads_it(db, client):
    reference, token, stub_code = _booked(db, client)
    checked_in = datetime(2026, 12, 7, 1, 2, 3, 456789, tzinfo=UTC)
    with db.write_session() as s:  # a front-desk status and its instant, as the desk writes
        row = s.exec(
            sa.select(BookingItem).join(Booking).where(Booking.reference == reference)
        ).scalar_one()
        row.stay_status, row.stay_status_at = "checked_in", checked_in
        s.add(row)
        s.commit()
    with db.engine.connect() as conn:
        found = repository.shown_booking(conn, reference)
        # and its quote as the quote's own read shows it
        quote = quotes.quote_of_booking(conn, found.booking.quote_id)
    assert quotes.shown_quote(found.quote) == quote
    with db.session() as s:
        booking = s.exec(sa.select(Booking).where(Booking.reference == reference)).scalar_one()
        items = repository.items_of(s, [booking.id])[booking.id]
        legs = repository.legs_of(s, [booking.id])[booking.id]
        for shown, orm, table in (
            (found.items, items, BookingItem),
            (found.legs, legs, BookingLeg),
        ):
            assert len(shown) == len(orm) == 1
            for column in table.__table__.c:
                assert getattr(shown[0], column.key) == getattr(orm[0], column.key), column.key
                assert type(getattr(shown[0], column.key)) is type(getattr(orm[0], column.key))
    assert found.items[0].stay_status_at == checked_in
    assert found.items[0].stay_status_at.utcoffset() == timedelta(0)
    assert found.booking.id == booking.id and found.stub_codes == [stub_code]
