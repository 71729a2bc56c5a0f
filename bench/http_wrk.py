"""The hot paths over HTTP, driven by ``wrk``, each against ``GET /v1/health`` in the same run.

    .venv/bin/python bench/http_wrk.py [--duration 8] [--rounds 3] [--only list,quotes,...]
                                       [--bookings 3000] [--memory] [--profile SCENARIO]
                                       [--keep]

Needs ``wrk`` on PATH (Debian: ``apt-get install -y wrk``); the Lua scripts are in
``bench/wrk/``. Creates the PostgreSQL database ``jl_bench_wrk_<random>`` beside the
admin database (``JL_BENCH_ADMIN_URL``, default
``postgresql+psycopg://postgres@127.0.0.1:5432/test``), migrates it and loads its own
catalogue: 8 destinations, 200 products (2 seasons and 2 packs each, 120 nights of 40
units), one race product per round (100 units on 7 nights) and 16 ``ota`` API clients
(pay at property). Serves it with ``python -m service.cli serve --workers 2`` (the
production entry point) with the rate limit and the unpaid-units cap raised (counted on
every request, never refusing one). Then, each round, for every scenario: ``wrk -t2
-c16`` on ``GET /v1/health`` for ``--duration`` seconds, then on the scenario for the same
time; the ratio is the scenario's requests/s over that health run's.

Scenarios (``--only`` picks some):

* ``list``: ``GET /v1/products?limit=20``;
* ``detail``: ``GET /v1/products/{id}`` over the 200 products;
* ``conditional``: the same with ``If-None-Match`` of the product's current ``ETag``
  (answered 304 when the server supports it; counted by status);
* ``quotes``: ``POST /v1/quotes``, one 7-night item, random product and check-in, keys
  in turn;
* ``bookings``: ``--bookings`` quotes made beforehand (``wrk -t16 -c16``, one key per
  connection, not timed), then each booked once (``POST /v1/bookings``, a fresh
  ``Idempotency-Key``) by ``wrk -t16 -c16`` (one connection a thread, each request
  timed in Lua): bookings/s from the first request to the last response;
* ``race``: the sell-out race on that round's race product, ``wrk -t16 -c16`` (one
  connection a thread, so each booking's latency is timed in Lua): quote + book until
  each connection has been refused 13 times (208 attempts after the units are gone);
  bookings/s to the 100th unit, booking median/p99, and by SQL: exactly 100 sold, no
  oversold night, every night's taken units equal to the bookings holding it.

``--memory``: each worker's resident memory (``VmRSS``) after the first 1,000 mixed
requests and after 100,000 (list, detail, conditional, availability, quotes).
``--profile SCENARIO``: ``py-spy record`` (needs root) on each worker during one more
run of the scenario; writes the collapsed stacks and a summary (where the samples
fall) under ``bench/results/``.

Writes ``bench/results/http_wrk-<UTC time>.json`` and prints a Markdown table; stops the
server and drops the database (unless ``--keep``).
"""

import argparse
import json
import os
import platform
import random
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchkit import (  # noqa: E402
    free_port,
    integrity,
    percentile,
    process_tree,
    start_server,
    stop_server,
)

from catalog.models import (  # noqa: E402
    AddOnPack,
    Destination,
    InventoryNight,
    Product,
    ProductPack,
    Season,
)
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
LUA = ROOT / "bench" / "wrk"
DESTINATIONS, PRODUCTS, NIGHTS, UNITS, STAY = 8, 200, 120, 40, 7
RACE_UNITS, RACE_REFUSALS_PER_CONNECTION, CLIENTS = 100, 13, 16
SCENARIOS = ("list", "detail", "conditional", "quotes", "bookings", "race")
TARGETS = {  # ratio of the scenario's requests/s to health's in the same run
    "list": 0.30,
    "detail": 0.30,
    "conditional": 0.60,
    "quotes": 0.20,
    "bookings": 0.10,
}
TARGET_RACE_PER_S, TARGET_RACE_P99_MS = 150, 300
PY_SPY = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")  # dev dependency


