"""Logging that never writes personal data in clear, one JSON object a line.

A log-record factory masks phone numbers (mainland mobiles and international numbers,
in full-width digits too), PRC ID numbers and e-mail addresses
in every message at creation, whatever logger produced it (ours, uvicorn's, SQLAlchemy's).
The server's lines are JSON (``JsonFormatter``): time, level, logger, message, the id of
the request being served (``REQUEST_ID``, set by ``service.middleware``), the fields
of an access line and a line's own ``fields`` (the worker's counts); the whole line is
masked again as it is written. The worker and the sweeper write the same lines
(``service.cli.main``).
"""

import json
import logging
import re
import unicodedata
from collections.abc import Callable
from contextvars import ContextVar
from datetime import UTC, datetime

# Personal data is matched on ``fold(text)``: what a Chinese IME types in full-width mode
# (１３９１２３４５６７８, ＋４４, Ｇ１２３４５６７８, １３９＿１２３４, １３９：１２３４) reads as
# the ASCII the API accepts.
# A space, a dash (of any width: - ‐ ‑ ‒ – — ― −) or a plus may stand between any two
# digits (139-1234-5678, "139 1234 5678", "1 3987654321", 139—1234—5678, and URL-encoded
# in an access log's query: 139+1234+5678, 139%201234%205678).
# The marks machines and people also put between groups of digits, a dot, an underscore,
# a colon or a slash (139.1234.5678, order_139_1234_5678, id:139:1234:5678,
# /v1/destinations/139/1234/5678), are read only between a mobile's usual groups (3, 4
# and 4 digits): so an IP address (139.227.123.45), a time
# (2026-12-07T01:28:22, 13:45:12.123456), a date (2026/12/07), a price (12,800.00) or a
# quote id, booking reference or request id the server makes is not read as a phone.
_DASHES = "\u2010-\u2015\u2212"
# A bracket may close before the mark and open after it, as people write a group:
# "+86 (138) 0013-8000", "(+86) 139 1234 5678", "+1 (555) 123-4567".
_SEP = rf"\)?(?:[- +{_DASHES}]|%20)?\(?"
_GROUP_MARK = rf"(?:[._:/ +{_DASHES}-]|%20)"  # one of them, or a space, dash or plus
_NOT_AFTER_DIGIT = r"(?:(?<![0-9])|(?<=%20)|(?<=%2B)|(?<=%2b))"
# A phone number: a mainland mobile (11 digits from 13–19, with or without 86, +86 or
# 0086, the international call prefix dialled from China: 0086 139 1234 5678), or an
# international one (+ or %2B, a country code and 7–15 digits in all, as E.164 allows).
PHONE = re.compile(
    rf"{_NOT_AFTER_DIGIT}(?P<cc>(?:\+|%2[Bb]|00)?86{_SEP})?(?P<mobile>1{_SEP}[3-9](?:{_SEP}[0-9]){{9}}"
    rf"|1[3-9][0-9]{_GROUP_MARK}[0-9]{{4}}{_GROUP_MARK}[0-9]{{4}})"
    rf"(?![0-9])"
    rf"|(?<![0-9A-Za-z%])(?P<plus>\+|%2[Bb])(?P<intl>[1-9](?:{_SEP}[0-9]){{6,14}})(?![0-9])"
)
# A PRC resident ID number (18 characters, the last a check digit or X): 18 such
# characters standing alone, or, glued to letters or other text (ID220102199003071234,
# 身份证２２０１０２…, "…1234abc", URL-encoded after a character: %E8%AF%81220102…), ones
# that read as an ID: a region code (not starting 0), a birth date (18xx–20xx, a month,
# a day) and three digits and the check character. A first-generation one (15 digits,
# still accepted as a guest's id_number) only where it reads as an ID, alone or glued:
# a region code (1–8), a birth date (yymmdd of 19yy) and three digits; a 15-digit
# order or transaction number rarely carries a month and a day where the date goes.
# Never within a longer run of digits; a booking reference, a quote's hex id, a date or
# a price is not one.
_MONTH_DAY = r"(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])"
_ID_BIRTH = rf"(?:18|19|20)[0-9]{{2}}{_MONTH_DAY}"
_NOT_IN_DIGITS = r"(?:(?<![0-9])|(?<=%[0-9A-Fa-f][0-9A-Fa-f]))"
ID_NUMBER = re.compile(
    r"(?<![0-9A-Za-z])[0-9]{17}[0-9Xx](?![0-9A-Za-z])"
    rf"|{_NOT_IN_DIGITS}[1-9][0-9]{{5}}{_ID_BIRTH}[0-9]{{3}}[0-9Xx](?![0-9])"
    rf"|{_NOT_IN_DIGITS}[1-8][0-9]{{5}}[0-9]{{2}}{_MONTH_DAY}[0-9]{{3}}(?![0-9])"
)
_EMAIL = re.compile(r"([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+)")


