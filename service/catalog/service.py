"""Use cases of the public catalogue read API: validate, query (catalog.queries), shape.
Destinations, products and routes here; availability and prices by date (the checks,
the availability search, the price calendar) in ``service.catalog.availability``.

Every list is keyset-paginated on the primary key (or on ``(distance_km, id)`` when
sorted by distance): a page reads ``limit + 1`` rows to know whether a next page exists,
and the cursor is the last row's key. What hangs off a page's rows is batch-loaded.
"""

import math
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from sqlmodel import Session

from catalog import queries as q
from catalog import terms as catalog_terms
from catalog.models import AddOnPack, Destination, Product, Season
from catalog.vocab import (
    CERTIFICATION_NAMES,
    PILOT_KIND_NAMES,
    PREFECTURE_NAMES,
    THEME_NAMES,
    UNIT_TYPE_NAMES,
    name_in,
    prefecture_named,
    reads_as_id,
)
from pricing.money import format_yuan
from service.catalog import schemas as out
from service.errors import DomainError, NotFound, Unprocessable, echoed
from service.i18n import Lang, pick
from service.pagination import DISTANCE_KM, ROW_ID, Listing

MAX_RANGE_NIGHTS = 400
_MAX_ID = 2**31 - 1  # ids are 32-bit integers (PostgreSQL `integer`)


# --- input helpers -----------------------------------------------------------------


def parse_key(raw: str) -> int | str:
    """A path or filter value naming a row: all digits = id, otherwise a slug."""
    if reads_as_id(raw) and int(raw) <= _MAX_ID:
        return int(raw)
    return raw


def parse_point(raw: str, field: str = "near") -> tuple[float, float]:
    """``"lat,lon"`` in degrees."""
    parts = raw.split(",")
    try:
        lat, lon = (float(p) for p in parts) if len(parts) == 2 else (math.nan, math.nan)
    except ValueError:
        lat = lon = math.nan
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise Unprocessable(
            f"{field} must be 'lat,lon' in degrees, e.g. 42.4,128.1.",
            zh=f"{field} 应为“纬度,经度”（度），如 42.4,128.1。",
            field=field,
            code="validation_error",
        )
    return lat, lon


def check_range(
    start: date,
    end: date,
    *,
    end_field: str,
    start_field: str,
    most: int = MAX_RANGE_NIGHTS,
    unit: tuple[str, str] = ("nights", "晚"),
) -> int:
    """Days in the half-open [start, end): 422 ``invalid_date_range`` when empty,
    ``range_too_long`` beyond ``most`` (``unit``: what a day is, in English and Chinese)."""
    days = (end - start).days
    if days <= 0:
        raise Unprocessable(
            f"{end_field} must be after {start_field}.",
            zh=f"{end_field} 应晚于 {start_field}。",
            field=end_field,
            code="invalid_date_range",
        )
    if days > most:
        en, zh = unit
        raise Unprocessable(
            f"At most {most} {en} at once; asked {days}.",
            zh=f"一次最多 {most} {zh}；所请求为 {days} {zh}。",
            field=end_field,
            code="range_too_long",
        )
    return days


def _after_distance(cursor: str | None, listing: Listing) -> tuple[float, int] | None:
    key = listing.key(cursor, (DISTANCE_KM, ROW_ID))
    return None if key is None else (float(key[0]), key[1])


def page_of(rows: Sequence[Any], limit: int, key, listing: Listing) -> tuple[list[Any], str | None]:
    """The first ``limit`` of ``rows`` (read ``limit + 1``) and ``listing``'s cursor
    after them (``key(row)``: the last row's sort key), None when there are no more."""
    return list(rows[:limit]), listing.next_of(list(rows), limit, key)


# --- shaping -----------------------------------------------------------------------


def _theme_name(lang: Lang, theme: str) -> str:
    zh, en = THEME_NAMES.get(theme, (theme, theme))
    return pick(lang, zh, en)


def dest_ref(lang: Lang, d: Destination) -> out.DestinationRef:
    return out.DestinationRef(
        id=d.id,
        slug=d.slug,
        name=pick(lang, d.name_zh, d.name_en),
        pilot_kind=d.pilot_kind,
        prefecture=d.prefecture,
        prefecture_name=name_in(PREFECTURE_NAMES, d.prefecture, lang),
    )


