"""The satisfaction survey: after check-out, by the booking's link (API and page), one
answer per stay, personal data stripped from the comment, counted by the reports."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from service.personal_data import strip_personal_data
from tests.service.booking_support import (
    FIRST_NIGHT,
    GUESTS,
    ID_NUMBER,
    LEAD,
    add_product,
    item,
    post_booking,
    quote_http,
)
from tests.support.clock import FixedClock
from tests.support.console import csrf_of
from tests.support.operators import add_operator


@pytest.mark.parametrize(
    ("text", "kept", "gone"),
    [
        ("王秀兰 13800138000 很满意", "很满意", ["13800138000", "王秀兰"]),
        (f"身份证{ID_NUMBER}，电话 0431-88886666", "身份证", [ID_NUMBER, "88886666"]),
        ("我叫张桂芳，房间很好", "房间很好", ["张桂芳"]),
        ("My name is Li Jianguo, mail li@example.com", "My name is", ["Jianguo", "example"]),
        ("+86 139 1234 5678 医生很好", "医生很好", ["5678"]),
        ("0086 139 1234 5678 医生很好", "医生很好", ["5678"]),
        ("王 秀 兰和李　建国都很满意", "都很满意", ["秀 兰", "建国"]),  # spaced as typed
        ("身份证220102540506123很满意", "很满意", ["540506"]),  # a first-generation ID
    ],
)
def test_comments_lose_phones_ids_and_names(text, kept, gone):
    out = strip_personal_data(text, names=["王秀兰", "李建国"])
    assert kept in out and "***" in out
    for g in gone:
        assert g not in out


@pytest.mark.parametrize(
    ("text", "gone"),
    [
        ("call me １３９１２３４５６７８ 谢谢", "１３９１２３４５６７８"),  # full-width IME
        ("+44 7700 900123 any time", "7700"),
        ("我的电话 ＋４４ ７７００ ９００１２３", "７７００"),
        ("139 1234 5678", "5678"),
        ("139-1234-5678", "5678"),
        ("电话138：1234：5678", "5678"),  # full-width colons between the groups
        ("138_1234_5678", "5678"),
        ("1 3987654321", "3987654321"),
        ("passport G12345678", "G12345678"),
        ("护照号E12345678，签证没问题", "E12345678"),
        ("new passport EA1234567", "EA1234567"),
        ("回乡证 H12345678 和 M1234567801", "12345678"),
        ("港澳通行证C12345678", "C12345678"),
        ("护照 Ｇ１２３４５６７８", "１２３４５６７８"),
    ],
)
def test_comments_lose_phones_typed_any_way_and_passport_numbers(text, gone):
    out = strip_personal_data(text)
    assert "***" in out and gone not in out, out


@pytest.mark.parametrize(
    "text",
    [
        "住了 3 晚，3 nights were enough",
        "2027年7月1日入住，2026 was better",
        "房价 ¥1,280 一晚，共 12800 元，42 晚 ¥23,456",
        "坐 G1234 次高铁到长白山，房间 1302，订单 JL-5J92Z5",
        "评分 +5，温度 -25 度，海拔 2691 米，距医院 10 km",
        "６５岁的老人住得很舒服，，，",  # full-width text that is not personal data stays as typed
        "订单 202612071234567，流水 123456781399123",  # 15 digits with no birth date
    ],
)
def test_ordinary_numbers_in_comments_are_kept(text):
    assert strip_personal_data(text) == text


def test_the_bookings_names_go_in_any_case_but_one_character_or_within_a_word_stays():
    names = ["Mary Smith", "周八", "王", "Li"]
    said = (
        "MARY SMITH, mary smith, Ｍａｒｙ Ｓｍｉｔｈ and 周 八 came; "
        "王经理 drove to Lijiang, li too"
    )
    assert (
        strip_personal_data(said, names)
        == "***, ***, *** and *** came; 王经理 drove to Lijiang, *** too"
    )


@pytest.fixture
def stay(db, client, app):
    product = add_product(db, nights=30)
    quote = quote_http(client, item(product, nights=14))
    r = post_booking(client, quote["id"])
    assert r.status_code == 201, r.text
    body = r.json()
    return {"reference": body["reference"], "headers": {"X-Booking-Token": body["token"]},
            "product": product}  # fmt: skip


def test_one_answer_per_stay_after_check_out(db, client, app, stay):
    url = f"/v1/bookings/{stay['reference']}/survey"
    said = (
        f"{LEAD['name']}说：电话{LEAD['phone']}，手机 １３９１２３４５６７８，护照 G12345678，"
        f"{GUESTS[1]['name']}也满意"
    )
    answer = {"item_index": 0, "overall": 5, "medical_access": 4, "comment": said}
    early = client.post(url, json=answer, headers=stay["headers"])
    assert early.status_code == 409 and early.json()["code"] == "survey_not_open"
    assert client.get(url).status_code == 404  # no token, no survey
    app.state.clock = FixedClock.on(FIRST_NIGHT + timedelta(days=14))  # the check-out day
    state = client.get(url, headers=stay["headers"]).json()
    assert state["stays"][0]["open"] is True and state["stays"][0]["answered"] is False
    bad = client.post(url, json={**answer, "overall": 6}, headers=stay["headers"])
    assert bad.status_code == 422 and bad.json()["field"] == "overall"
    missing = client.post(url, json={**answer, "item_index": 3}, headers=stay["headers"])
    assert missing.status_code == 422 and missing.json()["code"] == "unknown_item"
    r = client.post(url, json=answer, headers=stay["headers"])
    assert r.status_code == 201, r.text
    stored = r.json()["comment"]
    assert LEAD["phone"] not in stored and LEAD["name"] not in stored
    assert "５６７８" not in stored and "G12345678" not in stored and "，护照 ***，" in stored
    assert GUESTS[1]["name"] not in stored and "也满意" in stored
    again = client.post(url, json=answer, headers=stay["headers"])  # a retry: the same answer
    assert again.status_code == 200 and again.json() == r.json()
    other = client.post(url, json={**answer, "overall": 4}, headers=stay["headers"])
    assert other.status_code == 409 and other.json()["code"] == "survey_answered"
    assert other.json()["field"] == "item_index"
    changed = client.post(url, json={**answer, "comment": "改了"}, headers=stay["headers"])
    assert changed.status_code == 409
    # the reports count it: index (5-1)*25 = 100, medical access 75, response 1 of 1
    prov = add_operator(db, "prov-survey", "province_admin")
    first = FIRST_NIGHT.isoformat()
    report = client.get(f"/v1/reports/measures?from={first}&to={first}", headers=prov.headers)
    total = report.json()["total"]
    assert (total["survey_answers"], total["response_bps"]) == (1, 10000)
    assert total["satisfaction_index"] == 100.0 and total["aspects"]["medical_access"] == 75.0
    assert "说" not in report.text  # comments are in no report


def test_the_survey_page_from_the_kept_booking(db, client, app, stay):
    def csrf(html: str) -> str:
        return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)

    opened = client.get("/manage").text
    r = client.post("/manage", data={"csrf_token": csrf(opened), "reference": stay["reference"],
                                     "token": stay["headers"]["X-Booking-Token"]},
                    follow_redirects=False)  # fmt: skip
    assert r.status_code == 303
    page = client.get("/manage/survey").text
    assert 'name="overall"' not in page  # not ended yet: nothing to rate
    app.state.clock = FixedClock.on(FIRST_NIGHT + timedelta(days=20))
    page = client.get("/manage/survey").text
    assert 'name="overall"' in page and 'name="elder_friendliness"' in page
    refused = client.post("/manage/survey", data={"csrf_token": csrf(page), "item_index": "0"})
    assert refused.status_code == 422 and 'id="overall-error"' in refused.text
    done = client.post(
        "/manage/survey",
        data={"csrf_token": csrf(page), "item_index": "0", "overall": "4", "food": "5",
              "comment": "饭菜可口 13912345678"},
        follow_redirects=False,
    )  # fmt: skip
    assert done.status_code == 303 and done.headers["location"] == "/manage/survey?thanks=1"
    thanks = client.get(done.headers["location"]).text
    assert 'role="status"' in thanks and 'name="overall"' not in thanks


def test_a_stay_the_booking_does_not_have_is_said_in_chinese_beside_the_choice(
    db, client, app, stay
):
    def csrf(html: str) -> str:
        return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)

    opened = client.get("/manage").text
    client.post("/manage", data={"csrf_token": csrf(opened), "reference": stay["reference"],
                                 "token": stay["headers"]["X-Booking-Token"]})  # fmt: skip
    app.state.clock = FixedClock.on(FIRST_NIGHT + timedelta(days=20))
    page = client.get("/manage/survey").text
    r = client.post(
        "/manage/survey",
        data={"csrf_token": csrf(page), "item_index": "7", "overall": "4"},
    )
    assert r.status_code == 422
    said = re.search(r'<p class="field-error" id="item_index-error">(.*?)</p>', r.text, re.S)
    assert said and "这笔预订没有这段住宿" in said[1], r.text[-3000:]


@pytest.mark.parametrize(
    "lang, words",
    [
        ("en", "This stay can be rated from its check-out day, {day}, or as soon as the front "
               "desk records that the guest has left."),
        ("zh-CN", "此段住宿从离店日 {day} 起可以评价；前台登记客人已离店后也可以评价。"),
    ],
)  # fmt: skip
def test_a_stay_the_front_desk_marked_completed_can_be_rated_before_its_check_out_day(
    db, client, app, stay, lang, words
):
    """A guest who left early has ended their stay: its survey opens then, by the API and
    the page alike (``survey.may_be_rated``); until then the refusal says when it opens."""
    url = f"/v1/bookings/{stay['reference']}/survey"
    headers = {**stay["headers"], "Accept-Language": lang}
    check_out = (FIRST_NIGHT + timedelta(days=14)).isoformat()
    answer = {"item_index": 0, "overall": 4}
    app.state.clock = FixedClock.on(FIRST_NIGHT + timedelta(days=3))  # mid-stay
    early = client.post(url, json=answer, headers=headers)
    assert early.status_code == 409 and early.json()["code"] == "survey_not_open"
    assert early.json()["detail"] == words.format(day=check_out)
    assert early.json()["opens"] == check_out
    before = client.get(url, headers=headers).json()["stays"][0]
    assert (before["open"], before["opens"]) == (False, check_out)  # the GET says it too
    with db.write_session() as s:
        place = s.execute(
            sa.text("SELECT destination_id FROM product WHERE id = :p"), {"p": stay["product"]}
        ).scalar_one()
    desk = add_operator(db, f"desk-{lang}", "operator_staff", destination_ids=[place])
    for status in ("checked_in", "completed"):  # the guest arrived, then left early
        r = client.post(
            f"/v1/admin/bookings/{stay['reference']}/stay-status",
            json={"item_index": 0, "status": status},
            headers=desk.headers,
        )
        assert r.status_code == 200, r.text
    now_open = client.get(url, headers=headers).json()["stays"][0]
    assert (now_open["open"], now_open["opens"]) == (True, None)
    opened = client.get("/manage").text
    signed_in = client.post(
        "/manage",
        data={"csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', opened).group(1),
              "reference": stay["reference"], "token": stay["headers"]["X-Booking-Token"]},
        follow_redirects=False,
    )  # fmt: skip
    assert signed_in.status_code == 303
    assert 'href="/manage/survey"' in client.get("/manage").text  # the page offers it too
    assert 'name="overall"' in client.get("/manage/survey").text
    assert client.post(url, json=answer, headers=headers).status_code == 201


def _survey_page(client, app, stay) -> str:
    """The survey page of ``stay``'s booking, signed in on the page, after its stay."""
    opened = client.get("/manage").text
    client.post("/manage", data={"csrf_token": csrf_of(opened), "reference": stay["reference"],
                                 "token": stay["headers"]["X-Booking-Token"]})  # fmt: skip
    app.state.clock = FixedClock.on(FIRST_NIGHT + timedelta(days=20))
    return client.get("/manage/survey").text


