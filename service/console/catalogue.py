"""The console's catalogue: products (edit, retire), their seasons with filed prices
(备案价), the add-on packs they offer, and the destination's packs. The same services
as the admin API (``operators.catalogue``, ``operators.seasons``), through the same
request models (``ProductPatch``, ``SeasonIn``/``SeasonPatch``, ``PackIn``,
``ProductPacksIn``).
"""

import re
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from catalog.vocab import THEME_NAMES
from service import query_params, runner
from service.console import forms, lists, session
from service.console.session import ConsoleOperatorDep, ConsoleRoute
from service.deps import ClockDep, SessionDep, WriteSessionDep
from service.i18n import pick
from service.operators import catalogue
from service.operators import lists as operator_lists
from service.operators import seasons as operator_seasons
from service.operators.catalogue_endpoints import ProductId, SeasonId
from service.operators.catalogue_schemas import (
    PackIn,
    ProductIn,
    ProductPatch,
    SeasonIn,
    SeasonPatch,
)
from service.operators.scope import CATALOGUE, destination_of, product_of, visible_destination_ids
from service.pages import web

router = APIRouter(prefix="/console", route_class=ConsoleRoute, include_in_schema=False)

REFUND_ROWS = 3  # rows shown at least, the filled ones and one empty row or more
MAX_REFUND_ROW = 50  # rows read from a form past it are ignored (the API keeps 10 tiers)
_REFUND_KEY = re.compile(r"refund_(\d{1,2})_(?:days|pct)")
UNIT_TYPES = ("cabin", "hotel_room", "homestay", "serviced_apartment", "villa", "eldercare_room")
MONEY = ("base_rate_fen", "filed_rate_fen", "extra_guest_fee_fen")
NUMBERS = ("base_occupancy", "max_occupancy", "min_nights", "max_nights")
PRODUCT_FIELDS = forms.mapper(
    {
        **{f: f for f in ("name_zh", "name_en", *MONEY, *NUMBERS, "duration_modules")},
        "refund_policy": "refund_policy",
    }
)


def _id_or_zero(raw: Any) -> int | str:
    """A chosen id (0, refused by the request model as no choice, when unreadable; none
    chosen stays empty, which the request model says as "please fill this in")."""
    if not str(raw or "").strip():
        return ""
    try:
        return forms.whole(str(raw))
    except forms.Unreadable:
        return 0


def _yuan_values(row: Any, names) -> dict[str, str]:
    return {n: forms.yuan_input(getattr(row, n)) for n in names}


# --- products ---------------------------------------------------------------------------


def _products_page(
    request, operator, db_session, *, values=None, errors=None, status=200, address=False
):
    """The products list and the new product's form. The list is the API's
    (``operators.lists.product_page``: its destination filter and pages); read from the
    page's address (``address``, a GET) it refuses what the API refuses, said above the
    list, and lists nothing; a refused new product's form shows the first page."""
    lang = web.page_lang(request)
    destinations = lists.destinations(db_session, operator, lang)
    places = dict(destinations)
    shown = lists.listed(
        request,
        "/console/products",
        lambda filters, cursor: operator_lists.product_page(
            db_session, operator, filters, cursor=cursor, limit=lists.PAGE_SIZE
        ),
        filters=operator_lists.DestinationFilter,
        readers={"destination_id": forms.whole},
        unknown="prod_unknown_parameter" if address else None,
    )
    rows = [
        {
            "id": p.id,
            "name": pick(lang, p.name_zh, p.name_en),
            "destination": places.get(p.destination_id, ""),
            "is_active": p.is_active,
            "base_rate_fen": p.base_rate_fen,
            "filed_rate_fen": p.filed_rate_fen,
        }
        for p in shown.items
    ]
    return session.render(
        request,
        operator,
        "console/products.html",
        {
            "rows": rows,
            "listed": shown,
            "destinations": destinations,
            "themes": [(code, pick(lang, zh, en)) for code, (zh, en) in THEME_NAMES.items()],
            "unit_types": UNIT_TYPES,
            "may_change": operator.can(CATALOGUE),
            "values": values or {"base_occupancy": "2", "max_occupancy": "2"},
            "errors": errors or {},
        },
        status_code=status if errors or not address else shown.status,
        title=web.text(request)("prod_title"),
        nav="products",
    )


@router.get("/products")
@query_params.reads(*operator_lists.DestinationFilter.model_fields, "cursor")
def products_page(
    request: Request, operator: ConsoleOperatorDep, db_session: SessionDep
) -> Response:
    return _products_page(request, operator, db_session, address=True)


