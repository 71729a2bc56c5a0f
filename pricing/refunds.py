"""Refunds on cancellation (docs/pricing.md, "Cancellation"), itemised like a quote.

Per stay item: ``round_half_up(item_net * refund_bps / 10000)`` where ``refund_bps`` is
that of the highest tier of the product's refund policy with
``min_days_before_check_in <= days before check-in`` on the cancellation date (no tier
met, or an empty policy: nothing is refunded). Per transit leg: its net in full when
cancelled at least one day before travel, else nothing. ``in_full``: the operator
cancels (the traveller did nothing wrong), so every item and leg is refunded in full
whatever the policy and the date say.

Pure: standard library only, no clock (the cancellation date is an input).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from pricing.money import format_percent, format_yuan, round_half_up

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


def _when(days: int, event_zh: str, event_en: str) -> tuple[str, str]:
    """When the cancellation falls, in plain words: ``入住前14天取消`` / ``you cancel 14
    days before check-in`` (on the day, or after it, said so)."""
    if days > 0:
        unit = "day" if days == 1 else "days"
        return f"{event_zh}前{days}天取消", f"you cancel {days} {unit} before {event_en}"
    if days == 0:
        return f"{event_zh}当天取消", f"you cancel on the day of {event_en}"
    return f"{event_zh}后取消", f"you cancel after {event_en}"


def _refunded(base_fen: int, bps: int, amount_fen: int) -> tuple[str, str]:
    """What comes back, in plain words: all, nothing, or that share of the price."""
    back = format_yuan(amount_fen)
    if bps == FULL_BPS:
        return f"全额退还，{back}", f"refunded in full, {back}"
    if bps == 0:
        return "不退款", "not refunded"
    base, pct = format_yuan(base_fen), format_percent(bps)
    return f"退还{base}的{pct}，即{back}", f"{pct} of {base} is refunded, {back}"


_BY_OPERATOR = ("运营方取消", "cancelled by the operator")


def _said(when: tuple[str, str], what: tuple[str, str]) -> tuple[str, str]:
    return f"{when[0]}：{what[0]}", f"{when[1]}: {what[1]}"


def _item_line(item: ItemToRefund, cancel_date: date, in_full: bool) -> RefundLine:
    days = (item.check_in - cancel_date).days
    tier = None if in_full else tier_for(item.policy, days)
    bps = FULL_BPS if in_full else tier.refund_bps if tier else 0
    if in_full or tier is not None:
        refused = None
    elif not item.policy:
        refused = ("此产品不可退款", "this stay cannot be refunded")
    else:
        refused = ("离入住太近，不退款", "too late for a refund")
    return _line("item", item, days, ("入住", "check-in"), in_full, bps, tier, refused)


def _leg_line(leg: LegToRefund, cancel_date: date, in_full: bool) -> RefundLine:
    days = (leg.travel_date - cancel_date).days
    full = in_full or days >= LEG_FULL_REFUND_MIN_DAYS
    return _line("leg", leg, days, ("出行", "travel"), in_full, FULL_BPS if full else 0)


def _line(
    kind: str,
    part: ItemToRefund | LegToRefund,
    days: int,
    event: tuple[str, str],
    in_full: bool,
    bps: int,
    tier: RefundTier | None = None,
    refused: tuple[str, str] | None = None,
) -> RefundLine:
    """An item's or a leg's line at ``bps`` of its net: the operator's cancellation
    (``in_full``) says so; otherwise when it falls before ``event`` and what comes back
    (or ``refused``: why nothing does)."""
    amount = round_half_up(part.net_fen, bps)
    if in_full:
        words = _said(_BY_OPERATOR, _refunded(amount, FULL_BPS, amount))
    else:
        words = _said(_when(days, *event), refused or _refunded(part.net_fen, bps, amount))
    return RefundLine(
        kind=kind,
        index=part.index,
        label_zh=f"退款：{part.name_zh}（{words[0]}）",
        label_en=f"Refund: {part.name_en} ({words[1]})",
        base_fen=part.net_fen,
        refund_bps=bps,
        amount_fen=amount,
        days_before=days,
        tier_min_days=tier.min_days_before_check_in if tier else None,
    )


def compute_refund(
    items: Sequence[ItemToRefund],
    legs: Sequence[LegToRefund],
    *,
    cancel_date: date,
    in_full: bool = False,
) -> Refund:
    """The refund for cancelling on ``cancel_date`` (an Asia/Shanghai local date): by
    each item's policy and the legs' rule, or (``in_full``: the operator cancels) every
    line in full."""
    lines = tuple(
        [_item_line(i, cancel_date, in_full) for i in items]
        + [_leg_line(g, cancel_date, in_full) for g in legs]
    )
    refund = sum(line.amount_fen for line in lines)
    return Refund(
        cancel_date=cancel_date,
        lines=lines,
        refund_fen=refund,
        kept_fen=sum(line.base_fen for line in lines) - refund,
    )
