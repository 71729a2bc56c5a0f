"""An app is freed once nothing of its own refers to it: nothing module-level keeps it.

FastAPI keeps every endpoint and dependency it classifies in module-level caches of up to
4,096 entries (``fastapi.dependencies.models``). An endpoint made per app that closes
over its app (fastapi-offline's ``/docs`` did, and ``/redoc`` here) kept that app alive
with its routes and validators. The suite makes an app per test: a pytest-xdist worker
kept ~1,000 of them, millions of objects, and its last garbage collection, after it told
the controller it had finished, outlasted the 5 s execnet gives a worker before it sends
it a SIGINT. The KeyboardInterrupt landed in a WeakSet callback of that collection: the
``PytestUnraisableExceptionWarning`` at the end of every full run (``service.api_docs``).
"""

import gc
import weakref

from fastapi.testclient import TestClient

from service.app import create_app

PAGES = ["/v1/health", "/docs", "/docs/oauth2-redirect", "/redoc", "/", "/v1/destinations"]


def _served_once(db) -> weakref.ref:
    app = create_app(db.settings, database=db)
    with TestClient(app, raise_server_exceptions=False) as client:
        for page in PAGES:
            assert client.get(page).status_code == 200, page
    return weakref.ref(app)


def test_an_app_is_freed_after_it_served(db):
    app = _served_once(db)
    gc.collect()
    assert app() is None, (
        "the app outlived its last use: something module-level still refers to it (an "
        "endpoint or dependency made per app that closes over it, kept by FastAPI's "
        "caches, as service/api_docs.py says?)"
    )
