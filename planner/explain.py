"""Why a plan fits, what would make it cheaper, and why there is no plan: every text in
zh-CN and English, every amount priced by the pricing engine (pure, no I/O)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta

import pricing
from catalog.geo import distance_words
from catalog.vocab import CERTIFICATION_NAMES, ROOM_FACT_NAMES, name_in
from planner.budget import SearchTooBroad, WorkBudget
from planner.model import (
    MAX_UNITS,
    ROOM_FACTS,
    Catalogue,
    Needs,
    Plan,
    PlanRequest,
    SearchResult,
    blocked_occupancy,
    build_plan_request,
    line_table,
)
from pricing.labels import counted

SHIFT_DAYS = 7
SHIFTS = (-7, -3, -1, 1, 3, 7)  # the moves of the whole trip a nudge tries

# The yes/no facts a need can ask for, zh-CN and English, as a stay's evidence names
# them (「异地就医直接结算：是」, "lift: yes"; a room's is 「房间电梯：是」): the
# destination's, then the room's (``catalog.vocab.ROOM_FACT_NAMES``, the plan page's too).
PLACE_FACT_NAMES = {
    "medical_insurance_station": ("医保服务站", "insurance station"),
    "cross_province_settlement": ("异地就医直接结算", "cross-province settlement (异地就医)"),
    "elder_friendly_rooms": ("适老化房间", "elder-friendly rooms"),
}
# The room facts English says with an article when they are asked for ("without a lift").
_ROOM_ARTICLES = {"lift": "a ", "accessible_bathroom": "a "}

# What each yes/no need asks for, as a relaxation that drops it says it: 「不要求…」,
# "without ..." (the hospital's distance and the certifications are said with their
# values). A room's fact is asked for by its name.
NEED_WORDS = {
    "medical_insurance_station": ("有医保服务站", "a medical-insurance station"),
    "cross_province_settlement": (
        "异地就医直接结算",
        "cross-province medical-insurance settlement",
    ),
    "elder_friendly_rooms": ("适老化房间", "elder-friendly rooms"),
    **{name: (zh, _ROOM_ARTICLES.get(name, "") + en) for name, (zh, en) in ROOM_FACT_NAMES.items()},
}


def certification_names(codes) -> tuple[list[str], list[str]]:
    """The certifications' names, zh-CN and English, as the destination pages say them
    (``catalog.vocab.CERTIFICATION_NAMES``; a code it does not know, as it is)."""
    codes = sorted(codes)
    return (
        [name_in(CERTIFICATION_NAMES, c, "zh-CN") for c in codes],
        [name_in(CERTIFICATION_NAMES, c, "en") for c in codes],
    )


def without_need(needs: Needs, name: str) -> tuple[str, str]:
    """A need dropped, in zh-CN and English: 「不要求离医院0.5公里以内」, "without a
    hospital within 0.5 km"."""
    if name == "hospital_within_km":
        km = needs.hospital_within_km
        return f"不要求离医院{km:g}公里以内", f"without a hospital within {km:g} km"
    if name == "certifications":
        zh, en = certification_names(needs.certifications)
        quoted = ", ".join(f"“{n}”" for n in en)
        return (
            f"不要求认证（{'、'.join(zh)}）",
            f"without the certification{'s' if len(en) > 1 else ''} {quoted}",
        )
    zh, en = NEED_WORDS[name]
    return f"不要求{zh}", f"without {en}"


@dataclass(frozen=True, slots=True)
class Evidence:
    need: str
    stay_index: int
    met: bool
    text_zh: str
    text_en: str


@dataclass(frozen=True, slots=True)
class Nudge:
    kind: str  # longer_stay | shift_start | book_by
    text_zh: str
    text_en: str
    total_fen: int
    difference_fen: int  # new total - plan total (negative saves)
    quote_request: pricing.QuoteRequest | None
    # book_by: the last day to book at the plan's total; total_fen is then the total
    # booked the day after, and difference_fen the rise
    book_by: date | None = None


