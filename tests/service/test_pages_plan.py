"""The planner pages through TestClient on both databases: the form, the ranked plans
(what ``POST /v1/plans`` returns for the same request), choosing a plan (a quote of the
same total) and errors beside their field."""

import re
from datetime import date, timedelta
from html import unescape
from urllib.parse import urlencode

import pytest

from service.clock import Clock
from service.pages import messages
from tests.service.test_pages_trip import _quote, csrf, field_error, pages, pages_db  # noqa: F401


def _window() -> tuple[str, str]:
    start = Clock().today() + timedelta(days=90)
    return start.isoformat(), (start + timedelta(days=35)).isoformat()


def test_the_form_renders_in_both_languages(pages):  # noqa: F811
    assert "规划几周的行程" in pages.get("/plan").text
    assert (
        "Plan a trip of several weeks" in pages.get("/plan", headers={"Accept-Language": "en"}).text
    )


def test_plans_are_the_apis_and_choosing_one_quotes_its_total(pages):  # noqa: F811
    start, end = _window()
    params = {"start": start, "end": end, "nights": "28", "guests": "2", "max_stays": "2"}
    html = pages.get("/plan?" + urlencode(params)).text
    api = pages.post(
        "/v1/plans",
        json={
            "earliest_check_in": start,
            "latest_check_out": end,
            "nights": 28,
            "guests": 2,
            "max_stays": 2,
        },
    ).json()
    assert api["plans"], api
    shown = re.findall(r'id="plan-\d+-total">([^<]+)<', html)
    assert shown == [f"¥{p['total_fen'] // 100:,}.{p['total_fen'] % 100:02d}" for p in api["plans"]]
    first = re.search(r'name="quote_request" value="([^"]+)"', html).group(1)
    from html import unescape

    r = pages.post(
        "/plan/choose",
        data={"csrf_token": csrf(html), "quote_request": unescape(first)},
        follow_redirects=False,
    )
    assert r.status_code == 303
    quote = pages.get("/v1" + r.headers["location"]).json()
    assert quote["total_fen"] == api["plans"][0]["total_fen"]


def test_nights_left_empty_fits_the_dates_as_the_hint_says(pages):  # noqa: F811
    """The home page's "Start planning" (no nights): the plans fill the window, the
    page says so, and they are the API's for the same request without nights."""
    start, end = _window()
    params = {"start": start, "end": end, "guests": "2", "max_stays": "3"}
    for lang, words in (
        ("en", "No length given: the plans fill your dates, 35 nights."),
        ("zh-CN", "未填写晚数：行程住满您的日期，共35晚。"),
    ):
        html = pages.get("/plan?" + urlencode(params), headers={"Accept-Language": lang}).text
        assert f'<p id="plan-fitted">{words}</p>' in html
    body = {"earliest_check_in": start, "latest_check_out": end, "guests": 2, "max_stays": 3}
    api = pages.post("/v1/plans", json=body).json()
    assert [p["nights"] for p in api["plans"]] == [35] * 5
    shown = re.findall(r'id="plan-\d+-total">([^<]+)<', html)
    assert shown == [f"¥{p['total_fen'] // 100:,}.{p['total_fen'] % 100:02d}" for p in api["plans"]]
    params["nights"] = "28"
    assert 'id="plan-fitted"' not in pages.get("/plan?" + urlencode(params)).text


def test_nights_left_empty_on_dates_over_90_days_apart_asks_for_the_nights(pages):  # noqa: F811
    start = Clock().today() + timedelta(days=90)
    end = (start + timedelta(days=91)).isoformat()
    for lang, words in (
        ("en", "For dates more than 90 days apart, give the nights in all, or closer dates."),
        ("zh-CN", "日期相隔超过 90 天时，请填写一共住几晚，或缩短日期范围。"),
    ):
        params = {"start": start.isoformat(), "end": end, "guests": "2"}
        r = pages.get("/plan?" + urlencode(params), headers={"Accept-Language": lang})
        assert r.status_code == 422
        assert field_error(r.text, "nights").endswith(words)
    params = {"start": start.isoformat(), "end": end, "guests": "2", "nights": "28"}
    assert pages.get("/plan?" + urlencode(params)).status_code == 200


