"""Benchmark of the trip planner and the price calendar (docs/planner.md).

    .venv/bin/python bench/plans_bench.py [--seconds 20] [--skip-province]
    .venv/bin/python bench/plans_bench.py --refused

1. Demo catalogue (SQLite file, as ``./dev serve``): one uvicorn worker; ``wrk`` (one
   connection, one thread) on ``GET /v1/health`` (the baseline), ``POST /v1/plans``
   (six weeks, up to three stays; with needs, and without) and the 180-date
   ``GET /v1/products/{id}/price-calendar``.
2. Province scale (PostgreSQL ``jl_bench_catalog`` from ``catalog_generate.py``: 150
   destinations, 3,000 products, 365 nights of inventory each), plus 60 transit lines
   and the demo's province-wide rules: the same ``wrk`` runs for health and plans, and
   the planner's peak memory per request in-process (``tracemalloc``, which numpy
   reports to).

3. ``--refused`` alone: the request refused as too broad (``REFUSED``), in process, the
   min-plus kernel as it was and as it is, against ``GET /v1/health`` in the same run.

Prints a JSON summary and writes it to ``bench/results/plans-<UTC>.json``.
"""

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import benchkit  # noqa: E402
import catalog_generate  # noqa: E402
import sqlalchemy as sa  # noqa: E402

from service.migrate import upgrade  # noqa: E402

LUA = HERE / "wrk_report.lua"


def plan_body(start: date, needs: bool) -> dict:
    body = {
        "earliest_check_in": start.isoformat(),
        "latest_check_out": (start + timedelta(days=50)).isoformat(),
        "nights": 42,
        "max_stays": 3,
        "guests": 2,
    }
    if needs:
        body["needs"] = {"hospital_within_km": 15, "cross_province_settlement": True}
    return body


def next_july(today: date) -> date:
    july = date(today.year, 7, 1)
    return july if july > today + timedelta(days=30) else date(today.year + 1, 7, 1)


def wrk(url: str, seconds: int, body: dict | None = None) -> dict:
    env = dict(os.environ)
    if body is not None:
        f = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False)
        json.dump(body, f)
        f.close()
        env["WRK_BODY"] = f.name
    out = subprocess.run(
        ["wrk", "-t1", "-c1", f"-d{seconds}s", "-s", str(LUA), url],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    ).stdout
    found = re.search(r"WRK_JSON (\{.*\})", out)
    if not found:
        raise RuntimeError(out)
    return json.loads(found.group(1))


def serve_and_measure(url: str, label: str, seconds: int, bodies: dict, extra_gets: dict) -> dict:
    port = benchkit.free_port()
    log = HERE / "results" / f"server-{label}.log"
    log.parent.mkdir(exist_ok=True)
    proc = benchkit.start_server(url, port, log)
    base = f"http://{benchkit.HOST}:{port}"
    out = {}
    try:
        import httpx

        for name, body in bodies.items():  # warm the caches and check the answer
            r = httpx.post(f"{base}/v1/plans", json=body, timeout=60)
            r.raise_for_status()
            out[f"{name}_plans_found"] = len(r.json()["plans"])
        out["health"] = wrk(f"{base}/v1/health", seconds)
        for name, body in bodies.items():
            out[name] = wrk(f"{base}/v1/plans", seconds, body)
            out[name]["x_health_p50"] = round(out[name]["p50_ms"] / out["health"]["p50_ms"], 1)
        for name, path in extra_gets.items():
            httpx.get(base + path, timeout=60).raise_for_status()
            out[name] = wrk(base + path, seconds)
            out[name]["x_health_p50"] = round(out[name]["p50_ms"] / out["health"]["p50_ms"], 1)
        out["health_after"] = wrk(f"{base}/v1/health", seconds)
    finally:
        benchkit.stop_server(proc)
    return out


def demo_database() -> tuple[str, object]:
    """A fresh SQLite file with the demo catalogue: its URL and an open ``Database``."""
    from catalog.demo.loader import load_demo
    from service.db import Database
    from service.settings import Settings

    folder = Path(tempfile.mkdtemp(prefix="jl-plans-bench-"))
    url = f"sqlite:///{folder}/demo.db"
    upgrade(url)
    db = Database(Settings(env="test", database_url=url))
    with db.write_session() as s:
        load_demo(s)
        s.commit()
    return url, db


