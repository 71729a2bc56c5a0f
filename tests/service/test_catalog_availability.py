"""Availability: a product's nights, the bookability check and the search over a theme."""

from datetime import date, timedelta

import pytest
from freezegun import freeze_time

from catalog.models import InventoryNight
from tests.factories import make_product
from tests.service.test_catalog_api import assert_problem

D0 = date(2027, 7, 1)


def take(session, product, night: date, units: int) -> None:
    session.get(InventoryNight, (product.id, night)).taken_units = units


@pytest.fixture
def cabin(session):
    """5 units a night for 10 nights from D0; 3 taken on D0+2, all 5 taken on D0+5."""
    p = make_product(session, slug="cabin", inventory=(D0, 10, 5), min_nights=1, max_nights=30)
    take(session, p, D0 + timedelta(days=2), 3)
    take(session, p, D0 + timedelta(days=5), 5)
    session.commit()
    return p


def day(n: int) -> str:
    return (D0 + timedelta(days=n)).isoformat()


# --- one product's nights ------------------------------------------------------------


def test_availability_lists_units_left_per_night_of_the_half_open_range(client, cabin):
    resp = client.get(f"/v1/products/{cabin.id}/availability?from={day(1)}&to={day(4)}")
    assert resp.status_code == 200
    body = resp.json()
    assert (body["product_id"], body["product_slug"], body["from"], body["to"]) == (
        cabin.id,
        "cabin",
        day(1),
        day(4),
    )
    assert body["nights"] == [
        {"night": day(1), "total_units": 5, "units_left": 5, "on_sale": True},
        {"night": day(2), "total_units": 5, "units_left": 2, "on_sale": True},
        {"night": day(3), "total_units": 5, "units_left": 5, "on_sale": True},
    ]


def test_nights_without_inventory_count_as_zero_left_and_not_on_sale(client, cabin):
    nights = client.get(f"/v1/products/cabin/availability?from={day(8)}&to={day(12)}").json()[
        "nights"
    ]
    assert [(n["night"], n["units_left"], n["on_sale"]) for n in nights] == [
        (day(8), 5, True),
        (day(9), 5, True),
        (day(10), 0, False),
        (day(11), 0, False),
    ]


def test_taking_units_reduces_units_left(client, session, cabin):
    url = f"/v1/products/{cabin.id}/availability?from={day(0)}&to={day(1)}"
    assert client.get(url).json()["nights"][0]["units_left"] == 5
    take(session, cabin, D0, 4)
    session.commit()
    assert client.get(url).json()["nights"][0]["units_left"] == 1


def test_a_range_of_exactly_400_nights_is_accepted(client, cabin):
    resp = client.get(f"/v1/products/cabin/availability?from={day(0)}&to={day(400)}")
    assert resp.status_code == 200
    assert len(resp.json()["nights"]) == 400


@pytest.mark.parametrize(
    "query, code, field",
    [
        (f"from={day(3)}&to={day(3)}", "invalid_date_range", "to"),
        (f"from={day(3)}&to={day(1)}", "invalid_date_range", "to"),
        (f"from={day(0)}&to={day(401)}", "range_too_long", "to"),
        (f"from=2027-13-01&to={day(3)}", "validation_error", "from"),
        (f"from={day(0)}&to=2027-02-30", "validation_error", "to"),
        (f"from=2027-7-1&to={day(3)}", "validation_error", "from"),
        (f"from=1700000000&to={day(3)}", "validation_error", "from"),
        (f"from={day(0)}&to=tomorrow", "validation_error", "to"),
        (f"to={day(3)}", "validation_error", "from"),
    ],
)
def test_bad_availability_ranges_are_422_naming_the_parameter(client, cabin, query, code, field):
    assert_problem(client.get(f"/v1/products/cabin/availability?{query}"), 422, code, field)


def test_availability_of_an_unknown_product_is_404(client):
    assert_problem(
        client.get(f"/v1/products/9999/availability?from={day(0)}&to={day(3)}"), 404, "not_found"
    )


# --- the bookability check -----------------------------------------------------------


