"""Who sees what: partners only their own bookings (BOLA), travellers by reference + token,
the partner feed with masked personal data and a cursor."""

import uuid

import pytest

from tests.service.booking_support import (
    ID_NUMBER,
    LEAD,
    add_partner,
    add_product,
    item,
    post_booking,
    quote_http,
)


@pytest.fixture
def two_partners(db, client):
    """Partner A and partner B with two bookings each (one cancelled)."""
    a, b = add_partner(db, "ota-a"), add_partner(db, "ota-b")
    product = add_product(db, units=10)
    made = {}
    for p in (a, b):
        refs = []
        for _ in range(2):
            quote_id = quote_http(client, item(product), headers=p.headers)["id"]
            refs.append(post_booking(client, quote_id, headers=p.headers).json())
        client.post(
            f"/v1/bookings/{refs[1]['reference']}/cancel",
            headers={**p.headers, "Idempotency-Key": str(uuid.uuid4())},
        )
        made[p.id] = refs
    return a, b, made


def _endpoints(ref: str):
    return [("GET", f"/v1/bookings/{ref}", None), ("POST", f"/v1/bookings/{ref}/cancel", {})]


def test_partner_a_gets_404_for_each_of_partner_b_bookings_on_every_endpoint(client, two_partners):
    a, b, made = two_partners
    for booking in made[b.id]:
        for method, path, body in _endpoints(booking["reference"]):
            r = client.request(
                method, path, json=body, headers={**a.headers, "Idempotency-Key": str(uuid.uuid4())}
            )
            assert r.status_code == 404, (method, path)
            assert r.json()["code"] == "booking_not_found"
    # B's bookings are untouched.
    for booking in made[b.id]:
        r = client.get(f"/v1/bookings/{booking['reference']}", headers=b.headers)
        assert r.json()["version"] == (1 if booking is made[b.id][0] else 2)


def test_an_unknown_reference_and_another_partners_booking_look_the_same(client, two_partners):
    a, b, made = two_partners
    theirs = client.get(f"/v1/bookings/{made[b.id][0]['reference']}", headers=a.headers)
    unknown = client.get("/v1/bookings/JL-ZZZZZZ", headers=a.headers)
    assert theirs.status_code == unknown.status_code == 404
    assert theirs.json()["code"] == unknown.json()["code"]


def test_the_feed_never_shows_another_clients_rows(client, two_partners):
    a, b, made = two_partners
    for p in (a, b):
        page = client.get("/v1/bookings", headers=p.headers).json()
        assert {x["reference"] for x in page["items"]} == {x["reference"] for x in made[p.id]}


def test_the_feed_masks_names_and_phones_and_omits_id_numbers(client, two_partners):
    a, _, _ = two_partners
    r = client.get("/v1/bookings", headers=a.headers)
    text = r.text
    assert LEAD["phone"] not in text and ID_NUMBER not in text and LEAD["name"] not in text
    lead = r.json()["items"][0]["lead_traveller"]
    assert lead == {"name": "王**", "phone": "138****8000"}


def test_the_owner_sees_the_full_phone_and_id_numbers(client, two_partners):
    a, _, made = two_partners
    body = client.get(f"/v1/bookings/{made[a.id][0]['reference']}", headers=a.headers).json()
    assert body["lead_traveller"] == LEAD
    assert body["guests"][0]["id_number"] == ID_NUMBER


def test_the_feed_follows_updated_at_with_a_cursor(client, two_partners):
    a, _, made = two_partners
    first = client.get("/v1/bookings", params={"limit": 1}, headers=a.headers).json()
    second = client.get(
        "/v1/bookings", params={"limit": 1, "cursor": first["next"]}, headers=a.headers
    ).json()
    assert [first["items"][0]["reference"], second["items"][0]["reference"]] == [
        made[a.id][0]["reference"],
        made[a.id][1]["reference"],
    ]  # cancelled one changed last
    assert second["next"] is None
    since = second["items"][0]["updated_at"]
    recent = client.get("/v1/bookings", params={"updated_since": since}, headers=a.headers).json()
    assert [x["reference"] for x in recent["items"]] == [made[a.id][1]["reference"]]


