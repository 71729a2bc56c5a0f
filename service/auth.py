"""Who is calling: an anonymous traveller (channel ``direct``) or an API client.

API clients (OTA partners, the "一部手机游吉林" mini-program) send
``Authorization: Bearer <key>``; the key's client fixes the sales channel that
pricing uses. The bookings capability resolves keys (``resolve_api_key``).
"""

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

ANONYMOUS_CHANNEL = "direct"


@dataclass(frozen=True, slots=True)
class Caller:
    client_id: int | None
    channel: str  # direct | miniprogram | ota
    client_name: str | None = None

    @property
    def is_anonymous(self) -> bool:
        return self.client_id is None


ANONYMOUS = Caller(client_id=None, channel=ANONYMOUS_CHANNEL)


def get_caller(request: Request) -> Caller:
    """Anonymous unless a resolver is installed and the request carries a key."""
    resolver = getattr(request.app.state, "caller_resolver", None)
    if resolver is None:
        return ANONYMOUS
    return resolver(request)


CallerDep = Annotated[Caller, Depends(get_caller)]
