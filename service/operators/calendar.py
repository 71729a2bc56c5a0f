"""The calendar bulk edit (preview and atomic apply) and the calendar grid.

* ``preview``: the plan (``catalog.calendar.plan_edit``) on the cells as they are, nothing
  written.
* ``apply``: the same plan made again on the cells locked in the booking order
  (``catalog.inventory.lock_cells``), then, only if no cell is refused, every change in
  one transaction: missing nights inserted (when ``units`` is set), one UPDATE of the
  chosen columns over the changed cells, the rate history, one audit entry per product.
  A refused cell refuses the whole edit: 409 (``units_below_taken``, ``no_inventory``)
  or 422 (``above_filed_price``), naming the first cell, with every refused cell
  listed; nothing is written. The UPDATE of calendar columns bumps the catalogue
  version (trigger), so every worker's next quote prices with it.

Who may change what: ``units``, ``stop_sell`` and the stay restrictions need the
``inventory`` permission (operator admin and staff); ``rate_override_fen`` needs
``rates`` (operator admin). The products must all be the caller's (else 404).
"""

from collections import Counter, defaultdict
from collections.abc import Collection
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from catalog import calendar, inventory, supply
from catalog.models import InventoryNight, Product, RateChange, Season
from pricing.labels import counted
from service.errors import Conflict, DomainError, Unprocessable
from service.operators import audit, errors
from service.operators.scope import INVENTORY, RATES, Operator, product_of, products_of, scoped
from service.text import NOT_NULLABLE
from service.validation_messages import zh_words

MAX_REFUSALS_LISTED = 100
MAX_CALENDAR_DAYS = 366
_T = InventoryNight.__table__


def check_permissions(operator: Operator, fields: Collection[str]) -> None:
    """The role an edit of ``fields`` needs (403 ``forbidden_role``)."""
    operator.require(INVENTORY)
    if calendar.RATE_FIELDS & set(fields):
        operator.require(RATES)


def edit_for(session: Session, operator: Operator, body, today: date) -> calendar.BulkEdit:
    """The edit ``body`` (``schemas.BulkEditIn``) asks for, checked in the admin API's
    order (docs/operators.md): the scope of its products (404 naming ``product_ids[i]``),
    then the role its fields need (403), then the edit itself (``bulk_edit_of``: the
    range, a past night, the stay limits). The API's and the console's one way in."""
    products_of(session, operator, list(body.product_ids), "product_ids")
    check_permissions(operator, body.set.model_fields_set)
    return bulk_edit_of(body, today)


def _load(
    session: Session, operator: Operator, edit: calendar.BulkEdit
) -> tuple[dict[int, Product], dict[int, calendar.ProductRates]]:
    products = products_of(session, operator, list(edit.product_ids), "product_ids")
    check_permissions(operator, edit.changes)
    seasons: dict[int, list[Season]] = defaultdict(list)
    for s in session.exec(select(Season).where(Season.product_id.in_(sorted(products)))):
        seasons[s.product_id].append(s)
    rates = {pid: calendar.product_rates(p, seasons[pid]) for pid, p in products.items()}
    return products, rates


def _cells(rows) -> dict[tuple[int, date], calendar.Cell]:
    return {(r.product_id, r.night): calendar.Cell.of(r) for r in rows}


def preview(session: Session, operator: Operator, edit: calendar.BulkEdit) -> calendar.EditPlan:
    _products, rates = _load(session, operator, edit)
    rows = session.connection().execute(
        sa.select(_T).where(
            _T.c.product_id.in_(sorted(rates)),
            _T.c.night >= edit.first,
            _T.c.night <= edit.last,
        )
    )
    return calendar.plan_edit(edit, rates, _cells(rows))


def refusal_json(r: calendar.Refusal) -> dict:
    return {
        "product_id": r.product_id,
        "night": r.night.isoformat(),
        "field": r.field,
        "code": r.code,
        "value": r.value,
        "limit": r.limit,
    }


