"""What every HTTP request goes through before its route: one pure ASGI layer.

``RequestContext`` (outermost, so that it sees every answer, problems included):

* **request id**: an incoming ``X-Request-Id``, sent once, is kept when it is sane (1-64 of
  ``A-Z a-z 0-9 . _ : -``) and carries no personal data (``logs.carries_pii``: no phone
  or ID number, which every log line masks); any other is replaced by a new one (itself
  never one a log would mask). So the id sent back in ``X-Request-Id`` is, character for
  character, the one set for every log line written while the request runs and written
  in its access line;
* **language**: ``Content-Language`` (zh-CN or en, negotiated from ``Accept-Language``)
  and ``Vary: Accept-Language`` on every answer that does not set its own;
* **security headers** on every answer that does not set its own (the pages set
  stricter ones): ``X-Content-Type-Options: nosniff``, ``Referrer-Policy: same-origin``
  and a ``Content-Security-Policy`` that forbids framing (``frame-ancestors 'none'``)
  and, for JSON, loading anything (``default-src 'none'``); in production,
  ``Strict-Transport-Security`` (a year) on every answer;
* **rate limits**: an answer to a request whose API key or operator token was counted
  (``ratelimit.hit``) says ``RateLimit-Limit``, ``RateLimit-Remaining`` and
  ``RateLimit-Reset`` (seconds), its 429 included;
* **HEAD** is answered wherever ``GET`` is (routed as ``GET`` in a copy of the scope,
  sent without a body: the server still sees a HEAD, so it neither waits for the body
  its ``Content-Length`` announces nor drops the kept-alive connection);
* **an unexpected error** (a bug) is answered here, inside the request's context: a 500
  ``internal_error`` problem with the request's id and language, and one ``jilin.errors``
  log line with the traceback and the request id. The connection stays usable (the
  exception does not reach the server);
* **a client that goes away** before its answer starts (it closed the connection while
  sending its body, or right after its headers: the server then says ``http.disconnect``)
  is not a server error: no error line, no answer sent, status **499** ("client closed
  request", nginx's convention) in the access line and the metrics. Whatever read the
  body stopped there (a form's CSRF check, the API's body parsing), before any handler
  changed anything;
* **OPTIONS** is answered ``204`` with ``Allow`` listing the methods of the path (a
  path with no route is a 404 problem; a path under ``/static`` is ``GET, HEAD,
  OPTIONS``, the static files' methods: it was a 404 "no such address", beside a GET
  that served the file);
* **a body that is not JSON**: a ``POST``/``PUT``/``PATCH`` to the API with a body whose
  ``Content-Type`` is not ``application/json`` (or ``+json``) is a 415 problem before
  anything reads it;
* **a request the server could not parse** (``http_protocol``: a control character in
  its address, a malformed header...; the server marks its scope ``UNPARSABLE`` with
  the part at fault) is a 400 ``malformed_request`` problem naming that part, with its
  id, access line (route ``unparsable``) and metric like any other answer;
* **one JSON access line** per request (logger ``jilin.access``: method, route template,
  path without its query, status, duration, request id; never the query string, which
  can carry a phone number) and its latency in the ``jilin_http_request_duration_seconds``
  histogram by route template (``service.metrics``).

Pure ASGI rather than ``BaseHTTPMiddleware``: no extra task or stream per request.
"""

import logging
import re
import time
import uuid
from collections.abc import Callable

from fastapi.routing import iter_route_contexts
from starlette.requests import ClientDisconnect, Request
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from service.errors import (
    UnsupportedMediaType,
    http_problem,
    internal_error_problem,
    malformed_request_problem,
    problem_body_of,
    send_problem,
)
from service.i18n import negotiate
from service.logs import REQUEST_ID, carries_pii, path_for_log
from service.ratelimit import COUNTED, Quota

access_log = logging.getLogger("jilin.access")
error_log = logging.getLogger("jilin.errors")

