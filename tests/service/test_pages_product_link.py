# ruff: noqa: F811 (pages, pages_db: fixtures imported from test_pages_trip)
"""Traveller pages: a product page's link (a shared or hand-typed address) whose price
calendar length or party, or quote form check-in, the page cannot take. The calendar is
shown for what the page takes instead, and what it could not take is said beside its
field, in the page's language, as the forms say it (a 422, like the destinations list's
filters). Uses test_pages_trip's fixtures and helpers."""

import re
from datetime import timedelta

import pytest

from service.clock import Clock
from service.pages import refusals
from service.pages.formats import long_date
from tests.service.test_pages_trip import (  # noqa: F401 (pages, pages_db: fixtures)
    PRODUCT,
    _calendar_days,
    field_error,
    pages,
    pages_db,
)

WORDS = {
    "zh-CN": {"number": "不是数字", "14": "价格日历按 14 晚显示", "2": "价格日历按 2 人显示",
              "length": "不是可选的晚数（7/14/21/28 晚）", "form": "询价表填的是"},
    "en": {"number": "is not a number", "14": "The calendar shows 14 nights",
           "2": "The calendar shows 2 guests",
           "length": "is not a length to choose (7/14/21/28 nights)", "form": "The form shows"},
}  # fmt: skip


def _product(pages, lang: str, **query):
    return pages.get(f"/products/{PRODUCT}", params=query, headers={"Accept-Language": lang})


def _selected(html: str, select: str) -> str:
    found = re.search(rf'<select id="{select}".*?</select>', html, re.S)
    return re.search(r'<option value="(\d+)" selected>', found[0])[1]


def _shown_for_defaults(r) -> None:
    """The page for the calendar's defaults: 14 nights, 2 guests, 28 dates."""
    assert r.status_code == 422
    assert (_selected(r.text, "cal-nights"), _selected(r.text, "cal-guests")) == ("14", "2")
    assert len(_calendar_days(r.text)) == 28
    assert 'class="form-summary"' in r.text  # said at the top too, each a link to its field


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
@pytest.mark.parametrize("nights, why", [("abc", "number"), ("0", "length"), ("999", "length"),
                                         ("10", "length"), ("-7", "length")])  # fmt: skip
def test_a_length_the_calendar_cannot_show_is_said_beside_it(pages, lang, nights, why):
    r = _product(pages, lang, nights=nights, guests="2")
    _shown_for_defaults(r)
    said = field_error(r.text, "cal-nights")
    assert said is not None and WORDS[lang][why] in said and WORDS[lang]["14"] in said
    assert 'aria-describedby="cal-nights-error"' in r.text
    assert field_error(r.text, "cal-guests") is None


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
@pytest.mark.parametrize("guests", ["abc", "2.5", "0", "-1", "4", "40"])
def test_a_party_the_calendar_cannot_show_is_said_beside_it(pages, lang, guests):
    """Not a number, below 1 (the forms' words for a number too small), or more than the
    calendar's one room takes: the price calendar's own refusal (the API's problem, said
    in the page's words with its limit), never a rule of the page's own."""
    r = _product(pages, lang, nights="14", guests=guests)
    _shown_for_defaults(r)
    said = field_error(r.text, "cal-guests")
    assert said is not None and WORDS[lang]["2"] in said
    assert 'aria-describedby="cal-guests-error"' in r.text
    if guests in ("abc", "2.5"):
        assert WORDS[lang]["number"] in said
    elif int(guests) < 1:
        assert refusals.validation_text("greater_than_equal", lang, {"ge": 1}) in said
    else:
        today = Clock().today()
        problem = pages.get(
            f"/v1/products/{PRODUCT}/price-calendar",
            params={"from": today.isoformat(), "to": (today + timedelta(days=28)).isoformat(),
                    "nights": 14, "guests": guests},
        ).json()  # fmt: skip
        assert (problem["code"], problem["field"], problem["limit"]) == ("too_many_guests",
                                                                       "guests", 3)  # fmt: skip
        assert refusals.problem_text(problem["code"], lang, "", problem) in said
    assert field_error(r.text, "cal-nights") is None


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_a_check_in_the_form_cannot_take_is_said_beside_it(pages, lang):
    """A check-in from the link that is no date, in the past, or after the last date on
    sale: the form's own words for it (``forms.day_error``, the quote's problems), and
    the date the form shows instead."""
    today = Clock().today()
    instead = long_date(today + timedelta(days=30), lang)
    for check_in, words in (
        ("soon", ("年-月-日", "YYYY-MM-DD")),
        ("2027-02-30", ("没有这个日期", "There is no such date")),
        ((today - timedelta(days=1)).isoformat(), ("不能早于今天", "cannot be in the past")),
        ("2100-12-25", ("不在销售期内", "not on sale")),
    ):
        r = _product(pages, lang, check_in=check_in)
        assert r.status_code == 422, check_in
        said = field_error(r.text, "check_in")
        assert said is not None and words[lang == "en"] in said, (check_in, said)
        assert WORDS[lang]["form"] in said and instead in said
        assert 'aria-describedby="check_in-hint check_in-error"' in r.text


def test_a_link_the_page_can_take_says_nothing(pages):
    """Full-width digits read as the forms read them; no value is no word."""
    today = Clock().today()
    for query in ({}, {"nights": "２１", "guests": "３"}, {"nights": "", "guests": ""},
                  {"check_in": (today + timedelta(days=40)).isoformat()}):  # fmt: skip
        r = _product(pages, "zh-CN", **query)
        assert r.status_code == 200, query
        assert 'class="field-error"' not in r.text
    r = _product(pages, "zh-CN", nights="２１", guests="３")
    assert (_selected(r.text, "cal-nights"), _selected(r.text, "cal-guests")) == ("21", "3")
