"""Operator accounts and their admin API tokens: create, log in, list, disable.

Who may create whom: the province creates any account; an operator admin creates
accounts (admin or staff) for its own destinations only; staff create none. Every
change is in the audit log (never a password or a token, only their prefix).
"""

import functools
from dataclasses import dataclass
from datetime import datetime
from hashlib import sha256

import sqlalchemy as sa
from sqlmodel import Session, select

from service import ratelimit, runner
from service.clients.keys import hash_address
from service.db import Database
from service.operators import audit, errors, passwords, tokens
from service.operators.models import (
    OPERATOR_ADMIN,
    OPERATOR_STAFF,
    PROVINCE_ADMIN,
    ROLES,
    OperatorAccount,
    OperatorDestination,
    OperatorToken,
    is_demo_login,
)
from service.operators.scope import ACCOUNTS, Operator, require_destinations, scoped

# Login attempts a minute from one client address: at one login, and at all together.
LOGIN_ATTEMPTS_PER_MINUTE = 10
LOGIN_ATTEMPTS_PER_ADDRESS_PER_MINUTE = 30


def same_login(login: str):
    """The condition "this account's login is ``login``", compared without case, as the
    unique index ``uq_operator_account_login_lower`` (``lower(login)``) keeps them: the
    database folds the case (on SQLite, of ASCII letters)."""
    return sa.func.lower(OperatorAccount.login) == sa.func.lower(sa.literal(login, sa.String))


class AccountError(ValueError):
    """A CLI-level mistake (bad role, duplicate login, weak password, unknown place)."""


@dataclass(frozen=True)
class IssuedToken:
    account: OperatorAccount
    token: OperatorToken
    plaintext: str  # shown once, never stored


@dataclass(frozen=True)
class AccountView:
    account: OperatorAccount
    destination_ids: list[int]


def destination_ids_of(session: Session, account_ids: list[int]) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {a: [] for a in account_ids}
    if account_ids:
        rows = session.exec(
            select(OperatorDestination.account_id, OperatorDestination.destination_id)
            .where(OperatorDestination.account_id.in_(account_ids))
            .order_by(OperatorDestination.account_id, OperatorDestination.destination_id)
        )
        for account_id, destination_id in rows:
            out[account_id].append(destination_id)
    return out


def insert_account(
    session: Session,
    *,
    login: str,
    display_name: str,
    role: str,
    password_hash: str,
    destination_ids: list[int],
    now: datetime,
    created_by: int | None = None,
) -> OperatorAccount:
    """The account row and its destinations (checked by the callers). A login is one
    whatever its case: ``OK-Staff`` is taken when ``ok-staff`` is."""
    if session.exec(select(OperatorAccount.id).where(same_login(login))).first():
        raise errors.login_taken(login)
    account = OperatorAccount(
        login=login,
        display_name=display_name,
        role=role,
        password_hash=password_hash,
        created_at=now,
        created_by=created_by,
    )
    session.add(account)
    session.flush()
    session.add_all(
        [OperatorDestination(account_id=account.id, destination_id=d) for d in destination_ids]
    )
    session.flush()
    return account


def issue_token(
    session: Session,
    account: OperatorAccount,
    *,
    pepper: str,
    now: datetime,
    label: str = "",
    console_session: bool = False,
) -> IssuedToken:
    plaintext, prefix = tokens.new_token()
    row = OperatorToken(
        account_id=account.id,
        token_prefix=prefix,
        token_hash=tokens.hash_token(plaintext, pepper),
        label=label,
        created_at=now,
        console_session=console_session,
    )
    session.add(row)
    session.flush()
    return IssuedToken(account=account, token=row, plaintext=plaintext)


def check_new_account(
    role: str, destination_ids: list[int], password: str, login: str = ""
) -> None:
    """The rules of a new account (its role, destinations and password: the one
    password policy, ``passwords.password_problem``), for the API and the CLI."""
    if role not in ROLES:
        raise errors.invalid(
            "role", "invalid_role", f"role must be one of {', '.join(ROLES)}", "角色无效。"
        )
    if role == PROVINCE_ADMIN and destination_ids:
        raise errors.invalid(
            "destination_ids",
            "province_has_no_destinations",
            "A province account sees every destination: give it none.",
            "省级账户可查看全部目的地，不应指定目的地。",
        )
    if role != PROVINCE_ADMIN and not destination_ids:
        raise errors.invalid(
            "destination_ids",
            "destinations_required",
            "An operator account needs at least one destination.",
            "运营方账户至少需要一个目的地。",
        )
    check_new_password(password, login)


