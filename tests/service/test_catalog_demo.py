"""The catalogue API over the demo catalogue (loaded once per backend, read-only)."""

from datetime import timedelta

import pytest

from catalog.demo.loader import CATALOGUE_PATH
from service.clock import Clock

pytestmark = pytest.mark.skipif(
    not CATALOGUE_PATH.exists(), reason="the demo catalogue (catalogue.json) is not built yet"
)

JILIN_LON = (121.0, 131.5)
JILIN_LAT = (40.5, 46.5)


def walk(client, url: str) -> list[dict]:
    seen, cursor = [], None
    while True:
        sep = "&" if "?" in url else "?"
        resp = client.get(url + sep + "limit=100" + (f"&cursor={cursor}" if cursor else ""))
        assert resp.status_code == 200, resp.text
        seen += resp.json()["items"]
        cursor = resp.json()["next"]
        if cursor is None:
            return seen


def test_demo_map_has_33_destinations_inside_jilin(demo_client):
    features = demo_client.get("/v1/map/destinations").json()["features"]
    assert len(features) == 33
    for f in features:
        lon, lat = f["geometry"]["coordinates"]
        assert JILIN_LON[0] < lon < JILIN_LON[1] and JILIN_LAT[0] < lat < JILIN_LAT[1]
        assert f["properties"]["product_count"] >= 2


def test_demo_product_counts_on_the_map_add_up_to_the_product_list(demo_client):
    features = demo_client.get("/v1/map/destinations").json()["features"]
    products = walk(demo_client, "/v1/products")
    assert sum(f["properties"]["product_count"] for f in features) == len(products)
    assert len({p["slug"] for p in products}) == len(products)


def test_demo_destination_detail_matches_the_directory(demo_client):
    body = demo_client.get("/v1/destinations/changbaishan-north").json()
    assert body["pilot_kind"] == "resort"
    assert body["corridors"] == ["changbai"]
    assert body["themes"] == sorted(["forest_healing", "summer_retreat", "hot_spring", "ice_snow"])


def test_demo_every_stub_deal_names_its_issuer_and_what_it_discounts(demo_client):
    deals = walk(demo_client, "/v1/stub-deals")
    assert len(deals) >= 6
    for deal in deals:
        assert deal["issuer"] is not None
        assert deal["transit_lines"] or deal["pack_kinds"]


def test_demo_theme_search_covers_every_product_of_the_theme(demo_client):
    start = Clock().today() + timedelta(days=30)
    end = start + timedelta(days=14)
    found = walk(demo_client, f"/v1/availability?theme=forest_healing&from={start}&to={end}")
    listed = walk(demo_client, "/v1/products?theme=forest_healing")
    assert [x["product"]["slug"] for x in found] == [p["slug"] for p in listed]
    assert any(x["bookable"] for x in found)
    fourteen = {p["slug"] for p in walk(demo_client, "/v1/products?theme=forest_healing&nights=14")}
    for x in found:
        # Units on every night and a 14-night stay the product sells: bookable.
        expected = x["min_units_left"] >= 1 and x["product"]["slug"] in fourteen
        assert x["bookable"] == expected, x
