"""The lock order of docs/architecture.md ("Locks, in one order"), held on PostgreSQL by
the paths that write several bookings or retake nights: a late payment of a lapsed hold,
the sweeper, a booking's own sweep of lapsed holds.

Every booking write takes its traveller's ``report_stay`` lock (the trigger of
migration 0018, an advisory lock per traveller). A path that took it after the nights,
or took several travellers' in the order of its bookings' ids, waited in a cycle with
another one: PostgreSQL broke it by failing one (``DeadlockDetected``, a 503
``database_busy`` through the API). Each interleaving is made exactly here: a hook runs
the other transaction, in a thread of its own, at the point where it slipped in, and
lets the first go on once the other waits for a lock. Before the order was kept, each of
these tests ended in ``DeadlockDetected``. SQLite is left out: its writers take turns
(``BEGIN IMMEDIATE``).
"""

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from catalog import inventory
from service import worker
from service.bookings import repository, transitions
from service.bookings.cancellation import BY_PARTNER, cancel_booking
from service.errors import DomainError
from tests.service.booking_support import (
    LEAD,
    add_partner,
    add_product,
    book_in_service,
    booking_row,
    item,
    make_hold,
    make_quote,
    taken,
    waiting_for_locks,
)

T0 = datetime.now(UTC).replace(microsecond=0) + timedelta(days=1)  # before the first night
HOLD = timedelta(minutes=15)
OTHER = {"name": "李建国", "phone": "13900139000"}  # a second traveller


@pytest.fixture
def pg(db):
    if db.dialect != "postgresql":
        pytest.skip("SQLite writers take turns: no other transaction can slip in")
    return db


def _outcome(run: Callable[[], object]) -> str:
    """``done``, a problem's code, or the database error's name (``DeadlockDetected``;
    met in an inventory statement: ``InventoryBusy: DeadlockDetected``)."""
    try:
        run()
    except DomainError as exc:
        return exc.code
    except inventory.InventoryBusy as exc:
        return f"InventoryBusy: {exc}"
    except sa.exc.DBAPIError as exc:
        return type(exc.orig).__name__
    return "done"


def _in_own_transaction(db, change: Callable) -> Callable[[], None]:
    def run() -> None:
        with db.write_session() as s:
            change(s)
            s.commit()

    return run


def _then_let_wait(
    db, monkeypatch, owner, name: str, other: Callable[[], None]
) -> Callable[[], list[str]]:
    """Once, right after ``owner.name`` first returns: start ``other`` in a thread and go
    on when it waits for a lock (``waited``) or has ended (``ran through``). Returns what
    waits for that thread to end and gives those two words: how it met us, how it ended
    (``[]`` if it never started)."""
    real = getattr(owner, name)
    outcomes: list[str] = []
    thread = threading.Thread(target=lambda: outcomes.append(_outcome(other)))
    pending = [thread]

    def hooked(*args, **kwargs):
        result = real(*args, **kwargs)
        if pending:
            pending.pop().start()
            for _ in range(2000):  # until the other transaction waits for a lock of ours
                if waiting_for_locks(db):
                    outcomes.append("waited")
                    break
                if not thread.is_alive():
                    outcomes.insert(0, "ran through")
                    break
                thread.join(0.005)
        return result

    monkeypatch.setattr(owner, name, hooked)

    def joined() -> list[str]:
        if not pending:
            thread.join()
        return outcomes

    return joined


def _hold(db, partner, lead: dict, expires: datetime, product: int) -> str:
    """A booking of ``lead`` turned into an unpaid hold until ``expires``."""
    ref = book_in_service(
        db, partner.caller, make_quote(db, partner.caller, item(product)), lead=lead
    )
    make_hold(db, ref, expires)
    return ref


def _sweep(db, now: datetime, limit: int = transitions.SWEEP_BATCH) -> Callable[[], None]:
    return _in_own_transaction(
        db, lambda s: transitions.release_expired_holds(s, now=now, limit=limit)
    )


def test_a_late_payment_retaking_its_nights_and_a_cancel_of_its_traveller_never_deadlock(
    pg, monkeypatch
):
    """A payment of a hold that lapsed takes its nights again. It took them before it
    wrote the booking's status (the trigger: its traveller's lock), while a cancel of
    another booking of that traveller, on the same nights, writes its status first and
    then frees the nights: each waited for the other. The payment now writes the status
    first too. Here the cancel starts once the payment holds the nights."""
    db = pg
    partner = add_partner(db, "Ctrip")
    product = add_product(db, units=5, nights=3)
    late = _hold(db, partner, LEAD, T0 + HOLD, product)
    _sweep(db, T0 + HOLD)()
    assert booking_row(db, late).status == "expired"
    other = book_in_service(db, partner.caller, make_quote(db, partner.caller, item(product)))

    def cancel(s):
        b = repository.by_reference(s, other)
        cancel_booking(s, b, by=BY_PARTNER, now=datetime.now(UTC))

    joined = _then_let_wait(db, monkeypatch, inventory, "take", _in_own_transaction(db, cancel))

    def pay(s):
        b = repository.by_reference(s, late)
        assert transitions.confirm_booking(s, b, now=T0 + HOLD + timedelta(minutes=1))

    paid = _outcome(_in_own_transaction(db, pay))
    cancelled = joined()

    assert (paid, cancelled) == ("done", ["waited", "done"])
    assert booking_row(db, late).status == "confirmed"
    assert booking_row(db, other).status == "cancelled"
    assert set(taken(db, product).values()) == {1}


