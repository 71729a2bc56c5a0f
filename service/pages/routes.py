"""The catalogue pages: home, destinations (list, need filters, map), one destination,
one product with its quote form. HTTP only, like the API's endpoints: parse, call the
same service functions, render a template (``web.render``). Not in the OpenAPI document.
"""

from collections.abc import Mapping
from dataclasses import replace
from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from catalog import queries
from catalog.queries import DestinationFilter
from catalog.vocab import CERTIFICATION_NAMES, PILOT_KIND_NAMES, THEME_NAMES, Theme
from service.auth import ANONYMOUS
from service.catalog import responses
from service.catalog import service as catalog
from service.catalog.service import parse_key
from service.errors import DomainError
from service.i18n import Lang, pick
from service.lru import MISSING
from service.pages import messages, svgmap, web

router = APIRouter(route_class=web.PageRoute, include_in_schema=False)

HOSPITAL_CHOICES_KM = (5, 10, 20, 50)
LIST_LIMIT = 100
DEFAULT_NIGHTS = 14
CALENDAR_DAYS = 28
REASONS = ("check_in_in_past", "not_on_sale", "duration_not_allowed", "sold_out")


def named(lang: Lang, names: dict[str, tuple[str, str]]) -> list[dict[str, str]]:
    return [{"code": code, "name": pick(lang, zh, en)} for code, (zh, en) in names.items()]


def cert_name(lang: Lang, code: str) -> str:
    zh, en = CERTIFICATION_NAMES.get(code, (code, code))
    return pick(lang, zh, en)


@router.get("/")
async def home(request: Request) -> Response:
    def build(session: Session, lang: Lang, today: date) -> dict[str, Any]:
        start = today + timedelta(days=60)
        return {
            "nav": "home",
            "themes": named(lang, THEME_NAMES),
            "routes": catalog.list_routes(session, lang, cursor=None, limit=20).items,
            "values": {
                "start": start.isoformat(),
                "end": (start + timedelta(days=49)).isoformat(),
                "guests": "2",
            },
        }

    return await web.cached_page(request, "home.html", build)


@router.get("/lang/{choice}")
def switch_language(
    choice: Lang, next_path: Annotated[str | None, Query(alias="next", max_length=2000)] = None
) -> Response:
    """Keep the chosen language in a cookie (a year) and go back where the link was."""
    response = RedirectResponse(web.safe_next(next_path), status_code=303)
    response.set_cookie(
        web.LANG_COOKIE, choice, max_age=365 * 24 * 3600, samesite="lax", httponly=True
    )
    return response


# --- destinations ----------------------------------------------------------------------


NEEDS = ("settlement", "insurance", "elder")


def _filters(
    request: Request, dialect: str
) -> tuple[DestinationFilter, dict[str, str], dict[str, str]]:
    """The need filters of the list's form (the trip planner's needs, the same filter as
    ``GET /v1/destinations``). An empty choice means "any"; a value that is not one of
    the choices is said beside its field and left out of the filter."""
    q = request.query_params
    values = {k: q.get(k, "") for k in ("theme", "hospital_km", "cert", *NEEDS)}
    errors: dict[str, str] = {}
    theme = values["theme"] if values["theme"] in Theme.__members__ else None
    if values["theme"] and theme is None:
        errors["theme"] = "choice"
    km = None
    if values["hospital_km"]:
        if values["hospital_km"].isdigit() and int(values["hospital_km"]) in HOSPITAL_CHOICES_KM:
            km = float(values["hospital_km"])
        else:
            errors["hospital_km"] = "choice"
    cert = values["cert"] if values["cert"] in CERTIFICATION_NAMES else None
    if values["cert"] and cert is None:
        errors["cert"] = "choice"
    f = DestinationFilter(
        theme=theme,
        hospital_within_km=km,
        cross_province_settlement=values["settlement"] == "yes",
        medical_insurance_station=values["insurance"] == "yes",
        elder_friendly_rooms=values["elder"] == "yes",
        certifications=(cert,) if cert else (),
        dialect=dialect,
    )
    return f, values, errors


class _Refused(Exception):
    """A catalogue page whose form has an error: rendered as a 422, never kept."""

    def __init__(self, context: dict[str, Any]) -> None:
        super().__init__()
        self.context = context