def _yes(value: bool) -> tuple[str, str]:
    return ("是", "yes") if value else ("否", "no")


def fits(request: PlanRequest, catalogue: Catalogue, plan: Plan) -> list[Evidence]:
    """Each need asked for, per stay, with the published fact that meets it."""
    needs = request.needs
    offers = {o.id: o for o in catalogue.offers}
    out = []
    for i, stay in enumerate(plan.stays):
        place = catalogue.places[stay.destination_id]
        room = offers[stay.product_id].room
        for name in needs.named():
            if name == "hospital_within_km":
                km = place.nearest_hospital_km
                limit = needs.hospital_within_km
                km_zh, km_en = distance_words(km)
                zh = f"最近医院 {km_zh}（要求不超过 {limit:g} 公里）"
                en = f"hospital {km_en} (asked within {limit:g} km)"
                met = km <= limit
            elif name == "certifications":
                have_zh, have_en = certification_names(needs.certifications & place.certifications)
                zh = "认证：" + "、".join(have_zh)
                en = "certified: " + ", ".join(have_en)
                met = needs.certifications <= place.certifications
            else:
                if name in ROOM_FACTS:
                    value = getattr(room, name)
                    fz, fe = ROOM_FACT_NAMES[name]
                    fz = f"房间{fz}"
                else:
                    value = getattr(place, name)
                    fz, fe = PLACE_FACT_NAMES[name]
                yz, ye = _yes(value)
                zh, en, met = f"{fz}：{yz}", f"{fe}: {ye}", value
            out.append(Evidence(name, i, met, zh, en))
    return out


def _yuan(fen: int) -> str:
    return pricing.format_yuan(fen)


def _price(catalogue: Catalogue, quote: pricing.QuoteRequest, products, lines):
    try:
        return pricing.price_quote(quote, products, lines, catalogue.rules)
    except pricing.PricingError:
        return None


def _sellable(offers, request: PlanRequest, stays) -> bool:
    for product_id, check_in, check_out in stays:
        cal = offers[product_id].calendar
        if cal is None or cal.stay_problem(check_in, check_out, request.units) is not None:
            return False
    return True


def plain_date(day: date, lang: str) -> str:
    """The API's way of saying a day in a nudge: 「2027年7月1日」 in zh-CN, ``2027-07-01``
    in English (the pages say it with the weekday, ``web.long_date``)."""
    if lang == "zh-CN":
        return f"{day.year}年{day.month}月{day.day}日"
    return day.isoformat()


def book_by_words(
    deadline: date, today: date, say_date: Callable[[date, str], str] = plain_date
) -> tuple[str, str]:
    """How the last day to book is said, zh-CN and English: "today" on that day (read on
    the day itself, a date reads as if there were more time), else the day."""
    if deadline == today:
        return "请今天预订", "Book today"
    return f"请在{say_date(deadline, 'zh-CN')}前预订", f"Book by {say_date(deadline, 'en')}"


