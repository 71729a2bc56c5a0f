"""Guests' identity document numbers as typed (``IdNumber``): letters and digits, and
a mainland resident ID number (居民身份证号码) checked as far as it can be without the
list of regions. Used by ``schemas.GuestIn`` (the API's and the pages' bookings)."""

import re
from datetime import date
from typing import Annotated

from pydantic import BeforeValidator, StringConstraints
from pydantic_core import PydanticCustomError

from service.clock import request_today
from service.text import described, typed

# A mainland resident ID number (居民身份证号码, GB 11643): 17 digits, then a check
# character computed from them by ISO 7064 MOD 11-2 (0-9 or X); the first generation's
# (15 digits, no check character) is still accepted. Either is a region code (6 digits),
# a birth date (yyyymmdd; yymmdd of 19yy in 15 digits) and a sequence number.
_RESIDENT_ID = re.compile(r"[0-9]{17}[0-9X]")
_FIRST_GENERATION_ID = re.compile(r"[0-9]{15}")
# The region code as far as it can be checked without the list of regions: 1-8 is the
# province's region (北京 11 ... 新疆 65, 台湾 71, 香港 81, 澳门 82); a Foreign Permanent
# Resident ID Card (2023, the same 18 characters and check) starts with 9 and the
# province's two digits. 000000 or a leading 0 is none. (The logs' ``ID_NUMBER`` masks
# every number these accept.)
_REGION = re.compile(r"[1-8][0-9]{5}")
_FOREIGN_REGION = re.compile(r"9[1-8][0-9]{4}")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_FIRST_BIRTH = date(1900, 1, 1)  # nobody living was born before
# Why a number of a resident ID's form is none (``id_number_check``): (zh-CN, English).
ID_NUMBER_WRONG = {
    "check": (
        "最后一位校验码与前 17 位数字不符，请逐位核对",
        "its last character does not match the 17 digits before it; check each digit",
    ),
    "birth": (
        "第 7 至 {last} 位不是可能的出生日期（日历上有的、不晚于今天的日期），请逐位核对",
        "digits 7 to {last} are not a possible birth date (a day of the calendar, not "
        "after today); check each digit",
    ),
    "region": (
        "前 6 位不是地区代码，请逐位核对",
        "its first 6 digits are not a region code; check each digit",
    ),
}


def resident_id_check(first_17: str) -> str:
    """The check character of a resident ID number's first 17 digits (ISO 7064 MOD 11-2)."""
    return _ID_CHECK[sum(int(d) * w for d, w in zip(first_17, _ID_WEIGHTS, strict=True)) % 11]


def _born(yyyymmdd: str) -> date | None:
    try:
        return date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:]))
    except ValueError:  # no such month or day
        return None


def resident_id_wrong(number: str, today: date) -> str | None:
    """What makes ``number`` (digits, upper-case) no resident ID number, a key of
    ``ID_NUMBER_WRONG``, or None: it is one, or it is not of a resident ID's form (18
    characters, the last a digit or X; 15 digits) and so a passport's or a permit's."""
    if _RESIDENT_ID.fullmatch(number):
        birth, last = number[6:14], 14
        regions = (_REGION, _FOREIGN_REGION)
    elif _FIRST_GENERATION_ID.fullmatch(number):
        birth, last = "19" + number[6:12], 12
        regions = (_REGION,)
    else:
        return None
    if not any(region.fullmatch(number[:6]) for region in regions):
        return "region"
    born = _born(birth)
    if born is None or not _FIRST_BIRTH <= born <= today:
        return "birth"
    if last == 14 and number[17] != resident_id_check(number[:17]):
        return "check"
    return None


def id_number_characters(value: object) -> object:
    """An ID card or passport number as typed (``service.text.typed``: full-width
    ``２２０１…`` is ``2201…``, spaces around dropped, letters upper-cased): letters and
    digits only (``id_number_format``); one of a mainland resident ID number's form (17
    digits and a check character, or a first generation's 15 digits) must be one
    (``id_number_check``, ``resident_id_wrong``: a region code, a birth date that has
    been by the app's clock (``clock.request_today``: the request's ``app.state.clock``,
    which tests replace; real time outside a request), in 1900 or later, and the check
    character its digits give; a digit mistyped).
    The one rule of the API and the pages, which book through ``BookingIn``."""
    if not isinstance(value, str) or not value.strip():
        return value  # not a string, or empty: the string's own checks say so
    value = typed(value).upper()
    if not value.isascii() or not value.isalnum():
        raise PydanticCustomError(
            "id_number_format",
            "must be an ID card or passport number: letters and digits only",
        )
    if wrong := resident_id_wrong(value, request_today()):
        last = 14 if len(value) == 18 else 12
        zh, en = (words.format(last=last) for words in ID_NUMBER_WRONG[wrong])
        raise PydanticCustomError(
            "id_number_check",
            "is not a valid mainland ID number: {why}",
            {"why": en, "why_zh": zh},
        )
    return value


IdNumber = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True,
        to_upper=True,
        min_length=5,
        max_length=20,
        pattern=described(
            r"^[0-9A-Za-z]+$",
            "只能使用数字和英文字母（身份证号或护照号）",
            "may use only digits and letters (an ID card or passport number)",
        ),
    ),
    BeforeValidator(id_number_characters),  # after the constraints: it runs before them
]
