"""CLI commands of the payments capability: ``jilin worker [--once]`` and ``jilin reconcile``."""

import argparse
import json
import logging
from dataclasses import asdict

from service.clock import Clock
from service.db import Database
from service.settings import Settings

log = logging.getLogger("jilin.worker")


def cmd_worker(args: argparse.Namespace) -> int:
    from service.logs import install_pii_masking
    from service.payments import worker

    install_pii_masking()
    settings = Settings()
    database = Database(settings)
    try:
        if args.once:
            report = worker.run_once(database, settings, Clock().now())
            print(json.dumps(asdict(report), sort_keys=True))
            return 0
        log.info("worker started (every %s s); stop with Ctrl-C", args.interval)
        worker.run_forever(database, settings, interval_s=args.interval)
    except KeyboardInterrupt:
        return 0
    finally:
        database.dispose()
    return 0


def cmd_reconcile(args: argparse.Namespace) -> int:
    from service.logs import install_pii_masking
    from service.payments import gateway, reconcile

    install_pii_masking()
    settings = Settings()
    if gateway.payments_offline(settings):
        print("no Stripe key configured (offline mode pay_at_property): nothing to reconcile")
        return 0
    database = Database(settings)
    try:
        print(json.dumps(reconcile.reconcile(database, settings, Clock().now()), sort_keys=True))
    finally:
        database.dispose()
    return 0


def register_commands(sub) -> None:
    p = sub.add_parser(
        "worker",
        help="run the background worker: reconcile payments, expire holds, "
        "execute refunds, deliver partner webhooks",
    )
    p.add_argument("--once", action="store_true", help="one pass, then exit")
    p.add_argument("--interval", type=float, default=5.0, help="seconds between passes")
    p.set_defaults(func=cmd_worker)
    sub.add_parser(
        "reconcile", help="settle payments that succeeded at Stripe but not here"
    ).set_defaults(func=cmd_reconcile)
