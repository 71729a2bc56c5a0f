"""Operators' journeys in Chromium, in both languages on a phone: bulk-edit a month of
the calendar with its preview, then apply; check a guest in at the front desk; retry a
refund that failed at Stripe. What the
pages did is checked through the admin API of the same server; every page passes axe
(WCAG 2.1 AA), keeps 44px targets and is screenshotted (``console-…``)."""

import sqlite3
from datetime import date, timedelta

import httpx
import pytest

from tests.browser.bookings import book, today
from tests.browser.conftest import PHONE
from tests.browser.test_console import LOGIN, PASSWORD, log_in

pytestmark = pytest.mark.browser

WORDS = {
    "zh-CN": {
        "preview": "预览修改",
        "apply": "确认应用",
        "check_in": "办理入住",
        "checked_in": "已入住",
        "units": "总间数",
        "retry_refund": "重新退款",
    },
    "en": {
        "preview": "Preview the change",
        "apply": "Apply the change",
        "check_in": "Check in",
        "checked_in": "Checked in",
        "units": "Total rooms",
        "retry_refund": "Retry the refund",
    },
}


# A login takes ten attempts a minute (the API's tokens count too): each test logs in
# as its own demo account, and a token is asked for once per login.
CALENDAR_LOGIN = "demo-changbaishan-resort"
DESK_LOGIN = "demo-staff-" + LOGIN.removeprefix("demo-")
REFUND_LOGIN = "demo-changchun-lianhuashan"
_TOKENS: dict[tuple[str, str], dict] = {}


def token(server, login: str = LOGIN) -> dict:
    if (server.base, login) not in _TOKENS:
        r = httpx.post(
            server.base + "/v1/admin/tokens", json={"login": login, "password": PASSWORD}
        )
        assert r.status_code == 201, r.text
        _TOKENS[server.base, login] = {"Authorization": "Bearer " + r.json()["token"]}
    return _TOKENS[server.base, login]


def next_month() -> tuple[date, date]:
    first = (today().replace(day=1) + timedelta(days=32)).replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return first, last


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_bulk_edit_a_month_with_preview(visit, server, lang):
    w = WORDS[lang]
    units = 9 if lang == "zh-CN" else 8
    first, last = next_month()
    v = visit(PHONE, lang, label=f"console-phone-{lang}")
    v.go("/console/calendar")
    log_in(v, lang, login=CALENDAR_LOGIN)
    v.page.wait_for_url(server.base + "/console/calendar")
    v.check("3-calendar")
    v.page.locator("#edit_from").fill(first.isoformat())
    v.page.locator("#edit_to").fill(last.isoformat())
    v.page.get_by_label(w["units"], exact=True).fill(str(units))
    v.page.get_by_role("button", name=w["preview"]).click()
    v.page.wait_for_url(server.base + "/console/calendar/preview")
    summary = v.page.locator("#preview-summary").inner_text()
    headers = token(server, CALENDAR_LOGIN)
    products = httpx.get(server.base + "/v1/admin/products?limit=100", headers=headers).json()
    active = [p for p in products["items"] if p["is_active"]]
    nights = (last - first).days + 1
    assert str(nights * len(active)) in summary
    v.check("4-calendar-preview")
    v.page.get_by_role("button", name=w["apply"]).click()
    v.page.wait_for_url(lambda url: "/console/calendar?" in url and "done=" in url)
    assert v.page.locator("[role=status]").count() == 1
    v.check("5-calendar-applied")
    cells = httpx.get(
        server.base + f"/v1/admin/products/{active[0]['id']}/calendar",
        params={"from": first.isoformat(), "to": last.isoformat()},
        headers=headers,
    ).json()["cells"]
    assert {c["units"] for c in cells} == {units}


def book_today(server, login: str = DESK_LOGIN) -> str:
    """A confirmed booking at the destination of demo operator ``login``, arriving today."""
    headers = token(server, login)
    product = next(
        p
        for p in httpx.get(server.base + "/v1/admin/products?limit=100", headers=headers).json()[
            "items"
        ]
        if p["is_active"]
    )
    nights = (product["duration_modules"] or [product["min_nights"] or 1])[0]
    return book(server, product["id"], today(), nights)["reference"]


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_check_a_guest_in(visit, server, lang):
    w = WORDS[lang]
    reference = book_today(server)
    v = visit(PHONE, lang, label=f"console-phone-{lang}")
    v.go("/console")
    log_in(v, lang, login=DESK_LOGIN)
    v.page.wait_for_url(server.base + "/console")
    v.page.locator("#arrivals + .table-wrap").get_by_role("link", name=reference).click()
    v.page.wait_for_url(server.base + f"/console/bookings/{reference}")
    v.check("6-booking")
    v.page.get_by_role("button", name=w["check_in"]).first.click()
    v.page.wait_for_url(lambda url: "done=checked_in" in url)
    assert v.page.locator("#stay-0").inner_text() == w["checked_in"]
    v.check("7-checked-in")
    api = httpx.get(
        server.base + f"/v1/admin/bookings/{reference}", headers=token(server, DESK_LOGIN)
    ).json()
    assert api["items"][0]["stay_status"] == "checked_in"
    v.go("/console/bookings")
    v.check("8-bookings")
    assert_records_read_at_phone_width(v, reference)


