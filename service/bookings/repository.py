"""All SQL of the bookings capability. Functions flush, never commit.

Lock order, the same in every transaction so none waits in a cycle (docs/architecture.md,
"Locks, in one order"): booking rows (expired holds are taken with ``SKIP LOCKED``) ->
the travellers' report_stay locks, taken by writing a booking's status or items (the
triggers of migration 0018), or for several bookings at once and sorted
(``lock_travellers``) -> the client's ``api_client`` row (the unit cap), or for
anonymous holds the advisory locks of ``lock_anonymous_holds`` -> ``inventory_night``
rows in sorted order (``catalog.inventory``) -> the ticket stubs. ``FOR UPDATE`` is a
no-op on SQLite, whose write session already holds the database's write lock (``BEGIN
IMMEDIATE``).
"""

import functools
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, timedelta
from types import SimpleNamespace
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, select

from catalog.models import Destination, Product, TicketStub
from service.bookings.models import (
    COMPLETED,
    CONFIRMED,
    LIVE_QUOTE_WHERE,
    LIVE_STATUSES,
    MODE_PAY_AT_PROPERTY,
    PENDING_PAYMENT,
    Booking,
    BookingItem,
    BookingLeg,
    BookingStub,
)
from service.clients.models import ApiClient
from service.clock import local_date
from service.db import Probe, joined
from service.quotes import repository as quote_repository
from service.quotes.models import Quote

_P, _B, _Q = Product.__table__, Booking.__table__, Quote.__table__
_S, _BS = TicketStub.__table__, BookingStub.__table__


_D = Destination.__table__
_PRODUCT_COLUMNS = (
    _P.c.id,
    _P.c.name_zh,
    _P.c.name_en,
    _P.c.refund_policy,
    _P.c.destination_id,
    _D.c.name_zh.label("destination_name_zh"),
    _D.c.name_en.label("destination_name_en"),
)
_PRODUCT_FROM = _P.join(_D, _D.c.id == _P.c.destination_id)
_PRODUCTS = (
    sa.select(*_PRODUCT_COLUMNS)
    .select_from(_PRODUCT_FROM)
    .where(_P.c.id.in_(sa.bindparam("ids", expanding=True)))
)
# Most bookings are of one product: a plain ``=`` is compiled once, where an expanding
# ``IN`` is re-rendered on every execution.
_PRODUCT = (
    sa.select(*_PRODUCT_COLUMNS).select_from(_PRODUCT_FROM).where(_P.c.id == sa.bindparam("id"))
)


def products(session: Session, ids: Iterable[int]) -> dict[int, sa.Row]:
    """Names and refund policy of the products (the policy is copied onto the booking),
    and where each is (its destination's id and names: ``place``)."""
    wanted = sorted(set(ids))
    if len(wanted) == 1:
        rows = session.connection().execute(_PRODUCT, {"id": wanted[0]})
    else:
        rows = session.connection().execute(_PRODUCTS, {"ids": wanted})
    return {p.id: p for p in rows}


_LIVE_OF_QUOTE = sa.select(_B.c.id, _B.c.reference, _B.c.status, _B.c.hold_expires_at).where(
    _B.c.quote_id == sa.bindparam("quote_id"), _B.c.status.in_(LIVE_STATUSES)
)


def live_booking_of_quote(conn: sa.Connection, quote_id: str) -> sa.Row | None:
    """The quote's live booking (id, reference, status, hold_expires_at), if it has
    one."""
    return conn.execute(_LIVE_OF_QUOTE, {"quote_id": quote_id}).first()


def live_booking_probe(quote_id: str) -> Probe:
    """The quote's live booking's id and ``change_seq`` (the empty text for none), as a
    ``Probe``: booking the quote, cancelling, expiring or paying its booking, all change
    it. The live statuses written out, as the partial unique index's own predicate
    (``uq_booking_live_quote``); ``ix_booking_quote_id`` finds the rows."""
    row = f"SELECT {joined('id', 'change_seq')} FROM booking"  # noqa: S608 (constants)
    where = f"WHERE quote_id = :quote_id AND {LIVE_QUOTE_WHERE}"
    return Probe(f"SELECT coalesce(({row} {where}), '')", {"quote_id": quote_id})


