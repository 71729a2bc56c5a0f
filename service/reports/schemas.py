"""Response models of the reports (``/v1/reports``), with examples."""

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from service.text import IsoDate, StrictInt, free_text_up_to


def _example(example: dict) -> ConfigDict:
    return ConfigDict(json_schema_extra={"examples": [example]})


def _example_suppressed_absent(example: dict) -> ConfigDict:
    """A row's example: ``suppressed`` is left out of a row that hides nothing."""
    return ConfigDict(json_schema_extra={"examples": [example], "x-absent-when-null": True})


_MEASURES_EXAMPLE: dict[str, Any] = {
    "stays": 42,
    "person_trips": 80,
    "person_nights": 1104,
    "long_stays": 30,
    "long_stay_person_trips": 58,
    "long_trips": 33,
    "long_trip_person_trips": 63,
    "unit_nights_sold": 588,
    "bed_nights_sold": 1176,
    "unit_nights_on_sale": 744,
    "bed_nights_on_sale": 1488,
    "units_available": 24,
    "beds_available": 48,
    "occupancy_bps": 7903,
    "bed_occupancy_bps": 7419,
    "revenue_fen": 24696000,
    "adr_fen": 42000,
    "revpar_fen": 33194,
    "alos_nights": 13.8,
    "cancelled_stays": 3,
    "cancelled_person_trips": 6,
    "cancellation_bps": 667,
    "no_shows": 0,
    "survey_answers": 12,
    "response_bps": 4000,
    "satisfaction_index": 81.3,
    "aspects": {
        "accommodation": 83.3,
        "medical_access": 75.0,
        "food": 79.2,
        "activities": 85.4,
        "value": 77.1,
        "elder_friendliness": 87.5,
    },
}


class Measures(BaseModel):
    """The measures of one group (docs/metrics.md). A ratio over nothing is null. In a
    report that leaves the province (``audience: public``) a group counting fewer than
    5 people or stays has every measure of those bookings (counts, nights, revenue and
    the ratios made from them) null and named in ``suppressed``, and so have the cells
    hidden so that it cannot be worked out by subtraction."""

    model_config = _example_suppressed_absent(_MEASURES_EXAMPLE)

    stays: int | None = Field(description="Stays arriving (check-in in the period)")
    person_trips: int | None = Field(description="人次: guests of those stays")
    person_nights: int | None = Field(description="人天: guests × nights in the period")
    long_stays: int | None = Field(description="Stays of at least `long_stay_nights`")
    long_stay_person_trips: int | None
    long_trips: int | None = Field(description="Trips of contiguous stays of that length")
    long_trip_person_trips: int | None
    unit_nights_sold: int | None
    bed_nights_sold: int | None
    unit_nights_on_sale: int | None = Field(description="null when grouped by channel")
    bed_nights_on_sale: int | None
    units_available: int | None = Field(description="Units on sale per night, on average")
    beds_available: int | None
    occupancy_bps: int | None = Field(description="出租率: unit-nights sold ÷ on sale")
    bed_occupancy_bps: int | None
    revenue_fen: int | None
    adr_fen: int | None = Field(description="Average daily rate")
    revpar_fen: int | None = Field(description="Revenue per available unit-night")
    alos_nights: float | None = Field(description="Average length of stay")
    cancelled_stays: int | None
    cancelled_person_trips: int | None
    cancellation_bps: int | None
    no_shows: int | None
    survey_answers: int | None
    response_bps: int | None
    satisfaction_index: float | None = Field(description="0–100")
    aspects: dict[str, float | None] | None
    suppressed: list[str] | None = Field(
        default=None,
        description="Cells hidden: those of fewer than 5 people or stays (with the "
        "nights, revenue and ratios of the same bookings), or hidden so that such a cell "
        "cannot be worked out by subtraction (absent when the row hides none)",
    )


class MeasuresRow(Measures):
    model_config = _example_suppressed_absent(
        {"group": {"month": "2027-07", "pilot_kind": "resort"}, **_MEASURES_EXAMPLE}
    )

    group: dict[str, str | None] = Field(
        description="The row's value of each dimension of `by`, keyed by it (the example's "
        "`month` and `pilot_kind` are there because it asked `by=month&by=pilot_kind`; "
        "without `by` the one row's group is `{}`)"
    )


