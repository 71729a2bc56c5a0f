"""Catalogue read benchmark at province scale.

    .venv/bin/python bench/catalog_generate.py      # once: builds jl_bench_catalog
    .venv/bin/python bench/catalog_queries.py [--keep] [-n 300] [--skip-http]

Two layers, each against a trivial baseline measured in the same run:

* in-process: the real functions of ``catalog/queries.py`` through a fresh
  ``Database.session()`` per call (what a request gets), baseline ``SELECT 1``;
* HTTP: ``python -m service.cli serve`` on 127.0.0.1 (a free port) over the same
  database, sequential ``httpx`` GETs, baseline ``GET /v1/health``.

Each measure runs 20 warm-up calls, then ``-n`` timed calls with random products,
themes, filters and dates drawn from a seeded RNG. Reports median and p99 (nearest
rank) in ms and the ratio of each median to its baseline's median; writes
``bench/results/catalog_queries-<UTC time>.json`` and prints a markdown table.
Drops the benchmark database at the end unless ``--keep``.
"""

import argparse
import json
import os
import platform
import random
import re
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchkit import free_port, percentile, start_server, stop_server  # noqa: E402

from bench.catalog_generate import (  # noqa: E402
    ADMIN_URL,
    DB_NAME,
    N_NIGHTS,
    THEMES,
    bench_url,
    drop_database,
)
from catalog import queries  # noqa: E402
from catalog.vocab import PilotKind  # noqa: E402
from service.db import Database  # noqa: E402
from service.settings import Settings  # noqa: E402

WARMUP = 20
SPAN = 60  # nights of an availability window
PILOT_KINDS = [k.value for k in PilotKind]
MIN_RATES = [None, 20_000, 40_000, 60_000]
RESULTS_DIR = ROOT / "bench" / "results"
# The targets on a 2-core machine (median), by the start of a measure's name.
TARGETS_MS = {"product availability": 20.0, "product search": 20.0, "theme availability": 100.0}


def target_ms(name: str) -> float | None:
    return next((ms for prefix, ms in TARGETS_MS.items() if name.startswith(prefix)), None)


class Measure:
    def __init__(self, layer: str, name: str, target: str, baseline: bool = False) -> None:
        self.layer, self.name, self.target, self.baseline = layer, name, target, baseline
        self.ms: list[float] = []
        self.rows: list[int] = []

    def summary(self, base_median: float | None) -> dict:
        ms = sorted(self.ms)
        med = statistics.median(ms)
        return {
            "layer": self.layer,
            "name": self.name,
            "call": self.target,
            "n": len(ms),
            "median_ms": round(med, 3),
            "p99_ms": round(percentile(ms, 99), 3),
            "max_ms": round(ms[-1], 3),
            "x_baseline": None if self.baseline or not base_median else round(med / base_median, 1),
            "mean_rows": round(statistics.fmean(self.rows), 1) if self.rows else None,
        }


Call = Callable[[random.Random], int]


def run(plan: list[tuple[Measure, Call]], n: int, seed: int) -> list[Measure]:
    """Interleaved rounds: each round calls every measure once, starting at a rotating
    position, so a burst of load from elsewhere hits all measures and the baseline alike.
    Each measure draws its arguments from its own seeded RNG."""
    warm = [random.Random(seed * 1000 + i) for i in range(len(plan))]
    timed = [random.Random(seed * 1000 + 500 + i) for i in range(len(plan))]
    for _ in range(WARMUP):
        for (_, call), rng in zip(plan, warm, strict=True):
            call(rng)
    for r in range(n):
        for k in range(len(plan)):
            i = (r + k) % len(plan)
            measure, call = plan[i]
            t0 = time.perf_counter()
            rows = call(timed[i])
            measure.ms.append((time.perf_counter() - t0) * 1000)
            measure.rows.append(rows)
    return [m for m, _ in plan]


def catalogue_window(db: Database) -> tuple[date, int]:
    with db.session() as s:
        first, max_id = s.execute(
            sa.text(
                "SELECT (SELECT min(night) FROM inventory_night), (SELECT max(id) FROM product)"
            )
        ).one()
    return first, max_id


def random_window(rng: random.Random, first: date) -> tuple[date, date]:
    start = first + timedelta(days=rng.randrange(0, N_NIGHTS - SPAN + 1))
    return start, start + timedelta(days=SPAN)


