"""GET and PATCH /v1/webhook-endpoints/{id}: one endpoint read and changed by its owner,
checked as when it was registered; what a change does to the worker's deliveries."""

import pytest

from service.worker import run_once
from tests.support.payments import book, cancel, make_partner, make_stay, receiver

FIXTURES = (receiver,)  # used by name below

URL = "https://partner.example/jilin/webhooks"
EN = {"Accept-Language": "en"}


@pytest.fixture
def partner(db) -> dict[str, str]:
    return make_partner(db, db.settings)[1]


def register(client, headers, **fields):
    r = client.post("/v1/webhook-endpoints", headers=headers, json={"url": URL, **fields})
    assert r.status_code == 201, r.text
    return r.json()


def patch(client, headers, endpoint_id, body):
    return client.patch(f"/v1/webhook-endpoints/{endpoint_id}", headers=headers, json=body)


def problem(r, status):
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/problem+json"
    body = r.json()
    return body["code"], body.get("field")


def test_an_endpoint_is_read_as_listed_without_its_secret(client, partner):
    created = register(client, partner, description="feed")

    r = client.get(f"/v1/webhook-endpoints/{created['id']}", headers=partner)

    assert r.status_code == 200
    one = r.json()
    assert "secret" not in one
    assert one == client.get("/v1/webhook-endpoints", headers=partner).json()["items"][0]
    assert (one["url"], one["description"], one["active"], one["event_types"]) == (
        URL,
        "feed",
        True,
        None,
    )


def test_a_patch_changes_only_the_fields_sent(client, partner):
    created = register(client, partner, description="feed")

    r = patch(
        client,
        partner,
        created["id"],
        {"url": URL + "/v2", "event_types": ["booking.cancelled", "booking.confirmed"]},
    )

    assert r.status_code == 200, r.text
    changed = r.json()
    assert changed["url"] == URL + "/v2"
    assert changed["event_types"] == ["booking.cancelled", "booking.confirmed"]
    assert (changed["description"], changed["secret_hint"]) == ("feed", created["secret_hint"])
    assert client.get(f"/v1/webhook-endpoints/{created['id']}", headers=partner).json() == changed
    cleared = patch(client, partner, created["id"], {"description": None, "event_types": None})
    assert (cleared.json()["description"], cleared.json()["event_types"]) == (None, None)


def test_event_types_are_taken_at_registration_each_once(client, partner):
    created = register(
        client, partner, event_types=["booking.expired", "booking.confirmed", "booking.expired"]
    )
    assert created["event_types"] == ["booking.confirmed", "booking.expired"]


@pytest.mark.parametrize(
    "body, code, field",
    [
        ({}, "nothing_to_set", "body"),
        ({"url": "ftp://partner.example/hook"}, "invalid_url", "url"),
        ({"url": "http://127.1/"}, "invalid_url", "url"),
        ({"url": None}, "validation_error", "url"),
        ({"active": None}, "validation_error", "active"),
        ({"active": "no"}, "validation_error", "active"),
        ({"event_types": ["booking.confirmed", "booking.lost"]}, "unknown_event_type", None),
        ({"event_types": []}, "validation_error", "event_types"),
        ({"secret": "mine"}, "validation_error", "secret"),
    ],
)
def test_a_bad_patch_is_refused_and_changes_nothing(client, partner, body, code, field):
    created = register(client, partner)

    r = patch(client, {**partner, **EN}, created["id"], body)

    got_code, got_field = problem(r, 422)
    assert got_code == code
    if code == "unknown_event_type":
        assert got_field == "event_types[1]"
        assert "booking.lost" in r.json()["detail"]
    elif field is not None:
        assert got_field == field
    after = client.get(f"/v1/webhook-endpoints/{created['id']}", headers=partner).json()
    assert after == {k: v for k, v in created.items() if k != "secret"}