def check(client, product="cabin", check_in=0, check_out=2, units=1):
    return client.get(
        f"/v1/products/{product}/availability/check?check_in={day(check_in)}"
        f"&check_out={day(check_out)}&units={units}"
    )


@freeze_time("2027-06-01 12:00:00")
def test_a_stay_with_enough_units_every_night_is_bookable(client, cabin):
    body = check(client, check_in=0, check_out=4, units=2).json()
    assert body == {
        "product_id": cabin.id,
        "check_in": day(0),
        "check_out": day(4),
        "units": 2,
        "nights": 4,
        "bookable": True,
        "reason": None,
        "sold_out_night": None,
        "not_on_sale_night": None,
        "too_many_units_night": None,
        "limit": None,
        "min_units_left": 2,
    }


@freeze_time("2027-06-01 12:00:00")
def test_too_few_units_on_a_night_is_sold_out_naming_the_first_such_night(client, cabin):
    body = check(client, check_in=0, check_out=8, units=3).json()
    assert (body["bookable"], body["reason"], body["sold_out_night"]) == (False, "sold_out", day(2))
    assert body["min_units_left"] == 0


@freeze_time("2027-06-01 12:00:00")
def test_a_fully_taken_night_is_sold_out(client, cabin):
    body = check(client, check_in=4, check_out=7).json()
    assert (body["reason"], body["sold_out_night"], body["min_units_left"]) == (
        "sold_out",
        day(5),
        0,
    )


@freeze_time("2027-06-01 12:00:00")
def test_a_night_without_inventory_is_not_on_sale_naming_it(client, cabin):
    body = check(client, check_in=8, check_out=11).json()
    assert (body["reason"], body["not_on_sale_night"], body["sold_out_night"]) == (
        "not_on_sale",
        day(10),
        None,
    )


@freeze_time("2027-06-01 12:00:00")
def test_nights_outside_the_duration_modules_are_duration_not_allowed(client, session):
    make_product(session, slug="modular", duration_modules=[7, 14], inventory=(D0, 20, 5))
    session.commit()
    assert check(client, "modular", 0, 10).json()["reason"] == "duration_not_allowed"
    assert check(client, "modular", 0, 7).json()["bookable"] is True


@freeze_time("2027-06-01 12:00:00")
def test_nights_outside_min_max_are_duration_not_allowed(client, session):
    make_product(session, slug="ranged", min_nights=3, max_nights=5, inventory=(D0, 20, 5))
    session.commit()
    assert check(client, "ranged", 0, 2).json()["reason"] == "duration_not_allowed"
    assert check(client, "ranged", 0, 6).json()["reason"] == "duration_not_allowed"
    assert check(client, "ranged", 0, 3).json()["bookable"] is True


@freeze_time("2027-06-01 12:00:00")
def test_an_inactive_product_is_product_retired_with_no_night(client, session):
    make_product(session, slug="closed", is_active=False, inventory=(D0, 10, 5))
    session.commit()
    body = check(client, "closed").json()
    assert (body["bookable"], body["reason"]) == (False, "product_retired")
    assert body["not_on_sale_night"] is None


@freeze_time("2027-06-01 12:00:00")
def test_nights_outside_the_sale_dates_are_not_on_sale(client, session):
    make_product(
        session,
        slug="window",
        sold_from=D0 + timedelta(days=1),
        sold_until=D0 + timedelta(days=4),
        inventory=(D0, 10, 5),
    )
    session.commit()
    assert check(client, "window", 0, 3).json()["reason"] == "not_on_sale"
    assert check(client, "window", 1, 6).json()["reason"] == "not_on_sale"
    assert check(client, "window", 1, 5).json()["bookable"] is True


@freeze_time("2027-07-03 12:00:00")
def test_a_check_in_before_today_in_shanghai_is_check_in_in_past(client, cabin):
    """The reason is the code a quote of that stay is refused with (one code per
    condition), in the check and in the price calendar alike."""
    assert check(client, check_in=1, check_out=3).json()["reason"] == "check_in_in_past"
    days = client.get(
        f"/v1/products/{cabin.id}/price-calendar?from={day(1)}&to={day(3)}&nights=1"
    ).json()["days"]
    assert [d["reason"] for d in days] == ["check_in_in_past", None]
    assert check(client, check_in=2, check_out=3, units=2).json()["bookable"] is True