@router.post("/products")
async def create_product(
    request: Request,
    operator: ConsoleOperatorDep,
    db_session: WriteSessionDep,
    clock: ClockDep,
) -> Response:
    form = await _form(request)
    return await runner.in_thread(_create_product, request, operator, db_session, clock, form)


def _create_product(request, operator, db_session, clock, form) -> Response:
    """A new product from the short form (the rest is edited on its page)."""
    body, unreadable = product_changes({**form, "extra_guest_fee_fen": "0"})
    for name in ("slug", "theme", "unit_type"):
        body[name] = str(form.get(name, "")).strip()
    body["destination_id"] = _id_or_zero(form.get("destination_id"))
    created: list[int] = []

    def validate() -> ProductIn:
        return ProductIn.model_validate(body)

    def work() -> None:
        product = validate()
        row = catalogue.create_product(
            db_session,
            operator,
            destination_id=product.destination_id,
            slug=product.slug,
            fields=product.model_dump(exclude={"destination_id", "slug"}),
            now=clock.now(),
        )
        created.append(row.id)

    field_map = forms.mapper({n: n for n in ("slug", "destination_id", "theme", "unit_type")})
    refund_fields = _refund_fields(form)
    errors, status = forms.attempt(
        request,
        db_session,
        work,
        lambda path: field_map(path) or refund_fields(path),
        not_found_is_a_page=False,
        unreadable=unreadable,
        validate=validate,
    )
    if errors:
        return _products_page(
            request, operator, db_session, values=form, errors=errors, status=status
        )
    return RedirectResponse(f"/console/products/{created[0]}?done=created", status_code=303)


def _product_values(p) -> dict[str, Any]:
    values: dict[str, Any] = {
        "name_zh": p.name_zh,
        "name_en": p.name_en,
        **{n: "" if getattr(p, n) is None else str(getattr(p, n)) for n in NUMBERS},
        **_yuan_values(p, MONEY),
        "duration_modules": ", ".join(str(n) for n in p.duration_modules or []),
    }
    for i, tier in enumerate(p.refund_policy or []):
        values[f"refund_{i}_days"] = str(tier["min_days_before_check_in"])
        values[f"refund_{i}_pct"] = forms.hundredths_input(tier["refund_bps"])
    return values


def _season_values(s) -> dict[str, str]:
    p = f"s{s.id}_"
    return {
        p + "name_zh": s.name_zh,
        p + "name_en": s.name_en,
        p + "start_date": s.start_date.isoformat(),
        p + "end_date": s.end_date.isoformat(),
        p + "nightly_rate_fen": forms.yuan_input(s.nightly_rate_fen),
        p + "filed_rate_fen": forms.yuan_input(s.filed_rate_fen),
    }


def _product_page(
    request, operator, db_session, product_id, *, values=None, errors=None, status=200
):
    lang = web.page_lang(request)
    p = product_of(db_session, operator, product_id, "product_id")
    seasons = catalogue.seasons_of(db_session, p.id)
    offered = {pack.id for pack in catalogue.packs_of(db_session, p.id)}
    packs = [
        {"id": pack.id, "name": pick(lang, pack.name_zh, pack.name_en), "price_fen": pack.price_fen}
        for pack, _ in catalogue.list_packs(db_session, operator, p.destination_id)
    ]
    shown = {**_product_values(p), "pack_ids": [str(i) for i in sorted(offered)]}
    for s in seasons:
        shown.update(_season_values(s))
    shown.update(values or {})
    today = request.app.state.clock.today()
    states = {s.id: operator_seasons.season_state(s, today) for s in seasons}
    errors = dict(errors or {})
    for s in seasons:  # an ended season has no form: its refusal is said above them all
        if states[s.id] == operator_seasons.ENDED:
            for key in [k for k in errors if k.startswith(f"s{s.id}_")]:
                errors.setdefault("_form", errors.pop(key))
    query = query_params.read(request)
    new_season = query.get("season", "")
    return session.render(
        request,
        operator,
        "console/product.html",
        {
            "p": p,
            "name": pick(lang, p.name_zh, p.name_en),
            "seasons": seasons,
            "packs": packs,
            "pack_choices": [(k["id"], k["name"]) for k in packs],
            "refund_rows": range(_refund_row_count(shown)),
            "may_change": operator.can(CATALOGUE),
            "values": shown,
            "errors": errors,
            "states": states,
            "new_season": int(new_season) if new_season.isdecimal() else None,
        },
        status_code=status,
        title=pick(lang, p.name_zh, p.name_en),
        nav="products",
    )


