"""My booking: manage a booking (``/manage``), cancel it, its calendar file.

The booking token never travels in a URL: after booking (``trip.book``), or after the
traveller types reference and token into the manage form (a POST), both are kept in a
signed, HttpOnly, SameSite=Strict cookie limited to ``/manage`` (``keep_booking``). The
page reads and cancels with the same services as ``GET /v1/bookings/{reference}`` and
``POST /v1/bookings/{reference}/cancel`` (the same idempotency: ``run_idempotent``).
"""

import base64
import hashlib
import json
import secrets
from collections.abc import Callable
from datetime import date, datetime, time
from typing import Annotated, Any, NamedTuple

import sqlalchemy as sa
from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from itsdangerous import BadSignature, TimestampSigner, URLSafeTimedSerializer
from pydantic import TypeAdapter, ValidationError
from sqlmodel import Session

from service import runner
from service.auth import ANONYMOUS, Caller
from service.bookings import errors as booking_errors
from service.bookings import schemas as booking_schemas
from service.bookings import service as bookings
from service.bookings.cancellation import STAYS_STARTED
from service.bookings.models import COMPLETED, CONFIRMED, LIVE_STATUSES
from service.clock import SHANGHAI, local_date
from service.db import NOT_READ
from service.deps import ClockDep, WriteSessionDep
from service.errors import DomainError, error_of_body
from service.i18n import pick
from service.pages import calendar_file, csrf, forms, stays, web
from service.quotes import schemas as quote_schemas
from service.quotes import service as quotes
from service.reports import survey
from service.text import Text

router = APIRouter(route_class=web.PageRoute, include_in_schema=False)

BOOKING_COOKIE = "jl_booking"
BOOKING_PATH = "/manage"  # the booking cookie is sent to the manage pages only
BOOKING_COOKIE_DAYS = 30
BOOKING_COOKIE_MAX_AGE = BOOKING_COOKIE_DAYS * 24 * 3600
# Stands for the booking token in a kept manage page (random per process, so no booking
# text can contain it): the token is this visitor's, from their cookie, put in on the way
# out (``web.kept_response``'s ``fill``), never kept in the page's body.
TOKEN_PLACEHOLDER = "jl-booking-token-" + secrets.token_hex(16)
CHECKED_IN = STAYS_STARTED[0]  # the front desk's stay statuses after which none cancels


def _cookie_signer(request: Request) -> TimestampSigner:
    return csrf.bare_signer(request, "jl-pages-booking-3")


def _unprefixed_signer(request: Request) -> TimestampSigner:
    """The signer of the cookie from 2026-12-07 until its name had a prefix (2026-12-08,
    ``kept_booking``): its own salt, so no value signed since passes for one of then."""
    return csrf.bare_signer(request, "jl-pages-booking-2")


def _former_cookie(request: Request) -> URLSafeTimedSerializer:
    """The serializer that signed the cookie before 2026-12-07 (JSON ``[reference,
    token, fresh]``): a cookie it signed is read for its 30 days too."""
    return csrf.signer(request, "jl-pages-booking")


def _b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).rstrip(b"=").decode()


def _unb64(text: str) -> str:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode()


def keep_booking(
    request: Request, response: Response, reference: str, token: str, *, fresh: bool
) -> None:
    """Remember the booking in the signed cookie; ``fresh``: show the token once. The
    value is ``1`` or ``0`` (fresh), a dot, then reference and token (as typed: any
    text) on two lines in URL-safe base64, signed with the time (``csrf.bare_signer``:
    read on every view of the manage pages, ~5 us against ~27 us for a serializer's)."""
    payload = f"{int(fresh)}.{_b64(reference + chr(10) + token)}"
    value = _cookie_signer(request).sign(payload).decode()
    csrf.set_cookie(
        request, response, BOOKING_COOKIE, value, path=BOOKING_PATH, max_age=BOOKING_COOKIE_MAX_AGE
    )


