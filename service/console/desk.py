"""The console's front desk: bookings at the operator's destinations (list, detail with
the guests' data, check-in / completed / no-show), and cancellation with the refund
shown before confirming. The same services as ``/v1/admin/bookings``
(``operators.bookings``): the same scope, transitions, refund and audit entries.

Cancelling asks who wants it: the operator (everything paid is refunded) or the
traveller (``on_behalf_of_traveller``: the product's refund policy). The choice is a
GET form on the preview, so the refund shown is always the one the confirm button
applies (the confirm form carries the choice the preview was made with).
"""

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from service import query_params
from service.bookings import errors as booking_errors
from service.bookings import schemas as booking_schemas
from service.bookings.cancellation import (
    CANCELLABLE,
    REASON_MAX,
    kept_stay,
    may_cancel,
    terms_note,
)
from service.bookings.endpoints import Reference
from service.bookings.models import STATUSES
from service.bookings.service import reference_key
from service.console import forms, lists, session
from service.console.session import ConsoleOperatorDep, ConsoleRoute
from service.deps import ClockDep, SessionDep, SettingsDep, WriteSessionDep
from service.errors import DomainError
from service.i18n import pick
from service.logs import mask_name
from service.operators import booking_list
from service.operators import bookings as operator_bookings
from service.operators.desk_schemas import OperatorCancelIn, StayStatusIn
from service.operators.scope import BOOKINGS
from service.pages import formats, web
from service.payments.models import REFUND_FAILED
from service.personal_data import same_name

router = APIRouter(prefix="/console", route_class=ConsoleRoute, include_in_schema=False)

# The bookings list's filters, the API's (``operators.booking_list``), read as the
# console reads a form's text: an id a whole number, a date as typed (``forms.day``).
FILTERS = booking_list.FILTERS
READERS = {"destination_id": forms.whole, "arriving_from": forms.iso_day,
           "arriving_to": forms.iso_day}  # fmt: skip


def _found(request: Request, operator, db_session) -> tuple[Response | None, dict, dict, int]:
    """The bookings page's "find by reference" (``?reference=``): the booking's page
    (303) when the operator sees a booking of that reference, read as every reader reads
    one (``bookings.reference_key``: any case, full-width, the hyphen optional), by the
    booking page's own service (``operators.bookings.booking_of``, the scope's: another
    operator's booking is exactly as unknown); else the words beside the field, with
    the list as its filters ask, and the status (422 nothing typed, 404 none found)."""
    q = query_params.read(request)
    if "reference" not in q:
        return None, {}, {}, 200
    typed = q["reference"].strip()
    values = {"reference": typed}
    if not typed:
        return None, values, {"reference": web.text(request)("error_required")}, 422
    try:
        v = operator_bookings.booking_of(db_session, operator, typed[:40])
    except DomainError as exc:
        if exc.status != 404:
            raise
        said = web.text(request)("bk_find_none", ref=reference_key(typed[:40]))
        return None, values, {"reference": said}, 404
    return RedirectResponse(f"/console/bookings/{v.booking.reference}", 303), values, {}, 200


@router.get("/bookings")
@query_params.reads(*FILTERS, "cursor", "reference")
def bookings_page(
    request: Request, operator: ConsoleOperatorDep, db_session: SessionDep, settings: SettingsDep
) -> Response:
    found, find_values, find_errors, find_status = _found(request, operator, db_session)
    if found is not None:
        return found
    shown = lists.listed(
        request,
        "/console/bookings",
        lambda filters, cursor: booking_list.page(
            db_session,
            operator,
            filters,
            cursor=cursor,
            limit=lists.PAGE_SIZE,
            pepper=settings.secret_key,
        ),
        filters=booking_list.BookingFilters,
        readers=READERS,
        unknown="bk_unknown_parameter",
    )
    status = find_status if find_errors else shown.status
    return _bookings(
        request, operator, db_session, shown, {"find": (find_values, find_errors)}, status
    )


