"""A quote's stays checked together: the units of its stays of one product count
together on the nights they share, on the quote page, the book page and
``catalog.check_stays``, by the booking's own rule (``catalog.inventory.short_nights``),
so what the pages say is what booking the quote does.

The brief's case throughout: a product with 2 units left a night, one stay of 2 units
on nights 10-15 and one of 1 unit on nights 12-20. Each is bookable alone; together
they need 3 on nights 12-14, so the later one is named, sold out on night 12.
"""

import random
import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from catalog import inventory
from catalog.models import InventoryNight, Product
from catalog.queries import catalogue_version
from service.catalog import availability as catalog
from service.clock import Clock
from tests.service.booking_support import FIRST_NIGHT, add_product, item, post_booking


def night(n: int) -> date:
    return FIRST_NIGHT + timedelta(days=n)


def stay(product_id: int, first: int, last: int, units: int) -> dict:
    """An item of ``units`` on nights ``first``..``last - 1`` (days from FIRST_NIGHT)."""
    return item(product_id, check_in=night(first), nights=last - first, units=units)


def checked(db, *items: dict) -> list[dict]:
    with db.session() as s:
        stays = [
            (
                i["product_id"],
                date.fromisoformat(i["check_in"]),
                date.fromisoformat(i["check_out"]),
                i["units"],
            )
            for i in items
        ]
        return [
            c.model_dump(mode="json")
            for c in catalog.check_stays(s.connection(), Clock().today(), stays)
        ]


def outcome(checks: list[dict]) -> tuple | None:
    """What the check says a booking of them all does: None (booked), or the first stay
    sold out and its night (the booking's 409 ``sold_out`` ``field`` and ``night``)."""
    for index, check in enumerate(checks):
        if not check["bookable"]:
            return f"items[{index}]", check["sold_out_night"]
    return None


def book(client, *items: dict) -> tuple | None:
    """Quote ``items`` and book the quote over the API: None (201), or the refusal's
    ``field`` and ``night``."""
    quote = client.post("/v1/quotes", json={"items": list(items), "legs": [], "stubs": []})
    assert quote.status_code == 201, quote.text
    r = post_booking(client, quote.json()["id"])
    if r.status_code == 201:
        return None
    assert (r.status_code, r.json()["code"]) == (409, "sold_out"), r.text
    return r.json()["field"], r.json()["night"]


def sell_out(db, product_id: int, n: int) -> None:
    """Night ``n`` of the product (2 units) taken by others: none left."""
    with db.write_session() as s:
        s.execute(
            sa.update(InventoryNight)
            .where(InventoryNight.product_id == product_id, InventoryNight.night == night(n))
            .values(taken_units=2)
        )
        s.commit()


@pytest.fixture
def two_left(db) -> int:
    """A product with 2 units a night for 30 nights from FIRST_NIGHT."""
    return add_product(db, units=2, nights=30)


# --- catalog.check_stays ---------------------------------------------------------------


def test_overlapping_stays_over_the_units_left_name_the_later_stay_and_its_first_night(
    db, two_left
):
    first, later = checked(db, stay(two_left, 10, 15, 2), stay(two_left, 12, 20, 1))
    assert (first["bookable"], first["reason"]) == (True, None)
    assert (later["bookable"], later["reason"]) == (False, "sold_out")
    assert later["sold_out_night"] == night(12).isoformat()
    assert first["min_units_left"] == later["min_units_left"] == 2  # the units left, still


def test_each_overlapping_stay_alone_is_bookable(db, two_left):
    assert checked(db, stay(two_left, 10, 15, 2))[0]["bookable"]
    assert checked(db, stay(two_left, 12, 20, 1))[0]["bookable"]


def test_in_the_other_order_the_other_stay_is_named(db, two_left):
    later_first = checked(db, stay(two_left, 12, 20, 1), stay(two_left, 10, 15, 2))
    assert [c["bookable"] for c in later_first] == [True, False]
    assert later_first[1]["sold_out_night"] == night(12).isoformat()


