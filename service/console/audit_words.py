"""The audit log's before and after in the console's words (docs/pages.md: a code is
never shown as a word). An entry's ``before`` and ``after`` are the operator services'
records (``service.operators.audit``): field names of the tables and the API, codes,
amounts in fen, ISO dates. Here each becomes a line, 「停售：否 → 是（2027年1月10日（周日））」 /
"Stop-sell: no → yes (Sun 10 Jan 2027)": the calendar's bulk edit by the nights and
weekdays it covered and, per field, what the nights held before and what they were set
to; any other entry field by field, each named as the console's forms name it, an amount
in yuan, a date as the console writes dates, yes/no, a theme or status by its name. A
field or value with no words here (a new one) is not guessed at: the entry keeps its
record for it, shown apart as the record (``unsaid``)."""

from collections.abc import Callable
from typing import Any

from markupsafe import Markup, escape

from catalog import calendar
from catalog.vocab import CERTIFICATION_NAMES, THEME_NAMES
from pricing.money import format_yuan
from service.bookings.models import STATUS_NAMES
from service.console.text import CONSOLE_TEXT
from service.i18n import Lang
from service.pages import formats
from service.pages.messages import fill, pick

# A field's name, as the console's forms and calendar say it.
FIELD_NAMES: dict[str, tuple[str, str]] = {
    # the calendar's (``catalog.calendar.FIELDS``)
    "units": ("总间数", "Total rooms"),
    "rate_override_fen": ("当晚房价", "Nightly rate"),
    "stop_sell": ("停售", "Stop-sell"),
    "min_stay_arrival": ("入住当晚起至少住几晚", "Minimum stay when arriving"),
    "min_stay_through": ("含这一晚的住宿至少几晚", "Minimum stay through the night"),
    "max_stay": ("入住当晚起最多住几晚", "Maximum stay when arriving"),
    "closed_to_arrival": ("不可在这一天入住", "Closed to arrival"),
    "closed_to_departure": ("不可在这一天离店", "Closed to departure"),
    # products, packs, destinations, seasons, rules, accounts, bookings, stubs
    "name_zh": ("中文名称", "Name (Chinese)"),
    "name_en": ("英文名称", "Name (English)"),
    "description_zh": ("中文介绍", "Description (Chinese)"),
    "description_en": ("英文介绍", "Description (English)"),
    "slug": ("网址名", "Address name"),
    "code": ("代码", "Code"),
    "theme": ("主题", "Theme"),
    "themes": ("主题", "Themes"),
    "base_occupancy": ("标准入住人数", "Guests included"),
    "max_occupancy": ("最多入住人数", "Most guests"),
    "beds_per_unit": ("每间床数", "Beds per room"),
    "min_nights": ("最少晚数", "Fewest nights"),
    "max_nights": ("最多晚数", "Most nights"),
    "duration_modules": ("可选晚数", "Lengths of stay"),
    "base_rate_fen": ("基础房价", "Base rate"),
    "filed_rate_fen": ("备案价", "Filed price (备案价)"),
    "extra_guest_fee_fen": ("加人费", "Extra-guest fee"),
    "price_fen": ("价格", "Price"),
    "rate_fen": ("房价", "Rate"),
    "refund_fen": ("退款", "Refund"),
    "refunded_fen": ("已退款", "Refunded"),
    "refund_status": ("退款状态", "Refund status"),
    "sold_from": ("开售日期", "On sale from"),
    "sold_until": ("停售日期", "On sale until"),
    "start_date": ("第一晚", "First night"),
    "end_date": ("结束日期（不含）", "End (not included)"),
    "booking_from": ("预订开始日期", "Booked from"),
    "booking_to": ("预订截止日期", "Booked until"),
    "check_in_from": ("入住开始日期", "Check-in from"),
    "check_in_to": ("入住截止日期", "Check-in until"),
    "visit_date": ("游览日期", "Visit date"),
    "nearest_hospital_km": ("离最近医院", "Nearest hospital"),
    "medical_insurance_station": ("医保服务站", "Medical-insurance station"),
    "cross_province_settlement": ("异地就医直接结算", "Cross-province settlement"),
    "elder_friendly_rooms": ("适老化房间", "Elder-friendly rooms"),
    "has_5g": ("5G 信号", "5G signal"),
    "certifications": ("认证", "Certifications"),
    "is_active": ("启用", "Active"),
    "status": ("状态", "Status"),
    "stay_status": ("住宿状态", "Stay"),
    "item_index": ("第几段住宿", "Stay number"),  # shown from 1 (``_value``)
    "count": ("数量", "How many"),
    "persons": ("每张人数", "Persons per stub"),
    "version": ("版本", "Version"),
    "login": ("登录名", "Login"),
    "display_name": ("显示名称", "Display name"),
    "product_id": ("产品编号", "Product number"),
    # a season's rate, a pack's kind and pricing, a product's room type and discount
    # cap, a cancellation's terms (until December 2026 kept apart as the record: a
    # season's rate as 30000, a cancellation's terms as full_refund)
    "nightly_rate_fen": ("季节房价", "Season rate"),
    "kind": ("类别", "Kind"),
    "basis": ("计价方式", "Priced"),
    "unit_type": ("房型", "Room type"),
    "max_discount_bps": ("优惠上限", "Discount cap"),
    "refund_terms": ("退款条件", "Refund terms"),
}

