"""Free text that people type and others read, stored without personal data.

A survey comment (read by the province and the destination's operators) and a
cancellation's reason (typed by the traveller, the partner or the operator; read by all
three and by the province) go through ``strip_personal_data`` before anything is
written, so neither the database nor any answer holds them in clear: phone numbers
(the logs' rule, ``service.logs.PHONE``: mainland and international, full-width digits,
any separator people or machines put between the groups), landlines, PRC ID numbers
(``service.logs.ID_NUMBER``, 18 digits or a first generation's 15), passport and permit
numbers, e-mail addresses, the names the booking carries (in any case, with or without
spaces between their characters) and a name after "我叫", "姓名" or "my name is" become
``***``.
docs/personal-data.md lists which texts are scrubbed and which are not, and why.
"""

import re
from collections.abc import Iterable

from service.logs import ID_NUMBER, PHONE, fold, sub_folded

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
    ``service.logs.fold``); the rest keeps the characters it was typed in."""
    out = text.strip()
    for pattern in (ID_NUMBER, PASSPORT, PHONE, _LANDLINE, _EMAIL):
        out = sub_folded(pattern, out, lambda _: MASK)
    out = _CALLED.sub(lambda m: (m.group(1) or m.group(3)) + MASK, out)
    if pattern := _names_pattern(names):
        out = sub_folded(pattern, out, lambda _: MASK)
    return out[:max_length].rstrip()


# A Latin letter: a name in Latin letters is matched only as whole words (Li is not
# scrubbed from "Lijiang", Mary not from "Maryland"); a Chinese one wherever it stands.
_LATIN = "A-Za-z\u00c0-\u024f"


def _name_pattern(name: str) -> str:
    """``name`` (spaces taken out) as typed in any case, with or without spaces between
    its characters: Mary Smith is "mary smith", "MARY SMITH", "MarySmith"; 周八 is "周 八"."""
    chars = [re.escape(c) for c in name]
    before = f"(?<![{_LATIN}])" if re.match(f"[{_LATIN}]", name) else ""
    after = f"(?![{_LATIN}])" if re.match(f"[{_LATIN}]", name[-1]) else ""
    return before + r"\s*".join(chars) + after


def name_letters(name: str) -> str:
    """A name as the booking's names are read in text: full-width letters as letters
    (``fold``), without spaces (周 八 is 周八); matched in any case."""
    return "".join(fold(name).split())


def same_name(a: str, b: str) -> bool:
    """Whether two typed names are one name as ``strip_personal_data`` finds them: the
    same letters (``name_letters``) in any case (Mary Smith, MARY SMITH, MarySmith;
    王秀兰, 王 秀 兰)."""
    return name_letters(a).casefold() == name_letters(b).casefold()


def _names_pattern(names: Iterable[str]) -> re.Pattern | None:
    """One pattern for the booking's names, matched on ``fold(text)`` (full-width letters
    are letters), the longest first; a name of one character is left out (王 alone would
    take every 王 of the text)."""
    letters = {name_letters(n) for n in names if n}
    kept = sorted((n for n in letters if len(n) >= 2), key=len, reverse=True)
    if not kept:
        return None
    return re.compile("|".join(_name_pattern(n) for n in kept), re.IGNORECASE)