def test_feed_page_size_is_capped_and_bad_parameters_are_422(client, two_partners):
    a, _, _ = two_partners
    for params in (
        {"limit": 101},
        {"limit": 0},
        {"cursor": "garbage"},
        {"updated_since": "2027-01-01T00:00:00"},
    ):
        r = client.get("/v1/bookings", params=params, headers=a.headers)
        assert r.status_code == 422, params


def test_a_traveller_reads_and_cancels_with_reference_and_token_only(db, client):
    created = post_booking(client, quote_http(client, item(add_product(db)))["id"]).json()
    ref = created["reference"]
    assert client.get(f"/v1/bookings/{ref}").status_code == 404
    assert (
        client.get(f"/v1/bookings/{ref}", headers={"X-Booking-Token": "wrong"}).status_code == 404
    )
    assert (
        client.get(
            f"/v1/bookings/{ref.lower()}", headers={"X-Booking-Token": created["token"]}
        ).status_code
        == 200
    )
    r = client.post(
        f"/v1/bookings/{ref}/cancel", headers={"X-Booking-Token": "wrong", "Idempotency-Key": "x1"}
    )
    assert r.status_code == 404


def test_a_partners_booking_opens_for_its_traveller_with_the_token(db, client):
    a = add_partner(db, "ota-a")
    quote_id = quote_http(client, item(add_product(db)), headers=a.headers)["id"]
    created = post_booking(client, quote_id, headers=a.headers).json()
    r = client.get(
        f"/v1/bookings/{created['reference']}", headers={"X-Booking-Token": created["token"]}
    )
    assert r.status_code == 200


def test_anonymous_callers_have_no_feed(client):
    assert client.get("/v1/bookings").json()["code"] == "missing_api_key"


def test_an_anonymous_replay_never_reaches_another_traveller(db, client):
    """Anonymous keys are scoped by the secret the request presents: the quote booked, the
    booking's token. Replaying a traveller's cancel (the README's key ``c-1``, body ``{}``)
    without the token gets 404 like any tokenless read, not their booking; another
    traveller's identical key is theirs alone; a retry with the token still replays."""
    product = add_product(db, units=5)
    first = post_booking(client, quote_http(client, item(product))["id"], key="same-key")
    second = post_booking(client, quote_http(client, item(product))["id"], key="same-key")
    assert first.status_code == second.status_code == 201  # not idempotency_key_reused
    assert first.json()["reference"] != second.json()["reference"]

    def cancel(booking, token):
        headers = {"Idempotency-Key": "c-1"}
        if token is not None:
            headers["X-Booking-Token"] = token
        return client.post(f"/v1/bookings/{booking['reference']}/cancel", json={}, headers=headers)

    a, b = first.json(), second.json()
    done = cancel(a, a["token"])
    assert done.status_code == 200 and done.json()["status"] == "cancelled"
    for token in (None, "wrong-token", b["token"]):
        stolen = cancel(a, token)
        assert stolen.status_code == 404, stolen.text
        assert stolen.json()["code"] == "booking_not_found"
        assert LEAD["phone"] not in stolen.text and LEAD["name"] not in stolen.text
        assert "Idempotent-Replayed" not in stolen.headers
    own = cancel(b, b["token"])  # the same key on another booking is not "reused"
    assert own.status_code == 200 and own.json()["reference"] == b["reference"]
    again = cancel(a, a["token"])
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == done.json()


