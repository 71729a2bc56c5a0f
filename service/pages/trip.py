"""The trip pages: quote a stay, the price explained (明码标价), book it.

Quotes and bookings go through the same service functions as ``POST /v1/quotes`` and
``POST /v1/bookings``, with the same request models (``QuoteIn``, ``BookingIn``) and the
same idempotency (``run_idempotent``: a form posted twice books once). A booking made is
kept in the booking cookie (``manage.keep_booking``) and shown at ``/manage``
(``manage.py``).
"""

import json
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlmodel import Session

from catalog import sellability
from service import query_params, runner
from service.at_once import most_at_once
from service.auth import ANONYMOUS, Caller
from service.bookings import errors as booking_errors
from service.bookings import schemas as booking_schemas
from service.bookings import service as bookings
from service.bookings.models import MODE_PAY_AT_PROPERTY
from service.bookings.quote_desks import quote_desks
from service.catalog import service as catalog
from service.catalog.endpoints import IdOrSlug
from service.db import NOT_READ
from service.deps import ClockDep, SessionDep
from service.errors import DomainError, error_of_body
from service.pages import forms, manage, stays, web
from service.pages.routes import beyond_sale, product_context
from service.quotes import schemas as quote_schemas
from service.quotes import service as quotes
from service.quotes.endpoints import QuoteId, price_and_store
from service.quotes.service import NewQuote, StoredQuote
from service.ratelimit import client_address

router = APIRouter(route_class=web.PageRoute, include_in_schema=False)

MAX_GUEST_NAMES = 10
MAX_FORM_NIGHTS = 366  # a stay longer than a year is not a form answer (and overflows nothing)
QUOTE_FIELDS = ("check_in", "nights", "guests", "units", "stubs")  # the product page's form
GUEST_FIELDS = tuple(f"guest_{i}" for i in range(MAX_GUEST_NAMES))  # the book form's others


# --- quote -----------------------------------------------------------------------------


def _quote_field(path: str) -> str | None:
    """A problem's field in a one-stay quote request -> the product page's form field."""
    for prefix, name in (
        ("items[0].check_in", "check_in"),
        ("items[0].check_out", "nights"),
        ("items[0].guests", "guests"),
        ("items[0].units", "units"),
        ("items[0].pack_ids", "packs"),
        ("items[0]", "check_in"),
        ("stubs", "stubs"),
    ):
        if path.startswith(prefix):
            return name
    return None


def _quote_errors(request: Request, exc: DomainError) -> dict[str, str]:
    """A quote's refusal beside the product form's field. A night or day not on sale
    (``not_on_sale`` with its ``day``, said in words) is a matter of the dates, said
    beside the check-in, wherever in the stay it falls: the problem's field names
    ``check_out`` for any night but the first, which on the form would be the number of
    nights."""
    if exc.code == "not_on_sale" and exc.extra.get("reason") == sellability.PRODUCT_RETIRED:
        return {"_form": web.problem_words(request, exc)}  # no date or field would help
    if exc.code == "not_on_sale" and exc.extra.get("day"):
        return {"check_in": web.problem_words(request, exc)}
    if exc.code == "too_many_units" and exc.extra.get("limit") == 0:  # no room those nights
        return {"check_in": web.problem_words(request, exc)}
    return web.form_errors(request, exc, _quote_field)


