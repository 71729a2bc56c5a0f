"""Booking tokens: made to be read aloud, written down and typed back by a traveller.

A new token is 20 symbols of Crockford's base32 (digits and capital letters without
I, L, O and U: 100 bits), shown in groups of four, ``7KQ2-M9XD-3FHT-0BWC-RZ5N``. It is
read back forgivingly (``normalised``): spaces and dashes dropped, any case, full-width
or not, and the letters a person confuses with digits read as them (O as 0, I and L as
1). Its hash is of that normalised form.

Tokens issued before 2026-12-06 are 24 characters of base64url (mixed case, ``-`` and
``_``) hashed as issued; they are checked as given first (``matches``), so they keep
working, exactly as before.
"""

import hmac
import secrets

from service.clients.keys import hash_token
from service.text import typed as text_typed

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base32
LENGTH = 20  # 100 bits
GROUP = 4
MAX_TYPED = 100

_SEPARATORS = dict.fromkeys(map(ord, " \t-_\u2010\u2011\u2012\u2013\u2014\u2212"))
_CONFUSED = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_token() -> str:
    """A new token as shown to the traveller: groups of four joined by ``-``."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return "-".join(body[i : i + GROUP] for i in range(0, LENGTH, GROUP))


def normalised(typed: str) -> str:
    """A token as a person types it back -> the form its hash is of (``7kq2 m9xd-…`` or
    ``7KQ2-M9XD-…`` -> ``7KQ2M9XD…``; ``O`` -> ``0``, ``I``/``L`` -> ``1``)."""
    text = text_typed(typed).translate(_SEPARATORS)
    return text.upper().translate(_CONFUSED)


def stored_hash(token: str, pepper: str) -> str:
    """What a new booking stores for its token (``new_token``'s, normalised)."""
    return hash_token(normalised(token), pepper)


def matches(token_hash: str, token: str | None, pepper: str) -> bool:
    """Whether ``token`` opens the booking whose token hashes to ``token_hash``: as given
    (a token issued before 2026-12-06, exact) or normalised (a new one, as typed). Both
    are hashed and compared in constant time, whichever matches."""
    token = token.strip() if token else token  # as pasted: a space or newline around it
    if not token or len(token) > MAX_TYPED:
        return False
    exact = hmac.compare_digest(token_hash, hash_token(token, pepper))
    typed = hmac.compare_digest(token_hash, hash_token(normalised(token), pepper))
    return exact | typed