def test_every_stay_that_does_not_fit_beside_those_before_it_is_named(db, two_left):
    three = checked(db, *(stay(two_left, 5, 8, 1) for _ in range(3)))
    assert [c["bookable"] for c in three] == [True, True, False]
    assert three[2]["sold_out_night"] == night(5).isoformat()


def test_stays_one_after_another_of_one_product_are_not_counted_together(db, two_left):
    checks = checked(db, stay(two_left, 10, 15, 2), stay(two_left, 15, 20, 2))
    assert all(c["bookable"] for c in checks)


def test_overlapping_stays_of_different_products_are_not_counted_together(db, two_left):
    other = add_product(db, units=2, nights=30, beside=two_left)
    checks = checked(db, stay(two_left, 10, 15, 2), stay(other, 12, 20, 2))
    assert all(c["bookable"] for c in checks)


def test_a_stay_not_bookable_for_another_reason_still_takes_its_units(db, two_left):
    """The booking takes every stay's units before it checks the calendar's rules."""
    with db.write_session() as s:
        s.execute(
            sa.update(InventoryNight)
            .where(InventoryNight.product_id == two_left, InventoryNight.night == night(10))
            .values(closed_to_arrival=True)
        )
        s.commit()
    first, later = checked(db, stay(two_left, 10, 15, 2), stay(two_left, 12, 20, 1))
    assert (first["reason"], later["reason"]) == ("closed_to_arrival", "sold_out")


def test_a_stay_short_beside_the_stays_before_it_is_together_one_short_alone_is_not(
    db, client, two_left
):
    """``together`` (the quote pages' "too few for the stays there together") comes from
    the booking's own count (``inventory.short_nights``), never from the API's check."""
    first, later = checked(db, stay(two_left, 10, 15, 2), stay(two_left, 12, 20, 1))
    assert (first["together"], later["together"]) == (False, True)
    sell_out(db, two_left, 13)
    alone = checked(db, stay(two_left, 10, 15, 1), stay(two_left, 20, 22, 1))
    assert (alone[0]["reason"], alone[0]["together"]) == ("sold_out", False)
    r = client.get(
        f"/v1/products/{two_left}/availability/check",
        params={"check_in": night(10).isoformat(), "check_out": night(15).isoformat()},
    )
    assert r.json()["reason"] == "sold_out" and "together" not in r.json(), r.text


def test_check_stays_is_still_two_statements(db, two_left):
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        seen.append(statement.lstrip().split(None, 1)[0].upper())

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        checked(db, stay(two_left, 10, 15, 2), stay(two_left, 12, 20, 1), stay(two_left, 1, 3, 1))
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)
    assert [verb for verb in seen if verb != "BEGIN"] == ["SELECT", "SELECT"]


def test_check_stays_given_the_version_reads_the_terms_once_per_version(db, two_left):
    """Given the catalogue version (the quote page's probe read it), the products' terms
    of sale are kept under it: read once, then only the stays' days are; a product edit
    bumps the version, and the check under the new one sees it."""
    stays = [(two_left, night(10), night(15), 1)]
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        seen.append(statement.lstrip().split(None, 1)[0].upper())

    def check() -> dict:
        with db.session() as s:
            conn = s.connection()
            version = catalogue_version(conn)
            seen.clear()
            sa.event.listen(db.engine, "before_cursor_execute", count)
            try:
                [c] = catalog.check_stays(conn, Clock().today(), stays, version=version)
            finally:
                sa.event.remove(db.engine, "before_cursor_execute", count)
            return c.model_dump(mode="json")

    assert check()["bookable"] and seen == ["SELECT", "SELECT"]  # the terms, then the days
    assert check()["bookable"] and seen == ["SELECT"]  # the days only
    with db.write_session() as s:
        s.execute(sa.update(Product).where(Product.id == two_left).values(sold_until=night(12)))
        s.commit()
    edited = check()
    assert seen == ["SELECT", "SELECT"]
    assert (edited["bookable"], edited["reason"]) == (False, "not_on_sale")
    assert edited["not_on_sale_night"] == night(13).isoformat()