def nudges(
    request: PlanRequest,
    catalogue: Catalogue,
    plan: Plan,
    say_date: Callable[[date, str], str] = plain_date,
) -> list[Nudge]:
    """Changes that lower the price (or the price per night), each priced by the engine:
    a longer last stay (7 more nights, when it stays in the window and is on sale), the
    whole trip moved by 1, 3 or 7 days either way (said plainly when that leaves the
    window; the calendars reach ``SHIFT_DAYS`` beyond it), and the last day to book
    before the plan's total rises (``first_rise``: a rule's booking window closing, an
    advance-booking tier dropping), with the rise. Days are said
    by ``say_date(day, lang)`` (``"zh-CN"`` or ``"en"``): the pages say them as they say
    every other date."""
    out: list[Nudge] = []
    offers = {o.id: o for o in catalogue.offers}
    lines = line_table(catalogue.lines)
    products = {pid: o.terms for pid, o in offers.items()}
    line_terms = {line.terms.id: line.terms for line in catalogue.lines}
    base = plan.total_fen
    nights_now = sum(s.nights for s in plan.stays)
    ids = plan.product_ids
    nights = [s.nights for s in plan.stays]

    def priced_variant(check_in: date, variant_nights, req=request):
        try:
            stays, _, quote = build_plan_request(
                req, catalogue, offers, lines, ids, check_in, variant_nights
            )
        except ValueError:
            return None, None
        spans = [(s.product_id, s.check_in, s.check_out) for s in stays]
        if not _sellable(offers, req, spans):
            return None, None
        return quote, _price(catalogue, quote, products, line_terms)

    # 1. A longer last stay.
    last = plan.stays[-1]
    longer = nights[:-1] + [nights[-1] + 7]
    if last.check_out + timedelta(days=7) <= request.latest_check_out:
        quote, priced = priced_variant(plan.stays[0].check_in, longer)
        if priced is not None:
            per_now = pricing.divide_half_up(base, nights_now)
            per_new = pricing.divide_half_up(priced.total_fen, nights_now + 7)
            if per_new < per_now:
                name = offers[last.product_id].terms
                tier = _long_stay_bps(priced, len(plan.stays) - 1)
                tz = f"（长住折扣{pricing.format_bps(tier)}）" if tier else ""
                te = f" (long-stay {pricing.format_bps(tier)})" if tier else ""
                there = nights[-1] + 7
                more = _yuan(priced.total_fen - base)
                out.append(
                    Nudge(
                        "longer_stay",
                        f"在{name.name_zh}多住7晚（这一段共{there}晚）：多付{more}，"
                        f"全程每晚均价从{_yuan(per_now)}降到{_yuan(per_new)}{tz}",
                        f"Stay 7 more nights at {name.name_en} ({there} nights there): "
                        f"{more} more, and the whole trip's average falls to "
                        f"{_yuan(per_new)} a night from {_yuan(per_now)}{te}",
                        priced.total_fen,
                        priced.total_fen - base,
                        quote,
                    )
                )
    # 2. The whole trip moved by up to 7 days: the cheapest such move that saves.
    best = None
    for shift in SHIFTS:
        start = plan.stays[0].check_in + timedelta(days=shift)
        if start < request.booking_date:
            continue
        quote, priced = priced_variant(start, nights)
        if priced is not None and priced.total_fen < base:
            if best is None or (priced.total_fen, abs(shift)) < (best[2].total_fen, abs(best[0])):
                best = (shift, quote, priced)
    if best is not None:
        shift, quote, priced = best
        start = plan.stays[0].check_in + timedelta(days=shift)
        end = start + timedelta(days=nights_now)
        outside = start < request.earliest_check_in or end > request.latest_check_out
        oz = "（超出您的出行日期范围）" if outside else ""
        oe = " (outside your dates)" if outside else ""
        save = base - priced.total_fen
        was = plan.stays[0].check_in
        moved = f"{'提前' if shift < 0 else '推迟'}{abs(shift)}天"
        out.append(
            Nudge(
                "shift_start",
                f"改为{say_date(start, 'zh-CN')}入住，比原定{moved}：节省{_yuan(save)}{oz}",
                f"Start on {say_date(start, 'en')} instead of {say_date(was, 'en')}: "
                f"save {_yuan(save)}{oe}",
                priced.total_fen,
                -save,
                quote,
            )
        )
    # 3. Book by: the last booking day before the plan's total rises.
    rise = first_rise(catalogue, plan, products, line_terms)
    if rise is not None:
        day, priced = rise
        deadline = day - timedelta(days=1)
        more = priced.total_fen - base
        zh, en = book_by_words(deadline, request.booking_date, say_date)
        cz, ce = _why_it_rises(catalogue, plan.priced, priced, deadline)
        out.append(
            Nudge(
                "book_by",
                f"{zh}：此后{cz}，总价将多{_yuan(more)}",
                f"{en}: after that {ce} and the total rises by {_yuan(more)}",
                priced.total_fen,
                more,
                None,
                deadline,
            )
        )
    return out