REQUEST_ID_HEADER = "X-Request-Id"
_SANE_ID = re.compile(rb"[A-Za-z0-9._:-]{1,64}")
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
API_PREFIX = "/v1/"
_CONTENT_LANGUAGE = {"zh-CN": b"zh-CN", "en": b"en"}
# What every answer carries that sets none of its own (the pages set theirs, stricter:
# ``web.SECURITY_HEADERS``): no MIME sniffing, and no framing by another site. A JSON
# answer (the API, its problems) loads nothing at all, should a browser open it; other
# answers (the API docs' pages, static files, charts' SVG) keep the scripts and styles
# they are made of, and only refuse to be framed.
_JSON_POLICY = b"default-src 'none'; frame-ancestors 'none'"
_OTHER_POLICY = b"frame-ancestors 'none'"
HSTS = b"max-age=31536000"  # a year; not includeSubDomains: other hosts are not ours


def _security_headers(out: list[tuple[bytes, bytes]], names: set[bytes]) -> list:
    """``X-Content-Type-Options``, ``Content-Security-Policy`` and ``Referrer-Policy``
    for an answer whose headers (``out``, their lower-case ``names``) lack them."""
    added = []
    if b"x-content-type-options" not in names:
        added.append((b"x-content-type-options", b"nosniff"))
    if b"content-security-policy" not in names:
        kind = next((v for k, v in out if k.lower() == b"content-type"), b"").lower()
        media = kind.split(b";")[0].strip()
        json = media == b"application/json" or media.endswith(b"+json")
        added.append((b"content-security-policy", _JSON_POLICY if json else _OTHER_POLICY))
    if b"referrer-policy" not in names:
        added.append((b"referrer-policy", b"same-origin"))
    return added


CLIENT_CLOSED = 499  # nginx's "client closed request": logged and counted, never sent
# The scope key of a request the server could not parse (``service.http_protocol``):
# the part at fault (``query``, ``path``, ``headers``, ``method``, ``request``).
UNPARSABLE = "jilin.unparsable"
UNPARSABLE_ROUTE = "unparsable"


def new_request_id(make: Callable[[], str] = lambda: uuid.uuid4().hex) -> str:
    """A fresh id (32 hex digits) that no log line masks: 11 digits of a random hex id
    can read as a mobile number (about 1 in 650 ids), and a masked id in the log would
    not match the one the caller was sent."""
    while True:
        request_id = make()
        if not carries_pii(request_id):
            return request_id


def request_id_for(incoming: bytes | None) -> str:
    """The caller's ``X-Request-Id`` when it is sane and carries no personal data (a
    phone or ID number would be masked in the log, so the caller's id and the logged one
    would differ, and the number would be sent back in clear); else a new one."""
    if incoming is not None and _SANE_ID.fullmatch(incoming):
        request_id = incoming.decode()
        if not carries_pii(request_id):
            return request_id
    return new_request_id()


def _one_request_id(lines: list[tuple[bytes, bytes]]) -> bytes | None:
    """The ``X-Request-Id`` the request sends, None when it sends none or more than one
    (neither is the request's: the API refuses it, ``query_params.API_HEADERS``)."""
    sent = [value for name, value in lines if name.lower() == b"x-request-id"]
    return sent[0] if len(sent) == 1 else None


def _is_json(content_type: bytes) -> bool:
    media = content_type.split(b";", 1)[0].strip().lower()
    return media == b"application/json" or (
        media.startswith(b"application/") and media.endswith(b"+json")
    )


def _unsupported_body(headers: dict[bytes, bytes]) -> UnsupportedMediaType | None:
    """415 for an API body that is not JSON (``Content-Type``) or is JSON in a content
    coding (``Content-Encoding``: gzip, br...; only ``identity`` is taken: decoding is
    not offered, so a small compressed body cannot grow past the body limit once read).
    The answer to a coding says ``Accept-Encoding: identity`` (RFC 9110 §15.5.16)."""
    if not _is_json(headers.get(b"content-type", b"")):
        return UnsupportedMediaType(
            "Send the body as JSON, with Content-Type: application/json.",
            zh="请以 JSON 发送请求体，并带上 Content-Type: application/json。",
            field="Content-Type",
        )
    coding = headers.get(b"content-encoding", b"").decode("latin-1").strip()
    if coding and coding.lower() != "identity":
        said = coding[:40]
        return UnsupportedMediaType(
            f"Send the JSON body uncompressed: Content-Encoding {said!r} is not accepted "
            "(leave the header out, or send identity).",
            zh=f"请发送未压缩的 JSON 请求体：不接受 Content-Encoding {said!r}"
            "（请去掉该请求头，或使用 identity）。",
            field="Content-Encoding",
        )
    return None


