"""The catalogue pages are rendered once per catalogue version (``web.cached_page``), on
both databases. What these tests hold: a change to the catalogue, made with plain SQL as
an operator's console would make it, shows on the very next page load; what is per
visitor (the CSRF token and cookie, the language) or per day (dates relative to today)
is never served from one visitor or day to another; the product page's units left follow
every booking; pages without a form carry an ``ETag`` and answer a matching
``If-None-Match`` with 304, the product page (a form) does not."""

import re
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from itsdangerous import TimestampSigner

from catalog.models import Route, RouteStop
from service.app import create_app
from service.pages import formats, web
from tests.factories import make_destination, make_pack, make_product
from tests.service.test_quotes_cache import plain_sql
from tests.support.clock import FixedClock

EN = {"Accept-Language": "en"}


TODAY = date(2027, 3, 1)


@pytest.fixture
def shop(session):
    forest = make_destination(session, slug="forest", name_en="Forest", name_zh="森林")
    make_destination(
        session, slug="spring", name_en="Spring", name_zh="温泉", themes=("hot_spring",)
    )
    pack = make_pack(session, forest, code="tea", name_en="Tea pack")
    cabin = make_product(
        session,
        forest,
        slug="cabin",
        name_en="Cabin",
        name_zh="小屋",
        packs=(pack,),
        inventory=(TODAY, 90, 2),
    )
    route = Route(slug="loop", name_zh="森林环线", name_en="Forest loop")
    session.add(route)
    session.flush()
    session.add(RouteStop(route_id=route.id, seq=1, destination_id=forest.id, suggested_nights=7))
    session.commit()
    return {"forest": forest.id, "cabin": cabin.id, "route": route.id}


@pytest.fixture
def clock():
    return FixedClock.on(TODAY)


@pytest.fixture
def visit(db, shop, clock):
    app = create_app(db.settings, database=db)
    app.state.clock = clock

    def client() -> TestClient:
        return TestClient(app, raise_server_exceptions=False)

    with client() as c:
        c.other = client  # a second visitor of the same server
        yield c


def csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def signed_value(db, token: str) -> str:
    return TimestampSigner(db.settings.secret_key, salt="jl-pages-csrf-2").unsign(token).decode()


# --- an operator's change shows on the next load ----------------------------------------


def test_a_route_change_shows_on_the_next_home_page(visit, db, shop):
    assert "森林环线" in visit.get("/").text
    plain_sql(db, "UPDATE route SET name_zh = '新环线' WHERE id = :id", id=shop["route"])
    assert "新环线" in visit.get("/").text
    plain_sql(db, "DELETE FROM route_stop WHERE route_id = :id", id=shop["route"])
    plain_sql(db, "DELETE FROM route WHERE id = :id", id=shop["route"])
    assert "新环线" not in visit.get("/").text


def test_a_destination_or_theme_change_shows_on_the_next_list_and_page(visit, db, shop):
    link = 'href="/destinations/forest"'
    assert link in visit.get("/destinations", headers=EN).text
    assert link not in visit.get("/destinations?theme=hot_spring", headers=EN).text
    plain_sql(db, "UPDATE destination SET name_en = 'Old forest' WHERE id = :id", id=shop["forest"])
    assert "Old forest" in visit.get("/destinations", headers=EN).text
    assert "Old forest" in visit.get("/destinations/forest", headers=EN).text
    plain_sql(
        db,
        "INSERT INTO destination_theme (destination_id, theme) VALUES (:id, 'hot_spring')",
        id=shop["forest"],
    )
    assert link in visit.get("/destinations?theme=hot_spring", headers=EN).text


def test_a_product_change_shows_on_its_destination_and_product_pages(visit, db, shop):
    assert "小屋" in visit.get("/destinations/forest").text
    assert "Tea pack" in visit.get("/products/cabin", headers=EN).text
    plain_sql(db, "UPDATE product SET name_zh = '新小屋' WHERE id = :id", id=shop["cabin"])
    plain_sql(db, "DELETE FROM product_pack WHERE product_id = :id", id=shop["cabin"])
    assert "新小屋" in visit.get("/destinations/forest").text
    assert "新小屋" in visit.get("/products/cabin").text
    assert "Tea pack" not in visit.get("/products/cabin", headers=EN).text


def test_each_language_is_its_own_page(visit):
    zh, en = visit.get("/destinations"), visit.get("/destinations", headers=EN)
    assert zh.headers["content-language"] == "zh-CN" and 'lang="zh-CN"' in zh.text
    assert en.headers["content-language"] == "en" and 'lang="en"' in en.text
    visit.cookies.set("lang", "en")
    assert 'lang="en"' in visit.get("/destinations").text


# --- per visitor, per day ------------------------------------------------------------------


