"""HTTP for bookings: create, read by reference, cancel, and the partner feed."""

from typing import Annotated, Any

from fastapi import APIRouter, Body, Header, Path, Query, Request
from pydantic import AfterValidator
from sqlmodel import Session

from service.auth import BearerDep, Caller, CallerDep, KeyBeforeBodyRoute, PartnerDep
from service.bookings import event_schemas, feed, schemas, service
from service.bookings.cancel_schemas import CancellationPreviewOut, preview_out
from service.deps import ClockDep, SessionDep, SettingsDep, WriteSessionDep
from service.errors import problems
from service.i18n import LangDep
from service.idempotency.runner import IdempotencyKeyHeader, run_idempotent
from service.pagination import Cursor
from service.ratelimit import client_address
from service.text import Text, UtcInstant

router = APIRouter(prefix="/v1", tags=["bookings"])


def _post_key_before_body(path: str, **kwargs: Any):
    """``router.post`` for an endpoint that resolves the key in ``run_idempotent``: its
    route checks the key before a refused body's 422 (``KeyBeforeBodyRoute``)."""

    def register(endpoint):
        router.add_api_route(
            path, endpoint, methods=["POST"], route_class_override=KeyBeforeBodyRoute, **kwargs
        )
        return endpoint

    return register


# Read as a person types it back (``service.reference_key``, as the pages read it): any
# case, full-width or not, the hyphen left out (``jljju6d7`` is ``JL-JJU6D7``).
Reference = Annotated[
    Text,
    AfterValidator(service.reference_key),
    Path(
        description="The booking reference, e.g. JL-7K3Q9M: any case, full-width or not, "
        "the hyphen optional (`jl7k3q9m`)",
        max_length=12,
    ),
]
BookingToken = Annotated[
    str | None,
    Header(
        alias="X-Booking-Token",
        max_length=100,
        description="The traveller's token from the create response (anonymous callers), "
        "as shown or as the traveller types it: any case, spaces or dashes, O for 0, I or "
        "L for 1 (a token issued before 2026-12-06 exactly as issued). "
        "A header, not a query parameter, so that it never lands in access logs.",
        examples=["7KQ2-M9XD-3FHT-0BWC-RZ5N"],
    ),
]


@_post_key_before_body(
    "/bookings",
    status_code=201,
    response_model=schemas.BookingCreated,
    summary="Book a quote",
    description=(
        "Takes every night of every item of an unexpired quote in one transaction, all or "
        "nothing, and charges exactly the quote's total. Requires `Idempotency-Key`: a "
        "retry with the same key and body replays the first response for 24 hours.\n\n"
        "`payment.mode` says how it is paid: `stripe` (status `pending_payment` until "
        "paid, nights held until `hold_expires_at`), `pay_at_property` (offline mode: "
        "confirmed, pay on arrival) or `merchant_collects` (the partner collects; "
        "confirmed). `token` is the traveller's secret, shown only here.\n\n"
        "Problems: 422 `missing_idempotency_key`, `idempotency_key_reused`, "
        "`quote_not_found`, `quote_expired`, `quote_total_not_positive` (the quote comes "
        "to 0 fen: a night is never free), `too_many_guests`, `lead_not_among_guests` "
        "(`guests` as long as the quote's party without the lead traveller's name: the "
        "lead stays too), `validation_error`; 409 "
        "`quote_already_booked` (a quote backs one live booking at a time: booked again "
        "only after its booking is cancelled or expired, while the quote is unexpired), "
        "`sold_out` (with `field` items[i] and `night`), `inventory_busy` (retry), "
        "`hold_limit_reached` (unpaid units over a cap: an API client's holds, or "
        "without a key per product (its units in running holds) and per client address "
        "(rooms at once: running holds and `pay_at_property` bookings of the last 24 "
        "hours, each counted by its most units on any one night); `held_units`, "
        "`asked_units`, `limit`), "
        "`stub_already_used`, "
        "`idempotency_in_progress`; 401 `invalid_api_key`; 429 `rate_limited`; 503 "
        "`payment_provider_unavailable` (Stripe did not answer; nothing was booked: retry)."
    ),
    responses={
        201: {
            "links": {
                "ReadTheBooking": {
                    "operationId": "readBooking",
                    "parameters": {
                        "reference": "$response.body#/reference",
                        "header.X-Booking-Token": "$response.body#/token",
                    },
                },
                "CancelTheBooking": {
                    "operationId": "cancelBooking",
                    "parameters": {
                        "reference": "$response.body#/reference",
                        "header.X-Booking-Token": "$response.body#/token",
                    },
                },
            }
        },
        **problems(401, 409, 413, 422, 429, 503),
    },
)
async def create_booking(
    request: Request,
    body: Annotated[schemas.BookingIn, Body()],
    credentials: BearerDep,
    lang: LangDep,
    idempotency_key: IdempotencyKeyHeader = None,
) -> Any:
    # One trip to the thread pool: key, rate limit and claim in one short transaction,
    # then the booking and its recorded response in another (``run_idempotent``). The
    # app's settings and clock are read off app.state here rather than as dependencies
    # (each costs FastAPI a dependency solve on the hottest endpoint).
    state = request.app.state
    settings, clock, payments = state.settings, state.clock, state.payments
    address = client_address(request)

    def book(session: Session, caller: Caller) -> tuple[int, dict[str, Any]]:
        view = service.create_booking(
            session,
            caller,
            body,
            now=clock.now(),
            settings=settings,
            client_address=address,
            payments=payments,
        )
        return 201, schemas.render(view, lang).model_dump(mode="json")

    return await run_idempotent(
        request,
        credentials=credentials,
        idempotency_key=idempotency_key,
        work=book,
        anonymous_secret=f"quote:{body.quote_id}",
    )


