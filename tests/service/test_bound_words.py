"""A numeric bound is said as a person writes it ("5000", never "5000.0"), and a NaN is
said as no number ("must be a number", code ``float_parsing``), never as a bound it
fails: the API's field messages and the pages' words (one ``_ctx``). Both databases."""

import pytest

from service.pages import refusals
from service.validation_messages import context, message
from tests.service.booking_support import add_partner
from tests.service.test_pages_trip import pages, pages_db  # noqa: F401


@pytest.mark.parametrize(
    "query, code, en, zh",
    [
        ("within_km=nan", "float_parsing", "must be a number", None),
        ("within_km=NaN", "float_parsing", "must be a number", None),
        ("within_km=6000", "less_than_equal", "must be 5000 or less", "5000"),
        ("within_km=0", "greater_than", "must be greater than 0", "0"),
    ],
)
def test_the_api_says_a_bound_without_a_stray_point_zero(pages, query, code, en, zh):  # noqa: F811
    url = f"/v1/destinations?near=42.4,128.1&{query}"
    problem = pages.get(url, headers={"Accept-Language": "en"}).json()
    error = next(e for e in problem["errors"] if e["field"] == "within_km")
    assert (error["code"], error["message"]) == (code, en)
    said = pages.get(url, headers={"Accept-Language": "zh-CN"}).json()
    zh_message = next(e for e in said["errors"] if e["field"] == "within_km")["message"]
    assert ".0" not in zh_message and (zh is None or zh in zh_message), zh_message


def test_the_pages_say_a_bound_without_a_stray_point_zero():
    for kind, ctx, en in [
        ("less_than_equal", {"le": 500.0}, "the largest allowed is 500)"),
        ("greater_than", {"gt": 0.0}, "it must be over 0)"),
        ("greater_than_equal", {"ge": 1.5}, "the smallest allowed is 1.5)"),
    ]:
        error = {"type": kind, "ctx": ctx, "input": 9999}
        assert refusals.validation_text(kind, "en", context(error)).endswith(en + ".")
    nan = {"type": "less_than_equal", "ctx": {"le": 500.0}, "input": "nan", "msg": "x"}
    assert message(nan, "en") == ("float_parsing", "must be a number")
    assert message(nan, "zh-CN")[0] == "float_parsing"


@pytest.mark.parametrize(
    "since, en, zh",
    [
        ("2027-02-29T00:00:00Z", "must be a time of the calendar (that month has no such day)",
         "该月没有这一天"),
        ("2027-13-01T00:00:00Z", "must be a time of the calendar (no such month: months are "
         "01 to 12)", "没有这个月份"),
        ("2027-01-01T24:00:00Z", "has no such time of day: hours are 00 to 23, minutes and "
         "seconds 00 to 59", "没有这个时刻"),
        ("2027-01-01T23:60:00+08:00", "has no such time of day: hours are 00 to 23, minutes "
         "and seconds 00 to 59", "没有这个时刻"),
        ("2027-01-01T00:00:00+24:00", "has no such time of day: hours are 00 to 23, minutes "
         "and seconds 00 to 59", "没有这个时刻"),
    ],
)  # fmt: skip
def test_an_instant_no_calendar_or_clock_has_is_said_as_such(db, client, since, en, zh):
    """``updated_since`` (an RFC 3339 instant with its offset there) said as the date
    fields say a day no calendar has, never "must be an RFC 3339 time with its offset"."""
    partner = add_partner(db, "ota-since")
    for lang, words in (("en", en), ("zh-CN", zh)):
        r = client.get(
            "/v1/bookings",
            params={"updated_since": since},
            headers={**partner.headers, "Accept-Language": lang},
        )
        assert r.status_code == 422
        error = next(e for e in r.json()["errors"] if e["field"] == "updated_since")
        assert words in error["message"], error
        assert "offset" not in error["message"] and "时区" not in error["message"]
    ok = client.get(
        "/v1/bookings", params={"updated_since": "2027-01-01T23:59:59+08:00"},
        headers=partner.headers,
    )  # fmt: skip
    assert ok.status_code == 200, ok.text
