"""Every relaxation's ``change`` applies as it is sent: merged into its request (a JSON
merge patch: ``null`` removes a field), ``POST /v1/plans`` accepts it and answers with
plans, the cheapest at the relaxation's ``cheapest_total_fen``; and every nudge's
``quote_request`` is accepted by ``POST /v1/quotes`` at the nudge's total. Over seeded
random requests on the demo catalogue (window, length given as nights, a range or none,
party, stays, themes, destinations to visit, packs, needs, budget, routes)."""

import random
from datetime import timedelta
from typing import Any

from service.clock import Clock

SEEDS = range(50)
TODAY = Clock().today()
THEMES = ["forest_healing", "hot_spring", "folk_culture", "summer_retreat", "ice_snow"]
CERTS = ["forest_healing_base", "sojourn_eldercare_certified", "national_5a_scenic"]


def merged(target: Any, patch: Any) -> Any:
    """RFC 7386 JSON merge patch."""
    if not isinstance(patch, dict):
        return patch
    out = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = merged(out.get(key), value)
    return out


def request(rng: random.Random, slugs: list[str], routes: list[str]) -> dict[str, Any]:
    start = TODAY + timedelta(days=rng.randint(30, 300))
    window = rng.randint(20, 50)
    body: dict[str, Any] = {
        "earliest_check_in": start.isoformat(),
        "latest_check_out": (start + timedelta(days=window)).isoformat(),
        "guests": rng.choice([1, 2, 2, 3, 5, 8, 13]),
        "max_stays": rng.randint(1, 3),
        "min_nights_per_stay": rng.choice([7, 7, 10, 14, 21]),
        "limit": 2,
    }
    length = rng.random()
    if length < 0.5:
        body["nights"] = rng.randint(body["min_nights_per_stay"], window)
    elif length < 0.8:
        lo = rng.randint(body["min_nights_per_stay"], window)
        body |= {"min_nights": lo, "max_nights": rng.randint(lo, window)}
    if rng.random() < 0.2:
        body["units"] = 2
    if rng.random() < 0.3:
        body["themes"] = rng.sample(THEMES, rng.randint(1, 2))
    if rng.random() < 0.25:
        body["include_destinations"] = rng.sample(slugs, rng.randint(1, body["max_stays"]))
    if rng.random() < 0.15:
        body["route"] = rng.choice(routes)
    if rng.random() < 0.2:
        body["pack_kinds"] = [rng.choice(["therapy", "dining", "culture"])]
    needs: dict[str, Any] = {}
    if rng.random() < 0.3:
        needs["hospital_within_km"] = rng.choice([0.5, 2, 5, 15])
    for name in ("cross_province_settlement", "elder_friendly_rooms", "step_free", "lift"):
        if rng.random() < 0.15:
            needs[name] = True
    if rng.random() < 0.15:
        needs["certifications"] = [rng.choice(CERTS)]
    if needs:
        body["needs"] = needs
    if rng.random() < 0.15:
        body["max_total_fen"] = rng.randint(50_000, 1_500_000)
    return body


def just_under(c, body: dict[str, Any]) -> dict[str, Any]:
    """``body`` with a budget a fen under its cheapest plan, when it has one."""
    r = c.post("/v1/plans", json={**body, "limit": 1})
    if r.status_code != 200 or not r.json()["plans"]:
        return body
    return {**body, "max_total_fen": r.json()["plans"][0]["total_fen"] - 1}


def test_every_relaxation_and_nudge_applies_as_sent(demo_client):
    c = demo_client
    slugs = [d["slug"] for d in c.get("/v1/destinations?limit=100").json()["items"]]
    routes = [r["slug"] for r in c.get("/v1/routes").json()["items"]]
    kinds: set[str] = set()
    from_nights = 0  # ranges of nights offered to a request that gave nights
    nudged = 0
    for seed in SEEDS:
        rng = random.Random(seed)
        body = request(rng, slugs, routes)
        if rng.random() < 0.4:
            body = just_under(c, body)
        r = c.post("/v1/plans", json=body)
        if r.status_code == 422:  # a request the generator made contradictory
            continue
        assert r.status_code == 200, (body, r.text)
        out = r.json()
        for relax in out["relaxations"]:
            again = merged(body, relax["change"])
            a = c.post("/v1/plans", json=again)
            assert a.status_code == 200, (body, relax, a.text)
            plans = a.json()["plans"]
            assert plans, (body, relax)
            assert plans[0]["total_fen"] == relax["cheapest_total_fen"], (body, relax)
            kinds.update(relax["change"])
            from_nights += "nights" in body and "min_nights" in relax["change"]
        for p in out["plans"]:
            for n in p["nudges"]:
                if n["quote_request"] is not None:
                    q = c.post("/v1/quotes", json=n["quote_request"])
                    assert q.status_code == 201, (body, n, q.text)
                    assert q.json()["total_fen"] == n["total_fen"]
                    nudged += 1
    # the relaxations the generator reaches, the nights' range among them
    assert {"max_total_fen", "min_nights", "needs", "units", "guests"} <= kinds, kinds
    assert from_nights and nudged
