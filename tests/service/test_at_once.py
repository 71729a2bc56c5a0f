"""Rooms (and guests) at once, ``service.at_once``: the pure rule against a count night
by night, and the bookings' SQL for stored bookings (the address's hold cap) against
both, on SQLite and PostgreSQL."""

import random
from collections import Counter
from datetime import UTC, date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from service.at_once import most_at_once
from service.auth import ANONYMOUS
from service.bookings import repository
from service.bookings.models import (
    CANCELLED,
    CONFIRMED,
    MODE_PAY_AT_PROPERTY,
    MODE_STRIPE,
    PENDING_PAYMENT,
    BookingItem,
)
from tests.service.booking_support import make_quote
from tests.support.payments import make_stay

DAY = timedelta(days=1)
FIRST = date(2027, 9, 1)


def night_by_night(stays) -> int:
    """The most ``count`` on any one night, counted night by night."""
    nights: Counter[date] = Counter()
    for check_in, check_out, count in stays:
        day = check_in
        while day < check_out:
            nights[day] += count
            day += DAY
    return max(nights.values(), default=0)


_stay = st.tuples(st.integers(0, 30), st.integers(1, 10), st.integers(1, 5)).map(
    lambda t: (FIRST + t[0] * DAY, FIRST + (t[0] + t[1]) * DAY, t[2])
)


@given(st.lists(_stay, max_size=8))
def test_most_at_once_is_the_most_on_any_one_night(stays):
    assert most_at_once(stays) == night_by_night(stays)


def test_stays_one_after_another_count_once_and_shared_nights_add_up():
    def stays(*spans):
        return [(FIRST + a * DAY, FIRST + b * DAY, n) for a, b, n in spans]

    assert most_at_once(stays((0, 3, 3), (3, 6, 3), (6, 9, 3))) == 3  # a 3-stay trip
    assert most_at_once(stays((0, 3, 2), (5, 8, 2))) == 2  # a gap between
    assert most_at_once(stays((0, 3, 4), (0, 3, 3))) == 7  # two room types, same nights
    assert most_at_once(stays((0, 4, 2), (2, 6, 1), (5, 9, 2))) == 3
    assert most_at_once([]) == 0


def _random_items(rng: random.Random) -> list[tuple[date, date, int]]:
    items = []
    for _ in range(rng.randint(1, 5)):
        start = FIRST + rng.randint(0, 20) * DAY
        items.append((start, start + rng.randint(1, 6) * DAY, rng.randint(1, 4)))
    return items


def _insert(s, quote_id, address, items, *, status, mode, now, product_id) -> None:
    booking_id = repository.insert_booking(
        s,
        dict(
            reference=f"T{random.getrandbits(40):011X}"[:12],
            token_hash="0" * 64,
            client_id=None,
            channel="web",
            quote_id=quote_id,
            status=status,
            payment_mode=mode,
            total_fen=100,
            currency="CNY",
            refunded_fen=0,
            hold_expires_at=now + timedelta(minutes=15) if mode == MODE_STRIPE else None,
            inventory_held=False,
            client_address_hash=address,
            lead_name="王秀兰",
            lead_phone="13912345678",
            guests=[],
            created_at=now,
            updated_at=now,
        ),
    )
    assert booking_id is not None
    rows = [
        dict(
            booking_id=booking_id,
            item_index=n,
            product_id=product_id,
            check_in=check_in,
            check_out=check_out,
            units=units,
            guests=units,
            net_fen=1,
            product_name_zh="产品",
            product_name_en="Product",
            refund_policy=[],
        )
        for n, (check_in, check_out, units) in enumerate(items)
    ]
    repository.insert_rows(s, BookingItem, rows)


def test_the_sql_counts_stored_bookings_by_the_same_rule(db):
    """Generated bookings (random items, dates and units), stored: the address cap's SQL
    says what the pure rule and the night-by-night count say, per booking, and their sum
    over one address's counted bookings (a cancelled one not counted)."""
    rng = random.Random(20270901)
    stay = make_stay(db)
    item = {"product_id": stay.product_id, "check_in": stay.check_in,
            "check_out": stay.check_out, "guests": 2, "units": 1}  # fmt: skip
    generated = [_random_items(rng) for _ in range(30)]
    shared = [_random_items(rng) for _ in range(4)]
    quotes = [make_quote(db, ANONYMOUS, item) for _ in range(len(generated) + len(shared))]
    now = datetime.now(UTC)
    with db.write_session() as s:
        for n, items in enumerate(generated + shared):
            online = n % 2 == 0
            _insert(
                s,
                quotes[n],
                f"address-{n}" if n < len(generated) else "shared",
                items,
                status=PENDING_PAYMENT if online else CONFIRMED,
                mode=MODE_STRIPE if online else MODE_PAY_AT_PROPERTY,
                now=now,
                product_id=stay.product_id,
            )
        _insert(s, quotes[0], "shared", [(FIRST, FIRST + DAY, 4)], status=CANCELLED,
                mode=MODE_PAY_AT_PROPERTY, now=now, product_id=stay.product_id)  # fmt: skip
        s.flush()
        for n, items in enumerate(generated):
            said = repository.anonymous_rooms_held_from(s, f"address-{n}", now)
            assert said == most_at_once(items) == night_by_night(items), items
        assert repository.anonymous_rooms_held_from(s, "shared", now) == sum(
            night_by_night(items) for items in shared
        )
        assert repository.anonymous_rooms_held_from(s, "nobody", now) == 0
        s.rollback()
