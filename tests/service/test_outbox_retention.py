"""The worker purges the webhook outbox past its retention, never what still waits, and
/metrics counts what every purge deleted (service.retention, docs/webhooks.md)."""

import json
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from freezegun import freeze_time
from pydantic import ValidationError

from service.clock import Clock
from service.settings import Settings
from service.webhooks import repository
from service.webhooks.tasks import FAN_OUT_LOOKBACK, purge_outbox
from service.worker import run_once, sweep_once
from tests.support.payments import book, make_partner, make_stay, receiver

FIXTURES = (receiver,)  # used by name below
DAY = timedelta(days=1)


def _samples(client, name: str) -> dict[str, float]:
    """Every sample of ``name`` on /metrics: its labels (as written) -> its value."""
    text = client.get("/metrics").text
    return {
        line.split()[0][len(name) :]: float(line.split()[-1])
        for line in text.splitlines()
        if line.startswith(name)
    }


def _rows(db, sql: str) -> list:
    with db.engine.connect() as conn:
        return conn.execute(sa.text(sql)).all()


def _events(db) -> dict[str, tuple[str, ...]]:
    """Each outbox event's booking reference -> the statuses of its deliveries."""
    rows = _rows(
        db,
        "SELECT e.id, e.payload, d.status FROM outbox_event e "
        "LEFT JOIN webhook_delivery d ON d.outbox_event_id = e.id ORDER BY e.id, d.id",
    )
    found: dict[str, tuple[str, ...]] = {}
    for _, payload, status in rows:
        payload = payload if isinstance(payload, dict) else json.loads(payload)
        found.setdefault(payload["reference"], ())
        if status:
            found[payload["reference"]] += (status,)
    return found


def test_the_worker_purges_the_outbox_past_its_retention_never_what_waits(db, client, receiver):
    """Past JL_WEBHOOK_RETENTION_DAYS (30) the worker deletes an event delivered and its
    delivery, and an event no partner gets; it keeps an event whose delivery is still
    being retried, one a worker never fanned out (lost: the gauge still counts it, even
    though its endpoint has other deliveries) and the recent ones."""
    _, headers = make_partner(db, db.settings)
    start = (datetime.now(UTC) + timedelta(seconds=1)).replace(microsecond=0)
    with freeze_time(start) as clock:
        client.post("/v1/webhook-endpoints", headers=headers, json={"url": receiver.url})
        clock.tick(1)
        lost = book(client, make_stay(db), headers)["reference"]  # no worker for 4 days
        clock.tick(FAN_OUT_LOOKBACK + DAY)
        receiver.respond_with(500)
        retried = book(client, make_stay(db), headers)["reference"]
        # lost is past the lookback; retried fails once; lost's idempotency keys go
        keys = run_once(db, db.settings).purged["idempotency_key"]
        delivered = book(client, make_stay(db), headers)["reference"]
        anonymous = book(client, make_stay(db))["reference"]
        # delivered is delivered; retried is not due yet
        keys += run_once(db, db.settings).purged["idempotency_key"]
        assert _events(db) == {
            lost: (),
            retried: ("pending",),
            delivered: ("delivered",),
            anonymous: (),
        }
        clock.tick(31 * DAY)
        recent = book(client, make_stay(db), headers)["reference"]
        receiver.respond_with(500, 500)  # retried fails again; recent's first try too

        report = run_once(db, db.settings)

        assert report.purged["outbox_event"] == 2
        assert report.purged["webhook_delivery"] == 1
        assert _events(db) == {lost: (), retried: ("pending",), recent: ("pending",)}
        purged = _samples(client, "jilin_rows_purged_total")
        assert purged['{table="outbox_event"}'] == 2.0
        assert purged['{table="webhook_delivery"}'] == 1.0
        # the worker purges the idempotency keys of 31 days ago too (the sweeper's job
        # where the server runs one)
        keys += report.purged["idempotency_key"]
        assert purged['{table="idempotency_key"}'] == keys > report.purged["idempotency_key"] > 0
        assert _samples(client, "jilin_webhook_deliveries_lost") == {"": 1.0}
        listed = client.get("/v1/webhook-deliveries", headers=headers).json()["items"]
        assert {d["booking_reference"] for d in listed} == {retried, recent}
        again = run_once(db, db.settings).purged
        assert (again["outbox_event"], again["webhook_delivery"]) == (0, 0)


def test_the_purge_goes_in_batches_and_counts_each(db, client):
    start = datetime.now(UTC).replace(microsecond=0)
    with freeze_time(start) as clock:
        for _ in range(5):
            book(client, make_stay(db))
        clock.tick(31 * DAY)
        now = datetime.now(UTC)

        first = purge_outbox(db, now, 30 * DAY, batch=2, batches=2)
        second = purge_outbox(db, now, 30 * DAY, batch=2, batches=2)

    assert (first["outbox_event"], second["outbox_event"]) == (4, 1)
    assert _rows(db, "SELECT table_name, rows FROM purged_rows") == [("outbox_event", 5)]
    assert _rows(db, "SELECT count(*) FROM outbox_event") == [(0,)]


def test_the_sweeper_counts_the_idempotency_keys_it_purges(db, client):
    start = datetime.now(UTC).replace(microsecond=0)
    with freeze_time(start) as clock:
        book(client, make_stay(db))  # its quote and its booking were sent with a key
        (keys,) = _rows(db, "SELECT count(*) FROM idempotency_key")[0]
        assert keys >= 1
        clock.tick(25 * 3600)
        done = sweep_once(db, Clock())
        assert done["idempotency_keys_purged"] == keys
        assert _samples(client, "jilin_rows_purged_total")['{table="idempotency_key"}'] == keys


def test_a_retention_shorter_than_a_week_is_refused():
    with pytest.raises(ValidationError, match="webhook_retention_days"):
        Settings(webhook_retention_days=3)
    assert Settings().webhook_retention_days == 30


def _plan(db, stmt) -> str:
    """The query plan of ``stmt`` as one string; on PostgreSQL with sequential scans
    made dear, so the plan says whether an index can serve it at all (the tables of a
    test are too small for the planner to want one)."""
    sql = str(stmt.compile(db.engine, compile_kwargs={"literal_binds": True}))
    with db.engine.connect() as conn:
        if db.dialect == "postgresql":
            conn.exec_driver_sql("SET enable_seqscan = off")
            rows = conn.exec_driver_sql("EXPLAIN " + sql).all()
        else:
            rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql).all()
    return "\n".join(str(r[-1]) for r in rows)


class _Captured:
    """A session stand-in that keeps the statement a repository function runs."""

    def __init__(self):
        self.stmt = None

    def execute(self, stmt):
        self.stmt = stmt

        class _Nothing:
            def one(self):
                return 0, None

            def scalars(self):
                return []

        return _Nothing()


def test_the_gauges_and_the_purge_read_the_outbox_by_index(db):
    """Neither the /metrics gauges of the fan-out nor the purge scans the outbox: the
    gauges read a partner's events by (client_id, created_at), the purge the oldest by
    created_at (migration 0032)."""
    now = datetime.now(UTC)
    gauges, purge = _Captured(), _Captured()
    repository.not_fanned_out(gauges, now, FAN_OUT_LOOKBACK)
    repository.purgeable_events(purge, now - 30 * DAY, 500)

    assert "ix_outbox_event_client_id_created_at" in _plan(db, gauges.stmt)
    assert "ix_outbox_event_created_at" in _plan(db, purge.stmt)
