"""The kept pages on PostgreSQL, this checkout against another commit, side by side:
two servers on one database, their runs interleaved, so the load of a shared machine
hits both alike.

    flock /tmp/jl-bench-pages-pg.lock .venv/bin/python bench/pages_ab.py --base main \
        [--seconds 4] [--rounds 5] [--first-views 200] [--sqlite] [--ports 8770,8771]

``--first-views N``: also the first views of the manage and quote pages, N new bookings
a round (made with ``POST /v1/bookings``, ``pages_http.new_bookings``; each server signs
its own booking cookies, ``manage_cookies``), each booking's page and its quote's page
viewed once on each server (a page kept by one worker is not kept by the other: each
view is a first view on its server; the quotes are booked ones, as in
``pages_http.py``). ``--sqlite``: one SQLite file served by both, not PostgreSQL.

Writes ``--base`` (any git ref) to a temporary folder (``git archive``), migrates a new
database ``jl_bench_pages`` (as ``pages_http.py --postgres``; dropped at the end) with
the demo catalogue, serves it from both checkouts (one worker each, as
``pages_http.py``), makes one quote and one booking through the pages and views each
page once on both (so it is kept), then, round by round, alternating which goes first:
``wrk -t1 -c1`` on ``/v1/health``, the product page, the kept quote page and the kept
manage page of each server. Reports per server each page's median and p99 (the median
of the rounds) and its ratio to that server's own ``/v1/health`` median.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchkit import (  # noqa: E402
    HOST,
    create_pg_database,
    drop_pg_database,
    free_port,
    load_demo,
)
from pages_http import (  # noqa: E402
    PG_DATABASE,
    PRODUCT,
    manage_cookies,
    new_bookings,
    prepare,
    wrk,
)


def serve(checkout: Path, url: str, port: int, log: Path, bookings: int = 0) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": url, "JL_ENV": "development"}
    if bookings:  # booked from one address without a key: the per-address cap raised
        env["JL_MAX_ANONYMOUS_UNITS_HELD_PER_ADDRESS"] = "1000000"
    cmd = [sys.executable, "-m", "service.cli", "serve", "--host", HOST, "--port", str(port)]
    cmd += ["--workers", "1", "--no-access-log", "--log-level", "warning"]
    proc = subprocess.Popen(
        cmd, cwd=checkout, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT
    )
    for _ in range(300):
        try:
            if httpx.get(f"http://{HOST}:{port}/v1/health", timeout=1).status_code == 200:
                return proc
        except httpx.TransportError:
            pass
        if proc.poll() is not None:
            break
        subprocess.run(["sleep", "0.2"], check=True)
    proc.kill()
    raise RuntimeError(f"server in {checkout} did not answer; see {log}")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default="main", help="the git ref to compare against")
    parser.add_argument("--seconds", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--first-views", type=int, default=0, help="new bookings a round")
    parser.add_argument("--sqlite", action="store_true", help="a SQLite file, not PostgreSQL")
    parser.add_argument(
        "--ports", default="", help="the two servers' ports (base,this), else free ones"
    )
    args = parser.parse_args()
    ports = [int(p) for p in args.ports.split(",")] if args.ports else []
    folder = Path(tempfile.mkdtemp(prefix="jl_bench_ab_"))
    base_dir = folder / "base"
    base_dir.mkdir()
    archive = subprocess.run(
        ["git", "archive", args.base], cwd=ROOT, check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(base_dir)], input=archive, check=True)
    head = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, check=True, capture_output=True
    )
    label_head = f"this checkout ({head.stdout.decode().strip()})"
    label_base = f"{args.base}"
    url = f"sqlite:///{folder / 'ab.db'}" if args.sqlite else create_pg_database(PG_DATABASE)
    procs = []
    first_view = "manage, first view (a new booking per request)"
    quote_first_view = "quote, first view (a booked quote per request)"
    firsts = [first_view, quote_first_view] if args.first_views else []
    try:
        load_demo(url)
        bases = {}
        for label, checkout in ((label_base, base_dir), (label_head, ROOT)):
            port = ports[len(procs)] if ports else free_port()
            procs.append(serve(checkout, url, port, folder / f"{len(procs)}.log", args.first_views))
            bases[label] = f"http://{HOST}:{port}"
        quote_path, _ = prepare(bases[label_head])
        # Bookings made once; each server signs its own booking cookies (two versions
        # may sign them differently), the kept page's and the first views'.
        quoted, booked = new_bookings(bases[label_head], 1 + args.first_views * args.rounds)
        own = {label: manage_cookies(base, booked) for label, base in bases.items()}
        pages = {
            "baseline /v1/health": ("/v1/health", {}),
            "product (28-night calendar)": (f"/products/{PRODUCT}", {}),
            "quote (price explained), kept": (quote_path, {}),
            "manage (booking by cookie), kept": ("/manage", "kept"),
        }

        def headers_of(label: str, headers) -> dict:
            return {"Cookie": own[label][0]} if headers == "kept" else headers

        for label, base in bases.items():  # each page viewed once: kept from now on
            for path, headers in pages.values():
                page = httpx.get(base + path, headers=headers_of(label, headers))
                assert page.status_code == 200
                assert path != "/manage" or booked[0][0] in page.text, "not the booking"
        runs = {(label, page): [] for label in bases for page in [*pages, *firsts]}
        for round_ in range(args.rounds):
            order = list(bases) if round_ % 2 == 0 else list(reversed(bases))
            for page, (path, headers) in pages.items():
                for label in order:
                    runs[label, page].append(
                        wrk(bases[label] + path, args.seconds, headers_of(label, headers))
                    )
            chunk = slice(1 + round_ * args.first_views, 1 + (round_ + 1) * args.first_views)
            for label in order if args.first_views else ():
                runs[label, first_view].append(
                    wrk(bases[label], args.seconds * 4, {}, own[label][chunk], "cookie")
                )
                runs[label, quote_first_view].append(
                    wrk(bases[label], args.seconds * 4, {}, quoted[chunk], "path")
                )
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(timeout=15)
        if not args.sqlite:
            drop_pg_database(PG_DATABASE)
    print(f"| page | {' | '.join(f'{lb} median ms | p99 | x health' for lb in bases)} |")
    print("| --- |" + " ---: | ---: | ---: |" * len(bases))
    for page in [*pages, *firsts]:
        cells = []
        for label in bases:
            health = statistics.median(r["median_ms"] for r in runs[label, "baseline /v1/health"])
            median = statistics.median(r["median_ms"] for r in runs[label, page])
            p99 = statistics.median(r["p99_ms"] for r in runs[label, page])
            cells.append(f"{median:.2f} | {p99:.2f} | {median / health:.2f}")
        print(f"| {page} | {' | '.join(cells)} |")
    print(f"load average at the end: {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
