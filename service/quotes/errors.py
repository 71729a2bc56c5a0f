"""Errors of the quotes capability, and the one place a ``PricingError`` becomes a problem.

Request problems the engine finds (``duration_not_allowed``, ``too_many_guests``,
``pack_not_offered``, ``check_in_in_past``, ``not_on_sale``, ``unknown_product``...) keep
the engine's code and field and become 422 problems. Problems with catalogue data
(a rule or product the engine refuses) are not the caller's fault: they are logged and
reported as a 500 problem that names no field.
"""

import logging
import re
from datetime import date

from pricing import PricingError, StayItemRequest
from pricing.labels import counted
from service.errors import DomainError, NotFound, Unprocessable

log = logging.getLogger("jilin.quotes")

# Engine codes that describe our catalogue data, not the request.
CATALOGUE_CODES = frozenset({"invalid_rule", "invalid_product", "overlapping_seasons"})

# The engine names a stub ``stubs[i].code``; the API takes stubs as plain strings.
_STUB_FIELD = re.compile(r"^(stubs\[\d+\])\.\w+$")


class QuoteNotFound(NotFound):
    code = "quote_not_found"


class CatalogueError(DomainError):
    status, code = 500, "catalogue_error"
    title, title_zh = "Catalogue data cannot be priced", "目录数据无法计价"


class RuleVersionMissing(DomainError):
    status, code = 409, "rule_version_missing"
    title, title_zh = "A rule version of the quote is gone", "报价所用的规则版本已不存在"


def unknown_stub(index: int, code: str) -> Unprocessable:
    return Unprocessable(
        f"Ticket stub {code} is not in the register.",
        zh=f"票根 {code} 不在登记簿中。",
        field=f"stubs[{index}]",
        code="unknown_stub",
        stub=code,
    )


def stub_already_used(index: int, code: str) -> Unprocessable:
    return Unprocessable(
        f"Ticket stub {code} was already used by a booking.",
        zh=f"票根 {code} 已被一笔预订使用。",
        field=f"stubs[{index}]",
        code="stub_already_used",
        stub=code,
    )


def not_on_sale(field: str, detail: str, zh: str, **extra) -> Unprocessable:
    """``extra``: a stay's ``reason`` and ``day`` (the night or day it is about), as the
    booking's ``not_on_sale`` carries them."""
    return Unprocessable(detail, zh=zh, field=field, code="not_on_sale", **extra)


def too_many_units(index: int, stay: StayItemRequest, night: date, limit: int) -> Unprocessable:
    """Stay ``index`` asks for more units than its product has in all on ``night``, the
    first such night (taken or not): no booking of it can ever be made. ``limit`` is the
    most a stay of its nights can book (the fewest any night has in all,
    ``SaleCalendar.most_in_all``), ``asked_units`` the stay's units."""
    if limit == 0:  # a night with none at all: no number of units fits, the dates must change
        en = (
            f"Product {stay.product_id} has no unit on sale in all on {night}; item {index} "
            "cannot be booked for its nights: choose other dates."
        )
        zh = (
            f"产品 {stay.product_id} 在 {night} 没有可售的房间；第 {index + 1} 项的日期无法"
            "预订：请换一个日期。"
        )
    else:
        en = (
            f"Product {stay.product_id} has fewer than {counted(stay.units, 'unit')} in all "
            f"on {night}; item {index} can book at most {counted(limit, 'unit')} for its "
            "nights."
        )
        zh = (
            f"产品 {stay.product_id} 在 {night} 总共不足 {stay.units} 间；第 {index + 1} 项的"
            f"日期最多只能订 {limit} 间。"
        )
    return Unprocessable(
        en,
        zh=zh,
        field=f"items[{index}].units",
        code="too_many_units",
        night=night.isoformat(),
        product_id=stay.product_id,
        limit=limit,
        asked_units=stay.units,
    )


def from_pricing(err: PricingError) -> DomainError:
    """Map an engine error to the problem the API returns (the only such mapping)."""
    if err.code in CATALOGUE_CODES:
        log.error("catalogue data cannot be priced: %s at %s: %s", err.code, err.field, err.detail)
        return CatalogueError(
            "A product or discount rule in the catalogue is inconsistent; "
            "the problem has been logged.",
            zh="目录中的某个产品或折扣规则不一致；问题已记录。",
        )
    field = _STUB_FIELD.sub(r"\1", err.field)
    return Unprocessable(err.detail, zh=err.detail_zh, field=field, code=err.code, **err.values)
