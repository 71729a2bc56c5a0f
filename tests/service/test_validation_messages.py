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
