"""The traveller reads which front desk takes what of a trip paid at the property
(``payment.at_property``, ``bookings.shares``): every destination's desk its stays'
shares, a transfer's fare with the stay it boards from, the amounts the desks' own
operators read as ``to_collect_fen``, together the total to the fen; in the API's answers
and on my booking (its first view and later ones), in both languages. One destination
keeps its one sentence. Before booking, the book page says the same desks and amounts
(``bookings.quote_desks``)."""

import re
from datetime import time, timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import select

from catalog.models import Destination
from service.auth import ANONYMOUS
from service.bookings.models import Booking
from service.bookings.quote_desks import quote_desks
from service.pages.formats import yuan
from service.quotes import service as quotes
from tests.factories import make_line
from tests.service.booking_support import item, post_booking, quote_http
from tests.service.test_pages_trip import _book
from tests.support.clock import FixedClock
from tests.support.operators import FIRST, move_leg, world
from tests.support.pages import page_text

PLACES = (("长白山北坡", "Changbai North Slope"), ("延吉", "Yanji"))


def _trip(db, client, *, riders=2):
    """A's stay (5 nights), then B's (4 nights), the bus between them on the day they
    move, boarding at A; the quote (anonymous, as the pages make it) and the world."""
    w = world(db)
    with db.write_session() as s:
        for place, (zh, en) in zip((w.a, w.b), PLACES, strict=True):
            d = s.get(Destination, place.destination_id)
            d.name_zh, d.name_en = zh, en
            s.add(d)
        s.commit()
    move, leg = move_leg(db, w, riders=riders)
    quote = quote_http(
        client,
        item(w.a.product_id, check_in=FIRST, nights=5),
        item(w.b.product_id, check_in=move, nights=4),
        legs=[leg],
    )
    return w, quote


def _expected(w, booking: dict) -> list[dict]:
    """Each desk as the rule says it, from the booking's own lines."""
    (a, b), (leg,) = booking["items"], booking["legs"]
    return [
        {
            "destination_id": w.a.destination_id,
            "item_indexes": [0],
            "leg_indexes": [0],
            "amount_fen": a["net_fen"] + leg["net_fen"],
            "fares_fen": leg["net_fen"],
        },
        {
            "destination_id": w.b.destination_id,
            "item_indexes": [1],
            "leg_indexes": [],
            "amount_fen": b["net_fen"],
            "fares_fen": 0,
        },
    ]


def _shape(desks: list[dict]) -> list[dict]:
    keys = ("destination_id", "item_indexes", "leg_indexes", "amount_fen", "fares_fen")
    return [{k: d[k] for k in keys} for d in desks]


def test_the_api_says_which_desk_takes_what_adding_up_to_the_total(db, client):
    w, quote = _trip(db, client)
    created = post_booking(client, quote["id"])
    assert created.status_code == 201, created.text
    booked = created.json()
    assert booked["payment"]["mode"] == "pay_at_property"
    desks = booked["payment"]["at_property"]
    assert _shape(desks) == _expected(w, booked)
    assert sum(d["amount_fen"] for d in desks) == booked["total_fen"]
    assert [d["destination_name"] for d in desks] == ["长白山北坡", "延吉"]
    headers = {"X-Booking-Token": booked["token"]}
    read = client.get(f"/v1/bookings/{booked['reference']}", headers=headers).json()
    assert read["payment"]["at_property"] == desks
    en = client.get(
        f"/v1/bookings/{booked['reference']}", headers={**headers, "Accept-Language": "en"}
    ).json()["payment"]["at_property"]
    assert [d["destination_name"] for d in en] == ["Changbai North Slope", "Yanji"]
    assert [(d["destination_name_zh"], d["destination_name_en"]) for d in en] == list(PLACES)
    # the same amounts each desk's operator is told to collect
    for place, desk in zip((w.a, w.b), desks, strict=True):
        detail = client.get(
            f"/v1/admin/bookings/{booked['reference']}", headers=place.admin.headers
        )
        assert detail.json()["to_collect_fen"] == desk["amount_fen"]


