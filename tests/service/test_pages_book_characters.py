"""The book form says what a name cannot hold: a control character (NUL) or an invisible
formatting one (a text-direction override, a zero-width space) in words, beside the
field, never "the format is not right"; too long, its limit (the API's 60 characters).
TestClient on both databases, both languages."""

import pytest

from tests.service.test_pages_trip import _book, field_error, pages_db  # noqa: F401
from tests.service.test_pages_trip_states import _quote, pages  # noqa: F401

SAID = {
    "zh-CN": "错误：不能含有控制字符或看不见的格式字符（如 NUL、文字方向控制符、零宽空格），"
    "请重新输入。",
    "en": "Error: This cannot hold control characters or invisible formatting characters (such "
    "as NUL, a text-direction mark or a zero-width space); please type it again.",
}
LONG = {
    "zh-CN": "错误：内容太长：最多 60 个字符。",
    "en": "Error: This is too long (at most 60 characters).",
}


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
@pytest.mark.parametrize(
    "name, said",
    [("王\x00秀兰", SAID), ("王\u202e秀兰", SAID), ("王\u200b秀兰", SAID), ("王" * 61, LONG)],
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