_WORDS: dict[str, tuple[str, str]] = {
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "none": ("（无）", "(none)"),
    "field": ("{name}：{value}", "{name}: {value}"),
    "changed": ("{name}：{old} → {new}", "{name}: {old} → {new}"),
    "run": ("{value}（{nights}）", "{value} ({nights})"),
    "one_night": ("{day}", "{day}"),
    "nights": ("{first} 至 {last}", "{first} to {last}"),
    "scope": (
        "日期：{nights}，{weekdays}；修改了 {cells} 个日期格。",
        "Nights: {nights}, {weekdays}; {cells:cell|cells} changed.",
    ),
    "every_day": ("每天", "every day"),
    "weekdays": ("仅{days}", "{days} only"),
    "cleared": ("取消限制", "removed"),
    "season_rate": ("季节价（未单独调价）", "the season's rate (no override)"),
}
_WEEKDAYS = (("周一", "Mon"), ("周二", "Tue"), ("周三", "Wed"), ("周四", "Thu"),
             ("周五", "Fri"), ("周六", "Sat"), ("周日", "Sun"))  # fmt: skip
_STAY_STATUSES = {
    None: ("待入住", "expected"),  # not arrived yet (or a no-show or a check-in undone)
    "checked_in": ("已入住", "checked in"),
    "completed": ("已离店", "checked out"),
    "no_show": ("未到店", "no-show"),
}
_REFUND_STATUSES = {
    "pending": ("已申请，尚未退回", "requested, not made yet"),
    "succeeded": ("已退回", "made"),
    "failed": ("失败", "failed"),
}
_REFUND_TERMS = {
    "policy": ("按产品的退款规则", "the product's refund policy"),
    "full_refund": ("已付款项全额退还", "everything paid refunded in full"),
}


def _console_names(prefix: str) -> dict[str, tuple[str, str]]:
    """The console's own names of a code's values (its forms' choices): ``pack_kind_``,
    ``pack_basis_``, ``unit_``."""
    return {k.removeprefix(prefix): v for k, v in CONSOLE_TEXT.items() if k.startswith(prefix)}


# The values of fields that hold a code, by its name.
_CODE_NAMES: dict[str, dict[Any, tuple[str, str]]] = {
    "theme": THEME_NAMES,
    "themes": THEME_NAMES,
    "certifications": CERTIFICATION_NAMES,
    "status": STATUS_NAMES,
    "stay_status": _STAY_STATUSES,
    "refund_status": _REFUND_STATUSES,
    "refund_terms": _REFUND_TERMS,
    "kind": _console_names("pack_kind_"),  # a pack's (a rule's kind is not recorded)
    "basis": _console_names("pack_basis_"),
    "unit_type": _console_names("unit_"),
}


class _Unsaid(Exception):
    """A value this module has no words for."""


class Said:
    """An entry's before and after as lines, and the record of what has no words."""

    def __init__(self, before: list[Markup], after: list[Markup], unsaid: dict[str, Any]):
        self.before, self.after, self.unsaid = before, after, unsaid


def entry_said(
    action: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    lang: Lang,
    day: Callable[[str], str],
) -> Said:
    """``before`` and ``after`` of an entry of ``action`` in the console's words;
    ``day`` writes an ISO date as the console does."""
    if action == "bulk_edit" and after and "set" in after:
        return _bulk_edit(before or {}, after, lang, day)
    unsaid: dict[str, Any] = {}
    lines = [_fields(record or {}, lang, day, unsaid, side) for side, record in
             (("before", before), ("after", after))]  # fmt: skip
    return Said(lines[0], lines[1], unsaid)


# Text an operator typed in one language (a name, a description): marked as such, so a
# screen reader reads it in its language and a reader sees it is the record's text.
_TYPED_IN = {"_zh": "zh-CN", "_en": "en"}


def _fields(
    record: dict[str, Any], lang: Lang, day: Callable[[str], str], unsaid: dict, side: str
) -> list[Markup]:
    lines = []
    for name, value in record.items():
        try:
            label = pick(FIELD_NAMES[name], lang)
            shown = escape(_value(name, value, lang, day))
        except (KeyError, _Unsaid):
            unsaid.setdefault(side, {})[name] = value
            continue
        typed_in = _TYPED_IN.get(name[-3:])
        if typed_in and isinstance(value, str) and value:
            shown = Markup('<span lang="{}">{}</span>').format(typed_in, shown)
        # (the template's words escaped, then the label escaped and the value as marked)
        lines.append(escape(pick(_WORDS["field"], lang)).format(name=label, value=shown))
    return lines


