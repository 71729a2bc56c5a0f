"""A service's refusal in a page's words: problems by their ``code``, with the fields
they carry (``problem_text``), and pydantic's validation errors by their ``type``, with
the limit the schema sets (``validation_text``). Both languages of each are in one
tuple, ``(zh-CN, English)``, as in ``service.pages.messages``."""

import string
from collections.abc import Mapping
from typing import Any

from catalog import sellability
from catalog.vocab import ROOM_FACT_LABELS
from service.i18n import Lang
from service.pages.formats import yuan
from service.pages.messages import TEXT, fill, pick
from service.text import NAME_BLANK, PATTERN_WORDS

PROBLEMS: dict[str, tuple[str, str]] = {
    "survey_not_open": (
        "这段住宿不能评价：预订已取消或已过期，或未入住。",
        "This stay cannot be rated: its booking was cancelled or expired, or it was a no-show.",
    ),
    # a stay not yet ended: the day its survey opens (the problem's ``opens``, in words)
    "survey_not_open_until": (
        "这段住宿从离店日 {opens} 起可以评价；前台登记您已离店后也可以评价。",
        "This stay can be rated from its check-out day, {opens}, or as soon as the front "
        "desk records that you have left.",
    ),
    "survey_answered": ("这段住宿已评价过。", "This stay has been rated already."),
    "unknown_item": (
        "这笔预订没有这段住宿，请从列表中选择。",
        "This booking has no such stay; please choose one from the list.",
    ),
    "duration_not_allowed": (
        "此产品不提供这个入住晚数，请从列表中选择。",
        "This stay is not sold for that many nights; choose from the list.",
    ),
    "too_many_guests": (
        "人数超过了可入住的上限，请减少人数或增加房间。",
        "Too many guests for the rooms; add a room or reduce the guests.",
    ),
    # Said with the problem's ``per_unit`` (the most a room takes), ``asked_units`` and
    # ``limit`` (the most guests the stay's units take) in ``problem_text``.
    "too_many_guests_limit": (
        "这里每间最多住 {per} 人，{units} 间最多住 {limit} 人；请减少人数或增加房间。",
        "At most {per:guest|guests} per room here, so {limit} for {units:room|rooms}; "
        "reduce the guests or add a room.",
    ),
    # Said with the problem's ``asked_units`` and ``guests`` in ``problem_text``: a room
    # nobody sleeps in is a typo in the rooms box more often than not.
    "more_rooms_than_guests": (
        "房间数不能多于人数：每间至少住 1 人，请减少房间数或增加人数。",
        "More rooms than guests: each room needs at least one guest; reduce the rooms or "
        "add guests.",
    ),
    "more_rooms_than_guests_counted": (
        "{units} 间房只有 {guests} 人：每间至少住 1 人，请把房间数减到 {guests} 间或更少，"
        "或增加人数。",
        "{units:room|rooms} for {guests:guest|guests}: each room needs at least one guest; "
        "choose {guests:room|rooms} or fewer, or add guests.",
    ),
    # the same for one guest: one room, never "1 room or fewer" (none is no choice)
    "more_rooms_than_guests_one": (
        "{units} 间房只有 1 人：每间至少住 1 人，请把房间数改为 1 间，或增加人数。",
        "{units:room|rooms} for 1 guest: each room needs at least one guest; choose 1 room, "
        "or add guests.",
    ),
    "pack_not_offered": ("此产品不提供所选的增值包。", "This stay does not offer that pack."),
    "duplicate_pack": ("同一个增值包只能选一次。", "Each pack can be chosen once."),
    "check_in_in_past": ("入住日期不能早于今天。", "The check-in date cannot be in the past."),
    "not_on_sale": ("所选日期不在销售期内。", "These dates are not on sale."),
    # The same with the ``reason`` ``product_retired``: the stay itself is gone, whatever
    # the dates (its page says so, with the way back to its destination).
    "not_on_sale_product_retired": (
        "这个住宿已不再提供，不能再查询价格或预订；请看看同一目的地的其他住宿。",
        "This stay is no longer offered, so it cannot be priced or booked; see the other "
        "stays at its destination.",
    ),
    # Said with the problem's ``reason`` and ``day`` (the night or day, in words) by the
    # sellability reasons' own words (``catalog.sellability.reason_words``).
    "not_on_sale_day": (
        "所选日期不能预订：{said}，请换一个日期。",
        "{said}; please choose other dates.",
    ),
    # Said with the problem's ``limit``, the rooms the stay has in all on a night
    # (``problem_text``): asking for more can never be booked, whatever the date.
    "too_many_units": (
        "所选日期中有的晚上总共只有 {limit} 间，请选择 {limit} 间或更少。",
        "This stay has only {limit:room|rooms} in all on some of its nights; please choose "
        "{limit} or fewer.",
    ),
    # the same with a ``limit`` of 1: one room, never "1 or fewer"
    "too_many_units_one": (
        "所选日期中有的晚上总共只有 1 间，请选择 1 间。",
        "This stay has only 1 room in all on some of its nights; please choose 1 room.",
    ),
    # The same with a ``limit`` of 0 (a night of the stay has no room on sale in all): no
    # number of rooms fits, only other dates, said with the night (``night``, in words)
    "too_many_units_none": (
        "{night} 这一晚没有可售的房间，请换一个日期。",
        "There is no room on sale on the night of {night}; please choose other dates.",
    ),
    "unknown_product": ("没有这个产品。", "No such stay."),
    "unknown_stub": (
        "没有找到这个票根码，请核对。",
        "We do not know this ticket-stub code; please check it.",
    ),
    "stub_already_used": ("这个票根已经用过了。", "This ticket stub has already been used."),
    "duplicate_stub": ("同一个票根码只能用一次。", "Each ticket-stub code can be used once."),
    # The same, naming the code refused (the problem's ``stub``): which of the codes typed
    # (``problem_text``).
    "unknown_stub_named": (
        "没有找到票根码 {stub}，请核对。",
        "We do not know the ticket-stub code {stub}; please check it.",
    ),
    "stub_already_used_named": (
        "票根码 {stub} 已经用过了。",
        "The ticket stub {stub} has already been used.",
    ),
    "duplicate_stub_named": (
        "票根码 {stub} 填了两次：同一个票根码只能用一次。",
        "The ticket-stub code {stub} is given twice: each code can be used once.",
    ),
    "invalid_dates": ("日期不对，请检查。", "The dates are not right; please check."),
    "quote_expired": (
        "价格保证已过期，请返回重新查询价格。",
        "The price guarantee has run out; go back and ask for a new price.",
    ),
    "quote_not_found": (
        "没有找到这个报价，请重新查询价格。",
        "We could not find this price; please ask again.",
    ),
    "quote_already_booked": (
        "这个报价已经预订过了；如需再订，请重新查询价格。",
        "This price has already been booked; ask for a new price to book again.",
    ),
    # Said with the problem's own ``limit``, ``held_units`` and ``asked_units``
    # (``problem_text``): the service's words name the client or the product id, which a
    # traveller cannot act on. A product's cap (all travellers' holds of it together):
    "hold_limit_reached": (
        "未付款的预订最多可保留 {limit} 间，请减少间数。",
        "At most {limit:room|rooms} can be held unpaid; please book fewer rooms.",
    ),
    "hold_limit_reached_held": (
        "已有 {held_units} 间未付款的预订，最多可保留 {limit} 间；请减少间数，或稍后再试。",
        "{held_units:room is|rooms are} already held unpaid and at most {limit} can be; "
        "please book fewer rooms, or try again later.",
    ),
    # One address's cap, in rooms: each booking counts the rooms it needs at once (a
    # party moving from stay to stay needs its rooms once), added up over the bookings
    # whatever their dates, and the words say so (never "booked at once" of bookings
    # on other dates): this booking alone over it (waiting does not help), or with the
    # rooms already booked from here without paying online (they count for a while).
    # The traveller sees a pay-at-property booking as confirmed: never "unpaid" or "held".
    "hold_limit_reached_rooms": (
        "这次预订同时需要 {asked_units} 间房，而从同一个网络连接不经在线付款的预订最多共计 "
        "{limit} 间（每笔预订按其同时需要的间数计）；请减少间数。",
        "This booking needs {asked_units:room|rooms} at once, and bookings made from one "
        "internet connection without paying online may count at most {limit:room|rooms} in "
        "all (each booking counts the rooms it needs at once); please book fewer rooms.",
    ),
    # With rooms booked from here already: how many, why there is a limit, and the ways
    # on. Booking fewer rooms is said only when fewer would fit (``rooms_left``, at
    # least 1); for a booking of 1 room it cannot help.
    "hold_limit_reached_rooms_held": (
        "从这个网络连接不经在线付款的预订已计 {held_units} 间房（每笔预订按其同时需要的间数计，"
        "无论日期，各笔相加；到店付款的预订在预订后 24 小时内计入，在线付款的预订在保留期结束"
        "前计入），最多 {limit} 间：这是防止虚假预订占用房间的保护措施。这次没有预订成功。"
        "{fewer}如需现在预订，请联系目的地，或通过旅行社等合作渠道预订；也可以稍后再试：这些"
        "预订最迟 24 小时后不再计入。",
        "Bookings made from this internet connection without paying online already count "
        "{held_units:room|rooms} (each booking counts the rooms it needs at once, whatever "
        "its dates, added up over the bookings; a booking paid at the property counts for "
        "24 hours after it is made, one paid online until its hold ends), and at most "
        "{limit} can be counted: a safeguard against fake bookings that would keep rooms "
        "from other travellers. Nothing was booked. {fewer}To book now, contact the "
        "destination, or book through a travel agency or another partner that sells these "
        "stays; or try again later: these bookings stop counting within 24 hours.",
    ),
    "hold_limit_reached_rooms_fewer": (
        "现在从这里最多还能预订 {rooms_left} 间，可以减少间数。",
        "You can still book {rooms_left:room|rooms} from here now, so fewer rooms would do. ",
    ),
    "sold_out": (
        "所选日期已经订满，请换一个日期。",
        "These dates are sold out; please choose other dates.",
    ),
    "inventory_busy": (
        "预订的人较多，请稍后再试（尚未预订）。",
        "Many people are booking; please try again in a moment (nothing was booked).",
    ),
    "not_cancellable": ("这个预订已不能取消。", "This booking can no longer be cancelled."),
    "idempotency_key_reused": (
        "这个预订已经提交过了，请到“我的预订”查看。",
        "This booking was already made; see My booking.",
    ),
    "idempotency_in_progress": (
        "您的预订正在处理中，请稍候刷新。",
        "Your booking is being processed; reload in a moment.",
    ),
    "window_in_past": (
        "最早入住日期不能早于今天。",
        "The earliest check-in cannot be in the past.",
    ),
    "invalid_window": (
        "最晚离开日期要晚于最早入住日期。",
        "The latest departure must come after the earliest check-in.",
    ),
    "window_too_long": (
        "日期范围太长，请缩短一些。",
        "The dates span too long; please narrow them.",
    ),
    "nights_exceed_window": ("住的晚数超过了日期范围。", "More nights than the dates allow."),
    # The planner page says it above the form (503, ``service.plans.slots``).
    "planner_busy": (
        "现在同时查找行程的人很多，请过几秒钟再点“查找行程”。",
        "Many trips are being planned right now; please wait a few seconds and search again.",
    ),
    # The plan page says it with what to narrow (the problem's detail).
    "plan_too_broad": (
        "可能的行程太多，请缩小范围：减少住宿段数或晚数。",
        "Too many possible plans; please narrow the request: fewer stays or nights.",
    ),
    # The plan page says these with the shortest stay's nights (``plan_window_too_short``).
    "window_too_short": (
        "这段日期比最短的住宿还短，请把最晚离开日期往后放。",
        "These dates are shorter than the shortest stay; please choose a later departure.",
    ),
    "nights_below_shortest_stay": (
        "晚数比最短的住宿还少，请多住几晚或不填。",
        "Fewer nights than the shortest stay; please add nights or leave this empty.",
    ),
    "contradictory": (
        "这些条件互相矛盾，请检查。",
        "These choices contradict each other; please check.",
    ),
    "unknown_certification": ("没有这个认证。", "No such certification."),
    "unknown_route": ("没有这条精品线路。", "No such route."),
    "unknown_destination": ("没有这个目的地。", "No such destination."),
    "rate_limited": ("请求太频繁，请稍后再试。", "Too many requests; please wait a moment."),
    "validation_error": ("填写的内容不符合要求。", "This value is not accepted."),
    "not_found": ("没有找到。", "Not found."),
    # a link or a hand-typed address that gives a one-value choice more than once
    # (``theme=a&theme=b``, the same value or not), said with its name in the address
    # (the problem's ``field``, ``problem_text``'s ``name``)
    "repeated_parameter": (
        "这个地址给了“{name}”不止一个值，请只选一个再查。",
        "This address gives more than one value for “{name}”; please choose one and search again.",
    ),
    # the same, for a parameter no form shows (a relaxation's hidden range, a link's)
    "repeated_parameter_unnamed": (
        "这个地址的同一项条件给了不止一个值，请只选一个再查。",
        "This address gives one of its choices more than once; please choose one and search again.",
    ),
}

