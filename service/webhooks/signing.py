"""Signing partner webhooks: ``Jilin-Signature: t=<unix>,v1=<hex>``.

``v1`` is HMAC-SHA256 with the endpoint's secret over ``f"{t}.{body}"``, where ``body``
is the exact request body (UTF-8) and ``t`` the Unix time of the attempt. A partner
recomputes it, compares in constant time and refuses timestamps older than a few
minutes (docs/webhooks.md has the snippet; the tests run that snippet).
"""

import hashlib
import hmac
import secrets

SIGNATURE_HEADER = "Jilin-Signature"
EVENT_ID_HEADER = "Jilin-Event-Id"
EVENT_TYPE_HEADER = "Jilin-Event-Type"
SECRET_PREFIX = "whsec_"  # noqa: S105 (a prefix, not a secret)
DEFAULT_TOLERANCE_S = 300


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def compute_signature(secret: str, timestamp: int, body: str) -> str:
    message = f"{timestamp}.{body}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_header(secret: str, timestamp: int, body: str) -> str:
    return f"t={timestamp},v1={compute_signature(secret, timestamp, body)}"


def verify_signature(
    secret: str, header: str | None, body: str, now: int, tolerance: int = DEFAULT_TOLERANCE_S
) -> bool:
    """True when ``header`` signs ``body`` with ``secret`` within ``tolerance`` seconds."""
    if not header:
        return False
    parts = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
    try:
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs(now - timestamp) > tolerance:
        return False
    expected = compute_signature(secret, timestamp, body)
    # as bytes: compare_digest refuses a str with non-ASCII characters (a forged header's)
    return hmac.compare_digest(expected.encode(), parts.get("v1", "").encode())
