"""Opaque cursors for keyset pagination, one codec for every list.

A cursor is base64url JSON: a short tag of the list it belongs to, then the last row's
sort key. The tag (``Listing.tag``) is a hash of the list's name and of the filters its
rows were chosen by, normalised (the validated values, not the query's spelling), so a
list takes back only its own cursors: another list's (``/v1/products``' cursor at
``/v1/destinations``), or its own under other filters (a walk whose filter changed
half way), is 422 ``invalid_cursor`` naming ``cursor``, as a forged or damaged one is.
The tag is not a secret or a signature: a cursor only says where a walk is, and
anyone may start any walk; it keeps a client from silently mixing two walks (the
bookings feed puts its partner among its filters, so one partner's cursor is not
another's). A list whose cursor changed form may take its former form too
(``takes_untagged``, ``takes_former``), for cursors clients keep between sessions.

Each list declares its cursor's shape, one ``Part`` per value of its sort key
(``ROW_ID``, ``SEQUENCE``, ``DISTANCE_KM``), and ``Listing.key`` refuses anything else
before a value can reach SQL: the wrong number of values, a value of another JSON type
(``true`` is not an id, though Python's ``bool`` is an ``int``), a number out of range
or not finite, an over-long or undecodable string.
"""

import base64
import dataclasses
import hashlib
import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Annotated, Any

from fastapi import Query

from service import json_body
from service.errors import Unprocessable

MAX_LENGTH = 200  # ours are short; this also bounds the JSON's depth and size

# The query parameter: its length is checked by ``Listing.key``, so that a long one is
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

# Fields of a filter that say how to query, not which rows: left out of the tag.
_NOT_FILTERS = frozenset({"dialect"})


def _plain(value: Any) -> Any:
    """``value`` as JSON the same way whatever its spelling: a filter dataclass as its
    fields (without ``_NOT_FILTERS``; a field whose metadata says ``unordered``, a set of
    values all required such as ``certifications``, in sorted order), tuples as lists,
    dates and the rest as text."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: _unordered(_plain(getattr(value, f.name)))
            if f.metadata.get("unordered")
            else _plain(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if f.name not in _NOT_FILTERS
        }
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _unordered(values: list[Any]) -> list[Any]:
    """A set of values however it was listed: each once, sorted (as JSON text)."""
    once = {json.dumps(v, sort_keys=True): v for v in values}
    return [once[k] for k in sorted(once)]


@dataclass(frozen=True)
class Listing:
    """One list (``name``: its path, e.g. ``/v1/products``) and the filters its rows
    were chosen by: the cursors it issues, and the only ones it takes back."""

    name: str
    filters: Any = None
    # Also take the untagged cursor this list issued before cursors were tagged (the
    # sort key alone, f56a479): only for a cursor a client keeps between sessions (the
    # feed's ``poll_cursor``), and only where no other list's old cursor has its shape.
    takes_untagged: bool = False
    # Also take the cursors of these lists (the same rows in a former form: the feed
    # before its cursor was bound to the partner), for the same kept cursors.
    takes_former: tuple["Listing", ...] = ()

    @property
    def tag(self) -> str:
        raw = json.dumps([self.name, _plain(self.filters)], sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(raw.encode()).hexdigest()[:10]

    def cursor(self, key: list[Any]) -> str:
        """The cursor of a page that ends at the row whose sort key is ``key``."""
        raw = json.dumps([self.tag, *key], separators=(",", ":"), default=str).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    def key(self, cursor: str | None, shape: tuple[Part, ...]) -> list[Any] | None:
        """The sort key of ``cursor``, one value per part of ``shape`` and each fitting
        it; None for no cursor or an empty one (``?cursor=``: what a client that passes
        the last page's ``next`` of null as text, or a form's empty field, sends), the
        first page; 422 ``invalid_cursor`` for anything else, another list's cursor or
        this list's under other filters included."""
        if not cursor:
            return None
        if len(cursor) > MAX_LENGTH:
            raise bad_cursor()
        try:
            pad = "=" * (-len(cursor) % 4)
            value = json_body.loads(base64.urlsafe_b64decode(cursor + pad))
        except (ValueError, RecursionError):  # binascii.Error, JSONDecodeError, bad UTF-8
            raise bad_cursor() from None
        if not isinstance(value, list):
            raise bad_cursor()
        if self.takes_untagged and len(value) == len(shape):
            key = value
        elif len(value) == len(shape) + 1 and (
            value[0] == self.tag or any(value[0] == f.tag for f in self.takes_former)
        ):
            key = value[1:]
        else:
            raise bad_cursor()
        if not all(_fits(v, part) for v, part in zip(key, shape, strict=True)):
            raise bad_cursor()
        return key

    def after_id(self, cursor: str | None) -> int | None:
        """The row id of a one-id cursor, or None for no cursor."""
        key = self.key(cursor, (ROW_ID,))
        return None if key is None else key[0]

    def next_of(self, rows: list, limit: int, key) -> str | None:
        """The cursor after the ``limit``-th of ``rows`` (read ``limit + 1`` to know
        there are more), ``key(row)`` its sort key; None when there are no more."""
        return self.cursor(key(rows[limit - 1])) if len(rows) > limit else None


