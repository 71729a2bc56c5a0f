"""What operators sell: destination facts, products, seasons, add-on packs, filed prices.

Every function scopes through ``service.operators.scope`` (a destination, product or
pack outside the caller's destinations is 404, exactly as an unknown id), then checks
the role (``catalogue``: operator admins; the province reads but changes nothing
priced), then checks the data as the pricing engine does (``pricing.validate_product``)
and the fair-price rule (明码标价): a published rate above its filed list price (备案价)
is 422 ``above_filed_price``, and so is a filed price lowered below a rate already
published for its nights (a season's rate or a calendar override). Nothing is written
unless everything holds; each change is one audit entry (before and after), and each
change of a published nightly rate is kept in the public rate history.

The tables are catalogue-versioned (migration 0005): every write here bumps the
catalogue version, so the next quote on every worker prices with it; a stored quote
keeps its price.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

import pricing
from catalog.models import (
    AddOnPack,
    Destination,
    InventoryNight,
    Product,
    ProductPack,
    RateChange,
    Season,
)
from catalog.terms import product_terms
from catalog.vocab import CERTIFICATION_NAMES
from service.clock import local_date
from service.errors import Conflict, DomainError, Unprocessable
from service.operators import audit, errors
from service.operators.scope import CATALOGUE, Operator, destination_of, product_of, scoped

DESTINATION_FACTS = (
    "description_zh",
    "description_en",
    "nearest_hospital_km",
    "medical_insurance_station",
    "cross_province_settlement",
    "elder_friendly_rooms",
    "has_5g",
    "certifications",
)
PRODUCT_FIELDS = (
    "name_zh",
    "name_en",
    "description_zh",
    "description_en",
    "theme",
    "unit_type",
    "base_occupancy",
    "max_occupancy",
    "beds_per_unit",
    "min_nights",
    "max_nights",
    "duration_modules",
    "base_rate_fen",
    "filed_rate_fen",
    "extra_guest_fee_fen",
    "max_discount_bps",
    "refund_policy",
    "sold_from",
    "sold_until",
)
SEASON_FIELDS = (
    "name_zh",
    "name_en",
    "start_date",
    "end_date",
    "nightly_rate_fen",
    "filed_rate_fen",
)
PACK_FIELDS = (
    "kind",
    "name_zh",
    "name_en",
    "description_zh",
    "description_en",
    "price_fen",
    "basis",
)
RATE_HISTORY_HORIZON_DAYS = 365  # a base rate's change is recorded for the next year


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _snapshot(row: Any, fields: Sequence[str]) -> dict[str, Any]:
    return {f: _json(getattr(row, f)) for f in fields}


def _diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[dict, dict]:
    changed = [k for k in after if before.get(k) != after[k]]
    return {k: before.get(k) for k in changed}, {k: after[k] for k in changed}


def _record_update(
    session: Session,
    operator: Operator,
    row: Any,
    fields: Sequence[str],
    before: Mapping[str, Any],
    *,
    now: datetime,
    entity: str,
    destination_id: int,
) -> tuple[dict, dict]:
    """Write ``row`` and audit what changed since ``before``: one entry with only the
    changed fields (none when nothing changed). Returns (old values, new values)."""
    session.add(row)
    session.flush()
    old, new = _diff(before, _snapshot(row, fields))
    if new:
        audit.record(
            session,
            operator,
            now=now,
            action="update",
            entity=entity,
            entity_id=row.id,
            destination_id=destination_id,
            before=old,
            after=new,
        )
    return old, new


def _record_create(
    session: Session, operator: Operator, row: Any, after: dict, *, now: datetime, entity: str
) -> None:
    session.add(row)
    session.flush()
    audit.record(
        session,
        operator,
        now=now,
        action="create",
        entity=entity,
        entity_id=row.id,
        destination_id=row.destination_id,
        after=after,
    )


def _conflict(code: str, field: str, en: str, zh: str, **extra: Any) -> DomainError:
    return errors.make(Conflict, en, zh, code=code, field=field, **extra)


def _unprocessable(code: str, field: str, en: str, zh: str, **extra: Any) -> DomainError:
    return errors.make(Unprocessable, en, zh, code=code, field=field, **extra)


def above_filed(
    field: str, rate: int, filed: int, en: str = "", zh: str = "", **extra: Any
) -> DomainError:
    return _unprocessable(
        "above_filed_price",
        field,
        en or f"{rate} fen is above the filed list price (备案价) of {filed} fen.",
        zh or f"{rate} 分高于备案价 {filed} 分。",
        value=rate,
        limit=filed,
        **extra,
    )


def _override_above(
    field: str, found: tuple[date, int], limit: int, what_en: str, what_zh: str
) -> DomainError:
    """The refusal of a ceiling (a filed price, or the rate that is the ceiling where
    none is filed) lowered below a calendar override on sale: names the first night."""
    night, rate = found
    return above_filed(
        field,
        rate,
        limit,
        f"The calendar override of {rate} fen on {night} is above {what_en} of {limit} fen "
        "(明码标价); lower or clear the override first.",
        f"{night} 的日历房价 {rate} 分高于{what_zh} {limit} 分（明码标价）；请先调低或清除该房价。",
        night=night.isoformat(),
    )


# --- destinations -----------------------------------------------------------------------


def update_destination(
    session: Session,
    operator: Operator,
    destination_id: int,
    changes: Mapping[str, Any],
    *,
    now: datetime,
) -> Destination:
    """Facts travellers choose by: descriptions, facilities, certifications."""
    row = destination_of(session, operator, destination_id, "destination_id")
    operator.require(CATALOGUE)
    for i, code in enumerate(changes.get("certifications") or ()):
        if code not in CERTIFICATION_NAMES:
            raise _unprocessable(
                "invalid_certification",
                f"certifications[{i}]",
                f"Unknown certification {code!r}; one of {', '.join(CERTIFICATION_NAMES)}.",
                f"未知的认证 {code!r}。",
            )
    if "certifications" in changes:
        changes = {**changes, "certifications": list(dict.fromkeys(changes["certifications"]))}
    before = _snapshot(row, DESTINATION_FACTS)
    for field, value in changes.items():
        setattr(row, field, value)
    _record_update(
        session,
        operator,
        row,
        DESTINATION_FACTS,
        before,
        now=now,
        entity="destination",
        destination_id=row.id,
    )
    return row


# --- products ---------------------------------------------------------------------------


def products_in_scope(
    session: Session,
    operator: Operator,
    *,
    destination_id: int | None = None,
    active_only: bool = False,
) -> list[Product]:
    """The operator's products (by destination, then id)."""
    stmt = scoped(select(Product), operator, Product.destination_id)
    if destination_id is not None:
        destination_of(session, operator, destination_id, "destination_id")
        stmt = stmt.where(Product.destination_id == destination_id)
    if active_only:
        stmt = stmt.where(Product.is_active)
    return list(session.exec(stmt.order_by(Product.destination_id, Product.id)))