def check_new_password(password: str, login: str, field: str = "password") -> None:
    """The one password policy (``passwords.password_problem``) as a 422
    ``weak_password`` naming ``field``: a new account's and a changed password alike."""
    problem = passwords.password_problem(password, login=login)
    if problem:
        en, zh = problem
        raise errors.invalid(field, "weak_password", f"{en[0].upper()}{en[1:]}.", zh)


def create_account(
    session: Session,
    operator: Operator,
    *,
    login: str,
    display_name: str,
    role: str,
    destination_ids: list[int],
    password: str,
    now: datetime,
) -> AccountView:
    """An account made through the admin API by ``operator`` (see the module docstring)."""
    require_destinations(session, operator, destination_ids, "destination_ids")
    operator.require(ACCOUNTS)
    if not operator.is_province and role not in (OPERATOR_ADMIN, OPERATOR_STAFF):
        raise errors.province_role_only()
    check_new_account(role, destination_ids, password, login)
    account = insert_account(
        session,
        login=login,
        display_name=display_name,
        role=role,
        password_hash=passwords.hash_password(password),
        destination_ids=sorted(set(destination_ids)),
        now=now,
        created_by=operator.account_id,
    )
    view = AccountView(account, sorted(set(destination_ids)))
    _audit(session, operator, view, "create", None, now)
    return view


def change_password(
    session: Session,
    operator: Operator,
    *,
    current_password: str,
    new_password: str,
    now: datetime,
) -> int:
    """The caller's own password changed: the current one must be right (422
    ``wrong_password`` naming ``current_password``: a stolen token alone cannot take the
    account), the new one differ from it (422 ``password_unchanged`` naming
    ``new_password``: "changed" to itself, nothing would change and every other session
    would end) and pass the policy (``check_new_password``). Every other live
    token of the account is revoked (a password change ends the other sessions; the
    calling token stays). Audited without either password. Returns how many tokens were
    revoked."""
    account = account_row(session, operator.account_id)
    if not passwords.verify_password(current_password, account.password_hash):
        raise errors.invalid(
            "current_password",
            "wrong_password",
            "The current password is wrong.",
            "当前密码不正确。",
        )
    if new_password == current_password:  # "changed" to itself: nothing would change
        raise errors.invalid(
            "new_password",
            "password_unchanged",
            "The new password is the same as the current one: choose a different one.",
            "新密码与当前密码相同：请另设一个不同的密码。",
        )
    check_new_password(new_password, account.login, "new_password")
    account.password_hash = passwords.hash_password(new_password)
    session.add(account)
    revoked = session.exec(
        sa.update(OperatorToken)
        .where(
            OperatorToken.account_id == account.id,
            OperatorToken.revoked_at.is_(None),
            OperatorToken.id != operator.token_id,
        )
        .values(revoked_at=now)
    ).rowcount
    session.flush()
    view = account_of_row(session, account)
    _audit(session, operator, view, "change_password", None, now)
    return revoked


def _audit(session, operator, view: AccountView, action: str, before, now: datetime) -> None:
    """One entry per destination of the account, so each destination's operator reads
    it (a province account: one entry of no destination)."""
    audit.record_for(
        session,
        operator,
        view.destination_ids,
        now=now,
        action=action,
        entity="account",
        entity_id=view.account.id,
        before=before,
        after=account_json(view),
    )


def account_json(view: AccountView) -> dict:
    a = view.account
    return {
        "id": a.id,
        "login": a.login,
        "display_name": a.display_name,
        "role": a.role,
        "is_active": a.is_active,
        "destination_ids": view.destination_ids,
    }


def _visible_accounts_stmt(operator: Operator):
    """Accounts with at least one destination the operator sees (the province: all)."""
    stmt = select(OperatorAccount)
    if operator.is_province:
        return stmt
    mine = scoped(
        select(OperatorDestination.account_id), operator, OperatorDestination.destination_id
    )
    return stmt.where(OperatorAccount.id.in_(mine))