def test_each_visitor_gets_their_own_csrf_token_and_it_passes(visit, db, shop):
    first = visit.get("/products/cabin")
    with visit.other() as other:
        second = other.get("/products/cabin")
        assert first.headers["set-cookie"].startswith("jl_csrf=")
        assert second.headers["set-cookie"].startswith("jl_csrf=")
        mine, theirs = csrf(first.text), csrf(second.text)
        assert web.CSRF_PLACEHOLDER not in first.text + second.text
        assert signed_value(db, mine) == visit.cookies["jl_csrf"]
        assert signed_value(db, theirs) == other.cookies["jl_csrf"]
        assert visit.cookies["jl_csrf"] != other.cookies["jl_csrf"]
        # the same visitor again: the cached page, their own token, no new cookie
        again = visit.get("/products/cabin")
        assert signed_value(db, csrf(again.text)) == visit.cookies["jl_csrf"]
        assert "set-cookie" not in again.headers
        # the substituted token is a working one, and only for its own visitor
        form = {"check_in": (TODAY + timedelta(days=10)).isoformat(), "nights": "7"}
        form |= {"guests": "2", "units": "1"}
        ok = visit.post("/products/cabin/quote", data={**form, "csrf_token": mine})
        assert ok.status_code == 200 and "/quotes/" in str(ok.url)
        stolen = other.post("/products/cabin/quote", data={**form, "csrf_token": mine})
        assert stolen.status_code == 403


def test_a_form_filled_from_a_calendar_link_is_that_address_page_for_no_other_visitor(
    visit, db, shop
):
    """The filled form comes from the address alone (its check-in in the key, as any
    query): each visitor gets their own token in it, and the address without the date
    its own default."""
    day = (TODAY + timedelta(days=12)).isoformat()
    filled = visit.get(f"/products/cabin?nights=7&check_in={day}")
    assert f'name="check_in" value="{day}"' in filled.text
    with visit.other() as other:
        again = other.get(f"/products/cabin?nights=7&check_in={day}")
        assert f'name="check_in" value="{day}"' in again.text
        assert signed_value(db, csrf(again.text)) == other.cookies["jl_csrf"]
        assert signed_value(db, csrf(filled.text)) == visit.cookies["jl_csrf"]
        plain = other.get("/products/cabin?nights=7")
        assert f'name="check_in" value="{day}"' not in plain.text
        # the filled form quotes that day
        form = {"check_in": day, "nights": "7", "guests": "2", "units": "1"}
        ok = other.post("/products/cabin/quote", data={**form, "csrf_token": csrf(again.text)})
        assert ok.status_code == 200 and "/quotes/" in str(ok.url)


def test_dates_follow_the_local_day(visit):
    day = TODAY.isoformat()
    assert f'min="{(TODAY).isoformat()}"' in visit.get("/products/cabin").text
    assert (TODAY + timedelta(days=60)).isoformat() in visit.get("/").text
    assert (TODAY + timedelta(days=60)).isoformat() in visit.get("/plan").text
    tomorrow = TODAY + timedelta(days=1)
    visit.app.state.clock = FixedClock.on(tomorrow)
    assert f'min="{day}"' not in visit.get("/products/cabin").text
    assert f'min="{tomorrow.isoformat()}"' in visit.get("/products/cabin").text
    assert (tomorrow + timedelta(days=60)).isoformat() in visit.get("/").text
    assert (tomorrow + timedelta(days=60)).isoformat() in visit.get("/plan").text


def _calendar_cells(html: str) -> list[str]:
    rows = re.findall(r'<tr><td>.*?</td><td class="num">(.*?)</td></tr>', html)
    return [re.sub(r"<[^>]+>", "", r) for r in rows]


def _sell_out(db, shop, night: date) -> None:
    """Every unit of one night taken (as bookings take them; no new catalogue version)."""
    plain_sql(
        db,
        "UPDATE inventory_night SET taken_units = total_units WHERE product_id = :p AND night = :n",
        p=shop["cabin"],
        n=night,
    )


def test_the_price_calendar_follows_the_units_left(visit, db, shop):
    before = _calendar_cells(visit.get("/products/cabin", headers=EN).text)
    assert before and all(c.startswith("¥") for c in before)
    _sell_out(db, shop, TODAY + timedelta(days=3))
    after = _calendar_cells(visit.get("/products/cabin", headers=EN).text)
    assert after != before
    assert sum(not c.startswith("¥") for c in after) > 0
    plain_sql(
        db, "UPDATE inventory_night SET taken_units = 0 WHERE product_id = :p", p=shop["cabin"]
    )
    assert _calendar_cells(visit.get("/products/cabin", headers=EN).text) == before


