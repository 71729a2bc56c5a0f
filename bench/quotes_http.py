"""Quote benchmark over HTTP: ``POST /v1/quotes`` against ``GET /v1/health``.

    .venv/bin/python bench/quotes_http.py [-n 2000] [-c 8] [--workers 1|2] [--warmup 200]
                                          [--rounds 5]

Makes a temporary directory with a SQLite file database, migrates it with the
project's migrations and loads a small catalogue of its own (one destination, a
28-night product with three packs, two shuttle lines, a stub issuer and a stub, four
discount rules). Starts the app with uvicorn in a subprocess on 127.0.0.1 (a free
port; ``--workers 2`` for two worker processes), then over loopback HTTP with httpx
measures, in the same run and against the same app:

* ``GET /v1/health`` (the trivial baseline), and
* ``POST /v1/quotes``: one 28-night item with 3 packs, 2 legs and 1 stub.

The catalogue does not change during the run, so after its first quote each worker
prices from its cache of catalogue terms (``service/quotes/cache.py``): a quote is then
one SELECT (catalogue version and stub) and one INSERT, as in production between
catalogue edits; an edit costs the next quote on each worker the terms' 5 SELECTs once.

Each is ``-n`` requests spread over ``-c`` client threads (one keep-alive httpx client
each), after ``--warmup`` untimed requests, in ``--rounds`` interleaved rounds (health,
quotes, health, ...) so that load from elsewhere on the machine hits both alike.
Reports requests/second, median and p99 latency (ms, nearest rank), the server's CPU
time per request (its process and workers, from /proc: tells the server's cost apart
from the client's) and the quotes/health throughput ratio (target >= 40%);
writes ``bench/results/quotes_http-<UTC time>.json``. Loops are bounded, the server is
stopped at the end (also on errors) and the temporary directory removed.
"""

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchkit import free_port, percentile, start_server, stop_server  # noqa: E402

from catalog.models import (  # noqa: E402
    AddOnPack,
    Destination,
    DestinationTheme,
    DiscountRule,
    DiscountRuleVersion,
    Product,
    ProductPack,
    Season,
    StubIssuer,
    TicketStub,
    TransitLine,
)
from service.clock import Clock  # noqa: E402
from service.db import Database  # noqa: E402
from service.migrate import upgrade  # noqa: E402
from service.settings import Settings  # noqa: E402

HOST = "127.0.0.1"
TARGET_RATIO = 0.40
RESULTS_DIR = ROOT / "bench" / "results"
STUB_CODE = "BENCH-STUB-1"


# --- the catalogue -------------------------------------------------------------------


