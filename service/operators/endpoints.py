"""HTTP of the admin API: ``/v1/admin/…`` (operators and the province).

Every endpoint but ``POST /v1/admin/tokens`` needs an operator token (``OperatorDep``)
and reaches the database only through ``service.operators.scope``: anything outside the
caller's destinations is 404, exactly as an unknown id.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from sqlmodel import select

from catalog.models import Destination, Product, Season
from service.deps import ClockDep, SessionDep, SettingsDep, WriteSessionDep
from service.errors import problems
from service.i18n import LangDep, pick
from service.operators import accounts, audit, schemas
from service.operators.auth import OperatorDep
from service.operators.scope import (
    PERMISSIONS,
    destination_of,
    product_of,
    scoped,
)
from service.pagination import decode_cursor, encode_cursor

router = APIRouter(prefix="/v1/admin", tags=["admin"])

Limit = Annotated[int, Query(ge=1, le=100)]
Cursor = Annotated[str | None, Query(max_length=200)]
ProductId = Annotated[int, Path(ge=1, le=2**31 - 1)]
DestinationId = Annotated[int, Path(ge=1, le=2**31 - 1)]
AccountId = Annotated[int, Path(ge=1, le=2**31 - 1)]
TokenId = Annotated[int, Path(ge=1, le=2**31 - 1)]


def _account(view: accounts.AccountView) -> schemas.AccountOut:
    return schemas.AccountOut(**accounts.account_json(view))


def _token(row) -> schemas.TokenOut:
    return schemas.TokenOut(
        id=row.id,
        prefix=row.token_prefix,
        label=row.label,
        created_at=row.created_at,
        revoked_at=row.revoked_at,
    )


def _after_id(cursor: str | None) -> int | None:
    key = decode_cursor(cursor, 1)
    if key is None:
        return None
    if not isinstance(key[0], int) or not 0 < key[0] < 2**63:
        decode_cursor("!", 2)  # the same 422 invalid_cursor
    return key[0]


def _next(rows: list, limit: int) -> str | None:
    return encode_cursor([rows[limit - 1].id]) if len(rows) > limit else None


def _page(session, stmt, id_column, cursor: str | None, limit: int) -> tuple[list, str | None]:
    """One keyset page of ``stmt`` by ``id_column`` ascending, and the next cursor."""
    after = _after_id(cursor)
    if after is not None:
        stmt = stmt.where(id_column > after)
    rows = list(session.exec(stmt.order_by(id_column).limit(limit + 1)))
    return rows[:limit], _next(rows, limit)


# --- tokens and the caller --------------------------------------------------------------


@router.post(
    "/tokens",
    status_code=201,
    response_model=schemas.TokenIssued,
    summary="Log in: a new admin API token",
    description=(
        "Exchanges an operator account's login and password for an API token "
        "(`Authorization: Bearer jlop_…` on every other admin endpoint). The token is "
        "shown only here. 401 `invalid_credentials` for a wrong login or password; 429 "
        "after 10 attempts a minute at one login."
    ),
    responses=problems(401, 422, 429),
)
def create_token(
    body: schemas.LoginIn,
    request: Request,
    session: WriteSessionDep,
    settings: SettingsDep,
    clock: ClockDep,
) -> Any:
    now = clock.now()
    db = request.app.state.db
    with db.write_connection() as conn:  # counted even when the password is wrong
        accounts.count_login_attempt(conn, body.login, now=now)
        conn.commit()
    issued = accounts.login(
        session,
        login_name=body.login,
        password=body.password,
        label=body.label,
        pepper=settings.secret_key,
        now=now,
        env=settings.env,
    )
    view = accounts.account_of_row(session, issued.account)
    return schemas.TokenIssued(
        **_token(issued.token).model_dump(), token=issued.plaintext, account=_account(view)
    )


@router.get(
    "/me",
    response_model=schemas.MeOut,
    summary="The calling operator: account, permissions, tokens",
    responses=problems(401, 429),
)
def me(operator: OperatorDep, session: SessionDep) -> Any:
    view = accounts.account_of_row(session, accounts.account_row(session, operator.account_id))
    return schemas.MeOut(
        account=_account(view),
        permissions=sorted(PERMISSIONS[operator.role]),
        tokens=[_token(t) for t in accounts.tokens_of(session, operator)],
    )


@router.delete(
    "/tokens/{token_id}",
    status_code=204,
    summary="Revoke one of your own tokens",
    responses=problems(401, 404, 429),
)
def revoke_token(
    token_id: TokenId, operator: OperatorDep, session: WriteSessionDep, clock: ClockDep
) -> None:
    accounts.revoke_token(session, operator, token_id, now=clock.now())


# --- accounts ---------------------------------------------------------------------------


@router.get(
    "/accounts",
    response_model=schemas.AccountPage,
    summary="Operator accounts of your destinations",
    description="The province sees every account. Staff may not list accounts (403).",
    responses=problems(401, 403, 429),
)
def list_accounts(operator: OperatorDep, session: SessionDep) -> Any:
    return schemas.AccountPage(
        items=[_account(v) for v in accounts.list_accounts(session, operator)]
    )


@router.post(
    "/accounts",
    status_code=201,
    response_model=schemas.AccountOut,
    summary="Create an operator account",
    description=(
        "An operator admin creates admin or staff accounts for its own destinations (a "
        "destination not its own is 404 naming `destination_ids[i]`); the province "
        "creates any account. 409 `login_taken`; 422 `weak_password` (under 10 "
        "characters), `destinations_required`."
    ),
    responses=problems(401, 403, 404, 409, 422, 429),
)
def create_account(
    body: schemas.AccountIn, operator: OperatorDep, session: WriteSessionDep, clock: ClockDep
) -> Any:
    view = accounts.create_account(
        session,
        operator,
        login=body.login,
        display_name=body.display_name,
        role=body.role,
        destination_ids=body.destination_ids,
        password=body.password,
        now=clock.now(),
    )
    return _account(view)


@router.get(
    "/accounts/{account_id}",
    response_model=schemas.AccountOut,
    summary="One operator account",
    responses=problems(401, 404, 429),
)
def read_account(account_id: AccountId, operator: OperatorDep, session: SessionDep) -> Any:
    return _account(accounts.account_of(session, operator, account_id))


@router.post(
    "/accounts/{account_id}/deactivate",
    response_model=schemas.AccountOut,
    summary="Disable an account and revoke its tokens",
    responses=problems(401, 403, 404, 429),
)
def deactivate_account(
    account_id: AccountId, operator: OperatorDep, session: WriteSessionDep, clock: ClockDep
) -> Any:
    return _account(accounts.deactivate(session, operator, account_id, now=clock.now()))


# --- destinations and products ----------------------------------------------------------


def _destination(d: Destination, lang) -> schemas.AdminDestination:
    return schemas.AdminDestination(
        id=d.id,
        slug=d.slug,
        name=pick(lang, d.name_zh, d.name_en),
        name_zh=d.name_zh,
        name_en=d.name_en,
        prefecture=d.prefecture,
        pilot_kind=d.pilot_kind,
    )


@router.get(
    "/destinations",
    response_model=schemas.DestinationPage,
    summary="Your destinations",
    responses=problems(401, 422, 429),
)
def list_destinations(
    operator: OperatorDep,
    session: SessionDep,
    lang: LangDep,
    cursor: Cursor = None,
    limit: Limit = 20,
) -> Any:
    stmt = scoped(select(Destination), operator, Destination.id)
    rows, nxt = _page(session, stmt, Destination.id, cursor, limit)
    return schemas.DestinationPage(items=[_destination(d, lang) for d in rows], next=nxt)


@router.get(
    "/destinations/{destination_id}",
    response_model=schemas.AdminDestination,
    summary="One of your destinations",
    responses=problems(401, 404, 429),
)
def read_destination(
    destination_id: DestinationId, operator: OperatorDep, session: SessionDep, lang: LangDep
) -> Any:
    return _destination(destination_of(session, operator, destination_id, "destination_id"), lang)


def _product(p: Product, seasons: list[Season], lang) -> schemas.AdminProduct:
    return schemas.AdminProduct(
        id=p.id,
        slug=p.slug,
        destination_id=p.destination_id,
        name=pick(lang, p.name_zh, p.name_en),
        theme=p.theme,
        unit_type=p.unit_type,
        is_active=p.is_active,
        base_rate_fen=p.base_rate_fen,
        filed_rate_fen=p.filed_rate_fen if p.filed_rate_fen is not None else p.base_rate_fen,
        seasons=[
            schemas.SeasonOut(
                id=s.id,
                name=pick(lang, s.name_zh, s.name_en),
                start_date=s.start_date.isoformat(),
                end_date=s.end_date.isoformat(),
                nightly_rate_fen=s.nightly_rate_fen,
                filed_rate_fen=(
                    s.filed_rate_fen if s.filed_rate_fen is not None else s.nightly_rate_fen
                ),
            )
            for s in seasons
        ],
    )


@router.get(
    "/products",
    response_model=schemas.ProductPage,
    summary="Products of your destinations (active or not)",
    responses=problems(401, 404, 422, 429),
)
def list_products(
    operator: OperatorDep,
    session: SessionDep,
    lang: LangDep,
    destination_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
    cursor: Cursor = None,
    limit: Limit = 20,
) -> Any:
    stmt = scoped(select(Product), operator, Product.destination_id)
    if destination_id is not None:
        destination_of(session, operator, destination_id, "destination_id")
        stmt = stmt.where(Product.destination_id == destination_id)
    rows, nxt = _page(session, stmt, Product.id, cursor, limit)
    return schemas.ProductPage(items=[_product(p, [], lang) for p in rows], next=nxt)


@router.get(
    "/products/{product_id}",
    response_model=schemas.AdminProduct,
    summary="One of your products, with its seasons and filed prices",
    responses=problems(401, 404, 429),
)
def read_product(
    product_id: ProductId, operator: OperatorDep, session: SessionDep, lang: LangDep
) -> Any:
    product = product_of(session, operator, product_id, "product_id")
    seasons = list(
        session.exec(
            select(Season).where(Season.product_id == product.id).order_by(Season.start_date)
        )
    )
    return _product(product, seasons, lang)


# --- audit log --------------------------------------------------------------------------


@router.get(
    "/audit",
    response_model=schemas.AuditPage,
    summary="The audit log: who changed what, when, before and after",
    description=(
        "Newest first. An operator reads the entries of its destinations; the province "
        "reads all. `destination_id` outside your destinations is 404."
    ),
    responses=problems(401, 404, 422, 429),
)
def read_audit(
    operator: OperatorDep,
    session: SessionDep,
    destination_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
    entity: Annotated[str | None, Query(max_length=40, pattern=r"^[a-z_]+$")] = None,
    cursor: Cursor = None,
    limit: Limit = 20,
) -> Any:
    if destination_id is not None:
        destination_of(session, operator, destination_id, "destination_id")
    rows = audit.entries(
        session,
        operator,
        destination_id=destination_id,
        entity=entity,
        before_id=_after_id(cursor),
        limit=limit + 1,
    )
    return schemas.AuditPage(
        items=[schemas.AuditOut.model_validate(r, from_attributes=True) for r in rows[:limit]],
        next=_next(rows, limit),
    )
