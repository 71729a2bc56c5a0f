"""The trip pages when something is refused or typed the way people type: an expired
price's way on (re-check the same stay), refusals that keep what was typed and say the
limit, numbers and references typed loosely, the booking pages without their cookie,
and the survey offered only once a stay has ended. TestClient on both databases, the
demo catalogue."""

import re
import secrets
import unicodedata
from datetime import date, datetime, timedelta

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from freezegun import freeze_time

from service.app import create_app
from service.bookings.service import REFERENCE_ALPHABET
from service.pages import forms, messages, refusals
from tests.service.test_pages_trip import PRODUCT, _book, csrf, field_error, pages_db  # noqa: F401
from tests.service.test_pages_trip_states import _quote, _summary, pages  # noqa: F401


def _form_value(html: str, name: str) -> str:
    return re.search(rf'name="{name}" type="[a-z]+" value="([^"]*)"', html).group(1)


def _expire(location: str, client) -> datetime:
    return datetime.fromisoformat(client.get("/v1" + location).json()["expires_at"])


# --- 1. an expired price: re-check the same stay, keep what was typed -----------------


@pytest.mark.parametrize(
    "lang, words", [("zh-CN", "重新查询这处住宿的价格"), ("en", "Re-check the price for this stay")]
)
def test_an_expired_quote_offers_to_re_check_the_same_stay(pages, lang, words):  # noqa: F811
    location = _quote(pages, lang, guests="2", units="1", packs=["3"]).headers["location"]
    first = pages.get("/v1" + location).json()
    with freeze_time(_expire(location, pages) + timedelta(minutes=1)):
        for page in (location, location + "/book"):
            html = pages.get(page, headers={"Accept-Language": lang}).text
            assert words in html and f'action="{location}/again"' in html, page
            assert f'href="{location}/book"' not in html
        r = pages.post(location + "/again", data={"csrf_token": csrf(html)}, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] != location
        again = pages.get("/v1" + r.headers["location"]).json()
    assert [(i["product_id"], i["check_in"], i["check_out"], i["guests"], i["units"])
            for i in again["items"]] == [
        (i["product_id"], i["check_in"], i["check_out"], i["guests"], i["units"])
        for i in first["items"]
    ]  # fmt: skip
    assert again["total_fen"] == first["total_fen"]


@pytest.mark.parametrize(
    "request_json", [{"stubs": []}, {"items": [{"product_id": "cabin?", "check_in": "soon"}]}]
)
def test_a_re_check_of_a_request_stored_under_an_older_form_is_a_4xx_page(
    pages,  # noqa: F811
    pages_db,  # noqa: F811
    request_json,
):
    location = _quote(pages, "en").headers["location"]
    html = pages.get(f"/products/{PRODUCT}").text  # a form's CSRF token
    with pages_db.write_session() as s:
        s.connection().execute(
            sa.update(sa.table("quote", sa.column("id"), sa.column("request", sa.JSON)))
            .where(sa.column("id") == location.rsplit("/", 1)[1])
            .values(request=request_json)
        )
        s.commit()
    r = pages.post(
        location + "/again", data={"csrf_token": csrf(html)}, headers={"Accept-Language": "en"}
    )
    assert r.status_code == 422 and r.headers["content-type"].startswith("text/html")
    assert "earlier version of the quote form" in r.text


def test_a_re_check_that_is_refused_says_so_on_the_stays_form(pages):  # noqa: F811
    location = _quote(pages, "en").headers["location"]
    check_in = date.fromisoformat(pages.get("/v1" + location).json()["items"][0]["check_in"])
    with freeze_time(datetime.combine(check_in + timedelta(days=2), datetime.min.time())):
        html = pages.get(location).text  # expired: the re-check form
        r = pages.post(
            location + "/again", data={"csrf_token": csrf(html)}, headers={"Accept-Language": "en"}
        )
    assert r.status_code == 422
    assert field_error(r.text, "check_in") == "Error: The check-in date cannot be in the past."
    assert f'name="check_in" value="{check_in.isoformat()}"' in r.text