def forget_cookie(request: Request, response: Response) -> None:
    """Drop the booking cookie (``csrf.delete_cookie``: its name before 2026-12-08 too)."""
    csrf.delete_cookie(request, response, BOOKING_COOKIE, path=BOOKING_PATH)


def kept_booking(request: Request) -> tuple[str, str, bool] | None:
    """The booking the cookie keeps: reference, token, fresh; None without one, or
    with one not ours, past its 30 days or not of this shape.

    Where the cookie is ``__Secure-jl_booking`` (``csrf.cookie_name``), one still under
    its name before 2026-12-08, ``jl_booking``, is read for its 30 days, so no traveller
    types the code again for the rename; but only as it was signed then (its salt, or
    the serializer before it), so a value signed since, which anyone can have for a
    booking of their own, planted under the plain name by a page over plain HTTP, opens
    nothing. Any view that rewrites the cookie writes the new name."""
    name = csrf.cookie_name(request, BOOKING_COOKIE, BOOKING_PATH)
    raw = request.cookies.get(name)
    if raw:
        kept = _read_kept(_cookie_signer(request), raw)
        if kept is not None or name != BOOKING_COOKIE:
            return kept
    elif not (raw := request.cookies.get(BOOKING_COOKIE)):
        return None
    return _read_kept(_unprefixed_signer(request), raw) or _former_kept_booking(request, raw)


def _read_kept(signer: TimestampSigner, raw: str) -> tuple[str, str, bool] | None:
    try:
        payload = signer.unsign(raw, max_age=BOOKING_COOKIE_MAX_AGE)
        fresh, _, both = payload.decode().partition(".")
        reference, token = _unb64(both).split(chr(10), 1)
    except (BadSignature, ValueError):  # binascii.Error and UnicodeDecodeError are ValueErrors
        return None
    return reference, token, fresh == "1"


def _former_kept_booking(request: Request, raw: str) -> tuple[str, str, bool] | None:
    try:
        reference, token, fresh = _former_cookie(request).loads(raw, max_age=BOOKING_COOKIE_MAX_AGE)
    except (BadSignature, ValueError, TypeError):
        return None
    return str(reference), str(token), bool(fresh)


class StayBegun(NamedTuple):
    """The stay that stops a booking being cancelled online, as its page says it: one
    checked in ("your stay has begun"), else the last the front desk checked out ("your
    stay ended on …": the guest may have left early), never "checked in" for a guest who
    has left; else one the front desk marked a no-show ("… you had not arrived on …")."""

    product: str  # in the page's language
    # The front desk to ask: the stay's destination's name, in the page's language.
    desk: str
    # The day the front desk checked the guest out (the stay marked completed); None
    # while the guest is checked in, or for a no-show.
    left_on: date | None
    # Whether the booking has stays not yet begun, which only the operator cancels now.
    rest: bool
    # The check-in day of a stay the front desk marked a no-show (no stay of the booking
    # has begun); None otherwise.
    no_show_on: date | None = None
    # That stay's check-out day: the front desk undoes the no-show before it, and from
    # it the no-show stands (``operators.bookings``); None otherwise.
    no_show_out: date | None = None
    # Whether that day has come (the page then no longer suggests asking for the undo).
    no_show_stands: bool = False


def _stay_begun(items, places, lang: str, today: date) -> StayBegun | None:
    """The stay a booking's page names for why it cannot be cancelled online (None when
    no stay has begun nor was marked a no-show: ``bookings.kept_stay``, the cancel's own
    rule), and its front desk by the stay's destination (``places``: the booking's, read
    whenever a stay is kept)."""
    kept = bookings.kept_stay(items)
    if kept is None:
        return None
    rest = any(i.stay_status is None for i in items)

    def said(i) -> tuple[str, str]:
        place = places[i.product_id]
        return pick(lang, i.product_name_zh, i.product_name_en), pick(
            lang, place.name_zh, place.name_en
        )

    if kept.stay_status not in STAYS_STARTED:  # a no-show, and no stay has begun
        out = kept.check_out
        return StayBegun(*said(kept), None, rest, kept.check_in, out, today >= out)
    begun = [i for i in items if i.stay_status in STAYS_STARTED]
    here = next((i for i in begun if i.stay_status == CHECKED_IN), begun[-1])
    left_on = None
    if here.stay_status != CHECKED_IN:
        left_on = local_date(here.stay_status_at) if here.stay_status_at else here.check_out
    return StayBegun(*said(here), left_on, rest)