@router.post("/products/{slug}/quote")
@web.posts_again
@web.says_repeated
async def quote_stay(
    request: Request,
    slug: IdOrSlug,
    session: SessionDep,
    clock: ClockDep,
    check_in: Annotated[str, Form()] = "",
    nights: Annotated[str, Form()] = "",
    guests: Annotated[str, Form()] = "",
    units: Annotated[str, Form()] = "",
    packs: Annotated[list[str], Form(max_length=20)] = [],  # noqa: B006 (FastAPI reads it)
    stubs: Annotated[str, Form()] = "",
) -> Response:
    """Price one stay with ``POST /v1/quotes``'s service and show the explanation. The
    typed fields have no length of their own (the body's limit bounds them): whatever
    ``QuoteIn`` refuses is said beside its field, the form as typed. Every field is
    checked at once (the page's checks of the dates, ``QuoteIn``'s of the rest), and
    the stay's rules (too many guests, not on sale...) are the service's, asked once
    every field reads; it says the first it meets."""
    lang = web.page_lang(request)
    # The product page again with its default price calendar: the form posts to its
    # plain address, which declares no parameter (a language switch posts the form again
    # with 307 to the same address: still none read).
    ctx = await runner.in_thread(product_context, session, lang, clock.today(), {}, slug)
    p = ctx["p"]
    # shown back as read (``forms.shown_number``, ``forms.shown_day``: a full-width ``２``
    # came back as an empty number box)
    values = {
        "check_in": forms.shown_day(check_in),
        "nights": forms.shown_number(nights),
        "guests": forms.shown_number(guests),
        "units": forms.shown_number(units),
        "packs": [forms.shown_number(x) for x in packs],
        "stubs": forms.typed(stubs),
    }
    ctx["values"] = values
    errors: dict[str, str] = {}
    n = forms.number(nights)
    start = None
    if not check_in.strip():
        errors["check_in"] = web.text(request)("error_required")  # as the planner says
    else:
        try:
            start = forms.typed_day(check_in)
        except ValueError as exc:
            errors["check_in"] = forms.day_error(exc, lang)
    nights_read = isinstance(n, int) and 1 <= n <= MAX_FORM_NIGHTS
    if not nights_read:
        errors["nights"] = web.text(request)("error_choice")
    elif start is not None and (beyond := beyond_sale(start, n, ctx["cal"].last_for(n), lang)):
        errors["check_in"] = beyond
    # ``QuoteIn`` checks the other fields (filled in, a number, within its bounds) even
    # when the dates are refused above: then on a stand-in stay, its errors of the dates
    # left to the page's words. No error at all: the stay as typed.
    stay = (start, n) if not errors else (clock.today(), 1)
    body = {
        "items": [
            {
                "product_id": p.id,
                "check_in": stay[0].isoformat(),
                "check_out": (stay[0] + timedelta(days=stay[1])).isoformat(),
                "guests": forms.number(guests),
                "units": forms.number(units),
                "pack_ids": [forms.number(x) for x in packs],
            }
        ],
        "legs": [],
        "stubs": [c for c in forms.typed(stubs).replace(" ", ",").split(",") if c],
    }
    try:
        quote_in = quote_schemas.QuoteIn.model_validate(body)
    except ValidationError as exc:
        for field, words in web.validation_errors(request, exc.errors(), _quote_field).items():
            errors.setdefault(field, words)
    # A field sent twice (``units=1&units=2``) is said beside it, never read as its last.
    errors |= web.repeated_errors(request, QUOTE_FIELDS)
    if errors:
        return web.render(request, "product.html", {**ctx, "errors": errors}, status_code=422)
    try:
        new = await runner.in_thread(_price_and_keep, request, quote_in)
    except DomainError as exc:
        errors = _quote_errors(request, exc)
        return web.render(request, "product.html", {**ctx, "errors": errors}, status_code=422)
    return RedirectResponse(f"/quotes/{new.id}", status_code=303)


def _price_and_keep(request: Request, quote_in: quote_schemas.QuoteIn) -> NewQuote:
    """``POST /v1/quotes``'s unit of work for a page, and the page it redirects to,
    rendered now from the quote just made and kept: the traveller's first view of it
    is then served kept (by this worker)."""
    state = request.app.state
    now = state.clock.now()
    ttl = state.settings.quote_ttl_minutes
    made = price_and_store(state.db, quote_in, caller=ANONYMOUS, now=now, ttl_minutes=ttl)
    with runner.autocommit(state.db) as conn:
        _keep_quote_page(request, made, now, conn)
    return made


def _quote_view(request: Request, quote: StoredQuote | NewQuote, now: datetime) -> dict:
    """The quote page's context, from a stored quote or one just made (the same
    attributes)."""
    body = quote_schemas.render(quote, web.page_lang(request))
    return {
        "q": body,
        "rule_names": stays.rule_names(body),
        "expired": quote.expires_at <= now,
        # The booking service's rule: a quote of 0 fen (legacy data) is not offered.
        "free": not bookings.total_can_be_booked(quote.total_fen),
        # The party: the most guests at once, not one party per stay (service.at_once).
        "guests_total": most_at_once(
            (stays.as_date(i["check_in"]), stays.as_date(i["check_out"]), i["guests"])
            for i in body["items"]
        ),
    }


def _applied_stubs(q: dict[str, Any]) -> list[str]:
    """The ticket stubs a quote's price used: those booking it claims."""
    return [stub["code"] for stub in q["stubs"] if stub["applied"]]


