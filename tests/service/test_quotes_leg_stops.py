"""A transit leg may say where it boards and alights (``from_destination_id``,
``to_destination_id``), on both databases: the quote and the booking return the two
stops by name, at the same total as without (the fare is the line's); a pair that is
not two distinct stops of the line is a 422 naming the field, in zh-CN and English; a
plan's quote request carries its legs' stops through POST /v1/quotes; the quote and
booking pages and the calendar file say "A → B"."""

import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from icalendar import Calendar

from service.quotes.models import Quote
from tests.factories import make_destination, make_line, make_product
from tests.service.booking_support import FIRST_NIGHT, item, post_booking
from tests.service.test_catalog_api import assert_problem
from tests.service.test_pages_trip import _book, pages, pages_db  # noqa: F401
from tests.service.test_plans_api import plans
from tests.support.pages import page_text

NIGHTS = 3
TRAVEL = (FIRST_NIGHT + timedelta(days=NIGHTS)).isoformat()


@dataclass(frozen=True)
class Trip:
    product_id: int
    line_id: int
    start: int  # the product's destination, the line's first stop
    end: int  # the line's second stop
    beyond: int  # its third
    off_line: int  # a destination the line does not serve

    def body(self, **leg) -> dict:
        return {
            "items": [item(self.product_id, nights=NIGHTS)],
            "legs": [{"line_id": self.line_id, "travel_date": TRAVEL, "riders": 2, **leg}],
            "stubs": [],
        }


@pytest.fixture
def trip(db) -> Trip:
    with db.write_session() as s:
        a = make_destination(s, slug="stop-a", name_zh="甲地", name_en="Alpha")
        b = make_destination(s, slug="stop-b", name_zh="乙地", name_en="Bravo")
        c = make_destination(s, slug="stop-c", name_zh="丙地", name_en="Charlie")
        off = make_destination(s, slug="stop-off", name_zh="丁地", name_en="Delta")
        product = make_product(s, a, inventory=(FIRST_NIGHT, 30, 3))
        line = make_line(s, stops=(a, b, c), fare_fen=5_600)
        s.commit()
        return Trip(product.id, line.id, a.id, b.id, c.id, off.id)


def _quote(client, body, lang="zh-CN") -> dict:
    r = client.post("/v1/quotes", json=body, headers={"Accept-Language": lang})
    assert r.status_code == 201, r.text
    return r.json()


def test_a_leg_with_its_stops_is_quoted_at_the_same_total_and_says_them(client, db, trip):
    plain = _quote(client, trip.body())
    assert plain["legs"][0]["from_destination"] is None
    assert plain["legs"][0]["to_destination"] is None
    body = trip.body(from_destination_id=trip.end, to_destination_id=trip.start)
    zh = _quote(client, body)
    for part in ("subtotal_fen", "discount_total_fen", "total_fen"):
        assert zh[part] == plain[part]
    leg, was = dict(zh["legs"][0]), dict(plain["legs"][0])
    for side in ("from_destination", "to_destination"):
        assert was.pop(side) is None and leg.pop(side) is not None
    assert leg == was  # the same fare, lines and net
    leg = zh["legs"][0]
    assert leg["from_destination"] == {
        "id": trip.end,
        "slug": "stop-b",
        "name": "乙地",
        "name_zh": "乙地",
        "name_en": "Bravo",
    }
    assert leg["to_destination"]["id"] == trip.start
    assert leg["to_destination"]["name"] == "甲地"
    en = client.get(f"/v1/quotes/{zh['id']}", headers={"Accept-Language": "en"}).json()
    assert en["legs"][0]["from_destination"]["name"] == "Bravo"
    assert en["legs"][0]["to_destination"]["name"] == "Alpha"
    again = client.get(f"/v1/quotes/{zh['id']}", headers={"Accept-Language": "zh-CN"}).json()
    assert again == zh
    with db.session() as s:  # kept with the request, for pricing it again
        stored = s.get(Quote, zh["id"]).request["legs"][0]
    assert (stored["from_destination_id"], stored["to_destination_id"]) == (trip.end, trip.start)


def test_the_booking_says_its_legs_stops(client, trip):
    quote = _quote(client, trip.body(from_destination_id=trip.start, to_destination_id=trip.beyond))
    r = post_booking(client, quote["id"], headers={"Accept-Language": "en"})
    assert r.status_code == 201, r.text
    booked = r.json()
    leg = booked["legs"][0]
    assert (leg["from_destination"]["name"], leg["to_destination"]["name"]) == ("Alpha", "Charlie")
    assert leg["to_destination"]["slug"] == "stop-c"
    read = client.get(
        f"/v1/bookings/{booked['reference']}",
        headers={"X-Booking-Token": booked["token"], "Accept-Language": "zh-CN"},
    ).json()
    assert (
        read["legs"][0]["from_destination"]["name"],
        read["legs"][0]["to_destination"]["id"],
    ) == (
        "甲地",
        trip.beyond,
    )
    plain = post_booking(client, _quote(client, trip.body())["id"]).json()
    assert plain["legs"][0]["from_destination"] is None
    assert plain["legs"][0]["to_destination"] is None


