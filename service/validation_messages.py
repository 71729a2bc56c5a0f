"""Request validation errors (FastAPI/pydantic) as one 422 problem, in zh-CN or English.

Pydantic reports each failing field with a ``type`` (``missing``, ``int_parsing``,
``string_too_long``...) and its context (``max_length``...). The problem keeps the type
as each field's ``code`` and says the message in the caller's language: the English one
in plain words from ``_EN`` by type (pydantic's own for a type not there, without its
"Value error, "), the Chinese one from ``_ZH`` by type. Our own validators
(``service.text``) raise ``ValueError`` with a fixed sentence, translated by ``_ZH_VALUE``.
A body that is not JSON at all is ``malformed_json`` (``service.errors`` renders both).
"""

import math
import re
from typing import Any

from service.i18n import Lang
from service.text import (
    NO_SUCH_TIME,
    NOT_A_DATE,
    OUT_OF_CALENDAR,
    OUT_OF_INSTANTS,
    PATTERN_WORDS,
    PLUS_READ_AS_SPACE,
)

# pydantic error type -> Chinese message (``str.format`` with the error's ``ctx``).
_ZH: dict[str, str] = {
    "missing": "必填。",
    "unknown_field": "此处不接受该字段。",
    "int_type": "应为整数。",
    "int_parsing": "应为整数。",
    "int_from_float": "应为整数。",
    "float_type": "应为数字。",
    "float_parsing": "应为数字。",
    "finite_number": "应为有限数字。",
    "bool_type": "应为 true 或 false。",
    "bool_parsing": "应为 true 或 false。",
    "string_type": "应为字符串。",
    "string_too_short": "至少 {min_length} 个字符。",
    "string_too_long": "最多 {max_length} 个字符。",
    "string_pattern_mismatch": "格式不符（应匹配 {pattern}）。",
    "too_short": "至少 {min_length} 项。",
    "too_long": "最多 {max_length} 项。",
    "list_type": "应为数组。",
    "set_type": "应为数组。",
    "dict_type": "应为对象。",
    "model_type": "应为对象。",
    "model_attributes_type": "应为对象。",
    "greater_than": "应大于 {gt}。",
    "greater_than_equal": "应大于或等于 {ge}。",
    "less_than": "应小于 {lt}。",
    "less_than_equal": "应小于或等于 {le}。",
    "multiple_of": "应为 {multiple_of} 的倍数。",
    "literal_error": "应为以下之一：{expected}。",
    "enum": "应为以下之一：{expected}。",
    "date_parsing": "应为日期（YYYY-MM-DD）。",
    "datetime_type": "应为 RFC 3339 时间（带时区）。",
    "datetime_parsing": "应为 RFC 3339 时间（带时区）。",
    "datetime_from_date_parsing": "应为 RFC 3339 时间（带时区）。",
    "datetime_object_invalid": "应为 RFC 3339 时间（带时区）。",
    "timezone_aware": "时间须带时区（如 +08:00 或 Z）。",
    "uuid_type": "应为 UUID。",
    "uuid_parsing": "应为 UUID。",
    "url_type": "应为网址。",
    "url_parsing": "应为网址。",
    "url_scheme": "网址协议应为 {expected_schemes}。",
    "url_too_long": "网址最多 {max_length} 个字符。",
    "string_unicode": "应为有效的 UTF-8 字符串。",
    "json_invalid": "请求体不是有效的 JSON。",
    "json_type": "应为 JSON。",
    "no_such_attribute": "此处不接受该字段。",
    "phone_format": "应为电话号码：数字，可以 + 开头，数字之间可有空格、短横线或括号。",
    "phone_digits": "应有 {min_digits} 至 {max_digits} 位数字（空格、短横线、括号和 + 不计）。",
    "name_no_letter": "须至少包含一个字或字母。",
    "id_number_format": "应为身份证号或护照号：只能使用数字和英文字母。",
    # why: ``service.bookings.id_numbers.ID_NUMBER_WRONG``, in the error's context
    "id_number_check": "不是有效的居民身份证号码：{why_zh}。",
    "rate_not_positive": "至少 1 分（¥0.01）：房价不能为零，关闭某晚请用停售。",
    "not_nullable": "不能为 null：不修改此项请不要发送该字段。",
    "discount_gives_nights_away": "须低于 100%（10000 个基点）：房晚不能免费。",
    "name_blank": "不能为空白：请填写名称。",
    "control_character": "{allowed_zh}不得包含控制字符：其中有 {char_zh}。",
    "invisible_character": "不得包含看不见的字符：其中有 {char_zh}。",
    "slug_all_digits": "不能全是数字：全数字的地址会被当作产品编号；请加一个字母（如 cabin-093）。",
}

