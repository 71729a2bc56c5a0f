"""The 422 messages of FastAPI/pydantic refusals, said wholly in the caller's language."""

from typing import Literal

import pytest
from pydantic import BaseModel, ValidationError

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


def test_a_choice_in_english_is_pydantics_own_sentence():
    code, text = message(_error(), "en")
    assert code == "literal_error" and text.endswith("'confirmed' or 'expired'")


def test_a_phone_with_letters_is_said_to_be_no_phone_number():
    from pydantic import TypeAdapter, ValidationError

    from service.bookings.schemas import Phone
    from service.validation_messages import message

    try:
        TypeAdapter(Phone).validate_python("abc")
    except ValidationError as refused:
        error = refused.errors()[0]
    assert message(error, "en") == (
        "phone_format",
        "must be a phone number: digits, with + , spaces or dashes",
    )
    assert message(error, "zh-CN")[1] == "应为电话号码：数字，可带 +、空格或短横线。"
    assert TypeAdapter(Phone).validate_python(" +86 139-1234-5678 ") == "+86 139-1234-5678"
