"""Benchmark: one anonymous client looping requests refused as too broad, against real
travellers' searches (newcomer finding 4; docs/planner.md, "Searches at once").

    .venv/bin/python bench/plans_fair.py [--seconds 60] [--attackers 8] [--travellers 6]

One server (``jilin serve``, one worker, SQLite with the demo catalogue, as ``./dev
serve``; the planner's settings at their defaults), on loopback. Clients come from
distinct loopback addresses (127.0.0.x: the server tells them apart by address, as it
would tell real clients apart), so the same script measures a tree without a share (every
address alike) and one with it:

1. ``GET /v1/health`` 50 times (the baseline: wall p50 and the server's CPU per request);
2. the too-broad request (``TOO_BROAD``, the newcomer's: 422 ``plan_too_broad``) once from
   each of 5 fresh addresses: wall and the server's CPU per request (``/proc``, the
   server's process tree), and the ratio to health;
3. travellers alone: each of ``--travellers`` addresses searches the bench's six weeks
   (``plans_bench.plan_body``, with needs) every ~5 s for ``--seconds`` / 3;
4. the same travellers while ``--attackers`` threads of ONE other address loop
   ``TOO_BROAD`` back to back for ``--seconds``: the travellers' answers (200 / 503 /
   429), their wall p50 / p95, the attacker's answers and the server's CPU.

Prints a JSON summary and writes it to ``bench/results/plans-fair-<UTC>.json``.
"""

import argparse
import os
import sys
import threading
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import benchkit  # noqa: E402
import httpx  # noqa: E402
import plans_bench  # noqa: E402

# The newcomer's request (finding 4): refused 422 plan_too_broad after the whole budget.
TOO_BROAD = {
    "earliest_check_in": "2027-06-01",
    "latest_check_out": "2028-06-30",
    "nights": 120,
    "guests": 2,
    "max_stays": 4,
    "min_nights_per_stay": 7,
}
TICKS = os.sysconf("SC_CLK_TCK")


def server_cpu_s(pid: int) -> float:
    """User + system CPU seconds of the server's process tree so far."""
    total = 0
    for p in benchkit.process_tree(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICKS


def said(r: httpx.Response) -> str:
    """An answer as counted: its status, with its problem's code if refused."""
    return f"{r.status_code} {r.json().get('code', '')}" if r.status_code >= 400 else "200"


def client(base: str, address: str) -> httpx.Client:
    transport = httpx.HTTPTransport(local_address=address)
    return httpx.Client(base_url=base, transport=transport, timeout=120)


def timed_requests(pid: int, calls) -> dict:
    """Each of ``calls`` (a callable returning a response) once, in turn: statuses, wall
    p50 and the server's mean CPU per request."""
    wall, cpu, codes = [], [], Counter()
    for call in calls:
        c0, w0 = server_cpu_s(pid), time.perf_counter()
        r = call()
        wall.append((time.perf_counter() - w0) * 1000)
        cpu.append((server_cpu_s(pid) - c0) * 1000)
        codes[said(r)] += 1
    return {
        "answers": dict(codes),
        "wall_ms_p50": round(benchkit.percentile(wall, 50), 1),
        # /proc counts in ticks (10 ms): the mean over the requests, not a percentile
        "server_cpu_ms_mean": round(sum(cpu) / len(cpu), 1),
    }


def travellers(base: str, n: int, seconds: float, body: dict, stop: threading.Event) -> dict:
    """``n`` travellers, each from its own address, searching ``body`` every ~5 s (a person
    reading the answer between searches) for ``seconds``: answers and wall times."""
    codes: Counter = Counter()
    wall: list[float] = []
    lock = threading.Lock()

    def one(k: int) -> None:
        with client(base, f"127.0.0.{10 + k}") as c:
            end = time.monotonic() + seconds
            time.sleep(k * 5 / n)  # spread over the 5 s
            while time.monotonic() < end and not stop.is_set():
                t0 = time.perf_counter()
                r = c.post("/v1/plans", json=body)
                took = (time.perf_counter() - t0) * 1000
                with lock:
                    codes[said(r)] += 1
                    wall.append(took)
                time.sleep(max(0.0, 5 - took / 1000))

    threads = [threading.Thread(target=one, args=(k,)) for k in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    total = sum(codes.values())
    return {
        "searches": total,
        "answers": dict(codes),
        "ok_share": round(codes["200"] / total, 3) if total else None,
        "wall_ms_p50": round(benchkit.percentile(wall, 50)) if wall else None,
        "wall_ms_p95": round(benchkit.percentile(wall, 95)) if wall else None,
    }


def attackers(base: str, n: int, stop: threading.Event) -> tuple[list, Counter]:
    """``n`` threads of one address (127.0.0.2) looping ``TOO_BROAD`` until ``stop``."""
    codes: Counter = Counter()
    lock = threading.Lock()

    def loop() -> None:
        with client(base, "127.0.0.2") as c:
            while not stop.is_set():
                r = c.post("/v1/plans", json=TOO_BROAD)
                with lock:
                    codes[said(r)] += 1

    threads = [threading.Thread(target=loop) for _ in range(n)]
    for t in threads:
        t.start()
    return threads, codes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--attackers", type=int, default=8)
    parser.add_argument("--travellers", type=int, default=6)
    args = parser.parse_args(argv)
    url, db = plans_bench.demo_database()
    db.dispose()
    port = benchkit.free_port()
    log = HERE / "results" / "server-plans-fair.log"
    log.parent.mkdir(exist_ok=True)
    proc = benchkit.start_server(url, port, log)
    base = f"http://{benchkit.HOST}:{port}"
    traveller_body = plans_bench.plan_body(
        plans_bench.next_july(plans_bench.catalog_generate.shanghai_today()), True
    )
    out: dict = {
        "at": datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ"),
        "tree": str(HERE.parent),
        "load_before": os.getloadavg(),
    }
    try:
        with client(base, "127.0.0.9") as warm:  # caches warm, the answers as expected
            assert warm.post("/v1/plans", json=traveller_body).status_code == 200
        with client(base, "127.0.0.1") as c:
            out["health"] = timed_requests(proc.pid, [lambda: c.get("/v1/health")] * 50)
        broad = []
        for k in range(5):
            c = client(base, f"127.0.1.{k + 1}")
            broad.append(lambda c=c: c.post("/v1/plans", json=TOO_BROAD))
        out["too_broad_once"] = timed_requests(proc.pid, broad)
        for key in ("wall_ms_p50", "server_cpu_ms_mean"):
            out["too_broad_once"][f"x_health_{key}"] = round(
                out["too_broad_once"][key] / max(0.1, out["health"][key])
            )
        stop = threading.Event()
        out["travellers_alone"] = travellers(
            base, args.travellers, args.seconds / 3, traveller_body, stop
        )
        c0 = server_cpu_s(proc.pid)
        threads, codes = attackers(base, args.attackers, stop)
        flood = travellers(base, args.travellers, args.seconds, traveller_body, threading.Event())
        stop.set()
        for t in threads:
            t.join()
        out["travellers_during_flood"] = flood
        out["attacker"] = {"threads": args.attackers, "answers": dict(codes)}
        out["server_cpu_s_during_flood"] = round(server_cpu_s(proc.pid) - c0, 1)
    finally:
        benchkit.stop_server(proc)
    out["load_after"] = os.getloadavg()
    benchkit.write_result("plans-fair", out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
