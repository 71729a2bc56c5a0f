"""booking change sequence: the partner feed's order, set by trigger

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04 19:40:00

The partner feed used to follow ``(updated_at, id)``: a change that committed after
a later one, with an earlier ``updated_at``, fell behind a cursor already past it and
was never delivered. ``booking.change_seq`` orders the feed instead, set by a trigger
on every insert and update of a booking, so no writer can forget it:

* PostgreSQL: the writing transaction's id, ``pg_current_xact_id()`` (64 bits, never
  wraps). The reader only returns rows whose transaction id is below that of the
  oldest transaction still open in this database (``service.bookings.repository``):
  anything that commits later sorts after what it returned.
* SQLite: one writer at a time, so a counter (the largest value + 1) is already in
  commit order.

Existing bookings get a value in this revision's transaction (PostgreSQL) or their id
(SQLite). SQLite drops a table's triggers with the table: a later migration that
rebuilds ``booking`` with ``batch_alter_table`` must create them again
(``tests/service/test_bookings_feed.py`` fails if they are missing).
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PG_FUNCTION = """
CREATE FUNCTION booking_change_seq() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.change_seq := pg_current_xact_id()::text::bigint;
    RETURN NEW;
END $$
"""
PG_TRIGGER = """
CREATE TRIGGER booking_change_seq BEFORE INSERT OR UPDATE ON booking
FOR EACH ROW EXECUTE FUNCTION booking_change_seq()
"""
SQLITE_NEXT = "(SELECT coalesce(max(change_seq), 0) + 1 FROM booking)"
SQLITE_TRIGGERS = (
    f"""
CREATE TRIGGER booking_change_seq_insert AFTER INSERT ON booking
BEGIN
    UPDATE booking SET change_seq = {SQLITE_NEXT} WHERE id = NEW.id;
END
""",
    f"""
CREATE TRIGGER booking_change_seq_update AFTER UPDATE ON booking
WHEN NEW.change_seq IS OLD.change_seq
BEGIN
    UPDATE booking SET change_seq = {SQLITE_NEXT} WHERE id = NEW.id;
END
""",
)


def upgrade() -> None:
    with op.batch_alter_table('booking', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('change_seq', sa.BigInteger(), server_default='0', nullable=False)
        )
        batch_op.create_index(
            'ix_booking_client_id_change_seq_id', ['client_id', 'change_seq', 'id'], unique=False
        )
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(PG_FUNCTION)
        op.execute(PG_TRIGGER)
        op.execute("UPDATE booking SET change_seq = 0")  # the trigger sets this transaction's id
    else:
        op.execute("UPDATE booking SET change_seq = id")
        for trigger in SQLITE_TRIGGERS:
            op.execute(trigger)


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("DROP TRIGGER booking_change_seq ON booking")
        op.execute("DROP FUNCTION booking_change_seq()")
    else:
        op.execute("DROP TRIGGER booking_change_seq_insert")
        op.execute("DROP TRIGGER booking_change_seq_update")
    with op.batch_alter_table('booking', schema=None) as batch_op:
        batch_op.drop_index('ix_booking_client_id_change_seq_id')
        batch_op.drop_column('change_seq')
