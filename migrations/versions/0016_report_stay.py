"""report_stay: the reports' per-stay summary, kept by triggers; trips on closed stays

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05 21:30:00

The province's report over a year at province scale (1,000,000 stays) joined every
stay to its booking, product, destination and survey answer three times, and ran a
window over every stay to find trips: 18-30 s (bench/results/reports.md).
``report_stay`` is that join done once per stay, when the stay changes:

* one row per stay item of a ``confirmed``, ``completed`` or ``cancelled`` booking:
  ``counted`` (confirmed or completed), ``no_show``, the booking's channel, the stay's
  product, dates, units, guests and net price, its survey scores, and on the first stay
  of a trip (contiguous counted stays of the booking, no-shows excluded) the trip's
  nights (``trip_nights``; None on every other stay);
* the catalogue's dimensions are not copied (a destination's pilot kind, prefecture,
  a product's theme and beds per unit can change): reports join ``product`` and
  ``destination`` at query time, so they are never stale.

**How it stays correct.** No code writes it. Triggers rewrite a booking's rows (delete,
then insert from the raw rows: the same ``SELECT`` that back-fills it here) after every
``INSERT``/``DELETE`` of a ``booking_item`` or ``survey_response``, every ``UPDATE`` of
a stay's facts, of a survey answer, or of a booking's ``status`` or ``channel``, in the
writer's own transaction (and savepoint): booking, confirmation by payment, expiry,
completion, cancellation by anyone, the front desk, the survey, and any writer added
later or any SQL run by hand. PostgreSQL: one function ``report_stay_refresh(booking)``
called by three trigger functions, which first locks the booking's row so that two
writers of one booking take turns; SQLite (one writer at a time): the same statements
in each trigger.
``tests/service/test_reports_summary.py`` walks every writer and compares the table
with a recomputation from the raw rows after each step, on both databases.

SQLite drops a table's triggers with the table: a later migration that rebuilds
``booking``, ``booking_item`` or ``survey_response`` with ``batch_alter_table`` must
create them again (the test above fails if they are missing).

``closed_stay`` gains ``trip_nights`` too (a closing copies it from ``report_stay``);
closed years already closed get it from their own copied rows, by the same window, so
their reports give the same bytes as before.
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401
from alembic import op

revision: str = '0016'
down_revision: str | None = '0015'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCORES = ("overall", "accommodation", "medical_access", "food", "activities", "value",
          "elder_friendliness")  # fmt: skip
COLUMNS = ("item_id", "booking_id", "item_index", "counted", "no_show", "channel",
           "product_id", "check_in", "check_out", "units", "guests", "net_fen",
           *SCORES)  # fmt: skip
ITEM_FACTS = ("booking_id", "item_index", "product_id", "check_in", "check_out", "units",
              "guests", "net_fen", "stay_status")  # fmt: skip


def _nights(dialect: str, later: str, earlier: str) -> str:
    if dialect == "sqlite":
        return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"
    return f"({later} - {earlier})"


def with_trips(base: str, keys: str, carried: Sequence[str]) -> str:
    """``carried`` columns of ``base`` and ``trip_nights``: over the rows of one
    ``keys`` partition whose ``sold`` is true, ordered by check-in and item index, a
    stay starts a trip unless it begins on the day the previous one ends; a trip's
    first stay carries the trip's nights. ``base`` has ``sold``, ``nights``,
    ``check_in``, ``check_out``, ``item_index`` and ``keys``. No CTE: SQLite does not
    allow one in a trigger."""
    part = f"PARTITION BY {keys}, sold"
    order = "ORDER BY check_in, item_index"
    cols = ", ".join(carried)
    return (
        f"SELECT {cols}, CASE WHEN sold AND starts = 1 THEN "
        f"sum(nights) OVER ({part}, chain) END AS trip_nights FROM ("
        f"SELECT c.*, sum(starts) OVER ({part} {order} ROWS UNBOUNDED PRECEDING) AS chain FROM ("
        f"SELECT b0.*, CASE WHEN check_in = lag(check_out) OVER ({part} {order}) "
        f"THEN 0 ELSE 1 END AS starts FROM ({base}) AS b0) AS c) AS t"
    )


def stays_select(dialect: str, where: str) -> str:
    """The ``report_stay`` rows of the bookings ``where`` selects, from the raw rows."""
    counted = "b.status IN ('confirmed', 'completed')"
    no_show = "coalesce(i.stay_status = 'no_show', FALSE)"
    base = (
        f"SELECT i.id AS item_id, i.booking_id, i.item_index, {counted} AS counted, "
        f"{no_show} AS no_show, b.channel, i.product_id, i.check_in, i.check_out, i.units, "
        "i.guests, i.net_fen, " + ", ".join(f"s.{c}" for c in SCORES) + ", "
        f"({counted} AND NOT {no_show}) AS sold, "
        f"{_nights(dialect, 'i.check_out', 'i.check_in')} AS nights "
        "FROM booking_item i JOIN booking b ON b.id = i.booking_id "
        "LEFT JOIN survey_response s ON s.booking_item_id = i.id "
        f"WHERE b.status IN ('confirmed', 'completed', 'cancelled') AND {where}"
    )
    return with_trips(base, "booking_id", COLUMNS)


def insert_stays(dialect: str, where: str) -> str:
    cols = ", ".join((*COLUMNS, "trip_nights"))
    return f"INSERT INTO report_stay ({cols}) {stays_select(dialect, where)}"


def refresh_statements(dialect: str, booking: str) -> list[str]:
    """Rewrite the rows of one booking (``booking``: an expression of its id)."""
    return [
        f"DELETE FROM report_stay WHERE booking_id = {booking}",
        insert_stays(dialect, f"i.booking_id = {booking}"),
    ]


def _pg() -> list[str]:
    # Two transactions changing one booking's facts at once (two survey answers, the
    # front desk and a survey) take turns on the booking's row: the second rewrites
    # the rows after the first has committed, from a snapshot that sees its change
    # (without the lock it would fail on the summary's primary key).
    # PL/pgSQL, not SQL: it keeps its statements' plans across calls (a SQL function
    # plans them at every call: 2 ms a changed stay instead of 0.3,
    # bench/results/reports.md).
    lock = "PERFORM 1 FROM booking WHERE id = bid FOR NO KEY UPDATE"
    body = ";\n    ".join([lock, *refresh_statements("postgresql", "bid")])
    return [
        f"""
