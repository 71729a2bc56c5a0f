"""The bookings of an operator's destinations: list, detail, front-desk transitions and
cancellation by the operator.

A booking is the operator's when one of its stay items is a product of the operator's
destinations (through ``scope.scoped``); everything else is 404. The operator sees the
guests' data of those bookings only, and only the items of its own destinations.

Front desk (per stay item, on the operator's own items of a confirmed booking):
``checked_in`` (from the check-in date), then ``completed``; or ``no_show`` (from the
check-in date, instead of a check-in). Each record made by mistake is undone, one step
back, until the stay's last night (from its check-out day it stands: 409 ``too_late``,
``_too_late``, one rule for every undo): a no-show back to ``expected`` (not arrived
yet) or straight to ``checked_in`` (the guest came late); a check-in back to
``expected``; a check-out (``completed``) back to ``checked_in``. Anything else is 409
``invalid_transition``. A stay checked in, checked out or marked a no-show stops the
booking being cancelled (``cancellation.kept_stay``); undone back to expected, it no
longer does.
Cancelling needs every item to be the operator's (a trip that also stays elsewhere is
cancelled by its traveller or partner). The operator cancelling of its own accord
refunds everything paid (the traveller did nothing wrong); cancelling because the
traveller asked (``on_behalf_of_traveller``) refunds what the product's policy gives,
as the traveller's own cancel would. Both are the one cancellation of
``service.bookings.cancellation``, on the terms ``operator_terms`` says.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Session, select

from catalog.models import Product
from service.bookings import models as booking_models
from service.bookings import repository
from service.bookings.cancellation import (
    BY_OPERATOR,
    NO_SHOW,
    CancellationResult,
    cancel_booking,
    cancellation_terms,
    operator_terms,
)
from service.bookings.models import (
    CANCELLED,
    CONFIRMED,
    EXPIRED,
    MODE_MERCHANT_COLLECTS,
    MODE_PAY_AT_PROPERTY,
    MODE_STRIPE,
    PENDING_PAYMENT,
    STATUS_NAMES,
    Booking,
    BookingItem,
    BookingLeg,
)
from service.bookings.paid import paid_fen
from service.bookings.ports import Payments
from service.bookings.service import reference_key
from service.bookings.shares import Shares, shares
from service.bookings.transitions import touch
from service.clock import local_date
from service.errors import Conflict
from service.logs import mask_id_number, mask_name, mask_phone
from service.operators import audit, errors
from service.operators.scope import BOOKINGS, Operator, scoped
from service.pagination import keyset
from service.payments import refunds

CHECKED_IN, COMPLETED = "checked_in", "completed"
STAY_STATUSES = (CHECKED_IN, COMPLETED, NO_SHOW)
# What the front desk may ask for besides a status: ``expected``, not arrived yet (a stay
# status of None), to undo a no-show or a check-in recorded by mistake.
EXPECTED = "expected"
DESK_MOVES = (*STAY_STATUSES, EXPECTED)  # the API's ``StayStatusIn.status``
_STORED = {EXPECTED: None}  # what a move writes, when not its own name
# What a stay's front-desk status is called (zh-CN, English); None: not arrived yet.
STAY_STATUS_NAMES = {
    None: ("待入住", "Expected"),
    CHECKED_IN: ("已入住", "Checked in"),
    COMPLETED: ("已离店", "Completed"),
    NO_SHOW: ("未到店", "No-show"),
}
# A cancelled or expired booking's stays will not happen: not "Expected", not applicable.
NO_STAY_NAMES = {
    CANCELLED: ("已取消，无需入住", "Cancelled: no stay"),
    EXPIRED: ("已过期，无需入住", "Expired: no stay"),
}
_ALLOWED_FROM = {
    # from a no-show: the guest came after all; from completed: a check-out undone
    CHECKED_IN: (None, NO_SHOW, COMPLETED),
    COMPLETED: (CHECKED_IN,),
    NO_SHOW: (None,),
    EXPECTED: (NO_SHOW, CHECKED_IN),  # a no-show or a check-in undone
}
# The undos that are not a no-show's (every move from a no-show undoes it), by the
# change they make: its audit action (``stay_<change>``) and the console's words.
CHECK_IN_UNDONE, CHECK_OUT_UNDONE = "check_in_undone", "check_out_undone"
_UNDOS = {(CHECKED_IN, EXPECTED): CHECK_IN_UNDONE, (COMPLETED, CHECKED_IN): CHECK_OUT_UNDONE}
# What can no longer be undone from the check-out day (``_too_late``), by the record
# undone (zh-CN, English).
_RECORD_OF = {
    NO_SHOW: ("未到店登记", "its no-show"),
    CHECKED_IN: ("入住登记", "its check-in"),
    COMPLETED: ("离店登记", "its check-out"),
}
# A change the front desk may not make, said in words (``_refused_change``): where the
# stay is (zh-CN, English), and what would be done to it.
_STAY_IS = {
    None: ("这段住宿尚未办理入住", "This stay has not been checked in yet"),
    CHECKED_IN: ("这段住宿已办理入住", "This stay is already checked in"),
    COMPLETED: ("这段住宿已办理离店", "This stay is already checked out"),
    NO_SHOW: ("这段住宿已标记为未到店", "This stay is already marked as a no-show"),
}
_STAY_DONE = {
    CHECKED_IN: ("办理入住", "checked in"),
    COMPLETED: ("办理离店", "checked out"),
    NO_SHOW: ("标记为未到店", "marked as a no-show"),
    # refused only to a stay checked out (one step back at a time)
    EXPECTED: (
        "改回待入住（请先撤销离店，改回已入住）",
        "put back to expected (undo the check-out first, back to checked in)",
    ),
}
# What may not happen before the check-in date (``_too_early``), after 「入住日期为 …，」 /
# "The stay begins on …; ".
_NOT_BEFORE = {
    CHECKED_IN: ("此前不能办理入住", "the guest cannot be checked in before then"),
    NO_SHOW: ("此前不能标记为未到店", "it cannot be marked as a no-show before then"),
}


def stay_shown(booking: Booking, item: BookingItem) -> str:
    """What an item's stay is, for display: the booking's status when it is cancelled or
    expired (a key of ``NO_STAY_NAMES``), else its front-desk status (``"none"``: expected)."""
    if booking.status in NO_STAY_NAMES:
        return booking.status
    return item.stay_status or "none"


def _stored(move: str) -> str | None:
    """The stay status a front-desk move writes (``expected``: None)."""
    return _STORED.get(move, move)


def _refused_change(was: str | None, status: str) -> tuple[str, str]:
    """Why a stay that is ``was`` cannot be given ``status`` (English, zh-CN): "This stay
    is already checked out, so it cannot be checked in."; when it is ``status`` already,
    only that."""
    is_zh, is_en = _STAY_IS[was]
    if was == _stored(status):
        return f"{is_en}.", f"{is_zh}。"
    done_zh, done_en = _STAY_DONE[status]
    return f"{is_en}, so it cannot be {done_en}.", f"{is_zh}，不能{done_zh}。"


def _too_early(status: str, item: BookingItem, today: date) -> bool:
    """A check-in or a no-show is recorded from the check-in date, not before."""
    return status in _NOT_BEFORE and today < item.check_in


def desk_change(was: str | None, status: str) -> str:
    """What giving a stay that is ``was`` the move ``status`` does, named: ``status``
    itself (a record, or a no-show undone: ``expected``, or ``checked_in`` for a guest
    who came late), or ``check_in_undone`` / ``check_out_undone``. The audit entry's
    action is ``stay_<this>``; the console's buttons and notices say it in words."""
    return _UNDOS.get((was, status), status)