def _paid_on(payment: dict[str, Any]) -> date | None:
    """The Beijing day a booking was paid online (its ``payment.paid_at``, as the API
    answers it), or None: not paid online, or paid before the booking kept the time."""
    if not payment["paid_fen"] or payment["paid_at"] is None:
        return None
    return local_date(datetime.fromisoformat(payment["paid_at"]))


class Shown(NamedTuple):
    b: dict[str, Any]  # the booking as the API renders it, in the page's language
    state: bookings.BookingState  # the state it was read in
    # Whether the page offers to cancel it (``bookings.may_cancel``, the cancel's own rule).
    may_cancel: bool
    # The stay that has begun (checked in or out at the front desk) or was marked a
    # no-show, when only that stops it being cancelled (``bookings.kept_stay`` of a
    # ``bookings.CANCELLABLE`` booking); else None.
    started: StayBegun | None
    # Each stay's front-desk status, in the items' order: the survey opens once a stay
    # is marked completed (``survey.may_be_rated``).
    stay_statuses: tuple[str | None, ...] = ()


def _booking_view(
    request: Request,
    session: Session | sa.Connection,
    now: datetime,
    kept,
    *,
    may_expire: bool = True,
    priced: bool = False,
) -> Shown | None:
    """The booking as the page shows it and the state it was read in; with
    ``may_expire=False`` (a read on a Core connection), None when its hold has
    passed. ``priced``: with ``price``, its quote's body (each stay's lines, its packs
    among them, as the quote page explains them; a quote never changes, so the
    booking's state still covers the page), and ``quote_page``, whether the quote page
    opens it: a traveller's quote, made on these pages; a partner's (a booking made
    with an API key) is the partner's alone (``quotes.is_callers``), so the page offers
    no link to it, and its price is the one explained here."""
    reference, token, _ = kept
    read = bookings.read_booking if may_expire else bookings.read_booking_unchanged
    view = read(
        session,
        reference,
        caller=ANONYMOUS,
        token=token,
        now=now,
        settings=request.app.state.settings,
    )
    if view is None:
        return None
    lang = web.page_lang(request)
    b = booking_schemas.render(view, lang).model_dump(mode="json")
    if priced:
        if view.quote is not None:  # read with the booking
            quote = quotes.shown_quote(view.quote)
        else:
            conn = session.connection() if isinstance(session, Session) else session
            quote = quotes.quote_of_booking(conn, view.booking.quote_id)
        b["price"] = quote_schemas.render(quote, lang)
        b["quote_page"] = quotes.is_callers(quote.client_id, ANONYMOUS)
    status = view.booking.status
    started = (
        _stay_begun(view.items, view.places, lang, local_date(now))
        if status in bookings.CANCELLABLE
        else None
    )
    may_cancel = bookings.may_cancel(status, view.items)
    stay_statuses = tuple(i.stay_status for i in view.items)
    return Shown(b, bookings.BookingState.of(view.booking), may_cancel, started, stay_statuses)


def _manage_key(reference: str, token: str, lang: str) -> tuple:
    # The token's digest, not the token: a kept page is reached only with the token
    # that read it (checked when it was rendered).
    digest = hashlib.blake2b(token.encode(), digest_size=16).digest()
    return ("manage", reference, digest, lang)