def demo(seconds: int) -> dict:
    url, db = demo_database()
    with db.session() as s:
        cabin = s.execute(
            sa.text("SELECT id FROM product WHERE slug = 'changbaishan-north-forest-cabin'")
        ).scalar()
    db.dispose()
    start = next_july(catalog_generate.shanghai_today())
    calendar = (
        f"/v1/products/{cabin}/price-calendar?from={start - timedelta(days=60)}"
        f"&to={start + timedelta(days=120)}&nights=14&guests=2"
    )
    bodies = {"plan_needs": plan_body(start, True), "plan_any": plan_body(start, False)}
    out = serve_and_measure(url, "demo", seconds, bodies, {"calendar_180": calendar})
    out["in_process"] = in_process(url, bodies)
    return out


def add_lines_and_rules(url: str, seed: int = 7) -> None:
    """60 transit lines of 3-5 stops (mostly within a prefecture) and the demo's
    province-wide long-stay, advance-booking, trip-bundle and pack-bundle rules."""
    rng = random.Random(seed)
    engine = sa.create_engine(url)
    now = datetime.now(UTC)
    with engine.begin() as conn:
        dests = conn.execute(sa.text("SELECT id, prefecture FROM destination")).all()
        by_pref: dict[str, list[int]] = {}
        for d in dests:
            by_pref.setdefault(d.prefecture, []).append(d.id)
        for i in range(1, 61):
            pool = by_pref[rng.choice(sorted(by_pref))]
            stops = rng.sample(pool, min(len(pool), rng.randint(3, 5)))
            if rng.random() < 0.3:
                stops.append(rng.choice(dests).id)
            lid = conn.execute(
                sa.text(
                    "INSERT INTO transit_line (code, name_zh, name_en, fare_fen, is_active) "
                    "VALUES (:c, :z, :e, :f, true) RETURNING id"
                ),
                {"c": f"B{i}", "z": f"线路{i}", "e": f"Line {i}", "f": rng.randint(8, 160) * 100},
            ).scalar()
            for seq, dest in enumerate(dict.fromkeys(stops)):
                conn.execute(
                    sa.text(
                        "INSERT INTO transit_stop (line_id, seq, destination_id) "
                        "VALUES (:l, :s, :d)"
                    ),
                    {"l": lid, "s": seq, "d": dest},
                )
        rules = [
            (
                "long",
                "long_stay",
                [
                    {"threshold": 10, "bps": 500},
                    {"threshold": 21, "bps": 1000},
                    {"threshold": 28, "bps": 1500},
                ],
                0,
                0,
                0,
            ),
            (
                "adv",
                "advance_booking",
                [{"threshold": 30, "bps": 500}, {"threshold": 60, "bps": 800}],
                0,
                0,
                0,
            ),
            ("trip2", "trip_bundle", [], 300, 2, 0),
            ("trip3", "trip_bundle", [], 600, 3, 0),
            ("packs", "pack_bundle", [], 1000, 0, 2),
        ]
        for key, kind, tiers, bps, min_dest, min_packs in rules:
            rid = conn.execute(
                sa.text(
                    "INSERT INTO discount_rule (key, kind, current_version, is_active) "
                    "VALUES (:k, :kind, 1, true) RETURNING id"
                ),
                {"k": f"bench-{key}", "kind": kind},
            ).scalar()
            conn.execute(
                sa.text(
                    "INSERT INTO discount_rule_version (rule_id, version, kind, name_zh, name_en,"
                    " description_zh, description_en, destination_ids, themes, product_ids,"
                    " channels, tiers, bps, min_destinations, min_packs, transit_line_ids,"
                    " pack_kinds, valid_days, created_at) VALUES (:r, 1, :kind, :k, :k, '', '',"
                    " '[]', '[]', '[]', '[]', CAST(:tiers AS JSONB), :bps, :md, :mp, '[]', '[]',"
                    " 0, :now)"
                ),
                {
                    "r": rid,
                    "kind": kind,
                    "k": key,
                    "tiers": json.dumps(tiers),
                    "bps": bps,
                    "md": min_dest,
                    "mp": min_packs,
                    "now": now,
                },
            )
    engine.dispose()


def province(seconds: int) -> dict:
    admin = catalog_generate.ADMIN_URL
    catalog_generate.drop_database(admin)
    catalog_generate.create_database(admin)
    url = catalog_generate.bench_url(admin)
    upgrade(url)
    today = catalog_generate.shanghai_today()
    catalog_generate.fill(url, 2, today)
    add_lines_and_rules(url)
    start = next_july(today)
    if start + timedelta(days=50) > today + timedelta(days=364):
        start = today + timedelta(days=200)
    bodies = {"plan_needs": plan_body(start, True), "plan_any": plan_body(start, False)}
    out = serve_and_measure(url, "province", seconds, bodies, {})
    out["in_process"] = in_process(url, bodies)
    return out