def test_a_window_in_the_past_is_said_beside_the_start(pages):  # noqa: F811
    params = {"start": "2020-01-01", "end": "2020-02-01", "guests": "2", "max_stays": "3"}
    r = pages.get("/plan?" + urlencode(params), headers={"Accept-Language": "en"})
    assert r.status_code == 422
    assert field_error(r.text, "start") == "Error: The earliest check-in cannot be in the past."


def test_a_forged_plan_choice_is_refused_by_the_quote_model(pages):  # noqa: F811
    html = pages.get("/manage").text  # any page with a form carries the token
    r = pages.post("/plan/choose", data={"csrf_token": csrf(html), "quote_request": '{"x": 1}'})
    assert r.status_code == 422


def test_dates_shorter_than_the_shortest_stay_are_said_beside_the_end(pages):  # noqa: F811
    start = Clock().today() + timedelta(days=90)
    params = {"start": start.isoformat(), "end": (start + timedelta(days=2)).isoformat()}
    params.update({"nights": "", "guests": "2"})
    for lang, words in (
        ("en", "Error: These dates are shorter than the shortest stay (7 nights)"),
        ("zh-CN", "这段日期比最短的住宿（7 晚）还短"),
    ):
        r = pages.get("/plan?" + urlencode(params), headers={"Accept-Language": lang})
        assert r.status_code == 422
        assert words in field_error(r.text, "end")
        assert field_error(r.text, "nights") is None


def _plan_errors(pages, lang, **over):  # noqa: F811
    start, end = _window()
    params = {"start": start, "end": end, "nights": "28", "guests": "2", **over}
    r = pages.get("/plan?" + urlencode(params), headers={"Accept-Language": lang})
    return r


def test_numbers_out_of_range_are_too_small_or_too_large_in_the_pages_language(pages):  # noqa: F811
    for field, value, en, zh in (
        ("nights", "-5", "Fewer nights than the shortest stay", "晚数比最短的住宿"),
        ("guests", "-2", "too small", "太小"),
        ("budget", "-100", "too small", "太小"),
        ("nights", "99999999999999999999", "too large", "太大"),
        ("guests", "1000", "too large", "太大"),
    ):
        r = _plan_errors(pages, "en", **{field: value})
        assert r.status_code == 422, (field, value)
        assert en in field_error(r.text, field), (field, value, field_error(r.text, field))
        r = _plan_errors(pages, "zh-CN", **{field: value})
        assert zh in field_error(r.text, field), (field, value)


def test_full_width_digits_from_a_chinese_input_method_are_numbers(pages):  # noqa: F811
    typed = _plan_errors(pages, "zh-CN", nights="２８", guests="２", max_stays="２")
    plain = _plan_errors(pages, "zh-CN", nights="28", guests="2", max_stays="2")
    assert typed.status_code == plain.status_code == 200
    total = r'id="plan-\d+-total">([^<]+)<'
    assert re.findall(total, typed.text) == re.findall(total, plain.text) != []
    assert _plan_errors(pages, "zh-CN", nights="2８").status_code == 200


