"""Dates beyond anything on sale (newcomer finding): a window in summer 2029, when the
demo products are on sale only up to a night in 2027, answered no plan with the generic
``availability`` reason ("no stay on sale in these dates (inventory, the minimum nights
...)"), so a traveller could not tell that nothing is on sale that far ahead yet, nor
until when. The reason now says the night stays are on sale up to (the latest last night
on sale of the products that meet the request, ``availability.last_night_on_sale``), in
the caller's language, and the API gives it as ``last_night_on_sale``. Both databases,
both languages, the API and the /plan page."""

from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlencode

from sqlmodel import select

from catalog.models import Product
from planner.explain import STAGE_TEXT
from service.catalog import availability
from service.pages.formats import long_date
from tests.service.test_pages_trip import pages, pages_db  # noqa: F401
from tests.support.clock import FixedClock

NOW = datetime.now(UTC).replace(microsecond=0)


def _last_on_sale(database) -> date:
    """The latest last night on sale of the demo's active products (all of them meet a
    request of one guest with no themes, needs or destinations)."""
    with database.session() as s:
        products = s.exec(select(Product).where(Product.is_active)).all()
        nights = [availability.last_night_on_sale(s, p.id, p.sold_until) for p in products]
    return max(n for n in nights if n is not None)


def _body(start: date, days: int = 14) -> dict:
    return {
        "earliest_check_in": start.isoformat(),
        "latest_check_out": (start + timedelta(days=days)).isoformat(),
        "nights": 7,
        "guests": 1,
        "limit": 1,
    }


def _plans(client, body: dict, lang: str) -> dict:
    r = client.post("/v1/plans", json=body, headers={"Accept-Language": lang})
    assert r.status_code == 200, r.text
    return r.json()


def test_dates_after_the_last_night_on_sale_say_until_when_stays_are_on_sale(demo_client, demo_db):
    demo_client.app.state.clock = FixedClock(NOW)
    last = _last_on_sale(demo_db)
    zh = _plans(demo_client, _body(last + timedelta(days=1)), "zh-CN")
    en = _plans(demo_client, _body(last + timedelta(days=1)), "en")
    for out in (zh, en):
        assert out["plans"] == []
        (reason,) = out["reasons"]
        assert reason["code"] == "availability"
        assert reason["last_night_on_sale"] == last.isoformat()
    assert zh["reasons"][0]["text"] == (
        f"符合条件的产品目前只开放到{last.year}年{last.month}月{last.day}日当晚的入住，"
        "您选的日期还未开售。请选择更早的日期。"
    )
    assert en["reasons"][0]["text"].startswith(
        f"Stays are on sale only up to the night of {last.isoformat()}:"
    )
    # the summer of 2029 of the finding, when the demo sells up to a night in 2027
    far = _plans(demo_client, _body(date(2029, 7, 1)), "en")["reasons"][0]
    assert far["last_night_on_sale"] == last.isoformat() < "2029-07-01"


def test_a_window_starting_on_the_last_night_on_sale_keeps_the_generic_reason(demo_client, demo_db):
    demo_client.app.state.clock = FixedClock(NOW)
    last = _last_on_sale(demo_db)
    # starts on the last night on sale: a stay of 7 cannot fit, but one night is on sale
    for lang, text in (
        ("zh-CN", STAGE_TEXT["availability"][0]),
        ("en", STAGE_TEXT["availability"][1]),
    ):
        out = _plans(demo_client, _body(last), lang)
        assert out["plans"] == []
        assert out["reasons"] == [
            {"code": "availability", "text": text, "last_night_on_sale": None}
        ]


def test_the_plan_page_says_the_last_night_on_sale_in_its_own_dates(pages, pages_db):  # noqa: F811
    pages.app.state.clock = FixedClock(NOW)
    last = _last_on_sale(pages_db)
    start = last + timedelta(days=30)
    params = {
        "start": start.isoformat(),
        "end": (start + timedelta(days=14)).isoformat(),
        "nights": "7",
        "guests": "1",
    }
    said = {
        "zh-CN": f"目前只开放到{long_date(last, 'zh-CN')}当晚的入住",
        "en": f"Stays are on sale only up to the night of {long_date(last, 'en')}",
    }
    for lang, words in said.items():
        r = pages.get("/plan?" + urlencode(params), headers={"Accept-Language": lang})
        assert r.status_code == 200
        assert words in r.text
        assert STAGE_TEXT["availability"][lang == "en"] not in r.text
