"""Booking events reach partners' endpoints: signed, retried with backoff, listed."""

import copy
import json
import re
import socket
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from freezegun import freeze_time

from service.webhooks import addresses
from service.webhooks.tasks import FAN_OUT_LOOKBACK, deliver_webhooks
from service.worker import run_once
from tests.conftest import ROOT
from tests.support.payments import (
    GUEST_ID_NUMBER,
    LEAD,
    book,
    cancel,
    make_partner,
    make_stay,
    receiver,
)
from tests.support.receiver import Receiver

FIXTURES = (receiver,)  # used by name below


def documented_verifier():
    """The Python snippet of docs/webhooks.md, run as a partner would copy it."""
    text = (ROOT / "docs" / "webhooks.md").read_text(encoding="utf-8")
    code = re.search(r"```python\n(.*?)```", text, re.S).group(1)
    namespace: dict = {}
    exec(compile(code, "docs/webhooks.md", "exec"), namespace)
    return namespace["verify_jilin_signature"]


@pytest.fixture
def partner(db, client, receiver):
    """A partner with an endpoint at the local receiver: (headers, endpoint with secret)."""
    _, headers = make_partner(db, db.settings)
    endpoint = client.post(
        "/v1/webhook-endpoints", headers=headers, json={"url": receiver.url + "/hooks"}
    ).json()
    return headers, endpoint


def deliveries(client, headers, **query) -> list[dict]:
    r = client.get("/v1/webhook-deliveries", headers=headers, params=query)
    assert r.status_code == 200, r.text
    return r.json()["items"]


def test_a_confirmed_booking_is_delivered_signed(db, client, partner, receiver):
    headers, endpoint = partner
    booking = book(client, make_stay(db), headers)  # pay at property: confirmed at once

    report = run_once(db, db.settings)

    assert report.deliveries == {"delivered": 1, "retrying": 0, "failed": 0}
    (sent,) = receiver.requests
    assert sent.path == "/hooks"
    body = json.loads(sent.body)
    assert body["type"] == sent.headers["Jilin-Event-Type"] == "booking.confirmed"
    assert body["id"] == sent.headers["Jilin-Event-Id"]
    assert body["data"]["reference"] == booking["reference"]
    assert body["data"]["status"] == "confirmed"
    verify = documented_verifier()
    assert verify(endpoint["secret"], sent.headers["Jilin-Signature"], sent.body.encode())
    assert not verify("whsec_wrong", sent.headers["Jilin-Signature"], sent.body.encode())
    assert not verify(
        endpoint["secret"],
        sent.headers["Jilin-Signature"],
        sent.body.replace("confirmed", "cancelled").encode(),
    )
    (listed,) = deliveries(client, headers)
    assert (listed["status"], listed["attempts"], listed["last_status_code"]) == (
        "delivered",
        1,
        200,
    )
    assert listed["event_id"] == body["id"]
    assert listed["booking_reference"] == booking["reference"]


def test_deliveries_carry_no_personal_data(db, client, partner, receiver):
    headers, _ = partner
    book(client, make_stay(db), headers)

    run_once(db, db.settings)

    (sent,) = receiver.requests
    assert LEAD["phone"] not in sent.body and LEAD["name"] not in sent.body
    assert GUEST_ID_NUMBER not in sent.body


def test_a_failed_delivery_is_retried_with_backoff(db, client, partner, receiver):
    headers, endpoint = partner
    receiver.respond_with(500)
    start = (datetime.now(UTC) + timedelta(seconds=1)).replace(microsecond=0)
    with freeze_time(start) as clock:
        book(client, make_stay(db), headers)
        run_once(db, db.settings)
        (pending,) = deliveries(client, headers)
        assert (pending["status"], pending["attempts"], pending["last_status_code"]) == (
            "pending",
            1,
            500,
        )
        assert pending["last_error"] == "HTTP 500"
        assert pending["next_attempt_at"].startswith(
            (start + timedelta(seconds=30)).isoformat()[:19]
        )

        clock.tick(20)
        run_once(db, db.settings)  # not due yet
        assert len(receiver.requests) == 1

        clock.tick(11)
        run_once(db, db.settings)
        (done,) = deliveries(client, headers)
        assert (done["status"], done["attempts"], done["next_attempt_at"]) == ("delivered", 2, None)
        verify = documented_verifier()
        first, second = receiver.requests
        assert first.headers["Jilin-Event-Id"] == second.headers["Jilin-Event-Id"]
        assert verify(endpoint["secret"], second.headers["Jilin-Signature"], second.body.encode())