# --- the pages and the booking ----------------------------------------------------------

OVERLAPPING = {
    "zh-CN": "这一晚剩余的房间或床位不够本行程在那里的几段住宿同时入住",
    "en": "has too few rooms left on the night of",
}


def _quote_pages(client, lang: str, *items: dict) -> tuple[str, str, str]:
    quote = client.post("/v1/quotes", json={"items": list(items), "legs": [], "stubs": []})
    assert quote.status_code == 201, quote.text
    qid = quote.json()["id"]
    headers = {"Accept-Language": lang}
    page = client.get(f"/quotes/{qid}", headers=headers)
    book_page = client.get(f"/quotes/{qid}/book", headers=headers)
    assert page.status_code == book_page.status_code == 200
    return qid, page.text, book_page.text


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_the_quote_and_book_pages_say_overlapping_stays_cannot_be_booked_and_booking_agrees(
    db, client, two_left, lang
):
    qid, page, book_page = _quote_pages(
        client, lang, stay(two_left, 10, 15, 2), stay(two_left, 12, 20, 1)
    )
    for html in (page, book_page):
        assert 'id="not-bookable"' in html and OVERLAPPING[lang] in html
        assert f'href="/quotes/{qid}/book"' not in html and 'id="bookable"' not in html
    assert 'name="idempotency_key"' not in book_page  # no form that would be refused
    r = post_booking(client, qid)
    assert (r.status_code, r.json()["code"]) == (409, "sold_out")
    assert (r.json()["field"], r.json()["night"]) == ("items[1]", night(12).isoformat())


def test_a_stay_sold_out_by_itself_is_still_said_sold_out(db, client, two_left):
    """Not the words of stays together: no earlier stay of the product shares the night."""
    sell_out(db, two_left, 13)
    _, page, _ = _quote_pages(client, "en", stay(two_left, 10, 15, 1), stay(two_left, 20, 22, 1))
    assert 'id="not-bookable"' in page and "is sold out on the night of" in page
    assert OVERLAPPING["en"] not in page


