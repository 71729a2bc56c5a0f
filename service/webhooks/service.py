"""Partners manage their webhook endpoints and read their deliveries.

Only API clients (partner keys) have endpoints: the endpoints take ``PartnerDep``, so an
anonymous caller gets 401 before reaching here (``_partner`` re-checks). A partner
sees and changes only its own endpoints and deliveries; someone else's endpoint is a
404, the same as one that does not exist.
"""

from datetime import datetime, timedelta
from urllib.parse import urlsplit

from sqlmodel import Session

from service.auth import Caller
from service.bookings.outbox import EVENT_TYPES, OutboxEvent
from service.errors import Conflict, NotFound, Unauthorized, Unprocessable, echoed
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
    WebhookEndpointPatch,
)
from service.webhooks.tasks import event_id

MAX_ENDPOINTS_PER_CLIENT = 10
# How long a rotated secret keeps signing beside the new one (``rotate_secret``).
PREVIOUS_SECRET_SIGNS_FOR = timedelta(hours=24)


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


def check_event_types(event_types: list[str] | None) -> list[str] | None:
    """The event types an endpoint takes, each once and sorted (None: every type); an
    unknown one is 422 ``unknown_event_type`` naming it (``event_types[i]``)."""
    if event_types is None:
        return None
    for i, event_type in enumerate(event_types):
        if event_type not in EVENT_TYPES:
            raise Unprocessable(
                f"Unknown event type {echoed(event_type)!r}: one of {', '.join(EVENT_TYPES)}.",
                zh=f"未知的事件类型 {echoed(event_type)!r}：应为 {'、'.join(EVENT_TYPES)} 之一。",
                field=f"event_types[{i}]",
                code="unknown_event_type",
            )
    return sorted(set(event_types))


def create_endpoint(
    session: Session,
    caller: Caller,
    *,
    url: str,
    description: str | None,
    event_types: list[str] | None = None,
    settings: Settings,
    now: datetime,
) -> WebhookEndpointCreated:
    client_id = _partner(caller)
    url = check_url(url, settings)
    event_types = check_event_types(event_types)
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
    repository.set_event_types(session, endpoint.id, event_types)
    return WebhookEndpointCreated(
        **_endpoint_out(endpoint, event_types, now).model_dump(), secret=endpoint.secret
    )


def get_endpoint(
    session: Session, caller: Caller, endpoint_id: int, now: datetime
) -> WebhookEndpointOut:
    endpoint = _own_endpoint(session, caller, endpoint_id)
    return _endpoint_out(endpoint, _event_types(session, endpoint), now)


def update_endpoint(
    session: Session,
    caller: Caller,
    endpoint_id: int,
    patch: WebhookEndpointPatch,
    *,
    settings: Settings,
    now: datetime,
) -> WebhookEndpointOut:
    """Change the fields ``patch`` was sent with, checked as when an
    endpoint is registered. Pausing (``active`` false) gives up its pending deliveries,
    as removing it does; enabled again, it gets the events made from then on."""
    sent = patch.model_fields_set
    if not sent:
        raise Unprocessable(
            "Send at least one field to change: url, description, event_types or active.",
            zh="请至少发送一个要修改的字段：url、description、event_types 或 active。",
            field="body",
            code="nothing_to_set",
        )
    endpoint = _own_endpoint(session, caller, endpoint_id)
    if "url" in sent:
        endpoint.url = check_url(patch.url, settings)
    if "description" in sent:
        endpoint.description = patch.description
    if "event_types" in sent:
        repository.set_event_types(session, endpoint.id, check_event_types(patch.event_types))
    enable = patch.active
    if enable is not None and enable != endpoint.enabled:
        endpoint.enabled = enable
        if enable:
            endpoint.enabled_at = now
    session.add(endpoint)
    session.flush()
    if enable is False:
        repository.give_up_pending(session, endpoint.id, now, GIVEN_UP_ENDPOINT_DISABLED)
    return _endpoint_out(endpoint, _event_types(session, endpoint), now)


def rotate_secret(
    session: Session, caller: Caller, endpoint_id: int, now: datetime
) -> WebhookEndpointCreated:
    """Give the caller's endpoint a new secret (shown in this answer only); the one it
    replaces signs beside it for ``PREVIOUS_SECRET_SIGNS_FOR``. Rotated again within that
    time, the secret being replaced becomes the previous one (one previous secret)."""
    endpoint = _own_endpoint(session, caller, endpoint_id)
    endpoint.previous_secret = endpoint.secret
    endpoint.previous_secret_expires_at = now + PREVIOUS_SECRET_SIGNS_FOR
    endpoint.secret = signing.new_secret()
    session.add(endpoint)
    session.flush()
    return WebhookEndpointCreated(
        **_endpoint_out(endpoint, _event_types(session, endpoint), now).model_dump(),
        secret=endpoint.secret,
    )