def random_filter(rng: random.Random) -> queries.ProductFilter:
    return queries.ProductFilter(
        theme=rng.choice(THEMES),
        pilot_kind=rng.choice(PILOT_KINDS),
        min_rate_fen=rng.choice(MIN_RATES),
        nights=14,
    )


# --- in-process ----------------------------------------------------------------------


def bench_in_process(db: Database, n: int, seed: int) -> list[Measure]:
    first, max_id = catalogue_window(db)
    layer = "in-process"

    def baseline(_rng: random.Random) -> int:
        with db.session() as s:
            return s.execute(sa.text("SELECT 1")).scalar_one()

    def availability(rng: random.Random) -> int:
        start, end = random_window(rng, first)
        with db.session() as s:
            return len(queries.inventory_nights(s, rng.randint(1, max_id), start, end))

    def search(rng: random.Random) -> int:
        with db.session() as s:
            return len(queries.list_products(s, random_filter(rng), limit=21))

    def theme_all(rng: random.Random) -> int:
        start, end = random_window(rng, first)
        with db.session() as s:
            return len(queries.availability_by_theme(s, rng.choice(THEMES), start, end))

    def theme_page(rng: random.Random) -> int:
        start, end = random_window(rng, first)
        with db.session() as s:
            return len(
                queries.availability_by_theme(
                    s, rng.choice(THEMES), start, end, min_units=1, limit=21
                )
            )

    return run(
        [
            (Measure(layer, "baseline", "SELECT 1", baseline=True), baseline),
            (
                Measure(
                    layer,
                    "product availability, 60 nights",
                    "inventory_nights(product, from, from+60)",
                ),
                availability,
            ),
            (
                Measure(
                    layer,
                    "product search",
                    "list_products(theme, pilot_kind, min_rate_fen, nights=14, limit=21)",
                ),
                search,
            ),
            (
                Measure(
                    layer,
                    "theme availability, 60 nights",
                    "availability_by_theme(theme, from, from+60), all ~430 products",
                ),
                theme_all,
            ),
            (
                Measure(
                    layer,
                    "theme availability, 60 nights, one page",
                    "availability_by_theme(theme, from, from+60, min_units=1, limit=21)",
                ),
                theme_page,
            ),
        ],
        n,
        seed,
    )


# --- HTTP ----------------------------------------------------------------------------


def _template(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "{}", path)


def _items(resp: httpx.Response) -> int:
    if resp.status_code != 200:
        raise RuntimeError(f"GET {resp.request.url} -> {resp.status_code}: {resp.text[:300]}")
    body = resp.json()
    if isinstance(body, dict):
        for key in ("items", "nights"):
            if isinstance(body.get(key), list):
                return len(body[key])
    return 1


def bench_http(db: Database, url: str, n: int, seed: int, log_path: Path) -> list[Measure]:
    first, max_id = catalogue_window(db)
    layer = "HTTP"
    port = free_port()
    proc = start_server(url, port, log_path)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            paths = set(client.get("/openapi.json").json().get("paths", {}))

            def get(path: str, params: dict | None = None) -> int:
                return _items(client.get(path, params=params))

            def availability(rng: random.Random) -> int:
                start, end = random_window(rng, first)
                return get(
                    f"/v1/products/{rng.randint(1, max_id)}/availability",
                    {"from": start.isoformat(), "to": end.isoformat()},
                )

            def search(rng: random.Random) -> int:
                f = random_filter(rng)
                params = {"theme": f.theme, "pilot_kind": f.pilot_kind, "nights": f.nights}
                if f.min_rate_fen is not None:
                    params["min_rate_fen"] = f.min_rate_fen
                return get("/v1/products", params)

            def theme(bookable_only: bool) -> Call:
                def call(rng: random.Random) -> int:
                    start, end = random_window(rng, first)
                    params = {
                        "theme": rng.choice(THEMES),
                        "from": start.isoformat(),
                        "to": end.isoformat(),
                    }
                    if bookable_only:
                        params["bookable_only"] = "true"
                    return get("/v1/availability", params)

                return call

            wanted = [
                (
                    Measure(layer, "baseline", "GET /v1/health", baseline=True),
                    "/v1/health",
                    lambda _rng: get("/v1/health"),
                ),
                (
                    Measure(
                        layer,
                        "product availability, 60 nights",
                        "GET /v1/products/{id}/availability?from&to",
                    ),
                    "/v1/products/{id}/availability",
                    availability,
                ),
                (
                    Measure(
                        layer,
                        "product search",
                        "GET /v1/products?theme&pilot_kind&min_rate_fen&nights=14",
                    ),
                    "/v1/products",
                    search,
                ),
                (
                    Measure(
                        layer,
                        "theme availability, 60 nights, one page",
                        "GET /v1/availability?theme&from&to (first page of 20)",
                    ),
                    "/v1/availability",
                    theme(False),
                ),
                (
                    Measure(
                        layer,
                        "theme availability, 60 nights, one bookable page",
                        "GET /v1/availability?theme&from&to&bookable_only=true",
                    ),
                    "/v1/availability",
                    theme(True),
                ),
            ]
            routes = {_template(p) for p in paths}
            plan = []
            for measure, path, call in wanted:
                if _template(path) in routes:
                    plan.append((measure, call))
                else:
                    print(f"  skipped {measure.call}: no such route in the app")
            return run(plan, n, seed)
    finally:
        stop_server(proc)