@router.get("/manage")
async def manage(request: Request) -> Response:
    """The kept booking. Its page is kept while the booking's row is unchanged
    (``web.kept_page``: no query on SQLite while nothing was committed, else one small
    read). Every view offers the reference and token from the cookie ("the code to open
    this booking on another device"), so a reload or a language switch never loses the
    token; the kept body holds a placeholder for it (``TOKEN_PLACEHOLDER``). The first
    view after booking says "you are booked" with the code shown: it is rendered each
    time it is asked for, and keeps the page with the code folded for the views after."""
    kept = kept_booking(request)
    t = web.text(request)
    if kept is None:
        return web.render(request, "manage_open.html", {"nav": "manage"}, title=t("manage_title"))
    reference, token, fresh = kept
    key = _manage_key(reference, token, web.page_lang(request))
    if not fresh:
        probe = bookings.change_probe(reference)
        found = await web.kept_page(request, [key], probe, fill={TOKEN_PLACEHOLDER: token})
        if found is not None:
            return found
    now = request.app.state.clock.now()
    db = request.app.state.db

    def shown(conn: sa.Connection) -> Shown | None:
        return _booking_view(request, conn, now, kept, may_expire=False, priced=True)

    # Read first, with nothing written (``read_booking_unchanged``): on SQLite on the event
    # loop and rendered there, with no thread hop, unless the database is busy
    # (``runner.read_on_loop``); else, and on PostgreSQL, in the one thread hop on a Core
    # connection with no transaction around it, the page rendered after it is back in
    # the pool.
    page = _manage_page(request, lambda: runner.read_on_loop(db, shown), kept, key, keeps=True)
    if page is NOT_READ:

        def read() -> Shown | None:
            with runner.autocommit(db) as conn:
                return shown(conn)

        page = await runner.in_thread(_manage_page, request, read, kept, key, keeps=True)
    if page is None:
        # Reading a hold past its time expires it (a write): only then a write
        # transaction, as the API's.
        page = await web.in_transaction(
            request,
            lambda s: _manage_page(
                request, lambda: _booking_view(request, s, now, kept, priced=True), kept, key
            ),
            write=True,
        )
    return page


def _manage_page(
    request: Request,
    read: Callable[[], Shown | None],
    kept,
    key: tuple,
    *,
    keeps: bool = False,
) -> Response | None:
    """The manage page of the booking ``read()`` returns (None: its hold must be expired
    first; then None; ``NOT_READ``: it could not be read here, then ``NOT_READ``);
    ``keeps``: it was read with nothing written, so its page is kept with the state it
    was read in."""
    t = web.text(request)
    seen = web.data_version(request)  # before the booking is read
    try:
        found = read()
    except DomainError:
        response = web.render(
            request,
            "manage_open.html",
            {"nav": "manage", "errors": {"_form": t("error_booking_not_found")}},
            title=t("manage_title"),
        )
        forget_cookie(request, response)
        return response
    if found is None or found is NOT_READ:
        return found
    b, state, may_cancel, started, _ = found
    # Cancelled or expired: nothing is to pay (the row's status: change_seq covers it).
    ended = b["status"] not in LIVE_STATUSES
    # The survey is offered by the survey's own rule, once a stay's check-out day has
    # come: the page is kept until the next such day starts (then rendered again).
    today = request.app.state.clock.today()
    check_outs = sorted({date.fromisoformat(i["check_out"]) for i in b["items"]})
    rated = any(
        survey.may_be_rated(b["status"], date.fromisoformat(i["check_out"]), stay, today)
        for i, stay in zip(b["items"], found.stay_statuses, strict=True)
    )
    opens = next((day for day in check_outs if day > today), None)
    context = {
        "nav": "manage",
        "b": b,
        "q": b["price"],
        "rule_names": stays.rule_names(b["price"]),
        "token": TOKEN_PLACEHOLDER,  # this visitor's, put in on the way out
        "fresh": False,
        "ended": ended,
        "survey": rated,
        "calendar_removes": calendar_file.removes_events(b["status"]),
        "may_cancel": may_cancel,
        # Paid online: the day it was paid, in Beijing (the booking's ``payment.paid_at``).
        "paid_on": _paid_on(b["payment"]),
        # A stay has begun (or ended): no cancel link (it could only fail), but why, by
        # the stay's state, and whom to ask.
        "started": started,
    }
    title = t("manage_title")
    body = None
    if keeps:  # read with nothing written: the state is the row as read
        body = web.render_body(request, "manage.html", context, title=title)
        bounds = [state.read_unchanged_until()]
        if opens is not None and b["status"] in (CONFIRMED, COMPLETED):
            bounds.append(datetime.combine(opens, time(), SHANGHAI))
        until = min((x for x in bounds if x is not None), default=None)
        web.keep(request, key, web.Kept(body, until=until, state=state.change_seq, seen=seen))
    token = {TOKEN_PLACEHOLDER: kept[1]}
    if kept[2]:  # the first view: "you are booked", the code shown (later views: folded)
        fresh = {**context, "fresh": True}
        body = web.render_body(request, "manage.html", fresh, title=title)
        response = web.kept_response(request, body, token)
        keep_booking(request, response, kept[0], kept[1], fresh=False)
        return response
    if body is None:
        body = web.render_body(request, "manage.html", context, title=title)
    return web.kept_response(request, body, token)


