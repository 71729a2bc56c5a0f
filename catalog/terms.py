"""The catalogue as the pricing engine reads it: rows -> pricing terms, and the reads a
quote makes. The one home of these catalogue reads (the quotes capability prices with
them; ``catalog.queries`` holds the browsing reads).

Each mapping is one function per type (``product_terms``, ``pack_offer``,
``season_terms``, ``transit_line_terms``, ``stub_info``, ``discount_rule``) so that a
quote and its ``reprice`` build exactly the same terms. They read columns by attribute,
so they take table objects or Core rows of those tables alike.

Loading for one quote reads only what the request names, one ``IN`` query per kind:
the catalogue version with the presented stubs, products, their seasons, their offered
packs, transit lines and the rules in force; the calendar's nightly rate overrides come
with the seasons (one query) and are laid over them (one join); the quotes
capability's cache skips the terms it holds for that version. Functions only read.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

import pricing
from catalog.models import (
    AddOnPack,
    Destination,
    DiscountRule,
    DiscountRuleVersion,
    InventoryNight,
    Product,
    ProductPack,
    Season,
    TicketStub,
    TransitLine,
    TransitStop,
)
from catalog.queries import VERSION, catalogue_version

# --- rows -> pricing terms -------------------------------------------------------------


def season_terms(row: Season) -> pricing.Season:
    return pricing.Season(
        start=row.start_date,
        end=row.end_date,
        nightly_rate_fen=row.nightly_rate_fen,
        name_zh=row.name_zh,
        name_en=row.name_en,
    )


def pack_offer(row: AddOnPack) -> pricing.PackOffer:
    return pricing.PackOffer(
        id=row.id,
        code=row.code,
        kind=pricing.PackKind(row.kind),
        name_zh=row.name_zh,
        name_en=row.name_en,
        price_fen=row.price_fen,
        basis=pricing.PackBasis(row.basis),
    )


def with_overrides(
    seasons: Sequence[pricing.Season], overrides: Sequence[tuple[date, int]]
) -> tuple[pricing.Season, ...]:
    """``seasons`` (sorted, disjoint) with the calendar's nightly rate overrides laid over
    them: each run of overridden nights at one rate becomes its own window (named after
    the season it falls in), and the seasons are cut around them. The engine prices
    nights by windows, so an override needs no change to it."""
    if not overrides:
        return tuple(seasons)

    def season_at(night: date) -> pricing.Season | None:
        return next((s for s in seasons if s.start <= night < s.end), None)

    windows: list[list] = []  # [start, end, rate, name_zh, name_en]
    for night, rate in sorted(overrides):
        around = season_at(night)
        names = (around.name_zh, around.name_en) if around else ("", "")
        last = windows[-1] if windows else None
        if last and last[1] == night and last[2] == rate and (last[3], last[4]) == names:
            last[1] = night + timedelta(days=1)
        else:
            windows.append([night, night + timedelta(days=1), rate, *names])
    out = [pricing.Season(a, b, rate, zh, en) for a, b, rate, zh, en in windows]
    for season in seasons:
        cursor = season.start
        for a, b, *_ in windows:
            if a < season.end and b > season.start:
                if a > cursor:
                    out.append(
                        pricing.Season(
                            cursor, a, season.nightly_rate_fen, season.name_zh, season.name_en
                        )
                    )
                cursor = max(cursor, b)
        if cursor < season.end:
            out.append(
                pricing.Season(
                    cursor, season.end, season.nightly_rate_fen, season.name_zh, season.name_en
                )
            )
    return tuple(sorted(out, key=lambda s: s.start))


def product_terms(
    row: Product,
    seasons: Iterable[Season] = (),
    packs: Iterable[AddOnPack] = (),
    overrides: Sequence[tuple[date, int]] = (),
) -> pricing.ProductTerms:
    """A product with its seasons (with the calendar's rate overrides laid over them,
    ``with_overrides``) and the packs it offers (packs in id order)."""
    return pricing.ProductTerms(
        id=row.id,
        destination_id=row.destination_id,
        theme=row.theme,
        name_zh=row.name_zh,
        name_en=row.name_en,
        base_rate_fen=row.base_rate_fen,
        base_occupancy=row.base_occupancy,
        max_occupancy=row.max_occupancy,
        extra_guest_fee_fen=row.extra_guest_fee_fen,
        seasons=with_overrides(
            tuple(season_terms(s) for s in sorted(seasons, key=lambda s: s.start_date)),
            overrides,
        ),
        max_discount_bps=row.max_discount_bps,
        min_nights=row.min_nights,
        max_nights=row.max_nights,
        duration_modules=tuple(row.duration_modules or ()),
        sold_from=row.sold_from,
        sold_until=row.sold_until,
        packs=tuple(pack_offer(p) for p in sorted(packs, key=lambda p: p.id)),
    )


def refund_tiers(policy: Iterable[Any] | None) -> list[dict[str, int]]:
    """A product's stored ``refund_policy`` as every answer gives it: its tiers
    ``{"min_days_before_check_in", "refund_bps"}`` as integers, highest tier first (the
    product's answer, and each stay of a quote, which keeps them as it was priced)."""
    tiers = [
        {
            "min_days_before_check_in": int(t.get("min_days_before_check_in", 0)),
            "refund_bps": int(t.get("refund_bps", 0)),
        }
        for t in policy or ()
        if isinstance(t, dict)
    ]
    return sorted(tiers, key=lambda t: -t["min_days_before_check_in"])


def transit_line_terms(row: TransitLine) -> pricing.TransitLineTerms:
    return pricing.TransitLineTerms(
        id=row.id, code=row.code, name_zh=row.name_zh, name_en=row.name_en, fare_fen=row.fare_fen
    )


def stub_info(row: TicketStub) -> pricing.StubInfo:
    return pricing.StubInfo(
        code=row.code, issuer_id=row.issuer_id, visit_date=row.visit_date, persons=row.persons
    )


def discount_rule(row: DiscountRuleVersion) -> pricing.DiscountRule:
    """One rule version; ``id`` is ``DiscountRule.id``, tiers come from the JSON list
    ``[{"threshold", "bps"}]`` sorted by threshold."""
    tiers = sorted((int(t["threshold"]), int(t["bps"])) for t in row.tiers or ())
    return pricing.DiscountRule(
        id=row.rule_id,
        version=row.version,
        kind=pricing.RuleKind(row.kind),
        name_zh=row.name_zh,
        name_en=row.name_en,
        destination_ids=frozenset(row.destination_ids or ()),
        themes=frozenset(row.themes or ()),
        product_ids=frozenset(row.product_ids or ()),
        channels=frozenset(row.channels or ()),
        booking_from=row.booking_from,
        booking_to=row.booking_to,
        check_in_from=row.check_in_from,
        check_in_to=row.check_in_to,
        tiers=tuple(pricing.Tier(threshold, bps) for threshold, bps in tiers),
        bps=row.bps,
        min_destinations=row.min_destinations,
        min_packs=row.min_packs,
        issuer_id=row.issuer_id,
        transit_line_ids=frozenset(row.transit_line_ids or ()),
        pack_kinds=frozenset(row.pack_kinds or ()),
        valid_days=row.valid_days,
    )


# --- loading what a request names ------------------------------------------------------
#
# Statements are built once at import and run on the session's connection (Core rows,
# read by attribute like the ORM objects the mapping functions also accept): this
# endpoint is benchmarked, and ORM identity-map bookkeeping buys nothing here.

_ids = sa.bindparam("ids", expanding=True)
_PRODUCTS = sa.select(Product.__table__).where(Product.__table__.c.id.in_(_ids))
_season = Season.__table__.c
_inv = InventoryNight.__table__.c
# Seasons and the calendar's nightly rate overrides in one query (``is_override`` tells
# them apart; an override row is one night: ``start_date`` = ``end_date`` = the night).
_SEASONS = sa.union_all(
    sa.select(
        _season.product_id,
        _season.start_date,
        _season.end_date,
        _season.nightly_rate_fen,
        _season.name_zh,
        _season.name_en,
        sa.literal(0).label("is_override"),
    ).where(_season.product_id.in_(_ids)),
    sa.select(
        _inv.product_id,
        _inv.night,
        _inv.night,
        _inv.rate_override_fen,
        sa.literal(""),
        sa.literal(""),
        sa.literal(1),
    ).where(_inv.product_id.in_(_ids), _inv.rate_override_fen.is_not(None)),
)
_PACKS = (
    sa.select(ProductPack.__table__.c.product_id, *AddOnPack.__table__.c)
    .join_from(
        ProductPack.__table__,
        AddOnPack.__table__,
        AddOnPack.__table__.c.id == ProductPack.__table__.c.pack_id,
    )
    .where(ProductPack.__table__.c.product_id.in_(_ids))
)
_LINES = sa.select(TransitLine.__table__).where(TransitLine.__table__.c.id.in_(_ids))
_STUBS = sa.select(TicketStub.__table__).where(
    TicketStub.__table__.c.code.in_(sa.bindparam("codes", expanding=True))
)
_rv = DiscountRuleVersion.__table__.c
_rule = DiscountRule.__table__.c
_booking_date = sa.bindparam("booking_date", type_=sa.Date)
_CURRENT_RULES = (
    sa.select(DiscountRuleVersion.__table__)
    .join_from(
        DiscountRuleVersion.__table__,
        DiscountRule.__table__,
        sa.and_(_rule.id == _rv.rule_id, _rule.current_version == _rv.version),
    )
    .where(_rule.is_active)
    .where(sa.or_(_rv.booking_to.is_(None), _rv.booking_to >= _booking_date))
    .order_by(_rv.rule_id)
)
_RULES_IN_FORCE = _CURRENT_RULES.where(
    sa.or_(_rv.booking_from.is_(None), _rv.booking_from <= _booking_date)
)


def _conn(db: Session | sa.Connection) -> sa.Connection:
    """Loaders take a session (its transaction's connection) or a connection."""
    return db.connection() if isinstance(db, Session) else db


@dataclass(slots=True)
class CatalogueTerms:
    """The terms of the products and lines a request names; inactive ones listed apart;
    each product's refund policy beside its terms (``refund_tiers``: the engine prices
    without it, a quote keeps it with each stay)."""

    products: dict[int, pricing.ProductTerms] = field(default_factory=dict)
    refund_policies: dict[int, list[dict[str, int]]] = field(default_factory=dict)
    transit_lines: dict[int, pricing.TransitLineTerms] = field(default_factory=dict)
    inactive_products: set[int] = field(default_factory=set)
    inactive_lines: set[int] = field(default_factory=set)


def load_terms(
    session: Session | sa.Connection, product_ids: Iterable[int], line_ids: Iterable[int]
) -> CatalogueTerms:
    """Products (with seasons and offered packs) and transit lines by id: 4 queries at
    most, none for an empty id set. Unknown ids are simply absent."""
    out = CatalogueTerms()
    conn = _conn(session)
    product_ids = sorted(set(product_ids))
    if product_ids:
        products = conn.execute(_PRODUCTS, {"ids": product_ids}).all()
        found = [p.id for p in products]
        seasons: dict[int, list] = defaultdict(list)
        packs: dict[int, list] = defaultdict(list)
        overrides: dict[int, list] = defaultdict(list)
        if found:
            for row in conn.execute(_SEASONS, {"ids": found}):
                if row.is_override:
                    overrides[row.product_id].append((row.start_date, row.nightly_rate_fen))
                else:
                    seasons[row.product_id].append(row)
            for row in conn.execute(_PACKS, {"ids": found}):
                packs[row.product_id].append(row)
        for p in products:
            out.products[p.id] = product_terms(p, seasons[p.id], packs[p.id], overrides[p.id])
            out.refund_policies[p.id] = refund_tiers(p.refund_policy)
            if not p.is_active:
                out.inactive_products.add(p.id)
    line_ids = sorted(set(line_ids))
    if line_ids:
        for line in conn.execute(_LINES, {"ids": line_ids}):
            out.transit_lines[line.id] = transit_line_terms(line)
            if not line.is_active:
                out.inactive_lines.add(line.id)
    return out


_STUBS_AND_VERSION = sa.select(
    VERSION.scalar_subquery().label("catalogue_version"), *TicketStub.__table__.c
).where(TicketStub.__table__.c.code.in_(sa.bindparam("codes", expanding=True)))


def version_and_stubs(
    conn: sa.Connection, codes: Iterable[str]
) -> tuple[int | None, dict[str, Any]]:
    """The catalogue version and the register entries (``ticket_stub`` rows, by
    upper-cased code: the register stores codes upper-case) of ``codes``, in one SELECT
    (one snapshot); a second only if none of the codes is found."""
    codes = sorted({c.upper() for c in codes})
    if codes:
        rows = conn.execute(_STUBS_AND_VERSION, {"codes": codes}).all()
        if rows:
            return rows[0].catalogue_version, {row.code.upper(): row for row in rows}
    return catalogue_version(conn), {}


def rules_in_force(
    session: Session | sa.Connection, booking_date: date
) -> list[pricing.DiscountRule]:
    """The current version of every active rule whose booking window holds
    ``booking_date``, in rule id order: one query."""
    rows = _conn(session).execute(_RULES_IN_FORCE, {"booking_date": booking_date})
    return [discount_rule(row) for row in rows]


def rules_not_ended(
    session: Session | sa.Connection, booking_date: date
) -> list[pricing.DiscountRule]:
    """The current version of every active rule whose booking window has not ended on
    ``booking_date``: those in force and those whose window opens later, in rule id
    order (the planner says when a plan's price would change if booked later)."""
    rows = _conn(session).execute(_CURRENT_RULES, {"booking_date": booking_date})
    return [discount_rule(row) for row in rows]


def rule_versions(
    session: Session, pairs: Sequence[tuple[int, int]]
) -> dict[tuple[int, int], pricing.DiscountRule]:
    """Exactly the given (rule_id, version) rows, whatever the rules' current versions."""
    if not pairs:
        return {}
    stmt = sa.select(DiscountRuleVersion.__table__).where(
        sa.tuple_(_rv.rule_id, _rv.version).in_([tuple(p) for p in pairs])
    )
    return {
        (row.rule_id, row.version): discount_rule(row) for row in session.connection().execute(stmt)
    }


# --- where legs board and alight -------------------------------------------------------

_dest = Destination.__table__.c
_stop = TransitStop.__table__.c
# The destinations a quote's legs name (``ids``), each with the lines (of ``lines``)
# that stop there: a destination no line of them serves comes once with ``line_id``
# null; an id that names no destination is absent.
_LEG_STOPS = (
    sa.select(_dest.id, _dest.slug, _dest.name_zh, _dest.name_en, _stop.line_id)
    .outerjoin(
        TransitStop.__table__,
        sa.and_(
            _stop.destination_id == _dest.id,
            _stop.line_id.in_(sa.bindparam("lines", expanding=True)),
        ),
    )
    .where(_dest.id.in_(_ids))
)


@dataclass(frozen=True, slots=True)
class LegStop:
    """A destination a leg names: its names, and which of the asked lines stop there."""

    id: int
    slug: str
    name_zh: str
    name_en: str
    line_ids: frozenset[int]


def leg_stops(
    conn: sa.Connection, destination_ids: Iterable[int], line_ids: Iterable[int]
) -> dict[int, LegStop]:
    """The destinations ``destination_ids`` that exist, by id, each with those of
    ``line_ids`` that stop there (one query; none for no id)."""
    ids = sorted(set(destination_ids))
    if not ids:
        return {}
    found: dict[int, Any] = {}
    lines: dict[int, set[int]] = defaultdict(set)
    for row in conn.execute(_LEG_STOPS, {"ids": ids, "lines": sorted(set(line_ids))}):
        found[row.id] = row
        if row.line_id is not None:
            lines[row.id].add(row.line_id)
    return {
        d: LegStop(row.id, row.slug, row.name_zh, row.name_en, frozenset(lines[d]))
        for d, row in found.items()
    }
