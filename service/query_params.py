"""Unknown query parameters are a 422, on every operation, from this one place.

A traveller who filters products by a parameter the API does not have would otherwise
get the unfiltered list and believe it was filtered. ``reject_unknown_query`` is an
app-wide dependency: it compares the query string's names with the query parameters
the matched operation declares (its own and its dependencies', read once per route)
and refuses the first unknown one with 422 ``unknown_parameter`` naming it. Routes that
read their query string themselves say so (``reads_its_own_query``: the HTML pages,
whose GET forms send empty choices and say a wrong value beside its field).
``document_unknown_parameters`` makes sure every operation's OpenAPI entry lists that
422.
"""

from fastapi import FastAPI, Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from service.errors import PROBLEM_JSON, Unprocessable, problems

_NAMES = "jl_query_names"


def _query_names(dependant: Dependant) -> set[str]:
    names = {f.alias for f in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names


def _allowed(route: APIRoute) -> frozenset[str]:
    """The query parameters ``route`` declares, remembered on the route."""
    names = getattr(route, _NAMES, None)
    if names is None:
        names = frozenset(_query_names(route.dependant))
        setattr(route, _NAMES, names)
    return names


async def reject_unknown_query(request: Request) -> None:
    """422 ``unknown_parameter`` (field: the parameter) for a query parameter the
    operation does not declare. ``async``: runs inline, no thread hop."""
    if not request.scope.get("query_string"):
        return
    route = request.scope.get("route")
    if not isinstance(route, APIRoute) or getattr(route, "reads_its_own_query", False):
        return
    allowed = _allowed(route)
    for name in request.query_params:
        if name not in allowed:
            accepted = ", ".join(sorted(allowed)) or "none"
            raise Unprocessable(
                f"Unknown query parameter {name!r}; this endpoint accepts: {accepted}.",
                zh=f"未知的查询参数 {name!r}；此接口接受：{accepted}。",
                field=name,
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
