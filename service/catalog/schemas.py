"""Response models of the public catalogue API (separate from the tables).

Text is localized by ``Accept-Language``: ``name`` / ``description`` are in the chosen
language; ``name_zh`` / ``name_en`` are both given where a client may want both.
Money is integer fen, percentages basis points, dates Asia/Shanghai local dates.
"""

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from catalog.vocab import Channel, PilotKind, RuleKind, Theme, UnitType
from service.catalog import examples as ex


def _examples(*examples: dict) -> ConfigDict:
    return ConfigDict(json_schema_extra={"examples": list(examples)})


# --- destinations ------------------------------------------------------------------


class DestinationRef(BaseModel):
    """A destination named inside another resource."""

    id: int
    slug: str
    name: str
    pilot_kind: PilotKind
    prefecture: str = Field(description="Prefecture (its Chinese name, the filter value)")
    prefecture_name: str = Field(description="The prefecture's name in the chosen language")


class DestinationSummary(BaseModel):
    model_config = _examples(ex.DEST_EXAMPLE)

    id: int
    slug: str
    name: str
    name_zh: str
    name_en: str
    pilot_kind: PilotKind
    pilot_kind_name: str
    prefecture: str = Field(description="Prefecture (its Chinese name, the filter value)")
    prefecture_name: str = Field(description="The prefecture's name in the chosen language")
    lat: float
    lon: float
    themes: list[Theme] = Field(description="Theme codes, sorted")
    theme_names: list[str] = Field(description="The themes' names, in the same order")
    corridors: list[str]
    directory_status: str = Field(description="`mature` or `reserve` (资源名录)")
    product_count: int = Field(description="Products on sale here")
    nearest_hospital_km: float = Field(
        description="Distance to the nearest hospital (km), as `facilities` has it: what "
        "`hospital_within_km` filters by"
    )
    distance_km: float | None = Field(
        default=None, description="Great-circle distance from `near`, when it was given"
    )


class Facilities(BaseModel):
    """What sojourn guests ask about: medical access, elder-friendly rooms, network."""

    nearest_hospital_km: float
    medical_insurance_station: bool
    cross_province_settlement: bool = Field(description="异地就医直接结算")
    elder_friendly_rooms: bool = Field(description="适老化")
    has_5g: bool


class DestinationDetail(DestinationSummary):
    model_config = _examples(
        {
            **ex.DEST_EXAMPLE,
            "description": "长白山北坡，森林疗愈与温泉。",
            "facilities": ex.FACILITIES_EXAMPLE,
            "certifications": ["national_5a_scenic"],
            "certification_names": ["国家5A级旅游景区"],
            "is_real_place": True,
        }
    )

    description: str
    facilities: Facilities
    certifications: list[str] = Field(description="Certification codes")
    certification_names: list[str] = Field(
        description="The certifications' names in the chosen language, in the same order"
    )
    is_real_place: bool


class DestinationPage(BaseModel):
    model_config = _examples({"items": [ex.DEST_EXAMPLE], "next": "WzFd"})

    items: list[DestinationSummary]
    next: str | None = Field(
        description="Pass back as `cursor` for the next page; null on the last page"
    )


# --- products ----------------------------------------------------------------------


class Durations(BaseModel):
    """Stays allowed: one of ``modules`` when non-empty, else ``min_nights..max_nights``
    (null = open)."""

    min_nights: int | None
    max_nights: int | None
    modules: list[int]


class Accessibility(BaseModel):
    """Published facts of the product's rooms (false unless published)."""

    step_free: bool = Field(description="Step-free access to the room (无障碍通行)")
    lift: bool
    grab_bars: bool
    twin_beds: bool
    accessible_bathroom: bool = Field(description="Wheelchair-accessible bathroom")


class ProductSummary(BaseModel):
    model_config = _examples(ex.PRODUCT_EXAMPLE)

    id: int
    slug: str
    name: str
    name_zh: str
    name_en: str
    theme: Theme
    theme_name: str
    unit_type: UnitType
    unit_type_name: str = Field(description="The unit type's name in the chosen language")
    base_occupancy: int = Field(description="Guests per unit included in the rate")
    max_occupancy: int = Field(description="Guests per unit at most")
    base_rate_fen: int = Field(description="Nightly rate outside seasons, per unit")
    extra_guest_fee_fen: int = Field(description="Per extra guest per night")
    durations: Durations
    accessibility: Accessibility
    destination: DestinationRef


