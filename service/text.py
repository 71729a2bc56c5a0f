"""Text that request bodies, paths and queries may carry.

PostgreSQL text cannot hold NUL (a 500 if it reaches the database), and control or
formatting characters in names, codes and ids only serve to forge log lines or hide
text. ``Text``: printable characters only (one line); ``FreeText``: also newlines and
tabs (a cancellation reason, a description). Either refusal is a 422 naming the field,
as is a ``UtcInstant`` (an RFC 3339 instant with offset) that UTC cannot hold.
"""

from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime

_ALLOWED_IN_FREE_TEXT = {"\n", "\r", "\t"}


def printable(value: str) -> str:
    if not value.isprintable():
        raise ValueError("must not contain control characters")
    return value


def free_text(value: str) -> str:
    if not value.isprintable() and not all(
        c.isprintable() or c in _ALLOWED_IN_FREE_TEXT for c in value
    ):
        raise ValueError("must not contain control characters other than newlines and tabs")
    return value


def utc_instant(value: datetime) -> datetime:
    """An aware datetime as UTC; 422 for one that UTC cannot hold (year 9999 at -12:00)."""
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise ValueError("is out of range") from None


Text = Annotated[str, AfterValidator(printable)]
FreeText = Annotated[str, AfterValidator(free_text)]
UtcInstant = Annotated[AwareDatetime, AfterValidator(utc_instant)]
