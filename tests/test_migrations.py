"""The schema is made only by Alembic; it must match the models on both backends."""

import importlib.util
import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlmodel import SQLModel

import service.models  # noqa: F401
from service.migrate import downgrade, upgrade
from tests.support.payments import fake_stripe

FIXTURES = (fake_stripe,)  # used by name below


def _fresh_url(request, backend: str) -> str:
    if backend == "sqlite":
        return f"sqlite:///{request.getfixturevalue('tmp_path')}/m.db"
    return request.getfixturevalue("pg_server").create("mig")


# SQLite's reflection skips expression indexes (uq_operator_account_login_lower, on
# lower(login)), so there it cannot be compared; PostgreSQL compares it, and
# test_logins_that_differ_only_in_case_stop_0026_until_one_is_renamed uses it on both.
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based")
def test_upgrade_to_head_matches_models(request, backend):
    url = _fresh_url(request, backend)
    upgrade(url)
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(ctx, SQLModel.metadata)
    engine.dispose()
    assert diff == []


def test_downgrade_to_base_leaves_no_tables(request, backend):
    url = _fresh_url(request, backend)
    upgrade(url)
    downgrade(url, "base")
    engine = sa.create_engine(url)
    names = set(sa.inspect(engine).get_table_names())
    engine.dispose()
    assert names <= {"alembic_version"}


def test_rate_limit_counts_skip_the_wal_on_postgresql(request, backend):
    """The per-minute counts are UNLOGGED on PostgreSQL (no WAL flush per counted
    request); every table that holds a record of business stays logged."""
    if backend != "postgresql":
        pytest.skip("SQLite has no unlogged tables")
    url = _fresh_url(request, backend)
    upgrade(url)
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        rows = dict(
            conn.execute(
                sa.text(
                    "SELECT relname, relpersistence FROM pg_class "
                    "WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace"
                )
            ).all()
        )
    engine.dispose()
    assert rows.pop("rate_limit_window") == "u"
    assert set(rows.values()) == {"p"}


def test_the_reports_summary_is_back_filled_from_the_rows_before_it(request, backend):
    """Migration 0016 fills ``report_stay`` from the bookings made before it, and gives
    the stays of a year closed before it their trips, from the copied rows themselves
    (and 0018 keeps them: bookings made before it have no traveller)."""
    from service.db import Database
    from tests.conftest import make_settings
    from tests.support import reports as R

    url = _fresh_url(request, backend)
    upgrade(url)
    db = Database(make_settings(url))
    R.build(db, scale=0.4)
    db.dispose()
    downgrade(url, "0015")  # the bookings stay, the summary and the travellers go
    db = Database(make_settings(url))
    scores = ", ".join(f"s.{s}" for s in ("overall", *R.ASPECTS))
    with db.engine.begin() as conn:  # a closing as 0015 made it (every stay, one "year")
        conn.execute(sa.text(
            "INSERT INTO closed_stay SELECT 2026, i.id, i.booking_id, i.item_index, "
            "b.status IN ('confirmed', 'completed'), coalesce(i.stay_status = 'no_show', FALSE), "
            "b.channel, i.product_id, p.destination_id, p.theme, d.pilot_kind, d.prefecture, "
            "p.beds_per_unit, i.check_in, i.check_out, i.units, i.guests, i.net_fen, "
            f"{scores} FROM booking_item i JOIN booking b ON b.id = i.booking_id "
            "JOIN product p ON p.id = i.product_id JOIN destination d ON d.id = p.destination_id "
            "LEFT JOIN survey_response s ON s.booking_item_id = i.id "
            "WHERE b.status IN ('confirmed', 'completed', 'cancelled')"
        ))  # fmt: skip
    db.dispose()
    upgrade(url)
    db = Database(make_settings(url))
    try:
        stays, _ = R.raw_rows(db)
        want = R.expected_summary(stays)
        assert len(want) > 50 and R.summary_rows(db) == want
        with db.engine.connect() as conn:
            closed = conn.execute(sa.text("SELECT item_id, trip_nights FROM closed_stay"))
            closed = {k: v for k, v in closed}
        assert closed == {k: v["trip_nights"] for k, v in want.items()}
        assert any(closed.values())
    finally:
        db.dispose()


