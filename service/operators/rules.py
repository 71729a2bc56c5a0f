"""Discount rules managed by operators: create, change by a new version, retire.

A change never edits a version: it adds the next one (``current_version`` moves to it),
so a stored quote, which names the (rule, version) pairs it used, and a booking keep
their price; each version records who made it and when. A rule is an operator's when it
is scoped to destinations that are all the operator's (``scope.rule_is_visible``);
anything else is 404. Terms are checked by the pricing engine's own rule check
(``pricing.validation.rule_problem``) before they are stored: 422 naming the field.
"""

from dataclasses import dataclass
from datetime import date, datetime
from itertools import islice
from typing import Any

from sqlmodel import Session, select

from catalog.models import DiscountRule, DiscountRuleVersion, Product
from catalog.terms import discount_rule
from pricing.validation import rule_problem
from service.clock import local_date
from service.operators import audit, errors
from service.operators.scope import (
    RATES,
    Operator,
    products_of,
    require_destinations,
    rule_is_visible,
    scoped,
)
from service.pagination import keyset

TERM_FIELDS = (
    "name_zh",
    "name_en",
    "description_zh",
    "description_en",
    "destination_ids",
    "themes",
    "product_ids",
    "channels",
    "booking_from",
    "booking_to",
    "check_in_from",
    "check_in_to",
    "tiers",
    "bps",
    "min_destinations",
    "min_packs",
    "issuer_id",
    "transit_line_ids",
    "pack_kinds",
    "valid_days",
)


@dataclass
class RuleView:
    rule: DiscountRule
    versions: list[DiscountRuleVersion]


def _visible(session: Session, operator: Operator, rule_id: int) -> RuleView:
    rule = session.get(DiscountRule, rule_id)
    current = session.get(DiscountRuleVersion, (rule.id, rule.current_version)) if rule else None
    if current is None or not rule_is_visible(operator, current.destination_ids or []):
        raise errors.not_found("rule", rule_id, "rule_id")
    versions = list(
        session.exec(
            select(DiscountRuleVersion)
            .where(DiscountRuleVersion.rule_id == rule.id)
            .order_by(DiscountRuleVersion.version)
        )
    )
    return RuleView(rule, versions)


def rule_of(session: Session, operator: Operator, rule_id: int) -> RuleView:
    return _visible(session, operator, rule_id)


def _current_versions(
    session: Session, *where, after_id: int | None = None, backward: bool = False
) -> list[tuple[DiscountRule, DiscountRuleVersion]]:
    """Every rule with its current version, by id (after ``after_id``, or ``backward``:
    ``pagination.keyset``)."""
    stmt = (
        select(DiscountRule, DiscountRuleVersion)
        .join(
            DiscountRuleVersion,
            (DiscountRuleVersion.rule_id == DiscountRule.id)
            & (DiscountRuleVersion.version == DiscountRule.current_version),
        )
        .where(*where)
    )
    return session.exec(keyset(stmt, DiscountRule.id, after_id, backward=backward)).all()


def list_rules(
    session: Session,
    operator: Operator,
    *,
    after_id: int | None = None,
    limit: int | None = None,
    backward: bool = False,
    with_province_wide: bool = False,
) -> list[RuleView]:
    """The rules the operator sees with their current versions, by id (a page: those
    after ``after_id``, at most ``limit``; ``backward``, ``pagination.keyset``).
    Visibility is read from each version's destinations (``scope.rule_is_visible``), so
    the page is cut after that filter. ``with_province_wide`` (the console's list): for
    an operator, the active province-wide rules (naming no destination) that may price
    its products too, in the same walk by id, each once, to read only
    (``province_wide``). Until December 2026 the console listed those apart, every one
    of them on the first page and on no other, whatever their number."""
    theirs = _province_wide_of(session, operator) if with_province_wide else None
    shown = (
        RuleView(rule, [terms])
        for rule, terms in _current_versions(session, after_id=after_id, backward=backward)
        if rule_is_visible(operator, terms.destination_ids or [])
        or (theirs is not None and theirs(rule, terms))
    )
    return list(shown if limit is None else islice(shown, limit))


def province_wide(operator: Operator, view: RuleView) -> bool:
    """A row of ``list_rules(with_province_wide=True)`` the operator only reads: the
    province's (it can neither open nor change it, ``scope.rule_is_visible``), which a
    traveller's quote at its destinations applies."""
    return not rule_is_visible(operator, view.versions[-1].destination_ids or [])


