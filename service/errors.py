"""RFC 9457 problem details: domain errors are raised in services, rendered here once.

Every problem has ``type``, ``title``, ``status``, ``detail``, a stable machine
``code`` and, where one field is at fault, ``field`` (``items[0].check_out``,
``theme``). Validation problems also list every failing field in ``errors`` (the first
``MAX_FIELD_ERRORS``, 50).

``title`` and ``detail`` are in the caller's language (``Accept-Language``: zh-CN by
default, or English): a ``DomainError`` carries its detail in both (``detail`` in
English, ``zh=`` in Chinese) and ``problem_body_of`` picks one; validation errors of
FastAPI/pydantic and route-level HTTP errors are translated here by their type.
"""

import json
import logging
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from service.i18n import Lang, negotiate
from service.problem_codes import PROBLEM_CODES
from service.validation_messages import field_errors, is_malformed_json

log = logging.getLogger("jilin.errors")

PROBLEM_JSON = "application/problem+json"
PROBLEM_TYPE_BASE = "https://jilin-sojourn.example/problems/"


ECHO_LIMIT = 40


def echoed(value: object) -> str:
    """What a caller sent (an id, a slug, a code) as a problem repeats it: at most
    ``ECHO_LIMIT`` characters, then "…", so a 5,000-character id is not sent back."""
    text = str(value)
    return text if len(text) <= ECHO_LIMIT else text[:ECHO_LIMIT] + "…"


