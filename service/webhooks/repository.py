"""All SQL of partner webhook endpoints and deliveries.

Due deliveries are claimed with ``FOR UPDATE SKIP LOCKED`` (PostgreSQL; on SQLite the
worker's write session holds the write lock), so workers never take the same row.
"""

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from service import retry
from service.bookings.outbox import OutboxEvent
from service.webhooks.models import (
    DELIVERY_FAILED,
    DELIVERY_PENDING,
    PING,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEndpointEventType,
)


def _insert(session: Session, table):
    dialect = session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)


def endpoints_for_client(session: Session, client_id: int) -> list[WebhookEndpoint]:
    stmt = (
        select(WebhookEndpoint)
        .where(WebhookEndpoint.client_id == client_id, col(WebhookEndpoint.active).is_(True))
        .order_by(WebhookEndpoint.id)
    )
    return list(session.exec(stmt).all())


def endpoint_of_client(
    session: Session, client_id: int, endpoint_id: int, *, active_only: bool = True
) -> WebhookEndpoint | None:
    """The client's endpoint ``endpoint_id``: active only, or also one it removed (whose
    deliveries it still lists)."""
    stmt = select(WebhookEndpoint).where(
        WebhookEndpoint.id == endpoint_id, WebhookEndpoint.client_id == client_id
    )
    if active_only:
        stmt = stmt.where(col(WebhookEndpoint.active).is_(True))
    return session.exec(stmt).first()


def event_types_of(session: Session, endpoint_ids: list[int]) -> dict[int, list[str]]:
    """The event types each endpoint takes (sorted); an endpoint taking every type is
    absent."""
    et = WebhookEndpointEventType
    stmt = (
        select(et.endpoint_id, et.event_type)
        .where(col(et.endpoint_id).in_(endpoint_ids))
        .order_by(et.endpoint_id, et.event_type)
    )
    found: dict[int, list[str]] = {}
    for endpoint_id, event_type in session.exec(stmt).all():
        found.setdefault(endpoint_id, []).append(event_type)
    return found


def set_event_types(session: Session, endpoint_id: int, event_types: list[str] | None) -> None:
    """The endpoint takes ``event_types`` from now on (None: every type)."""
    et = WebhookEndpointEventType.__table__
    session.exec(sa.delete(et).where(et.c.endpoint_id == endpoint_id))
    if event_types:
        session.exec(
            sa.insert(et),
            params=[{"endpoint_id": endpoint_id, "event_type": t} for t in event_types],
        )


def add_ping(session: Session, endpoint: WebhookEndpoint, now: datetime) -> WebhookDelivery:
    """A ``ping`` event for ``endpoint`` and its one delivery, due now."""
    event = OutboxEvent(
        client_id=endpoint.client_id,
        event_type=PING,
        booking_id=None,
        payload={"event": PING, "endpoint_id": endpoint.id, "occurred_at": now.isoformat()},
        created_at=now,
    )
    session.add(event)
    session.flush()
    delivery = WebhookDelivery(
        outbox_event_id=event.id,
        endpoint_id=endpoint.id,
        client_id=endpoint.client_id,
        event_type=PING,
        status=DELIVERY_PENDING,
        next_attempt_at=now,
        created_at=now,
        updated_at=now,
    )
    session.add(delivery)
    session.flush()
    return delivery


def delivery_of_client(
    session: Session, client_id: int, delivery_id: int, *, for_update: bool = False
) -> tuple[WebhookDelivery, OutboxEvent] | None:
    stmt = (
        select(WebhookDelivery, OutboxEvent)
        .join(OutboxEvent, OutboxEvent.id == WebhookDelivery.outbox_event_id)
        .where(WebhookDelivery.id == delivery_id, WebhookDelivery.client_id == client_id)
    )
    if for_update:
        stmt = stmt.with_for_update(of=WebhookDelivery)
    row = session.exec(stmt).first()
    return None if row is None else (row[0], row[1])


