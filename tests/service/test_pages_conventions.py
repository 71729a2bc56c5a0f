"""Page conventions without a browser: CSRF (signed double submit), language choice,
safe redirects, headers, money and percentage words, HTML error pages. On a probe page of
its own: the app here has no database, and the real pages read the catalogue."""

import pytest
from fastapi import APIRouter, Form, Request
from fastapi.testclient import TestClient
from freezegun import freeze_time

from service.app import create_app
from service.errors import Unprocessable
from service.pages import formats, messages, refusals, web
from service.settings import Settings


def _app():
    app = create_app(Settings(env="test", database_url="sqlite://"))
    probe = APIRouter(route_class=web.PageRoute)

    @probe.get("/_probe")
    def form_page(request: Request):
        return web.render(request, "error.html", {"status": 200, "message_key": "error_title"})

    @probe.post("/_probe")
    def submit(request: Request, amount: str = Form("")):
        if amount != "1":
            raise Unprocessable("bad", field="amount")
        return web.render(request, "error.html", {"status": 200, "message_key": "site_name"})

    app.include_router(probe)
    return app


@pytest.fixture
def page_client():
    with TestClient(_app(), raise_server_exceptions=False) as c:
        yield c


def _signed(client, value: str) -> str:
    from itsdangerous import TimestampSigner

    return TimestampSigner(Settings().secret_key, salt="jl-pages-csrf-2").sign(value).decode()


def _signed_before(value: str) -> str:
    """A token as the pages signed it before 2026-12-06 (a serializer, its own salt)."""
    from itsdangerous import URLSafeTimedSerializer

    return URLSafeTimedSerializer(Settings().secret_key, salt="jl-pages-csrf").dumps(value)


def test_first_page_sets_an_httponly_strict_csrf_cookie(page_client):
    r = page_client.get("/_probe")
    cookie = r.headers["set-cookie"]
    assert cookie.startswith("jl_csrf=")
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie
    # the second page reuses it
    assert "set-cookie" not in page_client.get("/_probe").headers


def test_post_with_the_cookie_and_its_signed_value_passes(page_client):
    page_client.get("/_probe")
    token = _signed(page_client, page_client.cookies["jl_csrf"])
    r = page_client.post("/_probe", data={"csrf_token": token, "amount": "1"})
    assert r.status_code == 200
    assert "吉林旅居康养" in r.text


def test_a_token_signed_before_the_bare_signer_still_passes_until_its_max_age(page_client):
    page_client.get("/_probe")
    value = page_client.cookies["jl_csrf"]
    with freeze_time("2026-12-06 09:00:00"):
        token = _signed_before(value)
    with freeze_time("2026-12-06 20:59:00"):  # 12 h less a minute
        r = page_client.post("/_probe", data={"csrf_token": token, "amount": "1"})
        assert r.status_code == 200
        assert _signed_before("x" + value) != token
        r = page_client.post(
            "/_probe", data={"csrf_token": _signed_before("x" + value), "amount": "1"}
        )
        assert r.status_code == 403
    with freeze_time("2026-12-06 21:01:00"):
        r = page_client.post("/_probe", data={"csrf_token": token, "amount": "1"})
        assert r.status_code == 403


def test_a_token_expires_after_twelve_hours(page_client):
    page_client.get("/_probe")
    with freeze_time("2026-12-06 09:00:00"):
        token = _signed(page_client, page_client.cookies["jl_csrf"])
    with freeze_time("2026-12-06 21:01:00"):
        r = page_client.post("/_probe", data={"csrf_token": token, "amount": "1"})
    assert r.status_code == 403 and "表单已过期或来源不明" in r.text


def test_a_cookie_of_non_ascii_characters_is_refused_not_a_500(page_client):
    """``compare_digest`` raises on a str with non-ASCII characters: compared as bytes."""
    token = _signed(page_client, "abc")
    r = page_client.post(
        "/_probe",
        data={"csrf_token": token, "amount": "1"},
        headers={"Cookie": "jl_csrf=\u00e9t\u00e9".encode()},
    )
    assert r.status_code == 403


@pytest.mark.parametrize(
    "case", ["no_token", "no_cookie", "unsigned", "other_value", "cross_origin"]
)
def test_forged_posts_get_the_403_page_and_nothing_runs(page_client, case):
    page_client.get("/_probe")
    value = page_client.cookies["jl_csrf"]
    data = {"amount": "1", "csrf_token": _signed(page_client, value)}
    headers = {}
    if case == "no_token":
        del data["csrf_token"]
    elif case == "no_cookie":
        page_client.cookies.clear()
    elif case == "unsigned":
        data["csrf_token"] = value
    elif case == "other_value":
        data["csrf_token"] = _signed(page_client, "x" + value)
    else:
        headers["Origin"] = "https://evil.example"
    r = page_client.post("/_probe", data=data, headers=headers)
    assert r.status_code == 403
    assert r.headers["content-type"].startswith("text/html")
    assert "表单已过期或来源不明" in r.text


