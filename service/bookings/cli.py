"""CLI: ``jilin sweep-holds`` (expire lapsed holds; once or ``--every`` seconds) and
``jilin cancel-booking`` (an operator cancels a booking by its reference)."""

import argparse
import logging
import sys
import time

from catalog.inventory import InventoryBusy
from service import runner
from service.bookings import repository, service
from service.bookings.cancellation import BY_OPERATOR
from service.clock import Clock
from service.db import Database
from service.errors import DomainError
from service.settings import Settings

log = logging.getLogger("jilin.sweeper")


def sweep_once(db: Database, clock: Clock) -> dict[str, int]:
    with runner.transaction(db, write=True) as session:
        done = service.sweep(
            session,
            now=clock.now(),
            today=clock.today(),
            lock_timeout_ms=db.settings.lock_timeout_ms,
        )
    return done


def cmd_sweep_holds(args: argparse.Namespace) -> int:
    db, clock = Database(Settings()), Clock()
    try:
        while True:
            try:
                done = sweep_once(db, clock)
                log.info("sweep: %s", ", ".join(f"{k} {v}" for k, v in done.items()))
            except InventoryBusy:
                log.warning("sweep: inventory busy, trying again next round")
            if not args.every:
                return 0
            time.sleep(args.every)
    except KeyboardInterrupt:
        return 0
    finally:
        db.dispose()


def cmd_cancel_booking(args: argparse.Namespace) -> int:
    db, clock = Database(Settings()), Clock()
    try:
        with runner.transaction(db, write=True) as session:
            booking = repository.by_reference(session, args.reference.strip().upper())
            if booking is None:
                print(f"error: no booking {args.reference}", file=sys.stderr)
                return 2
            result = service.cancel_booking(
                session,
                booking,
                by=BY_OPERATOR,
                now=clock.now(),
                reason=args.reason,
                lock_timeout_ms=db.settings.lock_timeout_ms,
            )
    except DomainError as exc:
        print(f"error: {exc.code}: {exc.detail}", file=sys.stderr)
        return 2
    finally:
        db.dispose()
    again = "" if result.first_time else " (already cancelled: nothing changed)"
    print(
        f"{args.reference}: cancelled, refund {result.refund_fen} fen"
        f" via {result.cancellation['refund_method']}{again}"
    )
    return 0


def register_commands(sub) -> None:
    p = sub.add_parser(
        "sweep-holds", help="expire unpaid holds past their time, once or every N seconds"
    )
    p.add_argument("--every", type=float, default=0, help="repeat every N seconds")
    p.set_defaults(func=cmd_sweep_holds)
    p = sub.add_parser("cancel-booking", help="cancel a booking as an operator")
    p.add_argument("reference")
    p.add_argument("--reason", default=None)
    p.set_defaults(func=cmd_cancel_booking)
