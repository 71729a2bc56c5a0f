"""``price_quote``: a quote request in, an itemised quote out (PRICING.md).

Steps: validate the request; price each item's nights and packs and each leg; apply
each item's accommodation discounts in order (long_stay, advance_booking, trip_bundle)
under its cap; apply each item's pack_bundle; hand the stubs out greedily; add up.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from pricing import labels
from pricing.money import round_half_up
from pricing.quote import (
    APPLIES_ACCOMMODATION,
    APPLIES_PACK,
    APPLIES_PACKS,
    APPLIES_TRANSIT,
    LINE_ACCOMMODATION,
    LINE_DISCOUNT,
    LINE_PACK,
    LINE_TRANSIT,
    NightSegment,
    PricedItem,
    PricedLeg,
    PricedQuote,
    QuoteLine,
)
from pricing.stubs import StubTarget, allocate_stubs
from pricing.types import (
    DiscountRule,
    PackBasis,
    PackOffer,
    ProductTerms,
    QuoteRequest,
    RuleKind,
    Season,
    StayItemRequest,
    TransitLineTerms,
)
from pricing.validation import validate_request, validate_rule, validate_seasons

_ACCOMMODATION_ORDER = (RuleKind.long_stay, RuleKind.advance_booking, RuleKind.trip_bundle)
# Lookups that accept an enum member or its plain string (cheaper than calling the enum).
_KINDS = {kind.value: kind for kind in RuleKind}
_BASES = {basis.value: basis for basis in PackBasis}


def price_quote(
    request: QuoteRequest,
    products: Mapping[int, ProductTerms],
    transit_lines: Mapping[int, TransitLineTerms],
    rules: Sequence[DiscountRule],
) -> PricedQuote:
    """Price ``request`` against the given catalogue terms and discount rules.

    Raises ``PricingError``: the first problem of the request in request order, or
    ``invalid_rule`` / ``overlapping_seasons`` for catalogue data the engine cannot price
    consistently. Pure: no I/O, no clock; the same input gives an equal quote.
    """
    for r, rule in enumerate(rules):
        validate_rule(rule, f"rules[{r}]")
    validate_request(request, products, transit_lines)

    by_kind: dict[RuleKind, list[DiscountRule]] = {kind: [] for kind in _KINDS.values()}
    for rule in rules:
        if _open_to(rule, request.booking_date, request.channel):
            by_kind[_KINDS[rule.kind]].append(rule)

    destinations = len({products[item.product_id].destination_id for item in request.items})
    seasons: dict[int, tuple[Season, ...]] = {}
    works: list[_ItemWork] = []
    for i, item in enumerate(request.items):
        terms = products[item.product_id]
        if terms.id not in seasons:
            seasons[terms.id] = validate_seasons(
                terms.seasons, f"products[{item.product_id}].seasons"
            )
        work = _price_item(i, item, terms, seasons[terms.id], request.booking_date)
        _apply_accommodation_discounts(work, by_kind, destinations)
        _apply_pack_bundle(work, by_kind[RuleKind.pack_bundle])
        works.append(work)

    targets: list[StubTarget] = []
    for work in works:
        for offer, line in work.packs:
            targets.append(
                StubTarget(
                    position=len(targets),
                    applies_to=APPLIES_PACK,
                    on_date=work.item.check_in,
                    gross_fen=line.amount_fen,
                    item_index=work.index,
                    pack_id=offer.id,
                    pack_kind=offer.kind,
                )
            )
    legs: list[tuple[QuoteLine, StubTarget]] = []
    for k, leg in enumerate(request.legs):
        terms_line = transit_lines[leg.line_id]
        gross = terms_line.fare_fen * leg.riders
        zh, en = labels.transit(terms_line, leg.travel_date, leg.riders)
        line = QuoteLine(
            kind=LINE_TRANSIT,
            label_zh=zh,
            label_en=en,
            amount_fen=gross,
            leg_index=k,
            quantity=leg.riders,
            unit_price_fen=terms_line.fare_fen,
        )
        target = StubTarget(
            position=len(targets),
            applies_to=APPLIES_TRANSIT,
            on_date=leg.travel_date,
            gross_fen=gross,
            leg_index=k,
            line_id=leg.line_id,
            fare_fen=terms_line.fare_fen,
            riders=leg.riders,
        )
        targets.append(target)
        legs.append((line, target))

    pack_room = {work.index: work.packs_fen - work.packs_discount_fen for work in works}
    stub_uses, stub_lines = allocate_stubs(
        request.stubs, targets, by_kind[RuleKind.ticket_stub], pack_room
    )
    return _assemble(request, works, legs, stub_uses, stub_lines)


@dataclass(slots=True)
class _ItemWork:
    index: int
    item: StayItemRequest
    terms: ProductTerms
    nights: int
    days_ahead: int
    accommodation: QuoteLine
    packs: list[tuple[PackOffer, QuoteLine]]
    packs_fen: int
    cap_fen: int
    discounts: list[QuoteLine] = field(default_factory=list)
    accommodation_discount_fen: int = 0
    packs_discount_fen: int = 0


def _open_to(rule: DiscountRule, booking_date: date, channel: str) -> bool:
    """Channel and booking window: these apply to every kind of rule."""
    if rule.channels and channel not in rule.channels:
        return False
    if rule.booking_from is not None and booking_date < rule.booking_from:
        return False
    return rule.booking_to is None or booking_date <= rule.booking_to


def _in_scope(rule: DiscountRule, terms: ProductTerms, check_in: date) -> bool:
    """Destination, theme, product and check-in scope of an item-scoped rule."""
    if rule.destination_ids and terms.destination_id not in rule.destination_ids:
        return False
    if rule.themes and terms.theme not in rule.themes:
        return False
    if rule.product_ids and terms.id not in rule.product_ids:
        return False
    if rule.check_in_from is not None and check_in < rule.check_in_from:
        return False
    return rule.check_in_to is None or check_in <= rule.check_in_to


def _night_segments(
    terms: ProductTerms, seasons: tuple[Season, ...], check_in: date, check_out: date, units: int
) -> tuple[NightSegment, ...]:
    """Split ``[check_in, check_out)`` into runs at one rate; ``seasons`` sorted, disjoint."""
    segments: list[NightSegment] = []
    cursor = check_in
    for season in seasons:
        if season.end <= cursor or season.start >= check_out:
            continue
        if season.start > cursor:
            nights = (season.start - cursor).days
            segments.append(NightSegment(cursor, season.start, terms.base_rate_fen, nights, units))
            cursor = season.start
        end = min(season.end, check_out)
        nights = (end - cursor).days
        segments.append(NightSegment(cursor, end, season.nightly_rate_fen, nights, units))
        cursor = end
    if cursor < check_out:
        nights = (check_out - cursor).days
        segments.append(NightSegment(cursor, check_out, terms.base_rate_fen, nights, units))
    return tuple(segments)


def _multiplier(basis: PackBasis, guests: int, nights: int) -> int:
    if basis == PackBasis.per_stay:
        return 1
    if basis == PackBasis.per_guest:
        return guests
    if basis == PackBasis.per_night:
        return nights
    if basis == PackBasis.per_guest_night:
        return guests * nights
    if basis == PackBasis.per_week:
        return -(-nights // 7)
    raise ValueError(f"unknown pack basis {basis!r}")


def _price_item(
    index: int,
    item: StayItemRequest,
    terms: ProductTerms,
    seasons: tuple[Season, ...],
    booking_date: date,
) -> _ItemWork:
    nights = (item.check_out - item.check_in).days
    segments = _night_segments(terms, seasons, item.check_in, item.check_out, item.units)
    extra_guests = max(0, item.guests - terms.base_occupancy * item.units)
    extra_guest_fen = terms.extra_guest_fee_fen * extra_guests * nights
    accommodation_fen = sum(segment.amount_fen for segment in segments) + extra_guest_fen
    zh, en = labels.accommodation(terms, nights, item.units, extra_guests)
    accommodation = QuoteLine(
        kind=LINE_ACCOMMODATION,
        label_zh=zh,
        label_en=en,
        amount_fen=accommodation_fen,
        item_index=index,
        quantity=nights,
        nights_detail=segments,
        extra_guests=extra_guests,
        extra_guest_fee_fen=terms.extra_guest_fee_fen,
        extra_guest_fen=extra_guest_fen,
    )
    offers = {offer.id: offer for offer in terms.packs}
    packs: list[tuple[PackOffer, QuoteLine]] = []
    for pack_id in item.pack_ids:
        offer = offers[pack_id]
        multiplier = _multiplier(offer.basis, item.guests, nights)
        zh, en = labels.pack(offer, item.guests, nights, multiplier)
        line = QuoteLine(
            kind=LINE_PACK,
            label_zh=zh,
            label_en=en,
            amount_fen=offer.price_fen * multiplier,
            item_index=index,
            pack_id=offer.id,
            quantity=multiplier,
            unit_price_fen=offer.price_fen,
            basis=_BASES[offer.basis],
            multiplier=multiplier,
        )
        packs.append((offer, line))
    return _ItemWork(
        index=index,
        item=item,
        terms=terms,
        nights=nights,
        days_ahead=(item.check_in - booking_date).days,
        accommodation=accommodation,
        packs=packs,
        packs_fen=sum(line.amount_fen for _, line in packs),
        cap_fen=round_half_up(accommodation_fen, terms.max_discount_bps),
    )


def _rule_bps(rule: DiscountRule, measure: int) -> tuple[int, int] | None:
    """(bps, tier threshold or condition) if ``rule`` qualifies at ``measure``."""
    kind = rule.kind
    if kind == RuleKind.long_stay or kind == RuleKind.advance_booking:
        for tier in reversed(rule.tiers):
            if tier.threshold <= measure:
                return tier.bps, tier.threshold
        return None
    if kind == RuleKind.trip_bundle:
        return (rule.bps, rule.min_destinations) if measure >= rule.min_destinations else None
    if kind == RuleKind.pack_bundle:
        return (rule.bps, rule.min_packs) if measure >= rule.min_packs else None
    return None


def _best_rule(
    rules: Sequence[DiscountRule], work: _ItemWork, base: int, measure: int
) -> tuple[DiscountRule, int, int, int] | None:
    """Among the in-scope qualifying rules, the one saving the most on ``base`` (before
    any cap); ties: lowest rule id, then version. Returns (rule, bps, threshold, raw)."""
    best = None
    for rule in rules:
        if not _in_scope(rule, work.terms, work.item.check_in):
            continue
        found = _rule_bps(rule, measure)
        if found is None:
            continue
        bps, threshold = found
        raw = round_half_up(base, bps)
        if (
            best is None
            or raw > best[3]
            or (raw == best[3] and (rule.id, rule.version) < (best[0].id, best[0].version))
        ):
            best = (rule, bps, threshold, raw)
    return best


def _discount_line(
    work: _ItemWork,
    rule: DiscountRule,
    bps: int,
    threshold: int,
    measure: int,
    base: int,
    raw: int,
    amount: int,
    applies_to: str,
) -> QuoteLine:
    kind = _KINDS[rule.kind]
    capped = amount < raw
    zh, en = labels.discount(kind, bps, measure, capped)
    return QuoteLine(
        kind=LINE_DISCOUNT,
        label_zh=zh,
        label_en=en,
        amount_fen=amount,
        item_index=work.index,
        rule_id=rule.id,
        rule_version=rule.version,
        rule_kind=kind,
        base_fen=base,
        bps=bps,
        tier_threshold=threshold,
        capped=capped,
        uncapped_fen=raw,
        applies_to=applies_to,
    )


def _apply_accommodation_discounts(
    work: _ItemWork, by_kind: Mapping[RuleKind, Sequence[DiscountRule]], destinations: int
) -> None:
    """long_stay, advance_booking, trip_bundle, each on the running amount; the sum never
    passes the cap: the line that would pass it is cut and marked capped, later lines
    come to 0 and add no line."""
    measures = (work.nights, work.days_ahead, destinations)
    running = work.accommodation.amount_fen
    taken = 0
    for kind, measure in zip(_ACCOMMODATION_ORDER, measures, strict=True):
        best = _best_rule(by_kind[kind], work, running, measure)
        if best is None:
            continue
        rule, bps, threshold, raw = best
        amount = min(raw, work.cap_fen - taken)
        if amount <= 0:
            continue
        work.discounts.append(
            _discount_line(
                work, rule, bps, threshold, measure, running, raw, amount, APPLIES_ACCOMMODATION
            )
        )
        taken += amount
        running -= amount
    work.accommodation_discount_fen = taken


def _apply_pack_bundle(work: _ItemWork, rules: Sequence[DiscountRule]) -> None:
    """bps of the item's gross add-on subtotal, when it has at least min_packs packs."""
    measure = len(work.packs)
    best = _best_rule(rules, work, work.packs_fen, measure)
    if best is None or best[3] <= 0:
        return
    rule, bps, threshold, raw = best
    work.discounts.append(
        _discount_line(work, rule, bps, threshold, measure, work.packs_fen, raw, raw, APPLIES_PACKS)
    )
    work.packs_discount_fen = raw


