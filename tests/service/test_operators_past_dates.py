"""A season or a stub batch dated before today (Asia/Shanghai, the injectable clock) is
refused as a calendar edit from a past night is: 422 ``nights_in_past`` naming the
date's field; so is a season moved to end, or a discount rule version whose booking or
check-in dates end, before today. A running season or rule keeps its past start.
Both databases."""

from datetime import date, time, timedelta

from service.clock import local_date
from tests.service.test_console_sales import _rule, _said_beside, post
from tests.service.test_operators_stubs import issuers
from tests.support.clock import FixedClock
from tests.support.console import log_in
from tests.support.operators import FIRST, world


def test_a_stub_batch_for_a_past_visit_date_is_nights_in_past(db, client):
    w = world(db)
    ids = issuers(db, w)
    url = f"/v1/admin/stub-issuers/{ids['a']}/batches"
    h = w.a.admin.headers | {"Accept-Language": "en"}
    past = client.post(url, json={"count": 2, "visit_date": "2020-07-01", "persons": 2}, headers=h)
    assert past.status_code == 422, past.text
    assert (past.json()["code"], past.json()["field"]) == ("nights_in_past", "visit_date")
    today = client.app.state.clock.today().isoformat()
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


def _season_of(client, w):
    product = f"/v1/admin/products/{w.a.product_id}"
    (season,) = client.get(product, headers=w.a.admin.headers).json()["seasons"]
    return f"{product}/seasons/{season['id']}", season


def test_a_running_season_may_not_end_in_the_past_but_is_changed_without_moving_its_start(
    db, client
):
    w = world(db)
    client.app.state.clock = FixedClock.on(TODAY, time(10))
    url, season = _season_of(client, w)
    h = w.a.admin.headers | {"Accept-Language": "en"}
    for end in (TODAY, TODAY - timedelta(days=2)):  # its last night would be yesterday or before
        r = client.patch(url, json={"end_date": end.isoformat()}, headers=h)
        assert r.status_code == 422, r.text
        assert (r.json()["code"], r.json()["field"]) == ("nights_in_past", "end_date")
        assert "the season's last night would be" in r.json()["detail"]
    zh = client.patch(url, json={"end_date": TODAY.isoformat()}, headers=w.a.admin.headers)
    assert "早于今天" in zh.json()["detail"]
    # the whole season restated (as the console sends it), its past start unchanged: fine
    same_start = {
        "name_zh": "盛夏",
        "name_en": "High summer",
        "start_date": season["start_date"],
        "end_date": (TODAY + timedelta(days=1)).isoformat(),  # tonight is its last night
        "nightly_rate_fen": 44_000,
    }
    r = client.patch(url, json=same_start, headers=h)
    assert r.status_code == 200, r.text
    assert (r.json()["start_date"], r.json()["end_date"]) == (
        season["start_date"],
        same_start["end_date"],
    )
    longer = client.patch(
        url, json={"end_date": (TODAY + timedelta(days=30)).isoformat()}, headers=h
    )
    assert longer.status_code == 200, longer.text
    # its start moved into the past is still refused, on start_date
    earlier = (date.fromisoformat(season["start_date"]) - timedelta(days=1)).isoformat()
    r = client.patch(url, json={"start_date": earlier}, headers=h)
    assert (r.json()["code"], r.json()["field"]) == ("nights_in_past", "start_date")


def test_the_console_edits_a_running_season_and_says_a_past_end_beside_it(db, client):
    w = world(db)
    url, season = _season_of(client, w)
    log_in(client, w.a.admin.login)
    client.app.state.clock = FixedClock.on(TODAY, time(10))
    page = f"/console/products/{w.a.product_id}"
    p = f"s{season['id']}_"
    form = {
        p + "name_zh": "盛夏",
        p + "name_en": "High summer",
        p + "start_date": season["start_date"],
        p + "end_date": season["end_date"],
        p + "nightly_rate_fen": "420",
    }
    r = post(client, f"{page}/seasons/{season['id']}", form, page)
    assert r.status_code == 303, r.text
    past_end = {**form, p + "end_date": TODAY.isoformat()}
    r = post(client, f"{page}/seasons/{season['id']}", past_end, page)
    assert r.status_code == 422
    assert "早于今天" in _said_beside(r.text, p + "end_date")


def _rule_body(**dates):
    return {
        "key": "winter-long-stay",
        "kind": "long_stay",
        "name_zh": "冬季长住",
        "name_en": "Winter long stay",
        "tiers": [{"threshold": 7, "bps": 500}],
        **dates,
    }


def test_a_rule_whose_booking_or_check_in_dates_ended_is_refused_naming_the_date(db, client):
    w = world(db)
    client.app.state.clock = FixedClock.on(TODAY, time(10))
    h = w.a.admin.headers | {"Accept-Language": "en"}
    yesterday = (TODAY - timedelta(days=1)).isoformat()
    for field in ("booking_to", "check_in_to"):
        body = _rule_body(destination_ids=[w.a.destination_id], **{field: yesterday})
        r = client.post("/v1/admin/rules", json=body, headers=h)
        assert r.status_code == 422, r.text
        assert (r.json()["code"], r.json()["field"]) == ("nights_in_past", field)
        assert yesterday in r.json()["detail"]
    rules = client.get("/v1/admin/rules", headers=h).json()["items"]
    assert rules == []  # nothing written
    # begun in the past, running on (to today, or open): created, and changed as it is
    running = _rule_body(
        destination_ids=[w.a.destination_id],
        booking_from=(TODAY - timedelta(days=30)).isoformat(),
        booking_to=TODAY.isoformat(),
        check_in_from=(TODAY - timedelta(days=30)).isoformat(),
    )
    r = client.post("/v1/admin/rules", json=running, headers=h)
    assert r.status_code == 201, r.text
    versions = f"/v1/admin/rules/{r.json()['id']}/versions"
    terms = {k: v for k, v in running.items() if k not in ("key", "kind")}
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


def test_the_console_says_a_rule_s_past_end_beside_it(db, client):
    w = world(db)
    rule_id = _rule(client, w)
    log_in(client, w.a.admin.login)
    client.app.state.clock = FixedClock.on(TODAY, time(10))
    page = f"/console/rules/{rule_id}"
    form = {"name_zh": "长住", "name_en": "Long stay", "tier_0_threshold": "3",
            "tier_0_pct": "6", "check_in_to": (TODAY - timedelta(days=1)).isoformat()}  # fmt: skip
    r = post(client, f"{page}/versions", form, page)
    assert r.status_code == 422
    assert "早于今天" in _said_beside(r.text, "check_in_to")
