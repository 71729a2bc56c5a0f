"""Text that request bodies, paths and queries may carry.

PostgreSQL text cannot hold NUL (a 500 if it reaches the database), and control or
formatting characters in names, codes and ids only serve to forge log lines or hide
text. ``Text``: printable characters only (one line); ``required_text``: the same,
stripped of the white space around it and not empty (a name of only spaces is refused);
``FreeText``: also newlines and tabs (a cancellation reason, a description). Either
refusal is a 422 naming the field,
as is a ``UtcInstant`` (an RFC 3339 instant with offset) that UTC cannot hold, an
``IsoDate`` that is not ``YYYY-MM-DD`` and a ``StrictInt`` that is not a JSON integer
(``StrictFloat``: number, ``StrictBool``: true or false, ``Id``: a row's id; every
request body of the API uses them, the admin API's too, so that ``"2"`` or ``"yes"`` is
never read as a number or true).
"""

import re
import unicodedata
from datetime import UTC, date, datetime
from typing import Annotated

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BeforeValidator,
    Field,
    Strict,
    StringConstraints,
)
from pydantic_core import PydanticCustomError

_ALLOWED_IN_FREE_TEXT = {"\n", "\r", "\t"}


# ``Text`` and ``FreeText`` check characters *before* the string schema (a non-string
# passes through to be refused by it): a ``max_length`` given with ``Field`` where they
# are used is then the string's own limit, "at most 200 characters", not a generic
# after-validation length in "items".


def typed(raw: str) -> str:
    """Text as typed by anyone: a Chinese input method's full-width digits, letters,
    signs and spaces (``１３９１２３４５６７８``, ``－５``) read as their ASCII forms (NFKC),
    spaces around dropped. The one reading of typed text, for the API's request models
    (a phone) and the pages' forms (``service.pages.web``) alike."""
    return unicodedata.normalize("NFKC", raw).strip()


# What a pattern of a request's text allows, in words (zh-CN, English), by the pattern:
# a refusal (``string_pattern_mismatch``) says these, never the regular expression
# (「应匹配 ^[\w.@-]+$」 is no sentence for a person). ``described`` gives a pattern its
# words where it is declared; a test checks every pattern of the API has them.
PATTERN_WORDS: dict[str, tuple[str, str]] = {}


def described(pattern: str, zh: str, en: str) -> str:
    """``pattern``, its words (``zh``: 「只能使用…」, ``en``: "may use only …") kept for
    its refusal (``validation_messages``)."""
    PATTERN_WORDS[pattern] = (zh, en)
    return pattern


# How both refusals of control characters begin.
CONTROL_CHARACTERS = "must not contain control characters"
LONE_SURROGATE = "must be valid Unicode text: it holds an unpaired surrogate (\\ud800-\\udfff)"
# The codes of a character text may not hold (``errors[].code``): a control character
# (category Cc: NUL, BEL, ESC, a line break in one-line text) and one that shows nothing
# or nothing of its own (a formatting mark such as a zero-width space or a text-direction
# override, a line or paragraph separator, a private-use or unassigned code point).
CONTROL_CHARACTER = "control_character"
INVISIBLE_CHARACTER = "invisible_character"
# Control characters by name, (English, Chinese): Unicode names none of them.
_CONTROL_NAMES: dict[int, tuple[str, str]] = {
    0x00: ("NUL", "空字符 NUL"),
    0x07: ("BEL", "响铃符 BEL"),
    0x08: ("BACKSPACE", "退格符"),
    0x09: ("TAB", "制表符"),
    0x0A: ("LINE FEED", "换行符"),
    0x0D: ("CARRIAGE RETURN", "回车符"),
    0x1B: ("ESCAPE", "转义符 ESC"),
    0x7F: ("DELETE", "删除符 DEL"),
}
# The invisible characters most met, in Chinese (English: their Unicode names).
_INVISIBLE_ZH: dict[int, str] = {
    0x00AD: "软连字符",
    0x200B: "零宽空格",
    0x200C: "零宽不连字",
    0x200D: "零宽连字",
    0x200E: "从左到右标记",
    0x200F: "从右到左标记",
    **dict.fromkeys(range(0x202A, 0x202F), "文字方向控制符"),
    0x2060: "字连接符",
    **dict.fromkeys(range(0x2066, 0x206A), "文字方向隔离符"),
    0xFEFF: "零宽不换行空格（BOM）",
}
# What an invisible character without a name of its own is, by its category.
_INVISIBLE_KINDS: dict[str, tuple[str, str]] = {
    "Cf": ("a formatting character", "格式字符"),
    "Zl": ("a line separator", "行分隔符"),
    "Zp": ("a paragraph separator", "段分隔符"),
    "Co": ("a private-use character", "私用区字符"),
    "Cn": ("an unassigned code point", "未分配的码位"),
}


