"""More rooms than guests is refused wherever a stay is asked for, by one rule
(``pricing.check_rooms``): 422 ``more_rooms_than_guests`` naming the units, with
``asked_units`` and ``guests``, in the caller's language. A newcomer's report: a quote
of 10 rooms for 1 guest was priced (¥58,732.80), the quote form with 1 guest and 12
rooms went straight to a price page, and the planner planned 3 rooms for 2 guests.
The demo catalogue in the pages' own database, TestClient, both databases."""

from datetime import date, timedelta
from urllib.parse import urlencode

import pytest

from service.clock import Clock
from service.pages import refusals
from tests.service.test_catalog_api import PROBLEM
from tests.service.test_pages_forms import _quote_form
from tests.service.test_pages_trip import PRODUCT, field_error, pages_db  # noqa: F401
from tests.service.test_pages_trip_states import pages  # noqa: F401

DETAIL = {
    "zh-CN": "10 间（房间或床位）只住 1 人：每间至少住 1 人，间数不能多于人数。",
    "en": "10 units for 1 guest: each unit (room or bed) needs at least one guest, so the "
    "units are at most the guests.",
}
# one guest: "choose 1 room", never "1 room or fewer" (so until December 2026)
PAGE = {
    "zh-CN": "错误：12 间房只有 1 人：每间至少住 1 人，请把房间数改为 1 间，或增加人数。",
    "en": "Error: 12 rooms for 1 guest: each room needs at least one guest; choose 1 room, "
    "or add guests.",
}


def _stay() -> tuple[str, str]:
    check_in = Clock().today() + timedelta(days=230)
    return check_in.isoformat(), (check_in + timedelta(days=14)).isoformat()


def _refused(r, field: str, units: int, guests: int) -> dict:
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith(PROBLEM)
    problem = r.json()
    assert (problem["code"], problem["field"]) == ("more_rooms_than_guests", field)
    assert (problem["asked_units"], problem["guests"]) == (units, guests)
    return problem


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_a_quote_of_more_rooms_than_guests_is_refused_naming_the_units(pages, lang):  # noqa: F811
    product = pages.get(f"/v1/products/{PRODUCT}").json()
    check_in, check_out = _stay()
    item = {"product_id": product["id"], "check_in": check_in, "check_out": check_out}
    r = pages.post(
        "/v1/quotes",
        json={"items": [{**item, "guests": 2, "units": 1}, {**item, "guests": 1, "units": 10}]},
        headers={"Accept-Language": lang},
    )
    assert _refused(r, "items[1].units", 10, 1)["detail"] == DETAIL[lang]
    assert r.headers["content-language"] == lang
    # as many rooms as guests is a stay (and priced, as before)
    fits = pages.post("/v1/quotes", json={"items": [{**item, "guests": 2, "units": 2}]})
    assert fits.status_code == 201, fits.text


def test_more_rooms_than_guests_is_said_before_too_many_units(pages):  # noqa: F811
    """20 rooms of a 12-room product for 1 guest: the rooms are the typo, said first."""
    product = pages.get(f"/v1/products/{PRODUCT}").json()
    check_in, check_out = _stay()
    item = {"product_id": product["id"], "check_in": check_in, "check_out": check_out,
            "guests": 1, "units": 20}  # fmt: skip
    _refused(pages.post("/v1/quotes", json={"items": [item]}), "items[0].units", 20, 1)


def test_the_price_calendar_refuses_more_rooms_than_guests(pages):  # noqa: F811
    check_in, _ = _stay()
    later = (date.fromisoformat(check_in) + timedelta(days=7)).isoformat()
    query = {"from": check_in, "to": later, "nights": 14, "guests": 2, "units": 3}
    r = pages.get(f"/v1/products/{PRODUCT}/price-calendar", params=query)
    _refused(r, "units", 3, 2)
    assert pages.get(
        f"/v1/products/{PRODUCT}/price-calendar", params={**query, "units": 2}
    ).status_code == 200  # fmt: skip


def test_the_planner_refuses_more_rooms_than_guests(pages):  # noqa: F811
    start = Clock().today() + timedelta(days=90)
    body = {"earliest_check_in": start.isoformat(),
            "latest_check_out": (start + timedelta(days=35)).isoformat(),
            "nights": 28, "guests": 2, "units": 3}  # fmt: skip
    r = pages.post("/v1/plans", json=body, headers={"Accept-Language": "en"})
    problem = _refused(r, "units", 3, 2)
    assert "each unit (room or bed) needs at least one guest" in problem["detail"]


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_the_quote_form_says_more_rooms_than_guests_beside_the_rooms(pages, lang):  # noqa: F811
    """Not a 303 to a price of 12 rooms: the form again, said beside the rooms box."""
    pages.cookies.set("lang", lang)
    try:
        r = _quote_form(pages, check_in=_stay()[0], guests="1", units="12")
    finally:
        pages.cookies.delete("lang")
    assert r.status_code == 422
    assert field_error(r.text, "units") == PAGE[lang]
    assert field_error(r.text, "guests") is None
    assert 'aria-describedby="units-error"' in r.text


@pytest.mark.parametrize(
    "lang, said",
    [
        ("zh-CN", "错误：3 间房只有 2 人：每间至少住 1 人，请把房间数减到 2 间或更少，"
                  "或增加人数。"),
        ("en", "Error: 3 rooms for 2 guests: each room needs at least one guest; choose 2 rooms "
               "or fewer, or add guests."),
    ],
)  # fmt: skip
def test_the_plan_page_says_more_rooms_than_guests_beside_the_rooms(pages, lang, said):  # noqa: F811
    start = Clock().today() + timedelta(days=90)
    params = {"start": start.isoformat(), "end": (start + timedelta(days=35)).isoformat(),
              "nights": "28", "guests": "2", "units": "3"}  # fmt: skip
    r = pages.get("/plan?" + urlencode(params), headers={"Accept-Language": lang})
    assert r.status_code == 422
    assert field_error(r.text, "units") == said
    assert 'name="quote_request"' not in r.text  # no plan of 3 rooms


@pytest.mark.parametrize(
    ("code", "values", "zh", "en"),
    [
        (
            "too_many_units",
            {"limit": 1},
            "所选日期中有的晚上总共只有 1 间，请选择 1 间。",
            "This stay has only 1 room in all on some of its nights; please choose 1 room.",
        ),
        (
            "too_many_units",
            {"limit": 2},
            "所选日期中有的晚上总共只有 2 间，请选择 2 间或更少。",
            "This stay has only 2 rooms in all on some of its nights; please choose 2 or fewer.",
        ),
        (
            "more_rooms_than_guests",
            {"asked_units": 2, "guests": 1},
            "2 间房只有 1 人：每间至少住 1 人，请把房间数改为 1 间，或增加人数。",
            "2 rooms for 1 guest: each room needs at least one guest; choose 1 room, or add "
            "guests.",
        ),
    ],
)
def test_one_room_that_fits_is_said_as_one_never_one_or_fewer(code, values, zh, en):
    """A limit of one room: 「请选择 1 间」 / "choose 1 room"; "1 or fewer" offers none."""
    assert refusals.problem_text(code, "zh-CN", "", values) == zh
    assert refusals.problem_text(code, "en", "", values) == en
