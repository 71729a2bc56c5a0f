"""Unknown query parameters are a 422, on every operation, from this one place.

A traveller who filters products by a parameter the API does not have would otherwise
get the unfiltered list and believe it was filtered. ``reject_unknown_query`` is an
app-wide dependency: it compares the query string's names with the query parameters
the matched operation declares (its own and its dependencies', read once per route)
and refuses the first unknown one with 422 ``unknown_parameter`` naming it. Routes that
read their query string themselves say so (``reads_its_own_query``: the HTML pages,
whose GET forms send empty choices and say a wrong value beside its field, and whose
addresses come back from WeChat shares and ad campaigns with ``utm_source``,
``isappinstalled`` and the like added: a page ignores what it does not read; WeChat's
``from=singlemessage``, ``groupmessage`` or ``timeline`` too, though the product page
reads a ``from`` of its own: ``WECHAT_SHARED_FROM``).
``document_unknown_parameters`` makes sure every operation's OpenAPI entry lists that
422.

A parameter given more than once (``?theme=forest_healing&theme=hot_spring``) that the
operation declares as one value is 422 ``repeated_parameter`` naming it (FastAPI would
keep the last value and drop the others unsaid), on every route, the HTML pages too
(their error page says it in the page's words). Parameters declared as lists
(``certifications`` of ``GET /v1/destinations``, the planner page's ``themes``) repeat
as they are meant to, and so does any parameter a route does not declare (on a page,
``?utm_source=a&utm_source=b``: it is not read).

The same holds for the headers an operation declares (``reject_repeated_headers``):
``Idempotency-Key`` or ``X-Booking-Token`` sent twice is 422 ``repeated_parameter``
naming the header (Starlette would read the first line and drop the others unsaid, so
``X-Booking-Token: <right>`` then ``X-Booking-Token: bad`` opened the booking and the
other order did not). ``Authorization`` is one of them wherever the operation reads
credentials (an API key or an operator token, through ``HTTPBearer``): two lines are
422 ``repeated_parameter`` naming ``Authorization`` before either is looked at (no key or
token looked up, nothing counted against its rate limit), never the first one used.
So is ``X-Request-Id`` on every API operation (the id answered and logged is then a
new one, neither of those sent). ``Accept-Language`` is a list by definition (RFC 9110
§5.3: its lines read as one comma-separated list) and is not checked.

A page declares the names it reads in one place: its signature (``Query()``) or, for
those it reads from the query string itself, ``@reads(...)`` on its handler (or, for a
name every page of a route class reads, the class's ``reads_query``: the console's
``done``); it reads them with ``read(request)``, which holds only the declared names (a
name read without being declared is simply absent, so a page cannot come to depend on an
undeclared one).
"""

from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import FastAPI, Request
from fastapi._compat import field_annotation_is_sequence
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from fastapi.security.http import HTTPBase
from starlette.datastructures import QueryParams

from service.errors import PROBLEM_JSON, Unprocessable, problems

_NAMES = "jl_query_names"
_READS = "jl_reads_query"

F = TypeVar("F", bound=Callable)


def reads(*names: str) -> Callable[[F], F]:
    """Declare the query parameters a page's handler reads from its query string itself
    (``read``), each as one value: given twice, they are refused as
    ``repeated_parameter``; any other parameter is ignored. Decorates the handler, in
    either order with the route's decorator."""

    return _declare(_READS, names)


def _declare(key: str, names: tuple[str, ...]) -> Callable[[F], F]:
    def declare(endpoint: F) -> F:
        setattr(endpoint, key, frozenset(names))
        return endpoint

    return declare


def _params(dependant: Dependant, kind: str = "query_params") -> dict[str, bool]:
    """``{alias: declared as a list}`` of the parameters of ``kind`` (``query_params``,
    ``body_params``: a form's fields) of ``dependant`` and its dependencies."""
    names = {
        f.alias: field_annotation_is_sequence(f.field_info.annotation)
        for f in getattr(dependant, kind)
    }
    for sub in dependant.dependencies:
        names |= _params(sub, kind)
    return names