@freeze_time("2027-06-01 12:00:00")
def test_more_units_than_a_night_has_in_all_is_too_many_units_as_the_quote_says(
    client, session, cabin
):
    """5 units over nights 0-4 of the cabin, whose night 4 has 4 in all (night 2 has 2
    of 5 left): no release and no other date of that night makes it bookable, so the
    check says ``too_many_units`` naming the night and its ``limit`` (not ``sold_out`` on
    night 2), as the quote's 422 does; the price calendar gives that stay the same
    reason and no total (the quote refuses it), and the theme search the same reason.
    4 units of the same nights, or 5 of nights without the short one, are ``sold_out``."""
    session.get(InventoryNight, (cabin.id, D0 + timedelta(days=4))).total_units = 4
    session.commit()
    body = check(client, check_in=0, check_out=5, units=5).json()
    said = ("bookable", "reason", "too_many_units_night", "limit", "sold_out_night")
    assert [body[k] for k in said] == [False, "too_many_units", day(4), 4, None]
    quote = client.post(
        "/v1/quotes",
        json={
            "items": [
                {"product_id": cabin.id, "check_in": day(0), "check_out": day(5), "guests": 5,
                 "units": 5, "pack_ids": []}
            ],
            "legs": [],
            "stubs": [],
        },
    )  # fmt: skip
    problem = quote.json()
    assert (quote.status_code, problem["code"], problem["field"]) == (
        422,
        "too_many_units",
        "items[0].units",
    )
    assert (problem["night"], problem["limit"]) == (body["too_many_units_night"], body["limit"])
    for units, check_out in ((4, 5), (5, 4)):
        fewer = check(client, check_in=0, check_out=check_out, units=units).json()
        assert [fewer[k] for k in said] == [False, "sold_out", None, None, day(2)]
    days = client.get(
        f"/v1/products/{cabin.id}/price-calendar?from={day(0)}&to={day(4)}&nights=2"
        "&guests=5&units=5"
    ).json()["days"]
    assert [(d["reason"], d["total_fen"] is None) for d in days] == [
        (None, False),
        ("sold_out", False),
        ("sold_out", False),
        ("too_many_units", True),  # nights 3 and 4
    ]
    [item] = search(client, f"theme=forest_healing&from={day(0)}&to={day(5)}&units=5")["items"]
    assert (item["bookable"], item["reason"]) == (False, "too_many_units")


@pytest.mark.parametrize(
    "query, code, field",
    [
        # a stay's dates are refused with the codes a quote of the stay gets
        (f"check_in={day(3)}&check_out={day(3)}", "invalid_dates", "check_out"),
        (f"check_in={day(3)}&check_out={day(1)}", "invalid_dates", "check_out"),
        (f"check_in={day(0)}&check_out={day(401)}", "stay_too_long", "check_out"),
        (f"check_in=2027-07-32&check_out={day(3)}", "validation_error", "check_in"),
        (f"check_in={day(0)}&check_out=soon", "validation_error", "check_out"),
        (f"check_in={day(0)}&check_out={day(3)}&units=0", "validation_error", "units"),
        (f"check_in={day(0)}", "validation_error", "check_out"),
    ],
)
def test_bad_checks_are_422_naming_the_parameter(client, cabin, query, code, field):
    assert_problem(client.get(f"/v1/products/cabin/availability/check?{query}"), 422, code, field)


def test_checking_an_unknown_product_is_404(client):
    assert_problem(check(client, "no-such-product"), 404, "not_found")


# --- the search over a theme ---------------------------------------------------------


