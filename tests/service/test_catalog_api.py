"""GET /v1/destinations, /v1/destinations/{id_or_slug} and the resource map, on both
backends. Factory rows are committed before the API reads them (other connection)."""

import pytest

from tests.factories import make_destination, make_product

PROBLEM = "application/problem+json"
EN = {"Accept-Language": "en"}


def assert_problem(resp, status: int, code: str, field: str | None = None) -> dict:
    assert resp.status_code == status, resp.text
    assert resp.headers["content-type"].startswith(PROBLEM)
    body = resp.json()
    assert body["code"] == code
    assert body["status"] == status
    if field is not None:
        assert body["field"] == field
    return body


def slugs(resp) -> list[str]:
    assert resp.status_code == 200, resp.text
    return [item["slug"] for item in resp.json()["items"]]


@pytest.fixture
def directory(session):
    """Four destinations that differ in one attribute each from `spa`."""
    made = {
        "spa": make_destination(
            session,
            slug="spa",
            themes=("hot_spring", "tcm_wellness"),
            corridors=("changbai",),
            pilot_kind="resort",
            prefecture="白山市",
            lat=42.0,
            lon=128.0,
        ),
        "village": make_destination(
            session,
            slug="village",
            themes=("folk_culture",),
            corridors=("yanbian",),
            pilot_kind="village",
            prefecture="延边州",
            lat=42.9,
            lon=129.5,
        ),
        "ski": make_destination(
            session,
            slug="ski",
            themes=("ice_snow", "hot_spring"),
            corridors=("songhua_river",),
            pilot_kind="resort",
            prefecture="吉林市",
            lat=43.4,
            lon=126.6,
        ),
        "care": make_destination(
            session,
            slug="care",
            themes=("tcm_wellness",),
            corridors=("changbai", "yanbian"),
            pilot_kind="eldercare",
            prefecture="白山市",
            lat=42.1,
            lon=128.0,
        ),
    }
    session.commit()
    return made


# --- list and filters ----------------------------------------------------------------


def test_destinations_list_everything_in_id_order(client, directory):
    assert slugs(client.get("/v1/destinations")) == ["spa", "village", "ski", "care"]


@pytest.mark.parametrize(
    "query, expected",
    [
        ("theme=hot_spring", ["spa", "ski"]),
        ("theme=tcm_wellness", ["spa", "care"]),
        ("pilot_kind=resort", ["spa", "ski"]),
        ("pilot_kind=eldercare", ["care"]),
        ("prefecture=白山市", ["spa", "care"]),
        ("corridor=yanbian", ["village", "care"]),
        ("corridor=changbai&pilot_kind=resort", ["spa"]),
        ("theme=ice_snow&prefecture=白山市", []),
    ],
)
def test_destination_filters_return_exactly_the_matching_rows(client, directory, query, expected):
    assert slugs(client.get(f"/v1/destinations?{query}")) == expected


@pytest.mark.parametrize(
    "prefecture",
    ["白山市", "baishan", "BaiShan", "Baishan", " baishan ", "BAISHAN"],
)
@pytest.mark.parametrize("path", ["/v1/destinations", "/v1/map/destinations"])
def test_a_prefecture_is_named_by_its_code_chinese_or_english_name(
    client, directory, path, prefecture
):
    r = client.get(path, params={"prefecture": prefecture})
    assert r.status_code == 200, r.text
    items = r.json().get("items") or [f["properties"] for f in r.json()["features"]]
    assert [i["slug"] for i in items] == ["spa", "care"]


def test_every_prefecture_of_the_vocabulary_is_named_three_ways_by_one_value_each():
    from catalog.vocab import PREFECTURE_CODES, PREFECTURE_NAMES, prefecture_named

    assert PREFECTURE_CODES.keys() == PREFECTURE_NAMES.keys()
    for stored, (zh, en) in PREFECTURE_NAMES.items():
        for said in (stored, zh, en, en.upper(), PREFECTURE_CODES[stored]):
            assert prefecture_named(said) == stored
    assert prefecture_named("Yanbian Korean  Autonomous prefecture") == "延边朝鲜族自治州"
    assert prefecture_named("yanbian") == "延边朝鲜族自治州"
    assert prefecture_named("Jilin") is None  # the province, not Jilin City (jilin_city)