def _undoes(was: str | None, status: str) -> bool:
    return was == NO_SHOW or (was, status) in _UNDOS


def _too_late(status: str, item: BookingItem, today: date) -> bool:
    """Every undo (a no-show to expected or checked in, a check-in to expected, a
    check-out to checked in) is made until the stay's last night: from its check-out day
    the record stands. One rule, the no-show's: no night is left to arrive or to stay
    for, the booking is completed once its last stay's check-out day has come (and the
    desk changes confirmed bookings only, so a later day would hold for some stays and
    not the last), and the survey opens on that day whatever the desk recorded."""
    return _undoes(item.stay_status, status) and today >= item.check_out


def _refused_move(status: str, item: BookingItem, today: date) -> Conflict | None:
    """Why the front desk may not give ``item`` ``status`` on ``today`` (409
    ``invalid_transition``, ``too_early`` or ``too_late``, in words), or None: the one
    rule of ``set_stay_status`` and of the console's buttons (``stay_moves``)."""
    if item.stay_status not in _ALLOWED_FROM[status]:
        return _conflict("invalid_transition", *_refused_change(item.stay_status, status), "status")
    if _too_early(status, item, today):
        not_zh, not_en = _NOT_BEFORE[status]
        return _conflict(
            "too_early",
            f"The stay begins on {item.check_in}; {not_en}.",
            f"入住日期为 {item.check_in}，{not_zh}。",
            "status",
        )
    if _too_late(status, item, today):
        record_zh, record_en = _RECORD_OF[item.stay_status]
        return _conflict(
            "too_late",
            f"The stay ends on {item.check_out}; from that day {record_en} can no longer be "
            "undone.",
            f"离店日期为 {item.check_out}，从当天起不能再撤销{record_zh}。",
            "status",
        )
    return None