@functools.cache
def _insert_booking(dialect: str):
    insert = postgresql.insert(_B) if dialect == "postgresql" else sqlite.insert(_B)
    # No conflict target: a taken reference and a quote that already has a live booking
    # (``uq_booking_live_quote``, committed by a concurrent request) both insert nothing.
    return insert.on_conflict_do_nothing().returning(_B.c.id)


def insert_booking(session: Session, values: dict) -> int | None:
    """INSERT the booking; None if its reference is taken (the caller draws another) or
    its quote has a live booking (``live_booking_of_quote`` then finds it)."""
    conn = session.connection()
    return conn.execute(_insert_booking(conn.dialect.name), values).scalar()


def insert_rows(session: Session, model, rows: list[dict]) -> None:
    if rows:
        session.connection().execute(sa.insert(model.__table__), rows)


def stubs_by_code(session: Session, codes: Sequence[str]) -> dict[str, TicketStub]:
    if not codes:
        return {}
    rows = session.exec(select(TicketStub).where(TicketStub.code.in_(list(codes))))
    return {s.code: s for s in rows}


def claim_stub(session: Session, stub_id: int, booking_id: int) -> bool:
    """Mark a stub used by ``booking_id`` unless another booking has it."""
    return bool(
        session.execute(
            sa.update(TicketStub)
            .where(TicketStub.id == stub_id, TicketStub.used_by_booking_id.is_(None))
            .values(used_by_booking_id=booking_id)
        ).rowcount
    )


_STUB_HOLDERS = (
    sa.select(_S.c.code, _S.c.used_by_booking_id, _B.c.status, _B.c.hold_expires_at)
    .select_from(_S.outerjoin(_B, _B.c.id == _S.c.used_by_booking_id))
    .where(_S.c.code.in_(sa.bindparam("codes", expanding=True)))
)


def stub_holders(conn: sa.Connection, codes: Sequence[str]) -> dict[str, sa.Row]:
    """The register's rows of ``codes`` (by code), each with the booking that has it
    (its status and hold expiry; None for none): reads only."""
    if not codes:
        return {}
    return {r.code: r for r in conn.execute(_STUB_HOLDERS, {"codes": sorted(set(codes))})}


def stubs_probe(codes: Sequence[str]) -> Probe | None:
    """The booking that has each of ``codes`` (its id, the empty text for none or for a
    code no longer in the register), as a ``Probe``: a booking claiming one of them,
    releasing it (cancelled, expired) change it. None for no codes."""
    codes = sorted(set(codes))
    if not codes:
        return None
    parts = [
        f"(SELECT used_by_booking_id FROM ticket_stub WHERE code = :stub_{i})"  # noqa: S608
        for i in range(len(codes))
    ]
    return Probe(f"SELECT {joined(*parts)}", {f"stub_{i}": c for i, c in enumerate(codes)})


def stub_ids_of(session: Session, booking_id: int) -> list[int]:
    return list(
        session.exec(
            select(BookingStub.stub_id)
            .where(BookingStub.booking_id == booking_id)
            .order_by(BookingStub.stub_id)
        )
    )


_STUB_CODES = (
    sa.select(_S.c.id, _S.c.code)
    .join(_BS, _BS.c.stub_id == _S.c.id)
    .where(_BS.c.booking_id == sa.bindparam("booking_id"))
    .order_by(_S.c.id)
)


def stub_codes_of(session: Session, booking_id: int) -> list[tuple[int, str]]:
    rows = session.connection().execute(_STUB_CODES, {"booking_id": booking_id})
    return [(r.id, r.code) for r in rows]


def release_stubs(session: Session, booking_ids: Sequence[int]) -> int:
    if not booking_ids:
        return 0
    return session.execute(
        sa.update(TicketStub)
        .where(TicketStub.used_by_booking_id.in_(list(booking_ids)))
        .values(used_by_booking_id=None)
    ).rowcount


def add(session: Session, *rows) -> None:
    session.add_all(rows)
    session.flush()


