"""Liveness, readiness and Prometheus metrics."""

import logging
import os
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from service.app import create_app
from service.health import migration_heads
from tests.conftest import make_settings
from tests.service.booking_support import add_product, item, make_hold, post_booking, quote_http


def test_liveness(client):
    r = client.get("/v1/health")
    assert r.status_code == 200 and r.json() == {"status": "ok"}


def test_ready_when_the_database_answers_at_the_migrations_head(client):
    r = client.get("/v1/health/ready")
    assert r.status_code == 200, r.text
    assert r.json() == {
        "status": "ready",
        "database": "ok",
        "schema_revision": ", ".join(sorted(migration_heads())),
    }


def test_a_readiness_probe_writes_only_its_access_line(client, caplog):
    """A load balancer probes every few seconds: no line of Alembic's per probe
    ("Context impl SQLiteImpl.", "Will assume non-transactional DDL.")."""
    caplog.set_level(logging.INFO)
    for _ in range(2):
        caplog.clear()
        r = client.get("/v1/health/ready")
        assert r.status_code == 200, r.text
        server_lines = [rec for rec in caplog.records if rec.name != "httpx"]  # the test's client
        assert [(rec.name, getattr(rec, "route", None)) for rec in server_lines] == [
            ("jilin.access", "/v1/health/ready")
        ]


def test_not_ready_on_a_database_that_was_not_migrated(tmp_path):
    app = create_app(make_settings(f"sqlite:///{tmp_path / 'empty.db'}"))
    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.get("/v1/health/ready", headers={"Accept-Language": "en"})
    assert r.status_code == 503
    body = r.json()
    assert body["code"] == "not_ready" and body["field"] == "schema_revision"
    assert "none" in body["detail"]


def test_not_ready_when_the_database_does_not_answer():
    app = create_app(make_settings("postgresql+psycopg://nobody@127.0.0.1:9/none"))
    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.get("/v1/health/ready")
        assert c.get("/v1/health").status_code == 200  # still alive
    assert r.status_code == 503
    assert r.json()["code"] == "not_ready" and r.json()["field"] == "database"
    assert r.headers["content-language"] == "zh-CN"


def _sample(text: str, name: str, **labels: str) -> float | None:
    for line in text.splitlines():
        if not line.startswith(name + "{") and not line.startswith(name + " "):
            continue
        found = dict(re.findall(r'(\w+)="([^"]*)"', line.split(" ")[0]))
        if all(found.get(k) == v for k, v in labels.items()):
            return float(line.rsplit(" ", 1)[1])
    return None


def test_metrics_count_requests_by_route_and_read_bookings_from_the_database(client, db):
    product = add_product(db, units=5)
    quote = quote_http(client, item(product, units=2))
    booked = post_booking(client, quote["id"])
    assert booked.status_code == 201, booked.text
    second = post_booking(client, quote_http(client, item(product))["id"])
    make_hold(db, second.json()["reference"], datetime.now(UTC) + timedelta(minutes=10))
    client.get(f"/v1/quotes/{quote['id']}")
    client.get("/v1/quotes/q_nonexistent")

    r = client.get("/metrics")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain")
    text = r.text
    count = "jilin_http_request_duration_seconds_count"
    assert _sample(text, count, method="POST", route="/v1/bookings", status="201") >= 2
    assert _sample(text, count, method="GET", route="/v1/quotes/{quote_id}", status="404") >= 1
    assert "q_nonexistent" not in text  # route templates, never raw paths
    assert _sample(text, "jilin_bookings", status="confirmed") == 1
    assert _sample(text, "jilin_bookings", status="pending_payment") == 1
    assert _sample(text, "jilin_held_units") == 1
    assert _sample(text, "jilin_webhook_deliveries_pending") == 0
    assert _sample(text, "jilin_refunds_pending") == 0
    assert _sample(text, "jilin_refunds_oldest_pending_seconds") == 0


def test_metrics_export_every_booking_status_with_zero_when_none(client, db):
    """A dashboard shows 0, not "no data": before the first booking every status is
    exported with 0, and after one the statuses no booking has stay at 0."""
    from service.bookings.models import STATUSES

    text = client.get("/metrics").text
    assert {s: _sample(text, "jilin_bookings", status=s) for s in STATUSES} == dict.fromkeys(
        STATUSES, 0
    )
    product = add_product(db, units=5)
    assert post_booking(client, quote_http(client, item(product))["id"]).status_code == 201
    text = client.get("/metrics").text
    assert {s: _sample(text, "jilin_bookings", status=s) for s in STATUSES} == {
        **dict.fromkeys(STATUSES, 0),
        "confirmed": 1,
    }


def test_metrics_are_open_without_a_metrics_token(client):
    """No ``JL_METRICS_TOKEN``: ``/metrics`` answers anyone (the README says to keep it
    reachable only from the scraper's network then), whatever ``Authorization`` says."""
    assert client.get("/metrics").status_code == 200
    assert client.get("/metrics", headers={"Authorization": "Bearer x"}).status_code == 200


