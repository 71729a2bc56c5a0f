"""The calendar bulk edit at its stated size: 180 nights x 30 products (5,400 cells).

    .venv/bin/python bench/calendar_bulk_edit.py [--runs 20] [--wrk-seconds 20] [--keep]

Creates the PostgreSQL database ``jl_bench_calendar`` beside the admin database
(``JL_BENCH_ADMIN_URL``, default ``postgresql+psycopg://postgres@127.0.0.1:5432/test``),
migrates it, and loads one destination with 30 products (a season each) and 200
inventory nights of 12 units per product, 3 of them taken on every tenth night; an
operator admin with an API token.

Measures, alternating two edits so that every apply changes every cell (units 10 <-> 11
and a rate override set <-> cleared: 5,400 cells, the rate history and the audit log
written each time):

* in-process, N runs each: ``preview`` (a read session) and ``apply`` + commit (a write
  session), against ``SELECT 1`` through the same kind of session;
* over HTTP: ``python -m service.cli serve`` (one worker) driven by ``wrk`` (one
  connection, a Lua script alternating the two bodies) on ``POST
  /v1/admin/calendar/preview`` and ``/apply``, against ``GET /v1/health``.

Prints a table and writes ``bench/results/calendar_bulk_edit-<time>.json``.
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchkit  # noqa: E402

from catalog import calendar  # noqa: E402
from catalog.models import Destination, InventoryNight, Product, Season  # noqa: E402
from service.db import Database  # noqa: E402
from service.migrate import upgrade  # noqa: E402
from service.operators import accounts, passwords  # noqa: E402
from service.operators import calendar as operator_calendar  # noqa: E402
from service.operators.scope import Operator  # noqa: E402
from service.settings import Settings  # noqa: E402

DB_NAME = "jl_bench_calendar"
PRODUCTS, NIGHTS, EDIT_NIGHTS = 30, 200, 180


def create_database() -> str:
    url = benchkit.create_pg_database(DB_NAME)
    upgrade(url)
    return url


def load(db: Database, first: date) -> tuple[list[int], Operator, str]:
    now = datetime.now(UTC)
    with db.write_session() as s:
        d = Destination(
            slug="bench-calendar",
            name_zh="基准",
            name_en="Bench",
            pilot_kind="resort",
            prefecture="白山市",
            lat=42.0,
            lon=128.0,
        )
        s.add(d)
        s.flush()
        ids = []
        for i in range(PRODUCTS):
            p = Product(
                slug=f"bench-cal-{i}",
                destination_id=d.id,
                theme="forest_healing",
                name_zh=f"产品{i}",
                name_en=f"Product {i}",
                unit_type="cabin",
                base_occupancy=2,
                max_occupancy=3,
                base_rate_fen=38_000,
                filed_rate_fen=50_000,
            )
            s.add(p)
            s.flush()
            ids.append(p.id)
            s.add(
                Season(
                    product_id=p.id,
                    start_date=first + timedelta(days=30),
                    end_date=first + timedelta(days=90),
                    nightly_rate_fen=46_000,
                    filed_rate_fen=52_000,
                )
            )
        s.flush()
        s.execute(
            sa.insert(InventoryNight),
            [
                {
                    "product_id": p,
                    "night": first + timedelta(days=n),
                    "total_units": 12,
                    "taken_units": 3 if n % 10 == 0 else 0,
                }
                for p in ids
                for n in range(NIGHTS)
            ],
        )
        account = accounts.insert_account(
            s,
            login="bench-operator",
            display_name="bench",
            role="operator_admin",
            password_hash=passwords.hash_password("bench-password-1"),
            destination_ids=[d.id],
            now=now,
        )
        token = accounts.issue_token(s, account, pepper=db.settings.secret_key, now=now)
        s.commit()
        operator = Operator(account.id, account.login, "operator_admin", frozenset({d.id}))
    with db.engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM ANALYZE")
    return ids, operator, token.plaintext


def bodies(ids: list[int], first: date) -> list[dict]:
    last = first + timedelta(days=EDIT_NIGHTS - 1)
    base = {"product_ids": ids, "from": first.isoformat(), "to": last.isoformat()}
    return [
        {**base, "set": {"units": 10, "rate_override_fen": 36_000}},
        {**base, "set": {"units": 11, "rate_override_fen": None}},
    ]


def as_edit(body: dict) -> calendar.BulkEdit:
    return calendar.BulkEdit(
        product_ids=tuple(body["product_ids"]),
        first=date.fromisoformat(body["from"]),
        last=date.fromisoformat(body["to"]),
        weekdays=frozenset(range(1, 8)),
        changes=body["set"],
    )


def ms_stats(samples: list[float]) -> dict:
    return {
        "n": len(samples),
        "median_ms": round(statistics.median(samples), 2),
        "p95_ms": round(benchkit.percentile(samples, 95), 2),
    }


def in_process(db: Database, operator: Operator, edits: list, runs: int) -> dict:
    out: dict[str, list[float]] = {"baseline": [], "preview": [], "apply": []}
    for i in range(runs):
        edit = edits[i % 2]
        t = time.perf_counter()
        with db.session() as s:
            s.execute(sa.text("SELECT 1")).scalar()
            s.commit()
        out["baseline"].append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        with db.session() as s:
            plan = operator_calendar.preview(s, operator, edit)
            s.rollback()
        out["preview"].append((time.perf_counter() - t) * 1000)
        assert plan.cells == PRODUCTS * EDIT_NIGHTS and not plan.refused
        t = time.perf_counter()
        with db.write_session() as s:
            plan = operator_calendar.apply(
                s, operator, edit, now=datetime.now(UTC), lock_timeout_ms=5000
            )
            s.commit()
        out["apply"].append((time.perf_counter() - t) * 1000)
        assert len(plan.changed) == PRODUCTS * EDIT_NIGHTS, len(plan.changed)
    return {k: ms_stats(v) for k, v in out.items()}


_LUA = """
local bodies = {%s}
local i = 0
request = function()
  i = i + 1
  return wrk.format("POST", nil, {["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer %s"}, bodies[(i %% 2) + 1])
end
"""
_UNIT = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def run_wrk(url: str, seconds: int, script: str | None, timeout: str = "10s") -> dict:
    cmd = ["wrk", "-t1", "-c1", f"-d{seconds}s", "--latency", "--timeout", timeout]
    if script:
        cmd += ["-s", script]
    text = subprocess.run(cmd + [url], capture_output=True, text=True, check=True).stdout
    got = {}
    for pct, value, unit in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", text, re.M):
        got[f"p{pct}_ms"] = round(float(value) * _UNIT[unit], 2)
    requests = re.search(r"(\d+) requests in", text)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    return {
        "median_ms": got.get("p50_ms"),
        "p99_ms": got.get("p99_ms"),
        "requests": int(requests.group(1)) if requests else 0,
        "non_2xx": int(non2xx.group(1)) if non2xx else 0,
    }


def over_http(url: str, token: str, payloads: list[dict], seconds: int) -> dict:
    port = benchkit.free_port()
    tmp = Path(tempfile.mkdtemp(prefix="jl-bench-cal-"))
    server = benchkit.start_server(url, port, tmp / "server.log")
    try:
        base = f"http://{benchkit.HOST}:{port}"
        lua_bodies = ", ".join(json.dumps(json.dumps(b)) for b in payloads)
        script = tmp / "edit.lua"
        script.write_text(_LUA % (lua_bodies, token))
        return {
            "baseline": run_wrk(f"{base}/v1/health", seconds, None),
            "preview": run_wrk(f"{base}/v1/admin/calendar/preview", seconds, str(script)),
            "apply": run_wrk(f"{base}/v1/admin/calendar/apply", seconds, str(script)),
        }
    finally:
        benchkit.stop_server(server)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--wrk-seconds", type=int, default=20)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    load_start = os.getloadavg()[0]
    url = create_database()
    db = Database(Settings(env="development", database_url=url))
    try:
        first = date.today() + timedelta(days=10)
        ids, operator, token = load(db, first)
        payloads = bodies(ids, first)
        inproc = in_process(db, operator, [as_edit(b) for b in payloads], args.runs)
        http = over_http(url, token, payloads, args.wrk_seconds)
    finally:
        db.dispose()
        if not args.keep:
            benchkit.drop_pg_database(DB_NAME)
    result = {
        "cells": PRODUCTS * EDIT_NIGHTS,
        "in_process": inproc,
        "http_wrk": http,
        "load_average": [round(load_start, 2), round(os.getloadavg()[0], 2)],
        "at": datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ"),
    }
    benchkit.write_result("calendar_bulk_edit", result)
    base = inproc["baseline"]["median_ms"]
    for name in ("preview", "apply"):
        m = inproc[name]
        print(
            f"in-process {name}: median {m['median_ms']} ms, p95 {m['p95_ms']} ms, "
            f"x{m['median_ms'] / base:.0f} SELECT 1"
        )
    hb = http["baseline"]["median_ms"] or 1
    for name in ("preview", "apply"):
        m = http[name]
        print(
            f"HTTP {name}: median {m['median_ms']} ms, p99 {m['p99_ms']} ms, "
            f"x{(m['median_ms'] or 0) / hb:.0f} /v1/health, {m['requests']} requests, "
            f"{m['non_2xx']} non-2xx"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
