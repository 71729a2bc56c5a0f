"""The planner page's relaxations: each one the planner offers for a request the form
makes is a link that plans the request with that change applied, the values the form has
no field for (``min_nights_per_stay``, ``allow_self_travel``, a range of nights) kept in
the address, sent hidden and said. The range of nights' own page test is in
test_pages_plan.py."""

import re
from datetime import timedelta
from html import unescape
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from service.clock import Clock
from service.pages import plan as plan_page
from service.plans.schemas import PlanIn
from tests.service.test_pages_trip import field_error, pages, pages_db  # noqa: F401


def _merged(body: dict[str, Any], change: dict[str, Any]) -> dict[str, Any]:
    """``body`` with a relaxation's change applied as the API reads it (a JSON merge
    patch: ``null`` removes a field)."""
    out = dict(body)
    for key, value in change.items():
        if value is None:
            out.pop(key, None)
        elif isinstance(value, dict):
            out[key] = _merged(out.get(key, {}), value)
        else:
            out[key] = value
    return out


def _read_back(url: str) -> dict[str, Any]:
    """The ``PlanIn`` body the page makes of one of its own addresses."""
    query = parse_qs(urlsplit(url).query)
    values = {k: query.get(k, [""])[0] for k in plan_page.FIELDS}
    values["themes"] = query.get("themes", [])
    values["cert"] = query.get("cert", [])
    return plan_page._request_of(values)


_START = (Clock().today() + timedelta(days=90)).isoformat()
_END = (Clock().today() + timedelta(days=125)).isoformat()
_FORM = {
    "start": _START,
    "end": _END,
    "nights": "28",
    "guests": "3",
    "units": "1",
    "max_stays": "2",
    "hospital_km": "10",
    "settlement": "yes",
    "elder": "yes",
    "budget": "20000",
    "route": "",
    "min_nights": "",
    "max_nights": "",
    "min_nights_per_stay": "",
    "allow_self_travel": "",
    "themes": ["hot_spring", "ice_snow"],
}
# every need the form has (the API's, NeedsIn)
_NEEDY = {**_FORM, **dict.fromkeys(plan_page.NEEDS, "yes"), "cert": ["forest_healing_base"]}
_RANGED = {**_FORM, "nights": "", "min_nights": "14", "max_nights": "28"}
# Every change planner.explain.relaxations makes of a request the form can send
_CHANGES = [
    (_FORM, {"units": 2}),
    (_FORM, {"guests": 2}),
    (_FORM, {"max_total_fen": None}),
    (_FORM, {"allow_self_travel": True}),
    (_FORM, {"min_nights_per_stay": 3}),
    (_RANGED, {"min_nights_per_stay": 3, "min_nights": 14}),
    (_FORM, {"nights": None, "min_nights": 7, "max_nights": 28}),
    (_FORM, {"max_stays": 4}),
    (_FORM, {"themes": []}),
    (_FORM, {"needs": {"hospital_within_km": None}}),
    (_FORM, {"needs": {"cross_province_settlement": False}}),
    (_FORM, {"needs": {"elder_friendly_rooms": False}}),
    ({**_FORM, "min_nights_per_stay": "14", "allow_self_travel": "yes"}, {"max_stays": 4}),
    *[(_NEEDY, {"needs": {need: False}}) for need in plan_page.NEED_OF.values()],
    (_NEEDY, {"needs": {"certifications": []}}),
    (_NEEDY, {"units": 2}),
]


@pytest.mark.parametrize(("form", "change"), _CHANGES)
def test_every_relaxation_of_a_form_request_is_a_link_that_plans_it(form, change):
    """The link's address, read by the page, is the request with the change applied,
    exactly as the API reads the change (the values kept hidden kept on)."""
    url = plan_page._replan_url(form, change)
    assert url is not None, change
    wanted = PlanIn.model_validate(_merged(plan_page._request_of(form), change))
    assert PlanIn.model_validate(_read_back(url)).model_dump() == wanted.model_dump()


@pytest.mark.parametrize(
    "change",
    [{"include_destinations": []}, {"pack_kinds": []}],
)
def test_a_change_of_what_the_form_never_sends_is_no_link(change):
    assert plan_page._replan_url(_FORM, change) is None


def _links(html: str) -> dict[str, str]:
    """The relaxations' links: their words -> their address."""
    part = html.split('class="stack"')[1].split("</ul>")[0]
    found = re.findall(r'<a class="button secondary" href="([^"]+)">([^<]+)</a>', part)
    return {unescape(words): unescape(url) for url, words in found}


def _totals(html: str) -> list[str]:
    return re.findall(r'id="plan-\d+-total">([^<]+)<', html)


def _yuan(fen: int) -> str:
    return f"¥{fen // 100:,}.{fen % 100:02d}"


