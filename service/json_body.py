"""A JSON body with a key given twice in one object is 422 ``duplicate_key``, on every
operation, from this one place.

Python's JSON parser (and so FastAPI's) keeps the last of duplicate keys and drops the
others unsaid: ``{"set": {"units": 12, "units": 0}}`` previewed 0 units, though a
reader of the body sees 12 first. ``reject_duplicate_keys`` is an app-wide dependency
(it runs before the body is validated): for a JSON body it parses the bytes FastAPI
already read once more, keeping every key, and refuses the first key repeated within
one object, naming its path (``set.units``, ``items[0].check_in``). Bodies that are not
JSON, or not valid JSON, are left to the endpoint's own refusal (``malformed_json``).
Idempotency-Key fingerprints are unchanged: a body that reaches them has no duplicate.
"""

import json
from typing import Any

from fastapi import Request

from service.errors import Unprocessable


class DuplicateKey(Unprocessable):
    code = "duplicate_key"


class _Pairs(list):
    """An object's members as parsed, in order, duplicates kept."""


def _is_json(content_type: str | None) -> bool:
    kind = (content_type or "").split(";", 1)[0].strip().lower()
    return kind == "application/json" or (
        kind.startswith("application/") and kind.endswith("+json")
    )


def _first_duplicate(value: Any, path: str) -> str | None:
    if isinstance(value, _Pairs):
        seen: set[str] = set()
        for key, member in value:
            where = f"{path}.{key}" if path else key
            if key in seen:
                return where
            seen.add(key)
            found = _first_duplicate(member, where)
            if found is not None:
                return found
    elif isinstance(value, list):
        for i, member in enumerate(value):
            found = _first_duplicate(member, f"{path}[{i}]")
            if found is not None:
                return found
    return None


def duplicate_key_path(body: bytes) -> str | None:
    """The path of the first key given twice in one object of ``body`` (JSON), or None
    (none, or not JSON at all)."""
    try:
        parsed = json.loads(body, object_pairs_hook=_Pairs)
    except (ValueError, RecursionError):
        return None
    return _first_duplicate(parsed, "")


async def reject_duplicate_keys(request: Request) -> None:
    """422 ``duplicate_key`` (field: the key's path) for a JSON body with a key given
    twice in one object. ``async``: the body is already read; no thread hop."""
    if request.method in ("GET", "HEAD", "OPTIONS") or not _is_json(
        request.headers.get("content-type")
    ):
        return
    body = await request.body()
    if not body:
        return
    path = duplicate_key_path(body)
    if path is not None:
        raise DuplicateKey(
            f"The key {path!r} is given more than once in one object of the body; "
            "send each key once.",
            zh=f"请求体中同一对象内的键 {path!r} 出现了不止一次；每个键只能给一次。",
            field=path,
        )
