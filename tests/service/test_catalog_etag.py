"""Product list and detail: rendered once per catalogue version, ETag and 304, on both
backends. Changes are made with plain SQL (as an operator's console would): the
database triggers, not our code, are what make them seen."""

import pytest

from service.catalog import responses
from tests.factories import make_destination, make_pack, make_product
from tests.service.test_catalog_api import EN, assert_problem
from tests.service.test_quotes_cache import plain_sql


@pytest.fixture
def shop(session):
    forest = make_destination(session, slug="forest", name_en="Forest", name_zh="森林")
    cabin = make_product(session, forest, slug="cabin", name_en="Cabin", name_zh="小屋")
    make_pack(session, forest, code="tea")
    spa = make_product(session, forest, slug="spa", theme="hot_spring")
    session.commit()
    return {"forest": forest.id, "cabin": cabin.id, "spa": spa.id}


def test_detail_has_an_etag_and_a_matching_if_none_match_is_a_304(client, shop):
    first = client.get("/v1/products/cabin")
    assert first.status_code == 200
    tag = first.headers["etag"]
    assert tag.startswith('"') and tag.endswith('"')
    assert first.headers["cache-control"] == "no-cache"
    assert first.headers["vary"] == "Accept-Language"
    assert first.headers["content-language"] == "zh-CN"
    assert first.json()["name"] == "小屋"

    for header in (tag, f"W/{tag}", f'"other", {tag}', "*"):
        again = client.get("/v1/products/cabin", headers={"If-None-Match": header})
        assert again.status_code == 304, header
        assert again.content == b""
        assert again.headers["etag"] == tag

    miss = client.get("/v1/products/cabin", headers={"If-None-Match": '"stale"'})
    assert miss.status_code == 200
    assert miss.json() == first.json()
    assert miss.headers["etag"] == tag


def test_a_change_to_the_product_is_seen_by_the_next_request(client, db, shop):
    before = client.get("/v1/products/cabin")
    tag = before.headers["etag"]
    plain_sql(db, "UPDATE product SET name_zh = '新小屋' WHERE id = :id", id=shop["cabin"])
    after = client.get("/v1/products/cabin", headers={"If-None-Match": tag})
    assert after.status_code == 200
    assert after.json()["name"] == "新小屋"
    assert after.headers["etag"] != tag
    listed = client.get("/v1/products")
    assert [i["name"] for i in listed.json()["items"] if i["slug"] == "cabin"] == ["新小屋"]


def test_a_change_to_the_destination_is_seen_in_detail_and_list(client, db, shop):
    detail = client.get("/v1/products/cabin", headers=EN)
    listed = client.get("/v1/products", headers=EN)
    assert detail.json()["destination"]["name"] == "Forest"
    plain_sql(db, "UPDATE destination SET name_en = 'Old forest' WHERE id = :id", id=shop["forest"])
    detail2 = client.get(
        "/v1/products/cabin", headers={**EN, "If-None-Match": detail.headers["etag"]}
    )
    listed2 = client.get("/v1/products", headers={**EN, "If-None-Match": listed.headers["etag"]})
    assert detail2.status_code == listed2.status_code == 200
    assert detail2.json()["destination"]["name"] == "Old forest"
    assert {i["destination"]["name"] for i in listed2.json()["items"]} == {"Old forest"}


def test_a_new_pack_or_season_changes_the_detail(client, db, shop):
    tag = client.get("/v1/products/cabin").headers["etag"]
    plain_sql(
        db,
        "INSERT INTO product_pack (product_id, pack_id) "
        "SELECT :p, id FROM add_on_pack WHERE code = 'tea'",
        p=shop["cabin"],
    )
    after = client.get("/v1/products/cabin", headers={"If-None-Match": tag})
    assert after.status_code == 200
    assert [p["code"] for p in after.json()["packs"]] == ["tea"]


