"""Seeded random planning instances (small catalogues with every kind of rule) and the
brute-force planner the search is checked against."""

from __future__ import annotations

import functools
import itertools
import random
from dataclasses import replace
from datetime import date, timedelta

import pricing
from catalog.sellability import DayRestriction, SaleCalendar, SaleTerms
from planner.model import (
    Catalogue,
    Line,
    Needs,
    Offer,
    Place,
    PlanRequest,
    RoomFacts,
    build_plan_request,
    eligible_offers,
    line_table,
)

THEMES = ("forest_healing", "hot_spring", "summer_retreat", "folk_culture")
KINDS = ("therapy", "dining", "culture")
BASES = tuple(pricing.PackBasis)
CERTS = ("eldercare_certified", "forest_health_base")


def _window(rng: random.Random, lo: date, hi: date) -> tuple[date | None, date | None]:
    span = (hi - lo).days
    a = lo + timedelta(days=rng.randint(0, span)) if rng.random() < 0.5 else None
    b = lo + timedelta(days=rng.randint(0, span)) if rng.random() < 0.5 else None
    if a and b and b < a:
        a, b = b, a
    return a, b


def instance(seed: int, restrictions: bool = True) -> tuple[PlanRequest, Catalogue]:
    """A random request and catalogue. ``restrictions=False``: no day restrictions and
    the direct channel (what the database path can express for an anonymous caller)."""
    rng = random.Random(seed)
    with_restrictions = restrictions
    booking = date(2027, 5, 1)
    earliest = booking + timedelta(days=rng.choice([0, 3, 20, 45, 70]))
    W = rng.randint(6, 35)
    latest = earliest + timedelta(days=W)
    lo, hi = earliest - timedelta(days=10), latest + timedelta(days=10)
    n_dest = rng.randint(1, 8)
    places = {}
    for d in range(1, n_dest + 1):
        places[d] = Place(
            id=d,
            name_zh=f"地{d}",
            name_en=f"Place {d}",
            lat=42 + rng.random() * 3,
            lon=124 + rng.random() * 6,
            nearest_hospital_km=round(rng.uniform(0.5, 30), 1),
            medical_insurance_station=rng.random() < 0.6,
            cross_province_settlement=rng.random() < 0.6,
            elder_friendly_rooms=rng.random() < 0.6,
            certifications=frozenset(c for c in CERTS if rng.random() < 0.4),
        )
    pack_id = itertools.count(1)
    offers = []
    pid = 0
    for d in places:
        for _ in range(rng.randint(1, 2)):
            pid += 1
            seasons = []
            for _ in range(rng.randint(0, 2)):
                s = lo + timedelta(days=rng.randint(0, (hi - lo).days - 2))
                e = s + timedelta(days=rng.randint(1, 20))
                if all(e <= x.start or s >= x.end for x in seasons):
                    seasons.append(pricing.Season(s, e, rng.randint(10_000, 90_000)))
            seasons.sort(key=lambda x: x.start)
            if rng.random() < 0.4:
                modules = tuple(
                    sorted(rng.sample([1, 2, 3, 4, 5, 7, 10, 14, 21], rng.randint(1, 4)))
                )
                mn, mx = None, None
            else:
                modules = ()
                mn = rng.choice([None, 1, 2, 3, 5])
                mx = rng.choice([None, 8, 14, 30])
            packs = tuple(
                pricing.PackOffer(
                    next(pack_id),
                    f"p{pid}",
                    pricing.PackKind(rng.choice(KINDS)),
                    "包",
                    "pack",
                    rng.randint(1_000, 60_000),
                    rng.choice(BASES),
                )
                for _ in range(rng.randint(0, 3))
            )
            base_occ = rng.randint(1, 2)
            terms = pricing.ProductTerms(
                id=pid,
                destination_id=d,
                theme=rng.choice(THEMES),
                name_zh=f"产品{pid}",
                name_en=f"Product {pid}",
                base_rate_fen=rng.randint(10_000, 80_000),
                base_occupancy=base_occ,
                max_occupancy=base_occ + rng.randint(0, 2),
                extra_guest_fee_fen=rng.choice([0, rng.randint(1_000, 20_000)]),
                seasons=tuple(seasons),
                max_discount_bps=rng.choice([0, 1000, 2500, 3000, 5000, 10000]),
                min_nights=mn,
                max_nights=mx,
                duration_modules=modules,
                sold_from=rng.choice(
                    [None, None, None, earliest + timedelta(days=rng.randint(0, 5))]
                ),
                sold_until=rng.choice(
                    [None, None, None, latest - timedelta(days=rng.randint(1, 5))]
                ),
                packs=packs,
            )
            left = {}
            for i in range(W):
                if rng.random() < 0.97:  # holes: nights without inventory
                    units = 0 if rng.random() < 0.03 else rng.randint(1, 4)
                    left[earliest + timedelta(days=i)] = units
            restrictions = {}
            for i in range(W + 1):
                if rng.random() < 0.03 and with_restrictions:
                    restrictions[earliest + timedelta(days=i)] = DayRestriction(
                        stop_sell=rng.random() < 0.3,
                        closed_to_arrival=rng.random() < 0.3,
                        closed_to_departure=rng.random() < 0.3,
                        min_stay=rng.choice([None, 2, 5]),
                        max_stay=rng.choice([None, 10]),
                        min_stay_through=rng.choice([None, None, 4, 9]),
                    )
            calendar = SaleCalendar.build(SaleTerms.of(terms), earliest, latest, left, restrictions)
            room = RoomFacts(
                step_free=rng.random() < 0.6, lift=rng.random() < 0.5, grab_bars=rng.random() < 0.5
            )
            offers.append(Offer(terms, calendar, room))
    lines = []
    for lid in range(1, rng.randint(0, 4) + 1):
        stops = frozenset(rng.sample(sorted(places), min(len(places), rng.randint(2, 3))))
        if len(stops) < 2:
            continue
        fare = rng.choice([2_000, 5_600, rng.randint(500, 9_000)])
        lines.append(Line(pricing.TransitLineTerms(lid, f"L{lid}", "线", "line", fare), stops))
    rules = []
    rid = itertools.count(1)

    def scope():
        roll = rng.random()
        if roll < 0.5:
            return {}
        if roll < 0.7:
            return {"destination_ids": frozenset(rng.sample(sorted(places), 1))}
        if roll < 0.85:
            return {"themes": frozenset(rng.sample(THEMES, 2))}
        return {"product_ids": frozenset(rng.sample(range(1, pid + 1), min(pid, 2)))}

    def windows():
        bf, bt = _window(rng, booking - timedelta(days=5), booking + timedelta(days=5))
        cf, ct = _window(rng, lo, hi)
        ch = frozenset(rng.sample(list(pricing.Channel), 1)) if rng.random() < 0.1 else frozenset()
        return {
            "booking_from": bf,
            "booking_to": bt,
            "check_in_from": cf,
            "check_in_to": ct,
            "channels": ch,
        }

    def tiers(start):
        thresholds = sorted(rng.sample(range(start, 40), rng.randint(1, 3)))
        return tuple(
            pricing.Tier(t, rng.choice([300, 500, 800, 1000, 1500, 2500])) for t in thresholds
        )

    for _ in range(rng.randint(0, 2)):
        rules.append(
            pricing.DiscountRule(
                next(rid),
                1,
                pricing.RuleKind.long_stay,
                "长",
                "long",
                tiers=tiers(1),
                **scope(),
                **windows(),
            )
        )
    for _ in range(rng.randint(0, 2)):
        rules.append(
            pricing.DiscountRule(
                next(rid),
                1,
                pricing.RuleKind.advance_booking,
                "早",
                "early",
                tiers=tiers(0),
                **scope(),
                **windows(),
            )
        )
    for _ in range(rng.randint(0, 2)):
        rules.append(
            pricing.DiscountRule(
                next(rid),
                1,
                pricing.RuleKind.trip_bundle,
                "组",
                "trip",
                min_destinations=rng.randint(2, 3),
                bps=rng.choice([300, 500, 1000]),
                **scope(),
                **windows(),
            )
        )
    for _ in range(rng.randint(0, 1)):
        rules.append(
            pricing.DiscountRule(
                next(rid),
                1,
                pricing.RuleKind.pack_bundle,
                "包",
                "packs",
                min_packs=rng.randint(1, 2),
                bps=rng.choice([500, 1000, 2000]),
                **scope(),
                **windows(),
            )
        )
    stubs = []
    for issuer in range(1, rng.choice([0, 0, 0, 1, 2]) + 1):
        if lines and rng.random() < 0.5:
            target = {"transit_line_ids": frozenset([rng.choice(lines).terms.id])}
        else:
            target = {"pack_kinds": frozenset([rng.choice(KINDS)])}
        w = windows()
        w.pop("check_in_from"), w.pop("check_in_to")
        rules.append(
            pricing.DiscountRule(
                next(rid),
                1,
                pricing.RuleKind.ticket_stub,
                "票",
                "stub",
                issuer_id=issuer,
                valid_days=rng.randint(0, 20),
                bps=rng.choice([2000, 5000, 10000]),
                **target,
                **w,
            )
        )
        stubs.append(
            pricing.StubInfo(
                f"S{issuer}",
                issuer,
                earliest + timedelta(days=rng.randint(-3, W)),
                rng.randint(1, 3),
            )
        )
    max_stays = rng.randint(1, 3)
    per_stay = rng.randint(1, min(7, W))
    if rng.random() < 0.5:
        n_min = n_max = rng.randint(per_stay, W)
    else:
        n_min = rng.randint(1, W)
        n_max = rng.randint(n_min, W)
    needs = Needs()
    if rng.random() < 0.3:
        needs = Needs(
            hospital_within_km=rng.choice([None, 10.0, 25.0]),
            cross_province_settlement=rng.random() < 0.5,
            elder_friendly_rooms=rng.random() < 0.3,
            certifications=frozenset(rng.sample(CERTS, rng.randint(0, 1))),
            step_free=rng.random() < 0.3,
        )
    route = ()
    if rng.random() < 0.1:
        route = tuple(rng.choice(sorted(places)) for _ in range(rng.randint(1, 3)))
    request = PlanRequest(
        earliest_check_in=earliest,
        latest_check_out=latest,
        nights_min=n_min,
        nights_max=n_max,
        booking_date=booking,
        max_stays=max_stays,
        min_nights_per_stay=per_stay,
        guests=(guests := rng.randint(1, 3)),
        units=rng.randint(1, min(2, guests)),  # a guest a unit at least, as quotes ask
        themes=frozenset(rng.sample(THEMES, 2)) if rng.random() < 0.2 else frozenset(),
        include_destinations=tuple(rng.sample(sorted(places), 1)) if rng.random() < 0.15 else (),
        avoid_destinations=frozenset(rng.sample(sorted(places), 1))
        if rng.random() < 0.15
        else frozenset(),
        route=route,
        pack_kinds=tuple(rng.sample(KINDS, rng.choice([0, 0, 1, 2]))),
        needs=needs,
        max_total_fen=rng.choice([None, None, None, rng.randint(50_000, 2_000_000)]),
        allow_self_travel=rng.random() < 0.5,
        stubs=tuple(stubs),
        channel=rng.choice(list(pricing.Channel)) if with_restrictions else pricing.Channel.direct,
        limit=rng.randint(1, 5),
    )
    return request, Catalogue(places, offers, lines, rules)