# --- the database --------------------------------------------------------------------


def load(db: Database, rounds: int) -> dict:
    now = datetime.now(UTC)
    first = Clock().today() + timedelta(days=30)
    with db.write_session() as s:
        dests = []
        for d in range(DESTINATIONS):
            dest = Destination(
                slug=f"bench-dest-{d}",
                name_zh=f"基准目的地{d}",
                name_en=f"Bench destination {d}",
                pilot_kind="resort",
                prefecture="白山市",
                lat=42.0 + d / 10,
                lon=128.0,
            )
            s.add(dest)
            dests.append(dest)
        s.flush()
        packs = []
        for dest in dests:
            for kind, basis, fen in (
                ("therapy", "per_week", 60_000),
                ("dining", "per_stay", 9_000),
            ):
                pack = AddOnPack(
                    code=f"bench-{dest.id}-{kind}",
                    destination_id=dest.id,
                    kind=kind,
                    name_zh=f"{kind}包",
                    name_en=f"{kind} pack",
                    price_fen=fen,
                    basis=basis,
                )
                s.add(pack)
                packs.append(pack)
        s.flush()

        def product(slug: str, dest: Destination) -> Product:
            p = Product(
                slug=slug,
                destination_id=dest.id,
                theme="forest_healing",
                name_zh=f"基准产品 {slug}",
                name_en=f"Bench product {slug}",
                description_zh="森林康养小屋，含早餐。",
                description_en="A forest cabin, breakfast included.",
                unit_type="cabin",
                base_occupancy=2,
                max_occupancy=3,
                min_nights=1,
                max_nights=60,
                base_rate_fen=38_000,
                extra_guest_fee_fen=8_000,
                refund_policy=[{"min_days_before_check_in": 0, "refund_bps": 10000}],
            )
            s.add(p)
            s.flush()
            for year in (first.year, first.year + 1):
                s.add(
                    Season(
                        product_id=p.id,
                        name_zh="夏季",
                        name_en="Summer",
                        start_date=first.replace(year=year, month=7, day=1),
                        end_date=first.replace(year=year, month=9, day=1),
                        nightly_rate_fen=48_000,
                    )
                )
            for pack in packs:
                if pack.destination_id == dest.id:
                    s.add(ProductPack(product_id=p.id, pack_id=pack.id))
            return p

        ids = [product(f"bench-{n}", dests[n % DESTINATIONS]).id for n in range(PRODUCTS)]
        race = [product(f"bench-race-{r}", dests[0]).id for r in range(rounds)]
        s.execute(
            sa.insert(InventoryNight),
            [
                {"product_id": pid, "night": first + timedelta(days=d), "total_units": UNITS}
                | {"taken_units": 0}
                for pid in ids
                for d in range(NIGHTS)
            ]
            + [
                {"product_id": pid, "night": first + timedelta(days=d)}
                | {"total_units": RACE_UNITS, "taken_units": 0}
                for pid in race
                for d in range(STAY)
            ],
        )
        keys = [
            create_client(
                s,
                name=f"bench-ota-{c}",
                channel="ota",
                merchant_collects=False,
                pepper=db.settings.secret_key,
                now=now,
            ).plaintext
            for c in range(CLIENTS)
        ]
        s.commit()
    return {"products": ids, "race": race, "keys": keys, "first": first}


def race_check(db: Database, product_id: int) -> dict:
    with db.session() as s:
        sold = s.execute(
            sa.text(
                "SELECT count(*) FROM booking b JOIN booking_item i ON i.booking_id = b.id "
                "WHERE i.product_id = :p AND b.inventory_held"
            ),
            {"p": product_id},
        ).scalar()
        taken = (
            s.execute(
                sa.text("SELECT taken_units FROM inventory_night WHERE product_id = :p"),
                {"p": product_id},
            )
            .scalars()
            .all()
        )
    return {"sold": sold, "taken_units_per_night": sorted(set(taken))}


# --- wrk -----------------------------------------------------------------------------


