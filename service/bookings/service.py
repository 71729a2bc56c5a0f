"""Bookings: create from a quote, read, list (partner feed), cancel.

Creating a booking is one transaction, all or nothing:

1. the quote must exist for this caller (a partner's quotes for that partner, anonymous
   quotes for anonymous callers), be unexpired and have no live booking (pending,
   confirmed or completed: 409 ``quote_already_booked``; a hold of it past its expiry is
   expired in step 2 and does not count); the booking is charged exactly the quote's
   ``total_fen``; a unique index (``uq_booking_live_quote``) keeps two concurrent
   requests from both booking it;
2. holds past their expiry are expired first (locked ``SKIP LOCKED``), so an abandoned
   hold never blocks a sale while it waits for the sweeper; the lapsed holds that have
   this quote's ticket stubs are always among them (waited for, then re-checked): the
   quote took those stubs as free, so the booking never refuses them as used;
3. in Stripe mode, the units an API client holds unpaid (its ``pending_payment``
   bookings) are capped at ``max_units_held_per_client``; its ``api_client`` row is
   locked first so two requests cannot both pass the check. Anonymous holds are capped
   per product (``max_anonymous_units_held_per_product``, all anonymous holds
   together) and per client address (``max_anonymous_units_held_per_address``, rooms
   at once: per booking the most units on any one night, ``service.at_once``; the
   address is stored only as an HMAC; a stay checked out or past its check-out day no
   longer counts), under advisory locks on PostgreSQL. An
   anonymous pay-at-property booking is confirmed at once but unpaid all the same: it
   is checked against the address cap and counts towards it for a day
   (``repository.ANONYMOUS_BOOKING_WINDOW``), so one address books at most that many
   rooms at once unpaid a day; it does not count towards the product cap, which would
   otherwise cap every sale the pages make without a key. A partner's booking has no
   cap;
4. every night of every item is taken under one sorted lock (``catalog.inventory``),
   together with the nights of the holds expired in step 2. The booking's own rows
   (booking, items, legs, a confirmed booking's event) are written just before, so the
   nights, the contended rows when a product sells out, stay locked only to take them,
   check the calendar's restrictions, claim the stubs and commit;
5. the quote's applied ticket stubs are marked used by this booking;
6. the payment mode decides the status: ``stripe`` holds the nights in
   ``pending_payment`` until ``hold_expires_at``; ``pay_at_property`` and
   ``merchant_collects`` are ``confirmed`` at once (with a ``booking.confirmed``
   event).

The stored quote is read through the quotes capability's typed reader
(``quotes.reader``). Transitions (confirm, expire, sweep, cancel) live in
``transitions`` and ``cancellation``; an online payment or refund goes through the
``Payments`` port the caller hands in (``ports``).
"""

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlmodel import Session

from catalog import inventory, sale_calendars
from catalog.models import TicketStub
from service import holds
from service.at_once import most_at_once
from service.auth import Caller
from service.bookings import errors, repository, tokens
from service.bookings.cancellation import (
    BY_PARTNER,
    BY_TRAVELLER,
    CANCELLABLE,
    CancellationResult,
    cancel_booking,
    cancellation_terms,
    kept_stay,
    may_cancel,
)
from service.bookings.models import (
    CONFIRMED,
    MODE_STRIPE,
    PENDING_PAYMENT,
    Booking,
    BookingItem,
    BookingLeg,
    BookingStub,
)
from service.bookings.modes import payment_mode_for
from service.bookings.outbox import BOOKING_CONFIRMED
from service.bookings.ports import Payments, PaymentStart
from service.bookings.schemas import BookingIn, desks_shown
from service.bookings.transitions import (
    complete_past_bookings,
    confirm_booking,
    emit,
    expire_booking,
    expire_locked,
    release_expired_holds,
)
from service.clients.keys import hash_address, hash_traveller
from service.db import Probe
from service.personal_data import same_name
from service.quotes.reader import QuotedItem, QuoteToBook, quote_to_book
from service.settings import Settings
from service.text import typed

