"""POST /v1/plans on the demo catalogue: plans whose quote_request prices to the same
total through POST /v1/quotes, evidence and nudges in both languages, no-plan reasons,
422 problems for bad input, nothing written."""

import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from freezegun import freeze_time

import pricing
from service.clock import Clock
from tests.service.test_catalog_api import assert_problem
from tests.support.english import field_names

START = Clock().today() + timedelta(days=210)


def body(**over) -> dict:
    b = {
        "earliest_check_in": START.isoformat(),
        "latest_check_out": (START + timedelta(days=50)).isoformat(),
        "nights": 42,
        "max_stays": 3,
        "guests": 2,
        "needs": {"hospital_within_km": 15, "cross_province_settlement": True},
    }
    b.update(over)
    return b


def plans(client, lang="en", **over) -> dict:
    r = client.post("/v1/plans", json=body(**over), headers={"Accept-Language": lang})
    assert r.status_code == 200, r.text
    return r.json()


def test_plans_are_ranked_and_each_quote_request_prices_to_the_same_total(demo_client):
    out = plans(demo_client)
    assert len(out["plans"]) == 5
    totals = [p["total_fen"] for p in out["plans"]]
    assert totals == sorted(totals)
    for p in out["plans"]:
        assert sum(s["nights"] for s in p["stays"]) == 42
        for a, b in zip(p["stays"], p["stays"][1:], strict=False):
            assert a["check_out"] == b["check_in"]
        assert p["price"]["total_fen"] == p["total_fen"]
        q = demo_client.post(
            "/v1/quotes", json=p["quote_request"], headers={"Accept-Language": "en"}
        )
        assert q.status_code == 201, q.text
        quote = q.json()
        assert quote["total_fen"] == p["total_fen"]
        for part in ("items", "legs", "rules_used", "stubs", "subtotal_fen", "discount_total_fen"):
            assert quote[part] == p["price"][part]  # every line, under its item or leg
        assert [f["met"] for f in p["fits"]] == [True] * len(p["fits"])
        assert len(p["fits"]) == 2 * len(p["stays"])


def test_needs_are_met_with_evidence_in_both_languages(demo_client):
    zh = plans(demo_client, "zh-CN")["plans"][0]
    en = plans(demo_client, "en")["plans"][0]
    assert any("异地就医直接结算：是" in f["evidence"] for f in zh["fits"])
    assert any(f["evidence"].startswith("hospital ") for f in en["fits"])
    dest = demo_client.get(f"/v1/destinations/{en['stays'][0]['destination']['id']}").json()
    assert dest["facilities"]["cross_province_settlement"] is True
    assert dest["facilities"]["nearest_hospital_km"] <= 15


def test_needs_and_certifications_are_said_in_words_never_by_their_codes(demo_client):
    """A relaxation that drops a need says the need; a certification is said by the name
    the destination pages give it (``catalog.vocab``), in both languages."""
    words = {
        "zh-CN": ("不要求离医院0.5公里以内：总价 ¥", "认证：森林康养基地"),
        "en": ("without a hospital within 0.5 km: from", "certified: Forest-healing base"),
    }
    for lang, (relaxed, certified) in words.items():
        out = plans(demo_client, lang, needs={"hospital_within_km": 0.5}, nights=28)
        (relax,) = [r for r in out["relaxations"] if "needs" in r["change"]]
        assert relax["change"] == {"needs": {"hospital_within_km": None}}
        assert relax["text"].startswith(relaxed), relax["text"]
        if lang == "zh-CN":  # the cheapest total as the English says it ("from ¥…")
            assert re.fullmatch(r".+：总价 ¥[\d,]+\.\d\d 起", relax["text"]), relax["text"]
        out = plans(demo_client, lang, needs={"certifications": ["forest_healing_base"]})
        evidence = [f["evidence"] for p in out["plans"] for f in p["fits"]]
        assert evidence and set(evidence) == {certified}, evidence
        dest = out["plans"][0]["stays"][0]["destination"]["slug"]
        page = demo_client.get(f"/v1/destinations/{dest}", headers={"Accept-Language": lang})
        assert certified.split("：")[-1].split(": ")[-1] in page.json()["certification_names"]


def test_a_plan_with_a_change_of_destination_takes_the_line_on_the_changeover_day(demo_client):
    out = plans(demo_client, max_stays=3, min_nights_per_stay=14, limit=20)
    multi = [p for p in out["plans"] if len({s["destination"]["id"] for s in p["stays"]}) > 1]
    assert multi, "expected a multi-destination plan among the 20 cheapest"
    for p in multi:
        for leg, (a, b) in zip(
            p["legs"], zip(p["stays"], p["stays"][1:], strict=False), strict=True
        ):
            assert leg["travel_date"] == a["check_out"]
            if a["destination"]["id"] != b["destination"]["id"]:
                assert leg["line"] is not None and leg["riders"] == 2
                assert not leg["self_travel"]