def _change_seq_triggers(engine) -> list[tuple[str, str]]:
    with engine.connect() as conn:
        return conn.execute(sa.text(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
            "AND name LIKE 'booking_change_seq%' ORDER BY name"
        )).all()  # fmt: skip


def test_change_seq_keeps_rising_down_to_0018_and_back(request, backend, tmp_path):
    """0019 gives SQLite's bookings their ``change_seq`` from ``change_counter``, which
    starts above every value given; its downgrade puts 0008's triggers back as they were
    (and drops the table). On PostgreSQL the transaction id stays the value throughout."""
    from service.db import Database
    from tests.conftest import make_settings
    from tests.service.booking_support import (
        add_partner,
        add_product,
        book_in_service,
        item,
        make_quote,
    )

    url = _fresh_url(request, backend)
    upgrade(url)
    db = Database(make_settings(url))
    partner = add_partner(db, "ota-mig")
    product = add_product(db, units=5)
    refs = [book_in_service(db, partner.caller, make_quote(db, partner.caller, item(product)))
            for _ in range(2)]  # fmt: skip
    db.dispose()
    engine = sa.create_engine(url)

    def rises(reference: str) -> int:
        """``reference`` updated by plain SQL: its new value, above every other."""
        with engine.begin() as conn:
            conn.execute(sa.text("UPDATE booking SET status = 'completed' WHERE reference = :r"),
                         {"r": reference})  # fmt: skip
        with engine.connect() as conn:
            rows = dict(conn.execute(sa.text("SELECT reference, change_seq FROM booking")).all())
        value = rows.pop(reference)
        assert value > max(rows.values())
        return value

    try:
        for reference in refs:
            rises(reference)
        downgrade(url, "0018")
        assert "change_counter" not in sa.inspect(engine).get_table_names()
        if backend == "sqlite":
            as_made = sa.create_engine(f"sqlite:///{tmp_path}/0018.db")
            upgrade(str(as_made.url), "0018")
            assert _change_seq_triggers(engine) == _change_seq_triggers(as_made) != []
            as_made.dispose()
        for reference in refs:
            rises(reference)
        upgrade(url)
        for reference in (*refs, refs[0]):
            value = rises(reference)
        if backend == "sqlite":
            with engine.connect() as conn:
                counter = conn.execute(sa.text("SELECT last_seq FROM change_counter")).scalar()
            assert counter == value
    finally:
        engine.dispose()


def test_stripe_bookings_get_their_payment_intent_from_their_payment(request, backend, fake_stripe):
    """Migration 0022 gives the Stripe bookings made before it the PaymentIntent of their
    ``payment`` row (a booking paid at the property has none). Booked through the API
    against the fake Stripe, the column dropped (down to 0021), then migrated again."""
    from fastapi.testclient import TestClient

    from service.app import create_app
    from service.db import Database
    from tests.conftest import make_settings
    from tests.support.payments import book, make_stay, stripe_settings_for

    url = _fresh_url(request, backend)
    upgrade(url)
    db = Database(make_settings(url))
    stripe = stripe_settings_for(url, fake_stripe)
    with TestClient(create_app(stripe, database=db)) as c:
        online = book(c, make_stay(db))
    with TestClient(create_app(db.settings, database=db)) as c:
        at_property = book(c, make_stay(db))
    db.dispose()
    downgrade(url, "0021")
    upgrade(url)
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        kept = dict(conn.execute(sa.text("SELECT reference, payment_intent_id FROM booking")).all())
    engine.dispose()
    assert kept == {
        online["reference"]: online["payment"]["payment_intent_id"],
        at_property["reference"]: None,
    }


