"""Request and response models of the admin API's catalogue (``/v1/admin``: destination
facts, products, seasons, packs), with examples. Closed vocabularies are the project's
own (``catalog.vocab``, ``pricing``), never copied here."""

from typing import Annotated

from pydantic import AfterValidator, BaseModel, Field, StringConstraints
from pydantic_core import PydanticCustomError

from catalog.vocab import Theme, UnitType, reads_as_id
from pricing import PackBasis, PackKind
from service.operators.schemas import (
    DiscountCap,
    NightlyRate,
    RefundTier,
    page_examples,
    with_examples,
)
from service.text import (
    Id,
    IsoDate,
    StrictBool,
    StrictFloat,
    StrictInt,
    Text,
    described,
    name_up_to,
    patched,
)

# --- the catalogue: destination facts, products, seasons, packs ------------------------

Money = Annotated[StrictInt, Field(ge=0, le=100_000_000, description="Integer fen")]
Nights = Annotated[StrictInt, Field(ge=1, le=400)]
Occupancy = Annotated[StrictInt, Field(ge=1, le=20)]
Name = name_up_to(160)
# A season's names follow the same rule, at the lengths its table keeps.
SeasonNameZh = name_up_to(80)
SeasonNameEn = name_up_to(120)
Description = Annotated[Text, StringConstraints(max_length=4000)]
# A pack's code and a product's slug: lower-case letters, digits and hyphens.
CODE = described(
    r"^[a-z0-9][a-z0-9-]{2,79}$",
    "只能使用小写英文字母、数字和短横线（-），以字母或数字开头，共 3 至 80 个字符",
    "may use only lower-case letters a-z, digits and hyphens, start with a letter or a "
    "digit, and have 3 to 80 characters",
)
Code = Annotated[str, StringConstraints(pattern=CODE)]
SLUG_ALL_DIGITS = "slug_all_digits"


def _not_an_id(slug: str) -> str:
    """A slug is never all digits: ``/v1/products/{id_or_slug}`` reads such a key as an
    id (catalog.vocab.reads_as_id), so ``093`` would address product 93."""
    if reads_as_id(slug):
        raise PydanticCustomError(
            SLUG_ALL_DIGITS,
            "must not be all digits: an address of digits names a product by its id;"
            " add a letter (e.g. cabin-093)",
        )
    return slug


# What a product is addressed by beside its id (``/v1/products/{id_or_slug}``).
Slug = Annotated[
    str,
    StringConstraints(pattern=CODE),
    AfterValidator(_not_an_id),
    Field(description="Lower-case letters, digits and hyphens, not all digits"),
]


class DestinationFactsIn(BaseModel):
    model_config = with_examples(
        {
            "description_zh": "长白山北坡林下木屋，步行可达温泉。",
            "nearest_hospital_km": 12.5,
            "elder_friendly_rooms": True,
            "certifications": ["forest_healing_base"],
        }
    )

    description_zh: patched(Description) = None
    description_en: patched(Description) = None
    nearest_hospital_km: patched(StrictFloat) = Field(default=None, ge=0, le=1000)
    medical_insurance_station: patched(StrictBool) = None
    cross_province_settlement: patched(StrictBool) = None
    elder_friendly_rooms: patched(StrictBool) = None
    has_5g: patched(StrictBool) = None
    certifications: patched(list[Annotated[str, StringConstraints(max_length=60)]]) = Field(
        default=None, max_length=20, description="Codes of catalog.vocab.CERTIFICATION_NAMES"
    )


class _ProductTerms(BaseModel):
    """The fields a product is created with and edited by."""

    name_zh: Name
    name_en: Name
    description_zh: Description = ""
    description_en: Description = ""
    theme: Theme
    unit_type: UnitType
    base_occupancy: Occupancy
    max_occupancy: Occupancy
    beds_per_unit: StrictInt = Field(default=2, ge=0, le=20)
    min_nights: Nights | None = None
    max_nights: Nights | None = None
    duration_modules: list[Nights] = Field(
        default_factory=list, max_length=20, description="Stay lengths sold (empty: a range)"
    )
    base_rate_fen: NightlyRate = Field(description="Nightly rate outside every season")
    filed_rate_fen: NightlyRate | None = Field(
        default=None, description="Filed list price (备案价) of nights outside every season"
    )
    extra_guest_fee_fen: Money = 0
    max_discount_bps: DiscountCap = 3000
    refund_policy: list[RefundTier] = Field(default_factory=list, max_length=10)
    sold_from: IsoDate | None = None
    sold_until: IsoDate | None = None


