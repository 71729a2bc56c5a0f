"""The console's entrance: log in, log out, the dashboard and its occupancy chart.

HTTP only, like the admin API's endpoints: parse, call the same services
(``operators.accounts``, ``operators.bookings``, ``operators.calendar``), render.
"""

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from service.charts import OCCUPANCY_HEIGHT, WIDTH
from service.console import charts, session
from service.console.session import ConsoleOperatorDep, ConsoleRoute
from service.deps import ClockDep, SessionDep, SettingsDep, WriteSessionDep
from service.errors import DomainError
from service.operators import accounts
from service.operators import bookings as operator_bookings
from service.operators import calendar as operator_calendar
from service.operators.schemas import PASSWORD_MAX_LENGTH, LoginIn
from service.pages import refusals, web
from service.ratelimit import client_address

router = APIRouter(prefix="/console", route_class=ConsoleRoute, include_in_schema=False)

OCCUPANCY_NIGHTS = 60


@router.get("/login")
def login_form(
    request: Request, next_path: Annotated[str | None, Query(alias="next", max_length=2000)] = None
) -> Response:
    t = web.text(request)
    return web.render(
        request,
        "console/login.html",
        {"next": session.after_login(next_path)},
        title=t("login_title"),
    )


def _login_field(path: str) -> str | None:
    return path if path in ("login", "password") else None


@router.post("/login")
@web.posts_again  # posted again without its password: it cannot sign in
def login(
    request: Request,
    db_session: WriteSessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    login_name: Annotated[str, Form(alias="login")] = "",
    password: Annotated[str, Form()] = "",
    next_path: Annotated[str, Form(alias="next", max_length=2000)] = "",
) -> Response:
    """The same checks as ``POST /v1/admin/tokens``; the token goes into the cookie. A
    login or password longer than the API takes is said beside its field with the limit
    (the form's own error, not the error page of a link: the body's limit bounds them)."""
    t = web.text(request)
    login_name = login_name.strip()
    errors: dict[str, str] = {}
    try:  # the API's model: a login of the characters a login has, the lengths it takes,
        # read as typed (full-width letters from a Chinese input method are ASCII ones)
        login_name = LoginIn.model_validate({"login": login_name, "password": password}).login
    except ValidationError as exc:
        errors = web.validation_errors(request, exc.errors(), _login_field)
    status, headers = 422, {}
    if not errors:
        now = clock.now()
        try:
            accounts.count_attempt(
                request.app.state.db, login_name, address=client_address(request),
                pepper=settings.secret_key, now=now,
            )  # fmt: skip
            issued = accounts.login(
                db_session,
                login_name=login_name,
                password=password,
                label=session.SESSION_LABEL,
                pepper=settings.secret_key,
                now=now,
                env=settings.env,
                console_session=True,
            )
            # one live console token per browser: the one this login replaces, and
            # the account's console tokens whose cookie has lapsed, are revoked
            accounts.revoke_replaced(
                db_session,
                issued.account.id,
                issued_before=now - timedelta(seconds=session.MAX_AGE_SECONDS),
                replaced=session.token_of(request),
                pepper=settings.secret_key,
                now=now,
            )
        except DomainError as exc:
            db_session.rollback()
            status = exc.status
            errors["_form"] = t("login_too_many" if exc.status == 429 else "login_failed")
            if exc.status == 429:  # Retry-After, as the password form's 429
                headers = exc.headers
    if errors:
        response = web.render(
            request,
            "console/login.html",
            {
                "errors": errors,
                "values": {"login": login_name},
                "next": next_path,
            },
            status_code=status,
            title=t("login_title"),
        )
        response.headers.update(headers)
        return response
    response = RedirectResponse(session.after_login(next_path), status_code=303)
    session.keep(request, response, issued.plaintext)
    return response


@router.get("/password")
def password_form(request: Request, operator: ConsoleOperatorDep) -> Response:
    t = web.text(request)
    return session.render(
        request, operator, "console/password.html", {"errors": {}}, title=t("password_title")
    )