class DomainError(Exception):
    """Base for errors the API reports as problems. Subclasses fix status, code and the
    title in both languages; ``detail`` is English and ``zh`` the same in Chinese."""

    status: int = 400
    code: str = "bad_request"
    title: str = "Bad request"
    title_zh: str = "请求有误"

    def __init__(
        self,
        detail: str,
        *,
        zh: str | None = None,
        field: str | None = None,
        code: str | None = None,
        status: int | None = None,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.detail_zh = zh
        self.field = field
        if code:
            self.code = code
        if status:
            self.status = status
        self.headers = headers or {}
        self.extra = extra


class NotFound(DomainError):
    status, code, title, title_zh = 404, "not_found", "Not found", "未找到"


class Unauthorized(DomainError):
    status, code, title, title_zh = 401, "unauthorized", "Unauthorized", "未授权"


class Conflict(DomainError):
    status, code, title, title_zh = 409, "conflict", "Conflict", "冲突"


# The title of every 422 ``validation_error`` (zh-CN, en), whoever found the field wrong.
VALIDATION_TITLE = ("请求无效", "Invalid request")


class Unprocessable(DomainError):
    status, code, title, title_zh = 422, "unprocessable", "Unprocessable request", "无法处理的请求"


class TooManyRequests(DomainError):
    status, code, title, title_zh = 429, "rate_limited", "Too many requests", "请求过于频繁"


class PayloadTooLarge(DomainError):
    status, code, title, title_zh = 413, "payload_too_large", "Payload too large", "请求体过大"


class UriTooLong(DomainError):
    status, code, title, title_zh = 414, "uri_too_long", "URI too long", "请求地址过长"


class UnsupportedMediaType(DomainError):
    status, code, title, title_zh = (
        415,
        "unsupported_media_type",
        "Unsupported media type",
        "不支持的媒体类型",
    )


ProblemCode = StrEnum("ProblemCode", {code: code for code in PROBLEM_CODES})  # type: ignore[misc]
ProblemCode.__doc__ = "The stable machine code of a problem:\n\n" + "\n".join(
    f"* `{code}`: {meaning}" for code, meaning in PROBLEM_CODES.items()
)


class FieldError(BaseModel):
    field: str
    code: str = Field(description="What is wrong with it (`missing`, `too_long`, ...)")
    message: str


class Problem(BaseModel):
    """An RFC 9457 problem detail, as every 4xx and 5xx of this API returns it."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            # Members other than type/title/status/detail/code come with their codes only.
            "x-absent-when-null": True,
            "example": {
                "type": PROBLEM_TYPE_BASE + "invalid_dates",
                "title": "无法处理的请求",
                "status": 422,
                "detail": "退房日期（2027-07-01）须晚于入住日期（2027-07-03）。",
                "code": "invalid_dates",
                "field": "items[0].check_out",
            },
        },
    )

    type: str = Field(description="URI naming the problem type")
    title: str = Field(description="Short summary, in the language of `Content-Language`")
    status: int
    detail: str = Field(description="This occurrence, in the language of `Content-Language`")
    code: ProblemCode = Field(description="Stable machine-readable code")
    field: str | None = Field(default=None, description="The offending field, if one")
    errors: list[FieldError] | None = Field(
        default=None,
        description="`validation_error`: every failing field, the first 50 in the body's order",
    )
    night: date | None = Field(
        default=None,
        description="`sold_out`: the night short of units; `too_many_units`: the night "
        "with fewer units in all than asked",
    )
    product_id: int | None = Field(
        default=None,
        description="`sold_out`, `too_many_units`: the product short of units; "
        "`hold_limit_reached`: the product whose cap it is (bookings without an API key)",
    )
    held_units: int | None = Field(
        default=None,
        description="`hold_limit_reached`: unpaid units the caller holds (a client address's "
        "cap, `field` `items` without an API key: rooms at once, each booking's most units "
        "on any one night, summed over its counted bookings)",
    )
    limit: int | None = Field(
        default=None,
        description="`hold_limit_reached`: units one caller may hold unpaid (a client "
        "address: rooms at once); `rate_limited`: requests per minute (an address's trip "
        "searches at once, when it has that many running); `too_many_units`: "
        "the most units the stay can ever book (the fewest any of its nights has in all); "
        "`window_too_long`: the most days a plan's dates may span; `nights_exceed_window`: "
        "the most nights the plan's dates hold (its days from the earliest check-in to the "
        "latest departure); `too_many_guests` of a "
        "stay: the most "
        "guests its units take (the product's most per unit times `asked_units`); "
        "`too_many_riders`: the trip's party, the most guests its stays hold at once",
    )
    per_unit: int | None = Field(
        default=None,
        description="`too_many_guests` of a stay: the most guests one unit of the product "
        "takes (`limit` is it times `asked_units`)",
    )
    asked_units: int | None = Field(
        default=None,
        description="`hold_limit_reached`: the units this request asks for (a client "
        "address: rooms at once); above `limit`, the request alone is over the cap and "
        "waiting does not help; `too_many_units`, `too_many_guests` of a stay, "
        "`more_rooms_than_guests`: the units the stay asks for",
    )
    guests: int | None = Field(
        default=None,
        description="`more_rooms_than_guests`: the guests of the stay, fewer than its "
        "`asked_units` (each unit needs at least one guest)",
    )
    stub: str | None = Field(
        default=None,
        description="`unknown_stub`, `duplicate_stub`, and `stub_already_used` at "
        "`stubs[i]` (a quote's or a plan's): the ticket-stub code refused, the one at "
        "`field`, as read (upper-case)",
    )
    opens: date | None = Field(
        default=None,
        description="`survey_not_open` of a stay not yet ended: the day its survey opens "
        "(its check-out day; or at once, once the front desk records the guest has left)",
    )
    value: int | None = Field(
        default=None,
        description="`above_filed_price`: the rate asked, in fen, above `limit` (the filed "
        "list price, 备案价)",
    )
    cell: str | None = Field(
        default=None,
        description="A calendar edit refused (`units_below_taken`, `no_inventory`, "
        "`above_filed_price`, `min_stay_above_max_stay`): the first refused cell, "
        "`<product_id>/<night>`",
    )
    refused_count: int | None = Field(
        default=None, description="A calendar edit refused: how many of its cells are refused"
    )
    refused: list[dict[str, Any]] | None = Field(
        default=None,
        description="A calendar edit refused: the first 100 refused cells, each as the "
        "preview's `RefusedCell` (`product_id`, `night`, `field`, `code`, `value`, `limit`)",
    )
    day: date | None = Field(
        default=None,
        description="`not_on_sale` of a quote's stay (a night or day not on sale) or of a "
        "booking (the night or day its product closed since the quote)",
    )
    reason: str | None = Field(
        default=None,
        description="`not_on_sale` of a quote's stay or a booking: why, one of the sellability "
        "reasons (`product_retired` (no `day`: the product itself is no longer offered), "
        "`not_on_sale`, `closed_to_arrival`, `closed_to_departure`, `min_stay`, "
        "`max_stay`...)",
    )
    suggested: int | None = Field(
        default=None,
        description="`plan_too_broad`: the value to send at `field` to narrow the search (a "
        "suggestion, not a promise)",
    )
    shortest_stay_nights: int | None = Field(
        default=None,
        description="`window_too_short`, `nights_below_shortest_stay`: the nights of the "
        "shortest stay the planner can offer",
    )
    fit_max_days: int | None = Field(
        default=None,
        description="`window_too_long` of a request without nights: the most days its dates "
        "may span for the trip to be fitted to them",
    )
    season_id: int | None = Field(
        default=None,
        description="`season_overlap`: the season in the way; `season_ended`, "
        "`season_started`, and `nights_in_past` of a running season: the season refused",
    )
    name_zh: str | None = Field(
        default=None,
        description="`season_overlap`: the other season's Chinese name (empty if unnamed)",
    )
    name_en: str | None = Field(
        default=None,
        description="`season_overlap`: the other season's English name (empty if unnamed)",
    )
    start_date: date | None = Field(
        default=None,
        description="`season_overlap`: the other season's first night; `season_started`: "
        "the season's first night",
    )
    end_date: date | None = Field(
        default=None,
        description="`season_overlap`: the night after the other season's last",
    )
    last_night: date | None = Field(
        default=None, description="`season_ended`: the season's last night, before today"
    )
    today: date | None = Field(
        default=None,
        description="`nights_in_past` beside `first_night`, `first_day` or `last_day`: "
        "today (Asia/Shanghai), the date the refused one is before",
    )
    first_night: date | None = Field(
        default=None,
        description="`nights_in_past` of a calendar edit: its first night (`from`), before "
        "`today`; of a running season's `start_date` or `end_date`: the first night whose "
        "price the change would alter (the earlier of the season's first night and the "
        "`start_date` sent; the `end_date` sent), before `today`",
    )
    first_day: date | None = Field(
        default=None,
        description="`nights_in_past` of a season's `start_date` or a stub batch's "
        "`visit_date`: that date, before `today`",
    )
    last_day: date | None = Field(
        default=None,
        description="`nights_in_past` of a discount rule's `booking_to` or `check_in_to`: "
        "that date, before `today`, so the rule could never apply; of a running season's new "
        "`nightly_rate_fen` or `filed_rate_fen` with the season ending today: its last night, "
        "before `today`, so the new terms could never apply",
    )


def problem_body(
    status: int, code: str, title: str, detail: str, field: str | None = None, **extra: Any
) -> dict[str, Any]:
    """The one rendering of a problem body: every problem response (the exception
    handlers, the middleware's refusals) and every replayed idempotent failure is this."""
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


def problem_body_of(exc: DomainError, lang: Lang) -> dict[str, Any]:
    """The body of a domain error in ``lang`` (what ``_domain`` sends and an idempotent
    request records to replay)."""
    zh = lang == "zh-CN"
    detail = (exc.detail_zh or exc.detail) if zh else exc.detail
    title = exc.title_zh if zh else exc.title
    extra = exc.extra
    if exc.code == "validation_error" and "errors" not in extra:
        # A field checked by the service rather than the request model (near=abc,
        # within_km without near) is said as the model's refusals are: their title, and
        # the field in ``errors`` (``value_error``, as a validator's ValueError is).
        title = VALIDATION_TITLE[0] if zh else VALIDATION_TITLE[1]
        field = exc.field or "body"
        extra = {**extra, "errors": [{"field": field, "code": "value_error", "message": detail}]}
    return problem_body(exc.status, exc.code, title, detail, exc.field, **extra)


def error_of_body(body: Mapping[str, Any]) -> DomainError:
    """``problem_body_of`` read back: the error a recorded (replayed) problem body says,
    its detail (in the language it was recorded in) and its own fields kept, so a page
    says a replayed refusal as it says the refusal itself."""
    detail = body.get("detail", "")
    extra = {k: v for k, v in body.items() if k not in _BODY_FIELDS}
    return DomainError(
        detail,
        zh=detail,
        field=body.get("field"),
        code=body.get("code"),
        status=body.get("status"),
        **extra,
    )


_BODY_FIELDS = frozenset({"type", "title", "status", "detail", "code", "field", "zh", "headers"})


def problem_response(body: dict[str, Any], headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(
        body, status_code=body["status"], media_type=PROBLEM_JSON, headers=headers or None
    )


async def send_problem(send, body: dict[str, Any], headers: Sequence = ()) -> None:
    """Send a problem body from pure ASGI middleware (before any route runs), with
    ``headers`` (raw pairs) besides its own."""
    data = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
    await send(
        {
            "type": "http.response.start",
            "status": body["status"],
            "headers": [
                (b"content-type", PROBLEM_JSON.encode()),
                (b"content-length", str(len(data)).encode()),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": data})


def request_lang(request: Request) -> Lang:
    return negotiate(request.headers.get("accept-language"))


# Route-level HTTP errors (no route, method not allowed...): code and titles by status.
_HTTP_PROBLEMS: dict[int, tuple[str, str, str, str, str]] = {
    # status: (code, title zh, title en, detail zh, detail en)
    400: (
        "bad_request",
        "请求有误",
        "Bad request",
        "请求无法解析。",
        "The request cannot be parsed.",
    ),
    401: ("unauthorized", "未授权", "Unauthorized", "需要认证。", "Authentication is required."),
    404: (
        "not_found",
        "未找到",
        "Not found",
        "没有这个地址。",
        "There is nothing at this address.",
    ),
    405: (
        "method_not_allowed",
        "方法不允许",
        "Method not allowed",
        "此地址不接受该方法；可用的方法见 Allow 响应头。",
        "This address does not take this method; the Allow header lists those it takes.",
    ),
    413: (
        "payload_too_large",
        "请求体过大",
        "Payload too large",
        "请求体过大。",
        "The request body is too large.",
    ),
}


# FastAPI's answer when a JSON body cannot even be decoded (not UTF-8, nested deeper than
# the parser goes): a bare 400. It is the same refusal as truncated JSON, so it gets the
# same answer: 422 ``malformed_json``.
_BODY_PARSE_ERROR = "There was an error parsing the body"


def is_unparsable_body(exc: Exception) -> bool:
    return (
        isinstance(exc, StarletteHTTPException)
        and exc.status_code == 400
        and exc.detail == _BODY_PARSE_ERROR
    )


def malformed_json(lang: Lang) -> dict[str, Any]:
    """The 422 for a body that is not JSON (truncated, not UTF-8 or nested too deeply)."""
    zh = lang == "zh-CN"
    return problem_body(
        422,
        "malformed_json",
        "JSON 格式错误" if zh else "Malformed JSON",
        "请求体不是有效的 JSON（不完整、不是 UTF-8 或嵌套过深）。"
        if zh
        else "The request body is not valid JSON (truncated, not UTF-8 or nested too deeply).",
        "body",
    )


def http_problem(status: int, lang: Lang, field: str | None = None) -> dict[str, Any]:
    code, title_zh, title_en, zh, en = _HTTP_PROBLEMS.get(
        status, ("http_error", "HTTP 错误", "HTTP error", "HTTP 错误。", "HTTP error.")
    )
    if lang == "zh-CN":
        return problem_body(status, code, title_zh, zh, field)
    return problem_body(status, code, title_en, en, field)


# The most failing fields a 422 lists: more than any request made in good faith has,
# few enough that a body of thousands of unknown members (64 KB of ``"k1":1,...``) is not
# answered with half a megabyte, each said in words (``field_errors``), for ~6x a quote's
# CPU. Pydantic gives them in the body's order, so the first are kept.
MAX_FIELD_ERRORS = 50


def validation_problem(errors: list[dict[str, Any]], lang: Lang) -> dict[str, Any]:
    """The 422 problem body for a request FastAPI refused, in ``lang``: its first
    ``MAX_FIELD_ERRORS`` failing fields."""
    zh = lang == "zh-CN"
    if is_malformed_json(errors):
        return malformed_json(lang)
    items = field_errors(errors[:MAX_FIELD_ERRORS], lang)
    first = items[0] if items else {"field": "body", "message": "无效。" if zh else "invalid"}
    return problem_body(
        422,
        "validation_error",
        VALIDATION_TITLE[0] if zh else VALIDATION_TITLE[1],
        f"{first['field']}{'：' if zh else ': '}{first['message']}",
        first["field"],
        errors=items,
    )


# What the composition may hand in: the HTML answer to an HTTP error at a page's path
# (None: not a page, answer with a problem document).
PageError = Callable[[Request, int, Mapping[str, str] | None], Response | None]


def busy_problem(lang: Lang) -> dict[str, Any]:
    """The 503 for a request the database turned away as busy (``db.is_contention``):
    not a bug, nothing changed, worth sending again."""
    zh = lang == "zh-CN"
    return problem_body(
        503,
        "database_busy",
        "系统繁忙" if zh else "Busy",
        "系统正忙于处理其他更改，这次请求未做任何更改；请稍后重试。"
        if zh
        else "The system was busy with other changes and nothing was changed; please "
        "try again in a moment.",
    )


BUSY_HEADERS = {"Retry-After": "1"}


# The 404 at an address that is one of ours but for its trailing slash (``/v1/quotes/``):
# what to send instead, not echoing the address (it may hold anything the caller typed).
_SLASH_DETAIL = (
    "这个地址末尾多了斜杠：去掉最后的 / 再发送。",
    "There is nothing at this address with its trailing slash: send it without the final /.",
)


_WRITTEN_DETAIL = (
    "这个地址写法不对：各部分之间只用一个 /，v1 用小写（如 /v1/products），再发送。",
    "There is nothing at this address as written: send it with one / between its parts "
    "and v1 in lower case (as /v1/products).",
)


def not_found_problem(
    lang: Lang, trailing_slash: bool = False, miswritten: bool = False
) -> dict[str, Any]:
    """The 404 for a path no route has (``field`` ``path``); ``trailing_slash``: one
    does without its final ``/``, ``miswritten``: one is the path as the API writes it
    (``api_form``), and the detail says so (neither echoes the address)."""
    body = http_problem(404, lang, "path")
    if trailing_slash:
        body["detail"] = _SLASH_DETAIL[0] if lang == "zh-CN" else _SLASH_DETAIL[1]
    elif miswritten:
        body["detail"] = _WRITTEN_DETAIL[0] if lang == "zh-CN" else _WRITTEN_DETAIL[1]
    return body


_SLASHES = re.compile(r"/{2,}")


def api_form(path: str) -> str | None:
    """``path`` as the API writes its paths when it is one of the API's written otherwise,
    as a client joining a base address that ends in ``/`` to ``/v1/...`` sends it
    (``//v1/products``), or with ``V1``: one ``/`` between parts, ``/v1`` in lower case;
    None for a path outside ``/v1``. Such a path is the API's (a problem, never a page)."""
    joined = _SLASHES.sub("/", path)
    if joined[:4].lower() != "/v1/" and joined.lower() not in ("/v1", "/v1/"):
        return None
    return "/v1" + joined[3:]


def install_error_handlers(
    app: FastAPI,
    page_error: PageError | None = None,
    busy: Callable[[BaseException], bool] | None = None,
    routed: Callable[[str], bool] | None = None,
) -> None:
    """The app's answers to what its handlers raise. ``busy``: whether an unexpected
    exception is the database saying "busy, try again" (``db.is_contention``): a 503
    ``database_busy`` with ``Retry-After``, or the page's 503 at a page's path, not a
    500; anything else goes on to ``middleware.RequestContext``'s 500. ``routed``:
    whether some route has a path (``middleware.allowed_methods``), for the 404 of a
    path that has one but for its trailing slash."""
    if busy is not None:

        @app.exception_handler(sa.exc.DBAPIError)
        async def _database(request: Request, exc: sa.exc.DBAPIError) -> Response:
            if not busy(exc):
                raise exc
            log.warning("database busy: %s", type(exc.orig).__name__)
            if page_error is not None:
                page = page_error(request, 503, BUSY_HEADERS)
                if page is not None:
                    return page
            return problem_response(busy_problem(request_lang(request)), BUSY_HEADERS)

    @app.exception_handler(DomainError)
    async def _domain(request: Request, exc: DomainError) -> JSONResponse:
        return problem_response(problem_body_of(exc, request_lang(request)), exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        return problem_response(validation_problem(exc.errors(), request_lang(request)))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        if is_unparsable_body(exc):
            return problem_response(malformed_json(request_lang(request)))
        headers = getattr(exc, "headers", None)
        if page_error is not None:
            page = page_error(request, exc.status_code, headers)
            if page is not None:
                return page
        # A route-level error: 404 (no such path; the path is at fault), 405 (the method).
        lang = request_lang(request)
        if exc.status_code == 404:
            path = request.url.path
            slash = (
                routed is not None and len(path) > 1 and path.endswith("/") and routed(path[:-1])
            )
            written = (api_form(path) or path).rstrip("/")
            miswritten = routed is not None and written not in (path, "") and routed(written)
            return problem_response(not_found_problem(lang, slash, miswritten), headers)
        field = {405: "method"}.get(exc.status_code)
        return problem_response(http_problem(exc.status_code, lang, field), headers)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        # Reached only by an error outside ``middleware.RequestContext``, which answers
        # every other one itself (with the request's id and language).
        log.exception("unhandled error: %s", type(exc).__name__)
        return problem_response(internal_error_problem(request_lang(request)))


def malformed_request_problem(part: str, lang: Lang) -> dict[str, Any]:
    """The 400 for a request the server could not parse (``service.http_protocol``),
    naming the ``part`` at fault."""
    zh = lang == "zh-CN"
    return problem_body(
        400,
        "malformed_request",
        "请求格式错误" if zh else "Malformed request",
        f"服务器无法按 HTTP 读取此请求（{part}）：地址中的空格、控制字符等须百分号编码，"
        "请求头和方法须符合 HTTP。"
        if zh
        else f"The server cannot read this request as HTTP ({part}): spaces and control "
        "characters in the address must be percent-encoded, and headers and the method "
        "must be valid HTTP.",
        part,
    )


def internal_error_problem(lang: Lang) -> dict[str, Any]:
    """The 500 problem body: a bug of ours, and nothing was changed (the transaction of
    the request, if any, rolled back)."""
    zh = lang == "zh-CN"
    return problem_body(
        500,
        "internal_error",
        "内部错误" if zh else "Internal error",
        "服务器出错，未做任何更改。"
        if zh
        else "Something went wrong on our side; nothing was changed.",
    )


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses=`` entries for the problem statuses an operation can return."""
    return {s: problem_doc(s) for s in statuses}


PROBLEM_TITLES = {
    400: "Bad request",
    401: "Missing, wrong or revoked API key",
    404: "Not found",
    409: "Conflict",
    413: "Body too large (`payload_too_large`)",
    414: "Query string too long (`uri_too_long`)",
    415: "The body is not JSON: `Content-Type` is not `application/json`, or it is "
    "compressed (`Content-Encoding` other than `identity`; the answer says "
    "`Accept-Encoding: identity`) (`unsupported_media_type`, `field` the header)",
    422: "Invalid request: `validation_error` naming the field (all of them in `errors`), "
    "`malformed_json` for a body that is not JSON (truncated, not UTF-8, nested too "
    "deeply, or holding `NaN`/`Infinity`), or a domain refusal named in the operation's "
    "description",
    429: "Rate limited (`rate_limited`): retry after `Retry-After` seconds",
    503: "Unavailable for now (`payments_unavailable`, `not_ready`...): retry",
}


def problem_doc(
    status: int, description: str | None = None, *, retry_after: bool = False
) -> dict[str, Any]:
    """One problem response of an operation, as the OpenAPI document gives it
    (``description``: the operation's own, else ``PROBLEM_TITLES``'); with the
    ``Retry-After`` header for a 429, and for another status when ``retry_after``."""
    doc: dict[str, Any] = {
        # "model" makes FastAPI put the Problem schema in the document's components.
        "model": Problem,
        "description": description or PROBLEM_TITLES.get(status, "Problem"),
        "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }
    if status == 429 or retry_after:
        doc["headers"] = {
            "Retry-After": {
                "description": "Seconds to wait before retrying",
                "schema": {"type": "integer"},
            }
        }
    return doc