def test_a_delivery_is_given_up_after_twelve_attempts(db, client, partner, receiver):
    headers, _ = partner
    receiver.respond_with(*[503] * 12)
    with freeze_time(datetime.now(UTC)) as clock:
        book(client, make_stay(db), headers)
        for _ in range(12):
            run_once(db, db.settings)
            clock.tick(3601)
        run_once(db, db.settings)

    assert len(receiver.requests) == 12
    (failed,) = deliveries(client, headers, status="failed")
    assert (failed["attempts"], failed["last_status_code"]) == (12, 503)


def test_an_unreachable_endpoint_is_retried(db, client):
    _, headers = make_partner(db, db.settings)
    client.post(
        "/v1/webhook-endpoints", headers=headers, json={"url": "http://127.0.0.1:9/nobody-listens"}
    )
    book(client, make_stay(db), headers)

    run_once(db, db.settings)

    (pending,) = deliveries(client, headers)
    assert (pending["status"], pending["attempts"]) == ("pending", 1)
    assert pending["last_status_code"] is None
    assert pending["last_error"] == "ConnectError"


def test_a_cancellation_is_delivered_as_well_as_the_confirmation(db, client, partner, receiver):
    headers, _ = partner
    booking = book(client, make_stay(db), headers)
    assert cancel(client, booking, headers).status_code == 200

    run_once(db, db.settings)

    types = [r.headers["Jilin-Event-Type"] for r in receiver.requests]
    assert sorted(types) == ["booking.cancelled", "booking.confirmed"]
    assert {d["event_type"] for d in deliveries(client, headers)} == set(types)


def test_each_partner_gets_and_sees_only_its_own_events(db, client, partner, receiver):
    headers, _ = partner
    _, other = make_partner(db, db.settings)
    other_receiver = Receiver()
    try:
        client.post(
            "/v1/webhook-endpoints", headers=other, json={"url": other_receiver.url + "/other"}
        )
        mine = book(client, make_stay(db), headers)

        run_once(db, db.settings)

        assert [json.loads(r.body)["data"]["reference"] for r in receiver.requests] == [
            mine["reference"]
        ]
        assert other_receiver.requests == []
        assert deliveries(client, other) == []
    finally:
        other_receiver.stop()


def test_anonymous_bookings_and_earlier_events_are_not_sent(db, client, receiver):
    _, headers = make_partner(db, db.settings)
    book(client, make_stay(db), headers)  # before the endpoint exists
    book(client, make_stay(db))  # anonymous traveller
    client.post("/v1/webhook-endpoints", headers=headers, json={"url": receiver.url})

    run_once(db, db.settings)

    assert receiver.requests == []


def test_removing_an_endpoint_gives_up_its_pending_deliveries(db, client, partner, receiver):
    headers, endpoint = partner
    receiver.respond_with(500)
    start = datetime.now(UTC)
    with freeze_time(start) as clock:
        book(client, make_stay(db), headers)
        run_once(db, db.settings)
        client.delete(f"/v1/webhook-endpoints/{endpoint['id']}", headers=headers)
        clock.tick(60)
        run_once(db, db.settings)

    assert len(receiver.requests) == 1
    (given_up,) = deliveries(client, headers)
    assert (given_up["status"], given_up["last_error"]) == ("failed", "endpoint_disabled")


