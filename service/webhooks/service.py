"""Partners manage their webhook endpoints and read their deliveries.

Only API clients (partner keys) have endpoints: the endpoints take ``PartnerDep``, so an
anonymous caller gets 401 before reaching here (``_partner`` re-checks). A partner
sees and changes only its own endpoints and deliveries; someone else's endpoint is a
404, the same as one that does not exist.
"""

from datetime import datetime
from urllib.parse import urlsplit

from sqlmodel import Session

from service.auth import Caller
from service.errors import Conflict, NotFound, Unauthorized, Unprocessable
from service.pagination import Listing
from service.settings import Settings
from service.webhooks import addresses, repository, signing
from service.webhooks.models import (
    DELIVERY_PENDING,
    GIVEN_UP_ENDPOINT_DISABLED,
    WebhookDelivery,
    WebhookEndpoint,
)
from service.webhooks.schemas import (
    WebhookDeliveryOut,
    WebhookDeliveryPage,
    WebhookEndpointCreated,
    WebhookEndpointOut,
    WebhookEndpointPage,
)
from service.webhooks.tasks import event_id

MAX_ENDPOINTS_PER_CLIENT = 10


def _partner(caller: Caller) -> int:
    if caller.is_anonymous:
        raise Unauthorized(
            "Webhook endpoints belong to API clients: send Authorization: Bearer <key>.",
            zh="Webhook 端点属于 API 客户端：请发送 Authorization: Bearer <key>。",
            code="missing_api_key",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return caller.client_id


def check_url(url: str, settings: Settings) -> str:
    """An absolute http(s) URL with a valid host name or IP address, a valid port and no
    credentials; in production https to a public host only (``webhooks.addresses``)."""
    url = url.strip()
    problem = _url_problem(url, settings)
    if problem:
        en, zh = problem
        raise Unprocessable(en, zh=zh, field="url", code="invalid_url")
    return url


def _url_problem(url: str, settings: Settings) -> tuple[str, str] | None:
    """What is wrong with ``url`` (in English and Chinese), or None."""
    try:
        parts = urlsplit(url)
        host, port = parts.hostname, parts.port  # a bad port or IPv6 literal raises here
    except ValueError:
        return "The url is not a valid URL.", "url 不是有效的网址。"
    if parts.scheme not in ("http", "https") or not host:
        return (
            "The url must be an absolute http or https URL.",
            "url 应为完整的 http 或 https 网址。",
        )
    if parts.username or parts.password:
        return "The url must not carry credentials.", "url 不得包含用户名或密码。"
    if port == 0 or not addresses.valid_host(host):
        return (
            "The url must name a valid host (a DNS name or an IP address) and port.",
            "url 应包含有效的主机（域名或 IP 地址）和端口。",
        )
    if settings.env == "production":
        if parts.scheme != "https":
            return "The url must use https.", "url 必须使用 https。"
        if addresses.private_host(host):
            return "The url must name a public host.", "url 应指向公网主机。"
    return None


def create_endpoint(
    session: Session,
    caller: Caller,
    *,
    url: str,
    description: str | None,
    settings: Settings,
    now: datetime,
) -> WebhookEndpointCreated:
    client_id = _partner(caller)
    url = check_url(url, settings)
    if len(repository.endpoints_for_client(session, client_id)) >= MAX_ENDPOINTS_PER_CLIENT:
        raise Conflict(
            f"A partner has at most {MAX_ENDPOINTS_PER_CLIENT} webhook endpoints.",
            zh=f"每个合作方最多 {MAX_ENDPOINTS_PER_CLIENT} 个 Webhook 端点。",
            code="too_many_endpoints",
            field="url",
        )
    endpoint = WebhookEndpoint(
        client_id=client_id,
        url=url,
        description=description,
        secret=signing.new_secret(),
        active=True,
        created_at=now,
    )
    session.add(endpoint)
    session.flush()
    return WebhookEndpointCreated(**_endpoint_out(endpoint).model_dump(), secret=endpoint.secret)


def list_endpoints(
    session: Session, caller: Caller, *, cursor: str | None, limit: int
) -> WebhookEndpointPage:
    client_id = _partner(caller)
    listing = Listing("/v1/webhook-endpoints")
    after = listing.after_id(cursor)
    rows = repository.endpoints_page(session, client_id, after_id=after, limit=limit + 1)
    return WebhookEndpointPage(
        items=[_endpoint_out(e) for e in rows[:limit]],
        next=listing.next_of(rows, limit, lambda e: [e.id]),
    )


def disable_endpoint(session: Session, caller: Caller, endpoint_id: int, now: datetime) -> None:
    """Stop sending to an endpoint and give up its pending deliveries, in one transaction.

    A delivery the worker holds at this moment is given up by the worker when it records
    its attempt (the endpoint is no longer active).
    """
    endpoint = repository.endpoint_of_client(session, _partner(caller), endpoint_id)
    if endpoint is None:
        raise _no_endpoint(endpoint_id, NotFound)
    endpoint.active, endpoint.disabled_at = False, now
    session.add(endpoint)
    session.flush()
    repository.give_up_pending(session, endpoint.id, now, GIVEN_UP_ENDPOINT_DISABLED)


def list_deliveries(
    session: Session,
    caller: Caller,
    *,
    cursor: str | None,
    limit: int,
    status: str | None,
    endpoint_id: int | None,
) -> WebhookDeliveryPage:
    client_id = _partner(caller)
    if endpoint_id is not None and (
        repository.endpoint_of_client(session, client_id, endpoint_id, active_only=False) is None
    ):
        # a filter naming nothing of the caller's is refused, never an empty list that
        # reads as "nothing delivered there" (README, "One rule for every filter")
        raise _no_endpoint(endpoint_id, Unprocessable)
    listing = Listing("/v1/webhook-deliveries", {"status": status, "endpoint_id": endpoint_id})
    rows = repository.deliveries_page(
        session,
        client_id,
        after_id=listing.after_id(cursor),
        limit=limit + 1,
        status=status,
        endpoint_id=endpoint_id,
    )
    return WebhookDeliveryPage(
        items=[_delivery_out(d, e) for d, e in rows[:limit]],
        next=listing.next_of(rows, limit, lambda r: [r[0].id]),
    )


def _no_endpoint(endpoint_id: int, refusal: type[NotFound] | type[Unprocessable]) -> Exception:
    """No endpoint ``endpoint_id`` of this caller: 404 where it is the address, 422 where
    it is a filter; never whether another partner has one."""
    return refusal(
        f"No webhook endpoint {endpoint_id}.",
        zh=f"没有 Webhook 端点 {endpoint_id}。",
        field="endpoint_id",
        code="webhook_endpoint_not_found",
    )


def _endpoint_out(endpoint: WebhookEndpoint) -> WebhookEndpointOut:
    return WebhookEndpointOut(
        id=endpoint.id,
        url=endpoint.url,
        description=endpoint.description,
        active=endpoint.active,
        secret_hint="…" + endpoint.secret[-4:],
        created_at=endpoint.created_at,
    )


def _delivery_out(delivery: WebhookDelivery, event) -> WebhookDeliveryOut:
    return WebhookDeliveryOut(
        id=delivery.id,
        endpoint_id=delivery.endpoint_id,
        event_id=event_id(event),
        event_type=delivery.event_type,
        booking_reference=(event.payload or {}).get("reference"),
        status=delivery.status,
        attempts=delivery.attempts,
        next_attempt_at=delivery.next_attempt_at if delivery.status == DELIVERY_PENDING else None,
        last_status_code=delivery.last_status_code,
        last_error=delivery.last_error,
        delivered_at=delivery.delivered_at,
        created_at=delivery.created_at,
    )