# --- report --------------------------------------------------------------------------


def machine() -> dict:
    with Database(Settings(database_url=bench_url())).engine.connect() as conn:
        version = conn.exec_driver_sql("SHOW server_version").scalar_one()
    return {
        "nproc": os.cpu_count(),
        "python": platform.python_version(),
        "postgresql": version,
        "platform": platform.platform(),
    }


def table(rows: list[dict]) -> str:
    lines = [
        "| layer | measure | median ms | p99 ms | x baseline median | target | rows/call |",
        "| --- | --- | ---: | ---: | ---: | --- | ---: |",
    ]
    for r in rows:
        target = target_ms(r["name"])
        verdict = (
            ""
            if target is None
            else f"< {target:g} ms {'met' if r['median_ms'] < target else 'MISSED'}"
        )
        ratio = "1" if r["x_baseline"] is None else f"{r['x_baseline']:g}"
        lines.append(
            f"| {r['layer']} | {r['name']} | {r['median_ms']:.2f} | "
            f"{r['p99_ms']:.2f} | {ratio} | {verdict} | {r['mean_rows']:g} |"
        )
    return "\n".join(lines)


def summarise(measures: list[Measure]) -> list[dict]:
    out = []
    for layer in dict.fromkeys(m.layer for m in measures):
        of_layer = [m for m in measures if m.layer == layer]
        base = next((statistics.median(m.ms) for m in of_layer if m.baseline), None)
        out.extend(m.summary(base) for m in of_layer)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=300, help="timed calls per measure")
    parser.add_argument("--seed", type=int, default=2)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    parser.add_argument("--skip-http", action="store_true")
    args = parser.parse_args(argv)
    if not 1 <= args.n <= 100_000:
        parser.error("-n must be between 1 and 100000")

    url = bench_url()
    db = Database(Settings(database_url=url))
    try:
        with db.session() as s:
            products = s.execute(sa.text("SELECT count(*) FROM product")).scalar_one()
    except sa.exc.OperationalError:
        print(
            f"no database {DB_NAME}: run .venv/bin/python bench/catalog_generate.py first",
            file=sys.stderr,
        )
        return 2
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    try:
        print(f"{DB_NAME}: {products:,} products; n={args.n} after {WARMUP} warm-up calls")
        load_before = os.getloadavg()
        measures = bench_in_process(db, args.n, args.seed)
        if not args.skip_http:
            measures += bench_http(
                db, url, args.n, args.seed, RESULTS_DIR / f"catalog_queries-{stamp}-server.log"
            )
        rows = summarise(measures)
        info = machine()
        info["loadavg_1m_before_after"] = [round(load_before[0], 2), round(os.getloadavg()[0], 2)]
    finally:
        db.dispose()
        if not args.keep:
            drop_database(ADMIN_URL, DB_NAME)
            print(f"dropped {DB_NAME} (use --keep to keep it)")
    result = {
        "benchmark": "catalog_queries",
        "at": stamp,
        "seed": args.seed,
        "n": args.n,
        "warmup": WARMUP,
        "machine": info,
        "results": rows,
    }
    path = RESULTS_DIR / f"catalog_queries-{stamp}.json"
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(
        f"machine: nproc {info['nproc']}, PostgreSQL {info['postgresql']}, "
        f"Python {info['python']}; load average (1 min) before/after "
        f"{info['loadavg_1m_before_after']}"
    )
    print(table(rows))
    print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