def first_rise(
    catalogue: Catalogue, plan: Plan, products, line_terms
) -> tuple[date, pricing.PricedQuote] | None:
    """The first booking day after the plan's on which the engine prices its quote
    request higher, with that price; None when the total does not rise up to its first
    check-in (the last day it can be booked).

    The engine's total depends on the booking day only through the rules' booking
    windows (a rule is open from ``booking_from`` to ``booking_to``) and the days ahead
    of each stay (an advance-booking tier of ``t`` days is met up to ``check_in - t``):
    it is the same on every day between two of the days where one of these changes.
    So those days alone are priced, in order, by the engine itself: the first that
    costs more is the first day that does (the tests scan every day to check it)."""
    quote = plan.request
    today = quote.booking_date
    last = min(item.check_in for item in quote.items)
    days = set()
    for rule in catalogue.rules:
        if rule.booking_from is not None:
            days.add(rule.booking_from)
        if rule.booking_to is not None:
            days.add(rule.booking_to + timedelta(days=1))
        if rule.kind == pricing.RuleKind.advance_booking:
            for tier in rule.tiers:
                days.update(i.check_in - timedelta(days=tier.threshold - 1) for i in quote.items)
    for day in sorted(d for d in days if today < d <= last):
        priced = _price(catalogue, replace(quote, booking_date=day), products, line_terms)
        if priced is not None and priced.total_fen > plan.total_fen:
            return day, priced
    return None


def _why_it_rises(
    catalogue: Catalogue, now: pricing.PricedQuote, later: pricing.PricedQuote, deadline: date
) -> tuple[str, str]:
    """What booking after ``deadline`` changes, in zh-CN and English: each rule whose
    discount lines come to less in ``later`` than in ``now``, named, with why (its
    booking window closes, its tier drops, it no longer applies, it takes off less)."""

    def by_rule(priced: pricing.PricedQuote) -> dict[int, int]:
        out: dict[int, int] = {}
        for line in priced.lines:
            if line.rule_id is not None:
                out[line.rule_id] = out.get(line.rule_id, 0) + line.amount_fen
        return out

    before, after = by_rule(now), by_rule(later)
    rules = {r.id: r for r in catalogue.rules}
    zh, en = [], []
    for rule_id in sorted(before):
        if after.get(rule_id, 0) >= before[rule_id]:
            continue
        rule = rules[rule_id]
        if rule.booking_to == deadline:
            zh.append(f"「{rule.name_zh}」的预订期截止")
            en.append(f"“{rule.name_en}” closes for booking")
        elif rule_id not in after:
            zh.append(f"「{rule.name_zh}」不再适用")
            en.append(f"“{rule.name_en}” no longer applies")
        elif rule.kind == pricing.RuleKind.advance_booking:
            zh.append(f"「{rule.name_zh}」降档")
            en.append(f"“{rule.name_en}” drops to a lower tier")
        else:
            zh.append(f"「{rule.name_zh}」的优惠减少")
            en.append(f"“{rule.name_en}” takes off less")
    if not zh:
        return "优惠减少", "the discounts take off less"
    return "，".join(zh), " and ".join(en)


def _long_stay_bps(priced: pricing.PricedQuote, item_index: int) -> int:
    for line in priced.lines:
        if line.item_index == item_index and line.rule_kind == pricing.RuleKind.long_stay:
            return line.bps or 0
    return 0


