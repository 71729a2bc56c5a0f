"""The 422 messages of FastAPI/pydantic refusals, said wholly in the caller's language."""

from datetime import date
from typing import Literal, get_args

import pytest
from pydantic import BaseModel, Field, ValidationError
from pydantic_core.core_schema import ErrorType

from service.validation_messages import message


class _Choice(BaseModel):
    status: Literal["pending_payment", "confirmed", "expired"]


def _error() -> dict:
    with pytest.raises(ValidationError) as refused:
        _Choice(status="bogus")
    return refused.value.errors()[0]


def test_a_choice_is_listed_in_chinese_with_its_values_as_sent():
    code, text = message(_error(), "zh-CN")
    assert code == "literal_error"
    assert text == "应为以下之一：'pending_payment'、'confirmed'、'expired'。"
    assert " or " not in text and ", " not in text


def test_a_choice_in_english_lists_its_values_as_sent():
    code, text = message(_error(), "en")
    assert code == "literal_error"
    assert text == "must be one of 'pending_payment', 'confirmed' or 'expired'"


@pytest.mark.parametrize(
    ("typed", "code", "en", "zh"),
    [
        (
            "abc",
            "phone_format",
            "must be a phone number: digits, a leading + if wanted, and spaces, dashes or "
            "brackets between the digits",
            "应为电话号码：数字，可以 + 开头，数字之间可有空格、短横线或括号。",
        ),
        (
            "139123",
            "phone_digits",
            "must have 7 to 15 digits (spaces, dashes, brackets and + not counted)",
            "应有 7 至 15 位数字（空格、短横线、括号和 + 不计）。",
        ),
    ],
)
def test_a_phone_with_letters_or_too_few_digits_is_said_to_be_no_phone_number(typed, code, en, zh):
    from pydantic import TypeAdapter, ValidationError

    from service.bookings.schemas import Phone
    from service.validation_messages import message

    with pytest.raises(ValidationError) as refused:
        TypeAdapter(Phone).validate_python(typed)
    error = refused.value.errors()[0]
    assert message(error, "en") == (code, en)
    assert message(error, "zh-CN") == (code, zh)
    assert TypeAdapter(Phone).validate_python(" +86 139-1234-5678 ") == "+86 139-1234-5678"


class _Stay(BaseModel):
    check_in: date
    name: str = Field(min_length=1, max_length=3)
    guests: int = Field(ge=1, le=20)
    tags: list[str] = Field(min_length=2)


def _errors(**body) -> dict[str, dict]:
    with pytest.raises(ValidationError) as refused:
        _Stay.model_validate(body)
    return {e["loc"][0]: e for e in refused.value.errors()}


@pytest.mark.parametrize(
    ("body", "field", "en", "zh"),
    [
        (
            {"check_in": "2027-02-30"},
            "check_in",
            "must be a day of the calendar, as YYYY-MM-DD (that month has no such day)",
            "应为日历上有的日期（YYYY-MM-DD），该月没有这一天。",
        ),
        (
            {"check_in": "2027-13-01"},
            "check_in",
            "must be a day of the calendar, as YYYY-MM-DD (no such month: months are 01 to 12)",
            "应为日历上有的日期（YYYY-MM-DD），没有这个月份（月份为 01 至 12）。",
        ),
        (
            {"check_in": "soon"},
            "check_in",
            "must be a date as YYYY-MM-DD",
            "应为日期（YYYY-MM-DD）。",
        ),
        ({}, "check_in", "required", "必填。"),
        ({"name": ""}, "name", "must be at least 1 character", "至少 1 个字符。"),
        ({"name": "abcd"}, "name", "must be at most 3 characters", "最多 3 个字符。"),
        ({"guests": 0}, "guests", "must be 1 or more", "应大于或等于 1。"),
        ({"guests": 21}, "guests", "must be 20 or less", "应小于或等于 20。"),
        ({"guests": "two"}, "guests", "must be a whole number", "应为整数。"),
        ({"tags": ["a"]}, "tags", "must have at least 2 items", "至少 2 项。"),
    ],
)
def test_common_refusals_are_plain_words_in_each_language(body, field, en, zh):
    error = _errors(**body)[field]
    assert message(error, "en")[1] == en
    assert message(error, "zh-CN")[1] == zh


def test_every_type_said_in_chinese_is_said_in_plain_english_too():
    from service.validation_messages import _EN, _ZH

    pydantics = set(get_args(ErrorType))  # not our own errors, which bring their sentence
    assert set(_ZH) & pydantics <= set(_EN)
    for words in _EN.values():
        assert "Input should" not in words and "Field required" not in words


# --- our validators' refusals (service.text), said wholly in Chinese --------------------


def _refusal_of(annotation, value) -> dict:
    from pydantic import TypeAdapter

    with pytest.raises(ValidationError) as refused:
        TypeAdapter(annotation).validate_python(value)
    return refused.value.errors()[0]


