"""Logging that never writes personal data in clear.

A log-record factory masks phone numbers, PRC ID numbers and e-mail addresses
in every message at creation, whatever logger produced it (ours, uvicorn's, SQLAlchemy's).
"""

import logging
import re

# A mainland mobile number, also written in groups (139-1234-5678, "139 1234 5678", and
# URL-encoded in an access log's query: 139+1234+5678, 139%201234%205678).
_SEP = r"(?:[- .+]|%20)?"
_PHONE = re.compile(rf"(?<!\d)(\+?86{_SEP})?(1[3-9]\d){_SEP}(\d{{4}}){_SEP}(\d{{4}})(?!\d)")
_ID = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{8})(\d{3}[\dXx])(?![0-9A-Za-z])")
_EMAIL = re.compile(r"([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+)")


def mask_pii(text: str) -> str:
    text = _ID.sub(lambda m: m.group(1)[:3] + "*" * 11 + m.group(3)[-1], text)
    text = _PHONE.sub(lambda m: (m.group(1) or "") + m.group(2) + "****" + m.group(4), text)
    return _EMAIL.sub(lambda m: m.group(1) + "***@" + m.group(2), text)


def mask_phone(phone: str) -> str:
    digits = phone.strip()
    if len(digits) < 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def _mask_arg(value):
    return mask_pii(value) if isinstance(value, str) else value


def _masked_args(args):
    if isinstance(args, dict):
        return {k: _mask_arg(v) for k, v in args.items()}
    return tuple(_mask_arg(a) for a in args)


def _masking_factory(base):
    def factory(*args, **kwargs) -> logging.LogRecord:
        record = base(*args, **kwargs)
        try:
            msg = record.getMessage()
        except Exception:  # a broken format string is the logger's bug, not ours to mask
            return record
        if mask_pii(msg) == msg:
            return record  # nothing to mask: msg and args stay as given (formatters use args)
        if record.args and isinstance(record.msg, str):
            # Mask the template and each string argument, keeping ``args`` (uvicorn's
            # access formatter unpacks them), when that leaves nothing in clear.
            masked_msg, masked_args = mask_pii(record.msg), _masked_args(record.args)
            try:
                out = masked_msg % masked_args
            except Exception:
                out = None
            if out is not None and mask_pii(out) == out:
                record.msg, record.args = masked_msg, masked_args
                return record
        record.msg, record.args = mask_pii(msg), None
        return record

    factory._jl_masking = True  # type: ignore[attr-defined]
    return factory


def install_pii_masking() -> None:
    """Mask PII in every log record at creation, whichever logger or handler sees it."""
    base = logging.getLogRecordFactory()
    if not getattr(base, "_jl_masking", False):
        logging.setLogRecordFactory(_masking_factory(base))


class MaskingFormatter(logging.Formatter):
    """Masks the whole formatted record, traceback included (exception texts can quote
    SQL parameters)."""

    def format(self, record: logging.LogRecord) -> str:
        return mask_pii(super().format(record))


def configure_logging(level: int = logging.INFO) -> None:
    install_pii_masking()
    root = logging.getLogger()
    if not root.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(MaskingFormatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
        root.addHandler(handler)
    if root.level == logging.WARNING:
        root.setLevel(level)
