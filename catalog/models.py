"""Catalogue tables. The schema is made only by Alembic (``migrations/``).

Enumerations live in :mod:`catalog.vocab`; money is integer fen (``*_fen``),
percentages basis points (``*_bps``), dates are Asia/Shanghai local dates.
"""

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from catalog.base import UTCDateTime, json_column


class Destination(SQLModel, table=True):
    """A pilot unit (试点单位) of one of the six kinds, with what sojourn guests ask about."""

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=80, unique=True, index=True)
    name_zh: str = Field(max_length=120)
    name_en: str = Field(max_length=160)
    description_zh: str = Field(default="", sa_type=sa.Text)
    description_en: str = Field(default="", sa_type=sa.Text)
    pilot_kind: str = Field(max_length=20, index=True)
    prefecture: str = Field(max_length=40, index=True)
    lat: float
    lon: float
    nearest_hospital_km: float = 0.0
    medical_insurance_station: bool = False
    cross_province_settlement: bool = False
    elder_friendly_rooms: bool = False
    has_5g: bool = False
    certifications: list[str] = Field(default_factory=list, sa_column=json_column())
    directory_status: str = Field(default="mature", max_length=10)
    # The pilot unit's stage (catalog.vocab.PilotStatus): reserve, pilot or mature.
    pilot_status: str = Field(
        default="pilot", max_length=10, sa_column_kwargs={"server_default": "pilot"}
    )
    is_real_place: bool = True


class DestinationTheme(SQLModel, table=True):
    __tablename__ = "destination_theme"

    destination_id: int = Field(foreign_key="destination.id", primary_key=True, ondelete="CASCADE")
    theme: str = Field(max_length=20, primary_key=True, index=True)


class DestinationCorridor(SQLModel, table=True):
    __tablename__ = "destination_corridor"

    destination_id: int = Field(foreign_key="destination.id", primary_key=True, ondelete="CASCADE")
    corridor: str = Field(max_length=40, primary_key=True, index=True)


class Product(SQLModel, table=True):
    """A modular stay product (模块化旅居康养产品) sold at one destination."""

    __table_args__ = (
        sa.CheckConstraint(
            "base_occupancy >= 1 AND max_occupancy >= base_occupancy", name="occupancy"
        ),
        sa.CheckConstraint("base_rate_fen >= 0 AND extra_guest_fee_fen >= 0", name="money"),
        sa.CheckConstraint("max_discount_bps BETWEEN 0 AND 10000", name="max_discount_bps"),
        sa.Index("ix_product_theme_rate", "theme", "base_rate_fen"),
    )

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=120, unique=True, index=True)
    destination_id: int = Field(foreign_key="destination.id", index=True)
    theme: str = Field(max_length=20, index=True)
    name_zh: str = Field(max_length=160)
    name_en: str = Field(max_length=200)
    description_zh: str = Field(default="", sa_type=sa.Text)
    description_en: str = Field(default="", sa_type=sa.Text)
    unit_type: str = Field(max_length=30)
    base_occupancy: int
    max_occupancy: int
    # Beds (床位) in one unit: the province counts beds, elder-care institutions above all.
    beds_per_unit: int = Field(default=2, sa_column_kwargs={"server_default": "2"})
    min_nights: int | None = None
    max_nights: int | None = None
    duration_modules: list[int] = Field(default_factory=list, sa_column=json_column())
    base_rate_fen: int
    # The filed list price (备案价) of a night outside every season: no rate or override
    # may exceed it. ``None``: nothing filed, the published base rate is the ceiling.
    filed_rate_fen: int | None = None
    extra_guest_fee_fen: int = 0
    max_discount_bps: int = 3000
    refund_policy: list[dict] = Field(default_factory=list, sa_column=json_column())
    sold_from: date | None = None
    sold_until: date | None = None
    is_active: bool = True
    # Accessibility facts of the rooms (false unless published).
    step_free: bool = False
    lift: bool = False
    grab_bars: bool = False
    twin_beds: bool = False
    accessible_bathroom: bool = False


class Season(SQLModel, table=True):
    """A dated rate window [start_date, end_date) of one product; windows never overlap."""

    __table_args__ = (sa.CheckConstraint("start_date < end_date", name="window"),)

    id: int | None = Field(default=None, primary_key=True)
    product_id: int = Field(foreign_key="product.id", index=True, ondelete="CASCADE")
    name_zh: str = Field(default="", max_length=80)
    name_en: str = Field(default="", max_length=120)
    start_date: date
    end_date: date
    nightly_rate_fen: int
    # The filed list price (备案价) of the season's nights (``None``: the season's rate).
    filed_rate_fen: int | None = None


