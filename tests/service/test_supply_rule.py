"""One rule of "units on sale" (``catalog.supply``) for the operator dashboard and the
province's reports: a retired product's nights and a stop-sold night are not capacity
offered, but their units sold count as sold (and so as on sale). Until December 2026 the
reports counted every unit of a retired product as on sale and the dashboard left its
sales out, so the two read different occupancies of the same nights. Both databases."""

import csv
import io
from datetime import time, timedelta

from catalog.models import Destination
from tests.factories import make_product
from tests.service.test_console import _occupancy_rows
from tests.service.test_operators_bookings import book
from tests.support.clock import FixedClock
from tests.support.console import log_in
from tests.support.operators import FIRST, world

NIGHTS = 60  # the dashboard's nights, and the world's inventory


def _a_retired_product_and_a_closed_night(db, client, w) -> None:
    """A's product (4 units): a unit sold on FIRST..FIRST+2, FIRST+1 then stop-sold; a
    second product of A (3 units): a unit sold on the same nights, then retired."""
    with db.write_session() as s:
        retired = make_product(
            s, s.get(Destination, w.a.destination_id), inventory=(FIRST, NIGHTS, 3)
        ).id
        s.commit()
    book(db, w.a.product_id, nights=3)
    book(db, retired, nights=3)
    h = w.a.admin.headers
    assert client.post(f"/v1/admin/products/{retired}/retire", headers=h).status_code == 200
    closed = (FIRST + timedelta(days=1)).isoformat()
    r = client.post(
        "/v1/admin/calendar/apply",
        json={"product_ids": [w.a.product_id], "from": closed, "to": closed,
              "set": {"stop_sell": True}},
        headers=h,
    )  # fmt: skip
    assert r.status_code == 200, r.text


def _report_of(w) -> str:
    """The report's measures of A over the dashboard's nights."""
    last = FIRST + timedelta(days=NIGHTS - 1)
    return f"/v1/reports/measures?from={FIRST}&to={last}&destination_id={w.a.destination_id}"


def test_the_dashboard_and_the_report_count_the_same_nights_on_sale_and_sold(db, client):
    w = world(db, units=4, nights=NIGHTS)
    _a_retired_product_and_a_closed_night(db, client, w)
    client.app.state.clock = FixedClock.on(FIRST, time(10))
    log_in(client, w.a.admin.login)
    rows = _occupancy_rows(client.get("/console").text)
    # the retired product's sold unit is on sale and sold; its 2 left are not on sale
    assert rows[:4] == [(2, 5, "40%"), (2, 2, "100%"), (2, 5, "40%"), (0, 4, "0%")]
    sold, on_sale = sum(r[0] for r in rows), sum(r[1] for r in rows)
    # A: 4 units × 59 open nights + 1 sold on the closed one; retired: its 3 sold
    assert (sold, on_sale) == (6, 4 * 59 + 1 + 3)

    q = _report_of(w)
    total = client.get(q, headers=w.province.headers).json()["total"]
    assert (total["unit_nights_sold"], total["unit_nights_on_sale"]) == (sold, on_sale)
    assert total["occupancy_bps"] == round(sold * 10000 / on_sale)
    # the exports carry the same figures
    body = client.get(q + "&format=csv", headers=w.province.headers).content.decode("utf-8-sig")
    table = list(csv.DictReader(io.StringIO(body)))
    assert (int(table[-1]["unit_nights_sold"]), int(table[-1]["unit_nights_on_sale"])) == (
        sold,
        on_sale,
    )


def test_a_product_put_back_on_sale_offers_all_its_units_again(db, client):
    w = world(db, units=4, nights=NIGHTS)
    _a_retired_product_and_a_closed_night(db, client, w)
    retired = client.get("/v1/admin/products", headers=w.a.admin.headers).json()["items"][-1]
    assert not retired["is_active"]
    r = client.post(f"/v1/admin/products/{retired['id']}/reinstate", headers=w.a.admin.headers)
    assert r.status_code == 200
    q = _report_of(w)
    total = client.get(q, headers=w.province.headers).json()["total"]
    assert total["unit_nights_on_sale"] == 4 * 59 + 1 + 3 * NIGHTS
