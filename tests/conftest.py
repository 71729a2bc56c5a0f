"""Test databases: real SQLite and real PostgreSQL, built by the migrations.

Each pytest run creates its own PostgreSQL database (``jl_t_<random>``) from the
admin URL ``TEST_DATABASE_URL`` (default: the ``test`` database on 127.0.0.1:5432)
and drops it at the end, so parallel runs and second runs never collide. With
``CI=true`` an unreachable PostgreSQL fails the run; elsewhere its tests are skipped.

Every test that uses ``db`` runs once per backend and starts from empty tables
(all rows are removed after each test). ``demo_db`` is a per-backend database with the
demo catalogue loaded once, for read-only tests.
"""

import logging
import os
import secrets
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlmodel import SQLModel

from service import logs
from service.app import create_app
from service.db import Database
from service.migrate import upgrade
from service.settings import Settings

ADMIN_URL = os.environ.get("TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
IN_CI = os.environ.get("CI", "").lower() == "true"
BACKENDS = ["sqlite", "postgresql"]


# Personal data must never reach a log in clear: every record of the whole suite, with
# its traceback, is checked for a full phone number (a mainland mobile or an
# international number, in full-width digits or with spaces too) or PRC ID number, read
# as the masking reads them (``service.logs``: one rule for both).
def shows_phone_or_id(text: str) -> bool:
    folded = logs.fold(text)
    return bool(logs.PHONE.search(folded) or logs.ID_NUMBER.search(folded))


class _PIIWatch(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(logging.Formatter("%(name)s %(message)s"))
        self.leaks: list[str] = []
        self.records = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.records += 1
        text = self.format(record)
        if shows_phone_or_id(text):
            self.leaks.append(text[:400])


_pii_watch = _PIIWatch()


# Every problem body the suite sees is checked against the documented ``Problem``
# schema, which forbids other members (``additionalProperties: false`` in the OpenAPI
# document): a field a refusal carries but the schema does not declare would fail a
# partner's validating client. ``service.errors.problem_body`` renders every body.
_undeclared: dict[str, set[str]] = {}
# And every zh-CN problem body (its title in Chinese) for English sentences in its
# detail or its fields' messages (``tests.support.english``): an untranslated validator
# sentence, or pydantic's own, reaching a Chinese reader. By code, one example each.
_english_in_zh: dict[str, str] = {}
# And every 422 problem for its ``field``: a 422 refuses something the request sent, and
# the README says each names it (a 429 ``rate_limited``, a 401 or a 404 of an address
# is about the caller or the request as a whole, and names none). By code, one detail.
_fieldless: dict[str, str] = {}


def _english_said(body: dict) -> str | None:
    from tests.support.english import chinese, english_sentences

    if not chinese(str(body.get("title", ""))):
        return None
    texts = [str(body.get("detail", ""))]
    texts += [str(e.get("message", "")) for e in body.get("errors") or () if isinstance(e, dict)]
    return next((text for text in texts if english_sentences(text)), None)


def _watch_problem_bodies() -> None:
    from service import errors

    render, declared = errors.problem_body, set(errors.Problem.model_fields)

    def problem_body(*args, **kwargs):
        body = render(*args, **kwargs)
        if stray := set(body) - declared:
            _undeclared.setdefault(body["code"], set()).update(stray)
        if (said := _english_said(body)) is not None:
            _english_in_zh.setdefault(body["code"], said[:300])
        if body.get("status") == 422 and not body.get("field"):
            _fieldless.setdefault(body["code"], str(body.get("detail"))[:300])
        return body

    errors.problem_body = problem_body


def pytest_configure(config) -> None:
    logging.getLogger().addHandler(_pii_watch)
    _watch_problem_bodies()


# The order files are handed to the pytest-xdist workers in (``./dev test``: ``--dist
# loadfile --no-loadscope-reorder``; docs/testing.md, "Order and speed"). xdist's own order, most
# tests first, left the files with few but long tests (the planner's 1,000 instances, the
# concurrency runs, the servers started from a fresh checkout) to the end, where one
# worker ran them for minutes while the other had finished. These go first, longest
# first (CI durations, 2026-12-07); then the others, most tests first, as before.
LONG_FILES = (
    "tests/planner/test_exactness.py",
    "tests/service/test_bookings_concurrency.py",
    "tests/planner/test_rooms_missing.py",
    "tests/service/test_plans_kernel_same.py",
    "tests/service/test_operations.py",
    "tests/test_cli_start.py",
    "tests/test_project.py",
    "tests/service/test_booking_lifecycle.py",
    "tests/service/test_pages_odd_input.py",
    "tests/service/test_reports_suppression.py",
)


def pytest_collection_modifyitems(config, items) -> None:
    def file(item) -> str:
        return item.nodeid.split("::")[0]

    tests = Counter(file(item) for item in items)
    long = {name: rank for rank, name in enumerate(LONG_FILES)}
    # stable: a file's tests keep their order
    items.sort(key=lambda item: (long.get(file(item), len(long)), -tests[file(item)], file(item)))


# Under pytest-xdist (``./dev test`` runs two workers) the tests, and so both watches,
# run in the workers; a worker's exit status never reaches the run's. Each worker hands
# what it found to the controller (``workeroutput``, sent when it finishes), which
# prints it and fails the run: the same report and exit status as a run in one process.
_from_workers: list[dict] = []


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error) -> None:
    if found := getattr(node, "workeroutput", {}).get("watches"):
        _from_workers.append(found)


def pytest_sessionfinish(session, exitstatus) -> None:
    logging.getLogger().removeHandler(_pii_watch)
    found = {
        "records": _pii_watch.records,
        "leaks": _pii_watch.leaks,
        "undeclared": {code: sorted(members) for code, members in _undeclared.items()},
        "english_in_zh": dict(_english_in_zh),
        "fieldless": dict(_fieldless),
    }
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:  # an xdist worker: the controller reports
        workeroutput["watches"] = found
        return
    records, leaks = found["records"], list(found["leaks"])
    undeclared: dict[str, set[str]] = {c: set(m) for c, m in found["undeclared"].items()}
    english = dict(found["english_in_zh"])
    fieldless = dict(found["fieldless"])
    for worker in _from_workers:
        records += worker["records"]
        leaks += worker["leaks"]
        for code, members in worker["undeclared"].items():
            undeclared.setdefault(code, set()).update(members)
        for code, said in worker.get("english_in_zh", {}).items():
            english.setdefault(code, said)
        for code, said in worker.get("fieldless", {}).items():
            fieldless.setdefault(code, said)
    print(
        f"\nPII log watch: {records} log records checked, "
        f"{len(leaks)} with a full phone or ID number"
    )
    if leaks:
        print(f"\n{len(leaks)} log record(s) carried a full phone or ID number:")
        for leak in leaks[:5]:
            print("  " + leak.replace("\n", " | "))
        session.exitstatus = 1
    if undeclared:
        print("\nProblem bodies with members the Problem schema does not declare:")
        for code, members in sorted(undeclared.items()):
            print(f"  {code}: {', '.join(sorted(members))}")
        session.exitstatus = 1
    if english:
        print("\nzh-CN problem bodies that say an English sentence (tests/support/english.py):")
        for code, said in sorted(english.items()):
            print(f"  {code}: {said}")
        session.exitstatus = 1
    if fieldless:
        print("\n422 problem bodies that name no field:")
        for code, said in sorted(fieldless.items()):
            print(f"  {code}: {said}")
        session.exitstatus = 1


class PgServer:
    def __init__(self) -> None:
        self.admin = sa.create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
        self.created: list[str] = []

    def create(self, label: str) -> str:
        name = f"jl_t_{label}_{secrets.token_hex(4)}"
        with self.admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        self.created.append(name)
        return str(sa.make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False))

    def drop_all(self) -> None:
        with self.admin.connect() as conn:
            for name in self.created:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.admin.dispose()


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    server = PgServer()
    try:
        with server.admin.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
    except sa.exc.OperationalError as exc:
        server.admin.dispose()
        msg = f"PostgreSQL unreachable at {ADMIN_URL}: {exc.orig}"
        if IN_CI:
            pytest.fail(msg, pytrace=False)
        pytest.skip(msg)
    yield server
    server.drop_all()