class ProductIn(_ProductTerms):
    model_config = with_examples(
        {
            "destination_id": 1,
            "slug": "changbaishan-north-lakeside-cabin",
            "name_zh": "湖畔木屋",
            "name_en": "Lakeside cabin",
            "theme": "forest_healing",
            "unit_type": "cabin",
            "base_occupancy": 2,
            "max_occupancy": 4,
            "min_nights": 7,
            "max_nights": 56,
            "base_rate_fen": 38000,
            "filed_rate_fen": 42000,
            "extra_guest_fee_fen": 6000,
            "refund_policy": [
                {"min_days_before_check_in": 14, "refund_bps": 10000},
                {"min_days_before_check_in": 3, "refund_bps": 5000},
            ],
        }
    )

    destination_id: Id
    slug: Slug


class ProductPatch(BaseModel):
    model_config = with_examples(
        {"base_rate_fen": 36000, "filed_rate_fen": 42000},
        {"refund_policy": [{"min_days_before_check_in": 7, "refund_bps": 10000}]},
    )

    name_zh: patched(Name) = None
    name_en: patched(Name) = None
    description_zh: patched(Description) = None
    description_en: patched(Description) = None
    theme: patched(Theme) = None
    unit_type: patched(UnitType) = None
    base_occupancy: patched(Occupancy) = None
    max_occupancy: patched(Occupancy) = None
    beds_per_unit: patched(StrictInt) = Field(default=None, ge=0, le=20)
    min_nights: Nights | None = None
    max_nights: Nights | None = None
    duration_modules: patched(list[Nights]) = Field(default=None, max_length=20)
    base_rate_fen: patched(NightlyRate) = None
    filed_rate_fen: NightlyRate | None = None
    extra_guest_fee_fen: patched(Money) = None
    max_discount_bps: patched(DiscountCap) = None
    refund_policy: patched(list[RefundTier]) = Field(default=None, max_length=10)
    sold_from: IsoDate | None = None
    sold_until: IsoDate | None = None


class SeasonIn(BaseModel):
    model_config = with_examples(
        {
            "name_zh": "金秋",
            "name_en": "Golden autumn",
            "start_date": "2027-09-01",
            "end_date": "2027-11-01",
            "nightly_rate_fen": 42000,
            "filed_rate_fen": 45000,
        }
    )

    name_zh: SeasonNameZh
    name_en: SeasonNameEn
    start_date: IsoDate = Field(description="First night of the season")
    end_date: IsoDate = Field(description="The first night after the season (exclusive)")
    nightly_rate_fen: NightlyRate
    filed_rate_fen: NightlyRate | None = Field(
        default=None, description="Filed list price (备案价) of its nights; default its rate"
    )


class SeasonPatch(BaseModel):
    model_config = with_examples({"filed_rate_fen": 50000}, {"nightly_rate_fen": 43000})

    name_zh: patched(SeasonNameZh) = None
    name_en: patched(SeasonNameEn) = None
    start_date: patched(IsoDate) = None
    end_date: patched(IsoDate) = None
    nightly_rate_fen: patched(NightlyRate) = None
    filed_rate_fen: NightlyRate | None = None


class PackIn(BaseModel):
    model_config = with_examples(
        {
            "destination_id": 1,
            "code": "cbs-forest-bathing-week",
            "kind": "therapy",
            "name_zh": "森林浴一周",
            "name_en": "A week of forest bathing",
            "price_fen": 68000,
            "basis": "per_guest",
        }
    )

    destination_id: Id
    code: Code
    kind: PackKind
    name_zh: Name
    name_en: Name
    description_zh: Description = ""
    description_en: Description = ""
    price_fen: Money
    basis: PackBasis


class PackPatch(BaseModel):
    model_config = with_examples({"price_fen": 72000})

    kind: patched(PackKind) = None
    name_zh: patched(Name) = None
    name_en: patched(Name) = None
    description_zh: patched(Description) = None
    description_en: patched(Description) = None
    price_fen: patched(Money) = None
    basis: patched(PackBasis) = None


class ProductPacksIn(BaseModel):
    model_config = with_examples({"pack_ids": [3, 4]})

    pack_ids: list[Id] = Field(max_length=50)


class AdminPack(BaseModel):
    id: int
    code: str
    destination_id: int
    kind: str
    name: str
    name_zh: str
    name_en: str
    description_zh: str
    description_en: str
    price_fen: int
    basis: str
    product_ids: list[int] = Field(description="The products that offer it")


class AdminPackPage(BaseModel):
    model_config = page_examples(
        {
            "id": 3,
            "code": "cbs-hot-spring-therapy",
            "destination_id": 1,
            "kind": "therapy",
            "name": "温泉理疗套餐",
            "name_zh": "温泉理疗套餐",
            "name_en": "Hot spring therapy",
            "description_zh": "每周三次温泉理疗。",
            "description_en": "Hot spring therapy three times a week.",
            "price_fen": 72000,
            "basis": "per_stay",
            "product_ids": [1, 2],
        }
    )

    items: list[AdminPack] = Field(description="By id")
    next: str | None = Field(description="The next page's cursor; null on the last page")
