"""The traveller forms after a refusal: the language switch posts the same form again
(no 405, nothing typed lost); the error summary lists each error as a link to its field,
in the page's order; every field is checked at once; what was typed comes back as it was
read (full-width digits as digits); a refusal says its limit and its culprit. TestClient
on both databases, the demo catalogue."""

import html as markup
import re
from datetime import date, timedelta
from urllib.parse import urlencode

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from service.app import create_app
from service.clock import Clock
from tests.service.test_pages_trip import PRODUCT, csrf, field_error, pages_db  # noqa: F401
from tests.service.test_pages_trip_states import _quote, _summary, pages  # noqa: F401
from tests.support.console import form_fields

FORM = "application/x-www-form-urlencoded"


def switch_form(page: str) -> tuple[str, list[tuple[str, str]]] | None:
    """The language switch of a page made in answer to a form: its address and fields."""
    found = re.search(
        r'<form class="lang-switch-form" method="post" action="([^"]+)">(.*?)</form>', page, re.S
    )
    if found is None:
        return None
    fields = re.findall(r'<input type="hidden" value="([^"]*)" name="([^"]*)">', found.group(2))
    return markup.unescape(found.group(1)), [
        (markup.unescape(n), markup.unescape(v)) for v, n in fields
    ]


def switch(client, page: str, **kwargs):
    """Press the language switch of ``page`` (a form posted again, as a browser sends it:
    its fields in order, the 307 followed with the same body)."""
    action, fields = switch_form(page)
    body = urlencode(fields).encode()
    return client.post(action, content=body, headers={"content-type": FORM}, **kwargs)


def switch_link(page: str) -> str | None:
    found = re.search(r'<a class="lang-switch" href="([^"]+)"', page)
    return markup.unescape(found.group(1)) if found else None


# --- the language switch of a page made in answer to a form ------------------------------


def test_a_refused_quote_form_switches_language_with_what_was_typed(pages):  # noqa: F811
    page = pages.get(f"/products/{PRODUCT}").text
    data = {"csrf_token": csrf(page), "check_in": "", "nights": "14", "guests": "2",
            "units": "1", "stubs": "ZZ-NOPE"}  # fmt: skip
    r = pages.post(f"/products/{PRODUCT}/quote", data=data)
    assert r.status_code == 422 and '<html lang="zh-CN">' in r.text
    assert field_error(r.text, "check_in") == "错误：请填写此项。"
    assert switch_link(r.text) is None  # not a link to the POST's address (a 405)
    action, fields = switch_form(r.text)
    assert action == f"/lang/en?next=/products/{PRODUCT}/quote"
    assert fields == list(data.items())  # as sent, the CSRF token included

    moved = switch(pages, r.text, follow_redirects=False)
    assert moved.status_code == 307 and moved.headers["location"] == f"/products/{PRODUCT}/quote"
    assert "lang=en" in moved.headers["set-cookie"]
    english = switch(pages, r.text)
    assert english.status_code == 422 and '<html lang="en">' in english.text
    assert field_error(english.text, "check_in") == "Error: Please fill this in."
    assert 'name="stubs" value="ZZ-NOPE"' in english.text
    assert 'id="guests" name="guests" value="2"' in english.text
    back = switch(pages, english.text)  # and back again, as often as wanted
    assert '<html lang="zh-CN">' in back.text
    assert field_error(back.text, "check_in") == "错误：请填写此项。"


def test_a_chosen_plan_refused_switches_language(pages):  # noqa: F811
    page = pages.get(f"/products/{PRODUCT}").text
    r = pages.post("/plan/choose", data={"csrf_token": csrf(page), "quote_request": "{}"})
    assert r.status_code == 422 and switch_form(r.text)[0] == "/lang/en?next=/plan/choose"
    english = switch(pages, r.text)
    assert english.status_code == 422 and '<html lang="en">' in english.text
    assert "Something in the link is not right" in english.text