# Every test's TestClient is one client address ("testclient") on databases shared by
# the session, so the anonymous planner's per-minute share (service.plans.fair, 20 in
# production) would count every test's searches together; the tests of the share set
# their own.
TEST_PLANNER_PER_MINUTE = 1_000_000


def make_settings(url: str, **overrides) -> Settings:
    overrides.setdefault("planner_anonymous_per_minute", TEST_PLANNER_PER_MINUTE)
    return Settings(env="test", database_url=url, **overrides)


@pytest.fixture(scope="session")
def database_urls(tmp_path_factory) -> dict:
    """Lazily created, migrated URLs per backend and purpose."""
    return {}


def _migrated_url(request, backend: str, purpose: str) -> str:
    cache = request.getfixturevalue("database_urls")
    key = (backend, purpose)
    if key not in cache:
        if backend == "sqlite":
            path = request.getfixturevalue("tmp_path_factory").mktemp(purpose) / "t.db"
            url = f"sqlite:///{path}"
        else:
            url = request.getfixturevalue("pg_server").create(purpose)
        upgrade(url)
        cache[key] = url
    return cache[key]


# On PostgreSQL a TRUNCATE of all 44 tables costs 100-600 ms (new files for every
# table, and for a table holding rows the old ones dropped), paid after each of some
# 1,600 tests, while a test writes a handful of tables and a few rows. So one query
# finds the tables holding rows, and only those are emptied, children first, until the
# query finds none (a DELETE fires the triggers a TRUNCATE skips, which may write a row
# to a table already emptied: the catalogue version, the report's stays); then the
# sequences drawn from since their last restart (``pg_sequences.last_value`` stays
# NULL until the first ``nextval`` after one) are restarted. The next test starts from
# the same state as before (every table empty, every identity at 1) in a few ms.
_WITH_ROWS_SQL: dict[tuple[str, ...], str] = {}
_DRAWN_SEQUENCES_SQL = (
    "SELECT quote_ident(schemaname) || '.' || quote_ident(sequencename) FROM pg_sequences"
    " WHERE last_value IS NOT NULL"
)


