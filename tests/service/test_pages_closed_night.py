"""A night closed mid-stay (stop-sell) is said in words, the night named, beside the
check-in: on the product page's quote form, its re-check (``/quotes/{id}/again``) and the
book form, and in the API's problem (``reason``, ``day`` and the detail in words).
TestClient on both databases, both languages."""

import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from service.clock import Clock
from service.pages import formats
from tests.service.test_pages_trip import PRODUCT, _quote, csrf, field_error, pages_db  # noqa: F401
from tests.service.test_pages_trip_states import pages  # noqa: F401

# Away from the dates the other page modules quote and book (60, 200..312 days on).
_OFFSET = {"zh-CN": 330, "en": 350}


def _stop_sell(db, product_id: int, night: date, stop: bool) -> None:
    with db.write_session() as s:
        s.execute(
            sa.text(
                "UPDATE inventory_night SET stop_sell = :stop WHERE product_id = :p AND night = :n"
            ),
            {"stop": stop, "p": product_id, "n": night},
        )
        s.commit()


def _form(pages, lang: str, check_in: date):  # noqa: F811
    return _quote(pages, lang, check_in=check_in.isoformat())


def _api_quote(pages, product_id: int, check_in: date):  # noqa: F811
    """``POST /v1/quotes`` of the form's stay (14 nights, 2 guests, 1 room), in English."""
    check_out = check_in + timedelta(days=14)
    stay = {"product_id": product_id, "check_in": check_in.isoformat(),
            "check_out": check_out.isoformat(), "guests": 2, "units": 1}  # fmt: skip
    return pages.post("/v1/quotes", json={"items": [stay]}, headers={"Accept-Language": "en"})


@pytest.mark.parametrize(
    "lang, said",
    [
        ("zh-CN", "所选日期不能预订：{day} 这一晚未在售，请换一个日期。"),
        ("en", "The night of {day} is not on sale; please choose other dates."),
    ],
)
def test_a_night_closed_mid_stay_is_named_beside_the_check_in(pages, pages_db, lang, said):  # noqa: F811
    check_in = Clock().today() + timedelta(days=_OFFSET[lang])
    made = _form(pages, lang, check_in)
    assert made.status_code == 303, made.text
    location = made.headers["location"]
    product_id = pages.get("/v1" + location).json()["items"][0]["product_id"]
    night = check_in + timedelta(days=6)
    words = said.format(day=formats.long_date(night, lang))
    error = {"zh-CN": "错误：", "en": "Error: "}[lang] + words
    pages.cookies.set("lang", lang)
    book_page = pages.get(location + "/book").text  # the book form, opened before the close
    key = re.search(r'name="idempotency_key" value="([^"]+)"', book_page).group(1)
    book_form = {"csrf_token": csrf(book_page), "idempotency_key": key, "lead_name": "王秀兰",
                 "lead_phone": "13912345678", "consent": "yes"}  # fmt: skip
    _stop_sell(pages_db, product_id, night, True)
    try:
        r = _form(pages, lang, check_in)
        assert r.status_code == 422
        assert field_error(r.text, "check_in") == error
        assert field_error(r.text, "nights") is None

        # an older quote of the stay re-checked (its page offers it once expired)
        product_page = pages.get(f"/products/{PRODUCT}", headers={"Accept-Language": lang}).text
        again = pages.post(
            location + "/again",
            data={"csrf_token": csrf(product_page)},
            headers={"Accept-Language": lang},
        )
        assert again.status_code == 422
        assert field_error(again.text, "check_in") == error

        booked = pages.post(location + "/book", data=book_form, follow_redirects=False)
        assert booked.status_code == 409
        assert words in booked.text

        api = _api_quote(pages, product_id, check_in)
        problem = api.json()
        assert api.status_code == 422 and problem["code"] == "not_on_sale"
        assert problem["reason"] == "not_on_sale" and problem["day"] == night.isoformat()
        assert problem["detail"].endswith(f": the night of {night.isoformat()} is not on sale.")
    finally:
        _stop_sell(pages_db, product_id, night, False)
        pages.cookies.delete("lang")


@pytest.mark.parametrize(
    "lang, said",
    [
        ("zh-CN", "错误：{night} 这一晚没有可售的房间，请换一个日期。"),
        ("en", "Error: There is no room on sale on the night of {night}; please choose other "
               "dates."),
    ],
)  # fmt: skip
def test_a_night_with_no_room_in_all_is_said_beside_the_check_in(pages, pages_db, lang, said):  # noqa: F811
    """``too_many_units`` with a ``limit`` of 0: never "only 0 rooms… choose 0 or fewer"."""
    check_in = Clock().today() + timedelta(days=_OFFSET[lang] + 40)
    product_id = pages.get(f"/v1/products/{PRODUCT}").json()["id"]
    night = check_in + timedelta(days=4)
    sql = "UPDATE inventory_night SET total_units = {} WHERE product_id = :p AND night = :n"
    args = {"p": product_id, "n": night}
    with pages_db.write_session() as s:
        was = s.execute(
            sa.text("SELECT total_units FROM inventory_night WHERE product_id = :p AND night = :n"),
            args,
        ).scalar_one()
        s.execute(sa.text(sql.format("0")), args)
        s.commit()
    try:
        r = _form(pages, lang, check_in)
        assert r.status_code == 422
        assert field_error(r.text, "check_in") == said.format(night=formats.long_date(night, lang))
        assert field_error(r.text, "units") is None
        api = _api_quote(pages, product_id, check_in).json()
        assert (api["code"], api["limit"]) == ("too_many_units", 0)
        assert "no unit on sale" in api["detail"] and "at most 0" not in api["detail"]
    finally:
        with pages_db.write_session() as s:
            s.execute(sa.text(sql.format(":was")), {**args, "was": was})
            s.commit()
