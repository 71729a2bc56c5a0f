"""Request and response models of the admin API (``/v1/admin``), with examples."""

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from service.text import Text

Role = Literal["province_admin", "operator_admin", "operator_staff"]
Login = Annotated[Text, StringConstraints(min_length=3, max_length=80, pattern=r"^[\w.@-]+$")]


def _examples(*examples: dict) -> ConfigDict:
    return ConfigDict(extra="forbid", json_schema_extra={"examples": list(examples)})


class LoginIn(BaseModel):
    model_config = _examples(
        {"login": "demo-changbaishan-north", "password": "demo-operator-2026", "label": "laptop"}
    )

    login: Login
    password: Annotated[str, StringConstraints(min_length=1, max_length=200)]
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
                    "account": {
                        "id": 3,
                        "login": "demo-changbaishan-north",
                        "display_name": "长白山北坡 运营",
                        "role": "operator_admin",
                        "is_active": True,
                        "destination_ids": [1],
                    },
                }
            ]
        }
    )

    token: str = Field(description="The token itself: shown once, only its hash is kept")
    account: AccountOut


class MeOut(BaseModel):
    account: AccountOut
    permissions: list[str]
    tokens: list[TokenOut]


class AccountIn(BaseModel):
    model_config = _examples(
        {
            "login": "frontdesk-yanji",
            "display_name": "延吉 前台",
            "role": "operator_staff",
            "destination_ids": [12],
            "password": "a-long-passphrase",
        }
    )

    login: Login
    display_name: Annotated[Text, StringConstraints(min_length=1, max_length=120)]
    role: Role
    destination_ids: list[int] = Field(default_factory=list, max_length=200)
    password: Annotated[str, StringConstraints(max_length=200)]


class AccountPage(BaseModel):
    items: list[AccountOut]


class AdminDestination(BaseModel):
    id: int
    slug: str
    name: str
    name_zh: str
    name_en: str
    prefecture: str
    pilot_kind: str


class DestinationPage(BaseModel):
    items: list[AdminDestination]
    next: str | None


class SeasonOut(BaseModel):
    id: int
    name: str
    start_date: str
    end_date: str = Field(description="Exclusive")
    nightly_rate_fen: int
    filed_rate_fen: int = Field(description="The filed list price (备案价) of its nights")


class AdminProduct(BaseModel):
    id: int
    slug: str
    destination_id: int
    name: str
    theme: str
    unit_type: str
    is_active: bool
    base_rate_fen: int
    filed_rate_fen: int = Field(
        description="The filed list price (备案价) of nights outside every season"
    )
    seasons: list[SeasonOut] = Field(default_factory=list)


class ProductPage(BaseModel):
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