def lock_client(session: Session, client_id: int) -> None:
    """Serialise the counts of one client's unpaid units (its hold cap): ``FOR NO KEY
    UPDATE``, which two counts take in turn but a foreign key's ``FOR KEY SHARE`` (an
    outbox event or a booking naming the client, written by its other transactions)
    does not wait for: with ``FOR UPDATE`` a cancel holding its traveller's report_stay
    lock waited for this row while the booking holding it waited for that lock."""
    session.execute(
        sa.select(ApiClient.id).where(ApiClient.id == client_id).with_for_update(key_share=True)
    )


def held_units(session: Session, client_id: int) -> int:
    """Units the client holds unpaid: its ``pending_payment`` bookings' items."""
    return session.execute(
        sa.select(sa.func.coalesce(sa.func.sum(BookingItem.units), 0))
        .join(Booking, Booking.id == BookingItem.booking_id)
        .where(Booking.status == PENDING_PAYMENT, Booking.client_id == client_id)
    ).scalar_one()


# The traveller's report_stay lock, the key ``report_stay_refresh`` (migrations 0018,
# 0030) locks before it rewrites a traveller's rows: the booking's traveller, or the
# booking alone when it has none.
_LOCK_TRAVELLERS = sa.text(
    """
    SELECT pg_advisory_xact_lock(k) FROM (
        SELECT hashtext('report_stay:' || coalesce(traveller_hash, 'b' || CAST(id AS TEXT)))
            AS k
        FROM booking WHERE id = ANY(CAST(:ids AS INTEGER[]))
        UNION
        SELECT hashtext('report_stay:' || CAST(:traveller AS TEXT))
        WHERE CAST(:traveller AS TEXT) IS NOT NULL
        ORDER BY k
    ) AS keys ORDER BY k
    """
)


def lock_travellers(
    session: Session, booking_ids: Sequence[int], traveller_hash: str | None = None
) -> None:
    """Take, at once and in ascending order of their keys, the report_stay locks of the
    travellers of ``booking_ids`` (and of ``traveller_hash``, a booking about to be
    written), which the triggers would otherwise take one booking at a time, in the order
    the bookings are written: two transactions writing the same travellers' bookings in
    other orders waited in a cycle. Taken again by the triggers, each is already held.
    PostgreSQL only (advisory locks); SQLite's write session holds the write lock."""
    conn = session.connection()
    if conn.dialect.name != "postgresql" or not (booking_ids or traveller_hash):
        return
    conn.execute(_LOCK_TRAVELLERS, {"ids": list(booking_ids), "traveller": traveller_hash})


# Advisory-lock namespaces (PostgreSQL ``pg_advisory_xact_lock(int, int)``) for the caps
# on anonymous holds: one lock per client address, one per product.
_ANON_ADDRESS_LOCK, _ANON_PRODUCT_LOCK = 7301, 7302


def lock_anonymous_holds(
    session: Session, address_hash: str | None, product_ids: Sequence[int]
) -> None:
    """Serialise the anonymous-hold caps of this address and these products (PostgreSQL
    advisory locks, released at commit: address first, then products in sorted order;
    SQLite's write session already holds the database's write lock)."""
    conn = session.connection()
    if conn.dialect.name != "postgresql":
        return
    keys = [(_ANON_PRODUCT_LOCK, pid) for pid in sorted(set(product_ids))]
    if address_hash is not None:
        keys.insert(0, (_ANON_ADDRESS_LOCK, int(address_hash[:8], 16) - 2**31))
    for namespace, key in keys:
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:n, :k)"), {"n": namespace, "k": key})


# How long an anonymous pay-at-property booking counts against its address's cap.
ANONYMOUS_BOOKING_WINDOW = timedelta(hours=24)


def _unpaid_anonymous(now: datetime, *, with_recent_bookings: bool):
    """The bookings made without an API key and unpaid at ``now``: holds still running;
    with ``with_recent_bookings``, also the pay-at-property bookings made in the last
    ``ANONYMOUS_BOOKING_WINDOW`` and still confirmed. A cancelled or expired booking no
    longer counts."""
    unpaid = sa.and_(Booking.status == PENDING_PAYMENT, Booking.hold_expires_at > now)
    if with_recent_bookings:
        recent = sa.and_(
            Booking.status == CONFIRMED,
            Booking.payment_mode == MODE_PAY_AT_PROPERTY,
            Booking.created_at > now - ANONYMOUS_BOOKING_WINDOW,
        )
        unpaid = sa.or_(unpaid, recent)
    return sa.and_(Booking.client_id.is_(None), unpaid)


