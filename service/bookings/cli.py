"""CLI: ``jilin cancel-booking`` (an operator cancels a booking by its reference: everything
paid refunded, or the policy's refund with ``--on-behalf-of-traveller``, as the admin
API's cancel)."""

import argparse
import sys
from collections.abc import Callable

from service import runner
from service.bookings import repository, service
from service.bookings.cancellation import BY_OPERATOR, operator_terms, terms_of
from service.bookings.ports import Payments
from service.clock import Clock
from service.db import Database
from service.errors import DomainError
from service.settings import Settings


def cmd_cancel_booking(args: argparse.Namespace) -> int:
    db, clock = Database(Settings()), Clock()
    try:
        with runner.transaction(db, write=True) as session:
            booking = repository.by_reference(session, service.reference_key(args.reference))
            if booking is None:
                print(f"error: no booking {args.reference}", file=sys.stderr)
                return 2
            result = service.cancel_booking(
                session,
                booking,
                by=BY_OPERATOR,
                now=clock.now(),
                reason=args.reason,
                refund_terms=operator_terms(on_behalf_of_traveller=args.on_behalf_of_traveller),
                lock_timeout_ms=db.settings.lock_timeout_ms,
                payments=args.payments(db.settings),
            )
    except DomainError as exc:
        print(f"error: {exc.code}: {exc.detail}", file=sys.stderr)
        return 2
    finally:
        db.dispose()
    again = "" if result.first_time else " (already cancelled: nothing changed)"
    print(
        f"{args.reference}: cancelled, refund {result.refund_fen} fen"
        f" via {result.cancellation['refund_method']}"
        f" ({terms_of(result.cancellation)}){again}"
    )
    return 0


def register_commands(sub, *, payments: Callable[[Settings], Payments]) -> None:
    """``payments`` makes the payments port from the settings (the CLI hands it in)."""
    p = sub.add_parser("cancel-booking", help="cancel a booking as an operator")
    p.add_argument("reference")
    p.add_argument("--reason", default=None)
    p.add_argument(
        "--on-behalf-of-traveller",
        action="store_true",
        help="the traveller asked to cancel: refund by the product's policy "
        "(without it, everything paid is refunded)",
    )
    p.set_defaults(func=cmd_cancel_booking, payments=payments)
