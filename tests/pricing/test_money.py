"""Integer money helpers."""

import pytest

from pricing import divide_half_up, format_bps, format_yuan, round_half_up


@pytest.mark.parametrize(
    ("base", "bps", "expected"),
    [(10_050, 500, 503), (10_049, 500, 502), (1, 5000, 1), (1, 4999, 0), (0, 800, 0)],
)
def test_round_half_up_rounds_a_half_fen_up_and_less_down(base, bps, expected):
    assert round_half_up(base, bps) == expected


def test_round_half_up_refuses_negative_input():
    with pytest.raises(ValueError):
        round_half_up(-1, 500)


@pytest.mark.parametrize(
    ("amount", "parts", "expected"),
    [(490_728, 49, 10_015), (490_707, 49, 10_014), (3, 2, 2), (1, 3, 0), (0, 7, 0)],
)
def test_a_share_of_an_amount_is_rounded_half_up_not_truncated(amount, parts, expected):
    assert divide_half_up(amount, parts) == expected


def test_round_half_up_is_a_share_of_ten_thousand():
    for base, bps in ((10_050, 500), (10_049, 500), (1, 5000), (1, 4999), (987_654, 1234)):
        assert round_half_up(base, bps) == divide_half_up(base * bps, 10_000)


def test_bps_are_shown_as_percent_with_two_decimals():
    assert [format_bps(b) for b in (500, 1250, 5, 10_000)] == [
        "5.00%",
        "12.50%",
        "0.05%",
        "100.00%",
    ]


def test_fen_are_shown_as_yuan():
    assert format_yuan(61_200_000) == "¥612,000.00"
    assert format_yuan(5) == "¥0.05"


def test_format_yuan_of_a_negative_amount_puts_the_sign_before_the_yuan_sign():
    assert format_yuan(-5) == "-¥0.05"
    assert format_yuan(-123_456_789) == "-¥1,234,567.89"
    assert format_yuan(0) == "¥0.00"
