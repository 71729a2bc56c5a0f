"""The pages' HTML the same byte for byte before and after a template change, and what
rendering them costs, in process.

    .venv/bin/python bench/render_pages.py --base <commit> [--times 300] [--rounds 5]
    PYTHONPATH=bench JL_RENDER_BASE=<folder> .venv/bin/python -m pytest -p render_pages ...

Builds the app as ``jilin serve`` does on a temporary SQLite database with the demo
catalogue and ``quotes_http.load_catalogue``'s (a 28-night stay with three packs, two
transfers, a ticket stub and four discount rules), then, calling it with handmade ASGI
messages (``first_view_profile.Asgi``), views in both languages: that quote's page
(bookable), its book page, its page once booked, the booking's page, its cancel page
and its page once cancelled; a demo quote's page and booking's page; a product page,
the destinations, the home and plan pages. Every render (``web._rendered``) is captured:
its language, template and context.

Each captured context is then rendered by this checkout's templates and by ``--base``'s
(``git archive <base> service/templates``, loaded by an environment made as
``templating.environment`` makes one, with the other folder): every page must be the
same bytes, else the first difference is printed and the exit status is 1. (The context
is this checkout's: a change to what a handler passes is not compared.)

With ``--times N``: each captured quote, manage and product page rendered N times by
each side, alternately, ``--rounds`` rounds; CPU of this thread per render
(``time.thread_time``), the median of the rounds' medians, microseconds.

As a pytest plugin (``-p render_pages``, ``JL_RENDER_BASE`` a folder holding another
checkout's templates): every page the tests render is rendered by that folder's templates
too: a page that differs is an error (the test sees a 500 page) and is written in
``render-differences.txt`` beside that folder, so the pages of every state the page tests
reach (expired, cancelled, refunded, a stub taken…) are compared.
"""

import argparse
import asyncio
import copy
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections import defaultdict
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for p in (str(ROOT), str(ROOT / "bench")):
    if p not in sys.path:
        sys.path.insert(0, p)


@cache
def base_environment(folder: str, lang: str):
    """An environment made as ``templating.environment(lang)`` is, reading ``folder``,
    with Jinja's own ``Context`` (the base's before ``templating.PageContext``)."""
    from jinja2 import FileSystemLoader
    from jinja2.runtime import Context

    from service.pages import templating

    env = templating.environment.__wrapped__(lang)
    env.loader = FileSystemLoader(folder)
    env.context_class = Context
    return env


def render_with(env, template: str, ctx: dict) -> bytes:
    return env.get_template(template).render(_fresh(ctx)).encode()


def _fresh(ctx: dict) -> dict:
    """A copy a render may change (the form macros note their fields in
    ``fields_drawn``) without changing the captured one."""
    try:
        return copy.deepcopy(ctx)
    except Exception:  # something a deep copy cannot copy: the one changed value anew
        return {**ctx, "fields_drawn": copy.deepcopy(ctx.get("fields_drawn", {}))}


def first_difference(a: bytes, b: bytes) -> str:
    pairs = enumerate(zip(a, b, strict=False))
    at = next((i for i, (x, y) in pairs if x != y), min(len(a), len(b)))
    lo = max(0, at - 120)
    return (
        f"at byte {at} (lengths {len(a)} and {len(b)}):\n"
        f"  this checkout: {a[lo : at + 120]!r}\n  base:          {b[lo : at + 120]!r}"
    )


def capture(calls: list) -> None:
    """Keep each render's language, template and context (``web._rendered``)."""
    from service.pages import web

    rendered = web._rendered

    def keeping(lang, template, ctx):
        calls.append((lang, template, _fresh(dict(ctx))))
        return rendered(lang, template, ctx)

    web._rendered = keeping


# --- the pages ------------------------------------------------------------------------


