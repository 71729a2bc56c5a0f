"""API clients and keys: shown once, stored hashed, revocable; 401s; per-key rate limits."""

from datetime import UTC, datetime

from fastapi.testclient import TestClient
from sqlmodel import select

from service.app import create_app
from service.cli import main as cli
from service.clients.keys import hash_key
from service.clients.models import ApiClient, ApiKey
from service.settings import Settings
from tests.service.booking_support import add_partner, add_product, item


class FixedClock:
    def __init__(self, now: datetime) -> None:
        self._now = now

    def now(self) -> datetime:
        return self._now

    def today(self):
        return self._now.date()


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