@router.get("/products/{product_id}")
@query_params.reads("season")  # a season the form just added
def product_page(
    request: Request, product_id: ProductId, operator: ConsoleOperatorDep, db_session: SessionDep
) -> Response:
    return _product_page(request, operator, db_session, product_id)


def _refund_indices(form: dict[str, Any]) -> list[int]:
    """The refund rows a form holds, in order: every ``refund_<i>_days``/``_pct`` posted
    (the form shows each stored tier and empty rows to add one, so its rows are never a
    fixed number: a tier past a fixed count would be dropped on save)."""
    found = {int(m.group(1)) for key in form if (m := _REFUND_KEY.fullmatch(key)) is not None}
    return sorted(i for i in found if i < MAX_REFUND_ROW)


def _filled(form: dict[str, Any], i: int) -> bool:
    return bool(
        str(form.get(f"refund_{i}_days", "")).strip()
        or str(form.get(f"refund_{i}_pct", "")).strip()
    )


def _refund_row_count(values: dict[str, Any]) -> int:
    """Rows the form shows: up to the last filled one, then one empty row to add a tier
    (works without JavaScript), at least ``REFUND_ROWS``."""
    last = max((i for i in _refund_indices(values) if _filled(values, i)), default=-1)
    return max(last + 2, REFUND_ROWS)


