"""Links into the planner and the destinations list, and the addresses a refused form
leaves in the address bar (a newcomer's findings, December 2026), on both databases and
in both languages:

* a nearest-hospital distance that is none of the select's choices (a partner's link
  with ``hospital_km=15``, the README's example) is searched by both pages alike and
  shown chosen in the select, so the next search from the form keeps it; what is no
  distance is refused beside the select by both, in the same words;
* a link with an end date but no start says the start is missing beside it, as one
  with a start and no end says the end;
* a budget written as people write money (``5000元``, ``¥5000``, ``1.5万``) is read
  as they mean it, and what still cannot be read is said with examples;
* a refused ``min_nights_per_stay`` is said as the nights at each place, not as the
  number of places;
* a GET of a page address that only takes a POST is a 303 to the page its form lives
  on, not a 405.
"""

import re
from urllib.parse import urlencode

import pytest

from service.console import forms as console_forms
from service.pages import forms
from service.plans.schemas import PlanIn
from tests.service.test_pages_plan import _plan_errors, _window
from tests.service.test_pages_trip import PRODUCT, field_error, pages, pages_db  # noqa: F401

LANGS = ("zh-CN", "en")


def _selected_km(html: str) -> list[str]:
    select = re.search(r'<select id="hospital_km".*?</select>', html, re.S).group(0)
    return re.findall(r'<option value="([^"]*)" selected>', select)


def _offered_km(html: str) -> list[str]:
    select = re.search(r'<select id="hospital_km".*?</select>', html, re.S).group(0)
    return re.findall(r'<option value="([^"]*)"', select)


@pytest.mark.parametrize(
    ("typed", "shown"), [("7", "7"), ("15", "15"), ("3", "3"), ("10.0", "10"), ("7.5", "7.5")]
)
def test_a_distance_not_in_the_list_is_searched_and_shown_chosen_on_both_pages(
    pages,  # noqa: F811
    typed,
    shown,
):
    start, end = _window()
    for lang in LANGS:
        headers = {"Accept-Language": lang}
        plan = _plan_errors(pages, lang, hospital_km=typed)
        assert plan.status_code == 200, plan.text
        assert _selected_km(plan.text) == [shown]
        offered = _offered_km(plan.text)
        assert offered == ["", *sorted({"5", "10", "20", "50", shown}, key=float)]
        within = {"zh-CN": f"{shown} 公里以内", "en": f"Within {shown} km"}[lang]
        assert f'<option value="{shown}" selected>{within}</option>' in plan.text
        listed = pages.get(f"/destinations?hospital_km={typed}", headers=headers)
        assert listed.status_code == 200, field_error(listed.text, "hospital_km")
        assert _selected_km(listed.text) == [shown] and _offered_km(listed.text) == offered
        # the list is the API's list for that distance
        api = pages.get(f"/v1/destinations?hospital_within_km={shown}&limit=100").json()
        slugs = re.findall(r'href="/destinations/([^"?#]+)"', listed.text)
        assert set(slugs) == {d["slug"] for d in api["items"]}


def test_the_planner_applies_the_distance_the_select_shows(pages):  # noqa: F811
    """The plans say the distance asked for, and the form sends it again."""
    html = _plan_errors(pages, "zh-CN", hospital_km="15").text
    assert "要求不超过 15 公里" in html
    assert _selected_km(html) == ["15"]


@pytest.mark.parametrize("typed", ["abc", "0", "-3", "501", "nan"])
def test_what_is_no_distance_is_refused_beside_the_select_alike_on_both_pages(
    pages,  # noqa: F811
    typed,
):
    for lang, words in (("zh-CN", "请从列表中选择。"), ("en", "Please choose from the list.")):
        plan = _plan_errors(pages, lang, hospital_km=typed)
        listed = pages.get(
            "/destinations?" + urlencode({"hospital_km": typed}), headers={"Accept-Language": lang}
        )
        for r in (plan, listed):
            assert r.status_code == 422
            assert words in field_error(r.text, "hospital_km")
            assert _selected_km(r.text) == [] and _offered_km(r.text) == ["", "5", "10", "20", "50"]