def test_deleting_an_endpoint_gives_up_its_pending_deliveries_at_once(
    db, client, partner, receiver
):
    """The DELETE itself gives them up (no worker run needed): the metrics drop them."""
    headers, endpoint = partner
    receiver.respond_with(500)
    book(client, make_stay(db), headers)
    run_once(db, db.settings)
    (pending,) = deliveries(client, headers)
    assert pending["status"] == "pending"
    assert _metric(client, "jilin_webhook_deliveries_pending") == 1

    r = client.delete(f"/v1/webhook-endpoints/{endpoint['id']}", headers=headers)
    assert r.status_code == 204

    (given_up,) = deliveries(client, headers)
    assert (given_up["status"], given_up["last_error"]) == ("failed", "endpoint_disabled")
    assert given_up["next_attempt_at"] is None
    assert _metric(client, "jilin_webhook_deliveries_pending") == 0
    assert _metric(client, "jilin_webhook_deliveries_oldest_pending_seconds") == 0
    run_once(db, db.settings)
    assert len(receiver.requests) == 1


def _metric(client, name: str) -> float:
    text = client.get("/metrics").text
    (value,) = [
        float(line.split()[-1]) for line in text.splitlines() if line.startswith(name + " ")
    ]
    return value


def test_two_workers_at_once_send_each_event_once(db, client, partner, receiver):
    headers, _ = partner
    stay = make_stay(db, units=10)
    references = {book(client, stay, headers)["reference"] for _ in range(6)}
    now = datetime.now(UTC)

    with ThreadPoolExecutor(2) as pool:
        list(pool.map(lambda _: deliver_webhooks(db, now), range(2)))

    sent = [json.loads(r.body)["data"]["reference"] for r in receiver.requests]
    assert sorted(sent) == sorted(references)
    assert {d["status"] for d in deliveries(client, headers)} == {"delivered"}


def test_deliveries_are_listed_newest_first_page_by_page(db, client, partner):
    headers, _ = partner
    stay = make_stay(db, units=10)
    for _ in range(3):
        book(client, stay, headers)
    run_once(db, db.settings)

    first = client.get("/v1/webhook-deliveries?limit=2", headers=headers).json()
    second = client.get(
        f"/v1/webhook-deliveries?limit=2&cursor={first['next']}", headers=headers
    ).json()

    ids = [d["id"] for d in first["items"] + second["items"]]
    assert len(ids) == 3 and ids == sorted(ids, reverse=True)
    assert second["next"] is None


def test_one_endpoints_unusable_url_never_blocks_the_others(db, client, partner, receiver):
    """A row whose URL httpx cannot use (registered before URLs were checked this
    strictly) is that delivery's error; the batch goes on and the others are sent."""
    from service.webhooks.models import WebhookEndpoint

    headers, endpoint = partner
    with db.write_session() as s:
        row = s.get(WebhookEndpoint, endpoint["id"])
        s.add(
            WebhookEndpoint(
                **{
                    **row.model_dump(exclude={"id"}),
                    "url": "http://127.0.0.1:abc/",
                    "created_at": row.created_at,
                }
            )
        )
        s.commit()
    book(client, make_stay(db), headers)

    report = run_once(db, db.settings)

    assert report.deliveries["delivered"] == 1
    assert report.deliveries["retrying"] == 1
    assert len(receiver.requests) == 1


def test_production_refuses_to_send_to_a_host_that_resolves_privately():

    assert addresses.public_address("localhost", 443) is None
    assert addresses.public_address("127.0.0.1", 443) is None
    assert addresses.public_address("no-such-host.invalid", 443) is None


def _production_partner(db, client, url: str):
    """A partner with an endpoint at ``url`` and one booking to deliver, and ``db`` as
    the production worker sees it (only ``env`` differs): (headers, database)."""
    _, headers = make_partner(db, db.settings)
    r = client.post("/v1/webhook-endpoints", headers=headers, json={"url": url})
    assert r.status_code == 201, r.text
    book(client, make_stay(db), headers)
    production = copy.copy(db)
    production.settings = db.settings.model_copy(update={"env": "production"})
    return headers, production