CREATE FUNCTION report_stay_refresh(bid integer) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    {body};
END $$""",
        """
CREATE FUNCTION report_stay_booking() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM report_stay_refresh(NEW.id);
    RETURN NULL;
END $$""",
        """
CREATE FUNCTION report_stay_item() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        PERFORM report_stay_refresh(OLD.booking_id);
    END IF;
    IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.booking_id <> OLD.booking_id) THEN
        PERFORM report_stay_refresh(NEW.booking_id);
    END IF;
    RETURN NULL;
END $$""",
        """
CREATE FUNCTION report_stay_survey() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        PERFORM report_stay_refresh(i.booking_id) FROM booking_item i
        WHERE i.id = OLD.booking_item_id;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        PERFORM report_stay_refresh(i.booking_id) FROM booking_item i
        WHERE i.id = NEW.booking_item_id;
    END IF;
    RETURN NULL;
END $$""",
        """
CREATE TRIGGER report_stay_booking AFTER UPDATE OF status, channel ON booking
FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status
                   OR OLD.channel IS DISTINCT FROM NEW.channel)
EXECUTE FUNCTION report_stay_booking()""",
        f"""
CREATE TRIGGER report_stay_item AFTER INSERT OR DELETE OR UPDATE OF {", ".join(ITEM_FACTS)}
ON booking_item FOR EACH ROW EXECUTE FUNCTION report_stay_item()""",
        """