def test_a_prefecture_known_only_as_some_destination_stores_it_still_filters(client, directory):
    assert slugs(client.get("/v1/destinations?prefecture=延边州")) == ["village"]
    assert slugs(client.get("/v1/destinations?prefecture=songyuan")) == []  # known, none here


_PLACE_FILTERS = [
    ("prefecture=nope", "unknown_prefecture", "prefecture"),
    ("prefecture=yanbian-prefecture", "unknown_prefecture", "prefecture"),
    ("corridor=nope", "unknown_corridor", "corridor"),
    ("corridor=Changbai", "unknown_corridor", "corridor"),
]


@pytest.mark.parametrize(
    "path, query, code, field",
    [
        *(("/v1/destinations", *case) for case in _PLACE_FILTERS),
        *(("/v1/map/destinations", *case) for case in _PLACE_FILTERS),  # no need filters
        ("/v1/destinations", "certifications=nope", "unknown_certification", "certifications[0]"),
    ],
)
def test_a_filter_value_that_names_nothing_known_is_422_naming_it(
    client, directory, path, query, code, field
):
    """One rule for every filter: never a 200 with an empty list that reads as "none
    here" (nor a 404, which reads as a wrong address)."""
    body = assert_problem(client.get(f"{path}?{query}"), 422, code, field)
    assert "nope" in body["detail"] or "yanbian" in body["detail"] or "Changbai" in body["detail"]
    assert client.get(f"{path}?{query}", headers=EN).json()["detail"].isascii()


def test_a_corridor_only_a_route_follows_is_known(client, session, directory):
    from catalog.models import Route

    session.add(Route(slug="g331-route", name_zh="边境线", name_en="Border road", corridor="g331"))
    session.commit()
    assert slugs(client.get("/v1/destinations?corridor=g331")) == []


def test_near_sorts_by_distance_and_within_km_cuts_off(client, directory):
    resp = client.get("/v1/destinations?near=42.0,128.0&within_km=50")
    assert slugs(resp) == ["spa", "care"]
    distances = [item["distance_km"] for item in resp.json()["items"]]
    assert distances[0] == 0.0
    assert distances[1] == pytest.approx(11.12, abs=0.05)


def test_near_without_within_km_lists_all_by_distance(client, directory):
    assert slugs(client.get("/v1/destinations?near=43.4,126.6")) == [
        "ski",
        "care",
        "spa",
        "village",
    ]


def test_near_combines_with_filters(client, directory):
    assert slugs(
        client.get("/v1/destinations?near=42.0,128.0&theme=tcm_wellness&pilot_kind=eldercare")
    ) == ["care"]


def test_distance_is_absent_without_near(client, directory):
    assert client.get("/v1/destinations").json()["items"][0]["distance_km"] is None


def test_list_items_carry_themes_corridors_and_active_product_count(client, session, directory):
    make_product(session, directory["care"])
    make_product(session, directory["care"])
    make_product(session, directory["care"], is_active=False)
    session.commit()
    item = client.get("/v1/destinations?pilot_kind=eldercare").json()["items"][0]
    assert item["themes"] == ["tcm_wellness"]
    assert item["theme_names"] == ["中医药康养"]
    assert item["corridors"] == ["changbai", "yanbian"]
    assert item["product_count"] == 2


# --- pagination ------------------------------------------------------------------------


def walk(client, url: str) -> list[str]:
    seen, cursor = [], None
    for _ in range(20):
        sep = "&" if "?" in url else "?"
        resp = client.get(url + sep + "limit=2" + (f"&cursor={cursor}" if cursor else ""))
        seen += slugs(resp)
        cursor = resp.json()["next"]
        if cursor is None:
            return seen
    raise AssertionError("pagination did not end")


def test_walking_pages_of_two_returns_every_destination_once_in_order(client, session):
    made = [make_destination(session).slug for _ in range(5)]
    session.commit()
    assert walk(client, "/v1/destinations") == made


def test_walking_pages_sorted_by_distance_returns_every_destination_once(client, directory):
    assert walk(client, "/v1/destinations?near=43.4,126.6") == ["ski", "care", "spa", "village"]