def test_step_free_rooms_only_when_asked(demo_client):
    out = plans(demo_client, needs={"step_free": True, "lift": True})
    for p in out["plans"]:
        for s in p["stays"]:
            detail = demo_client.get(f"/v1/products/{s['product']['id']}").json()
            assert detail["accessibility"]["step_free"] is True
            assert detail["accessibility"]["lift"] is True


def test_a_route_is_followed_in_order(demo_client):
    route = demo_client.get("/v1/routes/yanbian-korean-culture").json()
    out = plans(
        demo_client, route="yanbian-korean-culture", nights=21, min_nights_per_stay=7, needs={}
    )
    assert out["plans"]
    for p in out["plans"]:
        assert [s["destination"]["id"] for s in p["stays"]] == [
            s["destination"]["id"] for s in route["stops"]
        ]


def test_no_length_given_fits_the_dates_the_cheapest_of_the_whole_window_first(demo_client):
    """The form's "leave empty to fit the dates": without nights (nor min/max) every plan
    fills the window, the cheapest first, and says so; with nights, no ``fitted``."""
    out = plans(demo_client, nights=None, needs={})
    assert out["fitted"] == {
        "nights": 50,
        "window_nights": 50,
        "text": "No length given: the plans fill your dates, 50 nights.",
    }
    assert len(out["plans"]) == 5
    assert [p["nights"] for p in out["plans"]] == [50] * 5
    assert [p["total_fen"] for p in out["plans"]] == sorted(p["total_fen"] for p in out["plans"])
    for p in out["plans"]:
        q = demo_client.post("/v1/quotes", json=p["quote_request"])
        assert q.status_code == 201 and q.json()["total_fen"] == p["total_fen"]
    assert plans(demo_client, "zh-CN", nights=None, needs={})["fitted"]["text"] == (
        "未填写晚数：行程住满您的日期，共50晚。"
    )
    assert plans(demo_client, needs={})["fitted"] is None
    ranged = plans(demo_client, nights=None, min_nights=14, max_nights=50, needs={})
    assert ranged["fitted"] is None  # a range asked: the cheapest in it, as before
    assert min(p["nights"] for p in ranged["plans"]) < 50


def test_when_no_plan_can_fill_the_window_the_longest_that_fits_is_said(demo_client):
    """Hot-spring stays sell at most 30 nights: one stay in 40 days is planned as 30."""
    over = {"nights": None, "needs": {}, "themes": ["hot_spring"], "max_stays": 1}
    out = plans(demo_client, latest_check_out=(START + timedelta(days=40)).isoformat(), **over)
    assert out["fitted"]["nights"] == 30 and out["fitted"]["window_nights"] == 40
    assert "planned as 30 nights, the longest trip that can be booked" in out["fitted"]["text"]
    assert out["plans"] and {p["nights"] for p in out["plans"]} == {30}
    zh = plans(
        demo_client, "zh-CN", latest_check_out=(START + timedelta(days=40)).isoformat(), **over
    )
    assert zh["fitted"]["text"].startswith("未填写晚数：按日期范围安排为30晚。您的日期共40晚")
    nothing = plans(demo_client, max_total_fen=1000, **over)
    assert nothing["plans"] == [] and nothing["fitted"] is None
    assert [r["code"] for r in nothing["reasons"]] == ["budget"]


def test_no_length_on_dates_over_90_days_apart_is_window_too_long(demo_client):
    """Fitting the dates searches at the window's length: only up to 90 days (else the
    nights must be given)."""
    far = (START + timedelta(days=91)).isoformat()
    r = demo_client.post(
        "/v1/plans",
        json=body(nights=None, latest_check_out=far),
        headers={"Accept-Language": "en"},
    )
    assert_problem(r, 422, "window_too_long", "latest_check_out")
    assert r.json()["fit_max_days"] == 90
    assert "Without nights, the dates are at most 90 days apart" in r.json()["detail"]
    near = (START + timedelta(days=90)).isoformat()
    assert plans(demo_client, nights=None, latest_check_out=near, needs={})["fitted"]
    assert plans(demo_client, nights=28, latest_check_out=far)["fitted"] is None