class PackOut(BaseModel):
    """An add-on pack (增值包); its amount is ``price_fen`` times the basis multiplier."""

    id: int
    code: str
    kind: str = Field(description="`therapy`, `dining` or `culture`")
    name: str
    description: str
    price_fen: int
    basis: str = Field(
        description="`per_stay`, `per_guest`, `per_night`, `per_guest_night` or `per_week`"
    )


class SeasonOut(BaseModel):
    """A dated rate window: nights ``start_date <= d < end_date`` cost
    ``nightly_rate_fen``."""

    name: str
    start_date: date
    end_date: date
    nightly_rate_fen: int


class RefundTier(BaseModel):
    """Cancelling at least ``min_days_before_check_in`` days ahead refunds ``refund_bps``."""

    min_days_before_check_in: int
    refund_bps: int


class ProductDetail(ProductSummary):
    model_config = _examples(
        {
            **ex.PRODUCT_EXAMPLE,
            "description": "原始森林中的木屋，含森林浴导览。",
            "max_discount_bps": 3000,
            "sold_from": "2027-01-01",
            "sold_until": "2027-12-31",
            "is_active": True,
            "packs": [
                {
                    "id": 3,
                    "code": "changbai-therapy",
                    "kind": "therapy",
                    "name": "康养理疗增值包",
                    "description": "",
                    "price_fen": 60000,
                    "basis": "per_week",
                }
            ],
            "seasons": [
                {
                    "name": "夏季旺季",
                    "start_date": "2027-07-01",
                    "end_date": "2027-09-01",
                    "nightly_rate_fen": 48000,
                }
            ],
            "refund_policy": ex.REFUND_POLICY_EXAMPLE,
        }
    )

    description: str
    max_discount_bps: int = Field(description="Cap on the accommodation discounts")
    sold_from: date | None = Field(description="First night on sale (null = open)")
    sold_until: date | None = Field(description="Last night on sale (null = open)")
    is_active: bool
    packs: list[PackOut]
    seasons: list[SeasonOut]
    refund_policy: list[RefundTier] = Field(description="Highest tier first")


class ProductPage(BaseModel):
    model_config = _examples({"items": [ex.PRODUCT_EXAMPLE], "next": None})

    items: list[ProductSummary]
    next: str | None


# --- availability ------------------------------------------------------------------


class NightAvailability(BaseModel):
    night: date
    total_units: int
    units_left: int
    on_sale: bool = Field(description="False when the night has no inventory (0 left)")


class AvailabilityCalendar(BaseModel):
    model_config = _examples(
        {
            "product_id": 7,
            "product_slug": "changbai-forest-cabin",
            "from": "2027-07-01",
            "to": "2027-07-03",
            "nights": [
                {"night": "2027-07-01", "total_units": 5, "units_left": 2, "on_sale": True},
                {"night": "2027-07-02", "total_units": 0, "units_left": 0, "on_sale": False},
            ],
        }
    )

    product_id: int
    product_slug: str
    date_from: date = Field(serialization_alias="from", description="First night (inclusive)")
    date_to: date = Field(
        serialization_alias="to", description="Night after the last one (exclusive)"
    )
    nights: list[NightAvailability] = Field(description="One entry per night of [from, to)")


AvailabilityReason = Literal[
    "check_in_in_past",
    "product_retired",
    "not_on_sale",
    "duration_not_allowed",
    "closed_to_arrival",
    "closed_to_departure",
    "min_stay",
    "max_stay",
    "too_many_units",
    "sold_out",
]


class AvailabilityCheck(BaseModel):
    model_config = _examples(
        {
            "product_id": 7,
            "check_in": "2027-07-01",
            "check_out": "2027-07-15",
            "units": 1,
            "nights": 14,
            "bookable": True,
            "reason": None,
            "sold_out_night": None,
            "min_units_left": 3,
        },
        {
            "product_id": 7,
            "check_in": "2027-07-01",
            "check_out": "2027-07-15",
            "units": 2,
            "nights": 14,
            "bookable": False,
            "reason": "sold_out",
            "sold_out_night": "2027-07-04",
            "min_units_left": 1,
        },
    )

    product_id: int
    check_in: date
    check_out: date
    units: int
    nights: int
    bookable: bool
    reason: AvailabilityReason | None = Field(
        description="Why not bookable, the first of: `check_in_in_past`, `product_retired` "
        "(its operator retired the product: no dates of it are sold), `not_on_sale` "
        "(a night outside its sale dates, without published inventory or "
        "stopped), `duration_not_allowed`, `closed_to_arrival`, `closed_to_departure`, "
        "`min_stay`, `max_stay` (restrictions of the arrival/departure day), "
        "`too_many_units` (more `units` than the product has in all on a night, taken or "
        "not: never bookable, whatever is released or whenever asked; POST /v1/quotes "
        "refuses it with 422 `too_many_units`), `sold_out` (fewer left than `units`)"
    )
    sold_out_night: date | None = Field(
        description="With `sold_out`: the first night with fewer than `units` left"
    )
    not_on_sale_night: date | None = Field(
        default=None, description="With `not_on_sale`: the first night not on sale"
    )
    too_many_units_night: date | None = Field(
        default=None,
        description="With `too_many_units`: the first night with fewer than `units` in all "
        "(the quote's problem's `night`)",
    )
    limit: int | None = Field(
        default=None,
        description="With `too_many_units`: the most units a stay of these dates can ever "
        "book, the fewest any of its nights has in all (the quote's problem's `limit`)",
    )
    min_units_left: int = Field(description="Fewest units left on any night of the stay")


