"""How the planner's nudges say the last day to book."""

from datetime import date, timedelta

from planner.explain import book_by_words


def test_the_last_day_to_book_is_today_on_that_day():
    today = date(2026, 12, 6)
    assert book_by_words(today, today) == ("请今天预订", "Book today")


def test_a_later_last_day_to_book_is_said_as_a_date():
    today = date(2026, 12, 6)
    zh, en = book_by_words(today + timedelta(days=1), today)
    assert zh == "请在2026-12-07前预订" and en == "Book by 2026-12-07"