def _stubs_taken(request: Request, conn: sa.Connection, q: dict[str, Any]) -> list[str]:
    """The quote's stubs that booking it now would refuse as used (the booking service's
    rule, ``bookings.stubs_taken``)."""
    now = request.app.state.clock.now()
    return [stub.code for stub in bookings.stubs_taken(conn, _applied_stubs(q), now)]


def _quote_key(request: Request, quote_id: str, expired: bool) -> tuple:
    return ("quote", quote_id, web.page_lang(request), expired)


def _keep_quote_page(
    request: Request, quote: StoredQuote | NewQuote, now: datetime, conn: sa.Connection
) -> bytes:
    """Render the quote page and keep it (its body). A stored quote never changes, but
    whether it backs a live booking (``bookings.booking_of_quote``, the book page's
    rule) and whether its stays can still be booked do: its page holds until the
    guarantee's expiry (or the next Shanghai midnight, for a stay checking in today; or
    the end of a hold of it) while its probe reads the same (the stays' availability
    and the quote's live booking, ``bookings.quote_booking_probe``), then (under another
    key) as expired, with no availability (nothing to book), held by the booking's
    probe alone. The probes are read before what they cover, so a page kept with a
    value shows that value's state or a later one."""
    ctx = _quote_view(request, quote, now)
    expires, expired = quote.expires_at, ctx["expired"]
    # What else the page shows: the quote's live booking, and whether its ticket stubs
    # are taken (``bookings.stubs_probe``: the booking that has each).
    probe = bookings.quote_booking_probe(quote.id)
    codes = _applied_stubs(ctx["q"])
    if (stubs_probe := bookings.stubs_probe(codes)) is not None:
        probe = probe.and_(stubs_probe)
    if expired:
        seen = web.data_version(request)
        held = {"probe": probe, "state": probe.read(conn), "seen": seen}
        held["until"], held["also"] = None, held["state"]
    else:
        held = stays.held(request, conn, ctx["q"], also=probe)
    # A quote just made backs no booking; a stored one is asked (after its probe), unless
    # its probe read no live booking.
    booking = None
    if isinstance(quote, StoredQuote) and bookings.may_be_booked(held["also"]):
        booking = bookings.booking_of_quote(conn, quote.id, now)
    ctx["booking"] = booking
    # A booked quote's page says it is booked, and nothing of its stays' availability
    # or its stubs (``quote.html``): neither is checked for it (after their probe
    # otherwise, which the page is held by all the same).
    taken: list[bookings.TakenStub] = []
    ctx["stays"], ctx["unbookable"] = [], []
    if booking is None:
        if not expired:
            ctx["stays"] = stays.checked_now(request, conn, ctx["q"], held["version"])
            ctx["unbookable"] = stays.unbookable(request, conn, ctx["q"], ctx["stays"])
        taken = bookings.stubs_taken(conn, codes, now)  # after its probe
    ctx["stubs_taken"] = [stub.code for stub in taken]
    title = web.text(request)("q_title")
    context = {"nav": "destinations", **ctx, "reason_words": stays.reason_words(request)}
    path = f"/quotes/{quote.id}"  # also when made by the quote form's POST
    body = web.render_body(request, "quote.html", context, title=title, path=path)
    # Always kept: both probes read text, never NULL (``db.joined`` and the booking
    # probe's coalesce), so there is always a state to hold by.
    # A hold of a stub holds it until its end (then it is free, its row unchanged).
    bounds = [held["until"], booking.until if booking else None, *(t.until for t in taken)]
    if not expired:
        bounds.append(expires)
    until = min((b for b in bounds if b is not None), default=None)
    kept = web.Kept(
        body,
        start=expires if expired else None,
        until=until,
        state=held["state"],
        seen=held["seen"],
        probe=held["probe"],
    )
    web.keep(request, _quote_key(request, quote.id, expired), kept)
    return body


