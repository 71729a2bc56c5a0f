"""HTTP of the admin API's front desk and sales rules: operator bookings and their
transitions, discount rules by version, ticket stub batches (``/v1/admin/…``).

Scoped exactly as ``service.operators.endpoints``: through ``service.operators.scope``.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse

from service import spreadsheet
from service.bookings.endpoints import Reference
from service.bookings.models import MODE_PAY_AT_PROPERTY
from service.bookings.schemas import cancellation_out, leg_out, refund_fields
from service.deps import ClockDep, SessionDep, SettingsDep, WriteSessionDep
from service.errors import problems
from service.i18n import LangDep, pick
from service.logs import mask_name
from service.operators import arrivals, booking_list, desk_schemas, lists, schemas
from service.operators import bookings as operator_bookings
from service.operators import rules as operator_rules
from service.operators import stubs as operator_stubs
from service.operators.auth import OperatorDep
from service.operators.endpoints import Cursor, Limit
from service.text import IsoDate

router = APIRouter(prefix="/v1/admin", tags=["admin"])


def _booking_item(i, lang, legs: list[int]) -> desk_schemas.OperatorBookingItem:
    return desk_schemas.OperatorBookingItem(
        index=i.item_index,
        product_id=i.product_id,
        product_name=pick(lang, i.product_name_zh, i.product_name_en),
        check_in=i.check_in.isoformat(),
        check_out=i.check_out.isoformat(),
        nights=(i.check_out - i.check_in).days,
        units=i.units,
        guests=i.guests,
        net_fen=i.net_fen,
        leg_indexes=legs,
        stay_status=i.stay_status,
        stay_status_at=i.stay_status_at,
    )


def _own_refund_fields(b, paid: operator_bookings.PaymentShown) -> dict:
    return {
        "refunded_fen": paid.refunded_fen,
        "refund_requested_fen": paid.refund_requested_fen if b.refund_requested_fen else 0,
        "refund_status": b.refund_status,
    }


def _booking_summary(v: operator_bookings.OperatorBooking, lang) -> dict:
    b = v.booking
    paid = operator_bookings.payment_of(v)
    return dict(
        reference=b.reference,
        status=b.status,
        channel=b.channel,
        # a trip that also stays elsewhere: the operator's own part only (2026-12-07)
        total_fen=b.total_fen if v.all_items_mine else None,
        destination_total_fen=v.own_fen,
        to_collect_fen=paid.collect_fen if paid.mode == MODE_PAY_AT_PROPERTY else None,
        # a cancelled trip that also stays elsewhere: the operator's part (payment_of)
        **(refund_fields(b) if v.all_items_mine else _own_refund_fields(b, paid)),
        payment_mode=b.payment_mode,
        destination_ids=v.destination_ids,
        spans_other_destinations=not v.all_items_mine,
        items=[_booking_item(i, lang, v.shares.legs_with([i])) for i in v.items],
        lead_name=b.lead_name,
        created_at=b.created_at,
        updated_at=b.updated_at,
    )


def _booking_detail(
    v: operator_bookings.OperatorBooking, operator, lang
) -> desk_schemas.OperatorBookingDetail:
    shown = operator_bookings.personal_data(operator, v)
    recorded = operator_bookings.cancellation_of(v)  # a trip across destinations: its part
    cancellation = None
    if recorded:
        cancellation = desk_schemas.OperatorCancellationOut(
            **cancellation_out(recorded, lang).model_dump(), was_status=recorded.get("was_status")
        )
    return desk_schemas.OperatorBookingDetail(
        **{**_booking_summary(v, lang), "lead_name": shown.lead_name},
        lead_phone=shown.lead_phone,
        guests=[desk_schemas.Guest(**g) for g in shown.guests],
        # as the console's booking page lists them: another destination's fare not said
        legs=[
            desk_schemas.OperatorBookingLegOut(
                **{**leg_out(g, lang).model_dump(), "net_fen": v.fare_of(g)}
            )
            for g in v.legs
        ],
        cancellation=cancellation,
    )


@router.get(
    "/bookings",
    response_model=desk_schemas.OperatorBookingPage,
    summary="Bookings that stay at your destinations",
    description=(
        "Newest first; filters: `destination_id`, `status`, `arriving_from`/`arriving_to` "
        "(a stay of yours checks in on a day from `arriving_from` to `arriving_to`, both "
        "inclusive; `arriving_to` before `arriving_from` is 422 `invalid_range`). A front desk "
        "finds a booking by the guest: `lead_phone` (the lead traveller's phone, read as the "
        "booking form reads one: spaces, dashes, `+86`/`0086` do not matter; matched by its "
        "keyed hash; not a phone is 422 `phone_format` or `phone_digits`) and `name` (the "
        "lead traveller's, exactly, after NFKC and trimming), only among your own "
        "destinations' bookings; neither is logged. Names are masked here; read one booking "
        "for the guests' details."
    ),
    responses=problems(401, 404, 422, 429),
)
def list_operator_bookings(
    operator: OperatorDep,
    session: SessionDep,
    settings: SettingsDep,
    lang: LangDep,
    destination_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
    status: Annotated[booking_list.BookingStatus | None, Query()] = None,
    arriving_from: Annotated[
        IsoDate | None, Query(description="First check-in day (inclusive)")
    ] = None,
    arriving_to: Annotated[
        IsoDate | None, Query(description="Last check-in day (inclusive)")
    ] = None,
    lead_phone: Annotated[
        booking_list.Phone | None,
        Query(
            description="The lead traveller's phone, as the guest says it",
            openapi_examples={"phone": {"summary": "A guest's mobile", "value": "138 0013 8000"}},
        ),
    ] = None,
    name: Annotated[
        booking_list.GuestName | None,
        Query(
            description="The lead traveller's name, exactly",
            openapi_examples={"name": {"summary": "A guest's name", "value": "王芳"}},
        ),
    ] = None,
    cursor: Cursor = None,
    limit: Limit = 20,
) -> Any:
    filters = booking_list.BookingSearch(
        destination_id=destination_id,
        status=status,
        arriving_from=arriving_from,
        arriving_to=arriving_to,
        lead_phone=lead_phone,
        name=name,
    )  # the console reads its filters into the same model, through the same page
    page = booking_list.page(
        session, operator, filters, cursor=cursor, limit=limit, pepper=settings.secret_key
    )
    items = []
    for v in page.items:
        row = _booking_summary(v, lang)
        row["lead_name"] = mask_name(row["lead_name"])
        items.append(desk_schemas.OperatorBookingSummary(**row))
    return desk_schemas.OperatorBookingPage(items=items, next=page.next)


def _arrivals_csv_example() -> str:
    """The CSV answer's example: the JSON example's rows, written by the exporter itself
    (so the two cannot drift apart)."""
    example = desk_schemas.ArrivalsOut.model_config["json_schema_extra"]["examples"][0]
    filters = arrivals.ArrivalsFilters(**{"from": example["from"], "to": example["to"]})
    body, _, _ = arrivals.Arrivals(filters, example["items"]).file("csv")
    return body.decode("utf-8").removeprefix("\ufeff")


@router.get(
    "/arrivals",
    response_model=desk_schemas.ArrivalsOut,
    summary="The front desk's arrivals and departures over a range of days",
    description=(
        "One row per stay of your destinations that checks in or checks out on a day from "
        "`from` to `to` (both inclusive, at most 31 days), by check-in: reference, "
        "product, dates, nights, units, guests, the lead traveller's name and phone, the "
        "guests' names, the booking's status and the stay's. Filters as the bookings "
        "list: `destination_id`, `status`. `format=csv` or `format=xlsx` answers the same "
        "table as a file named by its days (`arrivals-2027-07-01-2027-07-03.csv`); the Excel "
        "file opens on a sheet for the front desk in the caller's language (title row, "
        "headers in words, dates as dates, statuses in words), then the sheet `arrivals`, "
        "the CSV's table, for programs; every "
        "answer is `Cache-Control: private, no-store`. Names and phones are in full to "
        "the operator of the booked destination, masked for the province. 404 for a "
        "`destination_id` that is not yours; 422 `invalid_range` (`to` before `from`), "
        "`range_too_long` (more than 31 days), `validation_error` (a `format` or `status` "
        "not listed, a date not `YYYY-MM-DD`)."
    ),
    responses={
        200: {
            "content": {
                "text/csv": {"schema": {"type": "string"}, "example": _arrivals_csv_example()},
                spreadsheet.XLSX_TYPE: {"schema": {"type": "string", "format": "binary"}},
            }
        },
        **problems(401, 404, 422, 429),
    },
)
def read_arrivals(
    operator: OperatorDep,
    session: SessionDep,
    lang: LangDep,
    clock: ClockDep,
    first: Annotated[IsoDate, Query(alias="from", description="First day (inclusive)")],
    to: Annotated[IsoDate, Query(description="Last day (inclusive), at most 31 days on")],
    destination_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
    status: Annotated[booking_list.BookingStatus | None, Query()] = None,
    format: arrivals.Format = "json",
) -> Any:
    filters = arrivals.ArrivalsFilters(
        **{"from": first, "to": to, "destination_id": destination_id, "status": status}
    )  # the console's form reads into the same model, through the same service
    found = arrivals.arrivals(session, operator, filters, lang, clock.now())
    if format == "json":
        body = {"from": first.isoformat(), "to": to.isoformat(), "destination_id": destination_id,
                "status": status, "items": found.rows}  # fmt: skip
        return JSONResponse(jsonable_encoder(body), headers=arrivals.HEADERS)
    content, media, disposition = found.file(format)
    return Response(
        content,
        media_type=media,
        headers={**arrivals.HEADERS, "Content-Disposition": disposition},
    )


@router.get(
    "/bookings/{reference}",
    response_model=desk_schemas.OperatorBookingDetail,
    summary="One booking at your destinations, with the guests' details",
    responses=problems(401, 404, 429),
)
def read_operator_booking(
    reference: Reference, operator: OperatorDep, session: SessionDep, lang: LangDep
) -> Any:
    return _booking_detail(
        operator_bookings.booking_of(session, operator, reference), operator, lang
    )


@router.post(
    "/bookings/{reference}/stay-status",
    response_model=desk_schemas.OperatorBookingDetail,
    summary="Front desk: check a stay in, complete it, record a no-show, or undo one of these",
    description=(
        "On one of your stay items of a confirmed booking: `checked_in` and `no_show` from "
        "the check-in date, `completed` after `checked_in`. A no-show recorded by mistake, "
        "or a guest who came late: `expected` (not arrived yet, `stay_status` null again) "
        "or `checked_in`. A check-in recorded by mistake: `expected`; a check-out: "
        "`checked_in`. Every undo is made until the stay's last night (from its check-out "
        "day the record stands: 409 `too_late`). A stay checked in, checked out or marked a "
        "no-show stops the booking being cancelled (409 `stay_started`, `stay_no_show`); "
        "back to `expected`, it may be cancelled again. 409 `invalid_transition` or "
        "`too_early` otherwise; every change is in the audit log (an undo of a check-in or "
        "check-out as `stay_check_in_undone`, `stay_check_out_undone`)."
    ),
    responses=problems(401, 403, 404, 409, 422, 429),
)
def set_stay_status(
    reference: Reference,
    body: desk_schemas.StayStatusIn,
    operator: OperatorDep,
    session: WriteSessionDep,
    clock: ClockDep,
    lang: LangDep,
) -> Any:
    view = operator_bookings.set_stay_status(
        session,
        operator,
        reference,
        item_index=body.item_index,
        status=body.status,
        now=clock.now(),
    )
    return _booking_detail(view, operator, lang)


@router.post(
    "/bookings/{reference}/cancel",
    response_model=desk_schemas.OperatorBookingDetail,
    summary="Cancel a booking as its operator (everything paid refunded)",
    description=(
        "You cancel of your own accord (repairs, cannot host): everything paid is "
        "refunded in full, whatever the refund policy says (`cancellation.refund_terms` "
        "`full_refund`). With `on_behalf_of_traveller: true` you cancel because the "
        "traveller asked: the product's refund policy applies on today's date, as for the "
        "traveller's own cancel (`policy`). `cancellation.refund_terms_note` says which, "
        "in words. Cancelling again returns the first cancellation, on its terms: the "
        "call is idempotent by itself (one cancellation, one refund, one audit entry, "
        "whatever the retry's body), so it takes no `Idempotency-Key` (one sent is not "
        "read), unlike the traveller's and partner's `POST /v1/bookings/{reference}/cancel`. 409 "
        "`booking_spans_other_destinations` when the trip also stays elsewhere, "
        "`not_cancellable` for expired or completed bookings, `stay_started` once an "
        "item is checked in or out, `stay_no_show` once one is marked a no-show (undo the "
        "no-show first)."
    ),
    responses=problems(401, 403, 404, 409, 422, 429),
)
def cancel_operator_booking(
    request: Request,
    reference: Reference,
    operator: OperatorDep,
    session: WriteSessionDep,
    clock: ClockDep,
    settings: SettingsDep,
    lang: LangDep,
    body: desk_schemas.OperatorCancelIn | None = None,
) -> Any:
    view = operator_bookings.cancel(
        session,
        operator,
        reference,
        now=clock.now(),
        reason=body.reason if body else None,
        on_behalf_of_traveller=body.on_behalf_of_traveller if body else False,
        lock_timeout_ms=settings.lock_timeout_ms,
        payments=request.app.state.payments,  # a paid booking is refunded through Stripe
    )
    return _booking_detail(view, operator, lang)


@router.post(
    "/bookings/{reference}/retry-refund",
    response_model=desk_schemas.OperatorBookingDetail,
    summary="Ask Stripe again for a booking's failed refund",
    description=(
        "A refund through Stripe that failed (`refund_status` `failed`: Stripe refused "
        "it, or could not return the money) is not tried again by itself. This asks "
        "Stripe again for every failed refund of the booking, for the same amounts: "
        "`refund_status` becomes `pending` and the worker makes them, as any refund "
        "(`booking.refund_succeeded` or `booking.refund_failed` follows). Never refunds "
        "twice: a second call, or a concurrent one, finds nothing failed and is 409 "
        "`refund_not_failed` (also for a booking whose refund is pending or made, or "
        "that has none), and before it makes a refund the worker checks that no earlier "
        "attempt was made at Stripe after all. Needs the `bookings` permission, as the "
        "cancel does; takes no body and no `Idempotency-Key`. A trip that also stays at "
        "another operator's destination (`spans_other_destinations`) has one refund for "
        "the whole trip: this asks for all of it again, as one payment, while the answer "
        "(`refunded_fen`, `refund_requested_fen`) and the audit entry give your part only."
    ),
    responses=problems(401, 403, 404, 409, 429),
)
def retry_operator_refund(
    reference: Reference,
    operator: OperatorDep,
    session: WriteSessionDep,
    clock: ClockDep,
    lang: LangDep,
) -> Any:
    view = operator_bookings.retry_refund(session, operator, reference, now=clock.now())
    return _booking_detail(view, operator, lang)


# --- discount rules ---------------------------------------------------------------------

RuleId = Annotated[int, Path(ge=1, le=2**31 - 1)]


def _rule(view: operator_rules.RuleView) -> schemas.AdminRuleOut:
    return schemas.AdminRuleOut(
        id=view.rule.id,
        key=view.rule.key,
        kind=view.rule.kind,
        is_active=view.rule.is_active,
        current_version=view.rule.current_version,
        versions=[
            schemas.RuleVersionOut(
                version=v.version,
                created_at=v.created_at,
                created_by=v.created_by,
                terms=operator_rules.terms_json(v),
            )
            for v in view.versions
        ],
    )


_RULE_DOC = (
    "A rule is yours when every destination it names is yours (404 otherwise). Needs the "
    "`rates` permission (operator admin): 403 `forbidden_role` otherwise, before the rule's "
    "state or the terms are looked at. A `booking_to` or `check_in_to` before its "
    "`booking_from` or `check_in_from` is 422 `invalid_range` naming it. Terms are checked "
    "as the pricing engine checks them (422 `invalid_rule` naming the term). A `booking_to` "
    "or `check_in_to` before "
    "today (Asia/Shanghai) is 422 `nights_in_past` naming it: the version could never "
    "apply (a `booking_from` in the past is kept, so a rule in force is changed as it is)."
)


@router.get(
    "/rules",
    response_model=schemas.AdminRulePage,
    summary="Discount rules of your destinations (current versions)",
    description=(
        "By id, each with its current version; `limit` a page (1-100, default 20) and "
        "`next` the cursor of the next (bound to your account, as every admin list's). "
        "The province sees every rule, province-wide ones included."
    ),
    responses=problems(401, 422, 429),
)
def list_rules(
    operator: OperatorDep, session: SessionDep, cursor: Cursor = None, limit: Limit = 20
) -> Any:
    page = lists.rule_page(session, operator, cursor=cursor, limit=limit)
    return schemas.AdminRulePage(items=[_rule(v) for v in page.items], next=page.next)


@router.post(
    "/rules",
    status_code=201,
    response_model=schemas.AdminRuleOut,
    summary="Create a discount rule",
    description=_RULE_DOC + " 409 `rule_key_taken`.",
    responses=problems(401, 403, 404, 409, 422, 429),
)
def create_rule(
    body: schemas.RuleIn, operator: OperatorDep, session: WriteSessionDep, clock: ClockDep
) -> Any:
    view = operator_rules.create_rule(
        session, operator, key=body.key, kind=body.kind, terms=body.terms(), now=clock.now()
    )
    return _rule(view)


@router.get(
    "/rules/{rule_id}",
    response_model=schemas.AdminRuleOut,
    summary="One rule with every version (who made it, when)",
    responses=problems(401, 404, 429),
)
def read_rule(rule_id: RuleId, operator: OperatorDep, session: SessionDep) -> Any:
    return _rule(operator_rules.rule_of(session, operator, rule_id))


@router.post(
    "/rules/{rule_id}/versions",
    status_code=201,
    response_model=schemas.AdminRuleOut,
    summary="Change a rule: add its next version",
    description=_RULE_DOC
    + " The new version is in force for the next quote on every worker; a stored quote "
    "and a booking keep the version they were priced with. 409 `rule_retired`; 409 "
    "`rule_unchanged` when the terms are the current version's (nothing is added). "
    "A higher tier that gives less than a lower one is 422 `invalid_rule` naming "
    "`tiers[i].bps` (the highest tier met applies, so it would charge more).",
    responses=problems(401, 403, 404, 409, 422, 429),
)
def add_rule_version(
    rule_id: RuleId,
    body: schemas.RuleTermsIn,
    operator: OperatorDep,
    session: WriteSessionDep,
    clock: ClockDep,
) -> Any:
    view = operator_rules.add_version(
        session, operator, rule_id, terms=body.terms(), now=clock.now()
    )
    return _rule(view)


@router.post(
    "/rules/{rule_id}/retire",
    response_model=schemas.AdminRuleOut,
    summary="Retire a rule (no longer applied to new quotes)",
    responses=problems(401, 403, 404, 429),
)
def retire_rule(
    rule_id: RuleId, operator: OperatorDep, session: WriteSessionDep, clock: ClockDep
) -> Any:
    return _rule(operator_rules.retire(session, operator, rule_id, now=clock.now()))


# --- ticket stubs -----------------------------------------------------------------------

IssuerId = Annotated[int, Path(ge=1, le=2**31 - 1)]


@router.get(
    "/stub-issuers",
    response_model=schemas.StubIssuerPage,
    summary="Ticket stub issuers (票根) of your destinations",
    description=(
        "The scenic areas and resorts at your destinations whose stubs you issue (their "
        "`id` is the `issuer_id` of the batch and register paths); the province sees "
        "every issuer, the transit lines' too (`destination_id` null). By id, `limit` a "
        "page (1-100, default 20) and `next` the cursor of the next (bound to your "
        "account, as every admin list's)."
    ),
    responses=problems(401, 422, 429),
)
def list_stub_issuers(
    operator: OperatorDep,
    session: SessionDep,
    lang: LangDep,
    cursor: Cursor = None,
    limit: Limit = 20,
) -> Any:
    page = lists.issuer_page(session, operator, cursor=cursor, limit=limit)
    return schemas.StubIssuerPage(
        items=[
            schemas.StubIssuerOut(
                id=i.id,
                code=i.code,
                kind=i.kind,
                name=pick(lang, i.name_zh, i.name_en),
                name_zh=i.name_zh,
                name_en=i.name_en,
                destination_id=i.destination_id,
                transit_line_id=i.transit_line_id,
            )
            for i in page.items
        ],
        next=page.next,
    )


@router.post(
    "/stub-issuers/{issuer_id}/batches",
    status_code=201,
    response_model=schemas.StubBatchOut,
    summary="Issue a batch of ticket stub codes (票根)",
    description=(
        "For a scenic area or resort at one of your destinations (404 otherwise); needs "
        "the `rates` permission. Codes are unguessable (`STUB-` + 10 characters)."
    ),
    responses=problems(401, 403, 404, 422, 429),
)
def issue_stubs(
    issuer_id: IssuerId,
    body: schemas.StubBatchIn,
    operator: OperatorDep,
    session: WriteSessionDep,
    clock: ClockDep,
) -> Any:
    rows = operator_stubs.issue_batch(
        session,
        operator,
        issuer_id,
        count=body.count,
        visit_date=body.visit_date,
        persons=body.persons,
        now=clock.now(),
    )
    return schemas.StubBatchOut(
        issuer_id=issuer_id,
        stubs=[
            schemas.StubOut(code=r.code, visit_date=r.visit_date.isoformat(), persons=r.persons)
            for r in rows
        ],
    )


@router.get(
    "/stub-issuers/{issuer_id}/stubs.csv",
    response_class=Response,
    summary="The issuer's stub register as CSV (for printing)",
    responses={
        200: {"content": {"text/csv": {"example": "code,issuer,visit_date,persons,used\n"}}},
        **problems(401, 404, 422, 429),
    },
)
def export_stubs(
    issuer_id: IssuerId,
    operator: OperatorDep,
    session: SessionDep,
    visit_date: Annotated[IsoDate | None, Query()] = None,
) -> Response:
    text = operator_stubs.register_csv(session, operator, issuer_id, visit_date)
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="stubs-{issuer_id}.csv"'},
    )
