"""Problems of the bookings capability (RFC 9457 via ``service.errors``)."""

from catalog.inventory import SoldOut
from catalog.sellability import REASON_ZH
from service.errors import Conflict, DomainError, NotFound, Unprocessable


class BookingNotFound(NotFound):
    code = "booking_not_found"


def booking_not_found(reference: str) -> BookingNotFound:
    # The same answer whether the booking does not exist or is someone else's (no BOLA
    # oracle): partners see only their own, travellers need the booking's token.
    return BookingNotFound(
        f"No booking {reference} for this caller.",
        zh=f"此调用方没有预订 {reference}。",
        field="reference",
    )


def quote_not_found(quote_id: str) -> Unprocessable:
    return Unprocessable(
        f"No quote {quote_id} for this caller.",
        zh=f"此调用方没有报价 {quote_id}。",
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


def quote_already_booked(quote_id: str) -> Conflict:
    return Conflict(
        f"Quote {quote_id} is already booked; a quote backs one booking at a time (it may "
        "be booked again only if that booking is cancelled or expires).",
        zh=f"报价 {quote_id} 已被预订；一个报价同时只对应一笔预订"
        "（该预订取消或过期后才可再次预订）。",
        field="quote_id",
        code="quote_already_booked",
    )


def too_many_guests(allowed: int) -> Unprocessable:
    return Unprocessable(
        f"The quote is for {allowed} guests; list at most that many.",
        zh=f"该报价为 {allowed} 位客人；所列客人不得多于此数。",
        field="guests",
        code="too_many_guests",
    )


def sold_out(exc: SoldOut) -> Conflict:
    return Conflict(
        f"Sold out: product {exc.product_id} has {exc.available} units left on "
        f"{exc.night.isoformat()}.",
        zh=f"已售罄：产品 {exc.product_id} 在 {exc.night.isoformat()} 仅剩 {exc.available} 间。",
        field=f"items[{exc.index}]",
        code="sold_out",
        night=exc.night.isoformat(),
        product_id=exc.product_id,
    )


def not_on_sale(index: int, product_id: int, reason: str, day) -> Conflict:
    """A stay of the quote is no longer sellable: its operator closed a night or day
    since the quote (stop-sell, closed to arrival or departure, a stay length)."""
    return Conflict(
        f"Product {product_id} is no longer on sale for item {index}: {reason} on {day}.",
        zh=f"第 {index} 项的产品 {product_id} 已不再出售：{day} {REASON_ZH.get(reason, reason)}。",
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


def hold_limit(limit: int, held: int) -> Conflict:
    return Conflict(
        f"This client already holds {held} unpaid units; the limit is {limit}.",
        zh=f"此客户端已占用 {held} 间未付款房；上限为 {limit} 间。",
        code="hold_limit_reached",
        field="items",
        held_units=held,
        limit=limit,
    )


def anonymous_product_hold_limit(index: int, product_id: int, limit: int, held: int) -> Conflict:
    return Conflict(
        f"Unpaid bookings without an API key already hold {held} units of product "
        f"{product_id}; at most {limit} may be held unpaid this way. Retry once some are "
        "paid or expire.",
        zh=f"未带 API 密钥的未付款预订已占用产品 {product_id} 的 {held} 间；以此方式最多可占用 "
        f"{limit} 间。请待部分付款或过期后重试。",
        code="hold_limit_reached",
        field=f"items[{index}]",
        held_units=held,
        limit=limit,
        product_id=product_id,
    )


def anonymous_address_hold_limit(limit: int, held: int) -> Conflict:
    return Conflict(
        f"Unpaid bookings from this address already hold {held} units; at most {limit} "
        "may be held unpaid at once. Pay for them, or wait until they expire.",
        zh=f"来自此地址的未付款预订已占用 {held} 间；同时最多可占用 {limit} 间。"
        "请先付款，或等待其过期。",
        code="hold_limit_reached",
        field="items",
        held_units=held,
        limit=limit,
    )


def stub_already_used(code: str) -> Conflict:
    return Conflict(
        f"Ticket stub {code} was used by another booking meanwhile.",
        zh=f"票根 {code} 在此期间已被另一笔预订使用。",
        field="quote_id",
        code="stub_already_used",
    )


def not_cancellable(status: str) -> Conflict:
    return Conflict(
        f"A booking in status {status} cannot be cancelled.",
        zh=f"状态为 {status} 的预订不能取消。",
        field="status",
        code="not_cancellable",
    )


class PaymentsUnavailable(DomainError):
    status, code = 503, "payments_unavailable"
    title, title_zh = "Payments unavailable", "支付不可用"
