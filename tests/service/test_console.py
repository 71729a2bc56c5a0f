"""The console's entrance: logging in (the same checks as the API's tokens), the signed
session cookie, logging out (revokes), the dashboard of the operator's own destinations
and its occupancy chart."""

import re
from datetime import time, timedelta

from tests.service.test_operators_bookings import book
from tests.support.clock import FixedClock
from tests.support.console import log_in, post_form
from tests.support.operators import FIRST, rule_body, world


def test_a_page_without_a_session_sends_to_the_login_form(client):
    r = client.get("/console", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/console/login"
    r = client.get("/console/occupancy.svg?x=1", follow_redirects=False)
    assert r.headers["location"] == "/console/login?next=%2Fconsole%2Foccupancy.svg%3Fx%3D1"


def test_wrong_password_is_said_on_the_form_and_sets_no_session(db, client):
    w = world(db)
    r = log_in(client, w.a.admin.login, "not-the-password")
    assert r.status_code == 401
    assert "账号或密码错误" in r.text and 'role="alert"' in r.text
    assert "jl_console" not in r.headers.get("set-cookie", "")
    assert client.get("/console", follow_redirects=False).status_code == 303


def test_login_sets_a_signed_httponly_strict_cookie_and_goes_back(db, client):
    w = world(db)
    r = log_in(client, w.a.admin.login, next_path="/console/occupancy.svg")
    assert r.status_code == 303 and r.headers["location"] == "/console/occupancy.svg"
    cookie = r.headers["set-cookie"]
    assert cookie.startswith("jl_console=")
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/console" in cookie
    # a foreign "next" goes to the dashboard
    assert (
        log_in(client, w.a.admin.login, next_path="//evil.example/").headers["location"]
        == "/console"
    )
    page = client.get("/console")
    assert page.status_code == 200 and "admin-a" in page.text
    assert page.headers["content-security-policy"].startswith("default-src 'self'")


def test_a_tampered_cookie_is_no_session(db, client):
    w = world(db)
    log_in(client, w.a.admin.login)
    value = client.cookies["jl_console"]
    client.cookies.clear()
    client.cookies.set("jl_console", value[:-2] + "xx", path="/console")
    assert client.get("/console", follow_redirects=False).status_code == 303


def test_logout_revokes_the_session_token(db, client):
    w = world(db)
    log_in(client, w.a.admin.login)
    kept = client.cookies["jl_console"]
    r = post_form(client, "/console/logout", {}, form_page="/console")
    assert r.status_code == 303 and r.headers["location"] == "/console/login"
    # the old cookie, replayed, is refused: its token was revoked
    client.cookies.set("jl_console", kept, path="/console")
    assert client.get("/console", follow_redirects=False).status_code == 303


def test_dashboard_lists_todays_arrivals_and_departures_of_own_destinations(db, client):
    w = world(db)
    mine = book(db, w.a.product_id, nights=3)
    theirs = book(db, w.b.product_id, nights=3)
    client.app.state.clock = FixedClock.on(FIRST, time(10))
    log_in(client, w.a.staff.login)
    page = client.get("/console").text
    arriving = page.split('id="arrivals"')[1].split('id="departures"')[0]
    assert mine in arriving and theirs not in page
    client.app.state.clock = FixedClock.on(FIRST + timedelta(days=3), time(10))
    leaving = client.get("/console").text.split('id="departures"')[1]
    assert mine in leaving.split('id="occupancy"')[0]


def test_occupancy_chart_is_a_self_contained_svg(db, client):
    w = world(db, units=4)
    book(db, w.a.product_id, nights=3)
    client.app.state.clock = FixedClock.on(FIRST, time(10))
    log_in(client, w.a.admin.login)
    page = client.get("/console").text
    assert "25%" in page  # one unit of four taken on the first night
    r = client.get("/console/occupancy.svg")
    assert r.status_code == 200 and r.headers["content-type"].startswith("image/svg+xml")
    assert b"<script" not in r.content and b"xlink:href" not in r.content
    assert b"http://" not in r.content.split(b"-->", 3)[-1].replace(b"http://www.w3.org", b"")


def _occupancy_rows(page: str) -> list[tuple[int, int, str]]:
    """The dashboard's nightly figures: (sold, on sale, occupancy) per night, in order."""
    table = page.split('id="occupancy"')[1]
    cells = re.findall(r'<td class="num" data-label="[^"]*">([^<]*)</td>', table)
    return [(int(a), int(b), c) for a, b, c in zip(cells[::3], cells[1::3], cells[2::3])]


def test_a_stop_sold_night_is_not_on_sale_on_the_dashboard(db, client):
    """Its rooms sold before it was closed are its figures (1 of 1, 100%), not its
    units beside them (1 of 4, 25%, as if the other 3 were on sale): the newcomer's
    dashboard said 86 on sale on a night closed at every product."""
    w = world(db, units=4)
    book(db, w.a.product_id, nights=3)
    closed = FIRST + timedelta(days=1)
    r = client.post(
        "/v1/admin/calendar/apply",
        json={
            "product_ids": [w.a.product_id],
            "from": closed.isoformat(),
            "to": (closed + timedelta(days=2)).isoformat(),
            "set": {"stop_sell": True},
        },
        headers=w.a.admin.headers,
    )
    assert r.status_code == 200 and r.json()["changed"] == 3
    client.app.state.clock = FixedClock.on(FIRST, time(10))
    log_in(client, w.a.admin.login)
    rows = _occupancy_rows(client.get("/console").text)
    # open, closed with its sale, closed with its sale, closed and nothing sold, open
    assert rows[:5] == [(1, 4, "25%"), (1, 1, "100%"), (1, 1, "100%"), (0, 0, "0%"), (0, 4, "0%")]
    svg = client.get("/console/occupancy.svg").text
    bars = re.findall(r'<desc class="value">(\d+)</desc>', svg)
    assert bars[:5] == ["25", "100", "100", "0", "0"]  # the chart draws the same figures


def test_an_address_says_only_a_notice_the_console_has(db, client):
    """``?done=`` says what the form whose 303 led here did. A value no form gives was
    a 500 (a page text looked up by it: the product, rule and booking pages) or, on the
    calendar, put in the notice as typed ("✓ <anything> cells changed"), so a link could
    show an operator words of someone else's under the console's tick."""
    w = world(db)
    log_in(client, w.a.admin.login)
    reference = book(db, w.a.product_id)
    rule = client.post(
        "/v1/admin/rules", json=rule_body(w), headers={"Authorization": f"Bearer {w.a.admin.token}"}
    ).json()
    pages = [
        f"/console/products/{w.a.product_id}",
        f"/console/rules/{rule['id']}",
        f"/console/bookings/{reference}",
        "/console/calendar",
    ]
    for page in pages:
        for done in ("zzz", "Your session has expired, call 400-000-0000", "__class__"):
            r = client.get(page, params={"done": done})
            assert r.status_code == 200, (page, done, r.text[:300])
            assert 'class="notice"' not in r.text, (page, done)

    assert "3 个日期格" in client.get("/console/calendar?done=3").text
    said = client.get(f"/console/bookings/{reference}?done=cancelled")
    assert "预订已取消。" in said.text
