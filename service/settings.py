"""One settings object, read from the environment (prefix ``JL_``).

``DATABASE_URL`` and ``PORT`` are also read without the prefix because that is what
every deployment tool sets. Outside development and test the settings refuse the
built-in development secret.
"""

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_SECRET = "dev-only-secret-change-me"  # noqa: S105 (refused outside development)
# The demo database lives in the checkout, wherever a command is run from (the CLI run
# from another folder used to make an empty var/jilin.db there and fail).
DEFAULT_DATABASE_URL = f"sqlite:///{Path(__file__).resolve().parent.parent / 'var' / 'jilin.db'}"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="JL_", extra="ignore")

    env: Literal["development", "test", "production"] = "development"
    database_url: str = Field(
        default=DEFAULT_DATABASE_URL,
        validation_alias=AliasChoices("DATABASE_URL", "JL_DATABASE_URL"),
    )
    port: int = Field(default=8000, validation_alias=AliasChoices("PORT", "JL_PORT"))
    secret_key: str = DEV_SECRET
    db_pool_size: int = 10
    lock_timeout_ms: int = 3000
    sqlite_busy_timeout_ms: int = 15000
    # PostgreSQL one-value reads on the event loop (``db.AsyncReads``): longer than this,
    # waiting for a free connection and the answer together, and the read is made in the
    # thread pool instead.
    loop_read_timeout_ms: int = Field(default=500, ge=1)

    # The trip planner's searches at once in this worker process (service.plans.slots):
    # one more waits up to ``planner_wait_s`` for one of them to end, then is refused
    # 503 ``planner_busy`` (a page says it on the form). A search is CPU-bound (the
    # work budget, docs/planner.md): more at once than cores only makes each slower.
    planner_concurrency: int = Field(default=2, ge=1)
    planner_wait_s: float = Field(default=2.0, ge=0)
    # Anonymous callers' fair share of the planner (service.plans.fair), by client
    # address: searches a minute (counted in the database, every worker together) and
    # searches at once in a worker (running or waiting for a slot); past either, 429
    # ``rate_limited`` with ``Retry-After``. A caller with an API key has its key's limit
    # instead. Why these numbers: docs/planner.md, "Searches at once".
    planner_anonymous_per_minute: int = Field(default=20, ge=1)
    planner_anonymous_at_once: int = Field(default=1, ge=1)

    quote_ttl_minutes: int = Field(default=30, ge=1, le=24 * 60)
    hold_ttl_minutes: int = Field(default=15, ge=1, le=24 * 60)
    page_limit_default: int = 20
    page_limit_max: int = 100
    max_body_bytes: int = 64 * 1024
    # A longer query string is 414 before routing (no page rendered, cached or kept).
    max_query_bytes: int = Field(default=2048, ge=256)
    max_units_held_per_client: int = 200
    # Anonymous unpaid units: units of one product in the running Stripe holds of all
    # anonymous bookings together, and rooms at once held by the anonymous bookings of one
    # client address (its running holds and its pay-at-property bookings of the last 24
    # hours; each booking counts its most units on any one night, service.at_once).
    max_anonymous_units_held_per_product: int = Field(default=20, ge=0)
    max_anonymous_units_held_per_address: int = Field(default=6, ge=0)
    rate_limit_per_minute: int = 600
    # The province's long-stay threshold in nights (docs/metrics.md): "停留超10天".
    long_stay_nights: int = Field(default=10, ge=1, le=400)
    access_log: bool = True
    # The in-process sweeper (service.worker.sweep_in_background): on in ``jilin serve``
    # (which sets JL_SWEEPER=true unless it is set, or --no-sweeper), off for an app made
    # otherwise (tests, a deployment starting uvicorn itself and running ``jilin worker``).
    sweeper: bool = False
    sweep_interval_s: float = Field(default=5.0, gt=0)
    # Days the webhook outbox keeps an event and its deliveries once nothing waits for
    # them (``jilin worker`` purges them: service.webhooks.tasks.purge_outbox). 30: a
    # partner's GET /v1/webhook-deliveries shows a month, long enough to look into a
    # failure reported weeks later, and the outbox and its gauges stay a month's size.
    # At least 7: past the worker's 3-day fan-out lookback and a delivery's ~5 h of
    # retries with room to spare (docs/webhooks.md, "How long deliveries are kept").
    webhook_retention_days: int = Field(default=30, ge=7)

    # ``JL_METRICS_TOKEN``: set, ``/metrics`` answers only ``Authorization: Bearer <it>``
    # (service.metrics.require_token); unset, anyone who reaches it reads it. Visible
    # ASCII only (``_visible_ascii_token``).
    metrics_token: str | None = None

    stripe_secret_key: str | None = None
    stripe_webhook_secret: str | None = None
    stripe_api_base: str | None = None
    stripe_payment_method_types: list[str] = ["card", "wechat_pay", "alipay"]

    @field_validator("metrics_token")
    @classmethod
    def _visible_ascii_token(cls, token: str | None) -> str | None:
        """A header value reaches the app as latin-1 bytes and the token is compared as
        UTF-8, so a token with a space, a control or a non-ASCII character could never be
        sent as set: refused at startup rather than every scrape answered 401."""
        if token and not all("!" <= c <= "~" for c in token):
            raise ValueError(
                "JL_METRICS_TOKEN must be visible ASCII characters only (letters, digits, "
                "punctuation; no spaces, controls or other characters): a scraper could "
                "never send it in its Authorization header"
            )
        return token

    @model_validator(mode="after")
    def _refuse_default_secret(self) -> "Settings":
        if self.env == "production" and self.secret_key == DEV_SECRET:
            raise ValueError("JL_SECRET_KEY must be set to a real secret in production")
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


@lru_cache
def get_settings() -> Settings:
    return Settings()
