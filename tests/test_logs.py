"""Personal data never reaches a log in clear (the suite-wide watch is in conftest)."""

import logging

from service.logs import MaskingFormatter, install_pii_masking, mask_phone, mask_pii
from tests.conftest import _PIIWatch


def test_pii_watch_flags_a_full_phone_number_and_accepts_a_masked_one():
    watch = _PIIWatch()
    watch.emit(logging.LogRecord("x", logging.WARNING, __file__, 1, "masked 139****5678",
                                 None, None))
    assert watch.leaks == []
    watch.emit(logging.LogRecord("x", logging.WARNING, __file__, 1, "raw 13912345678",
                                 None, None))
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

        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", None,
                                   sys.exc_info())
    text = MaskingFormatter("%(message)s").format(record)
    assert "13912345678" not in text and "139****5678" in text


def test_mask_helpers():
    assert mask_pii("call 13912345678") == "call 139****5678"
    assert "19800101" not in mask_pii("id 22010419800101123X")
    assert mask_phone("13912345678") == "139****5678"
