"""cancellation reasons stored without personal data

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-07 03:00:00

A cancellation's ``reason`` (``booking.cancellation``, free text the canceller typed and
the traveller, the partner, the operator and the province read) is stored from now on
without personal data (``service.personal_data.strip_personal_data``, the survey
comments' rule, applied by ``bookings.cancellation.stated_reason``). This rewrites the
reasons recorded before by the same rule, so that none is left in clear: only the
bookings whose reason changes are written (each gets a new ``change_seq`` from its
trigger, so the partner feed lists it again, with the reason it now reads). The
bookings are read and written 500 at a time, in order of id, so the migration's memory
does not grow with the number of cancelled bookings.

The rule is copied below as it stood on 2026-12-07 (``service.logs`` and
``service.personal_data`` at that day's main), not imported: a migration must not
follow later code changes (as 0005 says), or running it on a database still at 0026
would rewrite the reasons by a rule that did not exist when the migration was written,
and break if the app's module moved. tests/test_architecture.py checks that no
migration imports ``service``.

Downgrade changes nothing: what was removed is gone.
"""

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0027"
down_revision: str | None = "0026"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
booking = sa.table(
    "booking",
    sa.column("id", sa.Integer),
    sa.column("lead_name", sa.String),
    sa.column("guests", _JSON),
    sa.column("cancellation", _JSON),
)


# --- the rule, frozen as of 2026-12-07 (do not update it to follow service/) ----------
# From service/logs.py: phone and PRC ID numbers, matched on NFKC-folded text.
_DASHES = "\u2010-\u2015\u2212"
_SEP = rf"(?:[- +{_DASHES}]|%20)?"
_GROUP_MARK = rf"(?:[._:/ +{_DASHES}-]|%20)"  # one of them, or a space, dash or plus
_NOT_AFTER_DIGIT = r"(?:(?<![0-9])|(?<=%20)|(?<=%2B)|(?<=%2b))"
# A phone number: a mainland mobile (11 digits from 13–19, with or without +86), or an
# international one (+ or %2B, a country code and 7–15 digits in all, as E.164 allows).
PHONE = re.compile(
    rf"{_NOT_AFTER_DIGIT}(?P<cc>(?:\+|%2[Bb])?86{_SEP})?(?P<mobile>1{_SEP}[3-9](?:{_SEP}[0-9]){{9}}"
    rf"|1[3-9][0-9]{_GROUP_MARK}[0-9]{{4}}{_GROUP_MARK}[0-9]{{4}})"
    rf"(?![0-9])"
    rf"|(?<![0-9A-Za-z%])(?P<plus>\+|%2[Bb])(?P<intl>[1-9](?:{_SEP}[0-9]){{6,14}})(?![0-9])"
)
# A PRC resident ID number (18 characters, the last a check digit or X): 18 such
# characters standing alone, or, glued to letters or other text (ID220102199003071234,
# 身份证２２０１０２…, "…1234abc", URL-encoded after a character: %E8%AF%81220102…), ones
# that read as an ID: a region code (not starting 0), a birth date (18xx–20xx, a month,
# a day) and three digits and the check character. Never within a longer run of digits;
# a booking reference, a quote's hex id, a date or a price is not one.
_ID_BIRTH = r"(?:18|19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])"
ID_NUMBER = re.compile(
    r"(?<![0-9A-Za-z])[0-9]{17}[0-9Xx](?![0-9A-Za-z])"
    rf"|(?:(?<![0-9])|(?<=%[0-9A-Fa-f][0-9A-Fa-f]))[1-9][0-9]{{5}}{_ID_BIRTH}[0-9]{{3}}[0-9Xx]"
    r"(?![0-9])"
)


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


# From service/personal_data.py: passports and permits, landlines, e-mail addresses,
# a name after "我叫"/"姓名"/"my name is", and the booking's names.
MASK = "***"
# A passport or permit number: a Chinese passport (E or G and 8 digits, E and a letter and
# 7 digits; D, S, P for official ones), a Home Return Permit of Hong Kong or Macau (H or M
# and 8 or 10 digits), an Exit-Entry Permit for Hong Kong and Macau (C or W and 8 digits,
# C and a letter and 7 digits).
PASSPORT = re.compile(
    r"(?<![0-9A-Za-z])(?i:[EGDSPCWHM][0-9]{8}|[HM][0-9]{10}|[EC][A-HJ-NP-Z][0-9]{7})"
    r"(?![0-9A-Za-z])"
)
_LANDLINE = re.compile(r"(?<![0-9])0[0-9]{2,3}[ -]?[0-9]{7,8}(?![0-9])")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
# "我叫王秀兰", "姓名：李建国", "my name is Wang Xiulan": the words after the phrase.
_CALLED = re.compile(
    r"(我叫|我是|姓名[:：]?\s*|名字[:：]?\s*)([\u4e00-\u9fff]{2,4})"
    r"|((?i:my name is|i am|i'm)\s+)([A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)"
)


def strip_personal_data(
    text: str, names: Iterable[str] = (), *, max_length: int | None = None
) -> str:
    """``text`` without phone numbers, ID, passport and permit numbers, e-mail addresses
    and ``names``, then cut to ``max_length`` characters (cut after, so that a number at
    the limit is not left half in clear). Numbers are read as NFKC reads each
    character (full-width digits, what a Chinese IME types, are digits:
    ``fold`` above); the rest keeps the characters it was typed in."""
    out = text.strip()
    for pattern in (ID_NUMBER, PASSPORT, PHONE, _LANDLINE, _EMAIL):
        out = sub_folded(pattern, out, lambda _: MASK)
    out = _CALLED.sub(lambda m: (m.group(1) or m.group(3)) + MASK, out)
    for name in sorted({n.strip() for n in names if n and len(n.strip()) >= 2}, key=len,
                       reverse=True):  # fmt: skip
        out = out.replace(name, MASK)
    return out[:max_length].rstrip()


BATCH = 500  # bookings read (and at most written) at a time


def upgrade() -> None:
    # The application's rule of the day (``stated_reason``: the reason less the
    # personal data and the names the booking carries, at most 200 characters).
    conn = op.get_bind()
    after = 0
    while True:
        rows = conn.execute(
            sa.select(booking.c.id, booking.c.lead_name, booking.c.guests, booking.c.cancellation)
            .where(booking.c.cancellation.is_not(None), booking.c.id > after)
            .order_by(booking.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        after = rows[-1].id
        for id_, lead_name, guests, cancellation in rows:
            reason = (cancellation or {}).get("reason")
            if not reason:
                continue
            names = [lead_name, *(g.get("name", "") for g in guests or [])]
            stated = strip_personal_data(reason, names, max_length=200) or None
            if stated != reason:
                conn.execute(
                    sa.update(booking)
                    .where(booking.c.id == id_)
                    .values(cancellation={**cancellation, "reason": stated})
                )


def downgrade() -> None:
    pass
