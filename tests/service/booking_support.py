"""Helpers for the bookings, clients and idempotency tests (real databases, real HTTP app).

Dates are far enough ahead that no quote is refused for a past check-in.
"""

import threading
import uuid
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlmodel import select

from catalog.models import Destination, InventoryNight, Product
from service.auth import ANONYMOUS, Caller
from service.bookings import service as bookings
from service.bookings.models import CONFIRMED, MODE_STRIPE, PENDING_PAYMENT, Booking
from service.bookings.schemas import BookingIn
from service.clients import service as clients
from service.clock import Clock
from service.db import Database
from service.errors import DomainError
from service.quotes import service as quotes
from service.quotes.schemas import QuoteIn
from service.settings import Settings
from tests.factories import make_issuer, make_line, make_product, make_rule, make_stub

FIRST_NIGHT = Clock().today() + timedelta(days=60)
LEAD = {"name": "王秀兰", "phone": "13800138000"}
ID_NUMBER = "220102195405061234"
GUESTS = [{"name": "王秀兰", "id_number": ID_NUMBER}, {"name": "李建国"}]


@dataclass(frozen=True)
class Partner:
    id: int
    key: str
    caller: Caller

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"}


def add_partner(
    db: Database, name: str, channel: str = "ota", merchant_collects: bool = False
) -> Partner:
    with db.write_session() as s:
        issued = clients.create_client(
            s,
            name=name,
            channel=channel,
            merchant_collects=merchant_collects,
            pepper=db.settings.secret_key,
            now=datetime.now(UTC),
        )
        s.commit()
    c = issued.client
    return Partner(
        c.id,
        issued.plaintext,
        Caller(
            client_id=c.id,
            channel=c.channel,
            client_name=c.name,
            merchant_collects=c.merchant_collects,
            key_id=issued.key.id,
        ),
    )


def add_product(
    db: Database,
    *,
    first: date = FIRST_NIGHT,
    nights: int = 30,
    units: int = 3,
    beside: int | None = None,
    **kw,
) -> int:
    """A product with ``units`` for ``nights`` nights from ``first``; at a new destination,
    or at the destination of product ``beside``."""
    with db.write_session() as s:
        if beside is not None:
            kw["destination"] = s.get(Destination, s.get(Product, beside).destination_id)
        p = make_product(s, inventory=(first, nights, units), **kw)
        s.commit()
        return p.id


def item(
    product_id: int,
    check_in: date = FIRST_NIGHT,
    nights: int = 3,
    units: int = 1,
    guests: int | None = None,
) -> dict:
    """A stay of ``units`` for ``guests`` (default: 2, or one a unit if more: a quote
    refuses more units than guests)."""
    return {
        "product_id": product_id,
        "check_in": check_in.isoformat(),
        "check_out": (check_in + timedelta(days=nights)).isoformat(),
        "guests": max(2, units) if guests is None else guests,
        "units": units,
        "pack_ids": [],
    }


def make_quote(
    db: Database,
    caller: Caller,
    *items: dict,
    now: datetime | None = None,
    ttl_minutes: int = 30,
    legs: Sequence[dict] = (),
) -> str:
    """A stored quote, made by the quotes service as ``POST /v1/quotes`` would."""
    with db.write_session() as s:
        q = quotes.create_quote(
            s,
            QuoteIn.model_validate({"items": list(items), "legs": list(legs), "stubs": []}),
            caller=caller,
            now=now or datetime.now(UTC),
            ttl_minutes=ttl_minutes,
        )
        s.commit()
        return q.id


def quote_http(
    client: TestClient, *items: dict, headers: dict | None = None, legs=(), stubs=()
) -> dict:
    r = client.post(
        "/v1/quotes",
        json={"items": list(items), "legs": list(legs), "stubs": list(stubs)},
        headers=headers or {},
    )
    assert r.status_code == 201, r.text
    return r.json()


def add_stub_line(db: Database) -> tuple[list[dict], str]:
    """A transit line whose ticket stubs take 50% off its fare, and one unused stub:
    the legs of a quote that rides it on ``FIRST_NIGHT`` and the stub's code."""
    with db.write_session() as s:
        line = make_line(s)
        issuer = make_issuer(s)
        make_rule(
            s,
            "ticket_stub",
            issuer_id=issuer.id,
            transit_line_ids=[line.id],
            valid_days=3,
            bps=5000,
        )
        stub = make_stub(s, issuer, FIRST_NIGHT)
        s.commit()
        legs = [{"line_id": line.id, "travel_date": FIRST_NIGHT.isoformat(), "riders": 2}]
        return legs, stub.code