def test_a_book_form_posted_after_the_guarantee_keeps_what_was_typed(pages):  # noqa: F811
    location = _quote(pages).headers["location"]
    with freeze_time(_expire(location, pages) - timedelta(minutes=1)):
        page = pages.get(location + "/book").text
    with freeze_time(_expire(location, pages) + timedelta(minutes=1)):
        key = re.search(r'name="idempotency_key" value="([^"]+)"', page).group(1)
        data = {"csrf_token": csrf(page), "idempotency_key": key, "lead_name": "王秀兰",
                "lead_phone": "13912345678", "consent": "yes", "guest_0": "李建国"}  # fmt: skip
        r = pages.post(location + "/book", data=data, follow_redirects=False)
    assert r.status_code == 422
    assert "价格保证已过期" in _summary(r.text)
    assert _form_value(r.text, "lead_name") == "王秀兰"
    assert _form_value(r.text, "lead_phone") == "13912345678"
    assert _form_value(r.text, "guest_0") == "李建国"
    assert f'action="{location}/again"' in r.text
    assert "确认预订" not in r.text  # nothing to book at the old price


# --- 2. the hold cap: said with its limit in a traveller's words, no field to mark -----


def _sent_over_a_cap(db, lang: str, units: str, **caps: int):
    """A book form of ``units`` units sent (and sent again, its key unchanged: the
    recorded refusal replayed), with the caps of ``db``'s settings (``caps`` changes
    some)."""
    settings = db.settings.model_copy(update=caps)
    with TestClient(create_app(settings, database=db)) as client:
        client.cookies.set("lang", lang)
        location = _quote(client, lang, units=units, guests=units).headers["location"]
        form = {
            "csrf_token": csrf(client.get(f"/products/{PRODUCT}").text),
            "idempotency_key": secrets.token_urlsafe(18),
            "lead_name": "王秀兰",
            "lead_phone": "13912345678",
            "consent": "yes",
        }
        r = client.post(location + "/book", data=form, follow_redirects=False)
        again = client.post(location + "/book", data=form, follow_redirects=False)
    for answer in (r, again):
        assert answer.status_code == 409
        # the service's words name the client's API key and the product id
        said = _summary(answer.text)
        assert "API" not in said and "产品" not in said and "product" not in said, said
        summary = re.search(r'<div class="form-summary".*?</div>', answer.text, re.S).group(0)
        assert "<a " not in summary  # a problem of the whole form: no field to go to
        assert _form_value(answer.text, "lead_name") == "王秀兰"
        # the refused form comes back with a new key: sent again, it is a new attempt
        key = re.search(r'name="idempotency_key" value="([^"]+)"', answer.text).group(1)
        assert key != form["idempotency_key"]
    return r, again


# Other tests of this module's database may hold units of the product already: the
# words then say how many (both forms say the limit).
@pytest.mark.parametrize(
    "lang, words", [("zh-CN", "最多可保留 {limit} 间"), ("en", "at most {limit}")]
)
def test_a_hold_cap_is_said_with_its_limit_without_marked_fields(pages_db, lang, words):  # noqa: F811
    """A product's cap, set to 10 here: 11 units are more than it takes from all
    travellers together (and no more than the cabin's 12 a night: a stay of more could
    never be booked, and its quote is refused, ``too_many_units``). It is checked
    before the units: a form sent when others hold the nights meets the cap first."""
    limit = 10
    caps = {"max_anonymous_units_held_per_product": limit}
    for answer in _sent_over_a_cap(pages_db, lang, "11", **caps):
        said = _summary(answer.text)
        assert words.format(limit=limit) in said.lower(), said
        assert "请减少间数" in said or "book fewer rooms" in said, said