def _section(html: str, heading: str) -> str:
    parts = re.findall(rf"<h4>{re.escape(heading)}</h4>(.*?)</ul>", html, re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", p) for p in parts)


def test_a_relaxation_says_its_cheapest_total_once(pages):  # noqa: F811
    start, end = _window()
    params = {"start": start, "end": end, "nights": "28", "guests": "2", "budget": "1"}
    for lang in ("en", "zh-CN"):
        html = pages.get("/plan?" + urlencode(params), headers={"Accept-Language": lang}).text
        items = re.findall(r"<li>(.*?)</li>", html.split('class="stack"')[1], re.S)
        budget = [i for i in items if "budget" in i or "预算" in i]
        assert budget, html
        assert len(re.findall(r"¥[\d,]+\.\d\d", budget[0])) == 1, budget[0]


def test_nudges_say_dates_as_the_page_does(pages):  # noqa: F811
    start, end = _window()
    params = {"start": start, "end": end, "nights": "28", "guests": "2", "max_stays": "2"}
    said = {}
    for lang, heading in (("en", "Ways to pay less"), ("zh-CN", "再省一点")):
        html = pages.get("/plan?" + urlencode(params), headers={"Accept-Language": lang}).text
        said[lang] = _section(html, heading)
        assert said[lang].strip(), html
        assert not re.search(r"\d{4}-\d\d-\d\d", said[lang]), said[lang]
    assert re.search(r"(Start on|Book by) \w{3} \d\d \w{3} \d{4}", said["en"]), said["en"]
    assert re.search(r"\d{4}年\d+月\d+日（周.）", said["zh-CN"]), said["zh-CN"]
    assert "不在" not in said["zh-CN"]  # it read 「改为…入住，不在…」
    if "改为" in said["zh-CN"]:
        assert re.search(r"改为\d{4}年\d+月\d+日（周.）入住，比原定(提前|推迟)\d天", said["zh-CN"])
    # our words say 预订; a rule is named as published (the demo's 「预定优惠」)
    assert "预定" not in re.sub(r"「[^」]*」", "", said["zh-CN"])


def test_the_product_page_says_the_discount_cap_in_plain_english(pages):  # noqa: F811
    from tests.service.test_pages_trip import PRODUCT

    html = pages.get(f"/products/{PRODUCT}", headers={"Accept-Language": "en"}).text
    assert "Room-charge discount limit" in html
    assert "Most the stay" not in html


def test_a_change_within_one_destination_reads_as_staying_on(pages):  # noqa: F811
    start, end = _window()
    body = {"earliest_check_in": start, "latest_check_out": end, "nights": 28, "guests": 2}
    body.update({"max_stays": 3, "limit": 20})
    for lang, words in (("en", "Stay on at "), ("zh-CN", "在同一目的地换住处")):
        api = pages.post("/v1/plans", json=body, headers={"Accept-Language": lang}).json()
        same = [
            leg
            for p in api["plans"]
            for leg in p["legs"]
            if leg["from_destination"]["id"] == leg["to_destination"]["id"]
        ]
        assert same, "expected a change within one destination among the 20 cheapest"
        assert all(words in leg["note"] for leg in same)
    params = {"start": start, "end": end, "nights": "28", "guests": "2", "max_stays": "3"}
    html = pages.get("/plan?" + urlencode(params), headers={"Accept-Language": "en"}).text
    for a, b in re.findall(r"<li>([^<>→]+?) → ([^<>,]+?),", html):
        assert a.strip() != b.strip(), (a, b)


def test_the_page_plans_no_product_twice(pages):  # noqa: F811
    start, end = _window()
    params = {"start": start, "end": end, "nights": "28", "guests": "2", "max_stays": "3"}
    html = pages.get("/plan?" + urlencode(params), headers={"Accept-Language": "en"}).text
    cards = html.split('<li class="card plan">')[1:]
    assert len(cards) == 5
    for card in cards:
        slugs = re.findall(r'<strong><a class="standalone" href="/products/([^"]+)"', card)
        assert slugs and len(set(slugs)) == len(slugs), slugs


def test_why_it_fits_says_each_reason_once_and_which_stay_it_belongs_to(pages):  # noqa: F811
    start, end = _window()
    params = {"start": start, "end": end, "nights": "28", "guests": "2", "max_stays": "3"}
    params.update({"hospital_km": "20", "settlement": "yes"})
    for lang, heading, every in (
        ("en", "Why it fits", "Every stay"),
        ("zh-CN", "为什么适合您", "每段住宿都满足"),
    ):
        html = pages.get("/plan?" + urlencode(params), headers={"Accept-Language": lang}).text
        cards = html.split('<li class="card plan">')[1:]
        assert cards
        multi = 0
        for card in cards:
            why = card.split(f"<h4>{heading}</h4>")[1].split("<form")[0]
            reasons = re.findall(r"<li>(.*?)</li>", why, re.S)
            groups = re.findall(r'<p class="fit-group"><strong>(.*?)</strong>', why)
            for group_reasons in why.split('<p class="fit-group">')[1:]:
                lines = re.findall(r"<li>(.*?)</li>", group_reasons, re.S)
                assert len(lines) == len(set(lines)), lines
            if groups:
                multi += 1
                assert all(g == every or re.match(r"(Stay|第 )\s?\d", g) for g in groups), groups
            assert reasons
        assert multi, "expected a plan of several stays"


def test_a_destinations_filter_not_offered_is_a_422_said_beside_it_and_not_kept(pages):  # noqa: F811
    honest = pages.get("/destinations", headers={"Accept-Language": "en"}).text
    names = re.findall(r'<a[^>]+href="/destinations/([a-z0-9-]+)"', honest)
    for query, field in (
        ("hospital_km=-1", "hospital_km"),
        ("theme=nonsense", "theme"),
        ("cert=zzz", "cert"),
    ):
        for _ in range(2):  # the second answer too: an error page is never kept as a 200
            r = pages.get(f"/destinations?{query}", headers={"Accept-Language": "en"})
            assert r.status_code == 422, query
            assert field_error(r.text, field) == "Error: Please choose from the list."
            assert re.findall(r'<a[^>]+href="/destinations/([a-z0-9-]+)"', r.text) == names
    assert pages.get("/destinations?theme=hot_spring").status_code == 200


def test_a_phone_with_letters_is_said_to_be_no_phone_number_on_the_book_form(pages):  # noqa: F811
    from tests.service.test_pages_trip import _book, _quote

    r, _ = _book(pages, _quote(pages).headers["location"], lead_phone="abc")
    assert r.status_code == 422
    assert field_error(r.text, "lead_phone") == (
        "错误：请填写电话号码：只写数字，可以 + 开头，数字之间可有空格、短横线或括号。"
    )


def test_a_party_no_room_holds_is_said_with_a_link_to_plan_with_more_rooms(pages):  # noqa: F811
    start, end = _window()
    params = {"start": start, "end": end, "guests": "20", "max_stays": "3"}
    for lang, words in (("en", "20 guests do not fit in 1 room or bed"), ("zh-CN", "20位住客")):
        html = pages.get("/plan?" + urlencode(params), headers={"Accept-Language": lang}).text
        assert words in html
        assert "No product meets" not in html and "没有产品同时满足" not in html
    links = re.findall(r'href="(/plan\?[^"]*units=(\d+)[^"]*)"', html)
    assert links, html
    url, units = links[0]
    more = pages.get(url.replace("&amp;", "&")).text
    field = re.search(r'<input[^>]*name="units"[^>]*>', more).group(0)
    assert f'value="{units}"' in field
    assert re.findall(r'id="plan-\d+-total"', more)


def test_a_route_is_named_in_the_pages_language_and_an_unknown_one_not_echoed(pages):  # noqa: F811
    start, end = _window()
    params = {"start": start, "end": end, "guests": "2", "route": "changbai-forest-corridor"}
    for lang, words in (
        ("zh-CN", "按精品线路规划：长白山森林疗愈走廊"),
        ("en", "Planning along the curated route: Changbai forest-healing corridor"),
    ):
        html = pages.get("/plan?" + urlencode(params), headers={"Accept-Language": lang}).text
        assert words in html
        assert 'name="route" value="changbai-forest-corridor"' in html  # kept for the next search
    r = pages.get("/plan?" + urlencode({**params, "route": "nope"}))
    assert r.status_code == 422
    assert "没有这条精品线路。" in r.text
    assert "按精品线路规划" not in r.text  # not said as a route
    assert 'value="nope"' not in r.text  # nor sent with the next search
    for control in ("\x00", "abc\x00def", "a\x1fb"):  # never looked up: PostgreSQL
        r = pages.get("/plan?" + urlencode({**params, "route": control}))  # refuses a NUL
        assert r.status_code == 422, (control, r.status_code)


def _loosely(day: date) -> list[str]:
    """``day`` as people type it: full width, slashes, dots, no leading zeros, 年月日."""
    y, m, d = day.year, day.month, day.day
    iso = day.isoformat()
    full = iso.translate(str.maketrans("0123456789-", "０１２３４５６７８９－"))
    return [full, full[:4] + iso[4:], f"{y}/{m:02d}/{d:02d}", f"{y}-{m}-{d}", f"{y}.{m}.{d}",
            f"{y}年{m}月{d}日", f"{y}年{m}月{d}号", f"{y}{m:02d}{d:02d}"]  # fmt: skip


def test_the_planner_and_the_quote_form_read_a_date_as_people_type_it(pages):  # noqa: F811
    start = Clock().today() + timedelta(days=91)
    for typed in _loosely(start):
        r = _plan_errors(pages, "zh-CN", start=typed)
        assert r.status_code == 200, (typed, field_error(r.text, "start"))
        assert f'value="{start.isoformat()}"' in r.text  # put back as the date field shows it
        r = _quote(pages, check_in=typed)
        assert r.status_code == 303, (typed, field_error(r.text, "check_in"))


# What is wrong with a date that is none, said as the API says it (its field message):
# the format with its example, no such month, no such day, or the service's years.
_NO_DAY = ("没有这个日期：该月没有这一天。", "There is no such date: that month has no such day.")
_NOT_DAYS = {
    "2027/1-5": ("请按 年-月-日 填写日期", "Please enter a date as YYYY-MM-DD"),
    "27-1-5": ("请按 年-月-日 填写日期", "Please enter a date as YYYY-MM-DD"),
    "soon": ("请按 年-月-日 填写日期", "Please enter a date as YYYY-MM-DD"),
    "2027-02-29": _NO_DAY,
    "2027年2月30号": _NO_DAY,
    "20270229": _NO_DAY,
    "2027-13-01": ("没有这个月份（月份为 01 至 12）", "no such month: months are 01 to 12"),
    "1999-01-01": ("2000-01-01 至 2100-12-31", "between 2000-01-01 and 2100-12-31"),
    # Year 0 is no year of date(): outside the service's years, not "no such day".
    "0000-01-01": ("2000-01-01 至 2100-12-31", "between 2000-01-01 and 2100-12-31"),
    "00000101": ("2000-01-01 至 2100-12-31", "between 2000-01-01 and 2100-12-31"),
}  # fmt: skip


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
@pytest.mark.parametrize("typed", list(_NOT_DAYS))
def test_a_date_that_is_none_is_said_alike_with_why_on_both_forms(pages, lang, typed):  # noqa: F811
    words = _NOT_DAYS[typed][0 if lang == "zh-CN" else 1]
    r = _plan_errors(pages, lang, start=typed, end=typed)
    assert r.status_code == 422
    assert words in field_error(r.text, "start")
    assert field_error(r.text, "start") == field_error(r.text, "end")
    assert typed in r.text  # the form as typed
    r = _quote(pages, lang, check_in=typed)
    assert r.status_code == 422
    assert field_error(r.text, "check_in") == field_error(
        _plan_errors(pages, lang, start=typed).text, "start"
    )
    assert words in field_error(r.text, "check_in")


def test_the_pages_say_no_such_day_in_the_apis_words(pages):  # noqa: F811
    from service.validation_messages import NO_SUCH_DATE

    body = {"earliest_check_in": "2027-02-29", "latest_check_out": "2027-04-01", "guests": 2}
    for lang, i in (("zh-CN", 0), ("en", 1)):
        api = pages.post("/v1/plans", json=body, headers={"Accept-Language": lang}).json()
        assert NO_SUCH_DATE["day"][i] in api["errors"][0]["message"]
        page = _plan_errors(pages, lang, start="2027-02-29")
        assert NO_SUCH_DATE["day"][i] in field_error(page.text, "start")


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_the_price_calendar_says_why_its_from_is_no_date(pages, lang):  # noqa: F811
    why = _NOT_DAYS["2027-02-29"][0 if lang == "zh-CN" else 1]
    r = pages.get(
        "/products/changbaishan-north-forest-cabin?from=2027-02-29",
        headers={"Accept-Language": lang},
    )
    assert r.status_code == 200 and why in r.text
    words = messages.TEXT["p_calendar_invalid"][0 if lang == "zh-CN" else 1]
    assert words not in r.text
    r = pages.get(
        "/products/changbaishan-north-forest-cabin?from=soon", headers={"Accept-Language": lang}
    )
    assert words in r.text


@pytest.mark.parametrize(
    "lang, words, again",
    [
        ("zh-CN", "这个行程的日期已经过去", "按同样的人数和晚数重新规划"),
        ("en", "The dates of this trip have passed", "Plan again with the same party and length"),
    ],
)
def test_a_plan_whose_dates_have_passed_says_so_with_a_way_to_plan_again(
    pages,  # noqa: F811
    lang,
    words,
    again,
):
    import json
    from html import unescape

    start, end = _window()
    params = {"start": start, "end": end, "nights": "28", "guests": "3", "units": "2"}
    html = pages.get("/plan?" + urlencode(params), headers={"Accept-Language": lang}).text
    plan = json.loads(unescape(re.search(r'name="quote_request" value="([^"]+)"', html)[1]))
    shift = date.fromisoformat(plan["items"][0]["check_in"]) - date(2020, 1, 6)
    for item in plan["items"]:  # the same plan, shown on a day long gone
        for key in ("check_in", "check_out"):
            item[key] = (date.fromisoformat(item[key]) - shift).isoformat()
    for leg in plan["legs"]:
        leg["travel_date"] = (date.fromisoformat(leg["travel_date"]) - shift).isoformat()
    r = pages.post(
        "/plan/choose",
        data={"csrf_token": csrf(html), "quote_request": json.dumps(plan)},
        headers={"Accept-Language": lang},
    )
    assert r.status_code == 422
    assert words in r.text and "go back" not in r.text and "返回重试" not in r.text
    link = re.search(rf'<a class="button" href="([^"]+)">{again}</a>', r.text)
    assert link, r.text
    replan = pages.get(unescape(link[1]), headers={"Accept-Language": lang})
    assert replan.status_code == 200
    for field, value in (("nights", "28"), ("guests", "3"), ("units", "2")):
        assert re.search(rf'name="{field}" type="number" value="{value}"', replan.text), field
    assert re.findall(r'id="plan-\d+-total"', replan.text)  # plans on the new dates


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
@pytest.mark.parametrize("name", ["themes", "theme"])
def test_a_theme_not_in_the_list_is_said_beside_the_themes(pages, lang, name):  # noqa: F811
    words = messages.text_for(lang)("error_choice")
    r = _plan_errors(pages, lang, **{name: "nope"})
    assert r.status_code == 422 and words in field_error(r.text, "themes")
    r = pages.get(f"/plan?{name}=nope", headers={"Accept-Language": lang})
    assert r.status_code == 422 and words in field_error(r.text, "themes")
    r = pages.get(f"/plan?{name}=hot_spring", headers={"Accept-Language": lang})
    assert r.status_code == 200 and 'value="hot_spring" checked' in r.text
    assert field_error(r.text, "themes") is None


@pytest.mark.parametrize("lang, words", [("zh-CN", "最多 400 天"), ("en", "at most 400 days")])
def test_dates_spanning_too_long_say_the_limit(pages, lang, words):  # noqa: F811
    start = Clock().today() + timedelta(days=90)
    end = (start + timedelta(days=401)).isoformat()
    r = _plan_errors(pages, lang, start=start.isoformat(), end=end)
    assert r.status_code == 422 and words in field_error(r.text, "end")
    api = pages.post(
        "/v1/plans",
        json={"earliest_check_in": start.isoformat(), "latest_check_out": end, "guests": 2},
    )
    assert (api.json()["code"], api.json()["limit"]) == ("window_too_long", 400)


@pytest.mark.parametrize(
    "lang, words",
    [
        ("zh-CN", "错误：这段日期最多能住 32 晚：请少填几晚、不填，或把最晚离开日期往后放。"),
        (
            "en",
            "Error: These dates hold at most 32 nights: please enter fewer nights, leave this "
            "empty, or choose a later departure.",
        ),
    ],
)
def test_more_nights_than_the_dates_hold_say_how_many_they_hold(pages, lang, words):  # noqa: F811
    """42 nights from 29 February to 1 April (a leap year's day): the dates hold 32, and
    the page says so, the API's `limit`; until December 2026 it said "more nights than
    the dates allow", and a traveller had to count the days herself."""
    start = date(Clock().today().year + 2 - (Clock().today().year + 2) % 4, 2, 29)
    if start <= Clock().today():
        start = date(start.year + 4, 2, 29)
    end = date(start.year, 4, 1).isoformat()
    r = _plan_errors(pages, lang, start=start.isoformat(), end=end, nights="42")
    assert r.status_code == 422 and field_error(r.text, "nights") == words
    api = pages.post(
        "/v1/plans",
        json={
            "earliest_check_in": start.isoformat(),
            "latest_check_out": end,
            "guests": 2,
            "nights": 42,
        },
    )
    assert (api.json()["code"], api.json()["limit"]) == ("nights_exceed_window", 32)


@pytest.mark.parametrize("nights", ["0", "-3"])
def test_nights_below_one_say_the_shortest_stay_the_api_says(pages, nights):  # noqa: F811
    start, end = _window()
    api = pages.post(
        "/v1/plans",
        json={"earliest_check_in": start, "latest_check_out": end, "guests": 2, "nights": 1},
    ).json()
    shortest = api["shortest_stay_nights"]
    r = _plan_errors(pages, "en", nights=nights)
    assert r.status_code == 422
    said = field_error(r.text, "nights")
    assert f"shortest stay ({shortest} nights)" in said and "smallest allowed is 1" not in said


def test_a_plan_too_broad_to_search_is_said_beside_the_stays(pages):  # noqa: F811
    """The form has no nights-per-stay field (7): a too broad search asks for fewer stays,
    beside them, in the page's language."""
    start = Clock().today() + timedelta(days=30)
    params = {
        "start": start.isoformat(),
        "end": (start + timedelta(days=200)).isoformat(),
        "guests": "2",
        "nights": "150",
        "max_stays": "4",
    }
    for lang, words in (("en", "please narrow it: at most 3 stays."), ("zh-CN", "最多 3 段住宿。")):
        r = pages.get("/plan?" + urlencode(params), headers={"Accept-Language": lang})
        assert r.status_code == 422
        assert field_error(r.text, "max_stays").endswith(words)


def test_fewer_nights_in_all_is_a_link_that_plans_the_range(pages):  # noqa: F811
    """The relaxation to a range of nights (the API's ``{"nights": null, "min_nights":
    7, "max_nights": 28}``) is a link like the others: the form keeps the range hidden
    while the nights are empty, says it beside them, and plans it."""
    start, end = _window()
    params = {"start": start, "end": end, "nights": "28", "guests": "2", "max_stays": "2"}
    body = {
        "earliest_check_in": start,
        "latest_check_out": end,
        "nights": 28,
        "guests": 2,
        "max_stays": 2,
    }
    cheapest = pages.post("/v1/plans", json=body).json()["plans"][0]["total_fen"]
    params["budget"] = str((cheapest - 1) // 100)  # yuan: a plan of 28 nights costs more
    for lang, words in (
        ("en", "Left empty: 7 to 28 nights in all"),
        ("zh-CN", "不填则总晚数为 7 至 28 晚"),
    ):
        html = pages.get("/plan?" + urlencode(params), headers={"Accept-Language": lang}).text
        links = re.findall(r'<a class="button secondary" href="([^"]*min_nights=7[^"]*)"', html)
        assert len(links) == 1, html
        url = unescape(links[0])
        assert "max_nights=28" in url and "nights=28&" not in url and "nights=&" not in url
        ranged = pages.get(url, headers={"Accept-Language": lang})
        assert ranged.status_code == 200
        assert words in ranged.text
        assert '<input type="hidden" name="min_nights" value="7">' in ranged.text
        assert re.search(r'<input id="nights" name="nights" type="number" value=""', ranged.text)
        api = pages.post(
            "/v1/plans",
            json={
                **body,
                "nights": None,
                "min_nights": 7,
                "max_nights": 28,
                "max_total_fen": int(params["budget"]) * 100,
            },
        ).json()
        shown = re.findall(r'id="plan-\d+-total">([^<]+)<', ranged.text)
        assert shown and shown == [
            f"¥{p['total_fen'] // 100:,}.{p['total_fen'] % 100:02d}" for p in api["plans"]
        ]
        # typed nights plan exactly that many, and the range is dropped
        typed = pages.get(url + "&nights=14").text
        assert "min_nights" not in typed.split('id="plans"')[0].split("<form")[1]


def test_a_dropped_need_is_said_in_words_on_the_page(pages):  # noqa: F811
    """The page shows the API's relaxation text: the need in words, never its code."""
    start, end = _window()
    params = {"start": start, "end": end, "nights": "28", "guests": "2"}
    params |= {"hospital_km": "5", "themes": "ice_snow"}
    for lang, words in (
        ("zh-CN", "不要求离医院5公里以内：总价 ¥"),
        ("en", "without a hospital within 5 km: from ¥"),
    ):
        html = pages.get("/plan?" + urlencode(params), headers={"Accept-Language": lang}).text
        assert words in html, html
        assert "hospital_within_km" not in html


def test_a_distance_is_read_as_a_number_the_planner_takes(pages):  # noqa: F811
    # PlanIn takes JSON numbers only (as POST /v1/plans does): the page reads the text;
    # what is no distance the need takes is refused as the destinations list refuses it
    # (tests/service/test_pages_plan_links.py).
    for km in ("10.5", "１０.５", "15"):
        assert _plan_errors(pages, "en", hospital_km=km).status_code == 200, km
    for lang, words in (("en", "Please choose from the list."), ("zh-CN", "请从列表中选择。")):
        for km in ("abc", "-3", "0", "501"):
            r = _plan_errors(pages, lang, hospital_km=km)
            assert r.status_code == 422 and words in field_error(r.text, "hospital_km"), km
