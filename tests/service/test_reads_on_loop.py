"""PostgreSQL one-value reads on the event loop (``db.AsyncReads``, ``runner.on_loop``):
the catalogue version of the kept catalogue pages and a kept manage page's probe are
read on the worker's own async connection, with no thread hop and no connection from
SQLAlchemy's pool, and still see every change committed before the request; a read that
fails goes to the thread pool, as before, and the page is right all the same.

PostgreSQL only (SQLite reads these with ``VersionWatch``, tests/service/
test_pages_cache.py and test_pages_kept.py)."""

import asyncio
import logging
import re
import socket
import time
from datetime import timedelta

import pytest
import sqlalchemy as sa
from prometheus_client import REGISTRY

from service.db import (
    ASYNC_KEEPALIVES,
    ASYNC_READ_CONNECTIONS,
    ASYNC_READS_APPLICATION,
    NOT_READ,
    AsyncReads,
    Probe,
    read_only_connect_args,
)
from tests.service.test_pages_cache import (  # noqa: F401
    EN,
    TODAY,
    _calendar_cells,
    clock,
    shop,
    visit,
)
from tests.service.test_pages_kept import _booked, _status
from tests.service.test_pages_trip import pages, pages_db  # noqa: F401
from tests.service.test_quotes_cache import plain_sql


@pytest.fixture
def backend() -> str:
    return "postgresql"


class Checkouts:
    """How many connections SQLAlchemy's pool has handed out (a thread-path read takes
    one; a read on the event loop none)."""

    def __init__(self, engine: sa.Engine) -> None:
        self.count = 0
        sa.event.listen(engine, "checkout", self._seen)
        self._engine = engine

    def _seen(self, *_args) -> None:
        self.count += 1

    def close(self) -> None:
        sa.event.remove(self._engine, "checkout", self._seen)


@pytest.fixture
def checkouts(request):
    db = request.getfixturevalue("pages_db" if "pages" in request.fixturenames else "db")
    seen = Checkouts(db.engine)
    yield seen
    seen.close()


def _of_reads_on_loop(db, counted: str = "*", where: str = "") -> int:
    """``count(counted)`` over the server's connections of the reads on the event loop
    (``where``: more conditions), on a connection of SQLAlchemy's pool."""
    with db.engine.connect() as conn:
        found = conn.execute(
            sa.text(
                f"SELECT count({counted}) FROM pg_stat_activity"
                f" WHERE datname = current_database() AND application_name = :app{where}"
            ),
            {"app": ASYNC_READS_APPLICATION},
        ).scalar_one()
        conn.commit()
    return found


def _terminate_reads_on_loop(db) -> int:
    """Cut the server side of every connection of the reads on the event loop, as a
    restart would, waiting until each is gone: how many were cut."""
    return _of_reads_on_loop(db, "pg_terminate_backend(pid, 5000)")


def _title(html: str) -> str:
    return re.search(r"<h1[^>]*>([^<]+)</h1>", html).group(1).strip()


def test_a_kept_catalogue_page_is_checked_on_the_event_loop_and_sees_a_change_at_once(
    visit,  # noqa: F811
    db,
    checkouts,
):
    first = visit.get("/destinations/forest", headers=EN)
    assert first.status_code == 200 and _title(first.text) == "Forest"
    before = checkouts.count
    again = visit.get("/destinations/forest", headers=EN)
    assert _title(again.text) == "Forest"
    assert checkouts.count == before  # the version read on the loop, the page kept

    # Committed on another connection: seen by the very next request.
    plain_sql(db, "UPDATE destination SET name_en = 'Old forest' WHERE slug = 'forest'")
    assert _title(visit.get("/destinations/forest", headers=EN).text) == "Old forest"
    built = checkouts.count
    assert built > before  # rendered again, in a thread
    assert _title(visit.get("/destinations/forest", headers=EN).text) == "Old forest"
    assert checkouts.count == built


def test_a_kept_catalogue_answer_is_a_304_from_the_event_loop(visit, db, checkouts):  # noqa: F811
    tag = visit.get("/destinations").headers["etag"]
    before = checkouts.count
    r = visit.get("/destinations", headers={"If-None-Match": tag})
    assert r.status_code == 304
    assert checkouts.count == before
    plain_sql(db, "UPDATE destination SET name_zh = '老森林' WHERE slug = 'forest'")
    r = visit.get("/destinations", headers={"If-None-Match": tag})
    assert r.status_code == 200 and "老森林" in r.text
    assert r.headers["etag"] != tag


