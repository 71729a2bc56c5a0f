"""Booking benchmark over HTTP: ``POST /v1/bookings`` against ``GET /v1/health``.

    .venv/bin/python bench/bookings_http.py [-n 3000] [-c 16] [--workers 2] [--keep]

Creates a PostgreSQL database ``jl_bench_bookings_<random>`` beside the admin database
(``JL_BENCH_ADMIN_URL``, default ``postgresql+psycopg://postgres@127.0.0.1:5432/test``),
migrates it with the project's migrations and loads a catalogue of its own: 40
products with 120 nights of 40 units each, and one API client (channel ``ota``,
pay-at-property) per client thread. Starts ``python -m service.cli serve`` with
``--workers 2`` on 127.0.0.1 (a free port), then with ``-c`` client threads (one
keep-alive httpx client and one API key each):

1. makes ``-n`` quotes (``POST /v1/quotes``: one item, 3 nights, 1 unit, a random
   product and check-in) - not timed;
2. books them: ``POST /v1/bookings`` with a fresh ``Idempotency-Key`` each - timed:
   bookings/second over the phase's wall time, median and p99 latency;
3. ``GET /v1/health`` ``-n`` times over the same threads - timed, the baseline.

Then counts, by SQL, nights with more taken than they have, and nights whose
``taken_units`` differ from the units of the bookings holding them (both must be 0).
The server runs with its rate limit and unpaid-units cap raised (``JL_RATE_LIMIT_PER_
MINUTE``, ``JL_MAX_UNITS_HELD_PER_CLIENT``) so that the limits are counted on every
request but never refuse one. Writes ``bench/results/bookings_http-<UTC time>.json``,
stops the server and drops the database (unless ``--keep``).
"""

import argparse
import json
import os
import platform
import random
import secrets
import statistics
import subprocess
import sys
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchkit import free_port, integrity, percentile, process_tree, start_server  # noqa: E402

from catalog.models import Destination, InventoryNight, Product  # noqa: E402
from service.clients.service import create_client  # noqa: E402
from service.clock import Clock  # noqa: E402
from service.db import Database  # noqa: E402
from service.migrate import upgrade  # noqa: E402
from service.settings import Settings  # noqa: E402

HOST = "127.0.0.1"
ADMIN_URL = os.environ.get(
    "JL_BENCH_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
RESULTS_DIR = ROOT / "bench" / "results"
PRODUCTS, NIGHTS, UNITS, STAY = 40, 120, 40, 3
TARGET_BOOKINGS_PER_S = 200


def load(db: Database, clients: int) -> tuple[list[int], list[str], object]:
    now = datetime.now(UTC)
    first = Clock().today() + timedelta(days=30)
    keys = []
    with db.write_session() as s:
        dest = Destination(
            slug="bench-dest",
            name_zh="基准目的地",
            name_en="Bench destination",
            pilot_kind="resort",
            prefecture="白山市",
            lat=42.0,
            lon=128.0,
        )
        s.add(dest)
        s.flush()
        ids = []
        for n in range(PRODUCTS):
            p = Product(
                slug=f"bench-{n}",
                destination_id=dest.id,
                theme="forest_healing",
                name_zh=f"基准产品{n}",
                name_en=f"Bench product {n}",
                unit_type="cabin",
                base_occupancy=2,
                max_occupancy=3,
                min_nights=1,
                max_nights=60,
                base_rate_fen=38_000,
                refund_policy=[{"min_days_before_check_in": 0, "refund_bps": 10000}],
            )
            s.add(p)
            s.flush()
            ids.append(p.id)
        s.execute(
            sa.insert(InventoryNight),
            [
                {
                    "product_id": pid,
                    "night": first + timedelta(days=d),
                    "total_units": UNITS,
                    "taken_units": 0,
                }
                for pid in ids
                for d in range(NIGHTS)
            ],
        )
        for c in range(clients):
            keys.append(
                create_client(
                    s,
                    name=f"bench-ota-{c}",
                    channel="ota",
                    merchant_collects=False,
                    pepper=db.settings.secret_key,
                    now=now,
                ).plaintext
            )
        s.commit()
    return ids, keys, first


def run_phase(clients: list[httpx.Client], jobs: list[list], call) -> tuple[float, list, list]:
    """Each thread runs ``call(client, job)`` for its jobs; returns wall s, latencies, results."""
    latencies: list[float] = []
    results: list = []
    lock = threading.Lock()
    start = threading.Barrier(len(clients) + 1)

    def worker(i: int) -> None:
        mine_l, mine_r = [], []
        start.wait()
        for job in jobs[i]:
            t = time.perf_counter()
            mine_r.append(call(clients[i], job))
            mine_l.append(time.perf_counter() - t)
        with lock:
            latencies.extend(mine_l)
            results.extend(mine_r)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(clients))]
    for t in threads:
        t.start()
    start.wait()
    t0 = time.perf_counter()
    for t in threads:
        t.join()
    return time.perf_counter() - t0, latencies, results


