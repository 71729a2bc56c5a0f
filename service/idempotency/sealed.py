"""The recorded response of an idempotent POST, sealed at rest.

A booking's first answer holds the booking token (shown once) and the traveller's
personal data (name, phone, ID numbers); it is kept for 24 hours so that a retry can
replay it byte for byte. It is stored encrypted with AES-256-GCM (the ``cryptography``
library), under a key derived from ``JL_SECRET_KEY`` by HKDF-SHA256 for this one use, a
fresh 96-bit nonce each time, and the record's id as associated data (a sealed body
copied to another row does not open). Decrypting gives back the exact text that was
sent. Changing ``JL_SECRET_KEY`` (which already invalidates booking tokens and API
keys) makes the recorded bodies unreadable: such a record counts as expired.
"""

import base64
import functools
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

PREFIX = "v1:"
_INFO = b"jilin-sojourn idempotency replay v1"


class Unreadable(Exception):
    """A sealed body that does not open under this key (the secret was changed)."""


@functools.lru_cache(maxsize=4)
def _aead(secret_key: str) -> AESGCM:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(
        secret_key.encode()
    )
    return AESGCM(key)


def seal(text: str, *, record_id: int, secret_key: str) -> str:
    nonce = os.urandom(12)
    sealed = _aead(secret_key).encrypt(nonce, text.encode(), str(record_id).encode())
    return PREFIX + base64.b64encode(nonce + sealed).decode("ascii")


def unseal(stored: str, *, record_id: int, secret_key: str) -> str:
    if not stored.startswith(PREFIX):
        raise Unreadable(record_id)
    raw = base64.b64decode(stored[len(PREFIX) :])
    try:
        return _aead(secret_key).decrypt(raw[:12], raw[12:], str(record_id).encode()).decode()
    except InvalidTag:
        raise Unreadable(record_id) from None
