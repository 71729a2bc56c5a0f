"""trips across bookings: one traveller's contiguous stays, kept in report_stay

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-05 22:00:00

The plan counts stays of more than 10 days per traveller; a traveller who books a week
at a hot spring and, separately, the next two weeks at a forest resort made one trip of
three weeks. Until now a trip was contiguous stays of one booking.

* ``booking.traveller_hash``: HMAC-SHA256 of the lead traveller's phone (digits only,
  without the ``86`` country code), under the application's pepper, written when the
  booking is made (``service.clients.keys.hash_traveller``). The phone is not readable
  from it. Bookings made before this revision have none (this migration does not know
  the pepper): their trips stay within their booking.
* ``report_stay``'s triggers (migration 0016) now rewrite the rows of **every booking of
  the same traveller** when one changes, and a trip is a run of contiguous counted
  stays of one traveller (of one booking when it has no traveller), ordered by
  check-in, booking and item; its nights are on its first stay, as before. PostgreSQL
  serialises the rewrites of one traveller with a transaction-scoped advisory lock on
  the traveller (the booking's row lock of 0016 did it for one booking); SQLite has one
  writer at a time. A change of a booking's traveller, or a booking deleted, rewrites
  the traveller it leaves too.

Existing rows need no rewrite: no booking has a traveller yet.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
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


def stays_select(
    dialect: str, where: str, *, by_traveller: bool, columns: Sequence[str] = COLUMNS
) -> str:
    """The ``report_stay`` rows of the stays ``where`` selects, from the raw rows. A
    stay starts a trip unless it begins on the day the one before it ends, among the
    counted, shown-up stays of its traveller (``by_traveller``) or of its booking,
    ordered by check-in, booking and item; a trip's first stay carries its nights.
    No CTE: SQLite does not allow one in a trigger. ``columns``: the summary's columns
    as of the revision that asks (0030 adds ``checked_out``)."""
    counted = "b.status IN ('confirmed', 'completed')"
    no_show = "coalesce(i.stay_status = 'no_show', FALSE)"
    key = (
        "coalesce(b.traveller_hash, 'b' || CAST(i.booking_id AS TEXT))"
        if by_traveller
        else "CAST(i.booking_id AS TEXT)"
    )
    base = (
        f"SELECT i.id AS item_id, i.booking_id, i.item_index, {counted} AS counted, "
        f"{no_show} AS no_show, b.channel, i.product_id, i.check_in, i.check_out, i.units, "
        "i.guests, i.net_fen, " + ", ".join(f"s.{c}" for c in SCORES) + ", "
        "coalesce(i.stay_status = 'completed', FALSE) AS checked_out, "
        f"({counted} AND NOT {no_show}) AS sold, {key} AS trip_key, "
        f"{_nights(dialect, 'i.check_out', 'i.check_in')} AS nights "
        "FROM booking_item i JOIN booking b ON b.id = i.booking_id "
        "LEFT JOIN survey_response s ON s.booking_item_id = i.id "
        f"WHERE b.status IN ('confirmed', 'completed', 'cancelled') AND {where}"
    )
    part = "PARTITION BY trip_key, sold"
    order = "ORDER BY check_in, booking_id, item_index"
    cols = ", ".join(columns)
    return (
        f"SELECT {cols}, CASE WHEN sold AND starts = 1 THEN "
        f"sum(nights) OVER ({part}, chain) END AS trip_nights FROM ("
        f"SELECT c.*, sum(starts) OVER ({part} {order} ROWS UNBOUNDED PRECEDING) AS chain FROM ("
        f"SELECT b0.*, CASE WHEN check_in = lag(check_out) OVER ({part} {order}) "
        f"THEN 0 ELSE 1 END AS starts FROM ({base}) AS b0) AS c) AS t"
    )


def refresh_statements(
    dialect: str, bookings: str, *, by_traveller: bool = True, columns: Sequence[str] = COLUMNS
) -> list[str]:
    """Rewrite the rows of the bookings ``bookings`` (a ``SELECT`` of booking ids)."""
    cols = ", ".join((*columns, "trip_nights"))
    select = stays_select(
        dialect, f"i.booking_id IN ({bookings})", by_traveller=by_traveller, columns=columns
    )
    return [
        f"DELETE FROM report_stay WHERE booking_id IN ({bookings})",
        f"INSERT INTO report_stay ({cols}) {select}",
    ]


def traveller_of(booking: str) -> str:
    """The booking ``booking`` and every other booking of its traveller."""
    return (
        f"SELECT {booking} UNION SELECT o.id FROM booking o "
        f"WHERE o.traveller_hash = (SELECT traveller_hash FROM booking WHERE id = {booking})"
    )


def bookings_of(traveller: str) -> str:
    return f"SELECT o.id FROM booking o WHERE o.traveller_hash = {traveller}"


def refresh_function(by_traveller: bool, columns: Sequence[str] = COLUMNS) -> str:
    """``report_stay_refresh(bid)``, PostgreSQL's one rewrite the trigger functions call."""
    if by_traveller:
        lock = (
            "PERFORM pg_advisory_xact_lock(hashtext('report_stay:' || coalesce("
            "(SELECT traveller_hash FROM booking WHERE id = bid), 'b' || CAST(bid AS TEXT))))"
        )
        group = traveller_of("bid")
    else:
        lock = "PERFORM 1 FROM booking WHERE id = bid FOR NO KEY UPDATE"
        group = "SELECT bid"
    body = ";\n    ".join(
        [lock, *refresh_statements("postgresql", group, by_traveller=by_traveller, columns=columns)]
    )
    # PL/pgSQL: it keeps its statements' plans across calls (see 0016)
    return f"""
CREATE OR REPLACE FUNCTION report_stay_refresh(bid integer) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    {body};
END $$"""


