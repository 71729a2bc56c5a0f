"""HTTP of the admin API's catalogue: destination facts, products, seasons with their
filed prices (备案价), add-on packs and which products offer them (``/v1/admin/…``).

Scoped exactly as ``service.operators.endpoints`` (through ``service.operators.scope``);
the rules are in ``service.operators.catalogue`` and ``service.operators.seasons``, which
the console's pages call too.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Response

from service.deps import ClockDep, SessionDep, WriteSessionDep
from service.errors import problems
from service.i18n import LangDep, pick
from service.operators import catalogue, catalogue_schemas, lists, schemas, seasons
from service.operators.auth import OperatorDep
from service.operators.endpoints import Cursor, Limit, _destination, product_view, season_view

router = APIRouter(prefix="/v1/admin", tags=["admin"])

DestinationId = Annotated[int, Path(ge=1, le=2**31 - 1)]
ProductId = Annotated[int, Path(ge=1, le=2**31 - 1)]
SeasonId = Annotated[int, Path(ge=1, le=2**31 - 1)]
PackId = Annotated[int, Path(ge=1, le=2**31 - 1)]

_WHO = (
    "Needs the `catalogue` permission (operator admin) within your destinations (403 "
    "`forbidden_role` otherwise, before the state or the body is looked at); anything "
    "outside them is 404, as an unknown id. Every change is in the audit log."
)


@router.patch(
    "/destinations/{destination_id}",
    response_model=schemas.AdminDestination,
    summary="Change a destination's facts: descriptions, facilities, certifications",
    description=_WHO + " Only the fields sent change. 422 `invalid_certification`.",
    responses=problems(401, 403, 404, 422, 429),
)
def update_destination(
    destination_id: DestinationId,
    body: catalogue_schemas.DestinationFactsIn,
    operator: OperatorDep,
    session: WriteSessionDep,
    clock: ClockDep,
    lang: LangDep,
) -> Any:
    row = catalogue.update_destination(
        session, operator, destination_id, body.model_dump(exclude_unset=True), now=clock.now()
    )
    return _destination(row, lang)


@router.post(
    "/products",
    status_code=201,
    response_model=schemas.AdminProduct,
    summary="Create a product",
    description=_WHO
    + " Checked as the pricing engine checks a product (422 `invalid_product` naming the "
    "field; a `sold_until` before `sold_from` is 422 `invalid_range` naming `sold_until`, "
    "as every inclusive range), the refund policy's tiers (422 `invalid_refund_policy`), "
    "and the base rate against the filed price (422 `above_filed_price`). 409 `slug_taken`.",
    responses=problems(401, 403, 404, 409, 422, 429),
)
def create_product(
    body: catalogue_schemas.ProductIn,
    operator: OperatorDep,
    session: WriteSessionDep,
    clock: ClockDep,
    lang: LangDep,
) -> Any:
    fields = body.model_dump(exclude={"destination_id", "slug"})
    product = catalogue.create_product(
        session,
        operator,
        destination_id=body.destination_id,
        slug=body.slug,
        fields=fields,
        now=clock.now(),
    )
    return product_view(session, product, lang)


@router.patch(
    "/products/{product_id}",
    response_model=schemas.AdminProduct,
    summary="Edit a product: names, durations, occupancy, rates, filed price, refund policy",
    description=_WHO
    + " Only the fields sent change; the whole product is checked again. A filed price "
    "(`filed_rate_fen`) below a calendar override already published is 422 "
    "`above_filed_price`. A change of the base rate is kept in the public rate history.",
    responses=problems(401, 403, 404, 422, 429),
)
def update_product(
    product_id: ProductId,
    body: catalogue_schemas.ProductPatch,
    operator: OperatorDep,
    session: WriteSessionDep,
    clock: ClockDep,
    lang: LangDep,
) -> Any:
    product = catalogue.update_product(
        session,
        operator,
        product_id,
        body.model_dump(exclude_unset=True),
        now=clock.now(),
        today=clock.today(),
    )
    return product_view(session, product, lang)


@router.post(
    "/products/{product_id}/retire",
    response_model=schemas.AdminProduct,
    summary="Retire a product (no longer sold; its bookings stay)",
    description=_WHO,
    responses=problems(401, 403, 404, 429),
)
def retire_product(
    product_id: ProductId,
    operator: OperatorDep,
    session: WriteSessionDep,
    clock: ClockDep,
    lang: LangDep,
) -> Any:
    product = catalogue.set_active(session, operator, product_id, False, now=clock.now())
    return product_view(session, product, lang)


@router.post(
    "/products/{product_id}/reinstate",
    response_model=schemas.AdminProduct,
    summary="Put a retired product back on sale",
    description=_WHO,
    responses=problems(401, 403, 404, 429),
)
def reinstate_product(
    product_id: ProductId,
    operator: OperatorDep,
    session: WriteSessionDep,
    clock: ClockDep,
    lang: LangDep,
) -> Any:
    product = catalogue.set_active(session, operator, product_id, True, now=clock.now())
    return product_view(session, product, lang)


_SEASON_DOC = (
    " Seasons of a product may not overlap (409 `season_overlap` naming the date that "
    "overlaps: the one date sent, else `start_date` when it falls in the other season's "
    "nights and `end_date` when the season runs into them; with the other season's "
    "`season_id`, `name_zh`, `name_en`, `start_date` and `end_date`); "
    "`end_date` is the first night after the season (422 "
    "`invalid_date_range` otherwise). The nightly rate may not exceed the season's filed price "
    "(备案价, 422 `above_filed_price` naming `nightly_rate_fen`), nor may a filed price go "
    "below a calendar override in its nights (naming `filed_rate_fen`). Rate changes are "
    "kept in the public rate history. Past dates (today: Asia/Shanghai): a new or moved "
    "`start_date` before today is 422 `nights_in_past` naming it, with `first_day` (that "
    "date) and `today`."
)
_PAST_NIGHTS_DOC = (
    " No change alters the price of a night before today. An ended season (its last night "
    "before today) is not changed: 409 `season_ended` naming the first field that would "
    "change. A running season (begun before today) keeps its first night (a changed "
    "`start_date` is 422 `nights_in_past`) and may end today or later (an `end_date` before "
    "today is 422 `nights_in_past`), both with `season_id`, `today` and `first_night` (the "
    "first night whose price the change would alter, before today); a change of its "
    "`nightly_rate_fen` or `filed_rate_fen` "
    "applies from today: the season ends with the night before today and a new season of "
    "the same names runs from today with the new terms, in one transaction (with an "
    "`end_date` of today they have no night: 422 `nights_in_past` naming the rate, with "
    "`season_id`, `today` and `last_day`, the season's last night). The answer is "
    "then that new season (`split_from` names the one you changed; `Content-Location` is "
    "the new season's address). Fields sent unchanged are no change."
)


@router.post(
    "/products/{product_id}/seasons",
    status_code=201,
    response_model=schemas.AdminSeason,
    summary="Add a season with its nightly rate and filed price",
    description=_WHO + _SEASON_DOC,
    responses=problems(401, 403, 404, 409, 422, 429),
)
def create_season(
    product_id: ProductId,
    body: catalogue_schemas.SeasonIn,
    operator: OperatorDep,
    session: WriteSessionDep,
    clock: ClockDep,
    lang: LangDep,
) -> Any:
    season = seasons.create_season(
        session, operator, product_id, body.model_dump(), now=clock.now()
    )
    return season_view(season, lang)


@router.patch(
    "/products/{product_id}/seasons/{season_id}",
    response_model=schemas.AdminSeasonChange,
    summary="Change a season: its nights, rate or filed price (备案价), from today on",
    description=_WHO + " Only the fields sent change." + _SEASON_DOC + _PAST_NIGHTS_DOC,
    responses=problems(401, 403, 404, 409, 422, 429),
)
def update_season(
    product_id: ProductId,
    season_id: SeasonId,
    body: catalogue_schemas.SeasonPatch,
    operator: OperatorDep,
    session: WriteSessionDep,
    clock: ClockDep,
    lang: LangDep,
    response: Response,
) -> Any:
    change = seasons.update_season(
        session,
        operator,
        product_id,
        season_id,
        body.model_dump(exclude_unset=True),
        now=clock.now(),
    )
    season, old = change.season, change.split_from
    split = None
    if old is not None:
        response.headers["Content-Location"] = (
            f"/v1/admin/products/{product_id}/seasons/{season.id}"
        )
        split = schemas.SeasonSplit(
            season_id=old.id,
            start_date=old.start_date.isoformat(),
            end_date=old.end_date.isoformat(),
            detail=pick(lang, *change.said()),
        )
    return schemas.AdminSeasonChange(**season_view(season, lang).model_dump(), split_from=split)


@router.delete(
    "/products/{product_id}/seasons/{season_id}",
    status_code=204,
    summary="Remove an upcoming season (its nights go back to the base rate)",
    description=_WHO
    + " Only a season that has not begun: one that began before today (Asia/Shanghai) is "
    "409 `season_started` (its nights before today keep their rate: end it today with "
    '`PATCH … {"end_date": today}` instead), an ended one 409 `season_ended`, both naming '
    "`season_id`. 422 `above_filed_price` while a calendar override in its nights is above "
    "the product's filed price.",
    responses=problems(401, 403, 404, 409, 422, 429),
)
def delete_season(
    product_id: ProductId,
    season_id: SeasonId,
    operator: OperatorDep,
    session: WriteSessionDep,
    clock: ClockDep,
) -> None:
    seasons.delete_season(session, operator, product_id, season_id, now=clock.now())


def _pack(p, product_ids: list[int], lang) -> catalogue_schemas.AdminPack:
    return catalogue_schemas.AdminPack(
        id=p.id,
        code=p.code,
        destination_id=p.destination_id,
        kind=p.kind,
        name=pick(lang, p.name_zh, p.name_en),
        name_zh=p.name_zh,
        name_en=p.name_en,
        description_zh=p.description_zh,
        description_en=p.description_en,
        price_fen=p.price_fen,
        basis=p.basis,
        product_ids=product_ids,
    )


@router.get(
    "/packs",
    response_model=catalogue_schemas.AdminPackPage,
    summary="Add-on packs of your destinations, with the products that offer each",
    responses=problems(401, 404, 422, 429),
)
def list_packs(
    operator: OperatorDep,
    session: SessionDep,
    lang: LangDep,
    destination_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
    cursor: Cursor = None,
    limit: Limit = 20,
) -> Any:
    filters = lists.DestinationFilter(destination_id=destination_id)
    page = lists.pack_page(session, operator, filters, cursor=cursor, limit=limit)
    return catalogue_schemas.AdminPackPage(
        items=[_pack(p, ids, lang) for p, ids in page.items], next=page.next
    )


@router.post(
    "/packs",
    status_code=201,
    response_model=catalogue_schemas.AdminPack,
    summary="Create an add-on pack at one of your destinations",
    description=_WHO + " 409 `pack_code_taken`.",
    responses=problems(401, 403, 404, 409, 422, 429),
)
def create_pack(
    body: catalogue_schemas.PackIn,
    operator: OperatorDep,
    session: WriteSessionDep,
    clock: ClockDep,
    lang: LangDep,
) -> Any:
    pack = catalogue.create_pack(
        session,
        operator,
        destination_id=body.destination_id,
        code=body.code,
        fields=body.model_dump(exclude={"destination_id", "code"}),
        now=clock.now(),
    )
    return _pack(pack, [], lang)


@router.patch(
    "/packs/{pack_id}",
    response_model=catalogue_schemas.AdminPack,
    summary="Change an add-on pack: names, price, basis",
    description=_WHO + " Only the fields sent change; a stored quote keeps its price.",
    responses=problems(401, 403, 404, 422, 429),
)
def update_pack(
    pack_id: PackId,
    body: catalogue_schemas.PackPatch,
    operator: OperatorDep,
    session: WriteSessionDep,
    clock: ClockDep,
    lang: LangDep,
) -> Any:
    pack = catalogue.update_pack(
        session, operator, pack_id, body.model_dump(exclude_unset=True), now=clock.now()
    )
    return _pack(pack, catalogue.products_offering(session, pack.id), lang)


@router.put(
    "/products/{product_id}/packs",
    response_model=schemas.AdminProduct,
    summary="Choose the add-on packs a product offers",
    description=_WHO
    + " The packs replace the product's current ones; each must be of the product's own "
    "destination (422 `pack_not_at_destination` naming `pack_ids[i]`).",
    responses=problems(401, 403, 404, 422, 429),
)
def set_product_packs(
    product_id: ProductId,
    body: catalogue_schemas.ProductPacksIn,
    operator: OperatorDep,
    session: WriteSessionDep,
    clock: ClockDep,
    lang: LangDep,
) -> Any:
    catalogue.set_product_packs(session, operator, product_id, body.pack_ids, now=clock.now())
    product = catalogue.product_of(session, operator, product_id, "product_id")
    return product_view(session, product, lang)
