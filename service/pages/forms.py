"""What is typed into the pages' forms: dates, numbers and money read as anyone types
them (a Chinese input method's full-width digits, thousands separators, 2027年7月1日,
1.5万元), the one reading of every page form's dates, numbers and money, and shown back
as read.
"""

import re
from datetime import date

from service.i18n import Lang
from service.pages import messages
from service.text import typed, within_calendar

# A date as people write one: year, month and day, joined by one of "-", "/" or "."
# (2027-07-01, 2027/7/1, 2027.07.01), as 2027年7月1日 (or 1号, as the day is often
# said), or as eight digits (20270701); month and day with or without their leading zero.
_DAY = re.compile(
    r"(?P<y>[0-9]{4})(?P<sep>[-/.])(?P<m>[0-9]{1,2})(?P=sep)(?P<d>[0-9]{1,2})"
    r"|(?P<cy>[0-9]{4})年(?P<cm>[0-9]{1,2})月(?P<cd>[0-9]{1,2})[日号]?"
    r"|(?P<ny>[0-9]{4})(?P<nm>[0-9]{2})(?P<nd>[0-9]{2})"
)


class NotADay(ValueError):
    """What ``typed_day`` could not read, and why (``why``): ``format`` (not written as
    a date), ``month`` (no such month), ``day`` (that month has no such day) or
    ``calendar`` (outside the service's years)."""

    def __init__(self, why: str) -> None:
        super().__init__(why)
        self.why = why


def typed_day(raw: str) -> date:
    """A form's date as typed by anyone (``typed``: a Chinese input method's
    ``２０２７－０７－０１``), the one reading of every page form's date (the quote form's
    check-in, the planner's start and end, the price calendar's ``from``): ``_DAY``'s
    forms, a date of the service's calendar (``within_calendar``). ``NotADay`` (a
    ``ValueError``) for anything else, saying why; ``day_error`` says it in words."""
    found = _DAY.fullmatch(typed(raw).replace(" ", ""))
    if found is None:
        raise NotADay("format")
    for names in (("y", "m", "d"), ("cy", "cm", "cd"), ("ny", "nm", "nd")):
        if found[names[0]]:
            y, m, d = (int(n) for n in found.group(*names))
            break
    if not 1 <= m <= 12:
        raise NotADay("month")
    if not 1 <= y <= 9999:  # date() refuses the year first: outside the calendar
        raise NotADay("calendar")
    try:
        day = date(y, m, d)
    except ValueError:
        raise NotADay("day") from None
    try:
        return within_calendar(day)
    except ValueError:
        raise NotADay("calendar") from None


# Why ``typed_day`` refused a date (``NotADay.why``) -> the text key that says it: no
# such month or day in the API's words (``validation_messages.NO_SUCH_DATE``), the
# service's years, or the format with an example. The console's forms say a date by the
# same keys (``service.console.forms.day``).
DAY_ERRORS = {
    "format": "error_date",
    "month": "error_date_month",
    "day": "error_date_day",
    "calendar": "error_date_calendar",
}


def day_error(exc: ValueError, lang: Lang) -> str:
    """Why ``typed_day`` refused a date, beside its field (``DAY_ERRORS``)."""
    why = exc.why if isinstance(exc, NotADay) else "format"
    return messages.text_for(lang)(DAY_ERRORS[why])


# Digits in groups of three after the first one to three: commas that separate
# thousands (1,000 and 12,345; full-width ones are commas after NFKC).
_GROUPED = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+")


def number(raw: str) -> int | str:
    """A form's number as typed by anyone (``typed``), spaces and thousands separators
    dropped (a comma only between groups of three digits: ``1,5`` and ``1,2,3`` are not
    numbers), a sign kept (so -5 is "too small", not "not a number"). What is still not
    a whole number is given to the request model as text, which says what is wrong with
    it (so is a number of over 4,000 digits, which Python refuses to read)."""
    text = typed(raw).replace(" ", "")
    sign, unsigned = (text[:1], text[1:]) if text[:1] in "+-" else ("", text)
    if _GROUPED.fullmatch(unsigned):
        text = sign + unsigned.replace(",", "")
        unsigned = text[len(sign) :]
    readable = unsigned.isascii() and unsigned.isdigit() and len(unsigned) <= 4000
    return int(text) if readable else text


def shown_number(raw: str) -> str:
    """A number typed into a form as the form shows it back (a refused form, a search
    kept in the address): as ``number`` reads it (``１４`` -> ``14``, ``１，０００`` ->
    ``1000``, ``－５`` -> ``-5``), else the text as typed (``typed``). A number box shows
    only what it can read, so a full-width ``２`` echoed as typed came back empty (and a
    choice of ``１４`` nights chose none)."""
    read = number(raw)
    return str(read) if isinstance(read, int) else typed(raw)


def shown_day(raw: str) -> str:
    """A date typed into a form as the form shows it back: ``YYYY-MM-DD`` when
    ``typed_day`` reads it (what a date box shows: ``２０２７－０７－０１``, ``2027/7/1``),
    else the text as typed (``typed``)."""
    try:
        return typed_day(raw).isoformat()
    except ValueError:
        return typed(raw)


