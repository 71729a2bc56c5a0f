"""A product's seasons in the console, in Chromium on a phone in both languages: an ended
season (stored unnamed) is shown without a form, a running one's form says what stays;
moving its first night is refused beside the field, and a new rate applies from today
(the page says the season was split and links to the new one). Every page passes axe
(WCAG 2.1 AA), keeps 44px targets and is screenshotted (``console-…-seasons``); what
the page did is checked through the admin API of the same server.

The server runs on the real clock and refuses to add a season before today, so the
ended and running seasons are written into its database directly, as seasons stored
before these rules would be."""

import sqlite3
from datetime import date, timedelta

import httpx
import pytest

from tests.browser.bookings import today
from tests.browser.conftest import PHONE
from tests.browser.test_console import log_in
from tests.browser.test_console_journeys import token

pytestmark = pytest.mark.browser

# each language its own demo account (ten login attempts a minute per login) and product
LOGINS = {"zh-CN": "demo-songhuahu", "en": "demo-yanji"}
WORDS = {
    "zh-CN": {
        "first_night": "第一晚",
        "rate": "季节房价（元/晚）",
        "save": "保存",
        "started": "第一晚不能再改",
        "refused": "第一晚不能再改",
        "split": "原季节到昨晚为止",
        "see": "查看新季节",
        "ended": "已结束",
    },
    "en": {
        "first_night": "First night",
        "rate": "Season rate (yuan a night)",
        "save": "Save",
        "started": "the first night stays",
        "refused": "its first night is not moved",
        "split": "the season now ends last night",
        "see": "See the new season",
        "ended": "Ended",
    },
}


def _seed(server, headers) -> tuple[dict, dict]:
    """The account's first product with an ended season (stored unnamed) added, and its
    running season (the demo's own, else one added); neither overlaps its seasons."""
    day = today()
    products = httpx.get(server.base + "/v1/admin/products?limit=100", headers=headers).json()
    item = products["items"][0]
    url = server.base + f"/v1/admin/products/{item['id']}"
    seasons = httpx.get(url, headers=headers).json()["seasons"]
    windows = [
        (date.fromisoformat(s["start_date"]), date.fromisoformat(s["end_date"])) for s in seasons
    ]
    ended_end = min([start for start, _ in windows] + [day]) - timedelta(days=5)
    rows = [("", "", ended_end - timedelta(days=10), ended_end)]
    if not any(start < day < end for start, end in windows):
        later = [start for start, _ in windows if start > day]
        running = (day - timedelta(days=3), min(later + [day + timedelta(days=20)]))
        rows.append(("初冬", "Early winter", *running))
    with sqlite3.connect(server.db) as conn:
        for zh, en, start, end in rows:
            conn.execute(
                "INSERT INTO season (product_id, name_zh, name_en, start_date, end_date,"
                " nightly_rate_fen) VALUES (?, ?, ?, ?, ?, ?)",
                (item["id"], zh, en, start.isoformat(), end.isoformat(), 50_000),
            )
    seasons = httpx.get(url, headers=headers).json()["seasons"]
    running = next(s for s in seasons if s["start_date"] < day.isoformat() < s["end_date"])
    return item, running


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_an_ended_season_has_no_form_and_a_running_one_changes_from_today(visit, server, lang):
    w = WORDS[lang]
    login = LOGINS[lang]
    headers = token(server, login)
    product, season = _seed(server, headers)
    running, new_rate = season["id"], season["nightly_rate_fen"] - 2_000
    page = f"/console/products/{product['id']}"
    v = visit(PHONE, lang, label=f"console-phone-{lang}")
    v.go(page)
    log_in(v, lang, login=login)
    v.page.wait_for_url(server.base + page)
    ended_note = v.page.locator("p.hint", has_text=w["ended"]).first
    assert ended_note.is_visible()
    form = v.page.locator(f"form[action='{page}/seasons/{running}']")
    assert form.locator("input[name='remove']").count() == 0
    assert w["started"] in form.inner_text()
    v.check("40-seasons")
    # its first night moved: refused beside the field, in the page's words
    start = form.get_by_label(w["first_night"])
    start.fill((today() + timedelta(days=1)).isoformat())
    form.get_by_role("button", name=w["save"]).click()
    error = v.page.locator(f"#s{running}_start_date-error")
    assert w["refused"] in error.inner_text()
    v.check("41-season-first-night")
    # a new rate: from today, in a new season the page links to
    v.go(page)
    form = v.page.locator(f"form[action='{page}/seasons/{running}']")
    form.get_by_label(w["rate"]).fill(f"{new_rate // 100}.{new_rate % 100:02d}")
    form.get_by_role("button", name=w["save"]).click()
    v.page.wait_for_url("**done=season_split**")
    assert w["split"] in v.page.locator("[role=status]").inner_text()
    v.page.get_by_role("link", name=w["see"]).click()
    v.check("42-season-split")
    seasons = httpx.get(server.base + f"/v1/admin/products/{product['id']}", headers=headers)
    by_id = {s["id"]: s for s in seasons.json()["seasons"]}
    assert by_id[running]["end_date"] == today().isoformat()
    (new,) = [s for s in by_id.values() if s["start_date"] == today().isoformat()]
    assert (new["nightly_rate_fen"], new["name_en"]) == (new_rate, season["name_en"])
    assert by_id[running]["nightly_rate_fen"] == season["nightly_rate_fen"]
