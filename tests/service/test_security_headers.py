"""What every answer says to a browser about itself (security headers), and the pages'
cookies marked ``Secure`` in production whatever scheme the app sees."""

from http.cookies import SimpleCookie

import pytest
from fastapi.testclient import TestClient

from service.app import create_app
from service.settings import Settings
from tests.support.console import csrf_of
from tests.support.operators import PASSWORD, add_operator
from tests.support.payments import book, make_stay

JSON_POLICY = "default-src 'none'; frame-ancestors 'none'"


@pytest.mark.parametrize(
    ("path", "status", "policy"),
    [
        ("/v1/health", 200, JSON_POLICY),
        ("/v1/destinations", 200, JSON_POLICY),
        ("/v1/no-such-thing", 404, JSON_POLICY),  # a problem document
        ("/v1/products?theme=spa_day", 422, JSON_POLICY),
        ("/v1/admin/me", 401, JSON_POLICY),
        ("/openapi.json", 200, JSON_POLICY),
        ("/docs", 200, "frame-ancestors 'none'"),  # Swagger UI's own script stays
        ("/redoc", 200, "frame-ancestors 'none'"),
        ("/static/site.css", 200, "frame-ancestors 'none'"),
    ],
)
def test_every_answer_refuses_sniffing_and_framing(client, path, status, policy):
    """Until December 2026 only the pages carried these: the API's JSON, its problems,
    the API docs and static files had none, so another site could frame ``/docs`` and
    a browser could sniff a JSON answer as something else."""
    r = client.get(path)

    assert r.status_code == status, r.text
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["content-security-policy"] == policy
    assert r.headers["referrer-policy"] == "same-origin"


def test_a_page_keeps_its_own_stricter_policy_once(client):
    r = client.get("/manage")

    assert r.headers.get_list("content-security-policy") == [
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
    ]
    assert r.headers.get_list("x-content-type-options") == ["nosniff"]


def _set(r, name: str):
    """The ``Set-Cookie`` of ``name`` in ``r``, parsed (its value and attributes)."""
    for line in r.headers.get_list("set-cookie"):
        cookie = SimpleCookie(line)
        if name in cookie:
            return cookie[name]
    raise AssertionError(f"no Set-Cookie for {name}: {r.headers.get_list('set-cookie')}")


def _pages_cookies(client, db) -> dict:
    """The three cookies the pages set (CSRF, the console's session, the booking's),
    as each first response sets them: the cookies posted back by hand, as a browser
    would over HTTPS (the test client keeps a Secure cookie to itself over http)."""
    form = client.get("/console/login")
    csrf = _set(form, "jl_csrf")
    sent = {"Cookie": f"jl_csrf={csrf.value}"}
    add_operator(db, "ops-secure", "province_admin")
    login = client.post(
        "/console/login",
        data={"login": "ops-secure", "password": PASSWORD, "csrf_token": csrf_of(form.text)},
        headers=sent,
        follow_redirects=False,
    )
    assert login.status_code == 303, login.text
    booking = book(client, make_stay(db))
    opened = client.post(
        "/manage",
        data={
            "reference": booking["reference"],
            "token": booking["token"],
            "csrf_token": csrf_of(client.get("/manage", headers=sent).text),
        },
        headers=sent,
        follow_redirects=False,
    )
    assert opened.status_code == 303, opened.text
    return {
        "jl_csrf": csrf,
        "jl_console": _set(login, "jl_console"),
        "jl_booking": _set(opened, "jl_booking"),
    }


def test_production_marks_the_pages_cookies_secure_behind_a_proxy(db):
    """Behind a proxy that ends TLS the app sees http (uvicorn without
    ``--proxy-headers``): in production the cookies are Secure all the same, so a browser
    never sends the console's session or a booking's token over plain HTTP."""
    production = Settings(
        env="production", secret_key="prod-" + "k" * 40, database_url=db.settings.database_url
    )
    with TestClient(create_app(production, database=db), base_url="http://testserver") as client:
        cookies = _pages_cookies(client, db)

    for name, cookie in cookies.items():
        assert cookie["secure"] is True, name
        assert cookie["httponly"] is True, name
        assert cookie["samesite"].lower() == "strict", name


@pytest.mark.parametrize(("scheme", "secure"), [("http", False), ("https", True)])
def test_development_marks_them_secure_over_https_only(db, scheme, secure):
    """A development server over plain http (``./dev serve``) keeps working in a browser."""
    with TestClient(create_app(db.settings, database=db), base_url=f"{scheme}://testserver") as c:
        cookies = _pages_cookies(c, db)

    assert {name: bool(cookie["secure"]) for name, cookie in cookies.items()} == {
        "jl_csrf": secure,
        "jl_console": secure,
        "jl_booking": secure,
    }


def test_production_asks_browsers_for_https_only(db, client):
    """``Strict-Transport-Security`` on every answer in production (pages, the API, a
    refusal); none in development, served over plain http."""
    production = Settings(
        env="production", secret_key="prod-" + "k" * 40, database_url=db.settings.database_url
    )
    with TestClient(create_app(production, database=db)) as served:
        for path in ("/", "/v1/health", "/v1/no-such-thing", "/console/login"):
            r = served.get(path)
            assert r.headers["strict-transport-security"] == "max-age=31536000", path

    assert "strict-transport-security" not in client.get("/v1/health").headers
