"""A bulk edit racing a stream of bookings on the same products, on both databases:
bookings never see half an edit and nothing is ever oversold.

Each round: 10 nights of 2 products with 10 units each; 10 bookings of 1 unit over all
10 nights of both products race 2 edits that set the units of every night to 6 (refused
as a whole, ``units_below_taken``, once more than 6 are taken). Afterwards every night
of a product has the same total (an edit is all or nothing), the same taken count (a
booking is all or nothing), taken equals the bookings made and never exceeds the total.
"""

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from catalog import calendar
from service.auth import ANONYMOUS
from service.errors import DomainError
from service.operators import calendar as operator_calendar
from service.operators.scope import Operator
from tests.service.booking_support import (
    FIRST_NIGHT,
    add_product,
    book_in_service,
    item,
    make_quote,
    oversold_nights,
    taken,
)

ROUNDS = 4
BOOKINGS = 10
EDITS = 2
NIGHTS = 10


def _edit(db, operator: Operator, product_ids) -> str:
    change = calendar.BulkEdit(
        product_ids=tuple(product_ids),
        first=FIRST_NIGHT,
        last=FIRST_NIGHT + timedelta(days=NIGHTS - 1),
        weekdays=frozenset(range(1, 8)),
        changes={"units": 6},
    )
    with db.write_session() as s:
        try:
            operator_calendar.apply(
                s,
                operator,
                change,
                now=datetime.now(UTC),
                lock_timeout_ms=db.settings.lock_timeout_ms,
            )
            s.commit()
            return "applied"
        except DomainError as exc:
            s.rollback()
            return exc.code


def test_bookings_never_see_half_an_edit_and_never_oversell(db):
    from tests.factories import make_destination
    from tests.support.operators import add_operator

    for round_ in range(ROUNDS):
        with db.write_session() as s:
            place = make_destination(s)
            s.commit()
        # Two products of one destination: a quote may not stay at two places at once.
        products = [add_product(db, nights=NIGHTS, units=10, destination=place) for _ in range(2)]
        op = add_operator(db, f"racer-{round_}", "operator_admin", [place.id])
        operator = Operator(op.account_id, op.login, "operator_admin", frozenset({place.id}))
        stay = [item(p, nights=NIGHTS, guests=1) for p in products]
        quotes = [make_quote(db, ANONYMOUS, *stay) for _ in range(BOOKINGS)]
        jobs = [("book", q) for q in quotes] + [("edit", None)] * EDITS
        jobs = jobs[: BOOKINGS // 2] + jobs[BOOKINGS:] + jobs[BOOKINGS // 2 : BOOKINGS]
        start = threading.Barrier(len(jobs))

        def run(job):
            kind, quote_id = job
            start.wait()
            if kind == "book":
                return (
                    "booked"
                    if book_in_service(db, ANONYMOUS, quote_id).startswith("JL-")
                    else "refused"
                )
            return _edit(db, operator, products)

        with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
            results = Counter(pool.map(run, jobs))
        assert oversold_nights(db) == 0
        booked = results["booked"]
        for p in products:
            rows = taken(db, p)
            assert set(rows.values()) == {booked}, rows  # every booking took all nights
        with db.session() as s:
            from sqlmodel import select

            from catalog.models import InventoryNight

            totals = {
                p: {
                    r.total_units
                    for r in s.exec(select(InventoryNight).where(InventoryNight.product_id == p))
                }
                for p in products
            }
        for p in products:
            assert len(totals[p]) == 1, totals  # never half an edit
        (total,) = totals[products[0]]
        assert totals[products[1]] == {total}  # one edit covers both products, atomically
        if results["applied"]:
            assert total == 6 and booked <= 10
        else:
            assert total == 10 and results["units_below_taken"] + results["inventory_busy"] == EDITS
        assert booked + results["refused"] == BOOKINGS