def filling(seed: int) -> tuple[PlanRequest, Catalogue]:
    """``instance(seed)`` asking to fit the dates (``fill``): half of them over the range
    the service gives when no length is asked (the shortest stay up to the window's
    nights), the others over the instance's own range."""
    request, catalogue = instance(seed)
    if random.Random(-1 - seed).random() < 0.5:
        request = replace(
            request, nights_min=request.min_nights_per_stay, nights_max=request.window_days
        )
    return replace(request, fill=True), catalogue


@functools.cache
def brute_force_of(seed: int) -> list[tuple]:
    """``brute_force(*instance(seed))``, worked out once per process: the exactness tests
    and the rooms test each check the same 1,000 instances against it (tuples; not to be
    changed by a caller)."""
    return brute_force(*instance(seed))


def brute_force(request: PlanRequest, catalogue: Catalogue) -> list[tuple]:
    """Every plan enumerated and priced by the engine; the best of each product
    sequence, ranked; as (total, product ids, first check-in, nights) tuples. With
    ``fill``: only the plans of the most nights any plan has.

    The sequences are walked as a tree (a sequence extends its prefix by one product),
    each carrying every way its stays fit the window so far, so a prefix's stays are
    worked out once for all the sequences it starts; what a sequence may be (each
    product once, neighbours connected, no going back to a destination left but on a
    route, the route's destinations in order) holds of each of its prefixes. With
    ``fill`` the plans are priced longest first, down to the first length with a plan
    within the budget."""
    offers = {o.id: o for o in eligible_offers(request, catalogue)}
    lines = line_table(catalogue.lines)
    products = {o.id: o.terms for o in catalogue.offers}
    engine_lines = {line.terms.id: line.terms for line in catalogue.lines}
    W = request.window_days
    start = request.earliest_check_in
    longest = len(request.route) if request.route else request.max_stays
    stays_memo: dict = {}

    def stays(pid: int, day: int) -> list[int]:
        """The nights a stay at ``pid`` arriving on ``day`` may last."""
        key = (pid, day)
        if key not in stays_memo:
            ci = start + timedelta(days=day)
            calendar = offers[pid].calendar
            stays_memo[key] = [
                n
                for n in range(request.min_nights_per_stay, min(W - day, request.nights_max) + 1)
                if n >= 1
                and calendar.stay_problem(ci, ci + timedelta(days=n), request.units) is None
            ]
        return stays_memo[key]

    def connected(p: int, q: int) -> bool:
        a, b = offers[p].destination_id, offers[q].destination_id
        return a == b or (a, b) in lines or request.allow_self_travel

    plans: list[tuple] = []  # (product ids, first day, nights of each stay)

    def walk(seq: tuple, dests: tuple, fits: list[tuple]) -> None:
        # fits: (first day, day after the last stay, nights of each stay)
        if (not request.route or len(seq) == longest) and set(request.include_destinations) <= set(
            dests
        ):
            plans.extend(
                (seq, a, nights) for a, _, nights in fits if sum(nights) >= request.nights_min
            )
        if len(seq) == longest:
            return
        for q in sorted(offers):
            d = offers[q].destination_id
            if q in seq or (seq and not connected(seq[-1], q)):
                continue
            if request.route and d != request.route[len(seq)]:
                continue
            if not request.route and dests and d != dests[-1] and d in dests:
                continue  # back to a destination left
            if seq:
                longer = [
                    (a, end + n, nights + (n,))
                    for a, end, nights in fits
                    for n in stays(q, end)
                    if sum(nights) + n <= request.nights_max
                ]
            else:
                longer = [(a, a + n, (n,)) for a in range(W) for n in stays(q, a)]
            if longer:
                walk(seq + (q,), dests + (d,), longer)

    walk((), (), [])

    def priced(group: list[tuple]) -> list[tuple]:
        every = []
        for seq, a, nights in group:
            _, _, quote = build_plan_request(
                request, catalogue, offers, lines, seq, start + timedelta(days=a), nights
            )
            total = pricing.price_quote(quote, products, engine_lines, catalogue.rules).total_fen
            if request.max_total_fen is None or total <= request.max_total_fen:
                every.append((seq, (total, a, nights)))
        return every

    if request.fill:  # the most nights of any plan within the budget: longest first
        by_length: dict[int, list[tuple]] = {}
        for p in plans:
            by_length.setdefault(sum(p[2]), []).append(p)
        every = []
        for length in sorted(by_length, reverse=True):
            if every := priced(by_length[length]):
                break
    else:
        every = priced(plans)
    best: dict[tuple, tuple] = {}
    for seq, key in every:
        if seq not in best or key < best[seq]:
            best[seq] = key
    ranked = sorted(
        (total, len(seq), start + timedelta(days=a), seq, nights)
        for seq, (total, a, nights) in best.items()
    )
    return [(t, seq, ci, nights) for t, _, ci, seq, nights in ranked[: request.limit]]