def in_process(url: str, bodies: dict, runs: int = 15) -> dict:
    """The planner's whole request in-process (``service.plans.service.make_plans``):
    CPU time per request (``time.process_time``: load from elsewhere on the machine
    does not count) median and p95 over ``runs`` requests, and the peak memory traced
    while planning one request (``tracemalloc``, after a warm-up request)."""
    from service import runner
    from service.auth import ANONYMOUS
    from service.db import Database
    from service.plans import service
    from service.plans.schemas import PlanIn
    from service.settings import Settings

    db = Database(Settings(env="test", database_url=url))
    out = {}
    for name, body in bodies.items():
        parsed = PlanIn.model_validate(body)
        now = datetime.now(UTC)

        def once(parsed=parsed, now=now):
            with runner.core_transaction(db) as conn:
                service.make_plans(conn, parsed, caller=ANONYMOUS, now=now, lang="zh-CN")

        once()
        cpu = []
        for _ in range(runs):
            c0 = time.process_time()
            once()
            cpu.append((time.process_time() - c0) * 1000)
        tracemalloc.start()
        t0 = time.perf_counter()
        once()
        elapsed = time.perf_counter() - t0
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        out[name] = {
            "cpu_ms_p50": round(benchkit.percentile(cpu, 50), 1),
            "cpu_ms_p95": round(benchkit.percentile(cpu, 95), 1),
            "peak_mib": round(peak / 2**20, 1),
            "traced_wall_ms": round(elapsed * 1000),
        }
    db.dispose()
    return out


# The newcomer's refused request (422 plan_too_broad after the whole work budget):
# 400 nights in a 400-day window, stays of one night or more, up to four of them.
REFUSED = {
    "nights": 400,
    "guests": 1,
    "max_stays": 4,
    "min_nights_per_stay": 1,
    "limit": 20,
    "allow_self_travel": True,
}


def refused(runs: int = 5) -> dict:
    """In process (TestClient, demo catalogue, SQLite): ``GET /v1/health`` (the
    baseline) and ``REFUSED`` from next January, wall and CPU time median over ``runs``,
    with the min-plus kernel in one block for every product (``before``: the kernel as
    it was) and as it is (``after``), in the same run."""
    import logging

    from fastapi.testclient import TestClient

    from planner import kernels
    from service.app import create_app

    logging.disable(logging.CRITICAL)
    _, db = demo_database()
    start = date(catalog_generate.shanghai_today().year + 1, 1, 1)
    body = dict(
        REFUSED,
        earliest_check_in=start.isoformat(),
        latest_check_out=(start + timedelta(days=400)).isoformat(),
    )
    out: dict = {}
    with TestClient(create_app(db.settings, database=db)) as client:

        def timed(call) -> dict:
            call()  # warm
            wall, cpu = [], []
            for _ in range(runs):
                w0, c0 = time.perf_counter(), time.process_time()
                r = call()
                wall.append((time.perf_counter() - w0) * 1000)
                cpu.append((time.process_time() - c0) * 1000)
            return {
                "status": r.status_code,
                "code": r.json().get("code"),
                "wall_ms_p50": round(benchkit.percentile(wall, 50), 1),
                "cpu_ms_p50": round(benchkit.percentile(cpu, 50), 1),
            }

        out["health"] = timed(lambda: client.get("/v1/health"))
        spans_from = kernels._SPANS_FROM
        for name, spans in (("before", 1 << 62), ("after", spans_from)):
            kernels._SPANS_FROM = spans
            out[name] = timed(lambda: client.post("/v1/plans", json=body))
            out[name]["x_health_p50"] = round(
                out[name]["wall_ms_p50"] / out["health"]["wall_ms_p50"]
            )
        kernels._SPANS_FROM = spans_from
    db.dispose()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--skip-province", action="store_true")
    parser.add_argument(
        "--refused", action="store_true", help="only the refused request (in process)"
    )
    args = parser.parse_args(argv)
    if args.refused:
        print(json.dumps(refused(), indent=1))
        return 0
    result = {
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "load_before": os.getloadavg(),
        "demo": demo(args.seconds),
    }
    if not args.skip_province:
        result["province"] = province(args.seconds)
    result["load_after"] = os.getloadavg()
    text = json.dumps(result, indent=1)
    print(text)
    out = HERE / "results" / f"plans-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