@pytest.fixture
def spas(session):
    full = make_product(session, slug="full", theme="hot_spring", inventory=(D0, 10, 4))
    busy = make_product(session, slug="busy", theme="hot_spring", inventory=(D0, 10, 4))
    take(session, busy, D0 + timedelta(days=3), 3)
    short = make_product(session, slug="short", theme="hot_spring", inventory=(D0, 2, 4))
    make_product(session, slug="skiing", theme="ice_snow", inventory=(D0, 10, 4))
    make_product(session, slug="closed", theme="hot_spring", inventory=(D0, 10, 4), is_active=False)
    session.commit()
    return full, busy, short


def search(client, query: str):
    resp = client.get(f"/v1/availability?{query}")
    assert resp.status_code == 200, resp.text
    return resp.json()


def test_theme_search_gives_each_products_fewest_units_left(client, spas):
    body = search(client, f"theme=hot_spring&from={day(0)}&to={day(5)}&units=2")
    assert [(i["product"]["slug"], i["min_units_left"], i["bookable"]) for i in body["items"]] == [
        ("full", 4, True),
        ("busy", 1, False),
        ("short", 0, False),
    ]
    assert body["next"] is None


def test_theme_search_range_excludes_the_to_night(client, spas):
    body = search(client, f"theme=hot_spring&from={day(0)}&to={day(2)}")
    assert [i["min_units_left"] for i in body["items"]] == [4, 4, 4]


def test_theme_search_can_keep_only_bookable_products(client, spas):
    body = search(client, f"theme=hot_spring&from={day(0)}&to={day(5)}&units=1&bookable_only=true")
    assert [i["product"]["slug"] for i in body["items"]] == ["full", "busy"]


def test_theme_search_pages_walk_every_product_once(client, spas):
    seen, cursor = [], None
    while True:
        body = search(
            client,
            f"theme=hot_spring&from={day(0)}&to={day(5)}&limit=2"
            + (f"&cursor={cursor}" if cursor else ""),
        )
        seen += [i["product"]["slug"] for i in body["items"]]
        cursor = body["next"]
        if cursor is None:
            break
    assert seen == ["full", "busy", "short"]


@pytest.mark.parametrize(
    "query, code, field",
    [
        (f"from={day(0)}&to={day(5)}", "validation_error", "theme"),
        (f"theme=mud_bath&from={day(0)}&to={day(5)}", "validation_error", "theme"),
        (f"theme=hot_spring&from={day(5)}&to={day(0)}", "invalid_date_range", "to"),
        (f"theme=hot_spring&from={day(0)}&to={day(401)}", "range_too_long", "to"),
        ("theme=hot_spring&from=July&to=2027-08-01", "validation_error", "from"),
        (f"theme=hot_spring&from={day(0)}&to={day(5)}&units=0", "validation_error", "units"),
        (f"theme=hot_spring&from={day(0)}&to={day(5)}&limit=101", "validation_error", "limit"),
        (f"theme=hot_spring&from={day(0)}&to={day(5)}&cursor=%5B", "invalid_cursor", "cursor"),
    ],
)
def test_bad_theme_searches_are_422_naming_the_parameter(client, query, code, field):
    assert_problem(client.get(f"/v1/availability?{query}"), 422, code, field)


@freeze_time("2027-06-01 12:00:00")
def test_theme_search_agrees_with_the_per_product_check_for_every_stay(client, session, spas):
    """The search and the per-product check are one check: for every stay of up to 8
    nights starting in the first days, with 1 to 4 units, over products with holes,
    a partly taken night, duration modules and a min/max range, the search's
    `bookable`/`reason` equal the check's."""
    make_product(
        session, slug="modules", theme="hot_spring", duration_modules=[2, 4], inventory=(D0, 10, 4)
    )
    make_product(
        session, slug="ranged", theme="hot_spring", min_nights=3, max_nights=5,
        inventory=(D0, 6, 4),
    )  # fmt: skip
    session.commit()
    compared = 0
    for start in range(0, 4):
        for length in range(1, 9):
            for units in (1, 2, 4):
                body = search(
                    client,
                    f"theme=hot_spring&from={day(start)}&to={day(start + length)}"
                    f"&units={units}&limit=100",
                )
                for item in body["items"]:
                    slug = item["product"]["slug"]
                    one = check(client, slug, start, start + length, units).json()
                    assert (item["bookable"], item["reason"]) == (one["bookable"], one["reason"])
                    assert item["min_units_left"] == one["min_units_left"]
                    compared += 1
                only = search(
                    client,
                    f"theme=hot_spring&from={day(start)}&to={day(start + length)}"
                    f"&units={units}&bookable_only=true&limit=2",
                )
                assert all(i["bookable"] for i in only["items"])
    assert compared == 4 * 8 * 3 * 5


