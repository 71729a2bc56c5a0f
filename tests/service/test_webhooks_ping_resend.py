"""A partner checks its receiver: a ping to one endpoint, delivered by the worker like any
event; a delivery sent again on request."""

import json
from datetime import UTC, datetime

from freezegun import freeze_time

from service.worker import run_once
from tests.service.test_webhooks_delivery import deliveries, documented_verifier, partner
from tests.support.payments import make_partner, receiver
from tests.support.receiver import Receiver

FIXTURES = (receiver, partner)  # used by name below

EN = {"Accept-Language": "en"}


def ping(client, headers, endpoint_id):
    return client.post(f"/v1/webhook-endpoints/{endpoint_id}/ping", headers=headers)


def problem(r, status):
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/problem+json"
    return r.json()["code"], r.json().get("field")


def test_a_ping_reaches_that_endpoint_alone_signed(db, client, partner, receiver):
    headers, endpoint = partner
    other = Receiver()
    try:
        client.post("/v1/webhook-endpoints", headers=headers, json={"url": other.url})

        queued = ping(client, headers, endpoint["id"])

        assert queued.status_code == 202, queued.text
        assert (queued.json()["status"], queued.json()["event_type"]) == ("pending", "ping")
        assert queued.json()["endpoint_id"] == endpoint["id"]
        report = run_once(db, db.settings)
        run_once(db, db.settings)  # a later pass fans nothing out to the other endpoint
        assert other.requests == []
    finally:
        other.stop()

    assert report.deliveries == {"delivered": 1, "retrying": 0, "failed": 0}
    (sent,) = receiver.requests
    body = json.loads(sent.body)
    assert sent.path == "/hooks"
    assert body["type"] == sent.headers["Jilin-Event-Type"] == "ping"
    assert body["id"] == sent.headers["Jilin-Event-Id"] == queued.json()["event_id"]
    assert body["data"]["endpoint_id"] == endpoint["id"]
    assert documented_verifier()(
        endpoint["secret"], sent.headers["Jilin-Signature"], sent.body.encode()
    )
    (listed,) = deliveries(client, headers)
    assert (listed["id"], listed["status"], listed["event_type"]) == (
        queued.json()["id"],
        "delivered",
        "ping",
    )
    assert listed["booking_reference"] is None


def test_a_failed_ping_is_retried_like_any_event(db, client, partner, receiver):
    headers, endpoint = partner
    receiver.respond_with(500)
    ping(client, headers, endpoint["id"])

    run_once(db, db.settings)

    (listed,) = deliveries(client, headers)
    assert (listed["status"], listed["attempts"], listed["last_error"]) == (
        "pending",
        1,
        "HTTP 500",
    )


def test_a_paused_endpoint_is_not_pinged(db, client, partner):
    headers, endpoint = partner
    client.patch(f"/v1/webhook-endpoints/{endpoint['id']}", headers=headers, json={"active": False})

    r = ping(client, {**headers, **EN}, endpoint["id"])

    assert problem(r, 409) == ("webhook_endpoint_paused", "endpoint_id")
    assert r.json()["detail"].startswith(f"Webhook endpoint {endpoint['id']} is paused")
    assert ping(client, headers, endpoint["id"]).json()["detail"].startswith("Webhook 端点")
    assert deliveries(client, headers) == []


def test_only_the_owner_pings_its_endpoint(db, client, partner):
    headers, endpoint = partner
    _, other = make_partner(db, db.settings)
    client.delete(f"/v1/webhook-endpoints/{endpoint['id']}", headers=headers)

    for who, endpoint_id in ((other, endpoint["id"]), (headers, endpoint["id"]), (headers, 99999)):
        assert problem(ping(client, who, endpoint_id), 404) == (
            "webhook_endpoint_not_found",
            "endpoint_id",
        )
    assert problem(client.post(f"/v1/webhook-endpoints/{endpoint['id']}/ping"), 401)[0] == (
        "missing_api_key"
    )
    assert deliveries(client, headers) == deliveries(client, other) == []


