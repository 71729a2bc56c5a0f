"""When a stay is on sale: the one check that quotes, the availability endpoints, the
price calendar and the trip planner all use.

A night is **on sale** for a product when the product is active, the night lies in its
sale dates (``sold_from``/``sold_until``), the product has inventory published for that
night (a row of ``inventory_night``; its units may be 0: then the night is on sale but
sold out) and no day restriction closes it (stop-sell). A **stay** ``[check_in,
check_out)`` is sellable with ``units`` when every night is on sale, its length is one
the product allows (duration modules, else ``min_nights..max_nights``), the day
restrictions of its arrival and departure days allow it (closed to arrival / departure,
minimum / maximum stay counted from the arrival day), and every night has ``units``
left.

Two forms, one logic:

* ``SaleCalendar.stay_problem`` answers for one stay, with the first reason it fails
  (``Unsellable``), in this order: ``product_retired`` (the operator retired the
  product: no night of it is sold, whatever the dates), ``not_on_sale`` (outside the
  sale dates, a night without inventory or stopped), ``duration_not_allowed``,
  ``closed_to_arrival``, ``closed_to_departure``, ``min_stay``, ``max_stay``,
  ``sold_out``.
* The bulk form for searches over many stays (the planner, the price calendar):
  ``SaleCalendar.blocked_prefix(units)`` (prefix counts of nights a stay of ``units``
  cannot use) plus ``arrival_ok``/``departure_ok``/``length_ok``: a stay is sellable
  iff no night is blocked, its arrival and departure are allowed and its length is
  allowed on its arrival day. ``stay_problem`` is written on the same per-day arrays.

Day restrictions (``DayRestriction``) are the calendar's: operators set them on
``inventory_night`` (``service.operators.calendar``), and ``catalog.sale_calendars.load_calendars``
/ ``stays_problems`` read them with the units (the check-out day's row too, for
closed-to-departure). ``min_stay_through`` (a night that only stays of at least so
many nights may include) is a length rule like ``min_stay`` (reason ``min_stay``).
This module is pure (no I/O): the planner and tests build calendars directly.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

# The product itself is no longer offered (``is_active`` false: its operator retired it):
# not a matter of dates, so said without a night.
PRODUCT_RETIRED = "product_retired"
NOT_ON_SALE = "not_on_sale"
DURATION_NOT_ALLOWED = "duration_not_allowed"
CLOSED_TO_ARRIVAL = "closed_to_arrival"
CLOSED_TO_DEPARTURE = "closed_to_departure"
MIN_STAY = "min_stay"
MAX_STAY = "max_stay"
SOLD_OUT = "sold_out"
# More units than a night has in all (``SaleCalendar.fewer_in_all``): never bookable, the
# quote's 422 and the availability checks' reason (not one of ``stay_problem``'s).
TOO_MANY_UNITS = "too_many_units"
# The reasons said with the night or day they are about (``Unsellable.day``), for the
# problems and pages that name them, ``(zh-CN, English)`` with ``{day}``: the one place
# a reason is put in words (the codes stay the reason). The API fills ``{day}`` with the
# ISO date, the pages with the date in words.
REASON_WORDS: dict[str, tuple[str, str]] = {
    PRODUCT_RETIRED: ("该产品已不再提供", "the product is no longer offered"),
    NOT_ON_SALE: ("{day} 这一晚未在售", "the night of {day} is not on sale"),
    DURATION_NOT_ALLOWED: (
        "从 {day} 入住不接受该入住晚数",
        "a stay of that many nights from {day} is not sold",
    ),
    CLOSED_TO_ARRIVAL: ("{day} 当日不接受入住", "check-in is closed on {day}"),
    CLOSED_TO_DEPARTURE: ("{day} 当日不接受离店", "check-out is closed on {day}"),
    MIN_STAY: (
        "从 {day} 入住未达最少入住晚数",
        "a stay from {day} is shorter than the fewest nights sold",
    ),
    MAX_STAY: (
        "从 {day} 入住超过最多入住晚数",
        "a stay from {day} is longer than the most nights sold",
    ),
    SOLD_OUT: ("{day} 这一晚已售罄", "the night of {day} is sold out"),
}


def reason_words(reason: str, day: object) -> tuple[str, str]:
    """``reason`` about ``day`` in words, ``(zh-CN, English)``; ``day`` as it is to be
    shown (an ISO date, a date in words). A reason without words keeps its code."""
    zh, en = REASON_WORDS.get(reason, ("{day} " + reason, reason + " on {day}"))
    return zh.format(day=day), en.format(day=day)


@dataclass(frozen=True, slots=True)
class SaleTerms:
    """What decides sellability about a product itself (not its days)."""

    product_id: int
    is_active: bool = True
    sold_from: date | None = None
    sold_until: date | None = None
    min_nights: int | None = None
    max_nights: int | None = None
    duration_modules: tuple[int, ...] = ()

    @classmethod
    def of(cls, row) -> SaleTerms:
        """From a ``product`` row (ORM object, Core row or ``pricing.ProductTerms``)."""
        return cls(
            product_id=row.id,
            is_active=getattr(row, "is_active", True),
            sold_from=row.sold_from,
            sold_until=row.sold_until,
            min_nights=row.min_nights,
            max_nights=row.max_nights,
            duration_modules=tuple(row.duration_modules or ()),
        )

    def allows_nights(self, nights: int) -> bool:
        if self.duration_modules:
            return nights in self.duration_modules
        return (self.min_nights is None or self.min_nights <= nights) and (
            self.max_nights is None or nights <= self.max_nights
        )

    def sells_night(self, night: date) -> bool:
        return (
            self.is_active
            and (self.sold_from is None or self.sold_from <= night)
            and (self.sold_until is None or night <= self.sold_until)
        )


@dataclass(frozen=True, slots=True)
class DayRestriction:
    """An operator's restriction of one product on one day. ``stop_sell`` takes the
    night off sale; ``closed_to_arrival``/``closed_to_departure`` refuse stays that
    start/end that day; ``min_stay``/``max_stay`` bound the length of stays arriving
    that day; ``min_stay_through`` bounds the length of every stay that includes that
    night. Operators set them on the calendar (``inventory_night``'s columns), and
    ``load_calendars`` / ``stays_problems`` read them with the units."""

    stop_sell: bool = False
    closed_to_arrival: bool = False
    closed_to_departure: bool = False
    min_stay: int | None = None
    max_stay: int | None = None
    min_stay_through: int | None = None

    @classmethod
    def of(cls, row) -> DayRestriction | None:
        """The restriction an ``inventory_night`` row carries (its calendar columns,
        set by operators), or None when it has none."""
        if not (
            row.stop_sell
            or row.closed_to_arrival
            or row.closed_to_departure
            or row.min_stay_arrival
            or row.max_stay
            or row.min_stay_through
        ):
            return None
        return cls(
            stop_sell=bool(row.stop_sell),
            closed_to_arrival=bool(row.closed_to_arrival),
            closed_to_departure=bool(row.closed_to_departure),
            min_stay=row.min_stay_arrival,
            max_stay=row.max_stay,
            min_stay_through=row.min_stay_through,
        )


@dataclass(frozen=True, slots=True)
class Unsellable:
    """Why a stay is not sellable: ``reason`` (module constants), the night or day it
    is about, which end of the stay the field is (``check_in``/``check_out``; ``product_id``
    for ``product_retired``, which has no day), and for
    ``sold_out`` the units left that night."""

    reason: str
    day: date | None = None
    field: str = "check_in"
    units_left: int | None = None


@dataclass(slots=True)
class SaleCalendar:
    """One product over the days ``[start, end)``: units left per night (``None`` = no
    inventory published) and day restrictions. Built by ``load_calendars`` or directly
    (tests, the planner's generated catalogues).

    ``totals``, the units each night has in all, taken or not
    (``inventory_night.total_units``), are read by ``stays_calendars`` (a quote's and a
    booking's own stays) and by ``load_calendars(..., totals=True)`` (a theme's
    availability, the price calendar): there a night without a row has none. Every
    other calendar (``load_calendars`` otherwise, the planner's, tests') has
    ``totals=None``, not read, and ``fewer_in_all``, the one check made on them, refuses
    it (an unread total is not a night with none); ``total_units`` says 0 for it, as
    for a night not on sale.
    """

    terms: SaleTerms
    start: date
    end: date
    left: list[int | None]
    restrictions: dict[date, DayRestriction] = field(default_factory=dict)
    totals: dict[date, int] | None = None  # None: not read (only stays_calendars reads them)
    # The nights with a minimum stay through them (few or none: a length check only
    # looks at these).
    _through: dict[date, int] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        self._through = {
            day: r.min_stay_through
            for day, r in self.restrictions.items()
            if r.min_stay_through is not None
        }

    @classmethod
    def build(
        cls,
        terms: SaleTerms,
        start: date,
        end: date,
        units_left: Mapping[date, int],
        restrictions: Mapping[date, DayRestriction] | None = None,
        totals: Mapping[date, int] | None = None,
    ) -> SaleCalendar:
        days = (end - start).days
        left: list[int | None] = [None] * max(days, 0)
        for night, units in units_left.items():
            i = (night - start).days
            if 0 <= i < days:
                left[i] = units
        read = None if totals is None else dict(totals)
        return cls(terms, start, end, left, dict(restrictions or {}), read)

    # --- per day ---------------------------------------------------------------------

    def _index(self, day: date) -> int:
        return (day - self.start).days

    def on_sale(self, night: date) -> bool:
        """Inventory published, inside the sale dates, not stopped."""
        i = self._index(night)
        if not 0 <= i < len(self.left) or self.left[i] is None:
            return False
        restriction = self.restrictions.get(night)
        return self.terms.sells_night(night) and not (restriction and restriction.stop_sell)

    def units_left(self, night: date) -> int:
        """Units left (0 when the night is not on sale)."""
        i = self._index(night)
        value = self.left[i] if 0 <= i < len(self.left) else None
        return max(value, 0) if value is not None and self.on_sale(night) else 0

    def total_units(self, night: date) -> int:
        """The units the night has in all, taken or not (0 when not on sale, or when the
        totals were not read: ``totals`` None): more than this can never be booked that
        night, whoever releases theirs."""
        return (self.totals or {}).get(night, 0) if self.on_sale(night) else 0

    def fewer_in_all(self, check_in: date, check_out: date, units: int) -> date | None:
        """The first night of the stay with fewer than ``units`` in all (taken or not:
        ``total_units``), or None: a stay of more units than that can never be booked.
        Only on a calendar whose totals were read (``stays_calendars``, or
        ``load_calendars`` with ``totals``): on another, every night would seem to have
        none."""
        if self.totals is None:
            raise ValueError("fewer_in_all needs the units in all: read by stays_calendars")
        return _first_night_below(self.total_units, check_in, check_out, units)

    def most_in_all(self, check_in: date, check_out: date) -> int:
        """The most units a stay of these nights can ever book: the fewest any of its
        nights has in all, taken or not (``total_units``). What a ``too_many_units``
        refusal offers as its limit: asking for that many clears every night, where the
        first night short (``fewer_in_all``) may not be the one with the fewest."""
        days = (check_out - check_in).days
        return min(self.total_units(check_in + timedelta(days=i)) for i in range(days))

    def short_in_all(
        self, stays: Iterable[tuple[date, date]], units: int
    ) -> tuple[date, int] | None:
        """Whether ``units`` are more than any of ``stays`` (check-in, check-out) can ever
        book: None when one of them can (no night with fewer in all, ``fewer_in_all``) or
        there is none, else the first night short of the stay that books the most (the
        first such stay) and that most (``most_in_all``), what a ``too_many_units``
        refusal names (``night``, ``limit``). One stay: a quote's; several: the price
        calendar's check-in dates, of which the most any books is the limit offered."""
        best: tuple[date, int] | None = None
        for check_in, check_out in stays:
            night = self.fewer_in_all(check_in, check_out, units)
            if night is None:
                return None
            most = self.most_in_all(check_in, check_out)
            if best is None or most > best[1]:
                best = (night, most)
        return best

    def arrival_ok(self, day: date) -> bool:
        r = self.restrictions.get(day)
        return not (r and r.closed_to_arrival)

    def departure_ok(self, day: date) -> bool:
        r = self.restrictions.get(day)
        return not (r and r.closed_to_departure)

    def length_problem(self, arrival: date, nights: int) -> str | None:
        """``duration_not_allowed``, ``min_stay`` or ``max_stay`` for a stay of
        ``nights`` arriving on ``arrival``, or None."""
        if not self.terms.allows_nights(nights):
            return DURATION_NOT_ALLOWED
        r = self.restrictions.get(arrival)
        if r is not None:
            if r.min_stay is not None and nights < r.min_stay:
                return MIN_STAY
            if r.max_stay is not None and nights > r.max_stay:
                return MAX_STAY
        if self._through:
            end = arrival + timedelta(days=nights)
            for day, least in self._through.items():
                if arrival <= day < end and nights < least:
                    return MIN_STAY
        return None

    def length_ok(self, arrival: date, nights: int) -> bool:
        return self.length_problem(arrival, nights) is None

    # --- bulk --------------------------------------------------------------------------

    def blocked_prefix(self, units: int) -> list[int]:
        """``p[i]`` = nights among the first ``i`` days of the calendar that a stay of
        ``units`` cannot use (not ``on_sale``, or fewer than ``units`` left). A stay of
        days ``[a, b)`` (indexes) has every night usable iff ``p[b] - p[a] == 0``.
        Written on index ranges for speed; equal to testing ``on_sale`` and
        ``units_left`` night by night (a test checks it)."""
        terms = self.terms
        n = len(self.left)
        lo = 0 if terms.sold_from is None else (terms.sold_from - self.start).days
        hi = n if terms.sold_until is None else (terms.sold_until - self.start).days + 1
        if not terms.is_active:
            lo, hi = n, n
        lo, hi = min(max(lo, 0), n), min(max(hi, 0), n)  # days before lo and from hi
        flags = [value is None or value < units for value in self.left]
        flags[:lo] = [True] * lo
        flags[hi:] = [True] * (n - hi)
        for day, r in self.restrictions.items():
            i = (day - self.start).days
            if r.stop_sell and 0 <= i < n:
                flags[i] = True
        return list(itertools.accumulate(flags, initial=0))

    # --- one stay ----------------------------------------------------------------------

    def stay_problem(self, check_in: date, check_out: date, units: int | None) -> Unsellable | None:
        """The first reason the stay cannot be sold (see the module docstring), or None.
        ``units=None`` checks that every night is on sale without counting units (a
        quote; the booking takes the units). Nights outside the calendar are not on sale.
        """
        if not self.terms.is_active:
            return Unsellable(PRODUCT_RETIRED, None, "product_id")
        nights = (check_out - check_in).days
        day = check_in
        one = timedelta(days=1)
        for _ in range(nights):
            if not self.on_sale(day):
                field_name = "check_in" if day == check_in else "check_out"
                return Unsellable(NOT_ON_SALE, day, field_name)
            day += one
        problem = self.length_problem(check_in, nights)
        if problem is not None:
            return Unsellable(problem, check_in, "check_out")
        if not self.arrival_ok(check_in):
            return Unsellable(CLOSED_TO_ARRIVAL, check_in, "check_in")
        if not self.departure_ok(check_out):
            return Unsellable(CLOSED_TO_DEPARTURE, check_out, "check_out")
        if units is not None:
            night = _first_night_below(self.units_left, check_in, check_out, units)
            if night is not None:
                return Unsellable(SOLD_OUT, night, "check_in", self.units_left(night))
        return None


def _first_night_below(
    count: Callable[[date], int], check_in: date, check_out: date, units: int
) -> date | None:
    """The first night of ``[check_in, check_out)`` on which ``count`` (the units left, or
    in all) is below ``units``, or None."""
    day, one = check_in, timedelta(days=1)
    while day < check_out:
        if count(day) < units:
            return day
        day += one
    return None
