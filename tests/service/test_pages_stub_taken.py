"""A quote whose ticket stub another booking has used since: its quote and book pages
say so in words (the booking service's own rule, ``bookings.stubs_taken``), offer no
"book" and no form that could never succeed, but the ways on: the same stay priced
without the stub, or other dates. The quote page kept since it was made renders again
when the stub is taken or given back. TestClient on both databases, the demo
catalogue."""

import uuid
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa
from freezegun import freeze_time

from service.quotes.examples import REQUEST_EXAMPLES
from tests.service.test_pages_trip import (  # noqa: F401
    _book,
    _cancel_live_bookings,
    csrf,
    pages,
    pages_db,
)

# the worked example: a stay and a ride, its stub CBN-0001 applied to the ride
STAY = REQUEST_EXAMPLES["worked_example"]["value"]
WORDS = {
    "zh-CN": ("现在订不了", "票根 CBN-0001", "已被另一笔预订使用", "不用这张票根，重新查询价格"),
    "en": (
        "Cannot be booked now",
        "ticket stub CBN-0001, which another booking has used since",
        "Re-check the price without this ticket stub",
    ),
}


def _quote(client) -> str:
    r = client.post("/v1/quotes", json=STAY)
    assert r.status_code == 201, r.text
    assert [(s["code"], s["applied"]) for s in r.json()["stubs"]] == [("CBN-0001", True)]
    return r.json()["id"]


def _book_api(client, quote_id: str):
    body = {
        "quote_id": quote_id,
        "lead_traveller": {"name": "王秀兰", "phone": "13912345678"},
        "guests": [{"name": "王秀兰"}],
    }
    return client.post("/v1/bookings", json=body, headers={"Idempotency-Key": str(uuid.uuid4())})


def _offers_to_book(html: str, quote_id: str) -> bool:
    return f'href="/quotes/{quote_id}/book"' in html


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_a_quote_whose_stub_was_used_since_says_so_and_offers_it_without(pages, pages_db, lang):  # noqa: F811
    pages.cookies.set("lang", lang)
    won, lost = _quote(pages), _quote(pages)
    html = pages.get(f"/quotes/{lost}").text  # kept from here on
    assert _offers_to_book(html, lost) and 'id="stub-taken"' not in html
    assert _book_api(pages, won).status_code == 201
    assert _book_api(pages, lost).json()["code"] == "stub_already_used"  # the API's rule
    try:
        for path in (f"/quotes/{lost}", f"/quotes/{lost}/book"):
            r = pages.get(path)
            assert r.status_code == 200
            assert all(w in r.text for w in WORDS[lang]), (path, r.text)
            assert not _offers_to_book(r.text, lost) and 'id="lead_name"' not in r.text
            assert 'name="without_used_stubs" value="yes"' in r.text
            assert 'href="/products/1"' in r.text  # other dates
        again = pages.post(
            f"/quotes/{lost}/again",
            data={"csrf_token": csrf(r.text), "without_used_stubs": "yes"},
            follow_redirects=False,
        )
        assert again.status_code == 303
        new = again.headers["location"].rsplit("/", 1)[1]
        priced = pages.get(f"/v1/quotes/{new}").json()
        assert priced["stubs"] == [] and priced["items"][0]["check_in"] == "2027-06-25"
        assert len(priced["legs"]) == 1
        assert _offers_to_book(pages.get(f"/quotes/{new}").text, new)
    finally:
        _cancel_live_bookings(pages_db)  # the stub given back: the kept page renders again
    html = pages.get(f"/quotes/{lost}").text
    assert _offers_to_book(html, lost) and 'id="stub-taken"' not in html


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_a_book_form_refused_for_a_used_stub_shows_the_ways_on_not_the_form(pages, pages_db, lang):  # noqa: F811
    pages.cookies.set("lang", lang)
    won, lost = _quote(pages), _quote(pages)
    form = pages.get(f"/quotes/{lost}/book").text
    assert 'id="lead_name"' in form
    assert _book_api(pages, won).status_code == 201
    try:
        r, _ = _book(pages, f"/quotes/{lost}", page=form, lead_name="李桂芝")
        assert r.status_code == 409
        assert all(w in r.text for w in WORDS[lang]), r.text
        assert 'id="lead_name"' not in r.text and '<button type="submit">' not in r.text
    finally:
        _cancel_live_bookings(pages_db)


def test_a_stub_held_by_a_hold_is_free_again_at_its_end_on_the_kept_page(pages, pages_db):  # noqa: F811
    won, lost = _quote(pages), _quote(pages)
    booked = _book_api(pages, won).json()
    hold_end = datetime.now().astimezone() + timedelta(minutes=3)
    with pages_db.write_session() as s:  # the winner an online-payment hold of 3 minutes
        s.execute(
            sa.text(
                "UPDATE booking SET status = 'pending_payment', hold_expires_at = :end "
                "WHERE reference = :ref"
            ),
            {"end": hold_end, "ref": booked["reference"]},
        )
        s.commit()
    try:
        html = pages.get(f"/quotes/{lost}").text
        assert 'id="stub-taken"' in html and not _offers_to_book(html, lost)
        with freeze_time(hold_end + timedelta(seconds=1)):  # the hold holds nothing now
            html = pages.get(f"/quotes/{lost}").text
            assert 'id="stub-taken"' not in html and _offers_to_book(html, lost)
    finally:
        with pages_db.write_session() as s:
            s.execute(
                sa.text("UPDATE booking SET status = 'confirmed' WHERE reference = :ref"),
                {"ref": booked["reference"]},
            )
            s.commit()
        _cancel_live_bookings(pages_db)
