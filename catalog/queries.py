"""Every read of the public catalogue, designed to stay fast on a large catalogue.

Rules these functions follow (the benchmark runs them on PostgreSQL with 150
destinations, 3,000 products and 365 inventory nights each):

* Lists use keyset pagination on the primary key (``id > :after ORDER BY id LIMIT n``):
  callers pass ``limit + 1`` to learn whether a next page exists.
* What hangs off the rows of a page (themes, corridors, packs, seasons, stops, product
  counts, slugs) is loaded by one ``IN`` query per kind, never one query per row.
* Inventory is read by its primary key range ``(product_id, night)``; the search over a
  theme is one ``GROUP BY`` query.

Functions return table rows or small frozen dataclasses; they never commit.
"""

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlmodel import Session, select

from catalog.geo import haversine_km
from catalog.models import (
    AddOnPack,
    CatalogueVersion,
    Destination,
    DestinationCorridor,
    DestinationTheme,
    DiscountRule,
    DiscountRuleVersion,
    InventoryNight,
    Product,
    ProductPack,
    Route,
    RouteStop,
    Season,
    StubIssuer,
    TransitLine,
    TransitStop,
)

TICKET_STUB = "ticket_stub"


# --- the catalogue version -----------------------------------------------------------

VERSION = sa.select(CatalogueVersion.__table__.c.version).where(
    CatalogueVersion.__table__.c.id == 1
)


def catalogue_version(conn: sa.Connection | Session) -> int | None:
    """The catalogue version (``None`` if its row is missing): database triggers bump it
    in every transaction that writes the catalogue's terms (see the migrations), so
    anything derived from those rows can be cached under it."""
    if isinstance(conn, Session):
        conn = conn.connection()
    return conn.execute(VERSION).scalar()


# --- destinations ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DestinationFilter:
    """Destination filters; the need filters (``hospital_within_km`` and the facts set
    to True, ``certifications`` all of) are those of the trip planner's needs."""

    theme: str | None = None
    pilot_kind: str | None = None
    prefecture: str | None = None
    corridor: str | None = None
    hospital_within_km: float | None = None
    medical_insurance_station: bool = False
    cross_province_settlement: bool = False
    elder_friendly_rooms: bool = False
    # All of them are required, in any order: ``unordered`` (a list's cursor is the same
    # for them in any order, ``service.pagination.Listing``).
    certifications: tuple[str, ...] = field(default=(), metadata={"unordered": True})
    dialect: str = "sqlite"

    @property
    def has_needs(self) -> bool:
        return (
            self.hospital_within_km is not None
            or self.medical_insurance_station
            or self.cross_province_settlement
            or self.elder_friendly_rooms
            or bool(self.certifications)
        )


def json_list_contains(dialect: str, column, value, name: str) -> sa.ColumnElement[bool]:
    """The JSON list in ``column`` holds ``value`` (JSONB ``@>`` on PostgreSQL,
    ``json_each`` on SQLite)."""
    if dialect == "postgresql":
        wanted = sa.bindparam(name, [value], type_=postgresql.JSONB)
        return column.op("@>")(sa.cast(wanted, postgresql.JSONB))
    each = sa.func.json_each(column).table_valued("value").alias(f"each_{name}")
    return sa.exists(select(sa.literal(1)).select_from(each).where(each.c.value == value))


def _destination_conditions(f: DestinationFilter) -> list[sa.ColumnElement[bool]]:
    conds: list[sa.ColumnElement[bool]] = []
    if f.hospital_within_km is not None:
        conds.append(Destination.nearest_hospital_km <= f.hospital_within_km)
    for name in ("medical_insurance_station", "cross_province_settlement", "elder_friendly_rooms"):
        if getattr(f, name):
            conds.append(getattr(Destination, name).is_(True))
    certs = Destination.__table__.c.certifications
    for i, code in enumerate(f.certifications):
        conds.append(json_list_contains(f.dialect, certs, code, f"cert{i}"))
    if f.theme is not None:
        conds.append(
            Destination.id.in_(
                select(DestinationTheme.destination_id).where(DestinationTheme.theme == f.theme)
            )
        )
    if f.corridor is not None:
        conds.append(
            Destination.id.in_(
                select(DestinationCorridor.destination_id).where(
                    DestinationCorridor.corridor == f.corridor
                )
            )
        )
    if f.pilot_kind is not None:
        conds.append(Destination.pilot_kind == f.pilot_kind)
    if f.prefecture is not None:
        conds.append(Destination.prefecture == f.prefecture)
    return conds


