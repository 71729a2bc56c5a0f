"""Conventions of every answer: language, request id, HEAD/OPTIONS, 415, gzip, docs."""

import ast
import json
import logging
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from pricing import PricingError
from service.errors import DomainError
from tests.service.booking_support import (
    add_product,
    booking_body,
    item,
    post_booking,
    quote_http,
)

ROOT = Path(__file__).resolve().parents[2]
CJK = re.compile(r"[\u4e00-\u9fff]")


def _problem(r, status: int, code: str, field: str | None = None) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/problem+json"
    body = r.json()
    assert body["code"] == code and body["status"] == status
    if field is not None:
        assert body["field"] == field
    return body


# --- language ----------------------------------------------------------------------


def test_a_problem_is_in_chinese_by_default_and_in_english_on_request(client):
    zh = client.get("/v1/products/no-such-product")
    en = client.get("/v1/products/no-such-product", headers={"Accept-Language": "en-GB,en"})
    zh_body = _problem(zh, 404, "not_found", "id_or_slug")
    en_body = _problem(en, 404, "not_found", "id_or_slug")
    assert zh.headers["content-language"] == "zh-CN" and en.headers["content-language"] == "en"
    assert "Accept-Language" in zh.headers["vary"]
    assert CJK.search(zh_body["detail"]) and CJK.search(zh_body["title"])
    assert not CJK.search(en_body["detail"]) and "no-such-product" in en_body["detail"]


def test_validation_errors_of_fastapi_are_translated_field_by_field(client):
    body = {"items": [{"product_id": "x", "check_in": "2027-07-01"}], "legs": [], "stubs": []}
    zh = _problem(client.post("/v1/quotes", json=body), 422, "validation_error")
    en = _problem(
        client.post("/v1/quotes", json=body, headers={"Accept-Language": "en"}),
        422,
        "validation_error",
    )
    assert zh["field"] == en["field"] == "items[0].product_id"
    assert [e["code"] for e in zh["errors"]] == [e["code"] for e in en["errors"]]
    assert {e["code"] for e in zh["errors"]} >= {"int_type", "missing"}
    assert all(CJK.search(e["message"]) for e in zh["errors"])
    assert not any(CJK.search(e["message"]) for e in en["errors"])
    assert zh["detail"] == "items[0].product_id：应为整数。"


def test_limits_named_in_pydantic_errors_keep_their_numbers_in_chinese(client):
    r = client.get("/v1/products", params={"limit": 1000})
    body = _problem(r, 422, "validation_error", "limit")
    assert body["errors"][0] == {
        "field": "limit",
        "code": "less_than_equal",
        "message": "应小于或等于 100。",
    }


def test_an_engine_problem_is_translated_too(client, db):
    product = add_product(db, duration_modules=[7, 14])
    bad = item(product, nights=3)
    zh = _problem(client.post("/v1/quotes", json={"items": [bad]}), 422, "duration_not_allowed")
    en = _problem(
        client.post("/v1/quotes", json={"items": [bad]}, headers={"Accept-Language": "en"}),
        422,
        "duration_not_allowed",
    )
    assert zh["detail"] == "3 晚不是可选的住宿时长（7/14 晚）之一。"
    assert en["detail"] == "3 nights is not one of the allowed durations (7/14)."


def test_a_recorded_problem_is_replayed_as_it_was_first_sent(client, db):
    """An idempotent request's problem is recorded in the first request's language and a
    retry gets exactly those bytes back."""
    product = add_product(db)
    quote = quote_http(client, item(product, guests=1))
    body = booking_body(quote["id"], guests=[{"name": "王秀兰"}, {"name": "李建国"}])
    first = post_booking(client, quote["id"], key="lang-1", body=body)
    again = post_booking(
        client, quote["id"], key="lang-1", body=body, headers={"Accept-Language": "en"}
    )
    assert _problem(first, 422, "too_many_guests", "guests")["detail"] == (
        "该报价为 1 位客人；所列客人不得多于此数。"
    )
    assert again.headers["idempotent-replayed"] == "true"
    assert again.content == first.content


def _domain_error_classes() -> set[str]:
    import service.app  # noqa: F401  (imports every capability)

    seen, todo = set(), [DomainError]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            if sub.__name__ not in seen:
                seen.add(sub.__name__)
                todo.append(sub)
    return seen | {"DomainError"}


