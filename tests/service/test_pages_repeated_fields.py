"""A traveller form that sends a one-value field more than once (``units=1&units=2``,
by a hand-made form or a tool) is refused, never read as its last value: beside the
field in the page's language where the form shows it (the product page's quote form,
the book form, the sign-in to my booking, the survey), else the error page naming it
(the cancel form's hidden key, "re-check the price"). The reading is the planner's and
the API's (``query_params.repeated``, applied to the form by ``web.PageRoute``); fields
the form sends as a list (add-on packs) stay lists. TestClient on both databases, the
demo catalogue."""

import re
from datetime import date, datetime, timedelta

import pytest
import sqlalchemy as sa
from freezegun import freeze_time

from tests.service.test_pages_trip import (  # noqa: F401
    PRODUCT,
    _book,
    _quote,
    csrf,
    field_error,
    pages,
    pages_db,
)
from tests.service.test_pages_trip_refusals import _sign_in

SAID = {
    "zh-CN": "这一项收到了不止一个值，请只填一个再提交。",
    "en": "This was sent with more than one value; please give one and send the form again.",
}


def _quotes(db) -> int:
    with db.write_session() as s:
        return s.execute(sa.text("SELECT count(*) FROM quote")).scalar_one()


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_a_quote_form_with_units_twice_is_refused_beside_the_rooms(pages, pages_db, lang):  # noqa: F811
    before = _quotes(pages_db)
    r = _quote(pages, lang, units=["1", "2"])
    assert r.status_code == 422
    assert SAID[lang] in field_error(r.text, "units")
    assert _quotes(pages_db) == before  # nothing priced
    assert _quote(pages, lang, packs=["1", "3"]).status_code == 303  # a list stays a list


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_a_book_form_with_a_name_twice_is_refused_beside_it(pages, lang):  # noqa: F811
    pages.cookies.set("lang", lang)
    quote_url = _quote(pages, lang).headers["location"]
    r, _ = _book(pages, quote_url, lead_name=["王秀兰", "李桂芝"])
    assert r.status_code == 422
    assert SAID[lang] in field_error(r.text, "lead_name")
    r, _ = _book(pages, quote_url, guest_0=["李桂芝", "张伟"])
    assert r.status_code == 422
    assert SAID[lang] in field_error(r.text, "guest_0")


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_the_sign_in_and_the_survey_refuse_a_field_twice_beside_it(pages, lang):  # noqa: F811
    pages.cookies.set("lang", lang)
    page = pages.get("/manage").text
    r = pages.post(
        "/manage", data={"csrf_token": csrf(page), "reference": ["JL-7K3Q9M", "JL-7K3Q9N"]}
    )
    assert r.status_code == 422 and SAID[lang] in field_error(r.text, "reference")
    quote_url = _quote(pages, lang).headers["location"]
    check_out = date.fromisoformat(pages.get("/v1" + quote_url).json()["items"][0]["check_out"])
    assert _book(pages, quote_url)[0].status_code == 303
    html = pages.get("/manage").text  # the first view, with the token
    reference = re.search(r'id="booking-reference"><strong>([^<]+)', html).group(1)
    token = re.search(r'id="booking-token"><strong>([^<]+)', html).group(1)
    pages.cookies.clear()
    pages.cookies.set("lang", lang)
    with freeze_time(datetime.combine(check_out + timedelta(days=1), datetime.min.time())):
        _sign_in(pages, reference, token)
        page = pages.get("/manage/survey").text  # the stay has ended: open to rating
        assert 'name="overall"' in page
        data = {"csrf_token": csrf(page), "item_index": "0", "overall": ["5", "1"]}
        r = pages.post("/manage/survey", data=data)
    assert r.status_code == 422 and SAID[lang] in (field_error(r.text, "overall") or "")


@pytest.mark.parametrize(
    "lang, words",
    [("zh-CN", "表单给了 “idempotency_key” 不止一个值，没有办理。"),
     ("en", "The form gave more than one value for “idempotency_key”, so nothing was done.")],
)  # fmt: skip
def test_a_hidden_field_twice_is_the_error_page_and_nothing_is_done(pages, lang, words):  # noqa: F811
    pages.cookies.set("lang", lang)
    quote_url = _quote(pages, lang).headers["location"]
    assert _book(pages, quote_url)[0].status_code == 303
    page = pages.get("/manage/cancel").text
    r = pages.post(
        "/manage/cancel",
        data={"csrf_token": csrf(page), "idempotency_key": ["a" * 20, "b" * 20]},
        follow_redirects=False,
    )
    assert r.status_code == 422 and words in r.text
    assert 'href="/manage/cancel"' in pages.get("/manage").text  # not cancelled
