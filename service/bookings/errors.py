"""Problems of the bookings capability (RFC 9457 via ``service.errors``)."""

from datetime import date

from catalog.inventory import SoldOut
from catalog.sellability import reason_words
from pricing.labels import counted, stay_said
from service.bookings.models import STATUS_NAMES
from service.errors import Conflict, DomainError, NotFound, Unprocessable, echoed


class BookingNotFound(NotFound):
    code = "booking_not_found"


def booking_not_found(
    reference: str, unidentified: bool = False, *, token_beside_key: bool = False
) -> BookingNotFound:
    # The same answer whether the booking does not exist or is someone else's (no BOLA
    # oracle): partners see only their own, travellers need the booking's token.
    # ``unidentified``: the request sent neither a key nor a token, so no booking is
    # anyone's to it: it says what to send, for every reference alike.
    # ``token_beside_key``: it sent both, and a key says who calls, so the token was not
    # read (a mini-program holding a traveller's token sends it without its key): said
    # for every reference alike too, whether the token would have opened it or not.
    if unidentified:
        return BookingNotFound(
            f"No booking {reference} for this caller: a traveller sends the booking's token "
            "in X-Booking-Token, a partner its API key in Authorization.",
            zh=f"此调用方没有预订 {reference}：旅客请在 X-Booking-Token 请求头中发送预订凭证，"
            "合作方请在 Authorization 请求头中发送 API 密钥。",
            field="reference",
        )
    if token_beside_key:
        return BookingNotFound(
            f"No booking {reference} for this API key: with Authorization, only the bookings "
            "made with the key are read and X-Booking-Token is not; to open a booking by its "
            "token, send X-Booking-Token without Authorization.",
            zh=f"此 API 密钥没有预订 {reference}：带 Authorization 时只读取用该密钥所做的预订，"
            "不读取 X-Booking-Token；要凭预订凭证打开预订，请只发送 X-Booking-Token，"
            "不带 Authorization。",
            field="reference",
        )
    return BookingNotFound(
        f"No booking {reference} for this caller.",
        zh=f"此调用方没有预订 {reference}。",
        field="reference",
    )


def quote_not_found(quote_id: str) -> Unprocessable:
    return Unprocessable(
        f"No quote {echoed(quote_id)} for this caller.",
        zh=f"此调用方没有报价 {echoed(quote_id)}。",
        field="quote_id",
        code="quote_not_found",
    )


def quote_expired(quote_id: str) -> Unprocessable:
    return Unprocessable(
        f"Quote {quote_id} has expired; ask for a new quote.",
        zh=f"报价 {quote_id} 已过期；请重新报价。",
        field="quote_id",
        code="quote_expired",
    )


def quote_total_not_positive(quote_id: str) -> Unprocessable:
    """A quote whose total is not a positive amount (only a quote of catalogue data
    stored before rates had to be at least 1 fen can be): nothing to charge, and a night
    is never free, so it is not booked, with Stripe or without (docs/pricing.md, 19)."""
    return Unprocessable(
        f"Quote {quote_id} comes to 0 fen or less; a night is never free, so it cannot be "
        "booked. Ask the operator to correct the rate.",
        zh=f"报价 {quote_id} 的总价不大于 0 分；房晚不能免费，无法预订。请联系运营方更正房价。",
        field="quote_id",
        code="quote_total_not_positive",
    )


QUOTE_ALREADY_BOOKED = "quote_already_booked"


def quote_already_booked(quote_id: str) -> Conflict:
    return Conflict(
        f"Quote {quote_id} is already booked; a quote backs one booking at a time (it may "
        "be booked again only if that booking is cancelled or expires).",
        zh=f"报价 {quote_id} 已被预订；一个报价同时只对应一笔预订"
        "（该预订取消或过期后才可再次预订）。",
        field="quote_id",
        code=QUOTE_ALREADY_BOOKED,
    )


def too_many_guests(allowed: int) -> Unprocessable:
    return Unprocessable(
        f"The quote is for {counted(allowed, 'guest')}; list at most that many.",
        zh=f"该报价为 {allowed} 位客人；所列客人不得多于此数。",
        field="guests",
        code="too_many_guests",
    )


LEAD_NOT_AMONG_GUESTS = "lead_not_among_guests"


def lead_not_among_guests(allowed: int, listed: int) -> Unprocessable:
    """``listed`` guests without the lead traveller's name, who stays too: one more than
    the quote's ``allowed`` party (``service.check_party``)."""
    others = allowed - 1
    fewer = (
        (f"at most {counted(others, 'other guest')}", f"或最多列出另外 {others} 位客人")
        if others
        else ("list no other guest", "或不列出其他客人")
    )
    return Unprocessable(
        f"The quote is for {counted(allowed, 'guest')}, the lead traveller included; the "
        f"lead traveller's name is not among the {listed} listed, which makes "
        f"{listed + 1}. List the lead traveller among the guests, or {fewer[0]}.",
        zh=f"该报价为 {allowed} 位客人（含联系人本人）；所列 {listed} 位客人中没有联系人的"
        f"姓名，合计 {listed + 1} 人。请把联系人列入客人，{fewer[1]}。",
        field="guests",
        code=LEAD_NOT_AMONG_GUESTS,
    )


