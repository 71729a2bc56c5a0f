"""Terms that contradict themselves are refused by the admin API, naming the field: a
free night (a rate of 0), a minimum stay above the maximum, duration choices outside
the stay limits or listed twice, a calendar edit of past nights, a discount rule whose
higher tier gives less, and a new rule version that changes nothing. Nothing is
written."""

from datetime import date, datetime, timedelta

import sqlalchemy as sa

from catalog.models import InventoryNight
from service.clock import SHANGHAI
from tests.service.booking_support import item, quote_http
from tests.support.operators import FIRST, rule_body, world


def edit(w, first=FIRST, days=7, **fields):
    return {
        "product_ids": [w.a.product_id],
        "from": first.isoformat(),
        "to": (first + timedelta(days=days - 1)).isoformat(),
        "set": fields,
    }


def calendar(client, w):
    week = {"from": FIRST.isoformat(), "to": (FIRST + timedelta(days=6)).isoformat()}
    return client.get(
        f"/v1/admin/products/{w.a.product_id}/calendar", params=week, headers=w.a.admin.headers
    ).json()["cells"]


def field_error(r):
    body = r.json()
    return body["code"], body["field"], body["errors"][0]["code"]


def test_a_zero_or_negative_rate_is_refused_wherever_a_rate_is_set(db, client):
    w = world(db)
    h = w.a.admin.headers
    for path in ("/v1/admin/calendar/preview", "/v1/admin/calendar/apply"):
        for rate in (0, -100):
            r = client.post(path, json=edit(w, rate_override_fen=rate), headers=h)
            assert r.status_code == 422, r.text
            assert field_error(r) == (
                "validation_error",
                "set.rate_override_fen",
                "rate_not_positive",
            )
    product = f"/v1/admin/products/{w.a.product_id}"
    for change in ({"base_rate_fen": 0}, {"filed_rate_fen": 0}):
        r = client.patch(product, json=change, headers=h)
        assert r.status_code == 422
        assert field_error(r) == ("validation_error", next(iter(change)), "rate_not_positive")
    start = FIRST + timedelta(days=40)
    season = {
        "name_zh": "秋",
        "name_en": "Autumn",
        "start_date": start.isoformat(),
        "end_date": (start + timedelta(days=5)).isoformat(),
        "nightly_rate_fen": 0,
    }
    r = client.post(f"{product}/seasons", json=season, headers=h)
    assert field_error(r) == ("validation_error", "nightly_rate_fen", "rate_not_positive")
    zh = client.patch(product, json={"base_rate_fen": 0}, headers=h).json()
    en = client.patch(
        product, json={"base_rate_fen": 0}, headers={**h, "Accept-Language": "en"}
    ).json()
    assert "停售" in zh["detail"] and "never free" in en["detail"]
    # nothing was written: the nights keep their rate, and a quote is not free
    assert {c["rate_override_fen"] for c in calendar(client, w)} == {None}
    assert client.get(product, headers=h).json()["base_rate_fen"] == 38_000
    assert quote_http(client, item(w.a.product_id, FIRST, nights=2))["total_fen"] > 0


def test_a_minimum_stay_above_the_maximum_is_refused_in_one_edit(db, client):
    w = world(db)
    h = w.a.admin.headers
    body = edit(w, min_stay_arrival=7, max_stay=1)
    for path in ("/v1/admin/calendar/preview", "/v1/admin/calendar/apply"):
        r = client.post(path, json=body, headers=h)
        assert r.status_code == 422, r.text
        assert (r.json()["code"], r.json()["field"]) == ("min_stay_above_max_stay", "set.max_stay")
    assert {c["max_stay"] for c in calendar(client, w)} == {None}


def test_a_minimum_stay_above_a_nights_own_maximum_is_a_refused_cell(db, client):
    w = world(db)
    h = w.a.admin.headers
    r = client.post("/v1/admin/calendar/apply", json=edit(w, days=3, max_stay=3), headers=h)
    assert r.status_code == 200, r.text
    body = edit(w, min_stay_through=7)
    preview = client.post("/v1/admin/calendar/preview", json=body, headers=h).json()
    assert preview["refused_count"] == 3 and preview["changed"] == 4
    assert {(c["code"], c["field"], c["value"], c["limit"]) for c in preview["refused"]} == {
        ("min_stay_above_max_stay", "min_stay_through", 7, 3)
    }
    r = client.post("/v1/admin/calendar/apply", json=body, headers=h)
    assert r.status_code == 422
    assert (r.json()["code"], r.json()["field"]) == (
        "min_stay_above_max_stay",
        "set.min_stay_through",
    )
    assert {c["min_stay_through"] for c in calendar(client, w)} == {None}


def test_an_edit_of_past_nights_is_refused_naming_from(db, client):
    w = world(db)
    body = edit(w, first=date(2020, 1, 1), units=3)
    for path in ("/v1/admin/calendar/preview", "/v1/admin/calendar/apply"):
        r = client.post(path, json=body, headers=w.a.admin.headers)
        assert r.status_code == 422
        assert (r.json()["code"], r.json()["field"]) == ("nights_in_past", "from")
        # the dates as fields: the edit's first night and today, what a client words
        today_iso = client.app.state.clock.today().isoformat()
        assert (r.json()["first_night"], r.json()["today"]) == ("2020-01-01", today_iso)
    today = client.post(
        "/v1/admin/calendar/preview", json=edit(w, first=datetime.now(SHANGHAI).date(), units=3),
        headers=w.a.admin.headers,
    )  # fmt: skip
    assert today.status_code == 200


