"""The database path of the planner on a sample of the random instances: each instance
is written to the database (SQLite and PostgreSQL), POST /v1/plans is asked, and its
plans equal the brute force over the same instance (tests/planner/instances.py)."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from freezegun import freeze_time

from catalog.models import (
    AddOnPack,
    Destination,
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
from tests.conftest import _clean
from tests.planner.instances import brute_force, instance

SAMPLE = 24  # instances with a plan, per backend


def write(session, request, catalogue) -> None:
    for place in catalogue.places.values():
        session.add(
            Destination(
                id=place.id,
                slug=f"d{place.id}",
                name_zh=place.name_zh,
                name_en=place.name_en,
                pilot_kind="county",
                prefecture="吉林市",
                lat=place.lat,
                lon=place.lon,
                nearest_hospital_km=place.nearest_hospital_km,
                medical_insurance_station=place.medical_insurance_station,
                cross_province_settlement=place.cross_province_settlement,
                elder_friendly_rooms=place.elder_friendly_rooms,
                certifications=sorted(place.certifications),
            )
        )
    session.flush()
    for offer in catalogue.offers:
        t = offer.terms
        session.add(
            Product(
                id=t.id,
                slug=f"p{t.id}",
                destination_id=t.destination_id,
                theme=t.theme,
                name_zh=t.name_zh,
                name_en=t.name_en,
                unit_type="hotel_room",
                base_occupancy=t.base_occupancy,
                max_occupancy=t.max_occupancy,
                min_nights=t.min_nights,
                max_nights=t.max_nights,
                duration_modules=list(t.duration_modules),
                base_rate_fen=t.base_rate_fen,
                extra_guest_fee_fen=t.extra_guest_fee_fen,
                max_discount_bps=t.max_discount_bps,
                sold_from=t.sold_from,
                sold_until=t.sold_until,
                step_free=offer.room.step_free,
                lift=offer.room.lift,
                grab_bars=offer.room.grab_bars,
            )
        )
        for pack in t.packs:
            session.add(
                AddOnPack(
                    id=pack.id,
                    code=f"pk{pack.id}",
                    destination_id=t.destination_id,
                    kind=str(pack.kind),
                    name_zh=pack.name_zh,
                    name_en=pack.name_en,
                    price_fen=pack.price_fen,
                    basis=str(pack.basis),
                )
            )
    session.flush()
    for offer in catalogue.offers:
        t = offer.terms
        for season in t.seasons:
            session.add(
                Season(
                    product_id=t.id,
                    start_date=season.start,
                    end_date=season.end,
                    nightly_rate_fen=season.nightly_rate_fen,
                )
            )
        for pack in t.packs:
            session.add(ProductPack(product_id=t.id, pack_id=pack.id))
        cal = offer.calendar
        for i, left in enumerate(cal.left):
            if left is not None:
                night = cal.start + timedelta(days=i)
                session.add(InventoryNight(product_id=t.id, night=night, total_units=left))
    for line in catalogue.lines:
        session.add(
            TransitLine(
                id=line.terms.id,
                code=line.terms.code,
                name_zh=line.terms.name_zh,
                name_en=line.terms.name_en,
                fare_fen=line.terms.fare_fen,
            )
        )
        session.flush()
        for seq, dest in enumerate(sorted(line.stops)):
            session.add(TransitStop(line_id=line.terms.id, seq=seq, destination_id=dest))
    for stub in request.stubs:
        session.add(
            StubIssuer(id=stub.issuer_id, code=f"I{stub.issuer_id}", kind="scenic_area",
                       name_zh="发行方", name_en="Issuer")
        )  # fmt: skip
        session.flush()
        session.add(
            TicketStub(
                code=stub.code, issuer_id=stub.issuer_id, visit_date=stub.visit_date,
                persons=stub.persons,
            )
        )  # fmt: skip
    session.flush()
    for rule in catalogue.rules:
        session.add(DiscountRule(id=rule.id, key=f"r{rule.id}", kind=str(rule.kind)))
        session.flush()
        session.add(
            DiscountRuleVersion(
                rule_id=rule.id,
                version=1,
                kind=str(rule.kind),
                name_zh=rule.name_zh,
                name_en=rule.name_en,
                destination_ids=sorted(rule.destination_ids),
                themes=sorted(rule.themes),
                product_ids=sorted(rule.product_ids),
                channels=sorted(str(c) for c in rule.channels),
                booking_from=rule.booking_from,
                booking_to=rule.booking_to,
                check_in_from=rule.check_in_from,
                check_in_to=rule.check_in_to,
                tiers=[{"threshold": t.threshold, "bps": t.bps} for t in rule.tiers],
                bps=rule.bps,
                min_destinations=rule.min_destinations,
                min_packs=rule.min_packs,
                issuer_id=rule.issuer_id,
                transit_line_ids=sorted(rule.transit_line_ids),
                pack_kinds=sorted(rule.pack_kinds),
                valid_days=rule.valid_days,
                created_at=datetime.now(UTC),
            )
        )
    if request.route:
        session.add(Route(id=1, slug="r", name_zh="线", name_en="Route"))
        session.flush()
        for seq, dest in enumerate(request.route, 1):
            session.add(RouteStop(route_id=1, seq=seq, destination_id=dest, suggested_nights=7))
    session.commit()


def body_of(request) -> dict:
    needs = request.needs
    b = {
        "earliest_check_in": request.earliest_check_in.isoformat(),
        "latest_check_out": request.latest_check_out.isoformat(),
        "max_stays": request.max_stays,
        "min_nights_per_stay": request.min_nights_per_stay,
        "guests": request.guests,
        "units": request.units,
        "themes": sorted(request.themes),
        "include_destinations": [str(d) for d in request.include_destinations],
        "avoid_destinations": [str(d) for d in sorted(request.avoid_destinations)],
        "pack_kinds": list(request.pack_kinds),
        "needs": {
            "hospital_within_km": needs.hospital_within_km,
            "cross_province_settlement": needs.cross_province_settlement,
            "elder_friendly_rooms": needs.elder_friendly_rooms,
            "certifications": sorted(needs.certifications),
            "step_free": needs.step_free,
        },
        "max_total_fen": request.max_total_fen,
        "allow_self_travel": request.allow_self_travel,
        "stubs": [s.code for s in request.stubs],
        "limit": request.limit,
    }
    if request.route:
        b["route"] = "r"
    if request.fill:  # no length: fit the dates
        pass
    elif request.nights_min == request.nights_max:
        b["nights"] = request.nights_min
    else:
        b["min_nights"], b["max_nights"] = request.nights_min, request.nights_max
    return b


def summary(plans: list[dict]) -> list[tuple]:
    return [
        (
            p["total_fen"],
            tuple(s["product"]["id"] for s in p["stays"]),
            p["stays"][0]["check_in"],
            tuple(s["nights"] for s in p["stays"]),
        )
        for p in plans
    ]


def test_plans_through_the_database_equal_brute_force(client, session, db):
    compare(client, session, db, fill=False, sample=SAMPLE)


def test_no_length_through_the_database_fits_the_dates_as_the_brute_force(client, session, db):
    """No nights, min_nights or max_nights: the service plans ``fill`` over the shortest
    stay up to the window's nights; the plans equal the brute force's of that request."""
    compare(client, session, db, fill=True, sample=SAMPLE // 2)


def compare(client, session, db, *, fill: bool, sample: int) -> None:
    compared = 0
    seed = 0
    while compared < sample and seed < 400:
        seed += 1
        request, catalogue = instance(seed, restrictions=False)
        if fill:
            request = replace(
                request,
                fill=True,
                nights_min=request.min_nights_per_stay,
                nights_max=request.window_days,
            )
        expected = brute_force(request, catalogue)
        if not expected:
            continue
        write(session, request, catalogue)
        with freeze_time(f"{request.booking_date} 12:00:00+08:00"):
            r = client.post("/v1/plans", json=body_of(request))
        if r.status_code == 422:  # a request the API refuses as contradictory
            assert r.json()["code"] in {"contradictory", "unknown_certification"}, r.text
        else:
            assert r.status_code == 200, r.text
            got = summary(r.json()["plans"])
            want = [(t, ids, ci.isoformat(), n) for t, ids, ci, n in expected]
            assert got == want, seed
            compared += 1
        session.close()
        _clean(db)
    assert compared == sample