# The ValueErrors of our own validators (``service.text``), by their English sentence.
_ZH_VALUE: dict[str, str] = {
    "is out of range": "超出范围。",
    "must be valid Unicode text: it holds an unpaired surrogate (\\ud800-\\udfff)": (
        "须为有效的 Unicode 文本：含有不成对的代理码位（\\ud800-\\udfff）。"
    ),
    OUT_OF_CALENDAR: "应为 2000-01-01 至 2100-12-31 之间的日期。",
    OUT_OF_INSTANTS: "应为 2000-01-01T00:00:00Z 至 2100-12-31T23:59:59Z 之间的时刻。",
    NO_SUCH_TIME: "没有这个时刻：小时为 00 至 23，分钟和秒为 00 至 59。",
    "expected an RFC 3339 instant with offset, e.g. 2027-01-01T00:00:00Z": (
        "应为带时区的 RFC 3339 时间，如 2027-01-01T00:00:00Z。"
    ),
    PLUS_READ_AS_SPACE: (
        "应为带时区的 RFC 3339 时间：时区的 + 处是一个空格（查询字符串中的 + 会被读作空格）；"
        "请把 + 写作 %2B，或用 Z 给出 UTC 时间，如 2026-12-06T16:00:00Z。"
    ),
}

_VALUE_ERROR_PREFIX = "Value error, "

# pydantic error type -> plain English (``str.format`` with the error's ``ctx``), for
# every type ``_ZH`` says: pydantic's own sentences speak of its machinery ("Input should
# be a valid date or datetime, day value is outside expected range", "Field required").
# A string's length is said in characters (pydantic says "items" when the limit is
# checked after a validator), a list's in items; a count of one is singular.
_EN: dict[str, str] = {
    "missing": "required",
    "unknown_field": "must not be sent: this request has no such field",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "float_type": "must be a number",
    "float_parsing": "must be a number",
    "finite_number": "must be a finite number",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "string_type": "must be a string",
    "string_too_short": "must be at least {min_length} {min_length:character|characters}",
    "string_too_long": "must be at most {max_length} {max_length:character|characters}",
    "string_pattern_mismatch": "is not in the expected form (it must match {pattern})",
    "too_short": "must have at least {min_length} {min_length:item|items}",
    "too_long": "must have at most {max_length} {max_length:item|items}",
    "list_type": "must be an array",
    "set_type": "must be an array",
    "dict_type": "must be an object",
    "model_type": "must be an object",
    "model_attributes_type": "must be an object",
    "greater_than": "must be greater than {gt}",
    "greater_than_equal": "must be {ge} or more",
    "less_than": "must be less than {lt}",
    "less_than_equal": "must be {le} or less",
    "multiple_of": "must be a multiple of {multiple_of}",
    "literal_error": "must be one of {expected}",
    "enum": "must be one of {expected}",
    "date_parsing": "must be a date as YYYY-MM-DD",
    "datetime_type": "must be an RFC 3339 time with its offset",
    "datetime_parsing": "must be an RFC 3339 time with its offset",
    "datetime_from_date_parsing": "must be an RFC 3339 time with its offset",
    "datetime_object_invalid": "must be an RFC 3339 time with its offset",
    "timezone_aware": "must carry its offset (such as +08:00 or Z)",
    "uuid_type": "must be a UUID",
    "uuid_parsing": "must be a UUID",
    "url_type": "must be a web address",
    "url_parsing": "must be a web address",
    "url_scheme": "must be a web address starting with {expected_schemes}",
    "url_too_long": "must be a web address of at most {max_length} characters",
    "string_unicode": "must be valid UTF-8 text",
    "json_invalid": "The request body is not valid JSON.",
    "json_type": "must be JSON",
    "no_such_attribute": "must not be sent: this request has no such field",
}
# A date written as YYYY-MM-DD that no calendar has: said as such, by what is wrong
# (pydantic says "month value is outside expected range of 1-12", "day value is ...").
_NO_SUCH_DAY = "outside expected range"
# Why such a date is none, (zh-CN, English): the API's field message says it, and so do
# the pages (``service.pages.forms.typed_day``), in the same words.
NO_SUCH_DATE: dict[str, tuple[str, str]] = {
    "month": ("没有这个月份（月份为 01 至 12）", "no such month: months are 01 to 12"),
    "day": ("该月没有这一天", "that month has no such day"),
}
_NO_SUCH = {
    kind: (
        f"应为日历上有的日期（YYYY-MM-DD），{zh}。",
        f"must be a day of the calendar, as YYYY-MM-DD ({en})",
    )
    for kind, (zh, en) in NO_SUCH_DATE.items()
}
# An instant's day no calendar has (2027-02-29T00:00:00Z), said by the same words
_NO_SUCH_INSTANT = {
    kind: (f"应为日历上有的时间，{zh}。", f"must be a time of the calendar ({en})")
    for kind, (zh, en) in NO_SUCH_DATE.items()
}
_DATE_KINDS = ("date_parsing", "date_from_datetime_parsing")
# pydantic's types of a date that is none, each said as ``NOT_A_DATE`` (one code for
# every bad date: ``service.text.iso_date`` refuses the form, pydantic the day).
_NOT_A_DATE_KINDS = frozenset(
    {"date_type", "date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact"}
)
_INSTANT_KINDS = ("datetime_parsing", "datetime_from_date_parsing")
_PLURAL = re.compile(r"\{(\w+):([^|}]*)\|([^}]*)\}")


