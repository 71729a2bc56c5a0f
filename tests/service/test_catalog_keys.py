"""A /v1 request that presents an API key has it checked and counted, the public
catalogue's reads included; one without ``Authorization`` stays anonymous."""

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from service.app import create_app
from service.cli import main as cli
from service.openapi import PUBLIC
from service.ratelimit import RateLimitWindow
from service.settings import Settings
from tests.service.booking_support import FIRST_NIGHT, add_partner, add_product
from tests.support.clock import FixedClock

BAD = {"Authorization": "Bearer jl_00000000_bad"}

# Operations with credentials of their own (Stripe's signature, an operator's password)
# or none to check (the load balancer's probes).
NOT_KEYED = {
    "/v1/health",
    "/v1/health/ready",
    "/v1/payments/stripe/webhook",
    "/v1/admin/tokens",
}


def _catalogue_paths(product_id: int) -> list[str]:
    week = f"from={FIRST_NIGHT}&to={FIRST_NIGHT.replace(day=FIRST_NIGHT.day + 7)}"
    return [
        "/v1/destinations",
        "/v1/products",
        f"/v1/products/{product_id}",
        f"/v1/products/{product_id}/availability?{week}",
        f"/v1/products/{product_id}/rate-history",
        f"/v1/availability?theme=hot_spring&{week}",
        "/v1/map/destinations",
        "/v1/transit-lines",
        "/v1/stub-deals",
        "/v1/discount-rules",
        "/v1/routes",
    ]


def test_every_v1_operation_but_the_probes_and_the_admin_login_reads_a_key(app):
    document = app.openapi()
    for path, operations in document["paths"].items():
        if not path.startswith("/v1") or path in NOT_KEYED:
            continue
        for method, operation in operations.items():
            assert operation["security"] != PUBLIC, (method, path)
            assert {"401", "429"} <= operation["responses"].keys(), (method, path)


def test_a_wrong_key_on_a_catalogue_read_is_401_in_the_callers_language(db, client):
    product = add_product(db)
    for path in _catalogue_paths(product):
        assert client.get(path).status_code == 200, path
        r = client.get(path, headers={**BAD, "Accept-Language": "en"})
        assert r.status_code == 401, path
        assert r.headers["content-type"] == "application/problem+json"
        assert r.headers["WWW-Authenticate"] == "Bearer"
        body = r.json()
        assert (body["code"], body["field"]) == ("invalid_api_key", "Authorization")
        assert body["detail"] == "The API key is wrong or revoked."
    # the catalogue's cached answer (kept by the anonymous reads above) is no way round
    r = client.get("/v1/products", headers={"Authorization": "Bearer not-a-key"})
    assert (r.status_code, r.json()["detail"]) == (401, "API 密钥错误或已吊销。")


def test_a_revoked_key_is_refused_on_the_catalogue_and_a_conditional_read_too(
    db, client, monkeypatch
):
    partner = add_partner(db, "ota-a")
    add_product(db)
    ok = client.get("/v1/products", headers=partner.headers)
    assert ok.status_code == 200
    same = {**partner.headers, "If-None-Match": ok.headers["ETag"]}
    assert client.get("/v1/products", headers=same).status_code == 304
    monkeypatch.setenv("DATABASE_URL", db.settings.database_url)
    assert cli(["revoke-key", partner.key.rsplit("_", 1)[0][:11]]) == 0
    for headers in (partner.headers, same):
        r = client.get("/v1/products", headers=headers)
        assert (r.status_code, r.json()["code"]) == (401, "invalid_api_key")
    assert client.get("/v1/products").status_code == 200


def _hits(db) -> int:
    with db.engine.connect() as conn:
        return conn.execute(sa.select(sa.func.sum(RateLimitWindow.__table__.c.hits))).scalar()


@pytest.mark.parametrize("path", ["/v1/products", "price-calendar"])
def test_a_keyed_catalogue_read_counts_once_against_the_keys_limit(db, path):
    partner = add_partner(db, "ota-a")
    product = add_product(db)
    if path == "price-calendar":
        path = (
            f"/v1/products/{product}/price-calendar?from={FIRST_NIGHT}"
            f"&to={FIRST_NIGHT.replace(day=FIRST_NIGHT.day + 3)}&nights=2"
        )
    settings = Settings(env="test", database_url=db.settings.database_url, rate_limit_per_minute=2)
    app = create_app(settings, database=db)
    app.state.clock = FixedClock(datetime(2027, 1, 1, 8, 0, 45, tzinfo=UTC))
    with TestClient(app) as c:
        statuses = [c.get(path, headers=partner.headers).status_code for _ in range(3)]
        counted = _hits(db)
        assert c.get(path).status_code == 200
    assert statuses == [200, 200, 429]  # counted once each, not by both dependencies
    assert _hits(db) == counted  # the anonymous read is not counted