def _refused_problem(plan: calendar.EditPlan) -> DomainError:
    first = plan.refused[0]
    cell = f"{first.product_id}/{first.night.isoformat()}"
    listed = [refusal_json(r) for r in plan.refused[:MAX_REFUSALS_LISTED]]
    if first.code == calendar.ABOVE_FILED_PRICE:
        en = (
            f"A rate of {first.value} fen for product {first.product_id} on {first.night} is "
            f"above its filed price of {first.limit} fen (明码标价); nothing was changed."
        )
        zh = (
            f"产品 {first.product_id} 在 {first.night} 的价格 {first.value} 分高于备案价 "
            f"{first.limit} 分；未做任何修改。"
        )
        cls = Unprocessable
    elif first.code == calendar.MIN_STAY_ABOVE_MAX_STAY:
        return _stay_limits_problem(
            first.field,
            first.value,
            first.limit,
            cell=cell,
            refused_count=len(plan.refused),
            refused=listed,
        )
    elif first.code == calendar.UNITS_BELOW_TAKEN:
        en = (
            f"Product {first.product_id} has {counted(first.limit, 'unit')} taken on "
            f"{first.night}: "
            f"units cannot be set to {first.value}; nothing was changed."
        )
        zh = (
            f"产品 {first.product_id} 在 {first.night} 已占用 {first.limit} 间，"
            f"不能设为 {first.value}；未做任何修改。"
        )
        cls = Conflict
    else:
        en = (
            f"Product {first.product_id} has no inventory on {first.night}; set units to "
            "publish the night. Nothing was changed."
        )
        zh = f"产品 {first.product_id} 在 {first.night} 没有库存，请设置房量；未做任何修改。"
        cls = Conflict
    return errors.make(
        cls,
        en,
        zh,
        code=first.code,
        field=f"set.{first.field}",
        cell=cell,
        refused_count=len(plan.refused),
        refused=listed,
    )


def apply(
    session: Session,
    operator: Operator,
    edit: calendar.BulkEdit,
    *,
    now: datetime,
    lock_timeout_ms: int,
) -> calendar.EditPlan:
    products, rates = _load(session, operator, edit)
    try:
        rows = inventory.lock_cells(
            session,
            sorted(rates),
            edit.first,
            edit.last + timedelta(days=1),
            lock_timeout_ms=lock_timeout_ms,
        )
    except inventory.InventoryBusy:
        raise _busy() from None
    plan = calendar.plan_edit(edit, rates, _cells(rows))
    if plan.refused:
        raise _refused_problem(plan)
    conn = session.connection()
    if plan.missing:
        try:
            conn.execute(
                sa.insert(_T),
                [
                    {"product_id": p, "night": n, "total_units": 0, "taken_units": 0}
                    for p, n in plan.missing
                ],
            )
        except sa.exc.IntegrityError:  # another edit published the night meanwhile
            raise _busy() from None
    values = {calendar.COLUMNS[f]: v for f, v in edit.changes.items()}
    changed_products = sorted({p for p, _n in plan.changed})
    if plan.changed:
        # One UPDATE over every cell of the edit: all get the same values, and the ones
        # already equal are rewritten unchanged (cheaper than a statement per product).
        conn.execute(
            sa.update(_T)
            .where(
                _T.c.product_id.in_(sa.bindparam("products", expanding=True)),
                _T.c.night.in_(sa.bindparam("nights", expanding=True)),
            )
            .values(**values),
            {"products": changed_products, "nights": edit.nights()},
        )
    if plan.rate_runs:
        conn.execute(
            sa.insert(RateChange.__table__),
            [
                {
                    "product_id": r.product_id,
                    "first_night": r.first_night,
                    "last_night": r.last_night,
                    "old_rate_fen": r.old_rate_fen,
                    "new_rate_fen": r.new_rate_fen,
                    "source": r.source,
                    "changed_at": now,
                }
                for r in plan.rate_runs
            ],
        )
    audit.record_many(
        session,
        operator,
        now=now,
        entries=[
            {
                "action": "bulk_edit",
                "entity": "calendar",
                "entity_id": product_id,
                "destination_id": products[product_id].destination_id,
                "before": before,
                "after": after,
            }
            for product_id, (before, after) in edit_records(edit, plan).items()
        ],
    )
    return plan


