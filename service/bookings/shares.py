"""Who is paid what of a booking: each stay's share of the total, transfers included.

A booking's total is the sum of its stays' and its transfers' net prices: every discount
is a line of one stay or one transfer (a trip bundle discounts each stay in its scope, a
ticket stub one transfer or one pack; docs/pricing.md), so no discount is left to split.
A transfer (a ride on a transit line) has no destination of its own: the lines are
province-wide and no operator runs them here. Its fare is paid with one stay, the stay
the traveller boards it from (``carrier``): the stay with the latest check-in before the
travel day (the one the traveller is at, or last left); a transfer on or before the
first check-in day (the ride there) goes with the first stay. Stays at different
destinations never share a night, so on a trip across destinations the stay before the
ride is the destination the traveller leaves. Ties (two rooms at one destination from
the same day) go to the stay listed first.

``shares`` gives every stay its net price plus the fares it carries: they sum to the
total, to the fen, for one destination or several. Paid at the property, each
destination's desk collects its stays' shares (``operators.bookings.payment_of``); an
operator sees its own destination's amount, not the trip's (the console and
``/v1/admin/bookings``), and the traveller reads every desk's (``desks``: the booking's
``payment.at_property``, the manage page), the same amounts.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

# The front desk's status of a stay whose guest never came: not collected, nor the fares
# that go with it.
from service.bookings.cancellation import NO_SHOW


def collected(items: Sequence[Any]) -> list[Any]:
    """The stays of ``items`` a desk collects for at the property: all but a no-show."""
    return [i for i in items if i.stay_status != NO_SHOW]


@dataclass(frozen=True)
class Shares:
    """``carrier``: leg index -> the item index of the stay its fare is paid with;
    ``fen``: item index -> that stay's net price plus the fares it carries."""

    carrier: dict[int, int]
    fen: dict[int, int]

    def of(self, items: Sequence[Any]) -> int:
        """What ``items`` (some of the booking's stays) are paid together."""
        return sum(self.fen[i.item_index] for i in items)

    def legs_with(self, items: Sequence[Any]) -> list[int]:
        """The leg indexes whose fares are paid with ``items``, in order."""
        mine = {i.item_index for i in items}
        return sorted(g for g, i in self.carrier.items() if i in mine)

    def to_collect(self, items: Sequence[Any]) -> int:
        """What the desk of ``items`` (stays of one destination) collects at the
        property: their shares, a no-show's not (``collected``)."""
        return self.of(collected(items))


def carrier(items: Sequence[Any], leg: Any) -> int:
    """The item index of the stay ``leg``'s fare is paid with (the module's rule): the
    stay with the latest check-in before the travel day, else the first stay; ties to
    the lowest item index. ``items``: all the booking's stays (at least one: a booking
    is made from a quote, which needs a stay, and keeps its stays)."""
    before = [i for i in items if i.check_in < leg.travel_date]
    if before:
        latest = max(i.check_in for i in before)
        return min(i.item_index for i in before if i.check_in == latest)
    first = min(i.check_in for i in items)
    return min(i.item_index for i in items if i.check_in == first)


def shares(items: Sequence[Any], legs: Sequence[Any]) -> Shares:
    """Every stay's share of a booking (``BookingItem``s and ``BookingLeg``s, or rows
    with the same fields): its net price and the nets of the transfers it carries."""
    fen = {i.item_index: i.net_fen for i in items}
    carried = {}
    if items:
        for g in legs:
            carried[g.leg_index] = carrier(items, g)
            fen[carried[g.leg_index]] += g.net_fen
    return Shares(carried, fen)


@dataclass(frozen=True)
class Desk:
    """One destination's front desk on a booking paid at the property: its stays (item
    indexes), the transfers paid with them (leg indexes, a no-show's left out), what it
    collects (``Shares.to_collect``) and, of that, those transfers' fares."""

    destination_id: int
    item_indexes: list[int]
    leg_indexes: list[int]
    amount_fen: int
    fares_fen: int


def desks(
    items: Sequence[Any], legs: Sequence[Any], destination_of: Mapping[int, int]
) -> list[Desk]:
    """Every desk of a booking paid at the property, in the order of its first stay:
    each destination's amount is what its operator reads as ``to_collect_fen``, and
    together they are the total (less a no-show's share). ``destination_of``: product
    id -> destination id, of every product ``items`` name."""
    split = shares(items, legs)
    fare = {g.leg_index: g.net_fen for g in legs}
    at: dict[int, list[Any]] = {}
    for i in sorted(items, key=lambda i: i.item_index):
        at.setdefault(destination_of[i.product_id], []).append(i)
    out = []
    for destination_id, stays in at.items():
        paid_with = split.legs_with(collected(stays))
        out.append(
            Desk(
                destination_id,
                [i.item_index for i in stays],
                paid_with,
                split.to_collect(stays),
                sum(fare[g] for g in paid_with),
            )
        )
    return out