def wrk(
    base: str,
    script: str,
    args: list[str],
    *,
    threads: int = 2,
    connections: int = 16,
    duration: float = 8,
    timeout: float = 10,
    until_done: bool = False,
) -> dict:
    """One wrk run; its Lua ``done()`` prints a ``WRKJSON`` line. ``until_done``: the
    script's threads stop by themselves (``once``, ``count=N``, the race) and signal with
    files; wrk is then ended with SIGINT instead of waiting out ``duration``, and the
    rate is over the threads' first request to their last response."""
    signal_dir = Path(tempfile.mkdtemp(prefix="jl_wrk_sig_")) if until_done else None
    if signal_dir is not None:
        prefix = str(signal_dir / "done")
        # race.lua: PRODUCT CHECK_IN CHECK_OUT REFUSALS SIGNAL KEYS...
        args = (
            [*args[:4], prefix, *args[4:]] if script == "race.lua" else [*args, f"signal={prefix}"]
        )
    if script == "requests.lua":
        args = [*args, f"threads={threads}"]
    cmd = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{duration:g}s",
        f"--timeout={timeout:g}s",
        "--latency",
        "-s",
        str(LUA / script),
        base,
        "--",
        *args,
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        if signal_dir is not None:
            deadline = time.monotonic() + duration + 60
            while proc.poll() is None and time.monotonic() < deadline:
                if len(list(signal_dir.iterdir())) >= threads:
                    proc.send_signal(signal.SIGINT)
                    break
                time.sleep(0.05)
        stdout, stderr = proc.communicate(timeout=duration + 120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        if signal_dir is not None:
            shutil.rmtree(signal_dir, ignore_errors=True)
    line = next((x for x in stdout.splitlines() if x.startswith("WRKJSON ")), None)
    if proc.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({proc.returncode}): {stdout}\n{stderr}")
    out = json.loads(line[len("WRKJSON ") :])
    secs = out["duration_us"] / 1e6
    if until_done and script == "requests.lua":  # one connection a thread, timed in Lua
        secs = (max(out.pop("last_response_at_us")) - min(out.pop("first_request_at_us"))) / 1e6
        out["requests"] = int(out.pop("limited_requests"))
        out["duration_us"] = int(secs * 1e6)
        each = out.pop("latency_each_us")
        out["latency_us"] = {
            "mean": round(statistics.mean(each), 1),
            "p50": percentile(each, 50),
            "p90": percentile(each, 90),
            "p99": percentile(each, 99),
            "max": max(each),
        }
    out["per_s"] = round(out["requests"] / secs, 1) if secs else 0.0
    out["command"] = " ".join(cmd[: -(len(args) + 1)]) + " -- ..."
    return out


def write_lines(path: Path, lines: list[tuple[str, str, dict, str]]) -> Path:
    with path.open("w") as f:
        for method, target, headers, body in lines:
            hdrs = "|".join(f"{k}: {v}" for k, v in headers.items())
            f.write(f"{method}\t{target}\t{hdrs}\t{body}\n")
    return path


def quote_body(product_id: int, check_in) -> str:
    return json.dumps(
        {
            "items": [
                {
                    "product_id": product_id,
                    "check_in": check_in.isoformat(),
                    "check_out": (check_in + timedelta(days=STAY)).isoformat(),
                    "guests": 2,
                    "units": 1,
                }
            ]
        },
        separators=(",", ":"),
    )


def booking_body(quote_id: str) -> str:
    return json.dumps(
        {
            "quote_id": quote_id,
            "lead_traveller": {"name": "王秀兰", "phone": "13800138000"},
            "guests": [{"name": "王秀兰"}],
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )


def quote_lines(data: dict, rng: random.Random, n: int) -> list:
    """``n`` quote requests; line i is made with key i % 16 (so that with 16 wrk threads,
    thread t sends only key t's quotes)."""
    return [
        (
            "POST",
            "/v1/quotes",
            {"Authorization": f"Bearer {data['keys'][i % CLIENTS]}"},
            quote_body(
                rng.choice(data["products"]),
                data["first"] + timedelta(days=rng.randrange(0, NIGHTS - STAY)),
            ),
        )
        for i in range(n)
    ]


def send_each_once(base: str, path: Path, *extra: str) -> dict:
    """Each line of ``path`` sent once by ``wrk -t16 -c16`` (one connection a thread,
    each request timed in Lua)."""
    return wrk(
        base,
        "requests.lua",
        [str(path), "once", *extra],
        threads=CLIENTS,
        connections=CLIENTS,
        duration=300,
        until_done=True,
    )


def booking_file(base, data, rng, tmp: Path, n: int, tag: str) -> tuple[Path, int]:
    """Make ``n`` quotes (``wrk -t16 -c16``, thread t with key t, not timed) and write one
    booking request for each (its own key, a fresh ``Idempotency-Key``), shuffled."""
    made = tmp / f"quotes-{tag}"
    prep = write_lines(tmp / f"prep-{tag}.txt", quote_lines(data, rng, n))
    send_each_once(base, prep, f"capture={made}")
    lines = []
    for t in range(CLIENTS):
        key = data["keys"][t]
        for qid in Path(f"{made}.{t}").read_text().split():
            headers = {"Authorization": f"Bearer {key}", "Idempotency-Key": str(uuid.uuid4())}
            lines.append(("POST", "/v1/bookings", headers, booking_body(qid)))
    rng.shuffle(lines)
    return write_lines(tmp / f"book-{tag}.txt", lines), len(lines)


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


# --- profile -------------------------------------------------------------------------

PROFILE_BUCKETS = [  # first match wins, innermost frame first
    ("psycopg (driver, incl. waiting on PostgreSQL)", ("psycopg",)),
    ("sqlalchemy", ("sqlalchemy",)),
    ("pydantic", ("pydantic",)),
    ("json encoding", ("json/", "orjson")),
    ("fastapi", ("fastapi",)),
    ("starlette", ("starlette",)),
    ("uvicorn / httptools", ("uvicorn", "httptools")),
    ("asyncio / uvloop / threads", ("asyncio", "uvloop", "concurrent/futures", "threading")),
    ("pricing (our engine)", ("pricing/",)),
    ("service (our code)", ("service/",)),
    ("catalog (our code)", ("catalog/",)),
]


def profile_summary(raw: str) -> str:
    """Where the samples of collapsed stacks fall: by the innermost frame's package
    (self time), and the functions of ours with most inclusive samples."""
    self_by = Counter()
    inclusive = Counter()
    leaf = Counter()
    total = 0
    for line in raw.splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack:
            continue
        n = int(count)
        total += n
        frames = stack.split(";")
        inner = frames[-1]
        leaf[inner] += n
        bucket = next(
            (name for name, keys in PROFILE_BUCKETS if any(k in inner for k in keys)), "other"
        )
        self_by[bucket] += n
        seen = set()
        for f in frames:
            if any(k in f for k in ("service/", "catalog/", "pricing/")) and f not in seen:
                seen.add(f)
                inclusive[f] += n
    lines = [f"samples: {total}", "", "self time by package (innermost frame):"]
    lines += [f"  {n / total:6.1%}  {name}" for name, n in self_by.most_common()]
    lines += ["", "our functions, inclusive:"]
    lines += [f"  {n / total:6.1%}  {f}" for f, n in inclusive.most_common(25)]
    lines += ["", "innermost frames:"]
    lines += [f"  {n / total:6.1%}  {f}" for f, n in leaf.most_common(30)]
    return "\n".join(lines) + "\n"


# --- main ----------------------------------------------------------------------------


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--duration", type=float, default=8, help="seconds of each wrk run")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--only", default=",".join(SCENARIOS), help="comma-separated scenarios")
    ap.add_argument("--bookings", type=int, default=3000, help="bookings per round")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--memory", action="store_true", help="RSS after 1,000 and 100,000 requests")
    ap.add_argument(
        "--profile",
        default="",
        help="comma-separated scenarios (not race) to py-spy the workers on",
    )
    ap.add_argument("--keep", action="store_true", help="keep the database")
    args = ap.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # clean up on kill too
    if shutil.which("wrk") is None:
        print("wrk is not on PATH: apt-get install -y wrk", file=sys.stderr)
        return 2
    only = [s.strip() for s in args.only.split(",") if s.strip()]
    if unknown := set(only) - set(SCENARIOS):
        ap.error(f"unknown scenarios {sorted(unknown)}")

    name = f"jl_bench_wrk_{secrets.token_hex(4)}"
    admin = sa.create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = sa.make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="jl_wrk_"))
    db = Database(Settings(database_url=url))
    proc = None
    report: dict = {
        "benchmark": "http_wrk",
        "at": stamp,
        "workers": args.workers,
        "duration_s": args.duration,
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "wrk": subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split("\n")[
                0
            ],
        },
        "rounds": [],
    }
    try:
        upgrade(url)
        data = load(db, args.rounds)
        port = free_port()
        proc = start_server(
            url,
            port,
            RESULTS_DIR / f"http_wrk-{stamp}-server.log",
            workers=args.workers,
            env={
                "JL_RATE_LIMIT_PER_MINUTE": "1000000000",
                "JL_MAX_UNITS_HELD_PER_CLIENT": "1000000000",
            },
        )
        base = f"http://{HOST}:{port}"
        time.sleep(1.0)  # every worker up
        workers = [p for p in process_tree(proc.pid) if p != proc.pid]
        report["worker_pids"] = workers
        rng = random.Random(9)

        files = {
            "health": write_lines(tmp / "health.txt", [("GET", "/v1/health", {}, "")]),
            "list": write_lines(tmp / "list.txt", [("GET", "/v1/products?limit=20", {}, "")]),
            "detail": write_lines(
                tmp / "detail.txt", [("GET", f"/v1/products/{p}", {}, "") for p in data["products"]]
            ),
            "quotes": write_lines(tmp / "quotes.txt", quote_lines(data, rng, 4000)),
        }
        etags = {}
        with httpx.Client(base_url=base) as client:
            for p in data["products"]:
                etag = client.get(f"/v1/products/{p}").headers.get("etag")
                if etag:
                    etags[p] = etag
        report["conditional_supported"] = len(etags) == len(data["products"])
        files["conditional"] = write_lines(
            tmp / "conditional.txt",
            [
                ("GET", f"/v1/products/{p}", {"If-None-Match": etags.get(p, '"none"')}, "")
                for p in data["products"]
            ],
        )

        def run(kind: str, **kw) -> dict:
            return wrk(base, "requests.lua", [str(files[kind])], **kw)

        # warm-up: every worker's pools, caches and code paths
        for kind in ("health", "list", "detail", "conditional", "quotes"):
            run(kind, duration=2)

        for r in range(args.rounds):
            rnd: dict = {"round": r + 1, "scenarios": {}}
            for kind in only:
                if kind == "bookings":  # its quotes first, then health right before it
                    book, n = booking_file(base, data, rng, tmp, args.bookings, str(r))
                load_before = os.getloadavg()
                health = run("health", duration=args.duration)
                if kind in ("list", "detail", "conditional", "quotes"):
                    res = run(kind, duration=args.duration)
                elif kind == "bookings":
                    res = send_each_once(base, book)
                    res["bookings_sent"] = n
                else:  # race
                    product = data["race"][r]
                    check_in = data["first"]
                    res = wrk(
                        base,
                        "race.lua",
                        [
                            str(product),
                            check_in.isoformat(),
                            (check_in + timedelta(days=STAY)).isoformat(),
                            str(RACE_REFUSALS_PER_CONNECTION),
                            *data["keys"],
                        ],
                        threads=CLIENTS,
                        connections=CLIENTS,
                        duration=120,
                        until_done=True,
                    )
                    lat = [x / 1000 for x in res.pop("booking_latency_us")]
                    qlat = [x / 1000 for x in res.pop("quote_latency_us")]
                    booked_at = sorted(res.pop("booked_at_us"))
                    t0 = min(x for x in res.pop("first_request_at_us") if x)
                    res["bookings_answered"] = len(lat)
                    res["booked"] = len(booked_at)
                    res["booking_median_ms"] = round(statistics.median(lat), 2)
                    res["booking_p99_ms"] = round(percentile(lat, 99), 2)
                    res["quote_median_ms"] = round(statistics.median(qlat), 2)
                    res["quote_p99_ms"] = round(percentile(qlat, 99), 2)
                    if len(booked_at) >= RACE_UNITS:
                        secs = (booked_at[RACE_UNITS - 1] - t0) / 1e6
                        res["seconds_to_last_unit"] = round(secs, 3)
                        res["bookings_per_s_to_last_unit"] = round(RACE_UNITS / secs, 1)
                    res |= race_check(db, product)
                res["health_per_s"] = health["per_s"]
                res["health_p50_ms"] = health["latency_us"]["p50"] / 1000
                res["health_p99_ms"] = health["latency_us"]["p99"] / 1000
                res["ratio_to_health"] = round(res["per_s"] / health["per_s"], 4)
                res["load_avg_before"] = load_before
                res["load_avg_after"] = os.getloadavg()
                rnd["scenarios"][kind] = res
                print(f"round {r + 1} {kind}: {summary_row(kind, res)}", flush=True)
            report["rounds"].append(rnd)
            save(report)

        if args.memory:
            report["memory"] = memory(base, workers, data, files, tmp, rng)
            print("memory:", json.dumps(report["memory"]), flush=True)
        report["profiles"] = [
            profile(base, workers, kind, args, files, stamp, data, rng, tmp)
            for kind in args.profile.split(",")
            if kind
        ]
        report |= integrity(db)
    finally:
        if proc is not None:
            stop_server(proc)
        db.dispose()
        if not args.keep:
            with admin.connect() as conn:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()
        shutil.rmtree(tmp, ignore_errors=True)
    out = save(report)
    print(markdown(report))
    print(f"\nwrote {out.relative_to(ROOT)}")
    return 0 if report["oversold_nights"] == 0 else 1


