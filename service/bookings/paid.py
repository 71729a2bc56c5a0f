"""What a booking has been paid, read from its own row: the one rule behind the API's
``payment.paid_fen`` and its note (``schemas.payment``), the traveller's booking page
("paid ¥… online on …") and the console's ``operators.bookings.payment_of``."""

from typing import Any

from service.bookings.models import CANCELLED, EXPIRED, MODE_PAY_AT_PROPERTY, PENDING_PAYMENT


def paid_fen(b: Any) -> int:
    """What was paid for booking ``b`` online (Stripe) or to the partner that collects.

    0 for a booking paid at the property (its money is taken at the desk and never
    recorded here) and for a Stripe hold still waiting for its payment; the total once
    confirmed or completed (a Stripe booking is confirmed by its payment); a cancelled or
    expired booking, what its cancellation recorded as paid, or what was refunded or
    asked back, if more (a payment that arrived after it ended is refunded in full)."""
    if b.payment_mode == MODE_PAY_AT_PROPERTY or b.status == PENDING_PAYMENT:
        return 0
    if b.status in (CANCELLED, EXPIRED):
        recorded = b.cancellation or {}
        return max(recorded.get("paid_fen", 0), b.refunded_fen, b.refund_requested_fen)
    return b.total_fen
