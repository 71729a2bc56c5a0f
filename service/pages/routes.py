"""The traveller pages. HTTP only, like the API's endpoints: parse, call the same service
functions, render a template (``web.render``). Not in the OpenAPI document."""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from catalog.vocab import THEME_NAMES
from service.i18n import Lang
from service.pages import web

router = APIRouter(route_class=web.PageRoute, include_in_schema=False)


@router.get("/")
def home(request: Request) -> Response:
    lang = web.page_lang(request)
    themes = [
        {"code": code, "name": zh if lang == "zh-CN" else en}
        for code, (zh, en) in THEME_NAMES.items()
    ]
    return web.render(request, "home.html", {"nav": "home", "themes": themes})


@router.get("/lang/{choice}")
def switch_language(
    choice: Lang, next_path: Annotated[str | None, Query(alias="next", max_length=2000)] = None
) -> Response:
    """Keep the chosen language in a cookie (a year) and go back where the link was."""
    response = RedirectResponse(web.safe_next(next_path), status_code=303)
    response.set_cookie(
        web.LANG_COOKIE, choice, max_age=365 * 24 * 3600, samesite="lax", httponly=True
    )
    return response