_TEXT = TypeAdapter(Text)


def _characters_refused(request: Request, typed: str) -> str | None:
    """A control or invisible character in a typed reference or token (a zero-width
    space copied from WeChat after ``JL-2NDT38``), said as the book form says it of a
    name and naming it (``service.text``'s ``invisible_character``, the refusal of the
    API's ``/v1/bookings/{reference}`` too); None when every character may stand."""
    try:
        _TEXT.validate_python(typed)
    except ValidationError as exc:
        return web.validation_errors(request, exc.errors(), lambda _: "field")["field"]
    return None


@router.post("/manage")
@web.posts_again
@web.says_repeated
def open_booking(
    request: Request,
    session: WriteSessionDep,
    clock: ClockDep,
    reference: Annotated[str, Form()] = "",
    token: Annotated[str, Form()] = "",
) -> Response:
    """Reference and token typed in (a POST body, never a URL): check them with the same
    service as ``GET /v1/bookings/{reference}``, then keep them in the cookie. The
    reference is read as people type it (``bookings.typed_reference``: any case, the
    hyphen left out); the token only loses the spaces around it: its check is the
    service's, which reads a token as typed (``bookings.tokens``: any case, spaces or
    dashes, O for 0, I or L for 1; one issued before 2026-12-06 exactly). Neither has a
    length of its own here: a reference that cannot be one is said beside it, the form
    as typed."""
    t = web.text(request)
    typed_ref, token = reference.strip(), token.strip()
    found = bookings.typed_reference(typed_ref)
    values = {"reference": found or forms.typed(typed_ref), "token": token}  # as read
    errors = {}
    if not typed_ref:
        errors["reference"] = t("error_required")
    elif refused := _characters_refused(request, typed_ref):
        errors["reference"] = refused
    elif found is None:
        errors["reference"] = t("error_reference_format")
    if not token:
        errors["token"] = t("error_required")
    elif refused := _characters_refused(request, token):
        errors["token"] = refused
    errors |= web.repeated_errors(request, ("reference", "token"))  # sent twice: beside it
    if not errors:
        reference = found
        try:
            _booking_view(request, session, clock.now(), (reference, token, False))
        except DomainError:
            errors["_form"] = t("error_booking_not_found")
    if errors:
        return web.render(
            request,
            "manage_open.html",
            {"nav": "manage", "errors": errors, "values": values},
            status_code=422,
            title=t("manage_title"),
        )
    response = RedirectResponse("/manage", status_code=303)
    keep_booking(request, response, reference, token, fresh=False)
    return response