def _has_body(headers: dict[bytes, bytes]) -> bool:
    length = headers.get(b"content-length")
    if length is not None:
        return length.strip() not in (b"0", b"")
    return b"transfer-encoding" in headers


def route_template(app, scope) -> str:
    """The template of the route that answers ``scope`` (``/v1/products/{id_or_slug}``;
    a mount's ``/static/{path}``), or ``unmatched`` when no route has its path: the
    route this method takes there, else the first that has the path (an OPTIONS, a
    405). For answers given before routing or in a copy of the scope (413, 415, OPTIONS,
    a 304 of ``If-None-Match``) and for Starlette's own routes (``/openapi.json``),
    which leave no ``route`` in the scope."""
    path = scope.get("path", "")
    method = scope.get("method", "GET")
    found = None
    for route in iter_route_contexts(app.routes):
        regex = getattr(route, "path_regex", None)
        if regex is None or not regex.match(path):
            continue
        template = route.path_format if isinstance(route.original_route, Mount) else route.path
        if route.methods is None or method in route.methods:
            return template
        found = found or template
    return found or "unmatched"


def allowed_methods(app, scope) -> list[str]:
    """The methods some route of ``app`` takes at ``scope``'s path (HEAD with GET, and
    OPTIONS), or [] when no route has the path."""
    methods: set[str] = set()
    path = scope.get("path", "")
    for route in iter_route_contexts(app.routes):
        route_methods = route.methods
        regex = getattr(route, "path_regex", None)
        if regex is None or not regex.match(path):
            continue
        if route_methods:
            methods |= set(route_methods)
        elif isinstance(getattr(route.original_route, "app", None), StaticFiles):
            methods.add("GET")  # a file under /static: StaticFiles answers GET and HEAD
    if not methods:
        return []
    if "GET" in methods:
        methods.add("HEAD")
    methods.add("OPTIONS")
    order = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
    return sorted(methods, key=lambda m: order.index(m) if m in order else len(order))


async def _nothing_more() -> dict:
    return {"type": "http.disconnect"}