def test_a_refused_sign_in_switches_language_with_the_reference_and_token(pages):  # noqa: F811
    page = pages.get("/manage").text
    data = {"csrf_token": csrf(page), "reference": "JL-7K3Q9M", "token": "7KQ2-NOPE"}
    r = pages.post("/manage", data=data)
    assert r.status_code == 422
    english = switch(pages, r.text)
    assert english.status_code == 422 and '<html lang="en">' in english.text
    assert 'name="reference" type="text" value="JL-7K3Q9M"' in english.text
    assert 'name="token" type="text" value="7KQ2-NOPE"' in english.text
    assert "7KQ2-NOPE" not in "".join(str(s.url) for s in english.history)  # never an address


def test_a_refused_booking_switches_language_by_replaying_its_refusal(pages_db):  # noqa: F811
    """The book form sent again with its idempotency key and the same body replays the
    refusal recorded for it (the same answer, now in English), and books nothing: the
    switch posts exactly what was sent."""
    assert pages_db.settings.max_anonymous_units_held_per_address == 6
    with TestClient(create_app(pages_db.settings, database=pages_db)) as client:
        client.cookies.set("lang", "zh-CN")
        location = _quote(client, "zh-CN", units="7", guests="7").headers["location"]
        page = client.get(location + "/book").text
        key = re.search(r'name="idempotency_key" value="([^"]+)"', page).group(1)
        data = {"csrf_token": csrf(page), "idempotency_key": key, "lead_name": "王秀兰",
                "lead_phone": "13912345678", "consent": "yes"}  # fmt: skip
        for i in range(6):
            data[f"guest_{i}"] = f"客人{i}"
        r = client.post(location + "/book", data=data)
        assert r.status_code == 409 and "这次预订同时需要 7 间房" in _summary(r.text)
        with pages_db.session() as s:
            count = s.execute(sa.text("SELECT count(*) FROM booking")).scalar_one()
        english = switch(client, r.text)
        assert english.status_code == 409 and '<html lang="en">' in english.text
        assert "This booking needs 7 rooms at once" in _summary(english.text)
        assert 'name="lead_name" type="text" value="王秀兰"' in english.text
        assert 'name="guest_5" type="text" value="客人5"' in english.text
        with pages_db.session() as s:
            assert s.execute(sa.text("SELECT count(*) FROM booking")).scalar_one() == count


def test_a_post_never_read_switches_to_its_get_page(pages):  # noqa: F811
    """A form refused before it is read (no CSRF token) has nothing to post again: the
    switch leads to its address's GET page where there is one, else to the page above it
    (the page its form lives on), else home."""
    r = pages.post("/manage", data={"reference": "JL-7K3Q9M"})
    assert r.status_code == 403 and switch_form(r.text) is None
    assert switch_link(r.text) == "/lang/en?next=/manage"
    r = pages.post(f"/products/{PRODUCT}/quote", data={"check_in": ""})
    # No GET page at the form's address: the page its form lives on (the product's).
    assert r.status_code == 403 and switch_link(r.text) == f"/lang/en?next=/products/{PRODUCT}"


def test_the_switch_posts_only_with_this_visitors_csrf_token(pages):  # noqa: F811
    r = pages.post(f"/lang/en?next=/products/{PRODUCT}/quote", data={"check_in": ""})
    assert r.status_code == 403
    r = pages.post("/lang/xx?next=/manage", data={"csrf_token": csrf(pages.get("/manage").text)})
    assert r.status_code == 422 and switch_link(r.text) == "/lang/en?next=/"


# --- the error summary: each error, a link to its field, in the page's order ---------------


def summary_links(page: str) -> list[tuple[str, str]]:
    """The error summary's (link target, words), in order."""
    found = re.search(r'<div class="form-summary"[^>]*>(.*?)</div>', page, re.S)
    return [
        (target, markup.unescape(words))
        for target, words in re.findall(r'<li><a href="#([^"]+)">(.*?)</a></li>', found.group(1))
    ]


