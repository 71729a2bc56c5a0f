"""Where a first view's time goes, in process: the ASGI app called directly.

    .venv/bin/python bench/first_view_profile.py [--views 300] [--rounds 3] [--top 30]
        [--only health,quote_kept,quote_first,manage_first] [--no-profile]

Migrates a temporary SQLite database with the demo catalogue (``benchkit.load_demo``),
builds the app as ``jilin serve`` does (one worker's app: no access log, no sweeper),
makes ``--views`` quotes with ``POST /v1/quotes`` and books each with ``POST
/v1/bookings`` (as ``pages_http.new_bookings``), and signs each booking's cookie through
the manage form (``POST /manage``, as ``pages_http.manage_cookies``). Then, calling the
app with handmade ASGI messages (no client, no socket; the event loop the app runs on is
this script's), it times, per request, the CPU of this thread (``time.thread_time``):

* ``health``: ``GET /v1/health``, the trivial endpoint;
* ``quote_kept``: one quote page viewed again and again (kept; on SQLite nothing is
  committed between views, so served with no query);
* ``quote_first``: each booked quote's page once, the per-worker visitor LRU
  (``web.visitor_pages_for``) emptied before each request: a first view, as a quote made
  through the API is;
* ``manage_first``: each booking's page once (``GET /manage`` with its cookie), the LRU
  emptied likewise.

For each it prints the median and quartiles of the whole request's CPU, and the median
CPU of each part (inclusive, a part's time includes what it calls): the middleware
layers from the outside in (``RequestContext``, ``NegotiatedGZip``, the size limits),
the router and the route's dependencies (``solve_dependencies``), the handler, and in
it the reads (the statements' execution by SQLAlchemy), the API's view (pydantic), the
rendering (``templating`` / ``render_body``) and the response (``kept_response``). Then
(unless ``--no-profile``) a cProfile of the same requests, sorted by cumulative time
and by own time (``--top`` rows each). The requests are made the same way for each
part, so "outside the handler" = whole request - handler.

Figures are CPU of one thread, so a loaded machine inflates them less than wall times;
they do not include the socket, uvicorn's HTTP parsing or the client, which the
``wrk`` benchmarks (``pages_ab.py``) do.
"""

import argparse
import asyncio
import cProfile
import functools
import gc
import importlib
import io
import pstats
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
for p in (str(ROOT), str(ROOT / "bench")):
    if p not in sys.path:
        sys.path.insert(0, p)

from benchkit import load_demo  # noqa: E402
from pages_http import shortest_stays, stay_to_quote  # noqa: E402

# Each part: a label (indented under the part it runs in), a module and a function in it
# (a class's method as ``Class.method``), timed inclusive.
PARTS = [
    (
        "RequestContext (ids, language, log, metrics) and in it:",
        "service.middleware",
        "RequestContext.__call__",
    ),
    (" NegotiatedGZip and in it:", "service.compression", "NegotiatedGZip.__call__"),
    (" QueryLengthLimit and in it:", "service.ratelimit", "QueryLengthLimit.__call__"),
    (" BodySizeLimit and in it:", "service.ratelimit", "BodySizeLimit.__call__"),
    (" the router, the route, the answer sent:", "starlette.routing", "Router.__call__"),
    ("  the route's dependencies", "fastapi.dependencies.utils", "solve_dependencies"),
    ("  the handler (run_endpoint_function)", "fastapi.routing", "run_endpoint_function"),
    ("   the booking cookie (kept_booking)", "service.pages.manage", "kept_booking"),
    ("   kept_page (nothing kept: the LRU)", "service.pages.web", "kept_page"),
    ("   the manage page's work (_manage_page)", "service.pages.manage", "_manage_page"),
    ("   read_on_loop (reads; the quote page's render)", "service.runner", "read_on_loop"),
    ("    quotes.get_quote", "service.quotes.service", "get_quote"),
    ("    _keep_quote_page", "service.pages.trip", "_keep_quote_page"),
    ("     _quote_view", "service.pages.trip", "_quote_view"),
    ("     stays.held (the page's probe)", "service.pages.stays", "held"),
    ("      Probe.read", "service.db", "Probe.read"),
    ("     bookings.booking_of_quote", "service.bookings.service", "booking_of_quote"),
    ("    _booking_view (the read and the API's view)", "service.pages.manage", "_booking_view"),
    ("     read_booking_unchanged", "service.bookings.service", "read_booking_unchanged"),
    ("     bookings' schemas.render (pydantic)", "service.bookings.schemas", "render"),
    ("     quotes' schemas.render", "service.quotes.schemas", "render"),
    ("    every statement (Connection.execute)", "sqlalchemy.engine.base", "Connection.execute"),
    ("     of which sqlite3's execute", "sqlalchemy.engine.default", "DefaultDialect.do_execute"),
    ("    render_body (Jinja)", "service.pages.web", "render_body"),
    ("   kept_response (CSRF token, headers)", "service.pages.web", "kept_response"),
    ("    web._response", "service.pages.web", "_response"),
]


