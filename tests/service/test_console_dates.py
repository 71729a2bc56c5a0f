"""The console writes every date one way, the way its pages do (``formats.long_date``:
2026年11月15日（周日）, Sun 15 Nov 2026), in its messages too: a service's problem that
carries dates (a season's overlap, a past date) or amounts (a filed price) is said in
the console's words, never with ISO dates, ids or fen."""

import re
from datetime import date, timedelta

import pytest

from service.pages.formats import long_date
from tests.support.clock import FixedClock
from tests.support.console import log_in, post_form, said_beside
from tests.support.operators import FIRST, world

ISO = re.compile(r"\b20\d\d-\d\d-\d\d\b")


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_an_overlapping_season_is_named_with_its_dates(db, client, lang):
    w = world(db)
    log_in(client, w.a.admin.login)
    client.cookies.set("lang", lang)
    page = f"/console/products/{w.a.product_id}"
    start = FIRST + timedelta(days=12)  # inside the world's season, 旺季 (Peak)
    season = {
        "new_name_zh": "测试季",
        "new_name_en": "Test",
        "new_start_date": start.isoformat(),
        "new_end_date": (start + timedelta(days=19)).isoformat(),
        "new_nightly_rate_fen": "500",
    }
    r = post_form(client, f"{page}/seasons", season, page)
    assert r.status_code == 409
    text = said_beside(r.text, "new_start_date")
    # its first and last nights (end_date, FIRST+20, is the first night after it), as the
    # console's table and an ended season's note say a season: never "the night before"
    first, last = FIRST + timedelta(days=10), FIRST + timedelta(days=19)
    name = "旺季" if lang == "zh-CN" else "Peak"
    said = {
        "zh-CN": f"该季节第一晚是 {long_date(first, lang)}，最后一晚是 {long_date(last, lang)}。",
        "en": f"its first night is {long_date(first, lang)} and its last night "
        f"{long_date(last, lang)}.",
    }
    assert name in text and said[lang] in text, text
    assert "前一晚" not in text and "night before" not in text, text
    assert long_date(FIRST + timedelta(days=20), lang) not in text, text
    assert not ISO.search(text) and "季节 " not in text, text


def test_a_past_date_says_today_as_the_console_writes_it(db, client):
    w = world(db)
    today = FIRST - timedelta(days=30)
    client.app.state.clock = FixedClock.on(today)
    log_in(client, w.a.admin.login)
    week = {"from": FIRST.isoformat(), "to": (FIRST + timedelta(days=6)).isoformat()}
    calendar = "/console/calendar?from={from}&to={to}".format(**week)
    edit = {
        "product_ids": str(w.a.product_id),
        "edit_from": (today - timedelta(days=5)).isoformat(),
        "edit_to": today.isoformat(),
        "weekdays": [str(d) for d in range(1, 8)],
        "units": "4",
    }
    r = post_form(client, "/console/calendar/preview", edit, calendar)
    assert r.status_code == 422
    text = said_beside(r.text, "edit_from")
    first = long_date(today - timedelta(days=5), "zh-CN")
    assert text.startswith(f"错误：第一晚 {first} 早于今天（{long_date(today, 'zh-CN')}）"), text
    assert not ISO.search(text), text
    page = f"/console/products/{w.a.product_id}"
    season = {
        "new_name_zh": "旧季",
        "new_name_en": "Old",
        "new_start_date": date(2020, 1, 10).isoformat(),
        "new_end_date": date(2020, 1, 20).isoformat(),
        "new_nightly_rate_fen": "300",
    }
    r = post_form(client, f"{page}/seasons", season, page)
    assert r.status_code == 422
    text = said_beside(r.text, "new_start_date")
    assert text.startswith(f"错误：{long_date(date(2020, 1, 10), 'zh-CN')} 早于今天"), text
    assert long_date(today, "zh-CN") in text and not ISO.search(text) and "start_date" not in text
    english = post_form(client, f"{page}/seasons", season, page, headers={"Accept-Language": "en"})
    text = said_beside(english.text, "new_start_date")
    assert text.startswith("Error: Fri 10 Jan 2020 is before today"), text
    assert not ISO.search(text) and "start_date" not in text


