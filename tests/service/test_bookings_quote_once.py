"""A quote backs one live booking at a time, also under concurrent attempts (both databases).

A second booking of a quote whose booking is pending or confirmed is 409
``quote_already_booked``; once that booking is cancelled or its hold expired, the quote
(while unexpired) may be booked again; a late payment of the old hold then does not
confirm a second booking of the quote.
"""

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from service.auth import ANONYMOUS
from service.bookings import service as bookings
from service.bookings.models import Booking
from tests.service.booking_support import (
    add_product,
    book_in_service,
    booking_row,
    item,
    make_hold,
    make_quote,
    post_booking,
    quote_http,
    race_http,
    race_service,
    taken,
)

ATTEMPTS = 20
T0 = datetime.now(UTC).replace(microsecond=0) + timedelta(days=1)


def test_a_second_booking_of_a_booked_quote_is_409_until_the_first_is_cancelled(db, client):
    product = add_product(db, units=5, nights=3)
    quote_id = quote_http(client, item(product, nights=3))["id"]
    first = post_booking(client, quote_id)
    assert first.status_code == 201, first.text

    again = post_booking(client, quote_id)  # another Idempotency-Key: a new attempt
    assert again.status_code == 409
    assert again.headers["content-type"] == "application/problem+json"
    assert (again.json()["code"], again.json()["field"]) == ("quote_already_booked", "quote_id")
    assert set(taken(db, product).values()) == {1}

    ref, token = first.json()["reference"], first.json()["token"]
    cancel = client.post(
        f"/v1/bookings/{ref}/cancel",
        json={},
        headers={"X-Booking-Token": token, "Idempotency-Key": "c-1"},
    )
    assert cancel.json()["status"] == "cancelled"
    rebooked = post_booking(client, quote_id)
    assert rebooked.status_code == 201, rebooked.text
    assert set(taken(db, product).values()) == {1}


def _held_quote(db) -> tuple[int, str, str]:
    """(product, quote, booking reference): a quote made at T0 and booked as a Stripe hold
    until T0 + 15 minutes, on a product with 5 units a night."""
    product = add_product(db, units=5, nights=3)
    quote_id = make_quote(db, ANONYMOUS, item(product, nights=3), now=T0)
    ref = book_in_service(db, ANONYMOUS, quote_id, now=T0)
    make_hold(db, ref, T0 + timedelta(minutes=15))
    return product, quote_id, ref


def test_an_expired_hold_frees_its_quote_and_a_late_payment_does_not_book_it_twice(db):
    product, quote_id, ref = _held_quote(db)
    # Still held: the quote is taken.
    assert book_in_service(db, ANONYMOUS, quote_id, now=T0 + timedelta(minutes=14)) == (
        "quote_already_booked"
    )
    # The hold lapsed (never swept): the new booking expires it first and books the quote.
    second = book_in_service(db, ANONYMOUS, quote_id, now=T0 + timedelta(minutes=16))
    assert second.startswith("JL-")
    assert booking_row(db, ref).status == "expired"
    assert set(taken(db, product).values()) == {1}

    # The first traveller's payment arrives late: nights are free (5 units), but the quote
    # is booked again, so the old hold stays expired for a refund.
    with db.write_session() as s:
        b = s.exec(select(Booking).where(Booking.reference == ref)).one()
        assert bookings.confirm_booking(s, b, now=T0 + timedelta(minutes=17)) is False
        s.commit()
    row = booking_row(db, ref)
    assert (row.status, row.status_reason) == ("expired", "paid_after_expiry_sold_out")
    assert booking_row(db, second).status == "confirmed"
    assert set(taken(db, product).values()) == {1}


def test_an_expired_quote_is_not_booked_again_even_when_free(db):
    _, quote_id, _ = _held_quote(db)
    assert book_in_service(db, ANONYMOUS, quote_id, now=T0 + timedelta(minutes=31)) == (
        "quote_expired"
    )


@pytest.mark.parametrize("repetition", range(3))
def test_concurrent_bookings_of_one_quote_book_it_once(db, repetition):
    """20 attempts at once on one quote, with room for all: exactly one books it, the
    others get quote_already_booked, and one unit per night is taken."""
    product = add_product(db, units=ATTEMPTS, nights=3)
    quote_id = make_quote(db, ANONYMOUS, item(product, nights=3))
    results = race_service(db, [quote_id] * ATTEMPTS)
    assert results == Counter(booked=1, quote_already_booked=ATTEMPTS - 1)
    assert set(taken(db, product).values()) == {1}


def test_concurrent_bookings_of_one_quote_over_http_get_one_201(db, client):
    product = add_product(db, units=ATTEMPTS, nights=3)
    quote_id = quote_http(client, item(product, nights=3))["id"]
    results = race_http(client, [quote_id] * ATTEMPTS)
    assert results == Counter({(201, None): 1, (409, "quote_already_booked"): ATTEMPTS - 1})
    assert set(taken(db, product).values()) == {1}


def test_a_late_payment_of_a_quote_booked_again_is_refunded_not_a_500(db):
    """The late payment makes its booking live again before it takes the nights (the
    lock order: the status first, docs/architecture.md): the quote's unique index refuses
    a second live booking of the quote (waiting for one not yet committed), even a quote
    of legs only, which takes no nights to order the two; the payment is refunded."""
    _, quote_id, ref = _held_quote(db)
    second = book_in_service(db, ANONYMOUS, quote_id, now=T0 + timedelta(minutes=16))
    assert second.startswith("JL-")
    with db.write_session() as s:
        b = s.exec(select(Booking).where(Booking.reference == ref)).one()
        assert bookings.confirm_booking(s, b, now=T0 + timedelta(minutes=17)) is False
        s.commit()
    row = booking_row(db, ref)
    assert (row.status, row.status_reason) == ("expired", "paid_after_expiry_sold_out")
    assert booking_row(db, second).status == "confirmed"
