"""The server's HTTP protocol (``service.http_protocol``), against a real ``jilin serve``
in a subprocess, by raw socket requests (an HTTP client would percent-encode for us):
raw UTF-8 in a request target is read as a browser sends it, and a request the parser
cannot read is a problem with a request id, an access line and a metric."""

import json
import socket
import time
from urllib.parse import quote

import httpx
import pytest

from service.http_protocol import (
    JilinHttpToolsProtocol,
    percent_encode_high_bytes,
    readable_accept_language,
    refused_part,
)
from tests.support.cli import fresh_checkout_env, run_cli, serving

YANBIAN = "延边朝鲜族自治州"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("serve")
    env = fresh_checkout_env()
    for step in ("migrate", "load-demo"):
        run_cli(folder, env, step)
    with serving(folder, env) as (port, log):
        yield port, log


def _exchange(port: int, *sends: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send ``sends`` one after another (a pause between them, so each arrives as its
    own chunk) on one connection; the first answer's status, headers and body."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        for i, data in enumerate(sends):
            if i:
                time.sleep(0.2)
            s.sendall(data)
        return _read_answer(s)


def _read_answer(s: socket.socket) -> tuple[int, dict[str, str], bytes]:
    out = b""
    while b"\r\n\r\n" not in out:
        out += s.recv(65536)
    head, _, body = out.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:])
    headers = {k.lower(): v for k, v in headers.items()}
    while len(body) < int(headers["content-length"]):
        body += s.recv(65536)
    return int(lines[0].split()[1]), headers, body


def _get(target: str) -> bytes:
    return f"GET {target} HTTP/1.1\r\nHost: x\r\nAccept-Language: en\r\n\r\n".encode()


def test_raw_utf8_in_a_query_is_served_as_its_percent_encoded_form(server):
    port, _ = server
    status, headers, body = _exchange(port, _get(f"/v1/destinations?prefecture={YANBIAN}"))
    encoded = httpx.get(
        f"http://127.0.0.1:{port}/v1/destinations?prefecture={quote(YANBIAN)}",
        headers={"Accept-Language": "en"},
    )
    assert status == 200 and headers["content-type"] == "application/json"
    items = json.loads(body)["items"]
    assert items and json.loads(body) == encoded.json()


def test_raw_utf8_in_a_path_and_a_request_line_cut_in_two_chunks(server):
    port, _ = server
    status, _, body = _exchange(port, _get("/v1/destinations/延吉"))
    assert (status, json.loads(body)["code"]) == (404, "not_found")
    cut = _get(f"/v1/destinations?prefecture={YANBIAN}")
    status, _, body = _exchange(port, cut[:40], cut[40:])  # 40 bytes: inside 延边…
    assert status == 200 and json.loads(body)["items"]


def test_each_request_of_a_kept_alive_connection_is_read(server):
    port, _ = server
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        for _ in range(2):
            s.sendall(_get(f"/v1/destinations?prefecture={YANBIAN}&limit=1"))
            status, headers, body = _read_answer(s)
            assert status == 200 and len(json.loads(body)["items"]) == 1


def test_only_the_request_line_is_rewritten_never_a_header_or_the_body():
    protocol = JilinHttpToolsProtocol.__new__(JilinHttpToolsProtocol)
    protocol._in_message, protocol._line_open = False, False
    rest = "X-Note: 延\r\nContent-Length: 3\r\n\r\n延".encode()
    data = "\r\nPOST /a?b=延 HTTP/1.1\r\n".encode() + rest
    assert protocol._readable(data) == b"\r\nPOST /a?b=%E5%BB%B6 HTTP/1.1\r\n" + rest
    protocol._in_message = True  # inside a message: a header or a body, untouched
    assert protocol._readable(rest) == rest
    protocol._in_message, cut = False, "GET /a?b=延".encode()
    assert protocol._readable(cut[:-1]) == b"GET /a?b=%E5%BB"  # the line goes on...
    protocol._in_message = True
    assert protocol._readable(cut[-1:] + b" HTTP/1.1\r\n" + rest) == (
        b"%B6 HTTP/1.1\r\n" + rest  # ...and ends in the next chunk
    )


def test_an_unparsable_request_is_a_problem_with_an_id_an_access_line_and_a_metric(server):
    port, log = server
    status, headers, body = _exchange(port, _get("/v1/destinations?x=\x01"))
    problem = json.loads(body)
    assert (status, problem["code"], problem["field"]) == (400, "malformed_request", "query")
    assert headers["content-type"] == "application/problem+json"
    assert headers["connection"] == "close"
    request_id = headers["x-request-id"]
    time.sleep(0.2)
    lines = [json.loads(x) for x in log.read_text().splitlines() if x.startswith("{")]
    access = [x for x in lines if x["logger"] == "jilin.access" and x["request_id"] == request_id]
    assert [(x["route"], x["status"]) for x in access] == [("unparsable", 400)]
    metrics = httpx.get(f"http://127.0.0.1:{port}/metrics").text
    assert 'route="unparsable",status="400"' in metrics


def test_only_high_bytes_are_encoded_and_the_part_at_fault_is_named():
    assert percent_encode_high_bytes("GET /a?b=延 HTTP/1.1".encode()) == (
        b"GET /a?b=%E5%BB%B6 HTTP/1.1"
    )
    assert refused_part("Invalid char in url query") == "query"
    assert refused_part("Invalid char in url path") == "path"
    assert refused_part("Invalid header value char") == "headers"
    assert refused_part("Invalid method encountered") == "method"
    assert refused_part("Expected HTTP/") == "request"


BAD_HEADER = b"GET /plan HTTP/1.1\r\nHost: x\r\nAccept-Language: en\r\nBad Header: y\r\n\r\n"


def test_an_unparsable_request_is_answered_in_the_language_its_bytes_ask_for(server):
    """``/plan`` is a page, but the request was not read: a short problem, not the HTML
    error page (docs/pages.md), in the caller's language."""
    port, _ = server
    status, headers, body = _exchange(port, BAD_HEADER)
    problem = json.loads(body)
    assert (status, problem["code"], problem["field"]) == (400, "malformed_request", "headers")
    assert headers["content-type"] == "application/problem+json"
    assert (problem["title"], headers["content-language"]) == ("Malformed request", "en")
    # the language line in one chunk, the malformed line in the next
    status, headers, body = _exchange(port, BAD_HEADER[:50], BAD_HEADER[50:])
    assert (status, json.loads(body)["title"]) == (400, "Malformed request")
    # no Accept-Language: zh-CN, as everywhere
    status, headers, body = _exchange(port, BAD_HEADER.replace(b"Accept-Language: en", b"X: 1"))
    assert (json.loads(body)["title"], headers["content-language"]) == ("请求格式错误", "zh-CN")


def test_the_accept_language_of_an_unparsable_head_is_read_wherever_it_is():
    head = b"GET /a HTTP/1.1\r\nHost: x\r\n"
    assert readable_accept_language(head + b"Accept-Language: en\r\nBad Header: y\r\n\r\n") == b"en"
    assert readable_accept_language(head + b"Bad Header: y\r\naccept-language:en-GB\r\n") == (
        b"en-GB"  # after the point of failure, the head not yet ended
    )
    assert readable_accept_language(head + b"Accept-Language: en\r\nAccept-Language: zh\r\n") == (
        b"en, zh"
    )
    assert readable_accept_language(head + b"\r\nAccept-Language: en\r\n") is None  # a body
    assert readable_accept_language(b"Accept-Language: en HTTP/1.1\r\n") is None  # the line