def seasons_of(session: Session, product_id: int) -> list[Season]:
    return list(
        session.exec(
            select(Season).where(Season.product_id == product_id).order_by(Season.start_date)
        )
    )


def packs_of(session: Session, product_id: int) -> list[AddOnPack]:
    return list(
        session.exec(
            select(AddOnPack)
            .join(ProductPack, ProductPack.pack_id == AddOnPack.id)
            .where(ProductPack.product_id == product_id)
            .order_by(AddOnPack.id)
        )
    )


def _check_refund_policy(tiers: Sequence[Mapping[str, int]]) -> list[dict[str, int]]:
    """Tiers ``{min_days_before_check_in, refund_bps}``: days distinct, bps within
    0..10000, a refund never larger when cancelling later; stored highest days first."""
    seen: set[int] = set()
    for i, tier in enumerate(tiers):
        if tier["min_days_before_check_in"] in seen:
            raise _unprocessable(
                "invalid_refund_policy",
                f"refund_policy[{i}].min_days_before_check_in",
                "Two tiers start at the same number of days.",
                "两档退款规则的天数相同。",
            )
        seen.add(tier["min_days_before_check_in"])
    ordered = sorted(tiers, key=lambda t: -t["min_days_before_check_in"])
    for earlier, later in zip(ordered, ordered[1:], strict=False):
        if later["refund_bps"] > earlier["refund_bps"]:
            # Named by its days: the tier that starts fewer days before check-in yet
            # refunds more is the one whose days are out of order with its refund.
            days, pct = later["min_days_before_check_in"], later["refund_bps"] / 100
            e_days, e_pct = earlier["min_days_before_check_in"], earlier["refund_bps"] / 100
            raise _unprocessable(
                "invalid_refund_policy",
                f"refund_policy[{list(tiers).index(later)}].min_days_before_check_in",
                f"Cancelling {days}+ days before check-in would refund {pct:.2f}%, more than "
                f"cancelling {e_days}+ days before ({e_pct:.2f}%): cancelling later may not "
                "refund more. Check the days of this tier.",
                f"入住前 {days} 天以上取消退 {pct:.2f}%，多于 {e_days} 天以上取消的 "
                f"{e_pct:.2f}%：越晚取消退款不能越多，请检查这一档的天数。",
            )
    return [
        {
            "min_days_before_check_in": int(t["min_days_before_check_in"]),
            "refund_bps": int(t["refund_bps"]),
        }
        for t in ordered
    ]


