"""Which way a new booking is paid.

* ``merchant_collects``: an OTA partner made with ``--merchant-collects`` takes the
  traveller's money itself (merchant model); the booking is confirmed at once.
* ``stripe``: a Stripe key is configured; the booking holds its inventory in
  ``pending_payment`` until the PaymentIntent succeeds.
* ``pay_at_property``: no Stripe key (the two-command demo), the explicit offline
  mode: the booking is confirmed at once and the guest pays on arrival. Every booking
  response says so in ``payment``.
"""

from service.auth import Caller
from service.settings import Settings

STRIPE = "stripe"
PAY_AT_PROPERTY = "pay_at_property"
MERCHANT_COLLECTS = "merchant_collects"


def payment_mode_for(settings: Settings, caller: Caller) -> str:
    if caller.merchant_collects:
        return MERCHANT_COLLECTS
    if settings.stripe_secret_key:
        return STRIPE
    return PAY_AT_PROPERTY