@pytest.mark.parametrize(
    "lang, words",
    [
        ("zh-CN", "这次预订同时需要 7 间房，而从同一个网络连接不经在线付款的预订最多共计 6 间"
                  "（每笔预订按其同时需要的间数计）；请减少间数。"),
        ("en", "This booking needs 7 rooms at once, and bookings made from one internet "
               "connection without paying online may count at most 6 rooms in all (each "
               "booking counts the rooms it needs at once); please book fewer rooms."),
    ],
)  # fmt: skip
def test_an_address_cap_over_by_this_booking_alone_says_book_fewer_rooms(pages_db, lang, words):  # noqa: F811
    """7 rooms at once from one address, over its cap of 6 by themselves: whatever this
    address holds already, waiting does not help, and the words do not say to wait."""
    assert pages_db.settings.max_anonymous_units_held_per_address == 6
    for answer in _sent_over_a_cap(pages_db, lang, "7"):
        said = _summary(answer.text)
        assert words in said, said
        assert "稍后" not in said and "later" not in said, said


def test_a_hold_cap_with_units_already_held_says_them():
    for lang, held, n in (
        ("zh-CN", "已有 4 间未付款的预订，最多可保留 6 间", 4),
        ("en", "4 rooms are already held", 4),
        ("en", "1 room is already held", 1),
    ):
        said = refusals.problem_text("hold_limit_reached", lang, "", {"held_units": n, "limit": 6})
        assert held in said, said
    assert refusals.problem_text("hold_limit_reached", "en", "own words") == "own words"


def test_an_address_cap_is_said_in_rooms_at_once():
    """The address's cap (no ``product_id``) counts rooms at once: with rooms booked
    from here already and this booking within the cap, how many, for how long they
    count, why there is a cap and the ways on; over it alone, book fewer rooms, never
    wait. A product's cap keeps its words in units."""
    held = {"held_units": 4, "asked_units": 3, "limit": 6}
    alone = {"held_units": 4, "asked_units": 7, "limit": 6}
    said = {lang: refusals.problem_text("hold_limit_reached", lang, "", held)
            for lang in ("zh-CN", "en")}  # fmt: skip
    assert "已计 4 间房" in said["zh-CN"] and "24 小时" in said["zh-CN"]
    assert "保留期结束" in said["zh-CN"] and "稍后再试" in said["zh-CN"]
    assert said["en"].startswith(
        "Bookings made from this internet connection without paying "
        "online already count 4 rooms (each booking counts"
    )
    assert "24 hours" in said["en"] and "until its hold ends" in said["en"]
    assert "try again later" in said["en"]
    # 2 of the 6 are left: booking 2 rooms (fewer) would do, and the words say so.
    assert "最多还能预订 2 间" in said["zh-CN"] and "still book 2 rooms" in said["en"]
    for lang, words in (("zh-CN", "这次预订同时需要 7 间房"), ("en", "needs 7 rooms at once")):
        text = refusals.problem_text("hold_limit_reached", lang, "", alone)
        assert words in text and "稍后" not in text and "later" not in text, text
    product = refusals.problem_text("hold_limit_reached", "en", "", {**held, "product_id": 9})
    assert product.startswith("4 rooms are already held unpaid")
    over = refusals.problem_text("hold_limit_reached", "en", "", {**alone, "product_id": 9})
    assert over == "At most 6 rooms can be held unpaid; please book fewer rooms."


@pytest.mark.parametrize(
    "lang, words",
    [
        ("zh-CN", ("已计 6 间房", "无论日期", "防止虚假预订", "联系目的地", "旅行社",
                   "24 小时后不再计入")),
        ("en", ("Bookings made from this internet connection without paying online already "
                "count 6 rooms", "whatever its dates", "a safeguard against fake bookings",
                "contact the destination", "travel agency", "stop counting within 24 hours")),
    ],
)  # fmt: skip
def test_a_one_room_booking_over_the_address_cap_is_told_what_to_do(lang, words):
    """The report: the 7th booking of 1 room from one address was told that 6 rooms
    were "booked unpaid" (paid at the property, the traveller sees them confirmed) and
    to "book fewer rooms" (fewer than 1?) or "try again later" (when?). Now: how many
    were booked from here without paying online, why there is a limit, and what to do;
    no "fewer rooms" when fewer cannot help."""
    said = refusals.problem_text(
        "hold_limit_reached", lang, "", {"held_units": 6, "asked_units": 1, "limit": 6}
    )
    for w in words:
        assert w in said, (w, said)
    for dead_end in ("unpaid", "fewer", "未付款的预订", "减少间数", "还能预订"):
        assert dead_end not in said, (dead_end, said)


