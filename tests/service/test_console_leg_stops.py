"""The console's booking page lists the booking's transfers, each with where it boards
and alights ("A → B") when the booking says, in the words the traveller's pages use
(one macro, ``macros.leg_stops``), in zh-CN and English; a transfer that does not say
its stops shows its line and day only. The admin API's booking says the same transfers
as the traveller's booking answer (one schema function, ``bookings.schemas.leg_out``)."""

import re

import pytest

from catalog.models import Destination
from service.pages.formats import long_date
from tests.factories import make_destination, make_line
from tests.service.booking_support import item, post_booking
from tests.support.console import log_in
from tests.support.operators import FIRST, world
from tests.support.pages import page_text


def _booked_with_legs(db, client, w) -> tuple[str, str]:
    """A booking of A's product with two transfers: one from Bravo to A's destination,
    one on another line that does not say its stops; (its reference, its token)."""
    with db.write_session() as s:
        home = s.get(Destination, w.a.destination_id)
        bravo = make_destination(s, slug="stop-bravo", name_zh="乙地", name_en="Bravo")
        line = make_line(s, stops=(bravo, home), name_zh="乙甲专线", name_en="Bravo Line")
        other = make_line(s, stops=(home, bravo), name_zh="甲乙专线", name_en="Alpha Line")
        s.commit()
        line_id, other_id, bravo_id = line.id, other.id, bravo.id
    travel = FIRST.isoformat()
    body = {
        "items": [item(w.a.product_id, check_in=FIRST)],
        "legs": [
            {
                "line_id": line_id,
                "travel_date": travel,
                "riders": 2,
                "from_destination_id": bravo_id,
                "to_destination_id": w.a.destination_id,
            },
            {"line_id": other_id, "travel_date": travel, "riders": 1},
        ],
        "stubs": [],
    }
    quote = client.post("/v1/quotes", json=body)
    assert quote.status_code == 201, quote.text
    r = post_booking(client, quote.json()["id"])
    assert r.status_code == 201, r.text
    return r.json()["reference"], r.json()["token"]


def _said(html: str, element_id: str) -> str | None:
    found = re.search(rf'id="{element_id}">(.*?)</', html, re.S)
    return page_text(found.group(1)).strip() if found else None


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_the_console_says_where_each_transfer_boards_and_alights(db, client, lang):
    w = world(db)
    ref, token = _booked_with_legs(db, client, w)
    headers = {"Accept-Language": lang}
    answer = client.get(f"/v1/bookings/{ref}", headers={**headers, "X-Booking-Token": token})
    ridden, plain = answer.json()["legs"]
    expected = f"{ridden['from_destination']['name']} → {ridden['to_destination']['name']}"
    assert (
        expected
        == ("乙地 → " if lang == "zh-CN" else "Bravo → ")
        + (ridden["to_destination"]["name_zh" if lang == "zh-CN" else "name_en"])
    )
    log_in(client, w.a.staff.login)

    html = client.get(f"/console/bookings/{ref}", headers=headers).text

    assert _said(html, "leg-0-line") == ridden["line_name"]
    assert _said(html, "leg-0-stops") == expected
    assert _said(html, "leg-1-line") == plain["line_name"]
    assert _said(html, "leg-1-stops") is None  # no stops said: none shown
    day = long_date(FIRST, lang)
    assert day in _said(html, "leg-0-when") and day in _said(html, "leg-1-when")


def test_the_console_and_my_booking_say_a_transfer_alike(db, client):
    """The same words on both, from the one macro: the traveller's "My booking"."""
    w = world(db)
    ref, token = _booked_with_legs(db, client, w)
    page = client.get("/manage").text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    mine = client.post("/manage", data={"csrf_token": csrf, "reference": ref, "token": token})
    assert mine.status_code == 200
    log_in(client, w.a.staff.login)
    console = client.get(f"/console/bookings/{ref}").text
    assert _said(console, "leg-0-stops") == _said(mine.text, "leg-0-stops")


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_the_admin_api_booking_has_the_transfers_the_traveller_sees(db, client, lang):
    """``GET /v1/admin/bookings/{ref}`` (and every desk answer) lists the booking's legs
    exactly as the traveller's ``GET /v1/bookings/{ref}`` does, stops and all."""
    w = world(db)
    ref, token = _booked_with_legs(db, client, w)
    headers = {"Accept-Language": lang}
    mine = client.get(f"/v1/bookings/{ref}", headers={**headers, "X-Booking-Token": token})

    admin = client.get(f"/v1/admin/bookings/{ref}", headers={**headers, **w.a.staff.headers})

    assert admin.status_code == 200, admin.text
    legs = admin.json()["legs"]
    assert legs == mine.json()["legs"] and len(legs) == 2
    assert legs[0]["from_destination"]["name"] == ("乙地" if lang == "zh-CN" else "Bravo")
    assert legs[1]["from_destination"] is None  # no stops said: none given