@router.get("/quotes/{quote_id}")
async def quote_page(request: Request, quote_id: QuoteId) -> Response:
    """The price explained: kept since the quote form made it, or since its first view."""
    keys = [_quote_key(request, quote_id, expired) for expired in (False, True)]
    if (kept := await web.kept_page(request, keys)) is not None:
        return kept
    now = request.app.state.clock.now()
    db = request.app.state.db

    def read(conn: sa.Connection) -> bytes:
        # One SELECT for the quote (it never changes), then its page's probes and its
        # stays' availability on the same connection, each read before what it covers.
        quote = quotes.get_quote(conn, quote_id, caller=ANONYMOUS)
        return _keep_quote_page(request, quote, now, conn)

    # On SQLite on the event loop, rendered there, with no thread hop, unless the
    # database is busy (``runner.read_on_loop``, as the manage page's first view); else,
    # and on PostgreSQL, in the one thread hop in autocommit (no BEGIN and COMMIT).
    body = runner.read_on_loop(db, read)
    if body is NOT_READ:

        def in_thread() -> bytes:
            with runner.autocommit(db) as conn:
                return read(conn)

        body = await runner.in_thread(in_thread)
    return web.kept_response(request, body)


def _stay_values(body: quote_schemas.QuoteIn) -> dict[str, Any]:
    """The product page's quote form filled with a request's first stay (``quote_stay``
    read backwards)."""
    item = body.items[0]
    return {
        "check_in": item.check_in.isoformat(),
        "nights": str((item.check_out - item.check_in).days),
        "guests": str(item.guests),
        "units": str(item.units),
        "packs": [str(x) for x in item.pack_ids],
        "stubs": ", ".join(body.stubs),
    }