def _province_wide_of(session: Session, operator: Operator):
    """Whether a rule and its current terms are a province-wide rule that may price the
    operator's products: active, naming no destination, and naming no product or one of
    the operator's. Never for the province (it sees every rule as its own)."""
    if operator.is_province:
        return lambda rule, terms: False
    own = {p.id for p in session.exec(scoped(select(Product), operator, Product.destination_id))}

    def theirs(rule: DiscountRule, terms: DiscountRuleVersion) -> bool:
        return (
            rule.is_active
            and not terms.destination_ids
            and (not terms.product_ids or bool(own & set(terms.product_ids)))
        )

    return theirs


def _scope_terms(session: Session, operator: Operator, terms: dict[str, Any]) -> dict[int, Product]:
    """The scope of what the terms name (404 naming ``destination_ids[i]`` or
    ``product_ids[i]``), checked before the role: the products named, by id."""
    require_destinations(session, operator, terms["destination_ids"], "destination_ids")
    if not terms["product_ids"]:
        return {}
    return products_of(session, operator, terms["product_ids"], "product_ids")


def _check_terms(
    kind: str,
    terms: dict[str, Any],
    products: dict[int, Product],
    rule_id: int,
    today: date,
) -> None:
    """The terms themselves, once the scope (404), the role (403) and the rule's state
    (409) are checked (docs/operators.md: scope, role, state, body): destinations named,
    each product at one of them, the date ranges (``errors.check_days``, 422
    ``invalid_range`` naming the end), the engine's own rule check (422), then the
    dates: a version whose booking or check-in dates ended before ``today`` (the
    Asia/Shanghai date of the injectable clock) is 422 ``nights_in_past``."""
    if not terms["destination_ids"]:
        raise errors.invalid(
            "destination_ids",
            "destinations_required",
            "An operator's rule names the destinations it applies to.",
            "运营方的优惠规则须指定适用的目的地。",
        )
    for i, p in enumerate(terms["product_ids"] or ()):
        if products[p].destination_id not in terms["destination_ids"]:
            raise errors.invalid(
                f"product_ids[{i}]",
                "product_outside_rule",
                f"Product {p} is not at one of the rule's destinations.",
                f"产品 {p} 不在规则适用的目的地。",
            )
    for first, last, ends in (
        ("booking_from", "booking_to", errors.BOOKING_ENDS),
        ("check_in_from", "check_in_to", errors.CHECK_IN_ENDS),
    ):
        if terms[first] is not None and terms[last] is not None:
            errors.check_days(terms[first], terms[last], last_field=last, ends=ends)
    candidate = DiscountRuleVersion(rule_id=rule_id, version=0, kind=kind, **terms)
    problem = (
        rule_problem(discount_rule(candidate))
        or _shrinking_tier(kind, terms["tiers"])
        or _free_nights(kind, terms)
    )
    if problem is not None:
        sub, detail, detail_zh = problem
        raise errors.invalid(sub, "invalid_rule", detail, detail_zh)
    # A version that could apply to no booking made from today on: its booking or
    # check-in dates ended (a rule in force, begun in the past, keeps its start).
    for field, what_en, what_zh in (
        ("booking_to", "the rule's last booking day", "该规则的最后预订日"),
        ("check_in_to", "the rule's last check-in day", "该规则的最后入住日"),
    ):
        if terms[field] is not None:
            errors.not_ended(terms[field], today, field, what_en, what_zh)


def _shrinking_tier(kind: str, tiers: list[dict[str, int]]) -> tuple[str, str, str] | None:
    """A tier (sorted by threshold) that discounts less than the one below it. The
    contract applies the *highest* tier met, not the one that saves most (PRICING.md,
    ``long_stay`` and ``advance_booking``), so such a tier would charge a longer stay,
    or a booking made earlier, more than a shorter or later one: refused, naming the
    tier's percentage."""
    for j in range(1, len(tiers)):
        lower, tier = tiers[j - 1], tiers[j]
        if tier["bps"] < lower["bps"]:
            what_en = "nights" if kind == "long_stay" else "days ahead"
            what_zh = "晚" if kind == "long_stay" else "天"
            return (
                f"tiers[{j}].bps",
                f"The tier from {tier['threshold']} {what_en} gives {tier['bps'] / 100:.2f}%, "
                f"less than the tier from {lower['threshold']} {what_en} "
                f"({lower['bps'] / 100:.2f}%): the highest tier met applies, so it would "
                "charge more. A higher tier must give at least as much.",
                f"{tier['threshold']} {what_zh}起的档位优惠 {tier['bps'] / 100:.2f}%，少于 "
                f"{lower['threshold']} {what_zh}起的档位（{lower['bps'] / 100:.2f}%）；"
                "按规则取满足条件的最高档，反而会收得更多。更高的档位优惠不能更少。",
            )
    return None


