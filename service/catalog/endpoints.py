"""The public catalogue read API under /v1: HTTP only (parse, call one service
function, return under ``response_model``). Text is localized by ``Accept-Language``."""

from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlmodel import Session

from catalog.queries import DestinationFilter
from catalog.vocab import PREFECTURE_CODES, PilotKind, Theme
from service.auth import KEY_CHECKED, CallerDep
from service.catalog import availability as availability_service
from service.catalog import deals, service
from service.catalog import schemas as out
from service.catalog.responses import respond
from service.deps import ClockDep, SessionDep
from service.errors import problems
from service.i18n import Lang, LangDep
from service.pagination import Cursor
from service.text import IsoDate, Text, text_up_to

Limit = Annotated[int, Query(ge=1, le=100, description="Page size (at most 100)")]
IdOrSlug = Annotated[Text, Path(max_length=200, description="Numeric id or slug")]
ThemeQ = Annotated[Theme | None, Query(description="Theme code")]
PilotKindQ = Annotated[PilotKind | None, Query(description="Pilot-unit kind")]
PrefectureQ = Annotated[
    text_up_to(40) | None,
    Query(
        description="Prefecture: its code ("
        + ", ".join(f"`{c}`" for c in PREFECTURE_CODES.values())
        + "), its Chinese name (`延边朝鲜族自治州`) or its English name (`Yanbian Korean "
        "Autonomous Prefecture`), in any case; one that names no prefecture is 422 "
        "`unknown_prefecture`"
    ),
]
CorridorQ = Annotated[
    text_up_to(40) | None,
    Query(
        description="Corridor code, e.g. `changbai`; one no destination lies on and no "
        "route follows is 422 `unknown_corridor`"
    ),
]
From = Annotated[IsoDate, Query(alias="from", description="First night (inclusive), YYYY-MM-DD")]
To = Annotated[
    IsoDate,
    Query(
        description="Night after the last one (exclusive): the nights are [from, to), as a "
        "stay's are [check_in, check_out)"
    ),
]


def _need_filters(
    hospital_within_km: Annotated[
        float | None, Query(gt=0, le=500, description="Nearest hospital at most this far (km)")
    ] = None,
    medical_insurance_station: Annotated[
        bool, Query(description="true: a medical-insurance station (医保服务站) on hand")
    ] = False,
    cross_province_settlement: Annotated[
        bool, Query(description="true: 异地就医直接结算 (out-of-province bills settled)")
    ] = False,
    elder_friendly_rooms: Annotated[bool, Query(description="true: 适老化 rooms")] = False,
    certifications: Annotated[
        list[Annotated[Text, Query(max_length=60)]] | None,
        Query(max_length=10, description="Certification codes, all of them (repeatable)"),
    ] = None,
) -> dict:
    """The trip planner's destination needs, as query filters (false = not filtered)."""
    return {
        "hospital_within_km": hospital_within_km,
        "medical_insurance_station": medical_insurance_station,
        "cross_province_settlement": cross_province_settlement,
        "elder_friendly_rooms": elder_friendly_rooms,
        "certifications": tuple(certifications or ()),
    }


def _room_filters(
    step_free: Annotated[bool, Query(description="true: step-free access to the room")] = False,
    lift: Annotated[bool, Query(description="true: a lift")] = False,
    grab_bars: Annotated[bool, Query(description="true: grab bars")] = False,
    twin_beds: Annotated[bool, Query(description="true: twin beds")] = False,
    accessible_bathroom: Annotated[
        bool, Query(description="true: a wheelchair-accessible bathroom")
    ] = False,
) -> tuple[str, ...]:
    wanted = {
        "step_free": step_free,
        "lift": lift,
        "grab_bars": grab_bars,
        "twin_beds": twin_beds,
        "accessible_bathroom": accessible_bathroom,
    }
    return tuple(name for name, on in wanted.items() if on)


NeedFilters = Annotated[dict, Depends(_need_filters)]
RoomFilters = Annotated[tuple[str, ...], Depends(_room_filters)]


def _destination_filter(
    theme: Theme | None,
    pilot_kind: PilotKind | None,
    prefecture: str | None,
    corridor: str | None,
    needs: dict,
) -> DestinationFilter:
    """The destinations list's filters, which the map takes too (the same rows): part of
    the key of the response kept under the catalogue version (``respond``), so made
    without a session; ``on`` gives it the database's dialect."""
    return DestinationFilter(
        theme=theme and theme.value,
        pilot_kind=pilot_kind and pilot_kind.value,
        prefecture=prefecture,
        corridor=corridor,
        **needs,
    )