def _check_product(session: Session, product: Product) -> None:
    """The product as the engine would price it, and its base rate under its filed price."""
    try:
        pricing.validate_product(
            product_terms(product, seasons_of(session, product.id) if product.id else ()),
            field="product",
        )
    except pricing.PricingError as exc:
        field = exc.field.removeprefix("product.")
        raise _unprocessable("invalid_product", field, exc.detail, exc.detail_zh) from None
    filed = product.filed_rate_fen
    if filed is not None and product.base_rate_fen > filed:
        raise above_filed("base_rate_fen", product.base_rate_fen, filed)


def _published_above(
    session: Session, product_id: int, first: date, last: date | None, limit: int, *, outside=()
) -> tuple[date, int] | None:
    """The first night of ``first..last`` (``outside``: windows of nights to leave out)
    whose calendar override is above ``limit``, with that override; else None."""
    stmt = select(InventoryNight.night, InventoryNight.rate_override_fen).where(
        InventoryNight.product_id == product_id,
        InventoryNight.rate_override_fen > limit,
        InventoryNight.night >= first,
    )
    if last is not None:
        stmt = stmt.where(InventoryNight.night <= last)
    for start, end in outside:
        stmt = stmt.where(sa.or_(InventoryNight.night < start, InventoryNight.night >= end))
    row = session.exec(stmt.order_by(InventoryNight.night).limit(1)).first()
    return None if row is None else (row[0], row[1])


def _ceiling(product: Product) -> tuple[str, int]:
    """The ceiling of the product's nights outside seasons and the field that sets it:
    its filed price, else its base rate (where nothing is filed, the published rate is
    the ceiling)."""
    if product.filed_rate_fen is not None:
        return "filed_rate_fen", product.filed_rate_fen
    return "base_rate_fen", product.base_rate_fen


def _check_product_filed(
    session: Session, product: Product, today: date, before: Mapping[str, Any]
) -> None:
    """A product's ceiling (filed price, else base rate) lowered by this change not below
    a rate it publishes for nights outside seasons from today on (its calendar
    overrides): 422 naming the field that sets the ceiling and the first such night."""
    if product.id is None:
        return
    field, limit = _ceiling(product)
    old = before.get("filed_rate_fen")
    if limit >= (old if old is not None else before.get("base_rate_fen", limit)):
        return
    windows = [(s.start_date, s.end_date) for s in seasons_of(session, product.id)]
    found = _published_above(session, product.id, today, None, limit, outside=windows)
    if found is not None:
        what = ("the new filed price", "新的备案价")
        if field == "base_rate_fen":
            what = (
                "the new base rate (the ceiling, no filed price being set)",
                "新的基础房价（未备案时即上限）",
            )
        raise _override_above(field, found, limit, *what)


def _rate_change(
    session: Session,
    product_id: int,
    first: date,
    last: date,
    old: int,
    new: int,
    source: str,
    now: datetime,
    *,
    outside: Sequence[tuple[date, date]] = (),
) -> None:
    """Keep, in the public rate history, the change from ``old`` to ``new`` of the nights
    ``first..last`` whose published rate it really changes: one run per stretch of
    nights, leaving out the nights a calendar override prices (their rate did not move)
    and ``outside``, windows ``[start, end)`` priced by something else (the seasons, for
    a base rate)."""
    if old == new:
        return
    _rate_moves(
        session, product_id, first, last, lambda _: old, lambda _: new, source, now, outside=outside
    )


