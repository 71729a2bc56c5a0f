"""Request and response models of the admin API (``/v1/admin``), with examples."""

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
)
from pydantic_core import PydanticCustomError

from catalog.vocab import Channel, PackKind, Theme
from service.operators.models import LOGIN_CHARACTERS
from service.text import (
    Id,
    IsoDate,
    StrictBool,
    StrictInt,
    Text,
    described,
    name_up_to,
    typed_text,
)

Role = Literal["province_admin", "operator_admin", "operator_staff"]
# The longest login and password (the API's and the console's login form's limits)
LOGIN_MAX_LENGTH, PASSWORD_MAX_LENGTH = 80, 200
# A login as typed (``typed_text``: a Chinese input method's full-width letters, digits
# and signs read as their ASCII forms by NFKC, the spaces around dropped; the API and the
# console's login form alike): ASCII letters and digits and . _ @ - only
# (models.LOGIN_CHARACTERS, docs/operators.md).
Login = Annotated[
    str,
    StringConstraints(
        min_length=3,
        max_length=LOGIN_MAX_LENGTH,
        pattern=described(
            LOGIN_CHARACTERS.pattern,
            "只能使用英文字母（a-z、A-Z）、数字和 . _ @ - 这几个符号，中间不能有空格",
            "may use only ASCII letters (a-z, A-Z), digits and . _ @ - (no spaces)",
        ),
    ),
    BeforeValidator(typed_text),
]


# A discount rule's key: lower-case letters, digits and hyphens.
RULE_KEY = described(
    r"^[a-z0-9-]+$",
    "只能使用小写英文字母、数字和短横线（-）",
    "may use only lower-case letters a-z, digits and hyphens",
)


def with_examples(*examples: dict) -> ConfigDict:
    """A request model's config: no unknown fields, and its OpenAPI examples."""
    return ConfigDict(extra="forbid", json_schema_extra={"examples": list(examples)})


class LoginIn(BaseModel):
    model_config = with_examples(
        {"login": "demo-changbaishan-north", "password": "demo-operator-2026", "label": "laptop"}
    )

    login: Login
    password: Annotated[str, StringConstraints(min_length=1, max_length=PASSWORD_MAX_LENGTH)]
    label: Annotated[Text, StringConstraints(max_length=80)] = ""


class AccountOut(BaseModel):
    id: int
    login: str
    display_name: str
    role: Role
    is_active: bool
    destination_ids: list[int] = Field(description="Empty for the province (every destination)")


class TokenOut(BaseModel):
    id: int
    prefix: str = Field(description="Shown in clear to tell tokens apart")
    label: str
    created_at: datetime
    revoked_at: datetime | None = None


# An account as the admin API shows it (a token's, a list's).
ACCOUNT_EXAMPLE = {
    "id": 3,
    "login": "demo-changbaishan-north",
    "display_name": "长白山北坡 运营",
    "role": "operator_admin",
    "is_active": True,
    "destination_ids": [1],
}


class TokenIssued(TokenOut):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": 7,
                    "prefix": "jlop_3f9a01bc",
                    "label": "laptop",
                    "created_at": "2027-05-01T02:00:00Z",
                    "revoked_at": None,
                    "token": "jlop_3f9a01bc_…",
                    "account": ACCOUNT_EXAMPLE,
                }
            ]
        }
    )

    token: str = Field(description="The token itself: shown once, only its hash is kept")
    account: AccountOut


class MeOut(BaseModel):
    account: AccountOut
    permissions: list[str]
    tokens: list[TokenOut] = Field(
        description="The live tokens (revoked ones are not listed); a console login "
        "replaces the browser's previous console token"
    )


class AccountIn(BaseModel):
    model_config = with_examples(
        {
            "login": "frontdesk-yanji",
            "display_name": "延吉 前台",
            "role": "operator_staff",
            "destination_ids": [8],
            "password": "a-long-passphrase",
        }
    )

    login: Login
    display_name: name_up_to(120)
    role: Role
    destination_ids: list[Id] = Field(default_factory=list, max_length=200)
    password: Annotated[str, StringConstraints(max_length=200)]


class PasswordChangeIn(BaseModel):
    model_config = with_examples(
        {"current_password": "demo-operator-2026", "new_password": "a new long passphrase"}
    )

    current_password: Annotated[
        str, StringConstraints(min_length=1, max_length=PASSWORD_MAX_LENGTH)
    ]
    new_password: Annotated[str, StringConstraints(max_length=PASSWORD_MAX_LENGTH)]