def on(session: Session, f: DestinationFilter) -> DestinationFilter:
    """``f`` for the database ``session`` reads (the need filters' SQL depends on it:
    JSON containment)."""
    return replace(f, dialect=session.get_bind().dialect.name)


class GeoJSONResponse(JSONResponse):
    media_type = "application/geo+json"


destinations = APIRouter(prefix="/v1", tags=["destinations"], dependencies=KEY_CHECKED)
products = APIRouter(prefix="/v1", tags=["products"], dependencies=KEY_CHECKED)
availability = APIRouter(prefix="/v1", tags=["availability"], dependencies=KEY_CHECKED)
resource_map = APIRouter(prefix="/v1", tags=["map"], dependencies=KEY_CHECKED)
transit = APIRouter(prefix="/v1", tags=["transit"], dependencies=KEY_CHECKED)
discounts = APIRouter(prefix="/v1", tags=["discounts"], dependencies=KEY_CHECKED)
routes = APIRouter(prefix="/v1", tags=["routes"], dependencies=KEY_CHECKED)


def _one(
    request: Request,
    lang: Lang,
    id_or_slug: str,
    model: type[BaseModel],
    read: Callable[[Session, Lang, str], BaseModel],
) -> Awaitable[Response]:
    """One catalogue row by id or slug (a product, a destination), kept under the
    catalogue version with its ``ETag`` (``respond``)."""
    return respond(
        request,
        lang,
        (model.__name__, id_or_slug),
        model,
        lambda session: read(session, lang, id_or_slug),
    )


_CONDITIONAL = {
    200: {
        "headers": {
            "ETag": {
                "description": "Changes whenever the catalogue does: send it back in "
                "`If-None-Match` to get a 304 while it holds",
                "schema": {"type": "string"},
            }
        }
    },
    304: {"description": "Not modified: the `ETag` in `If-None-Match` is still current"},
}


@destinations.get(
    "/destinations",
    response_model=out.DestinationPage,
    responses={**_CONDITIONAL, **problems(422)},
    summary="List destinations (pilot units), filtered, by id or by distance",
    description="Filters: `theme`, `pilot_kind`, `prefecture`, `corridor`, `near` + "
    "`within_km`, and the trip planner's needs: `hospital_within_km`, "
    "`medical_insurance_station`, `cross_province_settlement`, `elder_friendly_rooms` "
    "(`true` keeps only destinations that have it) and `certifications` (repeat the "
    "parameter; all of them).",
)
async def list_destinations(
    request: Request,
    lang: LangDep,
    theme: ThemeQ = None,
    pilot_kind: PilotKindQ = None,
    prefecture: PrefectureQ = None,
    corridor: CorridorQ = None,
    near: Annotated[
        Text | None,
        Query(
            max_length=60,
            description="`lat,lon`: sort by distance from this point",
            examples=["42.4,128.1"],
        ),
    ] = None,
    within_km: Annotated[
        float | None,
        Query(gt=0, le=5000, description="With `near`: only destinations within this distance"),
    ] = None,
    needs: NeedFilters = None,  # type: ignore[assignment]
    cursor: Cursor = None,
    limit: Limit = 20,
) -> Response:
    f = _destination_filter(theme, pilot_kind, prefecture, corridor, needs)
    return await respond(
        request,
        lang,
        ("destinations", f, near, within_km, cursor, limit),
        out.DestinationPage,
        lambda session: service.list_destinations(
            session,
            lang,
            on(session, f),
            near=near,
            within_km=within_km,
            cursor=cursor,
            limit=limit,
        ),
    )


@destinations.get(
    "/destinations/{id_or_slug}",
    response_model=out.DestinationDetail,
    responses={**_CONDITIONAL, **problems(404, 422)},
    summary="One destination with facilities and product count",
)
async def get_destination(request: Request, lang: LangDep, id_or_slug: IdOrSlug) -> Response:
    return await _one(request, lang, id_or_slug, out.DestinationDetail, service.get_destination)