def test_a_kept_product_page_checks_its_version_and_units_on_the_event_loop(
    visit,  # noqa: F811
    db,
    shop,  # noqa: F811
    checkouts,
):
    """The product page's version and units left, one statement (one snapshot) on the
    event loop: a booking's units and a catalogue edit, each seen on the next load."""
    before = _calendar_cells(visit.get("/products/cabin", headers=EN).text)
    assert before and all(c.startswith("¥") for c in before)
    served = checkouts.count
    assert _calendar_cells(visit.get("/products/cabin", headers=EN).text) == before
    assert checkouts.count == served

    plain_sql(
        db,
        "UPDATE inventory_night SET taken_units = total_units WHERE product_id = :p AND night = :n",
        p=shop["cabin"],
        n=TODAY + timedelta(days=3),
    )
    after = _calendar_cells(visit.get("/products/cabin", headers=EN).text)
    assert sum(not c.startswith("¥") for c in after) > 0
    assert checkouts.count > served
    served = checkouts.count
    assert _calendar_cells(visit.get("/products/cabin", headers=EN).text) == after
    assert checkouts.count == served

    plain_sql(db, "UPDATE product SET name_en = 'Log cabin' WHERE id = :p", p=shop["cabin"])
    assert _title(visit.get("/products/cabin", headers=EN).text) == "Log cabin"
    plain_sql(
        db, "UPDATE inventory_night SET taken_units = 0 WHERE product_id = :p", p=shop["cabin"]
    )
    assert _calendar_cells(visit.get("/products/cabin", headers=EN).text) == before


def test_a_kept_product_page_sees_nights_published_past_its_last_period_at_once(
    visit,  # noqa: F811
    db,
    shop,  # noqa: F811
    checkouts,
):
    """The last date on sale (the "four weeks later" link) is in the probe too: a night
    published beyond every night the calendar reads, with no new catalogue version, is
    seen on the next load."""
    last = TODAY + timedelta(days=89)  # the shop publishes 90 nights
    path = f"/products/cabin?from={last}"
    assert "Four weeks later" not in visit.get(path, headers=EN).text
    served = checkouts.count
    assert "Four weeks later" not in visit.get(path, headers=EN).text
    assert checkouts.count == served  # kept, checked on the loop
    plain_sql(
        db,
        "INSERT INTO inventory_night (product_id, night, total_units, taken_units) "
        "VALUES (:p, :n, 2, 0)",
        p=shop["cabin"],
        n=last + timedelta(days=60),  # the calendar reads up to 28 + 14 + 1 nights on
    )
    assert "Four weeks later" in visit.get(path, headers=EN).text


def test_a_kept_manage_page_probes_on_the_event_loop_and_follows_plain_sql(
    pages,  # noqa: F811
    pages_db,  # noqa: F811
    checkouts,
):
    reference, _ = _booked(pages)
    assert _status(pages.get("/manage").text) == "已确认"  # kept now
    before = checkouts.count
    assert _status(pages.get("/manage").text) == "已确认"
    assert checkouts.count == before  # the probe read on the loop

    plain_sql(pages_db, "UPDATE booking SET status = 'completed' WHERE reference = :r", r=reference)
    assert _status(pages.get("/manage").text) == "已完成"
    built = checkouts.count
    assert _status(pages.get("/manage").text) == "已完成"
    assert checkouts.count == built


def test_a_lost_connection_is_replaced_and_the_page_is_right(
    pages,  # noqa: F811
    pages_db,  # noqa: F811
    checkouts,
):
    """A connection cut while idle (a restart, ``pg_terminate_backend``): the server's
    ``FATAL`` and the end of the connection reach asyncpg on the event loop, so the next
    read finds it closed and reads on a new one (cut mid-query, a read goes to a thread:
    ``test_a_connection_cut_mid_query_falls_back_and_the_next_read_is_on_a_new_one``);
    either way the page sees the change."""
    reference, _ = _booked(pages)
    assert _status(pages.get("/manage").text) == "已确认"
    home = pages.get("/")
    assert home.status_code == 200

    assert _terminate_reads_on_loop(pages_db) >= 1
    plain_sql(pages_db, "UPDATE booking SET status = 'completed' WHERE reference = :r", r=reference)
    r = pages.get("/manage")
    assert r.status_code == 200 and _status(r.text) == "已完成"

    assert pages.get("/").text == home.text
    assert _terminate_reads_on_loop(pages_db) >= 1
    r = pages.get("/")
    assert r.status_code == 200 and r.text == home.text

    # Back on the event loop, on a new connection.
    served = checkouts.count
    assert _status(pages.get("/manage").text) == "已完成"
    assert pages.get("/").text == home.text
    assert checkouts.count == served
    assert _of_reads_on_loop(pages_db) >= 1


