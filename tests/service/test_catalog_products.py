"""GET /v1/products and /v1/products/{id_or_slug}, on both backends."""

from datetime import date

import pytest

from tests.factories import make_destination, make_pack, make_product
from tests.service.test_catalog_api import EN, assert_problem, slugs


@pytest.fixture
def shelf(session):
    """Products that differ from `cabin` in one attribute each."""
    forest = make_destination(session, slug="forest", pilot_kind="resort")
    village = make_destination(session, slug="hamlet", pilot_kind="village")
    made = {
        "cabin": make_product(
            session,
            forest,
            slug="cabin",
            theme="forest_healing",
            base_rate_fen=38_000,
            duration_modules=[7, 14, 21, 28],
        ),
        "spa": make_product(
            session,
            forest,
            slug="spa",
            theme="hot_spring",
            base_rate_fen=52_000,
            min_nights=3,
            max_nights=30,
        ),
        "farm": make_product(
            session,
            village,
            slug="farm",
            theme="folk_culture",
            base_rate_fen=18_000,
            min_nights=10,
            max_nights=None,
        ),
        "lodge": make_product(
            session,
            village,
            slug="lodge",
            theme="forest_healing",
            base_rate_fen=26_000,
            min_nights=1,
            max_nights=6,
        ),
    }
    make_product(session, forest, slug="retired", theme="forest_healing", is_active=False)
    session.commit()
    return made


def test_products_list_every_active_product_in_id_order(client, shelf):
    assert slugs(client.get("/v1/products")) == ["cabin", "spa", "farm", "lodge"]


@pytest.mark.parametrize(
    "query, expected",
    [
        ("destination=forest", ["cabin", "spa"]),
        ("destination=hamlet", ["farm", "lodge"]),
        ("theme=forest_healing", ["cabin", "lodge"]),
        ("theme=ice_snow", []),
        ("pilot_kind=village", ["farm", "lodge"]),
        ("pilot_kind=eldercare", []),
        ("nights=7", ["cabin", "spa"]),
        ("nights=14", ["cabin", "spa", "farm"]),
        ("nights=5", ["spa", "lodge"]),
        ("nights=45", ["farm"]),
        ("min_rate_fen=26000", ["cabin", "spa", "lodge"]),
        ("max_rate_fen=26000", ["farm", "lodge"]),
        ("min_rate_fen=20000&max_rate_fen=40000", ["cabin", "lodge"]),
        ("min_rate_fen=38000&max_rate_fen=38000", ["cabin"]),
        ("destination=hamlet&theme=forest_healing&nights=3", ["lodge"]),
    ],
)
def test_product_filters_return_exactly_the_matching_rows(client, shelf, query, expected):
    assert slugs(client.get(f"/v1/products?{query}")) == expected


def test_destination_filter_takes_an_id_too(client, shelf):
    dest_id = shelf["farm"].destination_id
    assert slugs(client.get(f"/v1/products?destination={dest_id}")) == ["farm", "lodge"]


def test_unknown_destination_filter_is_422_naming_it(client, shelf):
    """A filter value that names nothing known is a 422 with its own code, as every
    catalogue filter's (not a 404: the address is right, the value is not)."""
    for value in ("atlantis", "99999"):
        body = assert_problem(
            client.get(f"/v1/products?destination={value}"),
            422,
            "unknown_destination",
            "destination",
        )
        assert value in body["detail"]


@pytest.mark.parametrize(
    "query, code, field",
    [
        ("theme=spa_day", "validation_error", "theme"),
        ("pilot_kind=castle", "validation_error", "pilot_kind"),
        ("nights=0", "validation_error", "nights"),
        ("nights=401", "validation_error", "nights"),
        ("nights=seven", "validation_error", "nights"),
        ("min_rate_fen=-1", "validation_error", "min_rate_fen"),
        ("max_rate_fen=99999999999999999999", "validation_error", "max_rate_fen"),
        ("min_rate_fen=50000&max_rate_fen=40000", "invalid_range", "max_rate_fen"),
        ("limit=101", "validation_error", "limit"),
        ("cursor=nope", "invalid_cursor", "cursor"),
        ("destination=a%00b", "validation_error", "destination"),
    ],
)
def test_bad_product_filters_are_422_naming_the_parameter(client, query, code, field):
    assert_problem(client.get(f"/v1/products?{query}"), 422, code, field)


def test_a_rate_filter_whose_highest_is_below_its_lowest_is_said_in_yuan(client):
    """The base rates in yuan, not the parameters' names ("max_rate_fen must not be
    below min_rate_fen." until December 2026); ``field`` names the parameter."""
    query = "/v1/products?min_rate_fen=50000&max_rate_fen=40000"
    said = {
        "en": "The highest base rate (¥400.00 a night) cannot be below the lowest "
        "(¥500.00 a night).",
        "zh-CN": "最高基础房价（每晚 ¥400.00）不能低于最低基础房价（每晚 ¥500.00）。",
    }
    for lang, words in said.items():
        r = client.get(query, headers={"Accept-Language": lang})
        assert assert_problem(r, 422, "invalid_range", "max_rate_fen")["detail"] == words


def test_walking_product_pages_of_two_returns_each_product_once(client, shelf):
    seen, cursor = [], None
    while True:
        resp = client.get("/v1/products?limit=2" + (f"&cursor={cursor}" if cursor else ""))
        seen += slugs(resp)
        cursor = resp.json()["next"]
        if cursor is None:
            break
    assert seen == ["cabin", "spa", "farm", "lodge"]