def assert_summary_goes_to_fields(page: str, names: list[str]) -> None:
    """The summary lists the fields' own errors, in order, each named by its field and
    linked to an element of the page; the error beside each field is still there."""
    links = summary_links(page)
    assert len(links) == len(names), links
    for (target, words), name in zip(links, names, strict=True):
        assert f'id="{target}"' in page, target
        beside = markup.unescape(field_error(page, name)).removeprefix("错误：")
        beside = beside.removeprefix("Error: ")
        assert words.endswith(beside) and len(words) > len(beside), (name, beside, words)


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_the_book_forms_summary_links_every_error_in_order(pages, lang):  # noqa: F811
    pages.cookies.set("lang", lang)
    location = _quote(pages, lang, guests="3").headers["location"]
    page = pages.get(location + "/book").text
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page).group(1)
    data = {"csrf_token": csrf(page), "idempotency_key": key, "lead_name": "",
            "lead_phone": "abc", "guest_0": "😀"}  # fmt: skip
    r = pages.post(location + "/book", data=data)
    assert r.status_code == 422
    assert_summary_goes_to_fields(r.text, ["lead_name", "lead_phone", "guest_0", "consent"])
    assert [t for t, _ in summary_links(r.text)] == ["lead_name", "lead_phone", "guest_0",
                                                     "consent"]  # fmt: skip
    title = re.search(r"<title>(.*?)</title>", r.text).group(1)
    assert title.startswith("错误：" if lang == "zh-CN" else "Error: ")
    heading = "有以下问题" if lang == "zh-CN" else "There is a problem"
    first = {
        "zh-CN": "联系人姓名：请填写此项。",
        "en": "Lead traveller's name: Please fill this in.",
    }
    assert summary_links(r.text)[0][1] == first[lang]
    assert heading in re.search(r'<h2 class="form-summary-title">(.*?)</h2>', r.text).group(1)
    main = r.text[r.text.index("<main") :]
    assert main.index('id="error-summary"') < main.index("<h1>")  # the top of the page


def test_the_planners_summary_goes_to_the_first_theme_box(pages):  # noqa: F811
    r = pages.get("/plan?start=&end=2027-02-30&guests=&themes=nonsense")
    assert r.status_code == 422
    assert_summary_goes_to_fields(r.text, ["start", "end", "guests", "themes"])
    first_box = re.search(r'id="(theme-[a-z_]+)"', r.text).group(1)
    assert summary_links(r.text)[-1][0] == first_box


def test_the_sign_in_and_quote_forms_summaries(pages):  # noqa: F811
    page = pages.get("/manage").text
    r = pages.post("/manage", data={"csrf_token": csrf(page), "reference": "", "token": ""})
    assert_summary_goes_to_fields(r.text, ["reference", "token"])
    r = _quote(pages, "zh-CN", packs=["999"])
    assert r.status_code == 422
    first_pack = re.search(r'id="(pack-\d+)"', r.text).group(1)
    assert summary_links(r.text) == [(first_pack, "增值包：此产品不提供所选的增值包。")]
    main = r.text[r.text.index("<main") :]  # the form is far down the page: said on top
    assert main.index('id="error-summary"') < main.index("<h1>")


def test_a_problem_of_the_whole_form_is_listed_first_without_a_link(pages):  # noqa: F811
    page = pages.get("/manage").text
    data = {"csrf_token": csrf(page), "reference": "JL-7K3Q9M", "token": "7KQ2-M9XD-3FHT-0BWC"}
    r = pages.post("/manage", data=data)
    found = re.search(r'<div class="form-summary"[^>]*>(.*?)</div>', r.text, re.S).group(1)
    assert summary_links(r.text) == [] and "<li>" in found


