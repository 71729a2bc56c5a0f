"""The console calls a product's bookable room or cabin what the traveller pages call
it: "room" in English, "间" / "房间" in Chinese, never "unit" or "单元" (the API keeps
its ``units`` fields). Every console text, then the pages that say it: the calendar's
edit form, the new-product form, the dashboard's chart. Both databases, both
languages."""

import re

import pytest

from service.console.audit_words import FIELD_NAMES
from service.console.desk_text import DESK_TEXT
from service.console.reports_text import REPORTS_TEXT
from service.console.text import CONSOLE_TEXT
from service.pages.messages import TEXT
from tests.service.test_console_calendar import WEEK
from tests.support.console import log_in
from tests.support.operators import world

UNIT = re.compile(r"\bunits?\b", re.I)


def _said(text: str) -> str:
    """A text without its placeholders' names (``{units:room|rooms}`` says rooms)."""
    return re.sub(r"\{\w+:?", "", text)


def test_no_console_text_says_unit_in_either_language():
    texts = {
        **CONSOLE_TEXT,
        **REPORTS_TEXT,
        **DESK_TEXT,
        **{f"audit:{k}": v for k, v in FIELD_NAMES.items()},
    }
    assert [k for k, (_, en) in texts.items() if UNIT.search(_said(en))] == []
    assert [k for k, (zh, _) in texts.items() if "单元" in zh] == []


def test_the_traveller_pages_say_room_too():
    assert [k for k, (zh, en) in TEXT.items() if UNIT.search(_said(en)) or "单元" in zh] == []


@pytest.mark.parametrize(
    "lang, total, kind, col",
    [("zh-CN", "总间数", "房型", "间数"), ("en", "Total rooms", "Room type", "Rooms")],
)
def test_the_console_pages_say_rooms(db, client, lang, total, kind, col):
    w = world(db)
    log_in(client, w.a.admin.login)
    client.cookies.set("lang", lang)
    calendar = client.get("/console/calendar", params=WEEK).text
    assert f'<label for="units">{total}</label>' in calendar
    products = client.get("/console/products").text
    assert f'<label for="unit_type">{kind}</label>' in products
    for page in (calendar, products, client.get("/console").text):
        main = re.search(r"<main.*</main>", page, re.S).group(0)
        words = re.sub(r"<[^>]+>", " ", main)
        assert not UNIT.search(words) and "单元" not in words, UNIT.findall(words)


def test_the_room_types_read_as_the_other_choices_of_the_form(db, client):
    """Each room type of the new-product form is a word capitalised as the themes beside
    it are ("Cabin", "Forest healing"); they read "cabin", "hotel room" until December
    2026 (360 px review)."""
    w = world(db)
    log_in(client, w.a.admin.login)
    client.cookies.set("lang", "en")
    page = client.get("/console/products").text
    box = re.search(r'<select id="unit_type" name="unit_type"[^>]*>(.*?)</select>', page, re.S)
    said = re.findall(r"<option [^>]*>([^<]*)</option>", box.group(1))
    assert said == ["Cabin", "Hotel room", "Homestay", "Serviced apartment", "Villa",
                    "Elder-care room"]  # fmt: skip
