"""The console's calendar: the grid (products x nights: units left, rate, restrictions,
stop-sell) and the bulk edit with its preview, then the atomic apply.

The form becomes the admin API's ``BulkEditIn`` and goes through the same
``operators.calendar.edit_for`` / ``preview`` / ``apply`` as ``POST
/v1/admin/calendar/preview`` and ``/apply``: the same checks, the same lock, the same
audit entries.
"""

from datetime import date, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from service import query_params, runner
from service.console import audit_words, forms, session
from service.console.session import ConsoleOperatorDep, ConsoleRoute
from service.deps import ClockDep, SessionDep, SettingsDep, WriteSessionDep
from service.errors import DomainError
from service.i18n import pick
from service.operators import calendar as operator_calendar
from service.operators import catalogue
from service.operators.schemas import BulkEditIn
from service.operators.scope import INVENTORY, RATES
from service.pages import csrf, formats, web

router = APIRouter(prefix="/console", route_class=ConsoleRoute, include_in_schema=False)

DEFAULT_NIGHTS = 14
MAX_SHOWN_NIGHTS = 62
NULLABLE_NUMBERS = ("min_stay_arrival", "min_stay_through", "max_stay")
SWITCHES = ("stop_sell", "closed_to_arrival", "closed_to_departure")
FIELD_OF = forms.mapper(
    {
        "product_ids": "product_ids",
        "from": "edit_from",
        "to": "edit_to",
        "weekdays": "weekdays",
        "set": "_form",
        "set.units": "units",
        "set.rate_override_fen": "rate",
        **{f"set.{name}": name for name in (*NULLABLE_NUMBERS, *SWITCHES)},
    }
)


def _range(request: Request, today: date) -> tuple[date, date, dict[str, str]]:
    """The nights shown (``from``/``to`` of the query; two weeks from today by default)."""
    q = query_params.read(request)
    t = web.text(request)
    errors: dict[str, str] = {}
    first = forms.query_day(q.get("from", ""), errors, "from", t) or today
    default_last = first + timedelta(days=DEFAULT_NIGHTS - 1)
    last = forms.query_day(q.get("to", ""), errors, "to", t) or default_last
    if errors:  # a date not read: the nights from the one that was (or today)
        last = last if first <= last < first + timedelta(days=MAX_SHOWN_NIGHTS) else default_last
    elif last < first or (last - first).days >= MAX_SHOWN_NIGHTS:
        errors["to"] = t("cal_range_error", n=MAX_SHOWN_NIGHTS)
        last = first + timedelta(days=DEFAULT_NIGHTS - 1)
    return first, last, errors


def _grid(db_session, operator, lang, first: date, last: date) -> list[dict[str, Any]]:
    rows = []
    for p in catalogue.products_in_scope(db_session, operator, active_only=True):
        _, cells = operator_calendar.grid_cells(db_session, operator, p.id, first, last)
        rows.append({"id": p.id, "name": pick(lang, p.name_zh, p.name_en), "cells": cells})
    return rows


def _edit_defaults(first: date, last: date, product_ids: list[int]) -> dict[str, Any]:
    return {
        "product_ids": [str(p) for p in product_ids],
        "edit_from": first.isoformat(),
        "edit_to": last.isoformat(),
        "weekdays": [str(d) for d in range(1, 8)],
    }


def _page(request, operator, db_session, today, *, values=None, errors=None, status=200):
    lang = web.page_lang(request)
    t = web.text(request)
    first, last, range_errors = _range(request, today)
    rows = _grid(db_session, operator, lang, first, last)
    nights = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    return session.render(
        request,
        operator,
        "console/calendar.html",
        {
            "first": first,
            "last": last,
            "nights": nights,
            "rows": rows,
            "product_choices": [(r["id"], r["name"]) for r in rows],
            "range_errors": range_errors,
            "values": values or _edit_defaults(first, last, [r["id"] for r in rows]),
            "errors": errors or {},
            "may_edit": operator.can(INVENTORY),
            "may_price": operator.can(RATES),
        },
        status_code=status,
        title=t("cal_title"),
        nav="calendar",
    )


@router.get("/calendar")
@query_params.reads("from", "to")  # the nights shown
def calendar_page(
    request: Request, operator: ConsoleOperatorDep, db_session: SessionDep, clock: ClockDep
) -> Response:
    return _page(request, operator, db_session, clock.today())


