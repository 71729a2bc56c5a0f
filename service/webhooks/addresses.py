"""Which hosts a webhook may be sent to (no server-side request forgery).

At registration (``service.check_url``) a host must be a DNS name or a canonical IP
address: ``127.1``, ``2130706433`` or ``0x7f000001`` (which resolvers read as
127.0.0.1) are refused as malformed. In production a host must also be public: no
loopback, private, link-local or reserved address, no ``localhost``, ``.local``,
``.internal`` names. A DNS name can still resolve to a private address (or change to
one later), so in production the worker resolves the host again just before each
delivery and refuses to send when any address is not public (``public_address``), then
connects to the address it checked, never to what the name resolves to a moment later
(a name whose DNS answers a public address to the check and ``127.0.0.1`` to the
connection, DNS rebinding, would otherwise reach the worker's own network:
``service.webhooks.tasks``).
"""

import ipaddress
import re
import socket

_LABEL = re.compile(r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)")
_PRIVATE_SUFFIXES = (".localhost", ".local", ".internal", ".localdomain", ".home.arpa")


def _ip(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def valid_host(host: str) -> bool:
    """A canonical IP address, or a DNS name of letters, digits and hyphens whose last
    label is not numeric (so ``127.1`` and ``0x7f000001`` are not names either)."""
    if _ip(host) is not None:
        return True
    if len(host) > 253 or host.endswith("."):
        return False
    labels = host.split(".")
    if not all(_LABEL.fullmatch(label) for label in labels):
        return False
    last = labels[-1].lower()
    return not (last.isdigit() or last.startswith("0x"))


def private_host(host: str) -> bool:
    """By name or literal address, a host that is not on the public internet."""
    name = host.lower()
    if name == "localhost" or name.endswith(_PRIVATE_SUFFIXES):
        return True
    address = _ip(host)
    return address is not None and not address.is_global


def public_address(host: str, port: int) -> str | None:
    """The address to connect to for ``host``: the first it resolves to, when it resolves
    and every address it resolves to is public; else None."""
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return None
    found = [info[4][0].split("%")[0] for info in infos]
    if not found or not all((a := _ip(addr)) is not None and a.is_global for addr in found):
        return None
    return found[0]