async def view_pages(client) -> None:
    """The pages the module's docstring lists, in both languages."""
    from datetime import timedelta

    import sqlalchemy as sa
    from first_view_profile import make_targets
    from quotes_http import load_catalogue

    from catalog.models import InventoryNight
    from service.clock import Clock
    from service.db import Database
    from service.settings import Settings

    db = Database(Settings(database_url=client.url))
    body = load_catalogue(db)
    product = body["items"][0]["product_id"]
    with db.write_session() as s:  # on sale: 120 nights of 5 units from today
        s.execute(
            sa.insert(InventoryNight),
            [
                {"product_id": product, "night": today + timedelta(days=d), "total_units": 5}
                for d in range(120)
                for today in [Clock().today()]
            ],
        )
        s.commit()
    db.engine.dispose()
    demo_quotes, demo_cookies = await make_targets(client, 1)
    q = await client.json("POST", "/v1/quotes", body)
    assert q["status"] == 201, q["body"][:300]
    qid = json.loads(q["body"])["id"]
    langs = [(), [("accept-language", "en")]]
    slug = (await client("GET", "/v1/products/" + str(body["items"][0]["product_id"])))["body"]
    slug = json.loads(slug)["slug"]
    for headers in langs:
        for path in ("/", "/destinations", "/plan", f"/products/{slug}", f"/quotes/{qid}"):
            await client.get_page(path, headers)
        await client.get_page(f"/quotes/{qid}/book", headers)
    b = await client.json(
        "POST",
        "/v1/bookings",
        {"quote_id": qid, "lead_traveller": {"name": "测试", "phone": "13800000000"}},
        [("idempotency-key", "render-pages-1")],
    )
    assert b["status"] == 201, b["body"][:300]
    b = json.loads(b["body"])
    cookie = await client.sign_in(b["reference"], b["token"])
    for headers in langs:
        await client.get_page(f"/quotes/{qid}", headers)
        await client.get_page("/manage", [("cookie", cookie), *headers])
        await client.get_page("/manage/cancel", [("cookie", cookie), *headers])
        await client.get_page(demo_quotes[0], headers)
        await client.get_page("/manage", [("cookie", demo_cookies[0]), *headers])
    c = await client.json(
        "POST",
        f"/v1/bookings/{b['reference']}/cancel",
        {},
        [("idempotency-key", "render-pages-2"), ("x-booking-token", b["token"])],
    )
    assert c["status"] == 200, c["body"][:300]
    for headers in langs:
        await client.get_page("/manage", [("cookie", cookie), *headers])
        await client.get_page(f"/quotes/{qid}", headers)


def make_client(url: str):
    from first_view_profile import Asgi, _cookies

    from service.app import create_app
    from service.pages import web
    from service.settings import Settings

    settings = Settings(
        database_url=url, access_log=False, max_anonymous_units_held_per_address=1_000_000
    )
    app = create_app(settings)

    class Client(Asgi):
        async def get_page(self, path, headers=()):
            web.visitor_pages_for(app.state.db.engine).clear()  # each a first view
            r = await self("GET", path, headers)
            assert r["status"] == 200, (path, r["status"], r["body"][:300])
            return r

        async def sign_in(self, reference: str, token: str) -> str:
            import re
            from urllib.parse import urlencode

            opened = await self("GET", "/manage")
            jar = "; ".join(f"{k}={v}" for k, v in _cookies(opened).items())
            csrf = re.search(rb'name="csrf_token" value="([^"]+)"', opened["body"]).group(1)
            form = {"csrf_token": csrf.decode(), "reference": reference, "token": token}
            r = await self(
                "POST",
                "/manage",
                [("content-type", "application/x-www-form-urlencoded"), ("cookie", jar)],
                urlencode(form).encode(),
            )
            return f"jl_booking={_cookies(r)['jl_booking']}"

    client = Client(app)
    client.url = url
    return client