# --- 3. too long: said beside the field with the limit, the rest kept -----------------


@pytest.mark.parametrize("length", [61, 300, 5000])
def test_a_long_name_is_said_with_its_limit_and_the_form_kept(pages, length):  # noqa: F811
    location = _quote(pages).headers["location"]
    r, _ = _book(pages, location, lead_name="王" * length)
    assert r.status_code == 422
    assert field_error(r.text, "lead_name") == "错误：内容太长：最多 60 个字符。"
    assert _form_value(r.text, "lead_phone") == "13912345678"
    pages.cookies.set("lang", "en")
    en, _ = _book(pages, location, lead_name="W" * length)
    assert field_error(en.text, "lead_name") == "Error: This is too long (at most 60 characters)."


def test_a_very_long_reference_is_said_beside_it_on_the_sign_in_form(pages):  # noqa: F811
    page = pages.get("/manage").text
    r = pages.post("/manage", data={"csrf_token": csrf(page), "reference": "JL-" + "X" * 3000,
                                    "token": " some-token "})  # fmt: skip
    assert r.status_code == 422
    assert field_error(r.text, "reference").startswith("错误：预订号是 JL 加 6 个字母或数字")
    assert _form_value(r.text, "token") == "some-token"


# --- 4. numbers as people type them -------------------------------------------------


def test_full_width_digits_quote_and_book(pages):  # noqa: F811
    r = _quote(pages, guests="２", units="１")
    assert r.status_code == 303, field_error(r.text, "guests")
    booked, _ = _book(pages, r.headers["location"], lead_phone="１３９１２３４５６７８")
    assert booked.status_code == 303 and booked.headers["location"] == "/manage"
    assert "13912345678" in pages.get("/manage").text


@pytest.mark.parametrize(
    "units, words",
    [
        ("-1", "Error: This number is too small (the smallest allowed is 1)."),
        ("0", "Error: This number is too small (the smallest allowed is 1)."),
        ("99999999999", "Error: This number is too large (the largest allowed is 50)."),
    ],
)
def test_units_out_of_range_say_the_limit(pages, units, words):  # noqa: F811
    r = _quote(pages, "en", units=units)
    assert r.status_code == 422
    assert field_error(r.text, "units") == words


@pytest.mark.parametrize("units", ["1,5", "1,2,3", "12,34", ",5", "5,"])
def test_a_comma_that_does_not_separate_thousands_is_no_number(pages, units):  # noqa: F811
    r = _quote(pages, "en", units=units)
    assert r.status_code == 422
    assert field_error(r.text, "units") == "Error: Please enter a whole number."


@pytest.mark.parametrize("units", ["1,000", "１，０００", "12,345", "1,234,567"])
def test_commas_between_groups_of_three_digits_are_thousands(pages, units):  # noqa: F811
    r = _quote(pages, "en", units=units)
    assert r.status_code == 422  # read as the number: too large, not "not a number"
    assert field_error(r.text, "units") == (
        "Error: This number is too large (the largest allowed is 50)."
    )
    assert forms.number(units) == int(unicodedata.normalize("NFKC", units).replace(",", ""))


# --- 5. the booking token and reference typed back -----------------------------------