def _shown(c: str, also: set[str] = frozenset()) -> bool:
    """A character text may hold: printable, a space of any width (U+3000, U+00A0: a
    space is no control character), or one of ``also``."""
    return c.isprintable() or c in also or unicodedata.category(c) == "Zs"


def _refusal(c: str, free: bool) -> PydanticCustomError:
    """The refusal of ``c``, a character text may not hold: ``CONTROL_CHARACTER`` or
    ``INVISIBLE_CHARACTER``, its message naming the character (U+200B ZERO WIDTH SPACE),
    in its context for the Chinese (``char_zh``) and for the pages."""
    point = f"U+{ord(c):04X}"
    category = unicodedata.category(c)
    if category == "Cc":
        en, zh = _CONTROL_NAMES.get(ord(c), ("", "控制字符"))
        allowed = (" other than newlines and tabs", "除换行和制表符外") if free else ("", "")
        return PydanticCustomError(
            CONTROL_CHARACTER,
            CONTROL_CHARACTERS + "{allowed}: it holds {char}",
            {
                "char": f"{point} {en}".rstrip(),
                "char_zh": f"{point}（{zh}）",
                "allowed": allowed[0],
                "allowed_zh": allowed[1],
            },
        )
    kind_en, kind_zh = _INVISIBLE_KINDS.get(category, _INVISIBLE_KINDS["Cf"])
    name = unicodedata.name(c, "")
    return PydanticCustomError(
        INVISIBLE_CHARACTER,
        "must not contain invisible characters: it holds {char}",
        {
            "char": _invisible_said(point, name, category, kind_en),
            "char_zh": f"{point}（{_INVISIBLE_ZH.get(ord(c), kind_zh)}）",
        },
    )


def _invisible_said(point: str, name: str, category: str, kind: str) -> str:
    """U+200B ZERO WIDTH SPACE (a formatting character); a separator's name says what it
    is (U+2028 LINE SEPARATOR); without a name, the kind alone (U+E000 (a private-use
    character))."""
    if not name:
        return f"{point} ({kind})"
    return f"{point} {name}" if category != "Cf" else f"{point} {name} ({kind})"


def _check_characters(value: str, also: set[str], free: bool = False) -> None:
    if all(_shown(c, also) for c in value):
        return
    if any(unicodedata.category(c) == "Cs" for c in value):
        raise ValueError(LONE_SURROGATE)  # no character at all: it cannot even be stored
    raise _refusal(next(c for c in value if not _shown(c, also)), free)


def printable(value: object) -> object:
    if isinstance(value, str):
        _check_characters(value, set())
    return value


def stripped(value: object) -> object:
    """``printable``, then without the white space around it."""
    value = printable(value)
    return value.strip() if isinstance(value, str) else value


def typed_text(value: object) -> object:
    """``printable``, then ``typed``: a code a person types (a ticket stub's), full-width
    or not, with spaces around."""
    value = printable(value)
    return typed(value) if isinstance(value, str) else value


def free_text(value: object) -> object:
    if isinstance(value, str):
        _check_characters(value, _ALLOWED_IN_FREE_TEXT, free=True)
    return value


