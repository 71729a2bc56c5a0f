"""What a page's request costs around its handler, against ``GET /v1/health``, in process.

    .venv/bin/python bench/page_stack.py [--views 150] [--rounds 4] [--only a,b]
        [--bare] [--gc] [--freeze] [--threshold 700,10,10] [--no-gc]

Builds the app as ``jilin serve`` does (one worker's app, a temporary SQLite database
with the demo catalogue, no access log) and adds probe routes whose handlers do nothing
but answer a fixed page-sized body (17 KB of HTML, as a quote page), placed just after
the quote page in the routing table (so the routes tried before them are the same).
Then, calling the app with handmade ASGI messages (``first_view_profile.Asgi``), it
times the CPU of this thread per request (``time.thread_time``), the kinds interleaved
round by round (in reverse every other round) so a loaded machine weighs on each alike,
and prints each kind's median, quartiles and p99, its ratio to ``health``'s median of
the same run, ``outside``: the request less its handler (FastAPI's
``run_endpoint_function``, timed by one wrapper), and ``after``: from the handler's end
to the request's (the answer sent through the middleware). Kinds:

* ``health``: ``GET /v1/health`` (the trivial endpoint; a JSON answer of 15 bytes);
* ``api_fixed``: an API route (``APIRoute``, the app's 4 dependencies) answering the
  17 KB body as ``HTMLResponse``;
* ``page_small``, ``page_fixed``: a page route (``web.PageRoute``) answering
  ``<p>ok</p>``, the 17 KB body;
* ``page_param``: the same at ``/zz/param/{quote_id}`` (a ``QuoteId`` path parameter);
* ``page_response``: the body through ``web._response`` (the page headers, the language
  and CSRF cookies' checks);
* ``page_kept``: the body with the CSRF placeholder through ``web.kept_response`` (the
  visitor's token put in, the CSRF cookie set: a kept page's whole answer);
* ``page_busy``, ``page_alloc``, ``page_render``: the fixed body after 30,000 additions,
  after 6,000 containers made and freed, after rendering ``error.html``;
* ``quote_kept``: a real kept quote page;
* ``quote_first``, ``manage_first``: real first views (``first_view_profile``'s: a booked
  quote's page, a booking's ``/manage``, each once, the visitor LRU emptied before);
* ``kept_after_first``, ``kept_after_touch``, ``kept_after_alloc``: the kept quote page,
  each timed right after (untimed) a quote page's first view, a read of 8 MB (the CPU's
  caches evicted), 30,000 containers made and freed: what a request pays for the one
  before it.

``--bare``: each kind again with each of the app's own middleware left out in turn, all
of them, and through the router alone. ``--gc``: the collections during each kind
(``first_view_profile.GcWatch``). ``--freeze``: ``gc.freeze()`` before timing (as
``service.app.create_served_app`` does; the full collection before and after it is
timed); ``--threshold``: ``gc.set_threshold``; ``--no-gc``: ``gc.disable()``.

Runs from any checkout (``service.app.include`` where it exists, else FastAPI's
``include_router`` for the probes), so a copy in an older tree measures that tree.
"""

import argparse
import asyncio
import gc
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for p in (str(ROOT), str(ROOT / "bench")):
    if p not in sys.path:
        sys.path.insert(0, p)

from benchkit import load_demo  # noqa: E402
from first_view_profile import Asgi, GcWatch, make_targets  # noqa: E402

# A quote page's size, of plain text and markup, with one CSRF placeholder.
_ROW = '<tr><td>住宿 · 第 3 晚</td><td class="num">¥ 1,280.00</td></tr>\n'