def _one_destination_trip(db, client) -> dict:
    """Two stays at A's destination with a ride on its first day between: the quote."""
    w = world(db)
    with db.write_session() as s:
        line_id = make_line(s).id
        s.commit()
    legs = [{"line_id": line_id, "travel_date": FIRST.isoformat(), "riders": 1}]
    return quote_http(
        client,
        item(w.a.product_id, check_in=FIRST, nights=2),
        item(w.a.product_id, check_in=FIRST + timedelta(days=5), nights=2),
        legs=legs,
    )


def test_one_destination_has_one_desk_the_whole_total(db, client):
    quote = _one_destination_trip(db, client)
    booked = post_booking(client, quote["id"]).json()
    (desk,) = booked["payment"]["at_property"]
    leg = booked["legs"][0]["net_fen"]
    assert desk["amount_fen"] == booked["total_fen"] and desk["fares_fen"] == leg
    assert desk["item_indexes"] == [0, 1] and desk["leg_indexes"] == [0]


def test_no_desk_once_cancelled_nor_when_paid_another_way(db, client):
    w, quote = _trip(db, client)
    booked = post_booking(client, quote["id"]).json()
    ref, headers = booked["reference"], {"X-Booking-Token": booked["token"]}
    with db.write_session() as s:
        row = s.exec(select(Booking).where(Booking.reference == ref)).one()
        row.payment_mode = "merchant_collects"
        s.add(row)
        s.commit()
    assert (
        client.get(f"/v1/bookings/{ref}", headers=headers).json()["payment"]["at_property"] is None
    )
    with db.write_session() as s:
        row = s.exec(select(Booking).where(Booking.reference == ref)).one()
        row.payment_mode = "pay_at_property"
        s.add(row)
        s.commit()
    cancelled = client.post(
        f"/v1/bookings/{ref}/cancel", json={}, headers={**headers, "Idempotency-Key": "c-1"}
    )
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["payment"]["at_property"] is None
    assert (
        client.get(f"/v1/bookings/{ref}", headers=headers).json()["payment"]["at_property"] is None
    )


def _first_stay_no_show(client, ref: str, headers: dict) -> None:
    """The desk records the booking's first stay (checking in on FIRST) as a no-show."""
    client.app.state.clock = FixedClock.on(FIRST, time(22))
    marked = client.post(
        f"/v1/admin/bookings/{ref}/stay-status",
        json={"item_index": 0, "status": "no_show"},
        headers=headers,
    )
    assert marked.status_code == 200, marked.text


def test_a_no_show_stays_share_is_not_collected_nor_its_fare(db, client):
    """As its desk is told (``to_collect_fen``): a stay recorded as a no-show is not
    collected, nor the fare paid with it; the other desk's part is unchanged."""
    w, quote = _trip(db, client)
    booked = post_booking(client, quote["id"]).json()
    ref, headers = booked["reference"], {"X-Booking-Token": booked["token"]}
    _first_stay_no_show(client, ref, w.a.admin.headers)
    a, b = client.get(f"/v1/bookings/{ref}", headers=headers).json()["payment"]["at_property"]
    assert (a["amount_fen"], a["fares_fen"], a["leg_indexes"]) == (0, 0, [])
    assert b == booked["payment"]["at_property"][1]
    detail = client.get(f"/v1/admin/bookings/{ref}", headers=w.b.admin.headers).json()
    assert detail["to_collect_fen"] == b["amount_fen"]


