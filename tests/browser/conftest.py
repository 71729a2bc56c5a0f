"""Browser tests: the machine's Chromium driven by Playwright, against one real server.

One server and one Chromium for each pytest process that runs browser tests (each
xdist worker: ``--dist loadfile`` hands a worker browser files between files of other
packages, and a server made again for each run of them cost a minute under load). Both
are session-scoped, so made when the worker's first browser test needs them and stopped
when its session ends:

* the server: ``python -m service.cli serve`` in a subprocess (sync Playwright cannot
  run inside an event loop, so the app is not run in-process) on a port the kernel
  picks, over its own SQLite file (in the worker's own ``tmp_path``) migrated and
  loaded with the demo catalogue and last year's bookings: no two workers share a
  database, and every browser test of a worker shares its one. Each test logs in as
  its own demo account and makes what it changes itself, so none depends on a fresh
  database or on which browser files ran before it on the worker.
* Chromium, through Playwright's sync API. Each test gets a new context (its own
  cookies). The sync API marks its event loop as running in this thread between its
  calls, and ``asyncio.run`` (the rest of the suite's tests run their own loops)
  refuses to start under a running loop: ``Chromium`` hides the loop while no browser
  test runs, and shows it again for each browser test (the ``browser`` fixture).

Chromium is ``/usr/bin/chromium`` (never ``playwright install``); missing, these tests
are skipped, except under ``CI=true`` where they fail. Every request a page makes is
recorded and must stay on the server's origin; every page is checked by axe-core
(WCAG 2.1 AA) and screenshotted under ``var/screenshots/``. The server's own log is
checked for personal data at the end.
"""

import asyncio
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.conftest import TEST_PLANNER_PER_MINUTE, shows_phone_or_id

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("JL_CHROMIUM", "/usr/bin/chromium")
IN_CI = os.environ.get("CI", "").lower() == "true"
SHOTS = ROOT / "var" / "screenshots"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
# How long the server may take to answer its health check once started: a safety net
# for a server that hangs, generous because two workers' setups and a loaded CI
# machine made 30 s too short (every browser test of the worker then errored).
SERVER_START_LIMIT_S = 180

pytestmark = pytest.mark.browser


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """The server of this worker's browser tests: its address, log and database file."""

    def __init__(self, base: str, log: Path, db: Path) -> None:
        self.base = base
        self.log = log
        self.db = db


@pytest.fixture(scope="session")
def server(tmp_path_factory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("browser")
    db = folder / "pages.db"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{db}",
        "JL_ENV": "test",
        "PYTHONUNBUFFERED": "1",
        # every page comes from one address: the planner's share by address is the
        # service tests' to check (tests/service/test_plans_fair.py)
        "JL_PLANNER_ANONYMOUS_PER_MINUTE": str(TEST_PLANNER_PER_MINUTE),
    }
    env.pop("JL_STRIPE_SECRET_KEY", None)
    cli = [sys.executable, "-m", "service.cli"]
    # the demo catalogue, and last year's bookings (thinned) for the report pages
    for step in (["migrate"], ["load-demo"], ["demo-year", "--scale", "0.2"]):
        done = subprocess.run([*cli, *step], env=env, cwd=ROOT, capture_output=True)
        if done.returncode != 0:
            pytest.fail(f"jilin {' '.join(step)} failed:\n{done.stderr.decode()[-2000:]}")
    port = _free_port()
    log = folder / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [*cli, "serve", "--port", str(port)],
            env=env,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + SERVER_START_LIMIT_S
            while True:
                try:
                    if httpx.get(base + "/v1/health", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("the server did not start:\n" + log.read_text()[-2000:])
                time.sleep(0.1)
            yield Server(base, log, db)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    text = log.read_text(errors="replace")
    leaks = [line for line in text.splitlines() if shows_phone_or_id(line)]
    assert not leaks, f"the server logged personal data in clear: {leaks[:3]}"


class Chromium:
    """Playwright's sync API and the Chromium it launched, open for the whole session.

    Between two calls the sync API leaves its event loop marked as running in this
    thread (``asyncio._set_running_loop``, in ``playwright/_impl/_greenlets.py``), so
    ``asyncio.run`` in any later test of the worker would refuse to start. The loop is
    hidden while no browser test runs, and shown again (``awake()``) around each browser
    test and for the closing: nothing of Playwright runs in between."""

    def __init__(self) -> None:
        from playwright.sync_api import sync_playwright

        self._playwright = sync_playwright().start()
        try:
            self.browser = self._playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS
            )
        except BaseException:
            self._playwright.stop()
            raise
        self._loop = asyncio._get_running_loop()
        self._sleep()

    def _sleep(self) -> None:
        asyncio._set_running_loop(None)

    @contextmanager
    def awake(self) -> Iterator[object]:
        """The browser, with the sync API's loop shown to it while the block runs."""
        asyncio._set_running_loop(self._loop)
        try:
            yield self.browser
        finally:
            self._sleep()

    def close(self) -> None:
        asyncio._set_running_loop(self._loop)
        try:
            self.browser.close()
        finally:
            self._playwright.stop()