def test_filtered_pages_keep_the_filter(client, shelf):
    first = client.get("/v1/products?theme=forest_healing&limit=1").json()
    second = client.get(f"/v1/products?theme=forest_healing&limit=1&cursor={first['next']}")
    assert [first["items"][0]["slug"], *slugs(second)] == ["cabin", "lodge"]
    assert second.json()["next"] is None


def test_list_item_summarises_product_and_destination(client, shelf):
    item = client.get("/v1/products?theme=folk_culture", headers=EN).json()["items"][0]
    farm = shelf["farm"]
    assert item["name"] == farm.name_en
    assert item["theme_name"] == "Folk culture"
    assert item["base_rate_fen"] == 18_000
    assert item["durations"] == {"min_nights": 10, "max_nights": None, "modules": []}
    assert item["destination"]["slug"] == "hamlet"
    assert item["destination"]["pilot_kind"] == "village"


@pytest.fixture
def cabin(session):
    d = make_destination(session, slug="changbai", name_zh="长白山", name_en="Changbai")
    therapy = make_pack(
        session,
        d,
        code="therapy",
        kind="therapy",
        name_zh="康养理疗",
        name_en="Wellness therapy",
        price_fen=60_000,
        basis="per_week",
    )
    dining = make_pack(
        session,
        d,
        code="dining",
        kind="dining",
        name_zh="主题餐饮",
        name_en="Themed dining",
        price_fen=9_000,
        basis="per_guest_night",
    )
    make_pack(session, d, code="not-offered", kind="culture")
    p = make_product(
        session,
        d,
        slug="forest-cabin",
        name_zh="森林木屋",
        name_en="Forest cabin",
        description_zh="木屋",
        description_en="A cabin",
        duration_modules=[14, 7, 28, 21],
        base_rate_fen=38_000,
        max_discount_bps=2500,
        sold_from=date(2027, 1, 1),
        sold_until=date(2027, 12, 31),
        packs=(therapy, dining),
        seasons=[
            (date(2027, 12, 1), date(2028, 3, 1), 52_000),
            (date(2027, 7, 1), date(2027, 9, 1), 48_000),
        ],
    )
    session.commit()
    return p


def test_product_detail_lists_packs_seasons_durations_refunds_and_destination(client, cabin):
    body = client.get("/v1/products/forest-cabin", headers=EN).json()
    assert body["id"] == cabin.id
    assert body["name"] == "Forest cabin"
    assert body["description"] == "A cabin"
    assert body["packs"] == [
        {
            "id": body["packs"][0]["id"],
            "code": "dining",
            "kind": "dining",
            "name": "Themed dining",
            "description": "",
            "price_fen": 9_000,
            "basis": "per_guest_night",
        },
        {
            "id": body["packs"][1]["id"],
            "code": "therapy",
            "kind": "therapy",
            "name": "Wellness therapy",
            "description": "",
            "price_fen": 60_000,
            "basis": "per_week",
        },
    ]
    assert body["seasons"] == [
        {
            "name": "Peak",
            "start_date": "2027-07-01",
            "end_date": "2027-09-01",
            "nightly_rate_fen": 48_000,
        },
        {
            "name": "Peak",
            "start_date": "2027-12-01",
            "end_date": "2028-03-01",
            "nightly_rate_fen": 52_000,
        },
    ]
    assert body["durations"] == {"min_nights": 1, "max_nights": 90, "modules": [7, 14, 21, 28]}
    assert body["refund_policy"] == [
        {"min_days_before_check_in": 30, "refund_bps": 10000},
        {"min_days_before_check_in": 7, "refund_bps": 5000},
        {"min_days_before_check_in": 0, "refund_bps": 0},
    ]
    assert body["destination"] == {
        "id": cabin.destination_id,
        "slug": "changbai",
        "name": "Changbai",
        "pilot_kind": "county",
        "prefecture": "白山市",
        "prefecture_name": "Baishan",
    }
    assert (body["max_discount_bps"], body["sold_from"], body["sold_until"]) == (
        2500,
        "2027-01-01",
        "2027-12-31",
    )
    assert body["is_active"] is True


def test_product_detail_by_id_equals_by_slug(client, cabin):
    assert (
        client.get(f"/v1/products/{cabin.id}").json()
        == client.get("/v1/products/forest-cabin").json()
    )


def test_product_detail_in_chinese(client, cabin):
    body = client.get("/v1/products/forest-cabin", headers={"Accept-Language": "zh-CN"}).json()
    assert (body["name"], body["description"], body["theme_name"]) == (
        "森林木屋",
        "木屋",
        "森林疗愈",
    )
    assert body["packs"][0]["name"] == "主题餐饮"
    assert body["seasons"][0]["name"] == "旺季"
    assert body["destination"]["name"] == "长白山"


def test_accept_language_q_values_pick_the_preferred_language(client, cabin):
    resp = client.get(
        "/v1/products/forest-cabin", headers={"Accept-Language": "zh-CN;q=0.4, en;q=0.9"}
    )
    assert resp.json()["name"] == "Forest cabin"


@pytest.mark.parametrize("key", ["424242", "no-such-product", "2147483648"])
def test_unknown_product_is_404_not_found(client, key):
    body = assert_problem(client.get(f"/v1/products/{key}"), 404, "not_found")
    assert key in body["detail"]