def test_nothing_to_pay_at_the_property_once_every_stay_is_a_no_show(db, client):
    """Every stay recorded as a no-show (the bus paid with it too): no desk collects
    anything, so ``at_property`` is null, as documented, not a desk of ¥0."""
    w = world(db)
    with db.write_session() as s:
        line_id = make_line(s).id
        s.commit()
    legs = [{"line_id": line_id, "travel_date": FIRST.isoformat(), "riders": 1}]
    quote = quote_http(client, item(w.a.product_id, check_in=FIRST, nights=2), legs=legs)
    booked = post_booking(client, quote["id"]).json()
    ref, headers = booked["reference"], {"X-Booking-Token": booked["token"]}
    assert booked["payment"]["at_property"][0]["amount_fen"] == booked["total_fen"]
    _first_stay_no_show(client, ref, w.a.admin.headers)
    read = client.get(f"/v1/bookings/{ref}", headers=headers).json()
    assert (read["status"], read["payment"]["at_property"]) == ("confirmed", None)


def _payment(html: str) -> str:
    return page_text(re.search(r'<dd id="payment">(.*?)</dd>', html, re.S).group(1)).strip()


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_my_booking_says_each_desks_part_first_view_and_after(db, client, lang):
    w, quote = _trip(db, client)
    client.headers["Accept-Language"] = lang
    assert _book(client, f"/quotes/{quote['id']}")[0].status_code == 303
    first = client.get("/manage").text  # "you are booked"
    reference = re.search(r'id="booking-reference"><strong>([^<]+)', first).group(1)
    token = re.search(r'id="booking-token"><strong>([^<]+)', first).group(1)
    booked = client.get(f"/v1/bookings/{reference}", headers={"X-Booking-Token": token}).json()
    (a, b) = _expected(w, booked)
    assert a["amount_fen"] + b["amount_fen"] == booked["total_fen"]
    if lang == "zh-CN":
        said = (
            "到店付款：行程中每个目的地的前台，在您入住时收取属于它的那一部分，现在不在线收款。 "
            f"长白山北坡前台：{yuan(a['amount_fen'])}（含交通车费 {yuan(a['fares_fen'])}） "
            f"延吉前台：{yuan(b['amount_fen'])} "
            f"合计 {yuan(booked['total_fen'])}。"
        )
    else:
        said = (
            "Pay at the property: each destination's front desk takes its own part when you "
            "check in; nothing is paid online. "
            f"Front desk at Changbai North Slope: {yuan(a['amount_fen'])} "
            f"(including {yuan(a['fares_fen'])} for transport) "
            f"Front desk at Yanji: {yuan(b['amount_fen'])} "
            f"Together: {yuan(booked['total_fen'])}."
        )
    for html in (first, client.get("/manage").text, client.get("/manage").text):
        assert _payment(html) == said
    assert 'id="pay-desks"' in first


def test_my_booking_at_one_destination_keeps_its_one_sentence(db, client):
    w = world(db)
    quote = quote_http(client, item(w.a.product_id, check_in=FIRST, nights=2))
    assert _book(client, f"/quotes/{quote['id']}")[0].status_code == 303
    html = client.get("/manage").text
    assert _payment(html) == "到店付款：入住时向住宿方付款，现在不在线收款。"
    assert 'id="pay-desks"' not in html


def _desk_lines(html: str) -> list[str]:
    """The lines of the page's list of desks (``#pay-desks``), in its words."""
    found = re.search(r'<ul id="pay-desks">(.*?)</ul>', html, re.S)
    return [page_text(li).strip() for li in re.findall(r"<li>(.*?)</li>", found.group(1), re.S)]


