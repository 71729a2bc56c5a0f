"""The console read on a phone (360 px) and at 200% zoom (640 px): its tables of records
turn into cards whose every cell is under its column's name, so no column is crushed to
a character a line and no amount is cut off at the edge of a scrolling box; a wide grid
says it scrolls. Both languages; every page passes axe (``Visit.check``)."""

import httpx
import pytest

from service.charts import WIDTH
from tests.browser.conftest import PHONE
from tests.browser.test_console import log_in
from tests.browser.test_console_journeys import token

pytestmark = pytest.mark.browser

TABLES_LOGIN = "demo-yanji"
ZOOMED = {"width": 640, "height": 400}  # a 1280 px screen at 200%

# Every cell of every table of the page: its width, and whether its text fits it. Every
# amount (.money): whether any of it is hidden, by the box that scrolls it or the window.
READ_TABLES = """() => {
  const view = document.documentElement.clientWidth;
  const cells = [...document.querySelectorAll('main table td, main table th')]
    .filter(c => c.offsetParent !== null && !c.closest('thead') && c.textContent.trim().length > 1)
    .map(c => ({text: c.textContent.trim().slice(0, 30), width: c.getBoundingClientRect().width,
                label: c.getAttribute('data-label')}));
  const cut = [...document.querySelectorAll('main .money')].filter(m => m.offsetParent !== null)
    .filter(m => {
      const r = m.getBoundingClientRect();
      let box = m.parentElement;
      while (box && getComputedStyle(box).overflowX === 'visible') box = box.parentElement;
      const right = Math.min(view, box ? box.getBoundingClientRect().right : view);
      return r.right > right + 0.5 || m.scrollWidth > m.clientWidth + 0.5;
    }).map(m => m.textContent.trim());
  return {cells, cut};
}"""


def _signed_in(visit, server, viewport: dict, lang: str, path: str, label: str):
    """A new browser on ``path``, signed in as ``TABLES_LOGIN`` on the way."""
    v = visit(viewport, lang, label=label)
    v.go(path)
    log_in(v, lang, login=TABLES_LOGIN)
    v.page.wait_for_url(server.base + path)
    return v


def _readable(v, name: str) -> None:
    found = v.page.evaluate(READ_TABLES)
    assert found["cells"], f"{name}: no table"
    crushed = [c for c in found["cells"] if c["width"] < 120]
    assert crushed == [], f"{name}: cells too narrow to read: {crushed[:5]}"
    assert found["cut"] == [], f"{name}: amounts cut off: {found['cut']}"
    v.check(name)


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_the_console_tables_read_on_a_phone(visit, server, lang):
    headers = token(server, TABLES_LOGIN)
    products = httpx.get(server.base + "/v1/admin/products?limit=100", headers=headers).json()
    seasoned = next(
        p
        for p in products["items"]
        if httpx.get(f"{server.base}/v1/admin/products/{p['id']}", headers=headers).json()[
            "seasons"
        ]
    )
    v = _signed_in(visit, server, PHONE, lang, "/console/products", f"console-phone-{lang}")
    _readable(v, "30-products-cards")
    # each product a card: its name on top, each figure under its column's name
    first = v.page.locator("main table tbody tr").first
    assert first.locator("th[scope=row] a").count() == 1
    assert first.locator("td[data-label]").count() == 4
    v.go(f"/console/products/{seasoned['id']}")
    _readable(v, "31-product-seasons-cards")
    v.go("/console/bookings")
    _readable(v, "32-bookings-cards")


def test_the_bookings_total_is_whole_at_200_percent_zoom(visit, server):
    v = _signed_in(visit, server, ZOOMED, "en", "/console/bookings", "console-zoom-en")
    found = v.page.evaluate(READ_TABLES)
    totals = [c for c in found["cells"] if c["label"] == "Total"]
    assert totals and all(c["text"].startswith("¥") and len(c["text"]) > 4 for c in totals)
    assert found["cut"] == []
    _readable(v, "33-bookings-zoomed")


def test_the_occupancy_chart_keeps_its_size_on_a_phone(visit, server):
    """Drawn at 900 px with 16 px text, the chart is shown at 900 px (not shrunk to the
    phone's 328 px, which made its text 5-8 px), scrolling sideways in its box."""
    v = _signed_in(visit, server, PHONE, "en", "/console", "console-phone-en")
    img = v.page.locator("figure.chart img")
    loaded, width = img.evaluate("i => [i.complete && i.naturalWidth, i.offsetWidth]")
    assert loaded and width == WIDTH
    box = v.page.locator("figure.chart [role=region]")
    assert box.evaluate("b => b.scrollWidth > b.clientWidth")
    assert v.page.locator("#occupancy-scroll").is_visible()
    v.check("35-chart-full-size")


def test_the_calendar_grid_says_it_scrolls(visit, server):
    v = _signed_in(visit, server, PHONE, "zh-CN", "/console/calendar", "console-phone-zh-CN")
    hint = v.page.locator("#grid-hint")
    assert hint.is_visible() and "左右滑动" in hint.inner_text()
    grid = v.page.locator("[role=region][aria-describedby=grid-hint]")
    assert grid.evaluate("g => g.scrollWidth > g.clientWidth")
    v.check("34-calendar-scrolls")


TABLET = {"width": 768, "height": 1024}  # a tablet held upright


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_the_dashboard_reads_on_a_tablet(visit, server, lang):
    """At 768 px the tables are tables (cards are below 40rem) and the occupancy chart
    (900 px) is wider than the page: the chart says it scrolls, as on a phone, and a
    booking reference stays on one line (it broke after 「JL-」, half a code to read out
    at the desk); the calendar's grid says it scrolls too. Until December 2026 both
    sentences showed only below 40rem, so on a tablet the chart's last weeks and the
    grid's later nights were cut off at the edge without a word."""
    from tests.browser.test_console_journeys import book_today

    login = "demo-changbaishan-north"
    reference = book_today(server, login)
    v = visit(TABLET, lang, label=f"console-tablet-{lang}")
    v.go("/console")
    log_in(v, lang, login=login)
    v.page.wait_for_url(server.base + "/console")
    box = v.page.locator("figure.chart [role=region]")
    assert box.evaluate("b => b.scrollWidth > b.clientWidth")
    assert v.page.locator("#occupancy-scroll").is_visible()
    link = v.page.locator("#arrivals + .table-wrap").get_by_role("link", name=reference)
    assert link.evaluate("a => a.getClientRects().length") == 1, reference
    v.check("36-dashboard-tablet")
    # the calendar's grid (products x 14 nights) is wider than a tablet, and a desktop
    v.go("/console/calendar")
    grid = v.page.locator("[role=region][aria-describedby=grid-hint]")
    assert grid.evaluate("g => g.scrollWidth > g.clientWidth")
    assert v.page.locator("#grid-hint").is_visible()