@products.get(
    "/products",
    response_model=out.ProductPage,
    responses={**_CONDITIONAL, **problems(422)},
    summary="List products on sale, filtered",
    description="Filters: `destination`, `theme`, `pilot_kind`, `nights`, rates, the "
    "destination needs of the trip planner (`hospital_within_km`, "
    "`medical_insurance_station`, `cross_province_settlement`, `elder_friendly_rooms`, "
    "`certifications`) and the room facts (`step_free`, `lift`, `grab_bars`, `twin_beds`, "
    "`accessible_bathroom`; `true` keeps only products that have it).",
)
async def list_products(
    request: Request,
    lang: LangDep,
    destination: Annotated[
        text_up_to(200) | None,
        Query(description="Destination id or slug (422 `unknown_destination` if unknown)"),
    ] = None,
    theme: ThemeQ = None,
    pilot_kind: PilotKindQ = None,
    nights: Annotated[
        int | None,
        Query(ge=1, le=400, description="Only products that sell stays of this many nights"),
    ] = None,
    min_rate_fen: Annotated[
        int | None, Query(ge=0, le=2**31 - 1, description="Base nightly rate at least")
    ] = None,
    max_rate_fen: Annotated[
        int | None, Query(ge=0, le=2**31 - 1, description="Base nightly rate at most")
    ] = None,
    needs: NeedFilters = None,  # type: ignore[assignment]
    rooms: RoomFilters = (),
    cursor: Cursor = None,
    limit: Limit = 20,
) -> Response:
    filters = dict(
        destination=destination,
        theme=theme and theme.value,
        pilot_kind=pilot_kind and pilot_kind.value,
        nights=nights,
        min_rate_fen=min_rate_fen,
        max_rate_fen=max_rate_fen,
        needs=DestinationFilter(**needs),
        rooms=rooms,
        cursor=cursor,
        limit=limit,
    )

    def build(session):
        return service.list_products(
            session, lang, **{**filters, "needs": on(session, filters["needs"])}
        )

    return await respond(request, lang, ("products", *filters.items()), out.ProductPage, build)


@products.get(
    "/products/{id_or_slug}",
    response_model=out.ProductDetail,
    responses={**_CONDITIONAL, **problems(404, 422)},
    summary="One product with packs, seasons, durations and refund policy",
)
async def get_product(request: Request, lang: LangDep, id_or_slug: IdOrSlug) -> Response:
    return await _one(request, lang, id_or_slug, out.ProductDetail, service.get_product)


@availability.get(
    "/products/{id_or_slug}/availability",
    response_model=out.AvailabilityCalendar,
    responses=problems(404, 422),
    summary="Units left per night over [from, to) (at most 400 nights)",
)
def product_availability(
    session: SessionDep,
    id_or_slug: IdOrSlug,
    date_from: From,
    to: To,
) -> out.AvailabilityCalendar:
    return availability_service.availability_calendar(session, id_or_slug, date_from, to)


@availability.get(
    "/products/{id_or_slug}/availability/check",
    response_model=out.AvailabilityCheck,
    responses=problems(404, 422),
    summary="Can this stay be booked? With the reason when not",
)
def check_availability(
    session: SessionDep,
    clock: ClockDep,
    id_or_slug: IdOrSlug,
    check_in: Annotated[IsoDate, Query(description="First night (inclusive), YYYY-MM-DD")],
    check_out: Annotated[
        IsoDate,
        Query(description="Departure day (exclusive: not a night of the stay), YYYY-MM-DD"),
    ],
    units: Annotated[int, Query(ge=1, le=1000, description="Rooms or beds")] = 1,
) -> out.AvailabilityCheck:
    return availability_service.check_availability(
        session, clock.today(), id_or_slug, check_in, check_out, units
    )


@availability.get(
    "/availability",
    response_model=out.ThemeAvailabilityPage,
    responses=problems(422),
    summary="Availability search: fewest units left over [from, to) for a theme's products",
)
def search_availability(
    session: SessionDep,
    lang: LangDep,
    clock: ClockDep,
    theme: Annotated[Theme, Query(description="Theme code")],
    date_from: From,
    to: To,
    units: Annotated[int, Query(ge=1, le=1000, description="Units wanted")] = 1,
    bookable_only: Annotated[
        bool, Query(description="Only products with at least `units` left on every night")
    ] = False,
    cursor: Cursor = None,
    limit: Limit = 20,
) -> out.ThemeAvailabilityPage:
    return availability_service.theme_availability(
        session,
        lang,
        clock.today(),
        theme=theme,
        start=date_from,
        end=to,
        units=units,
        bookable_only=bookable_only,
        cursor=cursor,
        limit=limit,
    )


@resource_map.get(
    "/map/destinations",
    response_model=out.FeatureCollection,
    response_class=GeoJSONResponse,
    responses={**_CONDITIONAL, **problems(422)},
    summary="The resource map (资源地图): destinations as a GeoJSON FeatureCollection",
    description="Every destination `GET /v1/destinations` lists under the same filters "
    "(not paginated): `theme`, `pilot_kind`, `prefecture`, `corridor` and the trip "
    "planner's needs, `hospital_within_km`, `medical_insurance_station`, "
    "`cross_province_settlement`, `elder_friendly_rooms` (`true` keeps only destinations "
    "that have it) and `certifications` (repeat the parameter; all of them), as the "
    "destinations page draws its map.",
)
async def destination_map(
    request: Request,
    lang: LangDep,
    theme: ThemeQ = None,
    pilot_kind: PilotKindQ = None,
    prefecture: PrefectureQ = None,
    corridor: CorridorQ = None,
    needs: NeedFilters = None,  # type: ignore[assignment]
) -> Response:
    f = _destination_filter(theme, pilot_kind, prefecture, corridor, needs)
    return await respond(
        request,
        lang,
        ("map", f),
        out.FeatureCollection,
        lambda session: service.destination_map(session, lang, on(session, f)),
        media_type=GeoJSONResponse.media_type,
    )


