"""HTTP for partners' webhook endpoints and their deliveries (partner keys only)."""

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from pydantic import BaseModel
from sqlmodel import Session

from service.auth import (
    BearerDep,
    Caller,
    KeyBeforeBodyRoute,
    PartnerDep,
    refused_anonymous_by_the_endpoint,
)
from service.bookings.endpoints import _ACK, _DELIVERY, _EVENT_ID, _EVENT_TYPE, _SIGNATURE
from service.deps import ClockDep, SessionDep, SettingsDep, WriteSessionDep
from service.errors import problems
from service.idempotency.runner import IdempotencyKeyHeader, run_idempotent
from service.webhooks import service
from service.webhooks.schemas import (
    DeliveryStatus,
    PingEvent,
    WebhookDeliveryOut,
    WebhookDeliveryPage,
    WebhookEndpointCreated,
    WebhookEndpointIn,
    WebhookEndpointOut,
    WebhookEndpointPage,
    WebhookEndpointPatch,
)

router = APIRouter(prefix="/v1", tags=["webhooks"])

Cursor = Annotated[str | None, Query(description="The `next` value of the previous page")]
Limit = Annotated[int, Query(ge=1, le=100, description="Page size (at most 100)")]
EndpointId = Annotated[int, Path(ge=1, le=2**31 - 1, description="The endpoint's id")]
DeliveryId = Annotated[int, Path(ge=1, le=2**31 - 1, description="The delivery's id")]

SIGNING = (
    "Each event is POSTed as JSON with `Jilin-Signature: t=<unix>,v1=<hex>` (HMAC-SHA256 "
    "with the endpoint's secret over `<t>.<body>`; a second `v1` for 24 hours after a "
    "`rotate-secret`: accept when any matches), `Jilin-Event-Id` and "
    "`Jilin-Event-Type`. Answer 2xx; anything else is retried with exponential backoff "
    "(30 s doubling, at most 1 h apart, 12 attempts). Delivery is at least once: "
    "de-duplicate on `Jilin-Event-Id`. See docs/webhooks.md."
)


@router.post(
    "/webhook-endpoints",
    status_code=201,
    response_model=WebhookEndpointCreated,
    summary="Register a webhook endpoint",
    description="Booking events (`booking.confirmed`, `booking.cancelled`, "
    "`booking.expired`, `booking.refunded`, `booking.refund_succeeded`, "
    "`booking.refund_failed`) of your bookings made from now on are sent "
    "to `url`, or only those in `event_types` (422 `unknown_event_type` naming one "
    "that is not). The signing `secret` is in this response only: keep it.\n\n" + SIGNING,
    responses=problems(401, 409, 422),
)
def create_webhook_endpoint(
    body: WebhookEndpointIn,
    session: WriteSessionDep,
    caller: PartnerDep,
    clock: ClockDep,
    settings: SettingsDep,
) -> Any:
    return service.create_endpoint(
        session,
        caller,
        url=body.url,
        description=body.description,
        event_types=body.event_types,
        settings=settings,
        now=clock.now(),
    )


@router.get(
    "/webhook-endpoints",
    response_model=WebhookEndpointPage,
    summary="List your webhook endpoints",
    description="Your active endpoints, oldest first; the secret is not shown again.",
    responses=problems(401, 422),
)
def list_webhook_endpoints(
    session: SessionDep,
    caller: PartnerDep,
    clock: ClockDep,
    cursor: Cursor = None,
    limit: Limit = 20,
) -> Any:
    return service.list_endpoints(session, caller, cursor=cursor, limit=limit, now=clock.now())


@router.get(
    "/webhook-endpoints/{endpoint_id}",
    response_model=WebhookEndpointOut,
    summary="Read a webhook endpoint",
    description="One of your endpoints (paused or not); the secret is not shown again. "
    "Any other id, another partner's included, is 404 `webhook_endpoint_not_found`.",
    responses=problems(401, 404, 422),
)
def get_webhook_endpoint(
    endpoint_id: EndpointId, session: SessionDep, caller: PartnerDep, clock: ClockDep
) -> Any:
    return service.get_endpoint(session, caller, endpoint_id, clock.now())


