"""A large webhook outbox for the outbox benchmark and plan checks (``outbox_scrape.py``).

``fill(url, events, days, now)``: into a migrated, empty database, four partners (three
with an endpoint each, registered before the first event), ``events`` outbox events
spread evenly over the ``days`` before ``now`` (two in five of direct bookings, no
partner), each partner event fanned out to its partner's endpoint and delivered within
the minute, except: the last hour's partner events are not fanned out yet (the worker is
a pass behind), and 40 events of 10 days ago never were (lost). Foreign keys are set aside
while loading (SQLite: off on this connection; PostgreSQL: ``session_replication_role``
replica): the events name bookings that are not made, which no query here reads.
"""

import random
from datetime import timedelta

import sqlalchemy as sa

PARTNERS = 4  # client ids 1..4; 1..3 have an endpoint (ids 1..3)
CHUNK = 5_000


def fill(url: str, events: int, days: int, now, *, seed: int = 7) -> dict:
    rng = random.Random(seed)
    engine = sa.create_engine(url)
    meta = sa.MetaData()
    meta.reflect(
        engine, only=["api_client", "webhook_endpoint", "outbox_event", "webhook_delivery"]
    )
    client, endpoint = meta.tables["api_client"], meta.tables["webhook_endpoint"]
    event, delivery = meta.tables["outbox_event"], meta.tables["webhook_delivery"]
    start = now - timedelta(days=days)
    registered = start - timedelta(days=1)
    lost_at = now - timedelta(days=10)
    counts = {"events": 0, "deliveries": 0, "waiting": 0, "lost": 0}
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.exec_driver_sql("SET session_replication_role = replica")
        else:
            conn.exec_driver_sql("PRAGMA foreign_keys = OFF")
        conn.execute(
            client.insert(),
            [
                {
                    "id": i,
                    "name": f"partner {i}",
                    "channel": "ota",
                    "merchant_collects": False,
                    "created_at": registered,
                }
                for i in range(1, PARTNERS + 1)
            ],
        )
        conn.execute(
            endpoint.insert(),
            [
                {
                    "id": i,
                    "client_id": i,
                    "url": f"https://partner{i}.example/hooks",
                    "secret": "whsec_x",
                    "active": True,
                    "created_at": registered,
                }
                for i in range(1, PARTNERS)
            ],
        )
        step = (now - start) / events
        rows, dels = [], []
        for n in range(1, events + 1):
            at = start + step * (n - 1)
            client_id = None if rng.random() < 0.4 else rng.randint(1, PARTNERS)
            if n <= 40 and client_id is None:
                client_id = 1
            if n <= 40:  # the lost ones: 10 days ago, never fanned out
                at = lost_at + timedelta(seconds=n)
            rows.append(
                {
                    "id": n,
                    "client_id": client_id,
                    "event_type": "booking.confirmed",
                    "booking_id": rng.randint(1, 50_000),
                    "payload": {"reference": f"JL-{n:06d}", "status": "confirmed"},
                    "created_at": at,
                }
            )
            if client_id is not None and client_id < PARTNERS:
                if n <= 40:
                    counts["lost"] += 1
                elif at >= now - timedelta(hours=1):
                    counts["waiting"] += 1
                else:
                    done = at + timedelta(seconds=rng.randint(1, 60))
                    dels.append(
                        {
                            "outbox_event_id": n,
                            "endpoint_id": client_id,
                            "client_id": client_id,
                            "event_type": "booking.confirmed",
                            "status": "delivered",
                            "attempts": 1,
                            "next_attempt_at": at,
                            "last_status_code": 200,
                            "created_at": at,
                            "updated_at": done,
                            "delivered_at": done,
                        }
                    )
            if len(rows) >= CHUNK:
                conn.execute(event.insert(), rows)
                rows = []
        if rows:
            conn.execute(event.insert(), rows)
        for i in range(0, len(dels), CHUNK):
            conn.execute(delivery.insert(), dels[i : i + CHUNK])
        counts["events"], counts["deliveries"] = events, len(dels)
        if engine.dialect.name == "postgresql":
            conn.exec_driver_sql("SET session_replication_role = DEFAULT")
    with engine.connect() as conn:  # fresh statistics, as autovacuum would have them
        if engine.dialect.name == "postgresql":
            conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM ANALYZE")
        else:
            conn.exec_driver_sql("ANALYZE")
    engine.dispose()
    return counts