def prefecture_in_use(s: Session, prefecture: str) -> bool:
    """Whether some destination is stored with this prefecture (an index read)."""
    stmt = select(Destination.id).where(Destination.prefecture == prefecture).limit(1)
    return s.exec(stmt).first() is not None


def corridor_known(s: Session, corridor: str) -> bool:
    """Whether some destination lies on ``corridor`` or some curated route follows it."""
    on_destination = select(DestinationCorridor.destination_id).where(
        DestinationCorridor.corridor == corridor
    )
    on_route = select(Route.id).where(Route.corridor == corridor)
    return s.exec(sa.select(sa.or_(sa.exists(on_destination), sa.exists(on_route)))).one()[0]


def published_certifications(s: Session) -> set[str]:
    """Every certification some destination publishes."""
    rows = s.exec(select(Destination.certifications)).all()
    return set().union(*(set(codes or ()) for codes in rows))


def list_destinations(
    s: Session, f: DestinationFilter, *, after_id: int | None = None, limit: int | None = None
) -> list[Destination]:
    """Destinations matching ``f`` in id order, after ``after_id``, at most ``limit``."""
    stmt = select(Destination).where(*_destination_conditions(f))
    if after_id is not None:
        stmt = stmt.where(Destination.id > after_id)
    stmt = stmt.order_by(Destination.id)
    if limit is not None:
        stmt = stmt.limit(limit)
    return list(s.exec(stmt))


@dataclass(frozen=True, slots=True)
class Nearby:
    destination: Destination
    distance_km: float


def destinations_near(
    s: Session,
    f: DestinationFilter,
    lat: float,
    lon: float,
    *,
    within_km: float | None = None,
    after: tuple[float, int] | None = None,
    limit: int | None = None,
) -> list[Nearby]:
    """Destinations matching ``f`` by great-circle distance from (lat, lon), nearest first
    (ties by id), within ``within_km`` when given, after the key ``(distance_km, id)``.

    A bounding box on lat/lon narrows the rows in SQL; the exact distance is computed
    here (SQLite has no trigonometry), which is cheap for a directory of hundreds.
    """
    stmt = select(Destination).where(*_destination_conditions(f))
    if within_km is not None:
        dlat = within_km / 110.5 + 0.01
        cos_lat = max(math.cos(math.radians(min(89.0, abs(lat) + dlat))), 0.01)
        dlon = within_km / (111.32 * cos_lat) + 0.01
        stmt = stmt.where(Destination.lat.between(lat - dlat, lat + dlat))
        if dlon < 180:
            stmt = stmt.where(Destination.lon.between(lon - dlon, lon + dlon))
    rows = [Nearby(d, haversine_km(lat, lon, d.lat, d.lon)) for d in s.exec(stmt)]
    if within_km is not None:
        rows = [r for r in rows if r.distance_km <= within_km]
    rows.sort(key=lambda r: (r.distance_km, r.destination.id))
    if after is not None:
        rows = [r for r in rows if (r.distance_km, r.destination.id) > after]
    return rows[:limit] if limit is not None else rows


def destination_by_key(s: Session, key: int | str) -> Destination | None:
    """By id (an int) or slug (a str)."""
    if isinstance(key, int):
        return s.get(Destination, key)
    return s.exec(select(Destination).where(Destination.slug == key)).first()


def destinations_by_ids(s: Session, ids: Iterable[int]) -> dict[int, Destination]:
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    return {d.id: d for d in s.exec(select(Destination).where(Destination.id.in_(wanted)))}


def themes_of(s: Session, destination_ids: Iterable[int]) -> dict[int, list[str]]:
    """Each destination's themes, sorted by code."""
    out: dict[int, list[str]] = defaultdict(list)
    wanted = sorted(set(destination_ids))
    if wanted:
        stmt = (
            select(DestinationTheme.destination_id, DestinationTheme.theme)
            .where(DestinationTheme.destination_id.in_(wanted))
            .order_by(DestinationTheme.destination_id, DestinationTheme.theme)
        )
        for dest_id, theme in s.exec(stmt):
            out[dest_id].append(theme)
    return out