def save(report: dict) -> Path:
    """Write the report so far (each round is kept if a later step fails)."""
    out = RESULTS_DIR / f"http_wrk-{report['at']}.json"
    out.write_text(json.dumps(report, indent=2))
    return out


def summary_row(kind: str, res: dict) -> str:
    lat = res["latency_us"]
    row = (
        f"{res['per_s']}/s p50 {lat['p50'] / 1000:.1f} ms p99 {lat['p99'] / 1000:.1f} ms, "
        f"health {res['health_per_s']}/s, ratio {res['ratio_to_health']:.3f}, "
        f"statuses {res['statuses']}, load {res['load_avg_before'][0]:.2f}->"
        f"{res['load_avg_after'][0]:.2f}"
    )
    if kind == "race":
        row += (
            f"; booked {res['booked']} (sold {res['sold']}, nights {res['taken_units_per_night']})"
            f", {res.get('bookings_per_s_to_last_unit')}/s to the 100th, booking p50 "
            f"{res['booking_median_ms']} p99 {res['booking_p99_ms']} ms"
        )
    return row


def memory(base, workers, data, files, tmp, rng) -> dict:
    """RSS of each worker after 1,000 mixed requests, then after 100,000 in all."""
    first = data["first"]
    mixed = []
    for i in range(600):
        p = rng.choice(data["products"])
        mixed += [
            ("GET", "/v1/products?limit=20", {}, ""),
            ("GET", f"/v1/products/{p}", {}, ""),
            ("GET", f"/v1/products/{p}", {"If-None-Match": '"none"'}, ""),
            (
                "GET",
                f"/v1/products/{p}/availability?from={first.isoformat()}"
                f"&to={(first + timedelta(days=60)).isoformat()}",
                {},
                "",
            ),
            quote_lines(data, rng, 1)[0][:2]
            + ({"Authorization": f"Bearer {data['keys'][i % CLIENTS]}"},)
            + (quote_lines(data, rng, 1)[0][3],),
        ]  # (health is what wrk sends while the last responses arrive: not in the mix)
    path = write_lines(tmp / "mixed.txt", mixed)
    out = {}
    solo = {"threads": CLIENTS, "connections": CLIENTS, "until_done": True}
    wrk(base, "requests.lua", [str(path), "count=1000"], duration=300, **solo)
    out["after_1000_kib"] = {str(p): rss_kib(p) for p in workers}
    res = wrk(base, "requests.lua", [str(path), "count=99000"], duration=900, **solo)
    out["after_100000_kib"] = {str(p): rss_kib(p) for p in workers}
    out["statuses"] = res["statuses"]
    out["growth"] = {
        p: round(out["after_100000_kib"][p] / out["after_1000_kib"][p] - 1, 4)
        for p in out["after_1000_kib"]
    }
    return out