STAGE_TEXT = {
    "needs": (
        "没有产品同时满足所选主题、目的地和需求条件。",
        "No product meets the chosen themes, destinations and needs together.",
    ),
    "availability": (
        "符合条件的产品在这些日期内没有可售的入住（库存、最短入住晚数或可选晚数不符）。",
        "The products that fit have no stay on sale in these dates (inventory, the minimum "
        "nights per stay or the stay lengths they sell).",
    ),
    "shape": (
        "找不到能首尾相接、总晚数相符、且相邻目的地之间有交通线路连接的入住组合。",
        "No sequence of stays fits back to back with the nights asked and a transit line "
        "between consecutive destinations.",
    ),
    "budget": (
        "所有可行方案都超出了预算。",
        "Every plan that fits costs more than the budget.",
    ),
}


def beyond_sale_words(
    last_night: date, say_date: Callable[[date, str], str] = plain_date
) -> tuple[str, str]:
    """Why there is no plan when the window starts after the last night on sale of every
    product that fits (the service reads that night, ``last_night_on_sale``), in zh-CN
    and English: the day stays are on sale up to, said as ``say_date`` says a day."""
    return (
        f"符合条件的产品目前只开放到{say_date(last_night, 'zh-CN')}当晚的入住，"
        f"您选的日期还未开售。请选择更早的日期。",
        f"Stays are on sale only up to the night of {say_date(last_night, 'en')}: the "
        f"products that fit sell nothing in these dates yet. Choose earlier dates.",
    )


def fitted_words(nights: int, window: int) -> tuple[str, str]:
    """What a request that gave no length (``fill``) was planned as, in zh-CN and
    English: the dates filled, or the most nights any plan has and why not more."""
    if nights == window:
        return (
            f"未填写晚数：行程住满您的日期，共{nights}晚。",
            f"No length given: the plans fill your dates, {counted(nights, 'night')}.",
        )
    return (
        f"未填写晚数：按日期范围安排为{nights}晚。您的日期共{window}晚，"
        f"但可订的住宿长度和余房凑不满，{nights}晚是能订到的最长行程。",
        f"No length given: planned as {counted(nights, 'night')}, the longest trip that "
        f"can be booked between your dates ({counted(window, 'night')}): the lengths the "
        f"stays sell and the rooms "
        f"left do not add up to more.",
    )


def empty_reason(request: PlanRequest, result: SearchResult) -> tuple[str, str]:
    """Why ``result`` has no plan, in zh-CN and English: the stage's text, with the
    party's size and the largest room when the party is what keeps every product out."""
    if result.empty_stage == "party_too_large" and result.rooms_short:
        most, guests, units = result.largest_occupancy, request.guests, request.units
        rooms = "room or bed" if units == 1 else "rooms or beds"
        return (
            f"{guests}位住客订{units}间（床位）住不下：能住下{guests}人的产品在这些日期内排不出"
            f"符合晚数的行程，其余符合条件的产品每间最多住{most}人。请增加房间（床位）数，"
            f"或减少人数。",
            f"{guests} {'guest' if guests == 1 else 'guests'} do not fit in {units} {rooms}: "
            f"the stays that take {guests} in {units} {rooms} give no plan of the nights "
            f"asked in these dates, and the others that fit hold at most "
            f"{counted(most, 'guest')} a room. Plan for more rooms or for fewer guests.",
        )
    if result.empty_stage == "party_too_large":
        most, guests, units = result.largest_occupancy, request.guests, request.units
        return (
            f"{guests}位住客订{units}间（床位）住不下：符合条件的产品每间最多住{most}人。"
            f"请减少人数，或增加房间（床位）数。",
            f"{guests} {'guest' if guests == 1 else 'guests'} do not fit in {units} "
            f"{'room or bed' if units == 1 else 'rooms or beds'}: the products that fit hold "
            f"at most {counted(most, 'guest')} a room. Plan for fewer guests or for more rooms.",
        )
    return STAGE_TEXT[result.empty_stage or "needs"]