__all__ = [
    "BookingView",
    "CANCELLABLE",
    "CancellationResult",
    "cancel_booking",
    "cancel_for_caller",
    "complete_past_bookings",
    "confirm_booking",
    "create_booking",
    "expire_booking",
    "may_cancel",
    "preview_cancel_for_caller",
    "read_booking",
    "release_expired_holds",
    "kept_stay",
    "typed_reference",
    "reference_key",
]

REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I
REFERENCE_LENGTH = 6
INLINE_SWEEP_LIMIT = 50


class Inserted(SimpleNamespace):
    """A row this transaction has just inserted, read back as attributes (``BookingView``).

    The new booking, items and legs are written with Core ``INSERT``s and never changed
    afterwards in that transaction, so no ORM object is built for them (~0.2 ms a booking).
    """


@dataclass
class BookingView:
    """A booking with what responses show; ``token`` only right after creation."""

    booking: Booking | Inserted | sa.Row
    items: list[BookingItem] | list[Inserted] | list[sa.Row]
    legs: list[BookingLeg] | list[Inserted] | list[sa.Row]
    token: str | None = None
    payment_start: PaymentStart | None = None
    stub_codes: list[str] = field(default_factory=list)
    # Its quote's shown columns by name (``quotes.repository.SHOWN``), when read with it
    # (``read_booking_unchanged``); else None.
    quote: Mapping[str, Any] | None = None
    # Product id -> its destination (``repository.places_of``), where the answer names
    # the desks that take the money (``schemas.desks_shown``) or a stay's record stops
    # the booking being cancelled (``kept_stay``, named on my booking); else None.
    places: Mapping[int, repository.Place] | None = None


def new_reference() -> str:
    return "JL-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


def typed_reference(raw: str) -> str | None:
    """A reference as a person types it back: any case, full-width or not, spaces or
    the hyphen left out or doubled (``jl427bne``, ``JL 427-BNE``) -> ``JL-427BNE``; None
    when it cannot be one (``new_reference``'s form: ``JL-`` and ``REFERENCE_LENGTH``
    letters or digits)."""
    text = typed(raw).upper()
    text = "".join(c for c in text if c not in " -_\u2010\u2011\u2012\u2013\u2014\u2212")
    # Without its "JL" if the rest is a reference's length, else as typed: a body that
    # itself starts with JL (``JL2345`` of ``JL-JL2345``) may be typed on its own.
    body = text[2:] if text.startswith("JL") and len(text) - 2 == REFERENCE_LENGTH else text
    if len(body) != REFERENCE_LENGTH or not (body.isascii() and body.isalnum()):
        return None
    return "JL-" + body


def reference_key(raw: str) -> str:
    """The reference a path, a form or a command names, read one way by every reader
    (``/v1/bookings/{reference}…``, the admin booking routes, the pages, the console,
    the CLI): ``typed_reference``'s reading (``JLJJU6D7``, ``ｊｌ－ｊｊｕ６ｄ７`` ->
    ``JL-JJU6D7``), else the text stripped and upper-cased, which no booking has."""
    return typed_reference(raw) or raw.strip().upper()


