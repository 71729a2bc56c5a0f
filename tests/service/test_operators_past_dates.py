"""A season or a stub batch dated before today (Asia/Shanghai, the injectable clock) is
refused as a calendar edit from a past night is: 422 ``nights_in_past`` naming the
date's field; so is a season moved to end, or a discount rule version whose booking or
check-in dates end, before today. A rule in force keeps its past start. No change of a
season alters the price of a night before today: a running season keeps its first night,
ends today or later and takes a new rate from today (split into a new season), an ended
one is neither changed nor removed; the public rate history shows nothing before today.
API and console, both databases."""

import re
from datetime import date, time, timedelta

from catalog.models import Destination
from service.clock import local_date
from tests.factories import make_product
from tests.service.test_console_sales import _rule
from tests.service.test_operators_stubs import issuers
from tests.support.clock import FixedClock
from tests.support.console import csrf_of, log_in, post_form, said_beside
from tests.support.operators import FIRST, rule_body, rule_terms, world


def test_a_stub_batch_for_a_past_visit_date_is_nights_in_past(db, client):
    w = world(db)
    ids = issuers(db, w)
    url = f"/v1/admin/stub-issuers/{ids['a']}/batches"
    h = w.a.admin.headers | {"Accept-Language": "en"}
    past = client.post(url, json={"count": 2, "visit_date": "2020-07-01", "persons": 2}, headers=h)
    assert past.status_code == 422, past.text
    assert (past.json()["code"], past.json()["field"]) == ("nights_in_past", "visit_date")
    assert past.json()["detail"].startswith("2020-07-01 is before today")  # no "visit_date: "
    today = client.app.state.clock.today().isoformat()
    assert (past.json()["first_day"], past.json()["today"]) == ("2020-07-01", today)
    ok = client.post(url, json={"count": 2, "visit_date": today, "persons": 2}, headers=h)
    assert ok.status_code == 201, ok.text


def test_a_past_season_is_refused_and_never_reaches_the_rate_history(db, client):
    w = world(db)
    h = w.a.admin.headers
    url = f"/v1/admin/products/{w.a.product_id}/seasons"
    season = {
        "name_zh": "旧季",
        "name_en": "Old",
        "start_date": "2001-02-01",
        "end_date": "2001-03-02",
        "nightly_rate_fen": 40_000,
    }
    r = client.post(url, json=season, headers=h)
    assert r.status_code == 422, r.text
    assert (r.json()["code"], r.json()["field"]) == ("nights_in_past", "start_date")
    assert "早于今天" in r.json()["detail"]
    today_iso = client.app.state.clock.today().isoformat()
    assert (r.json()["first_day"], r.json()["today"]) == ("2001-02-01", today_iso)
    history = client.get(f"/v1/products/{w.a.product_id}/rate-history").json()["items"]
    assert all(item["first_night"] != "2001-02-01" for item in history)
    existing = client.get(f"/v1/admin/products/{w.a.product_id}", headers=h).json()["seasons"][0]
    moved = client.patch(f"{url}/{existing['id']}", json={"start_date": "2001-02-01"}, headers=h)
    assert moved.status_code == 422 and moved.json()["code"] == "nights_in_past"
    # today is not the past
    today = local_date(client.app.state.clock.now())
    assert today >= date(2026, 1, 1)
    fresh = {
        **season,
        "start_date": (today + timedelta(days=400)).isoformat(),
        "end_date": (today + timedelta(days=410)).isoformat(),
    }
    assert client.post(url, json=fresh, headers=h).status_code == 201


# --- a running season, an ended one; rules whose dates ended ------------------------------
# The world's product has a season of nights FIRST+10 .. FIRST+19 (end_date FIRST+20):
# on TODAY it has begun and not ended.
TODAY = FIRST + timedelta(days=15)


def _season_of(client, w, product_id=None):
    product = f"/v1/admin/products/{product_id or w.a.product_id}"
    (season,) = client.get(product, headers=w.a.admin.headers).json()["seasons"]
    return f"{product}/seasons/{season['id']}", season


def _history(client, product_id):
    url = f"/v1/products/{product_id}/rate-history?limit=100"
    return client.get(url).json()["items"]


def _new_runs(client, product_id, before):
    seen = {item["id"] for item in before}
    return [
        (item["first_night"], item["last_night"], item["old_rate_fen"], item["new_rate_fen"])
        for item in _history(client, product_id)
        if item["id"] not in seen
    ]


