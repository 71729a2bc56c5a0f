"""The catalogue pages: home, destinations (list, need filters, map), one destination,
one product with its quote form. HTTP only, like the API's endpoints: parse, call the
same service functions, render a template (``web.render``). Not in the OpenAPI document.
"""

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlmodel import Session

from catalog import queries
from catalog.queries import DestinationFilter
from catalog.vocab import (
    CERTIFICATION_NAMES,
    PILOT_KIND_NAMES,
    ROOM_FACT_NAMES,
    THEME_NAMES,
    Theme,
)
from pricing import PackBasis, pack_multiplier
from service import query_params
from service.auth import ANONYMOUS
from service.catalog import availability, responses
from service.catalog import service as catalog
from service.catalog.endpoints import IdOrSlug
from service.catalog.service import parse_key
from service.errors import DomainError, echoed
from service.i18n import Lang, pick
from service.lru import MISSING
from service.pages import formats, forms, messages, refusals, svgmap, web
from service.plans.schemas import NeedsIn
from service.text import LAST_DAY

router = APIRouter(route_class=web.PageRoute, include_in_schema=False)

HOSPITAL_CHOICES_KM = (5, 10, 20, 50)
LIST_LIMIT = 100
DEFAULT_NIGHTS = 14
CALENDAR_DAYS = 28
REASONS = (
    "check_in_in_past",
    "product_retired",
    "not_on_sale",
    "duration_not_allowed",
    "too_many_units",
    "sold_out",
)


def named(lang: Lang, names: dict[str, tuple[str, str]]) -> list[dict[str, str]]:
    return [{"code": code, "name": pick(lang, zh, en)} for code, (zh, en) in names.items()]


def cert_name(lang: Lang, code: str) -> str:
    zh, en = CERTIFICATION_NAMES.get(code, (code, code))
    return pick(lang, zh, en)


@router.get("/")  # reads no parameter: a campaign's ``utm_*`` are ignored, even twice
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
    request: Request,
    choice: Annotated[str, Path(max_length=20)],
    next_path: Annotated[str | None, Query(alias="next", max_length=2000)] = None,
) -> Response:
    """Keep the chosen language in a cookie (a year) and go back where the link was. The
    tag in any case (BCP 47 tags are case-insensitive: ``zh-cn`` is ``zh-CN``); one we
    do not speak is the bad-link page (422)."""
    return _switch_language(request, choice, next_path, 303)


@router.post("/lang/{choice}")
def switch_language_posting_again(
    request: Request,
    choice: Annotated[str, Path(max_length=20)],
    next_path: Annotated[str | None, Query(alias="next", max_length=2000)] = None,
) -> Response:
    """The language switch of a page made in answer to a form (``web._language_switch``):
    the cookie as above, then a 307 to the form's address, which keeps the method and
    the body, so the browser posts the same form there (its CSRF token checked here and
    there) and the same page comes back in the chosen language, with what was typed."""
    return _switch_language(request, choice, next_path, 307)


def _switch_language(request: Request, choice: str, next_path: str | None, status: int):
    lang = web.LANG_TAGS.get(choice.lower())
    if lang is None:
        return web.error_page(request, 422, "error_bad_input", path="/")
    response = RedirectResponse(web.without_lang(web.safe_next(next_path)), status_code=status)
    web.remember_lang(request, response, lang)
    return response


# --- destinations ----------------------------------------------------------------------


NEEDS = ("settlement", "insurance", "elder")
# The destinations list's form: what its address may hold besides ``cursor``.
FILTERS = ("theme", "hospital_km", "cert", *NEEDS)


def _filters(
    request: Request, dialect: str
) -> tuple[DestinationFilter, dict[str, str], dict[str, str]]:
    """The need filters of the list's form (the trip planner's needs, the same filter as
    ``GET /v1/destinations``). An empty choice means "any"; a value that is not one of
    the choices is said beside its field and left out of the filter."""
    q = query_params.read(request)
    values: dict[str, Any] = {k: q.get(k, "") for k in FILTERS}
    # several certifications, all of them, as ``GET /v1/destinations``'s
    # ``certifications`` (the form's boxes; an empty one is no choice)
    values["cert"] = [c for c in q.getlist("cert") if c]
    errors: dict[str, str] = {}
    theme = values["theme"] if values["theme"] in Theme.__members__ else None
    if values["theme"] and theme is None:
        errors["theme"] = "choice"
    km = None
    try:
        km = hospital_km(values["hospital_km"])
    except ValueError:
        errors["hospital_km"] = "choice"
    else:
        values["hospital_km"] = shown_km(km)
    certs = tuple(dict.fromkeys(c for c in values["cert"] if c in CERTIFICATION_NAMES))
    if len(certs) < len(set(values["cert"])):
        errors["cert"] = "choice"
    # A need is its box ticked (``yes``) or not (empty); anything else (``settlement=maybe``)
    # is said beside it, not read as "not needed".
    errors |= {need: "choice" for need in NEEDS if values[need] not in ("", "yes")}
    f = DestinationFilter(
        theme=theme,
        hospital_within_km=km,
        cross_province_settlement=values["settlement"] == "yes",
        medical_insurance_station=values["insurance"] == "yes",
        elder_friendly_rooms=values["elder"] == "yes",
        certifications=certs,
        dialect=dialect,
    )
    return f, values, errors


