"""The console's booking page lists the party as the desk checks it in: the lead
traveller first where the booking's list of guests leaves the lead out (no list, or a
shorter one), marked as the lead; never an empty table of guests."""

import re

from service.auth import ANONYMOUS
from tests.service.booking_support import ID_NUMBER, LEAD, item, make_quote, post_booking
from tests.service.booking_support import booking_body as body_of
from tests.support.console import log_in
from tests.support.operators import FIRST, world


def _book(db, client, w, guests) -> str:
    quote = make_quote(db, ANONYMOUS, item(w.a.product_id, check_in=FIRST, guests=2))
    r = post_booking(client, quote, body=body_of(quote, guests=guests))
    assert r.status_code == 201, r.text
    return r.json()["reference"]


def _guest_rows(html: str) -> list[str]:
    table = html.split('aria-label="Guests"')[1]
    body = table.split("</tbody>")[0]
    return [
        re.sub(r"<[^>]+>", "|", row).strip("|").replace("||", "|")
        for row in re.findall(r"<tr>(.*?)</tr>", body.split("<tbody>")[1], re.S)
    ]


def test_the_lead_is_listed_where_the_guests_leave_the_lead_out(db, client):
    w = world(db)
    no_list = _book(db, client, w, [])
    without_lead = _book(db, client, w, [{"name": "李建国"}])
    with_lead = _book(db, client, w, [{"name": "王 秀兰", "id_number": ID_NUMBER}])
    log_in(client, w.a.staff.login)
    en = {"Accept-Language": "en"}
    rows = {
        ref: _guest_rows(client.get(f"/console/bookings/{ref}", headers=en).text)
        for ref in (no_list, without_lead, with_lead)
    }
    assert rows[no_list] == [f"{LEAD['name']} (lead traveller)|—"]
    assert rows[without_lead] == [f"{LEAD['name']} (lead traveller)|—", "李建国|—"]
    # the lead listed (its name as typed, spaces and all): listed once, with its ID number
    assert rows[with_lead] == [f"王 秀兰|{ID_NUMBER}"]
    zh = client.get(f"/console/bookings/{no_list}", headers={"Accept-Language": "zh-CN"}).text
    assert f"{LEAD['name']} （联系人）" in zh
    # the province reads the lead masked there too, as everywhere
    log_in(client, w.province.login)
    province = _guest_rows(client.get(f"/console/bookings/{without_lead}", headers=en).text)
    assert province == ["王** (lead traveller)|—", "李**|—"]