class RequestContext:
    def __init__(
        self,
        app,
        *,
        routes_app=None,
        observe: Callable | None = None,
        access_log: bool = True,
        page_error: Callable | None = None,
        hsts: bool = False,
    ) -> None:
        self.app = app
        # Production: every answer says ``Strict-Transport-Security`` (a year), so a
        # browser that once reached the site over HTTPS never again asks it over plain
        # HTTP, where a network in between could read the cookies or change the pages.
        # Browsers ignore it over HTTP, so a proxy that ends TLS loses nothing by it.
        self.extra_headers = [(b"strict-transport-security", HSTS)] if hsts else []
        self.routes_app = routes_app  # the FastAPI app whose routes answer OPTIONS
        # The HTML error page at a page's path (the composition's ``PageError``): a bug's
        # 500 there is the page in the page's language, not a problem document.
        self.page_error = page_error
        self.observe = observe  # (method, route, status, seconds) -> None
        self.access_log = access_log

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        headers = dict(scope["headers"])
        request_id = request_id_for(_one_request_id(scope["headers"]))
        token = REQUEST_ID.set(request_id)
        counted: list[Quota] = []  # the credential's count, if the request's was counted
        counted_token = COUNTED.set(counted)
        lang = negotiate(headers.get(b"accept-language", b"").decode("latin-1"))
        method = scope["method"]
        status = 500
        started = False
        gone = False  # the server said http.disconnect: nobody is left to answer
        extra = [
            (b"x-request-id", request_id.encode()),
            *self.extra_headers,
        ]
        # The app routes a HEAD as a GET, in its own copy of the scope (the server's own
        # must keep saying HEAD); the route it matched is read from that copy.
        app_scope = {**scope, "method": "GET"} if method == "HEAD" else scope

        async def receive_watched():
            nonlocal gone
            message = await receive()
            if message["type"] == "http.disconnect":
                gone = True
            return message

        async def send_with_context(message) -> None:
            nonlocal status, started
            if gone and not started:  # an answer to nobody (the 400/422 of a cut body)
                status = CLIENT_CLOSED
                return
            if message["type"] == "http.response.start":
                started = True
                status = message["status"]
                out = list(message.get("headers", ()))
                if status == 405 and self.routes_app is not None:
                    # Starlette's Allow lists the route's own methods; say HEAD, OPTIONS too.
                    allow = ", ".join(allowed_methods(self.routes_app, scope)).encode()
                    out = [(k, allow if k.lower() == b"allow" else v) for k, v in out]
                names = {name.lower() for name, _ in out}
                out.extend(extra)
                if counted:  # RateLimit-*: where the key or token stands in its minute
                    out.extend(counted[-1].headers())
                out.extend(_security_headers(out, names))
                if b"content-language" not in names:
                    out.append((b"content-language", _CONTENT_LANGUAGE[lang]))
                if b"vary" in names:  # gzip's Accept-Encoding: say both (once)
                    out = [
                        (k, v + b", Accept-Language")
                        if k.lower() == b"vary" and b"accept-language" not in v.lower()
                        else (k, v)
                        for k, v in out
                    ]
                else:
                    out.append((b"vary", b"Accept-Language"))
                message = {**message, "headers": out}
            elif method == "HEAD" and message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        try:
            if (part := scope.get(UNPARSABLE)) is not None:
                await send_problem(send_with_context, malformed_request_problem(part, lang))
            elif method == "OPTIONS":
                await self._options(scope, send_with_context, lang)
            elif (
                method in _BODY_METHODS
                and scope["path"].startswith(API_PREFIX)  # the pages take HTML forms
                and _has_body(headers)
                and (refused := _unsupported_body(headers)) is not None
            ):
                await send_problem(
                    send_with_context,
                    problem_body_of(refused, lang),
                    headers=[(b"accept-encoding", b"identity")]
                    if refused.field == "Content-Encoding"
                    else (),
                )
            else:
                await self.app(app_scope, receive_watched, send_with_context)
        except Exception as exc:
            if (gone or isinstance(exc, ClientDisconnect)) and not started:
                status = CLIENT_CLOSED  # not a bug: the client left while it was sending
                return
            error_log.exception(
                "unhandled error: %s", type(exc).__name__, extra={"request_id": request_id}
            )
            if started:  # part of an answer is out: nothing better than to cut it
                raise
            if not await self._error_page(scope, send_with_context):
                await send_problem(send_with_context, internal_error_problem(lang))
        finally:
            if gone and not started:  # left unanswered (the size limit read a cut body)
                status = CLIENT_CLOSED
            REQUEST_ID.reset(token)
            COUNTED.reset(counted_token)
            elapsed = time.perf_counter() - start
            route = app_scope.get("route")
            template = getattr(route, "path", None)
            if UNPARSABLE in scope:
                template = UNPARSABLE_ROUTE
            elif template is None:
                template = (
                    route_template(self.routes_app, app_scope) if self.routes_app else "unmatched"
                )
            if self.observe is not None:
                self.observe(method, template, status, elapsed)
            if self.access_log:
                access_log.info(
                    "request",
                    extra={
                        "request_id": request_id,
                        "method": method,
                        "route": template,
                        "path": path_for_log(scope.get("path", "")),
                        "status": status,
                        "duration_ms": round(elapsed * 1000, 2),
                    },
                )

    async def _error_page(self, scope, send) -> bool:
        """Send the 500 page at a page's path (True), else nothing (False: the problem
        document). A page that cannot be rendered either is the problem document."""
        if self.page_error is None:
            return False
        try:
            page = self.page_error(Request(scope), 500, None)
        except Exception:
            error_log.exception("the error page failed too")
            return False
        if page is None:
            return False
        await page(scope, _nothing_more, send)
        return True

    async def _options(self, scope, send, lang) -> None:
        allow = allowed_methods(self.routes_app, scope) if self.routes_app else []
        if not allow:
            await send_problem(send, http_problem(404, lang, "path"))
            return
        await send(
            {
                "type": "http.response.start",
                "status": 204,
                "headers": [(b"allow", ", ".join(allow).encode())],
            }
        )
        await send({"type": "http.response.body", "body": b""})
