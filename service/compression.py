"""gzip, negotiated as RFC 9110 says (§12.5.3 ``Accept-Encoding``, §8.8.3 ``ETag``).

Starlette's ``GZipMiddleware`` compresses when the header merely contains "gzip"
(``gzip;q=0`` too, and not ``GZIP``). ``NegotiatedGZip`` decides with
``negotiate``: codings are case-insensitive, each may carry a ``q`` weight (0 refuses
it), ``*`` stands for every coding not named, and ``identity;q=0`` (or ``*;q=0``
without identity) refuses an uncompressed body, so then even a small answer is
compressed when gzip is acceptable.

A compressed answer is a different representation, so its strong ``ETag`` is the
identity one with ``-gzip`` inside the quotes (``"7.en.ab12"`` becomes
``"7.en.ab12-gzip"``). ``If-None-Match`` keeps working for both: the suffix is taken
off the tags a client sends before the endpoint compares them, and a 304 answers with
the tag the client holds (with the suffix if that is the one it sent).
"""

import re

from starlette.datastructures import MutableHeaders
from starlette.middleware.gzip import GZipMiddleware, GZipResponder, IdentityResponder
from starlette.types import Message, Receive, Scope, Send

ETAG_SUFFIX = "-gzip"
_SUFFIXED = re.compile(r'-gzip"')


def _weight(params: str) -> float:
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "q":
            try:
                q = float(value.strip())
            except ValueError:
                return 0.0
            return min(max(q, 0.0), 1.0)
    return 1.0


def negotiate(accept_encoding: str | None) -> tuple[bool, bool]:
    """(gzip is acceptable, identity is acceptable) for an ``Accept-Encoding`` value.

    No header: identity only (a client that says nothing may not decode gzip)."""
    if accept_encoding is None:
        return False, True
    weights: dict[str, float] = {}
    for item in accept_encoding.split(","):
        coding, _, params = item.partition(";")
        coding = coding.strip().lower()
        if coding:
            weights[coding] = max(weights.get(coding, 0.0), _weight(params))
    star = weights.get("*")
    gzip = weights.get("gzip", weights.get("x-gzip", star))
    identity = weights.get("identity", star if star is not None and star == 0 else 1.0)
    return bool(gzip and gzip > 0), identity > 0


def gzip_etag(tag: str) -> str:
    """``"x"`` -> ``"x-gzip"``, ``W/"x"`` -> ``W/"x-gzip"`` (the compressed representation)."""
    if tag.endswith('"') and not tag.endswith(ETAG_SUFFIX + '"'):
        return tag[:-1] + ETAG_SUFFIX + '"'
    return tag


def _with_headers(scope: Scope, headers: list[tuple[bytes, bytes]]) -> Scope:
    return {**scope, "headers": headers}


class _ETagged:
    """Sends the answer's start with the ETag of what is sent (mixin of a responder)."""

    sent_suffixed: set[str]

    def _wrap(self, send: Send) -> Send:
        async def send_tagged(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(raw=message["headers"])
                tag = headers.get("etag")
                compressed = headers.get("content-encoding", "").lower() == "gzip"
                if message["status"] == 304:
                    headers.add_vary_header("Accept-Encoding")
                    if tag and gzip_etag(tag).removeprefix("W/") in self.sent_suffixed:
                        headers["etag"] = gzip_etag(tag)
                elif tag and compressed:
                    headers["etag"] = gzip_etag(tag)
            await send(message)

        return send_tagged


class _GZip(_ETagged, GZipResponder):
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.send = self._wrap(send)
        await self.app(scope, receive, self.send_with_compression)


class _Identity(_ETagged, IdentityResponder):
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.send = self._wrap(send)
        await self.app(scope, receive, self.send_with_compression)


class NegotiatedGZip(GZipMiddleware):
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        accept, inm, others = None, None, []
        for name, value in scope["headers"]:
            if name == b"accept-encoding":
                accept = (
                    value.decode("latin-1")
                    if accept is None
                    else f"{accept},{value.decode('latin-1')}"
                )
            elif name == b"if-none-match":
                inm = value.decode("latin-1")
                continue
            others.append((name, value))
        sent_suffixed: set[str] = set()
        if inm is not None:
            sent_suffixed = {
                t.strip().removeprefix("W/") for t in inm.split(",") if _SUFFIXED.search(t)
            }
            others.append((b"if-none-match", _SUFFIXED.sub('"', inm).encode("latin-1")))
            scope = _with_headers(scope, others)
        gzip, identity = negotiate(accept)
        responder: _GZip | _Identity
        if gzip:
            responder = _GZip(
                self.app,
                self.minimum_size if identity else 1,  # an empty body stays empty
                compresslevel=self.compresslevel,
                thread_minimum_size=self.thread_minimum_size,
                exclude_content_types=self.exclude_content_types,
            )
        else:
            responder = _Identity(
                self.app, self.minimum_size, exclude_content_types=self.exclude_content_types
            )
        responder.sent_suffixed = sent_suffixed
        await responder(scope, receive, send)