def _followed(pages, html: str, words: str, lang: str, body: dict[str, Any]):  # noqa: F811
    """Follow the one relaxation link whose words start with ``words``: its page shows the
    plans ``POST /v1/plans`` gives for ``body`` (the request with the change), and its
    words say the cheapest of them. The page and the API's answer."""
    assert not _totals(html), "expected no plan before the change"
    link = [(w, url) for w, url in _links(html).items() if w.startswith(words)]
    assert len(link) == 1, _links(html)
    said, url = link[0]
    r = pages.get(url, headers={"Accept-Language": lang})
    assert r.status_code == 200
    api = pages.post("/v1/plans", json=body).json()
    assert api["plans"]
    assert _totals(r.text) == [_yuan(p["total_fen"]) for p in api["plans"]]
    cheapest = _yuan(api["plans"][0]["total_fen"])  # its cheapest, as said
    assert said.endswith(f"总价 {cheapest} 起" if lang == "zh-CN" else f"from {cheapest}"), said
    return r, api


def _window(days_ahead: int, days: int) -> tuple[str, str]:
    start = Clock().today() + timedelta(days=days_ahead)
    return start.isoformat(), (start + timedelta(days=days)).isoformat()


@pytest.mark.parametrize(
    ("lang", "words", "kept"),
    [
        ("en", "allow travelling on your own where no line runs: from ", "Travelling on your own"),
        ("zh-CN", "允许无交通线路时自行前往：总价 ¥", "没有交通线路的地方可自行前往"),
    ],
)
def test_travelling_on_your_own_is_a_link_that_plans_it(pages, lang, words, kept):  # noqa: F811
    """38 nights of hot springs in at most 3 places: no one hot spring sells 38 nights and
    no line joins two of them, so no plan, and the planner offers travelling on one's own.
    The link plans it (the API's plans for the same request), keeps it hidden in the form
    and says it."""
    start, end = _window(30, 49)
    params = {"start": start, "end": end, "nights": "38", "guests": "2", "max_stays": "3"}
    params["themes"] = "hot_spring"
    html = pages.get("/plan?" + urlencode(params), headers={"Accept-Language": lang}).text
    body = {"earliest_check_in": start, "latest_check_out": end, "nights": 38, "guests": 2}
    body |= {"max_stays": 3, "themes": ["hot_spring"], "allow_self_travel": True}
    r, api = _followed(pages, html, words, lang, body)
    assert '<input type="hidden" name="allow_self_travel" value="yes">' in r.text
    assert f'<p class="notice">{kept}' in r.text
    assert any(g["self_travel"] for p in api["plans"] for g in p["legs"])


@pytest.mark.parametrize(
    ("lang", "words", "kept"),
    [
        ("en", "at least 7 nights per stay: from ", "At least {n} nights at each place"),
        ("zh-CN", "每段最少入住改为7晚：总价 ¥", "每个地方至少住 {n} 晚"),
    ],
)
def test_fewer_nights_per_stay_is_a_link_that_plans_it(pages, lang, words, kept):  # noqa: F811
    """An address that asks for 14 nights at each place (kept hidden, as the API's
    ``min_nights_per_stay``): 25 nights of ice and snow near a hospital fit in no one
    place and in no two of 14 nights; the planner offers 7 nights a stay, and the link
    plans it, keeping the new number hidden and said."""
    start, end = _window(30, 35)
    params = {"start": start, "end": end, "nights": "25", "guests": "2", "max_stays": "4"}
    params |= {"hospital_km": "20", "themes": "ice_snow", "min_nights_per_stay": "14"}
    html = pages.get("/plan?" + urlencode(params), headers={"Accept-Language": lang}).text
    assert '<input type="hidden" name="min_nights_per_stay" value="14">' in html
    assert f'<p class="notice">{kept.format(n=14)}</p>' in html
    body = {"earliest_check_in": start, "latest_check_out": end, "nights": 25, "guests": 2}
    body |= {"max_stays": 4, "themes": ["ice_snow"], "needs": {"hospital_within_km": 20}}
    r, _ = _followed(pages, html, words, lang, {**body, "min_nights_per_stay": 7})
    assert '<input type="hidden" name="min_nights_per_stay" value="7">' in r.text
    assert f'<p class="notice">{kept.format(n=7)}</p>' in r.text


@pytest.mark.parametrize("per_stay", ["0", "abc", "401"])
def test_nights_per_stay_the_planner_refuses_are_said_beside_the_stays(pages, per_stay):  # noqa: F811
    start, end = _window(90, 35)
    params = {"start": start, "end": end, "nights": "28", "guests": "2"}
    params["min_nights_per_stay"] = per_stay
    r = pages.get("/plan?" + urlencode(params), headers={"Accept-Language": "en"})
    assert r.status_code == 422
    said = field_error(r.text, "min_nights_per_stay")  # as the nights at each place
    assert said.startswith(f"Error: Nights at each place: The link gives “{per_stay}”."), said
    assert field_error(r.text, "max_stays") is None
    assert '<p class="notice">At least' not in r.text  # the refused value is not said as kept
