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
from pricing.labels import counted, leg_said, stay_said
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
    said_zh, said_en = stay_said(index)
    if limit == 0:  # a night with none at all: no number of units fits, the dates must change
        en = (
            f"Product {stay.product_id} has no unit on sale in all on {night}; {said_en} "
            "cannot be booked for its nights: choose other dates."
        )
        zh = (
            f"产品 {stay.product_id} 在 {night} 没有可售的房间；{said_zh}的日期无法"
            "预订：请换一个日期。"
        )
    else:
        en = (
            f"Product {stay.product_id} has fewer than {counted(stay.units, 'unit')} in all "
            f"on {night}; {said_en} can book at most {counted(limit, 'unit')} for its "
            "nights."
        )
        zh = (
            f"产品 {stay.product_id} 在 {night} 总共不足 {stay.units} 间；{said_zh}的"
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


def leg_stop_missing(index: int, given: str, missing: str) -> Unprocessable:
    """Leg ``index`` says where it boards or alights but not both (``given``, the side
    sent; ``missing``, the other): the field named is the one missing."""
    side_en = {"from": "where it boards", "to": "where it alights"}
    side_zh = {"from": "上车站", "to": "下车站"}
    leg_zh, leg_en = leg_said(index)
    return Unprocessable(
        f"{leg_en.capitalize()} gives {side_en[given]} but not {side_en[missing]}: give "
        "both, or neither.",
        zh=f"{leg_zh}只给了{side_zh[given]}，没有{side_zh[missing]}：请两者都给，或都不给。",
        field=f"legs[{index}].{missing}_destination_id",
        code="leg_stop_missing",
    )


def leg_stops_same(index: int, destination_id: int) -> Unprocessable:
    """Leg ``index`` boards and alights at the same stop."""
    leg_zh, leg_en = leg_said(index)
    return Unprocessable(
        f"{leg_en.capitalize()} boards and alights at the same destination ({destination_id}): "
        "it must alight at another stop of the line.",
        zh=f"{leg_zh}的上车站和下车站是同一个目的地（{destination_id}）："
        "下车站须是该线路的另一站。",
        field=f"legs[{index}].to_destination_id",
        code="leg_stops_same",
    )


def unknown_leg_destination(index: int, side: str, destination_id: int) -> Unprocessable:
    return Unprocessable(
        f"There is no destination {destination_id}.",
        zh=f"没有目的地 {destination_id}。",
        field=f"legs[{index}].{side}_destination_id",
        code="unknown_destination",
    )


def stop_not_on_line(
    index: int, side: str, line_id: int, destination_id: int, name_en: str, name_zh: str
) -> Unprocessable:
    """Leg ``index`` boards (``side`` "from") or alights ("to") at a destination its line
    does not stop at."""
    return Unprocessable(
        f"Transit line {line_id} does not stop at {name_en} ({destination_id}): "
        f"{side}_destination_id must be one of the line's stops (GET /v1/transit-lines).",
        zh=f"交通线路 {line_id} 不经停{name_zh}（{destination_id}）：{side}_destination_id "
        "须是该线路的一站（见 GET /v1/transit-lines）。",
        field=f"legs[{index}].{side}_destination_id",
        code="stop_not_on_line",
    )
