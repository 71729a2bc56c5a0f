"""A small province with a generated year of bookings, and an independent recomputation
of the reports' measures from the raw rows (plain SQL, then Python, night by night)."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import sqlalchemy as sa

from service.db import Database
from service.reports.demo import generate_year
from tests.factories import make_destination, make_product
from tests.support.operators import Op, add_operator

YEAR = 2026
TODAY = date(2027, 3, 1)
ASPECTS = ("accommodation", "medical_access", "food", "activities", "value", "elder_friendliness")
PLACES = (  # slug, kind, status, prefecture, products (theme, beds per unit, units, modules)
    ("forest-a", "resort", "mature", "白山市", [("forest_healing", 2, 6, [7, 14]),
                                               ("summer_retreat", 4, 3, [10, 21])]),
    ("spring-b", "county", "pilot", "延边州", [("hot_spring", 2, 5, [])]),
    ("care-c", "eldercare", "pilot", "长春市", [("tcm_wellness", 1, 8, [14, 28])]),
    ("snow-d", "village", "reserve", "吉林市", [("ice_snow", 3, 2, [3, 7]),
                                               ("folk_culture", 2, 2, [])]),
)  # fmt: skip


@dataclass
class Province:
    destination_ids: dict[str, int]
    province: Op
    operator: Op  # operator admin of forest-a


def build(db: Database, *, seed: int = 7, scale: float = 1.5) -> Province:
    ids = {}
    with db.write_session() as s:
        for slug, kind, status, prefecture, products in PLACES:
            d = make_destination(
                s, slug=slug, pilot_kind=kind, pilot_status=status, prefecture=prefecture,
                certifications=["jikangju_lodging"],
            )  # fmt: skip
            ids[slug] = d.id
            for theme, beds, units, modules in products:
                make_product(
                    s, d, theme=theme, beds_per_unit=beds, duration_modules=modules,
                    min_nights=2, max_nights=30, max_occupancy=max(beds, 2),
                    inventory=(date(YEAR, 1, 1), 365, units),
                )  # fmt: skip
        generate_year(s, YEAR, today=TODAY, pepper=db.settings.secret_key, seed=seed, scale=scale)
        s.commit()
    return Province(
        ids,
        add_operator(db, "prov", "province_admin"),
        add_operator(db, "op-forest", "operator_admin", [ids["forest-a"]]),
    )


# --- the independent recomputation -----------------------------------------------------


def _d(v) -> date:
    return v if isinstance(v, date) else date.fromisoformat(str(v)[:10])


def raw_rows(db: Database) -> tuple[list[dict], list[dict]]:
    with db.engine.connect() as conn:
        stays = [
            dict(r._mapping)
            for r in conn.execute(
                sa.text(
                    "SELECT i.id, i.booking_id, i.item_index, b.status, b.channel, i.product_id, "
                    "b.traveller_hash, "
                    "p.destination_id, d.slug, p.theme, d.pilot_kind, d.prefecture, "
                    "p.beds_per_unit, i.check_in, i.check_out, i.units, i.guests, i.net_fen, "
                    "i.stay_status, s.overall, "
                    + ", ".join(f"s.{a}" for a in ASPECTS)
                    + " FROM booking_item i JOIN booking b ON b.id = i.booking_id"
                    " JOIN product p ON p.id = i.product_id"
                    " JOIN destination d ON d.id = p.destination_id"
                    " LEFT JOIN survey_response s ON s.booking_item_id = i.id"
                )
            )
        ]
        cells = [
            dict(r._mapping)
            for r in conn.execute(
                sa.text(
                    "SELECT n.night, n.total_units, n.taken_units, n.stop_sell, p.is_active, "
                    "p.beds_per_unit, "
                    "p.destination_id, d.slug, p.theme, d.pilot_kind, d.prefecture "
                    "FROM inventory_night n JOIN product p ON p.id = n.product_id "
                    "JOIN destination d ON d.id = p.destination_id"
                )
            )
        ]
    for r in stays:
        r["check_in"], r["check_out"] = _d(r["check_in"]), _d(r["check_out"])
    for c in cells:
        c["night"] = _d(c["night"])
    return stays, cells


def trip_heads(stays) -> list[tuple[dict, int]]:
    """Each trip's first stay and the trip's nights: contiguous counted stays of one
    traveller (of one booking when it has none), ordered by check-in, booking and item
    index (no-shows break a trip)."""
    by_traveller = defaultdict(list)
    for r in stays:
        if r["status"] in ("confirmed", "completed") and r["stay_status"] != "no_show":
            by_traveller[r["traveller_hash"] or ("booking", r["booking_id"])].append(r)
    out = []
    for items in by_traveller.values():
        items.sort(key=lambda r: (r["check_in"], r["booking_id"], r["item_index"]))
        chains: list[list[dict]] = []
        for r in items:
            if chains and chains[-1][-1]["check_out"] == r["check_in"]:
                chains[-1].append(r)
            else:
                chains.append([r])
        for chain in chains:
            out.append((chain[0], sum((r["check_out"] - r["check_in"]).days for r in chain)))
    return out


SUMMARY_COLUMNS = ("booking_id", "item_index", "counted", "no_show", "channel", "product_id",
                   "check_in", "check_out", "units", "guests", "net_fen", "overall", *ASPECTS,
                   "trip_nights", "checked_out")  # fmt: skip


def summary_rows(db: Database) -> dict[int, dict]:
    """``report_stay`` as it is, by stay item id."""
    with db.engine.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(sa.text("SELECT * FROM report_stay"))]
    out = {}
    for r in rows:
        r["check_in"], r["check_out"] = _d(r["check_in"]), _d(r["check_out"])
        r["counted"], r["no_show"] = bool(r["counted"]), bool(r["no_show"])
        r["checked_out"] = bool(r["checked_out"])
        out[r.pop("item_id")] = r
    return out


def expected_summary(stays) -> dict[int, dict]:
    """``report_stay`` recomputed from the raw rows (``raw_rows``), by stay item id."""
    trips = {head["id"]: nights for head, nights in trip_heads(stays)}
    out = {}
    for r in stays:
        if r["status"] not in ("confirmed", "completed", "cancelled"):
            continue
        row = {c: r.get(c) for c in SUMMARY_COLUMNS}
        row["counted"] = r["status"] != "cancelled"
        row["no_show"] = r["stay_status"] == "no_show"
        row["checked_out"] = r["stay_status"] == "completed"
        row["trip_nights"] = trips.get(r["id"])
        out[r["id"]] = row
    return out


def _half_up(num: int, den: int, scale: int = 1, places: int = 0):
    if den == 0:
        return None
    q = (Decimal(num) * scale / Decimal(den)).quantize(
        Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP
    )
    return int(q) if places == 0 else float(q)


DIM_OF = {
    "pilot_kind": "pilot_kind",
    "theme": "theme",
    "prefecture": "prefecture",
    "destination": "slug",
    "channel": "channel",
}


def expected(
    stays, cells, first: date, last: date, by: list[str], *, destinations=None, today=TODAY,
    long_nights: int = 10,
) -> dict:  # fmt: skip
    """{group key: measures} and the total, computed night by night."""

    def key(r, day: date) -> tuple:
        k = []
        for d in by:
            k.append(f"{day.year:04d}-{day.month:02d}" if d == "month" else str(r[DIM_OF[d]]))
        return tuple(k)

    def inside(day: date) -> bool:
        return first <= day <= last

    all_stays = stays
    if destinations is not None:
        stays = [r for r in stays if r["destination_id"] in destinations]
        cells = [c for c in cells if c["destination_id"] in destinations]
    acc: dict = defaultdict(lambda: defaultdict(int))
    total: dict = defaultdict(int)

    def add(k, name, v):
        acc[k][name] += v
        total[name] += v

    for r in stays:
        counted = r["status"] in ("confirmed", "completed")
        cancelled = r["status"] == "cancelled"
        no_show = r["stay_status"] == "no_show"
        n = (r["check_out"] - r["check_in"]).days
        if counted:
            for off in range(n):
                day = r["check_in"] + timedelta(days=off)
                if not inside(day):
                    continue
                k = key(r, day)
                add(k, "unit_nights_sold", r["units"])
                add(k, "bed_nights_sold", r["units"] * r["beds_per_unit"])
                add(k, "revenue_fen", r["net_fen"] * (off + 1) // n - r["net_fen"] * off // n)
                if not no_show:
                    add(k, "person_nights", r["guests"])
        if not inside(r["check_in"]):
            continue
        k = key(r, r["check_in"])
        acc[k]  # the group exists
        if cancelled:
            add(k, "cancelled_stays", 1)
            add(k, "cancelled_person_trips", r["guests"])
        elif counted and no_show:
            add(k, "no_shows", 1)
        elif counted:
            add(k, "stays", 1)
            add(k, "person_trips", r["guests"])
            add(k, "guest_nights", r["guests"] * n)
            if n >= long_nights:
                add(k, "long_stays", 1)
                add(k, "long_stay_person_trips", r["guests"])
            # open to the survey (its check-out day come, or checked out), or answered
            left = r["check_out"] <= today or r["stay_status"] == "completed"
            if left or r["overall"] is not None:
                add(k, "ended", 1)
            for s in ("overall", *ASPECTS):
                if r[s] is not None:
                    add(k, f"sum_{s}", r[s])
                    add(k, f"n_{s}", 1)
    for head, nights in trip_heads(all_stays):
        if destinations is not None and head["destination_id"] not in destinations:
            continue
        if nights >= long_nights and inside(head["check_in"]):
            k = key(head, head["check_in"])
            add(k, "long_trips", 1)
            add(k, "long_trip_person_trips", head["guests"])
    with_supply = "channel" not in by
    if with_supply:
        for c in cells:
            # a retired product's or a stop-sold night offers only its units taken
            on_sale = c["is_active"] and not c["stop_sell"]
            units = c["total_units"] if on_sale else c["taken_units"]
            if not (on_sale or units) or not inside(c["night"]):
                continue
            k = key(c, c["night"])
            add(k, "unit_nights_on_sale", units)
            add(k, "bed_nights_on_sale", units * c["beds_per_unit"])

    def period_nights(k) -> int:
        if "month" not in by:
            return (last - first).days + 1
        y, m = map(int, k[by.index("month")].split("-"))
        a = max(first, date(y, m, 1))
        b = min(last, date(y + (m == 12), m % 12 + 1, 1) - timedelta(days=1))
        return (b - a).days + 1

    def finish(s, nights) -> dict:
        g = lambda name: s.get(name, 0)  # noqa: E731
        sold_stays = g("stays") + g("no_shows")
        out = {
            "stays": g("stays"),
            "person_trips": g("person_trips"),
            "person_nights": g("person_nights"),
            "long_stays": g("long_stays"),
            "long_stay_person_trips": g("long_stay_person_trips"),
            "long_trips": g("long_trips"),
            "long_trip_person_trips": g("long_trip_person_trips"),
            "unit_nights_sold": g("unit_nights_sold"),
            "bed_nights_sold": g("bed_nights_sold"),
            "revenue_fen": g("revenue_fen"),
            "adr_fen": _half_up(g("revenue_fen"), g("unit_nights_sold")),
            "alos_nights": _half_up(g("guest_nights"), g("person_trips"), 1, 2),
            "cancelled_stays": g("cancelled_stays"),
            "cancelled_person_trips": g("cancelled_person_trips"),
            "cancellation_bps": _half_up(
                g("cancelled_stays"), sold_stays + g("cancelled_stays"), 10000
            ),
            "no_shows": g("no_shows"),
            "survey_answers": g("n_overall"),
            "response_bps": _half_up(g("n_overall"), g("ended"), 10000),
            "satisfaction_index": _half_up(
                (g("sum_overall") - g("n_overall")) * 25, g("n_overall"), 1, 1
            ),
            "aspects": {
                a: _half_up((g(f"sum_{a}") - g(f"n_{a}")) * 25, g(f"n_{a}"), 1, 1) for a in ASPECTS
            },
        }
        if with_supply:
            out |= {
                "unit_nights_on_sale": g("unit_nights_on_sale"),
                "bed_nights_on_sale": g("bed_nights_on_sale"),
                "units_available": _half_up(g("unit_nights_on_sale"), nights),
                "beds_available": _half_up(g("bed_nights_on_sale"), nights),
                "occupancy_bps": _half_up(g("unit_nights_sold"), g("unit_nights_on_sale"), 10000),
                "bed_occupancy_bps": _half_up(g("person_nights"), g("bed_nights_on_sale"), 10000),
                "revpar_fen": _half_up(g("revenue_fen"), g("unit_nights_on_sale")),
            }
        else:
            out |= dict.fromkeys(
                ("unit_nights_on_sale", "bed_nights_on_sale", "units_available",
                 "beds_available", "occupancy_bps", "bed_occupancy_bps", "revpar_fen"),
            )  # fmt: skip
        return out

    groups = {k: finish(v, period_nights(k)) for k, v in acc.items()}
    return {"groups": groups, "total": finish(total, (last - first).days + 1)}
