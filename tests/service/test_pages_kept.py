"""Kept per-visitor pages (``web.kept_page``): the quote page and the manage page are
rendered once and kept, and what they show must still be exactly the database's state.

On both databases: a kept manage page follows every change of its booking, through our
services and through plain SQL (the row's ``change_seq`` trigger), its row written again
whole included; a hold read after its time reads expired; a kept page is only ever
served with the token that read it; each visitor gets their own CSRF token in it; a kept
quote page turns expired at the end of its guarantee (and back, for a clock set
earlier); a kept quote page follows the units of each night of its stays (units moved
from a night outside the stay onto one inside it, their sums unchanged, included) and
does not outlive the Shanghai midnight after which its check-in is in the past."""

import re
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from fastapi.testclient import TestClient
from freezegun import freeze_time
from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from service.app import create_app
from service.bookings.models import Booking
from service.clock import SHANGHAI, Clock
from tests.service.test_pages_trip import (  # noqa: F401
    PRODUCT,
    _book,
    _quote,
    csrf,
    pages,
    pages_db,
    stripe_pages,
)
from tests.support.payments import fake_stripe  # noqa: F401


def _status(html: str) -> str:
    return re.search(r'id="booking-status">([^<]+)<', html).group(1)


def _without_tokens(html: str) -> str:
    return re.sub(r'name="csrf_token" value="[^"]+"', "", html)


def _booked(client) -> tuple[str, str]:
    """A booking made through the pages, its first view (the token shown once) read:
    its reference and token."""
    r, _ = _book(client, _quote(client).headers["location"])
    assert r.status_code == 303
    html = client.get("/manage").text
    reference = re.search(r'id="booking-reference"><strong>([^<]+)', html).group(1)
    token = re.search(r'id="booking-token"><strong>([^<]+)', html).group(1)
    return reference, token


def test_a_kept_manage_page_follows_every_change_of_its_booking(pages, pages_db):  # noqa: F811
    reference, token = _booked(pages)
    first = pages.get("/manage").text
    assert _status(first) == "已确认"
    # kept, and the same page (but for the CSRF token, signed with the second it is made)
    assert _without_tokens(pages.get("/manage").text) == _without_tokens(first)

    # Changed with plain SQL, as an operator's shell would: no code of ours runs, the
    # row's change trigger does.
    with pages_db.write_session() as s:
        s.execute(
            sa.text("UPDATE booking SET status = 'completed' WHERE reference = :r"),
            {"r": reference},
        )
        s.commit()
    assert _status(pages.get("/manage").text) == "已完成"
    with pages_db.write_session() as s:
        s.execute(
            sa.text("UPDATE booking SET status = 'confirmed' WHERE reference = :r"),
            {"r": reference},
        )
        s.commit()
    assert _status(pages.get("/manage").text) == "已确认"

    # Cancelled through the JSON API, not the pages.
    r = pages.post(
        f"/v1/bookings/{reference}/cancel",
        json={},
        headers={"X-Booking-Token": token, "Idempotency-Key": f"kept-{reference}"},
    )
    assert r.status_code == 200, r.text
    html = pages.get("/manage", headers={"Accept-Language": "en"}).text
    assert _status(html) == "Cancelled"
    assert _status(pages.get("/manage").text) == "已取消"