def _with_rows_sql(tables: list[str]) -> str:
    key = tuple(tables)
    if key not in _WITH_ROWS_SQL:
        _WITH_ROWS_SQL[key] = " UNION ALL ".join(
            f"SELECT '{t}' WHERE EXISTS (SELECT 1 FROM \"{t}\")" for t in tables
        )
    return _WITH_ROWS_SQL[key]


def _clean(database: Database) -> None:
    tables = [t.name for t in reversed(SQLModel.metadata.sorted_tables)]
    with database.engine.begin() as conn:
        if database.dialect != "postgresql":
            for t in tables:
                conn.exec_driver_sql(f'DELETE FROM "{t}"')
            return
        for _ in range(5):
            with_rows = set(conn.exec_driver_sql(_with_rows_sql(tables)).scalars())
            if not with_rows:
                break
            for t in tables:  # children before parents
                if t in with_rows:
                    conn.exec_driver_sql(f'DELETE FROM "{t}"')
        else:
            raise AssertionError(f"tables still hold rows after cleaning: {sorted(with_rows)}")
        for seq in conn.exec_driver_sql(_DRAWN_SEQUENCES_SQL).scalars().all():
            conn.exec_driver_sql(f"ALTER SEQUENCE {seq} RESTART")


@pytest.fixture(scope="session")
def _databases() -> Iterator[dict]:
    opened: dict = {}
    yield opened
    for d in opened.values():
        d.dispose()


def _database(request, backend: str, purpose: str) -> Database:
    opened = request.getfixturevalue("_databases")
    key = (backend, purpose)
    if key not in opened:
        opened[key] = Database(make_settings(_migrated_url(request, backend, purpose)))
    return opened[key]


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture
def db(request, backend) -> Iterator[Database]:
    """A migrated, empty database on each backend; emptied again after the test."""
    database = _database(request, backend, "unit")
    yield database
    _clean(database)


@pytest.fixture
def session(db):
    with db.session() as s:
        yield s


@pytest.fixture
def app(db):
    return create_app(db.settings, database=db)


@pytest.fixture
def client(app) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


@pytest.fixture
def demo_db(request, backend) -> Database:
    """A per-backend database with the demo catalogue loaded once (read-only tests)."""
    from catalog.demo.loader import load_demo

    database = _database(request, backend, "demo")
    marker = ("demo-loaded", backend)
    cache = request.getfixturevalue("database_urls")
    if marker not in cache:
        from datetime import UTC, datetime

        from service.operators.demo import load_demo_operators

        with database.write_session() as s:
            load_demo(s)
            load_demo_operators(s, env="test", now=datetime.now(UTC))
            s.commit()
        cache[marker] = True
    return database


@pytest.fixture
def demo_client(demo_db) -> Iterator[TestClient]:
    with TestClient(
        create_app(demo_db.settings, database=demo_db), raise_server_exceptions=False
    ) as c:
        yield c


ROOT = Path(__file__).resolve().parent.parent
