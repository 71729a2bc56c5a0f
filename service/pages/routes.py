"""The catalogue pages: home, destinations (list, need filters, map), one destination,
one product with its quote form. HTTP only, like the API's endpoints: parse, call the
same service functions, render a template (``web.render``). Not in the OpenAPI document.
"""

from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from catalog.queries import DestinationFilter
from catalog.vocab import CERTIFICATION_NAMES, PILOT_KIND_NAMES, THEME_NAMES, Theme
from service.auth import ANONYMOUS
from service.catalog import service as catalog
from service.deps import ClockDep, SessionDep
from service.i18n import Lang, pick
from service.pages import svgmap, web

router = APIRouter(route_class=web.PageRoute, include_in_schema=False)

HOSPITAL_CHOICES_KM = (5, 10, 20, 50)
LIST_LIMIT = 100
DEFAULT_NIGHTS = 14
REASONS = ("check_in_past", "not_on_sale", "duration_not_allowed", "sold_out")


def named(lang: Lang, names: dict[str, tuple[str, str]]) -> list[dict[str, str]]:
    return [{"code": code, "name": pick(lang, zh, en)} for code, (zh, en) in names.items()]


def cert_name(lang: Lang, code: str) -> str:
    zh, en = CERTIFICATION_NAMES.get(code, (code, code))
    return pick(lang, zh, en)


@router.get("/")
def home(request: Request, session: SessionDep, clock: ClockDep) -> Response:
    lang = web.page_lang(request)
    routes = catalog.list_routes(session, lang, cursor=None, limit=20)
    start = clock.today() + timedelta(days=60)
    return web.render(
        request,
        "home.html",
        {
            "nav": "home",
            "themes": named(lang, THEME_NAMES),
            "routes": routes.items,
            "values": {
                "start": start.isoformat(),
                "end": (start + timedelta(days=49)).isoformat(),
                "guests": "2",
            },
        },
    )


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


@router.get("/destinations")
def destinations(
    request: Request,
    session: SessionDep,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    lang = web.page_lang(request)
    f, values, bad = _filters(request, session.get_bind().dialect.name)
    t = web.text(request)
    errors = {k: t("error_choice") for k in bad}
    page = catalog.list_destinations(
        session, lang, f, near=None, within_km=None, cursor=cursor, limit=LIST_LIMIT
    )
    drawn = svgmap.draw(catalog.destination_map(session, lang, f))
    numbers = {m.slug: m.number for m in drawn.markers}
    next_url = None
    if page.next:
        params = {k: v for k, v in values.items() if v}
        next_url = web.with_query("/destinations", {**params, "cursor": page.next})
    return web.render(
        request,
        "destinations.html",
        {
            "nav": "destinations",
            "items": page.items,
            "numbers": numbers,
            "map": drawn,
            "next_url": next_url,
            "themes": named(lang, THEME_NAMES),
            "certs": named(lang, CERTIFICATION_NAMES),
            "hospital_choices": HOSPITAL_CHOICES_KM,
            "values": values,
            "errors": errors,
            "filtered": any(values.values()),
        },
        title=t("dest_title"),
    )


@router.get("/destinations/{slug}")
def destination(request: Request, session: SessionDep, slug: str) -> Response:
    lang = web.page_lang(request)
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
    return web.render(
        request,
        "destination.html",
        {
            "nav": "destinations",
            "d": d,
            "products": products.items,
            "certs": [cert_name(lang, c) for c in d.certifications],
        },
        title=d.name,
    )


# --- products --------------------------------------------------------------------------


def durations(p: Any) -> list[int]:
    """The stay lengths a product sells, for the form's choice (modules, or every
    length of a min/max range up to 8 weeks)."""
    d = p.durations
    if d.modules:
        return list(d.modules)
    low = d.min_nights or 1
    high = min(d.max_nights or 56, 56)
    return list(range(low, high + 1))


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
    request: Request, session: SessionDep, clock: ClockDep, slug: str
) -> dict[str, Any]:
    """What the product page shows: the product, its price calendar (the total for each
    check-in date of the next four weeks, for the length and party in the address, as
    ``GET /v1/products/{id}/price-calendar`` gives it), and the quote form's choices."""
    lang = web.page_lang(request)
    p = catalog.get_product(session, lang, slug)
    today = clock.today()
    start = max(today + timedelta(days=1), p.sold_from or today)
    lengths = durations(p)
    q = request.query_params
    default_nights = DEFAULT_NIGHTS if DEFAULT_NIGHTS in lengths else lengths[0]
    raw_nights, raw_guests = q.get("nights", ""), q.get("guests", "")
    cal_nights = (
        int(raw_nights) if raw_nights.isdigit() and int(raw_nights) in lengths else default_nights
    )
    cal_guests = (
        int(raw_guests)
        if raw_guests.isdigit() and 1 <= int(raw_guests) <= p.max_occupancy
        else min(2, p.max_occupancy)
    )
    calendar = catalog.price_calendar(
        session,
        today,
        ANONYMOUS.channel,
        str(p.id),
        start,
        start + timedelta(days=28),
        cal_nights,
        cal_guests,
        1,
    )
    t = web.text(request)
    return {
        "calendar": calendar,
        "cal_nights": cal_nights,
        "cal_guests": cal_guests,
        "reason_words": {r: t("reason_" + r) for r in REASONS},
        "refund_words": refund_words(p.refund_policy, web.text(request)),
        "nav": "destinations",
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


@router.get("/products/{slug}")
def product(request: Request, session: SessionDep, clock: ClockDep, slug: str) -> Response:
    ctx = product_context(request, session, clock, slug)
    return web.render(request, "product.html", ctx, title=ctx["p"].name)
