"""Personal data never reaches a log in clear (the suite-wide watch is in conftest)."""

import logging

from service.logs import MaskingFormatter, install_pii_masking, mask_phone, mask_pii
from tests.conftest import _PIIWatch


def test_pii_watch_flags_a_full_phone_number_and_accepts_a_masked_one():
    watch = _PIIWatch()
    watch.emit(
        logging.LogRecord("x", logging.WARNING, __file__, 1, "masked 139****5678", None, None)
    )
    assert watch.leaks == []
    watch.emit(logging.LogRecord("x", logging.WARNING, __file__, 1, "raw 13912345678", None, None))
    assert len(watch.leaks) == 1


def test_log_records_are_masked_at_creation():
    install_pii_masking()
    watch = _PIIWatch()
    logger = logging.getLogger("jilin.test.logs")
    logger.addHandler(watch)
    try:
        logger.warning("guest %s id %s", "13912345678", "22010419800101123X")
    finally:
        logger.removeHandler(watch)
    assert watch.records == 1 and watch.leaks == []


def test_a_traceback_that_quotes_a_phone_number_is_masked_when_formatted():
    try:
        raise ValueError("duplicate key (lead_phone)=(13912345678)")
    except ValueError:
        import sys

        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", None, sys.exc_info())
    text = MaskingFormatter("%(message)s").format(record)
    assert "13912345678" not in text and "139****5678" in text


def test_a_validation_error_in_a_traceback_keeps_its_values_out_of_the_log():
    """A ``ValidationError`` raised where no request is validated (a 500, a worker's
    failed pass) quotes each wrong value, a name included, which no mask recognises:
    the server's lines (JSON) and the command line's keep the error, not the values."""
    import json
    import sys

    from pydantic import BaseModel, Field, ValidationError

    from service.logs import JsonFormatter

    class Lead(BaseModel):
        name: str = Field(max_length=2)
        phone: int

    typed = {"name": "欧阳秀兰", "phone": "1391234567x"}
    try:
        Lead.model_validate(typed)  # the traceback quotes this line, not the values
    except ValidationError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", None, sys.exc_info())
    for text in (
        json.loads(JsonFormatter().format(record))["exception"],
        MaskingFormatter("%(message)s").format(record),
    ):
        assert "欧阳秀兰" not in text and "1391234567x" not in text
        assert text.count("input_value=~, input_type=str") == 2
        assert "string_too_long" in text and "int_parsing" in text  # what was wrong stays


def test_mask_helpers():
    assert mask_pii("call 13912345678") == "call 139****5678"
    assert "19800101" not in mask_pii("id 22010419800101123X")
    assert mask_phone("13912345678") == "139****5678"


def test_uvicorn_access_lines_keep_their_arguments_and_are_masked():
    """uvicorn's access formatter unpacks ``record.args`` (address, method, path, version,
    status): masking must keep them, with or without personal data in the path."""
    from uvicorn.logging import AccessFormatter

    install_pii_masking()
    formatter = AccessFormatter('%(client_addr)s - "%(request_line)s" %(status_code)s')
    seen: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record):
            seen.append(formatter.format(record))

    logger = logging.getLogger("uvicorn.access.jl-test")
    logger.propagate = False
    logger.setLevel(logging.INFO)
    handler = Keep()
    logger.addHandler(handler)
    try:
        for path in ("/v1/health", "/v1/bookings?phone=13912345678"):
            logger.info('%s - "%s %s HTTP/%s" %d', "127.0.0.1:5000", "GET", path, "1.1", 200)
    finally:
        logger.removeHandler(handler)
    assert seen == [
        '127.0.0.1:5000 - "GET /v1/health HTTP/1.1" 200 OK',
        '127.0.0.1:5000 - "GET /v1/bookings?phone=139****5678 HTTP/1.1" 200 OK',
    ]


def test_phone_numbers_written_in_groups_are_masked_too():
    """The API accepts phones with spaces and dashes; access logs URL-encode them."""
    for raw in ("139-1234-5678", "139 1234 5678", "139+1234+5678", "139%201234%205678"):
        assert mask_pii(f"prefecture={raw}&x=1") == "prefecture=139****5678&x=1"
    assert mask_pii("+86 139 1234 5678") == "+86 139****5678"
    assert mask_pii("check_in=2027-06-25") == "check_in=2027-06-25"


