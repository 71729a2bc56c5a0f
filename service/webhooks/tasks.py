"""Delivering outbox events to partners' webhook endpoints (run by the worker).

Each due delivery is claimed in a short transaction that pushes it a lease ahead
(``FOR UPDATE SKIP LOCKED`` on PostgreSQL), POSTed with httpx outside any transaction,
and its result written in another: 2xx is delivered; anything else is tried again
after 30 s · 2^(attempt-1), capped at 1 h, and given up after 12 attempts. At least
once: a partner de-duplicates on ``Jilin-Event-Id``.
"""

import json
import logging
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import httpx
from prometheus_client.core import GaugeMetricFamily

from service import retention, runner
from service.bookings.outbox import OutboxEvent
from service.db import Database
from service.retry import MAX_ATTEMPTS, backoff
from service.webhooks import addresses, repository, signing
from service.webhooks.models import (
    DELIVERY_DELIVERED,
    DELIVERY_FAILED,
    DELIVERY_PENDING,
    GIVEN_UP_ENDPOINT_DISABLED,
    WebhookDelivery,
)

log = logging.getLogger("jilin.webhooks")

BATCH = 20
HTTP_TIMEOUT_S = 10.0
# Longer than a whole batch of timeouts: no other worker re-sends a delivery this worker
# has claimed and not yet reached.
LEASE = timedelta(seconds=BATCH * HTTP_TIMEOUT_S + 60)
FAN_OUT_LOOKBACK = timedelta(days=3)
# The purge (``purge_outbox``): events a batch, each batch its own transaction, and at
# most this many batches a worker pass (the rest the next pass), so no batch holds
# SQLite's write lock or a PostgreSQL transaction for long, and a pass still delivers.
PURGE_BATCH = 500
PURGE_BATCHES_A_PASS = 20


def fan_out_gauges(conn, now: datetime) -> list[GaugeMetricFamily]:
    """The fan-out's state on /metrics (``service.metrics``, read at each scrape): the age
    of the oldest event awaiting a worker, and the deliveries lost past the lookback."""
    lost, waiting = repository.not_fanned_out(conn, now, FAN_OUT_LOOKBACK)
    return [
        GaugeMetricFamily(
            "jilin_webhook_events_unsent_oldest_seconds",
            "Age of the oldest event within the fan-out lookback not yet fanned out to an "
            "endpoint that should get it (0 when none): the worker is not running",
            value=0.0 if waiting is None else max(0.0, (now - waiting).total_seconds()),
        ),
        GaugeMetricFamily(
            "jilin_webhook_deliveries_lost",
            "Webhook deliveries never to be made: events past the worker's fan-out lookback "
            f"({FAN_OUT_LOOKBACK.days} days) not fanned out to an endpoint that should get them",
            value=lost,
        ),
    ]


def new_http_client(*, public_only: bool = False) -> httpx.Client:
    """The worker's client. ``public_only`` (production): each delivery connects to the
    address it checked (``_post``), so no connection is kept for another delivery: one
    made for a name at an address (and its certificate) never carries another name's
    request to that address."""
    limits = httpx.Limits(max_keepalive_connections=0) if public_only else httpx.Limits()
    return httpx.Client(timeout=HTTP_TIMEOUT_S, follow_redirects=False, limits=limits)


def event_body(event: OutboxEvent) -> str:
    """The JSON a partner receives for an outbox event (the exact bytes that are signed)."""
    return json.dumps(
        {
            "id": event_id(event),
            "type": event.event_type,
            "created_at": event.created_at.isoformat(),
            "data": event.payload,
        },
        ensure_ascii=False,
        separators=(",", ":"),
        sort_keys=True,
        default=str,
    )


def event_id(event: OutboxEvent) -> str:
    return f"evt_{event.id}"