def _calls_without_zh(root: Path, names: set[str]) -> list[str]:
    missing = []
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if name not in names:
                continue
            keywords = {k.arg for k in node.keywords}
            if name == "PricingError":
                code = (
                    node.args[0].value
                    if node.args and isinstance(node.args[0], ast.Constant)
                    else None
                )
                if code in {"invalid_rule", "invalid_product", "overlapping_seasons"}:
                    continue  # catalogue data: logged, never shown to a caller
                if len(node.args) >= 4 or "detail_zh" in keywords:
                    continue
            elif "zh" in keywords:
                continue
            missing.append(f"{path.relative_to(ROOT)}:{node.lineno} {name}")
    return missing


def test_every_problem_raised_by_our_code_has_its_chinese_detail():
    """Every ``DomainError`` built anywhere in the service, and every request problem of
    the pricing engine, carries the detail in Chinese as well as in English."""
    missing = _calls_without_zh(ROOT / "service", _domain_error_classes())
    missing += _calls_without_zh(ROOT / "pricing", {PricingError.__name__})
    assert missing == []


def test_every_problem_class_has_a_chinese_title():
    import service.app  # noqa: F401

    todo, bad = [DomainError], []
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        own_title = "title" in vars(cls)
        if not CJK.search(cls.title_zh) or (own_title and "title_zh" not in vars(cls)):
            bad.append(cls.__name__)
    assert bad == []


# --- route-level problems, HEAD, OPTIONS, 415 --------------------------------------------


def test_an_unknown_path_and_a_wrong_method_are_problems(client):
    _problem(client.get("/v1/no-such-thing"), 404, "not_found", "path")
    r = client.delete("/v1/products", headers={"Accept-Language": "en"})
    body = _problem(r, 405, "method_not_allowed", "method")
    assert r.headers["allow"] == "GET, HEAD, OPTIONS"
    assert "Allow" in body["detail"]


def test_a_trailing_slash_on_one_of_our_addresses_is_said(client):
    """``/v1/quotes/`` is a 404 as before, whose detail says to drop the final ``/``
    (newcomer finding: "there is nothing at this address" sent a partner looking for a
    typo); an address that is none of ours with or without it says only the first, and
    neither echoes the address."""
    en = {"Accept-Language": "en"}
    for r in (
        client.post("/v1/quotes/", json={}, headers=en),
        client.get("/v1/products/1/", headers=en),
        client.get("/v1/bookings/JL-AAAAAA/cancellation/", headers=en),
    ):
        body = _problem(r, 404, "not_found", "path")
        assert body["detail"] == (
            "There is nothing at this address with its trailing slash: send it without the final /."
        )
    zh = _problem(client.get("/v1/destinations/"), 404, "not_found", "path")
    assert zh["detail"] == "这个地址末尾多了斜杠：去掉最后的 / 再发送。"
    for path in ("/v1/no-such-thing/", "/v1/", "/v1/no-such-thing"):
        body = _problem(client.get(path, headers=en), 404, "not_found", "path")
        assert body["detail"] == "There is nothing at this address."


SERVER = "http://testserver"


def test_one_of_our_addresses_written_otherwise_is_a_problem_that_says_how(client):
    """A client joining a base address that ends in ``/`` to ``/v1/products`` sends
    ``//v1/products``; it got the traveller pages' HTML "page not found" (partner
    finding), and ``/V1/...`` too. A path of the API with doubled slashes or ``V1`` is a
    404 problem, whose detail says to write it with one / and v1 in lower case when that
    is one of ours (never echoing it); one that is none of ours says only the first."""
    en = {"Accept-Language": "en"}
    # The origin written out: httpx reads a bare "//v1/..." as another host's address.
    for r in (
        client.get(f"{SERVER}//v1/products", headers=en),
        client.get("/V1/products/1", headers=en),
        client.post(f"{SERVER}//v1//quotes", json={}, headers=en),
        client.get("/v1//bookings/JL-AAAAAA/cancellation/", headers=en),
    ):
        body = _problem(r, 404, "not_found", "path")
        assert body["detail"] == (
            "There is nothing at this address as written: send it with one / between its "
            "parts and v1 in lower case (as /v1/products)."
        )
    zh = _problem(client.get(f"{SERVER}//v1/destinations"), 404, "not_found", "path")
    assert (
        zh["detail"]
        == "这个地址写法不对：各部分之间只用一个 /，v1 用小写（如 /v1/products），再发送。"
    )
    for path in (f"{SERVER}//v1/no-such-thing", "/V1", f"{SERVER}//v1/"):
        body = _problem(client.get(path, headers=en), 404, "not_found", "path")
        assert body["detail"] == "There is nothing at this address."
    page = client.get(f"{SERVER}//plan")  # a page's address is the pages' own 404, as before
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")