def test_a_connection_cut_mid_query_falls_back_and_the_next_read_is_on_a_new_one(db):
    reads = AsyncReads(db.engine, size=1, timeout=60)
    lost = _fallbacks("connection")

    async def run():
        try:
            first = await reads.value(PID)
            slow = asyncio.create_task(reads.value(Probe("SELECT pg_sleep(30)", {})))
            await asyncio.to_thread(_wait_until_sleeping, db)
            await asyncio.to_thread(_terminate_reads_on_loop, db)
            return first, await slow, await reads.value(PID)
        finally:
            await reads.close_here()

    first, cut, after = asyncio.run(run())
    assert cut is NOT_READ
    assert _fallbacks("connection") == lost + 1
    assert isinstance(after, int) and after != first


def test_reads_in_flight_together_share_a_few_connections(db):
    """Many reads at once on one loop: each gets its own answer, on at most
    ``ASYNC_READ_CONNECTIONS`` connections (one query at a time on each)."""
    probes = [Probe("SELECT (:n)::int * 2, pg_sleep(0.01)", {"n": n}) for n in range(20)]

    async def run() -> tuple[list, int]:
        values = await asyncio.gather(*(db.reads.value(p) for p in probes))
        opened = _opened_here(db)
        await db.reads.close_here()
        return values, opened

    values, opened = asyncio.run(run())
    assert values == [n * 2 for n in range(20)]
    assert 1 <= opened <= ASYNC_READ_CONNECTIONS


def _opened_here(db) -> int:
    return _of_reads_on_loop(db)


def test_a_probe_is_rendered_for_asyncpg_with_its_casts_and_percent_signs(db):
    # (``:name::type`` is no parameter to SQLAlchemy: write ``(:name)::type``. asyncpg
    # binds each parameter as the type the server takes it for: ``n`` a number here.)
    probe = Probe(
        "SELECT (:word)::text || '%' || (:n)::int || (:word)::text", {"word": "half", "n": 50}
    )

    async def run():
        try:
            return await db.reads.value(probe)
        finally:
            await db.reads.close_here()

    assert asyncio.run(run()) == "half%50half"
    with db.engine.connect() as conn:
        assert probe.read(conn) == "half%50half"  # the same SQL through SQLAlchemy


def test_the_reads_are_read_only_and_a_failed_read_is_not_read(db):
    async def run():
        try:
            written = await db.reads.value(Probe("CREATE TABLE nope (i int)", {}))
            after = await db.reads.value(Probe("SELECT 1", {}))
            return written, after
        finally:
            await db.reads.close_here()

    assert asyncio.run(run()) == (NOT_READ, 1)


def _fallbacks(reason: str) -> float:
    return REGISTRY.get_sample_value("jilin_loop_read_fallbacks_total", {"reason": reason}) or 0.0


def _wait_until_sleeping(db) -> None:
    """Until a read on the event loop is running ``pg_sleep`` on the server."""
    for _ in range(500):
        if _of_reads_on_loop(db, where=" AND state = 'active' AND query LIKE '%pg_sleep%'"):
            return
        time.sleep(0.01)
    raise AssertionError("the slow read never ran")


PID = Probe("SELECT pg_backend_pid()", {})


def test_a_read_behind_a_slow_one_falls_back_and_a_slow_ones_connection_is_closed(db):
    """One connection, held by a slow query: the next read does not wait for it but
    falls back (``NOT_READ``, counted); a read that itself does not answer in time falls
    back too and its connection is closed (the next read is on another backend)."""
    reads = AsyncReads(db.engine, size=1, timeout=60)
    timeouts = _fallbacks("timeout")

    async def run():
        try:
            slow = asyncio.create_task(reads.value(Probe("SELECT pg_sleep(30)", {})))
            await asyncio.to_thread(_wait_until_sleeping, db)
            reads.timeout = 0.2  # for the reads that start from now on
            behind = await reads.value(Probe("SELECT 1", {}))
            slow.cancel()  # (it had 60 s) its connection is closed
            first = await reads.value(PID)
            timed_out = await reads.value(Probe("SELECT pg_sleep(30)", {}))
            second = await reads.value(PID)
            return behind, first, timed_out, second
        finally:
            await reads.close_here()

    try:
        behind, first, timed_out, second = asyncio.run(run())
    finally:
        _terminate_reads_on_loop(db)  # the sleeps, still running on the server
    assert behind is NOT_READ and timed_out is NOT_READ
    assert isinstance(first, int) and isinstance(second, int) and first != second
    assert _fallbacks("timeout") == timeouts + 2