def list_endpoints(
    session: Session, caller: Caller, *, cursor: str | None, limit: int, now: datetime
) -> WebhookEndpointPage:
    client_id = _partner(caller)
    listing = Listing("/v1/webhook-endpoints")
    after = listing.after_id(cursor)
    rows = repository.endpoints_page(session, client_id, after_id=after, limit=limit + 1)
    types = repository.event_types_of(session, [e.id for e in rows[:limit]])
    return WebhookEndpointPage(
        items=[_endpoint_out(e, types.get(e.id), now) for e in rows[:limit]],
        next=listing.next_of(rows, limit, lambda e: [e.id]),
    )


def disable_endpoint(session: Session, caller: Caller, endpoint_id: int, now: datetime) -> None:
    """Stop sending to an endpoint and give up its pending deliveries, in one transaction.

    A delivery the worker holds at this moment is given up by the worker when it records
    its attempt (the endpoint is no longer active).
    """
    endpoint = _own_endpoint(session, caller, endpoint_id)
    endpoint.active, endpoint.disabled_at = False, now
    session.add(endpoint)
    session.flush()
    repository.give_up_pending(session, endpoint.id, now, GIVEN_UP_ENDPOINT_DISABLED)


def ping_endpoint(
    session: Session, caller: Caller, endpoint_id: int, now: datetime
) -> WebhookDeliveryOut:
    """Queue a ``ping`` event to the caller's endpoint alone: the worker delivers it,
    signed, as any event; a paused endpoint is 409 ``webhook_endpoint_paused``."""
    endpoint = _own_endpoint(session, caller, endpoint_id)
    if not endpoint.enabled:
        raise _paused(endpoint_id)
    delivery = repository.add_ping(session, endpoint, now)
    return _delivery_out(delivery, session.get(OutboxEvent, delivery.outbox_event_id))


def resend_delivery(
    session: Session, caller: Caller, delivery_id: int, now: datetime
) -> WebhookDeliveryOut:
    """Queue the caller's delivery ``delivery_id`` again, delivered or given up: due now,
    its attempts counted afresh (retried as a new delivery), its event the same (the same
    ``Jilin-Event-Id``, signed anew). 409 while it is pending (the worker holds it or will
    try it), or its endpoint is removed or paused."""
    found = repository.delivery_of_client(session, _partner(caller), delivery_id, for_update=True)
    if found is None:
        raise NotFound(
            f"No webhook delivery {delivery_id}.",
            zh=f"没有 Webhook 投递 {delivery_id}。",
            field="delivery_id",
            code="webhook_delivery_not_found",
        )
    delivery, event = found
    if delivery.status == DELIVERY_PENDING:
        raise Conflict(
            f"Webhook delivery {delivery_id} is pending: the worker tries it at next_attempt_at.",
            zh=f"Webhook 投递 {delivery_id} 正在等待发送：后台任务会在 next_attempt_at 发送。",
            field="delivery_id",
            code="webhook_delivery_pending",
        )
    endpoint = session.get(WebhookEndpoint, delivery.endpoint_id)
    if not endpoint.active:
        raise Conflict(
            f"Webhook endpoint {endpoint.id} was removed: nothing is sent to it.",
            zh=f"Webhook 端点 {endpoint.id} 已删除：不会再向它发送。",
            field="endpoint_id",
            code="webhook_endpoint_removed",
        )
    if not endpoint.enabled:
        raise _paused(endpoint.id)
    delivery.status, delivery.attempts = DELIVERY_PENDING, 0
    delivery.next_attempt_at = delivery.updated_at = now
    delivery.delivered_at = None
    session.add(delivery)
    session.flush()
    return _delivery_out(delivery, event)


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


def _own_endpoint(session: Session, caller: Caller, endpoint_id: int) -> WebhookEndpoint:
    """The caller's endpoint ``endpoint_id`` (not removed), else 404."""
    endpoint = repository.endpoint_of_client(session, _partner(caller), endpoint_id)
    if endpoint is None:
        raise _no_endpoint(endpoint_id, NotFound)
    return endpoint


def _event_types(session: Session, endpoint: WebhookEndpoint) -> list[str] | None:
    return repository.event_types_of(session, [endpoint.id]).get(endpoint.id)


def _paused(endpoint_id: int) -> Conflict:
    return Conflict(
        f"Webhook endpoint {endpoint_id} is paused: enable it first (PATCH active true).",
        zh=f"Webhook 端点 {endpoint_id} 已暂停：请先启用（PATCH active 为 true）。",
        field="endpoint_id",
        code="webhook_endpoint_paused",
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


def _endpoint_out(
    endpoint: WebhookEndpoint, event_types: list[str] | None, now: datetime
) -> WebhookEndpointOut:
    expires = endpoint.previous_secret_expires_at
    return WebhookEndpointOut(
        id=endpoint.id,
        url=endpoint.url,
        description=endpoint.description,
        active=endpoint.enabled,
        event_types=event_types,
        secret_hint="…" + endpoint.secret[-4:],
        previous_secret_expires_at=expires if len(endpoint.signing_secrets(now)) > 1 else None,
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
