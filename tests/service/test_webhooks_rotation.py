"""POST /v1/webhook-endpoints/{id}/rotate-secret: a new secret, the previous one signing
beside it for 24 hours (two v1 in Jilin-Signature), checked by the documented snippet."""

from datetime import UTC, datetime, timedelta

from freezegun import freeze_time

from service.worker import run_once
from tests.service.test_webhooks_delivery import documented_verifier, partner
from tests.support.payments import make_partner, receiver

FIXTURES = (receiver, partner)  # used by name below


def rotate(client, headers, endpoint_id, key="rotate-1"):
    return client.post(
        f"/v1/webhook-endpoints/{endpoint_id}/rotate-secret",
        headers={**headers, "Idempotency-Key": key},
    )


def pinged(db, client, headers, endpoint_id, receiver):
    """A ping delivered now by the worker: what the receiver got."""
    assert client.post(f"/v1/webhook-endpoints/{endpoint_id}/ping", headers=headers).is_success
    run_once(db, db.settings)
    return receiver.requests[-1]


def test_the_previous_secret_signs_beside_the_new_for_a_day(db, client, partner, receiver):
    headers, endpoint = partner
    old = endpoint["secret"]
    verify = documented_verifier()
    start = datetime.now(UTC).replace(microsecond=0)
    with freeze_time(start) as clock:
        r = rotate(client, headers, endpoint["id"])

        assert r.status_code == 200, r.text
        new = r.json()["secret"]
        assert new.startswith("whsec_") and new != old
        assert r.json()["secret_hint"] == "…" + new[-4:]
        expires = datetime.fromisoformat(r.json()["previous_secret_expires_at"])
        assert expires == start + timedelta(hours=24)
        read = client.get(f"/v1/webhook-endpoints/{endpoint['id']}", headers=headers).json()
        assert "secret" not in read and read["previous_secret_expires_at"] is not None

        sent = pinged(db, client, headers, endpoint["id"], receiver)
        signature = sent.headers["Jilin-Signature"]
        assert signature.count("v1=") == 2
        assert verify(new, signature, sent.body.encode())
        assert verify(old, signature, sent.body.encode())
        assert not verify("whsec_other", signature, sent.body.encode())

        clock.tick(timedelta(hours=24, seconds=1))
        later = pinged(db, client, headers, endpoint["id"], receiver)
        assert later.headers["Jilin-Signature"].count("v1=") == 1
        assert verify(new, later.headers["Jilin-Signature"], later.body.encode())
        assert not verify(old, later.headers["Jilin-Signature"], later.body.encode())
        read = client.get(f"/v1/webhook-endpoints/{endpoint['id']}", headers=headers).json()
        assert read["previous_secret_expires_at"] is None


def test_a_retried_rotation_answers_the_same_secret_and_rotates_once(db, client, partner, receiver):
    headers, endpoint = partner
    first = rotate(client, headers, endpoint["id"], key="k-1")
    again = rotate(client, headers, endpoint["id"], key="k-1")

    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json()["secret"] == first.json()["secret"]
    sent = pinged(db, client, headers, endpoint["id"], receiver)
    verify = documented_verifier()
    assert verify(endpoint["secret"], sent.headers["Jilin-Signature"], sent.body.encode())

    second = rotate(client, headers, endpoint["id"], key="k-2").json()["secret"]
    sent = pinged(db, client, headers, endpoint["id"], receiver)
    signature = sent.headers["Jilin-Signature"]
    assert verify(second, signature, sent.body.encode())
    assert verify(first.json()["secret"], signature, sent.body.encode())
    assert not verify(endpoint["secret"], signature, sent.body.encode())  # one previous


def test_only_the_owner_rotates_with_a_key(db, client, partner):
    headers, endpoint = partner
    _, other = make_partner(db, db.settings)

    for who, endpoint_id in ((other, endpoint["id"]), (headers, 99999)):
        r = rotate(client, {**who, "Accept-Language": "en"}, endpoint_id)
        assert r.status_code == 404
        assert (r.json()["code"], r.json()["field"]) == (
            "webhook_endpoint_not_found",
            "endpoint_id",
        )
    anonymous = client.post(
        f"/v1/webhook-endpoints/{endpoint['id']}/rotate-secret", headers={"Idempotency-Key": "a"}
    )
    assert (anonymous.status_code, anonymous.json()["code"]) == (401, "missing_api_key")
    no_key = client.post(f"/v1/webhook-endpoints/{endpoint['id']}/rotate-secret", headers=headers)
    assert (no_key.status_code, no_key.json()["code"]) == (422, "missing_idempotency_key")
    read = client.get(f"/v1/webhook-endpoints/{endpoint['id']}", headers=headers).json()
    assert read["secret_hint"] == "…" + endpoint["secret"][-4:]
    assert read["previous_secret_expires_at"] is None
