"""At once: the most rooms (or guests) a trip's stays take on any one night.

A trip's stays follow one another (a party moving on from one place to the next needs
its rooms once, not once per stay) or overlap (two room types at one hotel on the same
nights add up). What a trip needs at once is the most, over its nights, of the units
(or guests) of the stays that hold that night: its party, counted in guests.

A count only rises at a check-in, so it is highest on some stay's check-in night, and
the most at once is the most, over the stays, of the sum over the stays ``s`` with
``s.check_in <= this.check_in < s.check_out``. Pure, so the engine's validation counts
a quote's party by it (a leg's riders are at most the party) as the service does (a
booking's guests, the address hold cap: ``service.at_once``).
"""

from collections.abc import Iterable
from datetime import date


def most_at_once(stays: Iterable[tuple[date, date, int]]) -> int:
    """The most of ``count`` held on any one night by ``(check_in, check_out, count)``
    stays (nights ``check_in`` up to, not including, ``check_out``); 0 for none."""
    stays = list(stays)
    return max(
        (sum(n for start, end, n in stays if start <= day < end) for day, _, _ in stays),
        default=0,
    )