def _bookings(
    request: Request, operator, db_session, shown: lists.Listed, forms_shown: dict, status: int
) -> Response:
    """The bookings page: ``shown``'s rows, and the find forms as ``forms_shown`` has
    them (``find``: by reference; ``guest``: by the guest; each its values and errors)."""
    t = web.text(request)
    lang = web.page_lang(request)
    rows = [
        {
            "reference": v.booking.reference,
            "status": v.booking.status,
            "lead": mask_name(v.booking.lead_name),
            # the operator's own part of a trip that also stays elsewhere (B, 2026-12-07)
            "total_fen": v.own_fen,
            "own_part": not v.all_items_mine,
            "items": [
                {
                    "product": pick(lang, i.product_name_zh, i.product_name_en),
                    "check_in": i.check_in,
                    "check_out": i.check_out,
                    "stay": operator_bookings.stay_shown(v.booking, i),
                }
                for i in v.items
            ],
        }
        for v in shown.items
    ]
    find_values, find_errors = forms_shown.get("find", ({}, {}))
    guest_values, guest_errors = forms_shown.get("guest", ({}, {}))
    return session.render(
        request,
        operator,
        "console/bookings.html",
        {
            "rows": rows,
            "values": shown.values,
            "errors": shown.errors,
            "statuses": STATUSES,
            "destinations": lists.destinations(db_session, operator, lang),
            "listed": shown,
            "find_values": find_values,
            "find_errors": find_errors,
            "guest_values": guest_values,
            "guest_errors": guest_errors,
            "searched": forms_shown.get("searched"),
        },
        title=t("bk_title"),
        nav="bookings",
        status_code=status,
    )


@router.post("/bookings/find")
def find_by_guest(
    request: Request,
    operator: ConsoleOperatorDep,
    db_session: SessionDep,
    settings: SettingsDep,
    lead_phone: Annotated[str, Form()] = "",
    name: Annotated[str, Form()] = "",
) -> Response:
    """The "find by the guest" form: the bookings of the operator's destinations whose lead
    traveller has this phone or name (``operators.booking_list.BookingSearch``, the API's
    ``lead_phone`` and ``name``, by its page function: the same scope, the phone by its
    keyed hash). A POST, not a GET address as the reference's: a phone and a name are
    personal data, and an address keeps them in the browser's history, a bookmark and a
    ``Referer``. A phone that is no phone is said beside it in the booking form's words;
    nothing typed, "fill in a phone or a name". One page of 30 (a cursor link would be a
    GET); more is said, to narrow by the other field."""
    t = web.text(request)
    values = {"lead_phone": lead_phone[:200], "name": name[:200]}
    body = {k: v.strip() or None for k, v in values.items()}
    shown = lists.Listed(values={k: "" for k in FILTERS})
    if not any(body.values()):
        errors = {"lead_phone": t("bk_guest_required")}
    else:
        errors = forms.every_error(
            request,
            {},
            lambda: booking_list.BookingSearch.model_validate(body),
            lambda path: path if path in booking_list.SEARCH else None,
        )
    searched = None
    if not errors:
        page = booking_list.page(
            db_session,
            operator,
            booking_list.BookingSearch.model_validate(body),
            cursor=None,
            limit=lists.PAGE_SIZE,
            pepper=settings.secret_key,
        )
        shown.items = page.items
        searched = "more" if page.next is not None else ("found" if page.items else "none")
    forms_shown = {"guest": (values, errors), "searched": searched}
    return _bookings(request, operator, db_session, shown, forms_shown, 422 if errors else 200)