def test_a_running_season_ends_today_or_later_and_keeps_its_first_night(db, client):
    w = world(db)
    client.app.state.clock = FixedClock.on(TODAY, time(10))
    url, season = _season_of(client, w)
    h = w.a.admin.headers | {"Accept-Language": "en"}
    history = _history(client, w.a.product_id)
    # an end before today would put past nights back to the base rate
    yesterday = (TODAY - timedelta(days=1)).isoformat()
    r = client.patch(url, json={"end_date": yesterday}, headers=h)
    assert r.status_code == 422, r.text
    assert (r.json()["code"], r.json()["field"]) == ("nights_in_past", "end_date")
    assert "nights before today keep their rate" in r.json()["detail"]
    # its dates, as every past-date refusal carries them: the first night it would put
    # back to the base rate, today, and the season
    dates = {k: r.json().get(k) for k in ("first_night", "today", "season_id")}
    assert dates == {
        "first_night": yesterday,
        "today": TODAY.isoformat(),
        "season_id": season["id"],
    }
    zh = client.patch(url, json={"end_date": yesterday}, headers=w.a.admin.headers)
    assert "今天以前的晚上保持原价" in zh.json()["detail"]
    # its first night moved, later or earlier, is refused on start_date
    began = date.fromisoformat(season["start_date"])
    for start in (TODAY + timedelta(days=2), began - timedelta(days=1)):
        r = client.patch(url, json={"start_date": start.isoformat()}, headers=h)
        assert r.status_code == 422, r.text
        assert (r.json()["code"], r.json()["field"]) == ("nights_in_past", "start_date")
        assert f"began on {season['start_date']}" in r.json()["detail"]
        # the first night whose price would move (the earlier first night), and today
        first = min(began, start).isoformat()
        assert (r.json()["first_night"], r.json()["today"]) == (first, TODAY.isoformat())
        assert r.json()["season_id"] == season["id"]
    assert _new_runs(client, w.a.product_id, history) == []
    # the whole season restated (as the console sends it): no change at all
    same = {k: season[k] for k in ("name_zh", "name_en", "start_date", "end_date")}
    r = client.patch(url, json={**same, "nightly_rate_fen": 45_000}, headers=h)
    assert (r.status_code, r.json()["id"], r.json()["split_from"]) == (200, season["id"], None)
    # longer, then ended today: only nights from today on move
    longer = (TODAY + timedelta(days=30)).isoformat()
    assert client.patch(url, json={"end_date": longer}, headers=h).status_code == 200
    r = client.patch(url, json={"end_date": TODAY.isoformat()}, headers=h)
    assert r.status_code == 200, r.text
    assert (r.json()["start_date"], r.json()["end_date"]) == (
        season["start_date"],
        TODAY.isoformat(),
    )
    runs = _new_runs(client, w.a.product_id, history)
    assert all(first >= TODAY.isoformat() for first, _, _, _ in runs), runs
    assert sorted(runs) == sorted(
        [
            (season["end_date"], (TODAY + timedelta(days=29)).isoformat(), 38_000, 45_000),
            (TODAY.isoformat(), (TODAY + timedelta(days=29)).isoformat(), 45_000, 38_000),
        ]
    )
    # now ended: history
    r = client.patch(url, json={"end_date": longer}, headers=h)
    assert (r.status_code, r.json()["code"], r.json()["field"]) == (409, "season_ended", "end_date")