def test_head_answers_wherever_get_does_without_a_body(client):
    get = client.get("/v1/destinations")
    head = client.head("/v1/destinations")
    assert head.status_code == get.status_code == 200
    assert head.content == b""
    assert head.headers["content-length"] == get.headers["content-length"]
    assert head.headers["content-type"] == get.headers["content-type"]


def test_options_lists_the_methods_of_a_path(client):
    r = client.options("/v1/quotes")
    assert r.status_code == 204 and r.headers["allow"] == "POST, OPTIONS"
    r = client.options("/v1/bookings/JL-AAAAAA")
    assert r.status_code == 204 and r.headers["allow"] == "GET, HEAD, OPTIONS"
    _problem(client.options("/v1/nowhere"), 404, "not_found", "path")
    # a static file's address: the methods it is served by, as a GET there serves it
    # (it was a 404 "no such address", newcomer finding)
    assert client.get("/static/site.css").status_code == 200
    r = client.options("/static/site.css")
    assert r.status_code == 204 and r.headers["allow"] == "GET, HEAD, OPTIONS"


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", None])
def test_a_body_that_is_not_json_is_415(client, content_type):
    headers = {"Content-Type": content_type} if content_type else {}
    r = client.post("/v1/quotes", content=b'{"items": []}', headers=headers)
    if content_type is None:
        # httpx sends no Content-Type for raw bytes: still not declared JSON
        assert "content-type" not in r.request.headers
    body = _problem(r, 415, "unsupported_media_type", "Content-Type")
    assert CJK.search(body["detail"])


@pytest.mark.parametrize("coding", ["gzip", "GZIP", "br", "deflate, gzip"])
def test_a_compressed_json_body_is_415_naming_content_encoding(client, coding):
    """A JSON body sent compressed is refused as an encoding the server does not take,
    not called malformed JSON (422): 415 on ``Content-Encoding``, with
    ``Accept-Encoding: identity`` (RFC 9110 15.5.16), both languages; the same body
    uncompressed, or with ``Content-Encoding: identity``, is read."""
    import gzip

    body = json.dumps({"items": [], "legs": []}).encode()
    for lang, said in (("en", "uncompressed"), ("zh-CN", "未压缩")):
        r = client.post(
            "/v1/quotes",
            content=gzip.compress(body),
            headers={
                "Content-Type": "application/json",
                "Content-Encoding": coding,
                "Accept-Language": lang,
            },
        )
        problem = _problem(r, 415, "unsupported_media_type", "Content-Encoding")
        assert said in problem["detail"] and coding in problem["detail"]
        assert r.headers["accept-encoding"] == "identity"
    for headers in ({}, {"Content-Encoding": "identity"}):
        r = client.post(
            "/v1/quotes", content=body, headers={"Content-Type": "application/json", **headers}
        )
        assert r.status_code == 422 and r.json()["field"] != "Content-Encoding", r.text


def test_json_with_a_charset_or_a_json_suffix_is_accepted(client):
    for ct in ("application/json; charset=utf-8", "application/merge-patch+json"):
        r = client.post("/v1/quotes", content=b'{"items": []}', headers={"Content-Type": ct})
        assert r.status_code == 422 and r.json()["code"] != "unsupported_media_type"


# --- request id ---------------------------------------------------------------------------