def test_a_stay_checked_in_too_early_says_its_day_as_the_console_writes_it(db, client):
    from tests.service.test_operators_bookings import book

    w = world(db)
    ref = book(db, w.a.product_id)
    client.app.state.clock = FixedClock.on(FIRST - timedelta(days=2))
    log_in(client, w.a.staff.login)
    page = f"/console/bookings/{ref}"
    data = {"item_index": "0", "status": "checked_in"}  # no button yet: a stale or forged post
    r = post_form(client, f"{page}/stay-status", data, page)
    assert r.status_code == 409
    summary = re.search(r'<div class="form-summary"[^>]*>(.*?)</div>', r.text, re.S)
    assert f"入住日期为 {long_date(FIRST, 'zh-CN')}" in summary.group(1)
    assert not ISO.search(summary.group(1))


def test_a_rate_above_the_filed_price_is_said_in_yuan(db, client):
    w = world(db)
    log_in(client, w.a.admin.login)
    page = f"/console/products/{w.a.product_id}"
    form = {
        "name_zh": "木屋",
        "name_en": "Cabin",
        "base_rate_fen": "450",
        "filed_rate_fen": "400",
        "extra_guest_fee_fen": "0",
        "base_occupancy": "2",
        "max_occupancy": "4",
        "min_nights": "1",
    }
    r = post_form(client, page, form, page)
    assert r.status_code == 422
    assert said_beside(r.text, "base_rate_fen") == "错误：¥450.00 高于备案价 ¥400.00（明码标价）。"
    # the filed price alone lowered below the base rate (¥380.00): said beside it
    r = post_form(client, page, {**form, "base_rate_fen": "380", "filed_rate_fen": "1"}, page)
    assert r.status_code == 422
    said = "错误：备案价 ¥1.00 低于房价 ¥380.00（明码标价）。"
    assert said_beside(r.text, "filed_rate_fen") == said
    assert said_beside(r.text, "base_rate_fen") == ""


def test_an_edit_applied_after_its_cells_were_refused_says_so_above_the_table(db, client):
    """A bulk edit posted to apply while a cell refuses it (a booking took the units
    since the preview, or a forged post): nothing changes, and the preview again says
    so in words, with the refused cells and their dates in its table."""
    w = world(db)
    log_in(client, w.a.admin.login)
    week = {"from": FIRST.isoformat(), "to": (FIRST + timedelta(days=6)).isoformat()}
    calendar = "/console/calendar?from={from}&to={to}".format(**week)
    edit = {
        "product_ids": str(w.a.product_id),
        "edit_from": FIRST.isoformat(),
        "edit_to": (FIRST + timedelta(days=1)).isoformat(),
        "weekdays": [str(d) for d in range(1, 8)],
        "rate": "99999",
    }
    r = post_form(client, "/console/calendar/apply", edit, calendar)
    assert r.status_code == 422
    summary = re.search(r'<div class="form-summary"[^>]*>(.*?)</div>', r.text, re.S)
    assert summary and "未做任何修改：有 2 个日期格不能这样修改，见下表。" in summary.group(1)
    assert long_date(FIRST, "zh-CN") in r.text and not ISO.search(_main(r.text))


def test_rule_windows_and_report_dates_are_written_as_the_console_writes_dates(db, client):
    w = world(db)
    r = client.post(
        "/v1/admin/rules",
        json={
            "key": "winter-long-stay",
            "kind": "long_stay",
            "name_zh": "冬季长住",
            "name_en": "Winter long stay",
            "destination_ids": [w.a.destination_id],
            "tiers": [{"threshold": 7, "bps": 500}],
            "booking_to": "2027-02-19",
            "check_in_from": "2027-03-01",
        },
        headers=w.a.admin.headers,
    )
    assert r.status_code == 201, r.text
    rule = r.json()["id"]
    log_in(client, w.a.admin.login)
    client.cookies.set("lang", "en")
    for path in ("/console/rules", f"/console/rules/{rule}"):
        html = _main(client.get(path).text)
        assert "booked … to Fri 19 Feb 2027" in html and "Mon 01 Mar 2027" in html
        assert not ISO.search(html), ISO.search(html)