def edit_records(
    edit: calendar.BulkEdit, plan: calendar.EditPlan
) -> dict[int, tuple[dict[str, Any], dict[str, Any]]]:
    """Per product whose cells ``plan`` changes, the before and after of its audit entry:
    before, per field, the runs of nights that held one value (``runs_json``); after,
    the nights, weekdays, what is set and how many of its cells change. ``apply``
    records them; the console's preview says them before anything is written, in the
    audit log's words, so what it shows is what the log will say."""
    scope = {
        "first": edit.first.isoformat(),
        "last": edit.last.isoformat(),
        "weekdays": sorted(edit.weekdays),
        "set": dict(edit.changes),
    }
    cells = Counter(p for p, _n in plan.changed)
    return {
        product_id: (
            {f: calendar.runs_json(runs) for f, runs in plan.before.get(product_id, {}).items()},
            {**scope, "cells": changed},
        )
        for product_id, changed in sorted(cells.items())
    }


def _busy() -> DomainError:
    return errors.make(
        Conflict,
        "The calendar is being changed by a booking or another edit; try again.",
        "库存正被预订或其他修改占用，请重试。",
        code="inventory_busy",
        field="product_ids",
    )


def grid(
    session: Session, operator: Operator, product_id: int, first: date, last: date
) -> tuple[Product, calendar.ProductRates, list[tuple[date, calendar.Cell | None]]]:
    """One product's cells over ``first..last`` (``None``: no inventory that night)."""
    products, rates = _load_read(session, operator, product_id)
    rows = session.connection().execute(
        sa.select(_T).where(_T.c.product_id == product_id, _T.c.night >= first, _T.c.night <= last)
    )
    cells = {r.night: calendar.Cell.of(r) for r in rows}
    out, d = [], first
    while d <= last:
        out.append((d, cells.get(d)))
        d += timedelta(days=1)
    return products[product_id], rates[product_id], out


def _load_read(session: Session, operator: Operator, product_id: int):
    product = product_of(session, operator, product_id, "product_id")  # a path parameter
    products = {product_id: product}
    seasons = list(session.exec(select(Season).where(Season.product_id == product_id)))
    return products, {product_id: calendar.product_rates(products[product_id], seasons)}


def occupancy(
    session: Session, operator: Operator, first: date, last: date
) -> list[tuple[date, int, int]]:
    """Per night from ``first`` to ``last``: units on sale and units taken, summed over
    the products of the operator's destinations, by the reports' rule
    (``catalog.supply.units_on_sale``): a night of a retired product or a stop-sold night
    is not on sale, so it counts as on sale only its units taken (sold before it was
    closed or retired) and never the units left; a night closed everywhere reads as its
    sales alone (100% when anything was sold), and the occupancy is never above 100%.
    Nights without inventory, and a retired product's nights with nothing taken, are
    left out (``catalog.supply.of_a_product_shown``)."""
    stmt = (
        select(
            InventoryNight.night,
            sa.func.sum(supply.units_on_sale()),
            sa.func.sum(InventoryNight.taken_units),
        )
        .join(Product, Product.id == InventoryNight.product_id)
        .where(
            supply.of_a_product_shown(),
            InventoryNight.night >= first,
            InventoryNight.night <= last,
        )
        .group_by(InventoryNight.night)
        .order_by(InventoryNight.night)
    )
    stmt = scoped(stmt, operator, Product.destination_id)
    return [(night, int(units), int(taken)) for night, units, taken in session.exec(stmt)]


