"""``booking.change_seq`` gets a value it never had on every write of a booking, whoever
writes and however (real SQLite and PostgreSQL; migrations 0008 and 0019).

A kept manage page is served again while its booking's ``change_seq`` reads the same
(docs/pages.md), and the partner feed follows it: a write that left the value as it was
would go unseen. On SQLite the value comes from ``change_counter``, with no scan of the
bookings; on PostgreSQL it is the writing transaction's id."""

import sqlite3

import pytest
import sqlalchemy as sa

from service.bookings.models import Booking
from service.migrate import upgrade
from tests.service.booking_support import (
    add_partner,
    add_product,
    book_in_service,
    item,
    make_quote,
)


def _book(db, partner, product: int) -> str:
    reference = book_in_service(db, partner.caller, make_quote(db, partner.caller, item(product)))
    assert reference.startswith("JL-"), reference  # a reference, not a problem code
    return reference


def _write(db, sql: str, **params) -> None:
    with db.write_session() as s:
        s.execute(sa.text(sql), params)
        s.commit()


def _seqs(db) -> dict[str, int]:
    with db.session() as s:
        return dict(s.execute(sa.text("SELECT reference, change_seq FROM booking")).all())


class Seen:
    """Every ``change_seq`` read so far: each new one must be above all of them."""

    def __init__(self, db):
        self.db = db
        self.values = set(_seqs(db).values())

    def after(self, reference: str) -> int:
        value = _seqs(self.db)[reference]
        assert value > max(self.values), (value, sorted(self.values))
        self.values.add(value)
        return value


def test_every_write_of_a_booking_gives_it_a_change_seq_never_seen_before(db, backend):
    partner = add_partner(db, "ota-seq")
    product = add_product(db, units=5)
    a = _book(db, partner, product)
    seen = Seen(db)
    first = _seqs(db)[a]
    b = _book(db, partner, product)  # an insert
    seen.after(b)

    _write(db, "UPDATE booking SET status = 'completed' WHERE reference = :r", r=a)
    seen.after(a)
    _write(db, "UPDATE booking SET lead_name = lead_name WHERE reference = :r", r=a)
    seen.after(a)  # a write that changes nothing is still a write
    # An UPDATE that sets change_seq itself, back to the value the booking first had.
    _write(
        db, "UPDATE booking SET status = 'confirmed', change_seq = :v WHERE reference = :r",
        v=first, r=a,
    )  # fmt: skip
    assert seen.after(a) != first
    # An upsert of the booking that holds the highest value: its DO UPDATE is an update.
    _write(
        db,
        "INSERT INTO booking SELECT * FROM booking WHERE reference = :r "
        "ON CONFLICT (id) DO UPDATE SET status = 'completed'",
        r=a,
    )
    seen.after(a)
    # The row written again without change_seq (it takes the default, 0), as a repair
    # script would: 0008's max() + 1 no longer counted the old row, so the booking that
    # held the highest value got that same value back.
    if backend == "sqlite":  # REPLACE: SQLite deletes the old row, then inserts
        columns = ", ".join(c.name for c in Booking.__table__.columns if c.name != "change_seq")
        again = f"INTO booking ({columns}) SELECT {columns} FROM booking WHERE reference = :r"
        _write(db, "INSERT OR REPLACE " + again, r=a)
        seen.after(a)
        _write(db, "REPLACE " + again, r=b)
        seen.after(b)
    # Several writes in one transaction, and the other booking untouched: its value stays.
    before_b = _seqs(db)[b]
    with db.write_session() as s:
        for status in ("cancelled", "confirmed"):
            update = sa.text("UPDATE booking SET status = :s WHERE reference = :r")
            s.execute(update, {"s": status, "r": a})
        s.commit()
    seen.after(a)
    assert _seqs(db)[b] == before_b


def test_a_missing_counter_row_is_made_again_above_every_value_given(db, backend):
    """A restore without ``change_counter``'s row (or a test emptying every table):
    the next write makes it again from the bookings, and values never go back."""
    if backend != "sqlite":
        pytest.skip("PostgreSQL gives the writing transaction's id; the counter is SQLite's")
    partner = add_partner(db, "ota-seq")
    product = add_product(db, units=5)
    a, b = _book(db, partner, product), _book(db, partner, product)
    seen = Seen(db)
    _write(db, "DELETE FROM change_counter")
    _write(db, "UPDATE booking SET status = 'completed' WHERE reference = :r", r=a)
    seen.after(a)
    _write(db, "UPDATE booking SET status = 'completed' WHERE reference = :r", r=b)
    assert seen.after(b) == _seqs(db)[a] + 1
    with db.session() as s:
        assert s.execute(sa.text("SELECT id, last_seq FROM change_counter")).all() == [
            (1, _seqs(db)[b])
        ]


_INSERT_BOOKINGS = """
INSERT INTO booking (reference, token_hash, channel, quote_id, status, payment_mode,
    total_fen, currency, refunded_fen, inventory_held, lead_name, lead_phone, guests,
    created_at, updated_at, version)
WITH RECURSIVE n(x) AS (SELECT :start UNION ALL SELECT x + 1 FROM n WHERE x < :stop)
SELECT 'R' || x, 'h', 'web', 'q' || x, 'cancelled', 'pay_at_property', 100, 'CNY', 0, 0,
    'n', 'p', '[]', '2026-12-01', '2026-12-01', 1 FROM n
"""


def _steps(conn: sqlite3.Connection, sql: str) -> int:
    """The SQLite virtual-machine instructions ``sql`` ran (a count, not a timing)."""
    counted = [0]

    def count() -> int:
        counted[0] += 1
        return 0

    conn.set_progress_handler(count, 1)
    try:
        conn.execute(sql)
    finally:
        conn.set_progress_handler(None, 1)
    return counted[0]


def test_a_booking_write_on_sqlite_does_not_read_the_other_bookings(tmp_path):
    """The work of one booking's update does not grow with the number of bookings
    (0008's ``max(change_seq) + 1`` read every one of them, under the write lock)."""
    path = tmp_path / "seq.db"
    upgrade(f"sqlite:///{path}")
    conn = sqlite3.connect(path, isolation_level=None)  # no foreign keys: quotes need not exist
    update = "UPDATE booking SET status = 'expired' WHERE id = 7"
    steps = []
    for start, stop in ((1, 100), (101, 5000)):
        conn.execute(_INSERT_BOOKINGS, {"start": start, "stop": stop})
        _steps(conn, update)  # the statement compiled once
        steps.append(_steps(conn, update))
    last = conn.execute("SELECT change_seq FROM booking WHERE id = 7").fetchone()[0]
    counter = conn.execute("SELECT last_seq FROM change_counter").fetchone()[0]
    conn.close()
    assert steps[0] == steps[1], steps  # 100 bookings, then 5,000
    assert last == counter == 5004  # 5,000 inserts and 4 updates, this one last
