"""Ticket stubs: the greedy allocation of PRICING.md.

Stubs are taken in request order. Each stub takes, among the lines no earlier stub took,
the (rule, line) pair that saves the most; ties go to the earliest date (the leg's
travel date, or the item's check-in for a pack line), then to the line first in the
request (every pack line of item 0 in ``pack_ids`` order, then item 1's..., then the legs
in order), then to the lowest rule id (then version). A stub that would save 0 fen
everywhere takes nothing and is reported unused.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from pricing import labels
from pricing.money import round_half_up
from pricing.quote import APPLIES_PACK, APPLIES_TRANSIT, LINE_DISCOUNT, QuoteLine, StubUse
from pricing.types import DiscountRule, RuleKind, StubInfo


@dataclass(slots=True)
class StubTarget:
    """A line a stub may discount: a pack line or a transit leg."""

    position: int  # place in request order (pack lines first, then legs)
    applies_to: str  # "pack" | "transit"
    on_date: date
    gross_fen: int
    item_index: int | None = None
    pack_id: int | None = None
    pack_kind: str | None = None
    leg_index: int | None = None
    line_id: int | None = None
    fare_fen: int = 0
    riders: int = 0


def allocate_stubs(
    stubs: Sequence[StubInfo],
    targets: Sequence[StubTarget],
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
        best = None
        best_key = None
        for rule in by_issuer.get(stub.issuer_id, ()):
            last_day = stub.visit_date + timedelta(days=rule.valid_days)
            for target in targets:
                if target.position in taken:
                    continue
                if not stub.visit_date <= target.on_date <= last_day:
                    continue
                if target.applies_to == APPLIES_PACK:
                    if target.pack_kind not in rule.pack_kinds:
                        continue
                    covered = 0
                    base = target.gross_fen
                    raw = round_half_up(base, rule.bps)
                    amount = min(raw, pack_room[target.item_index])  # type: ignore[index]
                else:
                    if target.line_id not in rule.transit_line_ids:
                        continue
                    covered = min(target.riders, stub.persons)
                    base = target.fare_fen * covered
                    raw = amount = round_half_up(base, rule.bps)
                if amount <= 0:
                    continue
                key = (-amount, target.on_date, target.position, rule.id, rule.version)
                if best_key is None or key < best_key:
                    best_key = key
                    best = (rule, target, base, raw, amount, covered)
        if best is None:
            uses.append(StubUse(stub_code=stub.code, issuer_id=stub.issuer_id, applied=False))
            continue
        rule, target, base, raw, amount, covered = best
        taken.add(target.position)
        if target.applies_to == APPLIES_PACK:
            pack_room[target.item_index] -= amount  # type: ignore[index]
        capped = amount < raw
        zh, en = labels.discount(RuleKind.ticket_stub, rule.bps, covered, capped, stub.code)
        lines[target.position] = QuoteLine(
            kind=LINE_DISCOUNT,
            label_zh=zh,
            label_en=en,
            amount_fen=amount,
            item_index=target.item_index,
            leg_index=target.leg_index,
            pack_id=target.pack_id,
            quantity=covered if target.applies_to == APPLIES_TRANSIT else None,
            rule_id=rule.id,
            rule_version=rule.version,
            rule_kind=RuleKind.ticket_stub,
            base_fen=base,
            bps=rule.bps,
            capped=capped,
            uncapped_fen=raw,
            applies_to=target.applies_to,
            stub_code=stub.code,
        )
        uses.append(
            StubUse(
                stub_code=stub.code,
                issuer_id=stub.issuer_id,
                applied=True,
                applies_to=target.applies_to,
                item_index=target.item_index,
                pack_id=target.pack_id,
                leg_index=target.leg_index,
                rule_id=rule.id,
                rule_version=rule.version,
                amount_fen=amount,
            )
        )
    return uses, lines