def load_catalogue(db: Database) -> dict:
    """A small catalogue; returns the ids the quote body needs."""
    now = datetime.now(UTC)
    today = Clock().today()
    with db.write_session() as s:
        dest = Destination(
            slug="bench-changbai",
            name_zh="长白山基准",
            name_en="Bench Changbai",
            pilot_kind="resort",
            prefecture="白山市",
            lat=42.0,
            lon=128.1,
        )
        s.add(dest)
        s.flush()
        s.add(DestinationTheme(destination_id=dest.id, theme="forest_healing"))
        packs = [
            AddOnPack(
                code="bench-therapy",
                destination_id=dest.id,
                kind="therapy",
                name_zh="理疗包",
                name_en="Therapy pack",
                price_fen=60_000,
                basis="per_week",
            ),
            AddOnPack(
                code="bench-dining",
                destination_id=dest.id,
                kind="dining",
                name_zh="餐饮包",
                name_en="Dining pack",
                price_fen=9_000,
                basis="per_guest_night",
            ),
            AddOnPack(
                code="bench-culture",
                destination_id=dest.id,
                kind="culture",
                name_zh="文化包",
                name_en="Culture pack",
                price_fen=25_000,
                basis="per_stay",
            ),
        ]
        s.add_all(packs)
        product = Product(
            slug="bench-cabin",
            destination_id=dest.id,
            theme="forest_healing",
            name_zh="基准小屋",
            name_en="Bench cabin",
            unit_type="cabin",
            base_occupancy=2,
            max_occupancy=3,
            min_nights=7,
            max_nights=90,
            duration_modules=[7, 14, 21, 28],
            base_rate_fen=38_000,
            extra_guest_fee_fen=8_000,
        )
        s.add(product)
        s.flush()
        for year in (today.year, today.year + 1):
            s.add(
                Season(
                    product_id=product.id,
                    name_zh="夏季",
                    name_en="Summer",
                    start_date=today.replace(year=year, month=7, day=1),
                    end_date=today.replace(year=year, month=9, day=1),
                    nightly_rate_fen=48_000,
                )
            )
        for pack in packs:
            s.add(ProductPack(product_id=product.id, pack_id=pack.id))
        lines = [
            TransitLine(code="BL1", name_zh="接驳1", name_en="Shuttle 1", fare_fen=5_600),
            TransitLine(code="BL2", name_zh="接驳2", name_en="Shuttle 2", fare_fen=3_000),
        ]
        s.add_all(lines)
        s.flush()
        issuer = StubIssuer(
            code="BENCH-SCENIC",
            kind="scenic_area",
            name_zh="基准景区",
            name_en="Bench scenic area",
            destination_id=dest.id,
        )
        s.add(issuer)
        s.flush()
        check_in = today + timedelta(days=60)
        s.add(TicketStub(code=STUB_CODE, issuer_id=issuer.id, visit_date=check_in, persons=2))
        rules = [
            (
                "long_stay",
                {
                    "tiers": [
                        {"threshold": 10, "bps": 500},
                        {"threshold": 21, "bps": 1000},
                        {"threshold": 28, "bps": 1500},
                    ]
                },
            ),
            (
                "advance_booking",
                {"tiers": [{"threshold": 30, "bps": 500}, {"threshold": 60, "bps": 800}]},
            ),
            ("pack_bundle", {"min_packs": 2, "bps": 1000}),
            (
                "ticket_stub",
                {
                    "issuer_id": issuer.id,
                    "transit_line_ids": [lines[0].id],
                    "valid_days": 30,
                    "bps": 5000,
                },
            ),
        ]
        for n, (kind, terms) in enumerate(rules):
            rule = DiscountRule(key=f"bench-{kind}-{n}", kind=kind)
            s.add(rule)
            s.flush()
            s.add(
                DiscountRuleVersion(
                    rule_id=rule.id,
                    version=1,
                    kind=kind,
                    name_zh=kind,
                    name_en=kind,
                    created_at=now,
                    **terms,
                )
            )
        s.commit()
        return {
            "items": [
                {
                    "product_id": product.id,
                    "check_in": check_in.isoformat(),
                    "check_out": (check_in + timedelta(days=28)).isoformat(),
                    "guests": 2,
                    "pack_ids": [p.id for p in packs],
                }
            ],
            "legs": [
                {
                    "line_id": lines[0].id,
                    "travel_date": (check_in + timedelta(days=1)).isoformat(),
                    "riders": 2,
                },
                {
                    "line_id": lines[1].id,
                    "travel_date": (check_in + timedelta(days=28)).isoformat(),
                    "riders": 2,
                },
            ],
            "stubs": [STUB_CODE],
        }


# --- the server ----------------------------------------------------------------------


# --- measuring -----------------------------------------------------------------------


