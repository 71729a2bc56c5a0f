"""``/docs`` and ``/redoc`` served wholly from this origin (README: the API docs never
load from a CDN).

fastapi-offline serves Swagger UI and ReDoc from its own files (its static mount, which
``FastAPIOffline`` makes), but ReDoc's bundle draws
the "API docs by Redocly" footer with an image from ``https://cdn.redoc.ly`` (ReDoc has no
option to leave that footer out). ``/redoc`` here loads the same bundle from
``/redoc/redoc.standalone.js`` with that image's address replaced by ``data:,``: an
empty image that fails to decode, so ReDoc's own ``onError`` hides it and no request
leaves the origin. The link "API docs by Redocly" stays (a link is not a request).

The pages are module-level functions that read their app from the request, never
functions made per app (``FastAPIOffline``'s own ``/docs`` is one, closing over its app):
FastAPI keeps every endpoint it has classified in module-level caches of up to 4,096
entries (``fastapi.dependencies.models``), so an endpoint closing over its app kept that
app alive, routes and validators included, after it was dropped. A process serving one
app did not notice; the test suite, which makes an app per test, kept ~1,000 of them (a
worker's heap grew to millions of objects, and the last garbage collection of a
pytest-xdist worker outlasted the 5 s execnet gives it before it sends the worker a
SIGINT). ``tests/service/test_app_freed.py`` holds an app freed after it served.
"""

from collections.abc import Callable
from functools import cache, partial
from pathlib import Path

import fastapi_offline
from fastapi import FastAPI, Request
from fastapi.openapi.docs import (
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)
from starlette.responses import HTMLResponse, Response

DOCS_URL = "/docs"
REDOC_URL = "/redoc"
BUNDLE_URL = "/redoc/redoc.standalone.js"
OFFSITE_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"
_BUNDLE = Path(fastapi_offline.__file__).parent / "static" / "redoc.standalone.js"
_STATIC = "/static-offline-docs"  # fastapi-offline's mount (Swagger UI's files, the favicon)
_FAVICON = f"{_STATIC}/favicon.png"


@cache
def bundle() -> bytes:
    """ReDoc's bundle with its one off-site address (``OFFSITE_LOGO``) made ``data:,``;
    a bundle without it (another version) is an error here, not a silent change."""
    text = _BUNDLE.read_text(encoding="utf-8")
    if OFFSITE_LOGO not in text:
        raise RuntimeError(f"{_BUNDLE} no longer loads {OFFSITE_LOGO}: check it again")
    return text.replace(OFFSITE_LOGO, "data:,").encode()


def _page(
    request: Request, draw: Callable[..., HTMLResponse], ui: str, **links: str
) -> HTMLResponse:
    """``draw`` (FastAPI's page of Swagger UI or ReDoc) for the request's app, ``links``
    (its files' addresses) under the request's root path, as ``FastAPIOffline`` drew it."""
    app, root = request.app, request.scope.get("root_path", "")
    return draw(
        openapi_url=f"{root}{app.openapi_url}",
        title=f"{app.title} - {ui}",
        **{name: f"{root}{path}" for name, path in links.items()},
    )


async def swagger_ui_html(request: Request) -> HTMLResponse:
    app = request.app
    draw = partial(
        get_swagger_ui_html,
        oauth2_redirect_url=app.swagger_ui_oauth2_redirect_url,
        swagger_ui_parameters=app.swagger_ui_parameters,
    )
    return _page(
        request,
        draw,
        "Swagger UI",
        swagger_js_url=f"{_STATIC}/swagger-ui-bundle.js",
        swagger_css_url=f"{_STATIC}/swagger-ui.css",
        swagger_favicon_url=_FAVICON,
    )


async def swagger_ui_redirect() -> HTMLResponse:
    return get_swagger_ui_oauth2_redirect_html()


async def redoc_html(request: Request) -> HTMLResponse:
    draw = partial(get_redoc_html, with_google_fonts=False)
    return _page(request, draw, "ReDoc", redoc_js_url=BUNDLE_URL, redoc_favicon_url=_FAVICON)


async def redoc_bundle() -> Response:
    return Response(
        bundle(),
        media_type="text/javascript; charset=utf-8",
        headers={"Cache-Control": "public, max-age=86400"},
    )


def install(app: FastAPI) -> None:
    """``GET /docs`` (and Swagger UI's OAuth2 redirect), ``/redoc`` and its bundle: the app
    is made with ``docs_url=None, redoc_url=None``."""
    assert app.swagger_ui_oauth2_redirect_url is not None
    pages = [
        (DOCS_URL, swagger_ui_html),
        (app.swagger_ui_oauth2_redirect_url, swagger_ui_redirect),
        (REDOC_URL, redoc_html),
        (BUNDLE_URL, redoc_bundle),
    ]
    for path, page in pages:
        app.add_api_route(path, page, methods=["GET"], include_in_schema=False)
