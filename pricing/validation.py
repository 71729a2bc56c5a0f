"""Validation of catalogue data (rules, seasons, products) and of quote requests.

Every problem is a ``PricingError`` naming its code and field. Requests are checked in
request order and the first problem is raised.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import date, timedelta

from pricing.at_once import most_at_once
from pricing.errors import PricingError
from pricing.labels import counted, season_said, stay_said
from pricing.money import format_percent
from pricing.types import (
    RULE_KIND_NAMES,
    Channel,
    DiscountRule,
    PackKind,
    ProductTerms,
    QuoteRequest,
    RuleKind,
    Season,
    StayItemRequest,
    TransitLineTerms,
)

MAX_NIGHTS = 400
_BPS_MAX = 10000
_CHANNELS = frozenset(Channel)
_PACK_KINDS = frozenset(PackKind)
_KINDS = {kind.value: kind for kind in RuleKind}  # also finds a plain-string kind
# Enum members as module constants: ``RuleKind.x`` is a class attribute look-up (~70 ns).
_LONG_STAY = RuleKind.long_stay
_ADVANCE_BOOKING = RuleKind.advance_booking
_TRIP_BUNDLE = RuleKind.trip_bundle
_PACK_BUNDLE = RuleKind.pack_bundle
_TICKET_STUB = RuleKind.ticket_stub


# --- catalogue data ------------------------------------------------------------------


def validate_seasons(seasons: Sequence[Season], field: str = "seasons") -> tuple[Season, ...]:
    """Raise ``overlapping_seasons`` if a window is empty (start >= end) or two windows
    overlap; return the seasons sorted by start."""
    for j, season in enumerate(seasons):
        zh, en = season_said(j)
        if season.start >= season.end:
            raise PricingError(
                "overlapping_seasons",
                f"{field}[{j}]",
                f"{en.capitalize()} starts on {season.start} but ends on {season.end}; "
                "its end must be after its start.",
                f"{zh}从 {season.start} 开始、{season.end} 结束：结束日期须晚于开始日期。",
            )
        if season.nightly_rate_fen < 0:
            raise PricingError(
                "overlapping_seasons",
                f"{field}[{j}].nightly_rate_fen",
                f"{en.capitalize()} has a negative nightly rate.",
                f"{zh}的房价为负数。",
            )
    order = sorted(range(len(seasons)), key=lambda j: seasons[j].start)
    for prev, cur in zip(order, order[1:], strict=False):
        if seasons[cur].start < seasons[prev].end:
            (cur_zh, cur_en), (prev_zh, prev_en) = season_said(cur), season_said(prev)
            raise PricingError(
                "overlapping_seasons",
                f"{field}[{cur}]",
                f"{cur_en.capitalize()} [{seasons[cur].start}, {seasons[cur].end}) overlaps "
                f"{prev_en} [{seasons[prev].start}, {seasons[prev].end}).",
                f"{cur_zh}（{seasons[cur].start} 至 {seasons[cur].end}）与{prev_zh}"
                f"（{seasons[prev].start} 至 {seasons[prev].end}）重叠。",
            )
    return tuple(seasons[j] for j in order)


def _named(
    changed: Collection[str] | None, usual: tuple[str, str, str], other: tuple[str, str, str]
) -> tuple[str, str, str]:
    """Which of two fields that contradict each other a problem names, each as (field,
    English, Chinese): the one the caller changed, if only one of them; else (both, or a
    whole product, ``None``) ``usual``."""
    if changed is not None and other[0] in changed and usual[0] not in changed:
        return other
    return usual


def validate_product(
    terms: ProductTerms, field: str = "product", changed: Collection[str] | None = None
) -> None:
    """Raise ``invalid_product`` for terms the engine cannot price consistently, and
    ``overlapping_seasons`` for bad seasons. ``changed``: the fields the caller changed
    (a PATCH's), so that two fields that contradict each other (the base and the
    maximum occupancy, the minimum and the maximum nights) are refused by the one
    the caller changed; without it, or with both changed, by ``base_occupancy`` (it must
    lie between 1 and the maximum occupancy) and ``max_nights`` (it must not be below
    the minimum)."""

    def bad(sub: str, detail: str, detail_zh: str) -> PricingError:
        return PricingError("invalid_product", f"{field}.{sub}", detail, detail_zh)

    if terms.base_rate_fen < 0 or terms.extra_guest_fee_fen < 0:
        raise bad(
            "base_rate_fen", "Rates and fees must not be negative.", "房价和加人费不能为负数。"
        )
    base, most = terms.base_occupancy, terms.max_occupancy
    if base < 1:
        raise bad(
            "base_occupancy",
            "The base occupancy must be at least 1 guest.",
            "标准入住人数至少为 1 人。",
        )
    if most < base:
        guests, most_guests = counted(base, "guest"), counted(most, "guest")
        raise bad(
            *_named(
                changed,
                (
                    "base_occupancy",
                    f"The base occupancy ({guests}) cannot be more than the maximum "
                    f"occupancy ({most_guests}).",
                    f"标准入住人数（{base} 人）不能多于最多入住人数（{most} 人）。",
                ),
                (
                    "max_occupancy",
                    f"The maximum occupancy ({most_guests}) cannot be below the base "
                    f"occupancy ({guests}).",
                    f"最多入住人数（{most} 人）不能少于标准入住人数（{base} 人）。",
                ),
            )
        )
    if not 0 <= terms.max_discount_bps <= _BPS_MAX:
        raise bad(
            "max_discount_bps",
            "The room-charge discount limit must be between 0% and 100%.",
            "住宿优惠上限须在 0% 到 100% 之间。",
        )
    if terms.min_nights is not None and terms.min_nights < 1:
        raise bad(
            "min_nights", "The minimum stay must be at least 1 night.", "最少晚数至少为 1 晚。"
        )
    if (
        terms.min_nights is not None
        and terms.max_nights is not None
        and terms.max_nights < terms.min_nights
    ):
        fewest, longest = terms.min_nights, terms.max_nights
        shortest, longest_said = counted(fewest, "night"), counted(longest, "night")
        raise bad(
            *_named(
                changed,
                (
                    "max_nights",
                    f"The maximum stay ({longest_said}) cannot be shorter than the minimum "
                    f"stay ({shortest}).",
                    f"最多晚数（{longest} 晚）不能少于最少晚数（{fewest} 晚）。",
                ),
                (
                    "min_nights",
                    f"The minimum stay ({shortest}) cannot be longer than the maximum stay "
                    f"({longest_said}).",
                    f"最少晚数（{fewest} 晚）不能多于最多晚数（{longest} 晚）。",
                ),
            )
        )
    if any(n < 1 for n in terms.duration_modules):
        raise bad(
            "duration_modules",
            "Each length of stay must be at least 1 night.",
            "固定晚数每一项至少为 1 晚。",
        )
    _check_modules(terms, bad)
    first, last = terms.sold_from, terms.sold_until
    if first and last and last < first:
        raise bad(
            "sold_until",
            f"The last night on sale ({last}) cannot be before the first night on sale ({first}).",
            f"停售日期（{last}）不能早于开售日期（{first}）。",
        )
    seen: set[int] = set()
    for j, pack in enumerate(terms.packs):
        if pack.id in seen:
            raise bad(
                f"packs[{j}].id",
                f"Pack {pack.id} is offered twice.",
                f"增值包 {pack.id} 重复提供。",
            )
        seen.add(pack.id)
        if pack.price_fen < 0:
            raise bad(
                f"packs[{j}].price_fen",
                "Pack prices must not be negative.",
                "增值包价格不能为负数。",
            )
    validate_seasons(terms.seasons, f"{field}.seasons")


def _check_modules(terms: ProductTerms, bad) -> None:
    """Each duration module once, and within ``min_nights``..``max_nights`` when they are
    set: the modules decide what is sold, so a module outside the limits would sell a
    stay the limits say is not (a 5-night stay of a product with a 7-night minimum)."""
    lo, hi = terms.min_nights, terms.max_nights
    seen: set[int] = set()
    for j, n in enumerate(terms.duration_modules):
        if n in seen:
            raise bad(
                f"duration_modules[{j}]",
                f"{counted(n, 'night')} is listed twice.",
                f"{n} 晚重复填写。",
            )
        seen.add(n)
        if (lo is not None and n < lo) or (hi is not None and n > hi):
            limits = f"{lo if lo is not None else 1}..{hi if hi is not None else '∞'}"
            raise bad(
                f"duration_modules[{j}]",
                f"{counted(n, 'night')} is outside the stay limits ({limits} nights).",
                f"{n} 晚不在最少、最多晚数（{limits} 晚）之内。",
            )


def validate_rule(rule: DiscountRule, field: str = "rule") -> None:
    """Raise ``invalid_rule`` for a rule the engine would apply inconsistently: bps
    outside 0..10000, unsorted or duplicate tiers, inverted windows, unknown channels or
    pack kinds, or fields its kind does not use."""
    problem = rule_problem(rule)
    if problem is not None:
        sub, detail, detail_zh = problem
        raise PricingError("invalid_rule", f"{field}.{sub}", detail, detail_zh)


# How a rule's problems say it (zh-CN, English): its kind, as the console names the kinds,
# and the fields that only some kinds have. Never the field's name (``field`` has it).
_KIND_SAID = {
    kind: (RULE_KIND_NAMES[kind][0], en)
    for kind, en in {
        RuleKind.long_stay: "A long-stay rule",
        RuleKind.advance_booking: "An advance-booking rule",
        RuleKind.trip_bundle: "A trip-bundle rule",
        RuleKind.pack_bundle: "A pack-bundle rule",
        RuleKind.ticket_stub: "A ticket-stub rule",
    }.items()
}
_RULE_FIELDS_SAID = {
    "destination_ids": ("目的地", "destinations"),
    "themes": ("主题", "themes"),
    "product_ids": ("产品", "products"),
    "issuer_id": ("发放单位", "an issuer"),
    "transit_line_ids": ("交通线路", "transit lines"),
    "pack_kinds": ("增值包类别", "pack kinds"),
    "valid_days": ("有效天数", "days of validity"),
}


def _percent(bps: int) -> str:
    """Basis points as a percentage, a negative one too (-100 -> ``-1%``)."""
    return f"-{format_percent(-bps)}" if bps < 0 else format_percent(bps)


def _discount_out_of_range(bps: int, zh: str, en: str) -> tuple[str, str]:
    """(English, Chinese) of a discount outside 0%..100%; ``zh``/``en``: what it is."""
    said = _percent(bps)
    return (
        f"{en} must be between 0% and 100%; it is {said}.",
        f"{zh}须在 0% 到 100% 之间，此处为 {said}。",
    )


def _tier_problem(j: int, n: int, previous: int | None, nights: bool) -> tuple[str, str]:
    """(English, Chinese) of tier ``j``'s threshold ``n`` below the least (1 night, 0
    days ahead) or not above the tier before's (``previous``); ``nights``: a long-stay
    tier (nights stayed), else an advance-booking one (days booked ahead)."""
    t, zh_t = f"tier {j + 1}", f"第 {j + 1} 档"
    if previous is None or n < (1 if nights else 0):
        if nights:
            return f"{t.capitalize()} must be for at least 1 night; it is for {n}.", (
                f"{zh_t}至少住 1 晚，此处为 {n} 晚。"
            )
        return f"{t.capitalize()} cannot be a negative number of days ahead ({n}).", (
            f"{zh_t}的提前天数不能为负数（此处为 {n}）。"
        )
    if nights:
        return (
            f"Each tier must be for more nights than the one before: {t} is for "
            f"{counted(n, 'night')}, tier {j} for {counted(previous, 'night')}.",
            f"每一档须比前一档住得更久：{zh_t}为 {n} 晚，第 {j} 档为 {previous} 晚。",
        )
    return (
        f"Each tier must be more days ahead than the one before: {t} is "
        f"{counted(n, 'day')} ahead, tier {j} is {counted(previous, 'day')} ahead.",
        f"每一档须比前一档提前更多天：{zh_t}为提前 {n} 天，第 {j} 档为提前 {previous} 天。",
    )


def rule_problem(rule: DiscountRule) -> tuple[str, str, str] | None:
    """The first problem ``validate_rule`` would raise, as (sub-field, detail, detail in
    Chinese), or None. The details say the rule's terms as the console's rule form
    does (the discount, the tiers, the booking and check-in dates), never field names.

    The engine checks every rule on every quote, so this returns instead of building a
    field name and an error for the usual valid rule."""
    kind = _KINDS.get(rule.kind)
    if kind is None:
        return "kind", f"Unknown rule kind {rule.kind!r}.", f"未知的规则类型 {rule.kind!r}。"
    if not 0 <= rule.bps <= _BPS_MAX:
        return "bps", *_discount_out_of_range(rule.bps, "优惠比例", "The discount")
    if rule.channels and not rule.channels <= _CHANNELS:
        unknown = sorted(set(rule.channels) - _CHANNELS)
        return "channels", f"Unknown channels {unknown}.", f"未知的销售渠道 {unknown}。"
    lo, hi = rule.booking_from, rule.booking_to
    if lo is not None and hi is not None and hi < lo:
        return (
            "booking_to",
            f"The last booking date ({hi}) cannot be before the first booking date ({lo}).",
            f"预订截止日（{hi}）不能早于预订起始日（{lo}）。",
        )
    lo, hi = rule.check_in_from, rule.check_in_to
    if lo is not None and hi is not None and hi < lo:
        return (
            "check_in_to",
            f"The last check-in date ({hi}) cannot be before the first check-in date ({lo}).",
            f"入住截止日（{hi}）不能早于入住起始日（{lo}）。",
        )

    kind_zh, kind_en = _KIND_SAID[kind]
    if kind is _LONG_STAY or kind is _ADVANCE_BOOKING:
        if not rule.tiers:
            return "tiers", f"{kind_en} needs at least one tier.", f"{kind_zh}至少需要一档。"
        nights = kind is _LONG_STAY
        previous: int | None = None
        for j, tier in enumerate(rule.tiers):
            n = tier.threshold
            if n < (1 if nights else 0) or (previous is not None and n <= previous):
                return f"tiers[{j}].threshold", *_tier_problem(j, n, previous, nights)
            if not 0 <= tier.bps <= _BPS_MAX:
                return f"tiers[{j}].bps", *_discount_out_of_range(
                    tier.bps, f"第 {j + 1} 档的优惠比例", f"The discount of tier {j + 1}"
                )
            previous = n
        if rule.bps:
            return (
                "bps",
                f"{kind_en} takes its discount from its tiers, not a discount of its own.",
                f"{kind_zh}的优惠比例取自各档，不另设比例。",
            )
    elif rule.tiers:
        return "tiers", f"{kind_en} has no tiers.", f"{kind_zh}不分档。"

    if kind is _TRIP_BUNDLE:
        if rule.min_destinations < 2:
            return (
                "min_destinations",
                f"{kind_en} needs at least 2 destinations; it asks for {rule.min_destinations}.",
                f"{kind_zh}至少需要 2 个目的地，此处为 {rule.min_destinations} 个。",
            )
    elif rule.min_destinations:
        return (
            "min_destinations",
            f"{kind_en} does not count destinations.",
            f"{kind_zh}不设最少目的地数。",
        )

    if kind is _PACK_BUNDLE:
        if rule.min_packs < 1:
            return (
                "min_packs",
                f"{kind_en} needs at least 1 pack; it asks for {rule.min_packs}.",
                f"{kind_zh}至少需要 1 个增值包，此处为 {rule.min_packs} 个。",
            )
    elif rule.min_packs:
        return "min_packs", f"{kind_en} does not count packs.", f"{kind_zh}不设最少增值包数。"

    if kind is _TICKET_STUB:
        if rule.issuer_id is None:
            return (
                "issuer_id",
                f"{kind_en} names the issuer of its stubs.",
                f"{kind_zh}须写明发放单位。",
            )
        if not rule.transit_line_ids and not rule.pack_kinds:
            return (
                "transit_line_ids",
                f"{kind_en} names the transit lines or the pack kinds it is for.",
                f"{kind_zh}须写明适用的交通线路或增值包类别。",
            )
        if rule.pack_kinds and not rule.pack_kinds <= _PACK_KINDS:
            unknown = sorted(set(rule.pack_kinds) - _PACK_KINDS)
            return "pack_kinds", f"Unknown pack kinds {unknown}.", f"未知的增值包类别 {unknown}。"
        if rule.valid_days < 0:
            return (
                "valid_days",
                f"The days of validity cannot be negative ({rule.valid_days}).",
                f"有效天数不能为负数（此处为 {rule.valid_days}）。",
            )
        for name in ("destination_ids", "themes", "product_ids"):
            if getattr(rule, name):
                zh, en = _RULE_FIELDS_SAID[name]
                return (
                    name,
                    f"{kind_en} is not limited to certain {en}.",
                    f"{kind_zh}不按{zh}限定。",
                )
        if rule.check_in_from is not None or rule.check_in_to is not None:
            return (
                "check_in_from",
                f"{kind_en} is not limited to certain check-in dates.",
                f"{kind_zh}不限定入住日期。",
            )
    elif rule.issuer_id is not None or rule.transit_line_ids or rule.pack_kinds or rule.valid_days:
        name = (
            "issuer_id"
            if rule.issuer_id is not None
            else next(
                n for n in ("transit_line_ids", "pack_kinds", "valid_days") if getattr(rule, n)
            )
        )
        zh, en = _RULE_FIELDS_SAID[name]
        return (
            name,
            f"Only a ticket-stub rule has {en}; this is {kind_en[0].lower()}{kind_en[1:]}.",
            f"只有票根优惠才设{zh}，这是{kind_zh}。",
        )
    return None


# --- requests --------------------------------------------------------------------------


def check_stay_dates(check_in: date, check_out: date, at: str = "") -> int:
    """The nights of a stay [check_in, check_out): 1 to ``MAX_NIGHTS``, else
    ``invalid_dates`` or ``stay_too_long`` naming its ``check_out`` (under ``at``, the
    item's path, if given). The one check of a stay's dates: quotes and the availability
    check."""
    field = f"{at}.check_out" if at else "check_out"
    nights = (check_out - check_in).days
    if nights < 1:
        raise PricingError(
            "invalid_dates",
            field,
            f"The check-out date ({check_out}) must be after the check-in date ({check_in}).",
            f"退房日期（{check_out}）须晚于入住日期（{check_in}）。",
        )
    if nights > MAX_NIGHTS:
        raise PricingError(
            "stay_too_long",
            field,
            f"A stay is at most {MAX_NIGHTS} nights; this one has {nights}.",
            f"一次住宿最多 {MAX_NIGHTS} 晚；此次为 {nights} 晚。",
        )
    return nights


def check_rooms(guests: int, units: int, field: str) -> None:
    """At least one guest a unit: ``units`` rooms or beds for ``guests`` guests, else
    ``more_rooms_than_guests`` at ``field`` (the units'), with its ``values``: ``guests``
    and ``asked_units``. A room nobody sleeps in is a typo in the rooms box, not a stay
    (hotels register a guest per room), and it would multiply the price. The one rule
    for a quote's stay, the price calendar and the trip planner; said before
    ``check_guests``, which it never contradicts (fewer guests than units always fit)."""
    if units > guests:
        raise PricingError(
            "more_rooms_than_guests",
            field,
            f"{counted(units, 'unit')} for {counted(guests, 'guest')}: each unit (room or "
            "bed) needs at least one guest, so the units are at most the guests.",
            f"{units} 间（房间或床位）只住 {guests} 人：每间至少住 1 人，间数不能多于人数。",
            values={"guests": guests, "asked_units": units},
        )


def check_guests(guests: int, units: int, max_occupancy: int, field: str) -> None:
    """A party of ``guests`` fits in ``units`` units of a product that takes
    ``max_occupancy`` guests a unit, else ``too_many_guests`` at ``field``, with its
    ``values``: ``limit`` (the most the units take), ``per_unit`` and ``asked_units``.
    The one rule for a quote's stay and for the price calendar."""
    most = max_occupancy * units
    if guests > most:
        raise PricingError(
            "too_many_guests",
            field,
            f"{guests} guests exceed the maximum of {most} "
            f"({max_occupancy} per unit x {counted(units, 'unit')}).",
            f"{guests} 位客人超过上限 {most} 位（每间 {max_occupancy} 位 × {units} 间）。",
            values={"limit": most, "per_unit": max_occupancy, "asked_units": units},
        )


def validate_request(
    request: QuoteRequest,
    products: Mapping[int, ProductTerms],
    transit_lines: Mapping[int, TransitLineTerms],
) -> None:
    """Raise the first problem of ``request``, in request order (items, legs, stubs)."""
    if not request.items and not request.legs:
        raise PricingError(
            "no_items",
            "items",
            "A quote needs at least one stay item or transit leg.",
            "报价至少需要一项住宿或一段交通。",
        )
    booking_date = request.booking_date
    for i, item in enumerate(request.items):
        at = f"items[{i}]"
        terms = products.get(item.product_id)
        if terms is None:
            raise PricingError(
                "unknown_product",
                f"{at}.product_id",
                f"Product {item.product_id} is unknown.",
                f"没有产品 {item.product_id}。",
            )
        nights = check_stay_dates(item.check_in, item.check_out, at)
        if item.check_in < booking_date:
            raise PricingError(
                "check_in_in_past",
                f"{at}.check_in",
                f"The check-in date ({item.check_in}) is before the booking date ({booking_date}).",
                f"入住日期（{item.check_in}）早于预订日期（{booking_date}）。",
            )
        _check_duration(terms, nights, at)
        _check_sale_window(terms, item.check_in, item.check_out, at)
        if item.guests < 1:
            raise PricingError(
                "invalid_guests",
                f"{at}.guests",
                "A stay is for at least 1 guest.",
                "入住人数至少为 1 人。",
            )
        if item.units < 1:
            raise PricingError(
                "invalid_units",
                f"{at}.units",
                "A stay books at least 1 room or bed.",
                "房间或床位数至少为 1。",
            )
        check_rooms(item.guests, item.units, f"{at}.units")
        check_guests(item.guests, item.units, terms.max_occupancy, f"{at}.guests")
        offered = {pack.id for pack in terms.packs}
        chosen: set[int] = set()
        for j, pack_id in enumerate(item.pack_ids):
            if pack_id in chosen:
                raise PricingError(
                    "duplicate_pack",
                    f"{at}.pack_ids[{j}]",
                    f"Pack {pack_id} is chosen more than once.",
                    f"增值包 {pack_id} 被重复选择。",
                )
            if pack_id not in offered:
                raise PricingError(
                    "pack_not_offered",
                    f"{at}.pack_ids[{j}]",
                    f"Product {terms.id} does not offer pack {pack_id}.",
                    f"产品 {terms.id} 不提供增值包 {pack_id}。",
                )
            chosen.add(pack_id)

    _check_overlaps(request.items, products)
    trip = _trip(request.items)
    party = most_at_once((i.check_in, i.check_out, i.guests) for i in request.items)
    for k, leg in enumerate(request.legs):
        at = f"legs[{k}]"
        if leg.line_id not in transit_lines:
            raise PricingError(
                "unknown_transit_line",
                f"{at}.line_id",
                f"Transit line {leg.line_id} is unknown.",
                f"没有交通线路 {leg.line_id}。",
            )
        if leg.travel_date < booking_date:
            raise PricingError(
                "travel_date_in_past",
                f"{at}.travel_date",
                f"The travel date ({leg.travel_date}) is before the booking date ({booking_date}).",
                f"出行日期（{leg.travel_date}）早于预订日期（{booking_date}）。",
            )
        if trip is not None and not trip[0] <= leg.travel_date <= trip[1]:
            raise PricingError(
                "leg_outside_trip",
                f"{at}.travel_date",
                f"The travel date ({leg.travel_date}) is outside the trip, which runs from "
                f"the first check-in ({trip[0]}) to the last check-out ({trip[1]}).",
                f"出行日期（{leg.travel_date}）不在行程之内（首次入住 {trip[0]} 至最后退房 "
                f"{trip[1]}）。",
            )
        if leg.riders < 1:
            raise PricingError(
                "invalid_riders",
                f"{at}.riders",
                "A transit leg is for at least 1 rider.",
                "乘车人数至少为 1 人。",
            )
        if party and leg.riders > party:
            raise PricingError(
                "too_many_riders",
                f"{at}.riders",
                f"{counted(leg.riders, 'rider')} exceed the party of the trip's stays "
                f"({counted(party, 'guest')} at most at once); a transfer carries the "
                "party, at most that many.",
                f"乘车人数 {leg.riders} 人超过行程住宿的人数（同一晚最多 {party} 人）；"
                "交通接送的是同行客人，不能多于此数。",
                values={"limit": party},
            )

    codes: set[str] = set()
    for s, stub in enumerate(request.stubs):
        if stub.code in codes:
            raise PricingError(
                "duplicate_stub",
                f"stubs[{s}].code",
                f"Stub {stub.code} is presented twice.",
                f"票根 {stub.code} 被重复出示。",
                values={"stub": stub.code},
            )
        codes.add(stub.code)
        if stub.persons < 1:
            raise PricingError(
                "invalid_stub",
                f"stubs[{s}].persons",
                "A stub covers at least 1 person.",
                "一张票根至少覆盖 1 人。",
            )


def _check_overlaps(items: Sequence[StayItemRequest], products: Mapping[int, ProductTerms]) -> None:
    """Raise ``overlapping_stays`` for the first item (in request order) that shares a
    night with an earlier item at another destination: one party cannot sleep in two
    places. Items at the same destination may share nights (two rooms, a cabin and a
    suite for one family)."""
    for i, item in enumerate(items):
        here = products[item.product_id].destination_id
        for j in range(i):
            other = items[j]
            if (
                products[other.product_id].destination_id != here
                and item.check_in < other.check_out
                and other.check_in < item.check_out
            ):
                (zh, en), (other_zh, other_en) = stay_said(i), stay_said(j)
                raise PricingError(
                    "overlapping_stays",
                    f"items[{i}]",
                    f"{en.capitalize()} ({item.check_in} to {item.check_out}) shares a night "
                    f"with {other_en} ({other.check_in} to {other.check_out}) at another "
                    "destination; stays at different destinations may not overlap.",
                    f"{zh}（{item.check_in} 至 {item.check_out}）与另一目的地的{other_zh}"
                    f"（{other.check_in} 至 {other.check_out}）有重叠的房晚；"
                    "不同目的地的住宿不得重叠。",
                )


def _trip(items: Sequence[StayItemRequest]) -> tuple[date, date] | None:
    """(first check-in, last check-out) of the stays, None without stays."""
    if not items:
        return None
    return min(i.check_in for i in items), max(i.check_out for i in items)


def _check_duration(terms: ProductTerms, nights: int, at: str) -> None:
    if terms.duration_modules:
        if nights not in terms.duration_modules:
            allowed = "/".join(str(n) for n in terms.duration_modules)
            raise PricingError(
                "duration_not_allowed",
                f"{at}.check_out",
                f"{counted(nights, 'night')} is not one of the allowed durations ({allowed}).",
                f"{nights} 晚不是可选的住宿时长（{allowed} 晚）之一。",
            )
        return
    lo, hi = terms.min_nights, terms.max_nights
    if (lo is not None and nights < lo) or (hi is not None and nights > hi):
        raise PricingError(
            "duration_not_allowed",
            f"{at}.check_out",
            f"{counted(nights, 'night')} is outside the allowed range "
            f"{lo if lo is not None else 1}..{hi if hi is not None else MAX_NIGHTS}.",
            f"{nights} 晚超出允许的范围 "
            f"{lo if lo is not None else 1}..{hi if hi is not None else MAX_NIGHTS} 晚。",
        )


def _check_sale_window(terms: ProductTerms, check_in: date, check_out: date, at: str) -> None:
    if terms.sold_from is not None and check_in < terms.sold_from:
        raise PricingError(
            "not_on_sale",
            f"{at}.check_in",
            f"Product {terms.id} is sold for nights from {terms.sold_from}; "
            f"the check-in date is {check_in}.",
            f"产品 {terms.id} 的在售房晚从 {terms.sold_from} 开始；入住日期为 {check_in}。",
        )
    last_night = check_out - timedelta(days=1)
    if terms.sold_until is not None and last_night > terms.sold_until:
        raise PricingError(
            "not_on_sale",
            f"{at}.check_out",
            f"Product {terms.id} is sold for nights until {terms.sold_until}; "
            f"the last night is {last_night}.",
            f"产品 {terms.id} 的在售房晚截至 {terms.sold_until}；最后一晚为 {last_night}。",
        )
