"""A season or a stub batch dated before today (Asia/Shanghai, the injectable clock) is
refused as a calendar edit from a past night is: 422 ``nights_in_past`` naming the
date's field. Both databases."""

from datetime import date, timedelta

from service.clock import local_date
from tests.service.test_operators_stubs import issuers
from tests.support.operators import world


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