def give_up_pending(session: Session, endpoint_id: int, now: datetime, reason: str) -> int:
    """Mark the endpoint's pending deliveries failed with ``reason`` (caller's transaction)."""
    dl = WebhookDelivery.__table__
    stmt = (
        sa.update(dl)
        .where(dl.c.endpoint_id == endpoint_id, dl.c.status == DELIVERY_PENDING)
        .values(status=DELIVERY_FAILED, last_error=reason, updated_at=now)
    )
    return session.exec(stmt).rowcount or 0


def _owed():
    """The (outbox event, active and enabled endpoint of its partner that takes its type)
    pairs that have no delivery yet: the endpoint gets the events made from its
    registration on, or from when it was last enabled again. Its join and conditions
    (read through ``ix_outbox_event_client_id_created_at``: a partner's events since its
    endpoint was registered or enabled)."""
    ev, ep = OutboxEvent.__table__, WebhookEndpoint.__table__
    dl, et = WebhookDelivery.__table__, WebhookEndpointEventType.__table__
    takes_all = ~sa.exists().where(et.c.endpoint_id == ep.c.id).correlate_except(et)
    takes_this = (
        sa.exists()
        .where(et.c.endpoint_id == ep.c.id, et.c.event_type == ev.c.event_type)
        .correlate_except(et)
    )
    return ev.join(ep, ep.c.client_id == ev.c.client_id), (
        ev.c.event_type != PING,  # made with its one delivery (``add_ping``)
        ep.c.active.is_(True),
        ep.c.enabled.is_(True),
        ev.c.created_at >= sa.func.coalesce(ep.c.enabled_at, ep.c.created_at),
        sa.or_(takes_all, takes_this),
        ~sa.exists()
        .where(dl.c.outbox_event_id == ev.c.id, dl.c.endpoint_id == ep.c.id)
        .correlate_except(dl),  # the event and endpoint of the query it is put in
    )