class MeasuresReport(BaseModel):
    model_config = _example(
        {
            "from": "2027-07-01",
            "to": "2027-07-31",
            "by": ["month", "pilot_kind"],
            "destination_id": None,
            "long_stay_nights": 10,
            "audience": "province",
            "as_of": "2027-08-15",
            "closed_years": [],
            "rows": [{"group": {"month": "2027-07", "pilot_kind": "resort"}, **_MEASURES_EXAMPLE}],
            "total": _MEASURES_EXAMPLE,
        }
    )

    from_: IsoDate = Field(alias="from", description="First day (inclusive)")
    to: IsoDate = Field(description="Last day (inclusive)")
    by: list[str]
    destination_id: int | None
    long_stay_nights: int
    audience: str = Field(description="`province` (in full) or `public` (small cells blanked)")
    as_of: IsoDate = Field(description="The day the figures stand at (a closed year: its closing)")
    closed_years: list[int] = Field(description="Years of the range read from their snapshot")
    rows: list[MeasuresRow]
    total: Measures


class Pilot(BaseModel):
    destination_id: int
    slug: str
    name_zh: str
    name_en: str
    pilot_kind: str
    pilot_status: str = Field(description="`reserve` 储备, `pilot` 试点 or `mature` 成熟")
    prefecture: str
    certifications: list[str]
    products: int
    units: int = Field(description="Σ over products of the most units on sale on a night")
    beds: int = Field(description="Σ of those units × beds per unit")
    lat: float
    lon: float


_PILOT = {
    "destination_id": 1,
    "slug": "changbaishan-north",
    "name_zh": "长白山北景区·二道白河",
    "name_en": "Changbai Mountain North (Erdaobaihe)",
    "pilot_kind": "resort",
    "pilot_status": "mature",
    "prefecture": "长白山管委会",
    "certifications": ["national_5a_scenic", "forest_healing_base"],
    "products": 4,
    "units": 40,
    "beds": 86,
    "lat": 42.4,
    "lon": 128.11,
}


class PilotDirectory(BaseModel):
    model_config = _example(
        {"year": 2027, "as_of": "2027-08-15", "closed_years": [], "items": [_PILOT]}
    )

    year: int
    as_of: IsoDate
    closed_years: list[int]
    items: list[Pilot]


class KindTarget(BaseModel):
    pilot_kind: str
    target: int = Field(description="Pilot units of this kind the plan sets for 2028")
    reserve: int
    pilot: int
    mature: int
    pilots: int = Field(description="pilot + mature")


class GrowthYear(BaseModel):
    year: int
    person_trips: int


class Targets(BaseModel):
    model_config = _example(
        {
            "year": 2027,
            "long_stay_nights": 10,
            "as_of": "2027-08-15",
            "closed_years": [],
            "pilot_kinds": [
                {
                    "pilot_kind": "resort",
                    "target": 6,
                    "reserve": 0,
                    "pilot": 2,
                    "mature": 4,
                    "pilots": 6,
                }  # fmt: skip
            ],
            "beds": 1480,
            "beds_target": 30000,
            "long_stay_person_trips": 1250,
            "long_stay_path": 3454545,
            "long_stay_path_bps": 4,
            "long_stay_target_2028": 3800000,
            "growth_path": [{"year": 2028, "person_trips": 3800000}],
        }
    )

    year: int
    long_stay_nights: int
    as_of: IsoDate
    closed_years: list[int]
    pilot_kinds: list[KindTarget]
    beds: int = Field(description="Beds on sale (see the directory)")
    beds_target: int = Field(description="New beds the plan sets for 2028")
    long_stay_person_trips: int = Field(description="Per-trip long stays of the year (人次)")
    long_stay_path: int = Field(description="The plan's 10%-a-year path for the year")
    long_stay_path_bps: int | None = Field(description="Actual ÷ path")
    long_stay_target_2028: int
    growth_path: list[GrowthYear]


class CloseIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"year": 2025}]})

    year: StrictInt = Field(ge=2000, le=2100)


class Closure(BaseModel):
    model_config = _example(
        {
            "year": 2025,
            "as_of": "2026-01-15",
            "closed_at": "2026-01-15T02:00:00Z",
            "closed_by": "demo-province",
            "stays": 1520,
            "nights_on_sale": 41000,
        }  # fmt: skip
    )

    year: int
    as_of: IsoDate
    closed_at: str
    closed_by: str
    stays: int = Field(description="Stay rows frozen")
    nights_on_sale: int = Field(description="Nights on sale frozen")


class Closures(BaseModel):
    model_config = _example(
        {
            "items": [
                {
                    "year": 2025,
                    "as_of": "2026-01-15",
                    "closed_at": "2026-01-15T02:00:00Z",
                    "closed_by": "demo-province",
                    "stays": 1520,
                    "nights_on_sale": 41000,
                }
            ]
        }  # fmt: skip
    )

    items: list[Closure]


Score = Annotated[StrictInt, Field(ge=1, le=5)]


class SurveyIn(BaseModel):
    """One stay's answer: overall and any of the six aspects, 1 (poor) to 5 (excellent)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "item_index": 0,
                    "overall": 5,
                    "accommodation": 4,
                    "medical_access": 5,
                    "food": 4,
                    "activities": 5,
                    "value": 4,
                    "elder_friendliness": 5,
                    "comment": "空气好，医生每周来两次。",
                }
            ]
        },
    )

    item_index: Annotated[StrictInt, Field(ge=0, le=50)]
    overall: Score
    accommodation: Score | None = None
    medical_access: Score | None = None
    food: Score | None = None
    activities: Score | None = None
    value: Score | None = None
    elder_friendliness: Score | None = None
    # Free text like a cancellation's reason: line breaks kept, a control or invisible
    # character refused (a NUL was a 500 on PostgreSQL, whose text holds none).
    comment: free_text_up_to(500) = Field(  # type: ignore[valid-type]
        default="", description="Stored without phone numbers, ID numbers or names"
    )


class SurveyAnswer(BaseModel):
    model_config = _example(
        {
            "item_index": 0,
            "overall": 5,
            "accommodation": 4,
            "medical_access": 5,
            "food": 4,
            "activities": 5,
            "value": 4,
            "elder_friendliness": 5,
            "comment": "空气好，医生每周来两次。",
        }  # fmt: skip
    )

    item_index: int
    overall: int
    accommodation: int | None
    medical_access: int | None
    food: int | None
    activities: int | None
    value: int | None
    elder_friendliness: int | None
    comment: str = Field(description="As stored: personal data replaced by ***")


class SurveyStay(BaseModel):
    item_index: int
    product_name: str
    check_in: IsoDate
    check_out: IsoDate
    open: bool = Field(description="Can be rated now (ended, not cancelled, not a no-show)")
    answered: bool
    opens: IsoDate | None = Field(
        default=None,
        description="A stay not yet ended: the day it can be rated from (its check-out "
        "day, or sooner if the front desk marks it `completed`), as `survey_not_open` "
        "says; null when it is open, answered, or never will be (a cancelled or expired "
        "booking, a no-show)",
    )


class SurveyState(BaseModel):
    model_config = _example(
        {
            "reference": "JL-C7NM4Z",
            "stays": [
                {
                    "item_index": 0,
                    "product_name": "长白山北坡森林疗愈木屋",
                    "check_in": "2027-06-25",
                    "check_out": "2027-07-09",
                    "open": True,
                    "answered": False,
                    "opens": None,
                },
                {
                    "item_index": 1,
                    "product_name": "延吉朝鲜族民俗文化周",
                    "check_in": "2027-07-09",
                    "check_out": "2027-07-16",
                    "open": False,
                    "answered": False,
                    "opens": "2027-07-16",
                },
            ],
        }  # fmt: skip
    )

    reference: str
    stays: list[SurveyStay]