def test_a_kept_manage_page_follows_its_booking_written_again_whole(pages, pages_db):  # noqa: F811
    """The booking's row written again by a repair script that leaves ``change_seq`` out:
    an upsert (both databases) and, on SQLite, ``INSERT OR REPLACE`` (a delete, then an
    insert). The booking last written held the highest ``change_seq``, which 0008's
    ``max() + 1`` gave back to a replaced row: the kept page was served unchanged."""
    reference, _ = _booked(pages)
    assert _status(pages.get("/manage").text) == "已确认"  # kept from here
    columns = [c.name for c in Booking.__table__.columns if c.name != "change_seq"]
    names = ", ".join(columns)
    values = ", ".join(":status" if c == "status" else c for c in columns)
    again = f"INTO booking ({names}) SELECT {values} FROM booking WHERE reference = :r"
    writes = [("INSERT " + again + " ON CONFLICT (id) DO UPDATE SET status = :status", "已完成")]
    if pages_db.dialect == "sqlite":
        writes += [("INSERT OR REPLACE " + again, "已确认"), ("REPLACE " + again, "已完成")]
    for sql, shown in writes:
        status = {"已确认": "confirmed", "已完成": "completed"}[shown]
        with pages_db.write_session() as s:
            s.execute(sa.text(sql), {"r": reference, "status": status})
            s.commit()
        assert _status(pages.get("/manage").text) == shown


def test_a_kept_page_is_served_only_with_the_token_that_read_it(pages, pages_db):  # noqa: F811
    """Cookies signed as before 2026-12-07 (a serializer's JSON), still read for their
    30 days."""
    reference, token = _booked(pages)
    assert reference in pages.get("/manage").text  # kept now
    signer = URLSafeTimedSerializer(pages_db.settings.secret_key, salt="jl-pages-booking")
    for wrong in (token[:-1] + ("A" if token[-1] != "A" else "B"), ""):
        pages.cookies.set("jl_booking", signer.dumps([reference, wrong, False]), path="/manage")
        html = pages.get("/manage", headers={"Accept-Language": "en"}).text
        assert reference not in html
        assert "The reference or the token is not right" in html
    pages.cookies.set("jl_booking", signer.dumps([reference, token, False]), path="/manage")
    assert reference in pages.get("/manage").text


def test_the_booking_cookie_opens_its_booking_for_30_days_and_nothing_else(
    pages,  # noqa: F811
    pages_db,  # noqa: F811
):
    """The cookie as the pages set it (signed text, not JSON): a token typed with spaces
    and in lower case is kept as typed and opens the booking; a cookie changed anywhere,
    signed but not of the cookie's shape, or older than 30 days opens the sign-in form
    (never an error); one the serializer signed before 2026-12-07 still opens it (the
    test above)."""
    reference, token = _booked(pages)
    opened = pages.get("/manage")
    typed = " ".join(token.lower()[i : i + 4] for i in range(0, len(token), 4))
    r = pages.post(
        "/manage",
        data={"csrf_token": csrf(opened.text), "reference": reference, "token": typed},
        follow_redirects=False,
    )
    assert r.status_code == 303
    cookie = pages.cookies.get("jl_booking", path="/manage")
    assert not cookie.startswith("eyJ")  # not the serializer's JSON
    assert reference in pages.get("/manage").text
    signer = TimestampSigner(pages_db.settings.secret_key, salt="jl-pages-booking-3")
    changed = [
        cookie[:i] + ("A" if cookie[i] != "A" else "B") + cookie[i + 1 :] for i in (0, 5, -3)
    ]
    for bad in [*changed, signer.sign("0.bm90aGluZw").decode(), signer.sign("1.%%%").decode()]:
        pages.cookies.set("jl_booking", bad, path="/manage")
        html = pages.get("/manage").text
        assert reference not in html and 'name="token"' in html
    pages.cookies.set("jl_booking", cookie, path="/manage")
    with freeze_time(datetime.now() + timedelta(days=29)):
        assert reference in pages.get("/manage").text
    with freeze_time(datetime.now() + timedelta(days=31)):
        assert 'name="token"' in pages.get("/manage").text