# (the leg's stops, the code, the field) of each pair refused
REFUSED = [
    ({"from_destination_id": "start"}, "leg_stop_missing", "legs[0].to_destination_id"),
    ({"to_destination_id": "end"}, "leg_stop_missing", "legs[0].from_destination_id"),
    (
        {"from_destination_id": "start", "to_destination_id": "start"},
        "leg_stops_same",
        "legs[0].to_destination_id",
    ),
    (
        {"from_destination_id": "start", "to_destination_id": "off_line"},
        "stop_not_on_line",
        "legs[0].to_destination_id",
    ),
    (
        {"from_destination_id": "off_line", "to_destination_id": "end"},
        "stop_not_on_line",
        "legs[0].from_destination_id",
    ),
    (
        {"from_destination_id": 999_999, "to_destination_id": "end"},
        "unknown_destination",
        "legs[0].from_destination_id",
    ),
]


@pytest.mark.parametrize(("stops", "code", "field"), REFUSED)
def test_stops_that_are_not_two_of_the_lines_are_refused_naming_the_field(
    client, trip, stops, code, field
):
    leg = {k: getattr(trip, v) if isinstance(v, str) else v for k, v in stops.items()}
    texts = []
    for lang in ("zh-CN", "en"):
        r = client.post("/v1/quotes", json=trip.body(**leg), headers={"Accept-Language": lang})
        problem = assert_problem(r, 422, code, field)
        assert r.headers["content-language"] == lang
        texts.append(problem["detail"])
    zh, en = texts
    assert re.search(r"[\u4e00-\u9fff]", zh) and not re.search(r"[\u4e00-\u9fff]", en), texts
    if code == "stop_not_on_line":
        assert "丁地" in zh and "Delta" in en


def test_an_unknown_line_is_said_before_its_stops(client, trip):
    body = trip.body(from_destination_id=trip.start, to_destination_id=trip.end)
    body["legs"][0]["line_id"] = 999_999
    assert_problem(
        client.post("/v1/quotes", json=body), 422, "unknown_transit_line", "legs[0].line_id"
    )


def test_a_plans_quote_request_carries_its_legs_stops_through_post_quotes(demo_client):
    out = plans(demo_client, max_stays=3, min_nights_per_stay=14, limit=20)
    rides = 0
    for p in out["plans"]:
        taken = [g for g in p["legs"] if g["line"]]  # the legs of the quote, in order
        asked = p["quote_request"]["legs"]
        assert len(asked) == len(taken)
        if not taken:
            continue
        r = demo_client.post(
            "/v1/quotes", json=p["quote_request"], headers={"Accept-Language": "en"}
        )
        assert r.status_code == 201, r.text
        quote = r.json()
        assert quote["total_fen"] == p["total_fen"]
        assert quote["legs"] == p["price"]["legs"]
        for g, leg, quoted in zip(taken, asked, quote["legs"], strict=True):
            rides += 1
            assert leg["from_destination_id"] == g["from_destination"]["id"]
            assert leg["to_destination_id"] == g["to_destination"]["id"]
            assert quoted["from_destination"]["slug"] == g["from_destination"]["slug"]
            assert quoted["to_destination"]["name"] == g["to_destination"]["name"]
        for n in p["nudges"]:
            for leg in (n["quote_request"] or {}).get("legs", []):
                assert leg["from_destination_id"] and leg["to_destination_id"]
    assert rides, "expected a plan that takes a line"


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_the_quote_and_booking_pages_and_the_calendar_say_a_to_b(pages, lang):  # noqa: F811
    from service.quotes.examples import REQUEST_EXAMPLES

    tour = REQUEST_EXAMPLES["demo_tour"]["value"]  # Changbai north to Yanji on L1
    quote = pages.post("/v1/quotes", json=tour).json()
    a, b = quote["legs"][0]["from_destination"], quote["legs"][0]["to_destination"]
    said = (
        f"{a['name_zh']} → {b['name_zh']}"
        if lang == "zh-CN"
        else f"{a['name_en']} → {b['name_en']}"
    )
    page = page_text(pages.get(f"/quotes/{quote['id']}", headers={"Accept-Language": lang}).text)
    assert said in page, page
    assert _book(pages, f"/quotes/{quote['id']}")[0].status_code == 303
    pages.cookies.set("lang", lang)
    assert said in page_text(pages.get("/manage").text)
    assert said in page_text(pages.get("/manage/cancel").text)
    cal = Calendar.from_ical(pages.get("/manage/calendar.ics").content)
    [ride] = [e for e in cal.walk("VEVENT") if "-leg-" in str(e["uid"])]
    assert str(ride["summary"]).endswith(said)
