"""Project-level checks: the committed OpenAPI document, lint, a fresh checkout (import
direction and commits: tests/test_architecture.py)."""

import json
import re
import subprocess
import sys
from pathlib import Path

from service.cli import OPENAPI_PATH, render_openapi
from tests.support.cli import fresh_checkout_env, run_cli, serving

ROOT = Path(__file__).resolve().parent.parent


def test_committed_openapi_matches_the_app():
    """Regenerate with `./dev openapi` (python -m service.cli openapi) when this fails."""
    assert OPENAPI_PATH.exists(), "openapi/openapi.json is missing"
    assert OPENAPI_PATH.read_text(encoding="utf-8") == render_openapi()


def test_every_operation_has_a_stable_id_summary_and_documents_its_problems():
    import json

    doc = json.loads(OPENAPI_PATH.read_text(encoding="utf-8"))
    ids = []
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            ids.append(op["operationId"])
            assert op.get("summary"), f"{method.upper()} {path} has no summary"
            if path.startswith("/v1/") and not path.startswith("/v1/health"):
                problems = [c for c in op["responses"] if c.startswith("4")]
                assert problems, f"{method.upper()} {path} documents no 4xx problem"
    assert len(ids) == len(set(ids))


def test_ruff_is_clean():
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", str(ROOT)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_first_command_serves_the_demo_catalogue_from_a_fresh_checkout(tmp_path):
    """What ``./dev serve`` runs, in a folder with no ``var/`` yet (a fresh clone): migrate
    and load the demo catalogue into the default ``sqlite:///var/jilin.db``, serve, and
    answer. The SQLite file's folder is created on the way. The server says "serving on"
    only once it accepts connections: the first request after that line is answered
    (``./dev serve`` said it before starting uvicorn, seconds before a request could be
    answered)."""
    import httpx

    env = fresh_checkout_env()
    for step in ("migrate", "load-demo"):
        run_cli(tmp_path, env, step)
    assert (tmp_path / "var" / "jilin.db").is_file()
    with serving(tmp_path, env) as (port, _):
        health = httpx.get(f"http://127.0.0.1:{port}/v1/health", timeout=10)  # at once
        assert health.status_code == 200
        products = httpx.get(f"http://127.0.0.1:{port}/v1/products", timeout=10)
        assert products.status_code == 200
        assert products.json()["items"]
        from service.quotes.examples import REQUEST_EXAMPLES

        tour = REQUEST_EXAMPLES["demo_tour"]["value"]  # the documented example works
        quote = httpx.post(f"http://127.0.0.1:{port}/v1/quotes", json=tour, timeout=10)
        assert quote.status_code == 201, quote.text
    log = (tmp_path / "serve.log").read_text()
    lines = [json.loads(line) for line in log.splitlines() if line.startswith("{")]
    access = [line for line in lines if line["logger"] == "jilin.access"]
    assert {(line["method"], line["route"], line["status"]) for line in access} >= {
        ("GET", "/v1/products", 200),
        ("POST", "/v1/quotes", 201),
    }
    assert all(line["request_id"] for line in access)
    assert "Traceback" not in log, log[-3000:]


def test_dev_serve_says_serving_on_only_when_the_server_does():
    """The README says to send the first request after "serving on": ``./dev serve``'s
    own line before starting the server said "serving on" too (in quotes), so a script
    waiting for those words went on seconds early and found nothing listening (newcomer
    finding). Only ``jilin serve`` says them, once it accepts connections."""
    dev = (Path(__file__).resolve().parent.parent / "dev").read_text()
    said = [line for line in dev.splitlines() if "echo" in line and "serving on" in line]
    assert said == []


def test_the_idempotency_key_is_documented_as_required_where_it_is_enforced():
    paths = json.loads(render_openapi())["paths"]
    documented = {
        path
        for path, operations in paths.items()
        for op in operations.values()
        for p in op.get("parameters", [])
        if p["name"] == "Idempotency-Key" and p["required"] is True
    }
    assert documented == {
        "/v1/bookings",
        "/v1/bookings/{reference}/cancel",
        "/v1/webhook-deliveries/{delivery_id}/resend",
        "/v1/webhook-endpoints/{endpoint_id}/rotate-secret",
    }