def booking_body(quote_id: str, guests=None, lead: dict | None = None) -> dict:
    return {
        "quote_id": quote_id,
        "lead_traveller": dict(lead or LEAD),
        "guests": list(GUESTS if guests is None else guests),
    }


def post_booking(
    client: TestClient,
    quote_id: str,
    *,
    headers: dict | None = None,
    key: str | None = None,
    body: dict | None = None,
):
    return client.post(
        "/v1/bookings",
        json=body or booking_body(quote_id),
        headers={**(headers or {}), "Idempotency-Key": key or str(uuid.uuid4())},
    )


def book_in_service(
    db: Database,
    caller: Caller,
    quote_id: str,
    now: datetime | None = None,
    lead: dict | None = None,
    guests: list[dict] | None = None,
) -> str:
    """One booking attempt in its own write session; the reference, or the problem code.
    ``lead``: the lead traveller (``LEAD`` by default: every booking one traveller's);
    ``guests``: the party (``GUESTS`` by default)."""
    with db.write_session() as s:
        try:
            view = bookings.create_booking(
                s,
                caller,
                BookingIn.model_validate(booking_body(quote_id, guests, lead=lead)),
                now=now or datetime.now(UTC),
                settings=db.settings,
            )
            s.commit()
            return view.booking.reference
        except DomainError as exc:
            s.rollback()
            return exc.code


def make_hold(db: Database, reference: str, expires_at: datetime) -> None:
    """Turn a confirmed booking into an unpaid Stripe hold, as the Stripe path leaves it
    (``pending_payment`` until ``expires_at``); the nights stay taken."""
    with db.write_session() as s:
        b = s.exec(select(Booking).where(Booking.reference == reference)).one()
        assert b.status == CONFIRMED
        b.status, b.payment_mode, b.hold_expires_at = PENDING_PAYMENT, MODE_STRIPE, expires_at
        s.add(b)
        s.commit()


def waiting_for_locks(db: Database) -> int:
    """PostgreSQL: backends of this test's database waiting for a lock now (a row's, an
    advisory lock's...)."""
    with db.engine.connect() as conn:
        return conn.execute(
            sa.text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock'"
            )
        ).scalar_one()


def taken(db: Database, product_id: int) -> dict[date, int]:
    with db.session() as s:
        rows = s.exec(select(InventoryNight).where(InventoryNight.product_id == product_id))
        return {r.night: r.taken_units for r in rows}


def booking_row(db: Database, reference: str) -> Booking:
    with db.session() as s:
        return s.exec(select(Booking).where(Booking.reference == reference)).one()


def oversold_nights(db: Database) -> int:
    with db.session() as s:
        rows = s.exec(
            select(InventoryNight).where(InventoryNight.taken_units > InventoryNight.total_units)
        )
        return len(list(rows))


def race(attempt: Callable, args: Sequence) -> Counter:
    """``attempt(arg)`` for every arg at once, one thread each, released together; the
    outcomes counted."""
    start = threading.Barrier(len(args))

    def run(arg):
        start.wait()
        return attempt(arg)

    with ThreadPoolExecutor(max_workers=len(args)) as pool:
        return Counter(pool.map(run, args))


def race_service(db: Database, quote_ids: Sequence[str]) -> Counter:
    """Book each quote at once (``book_in_service``): "booked" or the problem code."""

    def attempt(quote_id):
        outcome = book_in_service(db, ANONYMOUS, quote_id)
        return "booked" if outcome.startswith("JL-") else outcome

    return race(attempt, quote_ids)


def race_http(client: TestClient, quote_ids: Sequence[str]) -> Counter:
    """POST a booking of each quote at once: (status, problem code or None)."""

    def attempt(quote_id):
        r = post_booking(client, quote_id)
        return r.status_code, r.json().get("code")

    return race(attempt, quote_ids)


def without_anonymous_caps(settings: Settings) -> Settings:
    """``settings`` with the anonymous caps out of reach, for tests that book many times
    without a key from one address about something else (the caps' own tests are in
    test_bookings_anonymous_holds.py)."""
    return settings.model_copy(
        update={
            "max_anonymous_units_held_per_product": 10_000,
            "max_anonymous_units_held_per_address": 10_000,
        }
    )