@freeze_time("2027-06-01 12:00:00")
def test_theme_search_reason_names_a_stay_length_the_product_does_not_sell(client, session):
    make_product(
        session, slug="weekly", theme="hot_spring", duration_modules=[7], inventory=(D0, 20, 4)
    )
    session.commit()
    body = search(client, f"theme=hot_spring&from={day(0)}&to={day(5)}")
    assert [(i["bookable"], i["reason"]) for i in body["items"]] == [
        (False, "duration_not_allowed")
    ]
    body = search(client, f"theme=hot_spring&from={day(0)}&to={day(7)}&bookable_only=true")
    assert [i["product"]["slug"] for i in body["items"]] == ["weekly"]


@freeze_time("2027-07-05 02:00:00")  # 10:00 in Shanghai: today is D0 + 4
def test_theme_search_and_the_check_give_one_reason_over_generated_products_and_dates(
    client, session
):
    """Products generated from a seed (inventory with holes and taken units, sale dates,
    stay lengths, a stop-sell and a night closed to arrival) and stays starting before,
    on and after today: for each, the search's `bookable`, `reason` and
    `min_units_left` are the per-product check's (`check_in_in_past` before today in
    both, never `not_on_sale` in one of them), and `bookable_only` keeps exactly the
    bookable ones."""
    import random

    from sqlmodel import select

    rng = random.Random(20261206)
    for n in range(8):
        first = D0 + timedelta(days=rng.randint(0, 3))
        lengths = (
            {"duration_modules": sorted(rng.sample([1, 2, 3, 5, 7], 2))}
            if n % 2
            else {"min_nights": rng.randint(1, 2), "max_nights": rng.randint(3, 7)}
        )
        sale = {}
        if n % 3 == 0:
            sale = {"sold_from": D0 + timedelta(days=rng.randint(2, 6))}
        elif n % 3 == 1:
            sale = {"sold_until": D0 + timedelta(days=rng.randint(6, 12))}
        p = make_product(
            session,
            slug=f"gen-{n}",
            theme="hot_spring",
            inventory=(first, rng.randint(6, 14), rng.randint(1, 4)),
            **lengths,
            **sale,
        )
        for night in session.exec(select(InventoryNight).where(InventoryNight.product_id == p.id)):
            night.taken_units = rng.randint(0, night.total_units)
            night.stop_sell = rng.random() < 0.05
            night.closed_to_arrival = rng.random() < 0.05
        session.flush()
    session.commit()
    reasons = set()
    for start in range(0, 9):
        for length in (1, 2, 3, 5, 7):
            for units in (1, 3):
                query = f"theme=hot_spring&from={day(start)}&to={day(start + length)}&units={units}"
                body = search(client, query + "&limit=100")
                assert len(body["items"]) == 8
                for item in body["items"]:
                    slug = item["product"]["slug"]
                    one = check(client, slug, start, start + length, units).json()
                    said = ("bookable", "reason", "min_units_left")
                    assert [item[k] for k in said] == [one[k] for k in said], (query, slug)
                    reasons.add(item["reason"])
                    if start < 4:
                        assert item["reason"] == "check_in_in_past"
                only = search(client, query + "&bookable_only=true&limit=100")
                wanted = [i["product"]["slug"] for i in body["items"] if i["bookable"]]
                assert [i["product"]["slug"] for i in only["items"]] == wanted
    assert {None, "check_in_in_past", "not_on_sale", "duration_not_allowed", "sold_out"} <= reasons