def _pg(by_traveller: bool) -> list[str]:
    out = [refresh_function(by_traveller)]
    if by_traveller:
        out += [
            # the traveller a booking leaves (its traveller changed, or it was deleted)
            """
CREATE FUNCTION report_stay_booking_left() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM report_stay_refresh(min(o.id)) FROM booking o
    WHERE o.traveller_hash = OLD.traveller_hash
    HAVING min(o.id) IS NOT NULL;
    IF TG_OP = 'DELETE' THEN
        DELETE FROM report_stay WHERE booking_id = OLD.id;
    END IF;
    RETURN NULL;
END $$""",
            "DROP TRIGGER report_stay_booking ON booking",
            """
CREATE TRIGGER report_stay_booking AFTER UPDATE OF status, channel, traveller_hash ON booking
FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status
                   OR OLD.channel IS DISTINCT FROM NEW.channel
                   OR OLD.traveller_hash IS DISTINCT FROM NEW.traveller_hash)
EXECUTE FUNCTION report_stay_booking()""",
            """
CREATE TRIGGER report_stay_booking_left AFTER DELETE OR UPDATE OF traveller_hash ON booking
FOR EACH ROW WHEN (OLD.traveller_hash IS NOT NULL)
EXECUTE FUNCTION report_stay_booking_left()""",
        ]
    else:
        out += [
            "DROP TRIGGER report_stay_booking_left ON booking",
            "DROP FUNCTION report_stay_booking_left()",
            "DROP TRIGGER report_stay_booking ON booking",
            """
CREATE TRIGGER report_stay_booking AFTER UPDATE OF status, channel ON booking
FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status
                   OR OLD.channel IS DISTINCT FROM NEW.channel)
EXECUTE FUNCTION report_stay_booking()""",
        ]
    return out


def _survey_group(row: str, by_traveller: bool) -> str:
    booking = f"(SELECT booking_id FROM booking_item WHERE id = {row}.booking_item_id)"
    return traveller_of(booking) if by_traveller else f"SELECT {booking}"


def sqlite_triggers(by_traveller: bool) -> dict[str, tuple[str, str, list[str]]]:
    """name: (event and table, condition, the groups of bookings to rewrite)."""
    group = traveller_of if by_traveller else (lambda b: f"SELECT {b}")
    booking_update = "AFTER UPDATE OF status, channel ON booking"
    changed = "WHEN OLD.status IS NOT NEW.status OR OLD.channel IS NOT NEW.channel"
    booking_groups = [group("NEW.id")]
    if by_traveller:
        booking_update = "AFTER UPDATE OF status, channel, traveller_hash ON booking"
        changed += " OR OLD.traveller_hash IS NOT NEW.traveller_hash"
        booking_groups.append(bookings_of("OLD.traveller_hash"))
    out = {
        "report_stay_booking_update": (booking_update, changed, booking_groups),
        "report_stay_item_insert": ("AFTER INSERT ON booking_item", "",
                                    [group("NEW.booking_id")]),
        "report_stay_item_update": (
            f"AFTER UPDATE OF {', '.join(ITEM_FACTS)} ON booking_item",
            "",
            [group("OLD.booking_id"), group("NEW.booking_id")],
        ),
        "report_stay_item_delete": ("AFTER DELETE ON booking_item", "",
                                    [group("OLD.booking_id")]),
        "report_stay_survey_insert": ("AFTER INSERT ON survey_response", "",
                                      [_survey_group("NEW", by_traveller)]),
        "report_stay_survey_update": (
            "AFTER UPDATE ON survey_response",
            "",
            [_survey_group("OLD", by_traveller), _survey_group("NEW", by_traveller)],
        ),
        "report_stay_survey_delete": ("AFTER DELETE ON survey_response", "",
                                      [_survey_group("OLD", by_traveller)]),
    }  # fmt: skip
    if by_traveller:
        out["report_stay_booking_delete"] = (
            "AFTER DELETE ON booking",
            "",
            [bookings_of("OLD.traveller_hash"), "SELECT OLD.id"],
        )
    return out


def sqlite_statements(by_traveller: bool, columns: Sequence[str] = COLUMNS) -> list[str]:
    """SQLite's triggers dropped and made again, each rewriting with ``columns``."""
    out = [f"DROP TRIGGER IF EXISTS {name}" for name in sqlite_triggers(True)]
    for name, (event, when, groups) in sqlite_triggers(by_traveller).items():
        body = "".join(
            f"    {s};\n"
            for g in groups
            for s in refresh_statements("sqlite", g, by_traveller=by_traveller, columns=columns)
        )
        out.append(f"CREATE TRIGGER {name} {event}\nFOR EACH ROW {when}\nBEGIN\n{body}END")
    return out


def _triggers(by_traveller: bool) -> None:
    dialect = op.get_bind().dialect.name
    statements = _pg(by_traveller) if dialect == "postgresql" else sqlite_statements(by_traveller)
    for statement in statements:
        op.execute(statement)


def upgrade() -> None:
    op.add_column("booking", sa.Column("traveller_hash", sa.String(length=64), nullable=True))
    op.create_index("ix_booking_traveller_hash", "booking", ["traveller_hash"])
    _triggers(by_traveller=True)


def downgrade() -> None:
    _triggers(by_traveller=False)
    op.drop_index("ix_booking_traveller_hash", table_name="booking")
    # Not batch_alter_table: rebuilding ``booking`` on SQLite would drop its triggers.
    op.execute("ALTER TABLE booking DROP COLUMN traveller_hash")
