"""The one sellability check: per stay and in bulk, with day restrictions."""

from datetime import date, timedelta

from catalog.sellability import DayRestriction, SaleCalendar, SaleTerms

D0 = date(2027, 7, 1)


def day(n: int) -> date:
    return D0 + timedelta(days=n)


def calendar(restrictions=None, **terms) -> SaleCalendar:
    """10 days from D0: 3 units left, 1 on day 4, night 7 not published."""
    left = {day(i): 3 for i in range(10) if i != 7}
    left[day(4)] = 1
    return SaleCalendar.build(SaleTerms(1, **terms), D0, day(10), left, restrictions)


def reason(cal: SaleCalendar, a: int, b: int, units: int | None = 1):
    problem = cal.stay_problem(day(a), day(b), units)
    if problem is None:
        return None
    return problem.reason, None if problem.day is None else (problem.day - D0).days


def bulk_sellable(cal: SaleCalendar, a: int, b: int, units: int) -> bool:
    blocked = cal.blocked_prefix(units)
    return (
        blocked[b] - blocked[a] == 0
        and cal.arrival_ok(day(a))
        and cal.departure_ok(day(b))
        and cal.length_ok(day(a), b - a)
    )


def test_reasons_in_order():
    cal = calendar(min_nights=2, max_nights=5)
    assert reason(cal, 0, 3) is None
    assert reason(cal, 6, 9) == ("not_on_sale", 7)
    assert reason(cal, 8, 12) == ("not_on_sale", 10)  # past the calendar: not published
    assert reason(cal, 0, 1) == ("duration_not_allowed", 0)
    assert reason(cal, 2, 5, units=2) == ("sold_out", 4)
    assert reason(cal, 2, 5, units=None) is None  # a quote does not count units


def test_sale_dates_take_nights_off_sale():
    assert reason(calendar(sold_until=day(2)), 1, 4) == ("not_on_sale", 3)
    assert reason(calendar(sold_from=day(1)), 0, 2) == ("not_on_sale", 0)


def test_a_retired_product_is_no_stay_of_any_dates_not_a_night_off_sale():
    retired = calendar(is_active=False)
    assert reason(retired, 0, 2) == ("product_retired", None)
    assert retired.stay_problem(day(3), day(5), None).field == "product_id"
    assert not any(bulk_sellable(retired, a, a + 2, 1) for a in range(0, 9))


def test_restrictions_slot_into_the_same_check():
    cal = calendar(
        {
            day(1): DayRestriction(stop_sell=True),
            day(2): DayRestriction(closed_to_arrival=True, min_stay=3),
            day(5): DayRestriction(closed_to_departure=True),
            day(3): DayRestriction(min_stay=3, max_stay=4),
        }
    )
    assert reason(cal, 0, 2) == ("not_on_sale", 1)
    assert reason(cal, 2, 4) == ("min_stay", 2)
    assert reason(cal, 2, 6) == ("closed_to_arrival", 2)
    assert reason(cal, 3, 5) == ("min_stay", 3)
    assert reason(cal, 3, 8) == ("not_on_sale", 7)
    assert reason(cal, 3, 6, units=1) is None
    assert reason(cal, 3, 6, units=2) == ("sold_out", 4)
    assert reason(cal, 4, 5, units=1) == ("closed_to_departure", 5)


def test_the_bulk_form_agrees_with_the_per_stay_check_on_every_stay():
    cal = calendar(
        {
            day(1): DayRestriction(stop_sell=True),
            day(2): DayRestriction(closed_to_arrival=True),
            day(6): DayRestriction(closed_to_departure=True, min_stay=2, max_stay=3),
        },
        duration_modules=(1, 2, 3, 5),
    )
    checked = 0
    for units in (1, 2, 3, 4):
        for a in range(0, 10):
            for b in range(a + 1, 11):
                assert bulk_sellable(cal, a, b, units) == (reason(cal, a, b, units) is None)
                checked += 1
    assert checked == 4 * 55


def test_the_bulk_form_agrees_with_sale_dates_in_before_and_after_the_calendar():
    stopped = {day(3): DayRestriction(stop_sell=True), day(-2): DayRestriction(stop_sell=True)}
    cases = [
        {"sold_from": day(2)},
        {"sold_until": day(6)},
        {"sold_from": day(3), "sold_until": day(5)},
        {"sold_from": day(-5)},  # before the calendar: every day on sale
        {"sold_until": day(-1)},  # ended before the calendar: none
        {"sold_from": day(12)},  # starts after the calendar: none
        {"sold_from": day(6), "sold_until": day(2)},  # empty range
        {"is_active": False},
    ]
    checked = 0
    for terms in cases:
        for restrictions in (None, stopped):
            cal = calendar(restrictions, **terms)
            assert len(cal.blocked_prefix(1)) == 11
            for units in (1, 2):
                for a in range(0, 10):
                    for b in range(a + 1, 11):
                        got = bulk_sellable(cal, a, b, units)
                        assert got == (reason(cal, a, b, units) is None), (terms, a, b)
                        checked += 1
    assert checked == 8 * 2 * 2 * 55


def test_fewer_in_all_reads_the_units_in_all_not_those_left():
    """The units a night has in all, taken or not: 5 a night, 2 on day 3, 1 left on day 4;
    a stopped night has none (it is not on sale)."""
    totals = {day(i): 5 for i in range(10) if i != 7}
    totals[day(3)] = 2
    stopped = {day(8): DayRestriction(stop_sell=True)}
    left = {day(i): 3 for i in range(10) if i != 7}
    left[day(4)] = 1
    cal = SaleCalendar.build(SaleTerms(1), D0, day(10), left, stopped, totals)
    assert cal.fewer_in_all(day(0), day(7), 2) is None  # 1 left on day 4: still 5 in all
    assert cal.fewer_in_all(day(0), day(7), 3) == day(3)
    assert cal.fewer_in_all(day(4), day(7), 5) is None
    assert cal.fewer_in_all(day(4), day(7), 6) == day(4)
    assert [cal.total_units(day(i)) for i in (3, 4, 7, 8)] == [2, 5, 0, 0]
    assert calendar().total_units(day(0)) == 0  # not read: none


def test_short_in_all_offers_the_most_any_stay_books():
    """Units no stay can have: the first night short of the stay that books the most,
    and that most; None once one stay can have them (or there is none)."""
    totals = {day(i): 5 for i in range(10)}
    totals[day(1)], totals[day(2)] = 3, 4
    cal = SaleCalendar.build(SaleTerms(1), D0, day(10), dict(totals), None, totals)
    assert cal.short_in_all([(day(0), day(2))], 4) == (day(1), 3)
    # from day 0, 3 at most (day 1); from day 2, 4: the limit offered is 4, on day 2
    assert cal.short_in_all([(day(0), day(2)), (day(2), day(4))], 5) == (day(2), 4)
    assert cal.short_in_all([(day(0), day(2)), (day(3), day(5))], 5) is None
    assert cal.short_in_all([], 5) is None