def test_too_many_units_offers_the_most_every_night_takes(client, session, cabin):
    """Night 1 has 3 in all, night 3 only 1 (a newcomer's case): 4 units are refused on
    night 1, the first night short, but the limit offered is 1, the fewest of the stay's
    nights; asking for that many is no longer too_many_units (it was offered 3, then
    refused again with 1), in the check and in the quote alike."""
    for night, total in ((1, 3), (3, 1)):
        session.get(InventoryNight, (cabin.id, D0 + timedelta(days=night))).total_units = total
    session.commit()

    def quote(units: int):
        return client.post(
            "/v1/quotes",
            json={
                "items": [
                    {"product_id": cabin.id, "check_in": day(0), "check_out": day(5),
                     "guests": units, "units": units, "pack_ids": []}
                ],
                "legs": [],
                "stubs": [],
            },
        ).json()  # fmt: skip

    body = check(client, check_in=0, check_out=5, units=4).json()
    assert (body["reason"], body["too_many_units_night"], body["limit"]) == (
        "too_many_units",
        day(1),
        1,
    )
    problem = quote(4)
    assert (problem["code"], problem["night"], problem["limit"]) == ("too_many_units", day(1), 1)
    assert "at most 1 unit for" in problem["detail"] or "最多只能订 1 间" in problem["detail"]
    assert check(client, check_in=0, check_out=5, units=1).json()["reason"] != "too_many_units"
    assert quote(1).get("code") != "too_many_units"


@freeze_time("2027-06-01 12:00:00")
def test_the_price_calendar_says_units_in_all_before_a_party_too_large_for_them(
    client, session, cabin
):
    """19 guests in 6 units of the 5-unit cabin (3 a unit): the quote says the units
    first (too_many_units, limit 5), never "add a unit" (too_many_guests, limit 18,
    counting a unit that is never there); the price calendar says the same, in the same
    order, with the same limit (the most a stay of its dates can book), in both
    languages. A party too large for units that exist is too_many_guests in both."""

    def calendar(frm: int, to: int, guests: int, units: int, lang: str = "zh-CN"):
        return client.get(
            f"/v1/products/{cabin.id}/price-calendar?from={day(frm)}&to={day(to)}&nights=2"
            f"&guests={guests}&units={units}",
            headers={"Accept-Language": lang},
        )

    def quote(frm: int, guests: int, units: int):
        stay = {"product_id": cabin.id, "check_in": day(frm), "check_out": day(frm + 2),
                "guests": guests, "units": units, "pack_ids": []}  # fmt: skip
        return client.post("/v1/quotes", json={"items": [stay], "legs": [], "stubs": []}).json()

    said = ("night", "product_id", "limit", "asked_units")
    problem = assert_problem(calendar(0, 1, 19, 6), 422, "too_many_units", "units")
    assert [problem[k] for k in said] == [day(0), cabin.id, 5, 6]
    assert "最多只能订 5 间" in problem["detail"]
    answered = quote(0, 19, 6)
    assert answered["code"] == "too_many_units"
    assert [answered[k] for k in said] == [problem[k] for k in said]
    en = assert_problem(calendar(0, 3, 19, 6, "en"), 422, "too_many_units", "units")
    assert "can book at most 5 units" in en["detail"]
    problem = assert_problem(calendar(0, 1, 16, 5), 422, "too_many_guests", "guests")
    assert problem["limit"] == quote(0, 16, 5)["limit"] == 15
    # night 0 has 3 in all, night 1 has 4: a stay from day 0 books 3 at most, one from
    # day 1 books 4, the limit offered on its first night short
    for night, total in ((0, 3), (1, 4)):
        session.get(InventoryNight, (cabin.id, D0 + timedelta(days=night))).total_units = total
    session.commit()
    problem = assert_problem(calendar(0, 2, 16, 5), 422, "too_many_units", "units")
    assert [problem[k] for k in said] == [day(1), cabin.id, 4, 5]
    assert (quote(1, 16, 5)["code"], quote(1, 16, 5)["limit"]) == ("too_many_units", 4)
    # from day 2 a stay has 5 units: the party is too large for units that exist
    assert_problem(calendar(0, 3, 16, 5), 422, "too_many_guests", "guests")
    assert quote(2, 16, 5)["code"] == "too_many_guests"
