"""Integer money helpers: fen, basis points, half-up rounding, display."""

from __future__ import annotations


def round_half_up(base: int, bps: int) -> int:
    """``base * bps / 10000`` rounded half up, in integers (docs/pricing.md).

    Defined for a non-negative ``base`` and ``bps``; anything else is a bug upstream.
    """
    if base < 0 or bps < 0:
        raise ValueError("round_half_up needs a non-negative base and bps")
    return divide_half_up(base * bps, 10000)


def divide_half_up(amount: int, parts: int) -> int:
    """``amount / parts`` rounded half up, in integers: the contract's rounding, for a
    share that is not a whole number of bps (a total per night: 490728 / 49 -> 10015).
    ``round_half_up`` is this with ``parts`` = 10000."""
    if amount < 0 or parts < 1:
        raise ValueError("divide_half_up needs a non-negative amount and a positive divisor")
    return (2 * amount + parts) // (2 * parts)


def format_bps(bps: int) -> str:
    """500 -> ``5.00%``; 1250 -> ``12.50%``; 5 -> ``0.05%``."""
    return f"{bps // 100}.{bps % 100:02d}%"


def format_percent(bps: int) -> str:
    """Basis points as a person says them: 8000 -> ``80%``, 1250 -> ``12.5%``, 5 -> ``0.05%``."""
    whole, rest = divmod(int(bps), 100)
    return f"{whole}%" if rest == 0 else f"{whole}.{rest:02d}".rstrip("0") + "%"


def format_yuan(fen: int) -> str:
    """61200000 -> ``¥612,000.00`` (fen shown as yuan with two decimals)."""
    if fen < 0:
        return "-" + format_yuan(-fen)
    return f"¥{fen // 100:,}.{fen % 100:02d}"