# A page's query parameter by the label its form shows it under (``repeated_parameter``
# says it so: a traveller never reads ``nights``); one without a label is not named.
PARAMETER_LABELS: dict[str, tuple[str, str]] = {
    "start": TEXT["plan_start"],
    "end": TEXT["plan_end"],
    "nights": TEXT["f_nights"],
    "guests": TEXT["f_guests"],
    "units": TEXT["f_units"],
    "max_stays": TEXT["plan_max_stays"],
    "hospital_km": TEXT["dest_hospital"],
    "settlement": TEXT["fac_settlement"],
    "insurance": TEXT["fac_insurance_station"],
    "elder": TEXT["fac_elder_rooms"],
    **ROOM_FACT_LABELS,  # the planner's room needs, by the API's names
    "budget": TEXT["summary_budget"],
    "theme": TEXT["dest_theme"],
    "check_in": TEXT["f_check_in"],
    "from": ("价格日历的起始日期", "Start of the price calendar"),
    "route": ("精品线路", "Curated route"),
    "lang": ("语言", "Language"),
}

VALIDATION: dict[str, tuple[str, str]] = {
    "missing": ("请填写此项。", "Please fill this in."),
    # a name of white space alone (``service.text.NAME_BLANK``): a name left empty, said
    # so (it was "the format is not right", and the field shows no wrong character)
    NAME_BLANK: (
        "请填写此项：只有空格不算填写。",
        "Please fill this in: spaces alone are not a name.",
    ),
    "string_too_short": ("太短了，请检查。", "This is too short; please check."),
    "string_too_long": ("内容太长。", "This is too long."),
    "string_pattern_mismatch": ("格式不对，请检查。", "The format is not right; please check."),
    "int_parsing": ("请填写数字。", "Please enter a number."),
    # every date that is none (``service.text.NOT_A_DATE``), as the forms' own date
    # fields say it (``forms.day_error``)
    "date_parsing": TEXT["error_date"],
    "value_error": ("格式不对，请检查。", "The format is not right; please check."),
    # ``service.text``'s refusal of a control character (NUL) and of an invisible one
    # (a text-direction override U+202E, a zero-width space), which a name cannot show;
    # with the character named (``VALIDATION_LIMITS``) when the error says it
    "control_character": (
        "不能含有控制字符（如 NUL、换行符），请重新输入。",
        "This cannot hold control characters (such as NUL or a line break); please type it again.",
    ),
    "invisible_character": (
        "不能含有看不见的字符（如零宽空格、文字方向控制符），请重新输入。",
        "This cannot hold invisible characters (such as a zero-width space or a "
        "text-direction mark); please type it again.",
    ),
    "phone_format": (
        "请填写电话号码：只写数字，可以 + 开头，数字之间可有空格、短横线或括号。",
        "Please enter a phone number: digits, with a leading + and spaces, dashes or "
        "brackets between them if you like.",
    ),
    "phone_digits": (
        "请填写完整的电话号码：7 到 15 位数字。",
        "Please enter the whole phone number: 7 to 15 digits.",
    ),
    "name_no_letter": (
        "请填写姓名：至少要有一个字或字母。",
        "Please enter a name: it needs at least one letter.",
    ),
    "greater_than_equal": ("数值太小。", "This number is too small."),
    "greater_than": ("数值太小。", "This number is too small."),
    "less_than_equal": ("数值太大。", "This number is too large."),
    "less_than": ("数值太大。", "This number is too large."),
    "int_type": ("请填写整数。", "Please enter a whole number."),
    # a box given another value than the one it sends (a link's ``step_free=maybe``)
    "bool_type": ("请勾选这一项，或不勾选。", "Please tick this box or leave it empty."),
    "float_parsing": ("请填写数字。", "Please enter a number."),
    "float_type": ("请填写数字。", "Please enter a number."),
    "too_long": ("填写的项目太多。", "Too many entries."),
    "slug_all_digits": (
        "产品标识不能全是数字（全数字会被当作产品编号）：请加一个字母，例如 cabin-093。",
        "A slug cannot be all digits (digits alone name a product by its id):"
        " add a letter, e.g. cabin-093.",
    ),
    # a list with fewer entries than it needs: nothing ticked (a box list)
    "too_short": ("请至少选择一项。", "Choose at least one."),
    "rate_not_positive": (
        "房价至少 ¥0.01，不能为零；要关闭某晚请用停售。",
        "A rate must be at least ¥0.01, never zero; to close a night, use stop-sell.",
    ),
}