@pytest.mark.parametrize(("typed", "read"), [("²", 2), ("①", 1), ("５", 5)])
def test_a_score_is_read_as_every_page_forms_numbers(db, client, app, stay, typed, read):
    """``²`` and ``①`` are digits to ``str.isdigit`` but not to ``int``: the survey page
    answered them with a 500. It reads its scores as every page form's numbers are read
    (``forms.number``, the quote form's and the planner's: NFKC, so ``２`` and ``²`` are
    2); what is still no number, or out of range, is said beside the score and nothing
    is saved."""

    page = _survey_page(client, app, stay)
    form = {"csrf_token": csrf_of(page), "item_index": "0", "overall": "4"}
    for refused in ("x", "-1", "6", "1²"):
        r = client.post("/manage/survey", data={**form, "food": refused})
        assert r.status_code == 422, refused
        said = re.search(r'<p class="field-error" id="food-error">(.*?)</p>', r.text, re.S)
        assert said and "错误" in said[1], refused
    with db.session() as s:
        assert s.execute(sa.text("SELECT count(*) FROM survey_response")).scalar_one() == 0
    done = client.post("/manage/survey", data={**form, "food": typed}, follow_redirects=False)
    assert done.status_code == 303
    with db.session() as s:
        assert s.execute(sa.text("SELECT food FROM survey_response")).scalar_one() == read