class StayCheck(AvailabilityCheck):
    """A stay of several booked together, checked (``availability.check_stays``, the quote
    pages' check; no API operation answers it): ``together`` when it is ``sold_out`` on
    a night the stays before it of its product need units too
    (``catalog.inventory.Short.earlier``): that night has too few left for them
    together, though it need not be sold out alone."""

    together: bool = False


class ThemeAvailabilityItem(BaseModel):
    product: ProductSummary
    min_units_left: int = Field(description="Fewest units left on any night of [from, to)")
    bookable: bool = Field(
        description="The stay [from, to) can be booked with `units`: the same check as "
        "`/v1/products/{id}/availability/check` (a check-in before today, sale dates, "
        "inventory, allowed stay length, restrictions, units)"
    )
    reason: AvailabilityReason | None = Field(
        default=None,
        description="Why not bookable: the per-product check's reason for the same stay "
        "(`check_in_in_past` when `from` is before today, Asia/Shanghai)",
    )


class ThemeAvailabilityPage(BaseModel):
    model_config = _examples(
        {
            "items": [
                {
                    "product": ex.PRODUCT_EXAMPLE,
                    "min_units_left": 3,
                    "bookable": True,
                    "reason": None,
                }
            ],
            "next": None,
        }
    )

    items: list[ThemeAvailabilityItem]
    next: str | None


# --- the resource map (GeoJSON, RFC 7946) ------------------------------------------


class PointGeometry(BaseModel):
    type: Literal["Point"] = "Point"
    coordinates: list[float] = Field(
        min_length=2, max_length=2, description="[longitude, latitude] (RFC 7946)"
    )


class MapProperties(BaseModel):
    id: int
    slug: str
    name: str
    pilot_kind: PilotKind
    themes: list[Theme]
    product_count: int
    directory_status: str


class MapFeature(BaseModel):
    type: Literal["Feature"] = "Feature"
    id: int
    geometry: PointGeometry
    properties: MapProperties


class FeatureCollection(BaseModel):
    model_config = _examples(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "id": 1,
                    "geometry": {"type": "Point", "coordinates": [128.11, 42.4]},
                    "properties": {
                        "id": 1,
                        "slug": "changbaishan-north",
                        "name": "长白山北景区·二道白河",
                        "pilot_kind": "resort",
                        "themes": ["forest_healing", "hot_spring"],
                        "product_count": 4,
                        "directory_status": "mature",
                    },
                }
            ],
        }
    )

    type: Literal["FeatureCollection"] = "FeatureCollection"
    features: list[MapFeature]


# --- transit and ticket stubs ------------------------------------------------------


class TransitStopOut(BaseModel):
    seq: int
    destination_id: int
    destination_slug: str
    destination_name: str


class TransitLineOut(BaseModel):
    model_config = _examples(ex.LINE_EXAMPLE)

    id: int
    code: str
    name: str
    name_zh: str
    name_en: str
    fare_fen: int = Field(description="Per rider")
    stops: list[TransitStopOut] = Field(description="In travel order")


class TransitLinePage(BaseModel):
    model_config = _examples({"items": [ex.LINE_EXAMPLE], "next": None})

    items: list[TransitLineOut]
    next: str | None


class LineRef(BaseModel):
    id: int
    code: str
    name: str


class IssuerOut(BaseModel):
    """Who issues the stub: a scenic area or resort (a destination) or a transit line."""

    id: int
    code: str
    kind: str
    name: str
    destination: DestinationRef | None
    transit_line: LineRef | None


class StubDealOut(BaseModel):
    model_config = _examples(ex.STUB_DEAL_EXAMPLE)

    rule_id: int
    key: str
    version: int
    name: str
    description: str
    issuer: IssuerOut | None
    transit_lines: list[LineRef] = Field(description="Lines whose fares it discounts")
    pack_kinds: list[str] = Field(description="Pack kinds whose lines it discounts")
    bps: int
    valid_days: int = Field(description="Days after the visit date the stub stays valid")
    channels: list[Channel] = Field(description="Sales channels; empty = all")
    booking_from: date | None = Field(description="First booking date (inclusive); null = open")
    booking_to: date | None = Field(description="Last booking date (inclusive); null = open")


