"""Edges a newcomer found from outside: dates at the end of the calendar, an answer to
an unexpected error, and HEAD on a real server with a kept-alive connection."""

import http.client
import logging
import re
import socket
import threading
import time

import pytest
import uvicorn

from service.app import create_app
from tests.support.console import log_in, post_form

FAR = "9999-12-31"
NEAR_END = "9999-12-01"


def _admin(client, login: str = "demo-changbaishan-north") -> dict[str, str]:
    r = client.post("/v1/admin/tokens", json={"login": login, "password": "demo-operator-2026"})
    assert r.status_code in (200, 201), r.text
    return {"Authorization": f"Bearer {r.json()['token']}"}


def _refused_naming(r, field: str) -> None:
    assert r.status_code == 422, (r.status_code, r.text[:300])
    body = r.json()
    assert r.headers["content-type"] == "application/problem+json"
    fields = {body.get("field")} | {e.get("field") for e in body.get("errors", [])}
    assert field in fields, body


def test_api_dates_past_the_calendar_are_a_422_naming_the_field(demo_client):
    c = demo_client
    _refused_naming(
        c.get(f"/v1/products/1/price-calendar?from=9999-12-20&to={FAR}&nights=14&guests=2"),
        "to",
    )
    plan = {"earliest_check_in": NEAR_END, "latest_check_out": FAR, "nights": 14, "guests": 2}
    _refused_naming(c.post("/v1/plans", json=plan), "earliest_check_in")
    quote = {"items": [{"product_id": 1, "check_in": FAR, "check_out": FAR, "guests": 2}]}
    _refused_naming(c.post("/v1/quotes", json=quote), "items[0].check_in")
    op = _admin(c)
    edit = {"product_ids": [1], "from": FAR, "to": FAR, "weekdays": [1, 2, 3, 4, 5, 6, 7],
            "set": {"stop_sell": True}}  # fmt: skip
    _refused_naming(c.post("/v1/admin/calendar/preview", json=edit, headers=op), "from")
    _refused_naming(
        c.get(f"/v1/admin/products/1/calendar?from=9999-12-30&to={FAR}", headers=op), "from"
    )
    province = _admin(c, "demo-province")
    r = c.get(f"/v1/reports/measures?from={NEAR_END}&to={FAR}&by=month", headers=province)
    _refused_naming(r, "from")
    zh = c.get(f"/v1/products/1/price-calendar?from={FAR}&to={FAR}&nights=1")
    assert "2000-01-01 至 2100-12-31" in zh.json()["detail"]
    en = c.get(f"/v1/products/1/price-calendar?from={FAR}&to={FAR}&nights=1",
               headers={"Accept-Language": "en"})  # fmt: skip
    assert "between 2000-01-01 and 2100-12-31" in en.json()["detail"]


def test_pages_and_console_refuse_dates_past_the_calendar_beside_the_field(demo_client):
    c = demo_client
    path = "/products/changbaishan-north-forest-cabin"
    r = post_form(c, f"{path}/quote", {"check_in": FAR, "nights": "14", "guests": "2",
                                       "units": "1"}, form_page=path)  # fmt: skip
    assert r.status_code == 422 and 'id="check_in-error"' in r.text
    r = post_form(c, f"{path}/quote", {"check_in": "2099-12-01", "nights": "999999",
                                       "guests": "2", "units": "1"}, form_page=path)  # fmt: skip
    assert r.status_code == 422 and 'id="nights-error"' in r.text
    r = c.get(f"/plan?start={NEAR_END}&end={FAR}&guests=2")
    assert r.status_code == 422 and r.headers["content-type"].startswith("text/html")
    assert log_in(c, "demo-changbaishan-north", "demo-operator-2026").status_code == 303
    r = c.get(f"/console/calendar?from=9999-12-30&to={FAR}")
    assert r.status_code in (200, 422) and 'id="from-error"' in r.text
    r = c.get(f"/console/reports?from={NEAR_END}&to={FAR}")
    assert r.status_code == 422 and r.headers["content-type"].startswith("text/html")


def test_an_unexpected_error_is_a_problem_with_the_request_id_and_a_logged_id(app, client, caplog):
    def boom() -> None:
        raise RuntimeError("a bug")

    app.add_api_route("/v1/boom", boom)
    with caplog.at_level("ERROR", logger="jilin.errors"):
        r = client.get("/v1/boom", headers={"X-Request-Id": "edge-500", "Accept-Language": "en"})
    assert r.status_code == 500
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["code"] == "internal_error" and "nothing was changed" in r.json()["detail"]
    assert r.headers["x-request-id"] == "edge-500" and r.headers["content-language"] == "en"
    logged = [rec for rec in caplog.records if rec.name == "jilin.errors"]
    assert logged and all(getattr(rec, "request_id", None) == "edge-500" for rec in logged)
    assert logged[0].exc_info is not None  # the traceback is kept, for whoever reads the log


@pytest.fixture
def live_server(db):
    """The app on a real uvicorn server (HTTP/1.1 keep-alive), in a thread."""
    app = create_app(db.settings, database=db)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield port
    server.should_exit = True
    thread.join(10)