def test_paid_stripe_bookings_get_when_they_were_paid_from_their_payment(
    request, backend, fake_stripe
):
    """Migration 0029 gives the Stripe bookings paid before it the time their ``payment``
    succeeded; a hold still waiting for its payment has none. Booked and paid through the
    API against the fake Stripe, the column dropped (down to 0028), then migrated again."""
    from fastapi.testclient import TestClient

    from service.app import create_app
    from service.db import Database
    from tests.conftest import make_settings
    from tests.support.payments import book, make_stay, paid_and_confirmed, stripe_settings_for

    url = _fresh_url(request, backend)
    upgrade(url)
    db = Database(make_settings(url))
    stripe = stripe_settings_for(url, fake_stripe)
    with TestClient(create_app(stripe, database=db)) as c:
        paid, _ = paid_and_confirmed(c, stripe, make_stay(db))
        waiting = book(c, make_stay(db))
    db.dispose()
    engine = sa.create_engine(url)
    read = sa.text(
        "SELECT b.reference, b.paid_at, p.succeeded_at FROM booking b "
        "JOIN payment p ON p.booking_id = b.id"
    )
    with engine.connect() as conn:
        written = {r: (at, succeeded) for r, at, succeeded in conn.execute(read).all()}
    engine.dispose()
    downgrade(url, "0028")
    upgrade(url)
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        kept = {r: (at, succeeded) for r, at, succeeded in conn.execute(read).all()}
    engine.dispose()
    assert written[paid["reference"]][0] is not None
    assert kept[paid["reference"]] == written[paid["reference"]]
    assert kept[paid["reference"]][0] == kept[paid["reference"]][1]  # the payment's time
    assert kept[waiting["reference"]] == (None, None)


_INSERT_ACCOUNT = sa.text(
    "INSERT INTO operator_account (login, display_name, role, password_hash, is_active, "
    "created_at) VALUES (:login, 'x', 'operator_staff', 'x', true, '2026-12-01 00:00:00')"
)


def _accounts_at(request, backend, revision: str, logins) -> tuple[str, sa.Engine]:
    """A fresh database migrated to ``revision`` holding an operator account of each of
    ``logins``: its URL and an engine on it (the caller disposes of it)."""
    url = _fresh_url(request, backend)
    upgrade(url, revision)
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        for login in logins:
            conn.execute(_INSERT_ACCOUNT, {"login": login})
    return url, engine


def test_logins_that_differ_only_in_case_stop_0026_until_one_is_renamed(request, backend):
    """0026's unique index on ``lower(login)`` would fail on such a pair: the upgrade
    names them instead, and goes through once one is renamed."""
    url, engine = _accounts_at(request, backend, "0025", ("ok-staff", "OK-Staff", "other"))
    try:
        with pytest.raises(RuntimeError, match="differ only in case: ok-staff[.]"):
            upgrade(url)
        with engine.begin() as conn:
            conn.execute(sa.text("UPDATE operator_account SET login = 'ok-staff-2' "
                                 "WHERE login = 'OK-Staff'"))  # fmt: skip
        upgrade(url)
        with pytest.raises(sa.exc.IntegrityError), engine.begin() as conn:
            conn.execute(_INSERT_ACCOUNT, {"login": "OTHER"})
    finally:
        engine.dispose()