def rooms_missing(
    request: PlanRequest, catalogue: Catalogue, result: SearchResult, relaxed: list[Relaxation]
) -> SearchResult:
    """``result`` (no plan) said by the party's size when rooms are what is missing: the
    search found no stay or sequence (``availability``, ``shape``) among the offers that
    take the party in the units asked, and more units (a relaxation of ``relaxed``,
    which gives plans) let in offers the party kept out. The search's own stage looks
    only at the offers it may use, so it said "no sequence of stays fits ... a transit
    line" of one stay when the rooms were too small."""
    if result.empty_stage not in ("availability", "shape"):
        return result
    if not any(set(r.change) == {"units"} for r in relaxed):
        return result
    most = blocked_occupancy(request, catalogue)
    return replace(result, empty_stage="party_too_large", largest_occupancy=most, rooms_short=True)


@dataclass(frozen=True, slots=True)
class Relaxation:
    change: dict
    text_zh: str
    text_en: str
    cheapest_total_fen: int


def _said(zh: str, en: str) -> Callable[[Plan], tuple[str, str]]:
    """A relaxation's words that are the same whatever plan it gives."""
    return lambda _cheapest: (zh, en)


def _more_rooms_words(catalogue: Catalogue, cheapest: Plan, units: int) -> tuple[str, str]:
    """More rooms, with what the rooms of the cheapest plan they give hold (not the
    largest room of any product: the cheapest may hold fewer)."""
    offers = {o.id: o.terms for o in catalogue.offers}
    held = sorted({offers[pid].max_occupancy for pid in cheapest.product_ids})
    zh_most = f"{held[0]}" if len(held) == 1 else f"{held[0]}至{held[-1]}"
    en_most = f"{held[0]}" if len(held) == 1 else f"{held[0]} to {held[-1]}"
    return (
        f"订{units}间（床位），每间最多住{zh_most}人",
        f"book {counted(units, 'room or bed', 'rooms or beds')}, each for up to "
        f"{en_most} {'guest' if held[-1] == 1 else 'guests'}",
    )