def _detail(
    request, operator, db_session, reference, *, errors=None, status=200, refused=None
) -> Response:
    """The booking's page; ``refused``: the transition or cancellation just refused (a
    ``DomainError``), said on top in the page's words, its status the page's."""
    lang = web.page_lang(request)
    t = web.text(request)
    today = request.app.state.clock.today()
    v = operator_bookings.booking_of(db_session, operator, reference)
    b = v.booking
    may_desk = operator.can(BOOKINGS)
    shown = operator_bookings.personal_data(operator, v)
    # A stay has begun or was marked a no-show (the cancel's own rule): no cancel button
    # that could only fail, but which stay and why (and why a cancel was just refused).
    said_started = _stay_started(request, v)
    started = said_started if b.status in CANCELLABLE else None
    if refused is not None:
        errors = {"_form": _why_not_cancelled(request, refused, said_started)}
        status = refused.status
    items = [
        {
            "index": i.item_index,
            "product": pick(lang, i.product_name_zh, i.product_name_en),
            "check_in": i.check_in,
            "check_out": i.check_out,
            "nights": (i.check_out - i.check_in).days,
            "units": i.units,
            "guests": i.guests,
            "net_fen": i.net_fen,
            "stay": operator_bookings.stay_shown(b, i),
            # the desk's buttons: only the moves the desk would accept today, each with
            # what it does (a record, or an undo: ``desk_change``) for its words
            "moves": [
                (move, operator_bookings.desk_change(i.stay_status, move))
                for move in (operator_bookings.stay_moves(b, i, today) if may_desk else [])
            ],
        }
        for i in v.items
    ]
    paid = operator_bookings.payment_of(v)
    # its transfers as the booking's answer shows them (line, day, riders, stops), and
    # whose amount each fare is part of (``bookings.shares``)
    legs = [
        {"out": booking_schemas.leg_out(g, lang), "fare": _fare_words(request, v, g)}
        for g in v.legs
    ]
    return session.render(
        request,
        operator,
        "console/booking.html",
        {
            "b": b,
            "shown": shown,
            "items": items,
            "legs": legs,
            "guests": _guest_rows(b, shown),
            "spans_other": not v.all_items_mine,
            "own_fen": v.own_fen,
            "payment": _payment_words(request, v, paid),
            "refunded_fen": paid.refunded_fen,
            # a trip that also stays elsewhere: the operator's lines and part only
            "cancellation": operator_bookings.cancellation_of(v),
            "may_cancel": may_desk and v.all_items_mine and may_cancel(b.status, v.items),
            # a failed refund is not retried by itself: the desk may ask Stripe again
            "retry_refund_fen": paid.refund_requested_fen - paid.refunded_fen
            if may_desk and b.refund_status == REFUND_FAILED
            else None,
            # a trip that also stays elsewhere: the retry asks for the trip's one refund;
            # the hint says the amount is this destination's part of it
            "retry_hint": "bk_retry_refund_hint" + ("" if v.all_items_mine else "_share"),
            "started": started,
            "terms_note": pick(lang, *terms_note(b.cancellation)) if b.cancellation else None,
            "errors": errors or {},
        },
        status_code=status,
        title=t("bk_detail_title", ref=b.reference),
        nav="bookings",
    )


# The states said with "your part" on a trip that also stays elsewhere (``pay_*_share``).
_SHARE_WORDS = (
    operator_bookings.COLLECT,
    operator_bookings.AWAITING_ONLINE,
    operator_bookings.PAID_ONLINE,
    operator_bookings.PARTNER_COLLECTED,
)


def _payment_words(request, v, paid) -> tuple[str, str]:
    """How booking view ``v`` is paid and where its money stands, in words: (the way it
    is paid, what the desk collects or what was paid and refunded); ``paid``, what
    ``operators.bookings.payment_of`` decides."""
    t = web.text(request)
    amounts = {
        # never the trip's total on a trip that also stays elsewhere: the operator's part
        "amount": formats.yuan(paid.collect_fen or paid.paid_fen or v.own_fen),
        "paid": formats.yuan(paid.paid_fen),
        "refunded": formats.yuan(paid.refunded_fen),
        "requested": formats.yuan(paid.refund_requested_fen),
        "owed": formats.yuan(paid.refund_requested_fen - paid.refunded_fen),  # not made (yet)
        "until": formats.local_time(v.booking.hold_expires_at, web.page_lang(request)),
    }
    key = "pay_" + paid.state
    if paid.state == operator_bookings.REFUNDED:
        key += "_" + paid.mode
        if paid.refund_status in ("pending", "failed"):  # not (all) made at Stripe yet
            key = f"pay_refund_{paid.refund_status}_{paid.mode}"
    elif paid.state == operator_bookings.COLLECT and any(
        i.stay_status == operator_bookings.NO_SHOW for i in v.items
    ):
        key += "_rest"
    elif paid.state in _SHARE_WORDS and not v.all_items_mine:
        key += "_share"
    return t("pay_mode_" + paid.mode), t(key, **amounts)


def _stay_words(lang, item) -> dict:
    """A stay as the booking page shows it: its product and its dates (the page lists the
    operator's own stays only, unnumbered, so never the trip's stay number)."""
    return {
        "product": pick(lang, item.product_name_zh, item.product_name_en),
        "first": formats.long_date(item.check_in, lang),
        "last": formats.long_date(item.check_out, lang),
    }


def _fare_words(request, v, leg) -> str:
    """What a transfer whose fare is the operator's costs, and with which of its stays it
    is paid (by its product and dates, as the page lists it); another destination's, only
    that (not its fare, which is that destination's price: ``OperatorBooking.fare_of``,
    the admin API's rule)."""
    t = web.text(request)
    fare = v.fare_of(leg)
    if fare is None:
        return t("bk_leg_fare_other")
    carrier = v.shares.carrier.get(leg.leg_index)
    stay = next((i for i in v.items if i.item_index == carrier), None)
    if v.all_items_mine or stay is None:
        return t("bk_leg_fare", amount=formats.yuan(fare))
    return t(
        "bk_leg_fare_with",
        amount=formats.yuan(fare),
        **_stay_words(web.page_lang(request), stay),
    )


