"""Traveller pages over HTTP: server render time per page against ``GET /v1/health``,
and each page's first-load weight.

    .venv/bin/python bench/pages_http.py [--seconds 8] [--rounds 3] [--first-views 400]
        [--commits-per-second 1000] [--postgres]

Migrates a fresh SQLite file (or, with ``--postgres``, a new PostgreSQL database
``jl_bench_pages`` on ``JL_BENCH_ADMIN_URL``'s server, dropped at the end) with the
demo catalogue, serves it with
``python -m service.cli serve`` (one worker, access log off) on a free loopback port,
makes one quote and one booking through the pages (so the quote and manage pages have
something to show), then measures with ``wrk`` (one connection, one thread:
sequential requests, so the latency is the server's render time plus loopback):
``/v1/health`` and every page, interleaved round by round (``--rounds``, each run
``--seconds`` long) so that load from elsewhere hits a page and its baseline alike.
Reports each page's median and p99 (wrk's ``--latency`` percentiles, the median of
the rounds), its ratio to the baseline's median from the same rounds, and its ratio to
the JSON API calls that return the same data (summed medians): what rendering HTML
costs over serving JSON.

Then, with their own baseline: the product, quote and manage pages again while another
connection commits ``--commits-per-second`` times a second (``Committer``), and the
first view of ``--first-views`` quotes and bookings made for it (``POST /v1/quotes``,
``POST /v1/bookings``), each page requested once (``first_views.lua``): what a page
costs when nothing of it is kept.

First-load weight: the page's HTML plus every asset it links (stylesheet, icon; the
pages have no script, font or image), as served and gzip-compressed (level 6), from a
cold cache. Writes ``bench/results/pages_http-<UTC time>.json``.
"""

import argparse
import gzip
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchkit import (  # noqa: E402
    HOST,
    create_pg_database,
    drop_pg_database,
    free_port,
    load_demo,
    start_server,
    stop_server,
)

PRODUCT = "changbaishan-north-forest-cabin"
PG_DATABASE = "jl_bench_pages"
_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3}


