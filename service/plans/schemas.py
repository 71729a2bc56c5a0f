"""Request and response models of ``POST /v1/plans``."""

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from catalog.vocab import Theme
from planner.model import MAX_UNITS
from pricing import PackKind
from service.quotes.schemas import (
    MAX_STUBS,
    QuoteIn,
    QuoteItemOut,
    QuoteLegOut,
    RuleUsedOut,
    StubCode,
    StubUseOut,
)
from service.text import IsoDate, StrictBool, StrictFloat, StrictInt, Text

Key = Annotated[Text, StringConstraints(min_length=1, max_length=200)]


class NeedsIn(BaseModel):
    """Hard constraints, each checked against published facts: of the destination
    (hospital, insurance station, cross-province settlement, elder-friendly rooms,
    certifications) and of the product's rooms (step-free access and the others)."""

    model_config = ConfigDict(extra="forbid")

    hospital_within_km: StrictFloat | None = Field(
        default=None, gt=0, le=500, description="Nearest hospital at most this far (km)"
    )
    medical_insurance_station: StrictBool = Field(default=False, description="医保服务站 on hand")
    cross_province_settlement: StrictBool = Field(
        default=False, description="异地就医直接结算: out-of-province medical bills settled"
    )
    elder_friendly_rooms: StrictBool = Field(default=False, description="适老化 rooms")
    certifications: list[Annotated[Text, StringConstraints(max_length=60)]] = Field(
        default_factory=list, max_length=10, description="Certification codes, all of them"
    )
    step_free: StrictBool = Field(default=False, description="A step-free room (无障碍通行)")
    lift: StrictBool = Field(default=False, description="A lift to the room")
    grab_bars: StrictBool = Field(default=False, description="Grab bars in the bathroom")
    twin_beds: StrictBool = Field(default=False, description="Twin beds")
    accessible_bathroom: StrictBool = Field(
        default=False, description="Wheelchair-accessible bathroom"
    )


PLAN_EXAMPLE_REQUEST: dict[str, Any] = {
    "earliest_check_in": "2027-07-01",
    "latest_check_out": "2027-08-20",
    "nights": 42,
    "max_stays": 3,
    "guests": 2,
    "themes": ["forest_healing", "hot_spring", "folk_culture", "summer_retreat"],
    "needs": {"hospital_within_km": 15, "cross_province_settlement": True},
}


