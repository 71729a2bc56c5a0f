"""A report in full (``audience=province``) is the province's alone: an operator asking
for it is refused, 403 ``forbidden_role`` naming ``audience``, on every report that takes
the parameter, JSON or export, and on the console's export. Until December 2026 it was a
200 with the public report (``"audience": "public"``), which an operator's tool could
take for the province's figures. Asked nothing, each reads its own: the province in
full, an operator as the report leaves the province."""

import pytest

from tests.support.console import log_in
from tests.support.operators import world

M = "/v1/reports/measures?from=2026-01-01&to=2026-12-31&by=month"
T = "/v1/reports/targets?year=2026"


@pytest.mark.parametrize("url", [M, T])
@pytest.mark.parametrize("fmt", ["json", "csv", "xlsx"])
def test_an_operator_asking_for_the_full_report_is_refused(db, client, url, fmt):
    w = world(db)
    for caller in (w.a.admin, w.a.staff):
        r = client.get(f"{url}&format={fmt}&audience=province", headers=caller.headers)
        problem = r.json()
        assert (r.status_code, problem["code"], problem["field"]) == (
            403,
            "forbidden_role",
            "audience",
        )
        en = client.get(
            f"{url}&format={fmt}&audience=province",
            headers={**caller.headers, "Accept-Language": "en"},
        ).json()
        assert en["detail"].startswith("Only the province reads a report in full")
        # what it may read
        for asked in ("", "&audience=public"):
            assert client.get(f"{url}&format={fmt}{asked}", headers=caller.headers).is_success


def test_each_reads_its_own_audience_by_default(db, client):
    w = world(db)
    said = {
        (who, asked): client.get(f"{M}{asked}", headers=caller.headers).json()["audience"]
        for who, caller in (("province", w.province), ("operator", w.a.admin))
        for asked in ("", "&audience=public")
    }
    assert said == {
        ("province", ""): "province",
        ("province", "&audience=public"): "public",
        ("operator", ""): "public",
        ("operator", "&audience=public"): "public",
    }
    r = client.get(f"{M}&audience=province", headers=w.province.headers)
    assert r.json()["audience"] == "province"


def test_the_role_is_said_before_the_rest_of_the_request(db, client):
    w = world(db)
    r = client.get(
        "/v1/reports/measures?from=2026-12-31&to=2026-01-01&audience=province",
        headers=w.a.admin.headers,
    )
    assert (r.status_code, r.json()["field"]) == (403, "audience")


def test_the_consoles_export_refuses_it_too(db, client):
    w = world(db)
    assert log_in(client, w.a.admin.login).status_code == 303
    q = "from=2026-01-01&to=2026-12-31&by=month"
    r = client.get(f"/console/reports/export.csv?{q}&audience=province")
    assert r.status_code == 403 and "text/html" in r.headers["content-type"]
    assert client.get(f"/console/reports/export.csv?{q}").status_code == 200