def profile(base, workers, kind, args, files, stamp, data, rng, tmp) -> dict:
    """py-spy on every worker for one run of the scenario (``--nonblocking``: sampling
    does not pause the worker)."""
    secs = max(args.duration, 10)
    if kind == "bookings":
        book, _ = booking_file(base, data, rng, tmp, args.bookings, "profile")
    outs = []
    spies = []
    for pid in workers:
        out = RESULTS_DIR / f"profile-{kind}-{stamp}-{pid}.txt"
        outs.append(out)
        spies.append(
            subprocess.Popen(
                [PY_SPY, "record", "--nonblocking", "-r", "200", "-d", str(int(secs) + 1)]
                + ["-f", "raw", "-p", str(pid), "-o", str(out)],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
    time.sleep(0.5)
    if kind == "bookings":
        res = send_each_once(base, book)
    else:
        res = wrk(base, "requests.lua", [str(files[kind])], duration=secs)
    for spy in spies:
        spy.wait(timeout=120)
    raw = "".join(o.read_text() for o in outs if o.exists())
    summary = profile_summary(raw)
    path = RESULTS_DIR / f"profile-{kind}-{stamp}.txt"
    path.write_text(summary)
    print(summary)
    return {"scenario": kind, "summary": str(path.relative_to(ROOT)), "run": res}


def markdown(report: dict) -> str:
    rows = [
        "| round | scenario | req/s | p50 ms | p99 ms | health/s | ratio | target | statuses "
        "| load 1-min |",
        "|---|---|---:|---:|---:|---:|---:|---|---|---|",
    ]
    for rnd in report["rounds"]:
        for kind, res in rnd["scenarios"].items():
            lat = res["latency_us"]
            target = TARGETS.get(kind)
            met = (
                ""
                if target is None
                else f">= {target:.0%} " + ("met" if res["ratio_to_health"] >= target else "missed")
            )
            rows.append(
                f"| {rnd['round']} | {kind} | {res['per_s']:,.1f} | {lat['p50'] / 1000:.1f} | "
                f"{lat['p99'] / 1000:.1f} | {res['health_per_s']:,.1f} | "
                f"{res['ratio_to_health']:.1%} | {met} | "
                f"{' '.join(f'{k}:{v}' for k, v in sorted(res['statuses'].items()))} | "
                f"{res['load_avg_before'][0]:.2f} -> {res['load_avg_after'][0]:.2f} |"
            )
            if kind == "race":
                rows.append(
                    f"| {rnd['round']} | race: to the 100th | "
                    f"{res.get('bookings_per_s_to_last_unit')} bookings/s | "
                    f"{res['booking_median_ms']} | {res['booking_p99_ms']} | | | "
                    f">= {TARGET_RACE_PER_S}/s, p99 < {TARGET_RACE_P99_MS} ms | sold "
                    f"{res['sold']}, taken per night {res['taken_units_per_night']} | |"
                )
    return "\n".join(rows)


if __name__ == "__main__":
    raise SystemExit(main())