@pytest.mark.parametrize(
    ("lang", "words"), [("zh-CN", "请填写此项。"), ("en", "Please fill this in.")]
)
def test_a_missing_start_is_said_beside_it_as_a_missing_end_is(pages, lang, words):  # noqa: F811
    start, end = _window()
    headers = {"Accept-Language": lang}
    no_start = pages.get(f"/plan?end={end}&guests=2", headers=headers)
    no_end = pages.get(f"/plan?start={start}&guests=2", headers=headers)
    assert no_start.status_code == no_end.status_code == 422
    assert words in field_error(no_start.text, "start")
    assert words in field_error(no_end.text, "end")
    assert field_error(no_start.text, "end") is None and field_error(no_end.text, "start") is None
    assert f'value="{end}"' in no_start.text  # the end kept as given


@pytest.mark.parametrize(
    ("typed", "fen"),
    [
        ("5000", 500_000),
        ("5000元", 500_000),
        ("¥5000", 500_000),
        ("￥5000", 500_000),
        ("5,000", 500_000),
        ("5，000", 500_000),
        ("１万", 1_000_000),
        ("1万", 1_000_000),
        ("1.5万", 1_500_000),
        ("1.5万元", 1_500_000),
        ("5千", 500_000),
        ("¥ 5,000.50", 500_050),
        (" 1.5 万元 ", 1_500_000),
        ("8000块", 800_000),
    ],
)
def test_money_is_read_as_people_write_it(typed, fen):
    assert forms.fen(typed) == fen
    assert console_forms.fen(typed) == fen  # the console's money fields read it alike


@pytest.mark.parametrize(
    "typed", ["abc", "5,00", "1.2.3", "5000.005", "万", "5万万", "²", "3 80", "1 万 5"]
)
def test_money_that_cannot_be_read_is_not_an_amount(typed):
    with pytest.raises(forms.NotAnAmount):
        forms.fen(typed)


def _totals(html: str) -> list[str]:
    return re.findall(r'id="plan-\d+-total">([^<]+)<', html)


def test_the_budget_box_reads_money_as_people_write_it(pages):  # noqa: F811
    plain = _plan_errors(pages, "zh-CN", budget="15000")
    assert plain.status_code == 200
    for typed in ("15000元", "¥15000", "￥15000", "15,000", "15，000", "1.5万", "15千"):
        r = _plan_errors(pages, "zh-CN", budget=typed)
        assert r.status_code == 200, (typed, field_error(r.text, "budget"))
        assert _totals(r.text) == _totals(plain.text), typed
        assert 'name="budget" type="text" value="15000"' in r.text, typed  # shown as read


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("zh-CN", "请按元填写金额，例如 5000、5,000、¥5000 或 1.5万。"),
        ("en", "Please enter an amount in yuan, e.g. 5000, 5,000 or ¥5000."),
    ],
)
def test_a_budget_that_cannot_be_read_is_said_with_examples(pages, lang, words):  # noqa: F811
    r = _plan_errors(pages, lang, budget="五千")
    assert r.status_code == 422 and field_error(r.text, "budget") == f"{_prefix(lang)}{words}"
    assert 'name="budget" type="text" value="五千"' in r.text  # kept as typed
    too_small = _plan_errors(pages, lang, budget="-1万")
    assert {"zh-CN": "太小", "en": "too small"}[lang] in field_error(too_small.text, "budget")


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("zh-CN", "数值太大：最大为 ¥100,000,000.00。"),
        ("en", "This number is too large (the largest allowed is ¥100,000,000.00)."),
    ],
)
def test_a_budget_over_the_largest_says_the_largest_in_yuan(pages, lang, words):  # noqa: F811
    """The budget is typed in yuan and sent as ``max_total_fen`` (at most 10^10 fen):
    its limit is said in yuan. It said "the largest allowed is 10000000000", the fen
    count, so a budget of 2亿 yuan read as a hundred times under the limit it broke
    (newcomer finding)."""
    largest = PlanIn.model_fields["max_total_fen"].metadata
    assert [m.le for m in largest if hasattr(m, "le")] == [10**10]  # ¥100,000,000.00
    for typed in ("200000000", "20000万"):
        r = _plan_errors(pages, lang, budget=typed)
        assert r.status_code == 422
        assert field_error(r.text, "budget") == f"{_prefix(lang)}{words}", typed
    at_limit = _plan_errors(pages, lang, budget="100000000")  # the largest itself is read
    assert field_error(at_limit.text, "budget") is None


