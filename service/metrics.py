"""Prometheus metrics at ``GET /metrics`` (``prometheus-client``).

* ``jilin_http_request_duration_seconds{method,route,status}``: a histogram of request
  latency by route template (``/v1/bookings/{reference}``, never the raw path; a path no
  route matches is ``unmatched``; a client that left before its answer is status 499),
  observed by ``service.middleware.RequestContext``. An answer given before routing (413,
  415, OPTIONS), a 304 and Starlette's own routes (``/openapi.json``, ``/redoc``, a
  mount's ``/static/{path}``) count under their route too (``middleware.route_template``).
* Read from the database when Prometheus scrapes (``DatabaseCollector``), so that every
  worker reports the same truth: ``jilin_bookings{status}`` (every status, 0 when none;
  a hold past its expiry not yet swept counts as ``expired``, ``service.holds``),
  ``jilin_held_units`` (units of unpaid holds still running),
  ``jilin_webhook_deliveries_pending``,
  ``jilin_refunds_pending`` (the worker's backlogs) and the age in seconds of the oldest
  of each backlog; ``jilin_webhook_events_unsent_oldest_seconds`` (the oldest booking
  event a partner's endpoint should get that the worker has not fanned out yet: rising,
  the worker is not running) and ``jilin_webhook_deliveries_lost`` (those past
  ``FAN_OUT_LOOKBACK``, 3 days, which the worker never sends: docs/webhooks.md);
  ``jilin_rows_purged_total{table}`` (a counter: rows the purges deleted, kept in
  ``purged_rows`` by the deleting transaction, ``service.retention``).
* The trip planner's load shedding (``service.plans.slots``):
  ``jilin_planner_searches_running`` (a gauge: searches running now, at most
  ``JL_PLANNER_CONCURRENCY`` in each worker; the sum over the live workers) and
  ``jilin_planner_shed_total`` (a counter: planner requests refused 503 ``planner_busy``
  because no search slot freed within ``JL_PLANNER_WAIT_S``, the API's and the pages').
  And each address's share of them (``service.plans.fair``):
  ``jilin_planner_limited_total{share}`` (a counter: anonymous planner requests refused
  429 ``rate_limited``, ``share`` ``at_once`` or ``per_minute``).

Who may read them: anyone who reaches ``/metrics``, unless ``JL_METRICS_TOKEN`` is set;
then only a scrape sending ``Authorization: Bearer <that token>`` (compared in constant
time), any other request 401 ``invalid_metrics_token``. Without it the counts (bookings
by status, held units, the backlogs) are public to whoever reaches the port, so the
README's Operations says to keep ``/metrics`` reachable only from the scraper's network.

Several uvicorn workers (``jilin serve --workers N``): each worker is a process with its
own counts, and a scrape reaches one of them. ``jilin serve`` therefore sets
``PROMETHEUS_MULTIPROC_DIR`` (a fresh folder) before the workers start; prometheus-client
then keeps each worker's histograms in a file there and ``/metrics`` adds up every
worker's (``MultiProcessCollector``). A deployment that starts uvicorn itself sets
``PROMETHEUS_MULTIPROC_DIR`` to an empty folder the same way.
"""

import hashlib
import hmac
import os
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime

import sqlalchemy as sa
from fastapi import APIRouter, Request
from fastapi.responses import Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

from catalog.base import UTCDateTime
from service import holds, retention
from service.clock import Clock
from service.db import Database
from service.errors import Unauthorized, problem_doc

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"