def _rate_moves(
    session: Session,
    product_id: int,
    first: date,
    last: date,
    old_of: Callable[[date], int],
    new_of: Callable[[date], int],
    source: str,
    now: datetime,
    *,
    outside: Sequence[tuple[date, date]] = (),
) -> None:
    """``_rate_change`` where the rate before and after may differ from night to night
    (``old_of``, ``new_of``: a night's rate): one run per stretch of nights that moved
    from the same rate to the same rate. A night whose rate is the same before and after
    is never recorded, so a change that leaves the past alone shows nothing there."""
    if first > last:
        return
    kept = set(
        session.exec(
            select(InventoryNight.night).where(
                InventoryNight.product_id == product_id,
                InventoryNight.night >= first,
                InventoryNight.night <= last,
                InventoryNight.rate_override_fen.is_not(None),
            )
        )
    )
    run: tuple[date, int, int] | None = None  # (first night, old rate, new rate)
    night = first
    while night <= last + timedelta(days=1):
        move: tuple[int, int] | None = None
        if (
            night <= last
            and night not in kept
            and not any(start <= night < end for start, end in outside)
        ):
            rates = (old_of(night), new_of(night))
            move = rates if rates[0] != rates[1] else None
        if run is not None and move != run[1:]:
            session.add(
                RateChange(
                    product_id=product_id,
                    first_night=run[0],
                    last_night=night - timedelta(days=1),
                    old_rate_fen=run[1],
                    new_rate_fen=run[2],
                    source=source,
                    changed_at=now,
                )
            )
            run = None
        if move is not None and run is None:
            run = (night, *move)
        night += timedelta(days=1)


def create_product(
    session: Session,
    operator: Operator,
    *,
    destination_id: int,
    slug: str,
    fields: Mapping[str, Any],
    now: datetime,
) -> Product:
    destination_of(session, operator, destination_id, "destination_id")
    operator.require(CATALOGUE)
    if session.exec(select(Product.id).where(Product.slug == slug)).first() is not None:
        raise _conflict(
            "slug_taken",
            "slug",
            f"A product with slug {slug!r} exists.",
            f"产品标识 {slug!r} 已存在。",
        )
    values = dict(fields)
    values["refund_policy"] = _check_refund_policy(values.get("refund_policy") or [])
    product = Product(destination_id=destination_id, slug=slug, is_active=True, **values)
    _check_product(session, product)
    after = {"slug": slug, **_snapshot(product, PRODUCT_FIELDS)}
    _record_create(session, operator, product, after, now=now, entity="product")
    return product


def update_product(
    session: Session,
    operator: Operator,
    product_id: int,
    changes: Mapping[str, Any],
    *,
    now: datetime,
    today: date,
) -> Product:
    product = product_of(session, operator, product_id, "product_id")
    operator.require(CATALOGUE)
    before = _snapshot(product, PRODUCT_FIELDS)
    values = dict(changes)
    if "refund_policy" in values:
        values["refund_policy"] = _check_refund_policy(values["refund_policy"] or [])
    with session.no_autoflush:
        for field, value in values.items():
            setattr(product, field, value)
        _check_product(session, product)
        _check_product_filed(session, product, today, before)
    old, new = _record_update(
        session,
        operator,
        product,
        PRODUCT_FIELDS,
        before,
        now=now,
        entity="product",
        destination_id=product.destination_id,
    )
    if "base_rate_fen" in new:
        last = product.sold_until or today + timedelta(days=RATE_HISTORY_HORIZON_DAYS)
        _rate_change(
            session,
            product.id,
            max(today, product.sold_from or today),
            last,
            old["base_rate_fen"],
            new["base_rate_fen"],
            "base",
            now,
            outside=[(s.start_date, s.end_date) for s in seasons_of(session, product.id)],
        )
        session.flush()
    return product


def set_active(
    session: Session, operator: Operator, product_id: int, active: bool, *, now: datetime
) -> Product:
    """Retire a product (no longer sold; its bookings stay) or put it back on sale."""
    product = product_of(session, operator, product_id, "product_id")
    operator.require(CATALOGUE)
    if product.is_active != active:
        product.is_active = active
        session.add(product)
        session.flush()
        audit.record(
            session,
            operator,
            now=now,
            action="reinstate" if active else "retire",
            entity="product",
            entity_id=product.id,
            destination_id=product.destination_id,
            before={"is_active": not active},
            after={"is_active": active},
        )
    return product


# --- seasons ----------------------------------------------------------------------------

