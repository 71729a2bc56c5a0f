"""The console's paged lists (bookings, the audit log, products, packs, discount rules,
stub issuers), each read by the admin API's own rules: its filters model and page
function (``operators.lists``, ``operators.booking_list``), walked by the API's cursor.

``listed`` reads a list page's address: the filters as the console reads a form's text
(a whole number, a date as typed; the rest as text), then the API's model, every field
at once; then the page. What the API refuses, the page refuses too, in its language,
with the problem's status, and lists nothing: a filter beside its field, what has no
field (a cursor that is no place in this list; on a filtered list, a parameter it does
not take, ``query_params.undeclared``) above the form. A page answers its "previous" and
"next" links, plain addresses that keep the filters (no JavaScript).
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from fastapi import Request
from pydantic import BaseModel

from service import query_params
from service.console import forms
from service.errors import DomainError
from service.i18n import pick
from service.operators.scope import destination_of, visible_destination_ids
from service.pages import web
from service.pagination import Page

PAGE_SIZE = 30  # rows a console list shows at once (the API's limit goes to 100)


@dataclass
class Listed:
    """A list page as read: its rows (none when refused), the filters as typed
    (``values``), every refusal by the page's field (``_form``: above the form), the
    page's status, and the addresses of the previous and next pages (None: none)."""

    items: list = field(default_factory=list)
    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    status: int = 200
    previous: str | None = None
    next: str | None = None


def listed(
    request: Request,
    path: str,
    run: Callable[[Any, str | None], Page],
    *,
    filters: type[BaseModel] | None = None,
    readers: Mapping[str, Callable[[str], Any]] | None = None,
    unknown: str | None = None,
) -> Listed:
    """The list at ``path`` as its address asks: ``run(filters, cursor)`` is the API's
    page function (``filters`` its filters model, read from the address: each field by
    ``readers`` where it has one, else as text). ``unknown``, a text key: a parameter
    the page does not take is refused with it (``{name}``), as the API's
    ``unknown_parameter``; without it, ignored, as most console pages do."""
    t = web.text(request)
    q = query_params.read(request)
    names = tuple(filters.model_fields) if filters is not None else ()
    out = Listed(values={k: q.get(k, "") for k in names})
    if unknown is not None and (name := query_params.undeclared(request)) is not None:
        out.errors["_form"] = t(unknown, name=name)  # a misspelt filter is never dropped
    chosen = None
    if filters is not None:
        body: dict[str, Any] = {}
        unreadable: dict[str, str] = {}
        for name in names:
            parse = (readers or {}).get(name)
            if parse is not None:
                forms.read_into(body, unreadable, name, out.values[name], parse, nullable=True)
            else:
                body[name] = out.values[name].strip() or None

        def validate() -> BaseModel:
            return filters.model_validate(body)

        out.errors.update(forms.every_error(request, unreadable, validate, _field_in(names)))
        chosen = None if out.errors else validate()
    if out.errors:
        out.status = 422
        return out
    try:
        page = run(chosen, q.get("cursor"))
    except DomainError as exc:
        out.errors.update(forms.problem_errors(request, exc, _field_in(names)))
        out.status = exc.status
        return out
    kept = {k: v for k, v in out.values.items() if v}
    out.items = page.items
    if page.next is not None:
        out.next = web.with_query(path, {**kept, "cursor": page.next})
    if page.previous is not None:  # "": the first page, without a cursor
        out.previous = web.with_query(
            path, {**kept, **({"cursor": page.previous} if page.previous else {})}
        )
    return out


def _field_in(names: tuple[str, ...]) -> Callable[[str], str | None]:
    """A problem's field as the page's: a filter beside its field; the cursor (no field
    of its own) above the form."""
    return lambda path: path if path in names else None


def destinations(db_session: Any, operator: Any, lang: str) -> list[tuple[int, str]]:
    """The destinations the operator sees, by id, each with its name in ``lang``: a
    list's destination filter (shown when there is more than one) and the forms'."""
    return [
        (d, pick(lang, row.name_zh, row.name_en))
        for d in visible_destination_ids(db_session, operator)
        for row in [destination_of(db_session, operator, d, "destination_id")]
    ]