def _fold_char(char: str) -> str:
    folded = unicodedata.normalize("NFKC", char)
    return folded if len(folded) == 1 and folded.isascii() else char


def fold(text: str) -> str:
    """``text`` with each character NFKC-normalised where that gives one ASCII character
    (full-width digits, letters, ＋, －, the ideographic space), every other character
    as it is: the same length, so a match in it spans the same characters of ``text``."""
    return text if text.isascii() else "".join(_fold_char(c) for c in text)


def sub_folded(pattern: re.Pattern, text: str, repl: Callable[[re.Match], str]) -> str:
    """``pattern.sub(repl, text)`` matched on ``fold(text)``: what is not matched keeps
    its own characters (a comment's full-width punctuation stays as it was typed)."""
    folded = fold(text)
    out, last = [], 0
    for m in pattern.finditer(folded):
        out += [text[last : m.start()], repl(m)]
        last = m.end()
    return "".join(out) + text[last:] if out else text


def _digits(text: str) -> str:
    return re.sub(r"[^0-9]", "", text.replace("%20", "").replace("%2B", "").replace("%2b", ""))


def _masked_phone(m: re.Match) -> str:
    if m.group("mobile"):
        return (m.group("cc") or "") + mask_phone(_digits(m.group("mobile")))
    return m.group("plus") + mask_phone(_digits(m.group("intl")))


def mask_pii(text: str) -> str:
    text = sub_folded(ID_NUMBER, text, lambda m: mask_id_number(m.group(0)))
    text = sub_folded(PHONE, text, _masked_phone)
    return _EMAIL.sub(lambda m: m.group(1) + "***@" + m.group(2), text)


def carries_pii(text: str) -> bool:
    """Whether ``text`` holds what ``mask_pii`` masks (a phone number, an ID number, an
    e-mail address): a log line would not show it as it is."""
    return mask_pii(text) != text


NAME_MASK = "**"


def mask_name(name: str) -> str:
    """A person's name as it may be shown to whoever does not own it, everywhere (the
    partner feed, the province's and the operators' lists, the desk): the first
    character and a fixed ``**``, whatever the name's length (``王**`` for 王五 and for
    欧阳小明 alike), so the mask does not tell how long the name is."""
    name = name.strip()
    return name[:1] + NAME_MASK if name else name


def mask_phone(phone: str) -> str:
    digits = phone.strip()
    if len(digits) < 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def mask_id_number(number: str) -> str:
    """An ID number as it may be shown to whoever does not own it: the first three and
    the last character (a PRC ID: ``220***********4``)."""
    number = number.strip()
    if len(number) < 8:
        return "*" * len(number)
    return number[:3] + "*" * 11 + number[-1]


def _mask_arg(value):
    return mask_pii(value) if isinstance(value, str) else value


def _masked_args(args):
    if isinstance(args, dict):
        return {k: _mask_arg(v) for k, v in args.items()}
    return tuple(_mask_arg(a) for a in args)


def _masking_factory(base):
    def factory(*args, **kwargs) -> logging.LogRecord:
        record = base(*args, **kwargs)
        try:
            msg = record.getMessage()
        except Exception:  # a broken format string is the logger's bug, not ours to mask
            return record
        if mask_pii(msg) == msg:
            return record  # nothing to mask: msg and args stay as given (formatters use args)
        if record.args and isinstance(record.msg, str):
            # Mask the template and each string argument, keeping ``args`` (uvicorn's
            # access formatter unpacks them), when that leaves nothing in clear.
            masked_msg, masked_args = mask_pii(record.msg), _masked_args(record.args)
            try:
                out = masked_msg % masked_args
            except Exception:
                out = None
            if out is not None and mask_pii(out) == out:
                record.msg, record.args = masked_msg, masked_args
                return record
        record.msg, record.args = mask_pii(msg), None
        return record

    factory._jl_masking = True  # type: ignore[attr-defined]
    return factory