def purgeable_events(session: Session, before: datetime, limit: int) -> list[int]:
    """Up to ``limit`` events made before ``before``, oldest first, that nothing waits
    for any more: each of their deliveries ended (delivered or failed) before ``before``,
    and no active endpoint is owed one (``_owed``: an event a worker never fanned out is
    kept, and counted lost). Locked ``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so two
    workers purge different events."""
    ev, ep = OutboxEvent.__table__, WebhookEndpoint.__table__
    dl = WebhookDelivery.__table__
    _, owed = _owed()
    in_use = (
        sa.exists()
        .where(
            dl.c.outbox_event_id == ev.c.id,
            sa.or_(dl.c.status == DELIVERY_PENDING, dl.c.updated_at >= before),
        )
        .correlate_except(dl)
    )
    owed_to_one = sa.exists().where(ep.c.client_id == ev.c.client_id, *owed).correlate_except(ep)
    stmt = (
        sa.select(ev.c.id)
        .where(
            ev.c.created_at < before,
            ~in_use,
            ~owed_to_one,
        )
        .order_by(ev.c.created_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return list(session.execute(stmt).scalars())


def purge_events(session: Session, ids: list[int], before: datetime) -> tuple[int, int]:
    """Delete the events ``ids`` (``purgeable_events``) and their deliveries, checking
    again in each statement that every delivery ended before ``before``: one made pending
    again meanwhile keeps itself and its event. ``(events, deliveries)`` deleted."""
    ev, dl = OutboxEvent.__table__, WebhookDelivery.__table__
    if not ids:
        return 0, 0
    deliveries = session.execute(
        sa.delete(dl).where(
            dl.c.outbox_event_id.in_(ids),
            dl.c.status != DELIVERY_PENDING,
            dl.c.updated_at < before,
        )
    ).rowcount
    events = session.execute(
        sa.delete(ev).where(ev.c.id.in_(ids), ~sa.exists().where(dl.c.outbox_event_id == ev.c.id))
    ).rowcount
    return events, deliveries


def fan_out(session: Session, now: datetime, lookback: timedelta) -> int:
    """One pending delivery per (recent outbox event, active endpoint of its partner),
    numbered in the events' order (``_owed``); events older than ``lookback`` are left
    (``not_fanned_out`` counts them). The unique (outbox_event_id, endpoint_id) makes
    concurrent fan-outs harmless.
    """
    ev, ep = OutboxEvent.__table__, WebhookEndpoint.__table__
    dl = WebhookDelivery.__table__
    joined, owed = _owed()
    source = (
        sa.select(
            ev.c.id,
            ep.c.id,
            ep.c.client_id,
            ev.c.event_type,
            sa.literal(DELIVERY_PENDING),
            sa.literal(0),
            sa.literal(now, type_=dl.c.next_attempt_at.type),
            sa.literal(now, type_=dl.c.created_at.type),
            sa.literal(now, type_=dl.c.updated_at.type),
        )
        .select_from(joined)
        .where(*owed, ev.c.created_at >= now - lookback)
        # Deliveries are numbered in the order their events were made, and sent in that
        # order (claim_due: next attempt, then id); without it PostgreSQL numbers them in
        # whatever order its join plan yields the rows.
        .order_by(ev.c.id, ep.c.id)
    )
    stmt = (
        _insert(session, WebhookDelivery)
        .from_select(
            [
                "outbox_event_id",
                "endpoint_id",
                "client_id",
                "event_type",
                "status",
                "attempts",
                "next_attempt_at",
                "created_at",
                "updated_at",
            ],
            source,
        )
        .on_conflict_do_nothing(index_elements=["outbox_event_id", "endpoint_id"])
    )
    return session.exec(stmt).rowcount or 0


def claim_due_deliveries(
    session: Session, now: datetime, lease: timedelta, limit: int
) -> list[tuple[WebhookDelivery, WebhookEndpoint, OutboxEvent]]:
    deliveries = retry.claim_due(
        session, WebhookDelivery, pending_status=DELIVERY_PENDING, now=now, lease=lease, limit=limit
    )
    return [
        (
            d,
            session.get(WebhookEndpoint, d.endpoint_id),
            session.get(OutboxEvent, d.outbox_event_id),
        )
        for d in deliveries
    ]


def deliveries_page(
    session: Session,
    client_id: int,
    *,
    after_id: int | None,
    limit: int,
    status: str | None = None,
    endpoint_id: int | None = None,
) -> list[tuple[WebhookDelivery, OutboxEvent]]:
    """The partner's deliveries, newest first (keyset on id, descending)."""
    stmt = (
        select(WebhookDelivery, OutboxEvent)
        .join(OutboxEvent, OutboxEvent.id == WebhookDelivery.outbox_event_id)
        .where(WebhookDelivery.client_id == client_id)
    )
    if status is not None:
        stmt = stmt.where(WebhookDelivery.status == status)
    if endpoint_id is not None:
        stmt = stmt.where(WebhookDelivery.endpoint_id == endpoint_id)
    if after_id is not None:
        stmt = stmt.where(WebhookDelivery.id < after_id)
    stmt = stmt.order_by(col(WebhookDelivery.id).desc()).limit(limit)
    return [(d, e) for d, e in session.exec(stmt).all()]


def endpoints_page(
    session: Session, client_id: int, *, after_id: int | None, limit: int
) -> list[WebhookEndpoint]:
    stmt = select(WebhookEndpoint).where(
        WebhookEndpoint.client_id == client_id, col(WebhookEndpoint.active).is_(True)
    )
    if after_id is not None:
        stmt = stmt.where(WebhookEndpoint.id > after_id)
    return list(session.exec(stmt.order_by(WebhookEndpoint.id).limit(limit)).all())


def not_fanned_out(conn, now: datetime, lookback: timedelta) -> tuple[int, datetime | None]:
    """``(lost, oldest_waiting)`` of the deliveries owed and not yet made (``_owed``):
    how many are of events older than ``lookback``, which ``fan_out`` never makes (a
    worker stopped longer than that), and when the oldest event within it was made
    (``None``: none waits for the worker). ``conn``: a connection or a session."""
    ev = OutboxEvent.__table__
    joined, owed = _owed()
    past = ev.c.created_at < now - lookback
    stmt = (
        sa.select(
            sa.func.count().filter(past),
            sa.func.min(ev.c.created_at).filter(sa.not_(past)),
        )
        .select_from(joined)
        .where(*owed)
    )
    lost, oldest = conn.execute(stmt).one()
    return lost, oldest
