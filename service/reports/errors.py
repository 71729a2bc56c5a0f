"""Problems of the reports, each with its text in zh-CN and English."""

from datetime import date

from pricing.labels import stay_said
from service.errors import Conflict, DomainError, Unprocessable
from service.operators.errors import make


def unknown_dimension(value: str, index: int) -> DomainError:
    shown = value[:40]
    return make(
        Unprocessable,
        f"`{shown}` is not a dimension: month, pilot_kind, theme, prefecture, destination "
        "or channel.",
        f"“{shown}”不是可用的维度：month、pilot_kind、theme、prefecture、destination、channel。",
        code="unknown_dimension",
        field=f"by[{index}]",
    )


def too_many_dimensions() -> DomainError:
    return make(
        Unprocessable,
        "A report groups by at most two dimensions.",
        "一份报表最多按两个维度分组。",
        code="too_many_dimensions",
        field="by",
    )


def period_open(year: int) -> DomainError:
    return make(
        Conflict,
        f"{year} has not ended: only a past year can be closed.",
        f"{year} 年尚未结束：只能关闭已过去的年度。",
        code="period_open",
        field="year",
    )


def survey_not_open(opens: date | None = None) -> DomainError:
    """A stay that cannot be rated now: ``opens``, the day its survey opens (its
    check-out day, unless the front desk records the guest's leaving before), or None
    for a stay that will never be rated (cancelled, expired, a no-show)."""
    if opens is None:
        return make(
            Conflict,
            "This stay cannot be rated: its booking was cancelled or expired, or the stay "
            "was a no-show.",
            "此段住宿不能评价：预订已取消或已过期，或未入住。",
            code="survey_not_open",
            field="item_index",
        )
    return make(
        Conflict,
        f"This stay can be rated from its check-out day, {opens.isoformat()}, or as soon as "
        "the front desk records that the guest has left.",
        f"此段住宿从离店日 {opens.isoformat()} 起可以评价；前台登记客人已离店后也可以评价。",
        code="survey_not_open",
        field="item_index",
        opens=opens.isoformat(),
    )


def survey_answered() -> DomainError:
    return make(
        Conflict,
        "This stay has been rated already: one answer per stay.",
        "此段住宿已评价过：每段住宿只能评价一次。",
        code="survey_answered",
        field="item_index",
    )


def no_such_stay(index: int) -> DomainError:
    """``item_index`` names no stay of the booking: said as people count stays (from 1),
    with the index sent."""
    zh, en = stay_said(index)
    return make(
        Unprocessable,
        f"The booking has no {en}.",
        f"该预订没有{zh}。",
        code="unknown_item",
        field="item_index",
    )
