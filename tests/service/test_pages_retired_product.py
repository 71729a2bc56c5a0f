"""A product its operator retired is said as no longer offered, never as dates or a
night not on sale: on its own page (no quote form or price calendar, the way back to its
destination), on a quote form posted after it was retired, on an older quote's page and
book form, and by the API, whose ``not_on_sale`` carries the reason ``product_retired``
(no ``day``) that the pages' words follow: the quote's 422, the booking's 409 and the
availability check. TestClient on both databases, both languages."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from service.clock import Clock
from tests.service.test_pages_trip import PRODUCT, _quote, csrf, field_error, pages_db  # noqa: F401
from tests.service.test_pages_trip_states import _summary, pages  # noqa: F401

# Away from the dates the other page modules quote and book.
_OFFSET = {"zh-CN": 420, "en": 434}
SAID = {
    "zh-CN": ("这个住宿已不再提供", "已不再提供，不能再预订",
              "看看长白山北景区·二道白河的其他住宿"),
    "en": ("This stay is no longer offered", "is no longer offered, so it cannot be booked",
           "See the other stays at Changbai Mountain North (Erdaobaihe)"),
}  # fmt: skip
NOT_ON_SALE = {"zh-CN": ("未在售", "不在销售期"), "en": ("not on sale", "Not on sale")}


def _retire(db, retired: bool) -> None:
    with db.write_session() as s:
        s.execute(
            sa.text("UPDATE product SET is_active = :active WHERE slug = :slug"),
            {"active": not retired, "slug": PRODUCT},
        )
        s.commit()


def _main(html: str) -> str:
    return re.search(r"<main.*</main>", html, re.S).group(0)


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_a_retired_product_is_said_as_no_longer_offered(pages, pages_db, lang):  # noqa: F811
    retired, note, see = SAID[lang]
    check_in = Clock().today() + timedelta(days=_OFFSET[lang])
    made = _quote(pages, lang, check_in=check_in.isoformat())
    assert made.status_code == 303, made.text
    location = made.headers["location"]
    quote = pages.get("/v1" + location).json()
    item = quote["items"][0]
    pages.cookies.set("lang", lang)
    book_page = pages.get(location + "/book").text  # opened before the product is retired
    key = re.search(r'name="idempotency_key" value="([^"]+)"', book_page).group(1)
    book_form = {"csrf_token": csrf(book_page), "idempotency_key": key, "lead_name": "王秀兰",
                 "lead_phone": "13912345678", "consent": "yes"}  # fmt: skip
    form_page = pages.get(f"/products/{PRODUCT}").text  # its quote form, opened before
    stay = {"csrf_token": csrf(form_page), "check_in": check_in.isoformat(), "nights": "14",
            "guests": "2", "units": "1"}  # fmt: skip
    _retire(pages_db, True)
    try:
        # its page: said, with the way back to its destination, and no form to price it
        page = pages.get(f"/products/{PRODUCT}")
        assert page.status_code == 200
        box = re.search(r'<div class="warning" id="retired".*?</div>', page.text, re.S).group(0)
        assert retired in box and f'href="/destinations/changbaishan-north">{see}</a>' in box
        assert f'action="/products/{PRODUCT}/quote"' not in page.text
        assert 'id="availability"' not in page.text

        # the quote form posted after (as a page opened before would): the whole form's
        # problem, at the top, never the dates' or a night's
        r = pages.post(f"/products/{PRODUCT}/quote", data=stay)
        assert r.status_code == 422
        assert retired in _summary(r.text) and field_error(r.text, "check_in") is None
        for words in NOT_ON_SALE[lang]:
            assert words not in _main(r.text), words

        # the older quote's page and book form say it, with the way to the destination
        for path in (location, location + "/book"):
            main = _main(pages.get(path).text)
            note_box = re.search(r'id="not-bookable".*?</div>', main, re.S).group(0)
            assert note in note_box and see in note_box, path
            assert "/products/" not in note_box  # no "choose other dates"
            for words in NOT_ON_SALE[lang]:
                assert words not in main, (path, words)

        # the book form opened before: refused, in the same words
        booked = pages.post(location + "/book", data=book_form, follow_redirects=False)
        assert booked.status_code == 409 and retired in _summary(booked.text)

        # the API: the code the pages follow
        api = pages.post(
            "/v1/quotes",
            json={"items": [{k: item[k] for k in ("product_id", "check_in", "check_out",
                                                  "guests", "units")}]},
            headers={"Accept-Language": "en"},
        )  # fmt: skip
        problem = api.json()
        assert api.status_code == 422, problem
        assert (problem["code"], problem["field"]) == ("not_on_sale", "items[0].product_id")
        assert problem["reason"] == "product_retired" and "day" not in problem
        assert "no longer offered" in problem["detail"]
        check = pages.get(
            f"/v1/products/{item['product_id']}/availability/check",
            params={"check_in": item["check_in"], "check_out": item["check_out"], "units": 1},
        ).json()
        assert (check["bookable"], check["reason"]) == (False, "product_retired"), check
        assert check["not_on_sale_night"] is None
    finally:
        _retire(pages_db, False)
        pages.cookies.delete("lang")