CREATE TRIGGER report_stay_survey AFTER INSERT OR DELETE OR UPDATE ON survey_response
FOR EACH ROW EXECUTE FUNCTION report_stay_survey()""",
    ]


PG_DROP = [
    "DROP TRIGGER report_stay_booking ON booking",
    "DROP TRIGGER report_stay_item ON booking_item",
    "DROP TRIGGER report_stay_survey ON survey_response",
    "DROP FUNCTION report_stay_booking()",
    "DROP FUNCTION report_stay_item()",
    "DROP FUNCTION report_stay_survey()",
    "DROP FUNCTION report_stay_refresh(integer)",
]

_SURVEY_BOOKING = "(SELECT booking_id FROM booking_item WHERE id = {}.booking_item_id)"
SQLITE_TRIGGERS = {  # name: (event and table, condition, the bookings to rewrite)
    "report_stay_booking_update": (
        "AFTER UPDATE OF status, channel ON booking",
        "WHEN OLD.status IS NOT NEW.status OR OLD.channel IS NOT NEW.channel",
        ["NEW.id"],
    ),
    "report_stay_item_insert": ("AFTER INSERT ON booking_item", "", ["NEW.booking_id"]),
    "report_stay_item_update": (
        f"AFTER UPDATE OF {', '.join(ITEM_FACTS)} ON booking_item",
        "",
        ["OLD.booking_id", "NEW.booking_id"],
    ),
    "report_stay_item_delete": ("AFTER DELETE ON booking_item", "", ["OLD.booking_id"]),
    "report_stay_survey_insert": (
        "AFTER INSERT ON survey_response", "", [_SURVEY_BOOKING.format("NEW")]
    ),
    "report_stay_survey_update": (
        "AFTER UPDATE ON survey_response",
        "",
        [_SURVEY_BOOKING.format("OLD"), _SURVEY_BOOKING.format("NEW")],
    ),
    "report_stay_survey_delete": (
        "AFTER DELETE ON survey_response", "", [_SURVEY_BOOKING.format("OLD")]
    ),
}


def _sqlite() -> list[str]:
    out = []
    for name, (event, when, bookings) in SQLITE_TRIGGERS.items():
        body = "".join(
            f"    {s};\n" for b in bookings for s in refresh_statements("sqlite", b)
        )
        out.append(f"CREATE TRIGGER {name} {event}\nFOR EACH ROW {when}\nBEGIN\n{body}END")
    return out


def closed_trips(dialect: str) -> str:
    """``trip_nights`` of the rows of closed years, from the copied rows themselves."""
    base = (
        "SELECT year, item_id, booking_id, item_index, check_in, check_out, "
        "(counted AND NOT no_show) AS sold, "
        f"{_nights(dialect, 'check_out', 'check_in')} AS nights FROM closed_stay"
    )
    trips = with_trips(base, "year, booking_id", ("year", "item_id"))
    return (
        "UPDATE closed_stay SET trip_nights = t2.trip_nights "
        f"FROM ({trips}) AS t2 "
        "WHERE closed_stay.year = t2.year AND closed_stay.item_id = t2.item_id "
        "AND t2.trip_nights IS NOT NULL"
    )


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.create_table(
        "report_stay",
        sa.Column("item_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("booking_id", sa.Integer(), nullable=False),
        sa.Column("item_index", sa.Integer(), nullable=False),
        sa.Column("counted", sa.Boolean(), nullable=False),
        sa.Column("no_show", sa.Boolean(), nullable=False),
        sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("check_in", sa.Date(), nullable=False),
        sa.Column("check_out", sa.Date(), nullable=False),
        sa.Column("units", sa.Integer(), nullable=False),
        sa.Column("guests", sa.Integer(), nullable=False),
        sa.Column("net_fen", sa.BigInteger(), nullable=False),
        *(sa.Column(s, sa.Integer(), nullable=True) for s in SCORES),
        sa.Column("trip_nights", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("item_id", name=op.f("pk_report_stay")),
    )
    op.execute(insert_stays(dialect, "TRUE"))
    op.create_index("ix_report_stay_booking_id", "report_stay", ["booking_id"])
    op.create_index("ix_report_stay_check_in", "report_stay", ["check_in"])
    for statement in _pg() if dialect == "postgresql" else _sqlite():
        op.execute(statement)
    op.add_column("closed_stay", sa.Column("trip_nights", sa.Integer(), nullable=True))
    op.execute(closed_trips(dialect))


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in PG_DROP:
            op.execute(statement)
    else:
        for name in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER {name}")
    with op.batch_alter_table("closed_stay") as batch_op:
        batch_op.drop_column("trip_nights")
    op.drop_index("ix_report_stay_check_in", table_name="report_stay")
    op.drop_index("ix_report_stay_booking_id", table_name="report_stay")
    op.drop_table("report_stay")
