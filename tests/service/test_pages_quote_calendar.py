# ruff: noqa: F811 (pages, pages_db: fixtures imported from test_pages_trip)
"""Traveller pages: the product page's price calendar and the quote form it fills (a
date's link, a check-in the form would refuse, the last check-in on sale for the
chosen length). Split from test_pages_trip.py, whose fixtures and helpers it uses."""

import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from service.clock import Clock
from tests.service.test_pages_trip import (  # noqa: F401 (pages, pages_db: fixtures)
    PRODUCT,
    _calendar_days,
    _quote,
    field_error,
    pages,
    pages_db,
)


def test_a_bookable_calendar_date_links_to_the_quote_form_filled_with_it(pages):
    from html import unescape

    today = Clock().today()
    html = pages.get(f"/products/{PRODUCT}?nights=7&guests=1").text
    links = re.findall(r'<tr><td><a class="tap" href="([^"]+)">', html)
    assert links and len(links) <= 28  # the dates with a total
    first = unescape(links[0])
    check_in = re.search(r"check_in=([0-9-]+)", first)[1]
    assert first == (
        f"/products/{PRODUCT}?from={today.isoformat()}&nights=7&guests=1"
        f"&check_in={check_in}#quote-form-title"
    )
    filled = pages.get(first.split("#")[0]).text
    assert 'id="quote-form-title"' in filled
    assert f'id="check_in" name="check_in" value="{check_in}"' in filled
    assert '<option value="7" selected>7 晚</option>' in filled  # the form's length
    assert 'id="guests" name="guests" value="1"' in filled
    # the same page without the date: the form's own default, not the last visitor's
    plain = pages.get(f"/products/{PRODUCT}?nights=7&guests=1&from={today.isoformat()}").text
    default = (today + timedelta(days=30)).isoformat()
    assert f'id="check_in" name="check_in" value="{default}"' in plain


@pytest.mark.parametrize("check_in", ["2020-01-01", "soon", "2027-02-30"])
def test_a_check_in_in_the_address_the_form_would_refuse_is_not_filled_in(pages, check_in):

    default = (Clock().today() + timedelta(days=30)).isoformat()
    html = pages.get(f"/products/{PRODUCT}", params={"check_in": check_in}).text
    assert f'id="check_in" name="check_in" value="{default}"' in html


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
@pytest.mark.parametrize("check_in, nights", [("2100-12-25", "14"), ("2099-01-01", "14")])
def test_a_check_in_past_the_last_date_on_sale_is_said_beside_it_with_that_date(
    pages, lang, check_in, nights
):
    from service.pages import messages

    r = _quote(pages, lang, check_in=check_in, nights=nights)
    assert r.status_code == 422
    said = field_error(r.text, "check_in")
    words = (
        "所选日期不在销售期内：住 14 晚最晚可在",
        "These dates are not on sale: the last check-in date on sale for 14 nights is",
    )
    assert said is not None and words[0 if lang == "zh-CN" else 1] in said
    assert field_error(r.text, "nights") is None
    generic = messages.text_for(lang)("error_date")
    assert generic not in r.text and "format is not right" not in r.text


def _last_night(database) -> date:
    """The product's last night published with units (the demo's inventory horizon)."""
    with database.session() as s:
        night = s.execute(
            sa.text(
                "SELECT max(i.night) FROM inventory_night i JOIN product p"
                " ON p.id = i.product_id WHERE p.slug = :slug AND i.total_units > 0"
            ),
            {"slug": PRODUCT},
        ).scalar_one()
    return date.fromisoformat(str(night))


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
@pytest.mark.parametrize("nights", [7, 14])
def test_the_last_check_in_said_is_the_last_one_for_the_chosen_length(
    pages, pages_db, lang, nights
):
    """The form says the last check-in date on sale for the stay's length (its last
    night the product's last night on sale), not the last night: checking in on the
    date said is quoted, the day after is refused with the same date, and the API's
    quotes agree."""
    from service.pages.formats import long_date

    last = _last_night(pages_db) - timedelta(days=nights - 1)
    said = long_date(last, lang)
    for check_in in ("2099-07-01", (last + timedelta(days=1)).isoformat()):
        r = _quote(pages, lang, check_in=check_in, nights=str(nights))
        assert r.status_code == 422
        words = field_error(r.text, "check_in")
        assert said in words, words
        assert (f"{nights} nights is" if lang == "en" else f"住 {nights} 晚最晚") in words
    assert _quote(pages, lang, check_in=last.isoformat(), nights=str(nights)).status_code == 303
    product_id = pages.get(f"/v1/products/{PRODUCT}").json()["id"]
    for check_in, status in ((last, 201), (last + timedelta(days=1), 422)):
        item = {
            "product_id": product_id,
            "check_in": check_in.isoformat(),
            "check_out": (check_in + timedelta(days=nights)).isoformat(),
            "guests": 2,
        }
        r = pages.post("/v1/quotes", json={"items": [item]})
        assert r.status_code == status, r.text
    assert r.json()["code"] == "not_on_sale"


@pytest.mark.parametrize("nights", [7, 14])
def test_the_calendars_last_period_ends_on_the_last_check_in_for_its_length(
    pages, pages_db, nights
):
    from service.pages.formats import long_date

    last = _last_night(pages_db) - timedelta(days=nights - 1)
    en = {"Accept-Language": "en"}
    html = pages.get(f"/products/{PRODUCT}?from=2099-01-01&nights={nights}", headers=en).text
    days = _calendar_days(html)
    assert len(days) == 28 and days[-1] == long_date(last, "en")
    assert f'check_in={last.isoformat()}#quote-form-title"' in html  # bookable: a link
    notice = f"Prices for {nights} nights are published for check-in up to {long_date(last, 'en')}"
    assert notice in html
    # the quote form is filled with that date (it may be on sale), not with one after it
    for check_in, filled in ((last, last), (last + timedelta(days=1), None)):
        page = pages.get(
            f"/products/{PRODUCT}?nights={nights}&check_in={check_in.isoformat()}"
        ).text
        value = re.search(r'id="check_in" name="check_in" value="([^"]+)"', page).group(1)
        assert (value == check_in.isoformat()) == (filled is not None)


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_an_empty_check_in_is_please_fill_this_in_as_on_the_planner(pages, lang):
    from service.pages import messages

    r = _quote(pages, lang, check_in="  ")
    assert r.status_code == 422
    assert messages.text_for(lang)("error_required") in field_error(r.text, "check_in")


def test_the_quote_form_is_filled_only_with_a_check_in_that_may_be_on_sale(pages):

    def filled(query: str) -> str:
        html = pages.get(f"/products/{PRODUCT}{query}").text
        field = re.search(r'<input[^>]*name="check_in"[^>]*>', html).group(0)
        return re.search(r'value="([^"]*)"', field).group(1)

    default = filled("")
    on_sale = (Clock().today() + timedelta(days=40)).isoformat()
    assert filled(f"?check_in={on_sale}") == on_sale
    for past_the_sale in ("2099-01-01", "2100-12-25"):
        assert filled(f"?check_in={past_the_sale}") == default
