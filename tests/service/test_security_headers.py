"""What every answer says to a browser about itself (security headers), and the pages'
cookies marked ``Secure`` in production whatever scheme the app sees."""

import secrets
from http.cookies import SimpleCookie
from types import SimpleNamespace

import pytest
from fastapi.testclient import TestClient
from itsdangerous import BadSignature, TimestampSigner
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from service.app import create_app
from service.pages import csrf, web
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


PLAIN = {"csrf": "jl_csrf", "console": "jl_console", "booking": "jl_booking"}
# Where the cookies are Secure: __Host- at path /, __Secure- under a narrower path.
PREFIXED = {
    "csrf": "__Host-jl_csrf",
    "console": "__Secure-jl_console",
    "booking": "__Secure-jl_booking",
}


def _production(db) -> Settings:
    return Settings(
        env="production", secret_key="prod-" + "k" * 40, database_url=db.settings.database_url
    )


def _booked(client, db, sent: dict[str, str]):
    """A booking opened at ``/manage`` (reference and token posted), with ``sent``'s
    cookies: the response that sets the booking cookie, and the booking."""
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
    return opened, booking


def _pages_cookies(client, db, names: dict[str, str]) -> dict:
    """The three cookies the pages set (CSRF, the console's session, the booking's),
    under ``names``, as each first response sets them: the cookies posted back by hand,
    as a browser would over HTTPS (the test client keeps a Secure cookie to itself over
    http)."""
    form = client.get("/console/login")
    csrf = _set(form, names["csrf"])
    sent = {"Cookie": f"{names['csrf']}={csrf.value}"}
    add_operator(db, "ops-secure", "province_admin")
    login = client.post(
        "/console/login",
        data={"login": "ops-secure", "password": PASSWORD, "csrf_token": csrf_of(form.text)},
        headers=sent,
        follow_redirects=False,
    )
    assert login.status_code == 303, login.text
    opened, _ = _booked(client, db, sent)
    return {
        "csrf": csrf,
        "console": _set(login, names["console"]),
        "booking": _set(opened, names["booking"]),
    }


PATHS = {"csrf": "/", "console": "/console", "booking": "/manage"}


def test_production_marks_the_pages_cookies_secure_behind_a_proxy(db):
    """Behind a proxy that ends TLS the app sees http (uvicorn without
    ``--proxy-headers``): in production the cookies are Secure all the same, so a browser
    never sends the console's session or a booking's token over plain HTTP. Their names
    carry the prefix a browser holds them to (RFC 6265bis): a page over plain HTTP cannot
    set one in their place, and the CSRF cookie (``__Host-``, no Domain) no other host of
    the domain either."""
    with TestClient(create_app(_production(db), database=db), base_url="http://testserver") as c:
        cookies = _pages_cookies(c, db, PREFIXED)

    for name, cookie in cookies.items():
        assert cookie["secure"] is True, name
        assert cookie["httponly"] is True, name
        assert cookie["samesite"].lower() == "strict", name
        assert cookie["path"] == PATHS[name], name
        assert cookie["domain"] == "", name  # this host only: what __Host- requires


@pytest.mark.parametrize(("scheme", "names"), [("http", PLAIN), ("https", PREFIXED)])
def test_development_marks_them_secure_over_https_only(db, scheme, names):
    """A development server over plain http (``./dev serve``) keeps working in a browser:
    its cookies are not Secure, so they go by their plain names (a browser refuses a
    prefixed cookie without Secure)."""
    with TestClient(create_app(db.settings, database=db), base_url=f"{scheme}://testserver") as c:
        cookies = _pages_cookies(c, db, names)

    assert {name: bool(cookie["secure"]) for name, cookie in cookies.items()} == {
        "csrf": scheme == "https",
        "console": scheme == "https",
        "booking": scheme == "https",
    }


