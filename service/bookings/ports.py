"""What bookings needs from whoever takes the money, and nothing more.

The payments capability implements ``Payments`` (``service.payments.gateway.StripePayments``)
and sits above bookings: it imports bookings (to confirm a paid booking), never the other
way round. The composition roots hand an implementation in: the app
(``app.state.payments``) and the command line. Without one, a booking that needs an
online payment or refund is refused (``payments_unavailable``) and nothing is written.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlmodel import Session

from service.bookings.models import Booking


@dataclass(frozen=True, slots=True)
class PaymentStart:
    """How the payer pays a new booking: the provider's ids for the payer's app."""

    provider: str
    payment_intent_id: str | None
    client_secret: str | None


class Payments(Protocol):
    def start_payment(self, session: Session, booking: Booking, now: datetime) -> PaymentStart:
        """Start collecting ``booking.total_fen`` in ``session``'s transaction."""
        ...

    def request_refund(
        self,
        session: Session,
        booking: Booking,
        amount_fen: int,
        reason: str,
        *,
        lines: list[dict[str, Any]],
        now: datetime,
    ) -> None:
        """Write a refund of ``amount_fen`` in ``session``'s transaction (paid later)."""
        ...