def test_a_plan_stays_at_a_product_once_and_never_comes_back_to_a_place_it_left(demo_client):
    """Six summer weeks, no needs: the cheapest were Rime Island's farmhouse, inn and the
    same farmhouse again (14 nights each), and Erhe's courtyard, Red Leaf Valley, the
    courtyard again. Now each product once, each destination's stays one after another
    (one move within a place stays possible)."""
    out = plans(demo_client, needs={}, limit=20)
    assert len(out["plans"]) == 20
    within = 0
    for p in out["plans"]:
        ids = [s["product"]["id"] for s in p["stays"]]
        assert len(set(ids)) == len(ids), ids
        dests = [s["destination"]["id"] for s in p["stays"]]
        runs = [d for i, d in enumerate(dests) if i == 0 or d != dests[i - 1]]
        assert len(runs) == len(set(runs)), dests
        within += len(runs) < len(dests)
    assert within  # a change within one destination is still planned


def test_no_plan_is_200_with_reasons_and_relaxations(demo_client):
    out = plans(demo_client, max_total_fen=1000)
    assert out["plans"] == []
    assert [r["code"] for r in out["reasons"]] == ["budget"]
    assert any(r["change"] == {"max_total_fen": None} for r in out["relaxations"])
    out = plans(demo_client, needs={"hospital_within_km": 0.1})
    assert [r["code"] for r in out["reasons"]] == ["needs"]
    assert any("needs" in r["change"] for r in out["relaxations"])