def test_a_problem_becomes_an_html_page_in_english_by_accept_language(page_client):
    page_client.get("/_probe")
    token = _signed(page_client, page_client.cookies["jl_csrf"])
    r = page_client.post(
        "/_probe", data={"csrf_token": token, "amount": "2"}, headers={"Accept-Language": "en"}
    )
    assert r.status_code == 422
    assert '<html lang="en">' in r.text
    assert "please go back and try again" in r.text


def test_language_cookie_wins_over_accept_language(page_client):
    r = page_client.get("/lang/en?next=/", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/"
    r = page_client.get("/_probe", headers={"Accept-Language": "zh-CN"})
    assert '<html lang="en">' in r.text
    assert r.headers["content-language"] == "en"


@pytest.mark.parametrize(
    "target", ["//evil.example/x", "https://evil.example", "/\\evil.example", "evil", ""]
)
def test_language_switch_never_redirects_off_site(page_client, target):
    r = page_client.get("/lang/zh-CN", params={"next": target}, follow_redirects=False)
    assert r.headers["location"] == "/"


def test_pages_carry_security_headers_and_are_not_in_openapi(page_client):
    r = page_client.get("/_probe")
    csp = r.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "form-action 'self'" in csp
    assert r.headers["cache-control"] == "no-store"
    assert "/" not in page_client.get("/openapi.json").json()["paths"]


def test_money_and_percent_words():
    assert formats.yuan(123456) == "¥1,234.56"
    assert formats.yuan(5) == "¥0.05"
    assert formats.yuan(-100) == "-¥1.00"
    assert formats.percent(1000) == "10%"
    assert formats.percent(1250) == "12.5%"
    assert formats.percent(5) == "0.05%"


def test_every_text_has_both_languages():
    for key, pair in {**messages.TEXT, **refusals.PROBLEMS, **refusals.VALIDATION}.items():
        assert len(pair) == 2 and all(pair), key


def test_pages_read_their_own_query_while_the_api_refuses_unknown_parameters(page_client):
    assert page_client.get("/_probe?utm_source=x&lang=").status_code == 200
    r = page_client.get("/v1/health?utm_source=x")
    assert r.status_code == 422 and r.json()["code"] == "unknown_parameter"


def test_http_errors_at_page_paths_are_html_pages_and_the_api_keeps_problems(client):
    from tests.support.console import csrf_of

    for path in ("/console/nope", "/nope", "/destinations/x/y"):
        r = client.get(path, headers={"Accept-Language": "en"})
        assert r.status_code == 404 and r.headers["content-type"].startswith("text/html"), path
        assert '<html lang="en">' in r.text and "We could not find that page" in r.text
    wrong = client.put("/manage")
    assert wrong.status_code == 405 and wrong.headers["content-type"].startswith("text/html")
    assert "allow" in wrong.headers
    token = csrf_of(client.get("/manage").text)
    big = client.post(
        "/manage", data={"csrf_token": token, "reference": "x" * 70_000, "token": "t"}
    )
    assert big.status_code == 413 and big.headers["content-type"].startswith("text/html")
    assert 'lang="zh-CN"' in big.text and "提交的内容太多了" in big.text
    api = client.get("/v1/nope")
    assert api.status_code == 404 and api.json()["code"] == "not_found"
    api_big = client.post("/v1/quotes", content=b"{" + b" " * 70_000 + b"}",
                          headers={"content-type": "application/json"})  # fmt: skip
    assert api_big.status_code == 413 and api_big.json()["code"] == "payload_too_large"


@pytest.mark.parametrize(
    "asked, page",
    [
        ("/destinations/", "/destinations"),
        ("/plan/?start=2027-09-01&guests=2", "/plan?start=2027-09-01&guests=2"),
        ("/manage/", "/manage"),
        ("/products/changbaishan-north-forest-cabin/", "/products/changbaishan-north-forest-cabin"),
        ("/destinations//", "/destinations"),
        ("/products/%E9%95%BF%E7%99%BD/?x=%2F", "/products/%E9%95%BF%E7%99%BD?x=%2F"),
    ],
)
def test_a_page_asked_with_a_slash_after_it_is_a_permanent_redirect(page_client, asked, page):
    r = page_client.get(asked, follow_redirects=False)
    assert (r.status_code, r.headers["location"]) == (301, page)
    r = page_client.post(asked, data={"a": "1"}, follow_redirects=False)
    assert (r.status_code, r.headers["location"]) == (308, page)  # the method kept


@pytest.mark.parametrize("asked", ["/nowhere/", "/v1/quotes/", "/v1/", "/v1/products/"])
def test_no_redirect_to_a_page_that_is_not_there_nor_for_the_api(page_client, asked):
    r = page_client.get(asked, follow_redirects=False)
    assert r.status_code == 404 and "location" not in r.headers
    if asked.startswith("/v1"):
        assert r.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize("tag, lang", [("zh-cn", "zh-CN"), ("ZH-CN", "zh-CN"), ("EN", "en")])
def test_the_language_tag_is_read_in_any_case(page_client, tag, lang):
    r = page_client.get("/lang/fr?next=/", follow_redirects=False)
    assert r.status_code == 422 and "链接中的信息有误" in r.text  # one we do not speak
    r = page_client.get(f"/lang/{tag}?next=/", follow_redirects=False)
    assert r.status_code == 303 and r.cookies["lang"] == lang