_STAY_KINDS = ("long_stay", "advance_booking", "trip_bundle")


def _free_nights(kind: str, terms: dict[str, Any]) -> tuple[str, str, str] | None:
    """A discount of the stay (``long_stay``, ``advance_booking``, ``trip_bundle``) of
    100%: it would give the nights away, and a night is never free (docs/pricing.md,
    choice 19; the engine prices as the contract says, so it is refused here). Refused,
    naming the percentage."""
    if kind not in _STAY_KINDS:
        return None
    named = [(f"tiers[{j}].bps", t["bps"]) for j, t in enumerate(terms.get("tiers") or [])]
    if kind == "trip_bundle":
        named = [("bps", terms.get("bps") or 0)]
    for sub, bps in named:
        if bps >= 10_000:
            return (
                sub,
                "A discount of the stay must be below 100%: a night is never free "
                "(close nights with stop-sell instead).",
                "住宿优惠须低于 100%：房晚不能免费（不售的晚上请用停售关闭）。",
            )
    return None


def terms_json(v: DiscountRuleVersion) -> dict[str, Any]:
    out = {f: getattr(v, f) for f in TERM_FIELDS}
    for f in ("booking_from", "booking_to", "check_in_from", "check_in_to"):
        out[f] = out[f].isoformat() if out[f] else None
    return out


def _record(session, operator, now, action, view: RuleView, before) -> None:
    current = view.versions[-1]
    audit.record_for(
        session,
        operator,
        current.destination_ids or [],
        now=now,
        action=action,
        entity="rule",
        entity_id=view.rule.id,
        before=before,
        after={"version": current.version, "is_active": view.rule.is_active, **terms_json(current)},
    )


def create_rule(
    session: Session,
    operator: Operator,
    *,
    key: str,
    kind: str,
    terms: dict[str, Any],
    now: datetime,
) -> RuleView:
    products = _scope_terms(session, operator, terms)
    operator.require(RATES)
    if session.exec(select(DiscountRule.id).where(DiscountRule.key == key)).first():
        raise errors.make(
            errors.Conflict,
            f"A rule with key {key!r} exists.",
            f"键为 {key!r} 的规则已存在。",
            code="rule_key_taken",
            field="key",
        )
    _check_terms(kind, terms, products, 0, local_date(now))
    rule = DiscountRule(key=key, kind=kind, current_version=1)
    session.add(rule)
    session.flush()
    version = DiscountRuleVersion(
        rule_id=rule.id,
        version=1,
        kind=kind,
        created_at=now,
        created_by=operator.login,
        **terms,
    )
    session.add(version)
    session.flush()
    view = RuleView(rule, [version])
    _record(session, operator, now, "create", view, None)
    return view


def add_version(
    session: Session, operator: Operator, rule_id: int, *, terms: dict[str, Any], now: datetime
) -> RuleView:
    """The rule's next version with ``terms`` (every term, as when creating)."""
    view = _visible(session, operator, rule_id)
    products = _scope_terms(session, operator, terms)
    operator.require(RATES)  # the role before the rule's state: 403, retired or not
    if not view.rule.is_active:
        raise errors.make(
            errors.Conflict,
            f"Rule {rule_id} is retired.",
            f"规则 {rule_id} 已停用。",
            code="rule_retired",
            field="rule_id",
        )
    _check_terms(view.rule.kind, terms, products, rule_id, local_date(now))
    current = view.versions[-1]
    unchanged = DiscountRuleVersion(rule_id=rule_id, version=0, kind=view.rule.kind, **terms)
    if terms_json(unchanged) == terms_json(current):
        raise errors.make(
            errors.Conflict,
            f"Nothing changed: these are the terms of version {current.version}; no new "
            "version was added.",
            f"没有任何改动：与第 {current.version} 版相同，未新增版本。",
            code="rule_unchanged",
            field="body",
        )
    before = {"version": view.rule.current_version, **terms_json(current)}
    number = view.versions[-1].version + 1
    version = DiscountRuleVersion(
        rule_id=rule_id,
        version=number,
        kind=view.rule.kind,
        created_at=now,
        created_by=operator.login,
        **terms,
    )
    session.add(version)
    view.rule.current_version = number
    session.add(view.rule)
    session.flush()
    view.versions.append(version)
    _record(session, operator, now, "new_version", view, before)
    return view


def retire(session: Session, operator: Operator, rule_id: int, *, now: datetime) -> RuleView:
    view = _visible(session, operator, rule_id)
    operator.require(RATES)
    if view.rule.is_active:
        view.rule.is_active = False
        session.add(view.rule)
        session.flush()
        _record(session, operator, now, "retire", view, {"is_active": True})
    return view
