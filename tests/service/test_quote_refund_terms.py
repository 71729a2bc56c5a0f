"""A quote says each stay's refund terms, as of the quote, and a booking of it is
cancelled on exactly those terms (newcomer finding: a traveller learnt them only when
cancelling)."""

import uuid
from datetime import time, timedelta

from sqlmodel import select

from catalog.models import Product
from service.auth import ANONYMOUS
from service.bookings.models import Booking, BookingItem
from service.quotes.models import Quote
from tests.service.booking_support import (
    FIRST_NIGHT,
    add_partner,
    add_product,
    item,
    make_quote,
    post_booking,
    quote_http,
)
from tests.support.clock import FixedClock

STRICT = [
    {"min_days_before_check_in": 14, "refund_bps": 8000},
    {"min_days_before_check_in": 3, "refund_bps": 2500},
]


def _set_policy(db, product_id: int, policy: list[dict]) -> None:
    with db.write_session() as s:
        row = s.get(Product, product_id)
        row.refund_policy = policy
        s.add(row)
        s.commit()


def test_each_stay_carries_its_products_refund_policy_as_the_product_answer_gives_it(db, client):
    cabin = add_product(db)  # 30 days 100%, 7 days 50%, 0 days 0%
    strict = add_product(db, first=FIRST_NIGHT + timedelta(days=3), refund_policy=STRICT[::-1])
    stays = (item(cabin), item(strict, check_in=FIRST_NIGHT + timedelta(days=3)))
    posted = quote_http(client, *stays)
    read = client.get(f"/v1/quotes/{posted['id']}").json()
    for body in (posted, read):
        for stay, product in zip(body["items"], (cabin, strict), strict=True):
            product_answer = client.get(f"/v1/products/{product}").json()
            assert stay["refund_policy"] == product_answer["refund_policy"]
    assert posted["items"][1]["refund_policy"] == STRICT  # highest tier first
    assert posted["items"][0]["refund_policy"][0] == {
        "min_days_before_check_in": 30,
        "refund_bps": 10000,
    }


def test_the_quote_keeps_its_terms_and_its_booking_is_cancelled_on_them(db, client):
    """The operator changes the policy after the quote: the quote still says the terms it
    was made with, a booking of it refunds by them to the fen (frozen clock), and a new
    quote says the new ones."""
    partner = add_partner(db, "merchant", merchant_collects=True)
    product = add_product(db)
    quote = quote_http(client, item(product), headers=partner.headers)
    shown = quote["items"][0]["refund_policy"]
    _set_policy(db, product, [{"min_days_before_check_in": 0, "refund_bps": 0}])
    again = client.get(f"/v1/quotes/{quote['id']}", headers=partner.headers).json()
    assert again["items"][0]["refund_policy"] == shown
    fresh = quote_http(client, item(product), headers=partner.headers)
    assert fresh["items"][0]["refund_policy"] == [{"min_days_before_check_in": 0, "refund_bps": 0}]
    created = post_booking(client, quote["id"], headers=partner.headers).json()
    # 10 days before check-in: the quote's 7-day tier (50%), not the new policy's 0%.
    client.app.state.clock = FixedClock.on(FIRST_NIGHT - timedelta(days=10), time(10))
    r = client.post(
        f"/v1/bookings/{created['reference']}/cancel",
        headers={**partner.headers, "Idempotency-Key": str(uuid.uuid4())},
    )
    c = r.json()["cancellation"]
    net = quote["items"][0]["net_fen"]
    assert (c["lines"][0]["tier_min_days"], c["lines"][0]["refund_bps"]) == (7, 5000)
    assert c["refund_fen"] == (net * 5000 + 5000) // 10000


def test_a_quote_made_before_quotes_kept_the_terms_says_none_and_books_the_products(db, client):
    product = add_product(db)
    quote_id = make_quote(db, ANONYMOUS, item(product))
    with db.write_session() as s:  # as stored before December 2026
        row = s.exec(select(Quote).where(Quote.id == quote_id)).one()
        priced = dict(row.priced)
        priced["items"] = [
            {k: v for k, v in i.items() if k != "refund_policy"} for i in priced["items"]
        ]
        row.priced = priced
        s.add(row)
        s.commit()
    assert client.get(f"/v1/quotes/{quote_id}").json()["items"][0]["refund_policy"] is None
    _set_policy(db, product, STRICT)
    created = post_booking(client, quote_id).json()
    with db.session() as s:
        booking = s.exec(select(Booking).where(Booking.reference == created["reference"])).one()
        [stored] = s.exec(select(BookingItem).where(BookingItem.booking_id == booking.id)).all()
    assert stored.refund_policy == STRICT
