"""RFC 9457 problem details: domain errors are raised in services, mapped here once.

Every problem has ``type``, ``title``, ``status``, ``detail``, a stable machine
``code`` and, where one field is at fault, ``field`` (``items[0].check_out``,
``theme``). Validation problems also list every failing field in ``errors``.
"""

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger("jilin.errors")

PROBLEM_JSON = "application/problem+json"
PROBLEM_TYPE_BASE = "https://jilin-sojourn.example/problems/"


class DomainError(Exception):
    """Base for errors the API reports as problems. Subclasses fix status and code."""

    status: int = 400
    code: str = "bad_request"
    title: str = "Bad request"

    def __init__(
        self,
        detail: str,
        *,
        field: str | None = None,
        code: str | None = None,
        status: int | None = None,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.field = field
        if code:
            self.code = code
        if status:
            self.status = status
        self.headers = headers or {}
        self.extra = extra


class NotFound(DomainError):
    status, code, title = 404, "not_found", "Not found"


class Unauthorized(DomainError):
    status, code, title = 401, "unauthorized", "Unauthorized"


class Conflict(DomainError):
    status, code, title = 409, "conflict", "Conflict"


class Unprocessable(DomainError):
    status, code, title = 422, "unprocessable", "Unprocessable request"


class TooManyRequests(DomainError):
    status, code, title = 429, "rate_limited", "Too many requests"


class PayloadTooLarge(DomainError):
    status, code, title = 413, "payload_too_large", "Payload too large"


class FieldError(BaseModel):
    field: str
    code: str
    message: str


class Problem(BaseModel):
    """An RFC 9457 problem detail, as every 4xx and 5xx of this API returns it."""

    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "type": PROBLEM_TYPE_BASE + "validation_error",
                "title": "Invalid request",
                "status": 422,
                "detail": "check_out must be after check_in",
                "code": "validation_error",
                "field": "check_out",
            }
        }
    )

    type: str = Field(description="URI naming the problem type")
    title: str
    status: int
    detail: str
    code: str = Field(description="Stable machine-readable code")
    field: str | None = Field(default=None, description="The offending field, if one")
    errors: list[FieldError] | None = None


def problem_body(
    status: int, code: str, title: str, detail: str, field: str | None = None, **extra: Any
) -> dict[str, Any]:
    """The one rendering of a problem body: every problem response (the exception
    handlers, the body-size limit) and every replayed idempotent failure is this dict."""
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE_BASE + code,
        "title": title,
        "status": status,
        "detail": detail,
        "code": code,
    }
    if field is not None:
        body["field"] = field
    body.update({k: v for k, v in extra.items() if v is not None})
    return body


def problem_body_of(exc: DomainError) -> dict[str, Any]:
    """The body of a domain error (what ``_domain`` sends and an idempotent replay keeps)."""
    return problem_body(exc.status, exc.code, exc.title, exc.detail, exc.field, **exc.extra)


def problem_response(
    status: int,
    code: str,
    title: str,
    detail: str,
    field: str | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    body = problem_body(status, code, title, detail, field, **extra)
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def field_path(loc: tuple[Any, ...] | list[Any]) -> str:
    """('body', 'items', 0, 'check_out') -> 'items[0].check_out'; ('query','theme') -> 'theme'."""
    parts = list(loc)
    if parts and parts[0] in ("body", "query", "path", "header", "cookie"):
        parts = parts[1:]
    out = ""
    for p in parts:
        if isinstance(p, int):
            out += f"[{p}]"
        else:
            out += ("." if out else "") + str(p)
    return out or "body"


_STATUS_CODES = {
    404: "not_found",
    405: "method_not_allowed",
    401: "unauthorized",
    413: "payload_too_large",
    400: "bad_request",
}


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def _domain(_req: Request, exc: DomainError) -> JSONResponse:
        return JSONResponse(
            problem_body_of(exc),
            status_code=exc.status,
            media_type=PROBLEM_JSON,
            headers=exc.headers or None,
        )

    @app.exception_handler(RequestValidationError)
    async def _validation(_req: Request, exc: RequestValidationError) -> JSONResponse:
        errs = exc.errors()
        items = []
        for e in errs:
            kind = e.get("type", "invalid")
            if kind == "json_invalid":
                return problem_response(
                    422,
                    "malformed_json",
                    "Malformed JSON",
                    "The request body is not valid JSON.",
                    "body",
                )
            msg = e.get("msg", "invalid")
            if kind == "extra_forbidden":
                kind, msg = "unknown_field", "This field is not accepted here."
            items.append({"field": field_path(e.get("loc", ())), "code": kind, "message": msg})
        first = items[0] if items else {"field": "body", "message": "invalid"}
        return problem_response(
            422,
            "validation_error",
            "Invalid request",
            f"{first['field']}: {first['message']}",
            first["field"],
            errors=items,
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(_req: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = _STATUS_CODES.get(exc.status_code, "http_error")
        detail = exc.detail if isinstance(exc.detail, str) else "HTTP error"
        return problem_response(
            exc.status_code, code, detail, detail, headers=getattr(exc, "headers", None)
        )

    @app.exception_handler(Exception)
    async def _unexpected(_req: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error: %s", type(exc).__name__)
        return problem_response(
            500,
            "internal_error",
            "Internal error",
            "Something went wrong on our side; nothing was changed.",
        )


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses=`` entries for the problem statuses an operation can return."""
    titles = {
        400: "Bad request",
        401: "Missing, wrong or revoked API key",
        404: "Not found",
        409: "Conflict",
        413: "Body too large",
        422: "Invalid request",
        429: "Rate limited",
    }
    return {
        s: {
            "model": Problem,
            "description": titles.get(s, "Problem"),
            "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        for s in statuses
    }