@router.post("/manage/forget")
def forget_booking(request: Request) -> Response:
    """Drop the booking cookie on a shared device, and the booking's kept pages (they
    hold the lead traveller's name and phone) in both languages."""
    kept = kept_booking(request)
    if kept is not None:
        pages = web.visitor_pages_for(request.app.state.db.engine)
        for lang in web.LANGS:
            pages.pop(_manage_key(kept[0], kept[1], lang))
    response = RedirectResponse("/manage", status_code=303)
    forget_cookie(request, response)
    return response


def to_sign_in() -> Response:
    """A booking page asked for without the booking cookie (it expired, was forgotten,
    or another device): the sign-in form at ``/manage``, not a 404."""
    return RedirectResponse("/manage", status_code=303)


@router.get("/manage/cancel")
def cancel_preview(request: Request, session: WriteSessionDep, clock: ClockDep) -> Response:
    """What cancelling now refunds, line by line, before the traveller confirms. A
    booking that can no longer be cancelled (cancelled, expired, completed: the
    service's ``not_cancellable``) goes back to its page, which says its status."""
    if (kept := kept_booking(request)) is None:
        return to_sign_in()
    reference, token, _ = kept
    try:
        view, terms = bookings.preview_cancel_for_caller(
            session,
            reference,
            caller=ANONYMOUS,
            token=token,
            now=clock.now(),
            settings=request.app.state.settings,
        )
    except DomainError as exc:
        if exc.code not in booking_errors.UNCANCELLABLE:
            raise
        return RedirectResponse("/manage", status_code=303)
    lang = web.page_lang(request)
    b = booking_schemas.render(view, lang).model_dump(mode="json")
    lines = [{**ln, "label": pick(lang, ln["label_zh"], ln["label_en"])} for ln in terms["lines"]]
    return web.render(
        request,
        "cancel.html",
        {
            "nav": "manage",
            "b": b,
            "terms": {**terms, "lines": lines},
            "idempotency_key": web.form_key(),
        },
        title=web.text(request)("cancel_title"),
    )


@router.post("/manage/cancel")
@web.posts_again
async def cancel(
    request: Request,
    idempotency_key: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Cancel with ``POST /v1/bookings/{reference}/cancel``'s service and idempotency."""
    if (kept := kept_booking(request)) is None:
        return to_sign_in()
    reference, token, _ = kept
    settings, clock = request.app.state.settings, request.app.state.clock
    payments = request.app.state.payments
    lang = web.page_lang(request)

    def work(s: Session, caller: Caller) -> tuple[int, dict[str, Any]]:
        view = bookings.cancel_for_caller(
            s,
            reference,
            caller=caller,
            token=token,
            now=clock.now(),
            settings=settings,
            reason=None,
            payments=payments,
        )
        return 200, booking_schemas.render(view, lang).model_dump(mode="json")

    try:
        result = await web.run_form(
            request, idempotency_key, work, f"cancel:{reference.upper()}:{token}"
        )
    except DomainError as exc:
        if exc.code not in booking_errors.UNCANCELLABLE:
            raise
        result = None  # cancelled (or ended) meanwhile, in another tab: its page says so
    if result is not None and result.status_code >= 400:
        refused = error_of_body(json.loads(result.body))
        if refused.code not in booking_errors.UNCANCELLABLE:
            raise refused
    return RedirectResponse("/manage", status_code=303)


@router.get("/manage/calendar.ics")
def calendar(request: Request, session: WriteSessionDep, clock: ClockDep) -> Response:
    """The booking's stays and legs as an iCalendar file for a phone's calendar."""
    if (kept := kept_booking(request)) is None:
        return to_sign_in()
    b = _booking_view(request, session, clock.now(), kept).b
    lang = web.page_lang(request)
    places = calendar_file.places_of(session, b, lang)
    body = calendar_file.booking_calendar(b, lang, clock.now(), places)
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{b["reference"]}.ics"',
            "Cache-Control": "no-store",
        },
    )