class PasswordChanged(BaseModel):
    revoked_tokens: int = Field(
        description="Your other live tokens, revoked by the change (the one you called with stays)"
    )


# An admin list's `next` in the examples: a cursor as the API issues them (readable
# base64url JSON: the list's tag, then the last row's id; pass it back as `cursor`).
NEXT_EXAMPLE = "WyI1YzFlOWIwYTdkIiwzXQ"


def page_examples(*items: dict) -> ConfigDict:
    """The example of a list's answer: ``items`` and the cursor of the next page."""
    return ConfigDict(
        json_schema_extra={"examples": [{"items": list(items), "next": NEXT_EXAMPLE}]}
    )


class AccountPage(BaseModel):
    model_config = page_examples(ACCOUNT_EXAMPLE)

    items: list[AccountOut] = Field(description="By id")
    next: str | None = Field(description="The next page's cursor; null on the last page")


class AdminDestination(BaseModel):
    id: int
    slug: str
    name: str
    name_zh: str
    name_en: str
    prefecture: str
    pilot_kind: str
    description_zh: str = ""
    description_en: str = ""
    nearest_hospital_km: float = 0.0
    medical_insurance_station: bool = False
    cross_province_settlement: bool = False
    elder_friendly_rooms: bool = False
    has_5g: bool = False
    certifications: list[str] = Field(default_factory=list)


class AdminDestinationPage(BaseModel):
    items: list[AdminDestination]
    next: str | None


Bps = Annotated[StrictInt, Field(ge=0, le=10_000, description="Basis points (1% = 100)")]

RATE_NOT_POSITIVE = "rate_not_positive"


def _positive_rate(value: int) -> int:
    """The one rule of a nightly rate or a filed price (备案价), for the admin API and
    the console alike: at least 1 fen. A free night is not a price the contract
    publishes; an operator closes a night with stop-sell instead."""
    if value < 1:
        raise PydanticCustomError(
            RATE_NOT_POSITIVE,
            "must be at least 1 fen (¥0.01): a night is never free; close it with stop-sell",
        )
    return value


DISCOUNT_GIVES_NIGHTS_AWAY = "discount_gives_nights_away"


def _below_whole(value: int) -> int:
    """An accommodation discount (a product's cap, a tier of a stay rule) takes less than
    all: 100% would give the nights away (docs/pricing.md, choices 16 and 19)."""
    if value >= 10_000:
        raise PydanticCustomError(
            DISCOUNT_GIVES_NIGHTS_AWAY,
            "must be below 100% (10000 bps): a night is never free",
        )
    return value


DiscountCap = Annotated[
    StrictInt,
    Field(
        ge=0,
        description="Basis points (1% = 100), below 10000",
        json_schema_extra={"maximum": 9999},
    ),
    AfterValidator(_below_whole),
]

NightlyRate = Annotated[
    StrictInt,
    Field(le=100_000_000, description="Integer fen, at least 1", json_schema_extra={"minimum": 1}),
    AfterValidator(_positive_rate),
]


class RefundTier(BaseModel):
    model_config = ConfigDict(extra="forbid")

    min_days_before_check_in: StrictInt = Field(ge=0, le=365)
    refund_bps: Bps


class AdminSeason(BaseModel):
    id: int
    name: str = Field(description="Its name in the caller's language (`name_zh` or `name_en`)")
    name_zh: str = Field(description="Its name in Chinese, as stored (empty if stored unnamed)")
    name_en: str = Field(description="Its name in English, as stored (empty if stored unnamed)")
    start_date: str
    end_date: str = Field(description="The first night after the season (exclusive)")
    nightly_rate_fen: int
    filed_rate_fen: int | None = Field(
        description="The filed list price (备案价) of its nights as filed; null when none is "
        "filed (the season's nightly rate is then the ceiling)"
    )


class SeasonSplit(BaseModel):
    """The running season a change of rate or filed price was split from."""

    season_id: int = Field(description="The season you changed: it keeps its nights before today")
    start_date: str
    end_date: str = Field(description="Today: it now ends with the night before today")
    detail: str = Field(description="What happened, in the caller's language")


class AdminSeasonChange(AdminSeason):
    """A season after a change. When the change was of a running season's rate or filed
    price, this is a new season from today (``split_from`` names the one you changed,
    which now ends with the night before today); otherwise the season you changed."""

    split_from: SeasonSplit | None = Field(
        default=None,
        description="Set when the change applied from today: the running season it was split "
        "from, now ending with the night before today; null when the season was changed as it is",
    )