# Where a season stands on a day (``season_state``). What has been sold or published for
# nights before today is history: an ended season is never changed nor removed, a running
# one keeps its past nights as they are (its first night, and its rate and filed price
# for them), and an upcoming one is changed freely.
UPCOMING, RUNNING, ENDED = "upcoming", "running", "ended"
RATE_FIELDS = ("nightly_rate_fen", "filed_rate_fen")


def season_state(season: Season, today: date) -> str:
    """``ended`` when its last night is before ``today`` (Asia/Shanghai), ``running``
    when it began before today and runs on, else ``upcoming``."""
    if season.end_date <= today:
        return ENDED
    if season.start_date < today:
        return RUNNING
    return UPCOMING


@dataclass(frozen=True)
class SeasonChange:
    """What a change of a season did: ``season`` holds the change; ``split_from`` is the
    running season it was split from when the change was of its rate or filed price
    (that season now ends with the night before today, and ``season`` is a new one from
    today), else None."""

    season: Season
    split_from: Season | None = None

    def said(self) -> tuple[str, str]:
        """The split in words (zh-CN, English); empty when there was none."""
        if self.split_from is None:
            return "", ""
        old, today = self.split_from, self.season.start_date
        last = today - timedelta(days=1)
        return (
            f"今天以前的晚上保持原价：季节 {old.id} 现在到 {last} 这一晚为止；新的价格从今天"
            f"（{today}）起生效，为此新建了季节 {self.season.id}（同名），"
            f"到 {self.season.end_date} 前一晚为止。",
            f"Nights before today keep their rate: season {old.id} now ends with the night of "
            f"{last}, and the new terms apply from today ({today}) in a new season "
            f"{self.season.id} of the same name, until the night before {self.season.end_date}.",
        )


def _season_of(session: Session, product: Product, season_id: int) -> Season:
    row = session.get(Season, season_id)
    if row is None or row.product_id != product.id:
        raise errors.not_found("season", season_id, "season_id")
    return row


def _check_season(session: Session, product: Product, season: Season, today: date) -> None:
    """A season's nights after a change: a range, no overlap, its rate under its filed
    price, and no calendar override from today on (the past is history) above its
    ceiling."""
    if season.end_date <= season.start_date:
        raise _unprocessable(
            "invalid_date_range",
            "end_date",
            "end_date (the first night after the season) must be after start_date.",
            "结束日期（季节后的第一晚）必须晚于开始日期。",
        )
    for other in seasons_of(session, product.id):
        if other.id == season.id:
            continue
        if season.start_date < other.end_date and other.start_date < season.end_date:
            raise _conflict(
                "season_overlap",
                "start_date",
                f"The nights {season.start_date}..{season.end_date} overlap season "
                f"{other.id} ({other.start_date}..{other.end_date}).",
                f"日期与季节 {other.id}（{other.start_date} 至 {other.end_date}）重叠。",
                season_id=other.id,
            )
    filed = season.filed_rate_fen
    if filed is not None and season.nightly_rate_fen > filed:
        raise above_filed("nightly_rate_fen", season.nightly_rate_fen, filed)
    limit = filed if filed is not None else season.nightly_rate_fen
    found = _published_above(
        session,
        product.id,
        max(season.start_date, today),
        season.end_date - timedelta(days=1),
        limit,
    )
    if found is not None:
        if filed is not None:
            raise _override_above(
                "filed_rate_fen", found, limit, "the season's filed price", "该季节的备案价"
            )
        raise _override_above(
            "nightly_rate_fen",
            found,
            limit,
            "the season's rate (the ceiling, no filed price being set)",
            "该季节的房价（未备案时即上限）",
        )


def _season_json(s: Season) -> dict[str, Any]:
    return _snapshot(s, SEASON_FIELDS)


def _season_ended(season: Season, field: str) -> DomainError:
    """409 ``season_ended``: an ended season's nights are history."""
    last = season.end_date - timedelta(days=1)
    return _conflict(
        "season_ended",
        field,
        f"This season ended: its last night was {last}. Its nights were sold and published "
        "at its rate and are history, so it is neither changed nor removed. For nights from "
        "today on, add a new season.",
        f"该季节已结束，最后一晚是 {last}。它的晚上已按其房价售出和公示，已是历史，不能修改或删除。"
        "今天起的晚上请新增季节。",
        season_id=season.id,
        last_night=last.isoformat(),
    )


