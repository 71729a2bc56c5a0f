"""The HTTP/1.1 protocol ``jilin serve`` runs: uvicorn's httptools protocol, plus two things.

**Raw UTF-8 in the request target is read as a browser sends it.** Many clients (curl,
some mini-program, Java and Go stacks) send ``?prefecture=延边朝鲜族自治州`` unescaped;
llhttp (httptools' parser) refuses any byte above 0x7F in the path or query ("Invalid
char in url query") and h11 as well (its request-target is visible ASCII only), so
uvicorn answered a plain-text 400 before the app saw the request. Here every such byte
of the request line is percent-encoded (``%E5%BB%B6…``) before the parser reads it,
which is exactly what a browser sends for the same address: the app decodes it as UTF-8
as it does every query. Only request lines are touched, never headers or bodies: a
chunk of data is rewritten only when the parser is between messages (so the chunk opens
with a request line) or inside a request line that began in the chunk before. A
pipelined request that follows another in the same chunk is not rewritten (its start
is not known) and is refused as below.

**A request the parser refuses is answered by the app.** Any other unreadable request
(a control character or space in the address, a malformed header, a bad method) was
uvicorn's plain-text "Invalid HTTP request received." with no request id, no access
line and no metric. It is now handed to the app as a request of its own, marked
``UNPARSABLE`` in its scope, and ``middleware.RequestContext`` answers it: 400
``malformed_request`` problem+json naming the part at fault, with ``X-Request-Id``,
one ``jilin.access`` line (route ``unparsable``) and its count in
``jilin_http_request_duration_seconds``; the connection is then closed, as before.
When another request's answer is still under way on the connection (pipelining), the
plain-text answer stays: a second answer cannot be written into the first.

**That answer is in the caller's language where the bytes say it.** The head of the
message received so far is kept (at most ``HEAD_KEPT`` bytes, from where the parser was
last between messages); an ``Accept-Language`` line found in it, before the point of
failure or after it, is the only header handed to the app, so the problem is negotiated
as every other answer is (``i18n.negotiate``), zh-CN when none can be read. Nothing
else of the unread request is handed on (not its path: the answer is a problem even at
a page's path, docs/pages.md).
"""

import asyncio
import re

import httptools
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol, RequestResponseCycle

from service.middleware import UNPARSABLE

_HIGH_BYTE = re.compile(rb"[\x80-\xff]")
HEAD_KEPT = 16 * 1024  # of a message, for its Accept-Language if the parser refuses it
_ACCEPT_LANGUAGE = re.compile(rb"^accept-language[ \t]*:[ \t]*([^\r\n]{0,256})", re.I | re.M)
_HEAD_END = re.compile(rb"\r?\n\r?\n")


def percent_encode_high_bytes(line: bytes) -> bytes:
    """``line`` with every byte above 0x7F as ``%XX`` (upper-case hex, RFC 3986)."""
    return _HIGH_BYTE.sub(lambda m: b"%%%02X" % m.group()[0], line)


def refused_part(reason: str) -> str:
    """The part of the request llhttp's error ``reason`` names: ``query``, ``path``,
    ``headers``, ``method`` or ``request``."""
    said = reason.lower()
    if "query" in said:
        return "query"
    if "url" in said or "uri" in said:
        return "path"
    if "header" in said:
        return "headers"
    if "method" in said:
        return "method"
    return "request"


def readable_accept_language(received: bytes) -> bytes | None:
    """The ``Accept-Language`` of the head of a message in ``received`` (its lines up to
    the first blank line; several lines joined as one list), or None when it has none.
    Read whether or not the parser reached it: the line is the caller's word even when
    another line of the head is malformed."""
    head = _HEAD_END.split(received.lstrip(b"\r\n"), maxsplit=1)[0]
    said = [v.strip() for v in _ACCEPT_LANGUAGE.findall(head.partition(b"\n")[2])]
    return b", ".join(v for v in said if v) or None


class JilinHttpToolsProtocol(HttpToolsProtocol):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._in_message = False  # the parser has begun a message it has not finished
        self._line_open = False  # a request line began in an earlier chunk (no LF yet)
        self._refused = False  # answered as unparsable: the rest of the data is ignored
        self._received = b""  # the current message's first HEAD_KEPT bytes

    # the parser's callbacks, watched for where messages begin and end
    def on_message_begin(self) -> None:
        self._in_message = True
        super().on_message_begin()

    def on_message_complete(self) -> None:
        self._in_message = False
        super().on_message_complete()

    def _readable(self, data: bytes) -> bytes:
        """``data`` with the high bytes of its request line percent-encoded, when the
        chunk is known to hold the start (or the rest) of a request line."""
        if self._in_message and not self._line_open:
            return data
        start = 0 if self._line_open else len(data) - len(data.lstrip(b"\r\n"))
        end = data.find(b"\n", start)
        self._line_open = end < 0
        if end < 0:
            end = len(data)
        line = data[start:end]
        if line.isascii():
            return data
        return data[:start] + percent_encode_high_bytes(line) + data[end:]

    def data_received(self, data: bytes) -> None:
        if self._refused:
            return
        self._unset_keepalive_if_required()
        if not self._in_message:
            self._received = b""
        if len(self._received) < HEAD_KEPT:
            self._received += data[: HEAD_KEPT - len(self._received)]
        try:
            self.parser.feed_data(self._readable(data))
        except httptools.HttpParserUpgrade:
            if self._should_upgrade():
                self.handle_websocket_upgrade()
            else:
                self._unsupported_upgrade_warning()
        except httptools.HttpParserError as exc:
            self._refuse(refused_part(str(exc)))

    def _refuse(self, part: str) -> None:
        if (self.cycle is not None and not self.cycle.response_complete) or self.pipeline:
            self.logger.warning("Invalid HTTP request received.")
            self.send_400_response("Invalid HTTP request received.")
            return
        self._refused = True
        scope = {
            "type": "http",
            "asgi": {"version": self.asgi_version, "spec_version": "2.3"},
            "http_version": "1.1",
            "server": self.server,
            "client": self.client,
            "scheme": self.scheme,
            "root_path": self.root_path,
            "method": "-",  # not read: the access line and the metric say "-"
            "path": "",
            "raw_path": b"",
            "query_string": b"",
            "headers": [(b"accept-language", said)]
            if (said := readable_accept_language(self._received))
            else [],
            "state": self.app_state.copy(),
            UNPARSABLE: part,
        }
        self.cycle = RequestResponseCycle(
            scope=scope,
            transport=self.transport,
            flow=self.flow,
            logger=self.logger,
            access_logger=self.access_logger,
            access_log=self.access_log,
            default_headers=self.server_state.default_headers,
            message_event=asyncio.Event(),
            expect_100_continue=False,
            keep_alive=False,  # closed once answered, as uvicorn's own 400 closes it
            on_response=self.on_response_complete,
        )
        self.cycle.more_body = False
        self._start_asgi_task(self.cycle, self.app)