@router.patch(
    "/webhook-endpoints/{endpoint_id}",
    response_model=WebhookEndpointOut,
    summary="Change a webhook endpoint",
    description="Only the fields sent change, checked as when the endpoint was registered "
    "(422 `invalid_url`, `unknown_event_type` naming the field); an empty body is 422 "
    "`nothing_to_set`. `active: false` pauses it: nothing is sent, its pending deliveries "
    "are given up (`failed`, `last_error` `endpoint_disabled`); `active: true` sends it the "
    "events made from then on. A new `url` takes the pending deliveries too. Any other id "
    "is 404 `webhook_endpoint_not_found`.",
    responses=problems(401, 404, 422),
)
def update_webhook_endpoint(
    endpoint_id: EndpointId,
    body: WebhookEndpointPatch,
    session: WriteSessionDep,
    caller: PartnerDep,
    clock: ClockDep,
    settings: SettingsDep,
) -> Any:
    return service.update_endpoint(
        session,
        caller,
        endpoint_id,
        body,
        settings=settings,
        now=clock.now(),
    )


@router.post(
    "/webhook-endpoints/{endpoint_id}/ping",
    status_code=202,
    response_model=WebhookDeliveryOut,
    summary="Send a test event to a webhook endpoint",
    description="Queues a `ping` event to this endpoint alone, so you can check your "
    "receiver: the worker POSTs it within moments, signed like every event "
    "(`Jilin-Event-Type: ping`; `data` holds `endpoint_id` and `occurred_at`), retried the "
    "same way. The answer is its delivery, also listed in `GET /v1/webhook-deliveries`. "
    "409 `webhook_endpoint_paused` while the endpoint is paused; any other id is 404 "
    "`webhook_endpoint_not_found`.",
    responses=problems(401, 404, 409, 422),
)
def ping_webhook_endpoint(
    endpoint_id: EndpointId, session: WriteSessionDep, caller: PartnerDep, clock: ClockDep
) -> Any:
    return service.ping_endpoint(session, caller, endpoint_id, clock.now())


@router.delete(
    "/webhook-endpoints/{endpoint_id}",
    status_code=204,
    response_class=Response,
    summary="Remove a webhook endpoint",
    description="Nothing more is sent to it; its pending deliveries are given up.",
    responses=problems(401, 404, 422),
)
def delete_webhook_endpoint(
    endpoint_id: EndpointId,
    session: WriteSessionDep,
    caller: PartnerDep,
    clock: ClockDep,
) -> Response:
    service.disable_endpoint(session, caller, endpoint_id, clock.now())
    return Response(status_code=204)


@router.get(
    "/webhook-deliveries",
    response_model=WebhookDeliveryPage,
    summary="List your webhook deliveries",
    description="Every delivery of an event to one of your endpoints, newest first, with "
    "its status (`pending`, `delivered`, `failed`), attempts and last answer.\n\n" + SIGNING,
    responses=problems(401, 422),
)
def list_webhook_deliveries(
    session: SessionDep,
    caller: PartnerDep,
    status: Annotated[DeliveryStatus | None, Query(description="Only this status")] = None,
    endpoint_id: Annotated[
        int | None,
        Query(
            ge=1,
            le=2**31 - 1,
            description="Only this endpoint (one of yours, removed or not; any other is 422 "
            "`webhook_endpoint_not_found`)",
        ),
    ] = None,
    cursor: Cursor = None,
    limit: Limit = 20,
) -> Any:
    return service.list_deliveries(
        session, caller, cursor=cursor, limit=limit, status=status, endpoint_id=endpoint_id
    )


def _post_idempotent(path: str, **kwargs: Any):
    """``router.post`` for an endpoint run by ``run_idempotent`` (requires
    `Idempotency-Key`, as a booking's POSTs): the key resolved there, checked before a bad
    id's 422 (``KeyBeforeBodyRoute``), documented as needing a key."""

    def register(endpoint):
        router.add_api_route(
            path,
            endpoint,
            methods=["POST"],
            route_class_override=KeyBeforeBodyRoute,
            dependencies=[Depends(refused_anonymous_by_the_endpoint)],
            **kwargs,
        )
        return endpoint

    return register