def test_a_csrf_cookie_under_its_plain_name_counts_for_nothing_in_production(db):
    """A ``jl_csrf`` cookie, one a page over plain HTTP or another host of the domain
    could plant with a value it knows, or a visitor's own from before the prefix: the
    form signed for it is refused, and the page gives the visitor a new value under
    ``__Host-jl_csrf``, whose form then passes."""
    with TestClient(create_app(_production(db), database=db)) as c:
        planted = _set(c.get("/console/login"), PREFIXED["csrf"]).value
        form = c.get("/console/login", headers={"Cookie": f"__Host-jl_csrf={planted}"})
        post = {"login": "nobody", "password": "x", "csrf_token": csrf_of(form.text)}
        refused = c.post("/console/login", data=post, headers={"Cookie": f"jl_csrf={planted}"})
        assert refused.status_code == 403, refused.text
        assert _set(refused, PREFIXED["csrf"]).value != planted  # its page gives a new one

        fresh = c.get("/console/login", headers={"Cookie": f"jl_csrf={planted}"})
        value = _set(fresh, PREFIXED["csrf"]).value
        assert value != planted
        post["csrf_token"] = csrf_of(fresh.text)
        passed = c.post("/console/login", data=post, headers={"Cookie": f"__Host-jl_csrf={value}"})
        assert passed.status_code == 401, passed.text  # past the CSRF check: a wrong login


def test_a_booking_kept_under_the_cookies_former_name_still_opens_then_is_forgotten(db):
    """A booking cookie from before the prefix (``jl_booking``, 30 days) still opens the
    traveller's booking, so no one types the code again for the rename; forgetting the
    booking expires it under both names, each Secure (a browser ignores the expiry of a
    prefixed cookie otherwise). A value signed since, for a booking of one's own,
    planted under the plain name (a page over plain HTTP can set that name) opens
    nothing: the plain name is read only as it was signed before the prefix."""
    settings = _production(db)
    with TestClient(create_app(settings, database=db)) as c:
        csrf = _set(c.get("/manage"), PREFIXED["csrf"]).value
        sent = {"Cookie": f"__Host-jl_csrf={csrf}"}
        opened, booking = _booked(c, db, sent)
        kept = _set(opened, PREFIXED["booking"]).value
        payload = TimestampSigner(settings.secret_key, salt="jl-pages-booking-3").unsign(kept)
        then = TimestampSigner(settings.secret_key, salt="jl-pages-booking-2").sign(payload)

        planted = c.get("/manage", headers={"Cookie": f"__Host-jl_csrf={csrf}; jl_booking={kept}"})
        assert booking["reference"] not in planted.text
        assert 'action="/manage"' in planted.text  # the form to type the code in

        former = {"Cookie": f"__Host-jl_csrf={csrf}; jl_booking={then.decode()}"}
        page = c.get("/manage", headers=former)
        assert booking["reference"] in page.text

        forget = c.post(
            "/manage/forget",
            data={"csrf_token": csrf_of(page.text)},
            headers=former,
            follow_redirects=False,
        )
        assert forget.status_code == 303, forget.text
        for name in ("__Secure-jl_booking", "jl_booking"):
            expired = _set(forget, name)
            assert (expired["max-age"], expired["path"], expired["secure"]) == (
                "0",
                "/manage",
                True,
            )
        assert booking["reference"] not in c.get("/manage", headers=sent).text


def test_a_console_session_under_the_former_name_logs_in_again(db):
    """The console's session cookie lasts 12 hours: one from before the prefix is not
    read (a session planted under the plain name would be too); the operator logs in."""
    with TestClient(create_app(_production(db), database=db)) as c:
        form = c.get("/console/login")
        csrf = _set(form, PREFIXED["csrf"]).value
        add_operator(db, "ops-prefix", "province_admin")
        login = c.post(
            "/console/login",
            data={"login": "ops-prefix", "password": PASSWORD, "csrf_token": csrf_of(form.text)},
            headers={"Cookie": f"__Host-jl_csrf={csrf}"},
            follow_redirects=False,
        )
        session = _set(login, PREFIXED["console"]).value

        current = c.get("/console", headers={"Cookie": f"__Secure-jl_console={session}"})
        former = c.get(
            "/console", headers={"Cookie": f"jl_console={session}"}, follow_redirects=False
        )
    assert current.status_code == 200, current.text
    assert (former.status_code, former.headers["location"]) == (303, "/console/login")


