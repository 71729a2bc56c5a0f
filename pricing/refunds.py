"""Refunds on cancellation (docs/pricing.md, "Cancellation"), itemised like a quote.

Per stay item: ``round_half_up(item_net * refund_bps / 10000)`` where ``refund_bps`` is
that of the highest tier of the product's refund policy with
``min_days_before_check_in <= days before check-in`` on the cancellation date (no tier
met, or an empty policy: nothing is refunded). Per transit leg: its net in full when
cancelled at least one day before travel, else nothing.

Pure: standard library only, no clock (the cancellation date is an input).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from pricing.money import format_bps, format_yuan, round_half_up

FULL_BPS = 10_000
LEG_FULL_REFUND_MIN_DAYS = 1


@dataclass(frozen=True, slots=True)
class RefundTier:
    min_days_before_check_in: int
    refund_bps: int


@dataclass(frozen=True, slots=True)
class ItemToRefund:
    index: int
    name_zh: str
    name_en: str
    check_in: date
    net_fen: int
    policy: tuple[RefundTier, ...]


@dataclass(frozen=True, slots=True)
class LegToRefund:
    index: int
    name_zh: str
    name_en: str
    travel_date: date
    net_fen: int


@dataclass(frozen=True, slots=True)
class RefundLine:
    """One item or leg: ``amount_fen = round_half_up(base_fen * refund_bps / 10000)``.

    ``days_before`` counts from the cancellation date to check-in (items) or travel
    (legs); ``tier_min_days`` names the policy tier used (``None``: no tier met).
    """

    kind: str  # "item" | "leg"
    index: int
    label_zh: str
    label_en: str
    base_fen: int
    refund_bps: int
    amount_fen: int
    days_before: int
    tier_min_days: int | None


@dataclass(frozen=True, slots=True)
class Refund:
    cancel_date: date
    lines: tuple[RefundLine, ...]
    refund_fen: int
    kept_fen: int  # what the policy keeps: sum of bases less the refund


def policy_from_json(policy: Iterable[Mapping[str, int]]) -> tuple[RefundTier, ...]:
    """``[{"min_days_before_check_in": 30, "refund_bps": 10000}, ...]`` as tiers."""
    tiers = []
    for tier in policy:
        days, bps = int(tier["min_days_before_check_in"]), int(tier["refund_bps"])
        if not 0 <= bps <= FULL_BPS:
            raise ValueError(f"refund_bps {bps} is outside 0..10000")
        tiers.append(RefundTier(days, bps))
    return tuple(sorted(tiers, key=lambda t: t.min_days_before_check_in))


def tier_for(policy: Sequence[RefundTier], days_before: int) -> RefundTier | None:
    """The highest tier with ``min_days_before_check_in <= days_before``."""
    met = [t for t in policy if t.min_days_before_check_in <= days_before]
    return max(met, key=lambda t: t.min_days_before_check_in) if met else None


def _days(n: int) -> tuple[str, str]:
    return f"{n}天", f"{n} day" if abs(n) == 1 else f"{n} days"


def _item_line(item: ItemToRefund, cancel_date: date) -> RefundLine:
    days = (item.check_in - cancel_date).days
    tier = tier_for(item.policy, days)
    bps = tier.refund_bps if tier else 0
    amount = round_half_up(item.net_fen, bps)
    dzh, den = _days(days)
    if tier is None:
        why_zh, why_en = "未达任何退款档位", "no refund tier met"
    else:
        tzh, ten = _days(tier.min_days_before_check_in)
        why_zh = f"入住前≥{tzh}档，退{format_bps(bps)}"
        why_en = f"tier ≥ {ten} before check-in, {format_bps(bps)} refunded"
    return RefundLine(
        kind="item",
        index=item.index,
        label_zh=f"退款：{item.name_zh}（距入住{dzh}，{why_zh}，"
        f"{format_yuan(item.net_fen)} → {format_yuan(amount)}）",
        label_en=f"Refund: {item.name_en} ({den} before check-in, {why_en}; "
        f"{format_yuan(item.net_fen)} → {format_yuan(amount)})",
        base_fen=item.net_fen,
        refund_bps=bps,
        amount_fen=amount,
        days_before=days,
        tier_min_days=tier.min_days_before_check_in if tier else None,
    )


def _leg_line(leg: LegToRefund, cancel_date: date) -> RefundLine:
    days = (leg.travel_date - cancel_date).days
    full = days >= LEG_FULL_REFUND_MIN_DAYS
    bps = FULL_BPS if full else 0
    amount = leg.net_fen if full else 0
    dzh, den = _days(days)
    rule_zh = "出行前至少1天取消，全额退款" if full else "出行前不足1天，不退款"
    rule_en = (
        "cancelled at least 1 day before travel: full refund"
        if full
        else "less than 1 day before travel: no refund"
    )
    return RefundLine(
        kind="leg",
        index=leg.index,
        label_zh=f"退款：{leg.name_zh}（距出行{dzh}，{rule_zh}，{format_yuan(amount)}）",
        label_en=f"Refund: {leg.name_en} ({den} before travel, {rule_en}, {format_yuan(amount)})",
        base_fen=leg.net_fen,
        refund_bps=bps,
        amount_fen=amount,
        days_before=days,
        tier_min_days=None,
    )


def compute_refund(
    items: Sequence[ItemToRefund], legs: Sequence[LegToRefund], *, cancel_date: date
) -> Refund:
    """The refund for cancelling on ``cancel_date`` (an Asia/Shanghai local date)."""
    lines = tuple(
        [_item_line(i, cancel_date) for i in items] + [_leg_line(g, cancel_date) for g in legs]
    )
    refund = sum(line.amount_fen for line in lines)
    return Refund(
        cancel_date=cancel_date,
        lines=lines,
        refund_fen=refund,
        kept_fen=sum(line.base_fen for line in lines) - refund,
    )
