"""The calendar bulk edit: preview, atomic apply, filed prices, rate history, audit."""

from datetime import timedelta

import pytest
from sqlmodel import select

from catalog.models import InventoryNight, RateChange
from tests.service.booking_support import item, quote_http
from tests.support.operators import FIRST, world


def edit(w, product_ids=None, first=FIRST, days=30, weekdays=None, **fields):
    body = {
        "product_ids": product_ids or [w.a.product_id],
        "from": first.isoformat(),
        "to": (first + timedelta(days=days - 1)).isoformat(),
        "set": fields,
    }
    if weekdays:
        body["weekdays"] = weekdays
    return body


def cells(db, product_id):
    with db.session() as s:
        rows = s.exec(select(InventoryNight).where(InventoryNight.product_id == product_id))
        return {r.night: r for r in rows}


def take_units(db, product_id, night, n):
    with db.write_session() as s:
        row = s.get(InventoryNight, (product_id, night))
        row.taken_units = n
        s.add(row)
        s.commit()


def test_preview_counts_cells_and_writes_nothing(db, client):
    w = world(db)
    h = w.a.admin.headers
    take_units(db, w.a.product_id, FIRST + timedelta(days=2), 4)
    r = client.post(
        "/v1/admin/calendar/preview",
        json=edit(w, units=3, weekdays=[1, 2, 3, 4, 5, 6, 7]),
        headers=h,
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["applied"] is False and body["cells"] == 30
    assert body["refused_count"] == 1 and body["changed"] == 29
    refused = body["refused"][0]
    assert refused["code"] == "units_below_taken" and refused["limit"] == 4
    assert refused["night"] == (FIRST + timedelta(days=2)).isoformat()
    assert {c.total_units for c in cells(db, w.a.product_id).values()} == {5}


def test_weekdays_pick_the_nights(db, client):
    w = world(db)
    r = client.post(
        "/v1/admin/calendar/preview",
        json=edit(w, days=28, weekdays=[6, 7], stop_sell=True),
        headers=w.a.admin.headers,
    )
    assert r.json()["cells"] == 8 and r.json()["changed"] == 8


def test_apply_is_all_or_nothing_and_names_the_cell(db, client):
    w = world(db)
    h = {**w.a.admin.headers, "Accept-Language": "en"}
    night = FIRST + timedelta(days=5)
    take_units(db, w.a.product_id, night, 4)
    r = client.post("/v1/admin/calendar/apply", json=edit(w, units=2, stop_sell=True), headers=h)
    assert r.status_code == 409, r.text
    problem = r.json()
    assert problem["code"] == "units_below_taken" and problem["field"] == "set.units"
    assert problem["cell"] == f"{w.a.product_id}/{night.isoformat()}"
    assert problem["refused_count"] == 1
    after = cells(db, w.a.product_id)
    assert {c.total_units for c in after.values()} == {5}
    assert not any(c.stop_sell for c in after.values())
    ok = client.post("/v1/admin/calendar/apply", json=edit(w, units=4, stop_sell=True), headers=h)
    assert ok.status_code == 200 and ok.json()["changed"] == 30
    after = cells(db, w.a.product_id)
    assert all(c.stop_sell for n, c in after.items() if n < FIRST + timedelta(days=30))


def test_a_rate_above_the_filed_price_is_refused(db, client):
    w = world(db)
    h = {**w.a.admin.headers, "Accept-Language": "en"}
    # Outside the season the filed price is the base rate (38,000, nothing filed);
    # nights 10..19 are in a 45,000 season.
    r = client.post("/v1/admin/calendar/apply", json=edit(w, rate_override_fen=40_000), headers=h)
    assert r.status_code == 422 and r.json()["code"] == "above_filed_price"
    assert r.json()["field"] == "set.rate_override_fen"
    assert r.json()["refused_count"] == 20  # the 20 nights outside the season
    assert all(c.rate_override_fen is None for c in cells(db, w.a.product_id).values())
    in_season = edit(w, first=FIRST + timedelta(days=10), days=10, rate_override_fen=40_000)
    assert client.post("/v1/admin/calendar/apply", json=in_season, headers=h).status_code == 200


def test_staff_set_units_but_not_rates(db, client):
    w = world(db)
    h = w.a.staff.headers
    assert (
        client.post("/v1/admin/calendar/apply", json=edit(w, units=6), headers=h).status_code == 200
    )
    r = client.post("/v1/admin/calendar/apply", json=edit(w, rate_override_fen=30_000), headers=h)
    assert r.status_code == 403 and r.json()["code"] == "forbidden_role"
    province = client.post(
        "/v1/admin/calendar/apply", json=edit(w, units=7), headers=w.province.headers
    )
    assert province.status_code == 403


def test_units_publish_missing_nights_and_other_fields_need_a_cell(db, client):
    w = world(db)
    h = w.a.admin.headers
    later = FIRST + timedelta(days=60)  # the world publishes 60 nights
    r = client.post(
        "/v1/admin/calendar/apply", json=edit(w, first=later, days=5, stop_sell=True), headers=h
    )
    assert r.status_code == 409 and r.json()["code"] == "no_inventory"
    r = client.post(
        "/v1/admin/calendar/apply", json=edit(w, first=later, days=5, units=2), headers=h
    )
    assert r.status_code == 200 and r.json()["changed"] == 5
    assert cells(db, w.a.product_id)[later].total_units == 2


def test_bad_input_names_the_field(db, client):
    w = world(db)
    h = w.a.admin.headers
    backwards = {**edit(w, units=1), "to": (FIRST - timedelta(days=1)).isoformat()}
    assert (
        client.post("/v1/admin/calendar/apply", json=backwards, headers=h).json()["field"] == "to"
    )
    nothing = edit(w)
    assert client.post("/v1/admin/calendar/apply", json=nothing, headers=h).json()["field"] == "set"
    null_units = edit(w, units=None)
    r = client.post("/v1/admin/calendar/apply", json=null_units, headers=h)
    assert r.status_code == 422 and r.json()["field"] == "set.units"
    assert r.json()["code"] == "not_nullable"
    unknown = edit(w, colour="red")
    r = client.post("/v1/admin/calendar/apply", json=unknown, headers=h)
    assert r.status_code == 422 and r.json()["field"] == "set.colour"
    negative = edit(w, units=-1)
    assert client.post("/v1/admin/calendar/apply", json=negative, headers=h).status_code == 422
    string_units = edit(w, units="3")
    assert client.post("/v1/admin/calendar/apply", json=string_units, headers=h).status_code == 422


def test_an_override_prices_the_next_quote_and_an_old_quote_keeps_its_price(db, client):
    w = world(db)
    stay = item(w.a.product_id, check_in=FIRST + timedelta(days=1), nights=3)
    before = quote_http(client, stay)
    assert before["subtotal_fen"] == 3 * 38_000
    r = client.post(
        "/v1/admin/calendar/apply",
        json=edit(w, first=FIRST + timedelta(days=2), days=1, rate_override_fen=30_000),
        headers=w.a.admin.headers,
    )
    assert r.status_code == 200 and r.json()["rate_changes"] == 1
    after = quote_http(client, stay)
    assert after["subtotal_fen"] == 2 * 38_000 + 30_000
    assert client.get(f"/v1/quotes/{before['id']}").json()["total_fen"] == before["total_fen"]
    # Clearing the override restores the season's rate, and both changes are public.
    clear = edit(w, first=FIRST + timedelta(days=2), days=1, rate_override_fen=None)
    assert (
        client.post("/v1/admin/calendar/apply", json=clear, headers=w.a.admin.headers).status_code
        == 200
    )
    assert quote_http(client, stay)["subtotal_fen"] == 3 * 38_000
    history = client.get(f"/v1/products/{w.a.product_id}/rate-history").json()["items"]
    assert [(h["old_rate_fen"], h["new_rate_fen"], h["source"]) for h in history] == [
        (30_000, 38_000, "override_cleared"),
        (38_000, 30_000, "override"),
    ]
    assert client.get("/v1/products/999999/rate-history").status_code == 404


def test_rate_history_groups_runs_of_nights(db, client):
    w = world(db)
    r = client.post(
        "/v1/admin/calendar/apply",
        json=edit(w, first=FIRST + timedelta(days=8), days=6, rate_override_fen=36_000),
        headers=w.a.admin.headers,
    )
    assert r.status_code == 200
    with db.session() as s:
        runs = s.exec(select(RateChange).order_by(RateChange.first_night)).all()
    # nights 8-9 at the base rate, 10-13 in the 45,000 season
    assert [(x.first_night, x.last_night, x.old_rate_fen) for x in runs] == [
        (FIRST + timedelta(days=8), FIRST + timedelta(days=9), 38_000),
        (FIRST + timedelta(days=10), FIRST + timedelta(days=13), 45_000),
    ]


def test_rate_history_takes_the_product_id_or_its_slug(db, client):
    """Like every other ``/v1/products/{id_or_slug}`` path: the same history either way,
    and an unknown slug is a 404 naming ``id_or_slug``."""
    w = world(db)
    r = client.post(
        "/v1/admin/calendar/apply",
        json=edit(w, first=FIRST + timedelta(days=2), days=1, rate_override_fen=30_000),
        headers=w.a.admin.headers,
    )
    assert r.status_code == 200
    by_id = client.get(f"/v1/products/{w.a.product_id}/rate-history")
    by_slug = client.get("/v1/products/product-a/rate-history")
    assert by_slug.status_code == 200, by_slug.text
    assert by_slug.json() == by_id.json() and len(by_id.json()["items"]) == 1
    missing = client.get("/v1/products/no-such-product/rate-history")
    assert missing.status_code == 404
    assert missing.json()["code"] == "not_found" and missing.json()["field"] == "id_or_slug"


def test_the_grid_and_the_audit_log_show_the_edit(db, client):
    w = world(db)
    h = w.a.admin.headers
    client.post(
        "/v1/admin/calendar/apply", json=edit(w, days=3, units=2, min_stay_arrival=3), headers=h
    )
    grid = client.get(
        f"/v1/admin/products/{w.a.product_id}/calendar",
        params={"from": FIRST.isoformat(), "to": (FIRST + timedelta(days=3)).isoformat()},
        headers=h,
    ).json()["cells"]
    assert [c["units"] for c in grid] == [2, 2, 2, 5]
    assert grid[0]["min_stay_arrival"] == 3 and grid[0]["rate_fen"] == 38_000
    assert grid[0]["filed_rate_fen"] == 38_000
    entry = client.get("/v1/admin/audit", headers=h).json()["items"][0]
    assert entry["action"] == "bulk_edit" and entry["entity_id"] == str(w.a.product_id)
    assert entry["before"]["units"] == [
        [FIRST.isoformat(), (FIRST + timedelta(days=2)).isoformat(), 5]
    ]
    assert entry["after"]["set"] == {"units": 2, "min_stay_arrival": 3}


def test_calendar_changes_bump_the_catalogue_version_and_bookings_do_not(db):
    from catalog.models import CatalogueVersion

    w = world(db)

    def version():
        with db.session() as s:
            return s.get(CatalogueVersion, 1).version

    v0 = version()
    take_units(db, w.a.product_id, FIRST, 1)  # what a booking writes
    assert version() == v0
    with db.write_session() as s:
        row = s.get(InventoryNight, (w.a.product_id, FIRST))
        row.min_stay_through = 3
        s.add(row)
        s.commit()
    assert version() != v0


def test_another_worker_sees_an_edit_on_its_very_next_quote(db, client):
    """Two workers (two apps, each with its own engine and terms cache) on one
    database: the edit made through one is priced by the other's next quote."""
    from fastapi.testclient import TestClient

    from service.app import create_app
    from service.db import Database

    w = world(db)
    other_db = Database(db.settings)
    try:
        with TestClient(create_app(other_db.settings, database=other_db)) as other:
            stay = item(w.a.product_id, check_in=FIRST + timedelta(days=1), nights=2)
            assert quote_http(other, stay)["subtotal_fen"] == 2 * 38_000  # now cached there
            r = client.post(
                "/v1/admin/calendar/apply",
                json=edit(w, first=FIRST + timedelta(days=1), days=2, rate_override_fen=33_000),
                headers=w.a.admin.headers,
            )
            assert r.status_code == 200
            assert quote_http(other, stay)["subtotal_fen"] == 2 * 33_000
    finally:
        other_db.dispose()


@pytest.mark.parametrize(
    "lang, said",
    [
        ("zh-CN", "不能为 null：不修改此项请不要发送该字段。"),
        ("en", "Must not be null: leave the field out to keep the nights' values."),
    ],
)
@pytest.mark.parametrize("name", ["units", "stop_sell", "closed_to_arrival", "closed_to_departure"])
def test_a_null_calendar_field_is_said_in_words_not_by_its_name(db, client, lang, said, name):
    w = world(db)
    headers = {**w.a.admin.headers, "Accept-Language": lang}
    r = client.post("/v1/admin/calendar/apply", json=edit(w, **{name: None}), headers=headers)
    problem = r.json()
    assert r.status_code == 422, r.text
    assert (problem["code"], problem["field"], problem["detail"]) == (
        "not_nullable",
        f"set.{name}",
        said,
    )