NAME_BLANK = "name_blank"


def display_name_text(value: object) -> object:
    """A name shown to travellers or operators: ``printable``, stripped of the white
    space around it (full-width U+3000 too), and not blank (``name_blank``)."""
    value = stripped(value)
    if value == "":
        raise PydanticCustomError(NAME_BLANK, "must not be blank")
    return value


def utc_instant(value: datetime) -> datetime:
    """An aware datetime as UTC; 422 for one that UTC cannot hold (year 9999 at -12:00)."""
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise ValueError("is out of range") from None


_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_RFC3339 = re.compile(
    r"\d{4}-\d{2}-\d{2}[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-](\d{2}):(\d{2}))",
    re.ASCII,
)
NO_SUCH_TIME = "has no such time of day: hours are 00 to 23, minutes and seconds 00 to 59"
# ``2026-12-07T00:00:00 08:00``: a positive offset whose + a query string read as a space
# (application/x-www-form-urlencoded, what every server does with a raw +).
_PLUS_AS_SPACE = re.compile(
    r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,9})? \d{2}:\d{2}", re.ASCII
)
PLUS_READ_AS_SPACE = (
    "expected an RFC 3339 instant with offset: a space stands where the offset's + would "
    "be (a + in a query string is read as a space); write the + as %2B, or give the "
    "instant in UTC with Z, e.g. 2026-12-06T16:00:00Z"
)


def rfc3339(value: object) -> object:
    """Only an RFC 3339 instant with its offset (``2027-01-01T08:00:00+08:00``): not a
    number (which pydantic would read as a Unix time), not a date or a local time. One
    whose time or offset no clock shows (``T24:00:00``, ``23:60``) is ``NO_SUCH_TIME``
    (pydantic would say its written form is wrong); a day no calendar has is said by the
    date's words (``validation_messages``). One with a space where its offset's + would
    be (``…T00:00:00 08:00``: an unencoded + in a query) is ``PLUS_READ_AS_SPACE``, which
    says how to send it."""
    if isinstance(value, str) and (found := _RFC3339.fullmatch(value)):
        hour, minute, second, _, _, off_hour, off_minute = found.groups()
        if int(hour) > 23 or int(minute) > 59 or int(second) > 59:
            raise ValueError(NO_SUCH_TIME)
        if off_hour is not None and (int(off_hour) > 23 or int(off_minute) > 59):
            raise ValueError(NO_SUCH_TIME)
        return value
    if isinstance(value, datetime):
        return value
    if isinstance(value, str) and _PLUS_AS_SPACE.fullmatch(value):
        raise ValueError(PLUS_READ_AS_SPACE)
    raise ValueError("expected an RFC 3339 instant with offset, e.g. 2027-01-01T00:00:00Z")


# The one code of a date that is none (``2027/07/01``, ``２０２７-０７-０１``, a number, a
# datetime, 2027-02-30), in bodies and query parameters alike: pydantic's own name for
# text that is no date (``validation_messages`` says its other date types by it too).
NOT_A_DATE = "date_parsing"


def iso_date(value: object) -> object:
    """Only ``YYYY-MM-DD`` in ASCII digits (or a ``date``): not a datetime with an offset,
    not a number (which pydantic would read as a Unix time), not full-width digits.
    Anything else is ``NOT_A_DATE``, "must be a date as YYYY-MM-DD"."""
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        return value
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    raise PydanticCustomError(NOT_A_DATE, "must be a date as YYYY-MM-DD")


# The calendar the service works in: every date it is handed lies in these years, so
# that date arithmetic (a stay's nights, a year's months) never leaves what Python's
# dates can hold (year 9999 + 14 nights is an OverflowError, not a 422).
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2100, 12, 31)
OUT_OF_CALENDAR = "must be a date between 2000-01-01 and 2100-12-31"