def anonymous_units_held_of_product(session: Session, product_id: int, now: datetime) -> int:
    """Units of ``product_id`` in running anonymous holds (all addresses together): the
    sum over the items, whatever their nights."""
    stmt = (
        sa.select(sa.func.coalesce(sa.func.sum(BookingItem.units), 0))
        .join(Booking, Booking.id == BookingItem.booking_id)
        .where(_unpaid_anonymous(now, with_recent_bookings=False))
        .where(BookingItem.product_id == product_id)
    )
    return session.execute(stmt).scalar_one()


_THIS, _OTHER = (BookingItem.__table__.alias(n) for n in ("this_item", "other_item"))


# A stay the front desk has checked out (``operators.bookings``' record, the same word as
# a booking's own ``completed``).
STAY_COMPLETED = COMPLETED


def _not_ended(item: sa.Table, today: date | None):
    """An item whose stay has not ended on ``today``: neither checked out at the front
    desk (``completed``) nor past (its check-out day come); every item without
    ``today``."""
    if today is None:
        return sa.true()
    return sa.and_(
        item.c.check_out > today,
        sa.or_(item.c.stay_status.is_(None), item.c.stay_status != STAY_COMPLETED),
    )


def _rooms_at_once(*where, today: date | None = None) -> sa.Select:
    """The rooms the bookings matching ``where`` hold at once, summed over them: per
    booking, the most units its items take on any one night (items on overlapping
    nights add up, stays one after another do not). The rule of
    ``service.at_once.most_at_once``, said in SQL: for each item, the units of its
    booking's items with ``check_in <= this.check_in < check_out`` (the count is
    highest at some item's check-in); the most of those per booking. With ``today``,
    only the items whose stay has not ended (``_not_ended``): a room the guests have
    left holds nothing any more."""
    this, other = _THIS, _OTHER
    at_check_in = (
        sa.select(this.c.booking_id, sa.func.sum(other.c.units).label("units"))
        .select_from(this)
        .join(
            other,
            sa.and_(
                other.c.booking_id == this.c.booking_id,
                other.c.check_in <= this.c.check_in,
                this.c.check_in < other.c.check_out,
                _not_ended(other, today),
            ),
        )
        .join(Booking, Booking.id == this.c.booking_id)
        .where(*where, _not_ended(this, today))
        .group_by(this.c.booking_id, this.c.id)
        .subquery()
    )
    per_booking = (
        sa.select(sa.func.max(at_check_in.c.units).label("units"))
        .group_by(at_check_in.c.booking_id)
        .subquery()
    )
    return sa.select(sa.func.coalesce(sa.func.sum(per_booking.c.units), 0))


def anonymous_rooms_held_from(session: Session, address_hash: str, now: datetime) -> int:
    """Rooms at once (``_rooms_at_once``) of one address's running anonymous holds and
    of its anonymous pay-at-property bookings of the last ``ANONYMOUS_BOOKING_WINDOW``,
    summed over those bookings; of each, only the stays that have not ended on
    ``now``'s day (Asia/Shanghai): a stay checked out at the front desk, or whose
    check-out day has come, holds no room (a no-show holds its nights until then)."""
    stmt = _rooms_at_once(
        _unpaid_anonymous(now, with_recent_bookings=True),
        Booking.client_address_hash == address_hash,
        today=local_date(now),
    )
    return int(session.execute(stmt).scalar_one())  # PostgreSQL's sum of sums: numeric


def by_reference(session: Session, reference: str) -> Booking | None:
    return session.exec(select(Booking).where(Booking.reference == reference)).first()