def test_a_running_season_s_new_rate_applies_from_today_in_a_new_season(db, client):
    """Today 08-15, a season [07-01, 09-01): its rate changed ends it with the night of
    08-14 and adds one [08-15, 09-01) at the new rate; nights before today never move."""
    w = world(db)
    with db.write_session() as s:
        make_product(
            s,
            s.get(Destination, w.a.destination_id),
            slug="summer-cabin",
            seasons=[(date(2027, 7, 1), date(2027, 9, 1), 48_000)],
        )
        s.commit()
    today = date(2027, 8, 15)
    client.app.state.clock = FixedClock.on(today)
    h = w.a.admin.headers | {"Accept-Language": "en"}
    product = client.get("/v1/admin/products?limit=100", headers=h).json()["items"][-1]
    url, season = _season_of(client, w, product["id"])
    history = _history(client, product["id"])
    # the review's case: its start moved to 08-20 would put 07-01..08-19 back to base
    r = client.patch(url, json={"start_date": "2027-08-20"}, headers=h)
    assert (r.status_code, r.json()["code"], r.json()["field"]) == (
        422,
        "nights_in_past",
        "start_date",
    )
    r = client.patch(url, json={"nightly_rate_fen": 42_000, "name_en": "Summer"}, headers=h)
    assert r.status_code == 200, r.text
    new = r.json()
    assert new["id"] != season["id"]
    assert (new["start_date"], new["end_date"], new["nightly_rate_fen"]) == (
        "2027-08-15",
        "2027-09-01",
        42_000,
    )
    assert (new["name_zh"], new["name_en"]) == ("旺季", "Summer")
    assert new["split_from"]["season_id"] == season["id"]
    assert new["split_from"]["end_date"] == "2027-08-15"
    assert "Nights before today keep their rate" in new["split_from"]["detail"]
    assert r.headers["Content-Location"] == url.rsplit("/", 1)[0] + f"/{new['id']}"
    seasons = client.get(f"/v1/admin/products/{product['id']}", headers=h).json()["seasons"]
    assert [
        (x["start_date"], x["end_date"], x["nightly_rate_fen"], x["name_en"]) for x in seasons
    ] == [  # fmt: skip
        ("2027-07-01", "2027-08-15", 48_000, "Summer"),
        ("2027-08-15", "2027-09-01", 42_000, "Summer"),
    ]
    # the public history: only nights from today on, old rate to new
    assert _new_runs(client, product["id"], history) == [
        ("2027-08-15", "2027-08-31", 48_000, 42_000)
    ]
    # audited: the season ended today, the new one created from it
    entries = client.get("/v1/admin/audit?entity=season", headers=h).json()["items"][:2]
    assert [(e["action"], e["entity_id"]) for e in entries] == [
        ("create", str(new["id"])),
        ("update", str(season["id"])),
    ]
    assert entries[1]["after"]["end_date"] == "2027-08-15"
    assert entries[0]["after"]["split_from_season_id"] == season["id"]
    # a rate and a later end together, in Chinese
    next_day = FixedClock.on(date(2027, 8, 20))
    client.app.state.clock = next_day
    r = client.patch(
        f"{url.rsplit('/', 1)[0]}/{new['id']}",
        json={"nightly_rate_fen": 40_000, "end_date": "2027-09-05"},
        headers=w.a.admin.headers,
    )
    assert r.status_code == 200, r.text
    assert (r.json()["start_date"], r.json()["end_date"]) == ("2027-08-20", "2027-09-05")
    assert "今天以前的晚上保持原价" in r.json()["split_from"]["detail"]
    runs = _new_runs(client, product["id"], history)
    assert all(first >= "2027-08-15" for first, _, _, _ in runs)
    assert ("2027-08-20", "2027-08-31", 42_000, 40_000) in runs
    assert ("2027-09-01", "2027-09-04", 38_000, 40_000) in runs
    # a filed price is history too: changed from today, no rate moved
    before = _history(client, product["id"])
    seasons = client.get(f"/v1/admin/products/{product['id']}", headers=h).json()["seasons"]
    client.app.state.clock = FixedClock.on(date(2027, 8, 22))
    r = client.patch(
        f"{url.rsplit('/', 1)[0]}/{seasons[-1]['id']}", json={"filed_rate_fen": 50_000}, headers=h
    )
    assert r.status_code == 200 and r.json()["split_from"] is not None
    assert (r.json()["start_date"], r.json()["filed_rate_fen"]) == ("2027-08-22", 50_000)
    assert _new_runs(client, product["id"], before) == []
    # a new rate with an end of today has no night to apply to
    client.app.state.clock = FixedClock.on(date(2027, 8, 25))
    r = client.patch(
        f"{url.rsplit('/', 1)[0]}/{r.json()['id']}",
        json={"nightly_rate_fen": 39_000, "end_date": "2027-08-25"},
        headers=h,
    )
    assert (r.status_code, r.json()["code"], r.json()["field"]) == (
        422,
        "nights_in_past",
        "nightly_rate_fen",
    )
    # the season's last night, before today: the new rate would have no night
    assert (r.json()["last_day"], r.json()["today"]) == ("2027-08-24", "2027-08-25")


