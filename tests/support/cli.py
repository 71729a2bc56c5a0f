"""Running ``python -m service.cli`` as a newcomer does: in a fresh folder, on the
default ``sqlite:///var/jilin.db``."""

import os
import subprocess
import sys
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