class StubDealPage(BaseModel):
    model_config = _examples({"items": [ex.STUB_DEAL_EXAMPLE], "next": None})

    items: list[StubDealOut]
    next: str | None


class RuleTier(BaseModel):
    """``threshold`` is min nights (long_stay) or min days ahead (advance_booking)."""

    threshold: int
    bps: int


class RuleScope(BaseModel):
    """Empty lists mean all."""

    destinations: list[str] = Field(description="Destination slugs")
    themes: list[str]
    products: list[str] = Field(description="Product slugs")


class DiscountRuleOut(BaseModel):
    """A published rule (明码标价): its current version's terms."""

    model_config = _examples(ex.RULE_EXAMPLE)

    id: int
    key: str
    kind: RuleKind
    kind_name: str
    version: int
    name: str
    name_zh: str
    name_en: str
    description: str
    tiers: list[RuleTier] = Field(description="long_stay / advance_booking: lowest first")
    bps: int = Field(description="trip_bundle, pack_bundle, ticket_stub")
    min_destinations: int = Field(description="trip_bundle")
    min_packs: int = Field(description="pack_bundle")
    scope: RuleScope
    channels: list[Channel] = Field(description="Sales channels; empty = all")
    booking_from: date | None = Field(description="Booking dates, inclusive; null = open")
    booking_to: date | None = Field(description="Last booking date (inclusive); null = open")
    check_in_from: date | None = Field(description="Check-in dates, inclusive; null = open")
    check_in_to: date | None = Field(description="Last check-in date (inclusive); null = open")
    issuer: IssuerOut | None = Field(description="ticket_stub: who issues the stub")
    transit_lines: list[LineRef] = Field(description="ticket_stub: lines it discounts")
    pack_kinds: list[str] = Field(description="ticket_stub: pack kinds it discounts")
    valid_days: int = Field(description="ticket_stub: days after the visit")


class DiscountRulePage(BaseModel):
    model_config = _examples({"items": [ex.RULE_EXAMPLE], "next": None})

    items: list[DiscountRuleOut]
    next: str | None


# --- curated routes (精品线路) --------------------------------------------------------


class RouteStopOut(BaseModel):
    seq: int = Field(description="1, 2, ... in travel order")
    destination: DestinationRef
    suggested_nights: int


class RouteOut(BaseModel):
    model_config = _examples(
        {
            "id": 2,
            "slug": "yanbian-korean-culture",
            "name": "Yanbian Korean folk-culture corridor",
            "name_zh": "延边朝鲜族民俗文化线",
            "name_en": "Yanbian Korean folk-culture corridor",
            "description": "Yanji, Longjing and the Jindalai folk village.",
            "corridor": "changbai",
            "suggested_nights": 21,
            "stops": [
                {
                    "seq": 1,
                    "destination": {
                        "id": 8,
                        "slug": "yanji",
                        "name": "Yanji",
                        "pilot_kind": "county",
                        "prefecture": "延边朝鲜族自治州",
                        "prefecture_name": "延边朝鲜族自治州",
                    },
                    "suggested_nights": 7,
                }
            ],
        }
    )

    id: int
    slug: str
    name: str
    name_zh: str
    name_en: str
    description: str
    corridor: str | None
    suggested_nights: int = Field(description="Sum of the stops' suggested nights")
    stops: list[RouteStopOut] = Field(description="Destinations in travel order")


class RoutePage(BaseModel):
    items: list[RouteOut]
    next: str | None


# --- the price calendar ------------------------------------------------------------


class PriceDay(BaseModel):
    check_in: date
    check_out: date
    total_fen: int | None = Field(
        description="What POST /v1/quotes would total for this stay (one item, no packs, "
        "no legs, no stubs, today's rules and your channel); null when it cannot be quoted"
    )
    bookable: bool = Field(description="Every night on sale with `units` left (and allowed)")
    reason: AvailabilityReason | None = Field(
        description="Why not bookable: the availability check's reason for this stay "
        "(`too_many_units`: more `units` than the product has in all on a night, so "
        "`total_fen` is null as POST /v1/quotes refuses it)"
    )


class PriceCalendar(BaseModel):
    product_id: int
    nights: int
    guests: int
    units: int
    days: list[PriceDay] = Field(description="One entry per check-in date of [from, to)")
