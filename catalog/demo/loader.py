"""Load the demo catalogue (``catalogue.json``) into the database, idempotently.

Rows are keyed by slug/code: a row that exists is left as it is, so loading twice
changes nothing. Dates in the file are relative (month-day seasons, day offsets for
stubs and rule windows) and resolved against ``today`` (the Asia/Shanghai date of the
load). Inventory covers the next 18 months from ``today``; a later load only adds the
nights that are missing.
"""

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session, select

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
    Route,
    RouteStop,
    Season,
    StubIssuer,
    TicketStub,
    TransitLine,
    TransitStop,
)
from catalog.vocab import default_pilot_status

CATALOGUE_PATH = Path(__file__).with_name("catalogue.json")
INVENTORY_DAYS = 548  # 18 months


def read_catalogue(path: Path = CATALOGUE_PATH) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def shanghai_today() -> date:
    return datetime.now(ZoneInfo("Asia/Shanghai")).date()


def _offset(today: date, days: int | None) -> date | None:
    return None if days is None else today + timedelta(days=days)


def _md(year: int, md: str) -> date:
    month, day = (int(x) for x in md.split("-"))
    return date(year, month, day)


def season_windows(start_md: str, end_md: str, first: date, last: date) -> list[tuple[date, date]]:
    """Dated [start, end) windows of a yearly pattern that touch [first, last]."""
    out = []
    for year in range(first.year - 1, last.year + 1):
        start = _md(year, start_md)
        end = _md(year + 1 if end_md <= start_md else year, end_md)
        if end > first and start <= last:
            out.append((start, end))
    return out


