"""The manage page's first view (nothing kept: a booking made with ``POST /v1/bookings``,
opened with the manage form, its page never rendered on this worker): it shows the
booking as it is when it is read, a change made before it included, on both databases.
On SQLite it is read and rendered on the event loop (``runner.read_on_loop``), and a
database busy there sends the read to the thread pool with the same page, counted."""

import sqlite3
import uuid

import pytest
import sqlalchemy as sa
from prometheus_client import REGISTRY

from tests.service.test_pages_kept import _status
from tests.service.test_pages_trip import _quote, open_with_form, pages, pages_db  # noqa: F401


def _booked_by_api(pages) -> tuple[str, str]:  # noqa: F811
    """A booking made with ``POST /v1/bookings`` (of a quote made on the pages), then
    opened with the manage form (its cookie set, its page not yet rendered): reference
    and token."""
    quote_id = _quote(pages).headers["location"].rsplit("/", 1)[1]
    r = pages.post(
        "/v1/bookings",
        json={"quote_id": quote_id, "lead_traveller": {"name": "王秀兰", "phone": "13912345678"}},
        headers={"Idempotency-Key": str(uuid.uuid4())},
    )
    assert r.status_code == 201, r.text
    reference, token = r.json()["reference"], r.json()["token"]
    assert open_with_form(pages, reference, token).status_code == 303
    return reference, token


def _busy_fallbacks() -> float:
    return REGISTRY.get_sample_value("jilin_loop_read_fallbacks_total", {"reason": "busy"}) or 0.0


def test_a_first_view_shows_a_booking_cancelled_before_it(pages):  # noqa: F811
    reference, token = _booked_by_api(pages)
    r = pages.post(
        f"/v1/bookings/{reference}/cancel",
        json={},
        headers={"X-Booking-Token": token, "Idempotency-Key": str(uuid.uuid4())},
    )
    assert r.status_code == 200, r.text
    html = pages.get("/manage").text
    assert _status(html) == "已取消"
    assert 'href="/manage/cancel"' not in html  # nothing left to cancel
    assert reference in html


def test_a_first_view_shows_a_booking_changed_with_plain_sql_before_it(pages, pages_db):  # noqa: F811
    reference, _ = _booked_by_api(pages)
    with pages_db.write_session() as s:  # an operator's shell: the stay begun, checked in
        s.execute(
            sa.text(
                "UPDATE booking_item SET stay_status = 'checked_in' WHERE booking_id = "
                "(SELECT id FROM booking WHERE reference = :r)"
            ),
            {"r": reference},
        )
        s.execute(
            sa.text("UPDATE booking SET version = version WHERE reference = :r"), {"r": reference}
        )
        s.commit()
    html = pages.get("/manage").text
    assert _status(html) == "已确认"
    assert 'id="not-cancellable"' in html  # a stay begun: why it cannot be cancelled
    assert 'href="/manage/cancel"' not in html


def test_on_sqlite_a_first_view_is_read_on_the_event_loop(pages, pages_db):  # noqa: F811
    if pages_db.dialect != "sqlite":
        assert pages_db.loop_reads is None  # PostgreSQL: read in the thread hop
        return
    read_here = []

    def seen(*args):
        read_here.append(args[2])

    engine = pages_db.loop_reads.engine
    sa.event.listen(engine, "before_cursor_execute", seen)
    try:
        reference, _ = _booked_by_api(pages)
        before = _busy_fallbacks()
        html = pages.get("/manage").text
    finally:
        sa.event.remove(engine, "before_cursor_execute", seen)
    assert _status(html) == "已确认" and reference in html
    assert any("FROM booking" in sql for sql in read_here)
    assert _busy_fallbacks() == before
    with pytest.raises(sa.exc.OperationalError):  # and its connection reads only
        with pages_db.loop_reads.engine.connect() as conn:
            conn.exec_driver_sql("DELETE FROM booking WHERE reference = 'none'")


def test_on_sqlite_a_busy_database_sends_the_first_view_to_the_thread_pool(pages, pages_db):  # noqa: F811
    if pages_db.dialect != "sqlite":
        pytest.skip("SQLite's reads on the event loop")
    reference, token = _booked_by_api(pages)

    def locked(*_args):
        raise sqlite3.OperationalError("database is locked")

    engine = pages_db.loop_reads.engine
    sa.event.listen(engine, "before_cursor_execute", locked)
    try:
        before = _busy_fallbacks()
        html = pages.get("/manage").text
        assert _busy_fallbacks() == before + 1
    finally:
        sa.event.remove(engine, "before_cursor_execute", locked)
    assert _status(html) == "已确认" and reference in html
    assert token in html  # the visitor's own code, as on every view
    # The page it rendered there is kept as usual.
    again = pages.get("/manage").text
    assert _busy_fallbacks() == before + 1
    assert _status(again) == "已确认"