def test_last_page_has_no_next(client, directory):
    assert client.get("/v1/destinations?limit=4").json()["next"] is None


@pytest.mark.parametrize("cursor", ["garbage!", "WzFd" * 80, "eyJhIjoxfQ", "WyJ4Il0"])
def test_a_cursor_we_did_not_issue_is_422_invalid_cursor(client, directory, cursor):
    assert_problem(client.get(f"/v1/destinations?cursor={cursor}"), 422, "invalid_cursor", "cursor")


def test_an_id_cursor_is_refused_when_sorting_by_distance(client, directory):
    cursor = client.get("/v1/destinations?limit=1").json()["next"]
    assert_problem(
        client.get(f"/v1/destinations?near=42,128&cursor={cursor}"), 422, "invalid_cursor", "cursor"
    )


@pytest.mark.parametrize("limit", [101, 0, -1])
def test_limit_outside_1_to_100_is_422(client, limit):
    assert_problem(client.get(f"/v1/destinations?limit={limit}"), 422, "validation_error", "limit")


def test_limit_100_is_accepted(client, directory):
    assert client.get("/v1/destinations?limit=100").status_code == 200


# --- localization ----------------------------------------------------------------------


def test_names_follow_accept_language(client, session):
    make_destination(
        session,
        name_zh="长白山",
        name_en="Changbai Mountain",
        pilot_kind="resort",
        themes=("forest_healing",),
    )
    session.commit()
    zh = client.get("/v1/destinations", headers={"Accept-Language": "zh-CN"})
    en = client.get("/v1/destinations", headers=EN)
    assert (zh.json()["items"][0]["name"], en.json()["items"][0]["name"]) == (
        "长白山",
        "Changbai Mountain",
    )
    assert en.json()["items"][0]["pilot_kind_name"] == "Resort area"
    assert en.json()["items"][0]["theme_names"] == ["Forest healing"]
    assert zh.headers["content-language"] == "zh-CN"
    assert en.headers["content-language"] == "en"
    assert en.json()["items"][0]["name_zh"] == "长白山"


def test_default_language_is_zh_cn(client, session):
    make_destination(session, name_zh="长白山", name_en="Changbai Mountain")
    session.commit()
    assert client.get("/v1/destinations").json()["items"][0]["name"] == "长白山"


# --- detail ------------------------------------------------------------------------------


def test_destination_detail_by_id_and_by_slug(client, session):
    d = make_destination(
        session,
        slug="erdaobaihe",
        themes=("hot_spring", "forest_healing"),
        corridors=("changbai",),
        description_zh="森林与温泉",
        description_en="Forest and spa",
        nearest_hospital_km=3.5,
        medical_insurance_station=True,
        cross_province_settlement=True,
        elder_friendly_rooms=True,
        has_5g=False,
        certifications=["5A"],
        directory_status="reserve",
    )
    make_product(session, d)
    session.commit()
    by_id = client.get(f"/v1/destinations/{d.id}", headers=EN)
    by_slug = client.get("/v1/destinations/erdaobaihe", headers=EN)
    assert by_id.status_code == 200
    assert by_id.json() == by_slug.json()
    body = by_id.json()
    assert body["themes"] == ["forest_healing", "hot_spring"]
    assert body["corridors"] == ["changbai"]
    assert body["description"] == "Forest and spa"
    assert body["facilities"] == {
        "nearest_hospital_km": 3.5,
        "medical_insurance_station": True,
        "cross_province_settlement": True,
        "elder_friendly_rooms": True,
        "has_5g": False,
    }
    assert body["certifications"] == ["5A"]
    assert body["directory_status"] == "reserve"
    assert body["product_count"] == 1


@pytest.mark.parametrize(
    "key", ["999999", "no-such-place", "2147483648", "9223372036854775807", "9" * 30]
)
def test_unknown_destination_is_404_not_found(client, key):
    body = assert_problem(client.get(f"/v1/destinations/{key}"), 404, "not_found")
    assert key in body["detail"]


