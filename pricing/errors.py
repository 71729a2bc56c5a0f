"""The one exception the pricing engine raises."""

from __future__ import annotations


class PricingError(Exception):
    """A request (or catalogue data) the engine cannot price.

    ``code`` is a stable machine code (``invalid_dates``, ``not_on_sale``...), ``field``
    a JSON-pointer-ish path to the offending input (``items[0].check_out``,
    ``legs[1].riders``, ``rules[3].tiers[1]``) and ``detail`` an English sentence,
    ``detail_zh`` the same in Chinese (every problem has one: the operators see the
    problems of the catalogue data they enter, in the console and the admin API).
    ``values``: what the problem is about, for a caller to say it (a party too large for
    its units: ``limit``, the most guests they take, ``per_unit`` and ``asked_units``; a ticket stub
    given twice: ``stub``, its code).
    """

    def __init__(
        self,
        code: str,
        field: str,
        detail: str,
        detail_zh: str | None = None,
        *,
        values: dict[str, int | str] | None = None,
    ) -> None:
        super().__init__(f"{code} at {field}: {detail}")
        self.code = code
        self.field = field
        self.detail = detail
        self.detail_zh = detail_zh
        self.values = values or {}

    def __repr__(self) -> str:
        return f"PricingError(code={self.code!r}, field={self.field!r}, detail={self.detail!r})"