class GcWatch:
    """Cyclic garbage collections during the timed requests: how many, by generation,
    and their CPU (``gc.callbacks``)."""

    def __init__(self) -> None:
        self.on = False
        self.t0 = 0.0
        self.spent: dict[int, list[float]] = defaultdict(list)

    def __call__(self, phase: str, info: dict) -> None:
        if not self.on:
            return
        if phase == "start":
            self.t0 = time.thread_time()
        else:
            self.spent[info["generation"]].append((time.thread_time() - self.t0) * 1e6)

    def report(self, requests: int) -> str:
        parts = [
            f"gen{g} {len(v) / requests:.2f}/request ({statistics.median(v):.0f} us each)"
            for g, v in sorted(self.spent.items())
        ]
        total = sum(sum(v) for v in self.spent.values()) / requests
        return f"  gc: {', '.join(parts) or 'none'}; {total:.0f} us/request in all"


class Timer:
    """Inclusive CPU per part for the current request (re-entrant calls counted once)."""

    def __init__(self) -> None:
        self.now: dict[str, float] = defaultdict(float)
        self.depth: dict[str, int] = defaultdict(int)

    def wrap(self, label: str, fn):
        timer = self
        if asyncio.iscoroutinefunction(fn):

            @functools.wraps(fn)
            async def awrapped(*a, **k):
                timer.depth[label] += 1
                t0 = time.thread_time()
                try:
                    return await fn(*a, **k)
                finally:
                    timer.depth[label] -= 1
                    if not timer.depth[label]:
                        timer.now[label] += time.thread_time() - t0

            return awrapped

        @functools.wraps(fn)
        def wrapped(*a, **k):
            timer.depth[label] += 1
            t0 = time.thread_time()
            try:
                return fn(*a, **k)
            finally:
                timer.depth[label] -= 1
                if not timer.depth[label]:
                    timer.now[label] += time.thread_time() - t0

        return wrapped


def install(timer: Timer) -> None:
    """Wrap every part (before the app is built, so routes and middleware see the wraps;
    a function imported by name elsewhere is wrapped there too)."""
    for label, module, attr in PARTS:
        mod = importlib.import_module(module)
        *owners, name = attr.split(".")
        owner = mod
        for o in owners:
            owner = getattr(owner, o)
        fn = getattr(owner, name)
        wrapped = timer.wrap(label, fn)
        setattr(owner, name, wrapped)
        if not owners:  # imported by name: replace it where it is
            for m in list(sys.modules.values()):
                if (
                    getattr(m, "__name__", "").startswith("service")
                    and getattr(m, name, None) is fn
                ):
                    setattr(m, name, wrapped)