def test_each_visitor_gets_their_own_csrf_token_in_a_kept_page(pages, pages_db):  # noqa: F811
    _booked(pages)
    booking_cookie = pages.cookies.get("jl_booking")
    with TestClient(create_app(pages_db.settings, database=pages_db)) as other:
        other.cookies.set("jl_booking", booking_cookie, path="/manage")
        mine, theirs = pages.get("/manage").text, other.get("/manage").text
        assert csrf(mine) != csrf(theirs)
        assert re.sub(r'value="[^"]+"', "", mine) == re.sub(r'value="[^"]+"', "", theirs)
        r = other.post("/manage/forget", data={"csrf_token": csrf(theirs)}, follow_redirects=False)
        assert r.status_code == 303
    r = pages.post("/manage/forget", data={"csrf_token": csrf(mine)}, follow_redirects=False)
    assert r.status_code == 303


def test_a_kept_quote_page_turns_expired_when_its_guarantee_ends(pages):  # noqa: F811
    location = _quote(pages).headers["location"]
    quote = pages.get("/v1" + location).json()
    expires = datetime.fromisoformat(quote["expires_at"])
    assert 'class="notice"' in pages.get(location).text
    with freeze_time(expires - timedelta(seconds=1)):
        html = pages.get(location, headers={"Accept-Language": "en"}).text
        assert 'class="warning"' not in html and "Price guaranteed" in html
    with freeze_time(expires):
        html = pages.get(location, headers={"Accept-Language": "en"}).text
        assert 'class="warning"' in html
    with freeze_time(expires + timedelta(days=3)):
        assert 'class="warning"' in pages.get(location).text
    assert 'class="warning"' not in pages.get(location).text  # the clock set back


def test_a_kept_hold_reads_expired_once_its_time_has_passed(stripe_pages):  # noqa: F811
    c = stripe_pages
    reference, token = _booked(c)
    booking = c.get(f"/v1/bookings/{reference}", headers={"X-Booking-Token": token}).json()
    hold_ends = datetime.fromisoformat(booking["hold_expires_at"])
    assert _status(c.get("/manage").text) == "待付款"
    assert _status(c.get("/manage").text) == "待付款"  # kept
    with freeze_time(hold_ends - timedelta(seconds=1)):
        assert _status(c.get("/manage").text) == "待付款"
    with freeze_time(hold_ends):
        assert _status(c.get("/manage").text) == "已过期"
        after = c.get(f"/v1/bookings/{reference}", headers={"X-Booking-Token": token})
        assert after.json()["status"] == "expired"  # the read expired it, as the API's


def test_pages_kept_when_made_equal_the_pages_read_back_from_the_database(
    pages,  # noqa: F811
    pages_db,  # noqa: F811
):
    """The quote form keeps the quote page from the quote just made, and the first view
    of a booking keeps its page with the code folded (its token a placeholder, filled
    from the visitor's cookie): each equals the page rendered from the stored rows once
    nothing is kept."""
    from service.pages import web

    for lang in ("zh-CN", "en"):
        location = _quote(pages, lang).headers["location"]
        _book(pages, location)
        first = pages.get("/manage", headers={"Accept-Language": lang}).text
        assert '<details class="booking-code" id="booking-code" open>' in first
        kept_quote = pages.get(location, headers={"Accept-Language": lang}).text
        kept_booking = pages.get("/manage", headers={"Accept-Language": lang}).text
        assert '<details class="booking-code" id="booking-code">' in kept_booking
        assert "booking-token" in kept_booking
        web.visitor_pages_for(pages_db.engine).clear()
        read_quote = pages.get(location, headers={"Accept-Language": lang}).text
        read_booking = pages.get("/manage", headers={"Accept-Language": lang}).text
        assert _without_tokens(kept_quote) == _without_tokens(read_quote)
        assert _without_tokens(kept_booking) == _without_tokens(read_booking)


def test_forgetting_a_booking_drops_its_kept_page(pages, pages_db):  # noqa: F811
    """The kept page holds the lead traveller's name and phone: "forget this booking"
    on a shared device drops it from memory too, not only the cookie."""
    from service.pages import web

    reference, _ = _booked(pages)
    html = pages.get("/manage").text  # kept now
    kept = web.visitor_pages_for(pages_db.engine)
    before = len(kept)
    r = pages.post("/manage/forget", data={"csrf_token": csrf(html)}, follow_redirects=False)
    assert r.status_code == 303
    assert len(kept) == before - 1
    assert reference not in pages.get("/manage").text