# --- money ------------------------------------------------------------------------------

# An amount as people write it: digits, or thousands grouped by commas three at a time
# (1,234,567), then decimals. Full-width digits, commas and ¥ (and ￥) are read after NFKC
# (１，２３４．５０ is 1,234.50).
_WHOLE = r"([0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)"
_AMOUNT = re.compile(_WHOLE + r"(?:\.([0-9]{1,6}))?")
WHOLE_NUMBER = re.compile(_WHOLE)
# 万 and 千 after the number, as money is said and written in Chinese (1.5万 is 15,000).
_MONEY_UNITS = {"万": 10_000, "千": 1_000}

# The most whole digits a number is read with exactly. Every money field has a limit of
# fewer digits (its request model's ``le``: the console's at most 100,000,000 fen, the
# planner's budget 10**10 fen), so a longer number, however long, is read as the first
# number past them (``PAST_EVERY_LIMIT``) and refused by the field's own rule, "too
# large", never as no number at all.
_MOST_DIGITS = 12
PAST_EVERY_LIMIT = 10**_MOST_DIGITS


def whole_digits(digits: str) -> int:
    """A well-formed number's whole part, or ``PAST_EVERY_LIMIT`` for one longer than
    any field takes (never ``int()`` of thousands of digits)."""
    if len(digits.lstrip("0")) > _MOST_DIGITS:
        return PAST_EVERY_LIMIT
    return int(digits)


class NotAnAmount(ValueError):
    """What ``scaled`` (and ``fen``) could not read, and why (``why``): ``grouping`` (a
    comma that does not separate thousands: ``380,00``) or ``format`` (anything else)."""

    def __init__(self, why: str) -> None:
        super().__init__(why)
        self.why = why


def _typed_amount(raw: str) -> str:
    """An amount as typed (``typed``: NFKC, spaces around it dropped; a space inside the
    number, ``3 80``, is no amount, never read as 380); ``NotAnAmount`` for a digit that
    is not a decimal one (``²``), before NFKC makes a plain digit of it."""
    if any(c.isdigit() and not c.isdecimal() for c in raw):
        raise NotAnAmount("format")
    return typed(raw)


def scaled(text: str, scale: int) -> int:
    """The one reading of a number with decimals typed into a form (money, a percentage):
    the number times ``scale`` in integers (``scaled("12.5", 100)`` is 1250), no float.
    A comma is a thousands separator only where it groups three digits (``380,00`` is
    refused, never read as 38000.00 nor as 380.00), so a typo is said beside the field
    rather than saved a hundred times too large; what is finer than ``scale`` counts
    (``420.505`` yuan: a part of a fen) is refused too. A minus sign is read as a
    negative number, and a number of any length as a number (``whole_digits``), for the
    field's own rule to say what it needs. A digit that is not a decimal one (``²``,
    ``①``) is refused, not read as the digit NFKC makes of it."""
    text = _typed_amount(text)
    sign = 1
    if text.startswith("-") and _AMOUNT.fullmatch(text[1:].strip()):
        sign, text = -1, text[1:].strip()
    match = _AMOUNT.fullmatch(text)
    if not match:
        raise NotAnAmount("grouping" if "," in text else "format")
    decimals = match.group(2) or ""
    part, rest = divmod(int(decimals or "0") * scale, 10 ** len(decimals))
    if rest:
        raise NotAnAmount("format")
    return sign * (whole_digits(match.group(1).replace(",", "")) * scale + part)


def fen(raw: str) -> int:
    """Money typed in yuan, as people write it, in fen: ``420``, ``420.50``, ``1,234.50``,
    ``¥5000`` or ``￥5000``, ``5000元`` (or ``块``), ``5，000``, ``1万`` (10,000 yuan), ``1.5万``,
    ``5千``; a sign before it or after ¥. Every money field of the pages reads through it
    (the planner's budget, the console's rates, fees and prices). ``NotAnAmount`` for
    anything else (``money_error`` says it, with examples)."""
    text = _typed_amount(raw)
    sign = ""
    if text.startswith("-"):
        sign, text = "-", text[1:].strip()
    text = text.removeprefix("¥").strip()
    text = text.removesuffix("元").removesuffix("块").strip()
    unit = _MONEY_UNITS.get(text[-1:], 1)
    if unit != 1:
        text = text[:-1].strip()
    return scaled(sign + text, 100 * unit)


def shown_yuan(fen: int) -> str:
    """Fen as a yuan box shows it back: ``1500000`` -> ``15000``, ``42050`` -> ``420.50``."""
    whole, cents = divmod(abs(fen), 100)
    sign = "-" if fen < 0 else ""
    return f"{sign}{whole}.{cents:02d}" if cents else f"{sign}{whole}"


def money_error(lang: Lang) -> str:
    """What the pages say of money ``fen`` could not read: the ways it can be written."""
    return messages.text_for(lang)("error_yuan")
