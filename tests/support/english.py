"""English sentences in a Chinese text: what a zh-CN problem must not say.

A zh-CN problem names fields, codes, headers and addresses as they are written
(``check_in``, ``Idempotency-Key``, ``GET /v1/transit-lines``, ``RFC 3339``), and repeats
what the caller sent inside quotes; none of them is a run of English words. A stray
English sentence is: three or more words of letters only, one after another with
spaces (and commas) between them, outside quotes (``must be an instant between``,
``name_zh cannot be null`` -> ``cannot be null``)."""

import re

# What a text quotes (a value sent, a code, a name): not words of its own language.
_QUOTED = re.compile(r"“[^”]*”|「[^」]*」|‘[^’]*’|`[^`]*`|\"[^\"]*\"|'[^']*'")
# Three or more letter-only words in a row; a word glued to a code character
# (``name_zh``, ``jlop_…``, ``/v1/plans``, ``X-Booking-Token``) is a code, not a word.
_CODE = r"[\w./@:+\-…]"
_WORD = rf"(?<!{_CODE})[A-Za-z]+(?!{_CODE})"
_SENTENCE = re.compile(rf"{_WORD}(?:,? {_WORD}){{2,}}")


def english_sentences(text: str) -> list[str]:
    """The runs of English words ``text`` says outside its quotes."""
    return _SENTENCE.findall(_QUOTED.sub(" ", text))


def chinese(text: str) -> bool:
    return re.search(r"[\u3400-\u9fff]", text) is not None