def _how_to_pay(html: str) -> str:
    found = re.search(r'<(p|div) class="notice" id="how-to-pay">(.*?)</\1>', html, re.S)
    return " ".join(page_text(found.group(2)).split())


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_the_book_page_says_each_desks_part_as_my_booking_does_once_booked(db, client, lang):
    """Before booking, each destination's desk and its part, by the booking's own rule
    (the bus's fare with the stay it boards from), adding up to the quote's total; once
    booked, the booking's ``payment.at_property`` and my booking say the same."""
    w, quote = _trip(db, client)
    client.headers["Accept-Language"] = lang
    url = f"/quotes/{quote['id']}"
    page = client.get(url + "/book")
    assert page.status_code == 200
    (a, b), (leg,) = quote["items"], quote["legs"]
    desk_a, desk_b = a["net_fen"] + leg["net_fen"], b["net_fen"]
    assert desk_a + desk_b == quote["total_fen"]
    if lang == "zh-CN":
        lines = [
            f"长白山北坡前台：{yuan(desk_a)}（含交通车费 {yuan(leg['net_fen'])}）",
            f"延吉前台：{yuan(desk_b)}",
        ]
        said = (
            "演示站点：现在不收取任何费用。入住时到店付款，共 2 个前台："
            "每个目的地的前台在您入住时收取属于它的那一部分。 "
            f"{lines[0]} {lines[1]} 合计 {yuan(quote['total_fen'])}。"
        )
    else:
        lines = [
            f"Front desk at Changbai North Slope: {yuan(desk_a)} "
            f"(including {yuan(leg['net_fen'])} for transport)",
            f"Front desk at Yanji: {yuan(desk_b)}",
        ]
        said = (
            "Demo site: nothing is charged now. You pay at the property, at 2 front desks: "
            "each destination's desk takes its own part when you check in. "
            f"{lines[0]} {lines[1]} Together: {yuan(quote['total_fen'])}."
        )
    assert _desk_lines(page.text) == lines
    assert _how_to_pay(page.text) == said

    assert _book(client, url, page=page.text)[0].status_code == 303
    first = client.get("/manage").text
    reference = re.search(r'id="booking-reference"><strong>([^<]+)', first).group(1)
    token = re.search(r'id="booking-token"><strong>([^<]+)', first).group(1)
    booked = client.get(f"/v1/bookings/{reference}", headers={"X-Booking-Token": token}).json()
    desks = booked["payment"]["at_property"]
    assert [(d["destination_id"], d["amount_fen"], d["fares_fen"]) for d in desks] == [
        (w.a.destination_id, desk_a, leg["net_fen"]),
        (w.b.destination_id, desk_b, 0),
    ]
    assert booked["total_fen"] == quote["total_fen"]
    assert _desk_lines(first) == lines  # my booking: the same desks, the same amounts


def test_the_book_page_at_one_destination_keeps_its_one_sentence(db, client):
    """Two stays of one destination with a transfer: one desk takes it all, so the note."""
    quote = _one_destination_trip(db, client)
    html = client.get(f"/quotes/{quote['id']}/book").text
    assert _how_to_pay(html) == "演示站点：入住时向住宿方付款，现在不收取任何费用。"
    assert 'id="pay-desks"' not in html


def test_the_book_page_in_stripe_mode_keeps_its_own_note_across_destinations(db, client):
    _, quote = _trip(db, client)
    client.app.state.payment_mode = "stripe"  # as after a restart with a Stripe key
    html = client.get(f"/quotes/{quote['id']}/book", headers={"Accept-Language": "en"}).text
    assert _how_to_pay(html).startswith("Online payment: booking holds your rooms for")
    assert 'id="pay-desks"' not in html


def test_a_quotes_desks_read_its_products_places_in_one_statement(db, client):
    """``bookings.quote_desks``: the quote's products' destinations in one SELECT (not
    one per stay), the desks in the order of their first stay, summing to the total."""
    w, quote = _trip(db, client)
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        seen.append(statement.lstrip().split(None, 1)[0].upper())

    with db.session() as s:
        stored = quotes.get_quote(s.connection(), quote["id"], caller=ANONYMOUS)
        sa.event.listen(db.engine, "before_cursor_execute", count)
        try:
            desks = quote_desks(s, stored, "en")
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", count)
    assert [verb for verb in seen if verb != "BEGIN"] == ["SELECT"]
    assert [d.destination_name for d in desks] == ["Changbai North Slope", "Yanji"]
    assert [d.destination_id for d in desks] == [w.a.destination_id, w.b.destination_id]
    assert sum(d.amount_fen for d in desks) == quote["total_fen"]