class AdminProduct(BaseModel):
    id: int
    slug: str
    destination_id: int
    name: str
    theme: str
    unit_type: str
    is_active: bool
    base_rate_fen: int
    filed_rate_fen: int | None = Field(
        description="The filed list price (备案价) of nights outside every season, as filed; "
        "null when none is filed (the base rate is then the ceiling)"
    )
    seasons: list[AdminSeason] = Field(default_factory=list)
    name_zh: str = ""
    name_en: str = ""
    description_zh: str = ""
    description_en: str = ""
    base_occupancy: int = 1
    max_occupancy: int = 1
    beds_per_unit: int = 2
    min_nights: int | None = None
    max_nights: int | None = None
    duration_modules: list[int] = Field(default_factory=list)
    extra_guest_fee_fen: int = 0
    max_discount_bps: int = 0
    refund_policy: list[RefundTier] = Field(default_factory=list)
    sold_from: str | None = None
    sold_until: str | None = None
    pack_ids: list[int] = Field(default_factory=list, description="Packs it offers")


class AdminProductPage(BaseModel):
    items: list[AdminProduct]
    next: str | None


class AuditOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": 41,
                    "at": "2027-05-01T02:03:04Z",
                    "account_id": 3,
                    "account_login": "demo-changbaishan-north",
                    "destination_id": 1,
                    "action": "bulk_edit",
                    "entity": "calendar",
                    "entity_id": "1",
                    "before": {"2027-07-01..2027-07-31": {"units": 8}},
                    "after": {"2027-07-01..2027-07-31": {"units": 10}},
                }
            ]
        }
    )

    id: int
    at: datetime
    account_id: int | None
    account_login: str
    destination_id: int | None
    action: str
    entity: str
    entity_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


class AuditPage(BaseModel):
    items: list[AuditOut]
    next: str | None


# --- the calendar ----------------------------------------------------------------------


class CellSet(BaseModel):
    """The fields to set: only those present change; ``null`` clears an optional one."""

    model_config = ConfigDict(extra="forbid")

    units: Annotated[StrictInt, Field(ge=0, le=100_000)] | None = Field(
        default=None, description="Total units of the night (never below units taken)"
    )
    rate_override_fen: NightlyRate | None = Field(
        default=None,
        description="Nightly rate replacing the season's (never above the filed price); "
        "`null` clears it",
    )
    stop_sell: StrictBool | None = None
    min_stay_arrival: Annotated[StrictInt, Field(ge=1, le=365)] | None = Field(
        default=None, description="A stay arriving this night has at least so many nights"
    )
    min_stay_through: Annotated[StrictInt, Field(ge=1, le=365)] | None = Field(
        default=None, description="A stay that includes this night has at least so many nights"
    )
    max_stay: Annotated[StrictInt, Field(ge=1, le=365)] | None = Field(
        default=None, description="A stay arriving this night has at most so many nights"
    )
    closed_to_arrival: StrictBool | None = None
    closed_to_departure: StrictBool | None = None


class BulkEditIn(BaseModel):
    model_config = with_examples(
        {
            "product_ids": [1, 2],
            "from": "2027-07-01",
            "to": "2027-08-31",
            "weekdays": [5, 6],
            "set": {"rate_override_fen": 34000, "min_stay_arrival": 2},
        },
        {
            "product_ids": [1],
            "from": "2027-10-01",
            "to": "2027-10-07",
            "set": {"stop_sell": True},
        },
    )

    product_ids: list[Id] = Field(min_length=1, max_length=100)
    from_: IsoDate = Field(alias="from", description="First night (inclusive)")
    to: IsoDate = Field(description="Last night (inclusive)")
    weekdays: list[Annotated[StrictInt, Field(ge=1, le=7)]] = Field(
        default_factory=lambda: [1, 2, 3, 4, 5, 6, 7],
        min_length=1,
        max_length=7,
        description="ISO weekdays of the nights to change (1 = Monday); default all",
    )
    set: CellSet = Field(description="The chosen fields and their new values")


class RefusedCell(BaseModel):
    product_id: int
    night: str
    field: str
    code: Literal[
        "units_below_taken", "above_filed_price", "no_inventory", "min_stay_above_max_stay"
    ]
    value: Any
    limit: int | None = Field(
        description="Units taken, the filed price, or the stay limit it contradicts (the "
        "night's minimum stay when `field` is `max_stay`, else its maximum stay)"
    )