def _dest_fields(
    lang: Lang, d: Destination, themes: list[str], corridors: list[str], count: int
) -> dict[str, Any]:
    zh, en = PILOT_KIND_NAMES.get(d.pilot_kind, (d.pilot_kind, d.pilot_kind))
    return {
        "id": d.id,
        "slug": d.slug,
        "name": pick(lang, d.name_zh, d.name_en),
        "name_zh": d.name_zh,
        "name_en": d.name_en,
        "pilot_kind": d.pilot_kind,
        "pilot_kind_name": pick(lang, zh, en),
        "prefecture": d.prefecture,
        "prefecture_name": name_in(PREFECTURE_NAMES, d.prefecture, lang),
        "lat": d.lat,
        "lon": d.lon,
        "themes": themes,
        "theme_names": [_theme_name(lang, t) for t in themes],
        "corridors": corridors,
        "directory_status": d.directory_status,
        "product_count": count,
        "nearest_hospital_km": d.nearest_hospital_km,
    }


def _summaries(
    s: Session, lang: Lang, dests: list[Destination], distances: list[float] | None = None
) -> list[out.DestinationSummary]:
    ids = [d.id for d in dests]
    themes, corridors, counts = (
        q.themes_of(s, ids),
        q.corridors_of(s, ids),
        q.product_counts(s, ids),
    )
    return [
        out.DestinationSummary(
            **_dest_fields(
                lang, d, themes.get(d.id, []), corridors.get(d.id, []), counts.get(d.id, 0)
            ),
            distance_km=None if distances is None else round(distances[i], 3),
        )
        for i, d in enumerate(dests)
    ]


def _product_fields(lang: Lang, p: Product, dest: Destination) -> dict[str, Any]:
    return {
        "id": p.id,
        "slug": p.slug,
        "name": pick(lang, p.name_zh, p.name_en),
        "name_zh": p.name_zh,
        "name_en": p.name_en,
        "theme": p.theme,
        "theme_name": _theme_name(lang, p.theme),
        "unit_type": p.unit_type,
        "unit_type_name": name_in(UNIT_TYPE_NAMES, p.unit_type, lang),
        "base_occupancy": p.base_occupancy,
        "max_occupancy": p.max_occupancy,
        "base_rate_fen": p.base_rate_fen,
        "extra_guest_fee_fen": p.extra_guest_fee_fen,
        "durations": out.Durations(
            min_nights=p.min_nights,
            max_nights=p.max_nights,
            modules=sorted(p.duration_modules or []),
        ),
        "accessibility": out.Accessibility(**{name: getattr(p, name) for name in q.ROOM_FACTS}),
        "destination": dest_ref(lang, dest),
    }


def product_summaries(s: Session, lang: Lang, products: list[Product]) -> list[out.ProductSummary]:
    dests = q.destinations_by_ids(s, (p.destination_id for p in products))
    return [
        out.ProductSummary(**_product_fields(lang, p, dests[p.destination_id])) for p in products
    ]


def _pack(lang: Lang, p: AddOnPack) -> out.PackOut:
    return out.PackOut(
        id=p.id,
        code=p.code,
        kind=p.kind,
        name=pick(lang, p.name_zh, p.name_en),
        description=pick(lang, p.description_zh, p.description_en),
        price_fen=p.price_fen,
        basis=p.basis,
    )


def _season(lang: Lang, x: Season) -> out.SeasonOut:
    return out.SeasonOut(
        name=pick(lang, x.name_zh, x.name_en),
        start_date=x.start_date,
        end_date=x.end_date,
        nightly_rate_fen=x.nightly_rate_fen,
    )


def _refund_tiers(policy: list[dict] | None) -> list[out.RefundTier]:
    return [out.RefundTier(**t) for t in catalog_terms.refund_tiers(policy)]


# --- destinations ------------------------------------------------------------------


def check_certifications(wanted: Sequence[str], published: set[str], field: str) -> None:
    """The one check of wanted certifications (the catalogue's ``certifications`` filter
    and the planner's ``needs.certifications``): each must be one some destination
    publishes, else a 422 ``unknown_certification`` naming it (never a silent empty
    list)."""
    for i, code in enumerate(wanted):
        if code not in published:
            raise Unprocessable(
                f"Unknown certification {code!r}.",
                zh=f"未知的认证 {code!r}。",
                field=f"{field}[{i}]",
                code="unknown_certification",
            )


def _check_needs(s: Session, f: q.DestinationFilter | None) -> None:
    if f is not None and f.certifications:
        check_certifications(f.certifications, q.published_certifications(s), "certifications")