def create_booking(
    session: Session,
    caller: Caller,
    body: BookingIn,
    *,
    now: datetime,
    settings: Settings,
    client_address: str | None = None,
    payments: Payments | None = None,
) -> BookingView:
    """Book a quote for ``body``'s travellers: the steps of the module docstring, in order
    (locks are taken in the order of ``repository``'s docstring).

    Raises 422 ``quote_not_found`` / ``quote_expired`` / ``quote_total_not_positive`` /
    ``too_many_guests`` / ``lead_not_among_guests``, 409
    ``quote_already_booked`` / ``sold_out`` / ``inventory_busy`` / ``hold_limit_reached``
    / ``stub_already_used``.
    """
    quote, stale_hold = _bookable_quote(session, caller, body, now)  # 1
    products = repository.products(session, (i.product_id for i in quote.items))
    stubs = repository.stubs_by_code(session, quote.applied_stub_codes)
    mode = payment_mode_for(settings, caller)
    pending = mode == MODE_STRIPE
    traveller_hash = hash_traveller(body.lead_traveller.phone, settings.secret_key)
    freed = _expire_lapsed_holds(session, stale_hold, stubs, traveller_hash, now)  # 2
    address_hash = None
    if pending or caller.is_anonymous:  # 3: anonymous pay-at-property is unpaid too
        address_hash = _check_hold_caps(session, caller, quote, client_address, settings, now)
    token = tokens.new_token()
    booking = _insert_booking(
        session, caller, body, quote, mode, token, address_hash, traveller_hash, now, settings
    )
    items, legs = _insert_lines(session, booking.id, quote, products)
    if not pending:  # 6, written before the nights are locked
        emit(session, booking, BOOKING_CONFIRMED, now)
    _take_nights(session, quote, freed, settings)  # 4: the nights locked last
    _claim_stubs(session, booking.id, quote.applied_stub_codes, stubs)  # 5
    payment_start = None
    if pending:  # 6
        booking = repository.lock(session, booking.id)  # a persistent row for the gateway
        payment_start = _start_payment(session, booking, payments, now)
        # Kept on the booking: its reads show it too, not only this answer.
        booking.payment_intent_id = payment_start.payment_intent_id
        session.add(booking)
        session.flush()
    return BookingView(
        booking,
        items,
        legs,
        token=token,
        payment_start=payment_start,
        stub_codes=list(quote.applied_stub_codes),
        places=(
            {p: repository.place(row) for p, row in products.items()}
            if desks_shown(booking)
            else None
        ),
    )


def _bookable_quote(
    session: Session, caller: Caller, body: BookingIn, now: datetime
) -> tuple[QuoteToBook, int | None]:
    """Step 1: the caller's unexpired quote without a live booking, priced for at least
    ``body``'s guests; and the id of a lapsed hold of it, to expire in step 2."""
    quote = quote_to_book(session, body.quote_id)
    if quote is None or quote.client_id != caller.client_id:
        raise errors.quote_not_found(body.quote_id)
    if quote.expires_at <= now:
        raise errors.quote_expired(body.quote_id)
    if not total_can_be_booked(quote.total_fen):
        raise errors.quote_total_not_positive(body.quote_id)
    stale_hold = _stale_hold_of(session, quote.id, now)
    check_party(body, quote.guests)
    return quote, stale_hold


def check_party(body: BookingIn, allowed: int) -> None:
    """The one rule of who stays: ``body.guests`` are the party, the lead traveller
    included, at most the quote's ``allowed`` (its most guests at once). More names is
    ``too_many_guests``; a list without the lead traveller's name (compared as
    ``personal_data.same_name`` compares names: case, spaces and full-width letters
    aside) counts the lead traveller too, and one more than ``allowed`` is
    ``lead_not_among_guests``. No list at all is the lead traveller alone."""
    listed = len(body.guests)
    if listed > allowed:
        raise errors.too_many_guests(allowed)
    lead = body.lead_traveller.name
    if listed == allowed and not any(same_name(g.name, lead) for g in body.guests):
        raise errors.lead_not_among_guests(allowed, listed)


def _lapsed_hold(live, now: datetime) -> bool:
    """A quote's live booking that is a hold past its expiry: it does not count
    (``service.holds``, the rule the stub check of quotes and the metrics apply)."""
    return holds.lapsed(live.status, live.hold_expires_at, now)


def _stale_hold_of(session: Session, quote_id: str, now: datetime) -> int | None:
    """Refuse a quote with a live booking (409 ``quote_already_booked``); but a hold of
    it past its expiry does not count: its id is returned, to be expired first."""
    live = repository.live_booking_of_quote(session.connection(), quote_id)
    if live is None:
        return None
    if _lapsed_hold(live, now):
        return live.id
    raise errors.quote_already_booked(quote_id)


