"""The console's arrivals export (``/console/arrivals``): the front desk's arrivals and
departures over a range of days as a CSV or Excel file, by the admin API's own service
(``operators.arrivals``, ``GET /v1/admin/arrivals``): the same scope, filters, bounds,
rows and headers.

A GET form (no JavaScript; the address can be bookmarked, as the dashboard's links for
today are): with ``format`` in the address it is an export, answered with the file, or
with the form again and every refusal beside its field in the page's language (the
request model's all at once, then the service's: another destination's id, a range
backwards or longer than 31 days); without it, the form, today to today.
"""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from service import query_params
from service.bookings.models import STATUSES
from service.console import forms, lists, session
from service.console.session import ConsoleOperatorDep, ConsoleRoute
from service.deps import ClockDep, SessionDep
from service.errors import DomainError
from service.operators import arrivals
from service.pages import web

router = APIRouter(prefix="/console", route_class=ConsoleRoute, include_in_schema=False)

FIELDS = ("from", "to", "destination_id", "status", "format")
READERS = {"from": forms.iso_day, "to": forms.iso_day, "destination_id": forms.whole}
NULLABLE = ("destination_id", "status")


@router.get("/arrivals")
@query_params.reads(*FIELDS)
def arrivals_page(
    request: Request, operator: ConsoleOperatorDep, db_session: SessionDep, clock: ClockDep
) -> Response:
    q = query_params.read(request)
    today = clock.today().isoformat()
    if "format" not in q:
        return _form(request, operator, db_session, {"from": today, "to": today}, {}, 200)
    values = {name: q.get(name, "") for name in FIELDS}
    body: dict[str, Any] = {}
    unreadable: dict[str, str] = {}
    for name in FIELDS:
        parse = READERS.get(name, str.strip)
        forms.read_into(body, unreadable, name, values[name], parse, nullable=name in NULLABLE)
    body = {k: v for k, v in body.items() if v is not None}

    def validate() -> arrivals.ArrivalsExport:
        return arrivals.ArrivalsExport.model_validate(body)

    field_of = forms.mapper({name: name for name in FIELDS})
    errors = forms.every_error(request, unreadable, validate, field_of)
    if errors:
        return _form(request, operator, db_session, values, errors, 422)
    asked = validate()
    try:
        found = arrivals.arrivals(db_session, operator, asked, web.page_lang(request), clock.now())
    except DomainError as exc:
        db_session.rollback()
        errors = forms.problem_errors(request, exc, field_of)
        return _form(request, operator, db_session, values, errors, exc.status)
    content, media, disposition = found.file(asked.format)
    return Response(
        content, media_type=media, headers={**arrivals.HEADERS, "Content-Disposition": disposition}
    )


def _form(request, operator, db_session, values, errors, status) -> Response:
    t = web.text(request)
    return session.render(
        request,
        operator,
        "console/arrivals.html",
        {
            "values": {"format": "csv", **{k: v for k, v in values.items() if v}},
            "errors": errors,
            "statuses": STATUSES,
            "formats": arrivals.FILE_FORMATS,
            "most": arrivals.MAX_DAYS,
            "destinations": lists.destinations(db_session, operator, web.page_lang(request)),
        },
        title=t("arr_title"),
        nav="bookings",
        status_code=status,
    )
