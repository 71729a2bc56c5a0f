"""HTTP of the admin API: ``/v1/admin/…`` (operators and the province).

Every endpoint but ``POST /v1/admin/tokens`` needs an operator token (``OperatorDep``)
and reaches the database only through ``service.operators.scope``: anything outside the
caller's destinations is 404, exactly as an unknown id.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from sqlmodel import select

from catalog import calendar
from catalog.models import Destination, Product, Season
from service.deps import ClockDep, SessionDep, SettingsDep, WriteSessionDep
from service.errors import problems
from service.i18n import LangDep, pick
from service.operators import accounts, audit, catalogue, lists, schemas
from service.operators import calendar as operator_calendar
from service.operators.auth import OperatorDep
from service.operators.scope import (
    ACCOUNTS,
    PERMISSIONS,
    destination_of,
    listing_of,
    product_of,
    scoped,
)
from service.pagination import Cursor, Listing
from service.ratelimit import client_address
from service.text import IsoDate

router = APIRouter(prefix="/v1/admin", tags=["admin"])

Limit = Annotated[int, Query(ge=1, le=100)]
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


def _page(
    session, stmt, id_column, listing: Listing, cursor: str | None, limit: int
) -> tuple[list, str | None]:
    """One keyset page of ``stmt`` by ``id_column`` ascending, and the next cursor."""
    after = listing.after_id(cursor)
    if after is not None:
        stmt = stmt.where(id_column > after)
    rows = list(session.exec(stmt.order_by(id_column).limit(limit + 1)))
    return rows[:limit], listing.next_of(rows, limit, lambda r: [r.id])


# --- tokens and the caller --------------------------------------------------------------


@router.post(
    "/tokens",
    status_code=201,
    response_model=schemas.TokenIssued,
    summary="Log in: a new admin API token",
    description=(
        "Exchanges an operator account's login and password for an API token "
        "(`Authorization: Bearer jlop_…` on every other admin endpoint). The token is "
        "shown only here. The login is compared without case (`DEMO-Province` is "
        "`demo-province`). 401 `invalid_credentials` for a wrong login or password; 429 "
        "`rate_limited` (field `login`) after 10 attempts a minute at one login from one "
        "client address, or 30 a minute at every login from one address: another "
        "address's attempts never refuse yours."
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
    accounts.count_attempt(
        request.app.state.db, body.login, address=client_address(request),
        pepper=settings.secret_key, now=now,
    )  # fmt: skip
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


@router.post(
    "/me/password",
    response_model=schemas.PasswordChanged,
    summary="Change your own password",
    description=(
        "With your current password (422 `wrong_password` naming `current_password` "
        "when it is wrong; 429 `rate_limited` naming `current_password`, with "
        "`Retry-After`, past 10 tries a minute from one client address, counted together "
        "with that address's logins at your login, so a token is no faster a way to guess "
        "it than the login). The new one differs from the current one (422 "
        "`password_unchanged` naming `new_password`) and follows the same policy as a new "
        "account's: 422 "
        "`weak_password` naming `new_password` (at least 12 characters without the spaces "
        "at either end, not only spaces, not the demo password, a common, repeated or "
        "sequential one, nor your login). Your other live tokens are revoked (console "
        "sessions included); the token you called with stays. Audited, without either "
        "password."
    ),
    responses=problems(401, 422, 429),
)
def change_password(
    body: schemas.PasswordChangeIn,
    request: Request,
    operator: OperatorDep,
    session: WriteSessionDep,
    settings: SettingsDep,
    clock: ClockDep,
) -> Any:
    now = clock.now()
    # counted with the account's logins: guessing here is no faster than logging in
    accounts.count_attempt(
        request.app.state.db, operator.login, address=client_address(request),
        pepper=settings.secret_key, now=now, field="current_password",
    )  # fmt: skip
    revoked = accounts.change_password(
        session,
        operator,
        current_password=body.current_password,
        new_password=body.new_password,
        now=now,
    )
    return schemas.PasswordChanged(revoked_tokens=revoked)


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
    description=(
        "By id, `limit` a page (1-100, default 20) and `next` the cursor of the next "
        "(bound to your account, as every admin list's). The province sees every account. "
        "Staff may not list accounts (403, before the cursor is read)."
    ),
    responses=problems(401, 403, 422, 429),
)
def list_accounts(
    operator: OperatorDep, session: SessionDep, cursor: Cursor = None, limit: Limit = 20
) -> Any:
    operator.require(ACCOUNTS)  # the role before anything the request sends
    listing = listing_of(operator, "/v1/admin/accounts", former=False)
    rows = accounts.list_accounts(
        session, operator, after_id=listing.after_id(cursor), limit=limit + 1
    )
    return schemas.AccountPage(
        items=[_account(v) for v in rows[:limit]],
        next=listing.next_of(rows, limit, lambda v: [v.account.id]),
    )


@router.post(
    "/accounts",
    status_code=201,
    response_model=schemas.AccountOut,
    summary="Create an operator account",
    description=(
        "An operator admin creates admin or staff accounts for its own destinations (a "
        "destination not its own is 404 naming `destination_ids[i]`); the province "
        "creates any account. A login is one whatever its case: 409 `login_taken` "
        "for `OK-Staff` when `ok-staff` exists. 422 `weak_password` naming `password`: "
        "fewer than 12 characters (spaces at either end not counted), only spaces, the "
        "demo password, a common password, repeated or sequential characters, or the "
        "login itself (no rules of composition: a passphrase is welcome). 422 "
        "`destinations_required`."
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
    description=(
        "Disables the account and revokes its tokens. 409 `cannot_deactivate_self` for "
        "the caller's own account; 409 `last_active_admin` for the only active operator "
        "admin of one of its destinations (create another admin for it first)."
    ),
    responses=problems(401, 403, 404, 409, 429),
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
        description_zh=d.description_zh,
        description_en=d.description_en,
        nearest_hospital_km=d.nearest_hospital_km,
        medical_insurance_station=d.medical_insurance_station,
        cross_province_settlement=d.cross_province_settlement,
        elder_friendly_rooms=d.elder_friendly_rooms,
        has_5g=d.has_5g,
        certifications=list(d.certifications or []),
    )


@router.get(
    "/destinations",
    response_model=schemas.AdminDestinationPage,
    summary="Your destinations",
    responses=problems(401, 422, 429),
)
def list_admin_destinations(
    operator: OperatorDep,
    session: SessionDep,
    lang: LangDep,
    cursor: Cursor = None,
    limit: Limit = 20,
) -> Any:
    stmt = scoped(select(Destination), operator, Destination.id)
    listing = listing_of(operator, "/v1/admin/destinations")
    rows, nxt = _page(session, stmt, Destination.id, listing, cursor, limit)
    return schemas.AdminDestinationPage(items=[_destination(d, lang) for d in rows], next=nxt)


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


def _product(
    p: Product, seasons: list[Season], lang, pack_ids: list[int] | None = None
) -> schemas.AdminProduct:
    return schemas.AdminProduct(
        name_zh=p.name_zh,
        name_en=p.name_en,
        description_zh=p.description_zh,
        description_en=p.description_en,
        base_occupancy=p.base_occupancy,
        max_occupancy=p.max_occupancy,
        beds_per_unit=p.beds_per_unit,
        min_nights=p.min_nights,
        max_nights=p.max_nights,
        duration_modules=list(p.duration_modules or []),
        extra_guest_fee_fen=p.extra_guest_fee_fen,
        max_discount_bps=p.max_discount_bps,
        refund_policy=list(p.refund_policy or []),
        sold_from=p.sold_from.isoformat() if p.sold_from else None,
        sold_until=p.sold_until.isoformat() if p.sold_until else None,
        pack_ids=pack_ids or [],
        id=p.id,
        slug=p.slug,
        destination_id=p.destination_id,
        name=pick(lang, p.name_zh, p.name_en),
        theme=p.theme,
        unit_type=p.unit_type,
        is_active=p.is_active,
        base_rate_fen=p.base_rate_fen,
        filed_rate_fen=p.filed_rate_fen,
        seasons=[season_view(s, lang) for s in seasons],
    )


def season_view(s: Season, lang) -> schemas.AdminSeason:
    """A season as stored: ``filed_rate_fen`` null when nothing is filed."""
    return schemas.AdminSeason(
        id=s.id,
        name=pick(lang, s.name_zh, s.name_en),
        name_zh=s.name_zh,
        name_en=s.name_en,
        start_date=s.start_date.isoformat(),
        end_date=s.end_date.isoformat(),
        nightly_rate_fen=s.nightly_rate_fen,
        filed_rate_fen=s.filed_rate_fen,
    )


@router.get(
    "/products",
    response_model=schemas.AdminProductPage,
    summary="Products of your destinations (active or not)",
    responses=problems(401, 404, 422, 429),
)
def list_admin_products(
    operator: OperatorDep,
    session: SessionDep,
    lang: LangDep,
    destination_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
    cursor: Cursor = None,
    limit: Limit = 20,
) -> Any:
    filters = lists.DestinationFilter(destination_id=destination_id)
    page = lists.product_page(session, operator, filters, cursor=cursor, limit=limit)
    return schemas.AdminProductPage(
        items=[_product(p, [], lang) for p in page.items], next=page.next
    )


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
    return product_view(session, product, lang)


def product_view(session, product: Product, lang) -> schemas.AdminProduct:
    """A product with its seasons and the packs it offers."""
    return _product(
        product,
        catalogue.seasons_of(session, product.id),
        lang,
        [p.id for p in catalogue.packs_of(session, product.id)],
    )


# --- audit log --------------------------------------------------------------------------


@router.get(
    "/audit",
    response_model=schemas.AuditPage,
    summary="The audit log: who changed what, when, before and after",
    description=(
        "Newest first. An operator reads the entries of its destinations; the province "
        "reads all. `destination_id` outside your destinations is 404. `entity` is one of "
        f"the kinds of entry ({', '.join(f'`{e}`' for e in audit.ENTITIES)}); any other is "
        "422 `validation_error` naming `entity`, its text listing them. "
        "`changed_from`/`changed_to`: the entries made from the one Asia/Shanghai day to "
        "the other, both inclusive (either may be left out); a date that is not "
        "`YYYY-MM-DD` is 422 `validation_error` naming it, `changed_to` before "
        "`changed_from` 422 `invalid_range` naming `changed_to`. The cursor is bound to "
        "the filters: a walk keeps them, and a cursor of another walk is 422 "
        "`invalid_cursor`."
    ),
    responses=problems(401, 404, 422, 429),
)
def read_audit(
    operator: OperatorDep,
    session: SessionDep,
    destination_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
    entity: Annotated[audit.Entity | None, Query(description="What the entries are about")] = None,
    changed_from: Annotated[
        IsoDate | None, Query(description="First day the entries were made on (inclusive)")
    ] = None,
    changed_to: Annotated[
        IsoDate | None, Query(description="Last day the entries were made on (inclusive)")
    ] = None,
    cursor: Cursor = None,
    limit: Limit = 20,
) -> Any:
    filters = lists.AuditFilters(
        destination_id=destination_id,
        entity=entity,
        changed_from=changed_from,
        changed_to=changed_to,
    )
    page = lists.audit_page(session, operator, filters, cursor=cursor, limit=limit)
    return schemas.AuditPage(
        items=[schemas.AuditOut.model_validate(r, from_attributes=True) for r in page.items],
        next=page.next,
    )


# --- the inventory and rate calendar ----------------------------------------------------


def _edit_result(plan: calendar.EditPlan, applied: bool) -> schemas.BulkEditResult:
    return schemas.BulkEditResult(
        applied=applied,
        cells=plan.cells,
        changed=len(plan.changed),
        unchanged=plan.unchanged,
        refused_count=len(plan.refused),
        refused=[
            schemas.RefusedCell(**operator_calendar.refusal_json(r))
            for r in plan.refused[: operator_calendar.MAX_REFUSALS_LISTED]
        ],
        rate_changes=len(plan.rate_runs),
    )


_EDIT_DOC = (
    "One edit over products x nights `from`..`to` (inclusive) x `weekdays` x the fields "
    "chosen in `set` (only fields present change; `null` clears an optional one). "
    "`from` is today or later (Asia/Shanghai; else 422 `nights_in_past`); a rate is at "
    "least 1 fen (`rate_not_positive`); a minimum stay above the maximum stay set with "
    "it is 422 `min_stay_above_max_stay`. "
    "Units, stop-sell and stay restrictions need the `inventory` permission (operator "
    "admin or staff); `rate_override_fen` needs `rates` (operator admin). Every product "
    "must be yours (else 404 naming `product_ids[i]`)."
)


@router.post(
    "/calendar/preview",
    response_model=schemas.BulkEditResult,
    summary="Preview a bulk edit of the calendar (dry run)",
    description=_EDIT_DOC
    + " Nothing is written: says how many cells change and which cannot (units below "
    "units taken, a rate above the filed price, a night without inventory when `units` "
    "is not set, a minimum stay above the night's maximum stay).",
    responses=problems(401, 403, 404, 422, 429),
)
def preview_calendar_edit(
    body: schemas.BulkEditIn, operator: OperatorDep, session: SessionDep, clock: ClockDep
) -> Any:
    edit = operator_calendar.edit_for(session, operator, body, clock.today())
    plan = operator_calendar.preview(session, operator, edit)
    return _edit_result(plan, applied=False)


@router.post(
    "/calendar/apply",
    response_model=schemas.BulkEditResult,
    summary="Apply a bulk edit of the calendar, atomically",
    description=_EDIT_DOC
    + " All or nothing, under the same lock as bookings (a booking never sees half an "
    "edit). If any cell cannot change, nothing is written: 409 `units_below_taken` / "
    "`no_inventory` or 422 `above_filed_price` / `min_stay_above_max_stay`, with "
    "`field` (`set.units`...), `cell` "
    "(`product_id/night`) and every refused cell in `refused`. 409 `inventory_busy`: "
    "retry. Each change of a nightly rate is kept in the public rate history; each "
    "product's change is in the audit log. Quotes see it on the very next request.",
    responses=problems(401, 403, 404, 409, 422, 429),
)
def apply_calendar_edit(
    body: schemas.BulkEditIn,
    operator: OperatorDep,
    session: WriteSessionDep,
    clock: ClockDep,
    settings: SettingsDep,
) -> Any:
    plan = operator_calendar.apply(
        session,
        operator,
        operator_calendar.edit_for(session, operator, body, clock.today()),
        now=clock.now(),
        lock_timeout_ms=settings.lock_timeout_ms,
    )
    return _edit_result(plan, applied=True)


@router.get(
    "/products/{product_id}/calendar",
    response_model=schemas.CalendarOut,
    summary="The calendar grid of one product: units, rates, restrictions per night",
    responses=problems(401, 404, 422, 429),
)
def read_calendar(
    product_id: ProductId,
    operator: OperatorDep,
    session: SessionDep,
    from_: Annotated[IsoDate, Query(alias="from", description="First night (inclusive)")],
    to: Annotated[
        IsoDate, Query(description="Last night (inclusive), at most 366 nights from `from`")
    ],
) -> Any:
    product, cells = operator_calendar.grid_cells(session, operator, product_id, from_, to)
    out = [schemas.CalendarCell(**c) for c in cells]
    return schemas.CalendarOut(
        product_id=product.id, destination_id=product.destination_id, cells=out
    )


# --- bookings ---------------------------------------------------------------------------