def test_a_json_line_carries_its_fields_masked():
    import json

    from service.logs import JsonFormatter, fields

    install_pii_masking()
    record = logging.getLogger("jilin.worker").makeRecord(
        "jilin.worker",
        logging.INFO,
        __file__,
        1,
        "sweep",
        None,
        None,
        extra=fields(expired=2, note="guest 13912345678", message="not the message"),
    )
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "sweep" and line["expired"] == 2
    assert line["note"] == "guest 139****5678"


def test_a_masked_name_does_not_tell_its_length():
    from service.logs import mask_name

    masks = {mask_name(n) for n in ("王五", "王小明", "王小明明", "王")}
    assert masks == {"王**"}
    assert mask_name("Wang Xiaoming") == "W**"
    assert mask_name("") == ""


def test_every_name_mask_is_the_one_function():
    """No module masks names on its own: the partner feed, the province's and operators'
    lists and the desk all import service.logs.mask_name."""
    import re

    from tests.conftest import ROOT

    own = [
        p.relative_to(ROOT)
        for p in (ROOT / "service").rglob("*.py")
        if re.search(r"def mask_name\b", p.read_text(encoding="utf-8"))
    ]
    assert own == [__import__("pathlib").Path("service/logs.py")]


def _each_masked_as(cases: dict[str, str]) -> None:
    for raw, masked in cases.items():
        assert mask_pii(raw) == masked, raw
        assert mask_pii(masked) == masked  # masking twice changes nothing


def test_phones_in_full_width_digits_international_or_spaced_anywhere_are_masked():
    """What a Chinese IME types in full-width mode reads as the ASCII the booking API
    accepts; an international number keeps its + and country code's first digits."""
    cases = {
        "/v1/destinations/１３９８７６５４３２１": "/v1/destinations/139****4321",
        "/nope/+44 7700 900123": "/nope/+447*****0123",
        "/nope/%2B44%207700%20900123": "/nope/%2B447*****0123",
        "/v1/destinations/1 3987654321": "/v1/destinations/139****4321",
        "phone=＋８６ １３９１２３４５６７８": "phone=+86 139****5678",
        "139.1234.5678": "139****5678",
    }
    _each_masked_as(cases)


def test_phones_written_with_brackets_are_masked():
    """As the booking API takes them ("+86 (138) 0013-8000"): no digit of the middle
    is left, in a log line or in free text stored (``personal_data``)."""
    from service.personal_data import MASK, strip_personal_data

    cases = {
        "+86 (138) 0013-8000": "+86 (138****8000",
        "(+86) 139 1234 5678": "(+86) 139****5678",
        "tel (138)0013 8000": "tel (138****8000",
        "+1 (555) 123-4567": "+155****4567",
    }
    _each_masked_as(cases)
    assert strip_personal_data("call +86 (138) 0013-8000 please") == f"call {MASK} please"
    assert mask_pii("2026-12-07 (13:45) (139) 227.123.45") == "2026-12-07 (13:45) (139) 227.123.45"


def test_phones_in_groups_by_any_mark_people_or_machines_put_between_them_are_masked():
    """Underscores and colons (X-Request-Id allows both: a partner's ``order:138…``), slashes
    (a path), dots, dashes of any width, full-width forms of each (newcomer finding 12)."""
    cases = {
        "138_1234_5678": "138****5678",
        "order:138:1234:5678": "order:138****5678",
        "/v1/destinations/138_1234_5678": "/v1/destinations/138****5678",
        "/v1/destinations/138/1234/5678": "/v1/destinations/138****5678",
        "138.1234_5678": "138****5678",
        "电话１３８＿１２３４＿５６７８": "电话138****5678",
        "电话138：1234：5678": "电话138****5678",
        "电话138／1234／5678": "电话138****5678",
        "138—1234—5678 or 138–1234–5678": "138****5678 or 138****5678",
        "+86 138:1234:5678": "+86 138****5678",
    }
    _each_masked_as(cases)


def test_ordinary_numbers_are_not_read_as_phones():
    for text in (
        '127.0.0.1:5000 - "GET /v1/health HTTP/1.1" 200',
        "139.227.123.45:5000",  # an IP address is not a phone in groups
        "2027-12-06T19:37:40+08:00 check_in=2027-06-25 nights=14 guests=2",
        "price_fen=1280000 total 12800 元, 3 nights, +5",
        # times, dates and prices with the marks a phone may be grouped by
        "2026-12-07T01:28:22 2026-12-07T13:45:12.123456+08:00 13:45:12.1234",
        "2026/12/07 13:28 2027/13/12 10:13:59",
        "¥12,800.00 1280.00 13.5% 1,380/2,760",
        # ids the server makes: a request id, a quote id, a booking reference
        "550e8400e29b41d4a716446655440000 q_3f9a1c2b7d8e4f5a6b7c8d9e JL-5J92Z5",
    ):
        assert mask_pii(text) == text, text


