"""``jilin serve``'s workers freeze their startup heap; apps made elsewhere do not.

``service.app.create_served_app`` (the factory ``jilin serve`` hands uvicorn) moves what
a worker made at startup out of the garbage collector's walks (``gc.freeze``), so a full
collection no longer walks ~290,000 long-lived objects in some request's time. A test
process, which builds and frees many apps (``test_app_freed``), must not: each check
runs in a process of its own.
"""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import gc, json, sys
from service import app as factory
made = getattr(factory, sys.argv[1])()
def paths(routes):  # FastAPI keeps an included router as one node (original_router)
    for r in routes:
        if hasattr(r, "original_router"):
            yield from paths(r.original_router.routes)
        elif hasattr(r, "path"):
            yield r.path
names = set(paths(made.routes))
print(json.dumps({"frozen": gc.get_freeze_count(), "health": "/v1/health" in names,
                  "pages": "/quotes/{quote_id}" in names}))
"""


def _made_by(factory: str, tmp_path: Path) -> dict:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path}/unused.db", "PATH": "/usr/bin:/bin"}
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT, factory],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_a_served_worker_freezes_what_it_made_at_startup(tmp_path):
    served = _made_by("create_served_app", tmp_path)
    assert served["frozen"] > 100_000, served
    assert served["health"] and served["pages"], served


def test_an_app_made_by_create_app_leaves_the_collector_as_it_was(tmp_path):
    made = _made_by("create_app", tmp_path)
    assert made["frozen"] == 0, made
    assert made["health"] and made["pages"], made