# A booking as it is shown, read with Core: rows with the tables' columns as attributes,
# no ORM objects (a read that changes nothing needs no unit of work), in ONE statement:
# the booking's row with its items, legs and stub codes each as a JSON array beside it
# (one round trip on PostgreSQL instead of four; one statement's overhead on SQLite
# instead of four), built once per dialect.
_I, _L = BookingItem.__table__, BookingLeg.__table__


class ShownRow(SimpleNamespace):
    """An item or leg row of a booking, read back from its JSON (``shown_booking``): the
    table's columns as attributes, of the types the row itself would have."""


class Place(NamedTuple):
    """The destination a booked product is at, with its names (neither changes: a
    product stays at its destination, a destination keeps its names)."""

    destination_id: int
    name_zh: str
    name_en: str


class ShownBooking(NamedTuple):
    booking: sa.Row  # the ``booking`` row
    items: list[ShownRow]  # in ``item_index`` order
    legs: list[ShownRow]  # in ``leg_index`` order
    stub_codes: list[str]  # the stubs it uses, by stub id
    quote: dict[str, Any]  # its quote's shown columns (``quotes.repository.SHOWN``), by name
    places: dict[int, Place]  # product id -> its destination (``places_of``), of its items


# Where a booking's stays are: each item's product's destination and its names.
_PLACES_FROM = _I.join(_P, _P.c.id == _I.c.product_id).join(_D, _D.c.id == _P.c.destination_id)
_PLACE_COLUMNS = (
    _I.c.product_id,
    _D.c.id.label("destination_id"),
    _D.c.name_zh,
    _D.c.name_en,
)
_PLACES = (
    sa.select(*_PLACE_COLUMNS)
    .select_from(_PLACES_FROM)
    .where(_I.c.booking_id == sa.bindparam("booking_id"))
)


def place(product: sa.Row) -> Place:
    """Where a product of ``products`` is."""
    return Place(product.destination_id, product.destination_name_zh, product.destination_name_en)


def places_of_products(session: Session, ids: Iterable[int]) -> dict[int, Place]:
    """Product id -> its destination, of ``ids`` (a quote's products, before it is
    booked): ``products``' one read, as a booking made of them is shown."""
    return {p: place(row) for p, row in products(session, ids).items()}


def _places(rows: Iterable[Any]) -> dict[int, Place]:
    return {r["product_id"]: Place(r["destination_id"], r["name_zh"], r["name_en"]) for r in rows}


def places_of(conn: sa.Connection, booking_id: int) -> dict[int, Place]:
    """Product id -> its destination, of every product booking ``booking_id``'s items
    name (the one statement of ``shown_booking`` reads the same beside the booking)."""
    return _places(r._mapping for r in conn.execute(_PLACES, {"booking_id": booking_id}))


def _json_rows(table: sa.Table, dialect: str, where, *columns: sa.ColumnElement):
    """A scalar subquery: ``columns`` (default: every column of ``table``) of the rows
    ``where`` says, as one JSON array of objects (an empty or a NULL array for none)."""
    pairs = []
    for c in columns or table.c:
        value = c
        if dialect == "sqlite" and isinstance(c.type, sa.JSON):
            value = sa.func.json(c)  # stored as text: embedded as JSON, not as a string
        pairs += [sa.literal_column(f"'{c.name}'"), value]
    if dialect == "postgresql":
        array = sa.func.json_agg(sa.func.json_build_object(*pairs))
    else:
        array = sa.func.json_group_array(sa.func.json_object(*pairs))
    return sa.select(array).select_from(table).where(where).scalar_subquery()


@functools.cache
def _shown_booking(dialect: str) -> sa.Select:
    stubs = _json_rows(
        _S.join(_BS, _BS.c.stub_id == _S.c.id),
        dialect,
        _BS.c.booking_id == _B.c.id,
        _S.c.id,
        _S.c.code,
    )
    return (
        sa.select(
            _B,
            *(c.label(f"jl_quote_{c.name}") for c in quote_repository.SHOWN),
            sa.type_coerce(_json_rows(_I, dialect, _I.c.booking_id == _B.c.id), sa.JSON).label(
                "jl_items"
            ),
            sa.type_coerce(_json_rows(_L, dialect, _L.c.booking_id == _B.c.id), sa.JSON).label(
                "jl_legs"
            ),
            sa.type_coerce(stubs, sa.JSON).label("jl_stubs"),
            sa.type_coerce(
                _json_rows(_PLACES_FROM, dialect, _I.c.booking_id == _B.c.id, *_PLACE_COLUMNS),
                sa.JSON,
            ).label("jl_places"),
        )
        .select_from(_B.join(_Q, _Q.c.id == _B.c.quote_id))
        .where(_B.c.reference == sa.bindparam("reference"))
    )