@pytest.fixture(scope="session")
def chromium() -> Iterator[Chromium]:
    if not Path(CHROMIUM).exists():
        msg = f"Chromium not found at {CHROMIUM} (apt-get install -y chromium)"
        if IN_CI:
            pytest.fail(msg, pytrace=False)
        pytest.skip(msg)
    opened = Chromium()
    yield opened
    opened.close()


@pytest.fixture
def browser(chromium) -> Iterator[object]:
    """This session's Chromium, awake for one test."""
    with chromium.awake() as awake:
        yield awake


# Every control a finger must hit: buttons, fields, and links. On the traveller pages
# every one is at least 44px high and 44px wide, links in lists included (a
# destination's name in a route's stops was 21px high, 向海 41px wide), except a link
# inside a sentence (a paragraph with more words than the link); on the console, links
# that stand alone (all of their line's text). A checkbox is hit through its label.
TAP_TARGETS_UNDER_44PX = """
(() => {
  const traveller = !location.pathname.startsWith('/console');
  const inSentence = e => {
    const p = e.closest('p');
    return p !== null && p.textContent.trim() !== e.textContent.trim();
  };
  return [...document.querySelectorAll('a, button, input:not([type=hidden]), select, summary')]
    .filter(e => e.offsetParent !== null && !e.classList.contains('skip'))
    .filter(e => e.tagName !== 'A'
            || (traveller ? !inSentence(e)
                : e.parentElement.textContent.trim() === e.textContent.trim()))
    .map(e => (e.type === 'checkbox' && e.closest('label')) ? e.closest('label') : e)
    .map(e => [e.outerHTML.slice(0, 100), e.getBoundingClientRect()])
    .filter(([, r]) => r.height < 44 || (traveller && r.width < 44))
    .map(([html, r]) => [html, Math.round(r.width), Math.round(r.height)]);
})()
"""

# Text under 18 CSS px on a traveller page (the map's text at the size it is drawn: its
# font size times the drawing's scale); visually hidden text aside.
TEXT_UNDER_18PX = """
(() => {
  if (location.pathname.startsWith('/console')) return [];
  const small = [];
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walk.nextNode(); n; n = walk.nextNode()) {
    const e = n.parentElement;
    if (!n.textContent.trim() || e.closest('.visually-hidden, title, desc')) continue;
    const r = e.getBoundingClientRect();
    if (r.width === 0 || getComputedStyle(e).visibility === 'hidden') continue;
    let px = parseFloat(getComputedStyle(e).fontSize);
    const svg = e.closest('svg');
    if (svg) px *= svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    const what = e.tagName + '.' + e.className;
    if (px < 17.95) small.push([what, n.textContent.trim().slice(0, 30), px]);
  }
  return small;
})()
"""


