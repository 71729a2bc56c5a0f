"""The traveller reads which front desk takes what of a trip paid at the property
(``payment.at_property``, ``bookings.shares``): every destination's desk its stays'
shares, a transfer's fare with the stay it boards from, the amounts the desks' own
operators read as ``to_collect_fen``, together the total to the fen; in the API's answers
and on my booking (its first view and later ones), in both languages. One destination
keeps its one sentence."""

import re
from datetime import time, timedelta

import pytest
from sqlmodel import select

from catalog.models import Destination
from service.bookings.models import Booking
from service.pages.formats import yuan
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


def test_one_destination_has_one_desk_the_whole_total(db, client):
    w = world(db)
    with db.write_session() as s:
        line_id = make_line(s).id
        s.commit()
    legs = [{"line_id": line_id, "travel_date": FIRST.isoformat(), "riders": 1}]
    quote = quote_http(
        client,
        item(w.a.product_id, check_in=FIRST, nights=2),
        item(w.a.product_id, check_in=FIRST + timedelta(days=5), nights=2),
        legs=legs,
    )
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
