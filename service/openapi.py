"""The OpenAPI document: FastAPI's, completed with what only the app as a whole knows.

FastAPI derives each operation from its handler. This pass adds, the same way for every
operation (so a new endpoint is documented right without repeating it in its decorator):

* ``security``: an operation that never looks at ``Authorization`` is public
  (``security: []``); one that takes a key but also serves anonymous travellers declares
  ``[{}, {ApiKey: []}]``; one that depends on a ``KEY_REQUIRED`` dependency
  (``service.auth``) declares ``[{ApiKey: []}]``; the admin and reports API, which takes
  an operator's token (``service.operators.auth``), declares ``[{OperatorToken: []}]``.
  Every operation that reads a key or token documents 401 (missing, wrong or revoked)
  and 429 (its per-minute limit).
* 413: every operation that can carry a body (any method but GET, HEAD and OPTIONS) can
  be refused by the body-size limit, which runs before routing.
* 414: every operation can be refused by the query-string limit
  (``ratelimit.QueryLengthLimit``, ``uri_too_long``), which runs before routing.
* 503: every operation can meet a database busy with other changes (a deadlock, a lock
  waited on past its timeout: ``db.is_contention``), ``database_busy``, to retry after
  ``Retry-After``; nothing was changed.
* 422: FastAPI documents its own ``HTTPValidationError`` body, which this API never
  sends; every 422 is a ``Problem`` (``validation_error``, ``malformed_json``, or the
  domain codes the operation's description names).
* Problem responses are ``application/problem+json`` only.
* What ``service.middleware.RequestContext`` adds to every answer: the ``X-Request-Id``
  and ``Content-Language`` headers, and ``RateLimit-Limit``, ``-Remaining`` and
  ``-Reset`` on every answer of an operation that reads a key or token (sent when one
  was counted); and the 415 (``unsupported_media_type``) of every
  operation that takes a body that is not JSON, or is compressed (``Content-Encoding``).
* ``Idempotency-Key``: declared optional in code (so that its absence is our own 422
  ``missing_idempotency_key``), documented as the requirement it is.
* ``servers`` and readable operationIds (``createBooking``, not ``bookings-create_booking``).
* Examples keep their nulls: FastAPI drops every ``None`` from the document, so an example
  of a required nullable field would break its own schema; they are put back.
"""

from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts

from service.auth import KEY_REQUIRED
from service.errors import PROBLEM_JSON, problem_doc
from service.idempotency.table import MAX_KEY_LENGTH
from service.middleware import REQUEST_ID_HEADER

API_KEY = "ApiKey"
OPERATOR_TOKEN = "OperatorToken"  # noqa: S105 (the security scheme's name)
ANONYMOUS_OR_KEY: list[dict[str, list]] = [{}, {API_KEY: []}]
KEY_ONLY: list[dict[str, list]] = [{API_KEY: []}]
OPERATOR_ONLY: list[dict[str, list]] = [{OPERATOR_TOKEN: []}]
PUBLIC: list[dict[str, list]] = []
SERVERS = [{"url": "/", "description": "The server this document is served from"}]
_BODY_METHODS = {"post", "put", "patch", "delete"}
_FASTAPI_VALIDATION_SCHEMAS = ("HTTPValidationError", "ValidationError")