class AddOnPack(SQLModel, table=True):
    """A value-added pack (增值包): therapy, dining or culture."""

    __tablename__ = "add_on_pack"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=80, unique=True, index=True)
    destination_id: int = Field(foreign_key="destination.id", index=True)
    kind: str = Field(max_length=20)
    name_zh: str = Field(max_length=120)
    name_en: str = Field(max_length=160)
    description_zh: str = Field(default="", sa_type=sa.Text)
    description_en: str = Field(default="", sa_type=sa.Text)
    price_fen: int
    basis: str = Field(max_length=20)


class ProductPack(SQLModel, table=True):
    __tablename__ = "product_pack"

    product_id: int = Field(foreign_key="product.id", primary_key=True, ondelete="CASCADE")
    pack_id: int = Field(foreign_key="add_on_pack.id", primary_key=True, index=True)


class InventoryNight(SQLModel, table=True):
    """One cell of the inventory and rate calendar: units of one product for one night,
    with the night's rate override and the restrictions operators set on it.

    ``taken_units`` counts held and sold units. The primary key (product_id, night)
    serves date-range reads and is the row a booking locks; the check constraint makes
    overselling impossible even if a code path forgot the lock.

    Restrictions (the ones OTAs expect), all optional: ``stop_sell`` (not sold at all);
    ``min_stay_arrival`` / ``max_stay`` (a stay *arriving* this night has at least / at
    most so many nights); ``min_stay_through`` (every stay that includes this night
    has at least so many nights); ``closed_to_arrival`` (no stay checks in on this
    date); ``closed_to_departure`` (no stay checks out on this date).
    ``rate_override_fen`` replaces the season's nightly rate for this night (never above
    the filed price). A change to any of these bumps ``catalogue_version`` (triggers).
    """

    __tablename__ = "inventory_night"
    __table_args__ = (
        sa.CheckConstraint("taken_units >= 0 AND taken_units <= total_units", name="units"),
        sa.CheckConstraint(
            "rate_override_fen IS NULL OR rate_override_fen >= 0", name="rate_override"
        ),
        sa.CheckConstraint(
            "(min_stay_arrival IS NULL OR min_stay_arrival >= 1)"
            " AND (min_stay_through IS NULL OR min_stay_through >= 1)"
            " AND (max_stay IS NULL OR max_stay >= 1)",
            name="stays",
        ),
        # The province's reports read the nights on sale by date (service.reports).
        sa.Index("ix_inventory_night_night", "night"),
    )

    product_id: int = Field(foreign_key="product.id", primary_key=True, ondelete="CASCADE")
    night: date = Field(primary_key=True)
    total_units: int
    taken_units: int = 0
    rate_override_fen: int | None = None
    stop_sell: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})
    min_stay_arrival: int | None = None
    min_stay_through: int | None = None
    max_stay: int | None = None
    closed_to_arrival: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})
    closed_to_departure: bool = Field(
        default=False, sa_column_kwargs={"server_default": sa.false()}
    )


class RateChange(SQLModel, table=True):
    """The public history of nightly rates (明码标价): one row per run of consecutive
    nights of one product whose effective rate changed from ``old_rate_fen`` to
    ``new_rate_fen`` at ``changed_at`` (nights ``first_night`` to ``last_night``,
    inclusive). Who changed it is in the audit log, not here."""

    __tablename__ = "rate_change"
    __table_args__ = (sa.Index("ix_rate_change_product_id_id", "product_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    product_id: int = Field(foreign_key="product.id", ondelete="CASCADE")
    first_night: date
    last_night: date
    old_rate_fen: int
    new_rate_fen: int
    source: str = Field(max_length=20)  # override | override_cleared
    changed_at: datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))


class TransitLine(SQLModel, table=True):
    __tablename__ = "transit_line"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=20, unique=True, index=True)
    name_zh: str = Field(max_length=120)
    name_en: str = Field(max_length=160)
    fare_fen: int
    is_active: bool = True


class TransitStop(SQLModel, table=True):
    __tablename__ = "transit_stop"

    line_id: int = Field(foreign_key="transit_line.id", primary_key=True, ondelete="CASCADE")
    seq: int = Field(primary_key=True)
    destination_id: int = Field(foreign_key="destination.id", index=True)