# --- bad filters ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "query, field",
    [
        ("theme=spa_day", "theme"),
        ("pilot_kind=castle", "pilot_kind"),
        ("near=abc", "near"),
        ("near=91,128", "near"),
        ("near=42,128,1", "near"),
        ("near=nan,nan", "near"),
        ("near=42,128&within_km=0", "within_km"),
        ("near=42,128&within_km=abc", "within_km"),
        ("within_km=50", "within_km"),
        ("prefecture=%00", "prefecture"),
        ("corridor=chang%00bai", "corridor"),
        ("near=42%00,128", "near"),
    ],
)
def test_bad_destination_filters_are_422_naming_the_parameter(client, query, field):
    """One refusal whoever checks the parameter (the query model or the service): the
    same title, and ``errors`` naming the field."""
    body = assert_problem(client.get(f"/v1/destinations?{query}"), 422, "validation_error", field)
    assert body["title"] == "请求无效"
    assert [e["field"] for e in body["errors"]] == [field]
    en = client.get(f"/v1/destinations?{query}", headers=EN).json()
    assert en["title"] == "Invalid request" and en["errors"][0]["message"]
    if query == "within_km=50":  # the service's own words ("within_km needs near=lat,lon.")
        assert en["detail"] == (
            "A distance needs a point to measure it from: give near as latitude,longitude."
        )
        assert body["detail"] == "按距离筛选须给出起点：请用 near 给出“纬度,经度”。"


# --- the resource map ----------------------------------------------------------------


def test_map_is_a_geojson_feature_collection_with_lon_lat_points(client, session, directory):
    make_product(session, directory["spa"])
    session.commit()
    resp = client.get("/v1/map/destinations", headers=EN)
    assert resp.status_code == 200
    assert resp.headers["content-type"].startswith("application/geo+json")
    body = resp.json()
    assert body["type"] == "FeatureCollection"
    assert len(body["features"]) == 4
    spa = body["features"][0]
    assert spa["type"] == "Feature"
    assert spa["geometry"] == {"type": "Point", "coordinates": [128.0, 42.0]}
    assert spa["properties"] == {
        "id": directory["spa"].id,
        "slug": "spa",
        "name": directory["spa"].name_en,
        "pilot_kind": "resort",
        "themes": ["hot_spring", "tcm_wellness"],
        "product_count": 1,
        "directory_status": "mature",
    }


@pytest.mark.parametrize(
    "query, expected",
    [
        ("theme=hot_spring", ["spa", "ski"]),
        ("pilot_kind=village", ["village"]),
        ("prefecture=白山市", ["spa", "care"]),
        ("corridor=changbai", ["spa", "care"]),
    ],
)
def test_map_takes_the_destination_filters(client, directory, query, expected):
    features = client.get(f"/v1/map/destinations?{query}").json()["features"]
    assert [f["properties"]["slug"] for f in features] == expected


def test_map_rejects_an_unknown_theme(client):
    assert_problem(client.get("/v1/map/destinations?theme=x"), 422, "validation_error", "theme")


def test_a_slug_with_a_control_character_is_422(client):
    assert_problem(client.get("/v1/destinations/spa%00"), 422, "validation_error", "id_or_slug")


def test_a_cursor_beyond_the_id_range_is_422_invalid_cursor(client):
    cursor = "WzkyMjMzNzIwMzY4NTQ3NzU4MDdd"  # [9223372036854775807]
    assert_problem(client.get(f"/v1/destinations?cursor={cursor}"), 422, "invalid_cursor", "cursor")


@pytest.mark.parametrize("path", ["/v1/destinations", "/v1/products"])
def test_an_unknown_certification_is_the_planners_422_not_an_empty_list(demo_client, path):
    r = demo_client.get(f"{path}?certifications=forest_healing_base&certifications=bogus")
    assert r.status_code == 422, r.text
    assert (r.json()["code"], r.json()["field"]) == ("unknown_certification", "certifications[1]")
    from tests.service.test_plans_api import body

    planner = demo_client.post("/v1/plans", json=body(needs={"certifications": ["bogus"]}))
    assert planner.json()["code"] == "unknown_certification"
    assert demo_client.get(f"{path}?certifications=forest_healing_base").json()["items"]