def bulk_edit_of(body, today: date) -> calendar.BulkEdit:
    """The edit a request asks for (``schemas.BulkEditIn``, from the API's JSON or the
    console's form), checked: a range of at most a year that starts today or later
    (Asia/Shanghai: a past night is never changed, so an edit from a past date is
    refused, 422 ``nights_in_past`` naming ``from``, with ``first_night`` and ``today``,
    rather than cut short unsaid), at least one field chosen, no null where a field needs
    a value, and no minimum stay above the maximum stay it sets (422
    ``min_stay_above_max_stay`` naming ``set.max_stay``; against a night's own limits,
    each such night is refused)."""
    errors.check_days(body.from_, body.to, last_field="to", most=MAX_CALENDAR_DAYS)
    if body.from_ < today:
        raise errors.invalid(
            "from",
            "nights_in_past",
            f"The first night, {body.from_}, is before today ({today}): past nights are not "
            "changed. Start from today or later.",
            f"第一晚 {body.from_} 早于今天（{today}）：过去的日期不能修改，请从今天或以后开始。",
            first_night=body.from_.isoformat(),
            today=today.isoformat(),
        )
    chosen = body.set.model_fields_set
    if not chosen:
        raise errors.invalid(
            "set", "nothing_to_set", "Choose at least one field to set.", "请至少选择一个字段。"
        )
    changes = {f: getattr(body.set, f) for f in calendar.FIELDS if f in chosen}
    for name in ("units", "stop_sell", "closed_to_arrival", "closed_to_departure"):
        if name in changes and changes[name] is None:
            raise errors.invalid(  # in words, as a PATCH's not_nullable (field: which)
                f"set.{name}",
                NOT_NULLABLE,
                "Must not be null: leave the field out to keep the nights' values.",
                zh_words(NOT_NULLABLE),
            )
    contradiction = calendar.stay_limits_contradiction(changes)
    if contradiction is not None:
        raise _stay_limits_problem(*contradiction)
    return calendar.BulkEdit(
        product_ids=tuple(body.product_ids),
        first=body.from_,
        last=body.to,
        weekdays=frozenset(body.weekdays),
        changes=changes,
    )


def _stay_limits_problem(field: str, value: int, limit: int, **extra) -> DomainError:
    """The edit's ``field`` set to ``value`` contradicts the night's other stay limit
    ``limit`` (see ``calendar.stay_limits_contradiction``)."""
    most, least = (value, limit) if field == "max_stay" else (limit, value)
    return errors.make(
        Unprocessable,
        f"A minimum stay of {least} nights is above the maximum stay of {most}: no stay "
        "could arrive. Nothing was changed.",
        f"最少入住 {least} 晚多于最多入住 {most} 晚，将无法入住；未做任何修改。",
        code=calendar.MIN_STAY_ABOVE_MAX_STAY,
        field=f"set.{field}",
        **extra,
    )


def grid_cells(
    session: Session, operator: Operator, product_id: int, first: date, last: date
) -> tuple[Product, list[dict]]:
    """One product's calendar as shown (API and console): per night the units, taken and
    left, the effective rate (override, else the season's), the filed price and the
    restrictions."""
    errors.check_days(first, last, last_field="to", most=MAX_CALENDAR_DAYS)
    product, rates, cells = grid(session, operator, product_id, first, last)
    out = []
    for night, cell in cells:
        published, filed = rates.published(night)
        c = cell or calendar.Cell(units=0)
        out.append(
            {
                "night": night.isoformat(),
                "published": cell is not None,
                "units": cell.units if cell else None,
                "units_taken": cell.taken_units if cell else None,
                "units_left": cell.units - cell.taken_units if cell else None,
                "rate_fen": c.rate_override_fen if c.rate_override_fen is not None else published,
                "rate_override_fen": c.rate_override_fen,
                "filed_rate_fen": filed,
                "stop_sell": c.stop_sell,
                "min_stay_arrival": c.min_stay_arrival,
                "min_stay_through": c.min_stay_through,
                "max_stay": c.max_stay,
                "closed_to_arrival": c.closed_to_arrival,
                "closed_to_departure": c.closed_to_departure,
            }
        )
    return product, out