def _value(name: str, value: Any, lang: Lang, day: Callable[[str], str]) -> str:
    sep = "、" if lang == "zh-CN" else ", "
    if value is None:  # a code's own name for none (a stay expected), else "(none)"
        return pick(_CODE_NAMES.get(name, {}).get(None, _WORDS["none"]), lang)
    if isinstance(value, bool):
        return pick(_WORDS["yes" if value else "no"], lang)
    if isinstance(value, list):
        if name == "pack_ids" or any(isinstance(v, dict | list) for v in value):
            raise _Unsaid
        return sep.join(_value(name, v, lang, day) for v in value) or pick(_WORDS["none"], lang)
    if isinstance(value, dict):
        raise _Unsaid
    if name in _CODE_NAMES:
        names = _CODE_NAMES[name]
        if value not in names:
            raise _Unsaid
        return pick(names[value], lang)
    if name == "item_index" and isinstance(value, int):
        return str(value + 1)  # stored from 0; people count stays from 1 (labels.nth)
    if name.endswith("_fen") and isinstance(value, int):
        return format_yuan(value)
    if name.endswith("_bps") and isinstance(value, int):
        return formats.percent(value)
    if name.endswith("_km") and isinstance(value, int | float):
        return formats.km(value, lang)
    if isinstance(value, str) and _is_day(value):
        return day(value)
    return str(value)


def _is_day(value: str) -> bool:
    return len(value) == 10 and value[4] == value[7] == "-" and value.replace("-", "").isdigit()


def _nights(first: str, last: str, lang: Lang, day: Callable[[str], str]) -> str:
    if first == last:
        return fill(pick(_WORDS["one_night"], lang), day=day(first))
    return fill(pick(_WORDS["nights"], lang), first=day(first), last=day(last))


def _calendar_value(field: str, value: Any, lang: Lang, day: Callable[[str], str]) -> str:
    if value is None and field == "rate_override_fen":  # the night sells at its season's
        return pick(_WORDS["season_rate"], lang)
    if value is None or (field in calendar.STAY_LIMIT_FIELDS and value == 0):
        return pick(_WORDS["cleared" if value == 0 else "none"], lang)
    return _value(field, value, lang, day)


def _bulk_edit(
    before: dict[str, Any], after: dict[str, Any], lang: Lang, day: Callable[[str], str]
) -> Said:
    """The calendar's bulk edit of one product: ``after`` has the nights (``first``,
    ``last``, ``weekdays``), what was set (``set``) and how many cells changed
    (``cells``); ``before``, per field, the runs of nights that held one value
    (``[first, last, value]``, ``catalog.calendar.runs_json``)."""
    weekdays = sorted(after.get("weekdays") or range(1, 8))
    if weekdays == list(range(1, 8)):
        which = pick(_WORDS["every_day"], lang)
    else:
        sep = "、" if lang == "zh-CN" else ", "
        days = sep.join(pick(_WEEKDAYS[d - 1], lang) for d in weekdays)
        which = fill(pick(_WORDS["weekdays"], lang), days=days)
    scope = fill(
        pick(_WORDS["scope"], lang),
        nights=_nights(after["first"], after["last"], lang, day),
        weekdays=which,
        cells=after.get("cells", 0),
    )
    unsaid: dict[str, Any] = {}
    lines = [escape(scope), *bulk_edit_changes(before, after["set"], lang, day, unsaid)]
    return Said([], lines, unsaid)


def bulk_edit_changes(
    before: dict[str, Any],
    set_: dict[str, Any],
    lang: Lang,
    day: Callable[[str], str],
    unsaid: dict[str, Any] | None = None,
) -> list[Markup]:
    """Each field a bulk edit sets (``set_``), as what its changed nights held, run by
    run (``before``, the audit entry's), and what they are set to: the audit log's lines
    and the console's preview of the same edit. A field none of whose nights change
    (they hold the value already) is not said; one with no words yet goes to
    ``unsaid``."""
    lines = []
    for field, new in set_.items():
        if field not in FIELD_NAMES:
            (unsaid if unsaid is not None else {}).setdefault("after", {})[field] = new
            continue
        runs = before.get(field) or []
        if not runs:
            continue
        old = ("；" if lang == "zh-CN" else "; ").join(
            fill(
                pick(_WORDS["run"], lang),
                value=_calendar_value(field, value, lang, day),
                nights=_nights(first, last, lang, day),
            )
            for first, last, value in runs
        )
        lines.append(
            escape(
                fill(
                    pick(_WORDS["changed"], lang),
                    name=pick(FIELD_NAMES[field], lang),
                    old=old,
                    new=_calendar_value(field, new, lang, day),
                )
            )
        )
    return lines