def _season_started(season: Season, today: date) -> DomainError:
    """409 ``season_started``: a running season is not removed (its past nights would
    go back to the base rate); it is ended today instead."""
    return _conflict(
        "season_started",
        "season_id",
        f"This season began on {season.start_date}: its nights before today keep their rate, "
        f"so it cannot be removed. To stop it, set its end to today ({today}): its nights "
        "from today on go back to the base rate.",
        f"该季节已于 {season.start_date} 开始：今天以前的晚上保持原价，不能删除。要提前结束，"
        f"请把结束日期改为今天（{today}），今天起的晚上恢复基础房价。",
        season_id=season.id,
        start_date=season.start_date.isoformat(),
    )


def _running_start(season: Season) -> DomainError:
    return errors.invalid(
        "start_date",
        "nights_in_past",
        f"This season began on {season.start_date}: its nights before today keep their rate, "
        "so its first night is not moved. To change its rate from today on, change the rate "
        "(a new season then starts today); to stop it, set its end to today.",
        f"该季节已于 {season.start_date} 开始：今天以前的晚上保持原价，第一晚不能再改。"
        "要从今天起改价，请直接改房价（系统从今天起另建一个季节）；要提前结束，请把结束日期改为今天。",
    )


def _running_end(end: date, today: date) -> DomainError:
    return errors.invalid(
        "end_date",
        "nights_in_past",
        f"An end of {end} would put the nights from {end} to yesterday back to the base rate, "
        f"but nights before today keep their rate. Give today ({today}) or later.",
        f"结束日期 {end} 会把 {end} 至昨天的晚上改回基础房价，但今天以前的晚上保持原价。"
        f"请填今天（{today}）或以后。",
    )


def _no_night_left(field: str, today: date) -> DomainError:
    return errors.invalid(
        field,
        "nights_in_past",
        f"The season would end today ({today}): no night from today on would take the new "
        "rate, and nights before today keep theirs. Give a later end, or keep the rate.",
        f"季节将在今天（{today}）结束：今天起没有晚上会用到新的价格，今天以前的晚上保持原价。"
        "请填更晚的结束日期，或不改价格。",
    )


def _season_moves(
    session: Session,
    product: Product,
    before: Sequence[Season | tuple[date, date, int]],
    after: Sequence[Season | tuple[date, date, int]],
    now: datetime,
) -> None:
    """Keep in the rate history every night whose rate moved when the windows ``before``
    (seasons or ``(start, end, rate)``) became ``after``; nights outside them are priced
    by the base rate."""
    windows = [
        [w if isinstance(w, tuple) else (w.start_date, w.end_date, w.nightly_rate_fen) for w in ws]
        for ws in (before, after)
    ]
    if not windows[0] and not windows[1]:
        return

    def rate_in(ws: list[tuple[date, date, int]]) -> Callable[[date], int]:
        def rate(night: date) -> int:
            found = (r for start, end, r in ws if start <= night < end)
            return next(found, product.base_rate_fen)

        return rate

    every = windows[0] + windows[1]
    _rate_moves(
        session,
        product.id,
        min(start for start, _, _ in every),
        max(end for _, end, _ in every) - timedelta(days=1),
        rate_in(windows[0]),
        rate_in(windows[1]),
        "season",
        now,
    )


def create_season(
    session: Session,
    operator: Operator,
    product_id: int,
    fields: Mapping[str, Any],
    *,
    now: datetime,
) -> Season:
    product = product_of(session, operator, product_id, "product_id")
    operator.require(CATALOGUE)
    today = local_date(now)
    errors.not_in_past(fields["start_date"], today, "start_date")
    season = Season(product_id=product.id, **fields)
    with session.no_autoflush:
        _check_season(session, product, season, today)
    session.add(season)
    session.flush()
    _season_moves(session, product, [], [season], now)
    _season_audit(session, operator, product, season, "create", None, _season_json(season), now)
    return season