def test_languages_have_their_own_tags(client, shop):
    zh = client.get("/v1/products/cabin")
    en = client.get("/v1/products/cabin", headers=EN)
    assert en.json()["name"] == "Cabin" and zh.json()["name"] == "小屋"
    assert en.headers["content-language"] == "en"
    assert en.headers["etag"] != zh.headers["etag"]
    crossed = client.get("/v1/products/cabin", headers={**EN, "If-None-Match": zh.headers["etag"]})
    assert crossed.status_code == 200 and crossed.json()["name"] == "Cabin"


def test_list_pages_and_filters_have_their_own_tags(client, shop):
    every = client.get("/v1/products")
    springs = client.get("/v1/products?theme=hot_spring")
    first_page = client.get("/v1/products?limit=1")
    tags = {r.headers["etag"] for r in (every, springs, first_page)}
    assert len(tags) == 3
    assert [i["slug"] for i in springs.json()["items"]] == ["spa"]
    second = client.get("/v1/products", params={"limit": 1, "cursor": first_page.json()["next"]})
    assert [i["slug"] for i in second.json()["items"]] == ["spa"]
    # the second page of two is the hot-spring list's bytes: the same representation,
    # the same tag (test_the_same_representation_has_the_same_tag_by_id_and_by_slug)
    assert second.content == springs.content
    assert second.headers["etag"] == springs.headers["etag"]
    again = client.get(
        "/v1/products?theme=hot_spring", headers={"If-None-Match": springs.headers["etag"]}
    )
    assert again.status_code == 304
    other = client.get("/v1/products", headers={"If-None-Match": springs.headers["etag"]})
    assert other.status_code == 200


def test_problems_are_not_cached(client, db, shop):
    assert_problem(client.get("/v1/products/lodge"), 404, "not_found", "id_or_slug")
    plain_sql(
        db,
        "INSERT INTO product (slug, destination_id, theme, name_zh, name_en, description_zh, "
        "description_en, unit_type, base_occupancy, max_occupancy, duration_modules, "
        "base_rate_fen, extra_guest_fee_fen, max_discount_bps, is_active, refund_policy) "
        "SELECT 'lodge', destination_id, theme, name_zh, name_en, description_zh, "
        "description_en, unit_type, base_occupancy, max_occupancy, duration_modules, "
        "base_rate_fen, extra_guest_fee_fen, max_discount_bps, is_active, refund_policy "
        "FROM product WHERE id = :id",
        id=shop["cabin"],
    )
    assert client.get("/v1/products/lodge").status_code == 200
    assert_problem(client.get("/v1/products?limit=0"), 422, "validation_error", "limit")


def test_a_cached_body_is_served_without_building_it_again(client, db, shop, monkeypatch):
    assert client.get("/v1/products/spa").status_code == 200
    built = []
    real = responses.render
    monkeypatch.setattr(responses, "render", lambda model: built.append(model) or real(model))
    again = client.get("/v1/products/spa")
    assert again.status_code == 200 and again.json()["slug"] == "spa"
    assert built == []
    plain_sql(db, "UPDATE product SET base_rate_fen = 40000 WHERE id = :id", id=shop["spa"])
    changed = client.get("/v1/products/spa")
    assert changed.json()["base_rate_fen"] == 40000
    assert len(built) == 1


def test_without_the_version_row_nothing_is_cached_and_no_etag_is_sent(client, db, shop):
    plain_sql(db, "DELETE FROM catalogue_version")
    first = client.get("/v1/products/cabin")
    assert first.status_code == 200 and "etag" not in first.headers
    plain_sql(db, "DELETE FROM catalogue_version")  # the UPDATE below re-creates it
    plain_sql(db, "UPDATE product SET name_zh = '又一个' WHERE id = :id", id=shop["cabin"])
    plain_sql(db, "DELETE FROM catalogue_version")
    assert client.get("/v1/products/cabin").json()["name"] == "又一个"