def test_every_answer_carries_a_request_id_and_keeps_a_sane_incoming_one(client):
    mine = client.get("/v1/health", headers={"X-Request-Id": "trace-42.a:b_c"})
    assert mine.headers["x-request-id"] == "trace-42.a:b_c"
    new = client.get("/v1/health", headers={"X-Request-Id": "bad id with spaces;" + "x" * 10})
    assert re.fullmatch(r"[0-9a-f]{32}", new.headers["x-request-id"])
    assert client.get("/v1/nowhere").headers["x-request-id"]


@pytest.mark.parametrize(
    "sent",
    [
        "13912345678",  # a mainland mobile
        "req-139.1234.5678",  # one in groups
        "138_1234_5678",  # in groups by underscores (newcomer finding 12)
        "order:138:1234:5678",  # by colons, after a partner's own prefix
        "8613912345678",  # with the country code
        "008613912345678",  # with 0086, the call prefix dialled from China
        "0086-139-1234-5678",
        "220102540506123",  # a first-generation (15-digit) ID number
        "trace-22010419800101123X",  # a PRC ID number
        "220104198001011234",
    ],
)
def test_a_request_id_carrying_a_phone_or_id_number_is_replaced_in_answer_and_log_alike(
    client, caplog, sent
):
    from service.logs import JsonFormatter

    caplog.set_level(logging.INFO, logger="jilin.access")
    r = client.get("/v1/health", headers={"X-Request-Id": sent})
    given = r.headers["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{32}", given), given  # never echoed, not even masked
    (line,) = [
        json.loads(JsonFormatter().format(rec))
        for rec in caplog.records
        if rec.name == "jilin.access" and getattr(rec, "request_id", None) == given
    ]
    assert line["request_id"] == given  # the log says what the caller was sent
    assert sent not in caplog.text


def test_a_request_id_without_personal_data_is_kept_and_logged_as_sent(client, caplog):
    from service.logs import JsonFormatter

    caplog.set_level(logging.INFO, logger="jilin.access")
    # digits that are no phone (12 of them, or 11 not starting 13-19) are not personal data
    for sent in ("order-123456789012", "25912345678", "550e8400-e29b-41d4-a716-446655440000"):
        r = client.get("/v1/health", headers={"X-Request-Id": sent})
        assert r.headers["x-request-id"] == sent
        (line,) = [
            json.loads(JsonFormatter().format(rec))
            for rec in caplog.records
            if rec.name == "jilin.access" and getattr(rec, "request_id", None) == sent
        ]
        assert line["request_id"] == sent


def test_a_new_request_id_is_never_one_the_log_would_mask():
    from service.middleware import new_request_id

    drawn = iter(["a13912345678f" + "0" * 19, "b" * 32])
    assert new_request_id(lambda: next(drawn)) == "b" * 32


def test_one_json_access_line_per_request_without_the_query_string(client, caplog):
    from service.logs import JsonFormatter

    caplog.set_level(logging.INFO, logger="jilin.access")
    r = client.get(
        "/v1/products",
        params={"destination": "13912345678"},  # an unknown destination: 422
        headers={"X-Request-Id": "req-access-1"},
    )
    assert r.status_code == 422 and r.json()["code"] == "unknown_destination"
    lines = [
        json.loads(JsonFormatter().format(rec))
        for rec in caplog.records
        if rec.name == "jilin.access" and getattr(rec, "request_id", None) == "req-access-1"
    ]
    assert len(lines) == 1
    line = lines[0]
    assert line["method"] == "GET" and line["status"] == 422
    assert line["route"] == line["path"] == "/v1/products"
    assert "destination" not in json.dumps(line) and "13912345678" not in json.dumps(line)
    r = client.get("/v1/products/13912345678", headers={"X-Request-Id": "req-access-2"})
    (line,) = [
        json.loads(JsonFormatter().format(rec))
        for rec in caplog.records
        if rec.name == "jilin.access" and getattr(rec, "request_id", None) == "req-access-2"
    ]
    assert line["route"] == "/v1/products/{id_or_slug}"
    assert line["path"] == "/v1/products/139****5678"  # masked as it is written