def update_season(
    session: Session,
    operator: Operator,
    product_id: int,
    season_id: int,
    changes: Mapping[str, Any],
    *,
    now: datetime,
) -> SeasonChange:
    """Change a season's names, nights, rate or filed price (备案价), never the price of
    a night before today (Asia/Shanghai, the injectable clock): an ended season is 409
    ``season_ended``; a running one keeps its first night (422 ``nights_in_past``) and
    may end today or later, and a change of its rate or filed price applies from today:
    it then ends with the night before today and a new season with its names and the
    new terms runs from today to its end (``SeasonChange.split_from``), in this
    transaction. Fields sent unchanged are no change (the console sends every field)."""
    product = product_of(session, operator, product_id, "product_id")
    season = _season_of(session, product, season_id)
    operator.require(CATALOGUE)
    today = local_date(now)
    before = _season_json(season)
    sent = {f: v for f, v in changes.items() if _json(v) != before[f]}
    if not sent:
        return SeasonChange(season)
    state = season_state(season, today)
    if state == ENDED:
        raise _season_ended(season, next(f for f in SEASON_FIELDS if f in sent))
    if state == UPCOMING:
        if "start_date" in sent:
            errors.not_in_past(sent["start_date"], today, "start_date")
    else:
        if "start_date" in sent:
            raise _running_start(season)
        if "end_date" in sent and sent["end_date"] < today:
            raise _running_end(sent["end_date"], today)
        if any(f in sent for f in RATE_FIELDS):
            return _split_season(session, operator, product, season, sent, today, now)
    old_window = [(season.start_date, season.end_date, season.nightly_rate_fen)]
    with session.no_autoflush:
        for field, value in sent.items():
            setattr(season, field, value)
        _check_season(session, product, season, today)
    session.add(season)
    session.flush()
    _season_moves(session, product, old_window, [season], now)
    old, new = _diff(before, _season_json(season))
    _season_audit(session, operator, product, season, "update", old, new, now)
    return SeasonChange(season)


def _split_season(
    session: Session,
    operator: Operator,
    product: Product,
    season: Season,
    sent: Mapping[str, Any],
    today: date,
    now: datetime,
) -> SeasonChange:
    """A running season's new rate or filed price, from today: the season ends with
    the night before today (its names as sent), and a new one from today to its end (as
    sent) carries its names and the new terms."""
    end = sent.get("end_date", season.end_date)
    if end <= today:
        raise _no_night_left(next(f for f in RATE_FIELDS if f in sent), today)
    before = _season_json(season)
    old_window = [(season.start_date, season.end_date, season.nightly_rate_fen)]
    with session.no_autoflush:
        for field in ("name_zh", "name_en"):
            if field in sent:
                setattr(season, field, sent[field])
        season.end_date = today
    session.add(season)
    session.flush()
    after = Season(
        product_id=product.id,
        name_zh=season.name_zh,
        name_en=season.name_en,
        start_date=today,
        end_date=end,
        nightly_rate_fen=sent.get("nightly_rate_fen", season.nightly_rate_fen),
        filed_rate_fen=sent.get("filed_rate_fen", season.filed_rate_fen),
    )
    with session.no_autoflush:
        _check_season(session, product, after, today)
    session.add(after)
    session.flush()
    _season_moves(session, product, old_window, [season, after], now)
    old, new = _diff(before, _season_json(season))
    _season_audit(session, operator, product, season, "update", old, new, now)
    created = {**_season_json(after), "split_from_season_id": season.id}
    _season_audit(session, operator, product, after, "create", None, created, now)
    return SeasonChange(after, split_from=season)


def delete_season(
    session: Session, operator: Operator, product_id: int, season_id: int, *, now: datetime
) -> None:
    """Its nights go back to the product's base rate: only an upcoming season's (a
    running one is 409 ``season_started``: end it today instead; an ended one 409
    ``season_ended``); refused (422 above_filed_price) while a calendar override in
    them is above the product's filed price."""
    product = product_of(session, operator, product_id, "product_id")
    season = _season_of(session, product, season_id)
    operator.require(CATALOGUE)
    today = local_date(now)
    state = season_state(season, today)
    if state == ENDED:
        raise _season_ended(season, "season_id")
    if state == RUNNING:
        raise _season_started(season, today)
    before = _season_json(season)
    _, limit = _ceiling(product)
    found = _published_above(
        session, product.id, season.start_date, season.end_date - timedelta(days=1), limit
    )
    if found is not None:
        raise _override_above(
            "season_id", found, limit, "the product's ceiling outside seasons", "产品季节外的上限"
        )
    _season_moves(session, product, [season], [], now)
    session.delete(season)
    session.flush()
    _season_audit(session, operator, product, season, "delete", before, None, now)