def test_the_same_representation_has_the_same_tag_by_id_and_by_slug(client, shop):
    """One product, two addresses, the same bytes: one tag, so a client keeps it once,
    and either address's tag is a 304 at the other. A list filtered by a destination's
    id or by its slug is the same list too."""
    by_slug = client.get("/v1/products/cabin")
    by_id = client.get(f"/v1/products/{shop['cabin']}")
    assert by_id.content == by_slug.content
    assert by_id.headers["etag"] == by_slug.headers["etag"]
    crossed = client.get(
        f"/v1/products/{shop['cabin']}", headers={"If-None-Match": by_slug.headers["etag"]}
    )
    assert crossed.status_code == 304
    lists = [
        client.get("/v1/products", params={"destination": d}) for d in ("forest", shop["forest"])
    ]
    assert lists[0].content == lists[1].content
    assert lists[0].headers["etag"] == lists[1].headers["etag"]


# --- destinations and the map: the same mechanism --------------------------------------

DESTINATION_READS = ("/v1/destinations/forest", "/v1/destinations", "/v1/map/destinations")


@pytest.mark.parametrize("path", DESTINATION_READS)
def test_destination_reads_have_an_etag_and_answer_304(client, shop, path):
    """A partner keeping the directory and the map in step (newcomer finding: only the
    products had a tag, so every poll of the destinations or the map was a full body)."""
    first = client.get(path)
    assert first.status_code == 200
    tag = first.headers["etag"]
    assert first.headers["cache-control"] == "no-cache"
    assert first.headers["vary"] == "Accept-Language"
    again = client.get(path, headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == tag
    en = client.get(path, headers={**EN, "If-None-Match": tag})
    assert en.status_code == 200 and en.headers["etag"] != tag
    assert client.head(path, headers={"If-None-Match": tag}).status_code == 304


def test_the_map_is_still_geojson(client, shop):
    answer = client.get("/v1/map/destinations", params={"theme": "forest_healing"})
    assert answer.headers["content-type"] == "application/geo+json"
    assert answer.json()["type"] == "FeatureCollection"
    assert [f["properties"]["slug"] for f in answer.json()["features"]] == ["forest"]


@pytest.mark.parametrize("path", DESTINATION_READS)
def test_a_change_to_a_destination_or_its_products_is_seen(client, db, shop, path):
    tag = client.get(path, headers=EN).headers["etag"]
    plain_sql(
        db, "UPDATE destination SET name_en = 'Deep forest' WHERE id = :id", id=shop["forest"]
    )
    renamed = client.get(path, headers={**EN, "If-None-Match": tag})
    assert renamed.status_code == 200 and "Deep forest" in renamed.text
    tag = renamed.headers["etag"]
    plain_sql(db, "UPDATE product SET is_active = false WHERE id = :id", id=shop["spa"])
    fewer = client.get(path, headers={**EN, "If-None-Match": tag})
    assert fewer.status_code == 200 and fewer.headers["etag"] != tag
    assert '"product_count":1' in fewer.text


def test_destination_filters_and_pages_have_their_own_tags_and_problems_none(client, shop):
    make = client.get
    tags = {
        make("/v1/destinations").headers["etag"],
        make("/v1/destinations?near=42.4,128.1").headers["etag"],
        make("/v1/map/destinations").headers["etag"],
        make("/v1/map/destinations?theme=hot_spring").headers["etag"],
    }
    assert len(tags) == 4
    by_id = make(f"/v1/destinations/{shop['forest']}")
    assert by_id.headers["etag"] == make("/v1/destinations/forest").headers["etag"]
    assert_problem(make("/v1/destinations/nowhere"), 404, "not_found", "id_or_slug")
    assert_problem(make("/v1/destinations?within_km=5"), 422, "validation_error", "within_km")
    assert_problem(make("/v1/map/destinations?corridor=nope"), 422, "unknown_corridor", "corridor")
    assert "etag" not in make("/v1/destinations?within_km=5").headers