def hospital_km(raw: str) -> float | None:
    """The nearest hospital's distance a link or the form gives, the one reading of the
    destinations list and the planner: empty is any distance; a number as the forms read
    numbers (``forms.number``: full width, and a decimal, ``7.5``, ``10.0``) that the
    planner's need takes (``NeedsIn.hospital_within_km``: over 0, at most 500 km, the
    bound of ``GET /v1/destinations`` too) is that distance, shown chosen in the select
    even when it is not one of ``HOSPITAL_CHOICES_KM`` (``hospital_choices``): a partner's
    link with ``hospital_km=15`` searches within 15 km, and the form says so. A
    ``ValueError`` for anything else (said "please choose from the list")."""
    if not raw:
        return None
    read = forms.number(raw)
    try:
        km = float(read)
        NeedsIn(hospital_within_km=km)
    except (ValueError, ValidationError):
        raise ValueError(raw) from None
    return km


def shown_km(km: float | None) -> str:
    """A distance as the select's value and the form's address say it: ``7``, ``7.5``
    (``10.0`` is ``10``, one of the choices)."""
    if km is None:
        return ""
    return str(int(km)) if km.is_integer() else repr(km)


def hospital_choices(shown: str) -> list[str]:
    """The select's distances: ``HOSPITAL_CHOICES_KM`` and, in its place among them, the
    one the address gives when it is none of them (``shown_km``, read by
    ``hospital_km``), so the form shows the distance searched and sends it again."""
    choices = [str(km) for km in HOSPITAL_CHOICES_KM]
    try:
        km = hospital_km(shown)
    except ValueError:  # refused beside the select: none chosen
        return choices
    if km is not None and shown_km(km) not in choices:
        choices = sorted([*choices, shown_km(km)], key=float)
    return choices


def _listed(value: str | list[str]) -> list[str]:
    return value if isinstance(value, list) else [value]


def _page_or_first(list_page, cursor: str | None) -> tuple[Any, bool]:
    """``list_page(cursor)``, or the first page and True when ``cursor`` is not one this
    list issued under these filters: a link to a later page kept from before (the list
    or its filters changed, or the link was cut) is said in a traveller's words above
    the first page, never as the API's ``invalid_cursor`` (the same check:
    ``pagination.Listing``, inside the list's service)."""
    try:
        return list_page(cursor or None), False
    except DomainError as exc:
        if exc.code != "invalid_cursor":
            raise
        return list_page(None), True


class _Refused(Exception):
    """A catalogue page whose form has an error: rendered as a 422, never kept."""

    def __init__(self, context: dict[str, Any]) -> None:
        super().__init__()
        self.context = context