def product_changes(form: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """The product form as a ``ProductPatch`` body, and the text keys of unreadable
    fields. An empty filed price or stay limit clears it."""
    body: dict[str, Any] = {"name_zh": form.get("name_zh", ""), "name_en": form.get("name_en", "")}
    unreadable: dict[str, str] = {}

    def read(name: str, parse: Callable[[str], int], *, nullable: bool) -> None:
        forms.read_into(body, unreadable, name, form.get(name, ""), parse, nullable=nullable)

    read("base_rate_fen", forms.fen, nullable=False)
    read("filed_rate_fen", forms.fen, nullable=True)
    read("extra_guest_fee_fen", forms.fen, nullable=False)
    read("base_occupancy", forms.whole, nullable=False)
    read("max_occupancy", forms.whole, nullable=False)
    read("min_nights", forms.whole, nullable=True)
    read("max_nights", forms.whole, nullable=True)
    try:
        body["duration_modules"] = forms.number_list(str(form.get("duration_modules", "")))
    except forms.Unreadable as exc:
        unreadable["duration_modules"] = exc.key
    tiers = []
    for i in _refund_indices(form):
        days = str(form.get(f"refund_{i}_days", "")).strip()
        pct = str(form.get(f"refund_{i}_pct", "")).strip()
        if not days and not pct:
            continue
        try:
            tiers.append(
                {"min_days_before_check_in": forms.whole(days), "refund_bps": forms.hundredths(pct)}
            )
        except forms.Unreadable:
            days_read = days.isdigit() and len(days) <= 7
            unreadable[f"refund_{i}_pct" if days_read else f"refund_{i}_days"] = "error_refund_row"
    body["refund_policy"] = tiers
    return body, unreadable


def _refund_fields(form: dict[str, Any]) -> Callable[[str], str | None]:
    """Where a problem of the product form is said: ``refund_policy[i].refund_bps``
    beside the percentage of the form row of tier ``i`` (the filled rows, in order, as
    ``product_changes`` reads them), ``….min_days_before_check_in`` beside its days;
    anything else by ``PRODUCT_FIELDS``."""
    rows = [i for i in _refund_indices(form) if _filled(form, i)]

    def field_map(path: str) -> str | None:
        match = re.fullmatch(r"refund_policy\[(\d+)\](?:\.(\w+))?", path)
        if match is None:
            return "refund_policy" if path.startswith("refund_policy") else PRODUCT_FIELDS(path)
        index = int(match.group(1))
        row = rows[index] if index < len(rows) else index
        part = "days" if match.group(2) == "min_days_before_check_in" else "pct"
        return f"refund_{row}_{part}"

    return field_map


def _submit(
    request,
    operator,
    db_session,
    product_id: ProductId,
    form: dict[str, Any],
    work: Callable[[], None],
    field_map: Callable[[str], str | None],
    done: str | Callable[[], dict[str, str]],
    unreadable: dict[str, str] | None = None,
    validate: Callable[[], Any] | None = None,
) -> Response:
    """Run ``work`` (a service call); on a problem, roll back and show the product page
    again with the message beside the field; on success, 303 back to it (``done``: what
    the page says, or a function giving its query once ``work`` has run). ``validate``
    (the request model built from the form's body) is checked with the fields the form
    could not read, so every field's error is said at once (``forms.attempt``)."""
    errors, status = forms.attempt(
        request, db_session, work, field_map, unreadable=unreadable, validate=validate
    )
    if errors:
        return _product_page(
            request, operator, db_session, product_id, values=form, errors=errors, status=status
        )
    said = done() if callable(done) else {"done": done}
    return RedirectResponse(
        web.with_query(f"/console/products/{product_id}", said), status_code=303
    )


async def _form(request: Request) -> dict[str, Any]:
    return forms.form_dict(await request.form())


@router.post("/products/{product_id}")
async def edit_product(
    request: Request,
    product_id: ProductId,
    operator: ConsoleOperatorDep,
    db_session: WriteSessionDep,
    clock: ClockDep,
) -> Response:
    form = await _form(request)
    body, unreadable = product_changes(form)

    def validate() -> ProductPatch:
        return ProductPatch.model_validate(body)

    def work() -> None:
        catalogue.update_product(
            db_session,
            operator,
            product_id,
            validate().model_dump(exclude_unset=True),
            now=clock.now(),
            today=clock.today(),
        )

    return await runner.in_thread(
        _submit,
        request,
        operator,
        db_session,
        product_id,
        form,
        work,
        _refund_fields(form),
        "product",
        unreadable,
        validate,
    )


@router.post("/products/{product_id}/active")
async def set_active(
    request: Request,
    product_id: ProductId,
    operator: ConsoleOperatorDep,
    db_session: WriteSessionDep,
    clock: ClockDep,
) -> Response:
    form = await _form(request)
    active = form.get("active") == "on"

    def work() -> None:
        catalogue.set_active(db_session, operator, product_id, active, now=clock.now())

    return await runner.in_thread(
        _submit,
        request,
        operator,
        db_session,
        product_id,
        form,
        work,
        PRODUCT_FIELDS,
        "reinstated" if active else "retired",
    )


# --- seasons ----------------------------------------------------------------------------


def season_body(form: dict[str, Any], prefix: str) -> tuple[dict[str, Any], dict[str, str]]:
    body: dict[str, Any] = {}
    unreadable: dict[str, str] = {}
    for name in ("name_zh", "name_en", "start_date", "end_date"):
        body[name] = str(form.get(prefix + name, "")).strip()
    for name, nullable in (("nightly_rate_fen", False), ("filed_rate_fen", True)):
        raw = form.get(prefix + name, "")
        forms.read_into(
            body, unreadable, name, raw, forms.fen, nullable=nullable, field=prefix + name
        )
    return body, unreadable


def _season_fields(prefix: str) -> Callable[[str], str | None]:
    names = ("name_zh", "name_en", "start_date", "end_date", "nightly_rate_fen", "filed_rate_fen")
    return forms.mapper({n: prefix + n for n in names})


@router.post("/products/{product_id}/seasons")
async def add_season(
    request: Request,
    product_id: ProductId,
    operator: ConsoleOperatorDep,
    db_session: WriteSessionDep,
    clock: ClockDep,
) -> Response:
    form = await _form(request)
    body, unreadable = season_body(form, "new_")

    def validate() -> SeasonIn:
        return SeasonIn.model_validate(body)

    def work() -> None:
        fields = validate().model_dump()
        operator_seasons.create_season(db_session, operator, product_id, fields, now=clock.now())

    return await runner.in_thread(
        _submit,
        request,
        operator,
        db_session,
        product_id,
        form,
        work,
        _season_fields("new_"),
        "season",
        unreadable,
        validate,
    )


@router.post("/products/{product_id}/seasons/{season_id}")
async def edit_season(
    request: Request,
    product_id: ProductId,
    season_id: SeasonId,
    operator: ConsoleOperatorDep,
    db_session: WriteSessionDep,
    clock: ClockDep,
) -> Response:
    form = await _form(request)
    prefix = f"s{season_id}_"
    remove = form.get("remove") == "on"
    body, unreadable = season_body(form, prefix)
    split: list[int] = []

    def validate() -> SeasonPatch:
        return SeasonPatch.model_validate(body)

    def work() -> None:
        if remove:
            operator_seasons.delete_season(
                db_session, operator, product_id, season_id, now=clock.now()
            )
            return
        fields = validate().model_dump(exclude_unset=True)
        change = operator_seasons.update_season(
            db_session, operator, product_id, season_id, fields, now=clock.now()
        )
        if change.split_from is not None:
            split.append(change.season.id)

    def done() -> dict[str, str]:
        # a change applied from today: say so, and point to the new season
        return {"done": "season_split", "season": str(split[0])} if split else {"done": "season"}

    return await runner.in_thread(
        _submit,
        request,
        operator,
        db_session,
        product_id,
        form,
        work,
        _season_fields(prefix),
        done,
        {} if remove else unreadable,
        None if remove else validate,
    )


@router.post("/products/{product_id}/packs")
async def set_packs(
    request: Request,
    product_id: ProductId,
    operator: ConsoleOperatorDep,
    db_session: WriteSessionDep,
    clock: ClockDep,
) -> Response:
    form = await _form(request)
    unreadable: dict[str, str] = {}
    pack_ids: list[int] = []
    try:
        pack_ids = forms.whole_list(form.get("pack_ids") or [])
    except forms.Unreadable as exc:
        unreadable["pack_ids"] = exc.key

    def work() -> None:
        catalogue.set_product_packs(db_session, operator, product_id, pack_ids, now=clock.now())

    return await runner.in_thread(
        _submit,
        request,
        operator,
        db_session,
        product_id,
        form,
        work,
        forms.mapper({"pack_ids": "pack_ids"}),
        "packs",
        unreadable,
    )


# --- packs ------------------------------------------------------------------------------

PACK_KINDS = ("therapy", "dining", "culture")
PACK_BASES = ("per_stay", "per_guest", "per_night", "per_guest_night", "per_week")


def _packs_page(request, operator, db_session, *, values=None, errors=None, status=200):
    """The packs a page at a time, by the API's pages (``operators.lists.pack_page``),
    and the new pack's form (a refused one shows the first page)."""
    lang = web.page_lang(request)
    shown = lists.listed(
        request,
        "/console/packs",
        lambda _filters, cursor: operator_lists.pack_page(
            db_session,
            operator,
            operator_lists.DestinationFilter(),
            cursor=cursor,
            limit=lists.PAGE_SIZE,
        ),
    )
    destinations = [
        destination_of(db_session, operator, d, "destination_id")
        for d in visible_destination_ids(db_session, operator)
    ]
    names = {d.id: pick(lang, d.name_zh, d.name_en) for d in destinations}
    products = {
        p.id: pick(lang, p.name_zh, p.name_en)
        for p in catalogue.products_in_scope(db_session, operator)
    }
    rows = [
        {
            "id": pack.id,
            "code": pack.code,
            "name": pick(lang, pack.name_zh, pack.name_en),
            "destination": names.get(pack.destination_id, ""),
            "kind": pack.kind,
            "basis": pack.basis,
            "price_fen": pack.price_fen,
            "products": [products.get(i, str(i)) for i in offered],
        }
        for pack, offered in shown.items
    ]
    return session.render(
        request,
        operator,
        "console/packs.html",
        {
            "rows": rows,
            "listed": shown,
            "destinations": [(d.id, names[d.id]) for d in destinations],
            "kinds": PACK_KINDS,
            "bases": PACK_BASES,
            "may_change": operator.can(CATALOGUE),
            "values": values or {},
            "errors": errors or {},
        },
        status_code=status if errors else shown.status,
        title=web.text(request)("pack_title"),
        nav="products",
    )


@router.get("/packs")
@query_params.reads("cursor")
def packs_page(request: Request, operator: ConsoleOperatorDep, db_session: SessionDep) -> Response:
    return _packs_page(request, operator, db_session)


@router.post("/packs")
async def create_pack(
    request: Request,
    operator: ConsoleOperatorDep,
    db_session: WriteSessionDep,
    clock: ClockDep,
) -> Response:
    form = await _form(request)
    return await runner.in_thread(_create_pack, request, operator, db_session, clock, form)


def _create_pack(request, operator, db_session, clock, form) -> Response:
    body: dict[str, Any] = {
        k: str(form.get(k, "")).strip() for k in ("code", "kind", "name_zh", "name_en", "basis")
    }
    body["destination_id"] = _id_or_zero(form.get("destination_id"))
    unreadable: dict[str, str] = {}
    forms.read_into(body, unreadable, "price_fen", form.get("price_fen", ""), forms.fen)
    field_map = forms.mapper({k: k for k in (*body, "price_fen")})

    def validate() -> PackIn:
        return PackIn.model_validate(body)

    def work() -> None:
        pack = validate()
        catalogue.create_pack(
            db_session,
            operator,
            destination_id=pack.destination_id,
            code=pack.code,
            fields=pack.model_dump(exclude={"destination_id", "code"}),
            now=clock.now(),
        )

    errors, status = forms.attempt(
        request,
        db_session,
        work,
        field_map,
        not_found_is_a_page=False,
        unreadable=unreadable,
        validate=validate,
    )
    if errors:
        return _packs_page(request, operator, db_session, values=form, errors=errors, status=status)
    return RedirectResponse("/console/packs?done=pack", status_code=303)