def deliver_webhooks(
    database: Database, now: datetime, *, http: httpx.Client | None = None
) -> dict:
    counts = {"delivered": 0, "retrying": 0, "failed": 0}
    with runner.transaction(database, write=True) as session:
        repository.fan_out(session, now, FAN_OUT_LOOKBACK)
        claimed = repository.claim_due_deliveries(session, now, LEASE, BATCH)
    if not claimed:
        return counts
    public_only = database.settings.env == "production"
    own = http is None
    http = http or new_http_client(public_only=public_only)
    try:
        for delivery, endpoint, event in claimed:
            stopped = not (endpoint.active and endpoint.enabled)  # removed or paused
            if stopped:
                code, error = None, GIVEN_UP_ENDPOINT_DISABLED
            else:
                code, error = _post(
                    http,
                    endpoint.url,
                    endpoint.signing_secrets(now),
                    event,
                    now,
                    public_only=public_only,
                )
            with runner.transaction(database, write=True) as session:
                row = session.get(WebhookDelivery, delivery.id, with_for_update=True)
                counts[_record_delivery(row, code, error, now, final=stopped)] += 1
                session.add(row)
    finally:
        if own:
            http.close()
    return counts


def _post(
    http: httpx.Client,
    url: str,
    secrets: list[str],
    event: OutboxEvent,
    now: datetime,
    *,
    public_only: bool = False,
) -> tuple[int | None, str | None]:
    body = event_body(event)
    timestamp = int(now.timestamp())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "JilinSojourn-Webhooks/1",
        signing.SIGNATURE_HEADER: signing.signature_header(secrets, timestamp, body),
        signing.EVENT_ID_HEADER: event_id(event),
        signing.EVENT_TYPE_HEADER: event.event_type,
    }
    try:
        request = http.build_request("POST", url, content=body.encode(), headers=headers)
        if public_only:
            parts = urlsplit(url)
            port = parts.port or (443 if parts.scheme == "https" else 80)
            address = addresses.public_address(parts.hostname or "", port)
            if address is None:
                return None, "private_address"
            request = _pinned(request, address)
        response = http.send(request)
    except (httpx.HTTPError, httpx.InvalidURL, ValueError) as exc:
        # One endpoint's bad URL or failure is that delivery's error, never the batch's.
        return None, f"{type(exc).__name__}"
    if 200 <= response.status_code < 300:
        return response.status_code, None
    return response.status_code, f"HTTP {response.status_code}"


def _pinned(request: httpx.Request, address: str) -> httpx.Request:
    """``request`` sent to ``address``, the one ``public_address`` checked, rather than
    to whatever its host resolves to when httpx connects (a second lookup a DNS-rebinding
    name answers with a private address). The ``Host`` header keeps the name (set when the
    request was built), and over TLS the name is the SNI and what the certificate is
    checked against (httpcore's ``sni_hostname``)."""
    host = request.url.host
    request.url = request.url.copy_with(host=address)
    if request.url.scheme == "https":
        request.extensions = {**request.extensions, "sni_hostname": host}
    return request


def _record_delivery(
    row: WebhookDelivery, code: int | None, error: str | None, now: datetime, *, final: bool = False
) -> str:
    row.updated_at, row.last_status_code = now, code
    if error is None:
        row.status, row.delivered_at, row.last_error = DELIVERY_DELIVERED, now, None
        return "delivered"
    row.last_error = error
    if final or row.attempts >= MAX_ATTEMPTS:
        row.status = DELIVERY_FAILED
        log.warning(
            "webhook delivery %s gave up after %s attempts: %s", row.id, row.attempts, error
        )
        return "failed"
    row.status, row.next_attempt_at = DELIVERY_PENDING, now + backoff(row.attempts)
    return "retrying"


def purge_outbox(
    database: Database,
    now: datetime,
    keep: timedelta,
    *,
    batch: int = PURGE_BATCH,
    batches: int = PURGE_BATCHES_A_PASS,
) -> dict[str, int]:
    """Delete the events made more than ``keep`` ago that nothing waits for, with
    their deliveries (``repository.purgeable_events``: never one pending, retried or
    still to be fanned out), ``batch`` events a transaction, at most ``batches`` of
    them; each batch adds what it deleted to ``purged_rows`` (``service.retention``).
    The rows deleted, by table."""
    before = now - keep
    done = {"outbox_event": 0, "webhook_delivery": 0}
    for _ in range(batches):
        with runner.transaction(database, write=True) as session:
            ids = repository.purgeable_events(session, before, batch)
            events, deliveries = repository.purge_events(session, ids, before)
            retention.count_purged(session, "webhook_delivery", deliveries, now)
            retention.count_purged(session, "outbox_event", events, now)
        done["outbox_event"] += events
        done["webhook_delivery"] += deliveries
        if len(ids) < batch:
            break
    return done
