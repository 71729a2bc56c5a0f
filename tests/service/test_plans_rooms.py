"""A party that only more rooms can plan, on the demo catalogue (newcomer finding): 5
guests in one room for 12 nights of summer retreat or forest healing at one place late
in January. Some rooms hold 5, but none of those sells such a stay then; 2 rooms give
plans. The answer said ``shape``, "no sequence of stays fits back to back ... a transit
line between consecutive destinations", of a trip of one stay, and offered no rooms;
it says the party's size and offers 2 rooms, at the cheapest total 2 rooms give. The
same rule against the brute force: tests/planner/test_rooms_missing.py."""

from datetime import date
from urllib.parse import urlencode

from service.clock import Clock


def _next(start: tuple[int, int], end: tuple[int, int]) -> tuple[str, str]:
    """The next (month, day) ``start`` after today, and ``end`` of its year."""
    today = Clock().today()
    first = date(today.year, *start)
    if first <= today:
        first = date(today.year + 1, *start)
    return first.isoformat(), date(first.year, *end).isoformat()


START, END = _next((1, 26), (2, 12))
ASKED = {
    "earliest_check_in": START,
    "latest_check_out": END,
    "guests": 5,
    "max_stays": 1,
    "nights": 12,
    "themes": ["summer_retreat", "forest_healing"],
}


def _plans(client, lang="en", **over) -> dict:
    r = client.post("/v1/plans", json={**ASKED, **over}, headers={"Accept-Language": lang})
    assert r.status_code == 200, r.text
    return r.json()


def test_five_guests_that_only_two_rooms_plan_are_said_by_the_party_with_two_rooms(
    demo_client,
):
    two_rooms = _plans(demo_client, units=2)
    assert two_rooms["plans"]
    out = _plans(demo_client)
    assert out["plans"] == []
    assert [r["code"] for r in out["reasons"]] == ["party_too_large"]
    said = out["reasons"][0]["text"]
    assert said.startswith("5 guests do not fit in 1 room or bed: ") and "transit" not in said
    (rooms,) = [r for r in out["relaxations"] if "units" in r["change"]]
    assert rooms["change"] == {"units": 2}
    assert rooms["cheapest_total_fen"] == two_rooms["plans"][0]["total_fen"]
    assert rooms["text"].startswith("book 2 rooms or beds, each for up to ")
    zh = _plans(demo_client, "zh-CN")
    assert zh["reasons"][0]["text"].startswith("5位住客订1间（床位）住不下：")
    assert any(r["text"].startswith("订2间（床位）") for r in zh["relaxations"])


def test_the_plan_page_says_it_and_links_two_rooms(demo_client):
    query = {"start": START, "end": END, "guests": "5", "max_stays": "1", "nights": "12"}
    address = "/plan?" + urlencode([*query.items(), *(("themes", t) for t in ASKED["themes"])])
    r = demo_client.get(address, headers={"Accept-Language": "en"})
    assert r.status_code == 200
    assert "5 guests do not fit in 1 room or bed: " in r.text
    assert "No sequence of stays" not in r.text
    assert "units=2" in r.text.split("book 2 rooms or beds")[0].rsplit("href=", 1)[1]


def test_nine_guests_are_offered_the_fewest_rooms_that_plan_not_only_those_of_six(demo_client):
    """Newcomer finding: 9 guests, one stay of 31 nights in summer. The rooms that hold
    the most (6) sell no stay that long, so 2 rooms give no plan; 3 rooms of 3 do. Only 2
    rooms were tried: the answer offered nothing (a button that plans) at all."""
    start, end = _next((7, 1), (8, 15))
    asked = {"earliest_check_in": start, "latest_check_out": end, "nights": 31}
    asked |= {"guests": 9, "max_stays": 1, "limit": 1}

    def plans(lang="en", **over) -> dict:
        r = demo_client.post("/v1/plans", json={**asked, **over}, headers={"Accept-Language": lang})
        assert r.status_code == 200, r.text
        return r.json()

    assert plans(units=2)["plans"] == []
    three = plans(units=3)["plans"]
    assert three
    said = (("en", "book 3 rooms or beds, each for up to "), ("zh-CN", "订3间（床位）"))
    for lang, words in said:
        out = plans(lang)
        assert out["plans"] == [] and out["reasons"][0]["code"] == "party_too_large"
        (rooms,) = [r for r in out["relaxations"] if "units" in r["change"]]
        assert rooms["change"] == {"units": 3}
        assert rooms["cheapest_total_fen"] == three[0]["total_fen"]
        assert rooms["text"].startswith(words)