def _survey_post(pages, *posts):  # noqa: F811
    """Book, sign in again the day after the stay and post each of ``posts`` (the survey
    form's fields, its CSRF token added; headers under ``_headers``) to the survey; the
    answers."""
    from datetime import date, datetime, timedelta

    from freezegun import freeze_time

    from tests.service.test_pages_trip import _book

    location = _quote(pages).headers["location"]
    check_out = date.fromisoformat(pages.get("/v1" + location).json()["items"][0]["check_out"])
    assert _book(pages, location)[0].status_code == 303
    first = pages.get("/manage").text
    reference = re.search(r'id="booking-reference"><strong>([^<]+)', first).group(1)
    token = re.search(r'id="booking-token"><strong>([^<]+)', first).group(1)
    pages.cookies.clear()
    answers = []
    with freeze_time(datetime.combine(check_out + timedelta(days=1), datetime.min.time())):
        form = pages.get("/manage").text  # signed in again: the cookie lasts 30 days
        data = {"csrf_token": csrf(form), "reference": reference, "token": token}
        assert pages.post("/manage", data=data, follow_redirects=False).status_code == 303
        for fields in posts:
            fields = dict(fields)
            headers = fields.pop("_headers", {})
            page = pages.get("/manage/survey", headers=headers).text
            data = {"csrf_token": csrf(page), **fields}
            answers.append(pages.post("/manage/survey", data=data, headers=headers))
    return answers


def test_the_surveys_summary_goes_to_the_first_choice_of_each_question(pages):  # noqa: F811
    (r,) = _survey_post(pages, {"item_index": "0", "overall": "", "food": "9"})
    assert r.status_code == 422
    assert [t for t, _ in summary_links(r.text)] == ["overall-5", "food-5"]
    assert summary_links(r.text)[0][1] == "总体满意度：请填写此项。"
    assert_summary_goes_to_fields(r.text, ["overall", "food"])


def test_a_survey_value_too_long_for_its_field_is_said_beside_it(pages):  # noqa: F811
    """A score of three characters or more, a stay's index of five digits, a comment past
    2,000 characters: the survey's form with each said beside its field, in the page's
    language, as a score of one digit too many always was (``SurveyIn``'s words). Until
    December 2026 the form's own ``max_length`` (2 for a score) answered before the
    handler with the generic page of a link, and the answer typed was lost."""
    too_long = {"item_index": "0", "overall": "100", "food": "很好很好", "value": "5" * 40,
                "comment": "住得很舒服。" * 400}  # fmt: skip
    zh, en, index = _survey_post(
        pages,
        too_long,
        {**too_long, "_headers": {"Accept-Language": "en"}},
        {"item_index": "12345", "overall": "5"},
    )
    for r in (zh, en):
        assert r.status_code == 422 and 'action="/manage/survey"' in r.text
        targets = {t for t, _ in summary_links(r.text)}
        assert targets == {"overall-5", "food-5", "value-5", "comment"}, targets
        for name in ("overall", "food", "value", "comment"):
            assert field_error(r.text, name), (name, r.text[:300])
    assert field_error(zh.text, "overall") == "错误：数值太大：最大为 5。"
    assert field_error(zh.text, "food") == "错误：请填写整数。"
    assert "500" in field_error(zh.text, "comment")
    assert field_error(en.text, "overall").startswith("Error: ")
    assert not re.search(r"[\u4e00-\u9fff]", field_error(en.text, "overall"))
    assert "住得很舒服。" in zh.text  # the comment typed comes back to be shortened
    assert index.status_code == 422 and field_error(index.text, "item_index")


# --- every field checked at once; required fields marked --------------------------------


def _quote_form(client, **fields):
    page = client.get(f"/products/{PRODUCT}").text
    data = {"csrf_token": csrf(page), "check_in": "", "nights": "14", "guests": "",
            "units": "", **fields}  # fmt: skip
    return client.post(f"/products/{PRODUCT}/quote", data=data)


@pytest.mark.parametrize(
    "fields, said",
    [
        ({}, {"check_in": "请填写此项。", "guests": "请填写此项。", "units": "请填写此项。"}),
        (
            {"check_in": "2027-13-01", "guests": "0", "units": "abc", "nights": "0"},
            {
                "check_in": "没有这个日期：没有这个月份（月份为 01 至 12）。",
                "nights": "请从列表中选择。",
                "guests": "数值太小：最小为 1。",
                "units": "请填写整数。",
            },
        ),
    ],
)
def test_the_quote_form_says_every_fields_error_at_once(pages, fields, said):  # noqa: F811
    r = _quote_form(pages, **fields)
    assert r.status_code == 422
    shown = {
        name: field_error(r.text, name)
        for name in ("check_in", "nights", "guests", "units", "packs", "stubs")
    }
    assert {k: v for k, v in shown.items() if v} == {k: "错误：" + v for k, v in said.items()}
    assert_summary_goes_to_fields(r.text, list(said))