def edit_of_form(form: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """The form's values as the API's request body (``BulkEditIn``'s JSON) and the
    text keys of what could not be read, by form field. An empty field does not change;
    0 clears a stay restriction; "remove" clears the rate override, and is refused beside
    the rate when a rate is typed too."""
    errors: dict[str, str] = {}
    changes: dict[str, Any] = {}

    def read(name: str, parse, target: str) -> None:
        raw = str(form.get(name, "")).strip()
        if raw:
            try:
                changes[target] = parse(raw)
            except forms.Unreadable as exc:
                errors[name] = exc.key

    read("units", forms.whole, "units")
    if form.get("rate_clear") == "on":
        if str(form.get("rate", "")).strip():
            # a rate typed and "remove the override" ticked: which one is meant is the
            # operator's to say, never the form's to guess (it dropped the rate typed)
            errors["rate"] = "error_rate_and_clear"
        changes["rate_override_fen"] = None
    else:
        read("rate", forms.fen, "rate_override_fen")
    for name in NULLABLE_NUMBERS:
        read(name, forms.whole, name)
        if changes.get(name) == 0:
            changes[name] = None
    for name in SWITCHES:  # a select: unchanged (empty), yes or no
        value = form.get(name) or ""
        if value in ("on", "off"):
            changes[name] = value == "on"
        elif value:  # a crafted value is none of the three, never read as "unchanged"
            errors[name] = "error_choose_listed"

    def ids(name: str) -> list[int]:
        try:
            return forms.whole_list(form.get(name) or [])
        except forms.Unreadable as exc:
            errors[name] = exc.key
            return []

    body: dict[str, Any] = {"product_ids": ids("product_ids")}
    for name in ("from", "to"):  # as every console date is read (``forms.day``)
        forms.read_into(body, errors, name, form.get(f"edit_{name}", ""), forms.iso_day,
                        field=f"edit_{name}")  # fmt: skip
    weekdays = ids("weekdays")
    if any(not 1 <= d <= 7 for d in weekdays):  # a box no weekday has (a crafted form)
        errors["weekdays"] = "error_choose_listed"
    body |= {"weekdays": weekdays, "set": changes}
    return body, errors


def _parse(request: Request, operator, db_session, form: dict[str, Any], today: date):
    """(the edit, None) or (None, errors beside the fields)."""
    body, unreadable = edit_of_form(form)

    def validate() -> BulkEditIn:
        return BulkEditIn.model_validate(body)

    # every field at once (what the form cannot read and what BulkEditIn refuses), then
    # the edit's own rules (a past night, a reversed range)
    errors = forms.every_error(request, unreadable, validate, FIELD_OF)
    if errors:
        return None, errors
    try:
        return operator_calendar.edit_for(db_session, operator, validate(), today), None
    except DomainError as exc:
        if exc.status == 403:  # a field the page does not offer this role (a forged rate):
            raise  # the console's refusal page with the role's words, not beside no field
        return None, forms.problem_errors(request, exc, FIELD_OF)


def _refusals(plan, names: dict[int, str], limit: int = 50) -> list[dict[str, Any]]:
    return [
        {
            "product": names.get(r.product_id, str(r.product_id)),
            "night": r.night,
            "field": r.field,
            "code": r.code,
            "value": r.value,
            "limit": r.limit,
        }
        for r in plan.refused[:limit]
    ]


def _changes(edit, plan, names: dict[int, str], lang) -> list[dict[str, Any]]:
    """Per product, how many of its cells change and each field's lines: what its nights
    hold and what they will hold, in the audit log's words (the records ``apply`` writes,
    ``operator_calendar.edit_records``)."""

    def day(iso: str) -> str:
        return formats.long_date(iso, lang)

    return [
        {
            "product": names.get(product_id, str(product_id)),
            "cells": after["cells"],
            "lines": audit_words.bulk_edit_changes(before, after["set"], lang, day),
        }
        for product_id, (before, after) in operator_calendar.edit_records(edit, plan).items()
    ]


def _names(db_session, operator, lang) -> dict[int, str]:
    return {
        p.id: pick(lang, p.name_zh, p.name_en)
        for p in catalogue.products_in_scope(db_session, operator)
    }


@router.post("/calendar/preview")
async def preview_edit(
    request: Request, operator: ConsoleOperatorDep, db_session: SessionDep, clock: ClockDep
) -> Response:
    form = forms.form_dict(await request.form())
    web.only_reads(request)  # a preview: its language switch posts the form again
    return await runner.in_thread(_preview, request, operator, db_session, clock.today(), form)


def _preview(request, operator, db_session, today, form, extra_errors=None) -> Response:
    edit, errors = _parse(request, operator, db_session, form, today)
    plan = None
    if not errors:
        try:
            plan = operator_calendar.preview(db_session, operator, edit)
        except DomainError as exc:
            errors = forms.problem_errors(request, exc, FIELD_OF)
    if errors:
        return _page(request, operator, db_session, today, values=form, errors=errors, status=422)
    t = web.text(request)
    lang = web.page_lang(request)
    names = _names(db_session, operator, lang)
    return session.render(
        request,
        operator,
        "console/calendar_preview.html",
        {
            "plan": plan,
            "changed": len(plan.changed),
            "refused": _refusals(plan, names),
            "changes": _changes(edit, plan, names, lang),
            "values": form,
            "errors": extra_errors or {},
            "hidden": _hidden(form),
        },
        status_code=422 if extra_errors else 200,
        title=t("cal_preview_title"),
        nav="calendar",
    )


def _hidden(form: dict[str, Any]) -> list[tuple[str, str]]:
    """The form's fields to post again with "Apply" (the same edit)."""
    out = []
    for key, value in form.items():
        if key == csrf.CSRF_FIELD:
            continue
        for v in value if isinstance(value, list) else [value]:
            out.append((key, str(v)))
    return sorted(out)


@router.post("/calendar/apply")
async def apply_edit(
    request: Request,
    operator: ConsoleOperatorDep,
    db_session: WriteSessionDep,
    clock: ClockDep,
    settings: SettingsDep,
) -> Response:
    form = forms.form_dict(await request.form())
    return await runner.in_thread(_apply, request, operator, db_session, clock, settings, form)


def _apply(request, operator, db_session, clock, settings, form) -> Response:
    edit, errors = _parse(request, operator, db_session, form, clock.today())
    if not errors:
        try:
            plan = operator_calendar.apply(
                db_session,
                operator,
                edit,
                now=clock.now(),
                lock_timeout_ms=settings.lock_timeout_ms,
            )
        except DomainError as exc:
            db_session.rollback()
            # said above the preview, which has no fields to mark: the form's words
            errors = {"_form": forms.problem_text(request, exc)}
    if errors:
        return _preview(request, operator, db_session, clock.today(), form, extra_errors=errors)
    query = {
        "from": str(form.get("edit_from", "")),
        "to": str(form.get("edit_to", "")),
        "done": str(len(plan.changed)),
    }
    return RedirectResponse(web.with_query("/console/calendar", query), status_code=303)
