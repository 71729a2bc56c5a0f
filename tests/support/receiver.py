"""A local HTTP receiver on 127.0.0.1 that records what is POSTed to it.

Used as a partner's webhook endpoint and as the URL the fake Stripe posts its own
webhooks to. ``respond_with`` queues status codes (default 200 once the queue is empty).
"""

import threading
import time
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: str


class Receiver:
    def __init__(self) -> None:
        self.requests: list[Received] = []
        self._statuses: deque[int] = deque()
        self._lock = threading.Lock()
        self._arrived = threading.Condition(self._lock)
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode()
                with receiver._lock:
                    status = receiver._statuses.popleft() if receiver._statuses else 200
                    receiver.requests.append(
                        Received(self.path, {k: v for k, v in self.headers.items()}, body)
                    )
                    receiver._arrived.notify_all()
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args) -> None:  # keep test output quiet
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def respond_with(self, *statuses: int) -> None:
        with self._lock:
            self._statuses.extend(statuses)

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Received]:
        """Block until at least ``count`` requests arrived (the fake Stripe posts ~1 s late)."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while len(self.requests) < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"expected {count} requests, got {len(self.requests)}")
                self._arrived.wait(remaining)
            return list(self.requests)

    def wait_for_match(self, text: str, timeout: float = 10.0) -> Received:
        """The first request whose body contains ``text``, waiting for it to arrive."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                for request in self.requests:
                    if text in request.body:
                        return request
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"no request containing {text!r} arrived")
                self._arrived.wait(remaining)

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
