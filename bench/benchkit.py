"""What every benchmark shares: the percentile definition and the served app.

The benchmarks run as scripts (``python bench/<name>.py``), so this module is
imported as ``benchkit`` from the script's own folder.
"""

import json
import math
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


PG_ADMIN_URL = os.environ.get(
    "JL_BENCH_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def create_pg_database(name: str) -> str:
    """A new, empty PostgreSQL database ``name`` (dropped first if left over) on the
    server of ``JL_BENCH_ADMIN_URL``: its URL."""
    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    return sa.make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)


def load_demo(url: str) -> None:
    """Migrate the database at ``url`` and load the demo catalogue into it (``jilin
    migrate``, ``jilin load-demo``)."""
    for step in ("migrate", "load-demo"):
        subprocess.run(
            [sys.executable, "-m", "service.cli", step],
            env={**os.environ, "DATABASE_URL": url},
            cwd=ROOT,
            check=True,
            capture_output=True,
        )


def drop_pg_database(name: str) -> None:
    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (the same definition in every benchmark)."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, math.ceil(p / 100 * len(ordered)) - 1))]


def write_result(name: str, result: dict) -> Path:
    """``result`` (with its ``at`` time) as ``bench/results/<name>-<at>.json``, and printed."""
    out_dir = ROOT / "bench" / "results"
    out_dir.mkdir(exist_ok=True)
    path = out_dir / f"{name}-{result['at']}.json"
    path.write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
    return path


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def start_server(
    url: str,
    port: int,
    log_path: Path,
    *,
    workers: int = 1,
    env: dict | None = None,
    root: Path = ROOT,
) -> subprocess.Popen:
    """Serve the app through the production entry point (``jilin serve``) on loopback
    and wait until ``/v1/health`` answers. ``root``: the checkout whose code it serves
    (another revision's worktree, to measure before and after in one run)."""
    full_env = {**os.environ, "DATABASE_URL": url, "JL_ENV": "development", **(env or {})}
    cmd = [
        sys.executable,
        "-m",
        "service.cli",
        "serve",
        "--host",
        HOST,
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--no-access-log",
        "--log-level",
        "warning",
    ]
    log = log_path.open("w")
    proc = subprocess.Popen(cmd, cwd=root, env=full_env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}; see {log_path}")
        try:
            if httpx.get(f"http://{HOST}:{port}/v1/health", timeout=1).status_code == 200:
                return proc
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    stop_server(proc)
    raise RuntimeError(f"server did not answer within 60 s; see {log_path}")


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


def process_tree(pid: int) -> list[int]:
    """``pid`` and its descendants (the uvicorn supervisor and its workers)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        for task in Path(f"/proc/{p}/task").glob("*/children"):
            todo += [int(c) for c in task.read_text().split()]
    return out


def integrity(db) -> dict:
    """Counted by SQL on a ``service.db.Database``: nights with more units taken than
    they have, nights whose ``taken_units`` differ from the units of the bookings
    holding them (both must be 0), and bookings."""
    with db.session() as s:
        oversold = s.execute(
            sa.text("SELECT count(*) FROM inventory_night WHERE taken_units > total_units")
        ).scalar()
        mismatched = s.execute(
            sa.text("""
            WITH held AS (
              SELECT i.product_id, d::date AS night, sum(i.units) AS units
              FROM booking_item i JOIN booking b ON b.id = i.booking_id
              CROSS JOIN LATERAL generate_series(i.check_in, i.check_out - 1, '1 day') d
              WHERE b.inventory_held GROUP BY 1, 2)
            SELECT count(*) FROM inventory_night n LEFT JOIN held h
              ON h.product_id = n.product_id AND h.night = n.night
            WHERE n.taken_units <> coalesce(h.units, 0)""")
        ).scalar()
        booked = s.execute(sa.text("SELECT count(*) FROM booking")).scalar()
    return {
        "oversold_nights": oversold,
        "nights_not_matching_bookings": mismatched,
        "bookings_in_db": booked,
    }
