"""Every request example of the OpenAPI document works as sent on a fresh demo.

What ``./dev serve`` gives a reader (the demo catalogue and its operator logins, loaded
today) takes each example of the quotes and plans, the admin API and the reports, in the
document's order, and answers the status the operation documents for success. An
example a reader copies must not be refused: a 409 ``season_overlap`` or 422
``above_filed_price`` on the documented body reads as a broken service.
"""

import uuid
from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from catalog.demo.loader import load_demo
from service.app import create_app
from service.openapi import resolve
from service.operators.demo import DEMO_PASSWORD, PROVINCE_LOGIN, load_demo_operators
from tests.support.clock import FixedClock

# The operations whose examples are sent: the partner API's quotes and plans, and every
# operator's (admin and reports).
SENT = ("/v1/quotes", "/v1/plans", "/v1/admin/", "/v1/reports/")
# Who sends them: the destination's admin (destination 1, changbaishan-north), but the
# province for what only it may do, and the staff for the password change (which would
# otherwise change the password the other requests log in with).
OPERATOR = "demo-changbaishan-north"
SENDER = {
    "/v1/admin/accounts": PROVINCE_LOGIN,
    "/v1/reports/closures": PROVINCE_LOGIN,
    "/v1/admin/me/password": "demo-staff-changbaishan-north",
}
# Path parameters as the demo numbers them: destination 1 and its first product, season,
# pack and stub issuer. A rule is the one the example of POST /v1/admin/rules created; a
# booking reference one booked for the example (it checks in today).
PATH_VALUES = {"destination_id": 1, "product_id": 1, "season_id": 1, "pack_id": 1, "issuer_id": 1}
BOOKED_PRODUCT = 3  # destination 1's hot-spring room: 2 nights or more
# The day the examples are written for: the demo is loaded and the requests sent on it.
# The examples name fixed dates of the 2027 season (check-ins in July 2027, rule windows
# through 2027); a demo loaded today covers 18 months of nights from today, so the
# examples stay valid for a reader until their dates pass (README, "Using the API").
# Pinned, the test checks the document against the demo as it was written for, not
# against the calendar: it does not start failing when July 2027 comes. Move it with
# the examples when they are re-dated.
WRITTEN_FOR = date(2026, 12, 7)


def request_examples(document: dict[str, Any]):
    """(method, path, example name, body) of every JSON request example of the document:
    the operation's own (``openapi_examples``) and its body schema's."""
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            media = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if media is None:
                continue
            for name, example in media.get("examples", {}).items():
                yield method, path, name, example["value"]
            schema = media["schema"]
            for branch in [schema, *schema.get("anyOf", [])]:
                if "$ref" in branch:
                    component = resolve(document, branch["$ref"].removeprefix("#"))
                    for i, value in enumerate(component.get("examples", [])):
                        yield method, path, f"{component['title']}[{i}]", value


def documented_success(operation: dict[str, Any]) -> int:
    statuses = sorted(int(s) for s in operation["responses"] if s.startswith("2"))
    return 201 if 201 in statuses else statuses[0]


@pytest.fixture
def fresh_demo(db):
    clock = FixedClock.on(WRITTEN_FOR)
    with db.write_session() as s:
        load_demo(s, today=WRITTEN_FOR)
        load_demo_operators(s, env="test", now=clock.now())
        s.commit()
    with TestClient(create_app(db.settings, database=db), raise_server_exceptions=False) as c:
        c.app.state.clock = clock
        yield c


def _login(client: TestClient, login: str) -> dict[str, str]:
    r = client.post("/v1/admin/tokens", json={"login": login, "password": DEMO_PASSWORD})
    assert r.status_code == 201, r.text
    return {"Authorization": f"Bearer {r.json()['token']}"}


def _booking_checking_in_today(client: TestClient) -> str:
    today = client.app.state.clock.today()
    item = {
        "product_id": BOOKED_PRODUCT,
        "check_in": today.isoformat(),
        "check_out": (today + timedelta(days=2)).isoformat(),
        "guests": 1,
    }
    quote = client.post("/v1/quotes", json={"items": [item]})
    assert quote.status_code == 201, quote.text
    booked = client.post(
        "/v1/bookings",
        json={
            "quote_id": quote.json()["id"],
            "lead_traveller": {"name": "李桂英", "phone": "13700001111"},
            "guests": [],
        },
        headers={"Idempotency-Key": str(uuid.uuid4())},
    )
    assert booked.status_code == 201, booked.text
    return booked.json()["reference"]


def test_every_documented_request_example_works_as_sent_on_a_fresh_demo(fresh_demo):
    client = fresh_demo
    document = client.get("/openapi.json").json()
    tokens: dict[str, dict[str, str]] = {}
    values: dict[str, Any] = dict(PATH_VALUES)
    answers: dict[tuple[str, str, str], Any] = {}
    sent, failures = 0, []
    for method, path, name, body in request_examples(document):
        if not path.startswith(SENT):
            continue
        if "{reference}" in path:  # each example its own booking: a cancel ends it
            values["reference"] = _booking_checking_in_today(client)
        headers = {}
        if path.startswith(("/v1/admin/", "/v1/reports/")) and path != "/v1/admin/tokens":
            login = SENDER.get(path, OPERATOR)
            if login not in tokens:
                tokens[login] = _login(client, login)
            headers = tokens[login]
        r = client.request(method.upper(), path.format(**values), json=body, headers=headers)
        sent += 1
        expected = documented_success(document["paths"][path][method])
        if r.status_code != expected:
            failures.append(
                f"{method.upper()} {path} {name}: {r.status_code}, not {expected}: {r.text[:300]}"
            )
            continue
        answers[(method, path, name)] = r.json() if r.content else None
        if (method, path) == ("post", "/v1/admin/rules"):
            values["rule_id"] = r.json()["id"]
    assert sent >= 25, f"only {sent} examples sent: the walk over the document is broken"
    assert not failures, "documented examples refused on the demo:\n" + "\n".join(failures)

    worked = answers[("post", "/v1/quotes", "worked_example")]
    stub_lines = [
        line for leg in worked["legs"] for line in leg["lines"] if line["kind"] == "discount"
    ]
    assert stub_lines, "the worked example's stub takes its share off the shuttle leg"
    # docs/operators.md shows the bulk edit's preview as it comes out.
    preview = answers[("post", "/v1/admin/calendar/preview", "BulkEditIn[0]")]
    assert {k: preview[k] for k in ("cells", "changed", "unchanged", "refused_count")} == {
        "cells": 36,
        "changed": 36,
        "unchanged": 0,
        "refused_count": 0,
    }
