"""The traveller pages' words about refunds, in zh-CN and English (part of
``messages.TEXT``): the cancel page's preview and "My booking"'s refund, by where a
refund through Stripe stands (the booking's ``refund_status``: requested and on its way,
made, or not made; never "refunded" before Stripe has made it), a partner's own refund,
and nothing paid, nothing refunded (``bookings.cancellation.refund_of_paid``); and
a refund policy in sentences (``policy_words``: the product page's, and each stay's on
the quote and book pages, the ``refund_policy`` macro of ``_refund.html``).
"""

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from service.pages.formats import percent


def _tier(tier: Any) -> tuple[int, int]:
    """A tier's days and bps: a product answer's ``RefundTier`` or a quote body's dict."""
    if isinstance(tier, Mapping):
        return tier["min_days_before_check_in"], tier["refund_bps"]
    return tier.min_days_before_check_in, tier.refund_bps


def policy_words(tiers: Iterable[Any], t: Callable[..., str]) -> list[str]:
    """A refund policy (highest tier first, as every answer gives it) in sentences: "30
    days or more before check-in: 100% back", then each band down to 0 days; below the
    last tier, nothing; no tier at all, not refunded."""
    words = []
    upper = None
    for tier in tiers:
        low, bps = _tier(tier)
        pct = percent(bps)
        if upper is None:
            key = "refund_any_time" if low == 0 else "refund_at_least"
            words.append(t(key, days=low, pct=pct))
        else:
            words.append(_band(low, upper - 1, pct, t))
        upper = low
    if upper is None:
        words.append(t("refund_none_policy"))
    elif upper == 1:
        words.append(t("refund_below_on_the_day"))
    elif upper > 0:
        words.append(t("refund_below", days=upper))
    return words


def _band(low: int, high: int, pct: str, t: Callable[..., str]) -> str:
    """One band of days before check-in as people say it: the day of check-in itself
    (day 0) is "on the day of check-in", never "0 to 0 days before", and a band of one
    day is that day, never "1 to 1 day" (the cancellation's own line says the same days:
    ``pricing.refunds``' "入住当天取消" / "you cancel on the day of check-in")."""
    if low == high:
        return t("refund_on_the_day" if low == 0 else "refund_on_one_day", days=low, pct=pct)
    if low == 0:
        return t("refund_up_to_the_day", high=high, pct=pct)
    return t("refund_between", low=low, high=high, pct=pct)


REFUND_TEXT: dict[str, tuple[str, str]] = {
    # a transfer's refund rule on the quote and book pages (_refund.html, leg_refund):
    # pricing.refunds' one rule for every leg, LEG_FULL_REFUND_MIN_DAYS
    "q_leg_refund_title": ("如果取消这段交通", "If you cancel this transfer"),
    "book_leg_refund_title": ("如果取消：{line}", "If you cancel: {line}"),
    "q_leg_refund": (
        "出行前 {days} 天或更早取消：全额退还这段交通的应付金额 {net}。"
        "出行前不到 {days} 天取消：不退。",
        "Cancel {days:day|days} or more before the day of travel: this transfer's {net} "
        "comes back in full. Later than that: nothing back.",
    ),
    "manage_refund": ("退款：{amount}。", "Refund: {amount}."),  # a partner's; Stripe's by status
    "manage_refund_pending": (
        "已申请退款 {amount}，正在退回您付款所用的银行卡或账户，到账可能需要几天。",
        "A refund of {amount} has been requested and is on its way to the card or account "
        "you paid with; it can take a few days to arrive.",
    ),
    "manage_refund_succeeded": (
        "已退款 {amount}，已退回您付款所用的银行卡或账户。",
        "Refunded: {amount}, back to the card or account you paid with.",
    ),
    "manage_refund_failed": (
        "退款 {amount} 没有退成功：付款平台未能把这笔钱退回您付款所用的银行卡或账户，"
        "所以您还没有收到，也不会再自动重试。请联系目的地运营方，告诉对方预订号 {ref}，"
        "由运营方为您另行安排退款。",
        "Your refund of {amount} did not go through: the payment service could not return "
        "it to the card or account you paid with, so you have not received it, and it will "
        "not be tried again by itself. Please contact the destination's operator, give them "
        "your booking reference {ref}, and they will arrange your refund another way.",
    ),
    "manage_nothing_to_refund": (
        "这笔预订没有付过款：没有需要退的钱，您也不欠任何费用。",
        "Nothing was paid for this booking: nothing is refunded, and nothing is owed.",
    ),
    # who cancelled a booking nothing was paid for (no refund terms to say)
    "manage_cancelled_by_traveller": ("您取消了这笔预订。", "You cancelled this booking."),
    "manage_cancelled_by_partner": (
        "您预订时所用的渠道取消了这笔预订。",
        "The channel you booked through cancelled this booking.",
    ),
    "manage_cancelled_by_operator": (
        "目的地运营方取消了这笔预订。",
        "The destination's operator cancelled this booking.",
    ),
    # before the operator's reason (the API's ``cancellation.reason``), when it gave one
    "manage_cancelled_why": ("运营方说明的取消原因", "The operator's reason for cancelling"),
    # a cancelled booking's arithmetic: paid, refunded by this cancellation, not refunded
    "manage_paid": ("已付", "Paid"),
    "manage_refund_due": ("本次取消退还", "Refunded on cancelling"),
    "manage_kept": ("不退还的部分", "Not refunded"),
    "cancel_refund_card": (
        "确认后立即申请退款，退回您付款所用的银行卡或账户；到账可能需要几天，“我的预订”会显示。",
        "Once you confirm, the refund is requested at once, back to the card or account you "
        "paid with; it can take a few days to arrive, and My booking says when it has.",
    ),
    "cancel_nothing_paid": (
        "您还没有为这笔预订付款，所以无需付款，也没有需要退的钱；取消不会向您收取任何费用。",
        "You have not paid anything for this booking, so there is nothing to pay and nothing "
        "to refund; cancelling it costs you nothing and nothing will be charged.",
    ),
    "cancel_refund_title": ("退款", "Refund"),
    "cancel_back": ("可退", "Back to you"),
    "cancel_refundable": ("按规则可退", "Refundable under the rules"),
    "cancel_refund_now": ("取消后退还", "Refund on cancelling"),
    "manage_nothing_to_pay_expired_refund": (
        "无需付款：这笔预订已过期，您付的款会全额退还，退款情况见下方。",
        "Nothing to pay: this booking expired, and what you paid is refunded in full; the "
        "refund is shown below.",
    ),
}