def test_an_ended_season_is_neither_changed_nor_removed(db, client):
    w = world(db)
    url, season = _season_of(client, w)
    client.app.state.clock = FixedClock.on(FIRST + timedelta(days=25))  # its last night: FIRST+19
    h = w.a.admin.headers | {"Accept-Language": "en"}
    history = _history(client, w.a.product_id)
    later = (FIRST + timedelta(days=40)).isoformat()
    for change, field in (
        ({"nightly_rate_fen": 40_000}, "nightly_rate_fen"),
        ({"end_date": later}, "end_date"),
        ({"name_en": "Old peak", "filed_rate_fen": 50_000}, "name_en"),
    ):
        r = client.patch(url, json=change, headers=h)
        assert r.status_code == 409, r.text
        assert (r.json()["code"], r.json()["field"]) == ("season_ended", field)
        last = (FIRST + timedelta(days=19)).isoformat()
        assert r.json()["last_night"] == last
        assert f"its last night was {last}" in r.json()["detail"]
    r = client.delete(url, headers=w.a.admin.headers)
    assert (r.status_code, r.json()["code"], r.json()["field"]) == (
        409,
        "season_ended",
        "season_id",
    )
    assert "已结束" in r.json()["detail"]
    # sent as it is: nothing to refuse, nothing changed
    assert client.patch(url, json={"nightly_rate_fen": 45_000}, headers=h).status_code == 200
    product = f"/v1/admin/products/{w.a.product_id}"
    assert client.get(product, headers=w.a.admin.headers).json()["seasons"] == [season]
    assert _new_runs(client, w.a.product_id, history) == []
    assert client.get("/v1/admin/audit?entity=season", headers=h).json()["items"] == []


def test_a_running_season_is_not_removed_and_an_upcoming_one_is_changed_freely(db, client):
    w = world(db)
    url, season = _season_of(client, w)
    h = w.a.admin.headers | {"Accept-Language": "en"}
    client.app.state.clock = FixedClock.on(TODAY)
    r = client.delete(url, headers=h)
    assert (r.status_code, r.json()["code"], r.json()["field"]) == (
        409,
        "season_started",
        "season_id",
    )
    assert "set its end to today" in r.json()["detail"]
    # before it begins: changed as it is (same season), its start moved, removed
    client.app.state.clock = FixedClock.on(FIRST)
    r = client.patch(url, json={"nightly_rate_fen": 44_000}, headers=h)
    assert (r.status_code, r.json()["id"], r.json()["split_from"]) == (200, season["id"], None)
    assert "Content-Location" not in r.headers
    start = (FIRST + timedelta(days=12)).isoformat()
    assert client.patch(url, json={"start_date": start}, headers=h).status_code == 200
    assert client.delete(url, headers=h).status_code == 204


def test_the_console_edits_a_running_season_from_today_and_says_refusals_beside_them(db, client):
    w = world(db)
    url, season = _season_of(client, w)
    log_in(client, w.a.admin.login)
    client.app.state.clock = FixedClock.on(TODAY, time(10))
    page = f"/console/products/{w.a.product_id}"
    html = client.get(page).text
    p = f"s{season['id']}_"
    # a running season's form: no remove box, words on what stays
    edit = re.search(rf'<form[^>]*/seasons/{season["id"]}".*?</form>', html, re.S).group(0)
    assert 'name="remove"' not in edit
    assert "第一晚不能再改" in edit and "新价格从今天起生效" in edit
    assert "进行中" in html
    form = {
        p + "name_zh": "旺季",
        p + "name_en": "Peak",
        p + "start_date": season["start_date"],
        p + "end_date": season["end_date"],
        p + "nightly_rate_fen": "450",
    }
    r = post_form(client, f"{page}/seasons/{season['id']}", form, page)
    assert (r.status_code, r.headers["location"]) == (303, f"{page}?done=season")
    moved = {**form, p + "start_date": (TODAY + timedelta(days=1)).isoformat()}
    r = post_form(client, f"{page}/seasons/{season['id']}", moved, page)
    # said in the service's words (what stays, what to do), not "give today or later",
    # though the problem carries its dates; those written as the console writes dates
    assert r.status_code == 422
    said = said_beside(r.text, p + "start_date")
    assert "第一晚不能再改" in said and not re.search(r"\d{4}-\d\d-\d\d", said), said
    past_end = {**form, p + "end_date": (TODAY - timedelta(days=1)).isoformat()}
    r = post_form(client, f"{page}/seasons/{season['id']}", past_end, page)
    assert r.status_code == 422
    said = said_beside(r.text, p + "end_date")
    assert "今天以前的晚上保持原价" in said and not re.search(r"\d{4}-\d\d-\d\d", said), said
    # a new rate: applied from today, in a new season the page points to
    new_rate = {**form, p + "nightly_rate_fen": "420"}
    r = post_form(client, f"{page}/seasons/{season['id']}", new_rate, page)
    assert r.status_code == 303, r.text
    seasons = client.get(f"/v1/admin/products/{w.a.product_id}", headers=w.a.admin.headers)
    new = seasons.json()["seasons"][-1]
    assert (new["start_date"], new["nightly_rate_fen"]) == (TODAY.isoformat(), 42_000)
    assert r.headers["location"] == f"{page}?done=season_split&season={new['id']}"
    html = client.get(r.headers["location"]).text
    assert "原季节到昨晚为止" in html and f'href="#season-{new["id"]}"' in html
    # the old part has ended: no form, said so; a stale form's post is refused above them
    ended = re.search(rf'<h3 id="season-{season["id"]}">.*?</p>', html, re.S).group(0)
    assert "已结束" in ended and "不能修改或删除" in ended
    assert f'action="{page}/seasons/{season["id"]}"' not in html
    stale = {**form, p + "end_date": TODAY.isoformat(), p + "nightly_rate_fen": "400"}
    r = client.post(
        f"{page}/seasons/{season['id']}",
        data={**stale, "csrf_token": csrf_of(html)},
        follow_redirects=False,
    )
    assert r.status_code == 409
    summary = re.search(r'<div class="form-summary"[^>]*>.*?</div>', r.text, re.S)
    assert "已结束" in summary.group(0)
    # the new season is running tomorrow: a forged removal is refused, said above the forms
    client.app.state.clock = FixedClock.on(TODAY + timedelta(days=1))
    q = f"s{new['id']}_"
    r = client.post(
        f"{page}/seasons/{new['id']}",
        data={q + "name_zh": "旺季", "remove": "on", "csrf_token": csrf_of(html)},
        follow_redirects=False,
    )
    assert r.status_code == 409 and "不能删除" in r.text