async def _idempotently(
    request: Request,
    credentials: Any,
    idempotency_key: str | None,
    status: int,
    act: Callable[[Session, Caller, datetime], BaseModel],
) -> Response:
    """``act`` under ``run_idempotent``: the key resolved and the claim, then the change
    and its recorded answer in one transaction; a retry with the key gets that answer."""
    clock = request.app.state.clock

    def work(session: Session, caller: Caller) -> tuple[int, dict[str, Any]]:
        return status, act(session, caller, clock.now()).model_dump(mode="json")

    return await run_idempotent(
        request,
        credentials=credentials,
        idempotency_key=idempotency_key,
        work=work,
        anonymous_secret=None,
    )


@_post_idempotent(
    "/webhook-deliveries/{delivery_id}/resend",
    status_code=202,
    response_model=WebhookDeliveryOut,
    summary="Resend a webhook delivery",
    description="Queues one of your deliveries again, delivered or given up (`failed`, "
    "after its 12 attempts or while its endpoint was paused): the worker sends it at once "
    "(the same event and `Jilin-Event-Id`, signed anew, to the endpoint's current `url`) "
    "and retries it as a new delivery (`attempts` counted afresh). The answer is the "
    "delivery, `pending`. Requires `Idempotency-Key`. 409 `webhook_delivery_pending` while "
    "it is still pending, `webhook_endpoint_paused`, `webhook_endpoint_removed`; any "
    "other id, another partner's included, is 404 `webhook_delivery_not_found`.",
    responses=problems(401, 404, 409, 422, 429),
)
async def resend_webhook_delivery(
    request: Request,
    delivery_id: DeliveryId,
    credentials: BearerDep,
    idempotency_key: IdempotencyKeyHeader = None,
) -> Any:
    return await _idempotently(
        request,
        credentials,
        idempotency_key,
        202,
        lambda session, caller, now: service.resend_delivery(session, caller, delivery_id, now),
    )


@_post_idempotent(
    "/webhook-endpoints/{endpoint_id}/rotate-secret",
    response_model=WebhookEndpointCreated,
    summary="Rotate a webhook endpoint's secret",
    description="A new `secret`, in this answer only. The secret it replaces keeps "
    "signing for 24 hours (`previous_secret_expires_at`): each delivery's "
    "`Jilin-Signature` then has two `v1`, the new secret's first; accept the request when "
    "either matches yours, and switch your receiver to the new secret within the day. "
    "Requires `Idempotency-Key`: a retry gets the same new secret (kept sealed with the "
    "recorded answer), never a second rotation. Any other id is 404 "
    "`webhook_endpoint_not_found`.",
    responses=problems(401, 404, 422, 429),
)
async def rotate_webhook_secret(
    request: Request,
    endpoint_id: EndpointId,
    credentials: BearerDep,
    idempotency_key: IdempotencyKeyHeader = None,
) -> Any:
    return await _idempotently(
        request,
        credentials,
        idempotency_key,
        200,
        lambda session, caller, now: service.rotate_secret(session, caller, endpoint_id, now),
    )


# --- what a partner receives when it asks for a ping (the OpenAPI document's ``webhooks``;
# the booking events' headers and delivery terms, ``service.bookings.endpoints``) -------------

events = APIRouter(tags=["webhooks"])


@events.post(
    "ping",
    operation_id="ping",
    summary="A test event you asked for",
    description="Sent to one endpoint when you call `POST /v1/webhook-endpoints/{endpoint_id}"
    "/ping`: check the signature and answer 2xx, as for any event." + _DELIVERY,
    responses=_ACK,
)
def partner_receives_ping(
    body: PingEvent,
    signature: Annotated[str, _SIGNATURE],
    event_id: Annotated[str, _EVENT_ID],
    event_type: Annotated[str, _EVENT_TYPE],
) -> None:
    """Documentation only: what a partner's endpoint receives (partners implement it)."""
