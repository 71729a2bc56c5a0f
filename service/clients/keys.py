"""API key format and hashing.

A key is ``jl_`` + 8 characters of prefix + ``_`` + 43 characters of secret
(``secrets.token_urlsafe(32)``: 256 bits). The prefix is stored in clear to tell keys
apart; the whole key is stored only as HMAC-SHA256 under ``Settings.secret_key`` (a
pepper kept out of the database), so a leaked table does not yield usable keys and
a lookup is one indexed equality on the hash.
"""

import hashlib
import hmac
import secrets

from service.peppered import peppered_hash

KEY_PREFIX = "jl_"


def new_key() -> tuple[str, str]:
    """A fresh key and its display prefix (``jl_ab12cd34``)."""
    prefix = KEY_PREFIX + secrets.token_hex(4)
    return f"{prefix}_{secrets.token_urlsafe(32)}", prefix


def hash_key(key: str, pepper: str) -> str:
    return hmac.new(pepper.encode(), key.encode(), hashlib.sha256).hexdigest()


def hash_token(token: str, pepper: str) -> str:
    """Booking tokens are hashed the same way, under a distinct label."""
    return peppered_hash(pepper, "booking-token", token.encode())


def hash_address(address: str, pepper: str) -> str:
    """A client address (IP) as stored on an anonymous booking: counted, never shown."""
    return peppered_hash(pepper, "client-address", address.encode())


def phone_digits(phone: str) -> str:
    """A phone number as the digits that name it: no spaces, dashes or ``+``, and no
    ``86`` country code (``+86``, or ``0086`` as dialled from China: until December 2026
    it was kept, so ``0086 138…`` and ``138…`` were two travellers) before an 11-digit
    mainland number."""
    digits = "".join(c for c in phone if c.isdigit())
    if len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    elif len(digits) == 15 and digits.startswith("0086"):
        digits = digits[4:]
    return digits


def hash_traveller(phone: str, pepper: str) -> str:
    """A booking's lead traveller, by phone, as the reports tell travellers apart (their
    trips across bookings): the same person gives the same value, nobody can read it."""
    return peppered_hash(pepper, "traveller-phone", phone_digits(phone).encode())


def traveller_hashes(phone: str, pepper: str) -> tuple[str, ...]:
    """Every ``hash_traveller`` a booking of this phone may carry: its own, and for a
    mainland mobile the one a booking typed with ``0086`` got before December 2026
    (``phone_digits`` kept the ``0086`` then). The operators' search by phone."""
    digits = phone_digits(phone)
    own = peppered_hash(pepper, "traveller-phone", digits.encode())
    if len(digits) != 11:
        return (own,)
    return own, peppered_hash(pepper, "traveller-phone", b"0086" + digits.encode())