# --- resend ------------------------------------------------------------------------------


def resend(client, headers, delivery_id, key="resend-1"):
    return client.post(
        f"/v1/webhook-deliveries/{delivery_id}/resend",
        headers={**headers, "Idempotency-Key": key},
    )


def given_up_ping(db, client, headers, endpoint, receiver) -> dict:
    """A ping the receiver refused 12 times: failed."""
    receiver.respond_with(*[500] * 12)
    ping(client, headers, endpoint["id"])
    with freeze_time(datetime.now(UTC)) as clock:
        for _ in range(12):
            run_once(db, db.settings)
            clock.tick(3601)
    (failed,) = deliveries(client, headers)
    assert (failed["status"], failed["attempts"]) == ("failed", 12)
    return failed


def test_a_given_up_delivery_is_resent_and_delivered(db, client, partner, receiver):
    headers, endpoint = partner
    failed = given_up_ping(db, client, headers, endpoint, receiver)

    r = resend(client, headers, failed["id"])

    assert r.status_code == 202, r.text
    assert (r.json()["status"], r.json()["attempts"]) == ("pending", 0)
    run_once(db, db.settings)
    assert len(receiver.requests) == 13
    sent = receiver.requests[-1]
    assert sent.headers["Jilin-Event-Id"] == failed["event_id"]
    assert documented_verifier()(
        endpoint["secret"], sent.headers["Jilin-Signature"], sent.body.encode()
    )
    (done,) = deliveries(client, headers)
    assert (done["id"], done["status"], done["attempts"]) == (failed["id"], "delivered", 1)


def test_a_resend_is_idempotent_by_its_key(db, client, partner, receiver):
    headers, endpoint = partner
    ping(client, headers, endpoint["id"])
    run_once(db, db.settings)
    (delivered,) = deliveries(client, headers)

    first = resend(client, headers, delivered["id"], key="k-1")
    again = resend(client, headers, delivered["id"], key="k-1")
    other_key = resend(client, {**headers, **EN}, delivered["id"], key="k-2")

    assert first.status_code == again.status_code == 202
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert problem(other_key, 409) == ("webhook_delivery_pending", "delivery_id")
    run_once(db, db.settings)
    assert len(receiver.requests) == 2
    no_key = client.post(f"/v1/webhook-deliveries/{delivered['id']}/resend", headers=headers)
    assert problem(no_key, 422) == ("missing_idempotency_key", "Idempotency-Key")


def test_a_resend_needs_a_live_endpoint_and_the_owner(db, client, partner, receiver):
    headers, endpoint = partner
    ping(client, headers, endpoint["id"])
    run_once(db, db.settings)
    (delivered,) = deliveries(client, headers)
    _, other = make_partner(db, db.settings)
    path = f"/v1/webhook-endpoints/{endpoint['id']}"

    for who, delivery_id in ((other, delivered["id"]), (headers, 99999)):
        r = resend(client, {**who, **EN}, delivery_id)
        assert problem(r, 404) == ("webhook_delivery_not_found", "delivery_id")
        assert r.json()["detail"] == f"No webhook delivery {delivery_id}."
    anonymous = client.post(
        f"/v1/webhook-deliveries/{delivered['id']}/resend", headers={"Idempotency-Key": "a"}
    )
    assert problem(anonymous, 401)[0] == "missing_api_key"
    client.patch(path, headers=headers, json={"active": False})
    assert problem(resend(client, headers, delivered["id"], "p"), 409) == (
        "webhook_endpoint_paused",
        "endpoint_id",
    )
    client.delete(path, headers=headers)
    assert problem(resend(client, headers, delivered["id"], "d"), 409) == (
        "webhook_endpoint_removed",
        "endpoint_id",
    )
    (still,) = deliveries(client, headers)
    assert still["status"] == "delivered"