def _prefix(lang: str) -> str:
    return {"zh-CN": "错误：", "en": "Error: "}[lang]


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("zh-CN", "每个地方至少住几晚：链接里给的是“abc”。请填写整数。再次查找时不带这一条。"),
        (
            "en",
            "Nights at each place: The link gives “abc”. Please enter a whole number. "
            "Searching again leaves it out.",
        ),
    ],
)
def test_a_bad_nights_per_stay_is_said_as_the_nights_at_each_place(pages, lang, words):  # noqa: F811
    r = _plan_errors(pages, lang, min_nights_per_stay="abc")
    assert r.status_code == 422
    assert field_error(r.text, "min_nights_per_stay") == f"{_prefix(lang)}{words}"
    assert field_error(r.text, "max_stays") is None  # the choice of places is fine
    summary = re.search(r'id="error-summary".*?</div>', r.text, re.S).group(0)
    assert f'<a href="#max_stays">{words}</a>' in summary
    assert "最多住几个地方" not in summary and "At most how many places" not in summary
    assert 'name="min_nights_per_stay"' not in r.text  # not sent again


# Every page address that only takes a POST, and the page its form lives on.
POST_ONLY = [
    (f"/products/{PRODUCT}/quote", f"/products/{PRODUCT}"),
    ("/plan/choose", "/plan"),
    ("/quotes/00000000-0000-0000-0000-000000000000/again",
     "/quotes/00000000-0000-0000-0000-000000000000"),
    ("/manage/forget", "/manage"),
    ("/console/logout", "/console"),
    ("/console/bookings/JL-7K3Q9M/retry-refund", "/console/bookings/JL-7K3Q9M"),
    ("/console/bookings/JL-7K3Q9M/stay-status", "/console/bookings/JL-7K3Q9M"),
    ("/console/calendar/apply", "/console/calendar"),
    ("/console/calendar/preview", "/console/calendar"),
    ("/console/products/1/active", "/console/products/1"),
    ("/console/products/1/packs", "/console/products/1"),
    ("/console/products/1/seasons", "/console/products/1"),
    ("/console/products/1/seasons/2", "/console/products/1"),
    ("/console/rules/1/retire", "/console/rules/1"),
    ("/console/rules/1/versions", "/console/rules/1"),
]  # fmt: skip


@pytest.mark.parametrize(("post_only", "home"), POST_ONLY)
def test_a_get_of_a_post_only_page_address_leads_to_its_forms_page(pages, post_only, home):  # noqa: F811
    for method in ("GET", "HEAD"):
        r = pages.request(method, post_only, follow_redirects=False)
        assert (r.status_code, r.headers.get("location")) == (303, home), (method, r.text[:200])
    assert pages.get(home, follow_redirects=False).status_code != 405


def test_the_refused_quote_forms_address_reloaded_is_the_product_page(pages):  # noqa: F811
    for lang, title in (("zh-CN", "长白山"), ("en", "Changbai")):
        r = pages.get(f"/products/{PRODUCT}/quote", headers={"Accept-Language": lang})
        assert r.status_code == 200 and title in r.text
        assert str(r.url).endswith(f"/products/{PRODUCT}")
        r = pages.get("/plan/choose", headers={"Accept-Language": lang})
        assert r.status_code == 200 and str(r.url).endswith("/plan")


def test_a_wrong_method_elsewhere_is_still_the_405_page(pages):  # noqa: F811
    """Only a GET is sent on to the form's page: a PUT stays a 405, and an API path a
    problem document."""
    assert pages.put("/plan/choose", follow_redirects=False).status_code == 405
    assert pages.put(f"/products/{PRODUCT}", follow_redirects=False).status_code == 405
    r = pages.get("/v1/quotes", follow_redirects=False)
    assert r.status_code == 405 and r.headers["content-type"].startswith("application/problem")