def test_a_phone_in_full_width_digits_or_international_is_masked_in_the_access_line(client, caplog):
    from service.logs import JsonFormatter

    caplog.set_level(logging.INFO, logger="jilin.access")
    sent = {
        "/v1/destinations/%EF%BC%91%EF%BC%93%EF%BC%99%EF%BC%98%EF%BC%97%EF%BC%96%EF%BC%95"
        "%EF%BC%94%EF%BC%93%EF%BC%92%EF%BC%91": "/v1/destinations/~",  # not ASCII: masked whole
        "/nope/%2B44%207700%20900123": "/nope/+447*****0123",
        "/v1/destinations/1%203987654321": "/v1/destinations/139****4321",
        "/v1/destinations/138_1234_5678": "/v1/destinations/138****5678",
        "/v1/destinations/138:1234:5678": "/v1/destinations/138****5678",
        # １３８＿1234＿5678 (full-width underscores): a segment not ASCII, masked whole
        # (``logs.path_for_log``); the phone rule reads it all the same (``mask_pii``).
        "/v1/destinations/%EF%BC%91%EF%BC%93%EF%BC%98%EF%BC%BF1234%EF%BC%BF5678": (
            "/v1/destinations/~"
        ),
    }
    for n, (url, masked) in enumerate(sent.items()):
        assert client.get(url, headers={"X-Request-Id": f"req-fw-{n}"}).status_code == 404
        (line,) = [
            JsonFormatter().format(rec)
            for rec in caplog.records
            if rec.name == "jilin.access" and getattr(rec, "request_id", None) == f"req-fw-{n}"
        ]
        assert json.loads(line)["path"] == masked, line


# --- compression and the quote's lines ---------------------------------------------------


def test_a_large_answer_is_gzipped_when_the_client_accepts_it(client, db):
    product = add_product(db)
    quote = quote_http(client, item(product, nights=14))
    plain = client.get(f"/v1/quotes/{quote['id']}", headers={"Accept-Encoding": "identity"})
    zipped = client.get(f"/v1/quotes/{quote['id']}", headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in plain.headers
    assert zipped.headers["content-encoding"] == "gzip"
    assert (
        "Accept-Encoding" in zipped.headers["vary"] and "Accept-Language" in zipped.headers["vary"]
    )
    assert zipped.json() == plain.json()  # httpx decodes it
    assert int(zipped.headers["content-length"]) < len(plain.content)
    small = client.get("/v1/health", headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in small.headers  # too small to gain anything


# --- docs work offline ----------------------------------------------------------------------


class _Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and attrs.get("src"):
            self.urls.append(attrs["src"])
        if tag == "link" and attrs.get("href"):
            self.urls.append(attrs["href"])


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_docs_load_every_asset_from_this_server(client, page):
    r = client.get(page)
    assert r.status_code == 200
    parser = _Assets()
    parser.feed(r.text)
    scripts = [u for u in parser.urls if u.endswith(".js")]
    assert scripts, "the page loads its UI from a script"
    for url in parser.urls:
        assert url.startswith("/") and not url.startswith("//"), url
        asset = client.get(url)
        assert asset.status_code == 200 and asset.content, url
    assert "cdn" not in r.text.lower()
    assert "fonts.googleapis" not in r.text


# --- names shown to people ----------------------------------------------------------------


def test_every_name_of_the_demo_catalogue_is_given_in_both_languages(demo_client):
    zh = demo_client.get("/v1/destinations", params={"limit": 100}).json()["items"]
    en = demo_client.get(
        "/v1/destinations", params={"limit": 100}, headers={"Accept-Language": "en"}
    ).json()["items"]
    assert len(zh) == len(en) > 10
    for z, e in zip(zh, en, strict=True):
        assert z["prefecture"] == e["prefecture"] == z["prefecture_name"]
        assert CJK.search(z["prefecture_name"]) and not CJK.search(e["prefecture_name"])
        assert not CJK.search(e["name"] + e["pilot_kind_name"] + "".join(e["theme_names"]))
    detail = demo_client.get(
        f"/v1/destinations/{zh[0]['slug']}", headers={"Accept-Language": "en"}
    ).json()
    assert len(detail["certification_names"]) == len(detail["certifications"])
    assert not any(CJK.search(n) for n in detail["certification_names"])
    products = demo_client.get(
        "/v1/products", params={"limit": 100}, headers={"Accept-Language": "en"}
    ).json()["items"]
    for p in products:
        assert not CJK.search(p["name"] + p["unit_type_name"] + p["theme_name"])
        assert not CJK.search(p["destination"]["prefecture_name"])