# The same problems with the limit the schema sets, filled from pydantic's error
# ``ctx`` (``{"max_length": 60}``): a refusal of a size says the size allowed. Used when
# the error carries every value the text names, else ``VALIDATION``'s words.
VALIDATION_LIMITS: dict[str, tuple[str, str]] = {
    "control_character": (
        "不能含有控制字符：其中有 {char_zh}，请重新输入。",
        "This cannot hold control characters: it holds {char}; please type it again.",
    ),
    "invisible_character": (
        "不能含有看不见的字符：其中有 {char_zh}，请重新输入。",
        "This cannot hold invisible characters: it holds {char}; please type it again.",
    ),
    "string_too_short": (
        "太短了：至少 {min_length} 个字符。",
        "This is too short (at least {min_length:character|characters}).",
    ),
    "string_too_long": (
        "内容太长：最多 {max_length} 个字符。",
        "This is too long (at most {max_length:character|characters}).",
    ),
    "greater_than_equal": (
        "数值太小：最小为 {ge}。",
        "This number is too small (the smallest allowed is {ge}).",
    ),
    "greater_than": ("数值太小：要大于 {gt}。", "This number is too small (it must be over {gt})."),
    "less_than_equal": (
        "数值太大：最大为 {le}。",
        "This number is too large (the largest allowed is {le}).",
    ),
    "less_than": ("数值太大：要小于 {lt}。", "This number is too large (it must be under {lt})."),
    "too_long": (
        "填写的项目太多：最多 {max_length} 项。",
        "Too many entries (at most {max_length}).",
    ),
}


