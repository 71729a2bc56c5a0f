"""Admin API tokens: ``jlop_`` + 8 hex characters of prefix + ``_`` + 43 of secret.

Stored only as HMAC-SHA256 under the server's secret, exactly as partner keys are
(``service.clients.keys``); the prefix is kept in clear to tell tokens apart. The
``jlop_`` prefix keeps them apart from partner keys (``jl_``) at a glance and in code.
"""

import secrets

from service.clients.keys import hash_key

TOKEN_PREFIX = "jlop_"  # noqa: S105 (a prefix, not a secret)


def new_token() -> tuple[str, str]:
    """A fresh token and its display prefix (``jlop_ab12cd34``)."""
    prefix = TOKEN_PREFIX + secrets.token_hex(4)
    return f"{prefix}_{secrets.token_urlsafe(32)}", prefix


def hash_token(token: str, pepper: str) -> str:
    return hash_key(token, pepper)


def looks_like_token(value: str) -> bool:
    return value.startswith(TOKEN_PREFIX) and len(value) <= 100