@dataclass(frozen=True, slots=True)
class QuoteBooking:
    """The live booking a quote backs, as its pages name it: its reference, and until
    when it counts (a hold's expiry; None for no bound)."""

    reference: str
    until: datetime | None


def booking_of_quote(conn: sa.Connection, quote_id: str, now: datetime) -> QuoteBooking | None:
    """The booking that makes booking the quote now refused as ``quote_already_booked``
    (the check ``create_booking`` makes: a live booking, not a hold past its expiry;
    reads only), or None: the quote and book pages say so instead of offering to book."""
    live = repository.live_booking_of_quote(conn, quote_id)
    if live is None or _lapsed_hold(live, now):
        return None
    until = live.hold_expires_at if live.status == PENDING_PAYMENT else None
    return QuoteBooking(live.reference, until)


def total_can_be_booked(total_fen: int) -> bool:
    """A night is never free: a quote of 0 fen or less (legacy data) cannot be booked
    (``quote_total_not_positive``); the pages say so instead of offering the form."""
    return total_fen >= 1


def quote_booking_probe(quote_id: str) -> Probe:
    """A value that changes whenever ``booking_of_quote`` may answer otherwise (but for
    time: a hold's end, ``QuoteBooking.until``): the quote's live booking's id and
    ``change_seq``, the empty text for none (``may_be_booked``)."""
    return repository.live_booking_probe(quote_id)


def may_be_booked(probed: str) -> bool:
    """Whether what ``quote_booking_probe`` read (also as the first of probes joined by
    ``Probe.and_``) leaves the quote a live booking to ask ``booking_of_quote`` for:
    False when it read none, so that, as of that read, ``booking_of_quote`` is None."""
    return probed.split("/", 1)[0] != ""


@dataclass(frozen=True, slots=True)
class TakenStub:
    """A ticket stub that booking a quote now would refuse (``stub_already_used``): its
    code, and until when another booking's hold of it counts (None for no bound: a
    confirmed booking's, or a code gone from the register)."""

    code: str
    until: datetime | None


def stubs_taken(conn: sa.Connection, codes: Sequence[str], now: datetime) -> list[TakenStub]:
    """The stubs among ``codes`` that ``create_booking`` would refuse now as
    ``stub_already_used`` (steps 2 and 5: a stub another booking has is taken, but a
    hold past its time holds nothing, ``service.holds``, and is expired first; a code
    no longer in the register cannot be claimed); reads only. The quote and book pages
    say so instead of offering to book, and the re-price leaves them out."""
    rows = repository.stub_holders(conn, codes)
    taken = []
    for code in sorted(set(codes)):
        row = rows.get(code)
        if row is None:
            taken.append(TakenStub(code, None))
        elif row.used_by_booking_id is not None and not holds.lapsed(
            row.status, row.hold_expires_at, now
        ):
            until = row.hold_expires_at if row.status == PENDING_PAYMENT else None
            taken.append(TakenStub(code, until))
    return taken


def stubs_probe(codes: Sequence[str]) -> Probe | None:
    """A value that changes whenever ``stubs_taken`` may answer otherwise (but for time:
    a hold's end, ``TakenStub.until``): the booking that has each stub."""
    return repository.stubs_probe(codes)