@router.get(
    "/bookings",
    response_model=schemas.BookingPage,
    summary="Feed of the partner's bookings",
    description=(
        "The caller's bookings in the order their changes committed, oldest first; a "
        "booking changed again comes again (every change bumps `version` and "
        "`updated_at`). Follow `next` as `cursor` while it is set; then keep "
        "`poll_cursor` and pass it as `cursor` on your next poll: you get every change "
        "committed since, none skipped, even one whose transaction committed after a "
        "later one (a change is held back while an older transaction is still open, "
        "never passed over). `updated_since` (RFC 3339 with offset) only filters by "
        "`updated_at`: use it to start, or alone (then start two minutes before the last "
        "`updated_at` you saw, since a change can commit after its `updated_at`). "
        "Cursors from before this order (by `updated_at`) are 422 `invalid_cursor`. "
        "Names and phones are masked here; read one booking for full details. Needs an "
        "API key."
    ),
    responses=problems(401, 422, 429),
)
def list_bookings(
    caller: PartnerDep,
    session: SessionDep,
    settings: SettingsDep,
    lang: LangDep,
    updated_since: Annotated[
        UtcInstant | None, Query(description="Only bookings changed at or after this instant")
    ] = None,
    cursor: Cursor = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> Any:
    page = feed.list_bookings(
        session, caller, updated_since=updated_since, cursor=cursor, limit=limit
    )
    return schemas.BookingPage(
        items=[schemas.summary(v, lang) for v in page.views],
        next=page.next,
        poll_cursor=page.poll_cursor,
    )


@router.get(
    "/bookings/{reference}",
    response_model=schemas.BookingOut,
    summary="Read one booking",
    description=(
        "Partners read their own bookings with their key; travellers send the booking's "
        "token in `X-Booking-Token`. Anything else is 404, as for an unknown reference (a "
        "request with neither says, in `detail`, which header to send, for every reference "
        "alike). "
        "A hold past `hold_expires_at` reads as `expired` (its nights are released)."
    ),
    responses=problems(401, 404, 409, 429),
)
def read_booking(
    reference: Reference,
    caller: CallerDep,
    session: WriteSessionDep,
    clock: ClockDep,
    settings: SettingsDep,
    lang: LangDep,
    token: BookingToken = None,
) -> Any:
    view = service.read_booking(
        session, reference, caller=caller, token=token, now=clock.now(), settings=settings
    )
    return schemas.render(view, lang)


@router.get(
    "/bookings/{reference}/cancellation",
    response_model=CancellationPreviewOut,
    summary="What cancelling a booking now would refund",
    description=(
        "Changes nothing: what `POST /v1/bookings/{reference}/cancel` would refund if "
        "it ran now, by the same rule, line by line (each stay by the refund policy the "
        "booking keeps, the one its quote showed as `items[].refund_policy`; each "
        "transfer in full up to the day before travel), and on which terms. A cancel by "
        "the same caller on the same `cancel_date` (Asia/Shanghai) refunds exactly "
        "`refund_fen`; the days count from that date, so the preview holds until its end. "
        "Nothing paid (pay at the property, an unpaid hold): `refund_fen` 0 and no "
        "`lines`. Travellers send the booking's token in `X-Booking-Token`, partners "
        "their key, as for reading the booking (404 otherwise). 409 `not_cancellable`, "
        "`stay_started` or `stay_no_show` where the cancel would be refused, with the "
        "same problem."
    ),
    responses=problems(401, 404, 409, 429),
)
def preview_cancellation(
    reference: Reference,
    caller: CallerDep,
    session: WriteSessionDep,
    clock: ClockDep,
    settings: SettingsDep,
    lang: LangDep,
    token: BookingToken = None,
) -> Any:
    # A write session, as reading the booking: a hold past its time is expired as read.
    view, terms = service.preview_cancel_for_caller(
        session, reference, caller=caller, token=token, now=clock.now(), settings=settings
    )
    return preview_out(view.booking.reference, terms, lang)


@_post_key_before_body(
    "/bookings/{reference}/cancel",
    response_model=schemas.BookingOut,
    summary="Cancel a booking",
    description=(
        "By the traveller (`X-Booking-Token`) or the partner that owns it. Refunds by the "
        "product's policy (itemised in `cancellation.lines`), releases the nights and "
        "ticket stubs. Cancelling again returns the first cancellation (one refund). "
        "Requires `Idempotency-Key`. 409 `not_cancellable` for expired or completed "
        "bookings, `stay_started` once the property has checked an item in (or out): "
        "nights being stayed are never put back on sale; `stay_no_show` once it has marked "
        "one a no-show (its nights stay sold; the destination's operator may undo it)."
    ),
    responses=problems(401, 404, 409, 413, 422, 429),
)
async def cancel_booking(
    request: Request,
    reference: Reference,
    credentials: BearerDep,
    lang: LangDep,
    body: Annotated[schemas.CancelIn | None, Body()] = None,
    token: BookingToken = None,
    idempotency_key: IdempotencyKeyHeader = None,
) -> Any:
    # The same single trip to the thread pool as create (``run_idempotent``).
    state = request.app.state
    settings, clock, payments = state.settings, state.clock, state.payments
    reason = body.reason if body else None

    def cancel(session: Session, caller: Caller) -> tuple[int, dict[str, Any]]:
        view = service.cancel_for_caller(
            session,
            reference,
            caller=caller,
            token=token,
            now=clock.now(),
            settings=settings,
            reason=reason,
            payments=payments,
        )
        return 200, schemas.render(view, lang).model_dump(mode="json")

    return await run_idempotent(
        request,
        credentials=credentials,
        idempotency_key=idempotency_key,
        work=cancel,
        anonymous_secret=f"cancel:{reference.upper()}:{token or ''}",
    )


# --- what partners receive (the OpenAPI document's ``webhooks``) ---------------------------

events = APIRouter(tags=["webhooks"])

_SIGNATURE = Header(
    alias="Jilin-Signature",
    description="`t=<unix seconds>,v1=<hex>`: `v1` is HMAC-SHA256 keyed with the endpoint's "
    "secret over `<t>.<body>` (the raw body bytes). For 24 hours after the secret is "
    "rotated there are two `v1` (the new secret's, then the previous one's): accept when "
    "any matches. Refuse a signature that does not verify or whose `t` is more than 5 "
    "minutes old (see docs/webhooks.md).",
)
_EVENT_ID = Header(alias="Jilin-Event-Id", description="The event's `id`, the same in retries")
_EVENT_TYPE = Header(alias="Jilin-Event-Type", description="The event's `type`")
_DELIVERY = (
    " POSTed as JSON to each of the partner's webhook endpoints (`POST /v1/webhook-endpoints`) "
    "for its own bookings. Answer any 2xx within 10 seconds; anything else is retried with "
    "exponential backoff (30 s doubling, at most 1 h apart, 12 attempts). Delivery is at "
    "least once: de-duplicate on `Jilin-Event-Id`; events of one booking may arrive out of "
    "order: keep the highest `data.version`."
)
_ACK = {200: {"description": "Any 2xx acknowledges the event"}}


_EVENTS = {
    "booking.confirmed": (
        "bookingConfirmed",
        "A booking was confirmed",
        "Payment succeeded, or the booking needs none online.",
    ),
    "booking.cancelled": (
        "bookingCancelled",
        "A booking was cancelled",
        "`data.refund_fen` is what this cancellation refunds.",
    ),
    "booking.expired": (
        "bookingExpired",
        "A booking's hold expired unpaid",
        "Its nights were released.",
    ),
    "booking.refunded": (
        "bookingRefunded",
        "A payment that arrived after the booking ended was refunded",
        "The payer paid a booking already cancelled or expired (`status` unchanged; "
        "`status_reason` `paid_after_expiry_sold_out` for an expired one): the payment is "
        "refunded in full. `data.refund_fen` is this refund, `data.refunded_fen` the "
        "booking's total refunded.",
    ),
    "booking.refund_succeeded": (
        "bookingRefundSucceeded",
        "A refund through Stripe was made",
        "One refund that `booking.cancelled` or `booking.refunded` requested is made: "
        "`data.refund_fen` is that refund, `data.refunded_fen` the booking's total made, "
        "`data.refund_status` where all its refunds stand (`succeeded`, or `pending` while "
        "another is not made yet). Also sent when Stripe makes a refund it had failed.",
    ),
    "booking.refund_failed": (
        "bookingRefundFailed",
        "A refund through Stripe failed",
        "Stripe refused or could not make one refund, or failed it after it was made (the "
        "card's bank sent it back): `data.refund_fen` is that refund, not with the "
        "traveller; `data.refund_status` is `failed`, `data.refunded_fen` what is made. "
        "It is not retried by itself: the destination's operator follows it up.",
    ),
}


def _partner_receives(
    body: event_schemas.BookingEvent,
    signature: Annotated[str, _SIGNATURE],
    event_id: Annotated[str, _EVENT_ID],
    event_type: Annotated[str, _EVENT_TYPE],
) -> None:
    """Documentation only: what a partner's endpoint receives (partners implement it)."""


for _event, (_operation_id, _summary, _when) in _EVENTS.items():
    events.add_api_route(
        _event,
        _partner_receives,
        methods=["POST"],
        operation_id=_operation_id,
        summary=_summary,
        description=_when + _DELIVERY,
        responses=_ACK,
    )