def test_the_sign_in_reads_the_reference_in_any_case_without_its_hyphen(pages):  # noqa: F811
    assert _book(pages, _quote(pages).headers["location"])[0].status_code == 303
    html = pages.get("/manage").text
    reference = re.search(r'id="booking-reference"><strong>([^<]+)', html).group(1)
    token = re.search(r'id="booking-token"><strong>([^<]+)', html).group(1)
    pages.cookies.clear()
    form = pages.get("/manage").text
    field = re.search(r'<input id="token"[^>]*>', form).group(0)
    assert 'type="text"' in field and 'autocomplete="off"' in field
    assert 'autocapitalize="off"' in field and 'spellcheck="false"' in field
    typed = reference.replace("-", "").lower()
    r = pages.post("/manage", data={"csrf_token": csrf(form), "reference": f" {typed} ",
                                    "token": f"  {token} "}, follow_redirects=False)  # fmt: skip
    assert r.status_code == 303
    assert reference in pages.get("/manage").text
    pages.cookies.clear()
    form = pages.get("/manage").text
    # The token is read as typed too (bookings.tokens: any case), but another one is not.
    other = token[:-1] + ("Y" if token[-1] != "Y" else "Z")
    wrong = pages.post("/manage", data={"csrf_token": csrf(form), "reference": typed,
                                        "token": other})  # fmt: skip
    assert wrong.status_code == 422
    form = wrong.text
    r = pages.post("/manage", data={"csrf_token": csrf(form), "reference": typed,
                                    "token": token.swapcase()}, follow_redirects=False)  # fmt: skip
    assert r.status_code == 303


@pytest.mark.parametrize(
    "lang, said",
    [
        ("zh-CN", "不能含有看不见的字符：其中有 U+200B（零宽空格），请重新输入。"),
        ("en", "This cannot hold invisible characters: it holds U+200B ZERO WIDTH SPACE"),
    ],
)
def test_the_sign_in_says_an_invisible_character_in_the_reference_by_name(
    pages,  # noqa: F811
    lang,
    said,
):
    """The newcomer's finding: ``JL-2NDT38`` and U+200B, copied from WeChat, was said
    to be no reference ("A booking reference is JL and 6 letters or digits…"). It is
    said as the book form says it of a name (``invisible_character``, the character
    named), as the API's path refuses it; the reference without it opens the booking."""
    assert _book(pages, _quote(pages).headers["location"])[0].status_code == 303
    html = pages.get("/manage").text
    reference = re.search(r'id="booking-reference"><strong>([^<]+)', html).group(1)
    token = re.search(r'id="booking-token"><strong>([^<]+)', html).group(1)
    pages.cookies.clear()
    pages.cookies.set("lang", lang)
    form = pages.get("/manage").text
    r = pages.post("/manage", data={"csrf_token": csrf(form), "reference": reference + "\u200b",
                                    "token": token})  # fmt: skip
    assert r.status_code == 422
    error = re.search(r'id="reference-error">(.*?)</p>', r.text, re.S)
    assert error and said in error[1] and "JL" not in error[1], r.text[-2000:]
    r = pages.post("/manage", data={"csrf_token": csrf(r.text), "reference": reference,
                                    "token": token}, follow_redirects=False)  # fmt: skip
    assert r.status_code == 303


def test_a_reference_whose_body_starts_with_jl_is_read_typed_without_its_jl(
    pages,  # noqa: F811
    pages_db,  # noqa: F811
):
    assert _book(pages, _quote(pages).headers["location"])[0].status_code == 303
    html = pages.get("/manage").text
    reference = re.search(r'id="booking-reference"><strong>([^<]+)', html).group(1)
    token = re.search(r'id="booking-token"><strong>([^<]+)', html).group(1)
    ours = "JL-JL" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(4))
    with pages_db.write_session() as s:
        s.connection().execute(
            sa.text("UPDATE booking SET reference = :ours WHERE reference = :theirs"),
            {"ours": ours, "theirs": reference},
        )
        s.commit()
    for typed in (ours[3:].lower(), ours.replace("-", "")):  # JL2345, JLJL2345
        pages.cookies.clear()
        form = pages.get("/manage").text
        r = pages.post("/manage", data={"csrf_token": csrf(form), "reference": typed,
                                        "token": token}, follow_redirects=False)  # fmt: skip
        assert r.status_code == 303, typed
        assert ours in pages.get("/manage").text


# --- 6. a booking page without the cookie: to the sign-in ----------------------------


