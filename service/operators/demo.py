"""Demo operator accounts, loaded with the demo catalogue (never in production).

One ``operator_admin`` per demo destination (login ``demo-<destination slug>``), one
``operator_staff`` at the first destination (``demo-staff-<slug>``) and the province
(``demo-province``), all with the password ``DEMO_PASSWORD``. These logins are public
(the README lists them), so they are refused in production: ``load_demo_operators``
will not create them and ``models.is_demo_login`` accounts cannot log in or use a token there.
"""

from datetime import datetime

from sqlmodel import Session, select

from catalog.models import Destination
from service.operators import accounts, passwords
from service.operators.models import (
    DEMO_PREFIX,
    OPERATOR_ADMIN,
    OPERATOR_STAFF,
    PROVINCE_ADMIN,
    OperatorAccount,
)

# Documented, so no new account may choose it (``passwords.password_problem``).
DEMO_PASSWORD = passwords.DEMO_PASSWORD
PROVINCE_LOGIN = "demo-province"


class DemoRefused(RuntimeError):
    pass


def load_demo_operators(session: Session, *, env: str, now: datetime) -> int:
    """Create the demo accounts that are missing; return how many were added."""
    if env == "production":
        raise DemoRefused("demo operator logins are refused when JL_ENV=production")
    have = {login.casefold() for login in session.exec(select(OperatorAccount.login))}
    destinations = list(session.exec(select(Destination).order_by(Destination.id)))
    wanted: list[tuple[str, str, str, list[int]]] = [
        (PROVINCE_LOGIN, "吉林省文化和旅游厅（演示）", PROVINCE_ADMIN, [])
    ]
    for d in destinations:
        wanted.append(
            (f"{DEMO_PREFIX}{d.slug}", f"{d.name_zh} 运营（演示）", OPERATOR_ADMIN, [d.id])
        )
    if destinations:
        first = destinations[0]
        wanted.append(
            (
                f"{DEMO_PREFIX}staff-{first.slug}",
                f"{first.name_zh} 前台（演示）",
                OPERATOR_STAFF,
                [first.id],
            )
        )
    missing = [w for w in wanted if w[0].casefold() not in have]
    if not missing:
        return 0
    # One hash for all: they share the documented password (argon2 costs ~50 ms each).
    password_hash = passwords.hash_password(DEMO_PASSWORD)
    for login, name, role, dest_ids in missing:
        accounts.insert_account(
            session,
            login=login,
            display_name=name,
            role=role,
            password_hash=password_hash,
            destination_ids=dest_ids,
            now=now,
        )
    return len(missing)