def _units(n: int) -> str:
    return counted(n, "unit")


def sold_out(exc: SoldOut) -> Conflict:
    """None left (or the night not sold): sold out; some, but fewer than asked: how many."""
    night, product_id = exc.night.isoformat(), exc.product_id
    if exc.available <= 0:
        en = f"Sold out: product {product_id} has no units left on {night}."
        zh = f"已售罄：产品 {product_id} 在 {night} 已无空房。"
    else:
        en = (
            f"Not enough units: product {product_id} has only {_units(exc.available)} left "
            f"on {night}."
        )
        zh = f"空房不足：产品 {product_id} 在 {night} 仅剩 {exc.available} 间。"
    return Conflict(
        en,
        zh=zh,
        field=f"items[{exc.index}]",
        code="sold_out",
        night=exc.night.isoformat(),
        product_id=exc.product_id,
    )


def not_on_sale(index: int, product_id: int, reason: str, day) -> Conflict:
    """A stay of the quote is no longer sellable: its operator closed a night or day
    since the quote (stop-sell, closed to arrival or departure, a stay length), or
    retired the product (``product_retired``, with no ``day``)."""
    zh, en = reason_words(reason, day)
    stay_zh, stay_en = stay_said(index)
    return Conflict(
        f"Product {product_id} is no longer on sale for {stay_en}: {en}.",
        zh=f"{stay_zh}的产品 {product_id} 已不再出售：{zh}。",
        code="not_on_sale",
        field=f"items[{index}]",
        reason=reason,
        day=day.isoformat() if day else None,
    )


def inventory_busy() -> Conflict:
    return Conflict(
        "The inventory is busy; retry in a moment (nothing was booked).",
        zh="库存正忙；请稍后重试（未做任何预订）。",
        code="inventory_busy",
        headers={"Retry-After": "1"},
    )


# Each cap has two refusals: the booking asks for more than the cap by itself (nothing
# held would have to lapse: book fewer units), or the units already held and the ones
# asked for together are over it (wait for some to be paid or lapse). Each says
# ``held_units``, ``limit`` and ``asked_units`` (what this booking asks for, so a page
# can tell the two apart).


def _hold_limit(
    en: str, zh: str, field: str, limit: int, held: int, asked: int, **extra
) -> Conflict:
    return Conflict(
        en,
        zh=zh,
        code="hold_limit_reached",
        field=field,
        held_units=held,
        limit=limit,
        asked_units=asked,
        **extra,
    )


def hold_limit(limit: int, held: int, wanted: int) -> Conflict:
    if wanted > limit:
        en = (
            f"This booking asks for {_units(wanted)} unpaid; this client may hold at most "
            f"{limit} unpaid. Book fewer units."
        )
        zh = f"此预订要求 {wanted} 间未付款房；此客户端最多可占用 {limit} 间未付款房。请减少间数。"
    else:
        en = (
            f"This client already holds {_units(held)} unpaid and this booking asks for "
            f"{wanted} more; the limit is {limit}."
        )
        zh = f"此客户端已占用 {held} 间未付款房，此预订还要 {wanted} 间；上限为 {limit} 间。"
    return _hold_limit(en, zh, "items", limit, held, wanted)


def anonymous_product_hold_limit(
    index: int, product_id: int, limit: int, held: int, wanted: int
) -> Conflict:
    if wanted > limit:
        en = (
            f"This booking asks for {_units(wanted)} of product {product_id} unpaid; bookings "
            f"without an API key may hold at most {limit} of it unpaid together. Book fewer "
            "units."
        )
        zh = (
            f"此预订要求产品 {product_id} 的 {wanted} 间未付款房；未带 API 密钥的预订合计最多"
            f"可占用此产品 {limit} 间。请减少间数。"
        )
    else:
        en = (
            f"Unpaid bookings without an API key already hold {_units(held)} of product "
            f"{product_id} and this booking asks for {wanted} more; at most {limit} may be "
            "held unpaid this way. Retry once some are paid or expire."
        )
        zh = (
            f"未带 API 密钥的未付款预订已占用产品 {product_id} 的 {held} 间，此预订还要 "
            f"{wanted} 间；以此方式最多可占用 {limit} 间。请待部分付款或过期后重试。"
        )
    return _hold_limit(en, zh, f"items[{index}]", limit, held, wanted, product_id=product_id)


def _rooms(n: int) -> str:
    return counted(n, "room")


