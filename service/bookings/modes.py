"""Which way a new booking is paid.

* ``merchant_collects``: an OTA partner made with ``--merchant-collects`` takes the
  traveller's money itself (merchant model); the booking is confirmed at once.
* ``stripe``: a Stripe key is configured; the booking holds its inventory in
  ``pending_payment`` until the PaymentIntent succeeds.
* ``pay_at_property``: no Stripe key (the two-command demo), the explicit offline
  mode: the booking is confirmed at once and the guest pays on arrival. Every booking
  response says so in ``payment``.
"""

from enum import StrEnum

from service.auth import Caller
from service.bookings.models import MODE_MERCHANT_COLLECTS, MODE_PAY_AT_PROPERTY, MODE_STRIPE
from service.settings import Settings


class PaymentMode(StrEnum):
    """How a booking is paid: `stripe` (online, held until paid), `pay_at_property`
    (offline mode: pay on arrival) or `merchant_collects` (the partner collects)."""

    stripe = MODE_STRIPE
    pay_at_property = MODE_PAY_AT_PROPERTY
    merchant_collects = MODE_MERCHANT_COLLECTS


def payment_mode_for(settings: Settings, caller: Caller) -> str:
    if caller.merchant_collects:
        return MODE_MERCHANT_COLLECTS
    if settings.stripe_secret_key:
        return MODE_STRIPE
    return MODE_PAY_AT_PROPERTY