def _resolved(*answers: str, port: int):
    return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port)) for a in answers]


def test_production_sends_to_the_address_it_checked_not_a_second_lookup(db, client, monkeypatch):
    """DNS rebinding: a partner's name answers a public address to the check before the
    delivery and 127.0.0.1 to any lookup after it. The delivery goes to the address
    checked, with the name as its Host and its TLS name (SNI, the certificate's check),
    so the worker's own network is never reached through a name that changes."""
    headers, production = _production_partner(db, client, "https://hooks.partner.example:8443/j")
    lookups = []

    def rebinding(host, port, *args, **kwargs):
        if addresses._ip(host) is not None:  # a literal address resolves to itself
            return _resolved(host, port=port)
        lookups.append(host)
        return _resolved("93.184.215.14" if len(lookups) == 1 else "127.0.0.1", port=port)

    monkeypatch.setattr(addresses.socket, "getaddrinfo", rebinding)
    sent = []

    def partner(request: httpx.Request) -> httpx.Response:
        # where a connection for this request goes: its URL's host, looked up as httpx would
        (*_, (connected, _)) = rebinding(request.url.host, request.url.port)[0]
        sent.append((connected, request.headers["host"], request.extensions.get("sni_hostname")))
        return httpx.Response(200)

    with httpx.Client(transport=httpx.MockTransport(partner)) as http:
        counts = deliver_webhooks(production, datetime.now(UTC), http=http)

    assert counts["delivered"] == 1
    assert sent == [("93.184.215.14", "hooks.partner.example:8443", "hooks.partner.example")]
    assert lookups == ["hooks.partner.example"]  # checked once, never looked up again


def test_production_sends_nothing_to_a_name_that_now_resolves_privately(db, client, monkeypatch):
    headers, production = _production_partner(db, client, "https://hooks.partner.example/j")
    monkeypatch.setattr(
        addresses.socket,
        "getaddrinfo",
        lambda host, port, *a, **k: _resolved("93.184.215.14", "10.0.0.5", port=port),
    )
    sent = []
    transport = httpx.MockTransport(lambda request: sent.append(request) or httpx.Response(200))
    with httpx.Client(transport=transport) as http:
        counts = deliver_webhooks(production, datetime.now(UTC), http=http)

    assert counts["delivered"] == 0 and sent == []
    (listed,) = deliveries(client, headers)
    assert listed["last_error"] == "private_address"


def test_events_past_the_lookback_are_never_sent_and_the_metrics_say_so(
    db, client, partner, receiver
):
    """A worker stopped for longer than FAN_OUT_LOOKBACK (3 days) never sends the events
    made meanwhile: /metrics shows them waiting, then lost (docs/webhooks.md)."""
    headers, _ = partner
    start = (datetime.now(UTC) + timedelta(seconds=1)).replace(microsecond=0)
    with freeze_time(start) as clock:  # after the endpoint's registration
        assert _metric(client, "jilin_webhook_events_unsent_oldest_seconds") == 0
        book(client, make_stay(db), headers)
        clock.tick(3600)
        assert _metric(client, "jilin_webhook_events_unsent_oldest_seconds") == 3600
        assert _metric(client, "jilin_webhook_deliveries_lost") == 0
        clock.tick(FAN_OUT_LOOKBACK)
        assert _metric(client, "jilin_webhook_events_unsent_oldest_seconds") == 0
        assert _metric(client, "jilin_webhook_deliveries_lost") == 1
        run_once(db, db.settings)
        assert _metric(client, "jilin_webhook_deliveries_lost") == 1  # still: never sent
        book(client, make_stay(db), headers)
        run_once(db, db.settings)  # a worker running again sends what is recent
        assert _metric(client, "jilin_webhook_events_unsent_oldest_seconds") == 0
    assert len(receiver.requests) == 1
    assert deliveries(client, headers)[0]["status"] == "delivered"
