"""The calendar's restrictions are obeyed by quotes, the availability check and bookings,
through the one sellability check (``catalog.sellability``), on the next request."""

import re
from datetime import timedelta

import pytest

from service.auth import ANONYMOUS
from tests.service.booking_support import (
    book_in_service,
    item,
    make_quote,
    post_booking,
    taken,
)
from tests.support.operators import FIRST, world

DAY = timedelta(days=1)


def restrict(client, w, night, days=1, **fields):
    body = {
        "product_ids": [w.a.product_id],
        "from": night.isoformat(),
        "to": (night + (days - 1) * DAY).isoformat(),
        "set": fields,
    }
    r = client.post("/v1/admin/calendar/apply", json=body, headers=w.a.admin.headers)
    assert r.status_code == 200, r.text


def quote(client, w, check_in, nights):
    body = {
        "items": [item(w.a.product_id, check_in=check_in, nights=nights)],
        "legs": [],
        "stubs": [],
    }
    return client.post("/v1/quotes", json=body, headers={"Accept-Language": "en"})


def check(client, w, check_in, nights):
    r = client.get(
        f"/v1/products/{w.a.product_id}/availability/check",
        params={
            "check_in": check_in.isoformat(),
            "check_out": (check_in + nights * DAY).isoformat(),
            "units": 1,
        },
    )
    assert r.status_code == 200, r.text
    return r.json()


CASES = [
    # (fields set on the night at offset, offset from check-in, nights of the stay, ok?)
    ({"stop_sell": True}, 1, 3, False),
    ({"stop_sell": True}, 3, 3, True),  # the check-out day is not a night of the stay
    ({"closed_to_arrival": True}, 0, 3, False),
    ({"closed_to_arrival": True}, 1, 3, True),
    ({"closed_to_departure": True}, 3, 3, False),
    ({"closed_to_departure": True}, 2, 3, True),
    ({"min_stay_arrival": 5}, 0, 3, False),
    ({"min_stay_arrival": 5}, 0, 5, True),
    ({"min_stay_arrival": 5}, 1, 3, True),  # counted from arrival only
    ({"min_stay_through": 4}, 1, 3, False),  # any night of the stay
    ({"min_stay_through": 4}, 1, 4, True),
    ({"max_stay": 2}, 0, 3, False),
    ({"max_stay": 2}, 0, 2, True),
]


@pytest.mark.parametrize(("fields", "offset", "nights", "ok"), CASES)
def test_quotes_and_the_availability_check_obey_each_restriction(
    db, client, fields, offset, nights, ok
):
    w = world(db)
    check_in = FIRST + 3 * DAY
    assert quote(client, w, check_in, nights).status_code == 201
    restrict(client, w, check_in + offset * DAY, **fields)
    r = quote(client, w, check_in, nights)
    assert (r.status_code == 201) is ok, r.text
    if not ok:
        assert r.json()["code"] == "not_on_sale" and r.json()["field"].startswith("items[0]")
    assert check(client, w, check_in, nights)["bookable"] is ok


def test_a_booking_of_a_quote_made_before_a_stop_sell_is_refused(db, client):
    w = world(db)
    quote_id = make_quote(db, ANONYMOUS, item(w.a.product_id, check_in=FIRST, nights=3))
    restrict(client, w, FIRST + DAY, stop_sell=True)
    assert book_in_service(db, ANONYMOUS, quote_id) == "not_on_sale"
    assert set(taken(db, w.a.product_id).values()) == {0}
    restrict(client, w, FIRST + DAY, stop_sell=False)
    assert book_in_service(db, ANONYMOUS, quote_id).startswith("JL-")


def _book_page(client, quote_id, page=None):
    """The traveller pages' booking form for the quote (``page``: as opened earlier),
    posted."""
    page = page or client.get(f"/quotes/{quote_id}/book")
    assert page.status_code == 200, page.text[:300]
    fields = dict(re.findall(r'name="(csrf_token|idempotency_key)" value="([^"]+)"', page.text))
    data = {**fields, "lead_name": "王秀兰", "lead_phone": "13912345678", "consent": "yes"}
    return client.post(f"/quotes/{quote_id}/book", data=data, follow_redirects=False)


def test_a_booking_of_a_quote_made_before_its_product_was_retired_is_refused(db, client):
    w = world(db)
    quote_id = make_quote(db, ANONYMOUS, item(w.a.product_id, check_in=FIRST, nights=3))
    url = f"/v1/admin/products/{w.a.product_id}"
    opened = client.get(f"/quotes/{quote_id}/book")  # a traveller opens the form, then
    assert client.post(f"{url}/retire", headers=w.a.admin.headers).status_code == 200
    r = post_booking(client, quote_id)
    assert r.status_code == 409, r.text
    assert (r.json()["code"], r.json()["field"]) == ("not_on_sale", "items[0]")
    page = _book_page(client, quote_id, opened)  # the pages' booking path: the same service
    # said as the product gone (reason product_retired), not as a night not on sale
    assert page.status_code == 409 and "这个住宿已不再提供" in page.text
    assert "这一晚未在售" not in page.text
    now = client.get(f"/quotes/{quote_id}/book").text  # opened now: no form, the reason
    assert 'id="not-bookable"' in now and 'name="lead_name"' not in now
    assert set(taken(db, w.a.product_id).values()) == {0}
    assert client.post(f"{url}/reinstate", headers=w.a.admin.headers).status_code == 200
    assert post_booking(client, quote_id).status_code == 201
