"""A numeric bound is said as a person writes it ("5000", never "5000.0"), and a NaN is
said as no number ("must be a number", code ``float_parsing``), never as a bound it
fails: the API's field messages and the pages' words (one ``_ctx``). Both databases."""

import pytest

from service.pages import refusals
from service.validation_messages import context, message
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