@pytest.mark.parametrize(
    "comment, code",
    [
        ("好\x00", "control_character"),
        ("好\u202e", "invisible_character"),
        ("很好\u200b", "invisible_character"),  # a zero-width space at the end, as names
    ],
)
def test_a_comment_with_a_control_or_invisible_character_is_refused(
    db, client, app, stay, comment, code
):
    """A comment is free text like a cancellation's reason (``FreeText``): line breaks
    kept, a control or invisible character refused naming ``comment``, by the API and the
    page alike. A NUL reached the insert and was a 500 on PostgreSQL."""
    url = f"/v1/bookings/{stay['reference']}/survey"
    app.state.clock = FixedClock.on(FIRST_NIGHT + timedelta(days=20))
    answer = {"item_index": 0, "overall": 5, "comment": comment}
    r = client.post(url, json=answer, headers=stay["headers"])
    assert r.status_code == 422, r.text
    [error] = r.json()["errors"]
    assert (r.json()["field"], error["code"]) == ("comment", code)

    page = _survey_page(client, app, stay)
    form = {"csrf_token": csrf_of(page), "item_index": "0", "overall": "5", "comment": comment}
    r = client.post("/manage/survey", data=form)
    assert r.status_code == 422
    said = re.search(r'<p class="field-error" id="comment-error">(.*?)</p>', r.text, re.S)
    assert said and ("控制字符" in said[1] or "看不见的字符" in said[1]), r.text[-2000:]
    with db.session() as s:
        assert s.execute(sa.text("SELECT count(*) FROM survey_response")).scalar_one() == 0
    lines = {**answer, "comment": "空气好\n医生每周来两次"}
    assert client.post(url, json=lines, headers=stay["headers"]).status_code == 201


