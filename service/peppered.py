"""Keyed hashes of what we must recognise again but never keep readable: HMAC-SHA256
under ``JL_SECRET_KEY``, a pepper kept out of the database, with one label per use so
that the same value hashed for two uses never matches across them.

A plain SHA-256 of a phone number, a client address or a request body that holds
names and phones can be recomputed by anyone who has the table, for every guess, until
one matches: such values have little entropy. Without the pepper no guess can be tested.
Changing ``JL_SECRET_KEY`` changes every such hash (README, Configuration).
"""

import hashlib
import hmac


def peppered_hash(pepper: str, label: str, data: bytes) -> str:
    """Hex HMAC-SHA256 of ``label:data`` under ``pepper``."""
    return hmac.new(pepper.encode(), label.encode() + b":" + data, hashlib.sha256).hexdigest()
