"""What operators sell: destination facts, products, add-on packs, filed prices (a
product's seasons are in ``service.operators.seasons``, under the same rules).

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

from collections.abc import Callable, Collection, Mapping, Sequence
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
from service.errors import Conflict, DomainError, Unprocessable
from service.operators import audit, errors
from service.operators.scope import CATALOGUE, Operator, destination_of, product_of, scoped
from service.pagination import keyset

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


def rate_above_filed(
    rate_field: str, rate: int, filed: int, sent: Collection[str], rate_en: str, rate_zh: str
) -> DomainError:
    """A rate above its own filed price, named by the one of the two the request changes:
    the filed price when the request sent it and not the rate (a PATCH of
    ``filed_rate_fen`` alone), else the rate. ``value`` is the rate, ``limit`` the filed
    price, either way."""
    if "filed_rate_fen" in sent and rate_field not in sent:
        return above_filed(
            "filed_rate_fen",
            rate,
            filed,
            f"The filed list price (备案价) of {filed} fen is below {rate_en} of {rate} fen.",
            f"备案价 {filed} 分低于{rate_zh} {rate} 分。",
        )
    return above_filed(rate_field, rate, filed)


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


def rows_at(
    session: Session,
    operator: Operator,
    model: type[Product] | type[AddOnPack],
    destination_id: int | None,
    *,
    after_id: int | None = None,
    limit: int | None = None,
    backward: bool = False,
) -> list:
    """The operator's products (active or not) or packs, by id (a page: after
    ``after_id``, at most ``limit``; ``backward``, ``pagination.keyset``), of one
    destination or all."""
    stmt = scoped(select(model), operator, model.destination_id)
    if destination_id is not None:
        stmt = stmt.where(model.destination_id == destination_id)
    stmt = keyset(stmt, model.id, after_id, backward=backward)
    return list(session.exec(stmt.limit(limit)))


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


def _check_product(
    session: Session, product: Product, changed: Collection[str] | None = None
) -> None:
    """The product as the engine would price it, and its base rate under its filed price;
    ``changed``: the fields an update changes, which a contradiction between two of them
    names (``pricing.validate_product``). A selling window whose last night is before
    its first is 422 ``invalid_range`` naming ``sold_until``, as every inclusive range of
    the admin API (``errors.check_days``)."""
    if product.sold_from is not None and product.sold_until is not None:
        errors.check_days(
            product.sold_from, product.sold_until, last_field="sold_until", ends=errors.SALE_ENDS
        )
    try:
        pricing.validate_product(
            product_terms(product, seasons_of(session, product.id) if product.id else ()),
            field="product",
            changed=changed,
        )
    except pricing.PricingError as exc:
        field = exc.field.removeprefix("product.")
        raise _unprocessable("invalid_product", field, exc.detail, exc.detail_zh) from None
    filed = product.filed_rate_fen
    if filed is not None and product.base_rate_fen > filed:
        raise rate_above_filed(
            "base_rate_fen",
            product.base_rate_fen,
            filed,
            changed or (),
            "the base rate",
            "基础房价",
        )


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
    changed = {field for field, value in values.items() if getattr(product, field) != value}
    with session.no_autoflush:
        for field, value in values.items():
            setattr(product, field, value)
        _check_product(session, product, changed)
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


# --- add-on packs -----------------------------------------------------------------------


def list_packs(
    session: Session,
    operator: Operator,
    destination_id: int | None,
    *,
    after_id: int | None = None,
    limit: int | None = None,
    backward: bool = False,
) -> list[tuple[AddOnPack, list[int]]]:
    """Packs of the operator's destinations with the products that offer each, by id (a
    page: after ``after_id``, at most ``limit``; ``backward``, ``pagination.keyset``)."""
    if destination_id is not None:
        destination_of(session, operator, destination_id, "destination_id")
    packs = rows_at(
        session,
        operator,
        AddOnPack,
        destination_id,
        after_id=after_id,
        limit=limit,
        backward=backward,
    )
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


def products_offering(session: Session, pack_id: int) -> list[int]:
    """The ids of the products that offer a pack (one fetched by ``pack_of``), by id."""
    return list(
        session.exec(
            select(ProductPack.product_id)
            .where(ProductPack.pack_id == pack_id)
            .order_by(ProductPack.product_id)
        )
    )


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