@pytest.mark.parametrize(
    ("kind", "value", "zh"),
    [
        ("instant", "2101-01-01T00:00:00Z", "应为 2000-01-01T00:00:00Z 至 2100-12-31T23:59:59Z"),
        ("instant", "1999-12-31T23:59:59Z", "之间的时刻。"),
        ("instant", "9999-12-31T23:59:59-12:00", "超出范围。"),
        ("instant", "2027-01-01T24:00:00Z", "没有这个时刻"),
        ("instant", "2027-01-01", "应为带时区的 RFC 3339 时间"),
        ("date", "2101-01-01", "应为 2000-01-01 至 2100-12-31 之间的日期。"),
        ("text", "a\x00b", "不得包含控制字符：其中有 U+0000（空字符 NUL）。"),
        ("text", "a\u200bb", "不得包含看不见的字符：其中有 U+200B（零宽空格）。"),
        ("text", "a\ud800b", "须为有效的 Unicode 文本"),
        ("free text", "a\x07b", "除换行和制表符外不得包含控制字符：其中有 U+0007（响铃符 BEL）。"),
    ],
)
def test_every_refusal_of_our_validators_is_said_in_chinese(kind, value, zh):
    """Each sentence ``service.text`` raises has its Chinese (``_ZH_VALUE``): never
    「值无效：must be …」, as ``updated_since=2101-01-01T00:00:00Z`` was said."""
    from service.text import FreeText, IsoDate, Text, UtcInstant
    from tests.support.english import english_sentences

    annotation = {"instant": UtcInstant, "date": IsoDate, "text": Text, "free text": FreeText}
    error = _refusal_of(annotation[kind], value)
    _, said = message(error, "zh-CN")
    assert zh in said and not english_sentences(said), said
    _, english = message(error, "en")
    assert english and english_sentences(english), english


def test_an_english_sentence_is_found_in_a_chinese_text_but_codes_and_quotes_are_not():
    """The suite's watch of zh-CN problem bodies (tests/conftest.py) finds a stray
    English sentence by ``tests.support.english``; field names, headers, addresses and
    what the caller sent in quotes are no sentence."""
    from tests.support.english import english_sentences

    assert english_sentences("updated_since：值无效：must be an instant between 2000") == [
        "must be an instant between"
    ]
    assert english_sentences("body：值无效：name_zh cannot be null") == ["cannot be null"]
    for fine in (
        "check_out：应晚于 check_in。",
        "此接口需要运营方令牌：Authorization: Bearer jlop_…。",
        "须是该线路的一站（见 GET /v1/transit-lines）。",
        "应为 RFC 3339 时间（带时区）；应为 true 或 false。",
        "“hot spring spa”不是可用的主题。",
        "此接口接受：bookable_only、cursor、from、limit、theme。",
    ):
        assert english_sentences(fine) == [], fine


def test_updated_since_out_of_the_calendar_is_said_in_chinese(db, client):
    """The newcomer's request (finding 7): an instant past 2100 in the feed's filter."""
    from tests.service.booking_support import add_partner

    partner = add_partner(db, "ota-instants")
    for lang, said in (
        ("zh-CN", "updated_since：应为 2000-01-01T00:00:00Z 至 2100-12-31T23:59:59Z 之间的时刻。"),
        ("en", "updated_since: must be an instant between 2000-01-01T00:00:00Z and "),
    ):
        r = client.get(
            "/v1/bookings",
            params={"updated_since": "2101-01-01T00:00:00Z"},
            headers={**partner.headers, "Accept-Language": lang},
        )
        assert r.status_code == 422 and r.json()["field"] == "updated_since", r.text
        assert r.json()["detail"].startswith(said), r.text


# --- patterns said in words -------------------------------------------------------------


def _patterns(node) -> set[str]:
    if isinstance(node, dict):
        found = {node["pattern"]} if isinstance(node.get("pattern"), str) else set()
        return found.union(*(_patterns(v) for v in node.values()))
    if isinstance(node, list):
        return set().union(*(_patterns(v) for v in node))
    return set()


def test_every_pattern_of_the_api_is_said_in_words():
    """A text refused by its pattern is told what is allowed in words, never the regular
    expression (「格式不符（应匹配 ^[\\w.@-]+$）」): every pattern the OpenAPI document
    declares has its words (``service.text.described``)."""
    from service.app import create_app
    from service.settings import Settings
    from service.text import PATTERN_WORDS

    document = create_app(Settings()).openapi()
    patterns = _patterns(document)
    assert patterns, "the document declares no pattern"
    assert patterns <= set(PATTERN_WORDS), patterns - set(PATTERN_WORDS)


def test_a_login_is_read_without_spaces_around_and_refused_in_words(db, client):
    """As the console's login form reads it: " DEMO-YANJI " is a login (here a wrong
    one), "DEMO YANJI" is none, said in words in both languages."""
    body = {"login": " no-such-login ", "password": "not the password"}
    r = client.post("/v1/admin/tokens", json=body)
    assert r.status_code == 401 and r.json()["code"] == "invalid_credentials", r.text
    for lang, said in (
        (
            "zh-CN",
            "login：只能使用英文字母（a-z、A-Z）、数字和 . _ @ - 这几个符号，中间不能有空格。",
        ),
        ("en", "login: may use only ASCII letters (a-z, A-Z), digits and . _ @ - (no spaces)"),
    ):
        r = client.post(
            "/v1/admin/tokens",
            json={**body, "login": "DEMO YANJI"},
            headers={"Accept-Language": lang},
        )
        assert r.status_code == 422, r.text
        assert r.json()["detail"] == said and r.json()["field"] == "login"
