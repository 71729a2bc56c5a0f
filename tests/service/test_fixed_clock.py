"""The tests' stopped clock (``tests.support.clock.FixedClock``) keeps the service's
rule for dates: ``today`` is the Asia/Shanghai date of its instant, not the UTC one."""

from datetime import UTC, date, datetime, time

import pytest

from service.clock import Clock
from tests.support.clock import FixedClock


def test_today_is_the_shanghai_date_of_the_instant_even_when_utc_says_the_day_before():
    late = FixedClock(datetime(2027, 1, 1, 17, 0, tzinfo=UTC))  # 01:00 on 2 January there
    assert late.now() == datetime(2027, 1, 1, 17, 0, tzinfo=UTC)
    assert late.today() == date(2027, 1, 2)
    assert isinstance(late, Clock)


def test_on_a_day_is_that_day_in_shanghai_at_noon_or_the_time_given():
    noon = FixedClock.on(date(2027, 3, 1))
    assert (noon.now(), noon.today()) == (datetime(2027, 3, 1, 4, 0, tzinfo=UTC), date(2027, 3, 1))
    early = FixedClock.on(date(2027, 3, 1), time(7))
    assert (early.now(), early.today()) == (
        datetime(2027, 2, 28, 23, 0, tzinfo=UTC),
        date(2027, 3, 1),
    )


def test_an_instant_without_a_time_zone_is_refused():
    with pytest.raises(ValueError):
        FixedClock(datetime(2027, 1, 1, 12, 0))
