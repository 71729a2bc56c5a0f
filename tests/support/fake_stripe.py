"""A fake Stripe server (localstripe) on loopback, for tests and the demo.

Run it by hand::

    ./dev fake-stripe --port 8420

or start a private instance from Python (tests, demo)::

    with start_fake_stripe() as fake:
        client = stripe.StripeClient("sk_test_x", base_addresses={"api": fake.url})

Unlike ``localstripe`` run as shipped, this launcher

- binds 127.0.0.1 only (localstripe binds ``::``, every interface);
- keeps the store in memory: localstripe pickles its whole store to the fixed
  path ``/tmp/localstripe.pickle`` on every write and reloads it at start, so two
  instances would share (and corrupt) each other's state. Both methods are
  replaced by no-ops here, so nothing is read from or written to disk;
- with ``--port 0`` lets the kernel pick a free port and prints it on stdout
  once the server is listening, so concurrent test processes never race for
  a port.

See FAKE_STRIPE_NOTES.md next to this file for what localstripe does and does
not support through the stripe SDK.
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import logging
import os
import selectors
import signal
import socket
import subprocess
import sys
import tempfile
import time
import weakref
from pathlib import Path
from types import TracebackType

READY_PREFIX = "FAKE_STRIPE_LISTENING "
HOST = "127.0.0.1"


# --------------------------------------------------------------------------
# The server process
# --------------------------------------------------------------------------


def _keep_store_in_memory() -> None:
    """Stop localstripe from touching /tmp/localstripe.pickle."""
    from localstripe.resources import Store, store

    Store.try_load_from_disk = lambda self: None  # type: ignore[method-assign]
    Store.dump_to_disk = lambda self: None  # type: ignore[method-assign]
    store.clear()


async def _serve(port: int, *, verbose: bool, exit_on_stdin_eof: bool) -> None:
    _keep_store_in_memory()

    from aiohttp import web
    from localstripe.server import app

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((HOST, port))
    bound_port = sock.getsockname()[1]

    access_log = logging.getLogger("aiohttp.access") if verbose else None
    runner = web.AppRunner(app, access_log=access_log, shutdown_timeout=1.0)
    await runner.setup()
    site = web.SockSite(runner, sock)
    await site.start()

    # The only line ever written to stdout: the parent waits for it.
    sys.stdout.write(f"{READY_PREFIX}{bound_port}\n")
    sys.stdout.flush()
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())

    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    if exit_on_stdin_eof:
        # The parent holds our stdin open; when it dies, stdin hits EOF and we
        # exit instead of lingering as an orphan holding a port.
        stdin_fd = sys.stdin.fileno()

        def on_stdin() -> None:
            if not os.read(stdin_fd, 4096):
                loop.remove_reader(stdin_fd)
                stop.set()

        loop.add_reader(stdin_fd, on_stdin)

    try:
        await stop.wait()
    finally:
        await runner.cleanup()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="./dev fake-stripe",
        description="localstripe on 127.0.0.1 with its store in memory.",
    )
    parser.add_argument(
        "--port", type=int, default=8420, help="0 picks a free port (printed on stdout)"
    )
    parser.add_argument("--verbose", action="store_true", help="log every request to stderr")
    parser.add_argument(
        "--exit-on-stdin-eof",
        action="store_true",
        help="exit when stdin is closed (used by start_fake_stripe)",
    )
    args = parser.parse_args(argv)

    # localstripe reports webhook deliveries on the "aiohttp.access" logger.
    logging.basicConfig(
        stream=sys.stderr,
        level=logging.INFO if args.verbose else logging.WARNING,
        format="fake_stripe %(levelname)s %(message)s",
    )
    if args.verbose:
        logging.getLogger("aiohttp.access").setLevel(logging.DEBUG)

    asyncio.run(_serve(args.port, verbose=args.verbose, exit_on_stdin_eof=args.exit_on_stdin_eof))


# --------------------------------------------------------------------------
# The helper that starts a private instance in a subprocess
# --------------------------------------------------------------------------


class FakeStripeError(RuntimeError):
    pass


class FakeStripe:
    """A running fake Stripe server. Use as a context manager or call stop()."""

    def __init__(self, process: subprocess.Popen[bytes], port: int, log_file) -> None:
        self.process = process
        self.port = port
        self.host = HOST
        self.url = f"http://{HOST}:{port}"
        self._log_file = log_file
        self._finalizer = weakref.finalize(self, _terminate, process, log_file)

    def logs(self) -> str:
        """What the server wrote to stderr so far (errors; every request if verbose)."""
        return _read_log(self._log_file)

    def reset(self) -> None:
        """Forget every object (DELETE /_config/data). Registered webhooks stay."""
        _http(self.port, "DELETE", "/_config/data")

    def stop(self) -> None:
        self._finalizer()

    @property
    def running(self) -> bool:
        return self.process.poll() is None

    def __enter__(self) -> FakeStripe:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"FakeStripe(url={self.url!r}, pid={self.process.pid})"


def start_fake_stripe(
    port: int | None = None, *, timeout: float = 15.0, verbose: bool = False
) -> FakeStripe:
    """Start a private localstripe on 127.0.0.1 and wait until it answers.

    ``port=None`` lets the kernel choose a free port (safe when many test
    processes start their own instance at once). The child's stderr goes to an
    anonymous temporary file (see ``FakeStripe.logs()``); nothing is shared on
    disk between instances.
    """
    script = Path(__file__).resolve()
    log_file = tempfile.TemporaryFile()  # unlinked at once: private to this instance
    args = [sys.executable, "-P", str(script), "--port", str(port or 0), "--exit-on-stdin-eof"]
    if verbose:
        args.append("--verbose")
    # Run the file, not "-m tests.support.fake_stripe": the child then needs
    # no sys.path set-up and never imports the tests package.
    # -P (3.11+) keeps this folder off sys.path.
    process = subprocess.Popen(
        args,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=log_file,
        close_fds=True,
    )
    try:
        bound_port = _wait_for_ready_line(process, log_file, timeout)
        _wait_until_answering(process, bound_port, log_file, timeout)
    except BaseException:
        _terminate(process, log_file)
        raise
    return FakeStripe(process, bound_port, log_file)


def _wait_for_ready_line(process: subprocess.Popen[bytes], log_file, timeout: float) -> int:
    assert process.stdout is not None
    deadline = time.monotonic() + timeout
    buffer = b""
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        while b"\n" not in buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise FakeStripeError(
                    f"fake Stripe did not start within {timeout}s:\n{_read_log(log_file)}"
                )
            if not selector.select(remaining):
                continue
            chunk = os.read(process.stdout.fileno(), 4096)
            if not chunk:
                process.wait(timeout=5)
                raise FakeStripeError(
                    f"fake Stripe exited with code {process.returncode}:\n{_read_log(log_file)}"
                )
            buffer += chunk
    line = buffer.split(b"\n", 1)[0].decode()
    if not line.startswith(READY_PREFIX):
        raise FakeStripeError(f"unexpected output from fake Stripe: {line!r}")
    process.stdout.close()
    return int(line[len(READY_PREFIX) :])


def _wait_until_answering(
    process: subprocess.Popen[bytes], port: int, log_file, timeout: float
) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            # An unauthenticated /v1 call answers 401 without touching the store.
            _http(port, "GET", "/v1/balance", expect=401)
            return
        except (OSError, http.client.HTTPException):
            if process.poll() is not None or time.monotonic() > deadline:
                raise FakeStripeError(
                    f"fake Stripe on port {port} is not answering:\n{_read_log(log_file)}"
                ) from None
            time.sleep(0.05)


def _http(port: int, method: str, path: str, *, expect: int = 200) -> None:
    # http.client ignores HTTP(S)_PROXY, which must never apply to loopback.
    conn = http.client.HTTPConnection(HOST, port, timeout=5)
    try:
        conn.request(method, path)
        response = conn.getresponse()
        response.read()
        if response.status != expect:
            raise FakeStripeError(f"{method} {path} answered {response.status}")
    finally:
        conn.close()


def _read_log(log_file) -> str:
    try:
        fd = log_file.fileno()
        # pread leaves the shared file offset alone (the child appends to it).
        return os.pread(fd, os.fstat(fd).st_size, 0).decode(errors="replace")
    except (OSError, ValueError):
        return ""


def _terminate(process: subprocess.Popen[bytes], log_file) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    for stream in (process.stdin, process.stdout):
        if stream is not None and not stream.closed:
            stream.close()
    log_file.close()


if __name__ == "__main__":
    main()