def _taken(db, product_id: int, night: date, add: int) -> tuple[int, int]:
    """Add ``add`` taken units to the product's night (plain SQL); its total and taken
    units before."""
    with db.write_session() as s:
        conn = s.connection()
        where = "WHERE product_id = :p AND night = :n"
        args = {"p": product_id, "n": night}
        total, taken = conn.execute(
            sa.text(f"SELECT total_units, taken_units FROM inventory_night {where}"), args
        ).one()
        conn.execute(sa.text(f"UPDATE inventory_night SET taken_units = taken_units + :k {where}"),
                     {**args, "k": add})  # fmt: skip
        s.commit()
    return total, taken


def test_a_kept_quote_page_follows_each_night_of_its_stay(pages, pages_db):  # noqa: F811
    location = _quote(pages).headers["location"]
    item = pages.get("/v1" + location).json()["items"][0]
    product_id, check_in = item["product_id"], date.fromisoformat(item["check_in"])
    inside, outside = check_in + timedelta(days=3), check_in + timedelta(days=20)
    total, taken = _taken(pages_db, product_id, inside, 0)
    k = total - taken  # what sells the night inside the stay out
    assert k > 0 and 'id="bookable"' in pages.get(location).text
    _taken(pages_db, product_id, outside, k)
    try:
        assert 'id="bookable"' in pages.get(location).text  # kept with these units
        _taken(pages_db, product_id, outside, -k)  # moved inside: the sums are the same
        _taken(pages_db, product_id, inside, k)
        check = pages.get(
            f"/v1/products/{product_id}/availability/check",
            params={"check_in": item["check_in"], "check_out": item["check_out"], "units": 1},
        ).json()
        assert check["reason"] == "sold_out"
        html = pages.get(location).text
        assert 'id="bookable"' not in html and 'id="not-bookable"' in html
    finally:
        _taken(pages_db, product_id, inside, -k)


def test_the_book_page_says_a_stay_sold_out_since_before_anything_is_typed(
    pages,  # noqa: F811
    pages_db,  # noqa: F811
):
    location = _quote(pages).headers["location"]
    item = pages.get("/v1" + location).json()["items"][0]
    product_id, night = item["product_id"], date.fromisoformat(item["check_in"]) + timedelta(days=2)
    form = pages.get(location + "/book").text
    assert 'name="lead_name"' in form and 'id="not-bookable"' not in form
    total, taken = _taken(pages_db, product_id, night, 0)
    _taken(pages_db, product_id, night, total - taken)  # the night sold out meanwhile
    try:
        r = pages.get(location + "/book", headers={"Accept-Language": "en"})
        assert r.status_code == 200
        assert 'id="not-bookable"' in r.text and 'name="lead_name"' not in r.text
        assert f'href="/products/{product_id}"' in r.text  # the way to other dates
        assert "sold out" in r.text.lower()
    finally:
        _taken(pages_db, product_id, night, taken - total)
    assert 'name="lead_name"' in pages.get(location + "/book").text  # bookable again


def test_a_kept_quote_page_checking_in_today_ends_at_shanghai_midnight(pages):  # noqa: F811
    day = Clock().today() + timedelta(days=60)
    evening = datetime(day.year, day.month, day.day, 23, 50, tzinfo=SHANGHAI)
    with freeze_time(evening):
        r = _quote(pages, check_in=day.isoformat())
        location = r.headers["location"]
        assert 'id="bookable"' in pages.get(location).text
        assert 'id="bookable"' in pages.get(location).text  # kept
    with freeze_time(evening + timedelta(minutes=10)):  # midnight: the guarantee holds on
        html = pages.get(location).text
        assert 'id="bookable"' not in html and 'id="not-bookable"' in html
        assert "已过入住日期" in html
