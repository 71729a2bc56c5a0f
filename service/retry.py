"""Work rows the background worker retries (refunds, partner webhook deliveries).

Both are rows with ``status``, ``attempts``, ``next_attempt_at`` and ``updated_at``: a
worker claims the due ones under a lease (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so
several workers never take the same row at once; SQLite ignores it and its single
writer serialises them), does the work outside any transaction, then records the
outcome, retrying failures on one exponential schedule.
"""

from datetime import datetime, timedelta

from sqlmodel import Session, select

BACKOFF_BASE = timedelta(seconds=30)
BACKOFF_CAP = timedelta(hours=1)
MAX_ATTEMPTS = 12


def backoff(attempts: int) -> timedelta:
    """Wait after the ``attempts``-th failure: 30 s, 1 min, 2 min ... capped at 1 h."""
    return min(BACKOFF_BASE * (2 ** max(attempts - 1, 0)), BACKOFF_CAP)


def claim_due(
    session: Session,
    model,
    *,
    pending_status: str,
    now: datetime,
    lease: timedelta,
    limit: int,
) -> list:
    """Take up to ``limit`` due rows of ``model`` and push them ``lease`` ahead.

    The lease keeps other workers off a row while this one works on it; if this worker
    dies, the row is due again when the lease ends (at least once).
    """
    stmt = (
        select(model)
        .where(model.status == pending_status, model.next_attempt_at <= now)
        .order_by(model.next_attempt_at, model.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    rows = list(session.exec(stmt).all())
    for row in rows:
        row.attempts += 1
        row.next_attempt_at = now + lease
        row.updated_at = now
        session.add(row)
    session.flush()
    return rows
