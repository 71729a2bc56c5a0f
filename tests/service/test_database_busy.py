"""A request the database turns away as busy (a deadlock, a lock waited on past its
timeout, SQLite locked past its busy timeout) answers 503 ``database_busy`` with
``Retry-After`` (a problem, or the page's 503 at a page's path), not a 500: it is not a
bug, and its transaction rolled back whole (``db.is_contention``; found by a
multi-worker PostgreSQL stress run on 2026-12-07, where deadlocks outside the inventory
statements were 500s). Any other database error stays a 500. Real databases, real
locks: no error is made up."""

import sqlite3

import pytest
import sqlalchemy as sa
from fastapi import Request
from fastapi.testclient import TestClient

from service import runner
from service.app import create_app
from service.db import Database

BUSY_MS = 100


def _busy_app(db: Database):
    """The app on ``db``'s database, SQLite's busy timeout short, with two routes of the
    test's own that run real statements: one that waits on a lock (PostgreSQL: with a
    lock timeout) and one that fails as a bug would."""
    settings = db.settings.model_copy(update={"sqlite_busy_timeout_ms": BUSY_MS})
    database = Database(settings)
    app = create_app(settings, database=database)

    def locks(request: Request) -> dict:
        with runner.transaction(database, write=True) as s:
            if database.dialect == "postgresql":
                s.execute(sa.text(f"SET LOCAL lock_timeout = '{BUSY_MS}ms'"))
                s.execute(sa.text("LOCK TABLE quote IN ACCESS EXCLUSIVE MODE"))
            else:
                s.execute(sa.text("DELETE FROM quote WHERE id = 'none'"))
        return {}

    def divides(request: Request) -> dict:
        with runner.transaction(database) as s:
            s.execute(sa.text("SELECT 1 / (SELECT count(*) FROM quote WHERE id = 'none')"))
        return {}

    app.add_api_route("/v1/test-only/locks", locks, methods=["POST"])
    app.add_api_route("/test-only/locks", locks, methods=["POST"])  # a page's address
    app.add_api_route("/v1/test-only/divides", divides, methods=["POST"])
    app.add_api_route("/test-only/divides", divides, methods=["POST"])  # a page's address
    return app, database


def _holding_the_lock(db: Database):
    """Another connection that holds what the routes wait for: the quote table
    (PostgreSQL), the database's write lock (SQLite)."""
    if db.dialect == "postgresql":
        conn = db.engine.connect()
        conn.exec_driver_sql("LOCK TABLE quote IN SHARE MODE")
        return conn
    path = db.engine.url.database
    conn = sqlite3.connect(path, timeout=0)
    conn.execute("BEGIN IMMEDIATE")
    return conn


def test_a_request_turned_away_as_busy_is_a_503_to_retry(db):
    app, database = _busy_app(db)
    holder = _holding_the_lock(db)
    try:
        with TestClient(app, raise_server_exceptions=False) as client:
            r = client.post("/v1/test-only/locks", headers={"Accept-Language": "en"})
            assert r.status_code == 503, r.text
            assert r.headers["content-type"].startswith("application/problem+json")
            assert r.headers["retry-after"] == "1"
            body = r.json()
            assert body["code"] == "database_busy" and "nothing was changed" in body["detail"]
            zh = client.post("/v1/test-only/locks", headers={"Accept-Language": "zh-CN"})
            assert zh.status_code == 503 and "未做任何更改" in zh.json()["detail"]
    finally:
        holder.rollback()
        holder.close()
    with TestClient(app, raise_server_exceptions=False) as client:
        assert client.post("/v1/test-only/locks").status_code == 200  # free again
    database.dispose()


def test_at_a_pages_address_it_is_the_busy_page_in_the_pages_language(db):
    app, database = _busy_app(db)
    holder = _holding_the_lock(db)
    try:
        with TestClient(app, raise_server_exceptions=False) as client:
            r = client.post("/test-only/locks", headers={"Accept-Language": "en"})
            assert r.status_code == 503 and r.headers["retry-after"] == "1"
            assert r.headers["content-type"].startswith("text/html")
            assert "nothing was changed. Please wait a moment and try again." in r.text
    finally:
        holder.rollback()
        holder.close()
    database.dispose()


def test_any_other_database_error_is_still_a_500(db):
    app, database = _busy_app(db)
    with TestClient(app, raise_server_exceptions=False) as client:
        r = client.post("/v1/test-only/divides")
        if database.dialect == "postgresql":  # division by zero: a bug, not a busy database
            assert r.status_code == 500 and r.json()["code"] == "internal_error"
        else:  # SQLite divides by zero as NULL: no error at all
            assert r.status_code == 200
    database.dispose()


def test_a_bug_at_a_pages_address_is_the_500_page_not_a_problem_document(db):
    """A page's 500 is the page in the page's language (``RequestContext``'s
    ``page_error``), as every other page error; the API's stays a problem."""
    if db.dialect != "postgresql":
        pytest.skip("SQLite divides by zero as NULL: no error to show")
    app, database = _busy_app(db)
    with TestClient(app, raise_server_exceptions=False) as client:
        r = client.post("/test-only/divides", headers={"Accept-Language": "en"})
        assert r.status_code == 500 and r.headers["content-type"].startswith("text/html")
        assert "nothing was changed" in r.text and "Traceback" not in r.text
        zh = client.post("/test-only/divides", headers={"Accept-Language": "zh-CN"})
        assert zh.status_code == 500 and "没有做任何更改" in zh.text
    database.dispose()