@pytest.mark.parametrize(
    "items",
    [
        pytest.param(lambda p, q: [stay(p, 10, 15, 2), stay(p, 15, 20, 2)], id="one-after-another"),
        pytest.param(lambda p, q: [stay(p, 10, 15, 2), stay(q, 12, 20, 2)], id="two-products"),
    ],
)
def test_stays_that_fit_together_are_bookable_on_both_pages_and_book(db, client, two_left, items):
    other = add_product(db, units=2, nights=30, beside=two_left)
    qid, page, book_page = _quote_pages(client, "en", *items(two_left, other))
    assert 'id="bookable"' in page and f'href="/quotes/{qid}/book"' in page
    assert 'id="not-bookable"' not in book_page
    key = re.search(r'name="idempotency_key" value="([^"]+)"', book_page).group(1)
    form = {
        "csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', book_page).group(1),
        "idempotency_key": key,
        "lead_name": "王秀兰",
        "lead_phone": "13912345678",
        "consent": "yes",
    }
    r = client.post(f"/quotes/{qid}/book", data=form, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/manage"


@pytest.mark.parametrize(
    "spans",
    [
        [(10, 15, 2), (12, 20, 1)],
        [(12, 20, 1), (10, 15, 2)],
        [(5, 8, 1), (5, 8, 1), (5, 8, 1)],
        [(1, 4, 1), (3, 6, 1), (2, 5, 1)],
        [(10, 15, 2), (15, 20, 2)],
        [(0, 3, 2), (1, 2, 1)],
    ],
)
def test_what_the_check_says_is_what_booking_does(db, client, two_left, spans):
    items = [stay(two_left, *span) for span in spans]
    said = outcome(checked(db, *items))
    assert book(client, *items) == said


def test_one_stay_over_the_units_in_all_is_too_many_units_checked_as_quoted(db, client, two_left):
    """3 units of a product with 2 in all could never be booked: the quote refuses it
    (``too_many_units``, tests/service/test_quotes_validation.py), and the check says
    the same, naming the night and the units in all (not ``sold_out``: waiting or
    another booking's release cannot help)."""
    one = stay(two_left, 0, 3, 3)
    [check] = checked(db, one)
    said = ("bookable", "reason", "too_many_units_night", "limit", "sold_out_night", "together")
    assert [check[k] for k in said] == [
        False,
        "too_many_units",
        night(0).isoformat(),
        2,
        None,
        False,
    ]
    r = client.post("/v1/quotes", json={"items": [one], "legs": [], "stubs": []})
    assert (r.status_code, r.json()["code"], r.json()["field"]) == (
        422,
        "too_many_units",
        "items[0].units",
    )


# --- generated instances against a night-by-night count ------------------------------

NIGHTS = 8
TOTAL = 3


def _brute_force(left: dict, stays: list[tuple[int, int, int, int]]) -> list[int | None]:
    """Per stay (product, first night, end, units; nights as day numbers), its first
    night on which it and the stays before it of its product need more than is left,
    counted night by night from scratch."""
    found = []
    for i, (product, first, end, _) in enumerate(stays):
        short = None
        for n in range(first, end):
            need = sum(u for p, a, b, u in stays[: i + 1] if p == product and a <= n < b)
            if need > left[product, n]:
                short = n
                break
        found.append(short)
    return found


def test_check_stays_counts_what_a_night_by_night_count_does_and_booking_agrees(db):
    products = [add_product(db, units=TOTAL, nights=NIGHTS)]
    products.append(add_product(db, units=TOTAL, nights=NIGHTS, beside=products[0]))
    rng = random.Random(20261206)
    seen = set()  # the kinds of instance generated: each must come up
    for _ in range(60):
        left = {(p, n): rng.randint(0, TOTAL) for p in products for n in range(NIGHTS)}
        with db.write_connection() as conn:
            cells = InventoryNight.__table__.c
            conn.execute(
                sa.update(InventoryNight.__table__)
                .where(cells.product_id == sa.bindparam("p"), cells.night == sa.bindparam("n"))
                .values(taken_units=sa.bindparam("taken")),
                [{"p": p, "n": night(n), "taken": TOTAL - u} for (p, n), u in left.items()],
            )
            conn.commit()
        stays = []
        for _ in range(rng.randint(1, 4)):
            first = rng.randrange(NIGHTS)
            end = rng.randint(first + 1, NIGHTS)
            stays.append((rng.choice(products), first, end, rng.randint(1, TOTAL)))
        items = [stay(p, a, b, u) for p, a, b, u in stays]
        checks = checked(db, *items)
        expected = _brute_force(left, stays)
        assert [(c["bookable"], c["sold_out_night"]) for c in checks] == [
            (short is None, None if short is None else night(short).isoformat())
            for short in expected
        ], (left, stays)
        assert [c["min_units_left"] for c in checks] == [
            min(left[p, n] for n in range(a, b)) for p, a, b, _ in stays
        ]
        every_night_enough = all(
            sum(u for p, a, b, u in stays if p == product and a <= n < b) <= units
            for (product, n), units in left.items()
        )
        assert every_night_enough == all(c["bookable"] for c in checks)
        assert _taken(db, stays) == outcome(checks), (left, stays)
        for short, one in zip(expected, stays, strict=True):
            if short is None:
                seen.add("bookable")
            else:
                alone = _brute_force(left, [one])[0]
                seen.add("short together" if alone is None else "short alone")
    assert seen == {"bookable", "short alone", "short together"}


def _taken(db, stays) -> tuple | None:
    """Take the stays' units as a booking does (``inventory.take``), then roll back."""
    with db.write_session() as s:
        try:
            inventory.take(
                s,
                [inventory.StayNights(p, night(a), night(b), u) for p, a, b, u in stays],
                lock_timeout_ms=db.settings.lock_timeout_ms,
            )
        except inventory.SoldOut as exc:
            return f"items[{exc.index}]", exc.night.isoformat()
        finally:
            s.rollback()
    return None