def test_a_party_no_room_holds_is_party_too_large_with_more_rooms_or_fewer_guests(
    demo_client, demo_db
):
    with demo_db.engine.connect() as c:
        largest = c.scalar(sa.text("SELECT max(max_occupancy) FROM product WHERE is_active"))
    # four weeks: the rooms that hold the most guests make no six-week plan without
    # staying at one of them twice
    four_weeks = {"needs": {}, "nights": 28}
    out = plans(demo_client, guests=20, **four_weeks)
    assert out["plans"] == []
    assert [r["code"] for r in out["reasons"]] == ["party_too_large"]
    assert out["reasons"][0]["text"].startswith("20 guests do not fit in 1 room or bed")
    assert f"at most {largest} guests a room" in out["reasons"][0]["text"]
    changes = {tuple(r["change"].items()): r for r in out["relaxations"]}
    fewer = plans(demo_client, guests=largest, **four_weeks)  # offered only when it gives plans
    assert ((("guests", largest),) in changes) == bool(fewer["plans"])
    units = -(-20 // largest)
    assert (("units", units),) in changes
    with_units = plans(demo_client, guests=20, units=units, **four_weeks)
    assert with_units["plans"]
    assert with_units["plans"][0]["total_fen"] == changes[(("units", units),)]["cheapest_total_fen"]
    # the rooms said are those of the plan it gives, not the largest of any product
    held = sorted(
        {
            demo_client.get(f"/v1/products/{s['product']['id']}").json()["max_occupancy"]
            for s in with_units["plans"][0]["stays"]
        }
    )
    most = f"{held[0]}" if len(held) == 1 else f"{held[0]} to {held[-1]}"
    said = changes[(("units", units),)]["text"]
    assert said.startswith(f"book {units} rooms or beds, each for up to {most} guests: "), said
    zh = plans(demo_client, "zh-CN", guests=20, **four_weeks)
    assert zh["reasons"][0]["text"].startswith("20位住客订1间（床位）住不下")
    assert f"每间最多住{largest}人" in zh["reasons"][0]["text"]


def test_more_rooms_says_what_the_rooms_of_its_cheapest_plan_hold(demo_client):
    """8 guests: the largest room holds 6, so 2 rooms; the cheapest plan in 2 rooms has
    rooms of 4, and the relaxation says 4 (it said "up to 6 guests each")."""
    for lang, words in (
        ("en", "each for up to {} guests: from"),
        ("zh-CN", "每间最多住{}人：总价 ¥"),
    ):
        out = plans(demo_client, lang, guests=8, nights=28, needs={})
        (relax,) = [r for r in out["relaxations"] if r["change"] == {"units": 2}]
        given = plans(demo_client, lang, guests=8, units=2, nights=28, needs={}, limit=1)
        cheapest = given["plans"][0]
        assert cheapest["total_fen"] == relax["cheapest_total_fen"]
        held = {
            demo_client.get(f"/v1/products/{s['product']['id']}").json()["max_occupancy"]
            for s in cheapest["stays"]
        }
        assert len(held) == 1 and words.format(held.pop()) in relax["text"], relax["text"]
        assert "6" not in relax["text"].split("：")[0].split(":")[0]


def test_nudges_are_priced_by_the_engine(demo_client):
    for p in plans(demo_client, limit=5)["plans"]:
        for n in p["nudges"]:
            assert n["text"]
            if n["quote_request"] is not None:
                q = demo_client.post("/v1/quotes", json=n["quote_request"])
                assert q.status_code == 201, q.text
                assert q.json()["total_fen"] == n["total_fen"]
                assert n["difference_fen"] == n["total_fen"] - p["total_fen"]


def test_book_by_is_the_last_day_a_plan_keeps_its_total_and_the_rise_the_quotes(demo_client):
    """The book-by nudge names the last booking day at the plan's total and the total
    from the day after; POST /v1/quotes on those two days (the clock frozen) agrees. The
    ice-and-snow early bird's booking window ends before any advance tier drops: its
    plans say that day (the nudge once said the tier's, months later)."""
    rules = demo_client.get("/v1/discount-rules?kind=advance_booking").json()["items"]
    (early,) = [r for r in rules if r["booking_to"] is not None]
    out = plans(demo_client, needs={}, nights=28, limit=5)
    closing = 0
    for p in out["plans"]:
        (n,) = [n for n in p["nudges"] if n["kind"] == "book_by"]
        day = date.fromisoformat(n["book_by"])
        for at, total in ((day, p["total_fen"]), (day + timedelta(days=1), n["total_fen"])):
            with freeze_time(f"{at.isoformat()}T04:00:00+00:00"):  # noon in Shanghai
                q = demo_client.post("/v1/quotes", json=p["quote_request"])
            assert q.status_code == 201, q.text
            assert q.json()["total_fen"] == total
        assert n["difference_fen"] == n["total_fen"] - p["total_fen"] > 0
        assert f"Book by {day.isoformat()}: " in n["text"]
        assert n["text"].endswith(f"the total rises by {pricing.format_yuan(n['difference_fen'])}")
        if any(r["rule_id"] == early["id"] for r in p["price"]["rules_used"]):
            assert n["book_by"] == early["booking_to"]
            assert f"“{early['name_en']}” closes for booking" in n["text"]
            closing += 1
    assert closing


def test_a_longer_stays_price_per_night_is_rounded_half_up(demo_client):
    said = []
    for p in plans(demo_client, limit=10, nights=None, min_nights=14, max_nights=35)["plans"]:
        for n in p["nudges"]:
            if n["kind"] == "longer_stay":
                now = pricing.format_yuan(pricing.divide_half_up(p["total_fen"], p["nights"]))
                new = pricing.format_yuan(pricing.divide_half_up(n["total_fen"], p["nights"] + 7))
                assert f"the whole trip's average falls to {new} a night from {now}" in n["text"]
                assert f"({p['stays'][-1]['nights'] + 7} nights there)" in n["text"], n["text"]
                said.append(n)
    assert said
    zh = plans(demo_client, "zh-CN", limit=10, nights=None, min_nights=14, max_nights=35)
    longer = [n for p in zh["plans"] for n in p["nudges"] if n["kind"] == "longer_stay"]
    assert longer and all("全程每晚均价从" in n["text"] for n in longer)


def test_a_shift_of_the_trip_is_said_as_chinese_dates_with_how_far_it_moves(demo_client):
    zh = plans(demo_client, "zh-CN", limit=5)["plans"]
    shifts = [(p, n) for p in zh for n in p["nudges"] if n["kind"] == "shift_start"]
    assert shifts
    for p, n in shifts:
        start = date.fromisoformat(n["quote_request"]["items"][0]["check_in"])
        moved = (start - date.fromisoformat(p["stays"][0]["check_in"])).days
        when = f"{start.year}年{start.month}月{start.day}日"
        ahead = f"提前{-moved}天" if moved < 0 else f"推迟{moved}天"
        assert n["text"].startswith(f"改为{when}入住，比原定{ahead}：节省¥"), n["text"]


def test_planning_writes_nothing(demo_client, demo_db):
    def counts():
        with demo_db.engine.connect() as c:
            return [
                c.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar()
                for t in ("quote", "booking", "inventory_night")
            ] + [c.execute(sa.text("SELECT sum(taken_units) FROM inventory_night")).scalar()]

    before = counts()
    plans(demo_client)
    assert counts() == before


# Requests the planner refuses with a 422 naming the field, and what it names: each is
# refused before any search (also while every search slot is taken: test_plans_busy.py).
REFUSED = [
    ({"latest_check_out": START.isoformat()}, "invalid_window", "latest_check_out"),
    ({"earliest_check_in": "2020-01-01"}, "window_in_past", "earliest_check_in"),
    ({"nights": 60}, "nights_exceed_window", "nights"),
    ({"nights": None, "min_nights": 30, "max_nights": 20}, "contradictory", "max_nights"),
    ({"min_nights": 30}, "contradictory", "nights"),
    ({"themes": ["mud_bath"]}, "validation_error", "themes[0]"),
    ({"route": "no-such-route"}, "unknown_route", "route"),
    ({"include_destinations": ["nowhere"]}, "unknown_destination", "include_destinations[0]"),
    (
        {"include_destinations": ["yanji"], "avoid_destinations": ["yanji"]},
        "contradictory",
        "avoid_destinations",
    ),
    (
        {"needs": {"certifications": ["moon_base"]}},
        "unknown_certification",
        "needs.certifications[0]",
    ),
    ({"guests": 0}, "validation_error", "guests"),
    ({"max_stays": 5}, "validation_error", "max_stays"),
    ({"stubs": ["NO-SUCH-STUB"]}, "unknown_stub", "stubs[0]"),
    ({"surprise": 1}, "validation_error", "surprise"),
]


def refused_body(over: dict) -> dict:
    """``body`` changed by one of ``REFUSED``'s changes (``nights: None`` leaves it out)."""
    b = body(**over)
    if b.get("nights") is None:
        b.pop("nights")
    return b


@pytest.mark.parametrize("over, code, field", REFUSED)
def test_bad_input_is_a_422_naming_the_field(demo_client, over, code, field):
    """In both languages; the planner's own refusals say what is wrong in words, never
    by field names (the request model's ``validation_error`` names the fields it reads)."""
    for lang in ("zh-CN", "en"):
        r = demo_client.post(
            "/v1/plans", json=refused_body(over), headers={"Accept-Language": lang}
        )
        assert_problem(r, 422, code, field)
        if code != "validation_error":
            assert field_names(r.json()["detail"]) == [], r.json()["detail"]


def test_the_window_and_the_stays_are_refused_in_the_plan_form_s_words(demo_client):
    """As the plan form names its fields ("latest_check_out must be after
    earliest_check_in." until December 2026), with the dates and numbers."""
    start, past, today = START.isoformat(), "2020-01-01", Clock().today()
    three = ["yanji", "beidahu", "jingyu"]
    said = [
        (
            {"latest_check_out": start},
            "latest_check_out",
            f"The latest departure ({start}) must be after the earliest check-in ({start}).",
            f"最晚离开日期（{start}）须晚于最早入住日期（{start}）。",
        ),
        (
            {"earliest_check_in": past},
            "earliest_check_in",
            f"The earliest check-in ({past}) is before today ({today}).",
            f"最早入住日期（{past}）早于今天（{today}）。",
        ),
        (
            {"min_nights": 30},
            "nights",
            "Give the nights in all, or the fewest and the most nights, not both.",
            "请只填写一共住几晚，或最少/最多晚数，不要同时填写。",
        ),
        (
            {"include_destinations": three, "max_stays": 2},
            "include_destinations",
            "3 destinations to visit need at least as many stays, but at most 2 places to "
            "stay are asked for.",
            "要去 3 个目的地，至少需要同样多段住宿，但最多只住 2 个地方。",
        ),
    ]
    for over, field, en, zh in said:
        for lang, words in (("en", en), ("zh-CN", zh)):
            r = demo_client.post(
                "/v1/plans", json=refused_body(over), headers={"Accept-Language": lang}
            )
            assert r.json()["field"] == field, r.json()
            assert r.json()["detail"] == words


def test_sort_fit_reorders_the_same_cheapest_plans_nearest_hospital_first(demo_client):
    by_price = plans(demo_client, limit=5)["plans"]
    by_fit = plans(demo_client, limit=5, sort="fit")["plans"]
    key = lambda p: sorted(  # noqa: E731
        (p["total_fen"], tuple(s["product"]["id"] for s in p["stays"])) for _ in [0]
    )
    assert sorted(map(key, by_price)) == sorted(map(key, by_fit))

    def km(p):
        total = 0.0
        for s in p["stays"]:
            dest = demo_client.get(f"/v1/destinations/{s['destination']['id']}").json()
            total += dest["facilities"]["nearest_hospital_km"] * s["nights"]
        return total / p["nights"]

    distances = [km(p) for p in by_fit]
    assert distances == sorted(distances) or len({round(d, 1) for d in distances}) < len(distances)
    assert [p["rank"] for p in by_fit] == list(range(1, len(by_fit) + 1))


def test_no_plan_reasons_follow_accept_language(demo_client):
    zh = plans(demo_client, "zh-CN", needs={"hospital_within_km": 0.1})
    en = plans(demo_client, "en", needs={"hospital_within_km": 0.1})
    assert zh["reasons"][0]["text"].startswith("没有产品")
    assert en["reasons"][0]["text"].startswith("No product")


def test_a_window_shorter_than_the_shortest_stay_is_a_problem_on_its_end(demo_client):
    for days, over in ((2, {}), (4, {"nights": 4})):
        b = body(latest_check_out=(START + timedelta(days=days)).isoformat(), **over)
        if "nights" not in over:
            b.pop("nights")
        r = demo_client.post("/v1/plans", json=b, headers={"Accept-Language": "en"})
        assert_problem(r, 422, "window_too_short", "latest_check_out")
        assert "shorter than the shortest stay (7 nights)" in r.json()["detail"]
        assert r.json()["shortest_stay_nights"] == 7


def test_fewer_nights_than_the_shortest_stay_is_a_problem_on_the_nights(demo_client):
    r = demo_client.post("/v1/plans", json=body(nights=4))
    assert_problem(r, 422, "nights_below_shortest_stay", "nights")
    b = body(min_nights=2, max_nights=5)
    b.pop("nights")
    assert_problem(
        demo_client.post("/v1/plans", json=b), 422, "nights_below_shortest_stay", "max_nights"
    )


def test_fewest_nights_above_the_most_is_said_in_words(demo_client):
    """Said as a person would ("max_nights must not be below min_nights." until December
    2026), with both numbers."""
    b = body(min_nights=30, max_nights=20)
    b.pop("nights")
    said = {
        "en": "The most nights (20) cannot be fewer than the fewest nights (30).",
        "zh-CN": "最多晚数（20 晚）不能少于最少晚数（30 晚）。",
    }
    for lang, words in said.items():
        r = demo_client.post("/v1/plans", json=b, headers={"Accept-Language": lang})
        assert_problem(r, 422, "contradictory", "max_nights")
        assert r.json()["detail"] == words


def test_min_nights_beyond_the_window_names_min_nights_not_a_field_never_sent(demo_client):
    b = body(min_nights=60)
    b.pop("nights")
    assert_problem(demo_client.post("/v1/plans", json=b), 422, "nights_exceed_window", "min_nights")


def test_english_api_messages_are_plain_and_echoed_ids_are_cut(demo_client):
    b = body(earliest_check_in="1999-01-01")
    r = demo_client.post("/v1/plans", json=b, headers={"Accept-Language": "en"})
    assert r.status_code == 422
    message = r.json()["errors"][0]["message"]
    assert message == "must be a date between 2000-01-01 and 2100-12-31", message
    r = demo_client.post("/v1/plans", json=b, headers={"Accept-Language": "zh-CN"})
    assert r.json()["errors"][0]["message"] == "应为 2000-01-01 至 2100-12-31 之间的日期。"
    for lang, words in (("en", "must be at most 200 characters"), ("zh-CN", "最多 200 个字符")):
        r = demo_client.get("/v1/destinations/" + "x" * 5000, headers={"Accept-Language": lang})
        assert r.status_code == 422
        assert words in r.json()["errors"][0]["message"], r.json()
        assert "items" not in r.text and "Value " not in r.text


def test_a_day_no_month_has_and_a_missing_field_are_plain_words_in_each_language(demo_client):
    b = {"earliest_check_in": "2027-02-30", "latest_check_out": "2027-03-30"}
    said = {}
    for lang in ("en", "zh-CN"):
        r = demo_client.post("/v1/plans", json=b, headers={"Accept-Language": lang})
        assert r.status_code == 422
        said[lang] = {e["field"]: e["message"] for e in r.json()["errors"]}
    assert said["en"]["earliest_check_in"] == (
        "must be a day of the calendar, as YYYY-MM-DD (that month has no such day)"
    )
    assert (
        said["zh-CN"]["earliest_check_in"] == "应为日历上有的日期（YYYY-MM-DD），该月没有这一天。"
    )
    assert (said["en"]["guests"], said["zh-CN"]["guests"]) == ("required", "必填。")
    r = demo_client.get(
        "/v1/products/1/price-calendar?from=2027-03-10&to=2027-03-01&nights=7&guests=2",
        headers={"Accept-Language": "zh-CN"},
    )
    assert r.json()["detail"] == "to 应晚于 from。"  # the field names as the fields are named


def test_an_unknown_id_is_echoed_cut_to_forty_characters(demo_client):
    for lang in ("en", "zh-CN"):
        r = demo_client.get("/v1/destinations/" + "q" * 150, headers={"Accept-Language": lang})
        assert r.status_code == 404
        assert "q" * 40 + "…" in r.json()["detail"] and "q" * 41 not in r.json()["detail"]
    r = demo_client.post("/v1/plans", json=body(include_destinations=["q" * 150]))
    assert_problem(r, 422, "unknown_destination", "include_destinations[0]")
    assert "q" * 41 not in r.json()["detail"]


def test_a_contradiction_names_the_destination_as_the_caller_sent_it(demo_client):
    """Never by our internal id (it read "Destination 8 is both included and avoided")."""
    yanji = demo_client.get("/v1/destinations/yanji").json()["id"]
    cases = [
        ({"include_destinations": ["yanji"], "avoid_destinations": ["yanji"]}, "'yanji'"),
        ({"include_destinations": [str(yanji)], "avoid_destinations": ["yanji"]}, "'yanji'"),
        ({"include_destinations": ["yanji"], "avoid_destinations": [str(yanji)]}, f"'{yanji}'"),
        ({"route": "yanbian-korean-culture", "avoid_destinations": ["yanji"]}, "'yanji'"),
    ]
    words = {
        "en": ("Destination {} is both included and avoided.", "The route visits destination {}"),
        "zh-CN": (
            "目的地 {} 既在想去的列表中，又在要避开的列表中。",
            "该线路经过要避开的目的地 {}。",
        ),
    }
    for over, said in cases:
        for lang, (both, route) in words.items():
            r = demo_client.post(
                "/v1/plans",
                json=body(**over, needs={}),
                headers={"Accept-Language": lang},
            )
            problem = assert_problem(r, 422, "contradictory", "avoid_destinations")
            expected = (route if "route" in over else both).format(said)
            assert problem["detail"].startswith(expected), problem["detail"]


def test_one_night_is_said_in_the_singular(demo_client):
    r = demo_client.post("/v1/plans", json=body(nights=1), headers={"Accept-Language": "en"})
    assert r.status_code == 422 and r.json()["code"] == "nights_below_shortest_stay"
    detail = r.json()["detail"]
    assert (
        detail.startswith("1 night is fewer than the shortest stay (") and "1 nights" not in detail
    )
    assert detail.endswith(" nights).")


def test_english_counts_are_singular_for_one():
    from pricing.labels import counted

    assert counted(1, "night") == "1 night" and counted(2, "night") == "2 nights"
    assert counted(1, "night is", "nights are") == "1 night is"
    assert counted(3, "room or bed", "rooms or beds") == "3 rooms or beds"
    assert counted(0, "day") == "0 days"


def _too_broad() -> dict:
    """200 days from a month ahead, 150 nights in stays of 1 night or more, up to 4:
    refused as too broad on the demo catalogue."""
    start = Clock().today() + timedelta(days=30)
    return body(
        earliest_check_in=start.isoformat(),
        latest_check_out=(start + timedelta(days=200)).isoformat(),
        nights=150,
        min_nights_per_stay=1,
        max_stays=4,
        needs={},
    )


def test_a_plan_too_broad_to_search_in_full_is_refused_within_the_work_budget(
    demo_client, monkeypatch
):
    """Long nights in short stays over a long window (the denial of service: minutes and
    gigabytes): refused with plan_too_broad naming what to narrow, after at most the
    work budget (counted, not timed); following its suggestions reaches an answer."""
    from planner import budget

    charges = _charges(monkeypatch)
    wide = _too_broad()
    for lang, words in (("en", "at least 37 nights per stay"), ("zh-CN", "每段住宿至少 37 晚")):
        r = demo_client.post("/v1/plans", json=wide, headers={"Accept-Language": lang})
        assert_problem(r, 422, "plan_too_broad", "min_nights_per_stay")
        assert r.json()["suggested"] == 37
        assert words in r.json()["detail"]
    spent = [work for _, work in charges]
    over = [w for w in spent if w > budget.WORK_BUDGET]
    assert len(over) == 2  # one charge over the budget per request, then refused
    assert max(w for w in spent if w <= budget.WORK_BUDGET) <= budget.WORK_BUDGET
    narrowed = dict(wide)
    for _ in range(4):  # each step narrows the field named to the value suggested
        r = demo_client.post("/v1/plans", json=narrowed, headers={"Accept-Language": "en"})
        if r.status_code == 200:
            break
        assert r.json()["code"] == "plan_too_broad"
        narrowed[r.json()["field"]] = r.json()["suggested"]
    assert r.status_code == 200 and r.json()["plans"], narrowed


def test_plan_too_broad_is_the_searchs_verdict_not_a_bound_of_the_requests_size(
    demo_client,
):
    """Why the refusal is not decided before the search (docs/planner.md, "Not decided
    before the search"): of two requests of the same window, nights, stays, party and
    candidates (the second only adds ``max_total_fen``), one is refused as too broad and
    the other answered, its search ended at once by its price limit: the work a search
    spends depends on the prices it meets, not only on the request's size."""
    wide = _too_broad()
    refused = demo_client.post("/v1/plans", json=wide)
    assert_problem(refused, 422, "plan_too_broad", "min_nights_per_stay")
    answered = demo_client.post("/v1/plans", json={**wide, "max_total_fen": 100_000})
    assert answered.status_code == 200, answered.text
    assert answered.json()["plans"] == []
    assert answered.json()["search"]["sequences_evaluated"] == 0  # ended at once


def test_a_three_month_trip_of_fortnights_is_inside_the_work_budget(demo_client):
    """120 days, 90 nights, 14 nights a stay, 3 stays (work 2^28.3): a sojourn the
    planner is for, answered (the first budget, 2^28, refused it)."""
    start = Clock().today() + timedelta(days=30)
    r = demo_client.post(
        "/v1/plans",
        json=body(
            earliest_check_in=start.isoformat(),
            latest_check_out=(start + timedelta(days=120)).isoformat(),
            nights=90,
            min_nights_per_stay=14,
            max_stays=3,
            needs={},
        ),
    )
    assert r.status_code == 200, r.text
    assert r.json()["plans"] and all(p["nights"] == 90 for p in r.json()["plans"])


def _charges(monkeypatch) -> list[tuple[int, int]]:
    """Every charge of every search of the requests that follow: what it charged
    (CALL_WORK included) and the search's work after it (as far as it got when the
    charge was refused)."""
    import planner.search as search
    from planner import budget

    charged: list[tuple[int, int]] = []
    charge = search.Planner._charge

    def counted_charge(self, work):
        try:
            charge(self, work)
        finally:
            charged.append((work + budget.CALL_WORK, self.stats.work))

    monkeypatch.setattr(search.Planner, "_charge", counted_charge)
    return charged


def test_relaxations_share_one_budget_and_one_out_of_it_is_not_offered(demo_client, monkeypatch):
    """A request whose own search ends in budget with no plan is answered (200, no plan),
    never refused because a relaxation (here dropping the price limit, searched unpruned)
    ran out of work; the relaxations share one search's budget (with CALL_WORK per
    min-plus product, a search of ~100,000 small products, 50-70 s before, is stopped)."""
    from planner import budget

    charges = _charges(monkeypatch)
    start = Clock().today() + timedelta(days=30)
    cheap = body(
        earliest_check_in=start.isoformat(),
        latest_check_out=(start + timedelta(days=120)).isoformat(),
        nights=90,
        min_nights_per_stay=7,
        max_stays=3,
        max_total_fen=100,
        needs={},
    )
    r = demo_client.post("/v1/plans", json=cheap)
    assert r.status_code == 200, r.text
    assert r.json()["plans"] == []
    # The request's search, the why-search and the relaxations together: three budgets.
    charged = [c for c, _ in charges]
    assert sum(charged) <= 3 * budget.WORK_BUDGET + 3 * max(charged)
    charges.clear()
    long_stays = {
        "earliest_check_in": (start + timedelta(days=60)).isoformat(),
        "latest_check_out": (start + timedelta(days=127)).isoformat(),
        "guests": 2,
        "max_stays": 3,
        "min_nights_per_stay": 21,
        "min_nights": 35,
        "max_nights": 43,
        "include_destinations": ["jiaohe-hongyegu"],
        "needs": {"step_free": True},
    }
    r = demo_client.post("/v1/plans", json=long_stays)
    assert r.status_code == 200, r.text
    charged = [c for c, _ in charges]
    assert sum(charged) <= 3 * budget.WORK_BUDGET + 3 * max(charged, default=0)
    # no room at Jiaohe Hongyegu is step-free: said before searching (it searched in full)
    assert [x["code"] for x in r.json()["reasons"]] == ["needs"]


@pytest.mark.parametrize(
    "over, field, en, zh",
    [
        (
            {"needs": {"hospital_within_km": "10"}},
            "needs.hospital_within_km",
            "must be a number",
            "应为数字",
        ),
        (
            {"needs": {"hospital_within_km": True}},
            "needs.hospital_within_km",
            "must be a number",
            "应为数字",
        ),
        (
            {"needs": {"cross_province_settlement": "yes"}},
            "needs.cross_province_settlement",
            "true or false",
            "true 或 false",
        ),
        ({"needs": {"step_free": 1}}, "needs.step_free", "true or false", "true 或 false"),
        ({"allow_self_travel": "yes"}, "allow_self_travel", "true or false", "true 或 false"),
        ({"allow_self_travel": "true"}, "allow_self_travel", "true or false", "true 或 false"),
        ({"guests": "2"}, "guests", "whole number", "整数"),
    ],
)
def test_a_value_of_another_json_type_is_422_naming_the_field_as_quotes_do(
    demo_client, over, field, en, zh
):
    # POST /v1/quotes refuses "guests": "2"; the planner took "10" as 10 km and "yes" as true.
    for lang, words in (("en", en), ("zh-CN", zh)):
        r = demo_client.post("/v1/plans", json=body(**over), headers={"Accept-Language": lang})
        problem = assert_problem(r, 422, "validation_error", field)
        assert words in problem["detail"], problem


def test_a_whole_number_of_km_is_a_number(demo_client):
    assert plans(demo_client, needs={"hospital_within_km": 15})["plans"]
    assert plans(demo_client, needs={"hospital_within_km": 15.5})["plans"]