def _assemble(
    request: QuoteRequest,
    works: Sequence[_ItemWork],
    legs: Sequence[tuple[QuoteLine, StubTarget]],
    stub_uses: list,
    stub_lines: Mapping[int, QuoteLine],
) -> PricedQuote:
    items: list[PricedItem] = []
    legs_out: list[PricedLeg] = []
    all_lines: list[QuoteLine] = []
    stubs_by_pack = {
        (line.item_index, line.pack_id): line
        for line in stub_lines.values()
        if line.applies_to == APPLIES_PACK
    }
    for work in works:
        pack_stub_lines = [
            stubs_by_pack[(work.index, offer.id)]
            for offer, _ in work.packs
            if (work.index, offer.id) in stubs_by_pack
        ]
        packs_discount = work.packs_discount_fen + sum(line.amount_fen for line in pack_stub_lines)
        lines = (
            (work.accommodation,)
            + tuple(line for _, line in work.packs)
            + tuple(work.discounts)
            + tuple(pack_stub_lines)
        )
        gross = work.accommodation.amount_fen + work.packs_fen
        item = work.item
        items.append(
            PricedItem(
                index=work.index,
                product_id=item.product_id,
                check_in=item.check_in,
                check_out=item.check_out,
                nights=work.nights,
                guests=item.guests,
                units=item.units,
                days_ahead=work.days_ahead,
                accommodation_fen=work.accommodation.amount_fen,
                packs_fen=work.packs_fen,
                accommodation_discount_fen=work.accommodation_discount_fen,
                packs_discount_fen=packs_discount,
                net_fen=gross - work.accommodation_discount_fen - packs_discount,
                cap_fen=work.cap_fen,
                lines=lines,
            )
        )
        all_lines.extend(lines)
    for (line, target), leg in zip(legs, request.legs, strict=True):
        stub_line = stub_lines.get(target.position)
        lines = (line,) if stub_line is None else (line, stub_line)
        discount = 0 if stub_line is None else stub_line.amount_fen
        legs_out.append(
            PricedLeg(
                index=target.leg_index,  # type: ignore[arg-type]
                line_id=leg.line_id,
                travel_date=leg.travel_date,
                riders=leg.riders,
                fare_fen=target.fare_fen,
                gross_fen=line.amount_fen,
                discount_fen=discount,
                net_fen=line.amount_fen - discount,
                lines=lines,
            )
        )
        all_lines.extend(lines)

    subtotal = sum(line.amount_fen for line in all_lines if line.kind != LINE_DISCOUNT)
    discount_total = sum(line.amount_fen for line in all_lines if line.kind == LINE_DISCOUNT)
    rules_used = sorted(
        {
            (line.rule_id, line.rule_version)
            for line in all_lines
            if line.kind == LINE_DISCOUNT and line.rule_id is not None
        }
    )
    return PricedQuote(
        items=tuple(items),
        legs=tuple(legs_out),
        lines=tuple(all_lines),
        subtotal_fen=subtotal,
        discount_total_fen=discount_total,
        total_fen=subtotal - discount_total,
        booking_date=request.booking_date,
        channel=request.channel,
        rules_used=tuple(rules_used),  # type: ignore[arg-type]
        stubs_applied=tuple(stub_uses),
    )