def install_pii_masking() -> None:
    """Mask PII in every log record at creation, whichever logger or handler sees it."""
    base = logging.getLogRecordFactory()
    if not getattr(base, "_jl_masking", False):
        logging.setLogRecordFactory(_masking_factory(base))


# What a pydantic ``ValidationError`` says of each wrong value: ``[type=…,
# input_value='王秀兰', input_type=str]``, the value as given (a name, a whole request's
# dict). A 422 never logs it, but one raised where no request is validated (a response
# or a webhook payload built wrongly: a 500, the worker's failed pass) would write it into
# the traceback, and a name is nothing ``mask_pii`` can recognise.
_INPUT_VALUE = re.compile(r"(input_value=)[^\n]*?(, input_type=)")
INPUT_MASK = "~"


class _HidesInputs(logging.Formatter):
    def formatException(self, ei) -> str:
        """The traceback without the values a ``ValidationError`` quotes (``_INPUT_VALUE``)."""
        return _INPUT_VALUE.sub(rf"\g<1>{INPUT_MASK}\g<2>", super().formatException(ei))


class MaskingFormatter(_HidesInputs):
    """Masks the whole formatted record, traceback included (exception texts can quote
    SQL parameters; a validation error's values are left out)."""

    def format(self, record: logging.LogRecord) -> str:
        return mask_pii(super().format(record))


# The id of the request being served, for every log line written while it runs.
REQUEST_ID: ContextVar[str | None] = ContextVar("jilin_request_id", default=None)

# Fields an access line (``service.middleware``) passes with ``extra=``.
ACCESS_FIELDS = ("method", "route", "path", "status", "duration_ms")


def fields(**values) -> dict:
    """``extra=`` for a line with fields of its own (the worker's counts): each becomes a
    key of the JSON line (never replacing ts, level, logger or message)."""
    return {"fields": values}


class JsonFormatter(_HidesInputs):
    """One JSON object per record, masked as a whole (tracebacks included; a validation
    error's values are left out)."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None) or REQUEST_ID.get()
        if request_id:
            line["request_id"] = request_id
        for name in ACCESS_FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                line[name] = value
        for name, value in (getattr(record, "fields", None) or {}).items():
            line.setdefault(name, value)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return mask_pii(json.dumps(line, ensure_ascii=False, default=str))


# Loggers whose INFO lines tell an operator nothing, kept at WARNING: Alembic (1.16+)
# logs one "setup plugin …" line per plugin whenever it is imported. Its migration lines
# ("Running upgrade …", ``alembic.runtime.migration``) still show.
QUIET_LOGGERS = ("alembic.runtime.plugins",)
# Loggers whose warnings tell an operator nothing, kept at ERROR: WeasyPrint warns about
# every screen-only CSS rule of the page it prints (``position: sticky``, a media query,
# ``overflow-x``): ~40 WARNING lines a report PDF, as ours share the pages' stylesheet.
# A PDF it cannot make is still an ERROR (and the request's own).
QUIET_BELOW_ERROR = ("weasyprint",)


def quiet_chatty_loggers() -> None:
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    for name in QUIET_BELOW_ERROR:
        logging.getLogger(name).setLevel(logging.ERROR)


# A path segment with a character outside ASCII: no address of ours has one (references,
# slugs and ids are ASCII), so it is something typed where one was expected (a name).
_NON_ASCII_SEGMENT = re.compile(r"[^/]*[^\x00-\x7f][^/]*")
PATH_SEGMENT_MASK = "~"


def path_for_log(path: str) -> str:
    """The request's path as the access log writes it: each segment holding a character
    outside ASCII masked (``/v1/admin/bookings/王秀兰`` -> ``/v1/admin/bookings/~``), as
    phones and ID numbers in it are masked by ``mask_pii``. A name typed in Latin letters
    cannot be told from a reference and stays."""
    return _NON_ASCII_SEGMENT.sub(PATH_SEGMENT_MASK, path)


def configure_logging(level: int = logging.INFO) -> None:
    """Mask personal data in every record; a process without log handlers yet (the
    server's workers) writes JSON lines to stderr."""
    install_pii_masking()
    quiet_chatty_loggers()
    root = logging.getLogger()
    if not root.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(JsonFormatter())
        root.addHandler(handler)
    if root.level == logging.WARNING:
        root.setLevel(level)