class PlanIn(BaseModel):
    """What the traveller wants. Only the window and the party are required. Each field
    in its JSON type, as a quote's: a number is a JSON number, a flag `true` or `false`
    (`"10"` or `"yes"` is 422 `validation_error` naming the field)."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [PLAN_EXAMPLE_REQUEST]}
    )

    earliest_check_in: IsoDate = Field(description="First check-in on or after this day")
    latest_check_out: IsoDate = Field(description="Last check-out on or before this day")
    nights: StrictInt | None = Field(
        default=None,
        ge=1,
        le=400,
        description="Total nights (or min_nights/max_nights). None of them: fit the dates "
        "(every plan has the most nights any plan has in the window; see `fitted`), for "
        "dates at most 90 days apart (else 422 `window_too_long`)",
    )
    min_nights: StrictInt | None = Field(default=None, ge=1, le=400)
    max_nights: StrictInt | None = Field(default=None, ge=1, le=400)
    max_stays: StrictInt = Field(default=3, ge=1, le=4)
    min_nights_per_stay: StrictInt = Field(default=7, ge=1, le=400)
    guests: StrictInt = Field(ge=1, le=20)
    units: StrictInt = Field(default=1, ge=1, le=MAX_UNITS, description="Rooms or beds")
    themes: list[Theme] = Field(default_factory=list, max_length=7, description="Any of")
    include_destinations: list[Key] = Field(
        default_factory=list, max_length=4, description="Destinations (id or slug) to visit"
    )
    avoid_destinations: list[Key] = Field(default_factory=list, max_length=50)
    route: Key | None = Field(
        default=None, description="A curated route (id or slug) whose destinations to follow"
    )
    pack_kinds: list[PackKind] = Field(
        default_factory=list, max_length=3, description="Add-on pack kinds wanted in every stay"
    )
    needs: NeedsIn = Field(default_factory=NeedsIn)
    max_total_fen: StrictInt | None = Field(default=None, ge=1, le=10**10)
    sort: Literal["price", "fit"] = Field(
        default="price",
        description="`price`: the cheapest first. `fit`: the same cheapest plans, nearest "
        "to a hospital first (nights-weighted), then by price",
    )
    limit: StrictInt = Field(default=5, ge=1, le=20)
    allow_self_travel: StrictBool = Field(
        default=False,
        description="Allow a change of destination no transit line serves (said plainly, "
        "with the distance)",
    )
    stubs: list[StubCode] = Field(default_factory=list, max_length=MAX_STUBS)


class Ref(BaseModel):
    id: int
    slug: str | None = None
    name: str


class PackRef(BaseModel):
    id: int
    kind: str
    name: str


class StayOut(BaseModel):
    product: Ref
    destination: Ref
    check_in: date
    check_out: date
    nights: int
    packs: list[PackRef]
    net_fen: int = Field(description="This stay's net price in the whole quote")


class LegOut(BaseModel):
    from_destination: Ref
    to_destination: Ref
    travel_date: date
    line: Ref | None = Field(description="The transit line taken; null when none")
    riders: int
    fare_fen: int = Field(description="Gross fare for the riders (0 without a line)")
    self_travel: bool = Field(description="True when no line serves the change")
    distance_km: float
    note: str


class FitOut(BaseModel):
    need: str
    stay_index: int
    met: bool
    evidence: str


class NudgeOut(BaseModel):
    kind: Literal["longer_stay", "shift_start", "book_by"]
    text: str
    total_fen: int = Field(
        description="The total of the change: the longer or moved plan's; for `book_by`, "
        "this plan's total if booked the day after `book_by`"
    )
    difference_fen: int = Field(
        description="New total less this plan's (negative saves; for `book_by`, the rise)"
    )
    quote_request: QuoteIn | None = Field(description="The changed plan's quote (none for book_by)")
    book_by: date | None = Field(
        default=None,
        description="`book_by` only: the last day (Asia/Shanghai) to book at this plan's total; "
        "from the day after, the engine prices it at `total_fen` (a rule's booking window "
        "closes, or an advance-booking tier drops)",
    )


class PriceOut(BaseModel):
    """Exactly what ``POST /v1/quotes`` returns for ``quote_request`` (its price part)."""

    currency: Literal["CNY"] = "CNY"
    subtotal_fen: int
    discount_total_fen: int
    total_fen: int
    items: list[QuoteItemOut]
    legs: list[QuoteLegOut]
    rules_used: list[RuleUsedOut]
    stubs: list[StubUseOut]


class PlanOut(BaseModel):
    rank: int
    total_fen: int
    nights: int
    destinations: int
    stays: list[StayOut]
    legs: list[LegOut]
    quote_request: QuoteIn = Field(description="The body to POST to /v1/quotes")
    price: PriceOut
    fits: list[FitOut]
    nudges: list[NudgeOut]


class ReasonOut(BaseModel):
    code: Literal["needs", "party_too_large", "availability", "shape", "budget"] = Field(
        description="needs: no product meets the themes, destinations, needs and packs; "
        "party_too_large: some do, but none holds the guests in the units asked, or those "
        "that do give no plan and more units give plans (the text names the most guests a "
        "room of those the party keeps out holds; see the relaxations for more units or "
        "fewer guests); availability: none has a stay on sale in the window; shape: no "
        "sequence of stays fits the nights, stays and lines; budget: every plan costs "
        "more than max_total_fen"
    )
    text: str
    last_night_on_sale: date | None = Field(
        default=None,
        description="availability only: when the window starts after the last night on "
        "sale of every product that meets the request, that night (the latest of theirs; "
        "the text says it); null otherwise",
    )


class RelaxationOut(BaseModel):
    change: dict[str, Any] = Field(
        description="A JSON merge patch (RFC 7386) of this request's body: merged into it "
        "(`null` removes a field), POST /v1/plans answers with plans, the cheapest at "
        '`cheapest_total_fen`. E.g. `{"max_total_fen": null}`, `{"nights": null, '
        '"min_nights": 7, "max_nights": 28}`'
    )
    text: str
    cheapest_total_fen: int


class SearchOut(BaseModel):
    candidates: int = Field(description="Products that meet the request before dates")
    sequences_evaluated: int
    engine_quotes: int


class FittedOut(BaseModel):
    nights: int = Field(description="Every plan's nights in all")
    window_nights: int = Field(description="The nights from earliest_check_in to latest_check_out")
    text: str = Field(description="Says the length chosen, and why when short of the window")


class PlansOut(BaseModel):
    plans: list[PlanOut]
    fitted: FittedOut | None = Field(
        default=None,
        description="When the request gave no length (nights, min_nights, max_nights): the "
        "plans fit the dates, every one with the most nights any plan has (the window's "
        "when some plan fills it), the cheapest of that length first; null otherwise or "
        "when there is no plan",
    )
    reasons: list[ReasonOut] = Field(description="Why there is no plan (empty when plans)")
    relaxations: list[RelaxationOut] = Field(
        description="When no plan: single changes that would give plans"
    )
    search: SearchOut
