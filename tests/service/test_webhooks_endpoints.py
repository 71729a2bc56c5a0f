"""/v1/webhook-endpoints and /v1/webhook-deliveries: partner keys only, each partner its own."""

import pytest
from fastapi.testclient import TestClient

from service.app import create_app
from service.settings import Settings
from tests.support.payments import make_partner

URL = "https://partner.example/jilin/webhooks"


@pytest.fixture
def partner(db) -> dict[str, str]:
    return make_partner(db, db.settings)[1]


def register(client, headers, url=URL):
    return client.post("/v1/webhook-endpoints", headers=headers, json={"url": url})


@pytest.mark.parametrize(
    "method, path",
    [
        ("post", "/v1/webhook-endpoints"),
        ("get", "/v1/webhook-endpoints"),
        ("delete", "/v1/webhook-endpoints/1"),
        ("get", "/v1/webhook-deliveries"),
    ],
)
def test_anonymous_callers_get_401(client, method, path):
    kwargs = {"json": {"url": URL}} if method == "post" else {}
    r = getattr(client, method)(path, **kwargs)

    assert r.status_code == 401
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["code"] == "missing_api_key"


def test_a_wrong_key_gets_401(client):
    r = client.get("/v1/webhook-endpoints", headers={"Authorization": "Bearer jl_nope_nope"})
    assert r.status_code == 401


def test_registering_returns_the_secret_once(client, partner):
    created = register(client, partner)

    assert created.status_code == 201, created.text
    body = created.json()
    assert body["secret"].startswith("whsec_") and len(body["secret"]) > 40
    assert (body["url"], body["active"]) == (URL, True)
    listed = client.get("/v1/webhook-endpoints", headers=partner).json()
    assert [e["id"] for e in listed["items"]] == [body["id"]]
    assert "secret" not in listed["items"][0]
    assert listed["items"][0]["secret_hint"] == "…" + body["secret"][-4:]
    assert listed["next"] is None


@pytest.mark.parametrize(
    "url",
    [
        "ftp://partner.example/hook",
        "partner.example/hook",
        "https://user:pw@partner.example/x",
        "http:///nohost",
        "http://127.0.0.1:abc/",  # a bad port used to crash every worker pass
        "http://partner.example:0/",
        "http://partner.example:65536/",
        "http://[::1",  # malformed IPv6: used to be a 500
        "http://[x]/",
        "http://a..b/",
        "http://-a.b/",
        "http://a_b.com/",
        "http://127.1/",  # non-canonical IPv4 forms a resolver reads as 127.0.0.1
        "http://2130706433/",
        "http://0x7f000001/",
        "http://localhost./",
    ],
)
def test_urls_that_are_not_plain_http_are_refused(client, partner, url):
    r = register(client, partner, url)

    assert r.status_code == 422
    assert (r.json()["code"], r.json()["field"]) == ("invalid_url", "url")


def test_unknown_fields_are_refused(client, partner):
    r = client.post("/v1/webhook-endpoints", headers=partner, json={"url": URL, "secret": "mine"})
    assert r.status_code == 422


@pytest.mark.parametrize(
    "url, ok",
    [
        ("http://partner.example/hook", False),
        ("https://127.0.0.1/hook", False),
        ("https://10.1.2.3/hook", False),
        ("https://localhost/hook", False),
        ("https://printer.local/hook", False),
        ("https://[::1]/hook", False),
        ("https://169.254.169.254/hook", False),
        ("https://partner.example/hook", True),
    ],
)
def test_production_takes_only_https_to_public_hosts(db, url, ok):
    settings = Settings(
        env="production", secret_key="prod-" + "k" * 40, database_url=db.settings.database_url
    )
    _, headers = make_partner(db, settings)
    with TestClient(create_app(settings, database=db)) as client:
        r = register(client, headers, url)

    assert r.status_code == (201 if ok else 422), r.text


def test_a_partner_has_at_most_ten_endpoints(client, partner):
    for i in range(10):
        assert register(client, partner, f"{URL}/{i}").status_code == 201

    r = register(client, partner)

    assert r.status_code == 409
    assert r.json()["code"] == "too_many_endpoints"


def test_endpoints_are_listed_page_by_page(client, partner):
    ids = [register(client, partner, f"{URL}/{i}").json()["id"] for i in range(3)]

    first = client.get("/v1/webhook-endpoints?limit=2", headers=partner).json()
    second = client.get(
        f"/v1/webhook-endpoints?limit=2&cursor={first['next']}", headers=partner
    ).json()

    assert [e["id"] for e in first["items"] + second["items"]] == ids
    assert second["next"] is None


def test_a_removed_endpoint_is_no_longer_listed(client, partner):
    endpoint = register(client, partner).json()

    r = client.delete(f"/v1/webhook-endpoints/{endpoint['id']}", headers=partner)

    assert r.status_code == 204
    assert client.get("/v1/webhook-endpoints", headers=partner).json()["items"] == []
    again = client.delete(f"/v1/webhook-endpoints/{endpoint['id']}", headers=partner)
    assert again.status_code == 404


def test_a_partner_cannot_see_or_remove_another_partners_endpoint(db, client, partner):
    endpoint = register(client, partner).json()
    _, other = make_partner(db, db.settings)

    assert client.get("/v1/webhook-endpoints", headers=other).json()["items"] == []
    r = client.delete(f"/v1/webhook-endpoints/{endpoint['id']}", headers=other)
    assert r.status_code == 404
    assert r.json()["code"] == "webhook_endpoint_not_found"


@pytest.mark.parametrize(
    "query", ["limit=101", "limit=0", "cursor=bm9wZQ", "status=lost", "cursor=WyJ4Il0"]
)
def test_bad_list_parameters_are_a_422(client, partner, query):
    r = client.get(f"/v1/webhook-deliveries?{query}", headers=partner)
    assert r.status_code == 422


def test_the_deliveries_filter_takes_only_the_partners_own_endpoints(db, client, partner):
    """``endpoint_id`` naming no endpoint of the caller's is a 422 naming it, never a 200
    with an empty list that reads "nothing delivered there" (newcomer finding); one the
    partner removed still filters its deliveries. Another partner's id answers exactly as
    an id nobody has."""
    mine = register(client, partner).json()["id"]
    _, other = make_partner(db, db.settings)
    theirs = register(client, other).json()["id"]

    listed = client.get(f"/v1/webhook-deliveries?endpoint_id={mine}", headers=partner)
    assert listed.status_code == 200 and listed.json()["items"] == []
    refusals = [
        client.get(
            f"/v1/webhook-deliveries?endpoint_id={endpoint_id}",
            headers={**partner, "Accept-Language": "en"},
        )
        for endpoint_id in (theirs, 99999)
    ]
    for r in refusals:
        assert r.status_code == 422
        assert r.headers["content-type"] == "application/problem+json"
        assert (r.json()["code"], r.json()["field"]) == (
            "webhook_endpoint_not_found",
            "endpoint_id",
        )
    assert refusals[0].json()["detail"] == f"No webhook endpoint {theirs}."
    zh = client.get(f"/v1/webhook-deliveries?endpoint_id={theirs}", headers=partner)
    assert zh.json()["detail"] == f"没有 Webhook 端点 {theirs}。"

    assert client.delete(f"/v1/webhook-endpoints/{mine}", headers=partner).status_code == 204
    removed = client.get(f"/v1/webhook-deliveries?endpoint_id={mine}", headers=partner)
    assert removed.status_code == 200