def refund_failed(server) -> str:
    """A booking at ``REFUND_LOGIN``'s destination, cancelled, whose refund through Stripe
    failed. The server takes no online payment (pay at the property), so what Stripe
    would have left is written into its database: the booking paid online, its payment
    and its refund, failed, for the whole total."""
    reference = book_today(server, REFUND_LOGIN)
    cancelled = httpx.post(
        server.base + f"/v1/admin/bookings/{reference}/cancel", headers=token(server, REFUND_LOGIN)
    )
    assert cancelled.status_code == 200, cancelled.text
    with sqlite3.connect(server.db) as conn:
        booking_id, total, at = conn.execute(
            "SELECT id, total_fen, updated_at FROM booking WHERE reference = ?", (reference,)
        ).fetchone()
        conn.execute(
            "UPDATE booking SET payment_mode = 'stripe', refund_requested_fen = ?,"
            " refund_status = 'failed' WHERE id = ?",
            (total, booking_id),
        )
        payment_id = conn.execute(
            "INSERT INTO payment (booking_id, provider, payment_intent_id, amount_fen, currency,"
            " payment_method_types, status, amount_received_fen, created_at, updated_at,"
            " succeeded_at) VALUES (?, 'stripe', ?, ?, 'CNY', ?, 'succeeded', ?, ?, ?, ?)",
            (booking_id, f"pi_browser_{booking_id}", total, '["card"]', total, at, at, at),
        ).lastrowid
        conn.execute(
            "INSERT INTO refund (booking_id, payment_id, amount_fen, reason, lines, status,"
            " idempotency_key, attempts, next_attempt_at, last_error, created_at, updated_at)"
            " VALUES (?, ?, ?, 'cancelled', '[]', 'failed', ?, 1, ?, 'refused', ?, ?)",
            (booking_id, payment_id, total, f"booking:{booking_id}:refund:1", at, at, at),
        )
    return reference


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_retry_a_failed_refund(visit, server, lang):
    w = WORDS[lang]
    reference = refund_failed(server)
    page = f"/console/bookings/{reference}"
    v = visit(PHONE, lang, label=f"console-phone-{lang}")
    v.go(page)
    log_in(v, lang, login=REFUND_LOGIN)
    v.page.wait_for_url(server.base + page)
    v.check("9-refund-failed")
    v.page.get_by_role("button", name=w["retry_refund"]).click()
    v.page.wait_for_url(lambda url: "done=refund_retried" in url)
    assert v.page.locator("[role=status]").count() == 1
    assert v.page.get_by_role("button", name=w["retry_refund"]).count() == 0
    v.check("10-refund-retried")
    api = httpx.get(
        server.base + f"/v1/admin/bookings/{reference}", headers=token(server, REFUND_LOGIN)
    ).json()
    assert (api["refund_status"], api["refund_requested_fen"]) == ("pending", api["total_fen"])


def assert_records_read_at_phone_width(v, reference: str) -> None:
    """At 360px each booking is a card (docs/operators.md, "On a phone"): its reference
    and its status each on one line, and nothing left to scroll sideways to (the table
    scrolled, and its total was cut off at the edge)."""
    row = v.page.locator("table.records tbody tr", has_text=reference).first
    for cell in (row.locator("th").first, row.locator("td").first):
        # the lines its text is laid out on: one rectangle per line of a text node
        lines = cell.evaluate(
            "c => { const w = document.createTreeWalker(c, NodeFilter.SHOW_TEXT);"
            " let n; while ((n = w.nextNode()) && !n.textContent.trim()) {}"
            " const r = document.createRange(); r.selectNodeContents(n);"
            " return [n.textContent.trim(), r.getClientRects().length]; }"
        )
        assert lines[0] and lines[1] == 1, lines
    region = v.page.get_by_role("region", name=v.page.locator("h1").inner_text())
    assert region.evaluate("r => r.scrollWidth <= r.clientWidth")