REQUEST_SECONDS = Histogram(
    "jilin_http_request_duration_seconds",
    "HTTP request latency by route template",
    ["method", "route", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)


PLANNER_RUNNING = Gauge(
    "jilin_planner_searches_running",
    "Trip planner searches running now (each worker runs at most JL_PLANNER_CONCURRENCY)",
    multiprocess_mode="livesum",
)
PLANNER_SHED = Counter(
    "jilin_planner_shed_total",
    "Trip planner requests refused 503 planner_busy: no search slot freed in time",
)
PLANNER_LIMITED = Counter(
    "jilin_planner_limited_total",
    "Anonymous trip planner requests refused 429 rate_limited past their client address's "
    "share, by which share (at_once, per_minute)",
    ["share"],
)


def observe_request(method: str, route: str, status: int, seconds: float) -> None:
    REQUEST_SECONDS.labels(method, route, str(status)).observe(seconds)


# A hold past its expiry, not yet swept, counts as expired (service.holds): it holds
# nothing, and its row still says pending_payment only until the next sweep.
_BOOKINGS = sa.text(
    f"SELECT CASE WHEN {holds.lapsed_sql('b')} THEN 'expired' ELSE b.status END AS s, "  # noqa: S608 (constants)
    "COUNT(*) FROM booking b GROUP BY s"
).bindparams(holds.NOW)
_HELD = sa.text(
    "SELECT COALESCE(SUM(i.units), 0) FROM booking_item i "  # noqa: S608 (constants)
    f"JOIN booking b ON b.id = i.booking_id WHERE {holds.RUNNING_HOLD_SQL}"
).bindparams(holds.NOW)


def _backlog(table: str) -> sa.TextClause:
    return sa.text(
        f"SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM {table} "  # noqa: S608 (constant)
        "WHERE status = 'pending'"
    ).columns(n=sa.Integer(), oldest=UTCDateTime())


# A capability's gauges read from the database at scrape time: (connection, now) -> them.
MoreGauges = Callable[[sa.Connection, datetime], Iterable[GaugeMetricFamily]]

# metric name -> (what one pending row is, its query)
_BACKLOGS = {
    "webhook_deliveries": ("webhook delivery", _backlog("webhook_delivery")),
    "refunds": ("refund", _backlog("refund")),
}


class DatabaseCollector:
    """Gauges computed from the database at scrape time (the same in every worker).
    ``statuses``: every booking status (``service.bookings.models.STATUSES``, handed in by
    the app), each exported, with 0 when no booking has it: a dashboard shows 0, not "no
    data", before the first booking and after the last hold of a kind lapses. ``more``:
    a capability's gauges, read on the same connection (handed in by the app, as a shared
    module imports no capability: the webhooks' ``fan_out_gauges``)."""

    def __init__(
        self,
        db: Database,
        clock: Clock | None = None,
        statuses: Sequence[str] = (),
        more: Sequence[MoreGauges] = (),
    ) -> None:
        self.db = db
        self.clock = clock or Clock()
        self.statuses = tuple(statuses)
        self.more = tuple(more)

    def describe(self):
        return []  # computed at scrape time only: registering runs no query

    def collect(self):
        now = self.clock.now()
        bookings = GaugeMetricFamily("jilin_bookings", "Bookings by status", labels=["status"])
        held = GaugeMetricFamily(
            "jilin_held_units", "Units held by unpaid bookings (pending_payment, not lapsed)"
        )
        with self.db.engine.connect() as conn:
            counts = dict.fromkeys(self.statuses, 0)
            counts.update((status, n) for status, n in conn.execute(_BOOKINGS, {"now": now}))
            for status, count in counts.items():
                bookings.add_metric([status], count)
            held.add_metric([], conn.execute(_HELD, {"now": now}).scalar_one())
            backlogs = {
                name: (what, *conn.execute(q).one()) for name, (what, q) in _BACKLOGS.items()
            }
            purged = dict.fromkeys(retention.TABLES, 0)
            purged.update((table, n) for table, n in conn.execute(retention.READ))
            more = [family for read in self.more for family in read(conn, now)]
        yield bookings
        yield held
        for name, (what, count, oldest) in backlogs.items():
            yield GaugeMetricFamily(f"jilin_{name}_pending", f"Pending: {what} rows", value=count)
            yield GaugeMetricFamily(
                f"jilin_{name}_oldest_pending_seconds",
                f"Age of the oldest pending {what} (0 when none)",
                value=0.0 if oldest is None else max(0.0, (now - oldest).total_seconds()),
            )
        rows_purged = CounterMetricFamily(
            "jilin_rows_purged",
            "Rows the purges deleted, by table (service.retention): the webhook outbox past "
            "its retention, expired idempotency keys, ended rate-limit windows",
            labels=["table"],
        )
        for table, rows in sorted(purged.items()):
            rows_purged.add_metric([table], rows)
        yield rows_purged
        yield from more


router = APIRouter(tags=["health"])


def _sha256(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).digest()


def require_token(request: Request, token: str | None) -> None:
    """With a metrics token set, the request must send it as ``Authorization: Bearer``;
    else 401 ``invalid_metrics_token``. Compared as digests of equal length with
    ``hmac.compare_digest``, so the time taken says nothing of the token, not even its
    length. No token set: nothing is checked."""
    if not token:
        return
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and hmac.compare_digest(_sha256(given.strip()), _sha256(token)):
        return
    raise Unauthorized(
        "The metrics need Authorization: Bearer with the metrics token (JL_METRICS_TOKEN).",
        zh="读取监控指标需要在 Authorization 中以 Bearer 方式提供监控令牌（JL_METRICS_TOKEN）。",
        code="invalid_metrics_token",
        field="Authorization",
        headers={"WWW-Authenticate": "Bearer"},
    )


@router.get(
    "/metrics",
    summary="Prometheus metrics",
    description="Prometheus text format: request latency by route, bookings by status, "
    "held units, webhook and refund backlogs (see the README, Operations). Where the "
    "server has a metrics token (`JL_METRICS_TOKEN`), only `Authorization: Bearer <that "
    "token>` reads them: 401 `invalid_metrics_token` otherwise; without one, anyone who "
    "reaches the server does.",
    response_class=Response,
    responses={
        200: {"content": {CONTENT_TYPE_LATEST: {"schema": {"type": "string"}}}},
        401: problem_doc(401, "No or another token, where the server has a metrics token"),
    },
)
def metrics(request: Request) -> Response:
    require_token(request, request.app.state.settings.metrics_token)
    registry = CollectorRegistry()
    if os.environ.get(MULTIPROC_ENV):
        multiprocess.MultiProcessCollector(registry)  # every worker's histograms
    else:
        registry.register(_ThisProcess())
    state = request.app.state
    statuses = getattr(state, "booking_statuses", ())
    more = getattr(state, "more_gauges", ())
    registry.register(DatabaseCollector(state.db, state.clock, statuses, more))
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)


class _ThisProcess:
    """The metrics this process keeps (one worker: its histograms)."""

    def collect(self):
        return REGISTRY.collect()

    def describe(self):
        return []