def corridors_of(s: Session, destination_ids: Iterable[int]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = defaultdict(list)
    wanted = sorted(set(destination_ids))
    if wanted:
        stmt = (
            select(DestinationCorridor.destination_id, DestinationCorridor.corridor)
            .where(DestinationCorridor.destination_id.in_(wanted))
            .order_by(DestinationCorridor.destination_id, DestinationCorridor.corridor)
        )
        for dest_id, corridor in s.exec(stmt):
            out[dest_id].append(corridor)
    return out


def product_counts(s: Session, destination_ids: Iterable[int]) -> dict[int, int]:
    """Active products per destination (absent = 0)."""
    wanted = sorted(set(destination_ids))
    if not wanted:
        return {}
    stmt = (
        select(Product.destination_id, sa.func.count())
        .where(Product.destination_id.in_(wanted), Product.is_active)
        .group_by(Product.destination_id)
    )
    return {dest_id: n for dest_id, n in s.exec(stmt)}


# --- products ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ProductFilter:
    """Product filters; ``needs`` filters by the destination's facts, ``rooms`` names
    the room facts that must be true (``ROOM_FACTS``)."""

    destination_id: int | None = None
    theme: str | None = None
    pilot_kind: str | None = None
    nights: int | None = None
    min_rate_fen: int | None = None
    max_rate_fen: int | None = None
    needs: DestinationFilter | None = None
    rooms: tuple[str, ...] = field(default=(), metadata={"unordered": True})


def _allows_nights(dialect: str, nights: int) -> sa.ColumnElement[bool]:
    """The product sells stays of ``nights``: one of its duration modules when it has
    any, else within [min_nights, max_nights] (``NULL`` = open)."""
    modules = Product.__table__.c.duration_modules
    if dialect == "postgresql":
        wanted = sa.bindparam("nights_module", [nights], type_=postgresql.JSONB)
        has_module = modules.op("@>")(sa.cast(wanted, postgresql.JSONB))
        no_modules = sa.func.jsonb_array_length(modules) == 0
    else:
        each = sa.func.json_each(modules).table_valued("value").alias("module")
        has_module = sa.exists(
            select(sa.literal(1)).select_from(each).where(each.c.value == nights)
        )
        no_modules = sa.func.json_array_length(modules) == 0
    in_range = sa.and_(
        sa.or_(Product.min_nights.is_(None), Product.min_nights <= nights),
        sa.or_(Product.max_nights.is_(None), Product.max_nights >= nights),
    )
    return sa.or_(has_module, sa.and_(no_modules, in_range))


def list_products(
    s: Session, f: ProductFilter, *, after_id: int | None = None, limit: int | None = None
) -> list[Product]:
    """Active products matching ``f`` in id order, after ``after_id``, at most ``limit``."""
    stmt = select(Product).where(Product.is_active)
    if f.destination_id is not None:
        stmt = stmt.where(Product.destination_id == f.destination_id)
    if f.theme is not None:
        stmt = stmt.where(Product.theme == f.theme)
    if f.pilot_kind is not None:
        stmt = stmt.where(
            Product.destination_id.in_(
                select(Destination.id).where(Destination.pilot_kind == f.pilot_kind)
            )
        )
    if f.nights is not None:
        stmt = stmt.where(_allows_nights(s.get_bind().dialect.name, f.nights))
    if f.needs is not None and f.needs.has_needs:
        stmt = stmt.where(
            Product.destination_id.in_(
                select(Destination.id).where(*_destination_conditions(f.needs))
            )
        )
    for name in f.rooms:
        stmt = stmt.where(getattr(Product, name).is_(True))
    if f.min_rate_fen is not None:
        stmt = stmt.where(Product.base_rate_fen >= f.min_rate_fen)
    if f.max_rate_fen is not None:
        stmt = stmt.where(Product.base_rate_fen <= f.max_rate_fen)
    if after_id is not None:
        stmt = stmt.where(Product.id > after_id)
    stmt = stmt.order_by(Product.id)
    if limit is not None:
        stmt = stmt.limit(limit)
    return list(s.exec(stmt))


def product_by_key(s: Session, key: int | str) -> Product | None:
    """By id (an int) or slug (a str), active or not."""
    if isinstance(key, int):
        return s.get(Product, key)
    return s.exec(select(Product).where(Product.slug == key)).first()


def packs_of(s: Session, product_ids: Iterable[int]) -> dict[int, list[AddOnPack]]:
    """The packs each product offers, ordered by kind then id."""
    out: dict[int, list[AddOnPack]] = defaultdict(list)
    wanted = sorted(set(product_ids))
    if wanted:
        stmt = (
            select(ProductPack.product_id, AddOnPack)
            .join(AddOnPack, AddOnPack.id == ProductPack.pack_id)
            .where(ProductPack.product_id.in_(wanted))
            .order_by(ProductPack.product_id, AddOnPack.kind, AddOnPack.id)
        )
        for product_id, pack in s.exec(stmt):
            out[product_id].append(pack)
    return out


def seasons_of(s: Session, product_ids: Iterable[int]) -> dict[int, list[Season]]:
    """Each product's seasons, in date order."""
    out: dict[int, list[Season]] = defaultdict(list)
    wanted = sorted(set(product_ids))
    if wanted:
        stmt = (
            select(Season)
            .where(Season.product_id.in_(wanted))
            .order_by(Season.product_id, Season.start_date)
        )
        for season in s.exec(stmt):
            out[season.product_id].append(season)
    return out


def product_slugs(s: Session, ids: Iterable[int]) -> dict[int, str]:
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    return dict(s.exec(select(Product.id, Product.slug).where(Product.id.in_(wanted))).all())


# --- availability ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NightUnits:
    night: date
    total_units: int
    taken_units: int

    @property
    def units_left(self) -> int:
        return self.total_units - self.taken_units


def inventory_nights(s: Session, product_id: int, start: date, end: date) -> dict[date, NightUnits]:
    """The inventory rows of nights ``start <= night < end`` (a primary-key range read).
    Nights without a row are absent: they are not sold."""
    stmt = (
        select(InventoryNight.night, InventoryNight.total_units, InventoryNight.taken_units)
        .where(
            InventoryNight.product_id == product_id,
            InventoryNight.night >= start,
            InventoryNight.night < end,
        )
        .order_by(InventoryNight.night)
    )
    return {night: NightUnits(night, total, taken) for night, total, taken in s.exec(stmt)}


def last_published_night(s: Session, product_id: int) -> date | None:
    """The last night with units published for the product (an index read), or None."""
    stmt = select(sa.func.max(InventoryNight.night)).where(
        InventoryNight.product_id == product_id, InventoryNight.total_units > 0
    )
    return s.exec(stmt).one()


@dataclass(frozen=True, slots=True)
class ProductUnitsLeft:
    product: Product
    min_units_left: int


def availability_by_theme(
    s: Session,
    theme: str,
    start: date,
    end: date,
    *,
    min_units: int | None = None,
    after_id: int | None = None,
    limit: int | None = None,
) -> list[ProductUnitsLeft]:
    """For each active product of ``theme`` (id order, after ``after_id``): the fewest
    units left on any night of ``[start, end)``, a night without an inventory row
    counting as 0. One ``GROUP BY`` query; ``min_units`` keeps only products with at
    least that many units left on every night."""
    nights = (end - start).days
    inv = InventoryNight.__table__.c
    left = sa.case(
        (sa.func.count(inv.night) < nights, 0),
        else_=sa.func.coalesce(sa.func.min(inv.total_units - inv.taken_units), 0),
    )
    stmt = (
        select(Product, left.label("min_units_left"))
        .outerjoin(
            InventoryNight.__table__,
            sa.and_(inv.product_id == Product.id, inv.night >= start, inv.night < end),
        )
        .where(Product.theme == theme, Product.is_active)
        .group_by(Product.id)
    )
    if min_units is not None:
        stmt = stmt.having(left >= min_units)
    if after_id is not None:
        stmt = stmt.where(Product.id > after_id)
    stmt = stmt.order_by(Product.id)
    if limit is not None:
        stmt = stmt.limit(limit)
    return [ProductUnitsLeft(p, int(n)) for p, n in s.exec(stmt)]


def in_ids(dialect: str, column, ids: Iterable[int]) -> sa.ColumnElement[bool]:
    """``column IN ids``; on PostgreSQL as one array parameter (``= ANY``): thousands of
    separate parameters (a province's candidates) cost the driver more than the query."""
    wanted = sorted(set(ids))
    if dialect == "postgresql":
        return column == sa.any_(sa.bindparam(None, wanted, type_=postgresql.ARRAY(sa.Integer)))
    return column.in_(wanted)


# --- room facts and curated routes ----------------------------------------------------

ROOM_FACTS = ("step_free", "lift", "grab_bars", "twin_beds", "accessible_bathroom")


def room_facts(conn: sa.Connection, product_ids: Iterable[int]) -> dict[int, dict[str, bool]]:
    """Each product's accessibility facts, by product id."""
    wanted = sorted(set(product_ids))
    if not wanted:
        return {}
    t = Product.__table__.c
    stmt = sa.select(t.id, *(t[name] for name in ROOM_FACTS)).where(
        in_ids(conn.dialect.name, t.id, wanted)
    )
    return {
        row[0]: dict(zip(ROOM_FACTS, map(bool, row[1:]), strict=True)) for row in conn.execute(stmt)
    }


@dataclass(frozen=True, slots=True)
class RouteWithStops:
    route: Route
    stops: tuple[RouteStop, ...]


def list_routes(
    s: Session, *, after_id: int | None = None, limit: int | None = None
) -> list[RouteWithStops]:
    """Routes in id order with their stops in order (one query for the stops)."""
    stmt = select(Route)
    if after_id is not None:
        stmt = stmt.where(Route.id > after_id)
    stmt = stmt.order_by(Route.id)
    if limit is not None:
        stmt = stmt.limit(limit)
    routes = list(s.exec(stmt))
    stops: dict[int, list[RouteStop]] = defaultdict(list)
    if routes:
        for stop in s.exec(
            select(RouteStop)
            .where(RouteStop.route_id.in_([r.id for r in routes]))
            .order_by(RouteStop.route_id, RouteStop.seq)
        ):
            stops[stop.route_id].append(stop)
    return [RouteWithStops(r, tuple(stops[r.id])) for r in routes]


def route_by_key(s: Session | sa.Connection, key: int | str) -> RouteWithStops | None:
    """By id (an int, or a string of digits) or slug; on a session or a connection."""
    r = Route.__table__.c
    if isinstance(key, str) and key.isascii() and key.isdigit() and len(key) < 10:
        key = int(key)
    cond = r.id == key if isinstance(key, int) else r.slug == key
    conn = s.connection() if isinstance(s, Session) else s
    row = conn.execute(sa.select(Route.__table__).where(cond)).first()
    if row is None:
        return None
    rs = RouteStop.__table__.c
    stops = conn.execute(
        sa.select(RouteStop.__table__).where(rs.route_id == row.id).order_by(rs.seq)
    ).all()
    return RouteWithStops(
        Route(**row._mapping), tuple(RouteStop(**stop._mapping) for stop in stops)
    )


# --- transit lines and stub issuers ------------------------------------------------


def list_transit_lines(
    s: Session, *, after_id: int | None = None, limit: int | None = None
) -> list[TransitLine]:
    """Active lines in id order."""
    stmt = select(TransitLine).where(TransitLine.is_active)
    if after_id is not None:
        stmt = stmt.where(TransitLine.id > after_id)
    stmt = stmt.order_by(TransitLine.id)
    if limit is not None:
        stmt = stmt.limit(limit)
    return list(s.exec(stmt))


def stops_of(s: Session, line_ids: Iterable[int]) -> dict[int, list[tuple[int, Destination]]]:
    """Each line's stops in order, as (seq, destination)."""
    out: dict[int, list[tuple[int, Destination]]] = defaultdict(list)
    wanted = sorted(set(line_ids))
    if wanted:
        stmt = (
            select(TransitStop.line_id, TransitStop.seq, Destination)
            .join(Destination, Destination.id == TransitStop.destination_id)
            .where(TransitStop.line_id.in_(wanted))
            .order_by(TransitStop.line_id, TransitStop.seq)
        )
        for line_id, seq, dest in s.exec(stmt):
            out[line_id].append((seq, dest))
    return out


def lines_by_ids(s: Session, ids: Iterable[int]) -> dict[int, TransitLine]:
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    return {x.id: x for x in s.exec(select(TransitLine).where(TransitLine.id.in_(wanted)))}


def issuers_by_ids(s: Session, ids: Iterable[int]) -> dict[int, StubIssuer]:
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    return {x.id: x for x in s.exec(select(StubIssuer).where(StubIssuer.id.in_(wanted)))}


# --- published discount rules ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PublishedRule:
    rule: DiscountRule
    terms: DiscountRuleVersion


def published_rules(
    s: Session,
    *,
    kinds: Sequence[str] | None = None,
    after_id: int | None = None,
    limit: int | None = None,
) -> list[PublishedRule]:
    """The current version of every active rule (of ``kinds`` when given), by rule id."""
    stmt = (
        select(DiscountRule, DiscountRuleVersion)
        .join(
            DiscountRuleVersion,
            sa.and_(
                DiscountRuleVersion.rule_id == DiscountRule.id,
                DiscountRuleVersion.version == DiscountRule.current_version,
            ),
        )
        .where(DiscountRule.is_active)
    )
    if kinds:
        stmt = stmt.where(DiscountRule.kind.in_(list(kinds)))
    if after_id is not None:
        stmt = stmt.where(DiscountRule.id > after_id)
    stmt = stmt.order_by(DiscountRule.id)
    if limit is not None:
        stmt = stmt.limit(limit)
    return [PublishedRule(rule, terms) for rule, terms in s.exec(stmt)]
