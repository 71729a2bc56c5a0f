"""The quote page's first view (a quote made through ``POST /v1/quotes``, never shown on
this worker) says whether its stays can be booked as the database says it now, though the
products' terms of sale it checks them with are kept per catalogue version
(``availability.check_stays`` given the version its probe read): a night sold since
another quote's page was shown, and a catalogue edit, are both seen by the very next first
view. A booked quote's page says it is booked and checks nothing of its stays; its
booking cancelled, the page says again whether they can be booked. On both databases."""

import sqlite3
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from tests.service.booking_support import post_booking
from tests.service.test_pages_kept import _taken
from tests.service.test_pages_manage_first_view import _busy_fallbacks
from tests.service.test_pages_trip import (  # noqa: F401
    _quote,
    pages,
    pages_db,
)

EN = {"Accept-Language": "en"}


def _item(client) -> dict:
    """A stay the quote form priced (the demo product, 14 nights in 60 days)."""
    location = _quote(client).headers["location"]
    item = client.get("/v1" + location).json()["items"][0]
    return {k: item[k] for k in ("product_id", "check_in", "check_out", "guests", "units")}


def _api_quote(client, *items: dict) -> str:
    """A quote of ``items`` made through the API: its page not yet rendered anywhere."""
    r = client.post("/v1/quotes", json={"items": list(items)})
    assert r.status_code == 201, r.text
    return r.json()["id"]


def test_a_first_view_says_sold_out_for_a_night_sold_since_another_was_shown(
    pages,  # noqa: F811
    pages_db,  # noqa: F811
):
    item = _item(pages)
    first, second = _api_quote(pages, item), _api_quote(pages, item)
    # A first view: the product's terms of sale are kept under this catalogue version.
    assert 'id="bookable"' in pages.get(f"/quotes/{first}", headers=EN).text
    night = date.fromisoformat(item["check_in"]) + timedelta(days=2)
    total, taken = _taken(pages_db, item["product_id"], night, 0)
    _taken(pages_db, item["product_id"], night, total - taken)  # sold meanwhile (no version bump)
    try:
        html = pages.get(f"/quotes/{second}", headers=EN).text  # its first view
        assert 'id="bookable"' not in html and 'id="not-bookable"' in html
        assert "sold out" in html.lower()
        assert 'id="not-bookable"' in pages.get(f"/quotes/{first}", headers=EN).text  # kept: again
    finally:
        _taken(pages_db, item["product_id"], night, taken - total)


@pytest.mark.parametrize("edit", ["retired", "sale_ends"])
def test_a_catalogue_edit_is_seen_on_the_very_next_first_view(pages, pages_db, edit):  # noqa: F811
    item = _item(pages)
    first, second = _api_quote(pages, item), _api_quote(pages, item)
    assert 'id="bookable"' in pages.get(f"/quotes/{first}", headers=EN).text
    check_in = date.fromisoformat(item["check_in"])
    where = {"p": item["product_id"]}
    with pages_db.write_session() as s:
        was = s.execute(
            sa.text("SELECT is_active, sold_until FROM product WHERE id = :p"), where
        ).one()
        # Plain SQL, as an operator's shell would: the product's trigger bumps the version.
        if edit == "retired":
            s.execute(sa.text("UPDATE product SET is_active = false WHERE id = :p"), where)
        else:
            s.execute(
                sa.text("UPDATE product SET sold_until = :d WHERE id = :p"),
                {**where, "d": check_in + timedelta(days=3)},
            )
        s.commit()
    try:
        for quote_id in (second, first):  # a first view, then the kept page rendered again
            html = pages.get(f"/quotes/{quote_id}", headers=EN).text
            assert 'id="bookable"' not in html and 'id="not-bookable"' in html
            if edit == "retired":
                assert "/destinations/" in html  # the way to the other stays there
            else:
                assert "Not on sale" in html
    finally:
        with pages_db.write_session() as s:
            s.execute(
                sa.text("UPDATE product SET is_active = :a, sold_until = :u WHERE id = :p"),
                {**where, "a": was.is_active, "u": was.sold_until},
            )
            s.commit()
    assert 'id="bookable"' in pages.get(f"/quotes/{second}", headers=EN).text


@pytest.mark.parametrize("stays", [1, 2])
def test_a_booked_quotes_first_view_says_booked_and_its_stays_again_once_cancelled(
    pages,  # noqa: F811
    stays,
):
    """Whether the quote is booked is read from its probe's value (``may_be_booked``:
    after the availability's parts, one per stay) before the booking itself is asked."""
    item = _item(pages)
    quote_id = _api_quote(pages, *[item] * stays)
    booking = post_booking(pages, quote_id)
    assert booking.status_code == 201, booking.text
    html = pages.get(f"/quotes/{quote_id}", headers=EN).text  # its first view
    assert 'id="quote-booked"' in html
    assert 'id="bookable"' not in html and 'id="not-bookable"' not in html
    reference, token = booking.json()["reference"], booking.json()["token"]
    r = pages.post(
        f"/v1/bookings/{reference}/cancel",
        json={},
        headers={"X-Booking-Token": token, "Idempotency-Key": f"first-view-{reference}"},
    )
    assert r.status_code == 200, r.text
    html = pages.get(f"/quotes/{quote_id}", headers=EN).text
    assert 'id="quote-booked"' not in html and 'id="bookable"' in html


def test_on_sqlite_a_first_view_is_read_and_rendered_on_the_event_loop(pages, pages_db):  # noqa: F811
    """As the manage page's: on SQLite the quote, its probes and its stays' days are read
    on the worker's own read-only connection on the event loop (no thread hop); on
    PostgreSQL there is none, and the page is read in the thread hop."""
    quote_id = _api_quote(pages, _item(pages))
    if pages_db.dialect != "sqlite":
        assert pages_db.loop_reads is None
        assert 'id="bookable"' in pages.get(f"/quotes/{quote_id}", headers=EN).text
        return
    read_here = []

    def seen(*args):
        read_here.append(args[2])

    engine = pages_db.loop_reads.engine
    sa.event.listen(engine, "before_cursor_execute", seen)
    try:
        before = _busy_fallbacks()
        html = pages.get(f"/quotes/{quote_id}", headers=EN).text
    finally:
        sa.event.remove(engine, "before_cursor_execute", seen)
    assert 'id="bookable"' in html and quote_id in html
    assert any("FROM quote" in sql for sql in read_here)
    assert _busy_fallbacks() == before


def test_on_sqlite_a_busy_database_sends_the_first_view_to_the_thread_pool(pages, pages_db):  # noqa: F811
    if pages_db.dialect != "sqlite":
        pytest.skip("SQLite's reads on the event loop")
    quote_id = _api_quote(pages, _item(pages))

    def locked(*_args):
        raise sqlite3.OperationalError("database is locked")

    engine = pages_db.loop_reads.engine
    sa.event.listen(engine, "before_cursor_execute", locked)
    try:
        before = _busy_fallbacks()
        html = pages.get(f"/quotes/{quote_id}", headers=EN).text
        assert _busy_fallbacks() == before + 1
        # Kept as usual: the next view reads nothing on the event loop.
        again = pages.get(f"/quotes/{quote_id}", headers=EN).text
        assert _busy_fallbacks() == before + 1
    finally:
        sa.event.remove(engine, "before_cursor_execute", locked)
    assert 'id="bookable"' in html and 'id="bookable"' in again