def bad_cursor() -> Unprocessable:
    return Unprocessable(
        "The cursor is not one this API issued for this list with these filters: start "
        "again without it.",
        zh="该游标不是本接口为此列表及这些筛选条件签发的：请不带游标重新开始。",
        field="cursor",
        code="invalid_cursor",
    )


def _fits(value: Any, part: Part) -> bool:
    if type(value) not in part.types:
        return False
    return math.isfinite(value) and part.low <= value <= part.high


def keyset(stmt, column, after: int | None, *, backward: bool = False, newest_first: bool = False):
    """``stmt`` cut to one window of a list ordered by ``column`` (ascending, or
    ``newest_first``): the rows after ``after`` in the list's order (None: from its
    start) or, ``backward``, the rows at or before it, nearest first (what ``walk`` finds
    a previous page by); ordered so, for the caller's ``limit``."""
    if after is not None:
        if newest_first:
            stmt = stmt.where(column >= after if backward else column < after)
        else:
            stmt = stmt.where(column <= after if backward else column > after)
    return stmt.order_by(column.desc() if newest_first != backward else column)


@dataclass
class Page:
    """One page of a list: its rows, the cursor of the next page (None on the last) and
    of the previous one (``previous``: None on the first; ``""``, no cursor, when it is
    the first), looked for only when asked (the API's lists answer ``next`` alone)."""

    items: list
    next: str | None
    find_previous: Callable[[], str | None] = lambda: None

    @cached_property
    def previous(self) -> str | None:
        return self.find_previous()


def walk(
    listing: Listing,
    cursor: str | None,
    limit: int,
    fetch: Callable[[int | None, int, bool], list],
    key: Callable[[Any], int],
) -> Page:
    """A page of at most ``limit`` rows of a list ordered by row id, after ``cursor``
    (``Listing.after_id``), with the cursors of the next page and of the previous:
    ``fetch(after, n, backward)`` reads ``n`` rows after ``after`` in the list's order
    or, ``backward``, at or before it, nearest first (``keyset``); ``key(row)`` its id.
    A cursor only goes forward, so the previous page is found from the rows before this
    one: the page after the row ``limit`` places back, or the first page when there are
    no more than ``limit``."""
    after = listing.after_id(cursor)
    rows = fetch(after, limit + 1, False)

    def previous() -> str | None:
        if after is None:
            return None
        back = fetch(after, limit + 1, True)
        if len(back) > limit:
            return listing.cursor([key(back[limit])])
        return "" if back else None

    return Page(rows[:limit], listing.next_of(rows, limit, lambda r: [key(r)]), previous)