def operation_id(route: APIRoute) -> str:
    """``create_booking`` -> ``createBooking``: the handler's name, as generators like it."""
    head, *rest = route.name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def install(app: FastAPI) -> None:
    """Make ``app.openapi()`` return the finished document (built once, then cached)."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = finish(build(), app)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def finish(document: dict[str, Any], app: FastAPI) -> dict[str, Any]:
    document["servers"] = SERVERS
    document.setdefault("components", {}).setdefault("headers", {}).update(
        {**_ANSWER_HEADERS, **_QUOTA_HEADERS}
    )
    routes = {
        (context.path_format, method.lower()): context.route
        for context in iter_route_contexts(app.routes)
        if isinstance(context.route, APIRoute)
        for method in context.methods or ()
    }
    for path, operations in document.get("paths", {}).items():
        for method, operation in operations.items():
            route = routes.get((path, method))
            if route is not None:
                _security(operation, route)
            _responses(operation, method)
            _answer_headers(operation)
            _idempotency_key(operation)
    for operation in _webhook_operations(document):
        # What a partner's endpoint answers us: no key, no problem bodies of ours.
        operation["security"] = PUBLIC
        operation["responses"].pop("422", None)
    answers = _answer_schemas(document)
    for _where, schema_at, value in examples(document):
        answer = "/responses/" in schema_at or schema_at.split("/")[-1] in answers
        _restore_nulls(value, resolve(document, schema_at), document, every=answer)
    schemas = document.get("components", {}).get("schemas", {})
    text = str(document.get("paths")) + str(document.get("webhooks"))
    for name in _FASTAPI_VALIDATION_SCHEMAS:
        if f"#/components/schemas/{name}'" not in text:
            schemas.pop(name, None)
    return document


def _calls(dependant: Dependant) -> set[Any]:
    found: set[Any] = set()
    for sub in dependant.dependencies:
        found.add(sub.call)
        found |= _calls(sub)
    return found


def _security(operation: dict[str, Any], route: APIRoute) -> None:
    declared = str(operation.get("security", ""))
    if OPERATOR_TOKEN in declared:
        operation["security"] = OPERATOR_ONLY
    elif API_KEY in declared:
        calls = _calls(route.dependant)
        operation["security"] = (
            KEY_ONLY if any(dep in calls for dep in KEY_REQUIRED) else ANONYMOUS_OR_KEY
        )
    else:
        operation["security"] = PUBLIC
        return
    responses = operation["responses"]
    for status in ("401", "429"):
        responses.setdefault(status, problem_doc(int(status)))


BUSY_DOC = (
    "`database_busy`: the database was busy with other changes (a deadlock, a lock "
    "waited on too long); nothing was changed; retry after `Retry-After`"
)


def _responses(operation: dict[str, Any], method: str) -> None:
    responses = operation.setdefault("responses", {})
    if method in _BODY_METHODS:
        responses.setdefault("413", problem_doc(413))
    responses.setdefault("414", problem_doc(414))
    responses.setdefault("503", problem_doc(503, BUSY_DOC, retry_after=True))
    if "requestBody" in operation:
        responses.setdefault("415", problem_doc(415))
    validation = responses.get("422")
    if validation is not None and "HTTPValidationError" in str(validation):
        responses["422"] = problem_doc(422)
    for response in responses.values():
        response.pop("model", None)
        content = response.get("content", {})
        if PROBLEM_JSON in content:
            response["content"] = {PROBLEM_JSON: content[PROBLEM_JSON]}
    # Statuses in order, as a reader scans them.
    operation["responses"] = dict(sorted(responses.items()))


_ANSWER_HEADERS = {
    REQUEST_ID_HEADER: {
        "description": "The request's id (the caller's own if it sent a sane one), also in "
        "the server's log line for the request",
        "schema": {"type": "string", "maxLength": 64},
    },
    "Content-Language": {
        "description": "The language of the answer's text",
        "schema": {"type": "string", "enum": ["zh-CN", "en"]},
    },
}


# What an answer says of the caller's per-minute limit, when its key or token was counted
# (``ratelimit.Quota``): every answer of an operation that reads one, when one was sent.
_QUOTA_HEADERS = {
    "RateLimit-Limit": {
        "description": "Sent when the request's API key or operator token was counted: "
        "the requests it may make a minute",
        "schema": {"type": "integer", "minimum": 1},
    },
    "RateLimit-Remaining": {
        "description": "Sent when the request's API key or operator token was counted: "
        "the requests it has left this minute (0: the next is refused 429)",
        "schema": {"type": "integer", "minimum": 0},
    },
    "RateLimit-Reset": {
        "description": "Sent when the request's API key or operator token was counted: "
        "the seconds until its minute ends and its count starts again",
        "schema": {"type": "integer", "minimum": 1, "maximum": 60},
    },
}


def _answer_headers(operation: dict[str, Any]) -> None:
    names = [*_ANSWER_HEADERS, *(_QUOTA_HEADERS if operation.get("security") else ())]
    headers = {name: {"$ref": f"#/components/headers/{name}"} for name in names}
    for response in operation.get("responses", {}).values():
        response.setdefault("headers", {}).update(headers)


def _idempotency_key(operation: dict[str, Any]) -> None:
    for parameter in operation.get("parameters", []):
        if parameter.get("in") == "header" and parameter["name"] == "Idempotency-Key":
            parameter["required"] = True
            parameter["schema"] = {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH}


def _webhook_operations(document: dict[str, Any]) -> list[dict[str, Any]]:
    return [op for item in document.get("webhooks", {}).values() for op in item.values()]


# --- examples --------------------------------------------------------------------------------


def examples(node: Any, pointer: str = "", in_schema: bool = False):
    """(where, JSON pointer of its schema, value) of every example in the document: of media
    types, parameters and headers (``example``, ``examples.*.value``) and of schemas."""
    if isinstance(node, list):
        for i, child in enumerate(node):
            yield from examples(child, f"{pointer}/{i}", in_schema)
        return
    if not isinstance(node, dict):
        return
    if isinstance(node.get("schema"), dict):  # a media type, parameter or header
        if "example" in node:
            yield f"{pointer}/example", f"{pointer}/schema", node["example"]
        for name, example in (node.get("examples") or {}).items():
            if isinstance(example, dict) and "value" in example:
                yield f"{pointer}/examples/{name}", f"{pointer}/schema", example["value"]
    if in_schema:
        if "example" in node:
            yield f"{pointer}/example", pointer, node["example"]
        if isinstance(node.get("examples"), list):
            for i, example in enumerate(node["examples"]):
                yield f"{pointer}/examples/{i}", pointer, example
    for key, child in node.items():
        if key in ("example", "examples") and (in_schema or "schema" in node):
            continue  # data, not more of the document
        child_pointer = f"{pointer}/{key.replace('~', '~0').replace('/', '~1')}"
        child_in_schema = (
            in_schema or key == "schema" or child_pointer.startswith("/components/schemas/")
        )
        yield from examples(child, child_pointer, child_in_schema)


def resolve(document: dict[str, Any], pointer: str) -> Any:
    node: Any = document
    for part in pointer.lstrip("/").split("/") if pointer else []:
        part = part.replace("~1", "/").replace("~0", "~")
        node = node[int(part)] if isinstance(node, list) else node[part]
    return node


def _deref(schema: dict[str, Any], document: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = resolve(document, schema["$ref"].removeprefix("#"))
    return schema


def _nullable(schema: dict[str, Any]) -> bool:
    types = schema.get("type")
    return (
        types == "null"
        or (isinstance(types, list) and "null" in types)
        or any(branch.get("type") == "null" for branch in schema.get("anyOf", []))
    )


# A schema whose optional members are left out of an answer when they have no value
# (a problem's extension members, a report row's ``suppressed``) says so with this key;
# any other answer's nullable member is sent as null, so its example shows the null.
ABSENT_WHEN_NULL = "x-absent-when-null"


def _answer_schemas(document: dict[str, Any]) -> set[str]:
    """Names of the component schemas an answer can hold (responses, and the webhooks'
    bodies, which we send), following references."""
    found: set[str] = set()
    todo: list[Any] = [
        content
        for section in ("paths", "webhooks")
        for item in (document.get(section) or {}).values()
        for operation in item.values()
        if isinstance(operation, dict)
        for part in (
            [r.get("content", {}) for r in operation.get("responses", {}).values()]
            + (
                [operation["requestBody"].get("content", {})]
                if section == "webhooks" and "requestBody" in operation
                else []
            )
        )  # fmt: skip
        for content in part.values()
    ]
    while todo:
        node = todo.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
                name = ref.rsplit("/", 1)[-1]
                if name not in found:
                    found.add(name)
                    todo.append(document["components"]["schemas"][name])
            todo.extend(v for k, v in node.items() if k not in ("example", "examples"))
        elif isinstance(node, list):
            todo.extend(node)
    return found


def _restore_nulls(
    value: Any, schema: dict[str, Any], document: dict[str, Any], *, every: bool = False
) -> None:
    """Put back the nulls FastAPI dropped: of required nullable members, and in an
    answer (``every``) of every nullable member, as the answer sends them."""
    schema = _deref(schema, document)
    for branch in schema.get("anyOf", []) + schema.get("allOf", []):
        if branch.get("type") != "null":
            _restore_nulls(value, branch, document, every=every)
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        names = list(schema.get("required", []))
        if every and not schema.get(ABSENT_WHEN_NULL):
            names += list(properties)
        for name in names:
            if name not in value and name in properties:
                if _nullable(_deref(properties[name], document)):
                    value[name] = None
        for name, child in value.items():
            if name in properties:
                _restore_nulls(child, properties[name], document, every=every)
    elif isinstance(value, list) and isinstance(schema.get("items"), dict):
        for child in value:
            _restore_nulls(child, schema["items"], document, every=every)
