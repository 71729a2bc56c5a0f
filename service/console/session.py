"""Who is using the console: the login kept in a signed, HttpOnly, SameSite cookie.

Logging in at ``/console/login`` goes through the same service as ``POST
/v1/admin/tokens`` (``accounts.login``: the argon2 check, ten attempts a minute per
login, demo logins refused in production) and issues an admin token labelled
``console``. The cookie ``jl_console`` holds that token signed with the app's secret
(itsdangerous, 12 hours; HttpOnly, SameSite=Strict, Secure over HTTPS and in production,
path ``/console``; named ``__Secure-jl_console`` where it is Secure: ``csrf.cookie_name``;
a session under the plain name from before 2026-12-08 logs in again). Every console
request resolves it with the code that resolves a Bearer token
(``operators.auth.resolve``): a revoked token or a disabled account is refused at
once on every worker, and logging out revokes the token. So the console and the API
share one notion of the caller and one scope (``operators.scope``).

``ConsoleRoute`` is the route class of every console page: the page conventions
(``web.PageRoute``: CSRF on every POST, HTML errors) plus a redirect to the login page
when there is no live session.
"""

import posixpath
from collections.abc import Callable, Coroutine, Mapping
from typing import Annotated, Any
from urllib.parse import quote, unquote

from fastapi import Depends, Request, Response
from fastapi.responses import RedirectResponse
from itsdangerous import BadSignature, URLSafeTimedSerializer

from service import query_params, runner
from service.deps import ClockDep, DatabaseDep, SettingsDep
from service.errors import DomainError
from service.operators import auth
from service.operators.scope import Operator
from service.pages import csrf, web

COOKIE = "jl_console"
MAX_AGE_SECONDS = 12 * 3600
HOME = "/console"
LOGIN = "/console/login"
SESSION_LABEL = "console"  # the label a console login gives its token (marked console_session)


class LoginRequired(Exception):
    """No live console session: the page redirects to the login form."""


def _serializer(request: Request) -> URLSafeTimedSerializer:
    return csrf.signer(request, "jl-console")


def keep(request: Request, response: Response, token: str) -> None:
    csrf.set_cookie(
        request,
        response,
        COOKIE,
        _serializer(request).dumps(token),
        path=HOME,
        max_age=MAX_AGE_SECONDS,
    )


def forget(request: Request, response: Response) -> None:
    csrf.delete_cookie(request, response, COOKIE, path=HOME)


def token_of(request: Request) -> str | None:
    raw = csrf.read_cookie(request, COOKIE, HOME)
    if not raw or len(raw) > 400:
        return None
    try:
        token = _serializer(request).loads(raw, max_age=MAX_AGE_SECONDS)
    except BadSignature:
        return None
    return token if isinstance(token, str) else None


async def get_console_operator(
    request: Request, db: DatabaseDep, settings: SettingsDep, clock: ClockDep
) -> Operator:
    token = token_of(request)
    if token is None:
        raise LoginRequired
    try:
        return await runner.in_thread(auth.resolve_token, db, settings, token, clock.now())
    except DomainError as exc:
        if exc.status == 401:
            raise LoginRequired from None
        raise


ConsoleOperatorDep = Annotated[Operator, Depends(get_console_operator)]


def after_login(raw: str | None) -> str:
    """Where to go after logging in: a console path, else the dashboard. The path is
    read as a browser resolves it (percent-escapes decoded, then ``.`` and ``..``
    segments: ``/console/../v1/admin/me`` is ``/v1/admin/me``) and must stay under
    ``/console``; the normalised path is where the redirect goes."""
    target = web.safe_next(raw)
    path, mark, query = target.partition("?")
    path = posixpath.normpath(unquote(path))
    if path != HOME and not path.startswith(HOME + "/"):
        return HOME
    return quote(path) + mark + query


class ConsoleRoute(web.PageRoute):
    """``web.PageRoute`` plus: no live session -> 303 to the login form (and back);
    refusals (CSRF 403, problems) in the console's layout."""

    error_template = "console/error.html"
    # The traveller forms' check of a field given twice (``web.PageRoute``) is not the
    # console's: its forms read their own values (``console.forms``).
    refuses_repeated_form = False

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        super().__init__(path, endpoint, **kwargs)
        if "GET" in self.methods:
            # Every console page reads ``done``: what the form whose 303 led here just did,
            # said on top (``render`` hands it to the template). A form's POST address
            # reads none: the page it shows again after an error is its plain address's.
            self.reads_query = self.reads_query | {"done"}

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            try:
                return await handler(request)
            except LoginRequired:
                back = request.url.path if request.method == "GET" else HOME
                if request.url.query and request.method == "GET":
                    back += "?" + request.url.query
                response = RedirectResponse(
                    web.with_query(LOGIN, {"next": back} if back != HOME else {}),
                    status_code=303,
                )
                forget(request, response)
                return response

        return route


# The console's menu, in order: (key for ``nav``, address, text key). A new console
# page adds its line here (docs/operators.md, "Adding a console page").
MENU: list[tuple[str, str, str]] = [
    ("dashboard", HOME, "cnav_dashboard"),
    ("calendar", HOME + "/calendar", "cnav_calendar"),
    ("destinations", HOME + "/destinations", "cnav_destinations"),
    ("products", HOME + "/products", "cnav_products"),
    ("rules", HOME + "/rules", "cnav_rules"),
    ("stubs", HOME + "/stubs", "cnav_stubs"),
    ("bookings", HOME + "/bookings", "cnav_bookings"),
    ("audit", HOME + "/audit", "cnav_audit"),
    ("reports", HOME + "/reports", "cnav_reports"),
]


def render(
    request: Request,
    operator: Operator,
    template: str,
    context: Mapping[str, Any] | None = None,
    *,
    status_code: int = 200,
    title: str | None = None,
    nav: str = "",
) -> Response:
    """``web.render`` with what every console page shows: the caller (login, role, what
    it may do), the current menu item and what the form that led here just did (``done``)."""
    return web.render(
        request,
        template,
        {
            "me": operator,
            "nav": nav,
            "menu": MENU,
            "pages": {key for key, _, _ in MENU},
            "done": query_params.read(request).get("done"),
            **(context or {}),
        },
        status_code=status_code,
        title=title,
    )
