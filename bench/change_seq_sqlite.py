"""What ``booking.change_seq``'s trigger adds to a booking write on SQLite, before
(migration 0008: ``max(change_seq) + 1``) and after (0019: ``change_counter``).

    .venv/bin/python bench/change_seq_sqlite.py [--bookings 10000,300000] [--writes 2000]

For each size: a SQLite file migrated to 0018 gets that many bookings (plain rows, no
items; loaded with the change_seq triggers set aside, then put back), a copy of it is
migrated to head (0019), another copy loses its change_seq triggers (what the rest of
the booking update costs), and a table without triggers (``plain``, the baseline) gets
as many rows. Rounds alternate the four; each times ``--writes`` statements
``UPDATE ... SET version = version + 1, updated_at = ? WHERE id = ?`` on random rows,
each in its own ``BEGIN IMMEDIATE`` ... ``COMMIT`` (the statement alone is timed: the
commit's fsync is the same for all three). WAL, ``synchronous=NORMAL``, as the app.
Writes ``bench/results/change_seq_sqlite-<UTC time>.json``.
"""

import argparse
import os
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import benchkit
from benchkit import ROOT, percentile

sys.path.insert(0, str(ROOT))

from service.migrate import upgrade

INSERT = """
INSERT INTO booking (id, reference, token_hash, channel, quote_id, status, payment_mode,
    total_fen, currency, refunded_fen, inventory_held, lead_name, lead_phone, guests,
    created_at, updated_at, version, change_seq)
WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < :count)
SELECT x, 'JL-' || x, 'h', 'web', 'q' || x, 'completed', 'pay_at_property', 100, 'CNY', 0,
    0, 'n', 'p', '[]', '2026-12-01', '2026-12-01', 1, x FROM n
"""
UPDATE = "UPDATE {table} SET version = version + 1, updated_at = ? WHERE id = ?"


def connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    return conn


def build(folder: Path, count: int) -> tuple[Path, Path, Path, float]:
    """Three files of ``count`` bookings: migrated to 0018, to head, and to 0018 without
    the change_seq triggers; and the seconds the upgrade to head took."""
    old = folder / f"old-{count}.db"
    upgrade(f"sqlite:///{old}", "0018")
    conn = connect(old)
    triggers = conn.execute(
        "SELECT name, sql FROM sqlite_master "
        "WHERE type = 'trigger' AND name LIKE 'booking_change_seq%'"
    ).fetchall()
    conn.execute("BEGIN")
    for name, _ in triggers:  # 0008's max() + 1 per inserted row would be quadratic
        conn.execute(f"DROP TRIGGER {name}")
    conn.execute(INSERT, {"count": count})
    for _, sql in triggers:
        conn.execute(sql)
    conn.execute("CREATE TABLE plain (id INTEGER PRIMARY KEY, version INTEGER, updated_at TEXT)")
    conn.execute("INSERT INTO plain SELECT id, version, updated_at FROM booking")
    conn.execute("COMMIT")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    bare = folder / f"bare-{count}.db"
    shutil.copy(old, bare)
    conn = connect(bare)
    for name, _ in triggers:
        conn.execute(f"DROP TRIGGER {name}")
    conn.close()
    new = folder / f"new-{count}.db"
    shutil.copy(old, new)
    t = time.perf_counter()
    upgrade(f"sqlite:///{new}")
    return old, new, bare, time.perf_counter() - t


def one_round(conn: sqlite3.Connection, table: str, ids: list[int]) -> list[float]:
    sql = UPDATE.format(table=table)
    out = []
    for row_id in ids:
        now = datetime.now(UTC).isoformat()
        conn.execute("BEGIN IMMEDIATE")
        t = time.perf_counter()
        conn.execute(sql, (now, row_id))
        out.append((time.perf_counter() - t) * 1e6)
        conn.execute("COMMIT")
    return out


def summary(values: list[float], base: float) -> dict:
    median = statistics.median(values)
    return {
        "median_us": round(median, 1),
        "p99_us": round(percentile(values, 99), 1),
        "ratio_to_baseline": round(median / base, 2),
    }


def measure(count: int, writes: int, rounds: int, folder: Path) -> dict:
    old, new, bare, upgrade_s = build(folder, count)
    conns = {
        "0008 max()+1": connect(old),
        "0019 change_counter": connect(new),
        "booking, no change_seq trigger": connect(bare),
    }
    conns["baseline (no trigger)"] = conns["0008 max()+1"]
    tables = {"baseline (no trigger)": "plain"}
    rng = random.Random(count)
    got: dict[str, list[float]] = {k: [] for k in conns}
    for _ in range(rounds):
        for label, conn in conns.items():
            ids = [rng.randint(1, count) for _ in range(writes)]
            got[label] += one_round(conn, tables.get(label, "booking"), ids)
    seqs = (
        conns["0019 change_counter"]
        .execute(
            "SELECT (SELECT max(change_seq) FROM booking), (SELECT last_seq FROM change_counter)"
        )
        .fetchone()
    )
    for conn in {id(c): c for c in conns.values()}.values():
        conn.close()
    base = statistics.median(got["baseline (no trigger)"])
    return {
        "bookings": count,
        "upgrade_to_0019_s": round(upgrade_s, 2),
        "max_change_seq_and_counter_after": list(seqs),
        **{label: summary(values, base) for label, values in got.items()},
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bookings", default="10000,300000")
    parser.add_argument("--writes", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    load_start = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="jl-seq-") as folder:
        sizes = [
            measure(int(n), args.writes, args.rounds, Path(folder))
            for n in args.bookings.split(",")
        ]
    result = {
        "sizes": sizes,
        "writes_per_round": args.writes,
        "rounds": args.rounds,
        "sqlite": sqlite3.sqlite_version,
        "load_average": [round(load_start, 2), round(os.getloadavg()[0], 2)],
        "at": datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ"),
    }
    benchkit.write_result("change_seq_sqlite", result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