def known_filter(s: Session, f: q.DestinationFilter) -> q.DestinationFilter:
    """``f`` checked by the one rule of the catalogue's filters: a value that names
    nothing known is a 422 naming its parameter, with a code of its own, never an empty
    list (an enum's value is refused by the request model as ``validation_error``):
    ``unknown_certification`` (``check_certifications``), ``unknown_corridor`` (no
    destination lies on it and no route follows it), ``unknown_prefecture``. The
    prefecture is given by its code (``yanbian``), Chinese name or English name
    (``catalog.vocab.prefecture_named``), or as some destination stores it; the filter
    returned holds it as stored."""
    _check_needs(s, f)
    if f.corridor is not None and not q.corridor_known(s, f.corridor):
        raise Unprocessable(
            f"Unknown corridor {echoed(f.corridor)!r}.",
            zh=f"未知的走廊 {echoed(f.corridor)!r}。",
            field="corridor",
            code="unknown_corridor",
        )
    if f.prefecture is None:
        return f
    stored = prefecture_named(f.prefecture)
    if stored is None and q.prefecture_in_use(s, f.prefecture):
        stored = f.prefecture
    if stored is None:
        raise Unprocessable(
            f"Unknown prefecture {echoed(f.prefecture)!r}: give its code (e.g. yanbian), "
            "its Chinese name or its English name.",
            zh=f"未知的市州 {echoed(f.prefecture)!r}：请用代码（如 yanbian）、中文名或英文名。",
            field="prefecture",
            code="unknown_prefecture",
        )
    return replace(f, prefecture=stored)


def list_destinations(
    s: Session,
    lang: Lang,
    f: q.DestinationFilter,
    *,
    near: str | None,
    within_km: float | None,
    cursor: str | None,
    limit: int,
) -> out.DestinationPage:
    f = known_filter(s, f)
    if near is None:
        if within_km is not None:
            raise Unprocessable(
                "A distance needs a point to measure it from: give near as latitude,longitude.",
                zh="按距离筛选须给出起点：请用 near 给出“纬度,经度”。",
                field="within_km",
                code="validation_error",
            )
        listing = Listing("/v1/destinations", f)
        rows = q.list_destinations(s, f, after_id=listing.after_id(cursor), limit=limit + 1)
        page, nxt = page_of(rows, limit, lambda d: [d.id], listing)
        return out.DestinationPage(items=_summaries(s, lang, page), next=nxt)
    lat, lon = parse_point(near)
    listing = Listing("/v1/destinations?near", [f, lat, lon, within_km])
    after = _after_distance(cursor, listing)
    found = q.destinations_near(s, f, lat, lon, within_km=within_km, after=after, limit=limit + 1)
    page, nxt = page_of(found, limit, lambda r: [r.distance_km, r.destination.id], listing)
    items = _summaries(s, lang, [r.destination for r in page], [r.distance_km for r in page])
    return out.DestinationPage(items=items, next=nxt)


def _destination(
    s: Session,
    raw: str,
    field: str = "destination",
    refusal: type[DomainError] = NotFound,
    code: str | None = None,
) -> Destination:
    dest = q.destination_by_key(s, parse_key(raw))
    if dest is None:
        raise refusal(
            f"No destination {echoed(raw)!r}.",
            zh=f"没有目的地 {echoed(raw)!r}。",
            field=field,
            code=code,
        )
    return dest


def _filter_destination(s: Session, raw: str) -> int:
    """The id of the destination the products' ``destination`` filter names (id or
    slug), else 422 ``unknown_destination`` naming it: a filter value that names nothing
    known, as ``known_filter`` refuses the others (the planner's code for it too)."""
    return _destination(s, raw, refusal=Unprocessable, code="unknown_destination").id


def get_destination(s: Session, lang: Lang, key: str) -> out.DestinationDetail:
    d = _destination(s, key, "id_or_slug")
    fields = _dest_fields(
        lang,
        d,
        q.themes_of(s, [d.id]).get(d.id, []),
        q.corridors_of(s, [d.id]).get(d.id, []),
        q.product_counts(s, [d.id]).get(d.id, 0),
    )
    return out.DestinationDetail(
        **fields,
        description=pick(lang, d.description_zh, d.description_en),
        facilities=out.Facilities(
            nearest_hospital_km=d.nearest_hospital_km,
            medical_insurance_station=d.medical_insurance_station,
            cross_province_settlement=d.cross_province_settlement,
            elder_friendly_rooms=d.elder_friendly_rooms,
            has_5g=d.has_5g,
        ),
        certifications=list(d.certifications or []),
        certification_names=[name_in(CERTIFICATION_NAMES, c, lang) for c in d.certifications or []],
        is_real_place=d.is_real_place,
    )


def destination_map(s: Session, lang: Lang, f: q.DestinationFilter) -> out.FeatureCollection:
    """Every destination matching ``f`` as a GeoJSON point (not paginated: a directory
    of hundreds fits one map). Its filters are checked as the list's (``known_filter``)."""
    dests = q.list_destinations(s, known_filter(s, f))
    ids = [d.id for d in dests]
    themes, counts = q.themes_of(s, ids), q.product_counts(s, ids)
    return out.FeatureCollection(
        features=[
            out.MapFeature(
                id=d.id,
                geometry=out.PointGeometry(coordinates=[d.lon, d.lat]),
                properties=out.MapProperties(
                    id=d.id,
                    slug=d.slug,
                    name=pick(lang, d.name_zh, d.name_en),
                    pilot_kind=d.pilot_kind,
                    themes=themes.get(d.id, []),
                    product_count=counts.get(d.id, 0),
                    directory_status=d.directory_status,
                ),
            )
            for d in dests
        ]
    )


