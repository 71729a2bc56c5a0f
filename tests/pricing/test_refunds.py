"""Refunds on cancellation (docs/pricing.md, "Cancellation"): one rule per test."""

from datetime import date

import pytest

from pricing.refunds import (
    ItemToRefund,
    LegToRefund,
    RefundTier,
    compute_refund,
    policy_from_json,
    tier_for,
)

POLICY = policy_from_json(
    [
        {"min_days_before_check_in": 30, "refund_bps": 10000},
        {"min_days_before_check_in": 7, "refund_bps": 5000},
        {"min_days_before_check_in": 0, "refund_bps": 0},
    ]
)
CHECK_IN = date(2027, 7, 1)


def _item(net_fen: int = 875_288, policy=POLICY, check_in: date = CHECK_IN, index: int = 0):
    return ItemToRefund(
        index=index,
        name_zh="森林木屋",
        name_en="Forest cabin",
        check_in=check_in,
        net_fen=net_fen,
        policy=policy,
    )


def _leg(net_fen: int = 5_600, travel: date = date(2027, 7, 9)):
    return LegToRefund(
        index=0,
        name_zh="长白山环线",
        name_en="Changbai shuttle",
        travel_date=travel,
        net_fen=net_fen,
    )


def test_the_highest_tier_met_on_the_cancellation_date_applies():
    refund = compute_refund([_item(100_000)], [], cancel_date=date(2027, 6, 1))  # 30 days
    assert refund.lines[0].refund_bps == 10000
    assert refund.lines[0].tier_min_days == 30
    assert refund.refund_fen == 100_000


def test_one_day_short_of_a_tier_falls_to_the_next_tier():
    refund = compute_refund([_item(100_000)], [], cancel_date=date(2027, 6, 2))  # 29 days
    assert refund.lines[0].refund_bps == 5000
    assert refund.lines[0].days_before == 29
    assert refund.refund_fen == 50_000


def test_an_item_refund_is_rounded_half_up_on_its_own():
    # 875,289 * 5000 / 10000 = 437,644.5 -> 437,645
    refund = compute_refund([_item(875_289)], [], cancel_date=date(2027, 6, 20))
    assert refund.lines[0].amount_fen == 437_645


def test_after_check_in_no_tier_is_met_and_nothing_is_refunded():
    refund = compute_refund([_item(100_000)], [], cancel_date=date(2027, 7, 2))
    assert refund.lines[0].tier_min_days is None
    assert refund.lines[0].amount_fen == 0
    assert refund.kept_fen == 100_000


def test_an_empty_policy_refunds_nothing():
    refund = compute_refund([_item(100_000, policy=())], [], cancel_date=date(2027, 1, 1))
    assert refund.refund_fen == 0


def test_a_leg_is_refunded_in_full_one_day_before_travel():
    refund = compute_refund([], [_leg(5_600)], cancel_date=date(2027, 7, 8))
    assert refund.lines[0].amount_fen == 5_600
    assert refund.lines[0].refund_bps == 10000


def test_a_leg_cancelled_on_the_travel_day_is_not_refunded():
    refund = compute_refund([], [_leg(5_600)], cancel_date=date(2027, 7, 9))
    assert refund.lines[0].amount_fen == 0


def test_items_and_legs_are_itemised_and_summed():
    refund = compute_refund(
        [_item(100_000, index=0), _item(30_001, index=1)],
        [_leg(5_600)],
        cancel_date=date(2027, 6, 20),
    )  # 11 days: 50%
    assert [line.kind for line in refund.lines] == ["item", "item", "leg"]
    assert [line.amount_fen for line in refund.lines] == [50_000, 15_001, 5_600]
    assert refund.refund_fen == 70_601
    assert refund.kept_fen == 100_000 + 30_001 + 5_600 - 70_601


def test_each_line_has_a_label_in_chinese_and_english_a_person_can_check():
    line = compute_refund([_item(100_000)], [], cancel_date=date(2027, 6, 20)).lines[0]
    assert line.label_zh == "退款：森林木屋（入住前11天取消：退还¥1,000.00的50%，即¥500.00）"
    assert line.label_en == (
        "Refund: Forest cabin (you cancel 11 days before check-in: "
        "50% of ¥1,000.00 is refunded, ¥500.00)"
    )


def test_a_whole_refund_none_and_a_leg_are_said_plainly_too():
    full, leg = compute_refund(
        [_item(100_000)], [_leg(travel=CHECK_IN)], cancel_date=date(2027, 5, 1)
    ).lines
    assert full.label_en.endswith(
        "(you cancel 61 days before check-in: refunded in full, ¥1,000.00)"
    )
    assert leg.label_zh == "退款：长白山环线（出行前61天取消：全额退还，¥56.00）"
    late, leg = compute_refund(
        [_item(100_000)], [_leg(travel=CHECK_IN)], cancel_date=CHECK_IN
    ).lines
    assert late.label_zh == "退款：森林木屋（入住当天取消：不退款）"
    assert (
        leg.label_en == "Refund: Changbai shuttle (you cancel on the day of travel: not refunded)"
    )
    (early_only,) = compute_refund(
        [_item(100_000, policy=(RefundTier(30, 10_000),))], [], cancel_date=date(2027, 6, 28)
    ).lines
    assert early_only.label_en.endswith(
        "(you cancel 3 days before check-in: too late for a refund)"
    )
    (never,) = compute_refund([_item(100_000, policy=())], [], cancel_date=date(2027, 5, 1)).lines
    assert never.label_zh == "退款：森林木屋（入住前61天取消：此产品不可退款）"


def test_in_full_every_item_and_leg_comes_back_whatever_the_policy_and_the_day():
    """The operator cancels: the traveller did nothing wrong, so nothing is kept, on the
    day of check-in and travel, and for a stay whose policy refunds nothing."""
    refund = compute_refund(
        [_item(875_289, index=0), _item(30_001, policy=(), index=1)],
        [_leg(5_600, travel=CHECK_IN)],
        cancel_date=CHECK_IN,
        in_full=True,
    )
    assert [line.refund_bps for line in refund.lines] == [10000, 10000, 10000]
    assert [line.amount_fen for line in refund.lines] == [875_289, 30_001, 5_600]
    assert refund.refund_fen == 875_289 + 30_001 + 5_600 and refund.kept_fen == 0
    assert [line.tier_min_days for line in refund.lines] == [None, None, None]
    assert [line.days_before for line in refund.lines] == [0, 0, 0]


def test_a_line_refunded_in_full_by_the_operator_says_so():
    item, leg = compute_refund(
        [_item(100_000)], [_leg(travel=CHECK_IN)], cancel_date=date(2027, 6, 28), in_full=True
    ).lines
    assert item.label_zh == "退款：森林木屋（运营方取消：全额退还，¥1,000.00）"
    assert item.label_en == (
        "Refund: Forest cabin (cancelled by the operator: refunded in full, ¥1,000.00)"
    )
    assert leg.label_zh == "退款：长白山环线（运营方取消：全额退还，¥56.00）"


def test_tiers_are_read_in_any_order_and_bad_bps_are_refused():
    assert tier_for(
        policy_from_json(
            [
                {"min_days_before_check_in": 0, "refund_bps": 0},
                {"min_days_before_check_in": 14, "refund_bps": 8000},
            ]
        ),
        20,
    ) == RefundTier(14, 8000)
    with pytest.raises(ValueError):
        policy_from_json([{"min_days_before_check_in": 1, "refund_bps": 12000}])