def list_accounts(
    session: Session, operator: Operator, *, after_id: int | None = None, limit: int | None = None
) -> list[AccountView]:
    """The accounts the operator sees, by id (a page: after ``after_id``, ``limit``)."""
    operator.require(ACCOUNTS)
    stmt = _visible_accounts_stmt(operator)
    if after_id is not None:
        stmt = stmt.where(OperatorAccount.id > after_id)
    rows = list(session.exec(stmt.order_by(OperatorAccount.id).limit(limit)))
    dests = destination_ids_of(session, [a.id for a in rows])
    return [AccountView(a, dests[a.id]) for a in rows]


def account_of(session: Session, operator: Operator, account_id: int) -> AccountView:
    row = session.exec(
        _visible_accounts_stmt(operator).where(OperatorAccount.id == account_id)
    ).first()
    if row is None:
        raise errors.not_found("account", account_id, "account_id")
    return AccountView(row, destination_ids_of(session, [row.id])[row.id])


def deactivate(
    session: Session, operator: Operator, account_id: int, *, now: datetime
) -> AccountView:
    """Disable an account and revoke its tokens. An operator admin may disable accounts
    of its own destinations only (all of the account's destinations must be its)."""
    view = account_of(session, operator, account_id)
    operator.require(ACCOUNTS)
    if not operator.is_province and (
        view.account.role == PROVINCE_ADMIN
        or not set(view.destination_ids) <= (operator.destination_ids or set())
    ):
        raise errors.not_your_account()
    if account_id == operator.account_id:
        raise errors.cannot_deactivate_self()
    if view.account.role == OPERATOR_ADMIN and view.account.is_active:
        _keep_an_admin(session, view)
    before = account_json(view)
    view.account.is_active = False
    session.add(view.account)
    session.execute(
        sa.update(OperatorToken)
        .where(OperatorToken.account_id == account_id, OperatorToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    session.flush()
    _audit(session, operator, view, "deactivate", before, now)
    return view


def _keep_an_admin(session: Session, view: AccountView) -> None:
    """409 ``last_active_admin`` when ``view``'s account is the only active operator
    admin of one of its destinations (nobody could manage it, nor make a new admin but
    the province). The destinations' active admins are locked first (PostgreSQL), so two
    admins disabling each other at once cannot both succeed; SQLite's write transaction
    already runs alone."""
    admins = session.exec(
        select(OperatorDestination.destination_id, OperatorAccount.id)
        .join(OperatorAccount, OperatorAccount.id == OperatorDestination.account_id)
        .where(
            OperatorDestination.destination_id.in_(view.destination_ids),
            OperatorAccount.role == OPERATOR_ADMIN,
            OperatorAccount.is_active.is_(True),
        )
        .order_by(OperatorAccount.id)
        .with_for_update(of=OperatorAccount)
    ).all()
    for destination_id in view.destination_ids:
        if not any(d == destination_id and a != view.account.id for d, a in admins):
            raise errors.last_active_admin(destination_id)


def count_login_attempt(
    conn: sa.Connection,
    login_name: str,
    *,
    address: str | None,
    pepper: str,
    now: datetime,
    limit: int = LOGIN_ATTEMPTS_PER_MINUTE,
    address_limit: int = LOGIN_ATTEMPTS_PER_ADDRESS_PER_MINUTE,
    field: str = "login",
) -> None:
    """Count an attempt at ``login_name``'s password from the client ``address`` (a
    login, or a password change's current password: one count for both, so guessing
    through either is no faster, ``field`` naming what the 429 refuses): 429 past ``limit``
    a minute at this login from this address, or past ``address_limit`` a minute from
    this address at every login together. Nothing counts an attempt at a login from
    everywhere: a stranger's wrong passwords throttle the stranger's own address, never
    the operator's (OWASP's authentication cheat sheet: a lockout must not let anyone
    deny an account). Addresses are kept only as HMACs. Run in its own transaction,
    committed before the password is checked: a failed login's rollback must not undo
    its count."""
    where = hash_address(address or "", pepper)
    # One count for a login whatever its case (DEMO-x is demo-x).
    digest = sha256(f"{where}\0{login_name.casefold()}".encode()).hexdigest()[:24]
    ratelimit.hit(
        conn, scope=f"login-from:{where[:24]}", now=now, limit=address_limit,
        refused=functools.partial(errors.too_many_logins_from_address, field=field),
    )  # fmt: skip
    ratelimit.hit(
        conn, scope=f"login:{digest}", now=now, limit=limit,
        refused=functools.partial(errors.too_many_logins, field=field),
    )  # fmt: skip


def count_attempt(
    db: Database,
    login_name: str,
    *,
    address: str | None,
    pepper: str,
    now: datetime,
    field: str = "login",
) -> None:
    """``count_login_attempt`` in its own transaction, committed before the password is
    checked: a failed attempt rolls the request's transaction back, and must still
    count."""
    with runner.core_transaction(db, write=True) as conn:
        count_login_attempt(conn, login_name, address=address, pepper=pepper, now=now, field=field)


def check_login(
    session: Session, login_name: str, password: str, *, env: str = "development"
) -> OperatorAccount:
    """The active account of a login and password; 401 ``invalid_credentials`` for
    either wrong (an unknown login costs the same time as a wrong password), and for a
    documented demo login in production."""
    if env == "production" and is_demo_login(login_name):
        passwords.verify_password(password, None)
        raise errors.bad_login()
    account = session.exec(select(OperatorAccount).where(same_login(login_name))).first()
    ok = passwords.verify_password(password, account.password_hash if account else None)
    if not ok or account is None or not account.is_active:
        raise errors.bad_login()
    return account


def login(
    session: Session,
    *,
    login_name: str,
    password: str,
    label: str,
    pepper: str,
    now: datetime,
    env: str = "development",
    console_session: bool = False,
) -> IssuedToken:
    """A new API token for a login and password (see ``check_login``);
    ``console_session`` for the console's login only."""
    account = check_login(session, login_name, password, env=env)
    return issue_token(
        session, account, pepper=pepper, now=now, label=label, console_session=console_session
    )


def revoke_token(session: Session, operator: Operator, token_id: int, *, now: datetime) -> None:
    """Revoke one of the caller's own tokens (anyone else's is 404)."""
    row = session.exec(
        select(OperatorToken).where(
            OperatorToken.id == token_id, OperatorToken.account_id == operator.account_id
        )
    ).first()
    if row is None:
        raise errors.not_found("token", token_id, "token_id")
    if row.revoked_at is None:
        row.revoked_at = now
        session.add(row)
        session.flush()


def revoke_replaced(
    session: Session,
    account_id: int,
    *,
    issued_before: datetime,
    replaced: str | None,
    pepper: str,
    now: datetime,
) -> int:
    """After a console login: revoke the token it replaces (``replaced``, the plaintext
    the same browser's signed cookie held, whatever its account) and the account's live
    console-session tokens issued before ``issued_before`` (their session has lapsed;
    nothing can use them from the console any more). Returns how many were revoked.
    Tokens the API issued are left alone, whatever their label (even "console")."""
    stale = (
        (OperatorToken.account_id == account_id)
        & OperatorToken.console_session
        & (OperatorToken.created_at < issued_before)
    )
    if replaced:
        stale = stale | (OperatorToken.token_hash == tokens.hash_token(replaced, pepper))
    result = session.exec(
        sa.update(OperatorToken)
        .where(OperatorToken.revoked_at.is_(None), stale)
        .values(revoked_at=now)
    )
    return result.rowcount


def tokens_of(session: Session, operator: Operator) -> list[OperatorToken]:
    """The caller's live tokens (a revoked one is of no use to list)."""
    return list(
        session.exec(
            select(OperatorToken)
            .where(
                OperatorToken.account_id == operator.account_id,
                OperatorToken.revoked_at.is_(None),
            )
            .order_by(OperatorToken.id)
        )
    )


def account_row(session: Session, account_id: int) -> OperatorAccount:
    return session.get(OperatorAccount, account_id)


def account_of_row(session: Session, account: OperatorAccount) -> AccountView:
    return AccountView(account, destination_ids_of(session, [account.id])[account.id])