def test_pii_watch_flags_the_other_forms_of_a_phone_number_too():
    watch = _PIIWatch()
    for raw in ("１３９８７６５４３２１", "+44 7700 900123", "1 3987654321", "139-1234-5678"):
        watch.emit(logging.LogRecord("x", logging.WARNING, __file__, 1, f"raw {raw}", None, None))
        watch.emit(logging.LogRecord("x", logging.WARNING, __file__, 1, mask_pii(raw), None, None))
    assert len(watch.leaks) == 4


ID = "220102199003071234"


def test_an_id_number_glued_to_letters_or_other_text_is_masked():
    """Whatever stands before or after it: letters (ID…), Chinese (身份证…), full-width
    characters, a URL-encoded character, letters after it."""
    cases = {
        f"/v1/products/ID{ID}": "/v1/products/ID220***********4",
        "/v1/products/ＩＤ２２０１０２１９９００３０７１２３４": "/v1/products/ＩＤ220***********4",
        f"身份证{ID}号": "身份证220***********4号",
        f"/v1/products/%E8%AF%81{ID}": "/v1/products/%E8%AF%81220***********4",
        "id=22010219900307123Xabc": "id=220***********Xabc",
        f"/v1/products/{ID}": "/v1/products/220***********4",
        "/v1/products/tel13912345678": "/v1/products/tel139****5678",
    }
    _each_masked_as(cases)


def test_what_is_not_an_id_number_is_not_masked_even_glued():
    for text in (
        "/v1/bookings/JL-JJU6D7 /v1/bookings/jljju6d7",  # booking references
        "/v1/quotes/q_3f9a1c2b7d8e4f5a6b7c8d9e q_123456789012345678901234",  # quote ids
        "check_in=2027-06-25 d20270625 at20271206T193740",  # dates
        "price_fen=1280000 total_fen=128000000000 元",  # prices
        "n1234567890123456789 x220102199013071234y",  # 19 digits; month 13 is no birth date
    ):
        assert mask_pii(text) == text, text


def test_a_mobile_with_the_0086_prefix_is_masked_as_with_plus_86():
    """0086, the international call prefix dialled from China, is the +86 of a mobile:
    masked by the one rule (``PHONE``), spaced or dashed, in a path as in a sentence."""
    cases = {
        "/v1/bookings/008613912345678": "/v1/bookings/0086139****5678",
        "phone 0086 139 1234 5678": "phone 0086 139****5678",
        "0086-139-1234-5678": "0086-139****5678",
        "００８６１３９１２３４５６７８": "0086139****5678",
        "+8613912345678 8613912345678": "+86139****5678 86139****5678",
    }
    _each_masked_as(cases)
    watch = _PIIWatch()
    watch.emit(logging.LogRecord("x", logging.WARNING, __file__, 1, "008613912345678", None, None))
    assert len(watch.leaks) == 1


FIRST_GENERATION_ID = "220102540506123"  # 15 digits: born 1954-05-06


def test_a_first_generation_id_number_of_15_digits_is_masked():
    """Still accepted as a guest's id_number: masked alone or glued, as an 18-digit one."""
    cases = {
        f"身份证{FIRST_GENERATION_ID}": "身份证220***********3",
        f"/v1/bookings/{FIRST_GENERATION_ID}": "/v1/bookings/220***********3",
        f"id={FIRST_GENERATION_ID}x": "id=220***********3x",
        "身份证２２０１０２５４０５０６１２３号": "身份证220***********3号",
    }
    _each_masked_as(cases)
    watch = _PIIWatch()
    watch.emit(
        logging.LogRecord("x", logging.WARNING, __file__, 1, FIRST_GENERATION_ID, None, None)
    )
    assert len(watch.leaks) == 1


def test_a_15_digit_number_that_reads_as_no_id_is_not_masked():
    """Where a first-generation ID has its birth date (yymmdd), an order or transaction
    number rarely has a month and a day; one starting 0 or 9 has no region code."""
    for text in (
        "order 202612071234567",  # month 12, day 34
        "txn 123456781399123",  # month 13
        "n 020102540506123 n 920102540506123",  # no region code
        "n 1220102540506123",  # 16 digits
        "ts 1733550502123456",
    ):
        assert mask_pii(text) == text, text
