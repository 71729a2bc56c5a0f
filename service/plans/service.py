"""``POST /v1/plans``: validate, read the catalogue once, search (``planner``), render.

Reads only (one read connection, no write): destinations and their facts, active
products (their pricing terms through the quotes' terms cache, keyed by the catalogue
version), transit lines with their stops, the rules in force on the booking date or
opening later (not those ended), the presented stubs and the inventory of the window
for the products that can take part. Nothing is held or written by planning.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

import pricing
from catalog import queries, sale_calendars
from catalog import terms as catalog_terms
from catalog.models import Destination, Product, TransitLine, TransitStop
from catalog.sellability import SaleCalendar, SaleTerms
from planner import explain
from planner.budget import SearchTooBroad, WorkBudget, narrowing
from planner.model import (
    Catalogue,
    Line,
    Needs,
    Offer,
    Place,
    PlanRequest,
    RoomFacts,
    eligible_offers,
)
from planner.search import Planner
from pricing.labels import counted
from service.auth import Caller
from service.catalog import availability
from service.catalog import service as catalog_service
from service.clock import local_date
from service.errors import Unprocessable, echoed
from service.i18n import Lang, pick
from service.plans.schemas import PlanIn
from service.quotes import errors as quote_errors
from service.quotes import payload
from service.quotes import service as quotes
from service.quotes import stops as quote_stops
from service.quotes.cache import CachedCatalogue
from service.quotes.schemas import render_priced

MAX_WINDOW_DAYS = 400
# Without a length the plans fit the dates: searched at the window's length and down,
# which costs with the window's square (docs/planner.md, "Fitting the dates"); so only
# for dates at most this far apart (about 2.4 s and 0.5 GB at 90 days, 1-night stays,
# 4 stays on the demo catalogue; 20 s and 3.5 GB at 120).
MAX_FIT_DAYS = 90
# The plans' products' calendars reach a week either side of the window (the nudges).
NUDGE_MARGIN = timedelta(days=explain.SHIFT_DAYS)

_d = Destination.__table__.c
_p = Product.__table__.c
_DESTINATIONS = sa.select(
    _d.id,
    _d.slug,
    _d.name_zh,
    _d.name_en,
    _d.lat,
    _d.lon,
    _d.nearest_hospital_km,
    _d.medical_insurance_station,
    _d.cross_province_settlement,
    _d.elder_friendly_rooms,
    _d.certifications,
)
_PRODUCTS = sa.select(_p.id, _p.slug).where(_p.is_active).order_by(_p.id)
_LINES = (
    sa.select(TransitStop.__table__.c.line_id, TransitStop.__table__.c.destination_id)
    .join(TransitLine.__table__, TransitLine.__table__.c.id == TransitStop.__table__.c.line_id)
    .where(TransitLine.__table__.c.is_active)
)


def _bad(field: str, detail: str, zh: str, *, code: str = "validation_error") -> Unprocessable:
    return Unprocessable(detail, zh=zh, field=field, code=code)


class _Data:
    """The catalogue as read for one request."""

    def __init__(self, conn: sa.Connection, now: datetime, stub_codes: Sequence[str]):
        booking_date = local_date(now)
        version, stub_rows = catalog_terms.version_and_stubs(conn, stub_codes)
        self.stubs = quotes._presented_stubs(conn, stub_codes, stub_rows, now)
        cached = CachedCatalogue(conn, version)
        # In force today and opening later: the search keeps those open today
        # (``rules_open``); the book-by nudge prices the plans as booked on later days.
        self.rules = list(cached.rules_not_ended(booking_date))
        self.dest_rows = {row.id: row for row in conn.execute(_DESTINATIONS)}
        self.slugs = {row.slug: row.id for row in self.dest_rows.values()}
        products = conn.execute(_PRODUCTS).all()
        self.product_slugs = {row.id: row.slug for row in products}
        stops: dict[int, set[int]] = {}
        for line_id, dest in conn.execute(_LINES):
            stops.setdefault(line_id, set()).add(dest)
        self.line_stops = stops
        terms = cached.terms([row.id for row in products], sorted(stops))
        self.terms = terms.products
        self.refund_policies = terms.refund_policies
        self.line_terms = terms.transit_lines
        self.lines = [
            Line(terms.transit_lines[lid], frozenset(dests))
            for lid, dests in sorted(stops.items())
            if lid in terms.transit_lines
        ]
        self.places = {
            row.id: Place(
                id=row.id,
                name_zh=row.name_zh,
                name_en=row.name_en,
                lat=row.lat,
                lon=row.lon,
                nearest_hospital_km=row.nearest_hospital_km,
                medical_insurance_station=row.medical_insurance_station,
                cross_province_settlement=row.cross_province_settlement,
                elder_friendly_rooms=row.elder_friendly_rooms,
                certifications=frozenset(row.certifications or ()),
            )
            for row in self.dest_rows.values()
        }
        self.rooms = {
            pid: RoomFacts(**facts)
            for pid, facts in queries.room_facts(conn, [row.id for row in products]).items()
        }
        self.conn = conn

    def shortest_stay(self, min_nights_per_stay: int) -> int:
        """The fewest nights any stay of a plan can have: ``min_nights_per_stay`` or the
        shortest length any active product sells, whichever is longer."""
        lengths = [
            min(t.duration_modules) if t.duration_modules else t.min_nights or 1
            for t in self.terms.values()
        ]
        return max(min_nights_per_stay, min(lengths, default=1))

    def destination(self, key: str, field: str) -> int:
        if key.isascii() and key.isdigit() and int(key) in self.dest_rows:
            return int(key)
        if key in self.slugs:
            return self.slugs[key]
        raise _bad(
            field,
            f"No destination {echoed(key)!r}.",
            f"没有目的地 {echoed(key)!r}。",
            code="unknown_destination",
        )

    def catalogue(self, request: PlanRequest, *, prefilter: bool = True) -> Catalogue:
        """Offers over the window: the products that can take part (``prefilter``)
        without their sale calendars (the search reads those it costs through
        ``calendars``), or all active products with their calendars (to try
        relaxations)."""
        offers = [
            Offer(terms, None, self.rooms.get(pid, RoomFacts()))  # type: ignore[arg-type]
            for pid, terms in sorted(self.terms.items())
        ]
        base = Catalogue(self.places, offers, self.lines, self.rules)
        if prefilter:
            return Catalogue(self.places, eligible_offers(request, base), self.lines, self.rules)
        return self._with_calendars(
            base, offers, request.earliest_check_in, request.latest_check_out
        )

    def calendars(self, request: PlanRequest):
        """How the search reads the calendars of the window for the offers it costs."""

        def read(offers: Sequence[Offer]) -> dict[int, SaleCalendar]:
            return sale_calendars.load_calendars(
                self.conn,
                [SaleTerms.of(o.terms) for o in offers],
                request.earliest_check_in,
                request.latest_check_out,
            )

        return read

    def with_margins(
        self, catalogue: Catalogue, request: PlanRequest, product_ids: set[int]
    ) -> Catalogue:
        """``catalogue`` with the calendars of ``product_ids`` (the plans' products)
        reaching a week either side of the window: the nudges move a whole plan by up to
        that. Only these few are read again, not every candidate's margins."""
        wanted = [o for o in catalogue.offers if o.id in product_ids]
        longer = self._with_calendars(
            catalogue,
            wanted,
            request.earliest_check_in - NUDGE_MARGIN,
            request.latest_check_out + NUDGE_MARGIN,
        )
        by_id = {o.id: o for o in longer.offers}
        offers = [by_id.get(o.id, o) for o in catalogue.offers]
        return Catalogue(self.places, offers, self.lines, self.rules)

    def _with_calendars(
        self, catalogue: Catalogue, offers: Sequence[Offer], start: date, end: date
    ) -> Catalogue:
        calendars = sale_calendars.load_calendars(
            self.conn, [SaleTerms.of(o.terms) for o in offers], start, end
        )
        offers = [replace(o, calendar=calendars[o.id]) for o in offers]
        return Catalogue(self.places, offers, self.lines, self.rules)


def _request(body: PlanIn, data: _Data, today: date, channel: str) -> PlanRequest:
    """The validated request; 422 naming the field for what cannot be planned."""
    if body.earliest_check_in < today:
        raise _bad(
            "earliest_check_in",
            f"The earliest check-in ({body.earliest_check_in}) is before today ({today}).",
            f"最早入住日期（{body.earliest_check_in}）早于今天（{today}）。",
            code="window_in_past",
        )
    window = (body.latest_check_out - body.earliest_check_in).days
    if window < 1:
        latest, earliest = body.latest_check_out, body.earliest_check_in
        raise _bad(
            "latest_check_out",
            f"The latest departure ({latest}) must be after the earliest check-in ({earliest}).",
            f"最晚离开日期（{latest}）须晚于最早入住日期（{earliest}）。",
            code="invalid_window",
        )
    if window > MAX_WINDOW_DAYS:
        raise Unprocessable(
            f"The window is at most {counted(MAX_WINDOW_DAYS, 'day')}; this one has {window}.",
            zh=f"出行时间窗最长 {MAX_WINDOW_DAYS} 天，此处为 {window} 天。",
            field="latest_check_out",
            code="window_too_long",
            limit=MAX_WINDOW_DAYS,
        )
    shortest = data.shortest_stay(body.min_nights_per_stay)
    if window < shortest:
        raise Unprocessable(
            f"These dates are shorter than the shortest stay ({counted(shortest, 'night')}): "
            f"{counted(window, 'day')} from the earliest check-in to the latest departure.",
            zh=f"这段日期比最短的住宿（{shortest} 晚）还短：从最早入住到最晚离开只有 {window} 天。",
            field="latest_check_out",
            code="window_too_short",
            shortest_stay_nights=shortest,
        )
    fill = body.nights is None and body.min_nights is None and body.max_nights is None
    if fill and window > MAX_FIT_DAYS:
        raise Unprocessable(
            f"Without nights, the dates are at most {MAX_FIT_DAYS} days apart to fit the "
            f"trip to them; these are {window}. Give the nights, or closer dates.",
            zh=f"不填晚数时，日期范围最长 {MAX_FIT_DAYS} 天才能按日期安排，此处为 {window} 天。"
            f"请填写晚数，或缩短日期范围。",
            field="latest_check_out",
            code="window_too_long",
            fit_max_days=MAX_FIT_DAYS,
        )
    if body.nights is not None and (body.min_nights is not None or body.max_nights is not None):
        raise _bad(
            "nights",
            "Give the nights in all, or the fewest and the most nights, not both.",
            "请只填写一共住几晚，或最少/最多晚数，不要同时填写。",
            code="contradictory",
        )
    if body.min_nights is not None and body.max_nights is not None:
        if body.max_nights < body.min_nights:
            most, fewest = body.max_nights, body.min_nights
            raise _bad(
                "max_nights",
                f"The most nights ({most}) cannot be fewer than the fewest nights ({fewest}).",
                f"最多晚数（{most} 晚）不能少于最少晚数（{fewest} 晚）。",
                code="contradictory",
            )
    lo = body.nights or body.min_nights or body.min_nights_per_stay
    hi = body.nights or body.max_nights or window
    if lo > window:
        raise Unprocessable(
            f"{counted(lo, 'night does', 'nights do')} not fit in the window of "
            f"{counted(window, 'day')}.",
            zh=f"{lo} 晚超出了 {window} 天的出行时间窗。",
            field="nights" if body.nights else "min_nights",
            code="nights_exceed_window",
            limit=window,  # the most nights the dates hold
        )
    if hi < shortest:
        raise Unprocessable(
            f"{counted(hi, 'night is', 'nights are')} fewer than the shortest stay "
            f"({counted(shortest, 'night')}).",
            zh=f"{hi} 晚比最短的住宿（{shortest} 晚）还少。",
            field="nights" if body.nights else "max_nights",
            code="nights_below_shortest_stay",
            shortest_stay_nights=shortest,
        )
    hi = min(hi, window)
    try:
        pricing.check_rooms(body.guests, body.units, "units")
    except pricing.PricingError as err:
        raise quote_errors.from_pricing(err) from None
    include = tuple(
        data.destination(k, f"include_destinations[{i}]")
        for i, k in enumerate(body.include_destinations)
    )
    avoided_as: dict[int, str] = {}  # each avoided destination, as the caller sent it
    for i, k in enumerate(body.avoid_destinations):
        avoided_as.setdefault(data.destination(k, f"avoid_destinations[{i}]"), k)
    avoid = frozenset(avoided_as)
    if both := [d for d in avoided_as if d in include]:
        said = repr(echoed(avoided_as[both[0]]))
        raise _bad(
            "avoid_destinations",
            f"Destination {said} is both included and avoided.",
            f"目的地 {said} 既在想去的列表中，又在要避开的列表中。",
            code="contradictory",
        )
    if len(set(include)) > body.max_stays:
        raise _bad(
            "include_destinations",
            f"{len(set(include))} destinations to visit need at least as many stays, "
            f"but at most {counted(body.max_stays, 'place')} to stay are asked for.",
            f"要去 {len(set(include))} 个目的地，至少需要同样多段住宿，"
            f"但最多只住 {body.max_stays} 个地方。",
            code="contradictory",
        )
    route: tuple[int, ...] = ()
    if body.route is not None:
        found = queries.route_by_key(data.conn, body.route)
        if found is None:
            raise _bad(
                "route",
                f"No route {echoed(body.route)!r}.",
                f"没有线路 {echoed(body.route)!r}。",
                code="unknown_route",
            )
        route = tuple(stop.destination_id for stop in found.stops)
        if include and not set(include) <= set(route):
            raise _bad(
                "include_destinations",
                "With a route, the destinations to visit must be on the route.",
                "选择线路时，想去的目的地必须在线路上。",
                code="contradictory",
            )
        if avoided := [d for d in route if d in avoid]:
            said = repr(echoed(avoided_as[avoided[0]]))
            raise _bad(
                "avoid_destinations",
                f"The route visits destination {said}, which is to be avoided.",
                f"该线路经过要避开的目的地 {said}。",
                code="contradictory",
            )
    published = set().union(*(p.certifications for p in data.places.values()))
    catalog_service.check_certifications(
        body.needs.certifications, published, "needs.certifications"
    )
    needs = Needs(
        hospital_within_km=body.needs.hospital_within_km,
        medical_insurance_station=body.needs.medical_insurance_station,
        cross_province_settlement=body.needs.cross_province_settlement,
        elder_friendly_rooms=body.needs.elder_friendly_rooms,
        certifications=frozenset(body.needs.certifications),
        step_free=body.needs.step_free,
        lift=body.needs.lift,
        grab_bars=body.needs.grab_bars,
        twin_beds=body.needs.twin_beds,
        accessible_bathroom=body.needs.accessible_bathroom,
    )
    return PlanRequest(
        earliest_check_in=body.earliest_check_in,
        latest_check_out=body.latest_check_out,
        nights_min=lo,
        nights_max=hi,
        booking_date=today,
        max_stays=len(route) if route else body.max_stays,
        min_nights_per_stay=body.min_nights_per_stay,
        guests=body.guests,
        units=body.units,
        themes=frozenset(str(t) for t in body.themes),
        include_destinations=tuple(dict.fromkeys(include)),
        avoid_destinations=avoid,
        route=route,
        pack_kinds=tuple(dict.fromkeys(str(k) for k in body.pack_kinds)),
        needs=needs,
        max_total_fen=body.max_total_fen,
        allow_self_travel=body.allow_self_travel,
        stubs=tuple(data.stubs),
        channel=pricing.Channel(channel),
        limit=body.limit,
        fill=fill,
    )


def _too_broad(body: PlanIn, request: PlanRequest) -> Unprocessable:
    """422 ``plan_too_broad``: the search spent its work budget (``WORK_BUDGET``) before
    proving its plans. Names what to narrow, with a concrete value
    (``planner.budget.narrowing``): a suggestion, not a promise."""
    given = "min_nights_per_stay" in body.model_fields_set
    narrow = narrowing(request, per_stay_given=given, nights_given=bool(body.nights))
    return Unprocessable(
        "This request has too many possible plans to search in full; please narrow it: "
        f"{narrow.en}.",
        zh=f"这个请求可能的行程太多，无法完整搜索；请缩小范围：{narrow.zh}。",
        field=narrow.field,
        code="plan_too_broad",
        suggested=narrow.value,
    )


def shortest_stay_nights(conn: sa.Connection, now: datetime) -> int:
    """The fewest nights a plan of the default request can hold now: the number
    ``nights_below_shortest_stay`` gives (``PlanIn``'s ``min_nights_per_stay`` or the
    shortest length an active product sells, whichever is longer). The planner page says
    it for nights below 1, which ``PlanIn`` refuses before this rule is reached."""
    least = PlanIn.model_fields["min_nights_per_stay"].default
    return _Data(conn, now, ()).shortest_stay(least)


def _prepared(
    conn: sa.Connection, body: PlanIn, *, caller: Caller, now: datetime
) -> tuple[_Data, PlanRequest]:
    """The catalogue as read for ``body`` and the validated request: every refusal that
    needs no search (``_request``, the stubs' in ``_Data``)."""
    data = _Data(conn, now, body.stubs)
    return data, _request(body, data, local_date(now), caller.channel)


def check_request(conn: sa.Connection, body: PlanIn, *, caller: Caller, now: datetime) -> None:
    """Refuse ``body`` as ``make_plans`` would before it searches (the window, the nights,
    the destinations, route, certifications and stubs: 422 naming the field), by the
    same code, searching nothing. What a request that must wait for a search slot is
    told before it waits (``service.plans.slots``): an invalid request gets its 4xx,
    never ``planner_busy``."""
    _prepared(conn, body, caller=caller, now=now)


def make_plans(
    conn: sa.Connection,
    body: PlanIn,
    *,
    caller: Caller,
    now: datetime,
    lang: Lang,
    say_date: Callable[[date, str], str] = explain.plain_date,
) -> dict[str, Any]:
    """The whole of ``POST /v1/plans`` but HTTP, on the caller's read transaction.
    ``say_date``: how the nudges say a day (``explain.plain_date`` for the API; the
    pages' long dates)."""
    data, request = _prepared(conn, body, caller=caller, now=now)
    catalogue = data.catalogue(request)
    try:
        result = Planner(request, catalogue, data.calendars(request)).run()
        if result.plans:
            ids = {pid for plan in result.plans for pid in plan.product_ids}
            catalogue = data.with_margins(catalogue, request, ids)
        relaxations: list[explain.Relaxation] = []
        if not result.plans:
            full = data.catalogue(request, prefilter=False)
            if result.empty_stage == "needs":  # say why from every product, not the few kept
                result = Planner(request, full).run()
            shared = WorkBudget()  # all the relaxations together: one search's budget
            relaxations = explain.relaxations(
                request, full, lambda r, share: Planner(r, full, budget=share).run(), shared
            )
            result = explain.rooms_missing(request, full, result, relaxations)
    except SearchTooBroad:
        raise _too_broad(body, request) from None
    return render(request, catalogue, data, result, relaxations, body.sort, lang, say_date)


def _stops(quote: pricing.QuoteRequest, data: _Data) -> dict[int, tuple[int, int]]:
    """Where each leg of a plan's (or a nudge's) quote request boards and alights: the
    destinations of the stays it joins (the one checking out on its travel date, the
    next checking in), by leg index; a leg whose stays are not two stops of its line
    (never, for a plan) is left without."""
    out = {}
    items = quote.items
    for k, leg in enumerate(quote.legs):
        for a, b in zip(items, items[1:], strict=False):
            if a.check_out == leg.travel_date == b.check_in:
                pair = (
                    data.terms[a.product_id].destination_id,
                    data.terms[b.product_id].destination_id,
                )
                if pair[0] != pair[1] and set(pair) <= data.line_stops.get(leg.line_id, set()):
                    out[k] = pair
                break
    return out


def _stops_json(stops: dict[int, tuple[int, int]], data: _Data) -> quote_stops.LegStops:
    return {
        k: (quote_stops.stop_json(data.dest_rows[a]), quote_stops.stop_json(data.dest_rows[b]))
        for k, (a, b) in stops.items()
    }


def _quote_body(
    quote: pricing.QuoteRequest, stub_codes: Sequence[str], data: _Data
) -> dict[str, Any]:
    """The body to POST to /v1/quotes for ``quote``, its legs' stops with them."""
    stops = _stops(quote, data)
    return {
        "items": [
            {
                "product_id": i.product_id,
                "check_in": i.check_in.isoformat(),
                "check_out": i.check_out.isoformat(),
                "guests": i.guests,
                "units": i.units,
                "pack_ids": list(i.pack_ids),
            }
            for i in quote.items
        ],
        "legs": [
            {
                "line_id": g.line_id,
                "travel_date": g.travel_date.isoformat(),
                "riders": g.riders,
                "from_destination_id": stops[k][0] if k in stops else None,
                "to_destination_id": stops[k][1] if k in stops else None,
            }
            for k, g in enumerate(quote.legs)
        ],
        "stubs": list(stub_codes),
    }


def _fit_key(plan, places) -> tuple:
    nights = sum(s.nights for s in plan.stays)
    km = sum(places[s.destination_id].nearest_hospital_km * s.nights for s in plan.stays)
    return (math.floor(km * 10 / nights), plan.rank_key())


def render(
    request,
    catalogue,
    data: _Data,
    result,
    relaxations,
    sort: str,
    lang: Lang,
    say_date: Callable[[date, str], str] = explain.plain_date,
) -> dict:
    places = catalogue.places
    plans = list(result.plans)
    if sort == "fit":
        plans.sort(key=lambda p: _fit_key(p, places))
    codes = [s.code for s in request.stubs]
    out = []
    for rank, plan in enumerate(plans, 1):
        priced = payload.priced_json(
            plan.priced,
            data.terms,
            data.line_terms,
            catalogue.rules,
            _stops_json(_stops(plan.request, data), data),
            refund_policies=data.refund_policies,
        )
        price = render_priced(priced, lang)
        offers = {o.id: o for o in catalogue.offers}
        stays = []
        for i, stay in enumerate(plan.stays):
            terms = offers[stay.product_id].terms
            place = places[stay.destination_id]
            packs = {p.id: p for p in terms.packs}
            stays.append(
                {
                    "product": {
                        "id": terms.id,
                        "slug": data.product_slugs.get(terms.id),
                        "name": pick(lang, terms.name_zh, terms.name_en),
                    },
                    "destination": _dest_ref(data, place, lang),
                    "check_in": stay.check_in,
                    "check_out": stay.check_out,
                    "nights": stay.nights,
                    "packs": [
                        {
                            "id": pid,
                            "kind": str(packs[pid].kind),
                            "name": pick(lang, packs[pid].name_zh, packs[pid].name_en),
                        }
                        for pid in stay.pack_ids
                    ],
                    "net_fen": plan.priced.items[i].net_fen,
                }
            )
        legs = []
        for c in plan.changeovers:
            line = data.line_terms.get(c.line_id) if c.line_id else None
            a, b = places[c.from_destination], places[c.to_destination]
            if line is not None:
                note = pick(
                    lang,
                    f"{c.travel_date} 乘{line.name_zh}前往{b.name_zh}",
                    f"{c.travel_date}: {line.name_en} to {b.name_en}",
                )
            elif c.self_travel:
                note = pick(
                    lang,
                    f"没有交通线路连接{a.name_zh}和{b.name_zh}：请自行前往（约{c.distance_km:.0f}公里）",
                    f"No transit line joins {a.name_en} and {b.name_en}: travel on your own "
                    f"(about {c.distance_km:.0f} km)",
                )
            else:
                note = pick(
                    lang,
                    f"继续留在{b.name_zh}，在同一目的地换住处，无需乘车",
                    f"Stay on at {b.name_en}, moving to the next stay there: no travel needed",
                )
            legs.append(
                {
                    "from_destination": _dest_ref(data, a, lang),
                    "to_destination": _dest_ref(data, b, lang),
                    "travel_date": c.travel_date,
                    "line": None
                    if line is None
                    else {
                        "id": line.id,
                        "slug": line.code,
                        "name": pick(lang, line.name_zh, line.name_en),
                    },
                    "riders": request.guests if line else 0,
                    "fare_fen": line.fare_fen * request.guests if line else 0,
                    "self_travel": c.self_travel,
                    "distance_km": c.distance_km,
                    "note": note,
                }
            )
        fits = [
            {
                "need": e.need,
                "stay_index": e.stay_index,
                "met": e.met,
                "evidence": pick(lang, e.text_zh, e.text_en),
            }
            for e in explain.fits(request, catalogue, plan)
        ]
        nudges = [
            {
                "kind": n.kind,
                "text": pick(lang, n.text_zh, n.text_en),
                "total_fen": n.total_fen,
                "difference_fen": n.difference_fen,
                "quote_request": None
                if n.quote_request is None
                else _quote_body(n.quote_request, codes, data),
                "book_by": n.book_by,
            }
            for n in explain.nudges(request, catalogue, plan, say_date)
        ]
        out.append(
            {
                "rank": rank,
                "total_fen": plan.total_fen,
                "nights": sum(s.nights for s in plan.stays),
                "destinations": len({s.destination_id for s in plan.stays}),
                "stays": stays,
                "legs": legs,
                "quote_request": _quote_body(plan.request, codes, data),
                "price": price,
                "fits": fits,
                "nudges": nudges,
            }
        )
    reasons = []
    if not plans and result.empty_stage:
        stage = result.empty_stage
        if stage == "budget" and not any("max_total_fen" in r.change for r in relaxations):
            stage = "shape"  # without the budget there is no plan either
        zh, en = explain.empty_reason(request, replace(result, empty_stage=stage))
        last = _last_night_before(data, catalogue, request) if stage == "availability" else None
        if last is not None:
            zh, en = explain.beyond_sale_words(last, say_date)
        reasons.append({"code": stage, "text": pick(lang, zh, en), "last_night_on_sale": last})
    fitted = None
    if request.fill and plans:
        nights = sum(s.nights for s in plans[0].stays)
        zh, en = explain.fitted_words(nights, request.window_days)
        fitted = {
            "nights": nights,
            "window_nights": request.window_days,
            "text": pick(lang, zh, en),
        }
    return {
        "plans": out,
        "fitted": fitted,
        "reasons": reasons,
        "relaxations": [
            {
                "change": r.change,
                "text": pick(lang, r.text_zh, r.text_en),
                "cheapest_total_fen": r.cheapest_total_fen,
            }
            for r in relaxations
        ],
        "search": {
            "candidates": result.stats.candidates,
            "sequences_evaluated": result.stats.sequences_evaluated,
            "engine_quotes": result.stats.engine_quotes,
        },
    }


def _last_night_before(data: _Data, catalogue: Catalogue, request: PlanRequest) -> date | None:
    """The latest last night on sale (``availability.last_night_on_sale``) of the products
    that meet the request (``catalogue``'s offers), when the window starts after it: none
    of them sells a night that far ahead yet (one with no night published sells none).
    None when one is on sale later, or none has a night published."""
    with Session(bind=data.conn) as s:
        nights = [
            availability.last_night_on_sale(s, o.id, data.terms[o.id].sold_until)
            for o in catalogue.offers
        ]
    last = max((n for n in nights if n is not None), default=None)
    return last if last is not None and last < request.earliest_check_in else None


def _dest_ref(data: _Data, place: Place, lang: Lang) -> dict:
    return {
        "id": place.id,
        "slug": data.dest_rows[place.id].slug,
        "name": pick(lang, place.name_zh, place.name_en),
    }
