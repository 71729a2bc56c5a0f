"""The shape of the code: where transactions commit (docs/architecture.md)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The one module that commits: the runner every unit of work goes through.
RUNNER = "service/runner.py"


def _modules(*packages: str) -> list[Path]:
    return sorted(p for package in packages for p in (ROOT / package).rglob("*.py"))


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _commit_calls(path: Path) -> list[int]:
    """Line numbers of every ``<anything>.commit(...)`` call in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "commit"
    ]


def test_only_the_runner_commits():
    """Services, repositories, endpoints, the CLI and the worker get their transaction
    from ``service.runner`` and never commit themselves."""
    found = {_rel(p): lines for p in _modules("service", "catalog") if (lines := _commit_calls(p))}
    assert set(found) == {RUNNER}, {k: v for k, v in found.items() if k != RUNNER}


def test_the_commit_scan_sees_a_commit():
    """The scan above is not vacuous: it finds the runner's own commits."""
    assert _commit_calls(ROOT / RUNNER)