def _expire_lapsed_holds(
    session: Session,
    stale_hold: int | None,
    stubs: dict[str, TicketStub],
    traveller_hash: str,
    now: datetime,
) -> list[inventory.StayNights]:
    """Step 2: holds past their expiry are expired: up to ``INLINE_SWEEP_LIMIT`` of any
    (skipping those another sweep has locked), and always this quote's lapsed hold and
    the lapsed holds that have its ticket stubs (the quote took those stubs as free,
    ``service.holds``; each is waited for if a sweep has it, then re-checked). Their
    travellers' report_stay locks are taken at once and sorted with the lock of this
    booking's traveller (``traveller_hash``), which its items' trigger takes again in
    step 4. The nights they give back, to release in step 4's pass."""
    locked = repository.lock_expired_holds(session, now=now, limit=INLINE_SWEEP_LIMIT)
    holders = {row.used_by_booking_id for row in stubs.values()} - {None}
    needed = holds.lapsed_among(session.connection(), holders, now)
    if stale_hold is not None:
        needed.add(stale_hold)
    have = {b.id for b in locked}
    locked.extend(repository.lock(session, i) for i in sorted(needed - have))
    _, freed = expire_locked(session, locked, now, traveller_hash=traveller_hash)
    return freed


def _check_hold_caps(
    session: Session,
    caller: Caller,
    quote: QuoteToBook,
    client_address: str | None,
    settings: Settings,
    now: datetime,
) -> str | None:
    """Step 3: unpaid units stay within the caps: an API client's holds (its row locked
    first), or without a key per product and per client address (advisory locks).
    Returns the address's HMAC kept on an anonymous booking."""
    if caller.client_id is not None:
        repository.lock_client(session, caller.client_id)
        held = repository.held_units(session, caller.client_id)
        if held + quote.units > settings.max_units_held_per_client:
            raise errors.hold_limit(settings.max_units_held_per_client, held, quote.units)
        return None
    address_hash = hash_address(client_address, settings.secret_key) if client_address else None
    _cap_anonymous_holds(session, quote.items, address_hash, settings, now)
    return address_hash


def _take_nights(
    session: Session, quote: QuoteToBook, freed: list[inventory.StayNights], settings: Settings
) -> None:
    """Step 4: every night of every item, under one sorted lock, with the nights of the
    holds expired in step 2 given back in the same pass."""
    wanted = [
        inventory.StayNights(i.product_id, i.check_in, i.check_out, i.units) for i in quote.items
    ]
    try:
        inventory.take(session, wanted, lock_timeout_ms=settings.lock_timeout_ms, release=freed)
    except inventory.SoldOut as exc:
        raise errors.sold_out(exc) from None
    except inventory.InventoryBusy:
        raise errors.inventory_busy() from None
    # The calendar's restrictions, read after the lock: an operator's edit is seen whole
    # or not at all (it locks the same rows), and one made since the quote refuses it.
    # The product's own terms too, read now: a product retired since is not on sale.
    conn = session.connection()
    terms = sale_calendars.sale_terms(conn, [s.product_id for s in wanted])
    problems = sale_calendars.stays_problems(
        conn, [(terms[s.product_id], s.check_in, s.check_out) for s in wanted]
    )
    for index, problem in enumerate(problems):
        if problem is not None:
            raise errors.not_on_sale(index, wanted[index].product_id, problem.reason, problem.day)


def _insert_booking(
    session: Session,
    caller: Caller,
    body: BookingIn,
    quote: QuoteToBook,
    mode: str,
    token: str,
    address_hash: str | None,
    traveller_hash: str,
    now: datetime,
    settings: Settings,
) -> Inserted:
    """The booking row, charged exactly the quote's total; its status by payment mode."""
    pending = mode == MODE_STRIPE
    values = dict(
        token_hash=tokens.stored_hash(token, settings.secret_key),
        client_id=caller.client_id,
        channel=caller.channel,
        quote_id=quote.id,
        status=PENDING_PAYMENT if pending else CONFIRMED,
        payment_mode=mode,
        total_fen=quote.total_fen,
        currency=quote.currency,
        refunded_fen=0,
        refund_requested_fen=0,
        refund_status=None,
        hold_expires_at=now + timedelta(minutes=settings.hold_ttl_minutes) if pending else None,
        inventory_held=True,
        status_reason=None,
        client_address_hash=address_hash,
        traveller_hash=traveller_hash,
        lead_name=body.lead_traveller.name,
        lead_phone=body.lead_traveller.phone,
        guests=[g.model_dump(mode="json") for g in body.guests],
        cancellation=None,
        payment_intent_id=None,
        paid_at=None,
        created_at=now,
        updated_at=now,
        version=1,
    )
    for _ in range(8):  # a reference is 6 of 32 symbols: collisions are rare, never fatal
        values["reference"] = new_reference()
        booking_id = repository.insert_booking(session, values)
        if booking_id is not None:
            return Inserted(id=booking_id, **values)
        if repository.live_booking_of_quote(session.connection(), quote.id) is not None:
            raise errors.quote_already_booked(quote.id)  # booked meanwhile
    raise RuntimeError("could not find a free booking reference")  # pragma: no cover


