"""CLI: ``jilin create-operator`` makes an operator account and prints a token once;
``jilin cancel-booking`` cancels a booking as its operator would (everything paid
refunded, or the policy's refund with ``--on-behalf-of-traveller``), audited."""

import argparse
import getpass
import secrets
import sys
from collections.abc import Callable

from pydantic import TypeAdapter, ValidationError
from sqlmodel import select

from catalog.models import Destination
from service import runner, validation_messages
from service.bookings.cancellation import terms_of
from service.bookings.ports import Payments
from service.clock import Clock
from service.db import Database
from service.errors import DomainError
from service.operators import accounts, bookings, passwords, schemas
from service.operators.models import ROLES
from service.settings import Settings


def _destination_ids(session, keys: list[str]) -> list[int]:
    out = []
    for key in keys:
        stmt = select(Destination.id).where(
            Destination.id == int(key) if key.isdigit() else Destination.slug == key
        )
        found = session.exec(stmt).first()
        if found is None:
            raise accounts.AccountError(f"no destination {key!r}")
        out.append(found)
    return out


def cmd_create_operator(args: argparse.Namespace) -> int:
    try:  # the admin API's rule for a login (schemas.Login)
        login = TypeAdapter(schemas.Login).validate_python(args.login)
    except ValidationError as exc:
        print(
            f"error: login: {validation_messages.message(exc.errors()[0], 'en')[1]}",
            file=sys.stderr,
        )
        return 2
    settings = Settings()
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    elif args.prompt:  # asked twice, as passwd does: a typo must not lock the account out
        password = getpass.getpass("password: ")
        if getpass.getpass("the same password again: ") != password:
            print("error: password: the two differ; no operator was created", file=sys.stderr)
            return 2
    else:
        password = secrets.token_urlsafe(12)
    db = Database(settings)
    try:
        with runner.transaction(db, write=True) as session:
            dest_ids = _destination_ids(session, args.destination)
            accounts.check_new_account(args.role, dest_ids, password, login)
            now = Clock().now()
            account = accounts.insert_account(
                session,
                login=login,
                display_name=args.name or login,
                role=args.role,
                password_hash=passwords.hash_password(password),
                destination_ids=sorted(set(dest_ids)),
                now=now,
            )
            issued = accounts.issue_token(
                session, account, pepper=settings.secret_key, now=now, label="cli"
            )
    except accounts.AccountError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except DomainError as exc:
        print(f"error: {exc.field}: {exc.detail}", file=sys.stderr)
        return 2
    finally:
        db.dispose()
    print(f"operator {account.id} {account.login!r} role={account.role} destinations={dest_ids}")
    if not (args.password_stdin or args.prompt):
        print(f"password (generated, shown once): {password}")
    print("admin API token (shown once, store it now; only its hash is kept):")
    print(issued.plaintext)
    return 0


def cmd_cancel_booking(args: argparse.Namespace) -> int:
    db, clock = Database(Settings()), Clock()
    try:
        with runner.transaction(db, write=True) as session:
            result = bookings.cancel_audited(
                session,
                bookings.COMMAND_LINE,
                bookings.booking_of(session, bookings.COMMAND_LINE, args.reference),
                now=clock.now(),
                reason=args.reason,
                lock_timeout_ms=db.settings.lock_timeout_ms,
                on_behalf_of_traveller=args.on_behalf_of_traveller,
                payments=args.payments(db.settings),
            )
    except DomainError as exc:
        if exc.status == 404:
            print(f"error: no booking {args.reference}", file=sys.stderr)
        else:
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
    p = sub.add_parser("cancel-booking", help="cancel a booking as an operator (audited)")
    p.add_argument("reference")
    p.add_argument("--reason", default=None)
    p.add_argument(
        "--on-behalf-of-traveller",
        action="store_true",
        help="the traveller asked to cancel: refund by the product's policy "
        "(without it, everything paid is refunded)",
    )
    p.set_defaults(func=cmd_cancel_booking, payments=payments)
    p = sub.add_parser(
        "create-operator", help="make an operator account and print an admin API token once"
    )
    p.add_argument("--login", required=True)
    p.add_argument("--name", help="display name (default: the login)")
    p.add_argument("--role", required=True, choices=list(ROLES))
    p.add_argument(
        "--destination",
        action="append",
        default=[],
        help="a destination's slug or id (repeat for several; none for province_admin)",
    )
    group = p.add_mutually_exclusive_group()
    group.add_argument("--password-stdin", action="store_true", help="read the password")
    group.add_argument("--prompt", action="store_true", help="ask for the password")
    p.set_defaults(func=cmd_create_operator)