def test_a_rule_whose_booking_or_check_in_dates_ended_is_refused_naming_the_date(db, client):
    w = world(db)
    client.app.state.clock = FixedClock.on(TODAY, time(10))
    h = w.a.admin.headers | {"Accept-Language": "en"}
    yesterday = (TODAY - timedelta(days=1)).isoformat()
    for field in ("booking_to", "check_in_to"):
        body = rule_body(w, **{field: yesterday})
        r = client.post("/v1/admin/rules", json=body, headers=h)
        assert r.status_code == 422, r.text
        assert (r.json()["code"], r.json()["field"]) == ("nights_in_past", field)
        assert yesterday in r.json()["detail"]
        assert (r.json()["last_day"], r.json()["today"]) == (yesterday, TODAY.isoformat())
    rules = client.get("/v1/admin/rules", headers=h).json()["items"]
    assert rules == []  # nothing written
    # begun in the past, running on (to today, or open): created, and changed as it is
    running = rule_body(
        w,
        booking_from=(TODAY - timedelta(days=30)).isoformat(),
        booking_to=TODAY.isoformat(),
        check_in_from=(TODAY - timedelta(days=30)).isoformat(),
    )
    r = client.post("/v1/admin/rules", json=running, headers=h)
    assert r.status_code == 201, r.text
    versions = f"/v1/admin/rules/{r.json()['id']}/versions"
    terms = rule_terms(running)
    r = client.post(versions, json={**terms, "tiers": [{"threshold": 7, "bps": 600}]}, headers=h)
    assert r.status_code == 201, r.text
    ended = {**terms, "booking_to": yesterday}
    r = client.post(versions, json=ended, headers=w.a.admin.headers)
    assert (r.status_code, r.json()["code"], r.json()["field"]) == (
        422,
        "nights_in_past",
        "booking_to",
    )
    assert "早于今天" in r.json()["detail"]
    assert r.json()["detail"].startswith("该规则的最后预订日将是")  # no "booking_to："


def test_the_console_says_a_rule_s_past_end_beside_it(db, client):
    w = world(db)
    rule_id = _rule(client, w)
    log_in(client, w.a.admin.login)
    client.app.state.clock = FixedClock.on(TODAY, time(10))
    page = f"/console/rules/{rule_id}"
    form = {"name_zh": "长住", "name_en": "Long stay", "tier_0_threshold": "3",
            "tier_0_pct": "6", "check_in_to": (TODAY - timedelta(days=1)).isoformat()}  # fmt: skip
    r = post_form(client, f"{page}/versions", form, page)
    assert r.status_code == 422
    assert "早于今天" in said_beside(r.text, "check_in_to")
