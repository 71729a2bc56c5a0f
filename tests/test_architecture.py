"""The shape of the code (docs/architecture.md): where transactions commit, which way
packages and capabilities import."""

import ast
import functools
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


# Capabilities, lowest first: each may import only those before it (never one after
# it, and never sideways through a function-level import).
CAPABILITIES = [
    "clients",
    "catalog",
    "quotes",
    "plans",
    "bookings",
    "payments",
    "webhooks",
    "operators",
    "reports",
]
# Modules of service/ above every capability: they compose them.
ROOTS = {"service.app", "service.cli", "service.worker", "service.models"}
# The traveller pages and the operators' console are front ends over every capability,
# like the app itself.
ROOT_PACKAGES = ("service.pages", "service.console")


def _is_root(module: str) -> bool:
    return module in ROOTS or module.startswith(tuple(p + "." for p in ROOT_PACKAGES))


# Shared modules of service/ (auth, db, errors, runner, idempotency...) sit below the
# capabilities; auth alone reads API clients (the caller's key).
SHARED_MAY_IMPORT = {"clients"}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imported(path: Path) -> set[str]:
    """Every module ``path`` imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names)
    return found


def _capability(module: str) -> str | None:
    parts = module.split(".")
    if len(parts) >= 2 and parts[0] == "service" and parts[1] in CAPABILITIES:
        return parts[1]
    return None


@functools.cache
def _import_edges(*packages: str) -> tuple[tuple[str, str], ...]:
    """Parsed once per session: the scan of ``service`` is asked for again by several
    tests (and once per nested import of ``service.cli`` below)."""
    return tuple(
        (_module_name(p), target) for p in _modules(*packages) for target in sorted(_imported(p))
    )


def test_capabilities_import_one_way():
    wrong = []
    for module, target in _import_edges("service"):
        if _is_root(target) and not _is_root(module):
            wrong.append(f"{module} imports {target}, which sits above every capability")
        here, there = _capability(module), _capability(target)
        if there is None or here == there or _is_root(module):
            continue
        if here is None:
            if there not in SHARED_MAY_IMPORT:
                wrong.append(f"shared {module} imports capability {target}")
        elif CAPABILITIES.index(there) > CAPABILITIES.index(here):
            wrong.append(f"{module} ({here}) imports {target} ({there}), which sits above it")
    assert wrong == []


def test_the_import_scan_sees_function_level_imports():
    """Not vacuous: the scan finds the roots' imports of every capability, some of them
    made inside functions (``service.cli``)."""
    seen = {_capability(t) for m, t in _import_edges("service") if _is_root(m)}
    assert set(CAPABILITIES) <= seen
    assert any(m.startswith("service.pages.") for m, _ in _import_edges("service"))
    tree = ast.parse((ROOT / "service" / "cli.py").read_text(encoding="utf-8"))
    nested = [
        n
        for f in ast.walk(tree)
        if isinstance(f, ast.FunctionDef)
        for n in ast.walk(f)
        if isinstance(n, ast.ImportFrom) and n.module and n.module.startswith("service.")
    ]
    assert nested and all(
        ("service.cli", f"{n.module}") in _import_edges("service") for n in nested
    )


def test_pricing_imports_nothing_of_ours_and_catalog_no_service():
    ours = {"catalog", "service", "tests", "bench"}
    io = {"sqlmodel", "sqlalchemy", "fastapi", "httpx", "stripe", "socket", "requests"}
    pricing = {t.split(".")[0] for m, t in _import_edges("pricing")}
    assert pricing & (ours | io) == set()
    assert {t for m, t in _import_edges("catalog") if t.split(".")[0] == "service"} == set()


def test_migrations_import_nothing_of_the_service():
    """A migration is frozen when written (0005, 0027): the rule it applies is copied
    into it, never imported from ``service``, whose code moves on. (``migrations/env.py``
    reads the app's settings and tables: it is the runner, not a migration.)"""
    edges = _import_edges("migrations/versions")
    assert edges, "the scan reads the migrations"
    assert [(m, t) for m, t in edges if t.split(".")[0] == "service"] == []


def test_the_planner_is_pure():
    """The planner searches over data read once per request: no database, no web, no
    service; of the catalogue only the pure sellability check, geometry and the
    vocabularies' names (what its texts call a certification), which do no I/O either."""
    io = {"sqlmodel", "sqlalchemy", "fastapi", "httpx", "stripe", "socket", "requests"}
    planner = {t for m, t in _import_edges("planner")}
    assert planner, "the scan sees the planner's imports"
    assert {t.split(".")[0] for t in planner} & (io | {"service", "tests", "bench"}) == set()
    assert {".".join(t.split(".")[:2]) for t in planner if t.startswith("catalog.")} <= {
        "catalog.sellability",
        "catalog.geo",
        "catalog.vocab",
    }
    for module in ("catalog.sellability", "catalog.geo", "catalog.vocab"):
        used = {t.split(".")[0] for m, t in _import_edges("catalog") if m == module}
        assert used & (io | {"service"}) == set(), module


def _untyped_dict_parameters(path: Path) -> list[str]:
    """``function(parameter)`` of every public function in ``path`` whose parameter is
    annotated as a bare or ``Any``-valued dict (``dict``, ``dict[str, Any]``)."""
    found = []
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) or node.name[0] == "_":
            continue
        args = node.args
        for arg in [*args.posonlyargs, *args.args, *args.kwonlyargs]:
            note = ast.unparse(arg.annotation) if arg.annotation else ""
            if note == "dict" or (note.startswith("dict[") and note.endswith(", Any]")):
                found.append(f"{node.name}({arg.arg}: {note})")
    return found


def test_services_take_typed_values():
    """What a capability's service is handed crosses a boundary: validated models or
    frozen dataclasses (a Stripe event is parsed once, in ``service.payments.events``),
    never a raw dict."""
    services = sorted((ROOT / "service").glob("*/service.py"))
    assert len(services) >= 8, "the scan sees every capability's service"
    found = {_rel(p): f for p in services if (f := _untyped_dict_parameters(p))}
    assert found == {}


def test_the_typed_values_scan_sees_a_dict_parameter(tmp_path):
    sample = tmp_path / "service.py"
    sample.write_text(
        "from typing import Any\n"
        "def settle(session, intent: dict[str, Any], now): ...\n"
        "def _private(d: dict): ...\n"
        "def plain(d: dict, n: int): ...\n"
    )
    assert _untyped_dict_parameters(sample) == ["settle(intent: dict[str, Any])", "plain(d: dict)"]