def test_metrics_need_the_metrics_token_where_one_is_set(db):
    """``JL_METRICS_TOKEN`` set: only ``Authorization: Bearer <it>`` reads the metrics;
    none, another token, another scheme or the token with a character more or less is 401
    ``invalid_metrics_token`` (problem+json, ``WWW-Authenticate: Bearer``) and shows no
    count."""
    token = "scrape-3f9c0a1b7e"
    settings = db.settings.model_copy(update={"metrics_token": token})
    with TestClient(create_app(settings, database=db), raise_server_exceptions=False) as c:
        ok = c.get("/metrics", headers={"Authorization": f"Bearer {token}"})
        assert ok.status_code == 200 and "jilin_bookings" in ok.text
        for headers in (
            {},
            {"Authorization": "Bearer wrong"},
            {"Authorization": f"Basic {token}"},
            {"Authorization": f"Bearer {token}x"},
            {"Authorization": f"Bearer {token[:-1]}"},
            {"Authorization": "Bearer 令牌".encode()},  # raw UTF-8 bytes
        ):
            r = c.get("/metrics", headers=headers)
            assert r.status_code == 401, (headers, r.text)
            assert r.headers["content-type"].startswith("application/problem+json")
            assert r.headers["www-authenticate"] == "Bearer"
            assert (r.json()["code"], r.json()["field"]) == (
                "invalid_metrics_token",
                "Authorization",
            )
            assert "jilin_" not in r.text


@pytest.mark.parametrize("token", ["令牌-scrape", "scrapé", "two words", "tab\there", "bell\x07"])
def test_a_metrics_token_a_header_cannot_carry_is_refused_at_startup(token, monkeypatch):
    """A header value is read as latin-1 and the token hashed as UTF-8, so a token with
    anything but visible ASCII could never match: the settings refuse it, naming
    ``JL_METRICS_TOKEN``, instead of a server whose every scrape is 401."""
    from pydantic import ValidationError

    from service.settings import Settings

    monkeypatch.setenv("JL_METRICS_TOKEN", token)
    with pytest.raises(ValidationError, match="JL_METRICS_TOKEN must be visible ASCII"):
        Settings()
    monkeypatch.setenv("JL_METRICS_TOKEN", "scrape-3f9c0a1b7e!~")
    assert Settings().metrics_token == "scrape-3f9c0a1b7e!~"


@pytest.mark.slow
def test_metrics_add_up_every_workers_histograms(tmp_path):
    """With PROMETHEUS_MULTIPROC_DIR (what `jilin serve --workers N` sets), each process
    writes its histograms to files and /metrics in any of them reports the sum."""
    script = """
import sys
from fastapi.testclient import TestClient
from service.app import create_app
from service.settings import Settings
from service.migrate import upgrade
url = sys.argv[1]
upgrade(url)
with TestClient(create_app(Settings(env="test", database_url=url))) as c:
    for _ in range(int(sys.argv[2])):
        assert c.get("/v1/health").status_code == 200
    if sys.argv[3] == "scrape":
        print(c.get("/metrics").text)
"""
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics")}
    (tmp_path / "metrics").mkdir()
    url = f"sqlite:///{tmp_path / 'm.db'}"
    run = [sys.executable, "-c", script, url]
    subprocess.run([*run, "3", "no"], env=env, check=True, capture_output=True)
    out = subprocess.run([*run, "2", "scrape"], env=env, check=True, capture_output=True)
    text = out.stdout.decode()
    count = "jilin_http_request_duration_seconds_count"
    assert _sample(text, count, method="GET", route="/v1/health", status="200") == 5


def test_answers_before_routing_are_counted_under_their_route_template(client, db):
    """A 304 (If-None-Match), a 413 (body size), a 415 (not JSON), an OPTIONS, a HEAD
    and Starlette's own routes (/openapi.json, /redoc, a static file) are counted under
    their route's template, not ``unmatched``: the registry is the process's, so what is
    checked is what each request added. A path no route has stays ``unmatched``."""
    product = add_product(db, units=5)
    tag = client.get(f"/v1/products/{product}").headers["etag"]
    count = "jilin_http_request_duration_seconds_count"
    calls = [
        (
            ("GET", f"/v1/products/{product}"),
            {"headers": {"If-None-Match": tag}},
            ("GET", "/v1/products/{id_or_slug}", "304"),
        ),
        (
            ("POST", "/v1/quotes"),
            {"content": b"x" * (65 * 1024), "headers": {"content-type": "application/json"}},
            ("POST", "/v1/quotes", "413"),
        ),
        (
            ("POST", "/v1/quotes"),
            {"content": b"x", "headers": {"content-type": "text/plain"}},
            ("POST", "/v1/quotes", "415"),
        ),
        (("OPTIONS", "/v1/quotes"), {}, ("OPTIONS", "/v1/quotes", "204")),
        (("HEAD", f"/v1/products/{product}"), {}, ("HEAD", "/v1/products/{id_or_slug}", "200")),
        (("DELETE", "/v1/quotes"), {}, ("DELETE", "/v1/quotes", "405")),
        (("GET", "/openapi.json"), {}, ("GET", "/openapi.json", "200")),
        (("GET", "/redoc"), {}, ("GET", "/redoc", "200")),
        (("GET", "/static/site.css"), {}, ("GET", "/static/{path}", "200")),
        (("GET", "/v1/nowhere"), {}, ("GET", "unmatched", "404")),
    ]
    for (method, path), kwargs, (m, route, status) in calls:
        before = _sample(client.get("/metrics").text, count, method=m, route=route, status=status)
        unmatched = _sample(
            client.get("/metrics").text, count, method=m, route="unmatched", status=status
        )
        r = client.request(method, path, **kwargs)
        assert str(r.status_code) == status, (method, path, r.status_code, r.text[:200])
        text = client.get("/metrics").text
        assert (_sample(text, count, method=m, route=route, status=status) or 0) == (
            before or 0
        ) + 1
        if route != "unmatched":
            assert _sample(text, count, method=m, route="unmatched", status=status) == unmatched
