"""Opaque cursors for keyset pagination: the last row's sort key, base64url JSON."""

import base64
import json
from typing import Any

from service.errors import Unprocessable


def encode_cursor(key: list[Any]) -> str:
    raw = json.dumps(key, separators=(",", ":"), default=str).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def bad_cursor() -> Unprocessable:
    return Unprocessable(
        "The cursor is not one this API issued.",
        zh="该游标不是本接口签发的。",
        field="cursor",
        code="invalid_cursor",
    )


def decode_cursor(cursor: str | None, arity: int) -> list[Any] | None:
    if cursor is None:
        return None
    try:
        pad = "=" * (-len(cursor) % 4)
        key = json.loads(base64.urlsafe_b64decode(cursor + pad))
    except (ValueError, json.JSONDecodeError):
        raise bad_cursor() from None
    if not isinstance(key, list) or len(key) != arity:
        raise bad_cursor()
    return key
