"""Ticket stubs issued by an operator's scenic area: a batch of codes, the CSV register."""

import csv
import io

from tests.factories import make_issuer
from tests.service.booking_support import item, quote_http
from tests.support.operators import FIRST, world


def issuers(db, w):
    out = {}
    with db.write_session() as s:
        from catalog.models import Destination

        for tag, place in (("a", w.a), ("b", w.b)):
            out[tag] = make_issuer(s, destination=s.get(Destination, place.destination_id)).id
        s.commit()
    return out


def test_issue_a_batch_export_it_and_quote_with_a_code(db, client):
    w = world(db)
    ids = issuers(db, w)
    h = w.a.admin.headers
    body = {"count": 25, "visit_date": FIRST.isoformat(), "persons": 2}
    r = client.post(f"/v1/admin/stub-issuers/{ids['a']}/batches", json=body, headers=h)
    assert r.status_code == 201, r.text
    codes = [s["code"] for s in r.json()["stubs"]]
    assert len(set(codes)) == 25 and all(c.startswith("STUB-") and len(c) == 15 for c in codes)
    exported = client.get(f"/v1/admin/stub-issuers/{ids['a']}/stubs.csv", headers=h)
    assert exported.status_code == 200 and exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert sorted(r["code"] for r in rows) == sorted(codes) and {r["used"] for r in rows} == {"no"}
    quote = quote_http(client, item(w.a.product_id, check_in=FIRST, nights=2), stubs=[codes[0]])
    assert quote["id"]
    foreign = client.post(f"/v1/admin/stub-issuers/{ids['b']}/batches", json=body, headers=h)
    assert foreign.status_code == 404 and foreign.json()["field"] == "issuer_id"
    staff = client.post(
        f"/v1/admin/stub-issuers/{ids['a']}/batches", json=body, headers=w.a.staff.headers
    )
    assert staff.status_code == 403
    too_many = client.post(
        f"/v1/admin/stub-issuers/{ids['a']}/batches", json={**body, "count": 5000}, headers=h
    )
    assert too_many.status_code == 422 and too_many.json()["field"] == "count"