def problem_text(
    code: str, lang: Lang, detail: str, values: Mapping[str, Any] | None = None
) -> str:
    """A service problem in the page's language (``detail``: the service's own words in
    it); an unknown code keeps ``detail`` (better than nothing, and a test lists the
    codes the pages meet). ``values``: the problem's own fields (``DomainError.extra``),
    for the words that say them (the hold cap's ``limit`` and ``held_units``, a party's
    ``limit``, ``per_unit`` and ``asked_units``, a refused ticket stub's ``stub``: its
    code, named by ``<code>_named``)."""
    values = values or {}
    if code == "too_many_guests" and {"limit", "per_unit", "asked_units"} <= values.keys():
        words = pick(PROBLEMS["too_many_guests_limit"], lang)
        return fill(
            words, per=values["per_unit"], units=values["asked_units"], limit=values["limit"]
        )
    if code == "more_rooms_than_guests" and {"guests", "asked_units"} <= values.keys():
        one = "_one" if values["guests"] == 1 else "_counted"
        words = pick(PROBLEMS[f"more_rooms_than_guests{one}"], lang)
        return fill(words, units=values["asked_units"], guests=values["guests"])
    if values.get("stub") and f"{code}_named" in PROBLEMS:
        return fill(pick(PROBLEMS[f"{code}_named"], lang), stub=values["stub"])
    if code == "hold_limit_reached":
        if not {"limit", "held_units"} <= values.keys():
            return detail
        left = values["limit"] - values["held_units"]
        fewer = ""
        if left >= 1:  # fewer rooms would fit: a booking of more than ``left`` rooms
            fewer = fill(pick(PROBLEMS["hold_limit_reached_rooms_fewer"], lang), rooms_left=left)
        words = PROBLEMS[_hold_limit_words(values)]
        return fill(pick(words, lang), **values, fewer=fewer)
    if code == "not_on_sale" and values.get("reason") == sellability.PRODUCT_RETIRED:
        return pick(PROBLEMS["not_on_sale_product_retired"], lang)
    if code == "not_on_sale" and values.get("reason") and values.get("day"):
        zh, en = sellability.reason_words(values["reason"], values["day"])
        said = zh if lang == "zh-CN" else en[:1].upper() + en[1:]
        return fill(pick(PROBLEMS["not_on_sale_day"], lang), said=said)
    if code == "too_many_units":
        if "limit" not in values:
            return detail
        if values["limit"] == 0 and values.get("night"):
            return fill(pick(PROBLEMS["too_many_units_none"], lang), night=values["night"])
        one = "_one" if values["limit"] == 1 else ""
        return fill(pick(PROBLEMS[f"{code}{one}"], lang), limit=values["limit"])
    if code == "survey_not_open" and values.get("opens"):
        return fill(pick(PROBLEMS["survey_not_open_until"], lang), opens=values["opens"])
    if code == "repeated_parameter":
        label = PARAMETER_LABELS.get(values.get("name") or "")
        if label is None:
            return pick(PROBLEMS["repeated_parameter_unnamed"], lang)
        return fill(pick(PROBLEMS[code], lang), name=pick(label, lang))
    pair = PROBLEMS.get(code)
    return pick(pair, lang) if pair else detail


