"""The background worker and the sweeper: every capability's tasks, run from above them.

One pass of ``run_once`` does every side effect that is due:

1. settle payments paid at Stripe but not confirmed here (``payments.reconcile``);
2. expire holds whose time is up (``bookings.transitions.release_expired_holds``);
3. cancel at Stripe the PaymentIntents of holds cancelled or expired unpaid, so they can
   no longer be paid (``payments.cancels``);
4. execute pending refunds through Stripe Refunds (``payments.refunds``);
5. deliver outbox events to partners' webhook endpoints, signed, with backoff
   (``webhooks.tasks``);
6. purge the outbox's events and deliveries older than ``JL_WEBHOOK_RETENTION_DAYS``
   that nothing waits for, in batches (``webhooks.tasks.purge_outbox``).

``sweep_once`` (``jilin sweep-holds``) expires holds, completes past stays and purges
expired idempotency keys and rate-limit windows. ``jilin serve`` also runs it in-process
(``sweep_in_background``, started and stopped by the app's lifespan) unless
``--no-sweeper`` / ``JL_SWEEPER=false``. Each step is its own transaction from
``service.runner``; network calls happen outside any transaction. Several workers and
sweepers can run at once: expiry locks the lapsed holds ``FOR UPDATE SKIP LOCKED`` and
re-checks each one's status under its lock (on SQLite the write transaction,
``BEGIN IMMEDIATE``, runs one at a time), so a hold is expired and its nights freed once;
payments, refunds and deliveries are claimed under a lease.
"""

import argparse
import asyncio
import json
import logging
import time
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta

import httpx

from catalog.inventory import InventoryBusy
from service import ratelimit, retention, runner
from service.bookings import transitions
from service.clock import Clock
from service.db import Database
from service.idempotency import sql as idempotency
from service.logs import fields
from service.payments import cancels, gateway, reconcile, refunds
from service.settings import Settings
from service.webhooks.tasks import deliver_webhooks, new_http_client, purge_outbox

log = logging.getLogger("jilin.worker")


@dataclass
class WorkerReport:
    reconciled: dict = field(default_factory=dict)
    expired: int = 0
    canceled_intents: dict = field(default_factory=dict)
    refunds: dict = field(default_factory=dict)
    deliveries: dict = field(default_factory=dict)
    purged: dict = field(default_factory=dict)


def run_once(
    database: Database,
    settings: Settings,
    now: datetime | None = None,
    *,
    http: httpx.Client | None = None,
) -> WorkerReport:
    now = now or Clock().now()
    report = WorkerReport()
    if not gateway.payments_offline(settings):
        report.reconciled = reconcile.reconcile(database, settings, now)
    report.expired = release_expired(database, now)
    report.canceled_intents = cancels.cancel_abandoned_intents(database, settings, now)
    report.refunds = refunds.execute_refunds(database, settings, now)
    report.deliveries = deliver_webhooks(database, now, http=http)
    keep = timedelta(days=settings.webhook_retention_days)
    report.purged = purge_outbox(database, now, keep) | {
        table: _in_transaction(database, step) for table, step in _purges(now).items()
    }
    return report


def _purges(now: datetime) -> dict:
    """The purges of the worker and the sweeper alike, by table: idempotency keys past
    their expiry and rate-limit windows ended, each counted (``service.retention``), so
    they are purged where ``jilin worker`` runs and the server has no sweeper."""
    return {
        "idempotency_key": lambda s: retention.count_purged(
            s, "idempotency_key", idempotency.purge_expired(s, now=now), now
        ),
        "rate_limit_window": lambda s: retention.count_purged(
            s, "rate_limit_window", ratelimit.purge(s, now=now), now
        ),
    }


def _in_transaction(database: Database, step) -> int:
    with runner.transaction(database, write=True) as session:
        return step(session)


def run_forever(database: Database, settings: Settings, interval_s: float = 5.0) -> None:
    clock = Clock()
    with new_http_client() as http:
        while True:
            try:
                report = run_once(database, settings, clock.now(), http=http)
                done = asdict(report)
                level = logging.INFO if _did_something(done) else logging.DEBUG
                log.log(level, "worker pass", extra=fields(**done))
            except Exception:  # one bad pass must not stop the worker; the next retries
                log.exception("worker pass failed")
            time.sleep(interval_s)


def _did_something(counts) -> bool:
    """Whether a pass's report counts anything (nested dicts of counts)."""
    if isinstance(counts, dict):
        return any(_did_something(v) for v in counts.values())
    return bool(counts)