def test_registering_checks_event_types_as_a_patch_does(client, partner):
    r = client.post(
        "/v1/webhook-endpoints",
        headers=partner,
        json={"url": URL, "event_types": ["booking.paid"]},
    )

    assert problem(r, 422) == ("unknown_event_type", "event_types[0]")
    assert r.json()["detail"].startswith("未知的事件类型 'booking.paid'")
    assert client.get("/v1/webhook-endpoints", headers=partner).json()["items"] == []


def test_refusals_speak_the_callers_language(client, partner):
    created = register(client, partner)

    zh = patch(client, partner, created["id"], {})
    en = patch(client, {**partner, **EN}, created["id"], {})

    assert zh.json()["code"] == en.json()["code"] == "nothing_to_set"
    assert zh.json()["detail"].startswith("请至少发送一个要修改的字段")
    assert en.json()["detail"].startswith("Send at least one field to change")


def test_another_partners_endpoint_or_a_removed_one_is_a_404(db, client, partner):
    mine = register(client, partner)
    removed = register(client, partner)
    client.delete(f"/v1/webhook-endpoints/{removed['id']}", headers=partner)
    _, other = make_partner(db, db.settings)

    for headers, endpoint_id in ((other, mine["id"]), (partner, removed["id"]), (partner, 99999)):
        got = client.get(f"/v1/webhook-endpoints/{endpoint_id}", headers={**headers, **EN})
        changed = patch(client, headers, endpoint_id, {"active": False})
        assert (
            problem(got, 404)
            == problem(changed, 404)
            == (
                "webhook_endpoint_not_found",
                "endpoint_id",
            )
        )
        assert got.json()["detail"] == f"No webhook endpoint {endpoint_id}."
    assert client.get(f"/v1/webhook-endpoints/{mine['id']}", headers=partner).json()["active"]


def test_anonymous_callers_get_401(client, partner):
    created = register(client, partner)
    for r in (
        client.get(f"/v1/webhook-endpoints/{created['id']}"),
        client.patch(f"/v1/webhook-endpoints/{created['id']}", json={"active": False}),
    ):
        assert problem(r, 401)[0] == "missing_api_key"


# --- what a change does to deliveries (the worker, a local receiver) ---------------------


def test_an_endpoint_gets_only_the_event_types_it_takes(db, client, partner, receiver):
    endpoint = register(client, partner)
    patch(
        client, partner, endpoint["id"], {"url": receiver.url, "event_types": ["booking.cancelled"]}
    )
    booking = book(client, make_stay(db), partner)
    assert cancel(client, booking, partner).status_code == 200

    run_once(db, db.settings)

    assert [r.headers["Jilin-Event-Type"] for r in receiver.requests] == ["booking.cancelled"]
    listed = client.get("/v1/webhook-deliveries", headers=partner).json()["items"]
    assert [d["event_type"] for d in listed] == ["booking.cancelled"]


def test_a_paused_endpoint_gets_nothing_and_then_only_what_comes_after(
    db, client, partner, receiver
):
    endpoint = register(client, partner)
    patch(client, partner, endpoint["id"], {"url": receiver.url + "/hooks"})
    stay = make_stay(db)
    receiver.respond_with(500)
    book(client, stay, partner)
    run_once(db, db.settings)  # tried once: pending
    assert len(receiver.requests) == 1

    paused = patch(client, partner, endpoint["id"], {"active": False})
    assert paused.json()["active"] is False
    book(client, stay, partner)  # made while paused: never sent
    run_once(db, db.settings)

    assert len(receiver.requests) == 1
    (given_up,) = client.get("/v1/webhook-deliveries", headers=partner).json()["items"]
    assert (given_up["status"], given_up["last_error"]) == ("failed", "endpoint_disabled")

    assert patch(client, partner, endpoint["id"], {"active": True}).json()["active"] is True
    after = book(client, stay, partner)
    run_once(db, db.settings)

    assert len(receiver.requests) == 2
    assert after["reference"] in receiver.requests[-1].body
    assert receiver.requests[-1].path == "/hooks"