def load_demo(
    session: Session, today: date | None = None, catalogue: dict | None = None
) -> dict[str, int]:
    """Load what is missing; return how many rows of each kind were added."""
    today = today or shanghai_today()
    data = catalogue or read_catalogue()
    added = dict.fromkeys(
        (
            "destinations",
            "packs",
            "products",
            "inventory_nights",
            "transit_lines",
            "stub_issuers",
            "ticket_stubs",
            "discount_rules",
            "routes",
        ),
        0,
    )
    horizon_end = today + timedelta(days=INVENTORY_DAYS)

    dest_ids = _existing(session, Destination.slug, Destination.id)
    for d in data["destinations"]:
        if d["slug"] in dest_ids:
            continue
        fac = d.get("facilities", {})
        row = Destination(
            slug=d["slug"],
            name_zh=d["name_zh"],
            name_en=d["name_en"],
            description_zh=d.get("description_zh", ""),
            description_en=d.get("description_en", ""),
            pilot_kind=d["pilot_kind"],
            prefecture=d["prefecture"],
            lat=d["lat"],
            lon=d["lon"],
            nearest_hospital_km=fac.get("nearest_hospital_km", 0.0),
            medical_insurance_station=fac.get("medical_insurance_station", False),
            cross_province_settlement=fac.get("cross_province_settlement", False),
            elder_friendly_rooms=fac.get("elder_friendly_rooms", False),
            has_5g=fac.get("has_5g", False),
            certifications=d.get("certifications", []),
            directory_status=d.get("directory_status", "mature"),
            pilot_status=d.get("pilot_status")
            or default_pilot_status(
                d.get("directory_status", "mature"), d.get("certifications", [])
            ),
            is_real_place=d.get("is_real_place", True),
        )
        session.add(row)
        session.flush()
        dest_ids[row.slug] = row.id
        session.add_all([DestinationTheme(destination_id=row.id, theme=t) for t in d["themes"]])
        session.add_all(
            [
                DestinationCorridor(destination_id=row.id, corridor=c)
                for c in d.get("corridors", [])
                if c
            ]
        )
        added["destinations"] += 1

    pack_ids = _existing(session, AddOnPack.code, AddOnPack.id)
    for p in data["packs"]:
        if p["code"] in pack_ids:
            continue
        row = AddOnPack(
            code=p["code"],
            destination_id=dest_ids[p["destination"]],
            kind=p["kind"],
            name_zh=p["name_zh"],
            name_en=p["name_en"],
            description_zh=p.get("description_zh", ""),
            description_en=p.get("description_en", ""),
            price_fen=p["price_fen"],
            basis=p["basis"],
        )
        session.add(row)
        session.flush()
        pack_ids[row.code] = row.id
        added["packs"] += 1

    product_ids = _existing(session, Product.slug, Product.id)
    units_by_product: dict[int, int] = {}
    for p in data["products"]:
        if p["slug"] in product_ids:
            units_by_product[product_ids[p["slug"]]] = p["units_per_night"]
            continue
        row = Product(
            slug=p["slug"],
            destination_id=dest_ids[p["destination"]],
            theme=p["theme"],
            name_zh=p["name_zh"],
            name_en=p["name_en"],
            description_zh=p.get("description_zh", ""),
            description_en=p.get("description_en", ""),
            unit_type=p["unit_type"],
            base_occupancy=p["base_occupancy"],
            max_occupancy=p["max_occupancy"],
            beds_per_unit=p.get("beds_per_unit", p["base_occupancy"]),
            min_nights=p.get("min_nights"),
            max_nights=p.get("max_nights"),
            duration_modules=p.get("duration_modules", []),
            base_rate_fen=p["base_rate_fen"],
            extra_guest_fee_fen=p.get("extra_guest_fee_fen", 0),
            max_discount_bps=p.get("max_discount_bps", 3000),
            refund_policy=p.get("refund_policy", []),
            **p.get("room", {}),
        )
        session.add(row)
        session.flush()
        product_ids[row.slug] = row.id
        units_by_product[row.id] = p["units_per_night"]
        for s in p.get("seasons", []):
            for start, end in season_windows(s["start_md"], s["end_md"], today, horizon_end):
                session.add(
                    Season(
                        product_id=row.id,
                        name_zh=s["name_zh"],
                        name_en=s["name_en"],
                        start_date=start,
                        end_date=end,
                        nightly_rate_fen=s["nightly_rate_fen"],
                    )
                )
        session.add_all(
            [ProductPack(product_id=row.id, pack_id=pack_ids[c]) for c in p.get("packs", [])]
        )
        added["products"] += 1
    session.flush()
    added["inventory_nights"] = _fill_inventory(session, units_by_product, today, horizon_end)

    line_ids = _existing(session, TransitLine.code, TransitLine.id)
    for line in data["transit_lines"]:
        if line["code"] in line_ids:
            continue
        row = TransitLine(
            code=line["code"],
            name_zh=line["name_zh"],
            name_en=line["name_en"],
            fare_fen=line["fare_fen"],
        )
        session.add(row)
        session.flush()
        line_ids[row.code] = row.id
        session.add_all(
            [
                TransitStop(line_id=row.id, seq=i, destination_id=dest_ids[slug])
                for i, slug in enumerate(line["stops"])
            ]
        )
        added["transit_lines"] += 1

    issuer_ids = _existing(session, StubIssuer.code, StubIssuer.id)
    for i in data["stub_issuers"]:
        if i["code"] in issuer_ids:
            continue
        dest = i.get("destination")
        line_code = i.get("transit_line")
        row = StubIssuer(
            code=i["code"],
            kind=i["kind"],
            name_zh=i["name_zh"],
            name_en=i["name_en"],
            destination_id=dest_ids[dest] if dest else None,
            transit_line_id=line_ids[line_code] if line_code else None,
        )
        session.add(row)
        session.flush()
        issuer_ids[row.code] = row.id
        added["stub_issuers"] += 1

    stub_codes = _existing(session, TicketStub.code, TicketStub.id)
    for s in data["ticket_stubs"]:
        if s["code"] in stub_codes:
            continue
        session.add(
            TicketStub(
                code=s["code"],
                issuer_id=issuer_ids[s["issuer"]],
                visit_date=date.fromisoformat(s["visit_date"])
                if "visit_date" in s
                else today + timedelta(days=s["visit_offset_days"]),
                persons=s["persons"],
            )
        )
        added["ticket_stubs"] += 1

    rule_ids = _existing(session, DiscountRule.key, DiscountRule.id)
    now = datetime.now(UTC)
    for r in data["discount_rules"]:
        if r["key"] in rule_ids:
            continue
        rule = DiscountRule(key=r["key"], kind=r["kind"], current_version=1)
        session.add(rule)
        session.flush()
        scope = r.get("scope", {})
        session.add(
            DiscountRuleVersion(
                rule_id=rule.id,
                version=1,
                kind=r["kind"],
                name_zh=r["name_zh"],
                name_en=r["name_en"],
                description_zh=r.get("description_zh", ""),
                description_en=r.get("description_en", ""),
                destination_ids=sorted(dest_ids[s] for s in scope.get("destinations", [])),
                themes=sorted(scope.get("themes", [])),
                product_ids=sorted(product_ids[s] for s in scope.get("products", [])),
                channels=sorted(r.get("channels", [])),
                booking_from=_offset(today, r.get("booking_from_offset_days")),
                booking_to=_offset(today, r.get("booking_to_offset_days")),
                check_in_from=_offset(today, r.get("check_in_from_offset_days")),
                check_in_to=_offset(today, r.get("check_in_to_offset_days")),
                tiers=r.get("tiers", []),
                bps=r.get("bps", 0),
                min_destinations=r.get("min_destinations", 0),
                min_packs=r.get("min_packs", 0),
                issuer_id=issuer_ids[r["issuer"]] if r.get("issuer") else None,
                transit_line_ids=sorted(line_ids[c] for c in r.get("transit_lines", [])),
                pack_kinds=sorted(r.get("pack_kinds", [])),
                valid_days=r.get("valid_days", 0),
                created_at=now,
            )
        )
        added["discount_rules"] += 1

    route_ids = _existing(session, Route.slug, Route.id)
    for r in data.get("routes", []):
        if r["slug"] in route_ids:
            continue
        row = Route(
            slug=r["slug"],
            name_zh=r["name_zh"],
            name_en=r["name_en"],
            description_zh=r.get("description_zh", ""),
            description_en=r.get("description_en", ""),
            corridor=r.get("corridor"),
        )
        session.add(row)
        session.flush()
        session.add_all(
            [
                RouteStop(
                    route_id=row.id,
                    seq=i,
                    destination_id=dest_ids[stop["destination"]],
                    suggested_nights=stop["suggested_nights"],
                )
                for i, stop in enumerate(r["stops"], 1)
            ]
        )
        added["routes"] += 1
    session.flush()
    return added


def _existing(session: Session, key_col, id_col) -> dict:
    return {k: i for k, i in session.exec(select(key_col, id_col)).all()}


def _fill_inventory(
    session: Session, units_by_product: dict[int, int], first: date, end: date
) -> int:
    have: dict[int, set[date]] = {}
    rows = session.exec(
        select(InventoryNight.product_id, InventoryNight.night).where(
            InventoryNight.night >= first, InventoryNight.night < end
        )
    ).all()
    for pid, night in rows:
        have.setdefault(pid, set()).add(night)
    nights = [first + timedelta(days=i) for i in range((end - first).days)]
    batch = []
    for pid, units in sorted(units_by_product.items()):
        existing = have.get(pid, set())
        batch.extend(
            {"product_id": pid, "night": n, "total_units": units, "taken_units": 0}
            for n in nights
            if n not in existing
        )
    for i in range(0, len(batch), 5000):
        session.execute(sa.insert(InventoryNight), batch[i : i + 5000])
    return len(batch)