def relaxations(
    request: PlanRequest, catalogue: Catalogue, run, budget: WorkBudget | None = None
) -> list[Relaxation]:
    """The nearest relaxations that give plans: each one change to the request, tried
    with ``run(request, budget) -> SearchResult`` (the planner under that work budget,
    None: its own), kept when it finds a plan. A change is a JSON merge patch of the
    ``POST /v1/plans`` body (``null`` removes a field) that the service reads as exactly
    the request tried: sent as it is, it gives the plans it names the cheapest total of.
    ``budget``: the work all of them may spend together; each change may spend its equal
    share of what is left when it is tried (what one leaves goes to those after it), so
    one that would search too broadly (self-travel over a long window) is not offered
    but leaves the others theirs: it once spent the whole budget, and the change that
    gives plans at once (no destination required) was not offered either."""
    # (the change, the request it makes, its words from the cheapest plan it gives)
    tries: list[tuple[dict, PlanRequest, Callable[[Plan], tuple[str, str]]]] = []
    rooms: list[tuple[dict, PlanRequest, Callable[[Plan], tuple[str, str]]]] = []
    most = blocked_occupancy(request, catalogue)
    if most is not None:  # the party is too large for some rooms: more rooms, fewer guests
        # The fewest rooms that give plans: from those the largest room needs up. The
        # rooms that hold the most may give no plan (sold out, not in these dates) while
        # more, smaller rooms do (9 guests: 2 rooms of 6 none, 3 rooms of 3 some).
        rooms = [
            (
                {"units": units},
                replace(request, units=units),
                lambda cheapest, units=units: _more_rooms_words(catalogue, cheapest, units),
            )
            for units in range(-(-request.guests // most), min(MAX_UNITS, request.guests) + 1)
        ]
        fewer = most * request.units
        tries.append(
            (
                {"guests": fewer},
                replace(request, guests=fewer),
                _said(f"入住人数改为{fewer}人", f"{fewer} {'guest' if fewer == 1 else 'guests'}"),
            )
        )
    if request.max_total_fen is not None:
        tries.append(
            (
                {"max_total_fen": None},
                replace(request, max_total_fen=None),
                _said("取消预算上限", "drop the budget"),
            )
        )
    if not request.allow_self_travel:
        tries.append(
            (
                {"allow_self_travel": True},
                replace(request, allow_self_travel=True),
                _said(
                    "允许无交通线路时自行前往", "allow travelling on your own where no line runs"
                ),
            )
        )
    if request.min_nights_per_stay > 1:
        lower = max(1, request.min_nights_per_stay // 2)
        change: dict = {"min_nights_per_stay": lower}
        if not request.fill and request.nights_min < request.nights_max:
            # sent without nights: the least nights in all stays what it is (else it
            # would follow the stays' least down, as the service reads a request)
            change["min_nights"] = request.nights_min
        tries.append(
            (
                change,
                replace(request, min_nights_per_stay=lower),
                _said(f"每段最少入住改为{lower}晚", f"at least {counted(lower, 'night')} per stay"),
            )
        )
    if request.nights_min > request.min_nights_per_stay:
        lo, hi = request.min_nights_per_stay, request.nights_max
        tries.append(
            (
                # applies as sent: no nights (min_nights with nights is contradictory)
                {"nights": None, "min_nights": lo, "max_nights": hi},
                replace(request, nights_min=lo),
                _said(f"总晚数改为{lo}至{hi}晚", f"{lo} to {counted(hi, 'night')} in all"),
            )
        )
    if request.max_stays < 4 and not request.route:
        tries.append(
            ({"max_stays": 4}, replace(request, max_stays=4), _said("最多4段入住", "up to 4 stays"))
        )
    if request.themes:
        tries.append(
            ({"themes": []}, replace(request, themes=frozenset()), _said("不限主题", "any theme"))
        )
    if request.include_destinations:
        tries.append(
            (
                {"include_destinations": []},
                replace(request, include_destinations=()),
                _said("不限必去目的地", "no destination required"),
            )
        )
    if request.pack_kinds:
        tries.append(
            (
                {"pack_kinds": []},
                replace(request, pack_kinds=()),
                _said("不要求增值包", "no add-on pack required"),
            )
        )
    for name in request.needs.named():
        if name == "hospital_within_km":
            value = None
        elif name == "certifications":
            value = frozenset()
        else:
            value = False
        needs = replace(request.needs, **{name: value})
        tries.append(
            (
                {
                    "needs": {
                        name: None if value is None else [] if name == "certifications" else False
                    }
                },
                replace(request, needs=needs),
                _said(*without_need(request.needs, name)),
            )
        )
    # each change with its alternatives, the first that plans kept (more rooms: the fewest)
    changes = ([rooms] if rooms else []) + [[t] for t in tries]
    out: list[Relaxation] = []
    for k, alternatives in enumerate(changes):
        given = 0 if budget is None else budget.left // (len(changes) - k)
        share = None if budget is None else WorkBudget(given)
        try:
            for change, relaxed, words in alternatives:
                tried = _tried(lambda r, share=share: run(r, share), change, relaxed, words)
                if tried is not None:
                    out.append(tried)
                    break
        except SearchTooBroad:  # its share spent: not offered (a relaxation is a hint,
            pass  # the request is still answered)
        if share is not None:
            budget.left -= given - max(share.left, 0)
    return out


def _tried(
    run, change: dict, relaxed: PlanRequest, words: Callable[[Plan], tuple[str, str]]
) -> Relaxation | None:
    """The relaxation ``change`` (the request ``relaxed``) with its cheapest total, or
    None when it gives no plan."""
    result = run(replace(relaxed, limit=1))
    if not result.plans:
        return None
    total = result.plans[0].total_fen
    zh, en = words(result.plans[0])
    return Relaxation(change, f"{zh}：总价 {_yuan(total)} 起", f"{en}: from {_yuan(total)}", total)