def stay_moves(booking: Booking, item: BookingItem, today: date) -> list[str]:
    """The front-desk statuses ``item`` may be given on ``today`` (the checks of
    ``set_stay_status``, which refuses every other one): the console's buttons."""
    if booking.status != CONFIRMED:
        return []
    return [s for s in DESK_MOVES if _refused_move(s, item, today) is None]


@dataclass
class OperatorBooking:
    booking: Booking
    items: list[BookingItem]  # the operator's own items
    legs: list[BookingLeg]
    all_items_mine: bool
    destination_ids: list[int]
    # every stay's share of the total, the booking's other stays' too (``bookings.shares``)
    shares: Shares = field(default_factory=lambda: Shares({}, {}))
    # item index -> destination id, of every stay of the booking (the others' too)
    stay_destinations: dict[int, int] = field(default_factory=dict)

    @property
    def own_fen(self) -> int:
        """What the operator's destinations are paid of the booking: its total when every
        stay is theirs, else their stays' shares (their nets and the fares of the
        transfers that leave from them, ``bookings.shares``); never the trip's total."""
        return self.booking.total_fen if self.all_items_mine else self.shares.of(self.items)

    @property
    def own_legs(self) -> list[int]:
        """The leg indexes whose fares are the operator's to be paid (every one when
        every stay is theirs)."""
        if self.all_items_mine:
            return [g.leg_index for g in self.legs]
        return self.shares.legs_with(self.items)

    def fare_of(self, leg: BookingLeg) -> int | None:
        """The one rule for a transfer's fare shown to an operator (the admin API's
        ``legs[].net_fen`` and the console's booking page): its fare when it is the
        operator's to be paid (``own_legs``; every one when every stay is theirs, and to
        the province), else None: another destination's stay carries it, and that fare is
        part of that destination's amount, not the operator's to read."""
        return leg.net_fen if leg.leg_index in self.own_legs else None


@dataclass(frozen=True)
class PersonalData:
    """The lead traveller and the guests of a booking as one operator may see them."""

    in_clear: bool
    lead_name: str
    lead_phone: str
    guests: list[dict]  # {"name", "id_number"}


# Where a booking's money stands for the front desk (``payment_of``).
COLLECT = "collect"  # pay at the property: the guest pays the desk (not recorded here)
STAY_ENDED_AT_PROPERTY = "stay_ended_at_property"  # pay at the property, the stay over
AWAITING_ONLINE = "awaiting_online"  # Stripe: the hold waits for the payment
PAID_ONLINE = "paid_online"  # Stripe: paid, nothing to collect
PARTNER_COLLECTED = "partner_collected"  # the partner took the money, nothing to collect
REFUNDED = "refunded"  # ended after a payment: what was paid and what is refunded
NOTHING_PAID = "nothing_paid"  # ended before any payment: nothing paid, nothing due
NO_SHOW_AT_PROPERTY = "no_show_at_property"  # pay at the property, every stay a no-show