def _insert_lines(
    session: Session, booking_id: int, quote: QuoteToBook, products: dict[int, Any]
) -> tuple[list[Inserted], list[Inserted]]:
    """The booking's items and legs; each item keeps the refund policy its quote kept
    (shown with the price: the terms it is cancelled on), or, of a quote made before
    quotes kept it, its product's policy now."""
    item_rows = [
        dict(
            booking_id=booking_id,
            item_index=i.index,
            product_id=i.product_id,
            check_in=i.check_in,
            check_out=i.check_out,
            units=i.units,
            guests=i.guests,
            net_fen=i.net_fen,
            product_name_zh=i.product_name_zh or products[i.product_id].name_zh,
            product_name_en=i.product_name_en or products[i.product_id].name_en,
            refund_policy=list(
                i.refund_policy
                if i.refund_policy is not None
                else products[i.product_id].refund_policy or []
            ),
            stay_status=None,  # expected: the front desk has not seen the guest yet
        )
        for i in quote.items
    ]
    leg_rows = [
        dict(
            booking_id=booking_id,
            leg_index=g.index,
            line_id=g.line_id,
            travel_date=g.travel_date,
            riders=g.riders,
            net_fen=g.net_fen,
            line_name_zh=g.line_name_zh,
            line_name_en=g.line_name_en,
            from_destination=g.from_destination,
            to_destination=g.to_destination,
        )
        for g in quote.legs
    ]
    repository.insert_rows(session, BookingItem, item_rows)
    repository.insert_rows(session, BookingLeg, leg_rows)
    return [Inserted(**r) for r in item_rows], [Inserted(**r) for r in leg_rows]


def _claim_stubs(
    session: Session, booking_id: int, codes: Sequence[str], stubs: dict[str, TicketStub]
) -> None:
    """Step 5: the quote's applied ticket stubs are marked used by this booking."""
    for code in codes:
        row = stubs.get(code)
        if row is None or not repository.claim_stub(session, row.id, booking_id):
            raise errors.stub_already_used(code)
        link = {"booking_id": booking_id, "stub_id": row.id}
        repository.insert_rows(session, BookingStub, [link])


def _cap_anonymous_holds(
    session: Session,
    items: Sequence[QuotedItem],
    address_hash: str | None,
    settings: Settings,
    now: datetime,
) -> None:
    """Anonymous unpaid units are capped, so nobody without a key can keep a product's
    last units by booking again every hold period: per product (the units of it in
    running holds, all addresses together) and per client address (the rooms at once,
    ``service.at_once``, of its running holds and its pay-at-property bookings of the
    last day, so booking unpaid is rate-limited without shutting out, for months, the
    neighbours behind one carrier-grade NAT; a party moving from stay to stay needs its
    rooms once, not once per stay). 409 ``hold_limit_reached`` naming the item, or
    ``items`` for the address. Holds past their expiry and cancelled bookings do not
    count."""
    repository.lock_anonymous_holds(session, address_hash, [i.product_id for i in items])
    wanted: dict[int, int] = {}
    first: dict[int, int] = {}
    for index, i in enumerate(items):
        wanted[i.product_id] = wanted.get(i.product_id, 0) + i.units
        first.setdefault(i.product_id, index)
    limit = settings.max_anonymous_units_held_per_product
    for product_id, units in wanted.items():
        held = repository.anonymous_units_held_of_product(session, product_id, now)
        if held + units > limit:
            raise errors.anonymous_product_hold_limit(
                first[product_id], product_id, limit, held, units
            )
    if address_hash is not None:
        limit = settings.max_anonymous_units_held_per_address
        held = repository.anonymous_rooms_held_from(session, address_hash, now)
        rooms = most_at_once((i.check_in, i.check_out, i.units) for i in items)
        if held + rooms > limit:
            raise errors.anonymous_address_hold_limit(limit, held, rooms)