def _stay_started(request, v) -> str | None:
    """Why booking view ``v`` cannot be cancelled if a stay of it has begun at the front
    desk or was marked a no-show (``kept_stay``, the cancel's own rule): that stay by its
    product and its dates in the console's words; None if none has."""
    item = kept_stay(v.items)
    if item is None:
        return None
    t = web.text(request)
    said = _stay_words(web.page_lang(request), item)
    if item.stay_status == operator_bookings.NO_SHOW:
        return t("bk_stay_no_show", **said)
    return t("bk_stay_started", status=t("bk_started_" + item.stay_status), **said)


def _guest_rows(b, shown: operator_bookings.PersonalData) -> list[dict]:
    """The party as the desk checks it in: the guests the booking lists and, first, the
    lead traveller where the list leaves the lead out (``POST /v1/bookings`` takes no list
    as the lead alone, and a shorter list without the lead, who is counted beside it;
    ``personal_data.same_name`` finds the lead in it, as the booking did), marked as the
    lead; names as ``personal_data`` shows them to this operator. Until December 2026 a
    booking without a list showed an empty table of guests."""
    if any(same_name(g.get("name") or "", b.lead_name) for g in b.guests or []):
        return shown.guests
    return [{"name": shown.lead_name, "id_number": None, "lead": True}, *shown.guests]


def _why_not_cancelled(request, exc: DomainError, started: str | None) -> str:
    """A refused cancellation in the console's words: the stay that
    has begun or was marked a no-show (``started``, ``_stay_started``); any other
    refusal as the service says it (``not_cancellable`` names the status by its name)."""
    code = exc.code
    if started and code in booking_errors.UNCANCELLABLE and code != booking_errors.NOT_CANCELLABLE:
        return started
    return forms.problem_text(request, exc)


def _refused(request, operator, db_session, reference: str, exc: DomainError) -> Response:
    """A refused transition or cancellation: nothing written, the booking again with the
    reason on top (an unknown or foreign booking stays a 404 page)."""
    if exc.status == 404:
        raise exc
    db_session.rollback()
    return _detail(request, operator, db_session, reference, refused=exc)


@router.get("/bookings/{reference}")
def booking_page(
    request: Request, reference: Reference, operator: ConsoleOperatorDep, db_session: SessionDep
) -> Response:
    return _detail(request, operator, db_session, reference[:40])


