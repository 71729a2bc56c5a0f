"""A cancellation racing the front desk, and a cancellation racing a new booking of the
same traveller, on PostgreSQL (several workers, one transaction each).

Found over HTTP against ``jilin serve --workers 3`` on PostgreSQL (2026-12-07): of 20
operator cancels sent together with a check-in of the same stay, 7 were both answered
200, leaving a ``cancelled`` booking with a ``checked_in`` stay and its nights back on
sale while the guest slept in the room; and under a mixed load of bookings and
cancellations by one lead traveller (one phone), 11 requests of about 100 were 500
``internal_error``, ``psycopg.errors.DeadlockDetected`` raised in the ``report_stay``
trigger.

Each interleaving is made exactly here: a hook runs the other transaction at the point
where it slipped in, rather than hoping threads meet there. SQLite is left out: its
writers take turns (``BEGIN IMMEDIATE``), so neither interleaving can happen there.
"""

import threading
from datetime import UTC, datetime, time, timedelta

import pytest

from service.auth import ANONYMOUS
from service.bookings import cancellation
from service.bookings import repository as booking_repository
from service.bookings.cancellation import BY_TRAVELLER, cancel_booking
from service.errors import DomainError
from service.operators import bookings as desk
from service.operators.scope import Operator
from tests.service.booking_support import (
    book_in_service,
    booking_row,
    item,
    make_quote,
    taken,
    waiting_for_locks,
)
from tests.support.clock import FixedClock
from tests.support.operators import FIRST, world

ARRIVAL = FixedClock.on(FIRST, time(10)).now()


@pytest.fixture
def pg(db):
    if db.dialect != "postgresql":
        pytest.skip("SQLite writers take turns: no other transaction can slip in")
    return db


def _desk(w) -> Operator:
    admin = w.a.admin
    places = frozenset(admin.destination_ids)
    return Operator(admin.account_id, admin.login, "operator_admin", places)


def _outcome(run) -> str:
    try:
        run()
    except DomainError as exc:
        return exc.code
    return "done"


def assert_done(outcome: str) -> None:
    assert outcome == "done", outcome


def _in_own_transaction(db, change) -> str:
    with db.write_session() as s:
        try:
            change(s)
        except DomainError as exc:
            s.rollback()
            return exc.code
        s.commit()
        return "done"


def _before_first_lock(monkeypatch, other):
    """Run ``other()`` once, just before the first booking row lock taken after this call
    (the moment another worker's transaction committed in the race found over HTTP)."""
    real = booking_repository.lock
    pending = [other]

    def lock(session, booking_id):
        if pending:
            pending.pop()()
        return real(session, booking_id)

    monkeypatch.setattr(booking_repository, "lock", lock)


def test_a_check_in_committed_while_the_operator_cancels_refuses_the_cancel(pg, monkeypatch):
    """The operator's cancel reads the booking and its stays, then locks the booking: a
    check-in committed in between must be seen under the lock (409 ``stay_started``),
    not the stays as read before it (both succeeded: a cancelled booking with a
    checked-in stay, its nights sold again)."""
    db = pg
    w = world(db)
    operator = _desk(w)
    ref = book_in_service(db, ANONYMOUS, make_quote(db, ANONYMOUS, item(w.a.product_id, FIRST)))
    before = taken(db, w.a.product_id)

    def check_in(s):
        desk.set_stay_status(s, operator, ref, item_index=0, status="checked_in", now=ARRIVAL)

    _before_first_lock(monkeypatch, lambda: assert_done(_in_own_transaction(db, check_in)))
    cancelled = _in_own_transaction(
        db,
        lambda s: desk.cancel(
            s, operator, ref, now=ARRIVAL, reason=None, lock_timeout_ms=db.settings.lock_timeout_ms
        ),
    )

    assert cancelled == "stay_started"
    assert booking_row(db, ref).status == "confirmed"
    assert taken(db, w.a.product_id) == before


def test_a_check_in_committed_while_the_desk_marks_a_no_show_refuses_the_no_show(pg, monkeypatch):
    """Two desk clicks on one stay: the no-show is judged by the stay as it is under the
    booking's lock (checked in: 409 ``invalid_transition``), never overwrites the check-in."""
    db = pg
    w = world(db)
    operator = _desk(w)
    ref = book_in_service(db, ANONYMOUS, make_quote(db, ANONYMOUS, item(w.a.product_id, FIRST)))

    def move(status):
        return lambda s: desk.set_stay_status(
            s, operator, ref, item_index=0, status=status, now=ARRIVAL
        )

    _before_first_lock(
        monkeypatch, lambda: assert_done(_in_own_transaction(db, move("checked_in")))
    )
    assert _in_own_transaction(db, move("no_show")) == "invalid_transition"
    with db.session() as s:
        stay = booking_repository.items_of(s, [booking_row(db, ref).id])
        assert [i.stay_status for i in next(iter(stay.values()))] == ["checked_in"]


def test_a_cancel_and_a_new_booking_of_the_same_traveller_queue_never_deadlock(pg, monkeypatch):
    """A new booking takes its traveller's ``report_stay`` lock (the trigger on its
    items) before it locks its nights; a cancel of another booking of that traveller
    must take them in the same order. It released its nights first, then wrote its
    status (the trigger): each waited for the other, PostgreSQL broke the deadlock by
    failing one (``DeadlockDetected``, a 500 through the API). Here the new booking is
    started once the cancel has released the nights and is let wait; both must
    complete."""
    db = pg
    product = world(db).a.product_id
    stay = item(product, FIRST, units=5)
    first = book_in_service(db, ANONYMOUS, make_quote(db, ANONYMOUS, stay))  # all 5 units
    again = make_quote(db, ANONYMOUS, stay)  # the same traveller (LEAD) books them again
    booked: list[str] = []
    thread = threading.Thread(target=lambda: booked.append(book_in_service(db, ANONYMOUS, again)))
    real_release = cancellation.inventory.release

    def release(session, stays, *, lock_timeout_ms):
        real_release(session, stays, lock_timeout_ms=lock_timeout_ms)
        thread.start()
        for _ in range(2000):  # until the new booking waits for one of our locks
            if waiting_for_locks(db):
                break
            thread.join(0.005)
        assert thread.is_alive(), booked

    monkeypatch.setattr(cancellation.inventory, "release", release)
    with db.write_session() as s:
        b = booking_repository.by_reference(s, first)
        outcome = _outcome(lambda: cancel_booking(s, b, by=BY_TRAVELLER, now=datetime.now(UTC)))
        s.commit()
    thread.join()

    assert outcome == "done"
    assert booked and booked[0].startswith("JL-"), booked
    assert booking_row(db, first).status == "cancelled"
    nights = taken(db, product)
    assert [nights[FIRST + timedelta(days=d)] for d in range(3)] == [5, 5, 5]