def _start_payment(
    session: Session, booking: Booking, payments: Payments | None, now: datetime
) -> PaymentStart:
    """Step 6, Stripe: a PaymentIntent through the payments port handed in."""
    if payments is None:
        raise errors.PaymentsUnavailable(
            "Online payment is configured but not available; nothing was booked.",
            zh="已配置在线支付但当前不可用；未做任何预订。",
        )
    return payments.start_payment(session, booking, now)


# --- reading -------------------------------------------------------------------------------


def token_matches(booking: Booking, token: str | None, pepper: str) -> bool:
    """``tokens.matches``: as issued, or typed back forgivingly (a new token)."""
    return tokens.matches(booking.token_hash, token, pepper)


def find_for_caller(
    session: Session, reference: str, *, caller: Caller, token: str | None, settings: Settings
) -> Booking:
    """The booking if the caller owns it: its partner (by key), or a traveller with its
    token. Anything else is 404, exactly like an unknown reference."""
    booking = (
        repository.by_reference(session, reference_key(reference)) if len(reference) <= 12 else None
    )
    return _owned(booking, reference, caller=caller, token=token, settings=settings)


_B = TypeVar("_B", Booking, sa.Row)


def _owned(
    booking: _B | None, reference: str, *, caller: Caller, token: str | None, settings: Settings
) -> _B:
    """``booking`` (read by ``reference``) if the caller owns it, else not found."""
    token_sent = bool((token or "").strip())
    unidentified = caller.is_anonymous and not token_sent
    token_beside_key = not caller.is_anonymous and token_sent  # the key decides; said so
    if booking is None:
        raise errors.booking_not_found(reference, unidentified, token_beside_key=token_beside_key)
    if caller.is_anonymous:
        if not token_matches(booking, token, settings.secret_key):
            raise errors.booking_not_found(reference, unidentified)
    elif booking.client_id != caller.client_id:
        raise errors.booking_not_found(reference, token_beside_key=token_beside_key)
    return booking


def _places(
    session: Session, booking: Booking, items: list[BookingItem]
) -> dict[int, repository.Place] | None:
    """Where the booking's stays are, when what is shown of it names a desk: the desks
    that take the money (``schemas.desks_shown``), or the front desk whose record of a
    stay stops it being cancelled (``kept_stay``: my booking names that desk by its
    destination); else None (not read)."""
    if not desks_shown(booking) and kept_stay(items) is None:
        return None
    return repository.places_of(session.connection(), booking.id)


def _view(session: Session, booking: Booking) -> BookingView:
    items = repository.items_of(session, [booking.id])[booking.id]
    return BookingView(
        booking,
        items,
        repository.legs_of(session, [booking.id])[booking.id],
        stub_codes=[c for _, c in repository.stub_codes_of(session, booking.id)],
        places=_places(session, booking, items),
    )


def hold_due(booking: Booking, now: datetime) -> bool:
    """Whether ``booking`` is a hold whose time has passed: reading it expires it."""
    return (
        booking.status == PENDING_PAYMENT
        and booking.hold_expires_at is not None
        and booking.hold_expires_at <= now
    )


