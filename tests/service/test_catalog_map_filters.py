"""``GET /v1/map/destinations`` takes the destinations list's need filters, and maps
exactly the destinations the list gives under them. The map took only ``theme``,
``pilot_kind``, ``prefecture`` and ``corridor`` (``hospital_within_km`` was a 422
``unknown_parameter``), while the destinations page draws its map from the same service
with the needs ticked: a partner could not draw the page's map of, say, the places with
cross-province settlement and a forest-healing base (newcomer finding, December 2026)."""

import pytest

FILTERS = [
    {},
    {"hospital_within_km": "5"},
    {"cross_province_settlement": "true", "elder_friendly_rooms": "true"},
    {"medical_insurance_station": "true", "theme": "hot_spring"},
    {"certifications": ["forest_healing_base", "national_5a_scenic"]},
    {"hospital_within_km": "10", "certifications": "forest_healing_base", "prefecture": "yanbian"},
]


def _listed(client, params: dict) -> list[int]:
    ids, cursor = [], ""
    while cursor is not None:
        page = client.get("/v1/destinations", params={**params, "limit": 100, "cursor": cursor})
        assert page.status_code == 200, page.text
        ids += [d["id"] for d in page.json()["items"]]
        cursor = page.json()["next"]
    return ids


@pytest.mark.parametrize("params", FILTERS)
def test_the_map_shows_what_the_list_lists_under_the_same_needs(demo_client, params):
    r = demo_client.get("/v1/map/destinations", params=params)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/geo+json")
    mapped = sorted(f["properties"]["id"] for f in r.json()["features"])
    assert mapped == sorted(_listed(demo_client, params))
    everything = demo_client.get("/v1/map/destinations").json()["features"]
    if params:  # each need narrows the demo catalogue's map
        assert 0 < len(mapped) < len(everything)


def test_the_map_refuses_a_need_as_the_list_does(demo_client):
    for params, field in [
        ({"certifications": "no_such_cert"}, "certifications[0]"),
        ({"hospital_within_km": "0"}, "hospital_within_km"),
        ({"elder_friendly_rooms": "maybe"}, "elder_friendly_rooms"),
    ]:
        mapped = demo_client.get("/v1/map/destinations", params=params)
        listed = demo_client.get("/v1/destinations", params=params)
        assert mapped.status_code == listed.status_code == 422
        assert mapped.json()["field"] == listed.json()["field"] == field
        assert mapped.json()["code"] == listed.json()["code"]
