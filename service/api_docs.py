"""``/redoc`` served wholly from this origin (README: the API docs never load from a CDN).

fastapi-offline serves Swagger UI and ReDoc from its own files, but ReDoc's bundle draws
the "API docs by Redocly" footer with an image from ``https://cdn.redoc.ly`` (ReDoc has no
option to leave that footer out). ``/redoc`` here loads the same bundle from
``/redoc/redoc.standalone.js`` with that image's address replaced by ``data:,``: an
empty image that fails to decode, so ReDoc's own ``onError`` hides it and no request
leaves the origin. The link "API docs by Redocly" stays (a link is not a request).
"""

from functools import cache
from pathlib import Path

import fastapi_offline
from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_redoc_html
from starlette.responses import HTMLResponse, Response

REDOC_URL = "/redoc"
BUNDLE_URL = "/redoc/redoc.standalone.js"
OFFSITE_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"
_BUNDLE = Path(fastapi_offline.__file__).parent / "static" / "redoc.standalone.js"
_STATIC = "/static-offline-docs"  # fastapi-offline's mount (its favicon)


@cache
def bundle() -> bytes:
    """ReDoc's bundle with its one off-site address (``OFFSITE_LOGO``) made ``data:,``;
    a bundle without it (another version) is an error here, not a silent change."""
    text = _BUNDLE.read_text(encoding="utf-8")
    if OFFSITE_LOGO not in text:
        raise RuntimeError(f"{_BUNDLE} no longer loads {OFFSITE_LOGO}: check it again")
    return text.replace(OFFSITE_LOGO, "data:,").encode()


def install(app: FastAPI) -> None:
    """``GET /redoc`` and its bundle (the app is made with ``redoc_url=None``)."""

    @app.get(REDOC_URL, include_in_schema=False)
    async def redoc_html(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return get_redoc_html(
            openapi_url=f"{root}{app.openapi_url}",
            title=app.title + " - ReDoc",
            redoc_js_url=f"{root}{BUNDLE_URL}",
            redoc_favicon_url=f"{root}{_STATIC}/favicon.png",
            with_google_fonts=False,
        )

    @app.get(BUNDLE_URL, include_in_schema=False)
    async def redoc_bundle() -> Response:
        return Response(
            bundle(),
            media_type="text/javascript; charset=utf-8",
            headers={"Cache-Control": "public, max-age=86400"},
        )
