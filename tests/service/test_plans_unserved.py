"""A destination to visit where nothing meets the needs, on the demo catalogue (newcomer
finding): one guest from tomorrow for 60 days, fitting the dates, must visit Jilin Rime
Island (Wusong Dao) and needs a lift and a wheelchair-accessible bathroom, which no room
there has. The answer said ``shape``, "no sequence of stays fits back to back ... a
transit line", after searching in full, and offered no relaxation: allowing self-travel
was tried first and spent the budget all the relaxations share, so "no destination
required", which plans at once, was never tried. It says the needs, and offers it at the
cheapest total the request without the destination gives. Both rules in the pure
planner: tests/planner/test_relaxation_budget.py."""

from datetime import timedelta

from planner.explain import STAGE_TEXT
from service.clock import Clock

START = Clock().today() + timedelta(days=1)
ASKED = {
    "earliest_check_in": START.isoformat(),
    "latest_check_out": (START + timedelta(days=60)).isoformat(),
    "guests": 1,
    "include_destinations": ["jilin-wusongdao"],
    "needs": {"hospital_within_km": 20, "lift": True, "accessible_bathroom": True},
    "limit": 1,
}


def _plans(client, lang="en", **over) -> dict:
    r = client.post("/v1/plans", json={**ASKED, **over}, headers={"Accept-Language": lang})
    assert r.status_code == 200, r.text
    return r.json()


def test_a_destination_no_room_there_fits_is_said_by_the_needs_and_can_be_dropped(demo_client):
    anywhere = _plans(demo_client, include_destinations=[])["plans"]
    assert anywhere
    for lang in ("en", "zh-CN"):
        out = _plans(demo_client, lang)
        assert out["plans"] == []
        assert [r["code"] for r in out["reasons"]] == ["needs"]
        assert "transit" not in out["reasons"][0]["text"]
        (dropped,) = [r for r in out["relaxations"] if "include_destinations" in r["change"]]
        assert dropped["change"] == {"include_destinations": []}
        assert dropped["cheapest_total_fen"] == anywhere[0]["total_fen"]
    assert out["reasons"][0]["text"] == STAGE_TEXT["needs"][0]  # zh-CN, the last asked