def _hold_limit_words(values: Mapping[str, Any]) -> str:
    """Which words say a hold cap: an address's (no ``product_id``; ``asked_units``,
    rooms at once, in every refusal since it counts rooms at once) in rooms, this
    booking alone over it or with rooms held; otherwise a product's (in rooms too)."""
    asked, held = values.get("asked_units"), values["held_units"]
    if asked is not None and "product_id" not in values:
        alone = asked > values["limit"] or not held
        return "hold_limit_reached_rooms" if alone else "hold_limit_reached_rooms_held"
    if asked is not None and asked > values["limit"]:
        return "hold_limit_reached"
    return "hold_limit_reached_held" if held else "hold_limit_reached"


def _pattern_words(ctx: dict[str, Any] | None) -> tuple[str, str] | None:
    """What a pattern a text failed allows, in words, where its schema says them
    (``service.text.described``: a login's characters, a slug's, a phone's), as the
    API's refusal says them."""
    return PATTERN_WORDS.get(str((ctx or {}).get("pattern")))


# The limits of a pydantic error's ``ctx`` that are a number the text says.
_BOUNDS = ("ge", "gt", "le", "lt")


def validation_text(
    kind: str, lang: Lang, ctx: dict[str, Any] | None = None, *, money: bool = False
) -> str:
    """A pydantic error of ``kind`` in ``lang``; with its ``ctx`` holding the limit the
    schema sets, the limit said (``VALIDATION_LIMITS``). ``money``: the field is an
    amount in fen (``max_total_fen``) that the form took in yuan, so its limit is said
    in yuan too (``¥100,000,000.00``, never the fen count ``10000000000``, which read
    as a hundred times the largest budget)."""
    if money and ctx:
        ctx = {k: yuan(v) if k in _BOUNDS and isinstance(v, int) else v for k, v in ctx.items()}
    if kind == "string_pattern_mismatch" and (words := _pattern_words(ctx)):
        return words[0] + "。" if lang == "zh-CN" else f"This {words[1]}."
    limited = VALIDATION_LIMITS.get(kind)
    if limited is not None and ctx:
        text = pick(limited, lang)
        names = {field.split(":")[0] for _, field, _, _ in string.Formatter().parse(text) if field}
        if names <= ctx.keys():
            return fill(text, **{n: ctx[n] for n in names})
    return pick(VALIDATION.get(kind, VALIDATION["value_error"]), lang)
