"""A /metrics scrape with a 100,000-event webhook outbox, before and after its purge.

    flock /tmp/jl-bench.lock .venv/bin/python bench/outbox_scrape.py \
        [--events 100000] [--days 200] [--retention 30] [--seconds 5] [--rounds 3] \
        [--before f8c800d] [--backends sqlite,postgresql] [--port 8760]

For each backend, one outbox (``outbox_fill.fill``: ``--events`` events over ``--days``
days, three partners with an endpoint, deliveries delivered, a few waiting and 40
lost) in three databases:

* ``before``: migrated to 0031 and served by the code of ``--before`` (a detached git
  worktree of that revision, the commit before the purge and the indexes: the gauges
  read every event of a partner through ``(client_id, id)``);
* ``indexed``: the same rows migrated to head (0032's indexes), served by this
  checkout, before the worker's first purge;
* ``purged``: that, after ``purge_outbox`` with ``--retention`` days until nothing is
  left to purge (as the worker's passes do), served by this checkout.

Each is served by ``jilin serve --workers 1`` and measured with ``wrk -t1 -c1`` for
``--seconds``: ``GET /metrics`` and, on the same server in the same round, the trivial
baseline ``GET /v1/health``; rounds alternate the three. In process, the fan-out gauges'
query alone (``repository.not_fanned_out``, this checkout's) is timed 50 times on each.
Writes ``bench/results/outbox_scrape-<UTC time>.json``; log: bench/results/outbox.md.
"""

import argparse
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import benchkit
from benchkit import ROOT, percentile
from calendar_bulk_edit import run_wrk
from outbox_fill import fill

from service.db import Database
from service.migrate import upgrade
from service.settings import Settings
from service.webhooks import repository
from service.webhooks.tasks import FAN_OUT_LOOKBACK, purge_outbox

VARIANTS = ("before", "indexed", "purged")


def databases(backend: str, folder: Path, args, now) -> dict[str, str]:
    """The three databases of one backend: their URLs, and the fill's counts."""
    if backend == "sqlite":
        urls = {v: f"sqlite:///{folder / f'{v}.db'}" for v in VARIANTS}
    else:
        urls = {v: benchkit.create_pg_database(f"jl_h_outbox_{v}") for v in VARIANTS}
    upgrade(urls["before"], "0031")
    counts = fill(urls["before"], args.events, args.days, now)
    for v in ("indexed", "purged"):
        if backend == "sqlite":
            with sqlite3.connect(folder / "before.db") as conn:
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            shutil.copy(folder / "before.db", folder / f"{v}.db")
        else:
            benchkit.drop_pg_database(f"jl_h_outbox_{v}")
            admin = sa.create_engine(benchkit.PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.exec_driver_sql(
                    f'CREATE DATABASE "jl_h_outbox_{v}" TEMPLATE "jl_h_outbox_before"'
                )
            admin.dispose()
        t = time.perf_counter()
        upgrade(urls[v])
        counts[f"upgrade_{v}_s"] = round(time.perf_counter() - t, 2)
    db = Database(Settings(database_url=urls["purged"]))
    t, purged, passes = time.perf_counter(), {"outbox_event": 0, "webhook_delivery": 0}, 0
    while True:
        done = purge_outbox(db, now, timedelta(days=args.retention))
        passes += 1
        purged = {k: purged[k] + done[k] for k in purged}
        if not done["outbox_event"]:
            break
    counts["purge_s"], counts["purge_passes"], counts["purged"] = (
        round(time.perf_counter() - t, 2),
        passes,
        purged,
    )
    db.dispose()
    analyse(urls["purged"])
    return urls, counts


def analyse(url: str) -> None:
    """Fresh statistics after the purge, as autovacuum would make them."""
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM ANALYZE")
        else:
            conn.exec_driver_sql("ANALYZE")
    engine.dispose()


def gauges_in_process(url: str, runs: int = 50) -> dict:
    engine = sa.create_engine(url)
    times = []
    with engine.connect() as conn:
        for _ in range(runs + 3):
            t = time.perf_counter()
            repository.not_fanned_out(conn, datetime.now(UTC), FAN_OUT_LOOKBACK)
            times.append((time.perf_counter() - t) * 1000)
    engine.dispose()
    times = times[3:]
    return {
        "median_ms": round(statistics.median(times), 2),
        "p99_ms": round(percentile(times, 99), 2),
    }


def rows(url: str) -> dict:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        got = {t: conn.exec_driver_sql(f"SELECT count(*) FROM {t}").scalar() for t in
               ("outbox_event", "webhook_delivery")}  # fmt: skip
    engine.dispose()
    return got


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--days", type=int, default=200)
    parser.add_argument("--retention", type=int, default=30)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--before", default="f8c800d")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--port", type=int, default=8760)
    args = parser.parse_args()
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    folder = Path(tempfile.mkdtemp(prefix="jl-outbox-bench-", dir=ROOT / "var"))
    old_tree = folder / "before-tree"
    subprocess.run(
        ["git", "worktree", "add", "--detach", str(old_tree), args.before],
        cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip
    result = {
        "at": stamp,
        "args": vars(args),
        "head": subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip(),  # fmt: skip
        "load_before": os.getloadavg(),
        "backends": {},
    }
    try:
        for backend in args.backends.split(","):
            now = datetime.now(UTC)
            (folder / backend).mkdir()
            urls, counts = databases(backend, folder / backend, args, now)
            out = {"fill": counts, "rows": {v: rows(u) for v, u in urls.items()}}
            out["gauges_in_process"] = {v: gauges_in_process(u) for v, u in urls.items()}
            servers, port = {}, args.port
            try:
                for v in VARIANTS:
                    root = old_tree if v == "before" else ROOT
                    log = folder / f"{backend}-{v}-server.log"
                    servers[v] = (port, benchkit.start_server(urls[v], port, log, root=root))
                    port += 1
                http = {v: {"health": [], "metrics": []} for v in VARIANTS}
                for _ in range(args.rounds):
                    for v in VARIANTS:
                        base = f"http://{benchkit.HOST}:{servers[v][0]}"
                        http[v]["health"].append(run_wrk(f"{base}/v1/health", args.seconds, None))
                        http[v]["metrics"].append(run_wrk(f"{base}/metrics", args.seconds, None))
            finally:
                for _, proc in servers.values():
                    benchkit.stop_server(proc)
            out["http"] = http
            out["summary"] = {
                v: {
                    "health_median_ms": statistics.median(
                        r["median_ms"] for r in http[v]["health"]
                    ),
                    "metrics_median_ms": statistics.median(
                        r["median_ms"] for r in http[v]["metrics"]
                    ),
                    "metrics_p99_ms": statistics.median(r["p99_ms"] for r in http[v]["metrics"]),
                    "non_2xx": sum(r["non_2xx"] for s in http[v].values() for r in s),
                }
                for v in VARIANTS
            }
            for v in VARIANTS:
                s = out["summary"][v]
                s["ratio_to_health"] = round(s["metrics_median_ms"] / s["health_median_ms"], 1)
            result["backends"][backend] = out
            if backend == "postgresql":
                for v in VARIANTS:
                    benchkit.drop_pg_database(f"jl_h_outbox_{v}")
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(old_tree)], cwd=ROOT,
                       capture_output=True)  # fmt: skip
        shutil.rmtree(folder, ignore_errors=True)
    result["load_after"] = os.getloadavg()
    benchkit.write_result("outbox_scrape", result)


if __name__ == "__main__":
    main()
