"""Signing partner webhooks: ``Jilin-Signature: t=<unix>,v1=<hex>``.

After a secret is rotated the header carries a ``v1`` for each secret that signs: the
new one first, then the previous one while it still signs (24 hours), as Stripe does; a
receiver accepts the request when any ``v1`` matches its secret.

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


def signature_header(secrets: str | list[str], timestamp: int, body: str) -> str:
    """``t=<timestamp>`` and one ``v1`` per secret, in the order given."""
    keys = [secrets] if isinstance(secrets, str) else secrets
    return ",".join(
        [f"t={timestamp}"] + [f"v1={compute_signature(k, timestamp, body)}" for k in keys]
    )


def verify_signature(
    secret: str, header: str | None, body: str, now: int, tolerance: int = DEFAULT_TOLERANCE_S
) -> bool:
    """True when ``header`` signs ``body`` with ``secret`` within ``tolerance`` seconds."""
    if not header:
        return False
    pairs = [p.split("=", 1) for p in header.split(",") if "=" in p]
    try:
        timestamp = int(dict(pairs)["t"])
    except (KeyError, ValueError):
        return False
    if abs(now - timestamp) > tolerance:
        return False
    expected = compute_signature(secret, timestamp, body).encode()
    # as bytes: compare_digest refuses a str with non-ASCII characters (a forged header's)
    return any(hmac.compare_digest(expected, v.encode()) for k, v in pairs if k == "v1")