def _season_audit(session, operator, product, season, action, before, after, now) -> None:
    audit.record(
        session,
        operator,
        now=now,
        action=action,
        entity="season",
        entity_id=season.id,
        destination_id=product.destination_id,
        before=before,
        after=after if after is None else {"product_id": product.id, **after},
    )


# --- add-on packs -----------------------------------------------------------------------


def list_packs(
    session: Session, operator: Operator, destination_id: int | None
) -> list[tuple[AddOnPack, list[int]]]:
    """Packs of the operator's destinations with the products that offer each."""
    stmt = scoped(select(AddOnPack), operator, AddOnPack.destination_id)
    if destination_id is not None:
        destination_of(session, operator, destination_id, "destination_id")
        stmt = stmt.where(AddOnPack.destination_id == destination_id)
    packs = list(session.exec(stmt.order_by(AddOnPack.id)))
    offered: dict[int, list[int]] = {p.id: [] for p in packs}
    if packs:
        rows = session.exec(
            select(ProductPack.pack_id, ProductPack.product_id)
            .where(ProductPack.pack_id.in_(list(offered)))
            .order_by(ProductPack.product_id)
        )
        for pack_id, product_id in rows:
            offered[pack_id].append(product_id)
    return [(p, offered[p.id]) for p in packs]


def pack_of(session: Session, operator: Operator, pack_id: int, field: str) -> AddOnPack:
    row = session.exec(
        scoped(select(AddOnPack), operator, AddOnPack.destination_id).where(AddOnPack.id == pack_id)
    ).first()
    if row is None:
        raise errors.not_found("pack", pack_id, field)
    return row


def create_pack(
    session: Session,
    operator: Operator,
    *,
    destination_id: int,
    code: str,
    fields: Mapping[str, Any],
    now: datetime,
) -> AddOnPack:
    destination_of(session, operator, destination_id, "destination_id")
    operator.require(CATALOGUE)
    if session.exec(select(AddOnPack.id).where(AddOnPack.code == code)).first() is not None:
        raise _conflict(
            "pack_code_taken",
            "code",
            f"A pack with code {code!r} exists.",
            f"增值包代码 {code!r} 已存在。",
        )
    pack = AddOnPack(destination_id=destination_id, code=code, **fields)
    after = {"code": code, **_snapshot(pack, PACK_FIELDS)}
    _record_create(session, operator, pack, after, now=now, entity="pack")
    return pack


def update_pack(
    session: Session, operator: Operator, pack_id: int, changes: Mapping[str, Any], *, now: datetime
) -> AddOnPack:
    pack = pack_of(session, operator, pack_id, "pack_id")
    operator.require(CATALOGUE)
    before = _snapshot(pack, PACK_FIELDS)
    for field, value in changes.items():
        setattr(pack, field, value)
    _record_update(
        session,
        operator,
        pack,
        PACK_FIELDS,
        before,
        now=now,
        entity="pack",
        destination_id=pack.destination_id,
    )
    return pack


def set_product_packs(
    session: Session, operator: Operator, product_id: int, pack_ids: Sequence[int], *, now: datetime
) -> list[AddOnPack]:
    """The packs a product offers, all at its own destination."""
    product = product_of(session, operator, product_id, "product_id")
    wanted = list(dict.fromkeys(pack_ids))
    packs = [pack_of(session, operator, p, f"pack_ids[{i}]") for i, p in enumerate(pack_ids)]
    operator.require(CATALOGUE)
    for i, pack in enumerate(packs):
        if pack.destination_id != product.destination_id:
            raise _unprocessable(
                "pack_not_at_destination",
                f"pack_ids[{i}]",
                f"Pack {pack.id} belongs to another destination than the product's.",
                f"增值包 {pack.id} 不属于该产品所在的目的地。",
            )
    before = [p.id for p in packs_of(session, product.id)]
    if sorted(before) != sorted(wanted):
        session.exec(sa.delete(ProductPack).where(ProductPack.product_id == product.id))
        session.add_all([ProductPack(product_id=product.id, pack_id=p) for p in wanted])
        session.flush()
        audit.record(
            session,
            operator,
            now=now,
            action="set_packs",
            entity="product",
            entity_id=product.id,
            destination_id=product.destination_id,
            before={"pack_ids": before},
            after={"pack_ids": sorted(wanted)},
        )
    return packs_of(session, product.id)