@transit.get(
    "/transit-lines",
    response_model=out.TransitLinePage,
    responses=problems(422),
    summary="Transit lines with their stops in order and fares",
)
def list_transit_lines(
    session: SessionDep, lang: LangDep, cursor: Cursor = None, limit: Limit = 20
) -> out.TransitLinePage:
    return deals.list_transit_lines(session, lang, cursor=cursor, limit=limit)


@transit.get(
    "/stub-deals",
    response_model=out.StubDealPage,
    responses=problems(422),
    summary="Ticket-stub deals (票根联动优惠): issuer, what they discount, validity",
)
def list_stub_deals(
    session: SessionDep, lang: LangDep, cursor: Cursor = None, limit: Limit = 20
) -> out.StubDealPage:
    return deals.list_stub_deals(session, lang, cursor=cursor, limit=limit)


@discounts.get(
    "/discount-rules",
    response_model=out.DiscountRulePage,
    responses=problems(422),
    summary="Published discount rules (明码标价): current terms of every active rule",
)
def list_discount_rules(
    session: SessionDep,
    lang: LangDep,
    kind: Annotated[out.RuleKind | None, Query(description="Rule kind")] = None,
    cursor: Cursor = None,
    limit: Limit = 20,
) -> out.DiscountRulePage:
    return deals.list_discount_rules(session, lang, kind=kind, cursor=cursor, limit=limit)


@availability.get(
    "/products/{id_or_slug}/price-calendar",
    response_model=out.PriceCalendar,
    responses=problems(404, 422),
    summary="Price calendar: the total the engine would quote per check-in date",
    description="For each check-in date of [from, to) (at most 366), the total that "
    "`POST /v1/quotes` would give for `nights` nights with `guests` and `units` (one item, "
    "no packs, legs or stubs; today's rules; the caller's channel) and whether the stay "
    "is bookable (the same check as `/availability/check`). More `units` than `guests` is "
    "422 `more_rooms_than_guests` naming `units` (each room or bed needs a guest, as in a "
    "quote). A party too large for `units` "
    "is 422 `too_many_guests` naming `guests`, said after the units as the quote says "
    "them: where no check-in date's stay has `units` in all, 422 `too_many_units` naming "
    "`units`, with `limit` (the most a stay of its dates can book). A stay of the last "
    "check-in that would check out after 2100-12-31 is 422 `validation_error` on "
    "`nights`, as `POST /v1/quotes` refuses that check-out.",
)
def price_calendar(
    session: SessionDep,
    clock: ClockDep,
    caller: CallerDep,
    id_or_slug: IdOrSlug,
    date_from: Annotated[
        IsoDate, Query(alias="from", description="First check-in date (inclusive)")
    ],
    to: Annotated[
        IsoDate, Query(description="Day after the last check-in date (exclusive): [from, to)")
    ],
    nights: Annotated[int, Query(ge=1, le=400, description="Nights of each stay")],
    guests: Annotated[int, Query(ge=1, le=200)] = 2,
    units: Annotated[int, Query(ge=1, le=50)] = 1,
) -> out.PriceCalendar:
    return availability_service.price_calendar(
        session, clock.today(), caller.channel, id_or_slug, date_from, to, nights, guests, units
    )


@routes.get(
    "/routes",
    response_model=out.RoutePage,
    responses=problems(422),
    summary="Curated routes (精品线路): destinations in order with suggested nights",
)
def list_routes(
    session: SessionDep, lang: LangDep, cursor: Cursor = None, limit: Limit = 20
) -> out.RoutePage:
    return service.list_routes(session, lang, cursor=cursor, limit=limit)


@routes.get(
    "/routes/{id_or_slug}",
    response_model=out.RouteOut,
    responses=problems(404, 422),
    summary="One curated route (pass its id or slug as `route` to POST /v1/plans)",
)
def get_route(session: SessionDep, lang: LangDep, id_or_slug: IdOrSlug) -> out.RouteOut:
    return service.get_route(session, lang, id_or_slug)


routers: list[APIRouter] = [
    destinations,
    products,
    availability,
    resource_map,
    transit,
    discounts,
    routes,
]
