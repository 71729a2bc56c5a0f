"""The planner page's needs: every need ``POST /v1/plans`` takes (``NeedsIn``) is on the
form, named as the destinations list and the catalogue's vocabulary name it, read by the
API's request model (a bad value said beside its box), kept in the address and in the
relaxations' links. Both databases, both languages."""

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from catalog.vocab import CERTIFICATION_NAMES, ROOM_FACT_LABELS
from service.clock import Clock
from service.pages import messages, refusals
from service.pages import plan as plan_page
from service.plans.schemas import NeedsIn
from tests.service.test_pages_plan_relax import _followed, _totals, _yuan
from tests.service.test_pages_trip import field_error, pages, pages_db  # noqa: F401

_START = Clock().today() + timedelta(days=90)
_WINDOW = {
    "start": _START.isoformat(),
    "end": (_START + timedelta(days=35)).isoformat(),
    "nights": "28",
    "guests": "2",
    "max_stays": "2",
}
_BODY = {
    "earliest_check_in": _WINDOW["start"],
    "latest_check_out": _WINDOW["end"],
    "nights": 28,
    "guests": 2,
    "max_stays": 2,
}


def _checked(html: str, name: str, value: str = "yes") -> bool:
    box = re.search(rf'<input type="checkbox" id="[^"]*" name="{name}" value="{value}"[^>]*>', html)
    assert box, (name, value)
    return " checked" in box.group(0)


def test_every_need_the_api_takes_is_a_field_of_the_form():
    """No need of ``NeedsIn`` without its field: the yes/no ones as boxes, the
    certifications as the destinations list's boxes, the distance as its select."""
    fields = {*plan_page.NEED_OF.values(), "hospital_within_km", "certifications"}
    assert fields == set(NeedsIn.model_fields)


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_the_form_names_each_need_in_the_page_language(pages, lang):  # noqa: F811
    words = messages.text_for(lang)
    html = pages.get("/plan", headers={"Accept-Language": lang}).text
    named = {
        "settlement": words("fac_settlement"),
        "insurance": words("fac_insurance_station"),  # the destinations list's words
        "elder": words("fac_elder_rooms"),
    }
    for code, (zh, en) in ROOM_FACT_LABELS.items():  # the vocabulary's, as the API's names
        named[code] = zh if lang == "zh-CN" else en
    for name, label in named.items():
        assert re.search(
            rf'<label class="check" for="{name}"><input type="checkbox" id="{name}" '
            rf'name="{name}" value="yes"> {re.escape(label)}</label>',
            html,
        ), name
    for code, (zh, en) in CERTIFICATION_NAMES.items():
        assert f'name="cert" value="{code}"> {zh if lang == "zh-CN" else en}</label>' in html
    assert words("plan_room_needs") in html and words("dest_cert") in html


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_a_link_with_needs_plans_them_and_keeps_them_ticked(pages, lang):  # noqa: F811
    """``insurance``, the room facts and ``cert`` were dropped unsaid until December
    2026: the page's plans are the API's for the same needs, which differ from those
    without them, and the boxes come back ticked for the next search."""
    link = {**_WINDOW, "insurance": "yes", "step_free": "yes", "grab_bars": "yes"}
    query = urlencode([*link.items(), ("cert", "forest_healing_base")])
    r = pages.get(f"/plan?{query}", headers={"Accept-Language": lang})
    assert r.status_code == 200, r.text[:300]
    needs = {
        "medical_insurance_station": True,
        "step_free": True,
        "grab_bars": True,
        "certifications": ["forest_healing_base"],
    }
    api = pages.post("/v1/plans", json={**_BODY, "needs": needs}).json()
    plain = pages.post("/v1/plans", json=_BODY).json()
    assert api["plans"] and _totals(r.text) == [_yuan(p["total_fen"]) for p in api["plans"]]
    assert [p["total_fen"] for p in api["plans"]] != [p["total_fen"] for p in plain["plans"]]
    for name in ("insurance", "step_free", "grab_bars"):
        assert _checked(r.text, name)
    assert _checked(r.text, "cert", "forest_healing_base")
    for name in ("settlement", "elder", "lift", "twin_beds", "accessible_bathroom"):
        assert not _checked(r.text, name)
    assert not _checked(r.text, "cert", "national_5a_scenic")
    # why each plan fits says the grab bars, the vocabulary's words
    zh, en = ROOM_FACT_LABELS["grab_bars"]
    assert (zh if lang == "zh-CN" else en.lower()) in r.text


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_a_need_the_api_refuses_is_said_beside_its_box(pages, lang):  # noqa: F811
    """Read by ``NeedsIn``: a box given another value than ``yes`` (a flag is a boolean)
    and a certification the catalogue does not publish are said beside their fields,
    never planned as "not needed"."""
    r = pages.get(
        "/plan?" + urlencode({**_WINDOW, "step_free": "maybe"}), headers={"Accept-Language": lang}
    )
    assert r.status_code == 422
    said = field_error(r.text, "step_free")
    assert said and refusals.validation_text("bool_type", lang) in said
    box = 'id="step_free" name="step_free" value="yes" aria-describedby="step_free-error"'
    assert box in r.text
    assert '<a href="#step_free">' in r.text  # and in the error summary, linked to the box
    api = pages.post("/v1/plans", json={**_BODY, "needs": {"step_free": "maybe"}}).json()
    assert api["field"] == "needs.step_free"
    query = urlencode([*_WINDOW.items(), ("cert", "moon_base")])
    r = pages.get(f"/plan?{query}", headers={"Accept-Language": lang})
    assert r.status_code == 422
    said = field_error(r.text, "cert")
    assert said and refusals.problem_text("unknown_certification", lang, "") in said
    api = pages.post("/v1/plans", json={**_BODY, "needs": {"certifications": ["moon_base"]}})
    assert api.json()["code"] == "unknown_certification"


@pytest.mark.parametrize(
    ("lang", "words"),
    [("en", "without step-free access: from "), ("zh-CN", "不要求无台阶（无障碍）通行：总价 ¥")],
)
def test_a_relaxation_that_drops_a_room_need_keeps_the_others(pages, lang, words):  # noqa: F811
    """Folk culture for 28 nights with step-free access and grab bars: no plan; the
    planner offers to drop the step-free access, and its link plans the rest (the grab
    bars still needed, ticked)."""
    link = {**_WINDOW, "themes": "folk_culture", "step_free": "yes", "grab_bars": "yes"}
    r = pages.get("/plan?" + urlencode(link), headers={"Accept-Language": lang})
    assert r.status_code == 200
    body = {**_BODY, "themes": ["folk_culture"], "needs": {"grab_bars": True}}
    followed, _api = _followed(pages, r.text, words, lang, body)
    assert _checked(followed.text, "grab_bars") and not _checked(followed.text, "step_free")


def test_the_links_keep_every_need():
    """The re-plan links (``_replan_url``) keep the needs the form has, ticked or chosen,
    when they change something else."""
    values = plan_page._defaults(Clock().today())
    values |= {k: "yes" for k in plan_page.NEEDS} | {"cert": ["forest_healing_base"]}
    url = plan_page._replan_url(values, {"units": 2})
    query = parse_qs(urlsplit(url).query)
    assert {k: query[k] for k in plan_page.NEEDS} == {k: ["yes"] for k in plan_page.NEEDS}
    assert query["cert"] == ["forest_healing_base"] and query["units"] == ["2"]