def base_templates(ref: str) -> str:
    folder = tempfile.mkdtemp(prefix="jl-render-base-")
    archive = subprocess.run(
        ["git", "archive", ref, "service/templates"], cwd=ROOT, check=True, capture_output=True
    ).stdout
    with tarfile.open(fileobj=__import__("io").BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    return str(Path(folder) / "service" / "templates")


def compare(calls: list, folder: str) -> int:
    from service.pages import templating

    differ = 0
    for lang, template, ctx in calls:
        ours = render_with(templating.environment(lang), template, ctx)
        theirs = render_with(base_environment(folder, lang), template, ctx)
        if ours != theirs:
            differ += 1
            print(f"DIFFERS: {template} ({lang}) {first_difference(ours, theirs)}")
    print(f"{len(calls)} pages compared with the base's templates, {differ} differ")
    return differ


def timed(calls: list, folder: str | None, times: int, rounds: int) -> None:
    from service.pages import templating

    chosen = {}
    for lang, template, ctx in calls:  # the last of each kind and language: its fullest state
        if template in ("quote.html", "manage.html", "product.html"):
            chosen[(template, lang, len(chosen))] = ctx
    sides = {"this checkout": lambda lang: templating.environment(lang)}
    if folder:
        sides["base"] = lambda lang: base_environment(folder, lang)
    spent: dict[tuple, list[float]] = defaultdict(list)
    for rnd in range(rounds):
        order = list(sides) if rnd % 2 == 0 else list(reversed(sides))
        for key, ctx in chosen.items():
            for side in order:
                tmpl = sides[side](key[1]).get_template(key[0])
                each = []
                for _ in range(times):
                    fresh = {**ctx, "fields_drawn": {}}
                    t0 = time.thread_time()
                    tmpl.render(fresh)
                    each.append(time.thread_time() - t0)
                spent[(key, side)].append(statistics.median(each) * 1e6)
    print(f"\n# render CPU us, median of {rounds} rounds' medians of {times} renders")
    print(f"| page | lang | {' | '.join(sides)} |")
    print(f"| --- | --- | {' | '.join('---:' for _ in sides)} |")
    for key, ctx in chosen.items():
        cells = " | ".join(f"{statistics.median(spent[(key, s)]):.1f}" for s in sides)
        print(f"| {key[0]}{_state(ctx)} | {key[1]} | {cells} |")


def _state(ctx: dict) -> str:
    """What a captured page shows: the demo's one-night stay or the 28-night stay with
    packs and transfers; booked, its booking's status."""
    q = ctx.get("q")
    if q is None:
        return ""
    kind = ", 28 nights, packs, transfers" if q.get("legs") else ", demo stay"
    if ctx.get("b"):
        return f"{kind}, {ctx['b']['status']}"
    return f"{kind}, booked" if ctx.get("booking") else f"{kind}, bookable"


async def run(args) -> int:
    from benchkit import load_demo

    tmp = tempfile.mkdtemp(prefix="jl-render-pages-")
    url = f"sqlite:///{tmp}/render.db"
    load_demo(url)
    calls: list = []
    capture(calls)
    client = make_client(url)
    await view_pages(client)
    print(f"{len(calls)} renders captured: " + ", ".join(sorted({c[1] for c in calls})))
    folder = base_templates(args.base) if args.base else None
    differ = compare(calls, folder) if folder else 0
    if args.times:
        timed(calls, folder, args.times, args.rounds)
    return 1 if differ else 0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default="", help="a git ref: its templates to compare with")
    parser.add_argument("--times", type=int, default=0, help="renders a page a round, timed")
    parser.add_argument("--rounds", type=int, default=5)
    return asyncio.run(run(parser.parse_args()))


# --- as a pytest plugin ---------------------------------------------------------------


def pytest_configure(config) -> None:
    folder = os.environ.get("JL_RENDER_BASE")
    if not folder:
        return
    from service.pages import templating, web

    rendered = web._rendered

    def both(lang, template, ctx):
        ctx = dict(ctx)
        theirs = render_with(base_environment(folder, lang), template, ctx)
        ours = render_with(templating.environment(lang), template, ctx)
        if ours != theirs:  # said in a file too: the app answers the failure as a 500 page
            said = f"{template} ({lang}) {first_difference(ours, theirs)}"
            with open(Path(folder).parent / "render-differences.txt", "a") as out:
                out.write(said + "\n")
            raise AssertionError(said)
        return rendered(lang, template, ctx)

    web._rendered = both


if __name__ == "__main__":
    sys.exit(main())
