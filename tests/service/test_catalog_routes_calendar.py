"""Curated routes, the price calendar and the need filters on the demo catalogue."""

from datetime import timedelta

from service.clock import Clock
from tests.service.test_catalog_api import assert_problem

START = Clock().today() + timedelta(days=30)


def test_the_demo_has_at_least_six_routes_joined_by_lines(demo_client):
    routes = demo_client.get("/v1/routes?limit=100").json()["items"]
    assert len(routes) >= 6
    lines = demo_client.get("/v1/transit-lines?limit=100").json()["items"]
    pairs = {
        (a["destination_id"], b["destination_id"])
        for line in lines
        for a in line["stops"]
        for b in line["stops"]
    }
    for r in routes:
        stops = [s["destination"]["id"] for s in r["stops"]]
        assert len(stops) >= 2 and [s["seq"] for s in r["stops"]] == list(range(1, len(stops) + 1))
        assert all((a, b) in pairs for a, b in zip(stops, stops[1:], strict=False)), r["slug"]
        assert r["suggested_nights"] == sum(s["suggested_nights"] for s in r["stops"])
        one = demo_client.get(f"/v1/routes/{r['slug']}").json()
        assert one == demo_client.get(f"/v1/routes/{r['id']}").json() == r


def test_an_unknown_route_is_404(demo_client):
    assert_problem(demo_client.get("/v1/routes/nowhere"), 404, "not_found", "id_or_slug")


def test_route_names_follow_accept_language(demo_client):
    en = demo_client.get("/v1/routes/yanbian-korean-culture", headers={"Accept-Language": "en"})
    zh = demo_client.get("/v1/routes/yanbian-korean-culture")
    assert en.json()["name"] == "Yanbian Korean folk-culture corridor"
    assert zh.json()["name"] == "延边朝鲜族民俗文化线"


def test_the_price_calendar_gives_180_dates_each_equal_to_a_quote(demo_client):
    frm, to = START, START + timedelta(days=180)
    r = demo_client.get(
        f"/v1/products/changbaishan-north-forest-cabin/price-calendar?from={frm}&to={to}"
        "&nights=14&guests=2"
    )
    assert r.status_code == 200, r.text
    days = r.json()["days"]
    assert len(days) == 180
    assert days[0]["check_in"] == frm.isoformat()
    product_id = r.json()["product_id"]
    checked = 0
    for day in days[::9]:
        q = demo_client.post(
            "/v1/quotes",
            json={
                "items": [
                    {
                        "product_id": product_id,
                        "check_in": day["check_in"],
                        "check_out": day["check_out"],
                        "guests": 2,
                    }
                ]
            },
        )
        if day["total_fen"] is None:
            assert q.status_code == 422
        else:
            assert q.status_code == 201, q.text
            assert q.json()["total_fen"] == day["total_fen"]
            checked += 1
        check = demo_client.get(
            f"/v1/products/{product_id}/availability/check?check_in={day['check_in']}"
            f"&check_out={day['check_out']}"
        ).json()
        assert (check["bookable"], check["reason"]) == (day["bookable"], day["reason"])
    assert checked >= 15


def test_a_calendar_stay_length_the_product_does_not_sell_has_no_total(demo_client):
    r = demo_client.get(
        f"/v1/products/changbaishan-north-forest-cabin/price-calendar?from={START}"
        f"&to={START + timedelta(days=3)}&nights=10"
    )
    assert [(d["total_fen"], d["reason"]) for d in r.json()["days"]] == [
        (None, "duration_not_allowed")
    ] * 3


def test_bad_calendars_are_422(demo_client):
    url = "/v1/products/changbaishan-north-forest-cabin/price-calendar"
    assert_problem(
        demo_client.get(f"{url}?from={START}&to={START}&nights=7"), 422, "invalid_date_range", "to"
    )
    assert_problem(
        demo_client.get(f"{url}?from={START}&to={START + timedelta(days=400)}&nights=7"),
        422,
        "range_too_long",
        "to",
    )
    assert_problem(
        demo_client.get(f"{url}?from={START}&to={START + timedelta(days=3)}&nights=7&guests=9"),
        422,
        "too_many_guests",
        "guests",
    )