def zh_words(kind: str) -> str:
    """The Chinese words of the validation error ``kind``, for a refusal raised by hand
    that means the same (the calendar edit's ``not_nullable``)."""
    return _ZH[kind]


def _english(template: str, ctx: dict[str, Any]) -> str:
    """``template`` with ``{n:one|many}`` said by the count ``ctx[n]``, then formatted."""
    words = _PLURAL.sub(lambda m: m.group(2) if ctx.get(m.group(1)) == 1 else m.group(3), template)
    return words.format(**ctx)


# A string's length checked after a validator is ``too_long`` (a list's type): said as
# a string's, under the code pydantic gives.
_STRING_KIND = {"too_short": "string_too_short", "too_long": "string_too_long"}


def _ctx(error: dict[str, Any], zh: bool = True) -> dict[str, Any]:
    ctx = dict(error.get("ctx") or {})
    # pydantic renders ``expected`` already quoted and in English ("'a', 'b' or 'c'"):
    # the values stay as they are, the words between them are said in Chinese.
    if zh and isinstance(ctx.get("expected"), str):
        ctx["expected"] = ctx["expected"].replace(", ", "、").replace(" or ", "、")
    return {k: _said(v) for k, v in ctx.items()}


def _said(value: Any) -> Any:
    """A limit as a person writes it: a whole number without ".0" (``le=5000.0`` is
    "5000"), other values as they are (a non-number as its text)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value if isinstance(value, str | int | float) else str(value)


# The bound checks a NaN fails (it is no number, so never within a bound): said as what
# it is, "must be a number" (``float_parsing``), not the bound.
_BOUNDS = frozenset({"greater_than", "greater_than_equal", "less_than", "less_than_equal"})


def _is_nan(value: Any) -> bool:
    try:
        return math.isnan(float(value))
    except (TypeError, ValueError, OverflowError):
        return False


def _code(kind: str) -> str:
    """The code of a pydantic type: every type of a date that is none is ``NOT_A_DATE``."""
    return NOT_A_DATE if kind in _NOT_A_DATE_KINDS else kind


def words_of(error: dict[str, Any]) -> str:
    """What an error is about, for its message: pydantic's type, except a string's length
    checked after a validator (pydantic's list type ``too_long``) is a string's
    (``string_too_long``), so a long name is never said as "too many items"."""
    kind = error.get("type", "invalid")
    if kind in _STRING_KIND and isinstance(error.get("input"), str):
        return _STRING_KIND[kind]
    if kind in _BOUNDS and _is_nan(error.get("input")):
        return "float_parsing"
    return _code(kind)


def context(error: dict[str, Any]) -> dict[str, Any]:
    """The error's context (``max_length``...) as a message template fills it."""
    return _ctx(error)


def _pattern_words(error: dict[str, Any]) -> tuple[str, str] | None:
    """What the pattern a text failed allows, in words (``service.text.described``)."""
    return PATTERN_WORDS.get(str((error.get("ctx") or {}).get("pattern")))


def message(error: dict[str, Any], lang: Lang) -> tuple[str, str]:
    """(code, message in ``lang``) for one pydantic error (a NaN refused by a bound:
    ``float_parsing``, "must be a number")."""
    kind = error.get("type", "invalid")
    if kind in _BOUNDS and _is_nan(error.get("input")):
        kind = "float_parsing"
    english = error.get("msg", "invalid")
    if kind == "extra_forbidden":
        kind, english = "unknown_field", _EN["unknown_field"]
    words = words_of(error) if kind != "unknown_field" else kind
    wrong = str((error.get("ctx") or {}).get("error"))
    if kind in _DATE_KINDS + _INSTANT_KINDS and _NO_SUCH_DAY in wrong:
        said = _NO_SUCH if kind in _DATE_KINDS else _NO_SUCH_INSTANT
        zh, en = said["month" if wrong.startswith("month") else "day"]
        return _code(kind), zh if lang == "zh-CN" else en
    kind = _code(kind)
    if words == "string_pattern_mismatch" and (said := _pattern_words(error)):
        return kind, f"{said[0]}。" if lang == "zh-CN" else said[1]
    if words in _EN:
        try:
            english = _english(_EN[words], _ctx(error, zh=False))
        except (KeyError, IndexError, ValueError):
            pass
    sentence = english.removeprefix(_VALUE_ERROR_PREFIX)
    if lang != "zh-CN":
        return kind, sentence
    if kind == "value_error":
        return kind, _ZH_VALUE.get(sentence, f"值无效：{sentence}")
    template = _ZH.get(words)
    if template is None:
        return kind, f"值无效（{english}）。"
    try:
        return kind, template.format(**_ctx(error))
    except (KeyError, IndexError, ValueError):
        return kind, template


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


def is_malformed_json(errors: list[dict[str, Any]]) -> bool:
    return any(e.get("type") == "json_invalid" for e in errors)


def field_errors(errors: list[dict[str, Any]], lang: Lang) -> list[dict[str, str]]:
    """Each failing field: its path, the pydantic type as ``code``, the message in ``lang``."""
    items = []
    for e in errors:
        code, text = message(e, lang)
        items.append({"field": field_path(e.get("loc", ())), "code": code, "message": text})
    return items