def test_a_page_whose_read_waits_behind_a_slow_one_is_read_in_a_thread_and_right(
    pages,  # noqa: F811
    pages_db,  # noqa: F811
    checkouts,
    monkeypatch,
):
    reference, _ = _booked(pages)
    assert _status(pages.get("/manage").text) == "已确认"  # kept now
    reads = AsyncReads(pages_db.engine, size=1, timeout=60)
    monkeypatch.setattr(pages_db, "reads", reads)
    # The app's event loop (TestClient's portal): its one connection held by a slow read.
    slow = pages.portal.start_task_soon(reads.value, Probe("SELECT pg_sleep(30)", {}))
    try:
        _wait_until_sleeping(pages_db)
        reads.timeout = 0.2
        plain_sql(
            pages_db, "UPDATE booking SET status = 'completed' WHERE reference = :r", r=reference
        )
        timeouts, before = _fallbacks("timeout"), checkouts.count
        r = pages.get("/manage")
        assert r.status_code == 200 and _status(r.text) == "已完成"
        assert _fallbacks("timeout") == timeouts + 1
        assert checkouts.count > before  # read in a thread
    finally:
        slow.cancel()
        pages.portal.call(reads.close_here)
        _terminate_reads_on_loop(pages_db)


def test_the_options_of_the_database_url_are_kept_and_the_reads_still_read_only(db):
    # libpq-only settings too: asyncpg would send them to the server as settings, which
    # refuses them ("unrecognized configuration parameter"), every read falling back
    libpq_only = {"gssencmode": "disable", "channel_binding": "prefer"}
    url = db.engine.url.update_query_dict(
        {"options": "-csearch_path=jl_elsewhere,public", "keepalives_idle": "5", **libpq_only}
    )
    args = read_only_connect_args(url)
    assert args["server_settings"]["options"] == "-csearch_path=jl_elsewhere,public"
    assert args["server_settings"]["default_transaction_read_only"] == "on"
    assert "keepalives" not in args["dsn"]  # libpq's, set on the socket instead
    assert not any(key in args["dsn"] for key in libpq_only)
    reads = AsyncReads(sa.create_engine(url))

    async def run():
        try:
            values = [
                await reads.value(Probe(sql, {}))
                for sql in (
                    "SHOW search_path",
                    "SHOW default_transaction_read_only",
                    "SHOW application_name",
                    "CREATE TABLE nope (i int)",
                )
            ]
            (conn,) = reads._here().born
            sock = conn._transport.get_extra_info("socket")
            idle = sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE)
            return values, sock.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE), idle
        finally:
            await reads.close_here()

    values, keepalive, idle = asyncio.run(run())
    assert values == ["jl_elsewhere,public", "on", ASYNC_READS_APPLICATION, NOT_READ]
    assert keepalive and idle == ASYNC_KEEPALIVES["keepalives_idle"]


def test_a_failed_statement_keeps_its_connection_and_is_counted_and_logged(db, caplog):
    """An error of the statement (not of the connection) falls back but keeps the
    connection (the same backend after it); the warning names no parameter."""
    errors = _fallbacks("error")
    reads = AsyncReads(db.engine)  # its own: the first fallback of each reason is logged

    async def run():
        try:
            before = await reads.value(PID)
            failed = await reads.value(
                Probe("SELECT (:email)::int", {"email": "traveller@example.com"})
            )
            read_only = await reads.value(Probe("CREATE TABLE nope (i int)", {}))
            return before, failed, read_only, await reads.value(PID)
        finally:
            await reads.close_here()

    with caplog.at_level(logging.WARNING, logger="jilin.db"):
        before, failed, read_only, after = asyncio.run(run())
    assert failed is NOT_READ and read_only is NOT_READ
    assert isinstance(before, int) and after == before
    assert _fallbacks("error") == errors + 2
    logged = [r.getMessage() for r in caplog.records if r.name == "jilin.db"]
    assert logged and "went to a thread (error: " in logged[0]
    assert not any("traveller@example.com" in m for m in logged)