class StubIssuer(SQLModel, table=True):
    """Who issues ticket stubs (票根): a scenic area, a resort or a transit line."""

    __tablename__ = "stub_issuer"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=40, unique=True, index=True)
    kind: str = Field(max_length=20)
    name_zh: str = Field(max_length=120)
    name_en: str = Field(max_length=160)
    destination_id: int | None = Field(default=None, foreign_key="destination.id")
    transit_line_id: int | None = Field(default=None, foreign_key="transit_line.id")


class TicketStub(SQLModel, table=True):
    """The register of issued stubs. ``used_by_booking_id`` is set by a confirmed booking."""

    __tablename__ = "ticket_stub"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=40, unique=True, index=True)
    issuer_id: int = Field(foreign_key="stub_issuer.id", index=True)
    visit_date: date
    persons: int
    used_by_booking_id: int | None = Field(default=None, index=True)


class DiscountRule(SQLModel, table=True):
    """A discount rule's identity; its terms live in versions (edits add a version)."""

    __tablename__ = "discount_rule"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=80, unique=True, index=True)
    kind: str = Field(max_length=20, index=True)
    current_version: int = 1
    is_active: bool = True


class DiscountRuleVersion(SQLModel, table=True):
    """One immutable version of a rule's terms (docs/pricing.md, "Discounts").

    Quotes record (rule_id, version); re-pricing with those versions reproduces them.
    Empty scope lists mean "all". Windows are inclusive, ``None`` is open.
    """

    __tablename__ = "discount_rule_version"

    rule_id: int = Field(foreign_key="discount_rule.id", primary_key=True, ondelete="CASCADE")
    version: int = Field(primary_key=True)
    kind: str = Field(max_length=20)
    name_zh: str = Field(max_length=120)
    name_en: str = Field(max_length=160)
    description_zh: str = Field(default="", sa_type=sa.Text)
    description_en: str = Field(default="", sa_type=sa.Text)
    destination_ids: list[int] = Field(default_factory=list, sa_column=json_column())
    themes: list[str] = Field(default_factory=list, sa_column=json_column())
    product_ids: list[int] = Field(default_factory=list, sa_column=json_column())
    channels: list[str] = Field(default_factory=list, sa_column=json_column())
    booking_from: date | None = None
    booking_to: date | None = None
    check_in_from: date | None = None
    check_in_to: date | None = None
    tiers: list[dict] = Field(default_factory=list, sa_column=json_column())
    bps: int = 0
    min_destinations: int = 0
    min_packs: int = 0
    issuer_id: int | None = Field(default=None, foreign_key="stub_issuer.id")
    transit_line_ids: list[int] = Field(default_factory=list, sa_column=json_column())
    pack_kinds: list[str] = Field(default_factory=list, sa_column=json_column())
    valid_days: int = 0
    created_at: datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))
    # Who made this version (an operator's login; None: the demo loader or a script).
    created_by: str | None = Field(default=None, max_length=80)


class Route(SQLModel, table=True):
    """A curated multi-destination route (精品线路): destinations in order (``RouteStop``)."""

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=80, unique=True, index=True)
    name_zh: str = Field(max_length=120)
    name_en: str = Field(max_length=160)
    description_zh: str = Field(default="", sa_type=sa.Text)
    description_en: str = Field(default="", sa_type=sa.Text)
    corridor: str | None = Field(default=None, max_length=40)


class RouteStop(SQLModel, table=True):
    __tablename__ = "route_stop"
    __table_args__ = (sa.CheckConstraint("suggested_nights >= 1", name="suggested_nights"),)

    route_id: int = Field(foreign_key="route.id", primary_key=True, ondelete="CASCADE")
    seq: int = Field(primary_key=True)
    destination_id: int = Field(foreign_key="destination.id", index=True)
    suggested_nights: int


class CatalogueVersion(SQLModel, table=True):
    """One row (id 1) whose ``version`` changes with every write to the pricing terms.

    Bumped by database triggers (migration 0005) on ``product``, ``season``,
    ``add_on_pack``, ``product_pack``, ``transit_line``, ``discount_rule`` and
    ``discount_rule_version``, inside the writer's transaction: quote workers cache
    catalogue terms keyed by it (``service.quotes.cache``). Never written by our code.
    """

    __tablename__ = "catalogue_version"
    __table_args__ = (sa.CheckConstraint("id = 1", name="one_row"),)

    id: int = Field(default=1, primary_key=True)
    version: int = Field(sa_type=sa.BigInteger)