def test_cancellation_reasons_recorded_before_lose_their_personal_data(request, backend):
    """Migration 0027 rewrites the reasons stored in clear before it by the rule new
    reasons are stored by (``service.personal_data``); a reason without any is not
    written. Booked and cancelled through the API, the reasons put back as they were
    stored before, then migrated from 0026."""
    from fastapi.testclient import TestClient
    from sqlmodel import select

    from service.app import create_app
    from service.bookings.models import Booking
    from service.db import Database
    from tests.conftest import make_settings
    from tests.support.payments import book, make_stay

    url = _fresh_url(request, backend)
    upgrade(url)
    db = Database(make_settings(url))
    as_typed = {}
    with TestClient(create_app(db.settings, database=db)) as c:
        stay = make_stay(db)
        for n, reason in enumerate(("客人电话13812345678要求取消", "行程有变")):
            booked = book(c, stay)
            r = c.post(
                f"/v1/bookings/{booked['reference']}/cancel",
                json={"reason": "x"},
                headers={"X-Booking-Token": booked["token"], "Idempotency-Key": f"k-{n}"},
            )
            assert r.status_code == 200, r.text
            as_typed[booked["reference"]] = reason
    with db.write_session() as s:  # as reasons were stored before 0027
        for row in s.exec(select(Booking)):
            row.cancellation = {**row.cancellation, "reason": as_typed[row.reference]}
            s.add(row)
        s.commit()
    db.dispose()
    downgrade(url, "0026")
    # Its own step first, one booking a batch: every batch is read, none skipped.
    migration = _migration("0027_cancellation_reasons_scrubbed")
    migration.BATCH = 1
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn, Operations.context(MigrationContext.configure(conn)):
            migration.upgrade()
        with engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT cancellation FROM booking")).scalars().all()
    finally:
        engine.dispose()
    reasons = [(r if isinstance(r, dict) else json.loads(r))["reason"] for r in rows]
    assert sorted(reasons) == ["客人电话***要求取消", "行程有变"]
    upgrade(url)  # through Alembic: nothing left to change
    db = Database(make_settings(url))
    with db.session() as s:
        stored = {row.reference: row.cancellation["reason"] for row in s.exec(select(Booking))}
    db.dispose()
    assert sorted(stored.values()) == ["客人电话***要求取消", "行程有变"]


def _migration(name: str):
    """A migration module loaded on its own (Alembic loads a fresh copy of it)."""
    path = Path(__file__).resolve().parent.parent / "migrations" / "versions" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"migration_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_login_outside_ascii_letters_digits_and_dot_at_underscore_hyphen_stops_0028(
    request, backend
):
    """Such a login could no longer log in (422 naming login) and folds differently
    on the two databases: 0028 names it instead, and goes through once it is renamed."""
    url, engine = _accounts_at(request, backend, "0027", ("Äsa-desk", "ok.Staff_1@dest-a"))
    try:
        with pytest.raises(RuntimeError, match=r"ASCII letters.*: 'Äsa-desk'[.]"):
            upgrade(url)
        with engine.begin() as conn:
            conn.execute(sa.text("UPDATE operator_account SET login = 'asa-desk' "
                                 "WHERE login = 'Äsa-desk'"))  # fmt: skip
        upgrade(url)
        with engine.connect() as conn:
            version = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
        assert version >= "0028"
    finally:
        engine.dispose()


def test_0032_reads_the_outbox_by_time_and_back(request, backend):
    """0032 swaps the outbox's (client_id, id) index for (client_id, created_at) and
    adds created_at (the fan-out, the gauges and the purge read by time) and the purge
    counts; down to 0031 puts the former index back and drops the counts."""
    url = _fresh_url(request, backend)
    upgrade(url, "0031")
    engine = sa.create_engine(url)

    def outbox_indexes() -> dict[str, list[str]]:
        inspector = sa.inspect(engine)
        return {i["name"]: i["column_names"] for i in inspector.get_indexes("outbox_event")}

    try:
        assert outbox_indexes()["ix_outbox_event_client_id_id"] == ["client_id", "id"]
        upgrade(url)
        indexes = outbox_indexes()
        assert "ix_outbox_event_client_id_id" not in indexes
        assert indexes["ix_outbox_event_client_id_created_at"] == ["client_id", "created_at"]
        assert indexes["ix_outbox_event_created_at"] == ["created_at"]
        assert "purged_rows" in sa.inspect(engine).get_table_names()
        downgrade(url, "0031")
        indexes = outbox_indexes()
        assert set(indexes) == {"ix_outbox_event_booking_id", "ix_outbox_event_client_id_id"}
        assert "purged_rows" not in sa.inspect(engine).get_table_names()
    finally:
        engine.dispose()