def anonymous_address_hold_limit(limit: int, held: int, rooms: int) -> Conflict:
    """The address cap counts rooms at once per booking (``service.at_once``): ``rooms``
    this booking needs at once, ``held`` the rooms at once of each of the address's
    counted bookings, added up over them whatever their dates (two bookings of 2 rooms
    in January and in March count 4). The words say so, never "hold N rooms at once"
    of bookings that are never held at the same time."""
    if rooms > limit:
        en = (
            f"This booking needs {_rooms(rooms)} at once; bookings without an API key from "
            f"one address may hold at most {_rooms(limit)} unpaid, each booking counted by "
            "the rooms it needs at once. Book fewer rooms."
        )
        zh = (
            f"此预订同时需要 {rooms} 间房；同一地址未带 API 密钥的未付款预订最多可占用 "
            f"{limit} 间（每笔预订按其同时需要的间数计）。请减少间数。"
        )
    else:
        en = (
            f"Unpaid bookings from this address already count {_rooms(held)} (each booking "
            "counts the rooms it needs at once, whatever its dates, added up over the "
            f"bookings) and this booking needs {rooms} more; at most {_rooms(limit)} may be "
            "held unpaid from one address. A pay-at-property booking counts for 24 hours "
            "after it is made, an online-payment hold until it is paid or expires: book "
            "fewer rooms, or wait."
        )
        zh = (
            f"来自此地址的未付款预订已计 {held} 间房（每笔预订按其同时需要的间数计，无论日期，"
            f"各笔相加），此预订还要 {rooms} 间；同一地址最多可计 {limit} 间。到店付款的预订在"
            "预订后 24 小时内计入，在线付款的保留在付款或过期前计入：请减少间数，或稍后再试。"
        )
    return _hold_limit(en, zh, "items", limit, held, rooms)


STUB_ALREADY_USED = "stub_already_used"


def stub_already_used(code: str) -> Conflict:
    return Conflict(
        f"Ticket stub {code} was used by another booking meanwhile.",
        zh=f"票根 {code} 在此期间已被另一笔预订使用。",
        field="quote_id",
        code=STUB_ALREADY_USED,
    )


NOT_CANCELLABLE = "not_cancellable"


def not_cancellable(status: str) -> Conflict:
    """The status said by its name in each language (``STATUS_NAMES``, the pages' and the
    console's words), not its code: the code is the booking's ``status`` field."""
    zh, en = STATUS_NAMES[status]
    return Conflict(
        f"This booking's status is {en}: it cannot be cancelled.",
        zh=f"这笔预订的状态是「{zh}」，不能取消。",
        field="status",
        code=NOT_CANCELLABLE,
    )


STAY_STARTED = "stay_started"
STAY_NO_SHOW = "stay_no_show"
# A booking that can no longer be cancelled, for whatever reason: its page says why.
UNCANCELLABLE = (NOT_CANCELLABLE, STAY_STARTED, STAY_NO_SHOW)


def stay_no_show(
    item_index: int, desk_zh: str, desk_en: str, check_out: date, today: date
) -> Conflict:
    """A no-show stops everyone cancelling (``cancellation.kept_stay``); only the front
    desk's undo lifts it, before the stay's check-out day (``operators.bookings``). The
    desk is named by its destination (``desk_zh``, ``desk_en``: the stay's destination's
    names), the place the traveller calls, never by the product booked."""
    stay_zh, stay_en = stay_said(item_index)
    if today < check_out:
        undo_en = (
            f"If the guest has arrived or still means to come, ask the front desk at "
            f"{desk_en} to undo the no-show, which it can before the check-out day, "
            f"{check_out}."
        )
        undo_zh = (
            f"如旅客已经到店或仍会入住，请联系「{desk_zh}」的前台撤销未到店登记；"
            f"前台可在退房日（{check_out}）之前撤销。"
        )
    else:
        undo_en = f"The stay's check-out day, {check_out}, has come: the no-show stands."
        undo_zh = f"该住宿的退房日（{check_out}）已到，未到店登记不能再撤销。"
    return Conflict(
        f"{stay_en.capitalize()} of this booking was marked a no-show by the front desk at "
        f"{desk_en}: its nights stay sold, and the booking cannot be cancelled while the "
        f"no-show stands. {undo_en}",
        zh=f"此预订的{stay_zh}已被「{desk_zh}」的前台登记为未到店：其房晚仍算售出，"
        f"未到店登记撤销之前，预订不能取消。{undo_zh}",
        field=f"items[{item_index}]",
        code=STAY_NO_SHOW,
    )


def stay_started(item_index: int, stay_status: str) -> Conflict:
    words = {"checked_in": ("checked in", "已入住"), "completed": ("checked out", "已离店")}
    en, zh = words.get(stay_status, (stay_status, stay_status))
    stay_zh, stay_en = stay_said(item_index)
    return Conflict(
        f"{stay_en.capitalize()} of this booking is {en}: a stay that has begun cannot be "
        "cancelled, and its nights are not put back on sale.",
        zh=f"此预订的{stay_zh}{zh}：已开始的入住不能取消，其房晚也不会重新出售。",
        field=f"items[{item_index}]",
        code=STAY_STARTED,
    )


class PaymentsUnavailable(DomainError):
    status, code = 503, "payments_unavailable"
    title, title_zh = "Payments unavailable", "支付不可用"