def cpu_by_pid(pids: list[int]) -> dict[int, float]:
    """utime + stime of each live process, in seconds, from /proc (Linux)."""
    tick = os.sysconf("SC_CLK_TCK")
    out = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        out[pid] = (int(fields[11]) + int(fields[12])) / tick
    return out


def cpu_seconds(pids: list[int]) -> float:
    return sum(cpu_by_pid(pids).values())


def cpu_delta(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU used between two samples by the processes alive at both."""
    return sum(after[p] - before[p] for p in before if p in after)


def postgres_pids(admin: sa.Engine, database: str) -> list[int]:
    """The server processes of the connections to the benchmark database."""
    with admin.connect() as conn:
        return list(
            conn.execute(
                sa.text("SELECT pid FROM pg_stat_activity WHERE datname = :d"), {"d": database}
            ).scalars()
        )


def summary(wall: float, latencies: list[float]) -> dict:
    return {
        "requests": len(latencies),
        "wall_s": round(wall, 3),
        "per_s": round(len(latencies) / wall, 1),
        "median_ms": round(statistics.median(latencies) * 1000, 2),
        "p99_ms": round(percentile(latencies, 99) * 1000, 2),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-n", type=int, default=3000, help="bookings (and health calls)")
    ap.add_argument("-c", type=int, default=16, help="client threads")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--keep", action="store_true", help="keep the database")
    args = ap.parse_args()

    name = f"jl_bench_bookings_{secrets.token_hex(4)}"
    admin = sa.create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = sa.make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    proc = None
    db = Database(Settings(database_url=url))
    try:
        upgrade(url)
        product_ids, keys, first = load(db, args.c)
        proc = start_server(
            url,
            free_port(),
            RESULTS_DIR / f"bookings_http-{stamp}-server.log",
            workers=args.workers,
            env={
                "JL_RATE_LIMIT_PER_MINUTE": "100000000",
                "JL_MAX_UNITS_HELD_PER_CLIENT": "100000000",
            },
        )
        base = proc.args[proc.args.index("--port") + 1]
        clients = [
            httpx.Client(
                base_url=f"http://{HOST}:{base}",
                timeout=30,
                headers={"Authorization": f"Bearer {k}"},
            )
            for k in keys
        ]
        rng = random.Random(4)
        per = [args.n // args.c + (1 if i < args.n % args.c else 0) for i in range(args.c)]
        quote_jobs = [
            [
                {
                    "items": [
                        {
                            "product_id": rng.choice(product_ids),
                            "check_in": (
                                first + timedelta(days=(d := rng.randrange(0, NIGHTS - STAY)))
                            ).isoformat(),
                            "check_out": (first + timedelta(days=d + STAY)).isoformat(),
                            "guests": 2,
                            "units": 1,
                        }
                    ]
                }
                for _ in range(k)
            ]
            for k in per
        ]

        def quote(client, body):
            r = client.post("/v1/quotes", json=body)
            r.raise_for_status()
            return r.json()["id"]

        _, _, _ = run_phase(
            clients, [[{"items": q["items"]} for q in j[:5]] for j in quote_jobs], quote
        )  # warm-up, not booked
        quote_ids: list[list[str]] = []
        for i, c in enumerate(clients):
            quote_ids.append([quote(c, body) for body in quote_jobs[i]])

        def book(client, quote_id):
            r = client.post(
                "/v1/bookings",
                headers={"Idempotency-Key": str(uuid.uuid4())},
                json={
                    "quote_id": quote_id,
                    "lead_traveller": {"name": "王秀兰", "phone": "13800138000"},
                    "guests": [{"name": "王秀兰"}],
                },
            )
            return r.status_code, (r.json().get("code") if r.status_code >= 400 else None)

        server = process_tree(proc.pid)
        load_before = os.getloadavg()  # what else ran: before the timed phases and after
        backends = postgres_pids(admin, name)  # the pools are warm after the quotes
        pg0 = cpu_by_pid(backends)
        cpu0 = (cpu_seconds(server), 0.0, time.process_time())
        wall_b, lat_b, res_b = run_phase(clients, quote_ids, book)
        cpu1 = (cpu_seconds(server), cpu_delta(pg0, cpu_by_pid(backends)), time.process_time())
        per_booking_cpu_ms = {
            name: round((b - a) / len(lat_b) * 1000, 2)
            for name, a, b in zip(
                ("server", "postgres_backends", "bench_client"), cpu0, cpu1, strict=True
            )
        }

        def health(client, _):
            return client.get("/v1/health").status_code, None

        cpu0 = (cpu_seconds(server), time.process_time())
        wall_h, lat_h, _ = run_phase(clients, [[None] * k for k in per], health)
        cpu1 = (cpu_seconds(server), time.process_time())
        per_health_cpu_ms = {
            name: round((b - a) / len(lat_h) * 1000, 2)
            for name, a, b in zip(("server", "bench_client"), cpu0, cpu1, strict=True)
        }
        for c in clients:
            c.close()

        outcomes: dict[str, int] = {}
        for status, code in res_b:
            outcomes[f"{status} {code or ''}".strip()] = (
                outcomes.get(f"{status} {code or ''}".strip(), 0) + 1
            )
        bookings, healthz = summary(wall_b, lat_b), summary(wall_h, lat_h)
        report = {
            "benchmark": "bookings_http",
            "at": stamp,
            "workers": args.workers,
            "client_threads": args.c,
            "machine": {
                "cpus": os.cpu_count(),
                "python": platform.python_version(),
                "load_avg_before": load_before,
                "load_avg": os.getloadavg(),
            },
            "bookings": bookings,
            "health": healthz,
            "booking_outcomes": outcomes,
            "ratio_bookings_to_health_per_s": round(bookings["per_s"] / healthz["per_s"], 3),
            "target_bookings_per_s": TARGET_BOOKINGS_PER_S,
            "cpu_ms_per_booking": per_booking_cpu_ms,
            "cpu_ms_per_health": per_health_cpu_ms,
            **integrity(db),
        }
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
        db.dispose()
        if not args.keep:
            with admin.connect() as conn:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()
    (RESULTS_DIR / f"bookings_http-{stamp}.json").write_text(json.dumps(report, indent=2))
    print(json.dumps(report, indent=2))
    print(
        f"\n| measure | per s | median ms | p99 ms |\n|---|---|---|---|\n"
        f"| POST /v1/bookings | {bookings['per_s']} | {bookings['median_ms']} | "
        f"{bookings['p99_ms']} |\n| GET /v1/health | {healthz['per_s']} | "
        f"{healthz['median_ms']} | {healthz['p99_ms']} |\n"
        f"oversold nights: {report['oversold_nights']}, nights not matching bookings: "
        f"{report['nights_not_matching_bookings']}\n"
        f"server CPU ms per booking: {per_booking_cpu_ms['server']}, per health call: "
        f"{per_health_cpu_ms['server']}; load average before/after: "
        f"{' '.join(f'{x:.2f}' for x in load_before)} / "
        f"{' '.join(f'{x:.2f}' for x in report['machine']['load_avg'])}"
    )
    return (
        0 if report["oversold_nights"] == 0 and report["nights_not_matching_bookings"] == 0 else 1
    )


if __name__ == "__main__":
    raise SystemExit(main())