def test_the_stays_rules_are_the_services_once_every_field_reads(pages):  # noqa: F811
    """Too many guests is the quote service's rule: asked once the fields read, never
    written again in the page."""
    r = _quote_form(pages, guests="40", units="1")
    assert field_error(r.text, "check_in") and not field_error(r.text, "guests")
    r = _quote_form(pages, check_in=_in_a_while(), guests="40", units="1")
    assert r.status_code == 422 and field_error(r.text, "guests")


def _in_a_while() -> str:
    return (Clock().today() + timedelta(days=230)).isoformat()


def test_required_fields_are_marked_on_every_traveller_form(pages):  # noqa: F811
    def marked(page: str) -> set[str]:
        return set(re.findall(r'<label (?:class="check" )?for="([^"]+)">[^<]*(?:<input[^>]*>'
                              r'[^<]*)?<span class="req">', page))  # fmt: skip

    assert marked(pages.get(f"/products/{PRODUCT}").text) == {
        "check_in", "nights", "guests", "units"
    }  # fmt: skip
    assert marked(pages.get("/plan").text) == {"start", "end", "guests"}
    assert marked(pages.get("/manage").text) == {"reference", "token"}
    location = _quote(pages).headers["location"]
    assert marked(pages.get(location + "/book").text) == {"lead_name", "lead_phone", "consent"}


# --- what was typed comes back as it was read ------------------------------------------

WIDE = str.maketrans("0123456789-,", "０１２３４５６７８９－，")


def test_the_planner_shows_full_width_numbers_back_as_digits(pages):  # noqa: F811
    from datetime import timedelta

    start = Clock().today() + timedelta(days=90)
    end = start + timedelta(days=35)
    query = {"start": start.isoformat().translate(WIDE), "end": end.isoformat(),
             "nights": "２８", "guests": "２", "units": "１", "max_stays": "２",
             "budget": "１，０００，０００"}  # fmt: skip
    r = pages.get("/plan?" + urlencode(query))
    assert r.status_code == 200 and 'id="plan-1-total"' in r.text  # read, and planned
    shown = dict(form_fields(r.text, "/plan"))
    assert [shown[n] for n in ("start", "nights", "guests", "units", "budget")] == [
        start.isoformat(), "28", "2", "1", "1000000"
    ]  # fmt: skip
    assert shown.get("max_stays") == "2"
    refused = pages.get("/plan?" + urlencode({**query, "guests": "－２"}))
    assert refused.status_code == 422 and dict(form_fields(refused.text, "/plan"))["guests"] == "-2"


def test_a_refused_quote_form_shows_what_was_typed_as_it_was_read(pages):  # noqa: F811
    check_in = _in_a_while()
    r = _quote_form(pages, check_in=check_in.translate(WIDE), nights="１４", guests="２",
                    units="１", stubs="ＺＺ－ＮＯＰＥ")  # fmt: skip
    assert r.status_code == 422 and field_error(r.text, "stubs")
    shown = dict(form_fields(r.text, f"/products/{PRODUCT}/quote"))
    assert shown["check_in"] == check_in
    assert [shown[n] for n in ("guests", "units", "stubs")] == ["2", "1", "ZZ-NOPE"]
    assert shown.get("nights") == "14"


def test_the_book_and_sign_in_forms_show_the_phone_and_reference_as_read(pages):  # noqa: F811
    location = _quote(pages).headers["location"]
    page = pages.get(location + "/book").text
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page).group(1)
    data = {"csrf_token": csrf(page), "idempotency_key": key, "lead_name": "王秀兰",
            "lead_phone": "１３９１２３４５６７８"}  # fmt: skip
    r = pages.post(location + "/book", data=data)
    assert r.status_code == 422 and field_error(r.text, "consent")
    assert dict(form_fields(r.text, location + "/book"))["lead_phone"] == "13912345678"
    page = pages.get("/manage").text
    data = {"csrf_token": csrf(page), "reference": "ｊｌ７ｋ３ｑ９ｍ", "token": "nope"}
    r = pages.post("/manage", data=data)
    assert r.status_code == 422 and dict(form_fields(r.text, "/manage"))["reference"] == "JL-7K3Q9M"