def _declared(route: APIRoute) -> tuple[frozenset[str], frozenset[str]]:
    """(every query parameter ``route`` declares, those declared as lists), remembered
    on the route."""
    names = getattr(route, _NAMES, None)
    if names is None:
        params = dict.fromkeys(getattr(route, "reads_query", ()), False)
        params |= dict.fromkeys(getattr(route.endpoint, _READS, ()), False)
        params |= _params(route.dependant)
        names = (frozenset(params), frozenset(k for k, many in params.items() if many))
        setattr(route, _NAMES, names)
    return names


_FORM_NAMES = "jl_form_names"
_READS_FORM = "jl_reads_form"


def reads_form(*names: str) -> Callable[[F], F]:
    """Declare form fields a page's POST handler reads from the form itself (the book
    form's other guests, ``guest_0``...), each as one value: given twice, they are
    refused as the fields its signature declares are (``repeated_form_field``)."""

    return _declare(_READS_FORM, names)


def repeated_form_field(route: APIRoute, form: list[tuple[str, Any]]) -> str | None:
    """The first form field of ``form`` (a posted form's name, value pairs) that
    ``route`` reads as one value (its signature's ``Form()`` fields but lists, and
    those of ``reads_form``) and that is given more than once: ``repeated``, the
    reading of a query string, on a form (FastAPI would take the last value silently:
    ``units=1&units=2`` was a quote for 2 rooms)."""
    one_value = getattr(route, _FORM_NAMES, None)
    if one_value is None:
        params = _params(route.dependant, "body_params")
        one_value = frozenset(k for k, many in params.items() if not many)
        one_value |= getattr(route.endpoint, _READS_FORM, frozenset())
        setattr(route, _FORM_NAMES, one_value)
    return repeated(form, one_value)


# WeChat adds where a link was shared from to the address it opens: ``from=singlemessage``
# (a chat), ``groupmessage`` (a group) or ``timeline`` (Moments), beside the page's own
# parameters, one of which may be called ``from`` too (the product page's calendar).
WECHAT_SHARED_FROM = frozenset({"singlemessage", "groupmessage", "timeline"})


def _page_query(query: QueryParams) -> list[tuple[str, str]]:
    """A page's query string as it reads it: WeChat's share marker left out (as a
    parameter a page does not read is), so a shared ``?from=2027-07-01`` still reads
    as that date, and once."""
    return [
        (k, v)
        for k, v in query.multi_items()
        if not (k == "from" and v.strip().lower() in WECHAT_SHARED_FROM)
    ]


def read(request: Request) -> QueryParams:
    """The query parameters of ``request`` its route declares (in its signature or by
    ``reads``), the others left out: what a page reads its query string through."""
    route = request.scope.get("route")
    allowed = _declared(route)[0] if isinstance(route, APIRoute) else frozenset()
    return QueryParams([(k, v) for k, v in _page_query(request.query_params) if k in allowed])


def undeclared(request: Request) -> str | None:
    """The first query parameter of ``request`` its route does not declare (what the API
    refuses as ``unknown_parameter``), for a page whose address is a list's filters (the
    console's bookings) to say so rather than show the list unfiltered; None when every
    one is declared."""
    route = request.scope.get("route")
    allowed = _declared(route)[0] if isinstance(route, APIRoute) else frozenset()
    return next((k for k, _ in _page_query(request.query_params) if k not in allowed), None)


def repeated(query: list[tuple[str, str]], one_value: frozenset[str]) -> str | None:
    """The first parameter of ``query`` (its name, value pairs) that is one of
    ``one_value`` and is given more than once; None when there is none."""
    seen: set[str] = set()
    for name, _ in query:
        if name in one_value:
            if name in seen:
                return name
            seen.add(name)
    return None


def repeated_parameter(name: str, *, header: bool = False) -> Unprocessable:
    """The refusal of a one-value parameter (a query parameter, or a ``header``) given
    more than once (``repeated``)."""
    en, zh = ("header", "请求头") if header else ("query parameter", "查询参数")
    return Unprocessable(
        f"The {en} {name!r} takes one value and was given more than once; send it once.",
        zh=f"{zh} {name!r} 只取一个值，却给了不止一次；请只给一次。",
        field=name,
        code="repeated_parameter",
    )