def wrk(
    url: str, seconds: int, headers: dict[str, str], lines: list[str] | None = None, mode=""
) -> dict[str, float]:
    """``wrk -t1 -c1`` on ``url``; with ``lines``, one request per line (a path or a
    manage cookie: ``first_views.lua``), each page seen once."""
    cmd = ["wrk", "-t1", "-c1", f"-d{seconds}s", "--latency"]
    for k, v in headers.items():
        cmd += ["-H", f"{k}: {v}"]
    env = None
    if lines is not None:
        listing = Path(tempfile.mkstemp(prefix="jl_wrk_lines_")[1])
        listing.write_text("\n".join(lines) + "\n")
        cmd += ["-s", str(ROOT / "bench" / "first_views.lua")]
        env = {**os.environ, "WRK_LINES": str(listing), "WRK_MODE": mode}
    run = subprocess.run([*cmd, url], capture_output=True, text=True, check=True, env=env)
    out = run.stdout
    found = {}
    for label in ("50%", "99%"):
        m = re.search(rf"^\s+{re.escape(label)}\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        found[label] = float(m.group(1)) * _UNITS[m.group(2)]
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non2xx:
        raise RuntimeError(f"{url}: {non2xx.group(1)} error responses\n{out}")
    return {"median_ms": found["50%"], "p99_ms": found["99%"], "requests": requests}


def weight(client: httpx.Client, base: str, path: str, headers: dict[str, str]) -> dict:
    html = client.get(base + path, headers=headers).content
    assets = re.findall(rb'(?:href|src)="(/static/[^"]+)"', html)
    bodies = [html] + [client.get(base + a.decode()).content for a in assets]
    return {
        "files": 1 + len(assets),
        "bytes": sum(len(b) for b in bodies),
        "gzip_bytes": sum(len(gzip.compress(b, 6)) for b in bodies),
    }


def prepare(base: str) -> tuple[str, str]:
    """A quote and a booking made through the pages: the quote's path and the manage
    page's cookie."""
    with httpx.Client(base_url=base, follow_redirects=True) as c:
        page = c.get(f"/products/{PRODUCT}").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        check_in = re.search(r'id="check_in" name="check_in" value="([^"]+)"', page).group(1)
        r = c.post(
            f"/products/{PRODUCT}/quote",
            data={
                "csrf_token": token,
                "check_in": check_in,
                "nights": "14",
                "guests": "2",
                "units": "1",
                "packs": ["3"],
            },
        )
        quote_path = r.url.path
        book = c.get(quote_path + "/book").text
        key = re.search(r'name="idempotency_key" value="([^"]+)"', book).group(1)
        c.post(
            quote_path + "/book",
            data={
                "csrf_token": token,
                "idempotency_key": key,
                "lead_name": "测试",
                "lead_phone": "13800000000",
                "consent": "yes",
            },
        )
        cookie = "; ".join(f"{k}={v}" for k, v in c.cookies.items())
    return quote_path, cookie


def first_view_targets(base: str, count: int) -> tuple[list[str], list[str]]:
    """``count`` new quotes made with ``POST /v1/quotes`` (each demo product's
    shortest stay, on successive dates) and each booked with ``POST /v1/bookings``: the quote
    pages' paths and the manage pages' cookies (``manage_cookies``), none of them viewed
    yet."""
    quote_paths, booked = new_bookings(base, count)
    return quote_paths, manage_cookies(base, booked)


def shortest_stays(listed: list[dict]) -> list[tuple[int, int]]:
    """Each product of ``GET /v1/products``' items with its shortest stay in nights."""
    return [
        (p["id"], min(p["durations"]["modules"] or [p["durations"]["min_nights"] or 1]))
        for p in listed
    ]


def stay_to_quote(products: list[tuple[int, int]], attempt: int) -> dict:
    """The ``attempt``-th stay to quote: each product's shortest stay in turn, each round
    of the products on the dates after the last (from 30 days on), one guest, one unit."""
    product, nights = products[attempt % len(products)]
    day = date.today() + timedelta(days=30 + attempt // len(products) * nights)
    return {
        "product_id": product,
        "check_in": day.isoformat(),
        "check_out": (day + timedelta(days=nights)).isoformat(),
        "guests": 1,
        "units": 1,
    }


def new_bookings(base: str, count: int) -> tuple[list[str], list[tuple[str, str]]]:
    """``first_view_targets``' quotes and bookings: the quote pages' paths and each
    booking's reference and token."""
    quote_paths: list[str] = []
    booked: list[tuple[str, str]] = []
    with httpx.Client(base_url=base, timeout=30) as c:
        products = shortest_stays(c.get("/v1/products?limit=100").json()["items"])
        attempt = 0
        while len(quote_paths) < count and attempt < count * 4:
            item = stay_to_quote(products, attempt)
            attempt += 1
            quote = c.post("/v1/quotes", json={"items": [item]})
            if quote.status_code != 201:
                continue  # e.g. closed on that date
            booking = c.post(
                "/v1/bookings",
                json={
                    "quote_id": quote.json()["id"],
                    "lead_traveller": {"name": "测试", "phone": "13800000000"},
                },
                headers={"Idempotency-Key": f"first-view-{attempt}"},
            )
            if booking.status_code != 201:
                continue
            b = booking.json()
            quote_paths.append(f"/quotes/{quote.json()['id']}")
            booked.append((b["reference"], b["token"]))
    if len(quote_paths) < count:
        raise RuntimeError(f"only {len(quote_paths)} of {count} quotes could be booked")
    return quote_paths, booked


def manage_cookies(base: str, booked: list[tuple[str, str]]) -> list[str]:
    """The booking cookie the server at ``base`` signs for each (reference, token), got
    by posting them to its manage form (two servers of different versions may sign
    it differently: each needs its own)."""
    cookies: list[str] = []
    with httpx.Client(base_url=base, timeout=30) as c:
        opened = c.get("/manage").text
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', opened).group(1)
        for reference, token in booked:
            r = c.post(
                "/manage",
                data={"csrf_token": csrf, "reference": reference, "token": token},
                follow_redirects=False,
            )
            cookies.append(f"jl_booking={r.cookies['jl_booking']}")
    return cookies


class Committer(threading.Thread):
    """Commits to the database ``per_second`` times a second from another connection
    (a row into a table of its own), as a site taking bookings would. On SQLite every
    commit tells the server's kept pages that something changed, so the next view of a
    kept booking page re-reads that booking's state (on PostgreSQL every view does)."""

    def __init__(self, url: str, per_second: int) -> None:
        super().__init__(daemon=True)
        self.url, self.pause = url, 1 / per_second
        self.stopping = threading.Event()
        self.commits = 0

    def run(self) -> None:
        engine = sa.create_engine(self.url, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            # commits, not disk flushes, are the point
            if engine.dialect.name == "sqlite":
                conn.exec_driver_sql("PRAGMA synchronous = OFF")
            else:
                conn.exec_driver_sql("SET synchronous_commit = off")
            conn.exec_driver_sql("CREATE TABLE IF NOT EXISTS bench_tick (n INTEGER)")
            while not self.stopping.wait(self.pause):
                conn.exec_driver_sql("INSERT INTO bench_tick VALUES (1)")
                self.commits += 1
        engine.dispose()


BUSY_BASELINE = "baseline, with the commits"


def baseline_of(name: str) -> str:
    return BUSY_BASELINE if "commits" in name else "baseline"


# The planner page's search: six weeks in a 49-day window from two months ahead, up to
# three stays, two guests, a hospital within 15 km and cross-province settlement (the
# request of bench/plans_bench.py's ``plan_needs``, sent as the page's GET form).
_START = date.today() + timedelta(days=60)
PLAN_QUERY = (
    f"/plan?start={_START}&end={_START + timedelta(days=49)}&nights=42&guests=2"
    "&max_stays=3&hospital_km=15&settlement=yes"
)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--first-views", type=int, default=400, help="new quotes and bookings per round"
    )
    parser.add_argument(
        "--postgres",
        action="store_true",
        help="serve a new PostgreSQL database (JL_BENCH_ADMIN_URL's server), not SQLite",
    )
    parser.add_argument(
        "--commits-per-second", type=int, default=1000, help="the commits of the busy rows"
    )
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="jl_bench_pages_"))
    url = f"sqlite:///{folder / 'pages.db'}"
    if args.postgres:
        url = create_pg_database(PG_DATABASE)
    load_demo(url)
    port = free_port()
    base = f"http://{HOST}:{port}"
    # It books --first-views x --rounds times from one address without a key: the
    # anonymous per-address cap (6 units a day) is raised for it.
    caps = {"JL_MAX_ANONYMOUS_UNITS_HELD_PER_ADDRESS": "1000000"}
    proc = start_server(url, port, folder / "server.log", env=caps)
    try:
        quote_path, cookie = prepare(base)
        pages = {
            "home /": ("/", {}),
            "plan (the form)": ("/plan", {}),
            "plan (six weeks, with needs: the planner + rendering)": (PLAN_QUERY, {}),
            "destinations": ("/destinations", {}),
            "destinations of one theme": ("/destinations?theme=forest_healing", {}),
            "destination": ("/destinations/changbaishan-north", {}),
            "product (with 28-night calendar)": (f"/products/{PRODUCT}", {}),
            "quote (price explained)": (quote_path, {}),
            "manage (booking by cookie)": ("/manage", {"Cookie": cookie}),
        }
        # The JSON API calls that return the same data, for the cost of rendering HTML
        # over serving JSON (a page's services, summed).
        api = {
            "destinations": ["/v1/destinations?limit=100", "/v1/map/destinations"],
            "destination": [
                "/v1/destinations/changbaishan-north",
                "/v1/products?destination=changbaishan-north&limit=100",
            ],
            "product (with 28-night calendar)": [f"/v1/products/{PRODUCT}"],
            "quote (price explained)": ["/v1" + quote_path],
        }
        api_paths = sorted({p for ps in api.values() for p in ps})
        # Each page once more while another connection commits ``--commits-per-second``
        # times a second (its own baseline, under the same commits), and the first view
        # of quotes and bookings nobody has viewed yet.
        busy = {
            f"{name}, {args.commits_per_second} commits/s elsewhere": pages[name]
            for name in (
                "product (with 28-night calendar)",
                "quote (price explained)",
                "manage (booking by cookie)",
            )
        }
        made = time.monotonic()
        targets = first_view_targets(base, args.first_views * args.rounds)
        print(f"{args.first_views * args.rounds} quotes booked in {time.monotonic() - made:.0f} s")
        first = {
            "quote, first view of each (a new quote per request)": "path",
            "manage, first view of each (a new booking per request)": "cookie",
        }
        runs: dict[str, list[dict]] = {
            "baseline": [],
            **{k: [] for k in pages},
            BUSY_BASELINE: [],
            **{k: [] for k in busy},
            **{k: [] for k in first},
        }
        api_runs: dict[str, list[dict]] = {p: [] for p in api_paths}
        achieved: list[float] = []  # commits per second, per round
        for round_ in range(args.rounds):
            for name, (path, headers) in pages.items():
                runs["baseline"].append(wrk(base + "/v1/health", args.seconds, {}))
                runs[name].append(wrk(base + path, args.seconds, headers))
            for path in api_paths:
                api_runs[path].append(wrk(base + path, args.seconds, {}))
            committer = Committer(url, args.commits_per_second)
            committer.start()
            committing = time.monotonic()
            try:
                for name, (path, headers) in busy.items():
                    runs[BUSY_BASELINE].append(wrk(base + "/v1/health", args.seconds, {}))
                    runs[name].append(wrk(base + path, args.seconds, headers))
            finally:
                committer.stopping.set()
                committer.join()
                achieved.append(committer.commits / (time.monotonic() - committing))
            chunk = slice(round_ * args.first_views, (round_ + 1) * args.first_views)
            for (name, mode), lines in zip(first.items(), targets, strict=True):
                runs["baseline"].append(wrk(base + "/v1/health", args.seconds, {}))
                run = wrk(base, args.seconds * 4, {}, lines[chunk], mode)
                # wrk does not count the response its script stops on
                if run["requests"] not in (len(lines[chunk]) - 1, len(lines[chunk])):
                    raise RuntimeError(f"{name}: {run['requests']} requests, not one a page")
                runs[name].append(run)
        with httpx.Client() as client:
            weights = {n: weight(client, base, p, h) for n, (p, h) in pages.items()}
    finally:
        stop_server(proc)
        if args.postgres:
            drop_pg_database(PG_DATABASE)
    base_median = {
        b: statistics.median(r["median_ms"] for r in runs[b]) for b in ("baseline", BUSY_BASELINE)
    }
    api_median = {p: statistics.median(r["median_ms"] for r in rs) for p, rs in api_runs.items()}
    rows = []
    for name, rs in runs.items():
        median = statistics.median(r["median_ms"] for r in rs)
        p99 = statistics.median(r["p99_ms"] for r in rs)
        rows.append(
            {
                "page": name,
                "median_ms": round(median, 3),
                "p99_ms": round(p99, 3),
                "ratio": round(median / base_median[baseline_of(name)], 2),
                "api_ms": round(sum(api_median[p] for p in api[name]), 3) if name in api else None,
                "api_paths": api.get(name),
                "requests": sum(r["requests"] for r in rs),
                **({"weight": weights[name]} if name in weights else {}),
            }
        )
    result = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "nproc": os.cpu_count(),
            "python": platform.python_version(),
            "load_avg": os.getloadavg(),
        },
        "seconds": args.seconds,
        "rounds": args.rounds,
        "database": "postgresql" if args.postgres else "sqlite",
        "commits_per_second": [round(a) for a in achieved],
        "rows": rows,
    }
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"pages_http-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
    path.write_text(json.dumps(result, ensure_ascii=False, indent=1))
    print(
        "| page | median ms | p99 ms | x baseline median | same data as JSON, ms "
        "| x JSON | first load KB (gzip) |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        w = r.get("weight")
        kb = f"{w['bytes'] / 1024:.1f} ({w['gzip_bytes'] / 1024:.1f})" if w else ""
        a = r.get("api_ms")
        api_cols = f"{a:.2f} | {r['median_ms'] / a:.2f}" if a else " | "
        print(
            f"| {r['page']} | {r['median_ms']:.2f} | {r['p99_ms']:.2f} | {r['ratio']} "
            f"| {api_cols} | {kb} |"
        )
    print(f"commits per second achieved during the busy rows: {result['commits_per_second']}")
    print(f"load average at the end: {os.getloadavg()}; written {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