def test_a_commit_elsewhere_keeps_the_product_page_without_a_thread_hop(
    visit, db, shop, monkeypatch
):
    """A booking of a night the page does not show (any commit) moves SQLite's
    ``data_version``: the kept product page is checked by its probe on the event loop
    (as on PostgreSQL on every view), not rebuilt in a thread; a change to its own
    nights still shows."""
    from service import runner

    hops = []
    real = runner.in_thread

    async def counted(fn, *args, **kwargs):
        hops.append(fn)
        return await real(fn, *args, **kwargs)

    monkeypatch.setattr(runner, "in_thread", counted)
    first = visit.get("/products/cabin", headers=EN).text
    assert hops, "the first view is rendered in the thread pool"
    hops.clear()
    plain_sql(  # a booking of a night the page does not show: committed, not its rows
        db,
        "UPDATE inventory_night SET taken_units = 1 WHERE product_id = :p AND night = :n",
        p=shop["cabin"],
        n=TODAY + timedelta(days=80),
    )
    again = visit.get("/products/cabin", headers=EN)
    assert again.status_code == 200 and hops == []
    assert _calendar_cells(again.text) == _calendar_cells(first)
    _sell_out(db, shop, TODAY + timedelta(days=3))
    after = visit.get("/products/cabin", headers=EN).text
    assert hops, "its own night changed: read again in the thread pool"
    assert _calendar_cells(after) != _calendar_cells(first)


def _periods(html: str) -> list[str]:
    """The price calendar's links to the four weeks before and after."""
    return re.findall(r'href="/products/cabin\?from=([0-9-]+)[^"]*#availability"', html)


def test_the_price_calendars_period_is_part_of_the_key(visit, db, shop):
    later = TODAY + timedelta(days=28)
    first = visit.get("/products/cabin", headers=EN).text
    moved = visit.get(f"/products/cabin?from={later}", headers=EN).text
    assert f"four weeks from {formats.long_date(TODAY, 'en')}" in first
    assert f"four weeks from {formats.long_date(later, 'en')}" in moved
    assert _periods(first) == [later.isoformat()]
    assert _periods(moved) == [TODAY.isoformat(), (later + timedelta(days=28)).isoformat()]
    # a night of the later period sold out: that page changes, as the first one does
    _sell_out(db, shop, later + timedelta(days=3))
    again = visit.get(f"/products/cabin?from={later}", headers=EN).text
    assert _calendar_cells(again) != _calendar_cells(moved)


def test_nights_published_later_give_the_last_period_a_link_onwards(visit, db, shop):
    last = TODAY + timedelta(days=89)  # the shop publishes 90 nights
    end = visit.get(f"/products/cabin?from={last}", headers=EN).text
    # The last period ends on the last check-in of the calendar's length (14 nights:
    # catalog.last_check_in), so it starts 27 days before that, its link back 28 more.
    last_check_in = last - timedelta(days=13)
    assert _periods(end) == [(last_check_in - timedelta(days=27 + 28)).isoformat()]
    plain_sql(  # more nights published: no new catalogue version
        db,
        "INSERT INTO inventory_night (product_id, night, total_units, taken_units) "
        "VALUES (:p, :n, 2, 0)",
        p=shop["cabin"],
        n=last + timedelta(days=60),  # beyond every night the calendar reads
    )
    onwards = visit.get(f"/products/cabin?from={last}", headers=EN).text
    assert _periods(onwards) == [
        (last - timedelta(days=28)).isoformat(),
        (last + timedelta(days=28)).isoformat(),
    ]


def test_an_unknown_product_or_destination_is_a_404_page_every_time(visit):
    for _ in range(2):
        assert visit.get("/products/nope").status_code == 404
        assert visit.get("/destinations/nope").status_code == 404


# --- ETag and 304 ------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/plan", "/destinations", "/destinations/forest"])
def test_pages_without_a_form_revalidate_with_an_etag(visit, db, shop, path):
    first = visit.get(path)
    tag = first.headers["etag"]
    assert first.headers["cache-control"] == "no-cache"
    assert first.headers["vary"].startswith("Cookie, Accept-Language")
    assert first.headers["content-security-policy"].startswith("default-src 'self'")
    again = visit.get(path, headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == tag
    assert visit.get(path, headers={**EN, "If-None-Match": tag}).status_code == 200
    plain_sql(db, "UPDATE destination SET name_zh = '新森林' WHERE id = :id", id=shop["forest"])
    changed = visit.get(path, headers={"If-None-Match": tag})
    assert changed.status_code == 200 and changed.headers["etag"] != tag


def test_the_product_page_has_a_form_so_no_etag_and_no_store(visit):
    r = visit.get("/products/cabin")
    assert "etag" not in r.headers
    assert r.headers["cache-control"] == "no-store"
    assert visit.get("/products/cabin", headers={"If-None-Match": "*"}).status_code == 200


def test_a_page_tagged_in_one_payment_mode_is_not_current_in_another(visit):
    """The footer says how bookings are paid: a tag sent by a browser before a restart
    with a Stripe key must not be answered 304 (the page now says "pay online")."""
    first = visit.get("/")
    tag = first.headers["etag"]
    visit.app.state.payment_mode = "stripe"  # as after a restart with a Stripe key
    again = visit.get("/", headers={"If-None-Match": tag})
    assert again.status_code == 200 and again.headers["etag"] != tag
    assert again.text != first.text