def _reader(kind: sa.types.TypeEngine, dialect: sa.Dialect) -> Callable[[Any], Any] | None:
    """How a column's value as JSON gave it is read as the column's own type reads it:
    dates and times from their ISO text, then a ``TypeDecorator``'s own reading
    (``UTCDateTime``: an instant UTC-aware, stored naive on SQLite, with an offset in
    PostgreSQL's JSON); None for a value taken as it is (numbers, text, JSON)."""
    if isinstance(kind, sa.TypeDecorator):
        parse = _reader(kind.impl_instance, dialect)
        if type(kind).process_result_value is sa.TypeDecorator.process_result_value:
            return parse  # SQLModel's AutoString and the like: the impl's value as it is
        after = kind.process_result_value
        return lambda v: after(v if parse is None else parse(v), dialect)
    if isinstance(kind, sa.DateTime):
        return datetime.fromisoformat
    if isinstance(kind, sa.Date):
        return date.fromisoformat
    if isinstance(kind, sa.Boolean):
        return bool
    return None


@functools.cache
def _readers(table: sa.Table, dialect: sa.Dialect) -> tuple:
    return tuple((c.key, c.name, _reader(c.type, dialect)) for c in table.c)


def _rows(
    table: sa.Table, found: list[dict] | None, order: str, dialect: sa.Dialect
) -> list[ShownRow]:
    """The rows of ``table`` as ``_json_rows`` gave them, in ``order``."""
    readers = _readers(table, dialect)
    rows = [
        ShownRow(
            **{
                key: v if v is None or read is None else read(v)
                for key, name, read in readers
                for v in (r[name],)
            }
        )
        for r in found or ()
    ]
    return sorted(rows, key=lambda r: getattr(r, order))


def shown_booking(conn: sa.Connection, reference: str) -> ShownBooking | None:
    """The ``booking`` row of ``reference`` with its item rows, leg rows, stub codes and
    its quote's shown columns, in one statement (so in one snapshot), or None."""
    dialect = conn.dialect
    row = conn.execute(_shown_booking(dialect.name), {"reference": reference}).first()
    if row is None:
        return None
    stubs = sorted((s["id"], s["code"]) for s in row.jl_stubs or ())
    values = row._mapping
    return ShownBooking(
        row,
        _rows(_I, row.jl_items, "item_index", dialect),
        _rows(_L, row.jl_legs, "leg_index", dialect),
        [code for _, code in stubs],
        {c.name: values[f"jl_quote_{c.name}"] for c in quote_repository.SHOWN},
        _places(row.jl_places or ()),
    )


def change_seq_probe(reference: str) -> Probe:
    """The booking's ``change_seq`` (by its unique reference), as a ``Probe``."""
    return Probe(
        "SELECT change_seq FROM booking WHERE reference = :reference", {"reference": reference}
    )