# --- products ----------------------------------------------------------------------


def list_products(
    s: Session,
    lang: Lang,
    *,
    destination: str | None,
    theme: str | None,
    pilot_kind: str | None,
    nights: int | None,
    min_rate_fen: int | None,
    max_rate_fen: int | None,
    cursor: str | None,
    limit: int,
    needs: q.DestinationFilter | None = None,
    rooms: tuple[str, ...] = (),
) -> out.ProductPage:
    if min_rate_fen is not None and max_rate_fen is not None and max_rate_fen < min_rate_fen:
        highest, lowest = format_yuan(max_rate_fen), format_yuan(min_rate_fen)
        raise Unprocessable(
            f"The highest base rate ({highest} a night) cannot be below the lowest "
            f"({lowest} a night).",
            zh=f"最高基础房价（每晚 {highest}）不能低于最低基础房价（每晚 {lowest}）。",
            field="max_rate_fen",
            code="invalid_range",
        )
    _check_needs(s, needs)
    dest_id = _filter_destination(s, destination) if destination is not None else None
    f = q.ProductFilter(
        destination_id=dest_id,
        theme=theme,
        pilot_kind=pilot_kind,
        nights=nights,
        min_rate_fen=min_rate_fen,
        max_rate_fen=max_rate_fen,
        needs=needs,
        rooms=rooms,
    )
    listing = Listing("/v1/products", f)
    rows = q.list_products(s, f, after_id=listing.after_id(cursor), limit=limit + 1)
    page, nxt = page_of(rows, limit, lambda p: [p.id], listing)
    return out.ProductPage(items=product_summaries(s, lang, page), next=nxt)


def find_product(s: Session, raw: str) -> Product:
    """The product a ``{id_or_slug}`` path names (active or not), else 404 ``id_or_slug``:
    the one resolver of every ``/v1/products/{id_or_slug}...`` path."""
    p = q.product_by_key(s, parse_key(raw))
    if p is None:
        raise NotFound(
            f"No product {echoed(raw)!r}.", zh=f"没有产品 {echoed(raw)!r}。", field="id_or_slug"
        )
    return p


def get_product(s: Session, lang: Lang, key: str) -> out.ProductDetail:
    p = find_product(s, key)
    dest = s.get(Destination, p.destination_id)
    return out.ProductDetail(
        **_product_fields(lang, p, dest),
        description=pick(lang, p.description_zh, p.description_en),
        max_discount_bps=p.max_discount_bps,
        sold_from=p.sold_from,
        sold_until=p.sold_until,
        is_active=p.is_active,
        packs=[_pack(lang, x) for x in q.packs_of(s, [p.id]).get(p.id, [])],
        seasons=[_season(lang, x) for x in q.seasons_of(s, [p.id]).get(p.id, [])],
        refund_policy=_refund_tiers(p.refund_policy),
    )


# --- curated routes --------------------------------------------------------------------


def _route(s: Session, lang: Lang, r: q.RouteWithStops) -> out.RouteOut:
    dests = q.destinations_by_ids(s, (stop.destination_id for stop in r.stops))
    return out.RouteOut(
        id=r.route.id,
        slug=r.route.slug,
        name=pick(lang, r.route.name_zh, r.route.name_en),
        name_zh=r.route.name_zh,
        name_en=r.route.name_en,
        description=pick(lang, r.route.description_zh, r.route.description_en),
        corridor=r.route.corridor,
        suggested_nights=sum(stop.suggested_nights for stop in r.stops),
        stops=[
            out.RouteStopOut(
                seq=stop.seq,
                destination=dest_ref(lang, dests[stop.destination_id]),
                suggested_nights=stop.suggested_nights,
            )
            for stop in r.stops
        ],
    )


def list_routes(s: Session, lang: Lang, *, cursor: str | None, limit: int) -> out.RoutePage:
    listing = Listing("/v1/routes")
    rows = q.list_routes(s, after_id=listing.after_id(cursor), limit=limit + 1)
    page, nxt = page_of(rows, limit, lambda r: [r.route.id], listing)
    return out.RoutePage(items=[_route(s, lang, r) for r in page], next=nxt)


def get_route(s: Session, lang: Lang, key: str) -> out.RouteOut:
    found = q.route_by_key(s, parse_key(key))
    if found is None:
        raise NotFound(f"No route {key!r}.", zh=f"没有线路 {key!r}。", field="id_or_slug")
    return _route(s, lang, found)