@pytest.mark.parametrize(
    "lang, rated, never",
    [
        ("zh-CN", "这笔预订的住宿都已评价过，谢谢您！", "目前没有可以评价的住宿"),
        ("en", "You have rated this booking&#39;s stays already: thank you!", "No stay can be"),
    ],
)
def test_a_rated_stay_is_thanked_for_not_said_unratable(db, client, app, stay, lang, rated, never):
    """The newcomer's finding: once its only stay was rated, the survey page said "No
    stay can be rated now: a stay can be rated after check-out, once."."""
    page = _survey_page(client, app, stay)
    form = {"csrf_token": csrf_of(page), "item_index": "0", "overall": "5"}
    assert client.post("/manage/survey", data=form, follow_redirects=False).status_code == 303
    client.cookies.set("lang", lang)
    page = client.get("/manage/survey").text
    assert rated in page and never not in page, page[-2000:]
    assert 'name="overall"' not in page


@pytest.mark.parametrize("index", ["-1", "9999", "x"])
def test_a_stay_index_not_from_the_list_is_no_stay_of_the_booking(db, client, app, stay, index):
    """``item_index=-1`` was said "Please enter a whole number.": the stay is chosen from
    the list, so any other value is said to be none of the booking's stays."""
    page = _survey_page(client, app, stay)
    form = {"csrf_token": csrf_of(page), "item_index": index, "overall": "5"}
    r = client.post("/manage/survey", data=form)
    assert r.status_code == 422
    said = re.search(r'<p class="field-error" id="item_index-error">(.*?)</p>', r.text, re.S)
    assert said and "这笔预订没有这段住宿" in said[1], r.text[-2000:]
    with db.session() as s:
        assert s.execute(sa.text("SELECT count(*) FROM survey_response")).scalar_one() == 0
