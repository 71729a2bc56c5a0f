"""What a quote row stores, as JSON: the request, the terms it was priced with, the result.

``priced_json`` turns the engine's ``PricedQuote`` into the language-neutral response
payload (both ``label_zh`` and ``label_en``; items and legs without their lines, which
are kept once in the flat ``lines`` list). ``terms_json`` / ``terms_from_json`` keep
the catalogue terms the engine was given, so ``reprice`` needs only the rule versions
from the database.
"""

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import pricing


def _iso(d: date | None) -> str | None:
    return None if d is None else d.isoformat()


def _date(s: str | None) -> date | None:
    return None if s is None else date.fromisoformat(s)


def _value(v: Any) -> Any:
    """A StrEnum as its plain string (JSON columns and pydantic both want str)."""
    return None if v is None else str(v)


# --- the request -----------------------------------------------------------------------


def pricing_request(
    request: Mapping[str, Any], stubs: Sequence[pricing.StubInfo], booking_date: date, channel: str
) -> pricing.QuoteRequest:
    """The engine's request from the stored (or just validated) JSON request."""
    return pricing.QuoteRequest(
        items=tuple(
            pricing.StayItemRequest(
                product_id=i["product_id"],
                check_in=_date(i["check_in"]),
                check_out=_date(i["check_out"]),
                guests=i["guests"],
                units=i["units"],
                pack_ids=tuple(i["pack_ids"]),
            )
            for i in request["items"]
        ),
        legs=tuple(
            pricing.TransitLegRequest(
                line_id=g["line_id"], travel_date=_date(g["travel_date"]), riders=g["riders"]
            )
            for g in request["legs"]
        ),
        stubs=tuple(stubs),
        booking_date=booking_date,
        channel=pricing.Channel(channel),
    )


# --- catalogue terms -------------------------------------------------------------------


def _product_json(t: pricing.ProductTerms) -> dict[str, Any]:
    return {
        "id": t.id,
        "destination_id": t.destination_id,
        "theme": t.theme,
        "name_zh": t.name_zh,
        "name_en": t.name_en,
        "base_rate_fen": t.base_rate_fen,
        "base_occupancy": t.base_occupancy,
        "max_occupancy": t.max_occupancy,
        "extra_guest_fee_fen": t.extra_guest_fee_fen,
        "seasons": [
            {
                "start": _iso(s.start),
                "end": _iso(s.end),
                "nightly_rate_fen": s.nightly_rate_fen,
                "name_zh": s.name_zh,
                "name_en": s.name_en,
            }
            for s in t.seasons
        ],
        "max_discount_bps": t.max_discount_bps,
        "min_nights": t.min_nights,
        "max_nights": t.max_nights,
        "duration_modules": list(t.duration_modules),
        "sold_from": _iso(t.sold_from),
        "sold_until": _iso(t.sold_until),
        "packs": [
            {
                "id": p.id,
                "code": p.code,
                "kind": _value(p.kind),
                "name_zh": p.name_zh,
                "name_en": p.name_en,
                "price_fen": p.price_fen,
                "basis": _value(p.basis),
            }
            for p in t.packs
        ],
    }


def _product_from_json(d: Mapping[str, Any]) -> pricing.ProductTerms:
    return pricing.ProductTerms(
        id=d["id"],
        destination_id=d["destination_id"],
        theme=d["theme"],
        name_zh=d["name_zh"],
        name_en=d["name_en"],
        base_rate_fen=d["base_rate_fen"],
        base_occupancy=d["base_occupancy"],
        max_occupancy=d["max_occupancy"],
        extra_guest_fee_fen=d["extra_guest_fee_fen"],
        seasons=tuple(
            pricing.Season(
                start=_date(s["start"]),
                end=_date(s["end"]),
                nightly_rate_fen=s["nightly_rate_fen"],
                name_zh=s["name_zh"],
                name_en=s["name_en"],
            )
            for s in d["seasons"]
        ),
        max_discount_bps=d["max_discount_bps"],
        min_nights=d["min_nights"],
        max_nights=d["max_nights"],
        duration_modules=tuple(d["duration_modules"]),
        sold_from=_date(d["sold_from"]),
        sold_until=_date(d["sold_until"]),
        packs=tuple(
            pricing.PackOffer(
                id=p["id"],
                code=p["code"],
                kind=pricing.PackKind(p["kind"]),
                name_zh=p["name_zh"],
                name_en=p["name_en"],
                price_fen=p["price_fen"],
                basis=pricing.PackBasis(p["basis"]),
            )
            for p in d["packs"]
        ),
    )


def terms_json(
    products: Mapping[int, pricing.ProductTerms],
    transit_lines: Mapping[int, pricing.TransitLineTerms],
    stubs: Sequence[pricing.StubInfo],
) -> dict[str, Any]:
    return {
        "products": [_product_json(t) for t in products.values()],
        "transit_lines": [
            {
                "id": t.id,
                "code": t.code,
                "name_zh": t.name_zh,
                "name_en": t.name_en,
                "fare_fen": t.fare_fen,
            }
            for t in transit_lines.values()
        ],
        "stubs": [
            {
                "code": s.code,
                "issuer_id": s.issuer_id,
                "visit_date": _iso(s.visit_date),
                "persons": s.persons,
            }
            for s in stubs
        ],
    }