def _crossed_holds(db, first_lapse: datetime, then_lapse: datetime):
    """Four holds of two travellers, in id order: LEAD's lapsing at ``first_lapse``, then
    OTHER's, OTHER's, LEAD's lapsing at ``then_lapse``: by id, the first two are LEAD
    then OTHER, the last two OTHER then LEAD."""
    partner = add_partner(db, "Ctrip")
    product = add_product(db, units=5, nights=3)
    leads = (LEAD, OTHER, OTHER, LEAD)
    lapses = (first_lapse, then_lapse, then_lapse, then_lapse)
    refs = [_hold(db, partner, lead, at, product) for lead, at in zip(leads, lapses, strict=True)]
    return partner, product, refs


def test_two_sweeps_over_the_same_travellers_never_deadlock(pg, monkeypatch):
    """Two sweepers at once (workers, in-process sweepers) expire disjoint holds (``SKIP
    LOCKED``) of the same travellers: one LEAD's then OTHER's, the other OTHER's then
    LEAD's, by booking id. Each took its travellers' locks in that order, so each held one
    and waited for the other's. Now each takes them at once, sorted. The second sweep
    starts once the first has expired its first hold."""
    db = pg
    _, product, refs = _crossed_holds(db, T0 + HOLD, T0 + HOLD)
    now = T0 + HOLD

    joined = _then_let_wait(db, monkeypatch, transitions, "emit", _sweep(db, now))
    first = _outcome(_sweep(db, now, limit=2))
    second = joined()

    assert (first, second) == ("done", ["waited", "done"])
    assert [booking_row(db, r).status for r in refs] == ["expired"] * 4
    assert set(taken(db, product).values()) == {0}


def test_a_bookings_own_sweep_and_a_sweep_over_the_same_travellers_never_deadlock(pg, monkeypatch):
    """A booking expires the lapsed holds it finds (here LEAD's) before it writes its own
    rows (OTHER's, its traveller's lock taken by the trigger on its items), while a sweep
    expires OTHER's hold and then LEAD's. The booking now takes its travellers' locks,
    its own among them, at once and sorted, before the sweep's: the sweep waits."""
    db = pg
    partner, product, refs = _crossed_holds(db, T0 + HOLD, T0 + HOLD + timedelta(minutes=10))
    quote = make_quote(db, partner.caller, item(product), now=T0 + HOLD)
    sweep = _sweep(db, T0 + HOLD + timedelta(minutes=10))

    joined = _then_let_wait(db, monkeypatch, transitions, "emit", sweep)
    booked: list[str] = []
    booking = _outcome(
        lambda: booked.append(
            book_in_service(
                db, partner.caller, quote, now=T0 + HOLD + timedelta(minutes=1), lead=OTHER
            )
        )
    )
    swept = joined()

    assert (booking, swept) == ("done", ["waited", "done"])
    assert booked[0].startswith("JL-"), booked
    assert [booking_row(db, r).status for r in refs] == ["expired"] * 4
    assert set(taken(db, product).values()) == {1}


def test_a_sweep_completing_stays_and_a_cancel_of_their_traveller_never_deadlock(pg, monkeypatch):
    """The sweep expired holds (freeing their nights) and then, in the same transaction,
    completed past stays (their travellers' locks: after the nights), while a cancel of
    another booking of a completed stay's traveller, on the freed nights, takes that
    traveller's lock and then the nights. Each step of the sweep is now its own
    transaction. Here the cancel starts once the sweep has freed the nights."""
    db = pg
    partner = add_partner(db, "Ctrip")
    product = add_product(db, units=5, nights=3)
    lapsed = _hold(db, partner, LEAD, T0 + HOLD, product)
    past = book_in_service(
        db, partner.caller, make_quote(db, partner.caller, item(product)), lead=OTHER
    )
    today = datetime.now(UTC).date()
    with db.engine.begin() as conn:  # its stay ended yesterday: the sweep completes it
        conn.execute(
            sa.text(
                "UPDATE booking_item SET check_in = :i, check_out = :o WHERE booking_id = "
                "(SELECT id FROM booking WHERE reference = :r)"
            ),
            {"i": today - timedelta(days=3), "o": today - timedelta(days=1), "r": past},
        )
    other = book_in_service(
        db, partner.caller, make_quote(db, partner.caller, item(product)), lead=OTHER
    )

    def cancel(s):
        b = repository.by_reference(s, other)
        cancel_booking(s, b, by=BY_PARTNER, now=datetime.now(UTC))

    joined = _then_let_wait(db, monkeypatch, inventory, "release", _in_own_transaction(db, cancel))
    lock_timeout_ms = db.settings.lock_timeout_ms
    swept = _outcome(
        lambda: worker.sweep(db, now=T0 + HOLD, today=today, lock_timeout_ms=lock_timeout_ms)
    )
    cancelled = joined()

    assert (swept, cancelled) == ("done", ["waited", "done"])
    statuses = [booking_row(db, r).status for r in (lapsed, past, other)]
    assert statuses == ["expired", "completed", "cancelled"]
    assert set(taken(db, product).values()) == {1}  # the completed stay's, as booked