@router.post("/password")
def change_password(
    request: Request,
    operator: ConsoleOperatorDep,
    db_session: WriteSessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    current_password: Annotated[str, Form()] = "",
    new_password: Annotated[str, Form()] = "",
) -> Response:
    """The same service and policy as ``POST /v1/admin/me/password``: this browser's
    session stays, the account's other tokens are revoked."""
    t = web.text(request)
    errors: dict[str, str] = {}
    for name, value in (("current_password", current_password), ("new_password", new_password)):
        if not value:
            errors[name] = t("error_required")
        elif len(value) > PASSWORD_MAX_LENGTH:
            errors[name] = refusals.validation_text(
                "string_too_long", web.page_lang(request), {"max_length": PASSWORD_MAX_LENGTH}
            )
    status, headers = 422, {}
    if not errors:
        now = clock.now()
        try:
            # counted with the account's logins, as POST /v1/admin/me/password counts
            accounts.count_attempt(
                request.app.state.db, operator.login, address=client_address(request),
                pepper=settings.secret_key, now=now, field="current_password",
            )  # fmt: skip
            accounts.change_password(
                db_session,
                operator,
                current_password=current_password,
                new_password=new_password,
                now=now,
            )
        except DomainError as exc:
            db_session.rollback()
            zh = web.page_lang(request) == "zh-CN"
            if exc.code == "wrong_password":
                errors["current_password"] = t("password_wrong")
            else:  # rate_limited or weak_password, in the page's language
                errors[exc.field] = (exc.detail_zh or exc.detail) if zh else exc.detail
                status, headers = exc.status, exc.headers
    if errors:
        response = session.render(
            request,
            operator,
            "console/password.html",
            {"errors": errors},
            status_code=status,
            title=t("password_title"),
        )
        response.headers.update(headers)
        return response
    return RedirectResponse("/console/password?done=password", status_code=303)


@router.post("/logout")
def logout(
    request: Request, operator: ConsoleOperatorDep, db_session: WriteSessionDep, clock: ClockDep
) -> Response:
    if operator.token_id is not None:
        accounts.revoke_token(db_session, operator, operator.token_id, now=clock.now())
    response = RedirectResponse(session.LOGIN, status_code=303)
    session.forget(request, response)
    return response


@router.get("")
def dashboard(
    request: Request, operator: ConsoleOperatorDep, db_session: SessionDep, clock: ClockDep
) -> Response:
    t = web.text(request)
    today = clock.today()
    arrivals, departures = operator_bookings.front_desk_day(db_session, operator, today)
    nights = operator_calendar.occupancy(
        db_session, operator, today, today + timedelta(days=OCCUPANCY_NIGHTS - 1)
    )
    return session.render(
        request,
        operator,
        "console/dashboard.html",
        {
            "today": today,
            "arrivals": arrivals,
            "departures": departures,
            "nights": [
                {"night": n, "units": u, "taken": k, "percent": charts.percent_of(k, u)}
                for n, u, k in nights
            ],
            "chart_size": (WIDTH, OCCUPANCY_HEIGHT),
        },
        title=t("dash_title"),
        nav="dashboard",
    )


@router.get("/occupancy.svg")
def occupancy_chart(
    request: Request, operator: ConsoleOperatorDep, db_session: SessionDep, clock: ClockDep
) -> Response:
    """The dashboard's chart as its own SVG resource (pygal's inline style may not run
    inside the HTML page under its Content-Security-Policy; as an image it is inert)."""
    t = web.text(request)
    today = clock.today()
    rows = operator_calendar.occupancy(
        db_session, operator, today, today + timedelta(days=OCCUPANCY_NIGHTS - 1)
    )
    body = charts.occupancy_svg(
        rows, title=t("dash_occupancy"), axis=t("dash_occupancy_axis"), no_data=t("chart_no_data")
    )
    return Response(
        body,
        media_type="image/svg+xml",
        headers={
            "Cache-Control": "no-store",
            "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
            "X-Content-Type-Options": "nosniff",
            "Content-Language": web.page_lang(request),
            "Vary": "Cookie, Accept-Language",
        },
    )