def release_expired(database: Database, now: datetime) -> int:
    with runner.transaction(database, write=True) as session:
        return transitions.release_expired_holds(session, now=now)


def sweep(
    database: Database, *, now: datetime, today: date, lock_timeout_ms: int
) -> dict[str, int]:
    """What ``jilin sweep-holds`` does once, each step its own transaction: expire holds,
    complete stays, purge expired idempotency keys and rate-limit windows (counted in
    ``purged_rows``, ``service.retention``). Not one
    transaction: completing stays takes travellers' report_stay locks, which must never
    be taken after the nights the expiry freed (docs/architecture.md, "Locks, in one
    order")."""
    steps = {
        "expired": lambda s: transitions.release_expired_holds(
            s, now=now, lock_timeout_ms=lock_timeout_ms
        ),
        "completed": lambda s: transitions.complete_past_bookings(s, today=today, now=now),
        "idempotency_keys_purged": _purges(now)["idempotency_key"],
        "rate_windows_purged": _purges(now)["rate_limit_window"],
    }
    return {name: _in_transaction(database, step) for name, step in steps.items()}


def sweep_once(db: Database, clock: Clock) -> dict[str, int]:
    return sweep(
        db, now=clock.now(), today=clock.today(), lock_timeout_ms=db.settings.lock_timeout_ms
    )


async def sweep_step(db: Database, clock: Clock) -> dict[str, int] | None:
    """One pass of the in-process sweeper: ``sweep_once`` in a thread (its own
    transaction), logged as the worker logs a pass. An error is logged and swallowed (the
    next pass retries): the sweeper never takes the server down."""
    try:
        done = await runner.in_thread(sweep_once, db, clock)
    except InventoryBusy:
        log.warning("sweep: inventory busy, trying again next round")
        return None
    except Exception:
        log.exception("sweep failed")
        return None
    log.log(logging.INFO if _did_something(done) else logging.DEBUG, "sweep", extra=fields(**done))
    return done


async def sweep_in_background(db: Database, clock: Clock, interval_s: float) -> None:
    """``jilin serve``'s sweeper: ``sweep_step`` every ``interval_s`` seconds until
    cancelled (the app's lifespan cancels it at shutdown). Cancelling a task does not
    stop the thread a pass runs in, nor wait for it; so a pass under way is shielded
    and awaited before the cancellation goes on: shutdown disposes of the database
    only after the pass's transaction has ended."""
    log.info("in-process sweeper started", extra=fields(interval_s=interval_s))
    while True:
        step = asyncio.ensure_future(sweep_step(db, clock))
        try:
            await asyncio.shield(step)
        except asyncio.CancelledError:
            await step
            raise
        await asyncio.sleep(interval_s)


# -- commands ---------------------------------------------------------------------------------


def cmd_worker(args: argparse.Namespace) -> int:
    settings = Settings()
    database = Database(settings)
    try:
        if args.once:
            report = run_once(database, settings, Clock().now())
            print(json.dumps(asdict(report), sort_keys=True))
            return 0
        log.info("worker started; stop with Ctrl-C", extra=fields(interval_s=args.interval))
        run_forever(database, settings, interval_s=args.interval)
    except KeyboardInterrupt:
        return 0
    finally:
        database.dispose()
    return 0


def cmd_sweep_holds(args: argparse.Namespace) -> int:
    db, clock = Database(Settings()), Clock()
    try:
        while True:
            try:
                done = sweep_once(db, clock)
                log.info("sweep", extra=fields(**done))
            except InventoryBusy:
                log.warning("sweep: inventory busy, trying again next round")
            if not args.every:
                return 0
            time.sleep(args.every)
    except KeyboardInterrupt:
        return 0
    finally:
        db.dispose()


def register_commands(sub) -> None:
    p = sub.add_parser(
        "worker",
        help="run the background worker: reconcile payments, expire holds, "
        "execute refunds, deliver partner webhooks",
    )
    p.add_argument("--once", action="store_true", help="one pass, then exit")
    p.add_argument("--interval", type=float, default=5.0, help="seconds between passes")
    p.set_defaults(func=cmd_worker, json_logs=True)
    p = sub.add_parser(
        "sweep-holds", help="expire unpaid holds past their time, once or every N seconds"
    )
    p.add_argument("--every", type=float, default=0, help="repeat every N seconds")
    p.set_defaults(func=cmd_sweep_holds, json_logs=True)
