"""CLI command of the payments capability: ``jilin reconcile``."""

import argparse
import json
import logging

from service.clock import Clock
from service.db import Database
from service.settings import Settings

log = logging.getLogger("jilin.worker")


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
    sub.add_parser(
        "reconcile", help="settle payments that succeeded at Stripe but not here"
    ).set_defaults(func=cmd_reconcile)