@router.post("/bookings/{reference}/stay-status")
def set_stay_status(
    request: Request,
    reference: Reference,
    operator: ConsoleOperatorDep,
    db_session: WriteSessionDep,
    clock: ClockDep,
    item_index: Annotated[str, Form(max_length=20)] = "",
    status: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    """The API's ``StayStatusIn`` checks the form (a missing or unknown status is a 422
    said on the booking's page, as ``/v1/admin/bookings/{ref}/stay-status`` refuses it)."""
    reference = reference[:40]
    try:
        index: int | str = forms.whole(item_index)
    except forms.Unreadable:
        index = item_index  # the model says what is wrong with it
    try:
        body = StayStatusIn.model_validate({"item_index": index, "status": status})
    except ValidationError as exc:
        errors = forms.invalid_errors(request, exc, lambda path: None)
        return _detail(request, operator, db_session, reference, errors=errors, status=422)
    try:
        # what the click does, named as its button was (a record, or an undo)
        was = next(
            (
                i.stay_status
                for i in operator_bookings.booking_of(db_session, operator, reference).items
                if i.item_index == body.item_index
            ),
            None,
        )
        operator_bookings.set_stay_status(
            db_session,
            operator,
            reference,
            item_index=body.item_index,
            status=body.status,
            now=clock.now(),
        )
    except DomainError as exc:
        return _refused(request, operator, db_session, reference, exc)
    done = operator_bookings.desk_change(was, body.status)
    return RedirectResponse(
        web.with_query(f"/console/bookings/{reference}", {"done": done}), status_code=303
    )


@router.post("/bookings/{reference}/retry-refund")
def retry_refund(
    request: Request,
    reference: Reference,
    operator: ConsoleOperatorDep,
    db_session: WriteSessionDep,
    clock: ClockDep,
) -> Response:
    """Ask Stripe again for the booking's failed refund (``operators.bookings.retry_refund``,
    as ``/v1/admin/bookings/{ref}/retry-refund``). A second click finds it pending and is
    said on the booking's page (409 ``refund_not_failed``): nothing is refunded twice."""
    reference = reference[:40]
    try:
        operator_bookings.retry_refund(db_session, operator, reference, now=clock.now())
    except DomainError as exc:
        return _refused(request, operator, db_session, reference, exc)
    return RedirectResponse(
        web.with_query(f"/console/bookings/{reference}", {"done": "refund_retried"}),
        status_code=303,
    )


def _cancel_page(
    request,
    operator,
    db_session,
    reference,
    now,
    on_behalf: bool,
    *,
    errors: dict[str, str] | None = None,
    reason: str = "",
):
    """The cancel page: the terms of the choice, and the confirm form (again with what
    was typed and the errors beside it when the form was refused)."""
    lang = web.page_lang(request)
    t = web.text(request)
    v, terms = operator_bookings.preview_cancel(
        db_session, operator, reference, now=now, on_behalf_of_traveller=on_behalf
    )
    lines = [{**ln, "label": pick(lang, ln["label_zh"], ln["label_en"])} for ln in terms["lines"]]
    return session.render(
        request,
        operator,
        "console/booking_cancel.html",
        {
            "b": v.booking,
            "terms": {**terms, "lines": lines},
            "terms_note": pick(lang, *terms_note(terms)),
            "on_behalf": on_behalf,
            "errors": errors or {},
            "values": {"reason": reason},
            "reason_max": REASON_MAX,
        },
        status_code=422 if errors else 200,
        title=t("bk_cancel_title", ref=v.booking.reference),
        nav="bookings",
    )


@router.get("/bookings/{reference}/cancel")
def cancel_preview(
    request: Request,
    reference: Reference,
    operator: ConsoleOperatorDep,
    db_session: SessionDep,
    clock: ClockDep,
    on_behalf_of_traveller: Annotated[str, Query(max_length=20)] = "",
) -> Response:
    """``on_behalf_of_traveller=on``: the traveller asked (the policy's refund shown). A
    booking that cannot be cancelled (a stale link: its stay has begun, or it has ended)
    is a 409 page that says why and leads back to the booking."""
    on_behalf = on_behalf_of_traveller == "on"
    reference = reference[:40]
    try:
        return _cancel_page(request, operator, db_session, reference, clock.now(), on_behalf)
    except DomainError as exc:
        if exc.code not in booking_errors.UNCANCELLABLE:
            raise
        t = web.text(request)
        v = operator_bookings.booking_of(db_session, operator, reference)
        return web.error_page(
            request,
            exc.status,
            "bk_cannot_cancel",
            _why_not_cancelled(request, exc, _stay_started(request, v)),
            way_on=(f"/console/bookings/{reference}", t("bk_back_to_booking", ref=reference)),
            template=ConsoleRoute.error_template,
        )


@router.post("/bookings/{reference}/cancel")
def cancel(
    request: Request,
    reference: Reference,
    operator: ConsoleOperatorDep,
    db_session: WriteSessionDep,
    clock: ClockDep,
    settings: SettingsDep,
    # Not limited here: a reason too long is the API's own refusal (OperatorCancelIn),
    # said beside the field with the text kept (the body-size limit bounds the post).
    reason: Annotated[str, Form()] = "",
    on_behalf_of_traveller: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    """Cancel on the terms the preview showed (its hidden ``on_behalf_of_traveller``).
    The form is checked by the API's ``OperatorCancelIn`` first: a reason over
    ``REASON_MAX`` characters is the cancel page again, the reason as typed and the
    error beside it (it was the generic 422 page, and the text was lost)."""
    reference = reference[:40]
    on_behalf = on_behalf_of_traveller == "on"
    errors = forms.every_error(
        request,
        {},
        lambda: OperatorCancelIn(reason=reason, on_behalf_of_traveller=on_behalf),
        forms.mapper({"reason": "reason"}),
    )
    if errors:
        return _cancel_page(
            request, operator, db_session, reference, clock.now(), on_behalf,
            errors=errors, reason=reason,
        )  # fmt: skip
    try:
        operator_bookings.cancel(
            db_session,
            operator,
            reference,
            now=clock.now(),
            reason=reason.strip() or None,
            on_behalf_of_traveller=on_behalf,
            lock_timeout_ms=settings.lock_timeout_ms,
            payments=request.app.state.payments,  # a paid booking is refunded through Stripe
        )
    except DomainError as exc:
        return _refused(request, operator, db_session, reference, exc)
    return RedirectResponse(
        web.with_query(f"/console/bookings/{reference}", {"done": "cancelled"}), status_code=303
    )
