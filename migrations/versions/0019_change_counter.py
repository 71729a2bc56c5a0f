"""change_counter: SQLite's booking.change_seq from a one-row counter, not max() + 1

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06 03:40:00

Migration 0008's SQLite triggers gave a written booking ``max(change_seq) + 1`` over
``booking``: a scan of every booking on every booking write, under the write lock
(bench/results/change-seq.md), and a value that could come back:
an ``INSERT OR REPLACE`` (or a delete and re-insert) of the booking holding the highest
value got that value again, and an ``UPDATE`` that set ``change_seq`` itself kept what
it set. A kept manage page (docs/pages.md) would not have seen either change.

SQLite now takes the value from ``change_counter`` (one row, id 1): each trigger adds 1
to ``last_seq`` and gives the booking the result, so every insert and update of a
booking gets a value no booking had before, in commit order (one writer at a time),
with no scan:

* ``AFTER INSERT``: every insert, including the insert half of ``INSERT OR REPLACE``
  (SQLite's REPLACE deletes the old row, then inserts) and of a delete and re-insert.
* ``AFTER UPDATE``, when the statement left ``change_seq`` as it was, or set it to
  anything but the value just given out (an ``UPDATE`` that sets ``change_seq`` by
  hand is overwritten; the trigger's own ``UPDATE``, which sets exactly that value,
  stops there even with ``PRAGMA recursive_triggers`` on). An upsert's
  ``DO UPDATE`` is an update.
* A missing counter row (a test that empties every table, a restore without it) is
  made again from ``max(change_seq)`` by the next write, the only write that scans:
  values never go back.

The counter starts at the largest ``change_seq`` already given. PostgreSQL keeps 0008's
``BEFORE INSERT OR UPDATE`` trigger (the writing transaction's id, which the partner
feed's horizon needs; every write of another transaction gets another id): the table
exists there too, as the models declare it, and stays empty.

Downgrade restores 0008's triggers and drops the table. SQLite drops a table's
triggers with the table: a later migration that rebuilds ``booking`` with
``batch_alter_table`` must create them again (``tests/service/test_change_seq.py``
fails if they are missing).
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import context, op

revision: str = '0019'
down_revision: str | None = '0018'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_CURRENT = "(SELECT last_seq FROM change_counter WHERE id = 1)"
# Frozen here, as each migration's SQL is: the counter, bumped (made again from the
# bookings if its row is missing), then given to the written booking.
_BUMP = f"""
    INSERT INTO change_counter (id, last_seq)
        SELECT 1, (SELECT coalesce(max(change_seq), 0) FROM booking)
        WHERE NOT EXISTS (SELECT 1 FROM change_counter WHERE id = 1);
    UPDATE change_counter SET last_seq = last_seq + 1 WHERE id = 1;
    UPDATE booking SET change_seq = {_CURRENT} WHERE id = NEW.id;
"""
SQLITE_TRIGGERS = (
    f"""
CREATE TRIGGER booking_change_seq_insert AFTER INSERT ON booking
BEGIN{_BUMP}END
""",
    f"""
CREATE TRIGGER booking_change_seq_update AFTER UPDATE ON booking
WHEN NEW.change_seq IS OLD.change_seq OR NEW.change_seq IS NOT {_CURRENT}
BEGIN{_BUMP}END
""",
)


def _replace_triggers(triggers: Sequence[str]) -> None:
    op.execute("DROP TRIGGER booking_change_seq_insert")
    op.execute("DROP TRIGGER booking_change_seq_update")
    for trigger in triggers:
        op.execute(trigger)


def upgrade() -> None:
    op.create_table('change_counter',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('last_seq', sa.BigInteger(), nullable=False),
    sa.CheckConstraint('id = 1', name=op.f('ck_change_counter_one_row')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_change_counter'))
    )
    if op.get_bind().dialect.name == 'sqlite':
        op.execute(
            "INSERT INTO change_counter (id, last_seq) "
            "SELECT 1, coalesce(max(change_seq), 0) FROM booking"
        )
        _replace_triggers(SQLITE_TRIGGERS)


def downgrade() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        # 0008's own, as it made them (an applied migration never changes).
        _replace_triggers(context.script.get_revision('0008').module.SQLITE_TRIGGERS)
    op.drop_table('change_counter')
