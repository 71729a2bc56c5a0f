"""The refund preview's answer, ``GET /v1/bookings/{reference}/cancellation``: what
cancelling the booking now would record and refund, computed by the cancel's own rule
(``cancellation.cancellation_terms``, the manage page's cancel preview too) and changing
nothing. Its example is that rule run on the pricing contract's worked example, booked
and paid online, ten days before check-in (computed when the document is generated)."""

from datetime import UTC, date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from service.bookings.cancellation import BY_TRAVELLER, RefundTerms, cancellation_terms
from service.bookings.models import CONFIRMED, MODE_STRIPE, Booking, BookingItem, BookingLeg
from service.bookings.schemas import REFUND_TERMS_DOC, RefundLineOut, cancellation_out
from service.i18n import Lang
from service.quotes.examples import worked_example_quote


class CancellationPreviewOut(BaseModel):
    """What ``POST /v1/bookings/{reference}/cancel`` would record and refund if it ran
    at ``previewed_at``: the same rule, so a cancel made on the same day by the same
    caller refunds exactly ``refund_fen``, line by line."""

    model_config = ConfigDict(json_schema_extra=lambda schema, cls: _add_example(schema))

    reference: str
    previewed_at: datetime = Field(description="The instant this preview is for: now")
    cancel_date: date = Field(
        description="The Asia/Shanghai date of `previewed_at`: the days before check-in "
        "(or travel) are counted from it, so the preview holds for the rest of that day"
    )
    cancelled_by: Literal["traveller", "partner"] = Field(
        description="Who the cancel would be by: `traveller` with the booking's token, "
        "`partner` with the key of the partner that owns it"
    )
    refund_terms: RefundTerms = Field(description=REFUND_TERMS_DOC)
    refund_terms_note: str = Field(description="On which terms, in the answer's language")
    refund_terms_note_zh: str
    refund_terms_note_en: str
    paid_fen: int = Field(description="What was paid (0: pay at the property, an unpaid hold)")
    refundable_fen: int = Field(
        description="What the terms return of what was paid; 0, with no `lines`, when "
        "nothing was paid"
    )
    refund_fen: int = Field(description="What cancelling now refunds")
    refund_method: Literal["stripe", "partner", "none"]
    lines: list[RefundLineOut] = Field(
        description="Each stay and transfer: its net, the share the terms return and why"
    )


def preview_out(reference: str, terms: dict[str, Any], lang: Lang) -> CancellationPreviewOut:
    """``cancellation_terms``' record as the preview answers it (``cancellation_out``,
    as a cancellation is answered, without the reason and the instant of cancelling)."""
    recorded = cancellation_out(terms, lang)
    return CancellationPreviewOut(
        reference=reference,
        previewed_at=recorded.cancelled_at,
        **recorded.model_dump(exclude={"cancelled_at", "reason"}),
    )


def _add_example(schema: dict[str, Any]) -> None:
    quote = worked_example_quote()
    booking = Booking(
        reference="JL-7K3Q9M",
        status=CONFIRMED,
        payment_mode=MODE_STRIPE,
        total_fen=quote.total_fen,
        lead_name="王秀兰",
        guests=[],
    )
    items = [
        BookingItem(
            item_index=i["index"],
            product_name_zh=i["product_name_zh"],
            product_name_en=i["product_name_en"],
            check_in=date.fromisoformat(i["check_in"]),
            net_fen=i["net_fen"],
            refund_policy=i["refund_policy"],
            stay_status=None,
        )
        for i in quote.priced["items"]
    ]
    legs = [
        BookingLeg(
            leg_index=g["index"],
            line_name_zh=g["line_name_zh"],
            line_name_en=g["line_name_en"],
            travel_date=date.fromisoformat(g["travel_date"]),
            net_fen=g["net_fen"],
        )
        for g in quote.priced["legs"]
    ]
    now = datetime(2027, 6, 15, 2, 0, tzinfo=UTC)  # 10 days before check-in: 50% back
    # No session: only a stay marked a no-show is read further, and these stays are not.
    terms = cancellation_terms(None, booking, items, legs, by=BY_TRAVELLER, now=now)
    schema["examples"] = [preview_out(booking.reference, terms, "en").model_dump(mode="json")]
