"""cancellation reasons stored without personal data

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-07 03:00:00

A cancellation's ``reason`` (``booking.cancellation``, free text the canceller typed and
the traveller, the partner, the operator and the province read) is stored from now on
without personal data (``service.personal_data.strip_personal_data``, the survey
comments' rule, applied by ``bookings.cancellation.stated_reason``). This rewrites the
reasons recorded before by the same rule, so that none is left in clear: only the
bookings whose reason changes are written (each gets a new ``change_seq`` from its
trigger, so the partner feed lists it again, with the reason it now reads).

Downgrade changes nothing: what was removed is gone.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0027"
down_revision: str | None = "0026"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
booking = sa.table(
    "booking",
    sa.column("id", sa.Integer),
    sa.column("lead_name", sa.String),
    sa.column("guests", _JSON),
    sa.column("cancellation", _JSON),
)


def upgrade() -> None:
    # The application's one rule (``stated_reason``: the reason less the personal data
    # and the names the booking carries, at most 200 characters).
    from service.personal_data import strip_personal_data

    conn = op.get_bind()
    rows = conn.execute(
        sa.select(booking.c.id, booking.c.lead_name, booking.c.guests, booking.c.cancellation)
        .where(booking.c.cancellation.is_not(None))
        .order_by(booking.c.id)
    ).all()
    for id_, lead_name, guests, cancellation in rows:
        reason = (cancellation or {}).get("reason")
        if not reason:
            continue
        names = [lead_name, *(g.get("name", "") for g in guests or [])]
        stated = strip_personal_data(reason, names, max_length=200) or None
        if stated != reason:
            conn.execute(
                sa.update(booking)
                .where(booking.c.id == id_)
                .values(cancellation={**cancellation, "reason": stated})
            )


def downgrade() -> None:
    pass