@router.get("/destinations")
async def destinations(
    request: Request, cursor: Annotated[str | None, Query(max_length=200)] = None
) -> Response:
    """The list with the need filters. A filter that is not one of the choices is said
    beside its field on a 422 (with the list the other filters give); that page is not
    cached (``cached_page`` keeps only what it returns, and answers 200)."""

    def build(session: Session, lang: Lang, today: date) -> dict[str, Any]:
        f, values, bad = _filters(request, session.get_bind().dialect.name)
        t = messages.text_for(lang)
        errors = {k: t("error_choice") for k in bad}
        try:
            page = catalog.list_destinations(
                session, lang, f, near=None, within_km=None, cursor=cursor, limit=LIST_LIMIT
            )
        except DomainError as exc:  # a certification no destination publishes (yet)
            if exc.code != "unknown_certification":
                raise
            errors["cert"] = messages.problem_text(exc.code, lang, exc.detail)
            f = replace(f, certifications=())
            page = catalog.list_destinations(
                session, lang, f, near=None, within_km=None, cursor=cursor, limit=LIST_LIMIT
            )
        drawn = svgmap.draw(catalog.destination_map(session, lang, f))
        next_url = None
        if page.next:
            params = {k: v for k, v in values.items() if v}
            next_url = web.with_query("/destinations", {**params, "cursor": page.next})
        context = {
            "nav": "destinations",
            "page_title": t("dest_title"),
            "items": page.items,
            "numbers": {m.slug: m.number for m in drawn.markers},
            "map": drawn,
            "next_url": next_url,
            "themes": named(lang, THEME_NAMES),
            "certs": named(lang, CERTIFICATION_NAMES),
            "hospital_choices": HOSPITAL_CHOICES_KM,
            "values": values,
            "errors": errors,
            "filtered": any(values.values()),
        }
        if errors:
            raise _Refused(context)
        return context

    try:
        return await web.cached_page(request, "destinations.html", build)
    except _Refused as refused:
        page = refused.context
        return web.render(
            request, "destinations.html", page, title=page["page_title"], status_code=422
        )


@router.get("/destinations/{slug}")
async def destination(request: Request, slug: str) -> Response:
    def build(session: Session, lang: Lang, today: date) -> dict[str, Any]:
        d = catalog.get_destination(session, lang, slug)
        products = catalog.list_products(
            session,
            lang,
            destination=str(d.id),
            theme=None,
            pilot_kind=None,
            nights=None,
            min_rate_fen=None,
            max_rate_fen=None,
            cursor=None,
            limit=LIST_LIMIT,
        )
        return {
            "nav": "destinations",
            "page_title": d.name,
            "d": d,
            "products": products.items,
            "certs": [cert_name(lang, c) for c in d.certifications],
        }

    return await web.cached_page(request, "destination.html", build)


# --- products --------------------------------------------------------------------------


def lengths_of(
    modules: list[int] | None, min_nights: int | None, max_nights: int | None
) -> list[int]:
    """The stay lengths a product sells, for the form's choice (modules, or every
    length of a min/max range up to 8 weeks)."""
    if modules:
        return sorted(modules)
    return list(range(min_nights or 1, min(max_nights or 56, 56) + 1))


def durations(p: Any) -> list[int]:
    d = p.durations
    return lengths_of(d.modules, d.min_nights, d.max_nights)


def calendar_choice(
    lengths: list[int], sold_from: date | None, max_occupancy: int, today: date, q: Mapping
) -> tuple[date, int, int]:
    """The price calendar's first check-in date, length and party: the first date on
    sale from tomorrow, and the length and party in the address when they are ones the
    product sells (else 14 nights, or its first length, for two guests or fewer)."""
    start = max(today + timedelta(days=1), sold_from or today)
    default_nights = DEFAULT_NIGHTS if DEFAULT_NIGHTS in lengths else lengths[0]
    raw_nights, raw_guests = q.get("nights", ""), q.get("guests", "")
    nights = (
        int(raw_nights) if raw_nights.isdigit() and int(raw_nights) in lengths else default_nights
    )
    guests = (
        int(raw_guests)
        if raw_guests.isdigit() and 1 <= int(raw_guests) <= max_occupancy
        else min(2, max_occupancy)
    )
    return start, nights, guests


