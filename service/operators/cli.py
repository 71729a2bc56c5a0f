"""CLI: ``jilin create-operator`` makes an operator account and prints a token once."""

import argparse
import getpass
import secrets
import sys

from pydantic import TypeAdapter, ValidationError
from sqlmodel import select

from catalog.models import Destination
from service import runner, validation_messages
from service.clock import Clock
from service.db import Database
from service.errors import DomainError
from service.operators import accounts, passwords, schemas
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
    elif args.prompt:
        password = getpass.getpass("password: ")
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


def register_commands(sub) -> None:
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