@pytest.mark.parametrize("production", [True, False])
def test_the_language_cookie_is_secure_where_the_others_are(db, production):
    """The ``lang`` cookie (a link's ``?lang=``, the language switch) went out without
    ``Secure`` in production until December 2026; over plain http in development it
    still goes without, or a browser would drop it."""
    settings = _production(db) if production else db.settings
    with TestClient(create_app(settings, database=db), base_url="http://testserver") as c:
        linked = _set(c.get("/?lang=en"), "lang")
        switched = c.get("/lang/zh-CN?next=/", follow_redirects=False)
    for cookie in (linked, _set(switched, "lang")):
        assert (cookie["secure"] is True) is production
        assert (cookie["httponly"], cookie["samesite"].lower(), cookie["path"]) == (
            True,
            "lax",
            "/",
        )


def test_production_asks_browsers_for_https_only(db, client):
    """``Strict-Transport-Security`` on every answer in production (pages, the API, a
    refusal); none in development, served over plain http."""
    with TestClient(create_app(_production(db), database=db)) as served:
        for path in ("/", "/v1/health", "/v1/no-such-thing", "/console/login"):
            r = served.get(path)
            assert r.headers["strict-transport-security"] == "max-age=31536000", path

    assert "strict-transport-security" not in client.get("/v1/health").headers


@pytest.mark.parametrize("scheme", ["http", "https", "HTTPS"])
@pytest.mark.parametrize("env", ["development", "production"])
def test_a_pages_cookie_is_the_line_starlette_writes(scheme, env):
    """``csrf.set_cookie`` writes a URL-safe value before attribute words made once,
    and any other value through Starlette's ``set_cookie``: the same header line, byte
    for byte, as Starlette's own for every value, path, age and scheme."""
    settings = SimpleNamespace(settings=SimpleNamespace(env=env))
    request = SimpleNamespace(scope={"scheme": scheme}, app=SimpleNamespace(state=settings))
    for path in ("/", "/manage"):
        for max_age in (None, 0, 3600):
            for value in (secrets.token_urlsafe(24), "a:b.~!", "", "a b", "x;y", 'q"', "é"):
                ours, starlettes = Response(), Response()
                csrf.set_cookie(request, ours, "jl_csrf", value, path=path, max_age=max_age)
                starlettes.set_cookie(
                    csrf.cookie_name(request, "jl_csrf", path),
                    value,
                    max_age=max_age,
                    httponly=True,
                    samesite="strict",
                    secure=csrf.secure_cookie(request),
                    path=path,
                )
                assert ours.raw_headers == starlettes.raw_headers


def test_the_bare_signer_signs_and_reads_as_itsdangerous_does():
    """Its key derived once: the same signatures as a new ``TimestampSigner``'s, each
    read by the other, and a token of another secret refused."""
    ours = csrf._KeyedSigner("s" * 40, "jl-pages-csrf-2")
    theirs = TimestampSigner("s" * 40, salt="jl-pages-csrf-2")
    for _ in range(2):  # the derived key read again
        assert ours.get_signature(b"value") == theirs.get_signature(b"value")
        assert ours.unsign(theirs.sign("value")) == b"value"
        assert theirs.unsign(ours.sign("value")) == b"value"
    with pytest.raises(BadSignature):
        ours.unsign(TimestampSigner("t" * 40, salt="jl-pages-csrf-2").sign("value"))


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_a_pages_answer_has_the_header_lines_starlette_writes(client, lang):
    """``web._response`` puts in the page headers encoded once: the same lines, in the
    same order, as Starlette writes them from ``headers=`` and ``headers[...] =``."""
    scope = {"type": "http", "method": "GET", "path": "/", "query_string": b"", "headers": []}
    request = Request({**scope, "scheme": "http", "app": client.app})
    ours = web._response(request, b"<p>page</p>", lang)
    starlettes = HTMLResponse(b"<p>page</p>", headers=dict(web.SECURITY_HEADERS))
    starlettes.headers["Content-Language"] = lang
    assert ours.raw_headers == starlettes.raw_headers
    assert ours.body == starlettes.body and ours.status_code == 200
