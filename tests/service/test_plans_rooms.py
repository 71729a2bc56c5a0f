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


def _late_january() -> tuple[str, str]:
    today = Clock().today()
    start = date(today.year, 1, 26)
    if start <= today:
        start = date(today.year + 1, 1, 26)
    return start.isoformat(), start.replace(month=2, day=12).isoformat()


START, END = _late_january()
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