def test_need_filters_on_destinations_and_products(demo_client):
    all_dests = demo_client.get("/v1/destinations?limit=100").json()["items"]
    near = demo_client.get(
        "/v1/destinations?limit=100&hospital_within_km=5&cross_province_settlement=true"
    ).json()["items"]
    assert 0 < len(near) < len(all_dests)
    for d in near:
        facts = demo_client.get(f"/v1/destinations/{d['id']}").json()["facilities"]
        assert facts["nearest_hospital_km"] <= 5 and facts["cross_province_settlement"]
    certified = demo_client.get(
        "/v1/destinations?limit=100&certifications=forest_healing_base"
    ).json()["items"]
    assert certified
    for d in certified:
        assert (
            "forest_healing_base"
            in demo_client.get(f"/v1/destinations/{d['id']}").json()["certifications"]
        )
    rooms = demo_client.get("/v1/products?limit=100&step_free=true&grab_bars=true").json()
    assert rooms["items"]
    for p in rooms["items"]:
        assert p["accessibility"]["step_free"] and p["accessibility"]["grab_bars"]
    everything = demo_client.get("/v1/products?limit=100").json()["items"]
    assert len(rooms["items"]) < len(everything)
    assert any(not p["accessibility"]["step_free"] for p in everything)
    elder = demo_client.get("/v1/products?limit=100&elder_friendly_rooms=true").json()["items"]
    for p in elder:
        dest = demo_client.get(f"/v1/destinations/{p['destination']['id']}").json()
        assert dest["facilities"]["elder_friendly_rooms"]


def test_a_calendar_whose_check_out_passes_2100_is_422_on_nights(demo_client):
    """Every date is 2000-01-01..2100-12-31 (README); a check-out after it is refused as
    POST /v1/quotes refuses it (validation_error, ``items[0].check_out``), here on
    ``nights`` (the check-out is the last check-in plus the nights), in both languages.
    A last check-out of 2100-12-31 is answered."""
    url = "/v1/products/1/price-calendar"
    words = {"en": "would check out on 2102-01-31", "zh-CN": "将于 2102-01-31 退房"}
    for lang, said in words.items():
        r = demo_client.get(
            f"{url}?from=2100-06-01&to=2100-12-28&nights=400&guests=2",
            headers={"Accept-Language": lang},
        )
        problem = assert_problem(r, 422, "validation_error", "nights")
        assert said in problem["detail"] and "2100-12-31" in problem["detail"]
        # The field is named in ``field`` and ``errors``, not again before the words, as
        # every other field message (it read "nights: the stay from …", 「nights：从 …」).
        assert problem["errors"] == [
            {"field": "nights", "code": "value_error", "message": problem["detail"]}
        ]
        assert not problem["detail"].startswith("nights"), problem["detail"]
        assert problem["detail"].startswith(("The stay from 2100-", "从 2100-"))
    assert_problem(
        demo_client.get(f"{url}?from=2100-12-01&to=2100-12-31&nights=2"),
        422,
        "validation_error",
        "nights",
    )
    last = demo_client.get(f"{url}?from=2100-12-01&to=2100-12-31&nights=1")
    assert last.status_code == 200, last.text
    assert last.json()["days"][-1]["check_out"] == "2100-12-31"
    quote = demo_client.post(
        "/v1/quotes",
        json={
            "items": [
                {
                    "product_id": 1,
                    "check_in": "2100-12-27",
                    "check_out": "2102-01-31",
                    "guests": 2,
                    "units": 1,
                }
            ]
        },
    )
    assert_problem(quote, 422, "validation_error", "items[0].check_out")