def test_duration_choices_outside_the_stay_limits_or_twice_are_refused(db, client):
    w = world(db)
    product = f"/v1/admin/products/{w.a.product_id}"
    cases = [
        ({"min_nights": 7, "duration_modules": [5, 6]}, "duration_modules[0]"),
        ({"min_nights": 1, "max_nights": 14, "duration_modules": [7, 21]}, "duration_modules[1]"),
        ({"duration_modules": [7, 7]}, "duration_modules[1]"),
    ]
    for change, field in cases:
        r = client.patch(product, json=change, headers=w.a.admin.headers)
        assert r.status_code == 422, r.text
        assert (r.json()["code"], r.json()["field"]) == ("invalid_product", field)
    assert client.get(product, headers=w.a.admin.headers).json()["duration_modules"] == []
    ok = client.patch(
        product, json={"min_nights": 7, "duration_modules": [7, 14]}, headers=w.a.admin.headers
    )
    assert ok.status_code == 200, ok.text
    five = {"items": [item(w.a.product_id, FIRST, nights=5)], "legs": [], "stubs": []}
    r = client.post("/v1/quotes", json=five)
    assert r.status_code == 422 and r.json()["code"] == "duration_not_allowed"


def _rule(client, w, tiers):
    return client.post("/v1/admin/rules", json=rule_body(w, tiers=tiers), headers=w.a.admin.headers)


def test_a_higher_tier_that_gives_less_is_refused_naming_its_percentage(db, client):
    w = world(db)
    r = _rule(client, w, [{"threshold": 3, "bps": 800}, {"threshold": 7, "bps": 500}])
    assert r.status_code == 422
    assert (r.json()["code"], r.json()["field"]) == ("invalid_rule", "tiers[1].bps")
    assert "最高档" in r.json()["detail"]
    equal = _rule(client, w, [{"threshold": 3, "bps": 500}, {"threshold": 7, "bps": 500}])
    assert equal.status_code == 201, equal.text


def test_a_version_that_changes_nothing_is_not_added(db, client):
    w = world(db)
    created = _rule(client, w, [{"threshold": 3, "bps": 500}]).json()
    same = {k: v for k, v in created["versions"][0]["terms"].items()}
    r = client.post(
        f"/v1/admin/rules/{created['id']}/versions", json=same, headers=w.a.admin.headers
    )
    assert r.status_code == 409 and r.json()["code"] == "rule_unchanged"
    assert "没有任何改动" in r.json()["detail"]
    rule = client.get(f"/v1/admin/rules/{created['id']}", headers=w.a.admin.headers).json()
    assert rule["current_version"] == 1 and len(rule["versions"]) == 1
    changed = {**same, "name_en": "Long stay, renamed"}
    r = client.post(
        f"/v1/admin/rules/{created['id']}/versions", json=changed, headers=w.a.admin.headers
    )
    assert r.status_code == 201 and r.json()["current_version"] == 2


def saved_contradictory(db, w, days=7, **limits):
    """Nights saved with a minimum stay above the maximum (before the API checked it)."""
    with db.write_session() as s:
        s.exec(
            sa.update(InventoryNight)
            .where(
                InventoryNight.product_id == w.a.product_id,
                InventoryNight.night.between(FIRST, FIRST + timedelta(days=days - 1)),
            )
            .values(**limits)
        )
        s.commit()


def test_a_night_already_contradictory_is_judged_as_the_edit_leaves_it(db, client):
    w = world(db)
    h = w.a.admin.headers
    saved_contradictory(db, w, min_stay_through=12, max_stay=10)
    # a limit the contradiction does not involve can be set
    r = client.post("/v1/admin/calendar/apply", json=edit(w, min_stay_arrival=3), headers=h)
    assert r.status_code == 200, r.text
    assert {c["min_stay_arrival"] for c in calendar(client, w)} == {3}
    # bringing the night closer, or right, is allowed
    for fix in ({"max_stay": 11}, {"min_stay_through": 10}):
        r = client.post("/v1/admin/calendar/apply", json=edit(w, **fix), headers=h)
        assert r.status_code == 200, r.text
    assert {(c["min_stay_through"], c["max_stay"]) for c in calendar(client, w)} == {(10, 11)}


def test_an_edit_that_widens_a_saved_contradiction_names_the_pair_at_fault(db, client):
    w = world(db)
    h = w.a.admin.headers
    saved_contradictory(db, w, min_stay_arrival=2, min_stay_through=12, max_stay=10)
    preview = client.post("/v1/admin/calendar/preview", json=edit(w, max_stay=9), headers=h)
    assert {(c["field"], c["value"], c["limit"]) for c in preview.json()["refused"]} == {
        ("max_stay", 9, 12)
    }
    r = client.post(
        "/v1/admin/calendar/apply",
        json=edit(w, min_stay_arrival=11),
        headers={**h, "Accept-Language": "en"},
    )
    assert r.status_code == 422
    assert (r.json()["code"], r.json()["field"]) == (
        "min_stay_above_max_stay",
        "set.min_stay_arrival",
    )
    assert "minimum stay of 11 nights is above the maximum stay of 10" in r.json()["detail"]
    assert {(c["min_stay_arrival"], c["max_stay"]) for c in calendar(client, w)} == {(2, 10)}