def test_a_request_with_neither_key_nor_token_is_told_what_to_send(db, client):
    """Reading, previewing or cancelling with no credential at all is the same 404 as
    ever, whose detail says which header to send (newcomer finding: "no booking for this
    caller" read as a wrong reference). It says so for every reference alike, so it tells
    nothing about which exist; a wrong token or a partner's key gets the plain words."""
    created = post_booking(client, quote_http(client, item(add_product(db)))["id"]).json()
    ref = created["reference"]
    en = {"Accept-Language": "en"}
    hint = (
        "for this caller: a traveller sends the booking's token in X-Booking-Token, a partner "
        "its API key in Authorization."
    )
    answers = [
        client.get(f"/v1/bookings/{ref}", headers=en),
        client.get(f"/v1/bookings/{ref}", headers={**en, "X-Booking-Token": " "}),
        client.get(f"/v1/bookings/{ref}/cancellation", headers=en),
        client.post(f"/v1/bookings/{ref}/cancel", headers={**en, "Idempotency-Key": "h-1"}),
        client.get("/v1/bookings/JL-ZZZZZZ", headers=en),
    ]
    for r in answers:
        assert r.status_code == 404, r.text
        body = r.json()
        assert (body["code"], body["field"]) == ("booking_not_found", "reference")
        assert body["detail"].endswith(hint), body["detail"]
    assert answers[0].json()["detail"] == f"No booking {ref} {hint}"
    assert answers[4].json()["detail"] == f"No booking JL-ZZZZZZ {hint}"
    zh = client.get(f"/v1/bookings/{ref}").json()["detail"]
    assert zh == (
        f"此调用方没有预订 {ref}：旅客请在 X-Booking-Token 请求头中发送预订凭证，"
        "合作方请在 Authorization 请求头中发送 API 密钥。"
    )
    wrong = client.get(f"/v1/bookings/{ref}", headers={**en, "X-Booking-Token": "wrong"})
    other = client.get(f"/v1/bookings/{ref}", headers={**en, **add_partner(db, "ota-x").headers})
    for r in (wrong, other):
        assert r.status_code == 404
        assert r.json()["detail"] == f"No booking {ref} for this caller."
    assert (
        client.get(f"/v1/bookings/{ref}", headers={"X-Booking-Token": created["token"]}).json()[
            "status"
        ]
        == "confirmed"
    )


def test_a_token_sent_beside_a_key_is_said_to_be_unread(db, client):
    """A key says who calls, so X-Booking-Token beside it is not read: the mini-program
    (a key) opening a traveller's booking by its token got the plain "no booking for this
    caller", read as a wrong reference or token (partner finding). The 404 now says the
    token was not read and to send it without Authorization, for every reference alike
    (the right token, a wrong one, an unknown reference), so it tells nothing more; the
    token alone still opens the booking and the owner's key alone still reads it."""
    owner = add_partner(db, "ota-a")
    created = post_booking(
        client,
        quote_http(client, item(add_product(db)), headers=owner.headers)["id"],
        headers=owner.headers,
    ).json()
    ref, token = created["reference"], created["token"]
    mini = add_partner(db, "mini")
    en = {"Accept-Language": "en", **mini.headers}
    answers = [
        client.get(f"/v1/bookings/{ref}", headers={**en, "X-Booking-Token": token}),
        client.get(f"/v1/bookings/{ref}/cancellation", headers={**en, "X-Booking-Token": token}),
        client.post(
            f"/v1/bookings/{ref}/cancel",
            headers={**en, "X-Booking-Token": token, "Idempotency-Key": "t-1"},
        ),
        client.get(f"/v1/bookings/{ref}/survey", headers={**en, "X-Booking-Token": token}),
        client.get(f"/v1/bookings/{ref}", headers={**en, "X-Booking-Token": "wrong"}),
        client.get("/v1/bookings/JL-ZZZZZZ", headers={**en, "X-Booking-Token": token}),
    ]
    for r in answers:
        assert r.status_code == 404, r.text
        body = r.json()
        assert (body["code"], body["field"]) == ("booking_not_found", "reference")
        assert body["detail"].endswith(
            "for this API key: with Authorization, only the bookings made with the key are "
            "read and X-Booking-Token is not; to open a booking by its token, send "
            "X-Booking-Token without Authorization."
        ), body["detail"]
    zh = client.get(f"/v1/bookings/{ref}", headers={**mini.headers, "X-Booking-Token": token})
    assert zh.json()["detail"] == (
        f"此 API 密钥没有预订 {ref}：带 Authorization 时只读取用该密钥所做的预订，"
        "不读取 X-Booking-Token；要凭预订凭证打开预订，请只发送 X-Booking-Token，"
        "不带 Authorization。"
    )
    # Nothing was cancelled; the token alone and the owner's key alone still open it.
    alone = client.get(f"/v1/bookings/{ref}", headers={"X-Booking-Token": token})
    assert (alone.status_code, alone.json()["status"]) == (200, "confirmed")
    assert client.get(f"/v1/bookings/{ref}", headers=owner.headers).status_code == 200
    key_only = client.get(f"/v1/bookings/{ref}", headers={"Accept-Language": "en", **mini.headers})
    assert key_only.json()["detail"] == f"No booking {ref} for this caller."
