"""Small factories for catalogue rows. Each flushes and returns the row (ids set)."""

import itertools
from datetime import UTC, date, datetime, timedelta

from sqlmodel import Session

from catalog.models import (
    AddOnPack,
    Destination,
    DestinationCorridor,
    DestinationTheme,
    DiscountRule,
    DiscountRuleVersion,
    InventoryNight,
    Product,
    ProductPack,
    Season,
    StubIssuer,
    TicketStub,
    TransitLine,
    TransitStop,
)

_seq = itertools.count(1)


def _n() -> int:
    return next(_seq)


def make_destination(s: Session, *, themes=("forest_healing",), corridors=(), **kw) -> Destination:
    n = _n()
    d = Destination(
        slug=kw.pop("slug", f"dest-{n}"),
        name_zh=kw.pop("name_zh", f"目的地{n}"),
        name_en=kw.pop("name_en", f"Destination {n}"),
        pilot_kind=kw.pop("pilot_kind", "county"),
        prefecture=kw.pop("prefecture", "白山市"),
        lat=kw.pop("lat", 42.0),
        lon=kw.pop("lon", 128.0),
        **kw,
    )
    s.add(d)
    s.flush()
    for t in themes:
        s.add(DestinationTheme(destination_id=d.id, theme=t))
    for c in corridors:
        s.add(DestinationCorridor(destination_id=d.id, corridor=c))
    s.flush()
    return d


def make_pack(s: Session, destination: Destination, **kw) -> AddOnPack:
    n = _n()
    p = AddOnPack(
        code=kw.pop("code", f"pack-{n}"),
        destination_id=destination.id,
        kind=kw.pop("kind", "therapy"),
        name_zh=kw.pop("name_zh", f"增值包{n}"),
        name_en=kw.pop("name_en", f"Pack {n}"),
        price_fen=kw.pop("price_fen", 60_000),
        basis=kw.pop("basis", "per_week"),
        **kw,
    )
    s.add(p)
    s.flush()
    return p


def make_product(
    s: Session,
    destination: Destination | None = None,
    *,
    seasons=(),
    packs=(),
    inventory: tuple[date, int, int] | None = None,
    **kw,
) -> Product:
    """``seasons``: (start, end, rate_fen); ``inventory``: (first night, nights, units)."""
    destination = destination or make_destination(s)
    n = _n()
    p = Product(
        slug=kw.pop("slug", f"product-{n}"),
        destination_id=destination.id,
        theme=kw.pop("theme", "forest_healing"),
        name_zh=kw.pop("name_zh", f"产品{n}"),
        name_en=kw.pop("name_en", f"Product {n}"),
        unit_type=kw.pop("unit_type", "cabin"),
        base_occupancy=kw.pop("base_occupancy", 2),
        max_occupancy=kw.pop("max_occupancy", 3),
        min_nights=kw.pop("min_nights", 1),
        max_nights=kw.pop("max_nights", 90),
        base_rate_fen=kw.pop("base_rate_fen", 38_000),
        extra_guest_fee_fen=kw.pop("extra_guest_fee_fen", 8_000),
        refund_policy=kw.pop(
            "refund_policy",
            [
                {"min_days_before_check_in": 30, "refund_bps": 10000},
                {"min_days_before_check_in": 7, "refund_bps": 5000},
                {"min_days_before_check_in": 0, "refund_bps": 0},
            ],
        ),
        **kw,
    )
    s.add(p)
    s.flush()
    for start, end, rate in seasons:
        s.add(
            Season(
                product_id=p.id,
                start_date=start,
                end_date=end,
                nightly_rate_fen=rate,
                name_zh="旺季",
                name_en="Peak",
            )
        )
    for pack in packs:
        s.add(ProductPack(product_id=p.id, pack_id=pack.id))
    if inventory:
        first, nights, units = inventory
        for i in range(nights):
            s.add(
                InventoryNight(product_id=p.id, night=first + timedelta(days=i), total_units=units)
            )
    s.flush()
    return p


def make_line(s: Session, *, stops=(), **kw) -> TransitLine:
    n = _n()
    line = TransitLine(
        code=kw.pop("code", f"L{n}"),
        name_zh=kw.pop("name_zh", f"线路{n}"),
        name_en=kw.pop("name_en", f"Line {n}"),
        fare_fen=kw.pop("fare_fen", 5_600),
        **kw,
    )
    s.add(line)
    s.flush()
    for i, dest in enumerate(stops):
        s.add(TransitStop(line_id=line.id, seq=i, destination_id=dest.id))
    s.flush()
    return line


def make_issuer(s: Session, *, kind="scenic_area", destination=None, line=None, **kw):
    n = _n()
    issuer = StubIssuer(
        code=kw.pop("code", f"ISS{n}"),
        kind=kind,
        name_zh=kw.pop("name_zh", f"发行方{n}"),
        name_en=kw.pop("name_en", f"Issuer {n}"),
        destination_id=destination.id if destination else None,
        transit_line_id=line.id if line else None,
        **kw,
    )
    s.add(issuer)
    s.flush()
    return issuer


def make_stub(s: Session, issuer: StubIssuer, visit_date: date, persons: int = 2, **kw):
    stub = TicketStub(
        code=kw.pop("code", f"STUB-{_n():05d}"),
        issuer_id=issuer.id,
        visit_date=visit_date,
        persons=persons,
        **kw,
    )
    s.add(stub)
    s.flush()
    return stub


def make_rule(s: Session, kind: str, **terms) -> DiscountRule:
    """A rule with one version; ``terms`` are DiscountRuleVersion fields."""
    n = _n()
    rule = DiscountRule(key=terms.pop("key", f"{kind}-{n}"), kind=kind)
    s.add(rule)
    s.flush()
    s.add(
        DiscountRuleVersion(
            rule_id=rule.id,
            version=1,
            kind=kind,
            name_zh=terms.pop("name_zh", f"优惠{n}"),
            name_en=terms.pop("name_en", f"Deal {n}"),
            created_at=datetime.now(UTC),
            **terms,
        )
    )
    s.flush()
    return rule
