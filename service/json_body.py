"""A JSON body with a key given twice in one object is 422 ``duplicate_key``, and one
holding ``NaN``, ``Infinity`` or ``-Infinity`` is 422 ``malformed_json``, on every
operation, from this one place.

Python's JSON parser (and so FastAPI's) keeps the last of duplicate keys and drops the
others unsaid: ``{"set": {"units": 12, "units": 0}}`` previewed 0 units, though a
reader of the body sees 12 first. ``check_json_body`` is an app-wide dependency
(it runs before the body is validated): for a JSON body it parses the bytes FastAPI
already read once more, keeping every key, and refuses the first key repeated within
one object, naming its path (``set.units``, ``items[0].check_in``). Bodies that are not
JSON, or not valid JSON, are left to the endpoint's own refusal (``malformed_json``).
Idempotency-Key fingerprints are unchanged: a body that reaches them has no duplicate.

Python's parser (and so FastAPI's, and Starlette's ``Request.json``) also takes the
literals ``NaN``, ``Infinity`` and ``-Infinity``, which are not JSON (RFC 8259 §6): a
``"guests": NaN`` reached validation as a float and was refused as "must be a whole
number". The same parse finds them, and the first one (in the order of the body) is 422
``malformed_json`` naming the literal and its path (the ``field``; ``body`` when the
whole body is one). ``loads`` is that strict parse for any other JSON the service reads
(a Stripe event, a cursor).
"""

import json
from typing import Any

from fastapi import Request

from service.errors import Unprocessable


class DuplicateKey(Unprocessable):
    code = "duplicate_key"


class NotJson(Unprocessable):
    code = "malformed_json"
    title, title_zh = "Malformed JSON", "JSON 格式错误"


class _Pairs(list):
    """An object's members as parsed, in order, duplicates kept."""


class _Constant(str):
    """``NaN``, ``Infinity`` or ``-Infinity`` where the body has it (not JSON)."""


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON (RFC 8259)")


def loads(text: str | bytes) -> Any:
    """``json.loads`` that refuses ``NaN``, ``Infinity`` and ``-Infinity`` (ValueError),
    as every JSON parser that follows RFC 8259 does."""
    return json.loads(text, parse_constant=_refuse_constant)


def _is_json(content_type: str | None) -> bool:
    kind = (content_type or "").split(";", 1)[0].strip().lower()
    return kind == "application/json" or (
        kind.startswith("application/") and kind.endswith("+json")
    )


def _first_fault(value: Any, path: str) -> tuple[str, str] | None:
    """The first fault in ``value``, in the order of the body, as (what, path): a key
    given twice (``"duplicate"``) or a literal that is not JSON (its name)."""
    if isinstance(value, _Constant):
        return str(value), path
    if isinstance(value, _Pairs):
        seen: set[str] = set()
        for key, member in value:
            where = f"{path}.{key}" if path else key
            if key in seen:
                return "duplicate", where
            seen.add(key)
            found = _first_fault(member, where)
            if found is not None:
                return found
    elif isinstance(value, list):
        for i, member in enumerate(value):
            found = _first_fault(member, f"{path}[{i}]")
            if found is not None:
                return found
    return None


def body_fault(body: bytes) -> tuple[str, str] | None:
    """The first key given twice in one object of ``body`` or literal in it that is not
    JSON, as ``_first_fault`` says it; None when there is none, or the body does not
    parse at all (the endpoint's own refusal)."""
    try:
        parsed = json.loads(body, object_pairs_hook=_Pairs, parse_constant=_Constant)
    except (ValueError, RecursionError):
        return None
    return _first_fault(parsed, "")


def duplicate_key_path(body: bytes) -> str | None:
    """The path of the first key given twice in one object of ``body`` (JSON), or None
    (none, or not JSON at all)."""
    fault = body_fault(body)
    return fault[1] if fault is not None and fault[0] == "duplicate" else None


async def check_json_body(request: Request) -> None:
    """422 ``duplicate_key`` (field: the key's path) for a JSON body with a key given
    twice in one object, 422 ``malformed_json`` (field: the value's path) for one
    holding ``NaN`` or ``Infinity``. ``async``: the body is already read; no thread
    hop."""
    if request.method in ("GET", "HEAD", "OPTIONS") or not _is_json(
        request.headers.get("content-type")
    ):
        return
    body = await request.body()
    if not body:
        return
    fault = body_fault(body)
    if fault is None:
        return
    what, path = fault
    if what != "duplicate":
        where = path or "body"
        raise NotJson(
            f"The request body is not valid JSON: {what} at {where} is not a JSON number "
            "(RFC 8259); send a number, or null where the field takes one.",
            zh=f"请求体不是有效的 JSON：{where} 处的 {what} 不是 JSON 数值（RFC 8259）；"
            "请发送数字，或在字段允许时发送 null。",
            field=where,
        )
    raise DuplicateKey(
        f"The key {path!r} is given more than once in one object of the body; send each key once.",
        zh=f"请求体中同一对象内的键 {path!r} 出现了不止一次；每个键只能给一次。",
        field=path,
    )