@dataclass(frozen=True)
class PaymentShown:
    """How a booking is paid and where its money stands, as the desk needs it: what to
    collect from the guest at the property (``collect_fen``, pay at the property only),
    what was paid online or to the partner and what is refunded."""

    mode: str
    state: str
    collect_fen: int = 0
    paid_fen: int = 0
    refunded_fen: int = 0  # what Stripe has refunded (or the partner refunds)
    refund_requested_fen: int = 0  # asked of Stripe (``booking.refund_status``)
    refund_status: str | None = None


def payment_of(view: OperatorBooking) -> PaymentShown:
    """From the booking's own data (payment mode, status, total, refunded amount, the
    cancellation's record of what was paid: ``bookings.paid.paid_fen``, the rule the API's
    ``payment.paid_fen`` and the traveller's page say too). Paid online means confirmed
    or completed (a Stripe booking is confirmed by its payment); a pay-at-property
    booking's money is taken at the desk and never recorded here. The desk collects its
    own stays' shares (``bookings.shares``: each stay's net price and the fares of the
    transfers the traveller boards from it), the whole total when every stay is its own;
    a trip that also stays at another destination, the rest is the other destinations',
    and the shares of all the desks sum to the total. A stay the desk marked ``no_show``
    is not collected, nor the fares that go with it: the guest never came, and there is
    no no-show charge (its nights stay sold, the booking is not cancelled); every stay a
    no-show, nothing is collected (``NO_SHOW_AT_PROPERTY``). Paid online or to the
    partner, a trip that also stays elsewhere shows the operator's own amount
    (``own_fen``) as what was paid, never the trip's."""
    b = view.booking
    mode = b.payment_mode
    if b.status in (CANCELLED, EXPIRED):
        paid = paid_fen(b)
        if not paid:
            return PaymentShown(mode, NOTHING_PAID)
        refunded, requested = b.refunded_fen, b.refund_requested_fen
        if not view.all_items_mine:
            paid, refunded, requested = _own_refunds(view)
        return PaymentShown(
            mode,
            REFUNDED,
            paid_fen=paid,
            refunded_fen=refunded,
            refund_requested_fen=requested,
            refund_status=b.refund_status,
        )
    if mode == MODE_PAY_AT_PROPERTY:
        came = [i for i in view.items if i.stay_status != NO_SHOW]
        if not came:
            return PaymentShown(mode, NO_SHOW_AT_PROPERTY)
        share = view.own_fen if len(came) == len(view.items) else view.shares.to_collect(view.items)
        state = STAY_ENDED_AT_PROPERTY if b.status == booking_models.COMPLETED else COLLECT
        return PaymentShown(mode, state, collect_fen=share)
    if mode == MODE_STRIPE and b.status == PENDING_PAYMENT:
        return PaymentShown(mode, AWAITING_ONLINE)
    state = PARTNER_COLLECTED if mode == MODE_MERCHANT_COLLECTS else PAID_ONLINE
    paid = paid_fen(b) if view.all_items_mine else view.own_fen
    return PaymentShown(mode, state, paid_fen=paid, refunded_fen=b.refunded_fen)


def cancellation_of(view: OperatorBooking) -> dict | None:
    """The booking's recorded cancellation as its operator reads it: as recorded when
    every stay is the operator's; on a trip that also stays elsewhere, only the lines of
    its own stays and of the transfers paid with them (``own_legs``), and of what was paid
    and is refunded, its own part: ``paid_fen`` its ``own_fen``, ``refundable_fen`` and
    ``refund_fen`` its lines' sum. Exact, as the refund is the sum of its lines; never the
    other destinations' stays nor the trip's total."""
    recorded = view.booking.cancellation
    if not recorded or view.all_items_mine:
        return recorded
    stays, legs = {i.item_index for i in view.items}, set(view.own_legs)
    lines = [
        line
        for line in recorded.get("lines") or []
        if line["index"] in (stays if line["kind"] == "item" else legs)
    ]
    own = sum(line["amount_fen"] for line in lines)
    return {
        **recorded,
        "lines": lines,
        "paid_fen": view.own_fen if recorded.get("paid_fen") else 0,
        "refundable_fen": own,
        "refund_fen": own if recorded.get("refund_fen") else 0,
    }


