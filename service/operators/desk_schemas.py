"""Request and response models of the admin API's bookings (``desk_endpoints``: the
bookings list, a booking, the front desk's stay status, the operator's cancel)."""

from datetime import datetime
from typing import Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
)

from service.bookings.cancellation import CANCELLABLE, REASON_MAX
from service.bookings.schemas import (
    REFUND_REQUESTED_DOC,
    REFUND_STATUS_DOC,
    REFUNDED_DOC,
    BookingLegOut,
    CancellationOut,
    RefundStatus,
)
from service.operators.bookings import DESK_MOVES, STAY_STATUSES
from service.operators.schemas import with_examples
from service.text import (
    StrictBool,
    StrictInt,
    free_text_up_to,
)

# --- bookings ---------------------------------------------------------------------------

StayStatus = Literal[STAY_STATUSES]  # the front desk's record: operators.bookings.STAY_STATUSES
DeskMove = Literal[DESK_MOVES]  # what the front desk asks for: a record, or ``expected``


class OperatorBookingItem(BaseModel):
    index: int
    product_id: int
    product_name: str
    check_in: str
    check_out: str
    nights: int
    units: int
    guests: int
    net_fen: int
    leg_indexes: list[int] = Field(
        default_factory=list,
        description="The booking's transfers (their `index`) whose fares are paid with "
        "this stay: those the traveller boards after it began, before the next stay "
        "(the first stay also takes the rides there). Part of `destination_total_fen`",
    )
    stay_status: StayStatus | None = Field(description="The front desk's record; null: expected")
    stay_status_at: datetime | None


class OperatorBookingSummary(BaseModel):
    reference: str
    status: str
    channel: str
    total_fen: int | None = Field(
        description="The whole trip's price; null when the booking also stays at another "
        "operator's destination (`spans_other_destinations`), whose price is not yours to "
        "see (since 2026-12-07). Read `destination_total_fen`"
    )
    destination_total_fen: int = Field(
        description="What your destinations are paid of this booking: your stays' net "
        "prices and the fares of the transfers paid with them (`items[].leg_indexes`); "
        "`total_fen` when every stay is yours. The destinations' amounts of one booking "
        "sum to its total"
    )
    to_collect_fen: int | None = Field(
        description="Paid at the property: what your desk collects from the guest at "
        "check-in, `destination_total_fen` less the stays recorded as no-shows and the "
        "fares paid with them (0 once cancelled, expired or every stay a no-show). Null "
        "when the booking is paid online or to its partner: nothing to collect"
    )
    refunded_fen: int = Field(description=REFUNDED_DOC)
    refund_requested_fen: int = Field(default=0, description=REFUND_REQUESTED_DOC)
    refund_status: RefundStatus | None = Field(default=None, description=REFUND_STATUS_DOC)
    payment_mode: str
    destination_ids: list[int] = Field(description="Your destinations this booking stays at")
    spans_other_destinations: bool = Field(
        description="The trip also stays at another operator's destination: `total_fen` is "
        "null, and `refunded_fen`, `refund_requested_fen` and the `cancellation` are your "
        "part of the trip's (your lines only)"
    )
    items: list[OperatorBookingItem] = Field(description="Only the stays at your destinations")
    lead_name: str = Field(description="Masked in lists")
    created_at: datetime
    updated_at: datetime


class OperatorBookingPage(BaseModel):
    items: list[OperatorBookingSummary]
    next: str | None


class Guest(BaseModel):
    name: str
    id_number: str | None = None


class OperatorCancellationOut(CancellationOut):
    """A booking's cancellation as the traveller's answer says it, and the status it was
    cancelled from."""

    was_status: Literal[CANCELLABLE] | None = Field(
        description="The booking's status when it was cancelled"
    )


class OperatorBookingLegOut(BookingLegOut):
    net_fen: int | None = Field(
        description="The transfer's fare; null on a trip that also stays at another "
        "operator's destination when that destination's stay carries it (the fare is part "
        "of that destination's amount, not yours). The province reads every fare"
    )