def _stat(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def server_cpu_seconds(pid: int) -> float | None:
    """User + system CPU of the server process and its worker processes (Linux /proc);
    None elsewhere. Tells server cost apart from the client's on a shared machine."""
    tick = os.sysconf("SC_CLK_TCK")
    try:
        pids = [pid]
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    if int(_stat(int(entry.name))[1]) == pid:
                        pids.append(int(entry.name))
                except OSError:
                    continue
        total = 0.0
        for p in pids:
            fields = _stat(p)
            total += (int(fields[11]) + int(fields[12])) / tick
    except (OSError, ValueError):
        return None
    return total


def hammer(
    base: str, method: str, path: str, body: dict | None, n: int, clients: int, expect: int
) -> tuple[list[float], float]:
    """``n`` requests over ``clients`` threads; each thread takes the next request number
    until ``n`` are sent (bounded). Returns the latencies (ms) and the wall time (s)."""
    counter = iter(range(n))
    lock = threading.Lock()
    latencies: list[float] = []
    failures: list[str] = []

    def worker() -> None:
        mine: list[float] = []
        with httpx.Client(base_url=base, timeout=30) as client:
            while True:
                with lock:
                    if next(counter, None) is None:
                        break
                t0 = time.perf_counter()
                r = client.request(method, path, json=body)
                mine.append((time.perf_counter() - t0) * 1000)
                if r.status_code != expect:
                    failures.append(f"{r.status_code} {r.text[:200]}")
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    if failures:
        raise RuntimeError(f"{len(failures)} of {n} {method} {path} failed: {failures[0]}")
    return latencies, wall


def summary(latencies: list[float], wall: float, cpu: float | None, clients: int) -> dict:
    latencies = sorted(latencies)
    out = {
        "requests": len(latencies),
        "clients": clients,
        "seconds": round(wall, 3),
        "rps": round(len(latencies) / wall, 1),
        "median_ms": round(percentile(latencies, 50), 2),
        "p99_ms": round(percentile(latencies, 99), 2),
    }
    if cpu is not None:
        out["server_cpu_ms_per_request"] = round(cpu * 1000 / len(latencies), 2)
    return out


def machine() -> dict:
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-n", "--requests", type=int, default=2000)
    ap.add_argument("-c", "--concurrency", type=int, default=8)
    ap.add_argument("--workers", type=int, default=1, choices=(1, 2))
    ap.add_argument("--warmup", type=int, default=200)
    ap.add_argument("--rounds", type=int, default=5, help="interleaved rounds (default 5)")
    args = ap.parse_args(argv)
    load_before = os.getloadavg()[0]
    tmp = Path(tempfile.mkdtemp(prefix="jl_bench_quotes_"))
    url = f"sqlite:///{tmp / 'bench.db'}"
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    log_path = RESULTS_DIR / f"quotes_http-{stamp}-server.log"
    proc = None
    try:
        upgrade(url)
        db = Database(Settings(env="development", database_url=url))
        body = load_catalogue(db)
        db.dispose()
        port = free_port()
        proc = start_server(url, port, log_path, workers=args.workers)
        base = f"http://{HOST}:{port}"
        plan = [
            ("health", "GET", "/v1/health", None, 200),
            ("quotes", "POST", "/v1/quotes", body, 201),
        ]
        for _name, method, path, payload, expect in plan:
            hammer(base, method, path, payload, args.warmup, args.concurrency, expect)
        # Interleaved rounds: load from elsewhere on the machine hits both alike.
        lat: dict[str, list[float]] = {name: [] for name, *_ in plan}
        wall = dict.fromkeys(lat, 0.0)
        cpu: dict[str, float | None] = dict.fromkeys(lat, 0.0)
        per_round = max(1, args.requests // args.rounds)
        for _round in range(args.rounds):
            for name, method, path, payload, expect in plan:
                cpu0 = server_cpu_seconds(proc.pid)
                got, seconds = hammer(
                    base, method, path, payload, per_round, args.concurrency, expect
                )
                cpu1 = server_cpu_seconds(proc.pid)
                lat[name] += got
                wall[name] += seconds
                if cpu0 is None or cpu1 is None or cpu[name] is None:
                    cpu[name] = None
                else:
                    cpu[name] += cpu1 - cpu0
        results = {
            name: summary(lat[name], wall[name], cpu[name], args.concurrency) for name in lat
        }
        sample = httpx.post(f"{base}/v1/quotes", json=body, timeout=30).json()
    finally:
        if proc is not None:
            stop_server(proc)
        shutil.rmtree(tmp, ignore_errors=True)

    ratio = results["quotes"]["rps"] / results["health"]["rps"]
    report = {
        "when": stamp,
        "workers": args.workers,
        "machine": machine(),
        "load_average_1min": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        "quote": {
            "nights": sample["items"][0]["nights"],
            "packs": 3,
            "legs": len(sample["legs"]),
            "stubs": len(sample["stubs"]),
            "lines": sum(len(part["lines"]) for part in sample["items"] + sample["legs"]),
            "total_fen": sample["total_fen"],
        },
        "results": results,
        "ratio": round(ratio, 3),
        "target_ratio": TARGET_RATIO,
    }
    (RESULTS_DIR / f"quotes_http-{stamp}.json").write_text(json.dumps(report, indent=2) + "\n")
    print(
        f"workers={args.workers} clients={args.concurrency} requests={args.requests} "
        f"(quote: {report['quote']['lines']} lines, total {sample['total_fen']} fen)"
    )
    print("| endpoint | req/s | median ms | p99 ms | server CPU ms/req |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, r in results.items():
        print(
            f"| {name} | {r['rps']} | {r['median_ms']} | {r['p99_ms']} | "
            f"{r.get('server_cpu_ms_per_request', 'n/a')} |"
        )
    print(
        f"1-minute load average {load_before:.2f} -> {os.getloadavg()[0]:.2f} "
        f"(the machine's other users share its {os.cpu_count()} CPUs)"
    )
    verdict = "meets" if ratio >= TARGET_RATIO else "MISSES"
    print(f"quotes/health throughput: {ratio:.1%} ({verdict} the {TARGET_RATIO:.0%} target)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