async def reject_unknown_query(request: Request) -> None:
    """422 ``unknown_parameter`` (field: the parameter) for a query parameter the
    operation does not declare (not on the pages: they ignore it), then 422
    ``repeated_parameter`` for one declared as one value and given more than once (on
    the pages too). ``async``: runs inline, no thread hop."""
    if not request.scope.get("query_string"):
        return
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    allowed, lists = _declared(route)
    if getattr(route, "reads_its_own_query", False):
        query = _page_query(request.query_params)
    else:
        _refuse_unknown(request.query_params, allowed)
        query = request.query_params.multi_items()
    name = repeated(query, allowed - lists)
    if name is not None:
        raise repeated_parameter(name)


# Headers whose repeated lines are one list (RFC 9110 §5.3), not a value given twice.
LIST_HEADERS = frozenset({"accept-language"})
_HEADERS = "jl_header_names"


def _header_params(dependant: Dependant) -> dict[str, str]:
    """``{lower-case name: name}`` of the headers ``dependant`` and its dependencies
    declare, as FastAPI reads them (an unaliased ``x_token`` is ``x-token``), and
    ``Authorization`` where one of them reads credentials (an ``HTTPBearer`` scheme)."""
    names = {"authorization": "Authorization"} if isinstance(dependant.call, HTTPBase) else {}
    for f in dependant.header_params:
        name = f.alias
        if name == f.name and getattr(f.field_info, "convert_underscores", True):
            name = name.replace("_", "-")
        names[name.lower()] = name
    for sub in dependant.dependencies:
        names |= _header_params(sub)
    return names


def _declared_headers(route: APIRoute) -> dict[str, str]:
    """The one-value headers ``route`` declares (``_header_params`` less
    ``LIST_HEADERS``), remembered on the route."""
    names = getattr(route, _HEADERS, None)
    if names is None:
        names = {k: v for k, v in _header_params(route.dependant).items() if k not in LIST_HEADERS}
        setattr(route, _HEADERS, names)
    return names


# Headers every API operation reads besides those it declares: the request id
# (``service.middleware``), which names the request in the log and the answer.
API_HEADERS = {"x-request-id": "X-Request-Id"}


async def reject_repeated_headers(request: Request) -> None:
    """422 ``repeated_parameter`` (field: the header) for a header the operation declares
    as one value, or on the API ``X-Request-Id`` (``API_HEADERS``), that the request
    sends more than once. ``async``: runs inline."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    declared = _declared_headers(route)
    if not getattr(route, "reads_its_own_query", False):  # the API's, not a page's
        declared = {**declared, **API_HEADERS}
    if not declared:
        return
    lines = [(k.decode("latin-1"), "") for k, _ in request.scope["headers"]]
    name = repeated(lines, frozenset(declared))
    if name is not None:
        raise repeated_parameter(declared[name], header=True)


def _refuse_unknown(query: QueryParams, allowed: frozenset[str]) -> None:
    for name in query:
        if name not in allowed:
            if allowed:
                en = f"this endpoint accepts: {', '.join(sorted(allowed))}"
                zh = f"此接口接受：{'、'.join(sorted(allowed))}"
            else:
                en, zh = "this endpoint takes no query parameters", "此接口不接受查询参数"
            if not name:  # ``?=x`` or ``?&=``: no name to say, the query is named
                said_en, said_zh = "A query parameter without a name", "没有名称的查询参数"
            else:
                said_en, said_zh = f"Unknown query parameter {name!r}", f"未知的查询参数 {name!r}"
            raise Unprocessable(
                f"{said_en}; {en}.",
                zh=f"{said_zh}；{zh}。",
                field=name or "query",
                code="unknown_parameter",
            )


def document_unknown_parameters(schema: dict) -> None:
    """Document the 422 problem on every operation of ``schema``: added where missing,
    and in place of FastAPI's default (``HTTPValidationError`` as ``application/json``,
    which is not what this API sends)."""
    entry = problems(422)[422]
    response = {"description": entry["description"], "content": entry["content"]}
    for path in schema.get("paths", {}).values():
        for operation in path.values():
            responses = operation.setdefault("responses", {})
            if PROBLEM_JSON not in responses.get("422", {}).get("content", {}):
                responses["422"] = response


def install(app: FastAPI) -> None:
    """Document the 422 (the dependency itself is passed to ``FastAPI(dependencies=)``)."""
    build = app.openapi

    def openapi() -> dict:
        if app.openapi_schema is None:
            document_unknown_parameters(build())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
