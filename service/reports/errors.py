"""Problems of the reports, each with its text in zh-CN and English."""

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


def survey_not_open() -> DomainError:
    return make(
        Conflict,
        "This stay cannot be rated: it has not ended, or it was cancelled or a no-show.",
        "此段住宿暂不能评价：尚未离店，或已取消、未入住。",
        code="survey_not_open",
        field="item_index",
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
    return make(
        Unprocessable,
        f"The booking has no stay {index}.",
        f"该预订没有第 {index} 段住宿。",
        code="unknown_item",
        field="item_index",
    )