class BulkEditResult(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "applied": False,
                    "cells": 5400,
                    "changed": 5390,
                    "unchanged": 0,
                    "refused_count": 10,
                    "refused": [
                        {
                            "product_id": 2,
                            "night": "2027-07-03",
                            "field": "units",
                            "code": "units_below_taken",
                            "value": 1,
                            "limit": 2,
                        }
                    ],
                    "rate_changes": 12,
                }
            ]
        }
    )

    applied: bool
    cells: int = Field(description="Cells the edit covers (products x matching nights)")
    changed: int
    unchanged: int
    refused_count: int
    refused: list[RefusedCell] = Field(description="The first 100 cells that cannot change")
    rate_changes: int = Field(description="Runs of nights whose effective rate changes")


class CalendarCell(BaseModel):
    night: str
    published: bool = Field(description="The night has inventory (a cell)")
    units: int | None
    units_taken: int | None
    units_left: int | None
    rate_fen: int = Field(description="The effective nightly rate (override or season)")
    rate_override_fen: int | None
    filed_rate_fen: int
    stop_sell: bool
    min_stay_arrival: int | None
    min_stay_through: int | None
    max_stay: int | None
    closed_to_arrival: bool
    closed_to_departure: bool


class CalendarOut(BaseModel):
    product_id: int
    destination_id: int
    cells: list[CalendarCell]


class RateChangeOut(BaseModel):
    id: int
    changed_at: datetime
    first_night: str = Field(description="First night of the run (inclusive)")
    last_night: str = Field(description="Last night of the run (inclusive)")
    old_rate_fen: int
    new_rate_fen: int
    source: Literal["override", "override_cleared", "season", "base"] = Field(
        description="What changed the rate: a calendar override (set or cleared), a "
        "season (added, changed or removed), or the product's base rate (recorded for its "
        "nights from the change on, at most a year ahead)"
    )


class RateHistoryPage(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "items": [
                        {
                            "id": 3,
                            "changed_at": "2027-05-01T02:03:04Z",
                            "first_night": "2027-07-02",
                            "last_night": "2027-07-03",
                            "old_rate_fen": 46000,
                            "new_rate_fen": 42000,
                            "source": "override",
                        }
                    ],
                    "next": None,
                }
            ]
        }
    )

    items: list[RateChangeOut]
    next: str | None


# --- discount rules ---------------------------------------------------------------------

RuleKind = Literal["long_stay", "advance_booking", "trip_bundle", "pack_bundle", "ticket_stub"]


class TierIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # No lower bound here: it is the kind's (1 night for long_stay, 0 days for
    # advance_booking), which only the pricing engine knows, so it is the one refusal
    # (422 invalid_rule naming tiers[i].threshold) that says the real bound.
    threshold: StrictInt = Field(
        le=3650,
        description="Nights of the stay (`long_stay`, from 1) or days booked ahead "
        "(`advance_booking`, from 0)",
    )
    bps: StrictInt = Field(ge=0, le=10000)


class RuleTermsIn(BaseModel):
    """Every term of a version (a new version restates them all). Empty lists mean
    "all"; dates are inclusive, `null` open. Which terms a kind uses is the pricing
    engine's rule (`invalid_rule` otherwise)."""

    model_config = with_examples(
        {
            "name_zh": "长白山避暑长住优惠",
            "name_en": "Changbai summer long-stay",
            "destination_ids": [1],
            "tiers": [{"threshold": 14, "bps": 1000}, {"threshold": 28, "bps": 1800}],
        }
    )

    name_zh: name_up_to(120)
    name_en: name_up_to(160)
    description_zh: Annotated[str, StringConstraints(max_length=2000)] = ""
    description_en: Annotated[str, StringConstraints(max_length=2000)] = ""
    destination_ids: list[Id] = Field(min_length=1, max_length=50)
    themes: list[Theme] = Field(default_factory=list, max_length=10)
    product_ids: list[Id] = Field(default_factory=list, max_length=200)
    channels: list[Channel] = Field(default_factory=list)
    booking_from: IsoDate | None = Field(
        default=None, description="First booking date (inclusive); null = open"
    )
    booking_to: IsoDate | None = Field(
        default=None, description="Last booking date (inclusive); null = open"
    )
    check_in_from: IsoDate | None = Field(
        default=None, description="First check-in date (inclusive); null = open"
    )
    check_in_to: IsoDate | None = Field(
        default=None, description="Last check-in date (inclusive); null = open"
    )
    tiers: list[TierIn] = Field(default_factory=list, max_length=20)
    bps: StrictInt = Field(default=0, ge=0, le=10000)
    min_destinations: StrictInt = Field(default=0, ge=0, le=20)
    min_packs: StrictInt = Field(default=0, ge=0, le=20)
    issuer_id: Id | None = None
    transit_line_ids: list[Id] = Field(default_factory=list, max_length=50)
    pack_kinds: list[PackKind] = Field(default_factory=list)
    valid_days: StrictInt = Field(default=0, ge=0, le=3650)

    def terms(self) -> dict[str, Any]:
        out = self.model_dump()
        for f in ("destination_ids", "themes", "product_ids", "channels", "transit_line_ids"):
            out[f] = sorted(set(out[f]))
        out["pack_kinds"] = sorted(set(out["pack_kinds"]))
        out["tiers"] = sorted(out["tiers"], key=lambda t: t["threshold"])
        return out