# --- a refusal says its limit and its culprit -------------------------------------------


def test_too_many_guests_is_a_problem_with_its_limit(pages):  # noqa: F811
    """The quote's problem carries the most guests the stay's units take (``limit``) and
    the units (``asked_units``), as the price calendar's does."""
    product = pages.get(f"/v1/products/{PRODUCT}").json()
    most = product["max_occupancy"]
    check_in = _in_a_while()
    later = (date.fromisoformat(check_in) + timedelta(days=14)).isoformat()
    item = {"product_id": product["id"], "check_in": check_in, "check_out": later,
            "guests": 40, "units": 2}  # fmt: skip
    r = pages.post("/v1/quotes", json={"items": [item]})
    assert r.status_code == 422
    problem = r.json()
    assert (problem["code"], problem["field"]) == ("too_many_guests", "items[0].guests")
    assert (problem["limit"], problem["asked_units"]) == (most * 2, 2)
    r = pages.get(f"/v1/products/{PRODUCT}/price-calendar",
                  params={"from": check_in, "to": later, "nights": 14, "guests": 40,
                          "units": 2})  # fmt: skip
    assert (r.json()["code"], r.json()["limit"], r.json()["asked_units"]) == (
        "too_many_guests", most * 2, 2
    )  # fmt: skip


@pytest.mark.parametrize(
    "lang, words",
    [
        ("zh-CN", "这里每间最多住 {per} 人，2 间最多住 {limit} 人；请减少人数或增加房间。"),
        ("en", "At most {per} guests per room here, so {limit} for 2 rooms; reduce the guests "
               "or add a room."),
    ],
)  # fmt: skip
def test_too_many_guests_says_the_most_a_room_takes(pages, lang, words):  # noqa: F811
    most = pages.get(f"/v1/products/{PRODUCT}").json()["max_occupancy"]
    pages.cookies.set("lang", lang)
    r = _quote_form(pages, check_in=_in_a_while(), guests="40", units="2")
    assert r.status_code == 422
    said = markup.unescape(field_error(r.text, "guests"))
    assert said.endswith(words.format(per=most, limit=most * 2)), said


@pytest.mark.parametrize(
    "stubs, lang, words",
    [
        ("cbn-0001, zz-9999", "zh-CN", "没有找到票根码 ZZ-9999，请核对。"),
        ("cbn-0001, zz-9999", "en",
         "We do not know the ticket-stub code ZZ-9999; please check it."),
        ("cbn-0001 CBN-0001", "zh-CN", "票根码 CBN-0001 填了两次：同一个票根码只能用一次。"),
    ],
)  # fmt: skip
def test_a_refused_ticket_stub_is_named_among_the_codes_typed(pages, stubs, lang, words):  # noqa: F811
    pages.cookies.set("lang", lang)
    r = _quote_form(pages, check_in=_in_a_while(), guests="2", units="1", stubs=stubs)
    assert r.status_code == 422
    assert markup.unescape(field_error(r.text, "stubs")).endswith(words)


# --- the console shares the layout, and the mechanism ----------------------------------