def split_exactly(total: int, weights: Sequence[int]) -> list[int]:
    """``total`` in parts proportional to ``weights`` (not all zero, ``total`` at most
    their sum), in whole fen that always sum to ``total``: each part rounded down, the
    fen left over to the largest remainders, ties to the earlier weight (the largest
    remainder method). One fen over two equal weights: [1, 0], never [0, 0]."""
    whole = sum(weights)
    if not whole:
        return [0] * len(weights)
    parts = [total * w // whole for w in weights]
    left = total - sum(parts)
    by_remainder = sorted(range(len(weights)), key=lambda k: (-(total * weights[k] % whole), k))
    for k in by_remainder[:left]:
        parts[k] += 1
    return parts


def _refund_parts(view: OperatorBooking) -> dict[int, int]:
    """destination id -> what the trip's refund asked for that destination's stays: its
    lines of the cancellation (its stays, the transfers paid with them), or, a payment
    after the booking ended (nothing paid recorded: refunded in full), its stays' shares.
    Every destination of the booking, in the order of its first stay."""
    at = view.stay_destinations
    part = {at[i]: 0 for i in sorted(at)}
    recorded = view.booking.cancellation or {}
    if not recorded.get("paid_fen"):
        for i, fen in view.shares.fen.items():
            part[at[i]] += fen
        return part
    for line in recorded.get("lines") or []:
        stay = line["index"] if line["kind"] == "item" else view.shares.carrier.get(line["index"])
        if stay in at:
            part[at[stay]] += line["amount_fen"]
    return part


def _own_refunds(view: OperatorBooking) -> tuple[int, int, int]:
    """A cancelled trip that also stays elsewhere, paid: the operator's part of what was
    paid, refunded (made) and asked of Stripe or the partner (``cancellation_of``'s
    refund). What is made is one refund for the whole trip: all made, all of it; none,
    none; a part (a refund that failed after a part was made), that part split over the
    trip's destinations in proportion to what was asked for each (``split_exactly``: the
    parts of every operator sum to what was made, to the fen). A payment that arrived
    after the booking ended (its cancellation recorded nothing paid) is refunded in full:
    all of its part."""
    b = view.booking
    own = cancellation_of(view) or {}
    paid = view.own_fen
    requested = own["refund_fen"] if own.get("paid_fen") else paid
    if not b.refund_requested_fen or b.refunded_fen >= b.refund_requested_fen:
        refunded = requested if b.refunded_fen else 0
    else:
        asked = _refund_parts(view)
        made = dict(zip(asked, split_exactly(b.refunded_fen, list(asked.values())), strict=True))
        mine = {view.stay_destinations[i.item_index] for i in view.items}
        refunded = sum(made[d] for d in mine)
    return paid, refunded, requested if b.refund_requested_fen or b.refunded_fen else 0


def personal_data(operator: Operator, view: OperatorBooking) -> PersonalData:
    """The one rule for the guests' personal data (names, phones, ID numbers) shown to
    operators: in clear only to the operator of a booked destination; the province, which
    sees every booking, gets them masked as the lists mask them. The admin API and the
    console both render what this returns."""
    b = view.booking
    guests = [dict(g) for g in b.guests or []]
    if not operator.is_province and view.destination_ids:
        return PersonalData(True, b.lead_name, b.lead_phone, guests)
    return PersonalData(
        False,
        mask_name(b.lead_name),
        mask_phone(b.lead_phone),
        [
            {
                "name": mask_name(g.get("name") or ""),
                "id_number": mask_id_number(g["id_number"]) if g.get("id_number") else None,
            }
            for g in guests
        ],
    )


def _mine_stmt(operator: Operator):
    """Ids of bookings with at least one item at the operator's destinations."""
    return scoped(
        sa.select(BookingItem.booking_id)
        .join(Product, Product.id == BookingItem.product_id)
        .distinct(),
        operator,
        Product.destination_id,
    )


def _item_destinations(session: Session, booking_ids: list[int]) -> dict[int, int]:
    """product_id -> destination_id of every product the bookings' items name."""
    rows = session.exec(
        select(Product.id, Product.destination_id).where(
            Product.id.in_(
                select(BookingItem.product_id).where(BookingItem.booking_id.in_(booking_ids))
            )
        )
    )
    return dict(rows.all())


def _views(session: Session, operator: Operator, rows: list[Booking]) -> list[OperatorBooking]:
    ids = [b.id for b in rows]
    items = repository.items_of(session, ids)
    legs = repository.legs_of(session, ids)
    dest_of = _item_destinations(session, ids) if ids else {}
    out = []
    for b in rows:
        mine = [i for i in items[b.id] if operator.sees(dest_of.get(i.product_id))]
        out.append(
            OperatorBooking(
                b,
                mine,
                legs[b.id],
                all_items_mine=len(mine) == len(items[b.id]),
                destination_ids=sorted({dest_of[i.product_id] for i in mine}),
                shares=shares(items[b.id], legs[b.id]),
                stay_destinations={i.item_index: dest_of[i.product_id] for i in items[b.id]},
            )
        )
    return out


def list_bookings(
    session: Session,
    operator: Operator,
    *,
    destination_id: int | None,
    status: str | None,
    arriving_from: date | None,
    arriving_to: date | None,
    before_id: int | None,
    limit: int,
    backward: bool = False,
    traveller_hashes: tuple[str, ...] | None = None,
    lead_name: str | None = None,
) -> list[OperatorBooking]:
    """Newest first (those older than ``before_id``; ``backward``, the newer ones from
    it, nearest first: ``pagination.keyset``). ``arriving_*``: bookings with an item of
    the operator's that checks in within the dates (inclusive). ``traveller_hashes``: the
    lead traveller's phone's keyed hashes (``clients.keys.traveller_hashes``);
    ``lead_name``: the lead traveller's name, exactly (``booking_list``)."""
    if arriving_from is not None and arriving_to is not None:
        errors.check_days(arriving_from, arriving_to, last_field="arriving_to")
    mine = _mine_stmt(operator)
    if destination_id is not None:
        mine = mine.where(Product.destination_id == destination_id)
    if arriving_from is not None:
        mine = mine.where(BookingItem.check_in >= arriving_from)
    if arriving_to is not None:
        mine = mine.where(BookingItem.check_in <= arriving_to)
    stmt = select(Booking).where(Booking.id.in_(mine))
    if status is not None:
        stmt = stmt.where(Booking.status == status)
    if traveller_hashes is not None:
        stmt = stmt.where(Booking.traveller_hash.in_(traveller_hashes))
    if lead_name is not None:
        stmt = stmt.where(Booking.lead_name == lead_name)
    stmt = keyset(stmt, Booking.id, before_id, backward=backward, newest_first=True)
    rows = list(session.exec(stmt.limit(limit)))
    return _views(session, operator, rows)


def stays_moving(
    session: Session,
    operator: Operator,
    first: date,
    last: date,
    *,
    destination_id: int | None = None,
    statuses: Sequence[str] | None = None,
) -> list[tuple[OperatorBooking, BookingItem]]:
    """The operator's stays that check in or check out on a day ``first``..``last``
    (both included), at one destination or all of the operator's, of bookings of
    ``statuses`` (None: any): each booking's own stay items, in booking order, then the
    item's. The one rule of the dashboard's day (``front_desk_day``) and the desk's
    arrivals export (``operators.arrivals``)."""
    arrives, departs = BookingItem.check_in, BookingItem.check_out
    mine = _mine_stmt(operator).where(
        sa.or_(arrives.between(first, last), departs.between(first, last))
    )
    if destination_id is not None:
        mine = mine.where(Product.destination_id == destination_id)
    stmt = select(Booking).where(Booking.id.in_(mine))
    if statuses is not None:
        stmt = stmt.where(Booking.status.in_(statuses))
    rows = list(session.exec(stmt.order_by(Booking.id)))
    return [
        (v, i)
        for v in _views(session, operator, rows)
        for i in v.items
        if (first <= i.check_in <= last or first <= i.check_out <= last)
        and destination_id in (None, v.stay_destinations[i.item_index])
    ]


def front_desk_day(
    session: Session, operator: Operator, day: date
) -> tuple[list[tuple[OperatorBooking, BookingItem]], list[tuple[OperatorBooking, BookingItem]]]:
    """The day's arrivals and departures at the operator's destinations: each confirmed
    booking's own stay items that check in (or out) on ``day``, in booking order."""
    moving = stays_moving(session, operator, day, day, statuses=(CONFIRMED,))
    return (
        [(v, i) for v, i in moving if i.check_in == day],
        [(v, i) for v, i in moving if i.check_out == day],
    )


def booking_of(session: Session, operator: Operator, reference: str) -> OperatorBooking:
    ref = reference_key(reference)
    row = (
        session.exec(
            select(Booking).where(Booking.reference == ref, Booking.id.in_(_mine_stmt(operator)))
        ).first()
        if len(ref) <= 12
        else None
    )
    if row is None:
        raise errors.not_found("booking", reference, "reference")
    return _views(session, operator, [row])[0]


def _conflict(code: str, en: str, zh: str, field: str):
    return errors.make(Conflict, en, zh, code=code, field=field)


def set_stay_status(
    session: Session,
    operator: Operator,
    reference: str,
    *,
    item_index: int,
    status: str,
    now: datetime,
) -> OperatorBooking:
    view = booking_of(session, operator, reference)
    operator.require(BOOKINGS)
    item = next((i for i in view.items if i.item_index == item_index), None)
    if item is None:
        raise errors.no_such_stay(reference, item_index)
    booking = repository.lock(session, view.booking.id)
    # The stay as it is under the lock: another desk click may have committed since it
    # was read above (a check-in, then this no-show, would overwrite it).
    stays = repository.items_of(session, [booking.id])[booking.id]
    item = next(i for i in stays if i.item_index == item_index)
    if booking.status != CONFIRMED:
        is_zh, is_en = STATUS_NAMES[booking.status]
        raise _conflict(
            "invalid_transition",
            f"Booking {booking.reference} is {is_en.lower()}, not confirmed.",
            f"预订 {booking.reference} 的状态为{is_zh}，不是已确认。",
            "status",
        )
    if (refused := _refused_move(status, item, local_date(now))) is not None:
        raise refused
    before = {"item_index": item_index, "stay_status": item.stay_status}
    change = desk_change(item.stay_status, status)
    item.stay_status, item.stay_status_at = _stored(status), now
    session.add(item)
    # The booking changes with its stay (a stay begun is no longer cancellable): its
    # version, updated_at and change_seq move, so the partner feed lists it and the
    # traveller's kept /manage page is rendered again (bookings.BookingState).
    touch(booking, now)
    session.add(booking)
    session.flush()
    audit.record(
        session,
        operator,
        now=now,
        action=f"stay_{change}",
        entity="booking",
        entity_id=booking.reference,
        destination_id=_destination_of_item(session, item),
        before=before,
        after={"item_index": item_index, "stay_status": item.stay_status},
    )
    return booking_of(session, operator, reference)


def _destination_of_item(session: Session, item: BookingItem) -> int:
    return session.exec(select(Product.destination_id).where(Product.id == item.product_id)).one()


def _cancellable(session: Session, operator: Operator, reference: str) -> OperatorBooking:
    view = booking_of(session, operator, reference)
    operator.require(BOOKINGS)
    if not view.all_items_mine:
        raise _conflict(
            "booking_spans_other_destinations",
            "This trip also stays at destinations that are not yours; its traveller or "
            "partner cancels it.",
            "此行程还包含其他运营方的目的地，请由游客或分销商取消。",
            "reference",
        )
    return view


def preview_cancel(
    session: Session,
    operator: Operator,
    reference: str,
    *,
    now: datetime,
    on_behalf_of_traveller: bool = False,
) -> tuple[OperatorBooking, dict]:
    """What cancelling now would record and refund (``cancellation_terms``, the same
    computation ``cancel`` stores), changing nothing: shown before the operator confirms."""
    view = _cancellable(session, operator, reference)
    terms = cancellation_terms(
        session,
        view.booking,
        view.items,
        view.legs,
        by=BY_OPERATOR,
        now=now,
        refund_terms=operator_terms(on_behalf_of_traveller=on_behalf_of_traveller),
    )
    return view, terms


def cancel(
    session: Session,
    operator: Operator,
    reference: str,
    *,
    now: datetime,
    reason: str | None,
    lock_timeout_ms: int,
    on_behalf_of_traveller: bool = False,
    payments: Payments | None = None,
) -> OperatorBooking:
    """Cancel as the operator: everything paid refunded, or (``on_behalf_of_traveller``)
    the policy's refund. Cancelling again returns the first cancellation, on its terms."""
    view = _cancellable(session, operator, reference)
    cancel_audited(
        session,
        operator,
        view,
        now=now,
        reason=reason,
        lock_timeout_ms=lock_timeout_ms,
        on_behalf_of_traveller=on_behalf_of_traveller,
        payments=payments,
    )
    return booking_of(session, operator, reference)


# ``jilin cancel-booking``, run by the people who run the system: no account and no
# scope (any booking, a trip across destinations too), named so in the audit log.
COMMAND_LINE = Operator(
    account_id=None, login="jilin cancel-booking", role="province_admin", destination_ids=None
)


def cancel_audited(
    session: Session,
    operator: Operator,
    view: OperatorBooking,
    *,
    now: datetime,
    reason: str | None,
    lock_timeout_ms: int,
    on_behalf_of_traveller: bool,
    payments: Payments | None,
) -> CancellationResult:
    """The operator's cancel of a booking it may cancel (``view``), audited: one entry in
    each booked destination's log. The admin API and the console through ``cancel``;
    ``jilin cancel-booking`` as ``COMMAND_LINE`` on any booking (``booking_of``), which
    until December 2026 wrote no audit entry, so a cancellation and its refund from the
    command line left no trace in the log."""
    before = {"status": view.booking.status, "refunded_fen": view.booking.refunded_fen}
    result = cancel_booking(
        session,
        view.booking,
        by=BY_OPERATOR,
        now=now,
        reason=reason,
        refund_terms=operator_terms(on_behalf_of_traveller=on_behalf_of_traveller),
        lock_timeout_ms=lock_timeout_ms,
        payments=payments,
    )
    if result.first_time:
        audit.record_for(
            session,
            operator,
            view.destination_ids,
            now=now,
            action="cancel",
            entity="booking",
            entity_id=view.booking.reference,
            before=before,
            after={
                "status": result.booking.status,
                "refund_fen": result.refund_fen,
                "refund_terms": result.cancellation["refund_terms"],
            },
        )
    return result


def retry_refund(
    session: Session, operator: Operator, reference: str, *, now: datetime
) -> OperatorBooking:
    """Ask Stripe again for the booking's failed refunds (``payments.refunds.retry_failed``:
    the worker makes them, never one twice): the console's "Retry the refund" and
    ``POST /v1/admin/bookings/{reference}/retry-refund``. Any operator who sees the
    booking and may work its front desk (``BOOKINGS``), as for a cancel; the amounts were
    decided by the cancellation and do not change. A booking with no failed refund (a
    second click, or a concurrent one that came first) is 409 ``refund_not_failed``,
    nothing written. One audit entry, with the amounts and statuses only. A trip that also
    stays at another operator's destination has one refund, the trip's: the retry asks
    for all of it again (one payment), while its operator reads, and the audit entry filed
    under its destinations records, only its part (``payment_of``: what of its part was
    refunded, and what of it is asked again), never the trip's amounts."""
    view = booking_of(session, operator, reference)
    operator.require(BOOKINGS)
    booking = repository.lock(session, view.booking.id)
    part = payment_of(view)  # the operator's part on a trip that also stays elsewhere
    refunded = booking.refunded_fen if view.all_items_mine else part.refunded_fen
    before = {"refund_status": booking.refund_status, "refunded_fen": refunded}
    retried = refunds.retry_failed(session, booking, now)
    asked = sum(r.amount_fen for r in retried)
    if not view.all_items_mine:
        asked = part.refund_requested_fen - part.refunded_fen
    audit.record_for(
        session,
        operator,
        view.destination_ids,
        now=now,
        action="retry_refund",
        entity="booking",
        entity_id=booking.reference,
        before=before,
        after={
            "refund_status": booking.refund_status,
            "refund_fen": asked,
        },
    )
    return booking_of(session, operator, reference)
