"""The console's pages as a phone reads them (the markup; tests/browser/test_console_phone.py
looks at them in Chromium at 360 px): every table of records is ``stacked`` (a card a
row on a narrow screen) and each of its cells names its column (``data-label``), so
the CSS can show the cell under its column's name."""

import re
from html.parser import HTMLParser

from tests.service.test_operators_bookings import book
from tests.support.clock import FixedClock
from tests.support.console import log_in
from tests.support.operators import FIRST, world


class _Cells(HTMLParser):
    """The cells of the page's ``stacked`` tables: (data-label or None, text)."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0  # inside a stacked table (nesting of tables)
        self.cell: list | None = None
        self.cells: list[tuple[str | None, str]] = []
        self.tables = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table" and ("stacked" in (a.get("class") or "").split() or self.depth):
            self.depth += 1
            self.tables += 1
        elif tag == "td" and self.depth:
            self.cell = [a.get("data-label"), ""]

    def handle_endtag(self, tag):
        if tag == "table" and self.depth:
            self.depth -= 1
        elif tag == "td" and self.cell is not None:
            self.cells.append((self.cell[0], self.cell[1].strip()))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell[1] += data


def cells_of(html: str) -> tuple[int, list[tuple[str | None, str]]]:
    parser = _Cells()
    parser.feed(html)
    return parser.tables, parser.cells


def test_every_table_of_records_names_each_cells_column(db, client):
    w = world(db)
    ref = book(db, w.a.product_id, first=FIRST)
    client.app.state.clock = FixedClock.on(FIRST)
    log_in(client, w.a.admin.login)
    pages = {
        "/console": 2,  # arrivals, and the occupancy figures
        "/console/products": 1,
        f"/console/products/{w.a.product_id}": 1,  # its seasons
        "/console/bookings": 1,
        f"/console/bookings/{ref}": 1,  # its guests
    }
    for path, tables in pages.items():
        r = client.get(path)
        assert r.status_code == 200, (path, r.text[:300])
        found, cells = cells_of(r.text)
        assert found == tables, (path, found)
        unnamed = [text for label, text in cells if text and not label]
        assert unnamed == [], (path, unnamed)
    total = [text for label, text in cells_of(client.get("/console/bookings").text)[1]]
    assert any(re.fullmatch(r"¥[\d,]+\.\d\d", text) for text in total)


def test_the_reports_tables_name_each_cells_column(db, client):
    w = world(db)
    log_in(client, w.province.login)
    r = client.get(f"/console/reports?from={FIRST.year}-01-01&to={FIRST.year}-12-31")
    assert r.status_code == 200, r.text[:300]
    found, cells = cells_of(r.text)
    assert found == 3  # the measures, the targets, the pilot units
    assert [text for label, text in cells if text and not label] == []