@router.post("/quotes/{quote_id}/again")
@web.posts_again
async def quote_again(
    request: Request,
    quote_id: QuoteId,
    without_used_stubs: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    """Re-check the price of the same stay: the stored quote's request (product, dates,
    party, packs, legs, stubs) priced now, as ``POST /v1/quotes`` would, then its page
    (an expired quote's way on). A refusal (the dates have passed, a night is no longer
    on sale...) is said on the product page's form, filled with the stay, beside its
    field. A quote that backs a live booking offers no such button (a new price of the
    same stay would offer to book it twice): a form of it posted from an older page goes
    back to the quote page, which says it is booked. ``without_used_stubs=yes`` (a
    ticket stub taken since, ``stubs_taken_note``): the same request without the stubs
    another booking has now (``bookings.stubs_taken``, the booking service's rule)."""
    state = request.app.state
    asked: list[quote_schemas.QuoteIn] = []

    def make() -> NewQuote | None:
        with runner.autocommit(state.db) as conn:
            body = quotes.request_of(conn, quote_id, caller=ANONYMOUS)
            now = state.clock.now()
            if without_used_stubs == "yes" and body.stubs:
                typed = [code.upper() for code in body.stubs]
                taken = {stub.code for stub in bookings.stubs_taken(conn, typed, now)}
                kept = [code for code in body.stubs if code.upper() not in taken]
                body = body.model_copy(update={"stubs": kept})
            asked.append(body)
            if bookings.booking_of_quote(conn, quote_id, now) is not None:
                return None
        return _price_and_keep(request, asked[0])

    try:
        new = await runner.in_thread(make)
    except DomainError as exc:
        if not asked:  # no such quote: the 404 page
            raise
        errors = _quote_errors(request, exc)

        def refused(session: Session) -> Response:
            body = asked[0]
            lang, today = web.page_lang(request), state.clock.today()
            ctx = product_context(session, lang, today, {}, str(body.items[0].product_id))
            context = {**ctx, "values": _stay_values(body), "errors": errors}
            return web.render(request, "product.html", context, status_code=422)

        return await web.in_transaction(request, refused)
    if new is None:  # booked: its page says so
        return RedirectResponse(f"/quotes/{quote_id}", status_code=303)
    return RedirectResponse(f"/quotes/{new.id}", status_code=303)


# --- book ------------------------------------------------------------------------------


def _booking_fields(slots: Sequence[int]) -> Callable[[str], str | None]:
    """A problem's field in the booking request -> the book form's field. ``slots``:
    the form's other-guest fields sent, in the order of ``guests[1:]`` (``guests[0]`` is
    the lead traveller, ``_party``)."""

    def field(path: str) -> str | None:
        if path.startswith("lead_traveller.name") or path.startswith("guests[0]"):
            return "lead_name"
        if path.startswith("lead_traveller.phone"):
            return "lead_phone"
        if path.startswith("guests[") and path.endswith(".name"):
            k = int(path[len("guests[") : path.index("]")]) - 1
            return f"guest_{slots[k]}" if 0 <= k < len(slots) else "guest_0"
        if path == "guests":
            return "guest_0"
        return None

    return field


def _party(lead_name: str, values: dict[str, Any], slots: Sequence[int]) -> list[dict]:
    """``BookingIn.guests`` from the book form: the party, the lead traveller first (one
    of the guests, as the API's example lists them: the quote's party is the most
    guests at once, and ``too_many_guests`` refuses more names than that), then the
    other guests' names filled in. The form asks for the party less one beside the
    lead, so the API's one rule holds by construction."""
    return [{"name": lead_name}, *({"name": values[f"guest_{i}"]} for i in slots)]


def _book_context(request: Request, session: Session, quote_id: str, now: datetime) -> dict:
    quote = quotes.get_quote(session.connection(), quote_id, caller=ANONYMOUS)
    ctx = _quote_view(request, quote, now)
    # The lead traveller is one of the party: the others' names beside theirs.
    ctx["guest_slots"] = list(range(min(ctx["guests_total"] - 1, MAX_GUEST_NAMES)))
    ctx["idempotency_key"] = web.form_key()
    ctx["booked"] = None
    ctx["unbookable"] = []  # the form's GET checks the stays (``book_form``)
    ctx["stubs_taken"] = []  # and the quote's ticket stubs
    ctx["sent"] = False
    ctx["typed"] = False
    # How long a Stripe booking holds its rooms unpaid (said before booking).
    ctx["hold_minutes"] = request.app.state.settings.hold_ttl_minutes
    ctx["desks"] = _pay_desks(request, session, quote, ctx["q"])
    # The page's name in every rendering of it, a refused form's too ("Error: Who is
    # travelling · …", not "Error: Jilin Sojourn").
    ctx["page_title"] = web.text(request)("book_title")
    return {"nav": "destinations", **ctx}


def _pay_desks(request: Request, session: Session, quote: StoredQuote, q: dict) -> list:
    """Paid at the property, what each destination's front desk will take of the quote
    (the booking's own rule and names, ``bookings.quote_desks``: the amounts "My
    booking" says once booked); not read for stays of one product (one destination:
    the one sentence) nor in another mode."""
    if request.app.state.payment_mode != MODE_PAY_AT_PROPERTY:
        return []
    if len({i["product_id"] for i in q["items"]}) < 2:
        return []
    return quote_desks(session, quote, web.page_lang(request))


def _booked_context(session: Session, ctx: dict) -> dict:
    """The book page of a quote that backs a live booking: no
    form and no "re-check the price" (a new price of the same stay would offer to book
    it twice), but the way on: my booking; the product page of its first stay, for
    other dates or another party. Not the booking's reference: anyone with the quote's
    link may see this page."""
    product = catalog.find_product(session, str(ctx["q"]["items"][0]["product_id"]))
    return {**ctx, "booked": {"product": product.slug}}


@router.get("/quotes/{quote_id}/book")
async def book_form(request: Request, quote_id: QuoteId) -> Response:
    """The book form; rendered every time (a quote booked since says so, by the booking
    service's own check, and a stay that can no longer be booked by the availability
    check's, instead of offering a form they would refuse)."""
    now = request.app.state.clock.now()

    def page(session: Session) -> Response:
        ctx = _book_context(request, session, quote_id, now)
        # Booked, whether or not its guarantee has ended since (the quote page's rule).
        if bookings.booking_of_quote(session.connection(), quote_id, now) is not None:
            ctx = _booked_context(session, ctx)
        elif taken := _stubs_taken(request, session.connection(), ctx["q"]):
            # A stub the price used, taken by another booking since: said instead of a
            # form the booking would refuse, with the quote page's ways on.
            ctx["stubs_taken"] = taken
        elif not ctx["expired"]:
            # A stay sold out (or closed) since the quote: said before anything is
            # typed, by the quote page's own check, instead of a form it would refuse.
            now_checked = stays.checked_now(request, session.connection(), ctx["q"])
            ctx["unbookable"] = stays.unbookable(
                request, session.connection(), ctx["q"], now_checked
            )
            ctx["reason_words"] = stays.reason_words(request)
        return web.render(request, "book.html", ctx, title=web.text(request)("book_title"))

    return await web.in_transaction(request, page)


def _book_refused(
    request: Request,
    session: Session,
    ctx: dict,
    exc: DomainError,
    field_of: Callable[[str], str | None],
) -> Response:
    """The book form again with the service's refusal: a quote already booked shows the
    book page of a booked quote (409); any other problem is said beside its field, with
    the problem's own status (409 for a conflict such as a product no longer on sale,
    else 422), a form already sent (its key used with other answers) with the way to
    my booking."""
    title = web.text(request)("book_title")
    if exc.code == booking_errors.QUOTE_ALREADY_BOOKED:
        booked = _booked_context(session, ctx)
        return web.render(request, "book.html", booked, status_code=409, title=title)
    if exc.code == booking_errors.STUB_ALREADY_USED and (
        taken := _stubs_taken(request, session.connection(), ctx["q"])
    ):  # no form that can never succeed: the ways on instead (freed since: the form)
        context = {**ctx, "stubs_taken": taken}
        return web.render(request, "book.html", context, status_code=409, title=title)
    errors = web.form_errors(request, exc, field_of)
    sent = exc.code == "idempotency_key_reused"
    context = {**ctx, "errors": errors, "sent": sent}
    if not sent:  # nothing was booked: sending the form again is a new attempt, not a
        # replay of this refusal (the old form, sent again, still replays it)
        context["idempotency_key"] = web.form_key()
    status = exc.status if 400 <= exc.status < 500 else 422
    return web.render(request, "book.html", context, status_code=status, title=title)


@router.post("/quotes/{quote_id}/book")
@web.posts_again
@query_params.reads_form(*GUEST_FIELDS)
@web.says_repeated
async def book(
    request: Request,
    quote_id: QuoteId,
    session: SessionDep,
    clock: ClockDep,
    lead_name: Annotated[str, Form()] = "",
    lead_phone: Annotated[str, Form()] = "",
    consent: Annotated[str, Form(max_length=10)] = "",
    idempotency_key: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Book the quote with ``POST /v1/bookings``'s service and idempotency; then keep the
    reference and token in the manage cookie and redirect (303) to the booking. Every
    refusal renders the form again with what was typed (the names and phone have no
    length of their own here: ``BookingIn`` says a name over its limit beside it)."""
    form = await request.form()
    t = web.text(request)
    values: dict[str, Any] = {
        "lead_name": lead_name,
        "lead_phone": forms.typed(lead_phone),  # as ``BookingIn`` reads it
        "consent": consent,
        **{name: str(form.get(name, "")) for name in GUEST_FIELDS},
    }
    ctx = await runner.in_thread(_book_context, request, session, quote_id, clock.now())
    ctx["values"] = values
    ctx["typed"] = True  # an expired quote's page keeps the typed form (``book.html``)
    if idempotency_key:
        ctx["idempotency_key"] = idempotency_key
    sent = [i for i in ctx["guest_slots"] if values[f"guest_{i}"]]
    body = {
        "quote_id": quote_id,
        "lead_traveller": {"name": lead_name, "phone": lead_phone},
        "guests": _party(lead_name, values, sent),
    }
    field_of = _booking_fields(sent)
    errors: dict[str, str] = {}
    if consent != "yes":
        errors["consent"] = t("error_consent")
    try:
        booking_in = booking_schemas.BookingIn.model_validate(body)
    except ValidationError as exc:
        errors = {**web.validation_errors(request, exc.errors(), field_of), **errors}
    shown = ("lead_name", "lead_phone", "consent", *(f"guest_{i}" for i in ctx["guest_slots"]))
    errors |= web.repeated_errors(request, shown)  # a field sent twice, beside it
    if errors:
        return web.render(request, "book.html", {**ctx, "errors": errors}, status_code=422)
    lang = web.page_lang(request)
    settings, now = request.app.state.settings, clock.now()
    payments = request.app.state.payments
    address = client_address(request)  # the per-address hold cap

    def work(s: Session, caller: Caller) -> tuple[int, dict[str, Any]]:
        view = bookings.create_booking(
            s,
            caller,
            booking_in,
            now=now,
            settings=settings,
            payments=payments,
            client_address=address,
        )
        return 201, booking_schemas.render(view, lang).model_dump(mode="json")

    try:
        result = await web.run_form(request, idempotency_key, work, f"quote:{quote_id}")
    except DomainError as exc:  # refused now (a replayed refusal is a result, below)
        return await runner.in_thread(_book_refused, request, session, ctx, exc, field_of)
    data = json.loads(result.body)
    if result.status_code >= 400:
        exc = error_of_body(data)  # its detail already in the request's language
        return await runner.in_thread(_book_refused, request, session, ctx, exc, field_of)
    response = RedirectResponse("/manage", status_code=303)
    manage.keep_booking(request, response, data["reference"], data["token"], fresh=True)
    return response