class RuleIn(RuleTermsIn):
    model_config = with_examples(
        {
            "key": "changbai-summer-long-stay",
            "kind": "long_stay",
            "name_zh": "长白山避暑长住优惠",
            "name_en": "Changbai summer long-stay",
            "destination_ids": [1],
            "tiers": [{"threshold": 14, "bps": 800}, {"threshold": 28, "bps": 1500}],
        }
    )

    key: Annotated[Text, StringConstraints(min_length=3, max_length=80, pattern=RULE_KEY)]
    kind: RuleKind

    def terms(self) -> dict[str, Any]:
        out = super().terms()
        out.pop("key")
        out.pop("kind")
        return out


class RuleVersionOut(BaseModel):
    version: int
    created_at: datetime
    created_by: str | None = Field(description="The operator login that made it")
    terms: dict[str, Any]


class AdminRuleOut(BaseModel):
    id: int
    key: str
    kind: RuleKind
    is_active: bool
    current_version: int
    versions: list[RuleVersionOut] = Field(description="Oldest first (lists: current only)")


class AdminRulePage(BaseModel):
    model_config = page_examples(
        {
            "id": 4,
            "key": "changbai-summer-long-stay",
            "kind": "long_stay",
            "is_active": True,
            "current_version": 2,
            "versions": [
                {
                    "version": 2,
                    "created_at": "2027-05-01T02:00:00Z",
                    "created_by": "demo-changbaishan-north",
                    "terms": {
                        "name_zh": "长白山避暑长住优惠",
                        "name_en": "Changbai summer long-stay",
                        "description_zh": "",
                        "description_en": "",
                        "destination_ids": [1],
                        "themes": [],
                        "product_ids": [],
                        "channels": [],
                        "booking_from": None,
                        "booking_to": "2027-08-31",
                        "check_in_from": "2027-06-01",
                        "check_in_to": "2027-09-30",
                        "tiers": [{"threshold": 14, "bps": 1000}, {"threshold": 28, "bps": 1800}],
                        "bps": 0,
                        "min_destinations": 0,
                        "min_packs": 0,
                        "issuer_id": None,
                        "transit_line_ids": [],
                        "pack_kinds": [],
                        "valid_days": 0,
                    },
                }
            ],
        }
    )

    items: list[AdminRuleOut] = Field(description="By id, each with its current version")
    next: str | None = Field(description="The next page's cursor; null on the last page")


# --- ticket stubs -----------------------------------------------------------------------


class StubBatchIn(BaseModel):
    model_config = with_examples({"count": 50, "visit_date": "2027-07-01", "persons": 2})

    count: StrictInt = Field(ge=1, le=1000)
    visit_date: IsoDate
    persons: StrictInt = Field(default=1, ge=1, le=50)


class StubOut(BaseModel):
    code: str
    visit_date: str
    persons: int


class StubBatchOut(BaseModel):
    issuer_id: int
    stubs: list[StubOut]


class StubIssuerOut(BaseModel):
    id: int = Field(
        description="The `issuer_id` of `POST /v1/admin/stub-issuers/{issuer_id}/batches`"
    )
    code: str
    kind: str = Field(description="`scenic_area`, `resort` or `transit_line`")
    name: str = Field(description="In the request's language")
    name_zh: str
    name_en: str
    destination_id: int | None = Field(description="Where it stands; null for a transit line's")
    transit_line_id: int | None = Field(description="The transit line it is; null otherwise")


class StubIssuerPage(BaseModel):
    model_config = page_examples(
        {
            "id": 1,
            "code": "changbaishan-north-scenic",
            "kind": "scenic_area",
            "name": "长白山北景区",
            "name_zh": "长白山北景区",
            "name_en": "Changbai Mountain North Scenic Area",
            "destination_id": 1,
            "transit_line_id": None,
        }
    )

    items: list[StubIssuerOut] = Field(description="By id")
    next: str | None = Field(description="The next page's cursor; null on the last page")
