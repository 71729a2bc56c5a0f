"""The book form says what a name cannot hold: a control character (NUL) or an invisible
one (a text-direction override, a zero-width space) in words, naming it, beside the
field, never "the format is not right"; too long, its limit (the API's 60 characters).
TestClient on both databases, both languages."""

import pytest

from tests.service.test_pages_trip import _book, field_error, pages_db  # noqa: F401
from tests.service.test_pages_trip_states import _quote, pages  # noqa: F401

NUL = {
    "zh-CN": "错误：不能含有控制字符：其中有 U+0000（空字符 NUL），请重新输入。",
    "en": "Error: This cannot hold control characters: it holds U+0000 NUL; please type it again.",
}
RLO = {
    "zh-CN": "错误：不能含有看不见的字符：其中有 U+202E（文字方向控制符），请重新输入。",
    "en": "Error: This cannot hold invisible characters: it holds U+202E RIGHT-TO-LEFT "
    "OVERRIDE (a formatting character); please type it again.",
}
ZWSP = {
    "zh-CN": "错误：不能含有看不见的字符：其中有 U+200B（零宽空格），请重新输入。",
    "en": "Error: This cannot hold invisible characters: it holds U+200B ZERO WIDTH SPACE (a "
    "formatting character); please type it again.",
}
LONG = {
    "zh-CN": "错误：内容太长：最多 60 个字符。",
    "en": "Error: This is too long (at most 60 characters).",
}


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
@pytest.mark.parametrize(
    "name, said",
    [("王\x00秀兰", NUL), ("王\u202e秀兰", RLO), ("王\u200b秀兰", ZWSP), ("王" * 61, LONG)],
)
def test_a_name_the_booking_refuses_is_said_in_words(pages, lang, name, said):  # noqa: F811
    location = _quote(pages, lang).headers["location"]
    pages.cookies.set("lang", lang)
    try:
        r, _ = _book(pages, location, lead_name=name)
        assert r.status_code == 422
        assert field_error(r.text, "lead_name") == said[lang]
    finally:
        pages.cookies.delete("lang")