def test_the_default_database_is_the_checkouts_wherever_a_command_runs(tmp_path, monkeypatch):
    from service.settings import Settings

    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("JL_DATABASE_URL", raising=False)
    monkeypatch.chdir(tmp_path)
    assert Settings().database_url == f"sqlite:///{ROOT / 'var' / 'jilin.db'}"


def test_the_command_line_module_imports_light():
    """``jilin serve --workers N`` spawns children that import ``service.cli`` again
    before they start; uvicorn's supervisor takes a child that is slow to answer for
    dead. The module imports neither the database stack nor the web framework at the
    top (each command imports what it needs)."""
    code = (
        "import sys, service.cli; "
        "print(sorted(m for m in ('sqlalchemy', 'sqlmodel', 'fastapi', 'stripe') "
        "if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_dev_without_a_command_or_with_an_unknown_one_prints_its_usage_and_fails():
    """``./dev`` alone used to start serving on port 8000: it now lists its commands (the
    README's ``./dev serve`` and ``./dev test`` among them) and exits 2, as for an unknown
    command; ``./dev help`` lists them and succeeds. None of these sets anything up."""
    dev = str(Path(__file__).resolve().parents[1] / "dev")

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([dev, *args], capture_output=True, text=True, timeout=30)

    alone, unknown, helped = run(), run("nonsense"), run("help")
    assert (alone.returncode, unknown.returncode, helped.returncode) == (2, 2, 0)
    assert "unknown command: nonsense" in unknown.stderr
    for usage in (alone.stderr, unknown.stderr, helped.stdout):
        assert "usage: ./dev COMMAND" in usage
        assert "\n  serve " in usage and "\n  test " in usage


_FENCE = re.compile(r"^\s*(```|~~~)")
_LINK = re.compile(r"(?<!!)\[(?:[^\]\[]|\[[^\]]*\])*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")


def _markdown_prose(path: Path, code: bool = False) -> str:
    """The file's text with fenced blocks blanked, and inline code too unless ``code``
    (their brackets are not links), one output line per input line."""
    lines, fenced = [], False
    for line in path.read_text(encoding="utf-8").splitlines():
        if _FENCE.match(line):
            fenced = not fenced
            lines.append("")
        else:
            lines.append("" if fenced else line if code else re.sub(r"`[^`]*`", "", line))
    return "\n".join(lines)


def _heading_anchors(path: Path) -> set[str]:
    """GitHub's anchors for the file's headings: lower case, punctuation dropped, spaces
    as hyphens, a repeated one numbered."""
    seen: dict[str, int] = {}
    for line in _markdown_prose(path, code=True).splitlines():
        heading = re.match(r"^#{1,6}\s+(.*?)\s*#*\s*$", line)
        if heading:
            text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading.group(1))
            slug = re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")
            seen[slug] = seen.get(slug, -1) + 1
            if seen[slug]:
                seen[f"{slug}-{seen[slug]}"] = 0
    return set(seen)


def test_relative_links_in_the_docs_resolve():
    """Every relative link in README.md, docs/*.md and bench/**/*.md names a file of the
    checkout, and its #anchor a heading of that file (bench/README.md's logs were split
    into bench/results/, and such links moved with them)."""
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    pages += sorted((ROOT / "bench").rglob("*.md"))
    broken = []
    for page in pages:
        prose = _markdown_prose(page)
        for link in _LINK.finditer(prose):
            target = link.group(1)
            if re.match(r"^[a-z][a-z0-9+.-]*:", target):  # https:, mailto:
                continue
            path, _, anchor = target.partition("#")
            dest = (page.parent / path).resolve() if path else page
            line = prose.count("\n", 0, link.start()) + 1
            where = f"{page.relative_to(ROOT)}:{line}: {target}"
            if not dest.exists():
                broken.append(f"{where} (no such file)")
            elif anchor and dest.suffix == ".md" and anchor not in _heading_anchors(dest):
                broken.append(f"{where} (no such heading)")
    assert len(pages) > 20, "the walk over the docs is broken"
    assert not broken, "\n".join(broken)