def refund_words(tiers: list[Any], t) -> list[str]:
    """The refund policy in sentences, highest tier first: "30 days or more before
    check-in: 100% back", then each band down to 0 days; below the last tier, nothing."""
    words = []
    upper = None
    for tier in tiers:  # sorted by min_days_before_check_in, descending
        pct = web.percent(tier.refund_bps)
        low = tier.min_days_before_check_in
        if upper is None:
            words.append(t("refund_at_least", days=low, pct=pct))
        else:
            words.append(t("refund_between", low=low, high=upper - 1, pct=pct))
        upper = low
    if upper is None:
        words.append(t("refund_none_policy"))
    elif upper > 0:
        words.append(t("refund_below", days=upper))
    return words


def product_context(
    session: Session, lang: Lang, today: date, q: Mapping, slug: str
) -> dict[str, Any]:
    """What the product page shows: the product, its price calendar (the total for each
    check-in date of the next four weeks, for the length and party in the address, as
    ``GET /v1/products/{id}/price-calendar`` gives it), and the quote form's choices."""
    p = catalog.get_product(session, lang, slug)
    lengths = durations(p)
    start, cal_nights, cal_guests = calendar_choice(lengths, p.sold_from, p.max_occupancy, today, q)
    calendar = catalog.price_calendar(
        session,
        today,
        ANONYMOUS.channel,
        str(p.id),
        start,
        start + timedelta(days=CALENDAR_DAYS),
        cal_nights,
        cal_guests,
        1,
    )
    t = messages.text_for(lang)
    return {
        "calendar": calendar,
        "cal_nights": cal_nights,
        "cal_guests": cal_guests,
        "reason_words": {r: t("reason_" + r) for r in REASONS},
        "refund_words": refund_words(p.refund_policy, t),
        "nav": "destinations",
        "page_title": p.name,
        "p": p,
        "lengths": lengths,
        "pilot_kind_name": pick(lang, *PILOT_KIND_NAMES.get(p.destination.pilot_kind, ("", ""))),
        "values": {
            "check_in": (start + timedelta(days=30)).isoformat(),
            "nights": str(cal_nights),
            "guests": str(cal_guests),
            "units": "1",
            "packs": [],
            "stubs": "",
        },
        "today": today,
    }


def _units_left(
    session: Session, version: int, today: date, q: Mapping, slug: str
) -> responses.Vary:
    """What the product page shows besides the catalogue: the nights its price calendar
    covers (the last departure day included) with their units, total and taken
    (bookings change them, and nights are added, without a new catalogue version; their
    restrictions do bump it), and the probe of those rows (PostgreSQL checks a kept
    page with it on the event loop). The product's lengths and sale start are kept per
    catalogue version."""
    entries = web.pages_for(session.get_bind().engine)
    key = (version, "product-sale", slug)
    sale = entries.get(key)
    if sale is MISSING:
        row = queries.product_by_key(session, parse_key(slug))
        sale = None
        if row is not None:
            lengths = lengths_of(row.duration_modules, row.min_nights, row.max_nights)
            sale = (row.id, lengths, row.sold_from, row.max_occupancy)
        entries.put(key, sale)
    if sale is None:
        return responses.Vary(())  # no such product: the page's build says 404 (never kept)
    product_id, lengths, sold_from, max_occupancy = sale
    start, nights, _ = calendar_choice(lengths, sold_from, max_occupancy, today, q)
    end = start + timedelta(days=CALENDAR_DAYS + nights + 1)
    nights_read = queries.inventory_nights(session, product_id, start, end)
    return responses.Vary(
        tuple((n.night, n.total_units, n.taken_units) for n in nights_read.values()),
        catalog.units_probe(product_id, start, end),
    )


@router.get("/products/{slug}")
async def product(request: Request, slug: str) -> Response:
    """Rendered once per catalogue version and units left (``_units_left``); the quote
    form's CSRF token is the visitor's own (``cached_page``)."""
    q = request.query_params

    def build(session: Session, lang: Lang, today: date) -> dict[str, Any]:
        return product_context(session, lang, today, q, slug)

    def units(session: Session, version: int, today: date) -> responses.Vary:
        return _units_left(session, version, today, q, slug)

    return await web.cached_page(request, "product.html", build, revalidate=False, vary=units)
