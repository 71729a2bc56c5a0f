"""Opaque cursors for keyset pagination: the last row's sort key, base64url JSON.

Each endpoint declares its cursor's shape, one ``Part`` per value of its sort key
(``ROW_ID``, ``SEQUENCE``, ``DISTANCE_KM``), and ``decode_cursor`` refuses anything
else as 422 ``invalid_cursor`` before a value can reach SQL: the wrong number of values,
a value of another JSON type (``true`` is not an id, though Python's ``bool`` is an
``int``), a number out of range or not finite, an over-long or undecodable string.
"""

import base64
import json
import math
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Query

from service.errors import Unprocessable

MAX_LENGTH = 200  # ours are short; this also bounds the JSON's depth and size

# The query parameter: its length is checked by decode_cursor, so that a long one is
# `invalid_cursor` like any other cursor this API did not issue.
Cursor = Annotated[str | None, Query(description="The `next` value of the previous page")]


@dataclass(frozen=True)
class Part:
    """One value of a cursor: its JSON types (exact: a bool is not an int) and range."""

    types: tuple[type, ...]
    low: float
    high: float


ROW_ID = Part((int,), 0, 2**31 - 1)  # ids are 32-bit integers (PostgreSQL `integer`)
SEQUENCE = Part((int,), 0, 2**63 - 1)
DISTANCE_KM = Part((int, float), 0, 1e6)


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


def _fits(value: Any, part: Part) -> bool:
    if type(value) not in part.types:
        return False
    return math.isfinite(value) and part.low <= value <= part.high


def decode_cursor(cursor: str | None, shape: tuple[Part, ...]) -> list[Any] | None:
    """The values of ``cursor``, one per part of ``shape`` and each fitting it; None
    for no cursor or an empty one (``?cursor=``: what a client that passes the last
    page's ``next`` of null as text, or a form's empty field, sends), the first page;
    422 ``invalid_cursor`` for anything else."""
    if not cursor:
        return None
    if len(cursor) > MAX_LENGTH:
        raise bad_cursor()
    try:
        pad = "=" * (-len(cursor) % 4)
        key = json.loads(base64.urlsafe_b64decode(cursor + pad))
    except (ValueError, RecursionError):  # binascii.Error, JSONDecodeError, bad UTF-8
        raise bad_cursor() from None
    if not isinstance(key, list) or len(key) != len(shape):
        raise bad_cursor()
    if not all(_fits(v, part) for v, part in zip(key, shape, strict=True)):
        raise bad_cursor()
    return key


def after_id(cursor: str | None) -> int | None:
    """The row id of a one-id cursor (``[id]``), or None for no cursor."""
    key = decode_cursor(cursor, (ROW_ID,))
    return None if key is None else key[0]