def test_a_console_preview_switches_language_by_posting_it_again(db, client):
    """The calendar's preview only reads (``web.only_reads``): its switch posts the edit
    again; a batch of ticket stubs issued (a write answered with a page) switches to the
    stubs page instead, and issues nothing more; a refused login is posted again without
    its password."""
    from datetime import timedelta

    from catalog.models import Destination
    from tests.factories import make_issuer
    from tests.support.console import csrf_of, log_in
    from tests.support.operators import FIRST, world

    w = world(db)
    with db.write_session() as s:
        issuer = make_issuer(s, destination=s.get(Destination, w.a.destination_id)).id
        s.commit()
    refused = log_in(client, w.a.admin.login, password="wrong")
    assert refused.status_code >= 400
    assert [n for n, _ in switch_form(refused.text)[1]] == ["login", "next", "csrf_token"]
    log_in(client, w.a.admin.login)
    token = csrf_of(client.get("/console/calendar").text)
    edit = {"product_ids": str(w.a.product_id), "edit_from": FIRST.isoformat(),
            "edit_to": (FIRST + timedelta(days=6)).isoformat(), "units": "7",
            "weekdays": [str(d) for d in range(1, 8)],
            "csrf_token": token}  # fmt: skip
    r = client.post("/console/calendar/preview", data=edit)
    assert r.status_code == 200 and "7 格将修改" in r.text
    english = switch(client, r.text)
    assert english.status_code == 200 and '<html lang="en">' in english.text
    assert "7 will change" in english.text, english.text

    stubs = {"issuer_id": str(issuer), "count": "2", "visit_date": FIRST.isoformat(),
             "persons": "2", "csrf_token": token}  # fmt: skip
    r = client.post("/console/stubs", data=stubs)
    assert r.status_code == 200 and len(re.findall(r"<code>(STUB-[A-Z0-9]+)</code>", r.text)) == 2
    assert switch_form(r.text) is None
    assert switch_link(r.text) == "/lang/zh-CN?next=/console/stubs"


def test_a_refused_console_edit_switches_language_without_sending_it_again(db, client):
    """A console edit refused for the state of things (rooms below those sold) would
    succeed if sent again once that changed: its page's language switch is a link to the
    calendar's page, never the edit posted again, so changing the language writes
    nothing (newcomer finding, 2026-12-07: the switch re-posted it and the edit was
    written once the booking was cancelled)."""
    from datetime import timedelta

    from service.operators.models import AuditEntry
    from tests.service.test_operators_calendar import take_units
    from tests.support.console import csrf_of, log_in
    from tests.support.operators import FIRST, world

    w = world(db)
    take_units(db, w.a.product_id, FIRST, 1)  # one room sold that night
    log_in(client, w.a.admin.login)
    token = csrf_of(client.get("/console/calendar").text)
    edit = {"product_ids": str(w.a.product_id), "edit_from": FIRST.isoformat(),
            "edit_to": (FIRST + timedelta(days=1)).isoformat(), "units": "0",
            "weekdays": [str(d) for d in range(1, 8)], "csrf_token": token}  # fmt: skip
    r = client.post("/console/calendar/apply", data=edit)
    assert r.status_code == 422
    assert switch_form(r.text) is None  # nothing to post again
    assert switch_link(r.text) == "/lang/en?next=/console/calendar"
    with db.session() as s:
        audits = s.execute(sa.select(sa.func.count()).select_from(AuditEntry)).scalar_one()
    english = client.get(switch_link(r.text))
    assert english.status_code == 200 and '<html lang="en">' in english.text
    with db.session() as s:
        assert s.execute(sa.select(sa.func.count()).select_from(AuditEntry)).scalar_one() == audits


def test_no_password_is_written_into_a_refused_pages_language_switch(db, client):
    """Neither the sign-in's nor the password change's passwords come back in the page
    (any field whose name says password), whatever the form (newcomer finding,
    2026-12-07: ``current_password`` and ``new_password`` were echoed as hidden
    fields of the language switch)."""
    from tests.support.console import csrf_of, log_in
    from tests.support.operators import PASSWORD, world

    w = world(db)
    refused = log_in(client, w.a.admin.login, password="   wrong larch   ")
    assert refused.status_code >= 400 and "wrong larch" not in refused.text
    log_in(client, w.a.staff.login)
    token = csrf_of(client.get("/console/password").text)
    r = client.post(
        "/console/password",
        data={
            "current_password": f"  {PASSWORD}  ",
            "new_password": "short-larch",
            "csrf_token": token,
        },  # fmt: skip
    )
    assert r.status_code == 422
    assert PASSWORD not in r.text and "short-larch" not in r.text
    assert switch_form(r.text) is None
    assert switch_link(r.text) == "/lang/en?next=/console/password"
