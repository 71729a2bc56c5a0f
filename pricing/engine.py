"""``price_quote``: a quote request in, an itemised quote out (docs/pricing.md).

Steps: validate the request; price each item's nights and packs and each leg; apply
each item's accommodation discounts in order (long_stay, advance_booking, trip_bundle)
under its cap; apply each item's pack_bundle; hand the stubs out greedily; add up.

This is the hot path of every quote, so it is written for speed: one pass per item with
few helper calls, output lines built as drafts and turned into their frozen classes
(``pricing.quote``, "fast construction"), nights priced by season windows rather than
night by night. Every rule of docs/pricing.md is applied exactly as written; see the
comments at each step.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from pricing import labels
from pricing.errors import PricingError
from pricing.money import round_half_up
from pricing.quote import (
    APPLIES_ACCOMMODATION,
    APPLIES_PACK,
    APPLIES_PACKS,
    LINE_ACCOMMODATION,
    LINE_DISCOUNT,
    LINE_PACK,
    LINE_TRANSIT,
    NightSegment,
    PricedItem,
    PricedItemDraft,
    PricedLeg,
    PricedLegDraft,
    PricedQuote,
    PricedQuoteDraft,
    QuoteLine,
    QuoteLineDraft,
)
from pricing.stubs import LegTarget, PackTarget, allocate_stubs
from pricing.types import (
    DiscountRule,
    PackBasis,
    ProductTerms,
    QuoteRequest,
    RuleKind,
    Season,
    TransitLineTerms,
)
from pricing.validation import rule_problem, validate_request, validate_seasons

_LONG_STAY = RuleKind.long_stay
_ADVANCE = RuleKind.advance_booking
_TRIP = RuleKind.trip_bundle
_PACK_BUNDLE = RuleKind.pack_bundle
_TICKET_STUB = RuleKind.ticket_stub
# Lookups that accept an enum member or its plain string (cheaper than calling the enum).
_KINDS = {kind.value: kind for kind in RuleKind}
_BASES = {basis.value: basis for basis in PackBasis}
_new_segment = NightSegment._make


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
        problem = rule_problem(rule)  # validate_rule, naming the field only on a problem
        if problem is not None:
            raise PricingError("invalid_rule", f"rules[{r}].{problem[0]}", *problem[1:])
    validate_request(request, products, transit_lines)

    # Rules open to this booking date and channel, by kind, in the caller's order.
    booking_date = request.booking_date
    channel = request.channel
    by_kind: dict[str, list[DiscountRule]] = {kind: [] for kind in _KINDS}
    for rule in rules:
        if rule.channels and channel not in rule.channels:
            continue
        if rule.booking_from is not None and booking_date < rule.booking_from:
            continue
        if rule.booking_to is not None and booking_date > rule.booking_to:
            continue
        by_kind[rule.kind].append(rule)
    accommodation_kinds = (
        (_LONG_STAY, by_kind[_LONG_STAY]),
        (_ADVANCE, by_kind[_ADVANCE]),
        (_TRIP, by_kind[_TRIP]),
    )
    pack_bundle_rules = by_kind[_PACK_BUNDLE]

    destinations = len({products[item.product_id].destination_id for item in request.items})
    seasons_of: dict[int, Sequence[Season]] = {}
    pack_targets: list[PackTarget] = []
    items_work: list[tuple] = []
    for index, item in enumerate(request.items):
        terms = products[item.product_id]
        seasons = seasons_of.get(terms.id)
        if seasons is None:
            seasons = seasons_of[terms.id] = _sorted_seasons(terms.seasons, item.product_id)
        check_in = item.check_in
        check_out = item.check_out
        units = item.units
        guests = item.guests
        nights = (check_out - check_in).days

        # Accommodation: each run of nights at one rate (a season window [start, end)
        # or the base rate), then the extra-guest fee for every night.
        segments = _night_segments(terms.base_rate_fen, seasons, check_in, check_out, units)
        extra_guests = max(0, guests - terms.base_occupancy * units)
        extra_guest_fen = terms.extra_guest_fee_fen * extra_guests * nights
        accommodation_fen = extra_guest_fen
        for segment in segments:
            accommodation_fen += segment[2] * segment[3] * units
        zh, en = labels.accommodation(terms, nights, units, extra_guests)
        accommodation = QuoteLineDraft(
            LINE_ACCOMMODATION,
            zh,
            en,
            accommodation_fen,
            item_index=index,
            quantity=nights,
            nights_detail=segments,
            extra_guests=extra_guests,
            extra_guest_fee_fen=terms.extra_guest_fee_fen,
            extra_guest_fen=extra_guest_fen,
        )
        accommodation.__class__ = QuoteLine

        # Add-on packs: price x multiplier by basis, in pack_ids order.
        offers = {offer.id: offer for offer in terms.packs}
        pack_lines: list[QuoteLine] = []
        packs_fen = 0
        for pack_id in item.pack_ids:
            offer = offers[pack_id]
            basis = offer.basis
            multiplier = pack_multiplier(basis, guests, nights)
            amount = offer.price_fen * multiplier
            zh, en = labels.pack(offer, guests, nights, multiplier)
            line = QuoteLineDraft(
                LINE_PACK,
                zh,
                en,
                amount,
                item_index=index,
                pack_id=pack_id,
                quantity=multiplier,
                unit_price_fen=offer.price_fen,
                basis=_BASES[basis],
                multiplier=multiplier,
            )
            line.__class__ = QuoteLine
            pack_lines.append(line)
            packs_fen += amount
            pack_targets.append((len(pack_targets), check_in, index, pack_id, offer.kind, amount))

        # Accommodation discounts, each on the amount left after the ones before it;
        # together never past the cap: the line that would pass it is cut and marked
        # capped, later ones come to 0 and add no line.
        days_ahead = (check_in - booking_date).days
        cap_fen = round_half_up(accommodation_fen, terms.max_discount_bps)
        discounts: list[QuoteLine] = []
        running = accommodation_fen
        taken = 0
        for kind, kind_rules in accommodation_kinds:
            if not kind_rules:
                continue
            measure = (
                nights if kind is _LONG_STAY else days_ahead if kind is _ADVANCE else destinations
            )
            best = _best_rule(kind_rules, terms, check_in, running, measure)
            if best is None:
                continue
            rule, bps, threshold, raw = best
            amount = min(raw, cap_fen - taken)
            if amount <= 0:
                continue
            discounts.append(
                _discount_line(
                    index, rule, kind, bps, threshold, measure, running, raw, amount,
                    APPLIES_ACCOMMODATION,
                )
            )  # fmt: skip
            taken += amount
            running -= amount

        # pack_bundle: on the item's gross add-on subtotal.
        packs_discount_fen = 0
        if pack_bundle_rules:
            measure = len(pack_lines)
            best = _best_rule(pack_bundle_rules, terms, check_in, packs_fen, measure)
            if best is not None and best[3] > 0:
                rule, bps, threshold, raw = best
                discounts.append(
                    _discount_line(
                        index, rule, _PACK_BUNDLE, bps, threshold, measure, packs_fen, raw, raw,
                        APPLIES_PACKS,
                    )
                )  # fmt: skip
                packs_discount_fen = raw
        items_work.append(
            (
                index, item, nights, days_ahead, accommodation, pack_lines, packs_fen, cap_fen,
                discounts, taken, packs_discount_fen,
            )
        )  # fmt: skip

    legs: list[tuple[QuoteLine, LegTarget]] = []
    position = len(pack_targets)
    for k, leg in enumerate(request.legs):
        terms_line = transit_lines[leg.line_id]
        fare = terms_line.fare_fen
        riders = leg.riders
        gross = fare * riders
        zh, en = labels.transit(terms_line, leg.travel_date, riders)
        line = QuoteLineDraft(
            LINE_TRANSIT,
            zh,
            en,
            gross,
            leg_index=k,
            quantity=riders,
            unit_price_fen=fare,
        )
        line.__class__ = QuoteLine
        legs.append((line, (position + k, leg.travel_date, k, leg.line_id, fare, riders)))

    if request.stubs:
        pack_room = {work[0]: work[6] - work[10] for work in items_work}
        stub_uses, stub_lines = allocate_stubs(
            request.stubs,
            pack_targets,
            [target for _, target in legs],
            by_kind[_TICKET_STUB],
            pack_room,
        )
    else:
        stub_uses, stub_lines = [], {}
    return _assemble(request, items_work, legs, stub_uses, stub_lines)


def _sorted_seasons(seasons: Sequence[Season], product_id: int) -> Sequence[Season]:
    """``seasons`` sorted by start, checked as ``validate_seasons`` checks them. Seasons
    are usually stored in order: check that in one pass, and leave the sorting and the
    precise error to ``validate_seasons`` otherwise."""
    previous_end: date | None = None
    for season in seasons:
        if (
            season.start >= season.end
            or season.nightly_rate_fen < 0
            or (previous_end is not None and season.start < previous_end)
        ):
            return validate_seasons(seasons, f"products[{product_id}].seasons")
        previous_end = season.end
    return seasons


def _night_segments(
    base_rate: int, seasons: Sequence[Season], check_in: date, check_out: date, units: int
) -> tuple[NightSegment, ...]:
    """Split ``[check_in, check_out)`` into runs at one rate; ``seasons`` sorted, disjoint."""
    segments: list[NightSegment] = []
    cursor = check_in
    for season in seasons:
        start = season.start
        end = season.end
        if end <= cursor or start >= check_out:
            continue
        if start > cursor:
            segments.append(_new_segment((cursor, start, base_rate, (start - cursor).days, units)))
            cursor = start
        if end > check_out:
            end = check_out
        segments.append(
            _new_segment((cursor, end, season.nightly_rate_fen, (end - cursor).days, units))
        )
        cursor = end
    if cursor < check_out:
        segments.append(
            _new_segment((cursor, check_out, base_rate, (check_out - cursor).days, units))
        )
    return tuple(segments)


def pack_multiplier(basis: str, guests: int, nights: int) -> int:
    """How many times a pack's price is charged (PRICING.md, "Lines" 2). ``basis`` is a
    PackBasis or its plain string; a StrEnum equals its string."""
    if basis == "per_stay":
        return 1
    if basis == "per_guest":
        return guests
    if basis == "per_night":
        return nights
    if basis == "per_guest_night":
        return guests * nights
    if basis == "per_week":
        return -(-nights // 7)
    raise ValueError(f"unknown pack basis {basis!r}")


def rule_covers(rule: DiscountRule, terms: ProductTerms) -> bool:
    """The rule's destination, theme and product scope includes the product (its
    check-in window is checked apart: it depends on the stay)."""
    return (
        (not rule.destination_ids or terms.destination_id in rule.destination_ids)
        and (not rule.themes or terms.theme in rule.themes)
        and (not rule.product_ids or terms.id in rule.product_ids)
    )


def _best_rule(
    rules: Sequence[DiscountRule], terms: ProductTerms, check_in: date, base: int, measure: int
) -> tuple[DiscountRule, int, int, int] | None:
    """Among the in-scope rules (all of one kind) that qualify at ``measure``, the one
    saving the most on ``base`` (before any cap); ties: lowest rule id, then version.
    Returns (rule, bps, threshold, raw).

    Qualifying: tiered kinds (long_stay, advance_booking) take their highest tier with
    ``threshold <= measure``; trip_bundle needs ``measure >= min_destinations``;
    pack_bundle ``measure >= min_packs``."""
    best = None
    for rule in rules:
        # Destination, theme, product and check-in scope.
        if not rule_covers(rule, terms):
            continue
        if rule.check_in_from is not None and check_in < rule.check_in_from:
            continue
        if rule.check_in_to is not None and check_in > rule.check_in_to:
            continue
        tiers = rule.tiers
        if tiers:  # long_stay, advance_booking (validate_rule: only they have tiers)
            for tier in reversed(tiers):
                if tier.threshold <= measure:
                    bps = tier.bps
                    threshold = tier.threshold
                    break
            else:
                continue
        else:
            kind = rule.kind
            if kind == _TRIP:
                threshold = rule.min_destinations
            elif kind == _PACK_BUNDLE:
                threshold = rule.min_packs
            else:
                continue
            if measure < threshold:
                continue
            bps = rule.bps
        raw = round_half_up(base, bps)
        if (
            best is None
            or raw > best[3]
            or (raw == best[3] and (rule.id, rule.version) < (best[0].id, best[0].version))
        ):
            best = (rule, bps, threshold, raw)
    return best


def _discount_line(
    index: int,
    rule: DiscountRule,
    kind: RuleKind,
    bps: int,
    threshold: int,
    measure: int,
    base: int,
    raw: int,
    amount: int,
    applies_to: str,
) -> QuoteLine:
    capped = amount < raw
    zh, en = labels.discount(kind, bps, measure, capped)
    line = QuoteLineDraft(
        LINE_DISCOUNT,
        zh,
        en,
        amount,
        item_index=index,
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
    line.__class__ = QuoteLine
    return line


def _assemble(
    request: QuoteRequest,
    items_work: Sequence[tuple],
    legs: Sequence[tuple[QuoteLine, LegTarget]],
    stub_uses: list,
    stub_lines: Mapping[int, QuoteLine],
) -> PricedQuote:
    items: list[PricedItem] = []
    legs_out: list[PricedLeg] = []
    all_lines: list[QuoteLine] = []
    subtotal = 0
    discount_total = 0
    rules_used: set[tuple[int, int]] = set()
    stubs_by_pack = {
        (line.item_index, line.pack_id): line
        for line in stub_lines.values()
        if line.applies_to == APPLIES_PACK
    }
    for (
        index, item, nights, days_ahead, accommodation, pack_lines, packs_fen, cap_fen,
        discounts, accommodation_discount_fen, packs_discount_fen,
    ) in items_work:  # fmt: skip
        lines = [accommodation, *pack_lines, *discounts]
        if stubs_by_pack:
            for line in pack_lines:
                stub_line = stubs_by_pack.get((index, line.pack_id))
                if stub_line is not None:
                    lines.append(stub_line)
                    discounts.append(stub_line)
                    packs_discount_fen += stub_line.amount_fen
        accommodation_fen = accommodation.amount_fen
        gross = accommodation_fen + packs_fen
        subtotal += gross
        for line in discounts:
            discount_total += line.amount_fen
            rules_used.add((line.rule_id, line.rule_version))
        lines_t = tuple(lines)
        priced = PricedItemDraft(
            index,
            item.product_id,
            item.check_in,
            item.check_out,
            nights,
            item.guests,
            item.units,
            days_ahead,
            accommodation_fen,
            packs_fen,
            accommodation_discount_fen,
            packs_discount_fen,
            gross - accommodation_discount_fen - packs_discount_fen,
            cap_fen,
            lines_t,
        )
        priced.__class__ = PricedItem
        items.append(priced)
        all_lines.extend(lines_t)
    for line, (position, travel_date, k, line_id, fare, riders) in legs:
        stub_line = stub_lines.get(position)
        gross = line.amount_fen
        subtotal += gross
        if stub_line is None:
            lines_t = (line,)
            discount = 0
        else:
            lines_t = (line, stub_line)
            discount = stub_line.amount_fen
            discount_total += discount
            rules_used.add((stub_line.rule_id, stub_line.rule_version))
        priced_leg = PricedLegDraft(
            k, line_id, travel_date, riders, fare, gross, discount, gross - discount, lines_t
        )
        priced_leg.__class__ = PricedLeg
        legs_out.append(priced_leg)
        all_lines.extend(lines_t)

    quote = PricedQuoteDraft(
        tuple(items),
        tuple(legs_out),
        tuple(all_lines),
        subtotal,
        discount_total,
        subtotal - discount_total,
        request.booking_date,
        request.channel,
        tuple(sorted(rules_used)),
        tuple(stub_uses),
    )
    quote.__class__ = PricedQuote
    return quote
