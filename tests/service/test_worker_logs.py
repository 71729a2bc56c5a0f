"""The worker and the sweeper write the server's JSON lines (service.logs.JsonFormatter),
masked, with their counts as fields of the line; never plain text."""

import json
import subprocess
import sys

from tests.conftest import ROOT


def _env(db) -> dict[str, str]:
    return {
        "PATH": "/usr/bin:/bin",
        "DATABASE_URL": db.settings.database_url,
        "JL_ENV": "test",
        "PYTHONPATH": str(ROOT),
    }


def _json_lines(text: str) -> list[dict]:
    lines = [line for line in text.splitlines() if line.strip()]
    assert lines, "nothing was logged"
    return [json.loads(line) for line in lines]  # a plain-text line fails here


def test_the_sweeper_logs_json_lines_with_its_counts(db):
    if db.dialect != "sqlite":
        return  # one backend is enough for the command line
    done = subprocess.run(
        [sys.executable, "-m", "service.cli", "sweep-holds"],
        capture_output=True,
        text=True,
        env=_env(db),
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    (line,) = [x for x in _json_lines(done.stderr) if x["logger"] == "jilin.worker"]
    assert line["level"] == "INFO" and line["message"] == "sweep"
    assert line["expired"] == 0 and line["completed"] == 0 and "ts" in line


def test_the_worker_logs_json_lines(db):
    if db.dialect != "sqlite":
        return
    worker = subprocess.Popen(
        [sys.executable, "-m", "service.cli", "worker", "--interval", "3600"],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        env=_env(db),
    )
    try:
        first = worker.stderr.readline()  # written as it starts, before its first pass
    finally:
        worker.kill()
        worker.communicate()
    (line,) = _json_lines(first)
    assert line["logger"] == "jilin.worker" and line["message"].startswith("worker started")
    assert line["interval_s"] == 3600