def terms_from_json(
    d: Mapping[str, Any],
) -> tuple[
    dict[int, pricing.ProductTerms],
    dict[int, pricing.TransitLineTerms],
    tuple[pricing.StubInfo, ...],
]:
    products = {p["id"]: _product_from_json(p) for p in d["products"]}
    lines = {t["id"]: pricing.TransitLineTerms(**t) for t in d["transit_lines"]}
    stubs = tuple(
        pricing.StubInfo(
            code=s["code"],
            issuer_id=s["issuer_id"],
            visit_date=_date(s["visit_date"]),
            persons=s["persons"],
        )
        for s in d["stubs"]
    )
    return products, lines, stubs


# --- the priced quote ------------------------------------------------------------------


def line_json(line: pricing.QuoteLine) -> dict[str, Any]:
    accommodation = line.kind == pricing.LINE_ACCOMMODATION
    return {
        "kind": line.kind,
        "label_zh": line.label_zh,
        "label_en": line.label_en,
        "amount_fen": line.amount_fen,
        "item_index": line.item_index,
        "leg_index": line.leg_index,
        "pack_id": line.pack_id,
        "quantity": line.quantity,
        "unit_price_fen": line.unit_price_fen,
        "nights_detail": [
            {
                "start": _iso(s.start),
                "end": _iso(s.end),
                "nightly_rate_fen": s.nightly_rate_fen,
                "nights": s.nights,
                "units": s.units,
            }
            for s in line.nights_detail
        ],
        "extra_guests": line.extra_guests if accommodation else None,
        "extra_guest_fee_fen": line.extra_guest_fee_fen if accommodation else None,
        "extra_guest_fen": line.extra_guest_fen if accommodation else None,
        "basis": _value(line.basis),
        "multiplier": line.multiplier,
        "rule_id": line.rule_id,
        "rule_version": line.rule_version,
        "rule_kind": _value(line.rule_kind),
        "base_fen": line.base_fen,
        "bps": line.bps,
        "tier_threshold": line.tier_threshold,
        "capped": line.capped,
        "uncapped_fen": line.uncapped_fen,
        "applies_to": line.applies_to,
        "stub_code": line.stub_code,
    }


def priced_json(
    priced: pricing.PricedQuote,
    products: Mapping[int, pricing.ProductTerms],
    transit_lines: Mapping[int, pricing.TransitLineTerms],
    rules: Sequence[pricing.DiscountRule],
    stops: Mapping[int, tuple[dict[str, Any], dict[str, Any]]] | None = None,
    *,
    refund_policies: Mapping[int, Sequence[Mapping[str, int]]],
) -> dict[str, Any]:
    """The response payload without id, timestamps and language picks. ``stops``: where
    legs board and alight, by leg index (``service.quotes.stops``; a leg without is
    null). ``refund_policies``: each product's refund policy as it is now
    (``catalog.terms.refund_tiers``), kept with each of its stays: a booking of the
    quote cancels on these tiers (``reader.QuotedItem.refund_policy``)."""
    stops = stops or {}
    names = {(r.id, r.version): r for r in rules}
    items = []
    for item in priced.items:
        product = products[item.product_id]
        items.append(
            {
                "index": item.index,
                "product_id": item.product_id,
                "product_name_zh": product.name_zh,
                "product_name_en": product.name_en,
                "check_in": _iso(item.check_in),
                "check_out": _iso(item.check_out),
                "nights": item.nights,
                "guests": item.guests,
                "units": item.units,
                "days_ahead": item.days_ahead,
                "accommodation_fen": item.accommodation_fen,
                "packs_fen": item.packs_fen,
                "accommodation_discount_fen": item.accommodation_discount_fen,
                "packs_discount_fen": item.packs_discount_fen,
                "discount_fen": item.accommodation_discount_fen + item.packs_discount_fen,
                "net_fen": item.net_fen,
                "cap_fen": item.cap_fen,
                "refund_policy": [dict(t) for t in refund_policies[item.product_id]],
            }
        )
    legs = []
    for leg in priced.legs:
        line = transit_lines[leg.line_id]
        start, end = stops.get(leg.index, (None, None))
        legs.append(
            {
                "index": leg.index,
                "line_id": leg.line_id,
                "line_code": line.code,
                "line_name_zh": line.name_zh,
                "line_name_en": line.name_en,
                "travel_date": _iso(leg.travel_date),
                "riders": leg.riders,
                "from_destination": start,
                "to_destination": end,
                "fare_fen": leg.fare_fen,
                "gross_fen": leg.gross_fen,
                "discount_fen": leg.discount_fen,
                "net_fen": leg.net_fen,
            }
        )
    rules_used = []
    for rule_id, version in priced.rules_used:
        rule = names[(rule_id, version)]
        rules_used.append(
            {
                "rule_id": rule_id,
                "version": version,
                "kind": _value(rule.kind),
                "name_zh": rule.name_zh,
                "name_en": rule.name_en,
            }
        )
    stubs = [
        {
            "code": s.stub_code,
            "issuer_id": s.issuer_id,
            "applied": s.applied,
            "applies_to": s.applies_to,
            "item_index": s.item_index,
            "pack_id": s.pack_id,
            "leg_index": s.leg_index,
            "rule_id": s.rule_id,
            "rule_version": s.rule_version,
            "amount_fen": s.amount_fen,
            "reason": s.reason,
        }
        for s in priced.stubs_applied
    ]
    return {
        "subtotal_fen": priced.subtotal_fen,
        "discount_total_fen": priced.discount_total_fen,
        "total_fen": priced.total_fen,
        "items": items,
        "legs": legs,
        "lines": [line_json(line) for line in priced.lines],
        "rules_used": rules_used,
        "stubs": stubs,
    }