class Asgi:
    """The app called with handmade ASGI messages."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, method, path, headers=(), body=b""):
        path, _, query = path.partition("?")
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": method,
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": query.encode(),
            "root_path": "",
            "headers": [(b"host", b"127.0.0.1:8750")]
            + [(k.lower().encode(), v.encode()) for k, v in headers],
            "client": ("127.0.0.1", 40000),
            "server": ("127.0.0.1", 8750),
        }
        sent = False
        out: dict = {"body": b"", "headers": []}

        async def receive():
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            await asyncio.sleep(3600)

        async def send(message):
            if message["type"] == "http.response.start":
                out["status"] = message["status"]
                out["headers"] = message.get("headers", [])
            elif message["type"] == "http.response.body":
                out["body"] += message.get("body", b"")

        await self.app(scope, receive, send)
        return out

    async def json(self, method, path, payload, headers=()):
        import json

        data = json.dumps(payload).encode()
        return await self(method, path, [("content-type", "application/json"), *headers], data)


def _cookies(resp) -> dict[str, str]:
    out = {}
    for k, v in resp["headers"]:
        if k.lower() == b"set-cookie":
            name, _, rest = v.decode().partition("=")
            out[name] = rest.split(";", 1)[0]
    return out


async def make_targets(client: Asgi, count: int) -> tuple[list[str], list[str]]:
    """``count`` booked quotes made through the API, the stays ``pages_http.new_bookings``
    makes: quote paths and manage cookies."""
    import json
    import re

    listed = json.loads((await client("GET", "/v1/products?limit=100"))["body"])["items"]
    products = shortest_stays(listed)
    quotes, booked, attempt = [], [], 0
    while len(quotes) < count and attempt < count * 4:
        item = stay_to_quote(products, attempt)
        attempt += 1
        q = await client.json("POST", "/v1/quotes", {"items": [item]})
        if q["status"] != 201:
            continue
        qid = json.loads(q["body"])["id"]
        b = await client.json(
            "POST",
            "/v1/bookings",
            {"quote_id": qid, "lead_traveller": {"name": "测试", "phone": "13800000000"}},
            [("idempotency-key", f"profile-{attempt}")],
        )
        if b["status"] != 201:
            continue
        b = json.loads(b["body"])
        quotes.append(f"/quotes/{qid}")
        booked.append((b["reference"], b["token"]))
    opened = await client("GET", "/manage")
    csrf_cookie = _cookies(opened)
    csrf = re.search(rb'name="csrf_token" value="([^"]+)"', opened["body"]).group(1).decode()
    cookie_header = "; ".join(f"{k}={v}" for k, v in csrf_cookie.items())
    cookies = []
    for reference, token in booked:
        r = await client(
            "POST",
            "/manage",
            [("content-type", "application/x-www-form-urlencoded"), ("cookie", cookie_header)],
            urlencode({"csrf_token": csrf, "reference": reference, "token": token}).encode(),
        )
        cookies.append(f"jl_booking={_cookies(r)['jl_booking']}")
    return quotes, cookies


async def run(args) -> None:
    tmp = tempfile.mkdtemp(prefix="jl-first-views-")
    url = f"sqlite:///{tmp}/profile.db"
    load_demo(url)
    timer = Timer()
    if not args.no_parts:
        install(timer)
    from service.app import create_app
    from service.pages import web
    from service.settings import Settings

    settings = Settings(
        database_url=url,
        access_log=False,
        max_anonymous_units_held_per_address=1_000_000,
    )
    app = create_app(settings)
    client = Asgi(app)
    engine = app.state.db.engine
    quotes, cookies = await make_targets(client, args.views * (args.rounds + 1))
    watch = GcWatch()
    gc.callbacks.append(watch)

    def lru_clear():
        web.visitor_pages_for(engine).clear()

    kinds = {
        "health": (lambda i: ("/v1/health", ()), None),
        "quote_kept": (lambda i: (quotes[0], ()), None),
        "quote_first": (lambda i: (quotes[i], ()), lru_clear),
        "manage_first": (lambda i: ("/manage", [("cookie", cookies[i])]), lru_clear),
    }
    only = args.only.split(",") if args.only else list(kinds)
    # Warm: every kind once (templates compiled, statements cached).
    await client("GET", quotes[0])
    await client("GET", "/v1/health")
    print(f"# {args.views} views a kind a round, {args.rounds} rounds; CPU us (thread_time)")
    profiles = {}
    for kind in only:
        target, before = kinds[kind]
        whole: list[float] = []
        parts: dict[str, list[float]] = defaultdict(list)
        watch.spent.clear()
        prof = cProfile.Profile()
        # The timed rounds, then (unless --no-profile) one more under cProfile, not timed.
        for rnd in range(args.rounds + (0 if args.no_profile else 1)):
            profiled = rnd == args.rounds
            for j in range(args.views):
                i = rnd * args.views + j
                path, headers = target(i)
                if before:
                    before()
                timer.now.clear()
                if profiled:
                    prof.enable()
                watch.on = not profiled
                t0 = time.thread_time()
                r = await client("GET", path, headers)
                t1 = time.thread_time()
                watch.on = False
                if profiled:
                    prof.disable()
                assert r["status"] == 200, (kind, path, r["status"], r["body"][:300])
                if profiled:
                    continue
                whole.append((t1 - t0) * 1e6)
                for label, v in timer.now.items():
                    parts[label].append(v * 1e6)
        q = statistics.quantiles(whole, n=4)
        print(
            f"\n## {kind}: whole request median {statistics.median(whole):.0f} us"
            f" (q1 {q[0]:.0f}, q3 {q[2]:.0f}, n={len(whole)})"
        )
        print(watch.report(len(whole)))
        for label, _, _ in PARTS:
            if parts.get(label):
                vals = parts[label] + [0.0] * (len(whole) - len(parts[label]))
                print(f"  {label:<56} {statistics.median(vals):7.0f}")
        profiles[kind] = prof
    if args.no_profile:
        return
    for kind, prof in profiles.items():
        if args.dump:
            Path(args.dump).mkdir(parents=True, exist_ok=True)
            prof.dump_stats(str(Path(args.dump) / f"{kind}.prof"))
        for order in ("cumulative", "tottime"):
            out = io.StringIO()
            stats = pstats.Stats(prof, stream=out)
            stats.sort_stats(order).print_stats(args.top)
            text = out.getvalue()
            text = text[text.find("   ncalls") :]
            print(f"\n### cProfile {kind}, by {order} (last round, {args.views} requests)\n{text}")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--views", type=int, default=300, help="requests a kind a round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--only", default="")
    parser.add_argument("--no-profile", action="store_true")
    parser.add_argument(
        "--no-parts", action="store_true", help="no part timers: bare requests, a bare cProfile"
    )
    parser.add_argument("--dump", default="", help="a folder: each kind's cProfile stats, to read")
    asyncio.run(run(parser.parse_args()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