def _body(placeholder: str) -> bytes:
    head = '<!doctype html><html lang="zh-CN"><form>'
    head += f'<input name="csrf_token" value="{placeholder}">'
    rows = _ROW * (17_000 // len(_ROW.encode()))
    return (head + rows + "</form></html>").encode()


def add_probes(app) -> None:
    """The probe routes, moved to just after the trip pages' router (the quote page's)."""
    from fastapi import APIRouter, Request, Response
    from fastapi.responses import HTMLResponse
    from fastapi.routing import APIRoute

    from service.pages import web
    from service.pages.templating import CSRF_PLACEHOLDER
    from service.quotes.endpoints import QuoteId

    fixed = _body("x" * 40)
    placeheld = _body(CSRF_PLACEHOLDER)
    pages = APIRouter(route_class=web.PageRoute, include_in_schema=False)
    api = APIRouter(route_class=APIRoute, include_in_schema=False)

    @api.get("/zz/api")
    async def api_fixed(request: Request) -> Response:
        return HTMLResponse(fixed)

    @pages.get("/zz/small")
    async def page_small(request: Request) -> Response:
        return HTMLResponse(b"<p>ok</p>")

    @pages.get("/zz/fixed")
    async def page_fixed(request: Request) -> Response:
        return HTMLResponse(fixed)

    @pages.get("/zz/param/{quote_id}")
    async def page_param(request: Request, quote_id: QuoteId) -> Response:
        return HTMLResponse(fixed)

    @pages.get("/zz/response")
    async def page_response(request: Request) -> Response:
        return web._response(request, fixed, web.page_lang(request))

    @pages.get("/zz/kept")
    async def page_kept(request: Request) -> Response:
        return web.kept_response(request, placeheld)

    from service.pages.trip import router as trip_router

    try:  # the app's routes in one list (service.app.include), or routers as nodes
        from service.app import include
    except ImportError:
        include = type(app).include_router
    before = len(app.router.routes)
    include(app, api)
    include(app, pages)
    added = app.router.routes[before:]
    del app.router.routes[before:]
    at = next(  # just after the quote page, or the node of its router
        i
        for i, r in enumerate(app.router.routes)
        if getattr(r, "original_router", None) is trip_router
        or getattr(r, "path", None) == "/quotes/{quote_id}"
    )
    app.router.routes[at + 1 : at + 1] = added


def stacks(app) -> dict:
    """ASGI callables: the app; with ``--bare``, its router alone and each user
    middleware left out in turn."""
    out = {"": app}
    full = list(app.user_middleware)

    def without(skip):
        app.user_middleware = [m for m in full if m.cls.__name__ not in skip]
        stack = app.build_middleware_stack()
        app.user_middleware = full

        async def call(scope, receive, send):
            scope["app"] = app
            await stack(scope, receive, send)

        return call

    out["-user middleware"] = without({m.cls.__name__ for m in full})
    for m in full:
        out[f"-{m.cls.__name__}"] = without({m.cls.__name__})

    async def router_only(scope, receive, send):
        from contextlib import AsyncExitStack

        scope["app"] = app
        async with AsyncExitStack() as stack:
            scope["fastapi_middleware_astack"] = stack
            await app.router(scope, receive, send)

    out["router only"] = router_only
    return out


async def run(args) -> None:
    tmp = tempfile.mkdtemp(prefix="jl-page-stack-")
    url = f"sqlite:///{tmp}/stack.db"
    load_demo(url)
    from service.app import create_app
    from service.settings import Settings

    app = create_app(
        Settings(database_url=url, access_log=False, max_anonymous_units_held_per_address=10**6)
    )
    add_probes(app)
    client = Asgi(app)
    quotes, cookies = await make_targets(client, 1)
    kinds = {
        "health": "/v1/health",
        "api_fixed": "/zz/api",
        "page_small": "/zz/small",
        "page_fixed": "/zz/fixed",
        "page_param": f"/zz/param/{quotes[0].rsplit('/', 1)[1]}",
        "page_response": "/zz/response",
        "page_kept": "/zz/kept",
        "page_busy": "/zz/busy",
        "page_alloc": "/zz/alloc",
        "page_render": "/zz/render",
        "quote_kept": quotes[0],
        "quote_first": None,
        "manage_first": None,
        "kept_after_first": quotes[0],
        "kept_after_touch": quotes[0],
        "kept_after_alloc": quotes[0],
    }
    if args.only:
        kinds = {k: v for k, v in kinds.items() if k in args.only.split(",") or k == "health"}
    uses = sum(k in kinds for k in ("quote_first", "kept_after_first"))
    if uses or "manage_first" in kinds:
        need = args.views * args.rounds * max(uses, 1) + 1
        quotes, cookies = await make_targets(client, need)
    callers = stacks(app) if args.bare else {"": app}
    headers = [(k, v) for k, v in (h.split(":", 1) for h in args.header)]
    cases = [(stack, kind) for stack in callers for kind in kinds]
    clients = {stack: Asgi(fn) for stack, fn in callers.items()}
    from fastapi import routing

    from service.pages import web

    engine = app.state.db.engine
    firsts = {"quote_first": 0, "manage_first": 0}

    async def first_then_kept():  # an untimed first view, before a timed kept view
        path, sent, _ = target("quote_first")  # never viewed: a first view (the LRU kept)
        await app_client("GET", path, sent)
        if args.flush:
            for _ in range(5):
                await asyncio.sleep(0)

    app_client = Asgi(app)
    big = bytearray(8 * 1024 * 1024)

    async def touch():  # 8 MB read: the CPU's caches evicted, no Python object made
        big[:] = big
        sum(big[::64])

    async def churn():  # 30,000 small containers made and freed: the allocator's pools
        junk = [{"k": i, "v": [i, str(i)]} for i in range(30_000)]
        del junk

    def target(kind):
        """(path, headers, before) of the next request of ``kind``."""
        if kind == "kept_after_first":
            return kinds[kind], headers, first_then_kept
        if kind == "kept_after_touch":
            return kinds[kind], headers, touch
        if kind == "kept_after_alloc":
            return kinds[kind], headers, churn
        if kind not in firsts:
            return kinds[kind], headers, None
        i = firsts[kind] = firsts[kind] + 1
        lru = web.visitor_pages_for(engine).clear
        if kind == "quote_first":
            return quotes[i], headers, lru
        return "/manage", [*headers, ("cookie", cookies[i])], lru

    handler = [0.0]
    marks = {}
    endpoint = routing.run_endpoint_function

    async def timed_endpoint(**kw):
        t0 = marks["enter"] = time.thread_time()
        try:
            return await endpoint(**kw)
        finally:
            marks["exit"] = time.thread_time()
            handler[0] += marks["exit"] - t0

    routing.run_endpoint_function = timed_endpoint
    for stack, kind in cases:  # warm: each once, its answer checked
        if kind not in firsts and not kind.startswith("kept_after"):
            r = await clients[stack]("GET", kinds[kind], headers)
            assert r["status"] == 200, (stack, kind, r["status"], r["body"][:200])
    times: dict[tuple, list[float]] = defaultdict(list)
    outside: dict[tuple, list[float]] = defaultdict(list)
    after: dict[tuple, list[float]] = defaultdict(list)
    t0 = time.thread_time()
    gc.collect()
    full = (time.thread_time() - t0) * 1e3
    print(f"# a full collection of {len(gc.get_objects())} tracked objects: {full:.1f} ms")
    if args.freeze:  # as service.app.create_served_app does
        gc.freeze()
        t0 = time.thread_time()
        gc.collect()
        full = (time.thread_time() - t0) * 1e3
        print(f"# frozen, a full collection: {full:.1f} ms")
    if args.no_gc:
        gc.disable()
    if args.threshold:
        gc.set_threshold(*(int(x) for x in args.threshold.split(",")))
    watches: dict[tuple, GcWatch] = defaultdict(GcWatch)
    print(
        f"# gc: {gc.get_count()} counts, {gc.get_threshold()} thresholds, "
        f"{len(gc.get_objects())} tracked, {gc.get_freeze_count()} frozen"
    )
    for rnd in range(args.rounds):
        order = cases if rnd % 2 == 0 else cases[::-1]
        for case in order:
            stack, kind = case
            call = clients[stack]
            out, out_h = times[case], outside[case]
            watch = watches[case]
            gc.callbacks.append(watch)
            watch.on = True
            for _ in range(args.views):
                path, sent, before = target(kind)
                if before is not None:
                    ran = before()
                    if ran is not None:
                        await ran
                handler[0] = 0.0
                t0 = time.thread_time()
                r = await call("GET", path, sent)
                whole = time.thread_time() - t0
                assert r["status"] == 200, (kind, path, r["status"])
                out.append(whole * 1e6)
                out_h.append((whole - handler[0]) * 1e6)
                after[case].append((t0 + whole - marks["exit"]) * 1e6)
            watch.on = False
            gc.callbacks.remove(watch)
    print(f"# {args.views} requests a kind a round, {args.rounds} rounds; CPU us (thread_time)")
    for stack in callers:
        base = statistics.median(times[(stack, "health")])
        print(f"\n## {stack or 'the app'}")
        print(
            f"{'kind':<16}{'median':>8}{'q1':>8}{'q3':>8}{'p99':>8}{'x health':>10}"
            f"{'outside':>9}{'after':>7}"
        )
        for kind in kinds:
            v = times[(stack, kind)]
            q = statistics.quantiles(v, n=4)
            p99 = statistics.quantiles(v, n=100)[98]
            med = statistics.median(v)
            out_med = statistics.median(outside[(stack, kind)])
            after_med = statistics.median(after[(stack, kind)])
            print(
                f"{kind:<16}{med:8.0f}{q[0]:8.0f}{q[2]:8.0f}{p99:8.0f}{med / base:10.2f}"
                f"{out_med:9.0f}{after_med:7.0f}"
            )
        if args.gc:
            for kind in kinds:
                print(f"  {kind:<14}{watches[(stack, kind)].report(len(times[(stack, kind)]))}")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--views", type=int, default=300, help="requests a kind a round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--only", default="", help="kinds, comma-separated (health always)")
    parser.add_argument("--bare", action="store_true", help="also without each middleware")
    parser.add_argument(
        "--header", action="append", default=[], help="name:value sent with every request"
    )
    parser.add_argument("--freeze", action="store_true", help="gc.freeze() before timing")
    parser.add_argument("--no-gc", action="store_true", help="gc.disable() before timing")
    parser.add_argument("--threshold", default="", help="gc.set_threshold(a,b,c) before timing")
    parser.add_argument("--gc", action="store_true", help="report collections per kind")
    parser.add_argument("--flush", action="store_true", help="run the loop's callbacks between")
    asyncio.run(run(parser.parse_args()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