def test_head_then_get_on_one_kept_alive_connection(live_server, caplog):
    conn = http.client.HTTPConnection("127.0.0.1", live_server, timeout=10)
    with caplog.at_level("ERROR"):
        for path in ("/v1/health", "/", "/v1/health"):
            conn.request("HEAD", path)
            head = conn.getresponse()
            assert head.status == 200 and head.read() == b""
            assert head.getheader("x-request-id")
            conn.request("GET", path)  # the same connection: still open
            got = conn.getresponse()
            body = got.read()
            assert got.status == 200 and body
            length = head.getheader("content-length")
            if length is not None and not re.search(r"csrf|nonce", body.decode(errors="ignore")):
                assert int(length) == len(body)
    conn.close()
    assert [r for r in caplog.records if r.levelname == "ERROR"] == []


def counted(route: str, status: str) -> float:
    """Requests of ``route`` answered ``status`` in the latency histogram so far."""
    from prometheus_client import REGISTRY

    labels = {"method": "POST", "route": route, "status": status}
    return REGISTRY.get_sample_value("jilin_http_request_duration_seconds_count", labels) or 0


def _cut_post(
    port: int, path: bytes, body: bytes, content_type: bytes, length=b"Content-Length: 500"
) -> None:
    """A POST that announces 500 bytes (or a chunked body), sends ``body`` and closes the
    connection."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    sock.sendall(
        b"POST "
        + path
        + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
        + content_type
        + b"\r\n"
        + length
        + b"\r\n\r\n"
        + body
    )
    time.sleep(0.2)
    sock.close()


def test_a_client_that_leaves_mid_request_is_a_499_not_a_server_error(live_server, caplog):
    form, json = b"application/x-www-form-urlencoded", b"application/json"
    cuts = [
        (b"/products/changbaishan-north-forest-cabin/quote", b"a=b", form),  # a page's form
        (b"/products/changbaishan-north-forest-cabin/quote", b"", form),  # after the headers
        (b"/v1/quotes", b'{"a', json),  # the API's body
        (b"/v1/quotes", b"", json, b"Transfer-Encoding: chunked"),  # read by the size limit
    ]
    kept = [
        (route, status)
        for route in ("/products/{slug}/quote", "/v1/quotes", "unmatched")
        for status in ("499", "500")
    ]
    counts = [counted(route, status) for route, status in kept]  # the registry is the process's
    with caplog.at_level("INFO"):
        for cut in cuts:
            _cut_post(live_server, *cut)
        deadline = time.monotonic() + 10
        while len([r for r in caplog.records if r.name == "jilin.access"]) < len(cuts):
            assert time.monotonic() < deadline, "no access line for a cut request"
            time.sleep(0.05)
    access = [r for r in caplog.records if r.name == "jilin.access"]
    assert [(r.route, r.status) for r in access] == [
        ("/products/{slug}/quote", 499),
        ("/products/{slug}/quote", 499),
        ("/v1/quotes", 499),
        ("/v1/quotes", 499),  # the body is read before routing, under its route still
    ]
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []
    assert all(r.exc_info is None for r in caplog.records)
    added = {
        ("/products/{slug}/quote", "499"): 2,
        ("/v1/quotes", "499"): 2,
    }
    assert [counted(*key) - before for key, before in zip(kept, counts, strict=True)] == [
        added.get(key, 0) for key in kept
    ]


def test_a_disconnect_said_by_the_server_is_a_499_without_an_answer(app, caplog):
    """The same at the ASGI level: a receive() that says http.disconnect."""
    import asyncio

    sent: list[dict] = []

    async def receive():
        return {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    def scope(path: str, content_type: bytes) -> dict:
        return {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "POST",
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": b"",
            "root_path": "",
            "server": ("127.0.0.1", 80),
            "client": ("127.0.0.1", 5000),
            "headers": [
                (b"host", b"127.0.0.1"),
                (b"content-type", content_type),
                (b"content-length", b"500"),
            ],
        }

    with caplog.at_level("INFO"):
        for path, content_type in (
            (
                "/products/changbaishan-north-forest-cabin/quote",
                b"application/x-www-form-urlencoded",
            ),
            ("/v1/quotes", b"application/json"),
        ):
            asyncio.run(app(scope(path, content_type), receive, send))
    assert sent == []  # nobody to answer
    assert [r.status for r in caplog.records if r.name == "jilin.access"] == [499, 499]
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []


def test_a_body_of_thousands_of_unknown_members_lists_the_first_fifty(client):
    """64 KB of ``"k0":1,"k1":1,...`` was answered with every one of its ~6,500 unknown
    members said in words: half a megabyte for 64 KB, ~6x a quote's CPU. The 422 lists
    the first ``MAX_FIELD_ERRORS`` in the body's order, the missing ``items`` first."""
    from service.errors import MAX_FIELD_ERRORS

    body = "{" + ",".join(f'"k{i}":1' for i in range(6000)) + "}"

    r = client.post("/v1/quotes", content=body, headers={"content-type": "application/json"})

    assert r.status_code == 422
    problem = r.json()
    assert (problem["code"], problem["field"]) == ("validation_error", "items")
    fields = [e["field"] for e in problem["errors"]]
    assert len(fields) == MAX_FIELD_ERRORS == 50
    assert fields == ["items"] + [f"k{i}" for i in range(49)]
    assert len(r.content) < 10_000


def test_a_body_with_a_few_wrong_fields_lists_every_one(client):
    body = {"items": [{"product_id": "x", "check_in": "no", "guests": 0}], "extra": 1}

    r = client.post("/v1/quotes", json=body)

    assert r.status_code == 422
    fields = {e["field"] for e in r.json()["errors"]}
    assert {"items[0].product_id", "items[0].check_in", "items[0].check_out"} <= fields
    assert {"items[0].guests", "extra"} <= fields
