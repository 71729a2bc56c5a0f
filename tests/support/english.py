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


# A field's name as the API spells it (``check_in``, ``max_rate_fen``, ``items[0].units``
# -> ``items``/``units`` are words, ``pack_ids`` is not): a snake_case identifier.
_FIELD_NAME = re.compile(r"(?<![\w\-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w\-])")


def field_names(text: str) -> list[str]:
    """The snake_case identifiers ``text`` says outside its quotes: what a problem's
    ``detail`` (shown to people, in either language) must not say; its ``field`` names
    the field."""
    return _FIELD_NAME.findall(_QUOTED.sub(" ", text))
