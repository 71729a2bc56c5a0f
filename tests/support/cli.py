"""Running ``python -m service.cli`` as a newcomer does: in a fresh folder, on the
default ``sqlite:///var/jilin.db``."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def fresh_checkout_env() -> dict[str, str]:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": "sqlite:///var/jilin.db",
        "JL_ENV": "development",
    }
    env.pop("JL_DATABASE_URL", None)
    return env


def run_cli(
    cwd: Path, env: dict[str, str], *step: str, status: int = 0
) -> subprocess.CompletedProcess:
    """One command, which must exit with ``status`` (succeed, unless told); its output."""
    done = subprocess.run(
        [sys.executable, "-m", "service.cli", *step],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == status, done.stderr[-2000:]
    return done


@contextmanager
def serving(cwd: Path, env: dict[str, str]) -> Iterator[tuple[int, Path]]:
    """``python -m service.cli serve`` on a free loopback port, as ``./dev serve`` runs
    it, until it says it serves: its port and its log (stdout and stderr); stopped on
    leaving."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = cwd / "serve.log"
    output = log.open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "service.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=cwd,
        env=env,
        stdout=output,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        said = f"==> serving on http://127.0.0.1:{port} (docs at /docs)"
        while said not in log.read_text():
            assert server.poll() is None, "the server exited"
            assert time.monotonic() < deadline, "the server did not say it serves in 60 s"
            time.sleep(0.1)
        yield port, log
    finally:
        server.terminate()
        server.wait(timeout=20)
        output.close()
