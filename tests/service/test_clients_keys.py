"""API clients and keys: shown once, stored hashed, revocable; 401s; per-key rate limits."""

from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import func, select

from service.app import create_app
from service.bookings.models import Booking
from service.cli import main as cli
from service.clients.keys import hash_key, hash_traveller
from service.clients.models import ApiClient, ApiKey
from service.idempotency.table import IdempotencyRecord
from service.settings import Settings
from tests.service.booking_support import (
    add_partner,
    add_product,
    booking_body,
    item,
    post_booking,
    quote_http,
)
from tests.support.clock import FixedClock
from tests.support.operators import PASSWORD, world


def test_create_client_prints_the_key_once_and_stores_only_its_hash(db, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", db.settings.database_url)
    assert cli(["create-client", "--name", "飞猪", "--channel", "ota"]) == 0
    key = capsys.readouterr().out.strip().splitlines()[-1]
    assert key.startswith("jl_")
    with db.session() as s:
        client = s.exec(select(ApiClient)).one()
        stored = s.exec(select(ApiKey)).one()
    assert (client.name, client.channel, client.merchant_collects) == ("飞猪", "ota", False)
    assert stored.key_hash == hash_key(key, db.settings.secret_key)
    assert key not in (stored.key_hash, stored.key_prefix)
    assert key.startswith(stored.key_prefix + "_")


def test_a_valid_key_resolves_to_its_client_and_channel(db, client):
    partner = add_partner(db, "mini", channel="miniprogram")
    r = client.post("/v1/quotes", json={"items": [item(add_product(db))]}, headers=partner.headers)
    assert r.status_code == 201
    assert r.json()["channel"] == "miniprogram"


def test_anonymous_callers_are_the_direct_channel(db, client):
    r = client.post("/v1/quotes", json={"items": [item(add_product(db))]})
    assert r.json()["channel"] == "direct"


def test_a_partner_only_endpoint_without_a_key_is_401_missing_api_key(db, client):
    r = client.get("/v1/bookings")
    assert r.status_code == 401
    assert r.json()["code"] == "missing_api_key"
    assert r.headers["WWW-Authenticate"] == "Bearer"


def test_a_wrong_key_is_401_invalid_api_key_even_where_anonymous_is_allowed(db, client):
    add_partner(db, "ota-a")
    for headers in (
        {"Authorization": "Bearer jl_00000000_wrong"},
        {"Authorization": "Bearer not-a-key"},
        {"Authorization": "Basic dXNlcjpwYXNz"},
    ):
        assert client.get("/v1/bookings", headers=headers).json()["code"] == "invalid_api_key"
        r = client.post("/v1/quotes", json={"items": [item(1)]}, headers=headers)
        assert r.status_code == 401


def test_a_revoked_key_is_401(db, client, monkeypatch):
    partner = add_partner(db, "ota-a")
    assert client.get("/v1/bookings", headers=partner.headers).status_code == 200
    monkeypatch.setenv("DATABASE_URL", db.settings.database_url)
    assert cli(["revoke-key", partner.key.rsplit("_", 1)[0][:11]]) == 0
    r = client.get("/v1/bookings", headers=partner.headers)
    assert r.status_code == 401
    assert r.json()["code"] == "invalid_api_key"


def test_past_the_per_minute_limit_a_key_gets_429_with_retry_after(db):
    partner, other = add_partner(db, "ota-a"), add_partner(db, "ota-b")
    settings = Settings(env="test", database_url=db.settings.database_url, rate_limit_per_minute=3)
    app = create_app(settings, database=db)
    app.state.clock = FixedClock(datetime(2027, 1, 1, 8, 0, 45, tzinfo=UTC))
    with TestClient(app) as c:
        statuses = [c.get("/v1/bookings", headers=partner.headers).status_code for _ in range(4)]
        limited = c.get("/v1/bookings", headers=partner.headers)
        assert c.get("/v1/bookings", headers=other.headers).status_code == 200
        app.state.clock = FixedClock(datetime(2027, 1, 1, 8, 1, 0, tzinfo=UTC))
        assert c.get("/v1/bookings", headers=partner.headers).status_code == 200
    assert statuses == [200, 200, 200, 429]
    assert limited.json()["code"] == "rate_limited"
    assert limited.headers["Retry-After"] == "15"


def test_booking_refuses_a_revoked_key_at_once_and_checks_the_key_before_anything_else(
    db, client, monkeypatch
):
    partner = add_partner(db, "ota-a")
    quote_id = quote_http(client, item(add_product(db)), headers=partner.headers)["id"]
    monkeypatch.setenv("DATABASE_URL", db.settings.database_url)
    assert cli(["revoke-key", partner.key.rsplit("_", 1)[0][:11]]) == 0
    r = post_booking(client, quote_id, headers=partner.headers)
    assert r.status_code == 401
    assert r.json()["code"] == "invalid_api_key"
    assert r.headers["WWW-Authenticate"] == "Bearer"
    # A wrong key is 401 even without an Idempotency-Key (the key is checked first).
    r = client.post(
        "/v1/bookings",
        json=booking_body(quote_id),
        headers={"Authorization": "Bearer jl_00000000_wrong"},
    )
    assert r.status_code == 401
    assert r.json()["code"] == "invalid_api_key"
    with db.session() as s:
        assert s.exec(select(func.count()).select_from(Booking)).one() == 0
        assert s.exec(select(func.count()).select_from(IdempotencyRecord)).one() == 0


def test_booking_counts_every_request_of_a_key_and_a_429_claims_nothing(db):
    partner = add_partner(db, "ota-a")
    product = add_product(db)
    settings = Settings(env="test", database_url=db.settings.database_url, rate_limit_per_minute=3)
    app = create_app(settings, database=db)
    now = datetime.now(UTC).replace(second=45, microsecond=0)
    app.state.clock = FixedClock(now)
    with TestClient(app) as c:
        quote_id = quote_http(c, item(product), headers=partner.headers)["id"]  # 1st request
        missing = c.post("/v1/bookings", json=booking_body(quote_id), headers=partner.headers)
        booked = post_booking(c, quote_id, headers=partner.headers, key="k-1")  # 3rd
        limited = post_booking(c, quote_id, headers=partner.headers, key="k-2")
        app.state.clock = FixedClock(now + timedelta(seconds=15))  # the next minute
        # A quote is booked once: the retry books another quote (a claim left behind would
        # make that body a 422 idempotency_key_reused).
        quote_2 = quote_http(c, item(product), headers=partner.headers)["id"]
        retried = post_booking(c, quote_2, headers=partner.headers, key="k-2")
    assert missing.status_code == 422 and missing.json()["code"] == "missing_idempotency_key"
    assert booked.status_code == 201
    assert limited.status_code == 429
    assert limited.json()["code"] == "rate_limited"
    assert limited.json()["field"] == "Authorization"
    assert limited.headers["Retry-After"] == "15"
    # The refused request left no claim: the same key runs afresh in the next window.
    assert retried.status_code == 201
    assert "Idempotent-Replayed" not in retried.headers
    assert retried.json()["reference"] != booked.json()["reference"]
    with db.session() as s:
        keys = s.exec(select(IdempotencyRecord.key).order_by(IdempotencyRecord.key)).all()
    assert list(keys) == ["k-1", "k-2"]


@pytest.mark.parametrize(
    ("path", "bad_body"),
    [
        ("/v1/bookings", {"quote_id": 42}),
        ("/v1/bookings/JL-AAAAAA/cancel", {"reason": "x", "refund_fen": 1}),
    ],
    ids=["create", "cancel"],
)
def test_booking_posts_check_the_key_before_the_body_and_count_a_bad_body(db, path, bad_body):
    """A wrong key is 401 whatever the body; a valid key's request with a bad body is
    still counted against its rate limit (as on every other endpoint)."""
    partner = add_partner(db, "ota-a")
    settings = Settings(env="test", database_url=db.settings.database_url, rate_limit_per_minute=2)
    app = create_app(settings, database=db)
    app.state.clock = FixedClock(datetime.now(UTC).replace(second=30, microsecond=0))
    with TestClient(app) as c:
        wrong = c.post(
            path,
            json=bad_body,
            headers={"Authorization": "Bearer jl_00000000_wrong", "Idempotency-Key": "k"},
        )
        statuses = [
            c.post(
                path, json=bad_body, headers={**partner.headers, "Idempotency-Key": k}
            ).status_code
            for k in ("k-1", "k-2", "k-3")
        ]
    assert wrong.status_code == 401
    assert wrong.json()["code"] == "invalid_api_key"
    assert wrong.json()["field"] == "Authorization"
    assert statuses == [422, 422, 429]
    with db.session() as s:
        assert s.exec(select(func.count()).select_from(IdempotencyRecord)).one() == 0


def test_a_traveller_is_the_same_by_any_spelling_of_the_phone_and_unreadable():
    spellings = ["13800138000", "+86 138 0013 8000", "138-0013-8000", "8613800138000",
                 "0086 138 0013 8000"]  # fmt: skip
    hashes = {hash_traveller(p, "pepper") for p in spellings}
    assert len(hashes) == 1
    (one,) = hashes
    assert "13800138000" not in one and len(one) == 64
    assert hash_traveller("13800138001", "pepper") != one
    assert hash_traveller("13800138000", "other pepper") != one


def test_every_answer_to_a_counted_key_or_token_says_where_it_stands(db):
    """A partner paced itself blind: only the 429 said anything (Retry-After), once it was
    refused (partner finding). Every answer to a request whose API key or operator token
    was counted says RateLimit-Limit, RateLimit-Remaining and RateLimit-Reset (seconds to
    the next minute), whatever its status (a catalogue read, its 304, a refusal, a
    booking, the 429 itself); an anonymous request, whose key nothing counts, says none."""
    partner = add_partner(db, "ota-a")
    world(db)
    settings = Settings(env="test", database_url=db.settings.database_url, rate_limit_per_minute=6)
    app = create_app(settings, database=db)
    app.state.clock = FixedClock(datetime(2027, 1, 1, 8, 0, 45, tzinfo=UTC))
    key = partner.headers
    with TestClient(app) as c:
        first = c.get(f"/v1/products/{add_product(db)}", headers=key)
        product = first.json()["id"]
        cached = c.get(
            f"/v1/products/{product}", headers={**key, "If-None-Match": first.headers["ETag"]}
        )
        refused = c.post("/v1/quotes", json={}, headers=key)
        quote_id = quote_http(c, item(product), headers=key)["id"]
        booked = post_booking(c, quote_id, headers=key, key="k-1")
        last = c.get("/v1/bookings", headers=key)
        limited = c.get("/v1/bookings", headers=key)
        anonymous = c.get(f"/v1/products/{product}")
        token = c.post("/v1/admin/tokens", json={"login": "admin-a", "password": PASSWORD})
        me = c.get("/v1/admin/me", headers={"Authorization": f"Bearer {token.json()['token']}"})

    def stands(r):
        return [r.headers.get(f"RateLimit-{name}") for name in ("Limit", "Remaining", "Reset")]

    assert [r.status_code for r in (first, cached, refused, booked, last, limited)] == [
        200,
        304,
        422,
        201,
        200,
        429,
    ]
    assert [stands(r) for r in (first, cached, refused, booked, last, limited)] == [
        ["6", "5", "15"],
        ["6", "4", "15"],
        ["6", "3", "15"],
        ["6", "1", "15"],
        ["6", "0", "15"],
        ["6", "0", "15"],
    ]  # the quote between counted the 4th request
    assert limited.headers["Retry-After"] == "15"
    assert stands(anonymous) == [None, None, None]
    assert me.status_code == 200 and stands(me) == ["6", "5", "15"]
    assert stands(token) == [None, None, None]  # the login is counted by address, unsaid