def _main(html: str) -> str:
    """The page's text in <main>, without its forms' values (a date field holds ISO)."""
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    return re.sub(r"<[^>]+>", " ", main)


# A date each console form reads as the traveller pages read theirs (``forms.day``):
# (typed, zh-CN, English), said beside the field, never "wrong format" for a date that is
# written right but is none, or outside the service's years.
NOT_DAYS = [
    ("2027-02-29", "没有这个日期：该月没有这一天。",
     "There is no such date: that month has no such day."),
    ("2101-01-02", "请填写 2000-01-01 至 2100-12-31 之间的日期。",
     "Please enter a date between 2000-01-01 and 2100-12-31."),
    ("2027-7-", "请按 年-月-日 填写日期，例如 2027-07-01。",
     "Please enter a date as YYYY-MM-DD, e.g. 2027-07-01."),
]  # fmt: skip


@pytest.mark.parametrize(("typed", "zh", "en"), NOT_DAYS)
def test_a_date_that_is_none_is_said_so_on_every_console_form(db, client, typed, zh, en):
    w = world(db)
    log_in(client, w.a.admin.login)
    calendar = "/console/calendar"
    edit = {
        "product_ids": str(w.a.product_id),
        "edit_from": typed,
        "edit_to": typed,
        "weekdays": [str(d) for d in range(1, 8)],
        "units": "4",
    }
    for lang, words in (("zh-CN", f"错误：{zh}"), ("en", f"Error: {en}")):
        r = post_form(client, "/console/calendar/preview", edit, calendar,
                      headers={"Accept-Language": lang})  # fmt: skip
        assert r.status_code == 422, r.text
        assert said_beside(r.text, "edit_from") == words
        assert said_beside(r.text, "edit_to") == words
    rule = client.post(
        "/v1/admin/rules",
        json={"key": "long", "kind": "long_stay", "name_zh": "长住", "name_en": "Long stay",
              "destination_ids": [w.a.destination_id], "tiers": [{"threshold": 7, "bps": 500}]},
        headers=w.a.admin.headers,
    )  # fmt: skip
    assert rule.status_code == 201, rule.text
    page = f"/console/rules/{rule.json()['id']}"
    terms = {"name_zh": "长住", "name_en": "Long stay", "tier_0_threshold": "7",
             "tier_0_pct": "5", "check_in_from": typed}  # fmt: skip
    r = post_form(client, f"{page}/versions", terms, page)
    assert r.status_code == 422, r.text
    assert said_beside(r.text, "check_in_from") == f"错误：{zh}"
    season = {
        "new_name_zh": "测试季",
        "new_name_en": "Test",
        "new_start_date": typed,
        "new_end_date": (FIRST + timedelta(days=300)).isoformat(),
        "new_nightly_rate_fen": "500",
    }
    product = f"/console/products/{w.a.product_id}"
    r = post_form(client, f"{product}/seasons", season, product)
    assert r.status_code == 422, r.text
    assert said_beside(r.text, "new_start_date") == f"错误：{zh}"
    listing = client.get(f"/console/bookings?arriving_from={typed}")
    assert said_beside(listing.text, "arriving_from") == f"错误：{zh}"
    shown = client.get(f"/console/calendar?from={typed}")
    assert said_beside(shown.text, "from") == f"错误：{zh}"


FULL_WIDTH = str.maketrans("0123456789-", "０１２３４５６７８９－")


def test_a_console_form_reads_a_date_as_the_traveller_pages_do(db, client):
    """2027/7/1 and full-width digits read as the date they are (the calendar's bulk
    edit), as the traveller pages' forms read them."""
    w = world(db)
    log_in(client, w.a.admin.login)
    day = FIRST + timedelta(days=3)
    edit = {
        "product_ids": str(w.a.product_id),
        "edit_from": f"{day.year}/{day.month}/{day.day}",
        "edit_to": day.isoformat().translate(
            str.maketrans("0123456789-", "０１２３４５６７８９－")
        ),
        "weekdays": [str(d) for d in range(1, 8)],
        "units": "4",
    }
    r = post_form(client, "/console/calendar/preview", edit, "/console/calendar")
    assert r.status_code == 200, said_beside(r.text, "edit_from") or said_beside(r.text, "edit_to")
