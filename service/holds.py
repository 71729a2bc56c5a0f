"""A hold past its time holds nothing: the one rule, for every reader of holds.

A booking ``pending_payment`` whose ``hold_expires_at`` has passed is expired by the
next sweep (``service.worker``, in-process in ``jilin serve``) or by the next booking's
inline sweep; until then its row still says ``pending_payment`` and it still has its
ticket stubs and inventory. Whatever decides by it reads it as expired already: booking
its quote again (``bookings.service._lapsed_hold``), presenting its stubs to a new quote
or plan (``lapsed_among``), the metrics of held units (``RUNNING_HOLD_SQL``). The
availability reads of inventory are the one exception: they show its nights as taken
until the sweep (at most the sweep interval); booking sweeps inline first.

A shared module: it names the booking table's columns in SQL text, as ``service.metrics``
does, so that the capabilities below bookings (quotes, plans) can apply the rule. For
the same reason the status of a hold, ``PENDING_PAYMENT``, is defined here, once:
``service.bookings.models`` takes it from here (a shared module imports no capability).
"""

from collections.abc import Iterable
from datetime import datetime

import sqlalchemy as sa

from catalog.base import UTCDateTime

# A booking holding its units unpaid (``service.bookings.models.STATUSES``' first).
PENDING_PAYMENT = "pending_payment"


def lapsed(status: str, hold_expires_at: datetime | None, now: datetime) -> bool:
    """Whether a booking is a hold past its expiry at ``now``: it no longer counts."""
    return status == PENDING_PAYMENT and hold_expires_at is not None and hold_expires_at <= now


def lapsed_sql(alias: str = "booking") -> str:
    """``lapsed`` as a SQL predicate on ``alias`` (a booking row), bound to ``:now``."""
    return f"({alias}.status = '{PENDING_PAYMENT}' AND {alias}.hold_expires_at <= :now)"


# A hold still running at :now (pending_payment and not lapsed).
RUNNING_HOLD_SQL = f"b.status = '{PENDING_PAYMENT}' AND NOT {lapsed_sql('b')}"

NOW = sa.bindparam("now", type_=UTCDateTime())

_LAPSED = sa.text(
    f"SELECT id FROM booking WHERE id IN :ids AND {lapsed_sql()}"  # noqa: S608 (constants)
).bindparams(sa.bindparam("ids", expanding=True), NOW)


def lapsed_among(conn: sa.Connection, booking_ids: Iterable[int], now: datetime) -> set[int]:
    """The holds past their expiry at ``now`` among ``booking_ids`` (swept or not, their
    row may still say ``pending_payment``): what they took is free again."""
    ids = sorted(set(booking_ids))
    if not ids:
        return set()
    return set(conn.execute(_LAPSED, {"ids": ids, "now": now}).scalars())