class OperatorBookingDetail(OperatorBookingSummary):
    lead_phone: str = Field(
        description="In full to the operator of a booked destination; masked for the province "
        "(as are the names and ID numbers)"
    )
    guests: list[Guest]
    legs: list[OperatorBookingLegOut] = Field(
        description="The booking's transfers between stays, every one, as the traveller's "
        "booking shows them (line, day, riders, and where it boards and alights when the "
        "booking says); the fare only when it is yours (`net_fen`)"
    )
    cancellation: OperatorCancellationOut | None


class StayStatusIn(BaseModel):
    model_config = with_examples({"item_index": 0, "status": "checked_in"})

    item_index: StrictInt = Field(ge=0, le=100)
    status: DeskMove = Field(
        description="`checked_in`, `completed`, `no_show`, or `expected` (not arrived yet: "
        "undoes a no-show or a check-in); `checked_in` on a stay `completed` undoes the "
        "check-out"
    )


class OperatorCancelIn(BaseModel):
    model_config = with_examples(
        {"reason": "设施维修，无法接待"},
        {"reason": "旅客来电要求取消", "on_behalf_of_traveller": True},
    )

    reason: free_text_up_to(REASON_MAX) | None = Field(  # type: ignore[valid-type]
        default=None,
        description="Why, in a few words: the traveller, the partner and the province read "
        "it. Stored without personal data: phone, ID and passport numbers, e-mail "
        "addresses and the booking's names become `***`",
    )
    on_behalf_of_traveller: StrictBool = Field(
        default=False,
        description="`true`: you cancel because the traveller asked, so the product's "
        "refund policy applies as if they had cancelled themselves. `false` (the default): "
        "you cancel of your own accord, and everything paid is refunded in full",
    )


# --- the front desk's arrivals -----------------------------------------------------------

_ARRIVAL_EXAMPLE = {
    "reference": "JL-7KQ2MX",
    "destination_id": 1,
    "product": "长白山北景区森林康养小屋",
    "check_in": "2027-07-01",
    "check_out": "2027-07-08",
    "nights": 7,
    "units": 1,
    "guests": 2,
    "movement": "arrival",
    "lead_name": "王秀兰",
    "lead_phone": "13800138000",
    "guest_names": "王秀兰; 李建国",
    "status": "confirmed",
    "stay_status": "expected",
}


class ArrivalRow(BaseModel):
    """One stay arriving or departing within the days asked."""

    reference: str
    destination_id: int
    product: str = Field(description="The product booked, in the caller's language")
    check_in: str
    check_out: str
    nights: int
    units: int
    guests: int
    movement: Literal["arrival", "departure", "arrival_and_departure"] = Field(
        description="Whether the stay checks in (`arrival`), checks out (`departure`) or "
        "both within the days asked"
    )
    lead_name: str = Field(
        description="In full to the operator of the booked destination; masked for the "
        "province (`王**`)"
    )
    lead_phone: str = Field(description="In full, or masked as `lead_name` (`138****8000`)")
    guest_names: str = Field(description="The guests' names as booked, separated by `; `")
    status: str = Field(description="The booking's status")
    stay_status: Literal["expected", *STAY_STATUSES] = Field(  # type: ignore[valid-type]
        description="The front desk's record of the stay: `expected` (not arrived yet), "
        "`checked_in`, `completed` or `no_show`"
    )


class ArrivalsOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "from": "2027-07-01",
                    "to": "2027-07-03",
                    "destination_id": None,
                    "status": None,
                    "items": [_ARRIVAL_EXAMPLE],
                }
            ]
        }
    )

    first: str = Field(alias="from", description="First day (inclusive)")
    to: str = Field(description="Last day (inclusive)")
    destination_id: int | None
    status: str | None
    items: list[ArrivalRow]
