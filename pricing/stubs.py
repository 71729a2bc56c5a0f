"""Ticket stubs: the greedy allocation of docs/pricing.md.

Stubs are taken in request order. Each stub takes, among the lines no earlier stub took,
the (rule, line) pair that saves the most; ties go to the earliest date (the leg's
travel date, or the item's check-in for a pack line), then to the line first in the
request (every pack line of item 0 in ``pack_ids`` order, then item 1's..., then the legs
in order), then to the lowest rule id (then version). A stub that would save 0 fen
everywhere takes nothing and is reported unused, with why (``quote.STUB_NOT_APPLIED``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from pricing import labels
from pricing.money import round_half_up
from pricing.quote import (
    APPLIES_PACK,
    APPLIES_TRANSIT,
    LINE_DISCOUNT,
    QuoteLine,
    QuoteLineDraft,
    StubUse,
    StubUseDraft,
)
from pricing.types import DiscountRule, RuleKind, StubInfo

_TICKET_STUB = RuleKind.ticket_stub


# What a stub may discount, as plain tuples (built for every pack line and leg of a
# quote that presents stubs, so kept cheap), ``position`` being the line's place in
# request order (every item's pack lines, then the legs):
#   pack line: (position, on_date = the item's check-in, item_index, pack_id, pack_kind,
#               gross_fen)
#   leg:       (position, on_date = the travel date, leg_index, line_id, fare_fen, riders)
PackTarget = tuple[int, date, int, int, str, int]
LegTarget = tuple[int, date, int, int, int, int]


def allocate_stubs(
    stubs: Sequence[StubInfo],
    pack_targets: Sequence[PackTarget],
    leg_targets: Sequence[LegTarget],
    rules: Sequence[DiscountRule],
    pack_room: dict[int, int],
) -> tuple[list[StubUse], dict[int, QuoteLine]]:
    """Return what each stub did (request order) and the discount line per target
    position. ``pack_room`` maps an item index to how much more its pack discounts may
    take (its add-on subtotal less its pack_bundle line); it is updated in place, and a
    pack stub line cut to fit it is marked capped."""
    by_issuer: dict[int, list[DiscountRule]] = {}
    for rule in rules:
        by_issuer.setdefault(rule.issuer_id, []).append(rule)  # type: ignore[arg-type]

    taken: set[int] = set()
    uses: list[StubUse] = []
    lines: dict[int, QuoteLine] = {}
    for stub in stubs:
        visit = stub.visit_date
        best = None
        best_key = None
        issuer_rules = by_issuer.get(stub.issuer_id, ())
        kind_found = in_days = False  # why it found nothing, if it does not
        for rule in issuer_rules:
            last_day = visit + timedelta(days=rule.valid_days)
            bps = rule.bps
            kinds = rule.pack_kinds
            if kinds:
                for target in pack_targets:
                    position, on_date, item_index, _, pack_kind, gross = target
                    if pack_kind not in kinds:
                        continue
                    kind_found = True
                    if not visit <= on_date <= last_day:
                        continue
                    in_days = True
                    if position in taken:
                        continue
                    raw = round_half_up(gross, bps)
                    amount = min(raw, pack_room[item_index])
                    if amount <= 0:
                        continue
                    key = (-amount, on_date, position, rule.id, rule.version)
                    if best_key is None or key < best_key:
                        best_key = key
                        best = (rule, APPLIES_PACK, target, gross, raw, amount, 0)
            line_ids = rule.transit_line_ids
            if line_ids:
                persons = stub.persons
                for target in leg_targets:
                    position, on_date, _, line_id, fare, riders = target
                    if line_id not in line_ids:
                        continue
                    kind_found = True
                    if not visit <= on_date <= last_day:
                        continue
                    in_days = True
                    if position in taken:
                        continue
                    covered = riders if riders < persons else persons
                    base = fare * covered
                    raw = round_half_up(base, bps)
                    if raw <= 0:
                        continue
                    key = (-raw, on_date, position, rule.id, rule.version)
                    if best_key is None or key < best_key:
                        best_key = key
                        best = (rule, APPLIES_TRANSIT, target, base, raw, raw, covered)
        if best is None:
            if not issuer_rules:
                reason = "no_deal"
            elif not kind_found:
                reason = "nothing_it_discounts"
            elif not in_days:
                reason = "outside_validity"
            else:
                reason = "already_discounted"
            use = StubUseDraft(stub.code, stub.issuer_id, False, reason=reason)
            use.__class__ = StubUse  # see pricing.quote, "fast construction"
            uses.append(use)
            continue
        rule, applies_to, target, base, raw, amount, covered = best
        position = target[0]
        taken.add(position)
        if applies_to == APPLIES_PACK:
            item_index, pack_id, leg_index, quantity = target[2], target[3], None, None
            pack_room[item_index] -= amount
        else:
            item_index, pack_id, leg_index, quantity = None, None, target[2], covered
        capped = amount < raw
        zh, en = labels.discount(_TICKET_STUB, rule.bps, covered, capped, stub.code)
        line = QuoteLineDraft(
            LINE_DISCOUNT,
            zh,
            en,
            amount,
            item_index=item_index,
            leg_index=leg_index,
            pack_id=pack_id,
            quantity=quantity,
            rule_id=rule.id,
            rule_version=rule.version,
            rule_kind=_TICKET_STUB,
            base_fen=base,
            bps=rule.bps,
            capped=capped,
            uncapped_fen=raw,
            applies_to=applies_to,
            stub_code=stub.code,
        )
        line.__class__ = QuoteLine
        lines[position] = line
        use = StubUseDraft(
            stub.code,
            stub.issuer_id,
            True,
            applies_to,
            item_index,
            pack_id,
            leg_index,
            rule.id,
            rule.version,
            amount,
        )
        use.__class__ = StubUse
        uses.append(use)
    return uses, lines