def read_booking(
    session: Session,
    reference: str,
    *,
    caller: Caller,
    token: str | None,
    now: datetime,
    settings: Settings,
) -> BookingView:
    """One booking for its owner. A hold past its time is expired as it is read."""
    booking = find_for_caller(session, reference, caller=caller, token=token, settings=settings)
    if hold_due(booking, now):
        try:
            expire_booking(session, booking, now=now, lock_timeout_ms=settings.lock_timeout_ms)
        except inventory.InventoryBusy:
            raise errors.inventory_busy() from None
    return _view(session, booking)


def read_booking_unchanged(
    conn: sa.Connection,
    reference: str,
    *,
    caller: Caller,
    token: str | None,
    now: datetime,
    settings: Settings,
) -> BookingView | None:
    """``read_booking`` when nothing must be written: the booking, or ``None`` when its
    hold has passed, so that reading it must expire it (a write: then ``read_booking``
    in a write transaction). Not found is raised as by ``read_booking``, for the same
    callers. Read with Core, rows and no ORM objects, in one statement
    (``repository.shown_booking``): the booking's row (its state, ``BookingState.of``)
    with its items, legs, stubs and its quote's shown columns (``BookingView.quote``)
    beside it, so all of one snapshot, in autocommit too."""
    found = (
        repository.shown_booking(conn, reference_key(reference)) if len(reference) <= 12 else None
    )
    booking = _owned(
        found and found.booking, reference, caller=caller, token=token, settings=settings
    )
    if hold_due(booking, now):
        return None
    return BookingView(
        booking,
        found.items,
        found.legs,
        stub_codes=found.stub_codes,
        quote=found.quote,
        places=found.places,
    )


@dataclass(frozen=True, slots=True)
class BookingState:
    """What tells one state of a booking from any other: its row's ``change_seq``, set
    by a database trigger on every insert and update whoever writes, to a value the row
    never had (migrations 0008, 0019).
    Its items, legs and stubs never change after it is made but for the front desk's
    stay status (whether its page offers to cancel: ``kept_stay``), which is written
    together with the booking row (``operators.bookings.set_stay_status`` touches it),
    so ``change_seq`` moves with it too."""

    change_seq: int
    status: str
    hold_expires_at: datetime | None

    @classmethod
    def of(cls, booking: Booking) -> "BookingState":
        return cls(booking.change_seq, booking.status, booking.hold_expires_at)

    def read_unchanged_until(self) -> datetime | None:
        """Until when reading the booking changes nothing: a hold's expiry (reading it
        after expires it), else no bound."""
        return self.hold_expires_at if self.status == PENDING_PAYMENT else None


def change_probe(reference: str) -> Probe:
    """The read of the booking's ``change_seq`` now (``BookingState.change_seq`` as it
    was): equal, and the booking is as it was."""
    return repository.change_seq_probe(reference_key(reference))


def cancel_for_caller(
    session: Session,
    reference: str,
    *,
    caller: Caller,
    token: str | None,
    now: datetime,
    settings: Settings,
    reason: str | None,
    payments: Payments | None = None,
) -> BookingView:
    booking = find_for_caller(session, reference, caller=caller, token=token, settings=settings)
    try:
        cancel_booking(
            session,
            booking,
            by=BY_TRAVELLER if caller.is_anonymous else BY_PARTNER,
            now=now,
            reason=reason,
            lock_timeout_ms=settings.lock_timeout_ms,
            payments=payments,
        )
    except inventory.InventoryBusy:
        raise errors.inventory_busy() from None
    return _view(session, booking)


def preview_cancel_for_caller(
    session: Session,
    reference: str,
    *,
    caller: Caller,
    token: str | None,
    now: datetime,
    settings: Settings,
) -> tuple[BookingView, dict[str, Any]]:
    """The booking and what cancelling it now would refund (``cancellation_terms``),
    changing nothing: shown to a traveller before they confirm."""
    view = read_booking(session, reference, caller=caller, token=token, now=now, settings=settings)
    terms = cancellation_terms(
        session,
        view.booking,
        view.items,
        view.legs,
        by=BY_TRAVELLER if caller.is_anonymous else BY_PARTNER,
        now=now,
    )
    return view, terms