@pytest.mark.parametrize("path", ["/manage/cancel", "/manage/calendar.ics", "/manage/survey"])
def test_a_booking_page_without_the_cookie_goes_to_the_sign_in(pages, path):  # noqa: F811
    pages.cookies.clear()
    r = pages.get(path, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/manage"


# --- 7. Post/Redirect/Get after a second try -----------------------------------------


def test_a_booking_that_needed_a_second_try_ends_in_a_redirect(pages):  # noqa: F811
    location = _quote(pages).headers["location"]
    refused, data = _book(pages, location, consent="")
    assert refused.status_code == 422
    r = pages.post(location + "/book", data={**data, "consent": "yes"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/manage"


# --- 8. the survey only once the stay has ended --------------------------------------


def _sign_in(client, reference: str, token: str) -> str:
    """The booking's page, opened by reference and token (the cookie lasts 30 days)."""
    form = client.get("/manage").text
    data = {"csrf_token": csrf(form), "reference": reference, "token": token}
    assert client.post("/manage", data=data, follow_redirects=False).status_code == 303
    return client.get("/manage").text


def test_the_survey_is_offered_once_the_stay_has_ended(pages):  # noqa: F811
    location = _quote(pages).headers["location"]
    check_out = date.fromisoformat(pages.get("/v1" + location).json()["items"][0]["check_out"])
    assert _book(pages, location)[0].status_code == 303
    html = pages.get("/manage").text  # the first view, with the token
    reference = re.search(r'id="booking-reference"><strong>([^<]+)', html).group(1)
    token = re.search(r'id="booking-token"><strong>([^<]+)', html).group(1)
    assert "评价这次住宿" not in pages.get("/manage").text  # kept now
    pages.cookies.clear()
    before = datetime.combine(check_out - timedelta(days=1), datetime.min.time())
    with freeze_time(before) as frozen:  # 08:00 in Beijing, the day before check-out
        assert "评价这次住宿" not in _sign_in(pages, reference, token)
        assert "评价这次住宿" not in pages.get("/manage").text  # kept
        frozen.tick(timedelta(hours=17))  # 01:00 in Beijing, the check-out day
        assert "评价这次住宿" in pages.get("/manage").text


# --- 10. words ---------------------------------------------------------------------


def test_counts_say_their_plural():
    en = messages.text_for("en")
    assert en("plan_found", n=1) == "1 trip found"
    assert en("plan_found", n=3) == "3 trips found"
    assert en("dest_found", n=1) == "1 destination found"


# --- 9. availability on the quote page -----------------------------------------------


@pytest.mark.parametrize(
    "lang, words",
    [("zh-CN", ("现在订不了", "这一晚已订满")), ("en", ("Cannot be booked now", "is sold out"))],
)
def test_a_sold_out_night_is_said_on_the_kept_quote_page_without_book(pages, pages_db, lang, words):  # noqa: F811
    location = _quote(pages, lang).headers["location"]
    item = pages.get("/v1" + location).json()["items"][0]
    html = pages.get(location, headers={"Accept-Language": lang}).text  # kept since made
    assert 'id="bookable"' in html and f'href="{location}/book"' in html
    night = date.fromisoformat(item["check_in"]) + timedelta(days=3)
    sql = "UPDATE inventory_night SET taken_units = {} WHERE product_id = :p AND night = :n"
    args = {"p": item["product_id"], "n": night}
    with pages_db.write_session() as s:
        was = s.execute(
            sa.text("SELECT taken_units FROM inventory_night WHERE product_id = :p AND night = :n"),
            args,
        ).scalar_one()
        s.execute(sa.text(sql.format("total_units")), args)
        s.commit()
    try:
        check = pages.get(
            f"/v1/products/{item['product_id']}/availability/check",
            params={"check_in": item["check_in"], "check_out": item["check_out"], "units": 1},
        ).json()
        assert check["bookable"] is False and check["reason"] == "sold_out"
        html = pages.get(location, headers={"Accept-Language": lang}).text
        assert all(w in html for w in words), html
        assert f'href="{location}/book"' not in html and 'id="bookable"' not in html
    finally:
        with pages_db.write_session() as s:
            s.execute(sa.text(sql.format(":was")), {**args, "was": was})
            s.commit()
    html = pages.get(location, headers={"Accept-Language": lang}).text
    assert 'id="bookable"' in html and f'href="{location}/book"' in html
