"""Every date that is none is one code, ``date_parsing``, said in one sentence ("must be
a date as YYYY-MM-DD", 「应为日期（YYYY-MM-DD）。」), in a request body and in a query
parameter alike: ``2027/07/01`` was ``value_error`` "expected a date as YYYY-MM-DD"
(``service.text.iso_date``) and full-width ``２０２７-０７-０１`` pydantic's
``date_from_datetime_parsing``. A day no calendar has keeps its reason, under the same
code. The pages say every such date in the forms' one sentence. Both databases."""

import pytest

from service.pages import messages, refusals

NOT_DATES = [
    "2027/07/01",
    "２０２７-０７-０１",  # full-width digits
    "٢٠٢٧-٠٧-٠١",  # Arabic-Indic digits
    "2027-7-1",
    "2027-07-01T00:00:00Z",
    "soon",
    "",
    20270701,
    True,
]
WORDS = {"en": "must be a date as YYYY-MM-DD", "zh-CN": "应为日期（YYYY-MM-DD）。"}


def _check_in_error(client, value, lang: str) -> dict:
    body = {"items": [{"product_id": 1, "check_in": value, "check_out": "2027-07-08"}]}
    r = client.post("/v1/quotes", json=body, headers={"Accept-Language": lang})
    assert r.status_code == 422, r.text
    (error,) = [e for e in r.json()["errors"] if e["field"] == "items[0].check_in"]
    return error


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
@pytest.mark.parametrize("value", NOT_DATES)
def test_a_body_date_that_is_none_is_date_parsing_in_one_sentence(client, value, lang):
    error = _check_in_error(client, value, lang)
    assert (error["code"], error["message"]) == ("date_parsing", WORDS[lang])


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
@pytest.mark.parametrize("value", [v for v in NOT_DATES if isinstance(v, str) and v])
def test_a_query_date_that_is_none_is_said_as_a_body_date(client, value, lang):
    r = client.get(
        "/v1/products/1/price-calendar",
        params={"from": value, "to": "2027-07-10", "nights": 3},
        headers={"Accept-Language": lang},
    )
    assert r.status_code == 422, r.text
    (error,) = [e for e in r.json()["errors"] if e["field"] == "from"]
    assert (error["code"], error["message"]) == ("date_parsing", WORDS[lang])


@pytest.mark.parametrize(
    ("value", "why"),
    [("2027-02-30", "that month has no such day"), ("2027-13-01", "no such month")],
)
def test_a_day_no_calendar_has_is_the_same_code_with_its_reason(client, value, why):
    error = _check_in_error(client, value, "en")
    assert error["code"] == "date_parsing"
    assert why in error["message"]


def test_a_date_out_of_the_calendar_is_still_said_by_its_years(client):
    error = _check_in_error(client, "1999-01-01", "en")
    assert error["message"] == "must be a date between 2000-01-01 and 2100-12-31"


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_a_page_says_an_api_date_refusal_as_its_forms_say_a_date_that_is_none(lang):
    said = refusals.validation_text("date_parsing", lang, {})
    assert said == messages.text_for(lang)("error_date")
