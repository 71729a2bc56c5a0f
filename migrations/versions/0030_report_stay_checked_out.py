"""report_stay.checked_out: the reports know a stay the front desk checked out

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-07 12:30:00

A stay's survey opens on its check-out day, or as soon as the front desk marks it
``completed`` (``service.reports.survey.may_be_rated``). The reports' response rate
divided the answers by the stays whose check-out day had come, which they could read
from ``report_stay``; a guest who left early and answered the same day was an answer
over no stay (``response_bps`` null beside one answer and an index of 100.0).

* ``report_stay.checked_out``: the front desk marked the stay ``completed``. The
  triggers of 0016/0018 (made again here, the same but for this column: PostgreSQL's
  ``report_stay_refresh``, SQLite's eight triggers) write it with the rest; a change of
  ``stay_status`` already rewrote the booking's rows. Existing rows get it from their
  stay item.
* ``closed_stay.checked_out``: a closing copies it, as of the closing. Years closed
  before this revision keep ``false`` (what they knew): their rate counts the stays
  ended by the closing day, and the answered ones (docs/metrics.md).

Plain ``ALTER TABLE ADD/DROP COLUMN`` (no table rebuild, so SQLite keeps the triggers
of other tables); the downgrade puts 0018's triggers back before dropping the column
they would name.
"""

import importlib.util
from collections.abc import Sequence
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision: str = "0030"
down_revision: str | None = "0029"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _m0018():
    """0018's statements (they write the summary's columns they are given)."""
    path = Path(__file__).with_name("0018_trips_across_bookings.py")
    spec = importlib.util.spec_from_file_location("_jl_migration_0018", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _triggers(columns: Sequence[str] | None) -> None:
    m = _m0018()
    columns = m.COLUMNS if columns is None else (*m.COLUMNS, *columns)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(m.refresh_function(True, columns))
    else:
        for statement in m.sqlite_statements(True, columns):
            op.execute(statement)


def upgrade() -> None:
    for table in ("report_stay", "closed_stay"):
        op.add_column(
            table,
            sa.Column("checked_out", sa.Boolean(), nullable=False, server_default=sa.false()),
        )
    op.execute(
        "UPDATE report_stay SET checked_out = TRUE WHERE item_id IN "
        "(SELECT id FROM booking_item WHERE stay_status = 'completed')"
    )
    _triggers(("checked_out",))


def downgrade() -> None:
    _triggers(None)
    for table in ("report_stay", "closed_stay"):
        op.execute(f"ALTER TABLE {table} DROP COLUMN checked_out")
