"""CLI: ``jilin create-client`` (prints the key once) and ``jilin revoke-key``."""

import argparse
import sys

from pricing.labels import counted
from service import runner
from service.clients.service import ClientError, create_client, revoke_key
from service.clock import Clock
from service.db import Database
from service.settings import Settings


def cmd_create_client(args: argparse.Namespace) -> int:
    settings = Settings()
    db = Database(settings)
    try:
        with runner.transaction(db, write=True) as session:
            issued = create_client(
                session,
                name=args.name,
                channel=args.channel,
                merchant_collects=args.merchant_collects,
                pepper=settings.secret_key,
                now=Clock().now(),
            )
    except ClientError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        db.dispose()
    print(
        f"client {issued.client.id} {issued.client.name!r} channel={issued.client.channel}"
        f" merchant_collects={issued.client.merchant_collects}"
    )
    print(f"key prefix: {issued.key.key_prefix}")
    print("API key (shown once, store it now; only its hash is kept):")
    print(issued.plaintext)
    return 0


def cmd_revoke_key(args: argparse.Namespace) -> int:
    settings = Settings()
    db = Database(settings)
    try:
        with runner.transaction(db, write=True) as session:
            n = revoke_key(session, key_or_prefix=args.key, now=Clock().now())
    except ClientError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        db.dispose()
    print(f"revoked {counted(n, 'key')}")
    return 0


def register_commands(sub) -> None:
    p = sub.add_parser("create-client", help="make an API client and print its key once")
    p.add_argument("--name", required=True)
    p.add_argument("--channel", required=True, choices=["ota", "miniprogram"])
    p.add_argument(
        "--merchant-collects",
        action="store_true",
        help="the partner takes payment itself: its bookings are confirmed at once",
    )
    p.set_defaults(func=cmd_create_client)
    p = sub.add_parser("revoke-key", help="revoke an API key by its prefix (jl_xxxxxxxx)")
    p.add_argument("key", help="the key's prefix, or the whole key")
    p.set_defaults(func=cmd_revoke_key)