def within_calendar(value: date) -> date:
    if not FIRST_DAY <= value <= LAST_DAY:
        raise ValueError(OUT_OF_CALENDAR)
    return value


# The instants of the same calendar (UTC): every datetime the service is handed, a
# query's ``updated_since`` as much as a body's, lies in them.
FIRST_INSTANT = datetime(2000, 1, 1, tzinfo=UTC)
LAST_INSTANT = datetime(2100, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)
OUT_OF_INSTANTS = "must be an instant between 2000-01-01T00:00:00Z and 2100-12-31T23:59:59Z"


def within_instants(value: datetime) -> datetime:
    if not FIRST_INSTANT <= value <= LAST_INSTANT:
        raise ValueError(OUT_OF_INSTANTS)
    return value


Text = Annotated[str, BeforeValidator(printable)]
FreeText = Annotated[str, BeforeValidator(free_text)]
UtcInstant = Annotated[
    AwareDatetime,
    BeforeValidator(rfc3339),
    AfterValidator(utc_instant),
    AfterValidator(within_instants),
]
IsoDate = Annotated[date, BeforeValidator(iso_date), AfterValidator(within_calendar)]
# A JSON integer and nothing else: not true/false, not "2", not 2.0.
StrictInt = Annotated[int, Strict()]
# A JSON number and nothing else (an integer is one): not true/false, not "10".
StrictFloat = Annotated[float, Strict()]
# A JSON true or false and nothing else: not "yes", not "true", not 1.
StrictBool = Annotated[bool, Strict()]
# A row's id in a body (a destination, a product, a pack...): a JSON integer that a
# 32-bit key (PostgreSQL ``integer``) holds.
Id = Annotated[StrictInt, Field(ge=1, le=2**31 - 1)]


def text_up_to(max_length: int) -> object:
    """``Text`` of at most ``max_length`` characters. For an optional value write
    ``text_up_to(40) | None``: a ``max_length`` on ``Text | None`` would limit the union
    and say "items", not characters."""
    return Annotated[str, StringConstraints(max_length=max_length), BeforeValidator(printable)]


def required_text(max_length: int, **constraints) -> object:
    """``Text`` that must say something: stripped of the white space around it *before*
    the string's own limits (at least 1, at most ``max_length`` characters; more
    ``StringConstraints`` in ``constraints``), so a name of only spaces is too short (422
    naming the field), never an empty string stored."""
    return Annotated[
        str,
        StringConstraints(min_length=1, max_length=max_length, **constraints),
        BeforeValidator(stripped),
    ]


def typed_code(max_length: int, **constraints) -> object:
    """``required_text`` read as typed (``typed_text``: NFKC, so ``ＳＴＵＢ-０００１`` is
    ``STUB-0001``), as references, tokens and phones are."""
    return Annotated[
        str,
        StringConstraints(min_length=1, max_length=max_length, **constraints),
        BeforeValidator(typed_text),
    ]


def name_up_to(max_length: int) -> object:
    """The one rule for display names (a product's, a pack's, a rule's, an account's):
    ``display_name_text``, then at most ``max_length`` characters."""
    return Annotated[
        str, StringConstraints(max_length=max_length), BeforeValidator(display_name_text)
    ]


def free_text_up_to(max_length: int) -> object:
    """``FreeText`` of at most ``max_length`` characters (see ``text_up_to``)."""
    return Annotated[str, StringConstraints(max_length=max_length), BeforeValidator(free_text)]


NOT_NULLABLE = "not_nullable"


def not_null(value: object) -> object:
    """A field a PATCH may leave out but not set to null: a null sent is refused naming
    the field (``not_nullable``), before the field's own checks."""
    if value is None:
        raise PydanticCustomError(
            NOT_NULLABLE, "must not be null: leave the field out to keep its value"
        )
    return value


def patched(kind: object) -> object:
    """``kind`` in a PATCH (the catalogue's, a webhook endpoint's): left out (None:
    unchanged) or a value, never null."""
    return Annotated[kind | None, BeforeValidator(not_null)]