# A required field's mark, 「（必填）」 / "(required)", not on one line of text: its box
# broken over lines, or taller than a line (a flex item squeezed into a thin column of
# its own showed "(req / uire / d)" in a consent box's label on a 360px phone). Each is
# [the label's text, the mark's boxes, its height, its line's height].
REQUIRED_MARKS_BROKEN = """
(() => [...document.querySelectorAll('.req')]
  .filter(e => e.offsetParent !== null)
  .map(e => [e.closest('label') ? e.closest('label').textContent.trim().slice(0, 40) : '',
             e.getClientRects().length, e.getBoundingClientRect().height,
             parseFloat(getComputedStyle(e).lineHeight)])
  .filter(([, boxes, height, line]) => boxes !== 1 || height > line + 0.5))()
"""


class _LazyAxe:
    """axe-core's script, read once for the whole run."""

    _axe = None

    def run(self, page, options):
        if self._axe is None:
            from axe_playwright_python.sync_playwright import Axe

            _LazyAxe._axe = Axe()
        return self._axe.run(page, options=options)


AXE = _LazyAxe()


class Visit:
    """A browser context on the server: its page, every request it made, and checks."""

    def __init__(self, context, server: Server, label: str) -> None:
        self.context = context
        self.server = server
        self.label = label
        self.requests: list[str] = []
        context.on("request", lambda req: self.requests.append(req.url))
        self.page = context.new_page()

    def go(self, path: str):
        response = self.page.goto(self.server.base + path)
        assert response is not None
        return response

    def offsite(self) -> list[str]:
        """Requests that left the origin (``data:`` and this origin's ``blob:`` did not:
        ReDoc runs its search in a worker made from a blob)."""
        here = (self.server.base + "/", "blob:" + self.server.base + "/", "data:")
        return [u for u in self.requests if not u.startswith(here)]

    def check(self, name: str) -> None:
        """Screenshot the page, then: axe finds no WCAG 2.1 AA violation (on the phone
        viewport, in every language: the markup is the same on a desktop, and axe is
        the slowest step), nothing was fetched from another origin, every control is a
        44px target (``TAP_TARGETS_UNDER_44PX``), a traveller page's text is at least
        18px (``TEXT_UNDER_18PX``), every "(required)" is on one line
        (``REQUIRED_MARKS_BROKEN``), and the page does not scroll sideways."""
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SHOTS / f"{self.label}-{name}.png"), full_page=True)
        if self.page.viewport_size["width"] < 600:
            results = AXE.run(self.page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
            assert results.violations_count == 0, (
                f"{name}: axe found violations:\n{results.generate_report()}"
            )
        assert self.offsite() == [], f"{name}: requests left the origin: {self.offsite()}"
        small = self.page.evaluate(TAP_TARGETS_UNDER_44PX)
        assert small == [], f"{name}: tap targets under 44x44px: {small}"
        tiny = self.page.evaluate(TEXT_UNDER_18PX)
        assert tiny == [], f"{name}: text under 18px: {tiny}"
        broken = self.page.evaluate(REQUIRED_MARKS_BROKEN)
        assert broken == [], f"{name}: a required mark not on one line: {broken}"
        overflow = self.page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{name}: the page scrolls sideways by {overflow}px"


@pytest.fixture
def visit(browser, server) -> Iterator:
    """``visit(viewport, lang)`` -> a fresh ``Visit`` (own cookies) in that language."""
    opened = []

    def open_visit(viewport: dict = PHONE, lang: str = "zh-CN", label: str | None = None) -> Visit:
        context = browser.new_context(
            viewport=viewport,
            locale=lang,
            extra_http_headers={"Accept-Language": lang},
        )
        context.set_default_timeout(15000)
        opened.append(context)
        size = "phone" if viewport["width"] < 600 else "desktop"
        return Visit(context, server, label or f"{size}-{lang}")

    yield open_visit
    for context in opened:
        context.close()