def lock(session: Session, booking_id: int) -> Booking:
    """The booking row, locked for this transaction and re-read (fresh status)."""
    return session.exec(
        select(Booking)
        .where(Booking.id == booking_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()


_EXPIRED_IDS = (
    sa.select(_B.c.id)
    .where(_B.c.status == PENDING_PAYMENT, _B.c.hold_expires_at <= sa.bindparam("now"))
    .order_by(_B.c.id)
    .limit(sa.bindparam("limit"))
    .with_for_update(skip_locked=True)
)


def lock_expired_holds(session: Session, *, now: datetime, limit: int) -> list[Booking]:
    """Holds past their expiry, locked; rows another transaction holds are skipped."""
    ids = list(session.connection().execute(_EXPIRED_IDS, {"now": now, "limit": limit}).scalars())
    if not ids:
        return []
    stmt = (
        select(Booking)
        .where(Booking.id.in_(ids))
        .where(Booking.status == PENDING_PAYMENT, Booking.hold_expires_at <= now)
        .order_by(Booking.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
        .execution_options(populate_existing=True)
    )
    return list(session.exec(stmt))


def items_of(session: Session, booking_ids: Sequence[int]) -> dict[int, list[BookingItem]]:
    """The bookings' items as stored now, even those this session read before: read
    again after the booking's lock (``lock``), they show a front-desk change another
    transaction committed meanwhile (a stay checked in while an operator cancelled),
    never the state read before the lock."""
    out: dict[int, list[BookingItem]] = defaultdict(list)
    if booking_ids:
        for row in session.exec(
            select(BookingItem)
            .where(BookingItem.booking_id.in_(list(booking_ids)))
            .order_by(BookingItem.booking_id, BookingItem.item_index)
            .execution_options(populate_existing=True)
        ):
            out[row.booking_id].append(row)
    return out


def legs_of(session: Session, booking_ids: Sequence[int]) -> dict[int, list[BookingLeg]]:
    out: dict[int, list[BookingLeg]] = defaultdict(list)
    if booking_ids:
        for row in session.exec(
            select(BookingLeg)
            .where(BookingLeg.booking_id.in_(list(booking_ids)))
            .order_by(BookingLeg.booking_id, BookingLeg.leg_index)
        ):
            out[row.booking_id].append(row)
    return out


# The lowest transaction id still open in this database, as of a snapshot taken now (or,
# with none open, the next id to be given out): every transaction with a smaller id has
# ended. Transactions of other databases of the cluster are left out (they never write
# here), so they cannot hold this feed back. Needs READ COMMITTED: the feed query that
# follows must take a later snapshot than this statement's.
_PG_FEED_HORIZON = sa.text(
    """
    WITH s AS (SELECT pg_current_snapshot() AS snap)
    SELECT coalesce(
        (SELECT min(x::text::bigint) FROM s, pg_snapshot_xip(s.snap) AS x
         WHERE xid(x) IN (SELECT backend_xid FROM pg_stat_activity
                          WHERE datname = current_database() AND backend_xid IS NOT NULL)),
        (SELECT pg_snapshot_xmax(snap)::text::bigint FROM s))
    """
)


def feed(
    session: Session,
    *,
    client_id: int,
    updated_since: datetime | None,
    after: tuple[int, int] | None,
    limit: int,
) -> list[Booking]:
    """The client's bookings by (change_seq, id) after the cursor, ``limit`` rows.

    Never skips a change that commits late. On PostgreSQL ``change_seq`` is the writer's
    transaction id: only rows below the horizon (``_PG_FEED_HORIZON``) are returned, and
    any transaction that commits after this read has an id at or above it, so it sorts
    after every row returned. It is read first, in its own statement: a transaction
    open at that moment either is counted or has ended before the rows are read (and
    is then seen). On SQLite writers take turns, so the counter is in commit order.
    """
    stmt = select(Booking).where(Booking.client_id == client_id)
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        horizon = conn.execute(_PG_FEED_HORIZON).scalar_one()
        stmt = stmt.where(Booking.change_seq < horizon)
    if updated_since is not None:
        stmt = stmt.where(Booking.updated_at >= updated_since)
    if after is not None:
        seq, last_id = after
        stmt = stmt.where(
            sa.or_(
                Booking.change_seq > seq, sa.and_(Booking.change_seq == seq, Booking.id > last_id)
            )
        )
    return list(session.exec(stmt.order_by(Booking.change_seq, Booking.id).limit(limit)))


def lock_completable(session: Session, *, today: date, limit: int) -> list[Booking]:
    """Confirmed bookings whose every stay has ended (check_out on or before ``today``)."""
    last_out = (
        sa.select(sa.func.max(BookingItem.check_out))
        .where(BookingItem.booking_id == Booking.id)
        .scalar_subquery()
    )
    stmt = (
        select(Booking)
        .where(Booking.status == CONFIRMED, last_out <= today)
        .order_by(Booking.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
        .execution_options(populate_existing=True)
    )
    return list(session.exec(stmt))