@router.get("/destinations")
@query_params.reads(*FILTERS)
async def destinations(
    request: Request,
    cursor: Annotated[str | None, Query()] = None,
    cert: Annotated[list[str] | None, Query()] = None,  # read by ``_filters``, with the rest
) -> Response:
    """The list with the need filters. A filter that is not one of the choices is said
    beside its field on a 422 (with the list the other filters give); that page is not
    cached (``cached_page`` keeps only what it returns, and answers 200)."""

    def build(session: Session, lang: Lang, today: date) -> dict[str, Any]:
        f, values, bad = _filters(request, session.get_bind().dialect.name)
        t = messages.text_for(lang)
        # A need's box given another value than ``yes``: the plan page's words for it.
        errors = {
            k: refusals.validation_text("bool_type", lang) if k in NEEDS else t("error_choice")
            for k in bad
        }

        def listed(f: DestinationFilter) -> tuple[Any, bool]:
            return _page_or_first(
                lambda after: catalog.list_destinations(
                    session, lang, f, near=None, within_km=None, cursor=after, limit=LIST_LIMIT
                ),
                cursor,
            )

        try:
            page, stale = listed(f)
        except DomainError as exc:  # a certification no destination publishes (yet)
            if exc.code != "unknown_certification":
                raise
            errors["cert"] = refusals.problem_text(exc.code, lang, exc.detail)
            f = replace(f, certifications=())
            page, stale = listed(f)
        drawn = svgmap.draw(catalog.destination_map(session, lang, f))
        next_url = None
        if page.next:
            params = [(k, x) for k, v in values.items() for x in _listed(v) if x]
            next_url = web.with_query("/destinations", [*params, ("cursor", page.next)])
        context = {
            "nav": "destinations",
            "page_title": t("dest_title"),
            "items": page.items,
            "numbers": {m.slug: m.number for m in drawn.markers},
            "map": drawn,
            "next_url": next_url,
            "cursor_stale": stale,
            "themes": named(lang, THEME_NAMES),
            "certs": named(lang, CERTIFICATION_NAMES),
            "hospital_choices": hospital_choices(values["hospital_km"]),
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
async def destination(request: Request, slug: IdOrSlug) -> Response:
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


@dataclass(frozen=True, slots=True)
class CalendarChoice:
    """The price calendar's period, length and party, and the links around it."""

    start: date  # the first check-in date shown (CALENDAR_DAYS of them)
    nights: int
    guests: int
    first: date  # the first check-in date a quote takes (the quote form's min)
    last_night: date | None  # the product's last night on sale
    last: date | None  # the last check-in date on sale for ``nights`` (``last_check_in``)
    # "from_beyond" (from past the last date), "from_invalid", or "nothing_on_sale" (the
    # last date on sale is before the first bookable one)
    notice: str | None
    earlier: date | None  # the start of the period before, if any
    later: date | None  # the start of the period after, if any
    from_why: str | None = None  # why ``from`` is no date (``forms.NotADay.why``)
    # why the address's ``nights`` is not the calendar's: "number" (not a whole number),
    # "choice" (not a length to choose); ``guests``': "number", "too_small" (below 1)
    nights_why: str | None = None
    guests_why: str | None = None

    def on_sale(self, day: date) -> bool:
        """Whether a stay of ``nights`` checking in on ``day`` may be on sale: not before
        the first bookable day, not after the last check-in date on sale for that
        length."""
        return self.last is not None and self.first <= day <= self.last

    def last_for(self, nights: int) -> date | None:
        """The last check-in date on sale for a stay of ``nights`` (the quote form's
        length, which may not be the calendar's): ``availability.last_check_in``."""
        return availability.last_check_in(self.last_night, nights)


def default_guests(max_occupancy: int) -> int:
    """The price calendar's party when the address gives none it can show."""
    return min(2, max_occupancy)


# The product page's address: the price calendar's period, length and party, and the
# quote form's check-in (``calendar_choice``, ``chosen_check_in``).
PRODUCT_QUERY = ("from", "nights", "guests", "check_in")


def calendar_choice(
    session: Session,
    product_id: int,
    lengths: list[int],
    sale: tuple[date | None, date | None],
    max_occupancy: int,
    today: date,
    q: Mapping,
) -> CalendarChoice:
    """The price calendar of the address: from ``from`` (``YYYY-MM-DD``; a date before
    the first bookable one starts there, one past the last date on sale shows the last
    period on sale and says so (a last date before the first bookable one: nothing is
    on sale now, said whether or not ``from`` was given), anything else starts at the
    first bookable date), for the length and party in the address when they are ones
    the product sells (else 14 nights, or its first length, for two guests or fewer,
    ``default_guests``, and why: ``nights_why``, ``guests_why``; a party of more than a
    room takes is left to the price calendar's own check, ``product_context``).
    The last date on sale is the last check-in of a stay of that length
    (``availability.last_check_in``), so the last period shown ends on it.
    ``sale``: the product's sold_from and sold_until."""
    default_nights = DEFAULT_NIGHTS if DEFAULT_NIGHTS in lengths else lengths[0]
    nights, nights_why = default_nights, None
    if q.get("nights", ""):  # read as the forms read a number (``forms.number``)
        asked = forms.number(q["nights"])
        if not isinstance(asked, int):
            nights_why = "number"
        elif asked not in lengths:
            nights_why = "choice"
        else:
            nights = asked
    guests, guests_why = default_guests(max_occupancy), None
    if q.get("guests", ""):  # more than a room takes: the price calendar's own check
        asked = forms.number(q["guests"])
        if not isinstance(asked, int):
            guests_why = "number"
        elif asked < 1:
            guests_why = "too_small"
        else:
            guests = asked
    first = availability.first_check_in(today, sale[0])
    last_night = availability.last_night_on_sale(session, product_id, sale[1])
    last = availability.last_check_in(last_night, nights)
    start, notice, from_why = first, None, None
    raw_from = q.get("from", "")
    if raw_from:
        try:
            start = max(first, forms.typed_day(raw_from))
        except forms.NotADay as exc:
            notice, from_why = "from_invalid", exc.why
    if last is not None and last < first:  # its last night on sale has passed
        start, notice = first, "nothing_on_sale"
    elif last is not None and start > last:  # only ``from`` can be past the last
        start = max(first, last - timedelta(days=CALENDAR_DAYS - 1))
        notice = notice or "from_beyond"
    period = timedelta(days=CALENDAR_DAYS)
    earlier = max(first, start - period) if start > first else None
    later = start + period if last is not None and start + period <= last else None
    return CalendarChoice(
        start,
        nights,
        guests,
        first,
        last_night,
        last,
        notice,
        earlier,
        later,
        from_why,
        nights_why,
        guests_why,
    )


def beyond_sale(start: date, nights: int, last: date | None, lang: Lang) -> str | None:
    """A stay the quote form can tell is not on sale before asking: one checking in after
    ``last``, the product's last check-in date on sale for a stay of ``nights``
    (``CalendarChoice.last_for``: its last night is the product's last night on sale),
    or running past the service's calendar (2100-12-31: its check-out is no date a
    quote takes, which the request model would say of the check-out, beside the
    nights). Said beside the check-in as the quote's ``not_on_sale``, with the last
    check-in date for that length when there is one; None for a stay the quote's own
    checks judge. The quote form's check-in and the one a link gives it
    (``chosen_check_in``)."""
    past_calendar = start + timedelta(days=nights) > LAST_DAY
    if not past_calendar and (last is None or start <= last):
        return None
    if last is None:
        return refusals.problem_text("not_on_sale", lang, "")
    words = messages.text_for(lang)
    return words("q_after_last_on_sale", last=formats.long_date(last, lang), nights=nights)


def chosen_check_in(
    q: Mapping, cal: CalendarChoice, today: date, lang: Lang
) -> tuple[date, str | None]:
    """The quote form's check-in: the address's ``check_in`` (a price calendar date's
    link), read as the form reads it (``forms.typed_day``) and one that may be on sale
    (``CalendarChoice.on_sale``: not before the first bookable day nor after the last
    check-in date on sale); else 30 days after that day, or the calendar's start, and
    why the address's was not taken, in the words the quote form would say it in
    (``forms.day_error``; ``check_in_in_past``, ``not_on_sale``; ``beyond_sale``). Its
    length and party are the calendar's (``calendar_choice``)."""
    instead = max(cal.start, cal.first + timedelta(days=30))
    raw = q.get("check_in", "")
    if not raw:
        return instead, None
    try:
        day = forms.typed_day(raw)
    except ValueError as exc:
        return instead, forms.day_error(exc, lang)
    if cal.on_sale(day):
        return day, None
    if day < cal.first:
        code = "check_in_in_past" if day < today else "not_on_sale"
        return instead, refusals.problem_text(code, lang, "")
    return instead, beyond_sale(day, cal.nights, cal.last, lang)


def _link_errors(
    q: Mapping, cal: CalendarChoice, lengths: str, refused: DomainError | None, lang: Lang
) -> dict[str, str]:
    """What the address asked that the page shows otherwise, said beside its field (the
    price calendar's length and party, ``cal-nights``, ``cal-guests``) with what is
    shown instead: ``nights`` not a number or not a length to choose (``lengths``, in
    words), ``guests`` not a number, below 1 or more than the calendar's room takes
    (``refused``: the price calendar's own refusal of the party, ``price_calendar``).
    What was typed is repeated cut to 40 characters (``echoed``)."""
    t = messages.text_for(lang)
    errors = {}
    if cal.nights_why == "number":
        problem = t("p_link_not_number", value=echoed(forms.typed(q["nights"])))
    elif cal.nights_why == "choice":
        problem = t("p_link_not_a_length", value=echoed(forms.number(q["nights"])), lengths=lengths)
    if cal.nights_why:
        errors["cal-nights"] = t("p_link_nights", problem=problem, nights=cal.nights)
    if cal.guests_why == "number":
        problem = t("p_link_not_number", value=echoed(forms.typed(q["guests"])))
    elif cal.guests_why == "too_small":
        problem = refusals.validation_text("greater_than_equal", lang, {"ge": 1})
    elif refused is not None:
        problem = refusals.problem_text(refused.code, lang, refused.detail, refused.extra)
    if cal.guests_why or refused is not None:
        errors["cal-guests"] = t("p_link_guests", problem=problem, guests=cal.guests)
    return errors


def seasons_ahead(seasons: list[Any], today: date) -> list[dict[str, Any]]:
    """The seasons a traveller can still stay in, as the product page lists them: those
    with a night from ``today`` on (Asia/Shanghai, the app's clock), a running one from
    ``today``. Seasons that follow each other under one name (a running season whose
    rate an operator changed is split at the day of the change, its new rate in a new
    season of the same name: ``operators.seasons``) read as one named season with its
    rate periods: ``{"name", "start", "end", "periods": [{"start", "end", "rate_fen"}]}``,
    ``end`` the first night after, as a season's ``end_date``. An unnamed season stands
    alone."""
    shown: list[dict[str, Any]] = []
    for s in sorted(seasons, key=lambda s: s.start_date):
        if s.end_date <= today:
            continue
        name = (s.name or "").strip()
        period = {"start": max(s.start_date, today), "end": s.end_date}
        period["rate_fen"] = s.nightly_rate_fen
        last = shown[-1] if shown else None
        if last and name and last["name"] == name and last["end"] == s.start_date:
            last["periods"].append(period)
            last["end"] = s.end_date
            continue
        shown.append({"name": name, "start": period["start"], "end": s.end_date,
                      "periods": [period]})  # fmt: skip
    return shown


# A per-week pack is charged per started week: the product page says so by an example,
# its weeks counted by the engine's own rule (docs/pricing.md, "Lines" 2).
WEEK_EXAMPLE = {"nights": 15, "weeks": pack_multiplier(PackBasis.per_week, 1, 15)}


def room_facts(accessibility: Any, lang: Lang) -> dict[str, list[str]]:
    """The room's facts (``Accessibility``) in the catalogue's words, the ones the
    planner's "the room must have" takes (``ROOM_FACT_NAMES``, in their order): ``has``
    those published, ``missing`` the others (false means not published, never a
    promise that it is absent)."""
    said: dict[str, list[str]] = {"has": [], "missing": []}
    for code, words in ROOM_FACT_NAMES.items():
        said["has" if getattr(accessibility, code) else "missing"].append(pick(lang, *words))
    return said


def product_context(
    session: Session, lang: Lang, today: date, q: Mapping, slug: str
) -> dict[str, Any]:
    """What the product page shows: the product, its price calendar (the total for each
    check-in date of four weeks from ``from``, for the length and party in the address, as
    ``GET /v1/products/{id}/price-calendar`` gives it: a party it refuses, more than its
    one room takes, is shown for the default party), the quote form's choices, and
    ``errors``: what the address asked that is shown otherwise, beside its field."""
    p = catalog.get_product(session, lang, slug)
    lengths = durations(p)
    cal = calendar_choice(
        session, p.id, lengths, (p.sold_from, p.sold_until), p.max_occupancy, today, q
    )
    start = cal.start

    def price_calendar(guests: int) -> Any:
        return availability.price_calendar(
            session,
            today,
            ANONYMOUS.channel,
            str(p.id),
            start,
            start + timedelta(days=CALENDAR_DAYS),
            cal.nights,
            guests,
            1,
        )

    refused = None
    try:
        calendar = price_calendar(cal.guests)
    except DomainError as exc:  # more guests than a room takes: the API's own check
        if exc.field not in ("guests", "units"):
            raise
        refused, cal = exc, replace(cal, guests=default_guests(p.max_occupancy))
        calendar = price_calendar(cal.guests)
    t = messages.text_for(lang)
    lengths_words = "/".join(map(str, lengths)) if p.durations.modules else None
    lengths_words = lengths_words or f"{lengths[0]}–{lengths[-1]}"
    check_in, check_in_why = chosen_check_in(q, cal, today, lang)
    errors = _link_errors(q, cal, lengths_words, refused, lang)
    if check_in_why:
        day = formats.long_date(check_in, lang)
        errors["check_in"] = t("p_link_check_in", problem=check_in_why, day=day)

    def period_url(day: date | None) -> str | None:
        if day is None:
            return None
        words = {"from": day.isoformat(), "nights": str(cal.nights), "guests": str(cal.guests)}
        return web.with_query(f"/products/{p.slug}", words) + "#availability"

    def stay_url(day: date) -> str:
        """The quote form filled with this check-in and the calendar's length and party
        (the calendar kept on its period), at the form."""
        words = {"from": start.isoformat(), "nights": str(cal.nights), "guests": str(cal.guests)}
        words["check_in"] = day.isoformat()
        return web.with_query(f"/products/{p.slug}", words) + "#quote-form-title"

    return {
        "calendar": calendar,
        "cal": cal,
        "cal_nights": cal.nights,
        "cal_guests": cal.guests,
        "cal_earlier_url": period_url(cal.earlier),
        "cal_later_url": period_url(cal.later),
        # ``from`` that is no date: why, as the forms say it (``forms.day_error``)
        "from_error": forms.day_error(forms.NotADay(cal.from_why), lang) if cal.from_why else "",
        "stay_url": stay_url,
        "reason_words": {r: t("reason_" + r) for r in REASONS},
        "seasons": seasons_ahead(p.seasons, today),
        "week_example": WEEK_EXAMPLE,
        "nav": "destinations",
        "page_title": p.name,
        "p": p,
        "lengths": lengths,
        "room_facts": room_facts(p.accessibility, lang),
        "pilot_kind_name": pick(lang, *PILOT_KIND_NAMES.get(p.destination.pilot_kind, ("", ""))),
        "values": {
            "check_in": check_in.isoformat(),
            "nights": str(cal.nights),
            "guests": str(cal.guests),
            "units": "1",
            "packs": [],
            "stubs": "",
        },
        "today": today,
        # what the address asked that the page shows otherwise (``_link_errors``)
        "errors": errors,
    }


def _units_left(
    session: Session, version: int, today: date, q: Mapping, slug: str
) -> responses.Vary:
    """What the product page shows besides the catalogue: the last date on sale and the
    nights its price calendar covers (the last departure day included) with their
    units, total and taken (bookings change them, and nights are added, without a new
    catalogue version; their restrictions do bump it), and the probe of those rows
    (PostgreSQL checks a kept page with it on the event loop). The product's lengths and
    sale dates are kept per catalogue version."""
    entries = web.pages_for(session.get_bind().engine)
    key = (version, "product-sale", slug)
    sale = entries.get(key)
    if sale is MISSING:
        row = queries.product_by_key(session, parse_key(slug))
        sale = None
        if row is not None:
            lengths = lengths_of(row.duration_modules, row.min_nights, row.max_nights)
            sale = (row.id, lengths, (row.sold_from, row.sold_until), row.max_occupancy)
        entries.put(key, sale)
    if sale is None:
        return responses.Vary(())  # no such product: the page's build says 404 (never kept)
    product_id, lengths, sold, max_occupancy = sale
    cal = calendar_choice(session, product_id, lengths, sold, max_occupancy, today, q)
    end = cal.start + timedelta(days=CALENDAR_DAYS + cal.nights + 1)
    nights_read = queries.inventory_nights(session, product_id, cal.start, end)
    # the last date on sale decides the period's links (nights are added, never versioned)
    return responses.Vary(
        (cal.last, *((n.night, n.total_units, n.taken_units) for n in nights_read.values())),
        availability.units_probe(session.get_bind().dialect.name, product_id, cal.start, end),
    )


@router.get("/products/{slug}")
@query_params.reads(*PRODUCT_QUERY)
async def product(request: Request, slug: IdOrSlug) -> Response:
    """Rendered once per catalogue version and units left (``_units_left``); the quote
    form's CSRF token is the visitor's own (``cached_page``). An address whose length,
    party or check-in the page cannot take (``_link_errors``, ``chosen_check_in``) is a
    422 like the destinations list's filters: the page for what it shows instead, each
    said beside its field, never kept."""
    q = query_params.read(request)

    def build(session: Session, lang: Lang, today: date) -> dict[str, Any]:
        context = product_context(session, lang, today, q, slug)
        if context["errors"]:
            raise _Refused(context)
        return context

    def units(session: Session, version: int, today: date) -> responses.Vary:
        return _units_left(session, version, today, q, slug)

    try:
        return await web.cached_page(request, "product.html", build, revalidate=False, vary=units)
    except _Refused as refused:
        page = refused.context
        return web.render(request, "product.html", page, title=page["page_title"], status_code=422)
