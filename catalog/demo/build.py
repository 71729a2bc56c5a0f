"""Build the demo catalogue, ``catalogue.json``, from ``destinations.csv`` and the tables in
``places.py``, ``products.py`` and ``deals.py`` (vocabularies in ``vocab.py``).

Run from the repository root::

    .venv/bin/python -m catalog.demo.build           # write catalogue.json, print the counts
    .venv/bin/python -m catalog.demo.build --check   # fail if catalogue.json is out of date

Standard library only. The output is byte-identical across runs: every table is an
ordered list, nothing is random and nothing depends on the clock. Dates that depend on
the day the catalogue is loaded are month-day strings (seasons) or day offsets (stubs,
rule windows). Money is integer fen, percentages are basis points.

The tables are demo data written to read like real operators' offers. The places are
real (coordinates approximate); facilities, certifications, prices and products are
illustrative, not official designations or published tariffs.
"""

# ruff: noqa: E501  (bilingual data tables read better unwrapped)

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from catalog.demo.checks import check
from catalog.demo.deals import (
    FIXED_STUBS,
    ROUTES,
    STUB_ISSUERS,
    STUB_OFFSETS,
    STUB_PERSONS,
    TICKET_STUB_DEALS,
    TRANSIT_LINES,
    R,
    base_rules,
)
from catalog.demo.places import (
    DESTINATIONS,
    DURATIONS,
    PACK_PRICE_OVERRIDES,
    PACK_TEMPLATES,
    REFUNDS,
    SEASONS,
    read_csv,
)
from catalog.demo.products import PRODUCTS
from catalog.demo.vocab import (
    CERTIFICATIONS,
    ISSUER_KINDS,
    PACK_BASES,
    PACK_KINDS,
    PILOT_KINDS,
    RULE_KINDS,
    THEMES,
    UNIT_TYPES,
)
from catalog.vocab import PACK_KIND_NAMES

HERE = Path(__file__).resolve().parent
OUT_PATH = HERE / "catalogue.json"

FORMAT = 1


# --------------------------------------------------------------------------------------
# Building
# --------------------------------------------------------------------------------------


def fen(cny: int) -> int:
    return cny * 100


def pct_rate(base_cny: int, pct: int) -> int:
    """base x pct%, rounded half up to 10 CNY; returns CNY."""
    return (base_cny * pct + 500) // 1000 * 10


def zhe(bps: int) -> str:
    """'9折', '85折', '半价', '免费' for a discount of bps."""
    pay = 10000 - bps
    if pay % 100:
        raise ValueError(f"{bps} bps has no short zh form")
    if pay == 0:
        return "免费"
    if pay == 5000:
        return "半价"
    n = pay // 100
    return f"{n // 10}折" if n % 10 == 0 else f"{n}折"


def pct_en(bps: int) -> str:
    return (
        "free" if bps == 10000 else f"{bps // 100}% off" if bps % 100 == 0 else f"{bps / 100}% off"
    )


def split_list(value: str) -> list[str]:
    return [v for v in value.split(";") if v]


def care_note(facilities: tuple) -> tuple[str, str]:
    km, station, cross, elder, _g5 = facilities
    zh = [f"距最近医院约{km:.1f}公里"]
    en = [f"Nearest hospital about {km:.1f} km"]
    if station:
        zh.append("设有医保服务站")
        en.append("a medical-insurance service station on hand")
    if cross:
        zh.append("可异地就医直接结算")
        en.append("out-of-province medical bills settled directly")
    if elder:
        zh.append("提供适老化房间")
        en.append("elder-friendly rooms")
    return "，".join(zh) + "。", "; ".join(en) + "."


def room_facts(unit: str, facilities: tuple) -> dict[str, bool]:
    """Accessibility facts of a product's rooms, from its unit type and whether its
    destination publishes elder-friendly rooms: elder-care rooms have everything;
    hotel rooms and serviced apartments are in lift buildings with step-free access
    (grab bars and an accessible bathroom where the destination has elder-friendly
    rooms); homestays and cabins have steps; villas are on one floor."""
    elder = facilities[3]
    if unit == "eldercare_room":
        return dict.fromkeys(
            ("step_free", "lift", "grab_bars", "twin_beds", "accessible_bathroom"), True
        )
    if unit in ("hotel_room", "serviced_apartment"):
        return {
            "step_free": True,
            "lift": True,
            "grab_bars": elder,
            "twin_beds": True,
            "accessible_bathroom": elder and unit == "hotel_room",
        }
    if unit == "villa":
        return {
            "step_free": True,
            "lift": False,
            "grab_bars": elder,
            "twin_beds": False,
            "accessible_bathroom": False,
        }
    return {  # homestay, cabin
        "step_free": False,
        "lift": False,
        "grab_bars": elder and unit == "homestay",
        "twin_beds": unit == "homestay",
        "accessible_bathroom": False,
    }


def durations(key: str) -> tuple[int, int | None, list[int]]:
    m = re.fullmatch(r"(\d+)_(\d+)", key)
    if m:
        return int(m.group(1)), int(m.group(2)), []
    spec = DURATIONS[key]
    if isinstance(spec, tuple):
        return spec[0], spec[1], []
    return min(spec), max(spec), list(spec)


def build() -> dict:
    rows = read_csv()
    destinations = []
    for row in rows:
        info = DESTINATIONS[row["slug"]]
        km, station, cross, elder, g5 = info["facilities"]
        destinations.append(
            {
                "slug": row["slug"],
                "name_zh": row["name_zh"],
                "name_en": row["name_en"],
                "pilot_kind": row["pilot_kind"],
                "prefecture": row["prefecture"],
                "corridors": split_list(row["corridors"]),
                "lat": float(row["lat"]),
                "lon": float(row["lon"]),
                "themes": split_list(row["themes"]),
                "is_real_place": {"true": True, "false": False}[row["is_real_place"]],
                "description_zh": info["zh"],
                "description_en": info["en"],
                "facilities": {
                    "nearest_hospital_km": round(km, 1),
                    "medical_insurance_station": station,
                    "cross_province_settlement": cross,
                    "elder_friendly_rooms": elder,
                    "has_5g": g5,
                },
                "certifications": list(info["certs"]),
                "directory_status": info["status"],
            }
        )

    packs = []
    pack_code = {}  # (destination, "kind-flavour") -> code
    for d in destinations:
        info = DESTINATIONS[d["slug"]]
        short_zh, short_en = info["short"]
        for ref in info["packs"]:
            name_zh, name_en, desc_zh, desc_en, price, basis = PACK_TEMPLATES[ref]
            price = PACK_PRICE_OVERRIDES.get((d["slug"], ref), price)
            code = f"{d['slug']}-{ref}"
            pack_code[(d["slug"], ref)] = code
            packs.append(
                {
                    "code": code,
                    "destination": d["slug"],
                    "kind": ref.split("-", 1)[0],
                    "name_zh": name_zh.format(zh=short_zh),
                    "name_en": name_en.format(en=short_en),
                    "description_zh": desc_zh,
                    "description_en": desc_en,
                    "price_fen": fen(price),
                    "basis": basis,
                }
            )

    products = []
    for p in PRODUCTS:
        info = DESTINATIONS[p["dest"]]
        care_zh, care_en = care_note(info["facilities"])
        if isinstance(p["seasons"], str):
            seasons = [
                {
                    "name_zh": zh,
                    "name_en": en,
                    "start_md": start,
                    "end_md": end,
                    "nightly_rate_fen": fen(pct_rate(p["rate"], pct)),
                }
                for zh, en, start, end, pct in SEASONS[p["seasons"]]
            ]
        else:
            seasons = [
                {
                    "name_zh": zh,
                    "name_en": en,
                    "start_md": start,
                    "end_md": end,
                    "nightly_rate_fen": fen(cny),
                }
                for zh, en, start, end, cny in p["seasons"]
            ]
        min_nights, max_nights, modules = durations(p["dur"])
        refs = info["packs"] if p["packs"] is None else p["packs"]
        missing = [r for r in refs if (p["dest"], r) not in pack_code]
        if missing:
            raise ValueError(
                f"product {p['dest']}-{p['suffix']}: packs {missing} not offered at {p['dest']}"
            )
        products.append(
            {
                "slug": f"{p['dest']}-{p['suffix']}",
                "destination": p["dest"],
                "theme": p["theme"],
                "name_zh": p["name"][0],
                "name_en": p["name"][1],
                "description_zh": p["desc"][0] + care_zh,
                "description_en": p["desc"][1] + " " + care_en,
                "unit_type": p["unit"],
                "base_occupancy": p["occ"][0],
                "max_occupancy": p["occ"][1],
                "min_nights": min_nights,
                "max_nights": max_nights,
                "duration_modules": modules,
                "base_rate_fen": fen(p["rate"]),
                "extra_guest_fee_fen": fen(p["extra"]),
                "max_discount_bps": p["disc"],
                "refund_policy": [
                    {"min_days_before_check_in": d, "refund_bps": b}
                    for d, b in REFUNDS[p["refund"]]
                ],
                "seasons": seasons,
                "packs": [pack_code[(p["dest"], r)] for r in refs],
                "units_per_night": p["units"],
                "room": room_facts(p["unit"], info["facilities"]),
            }
        )

    lines = [
        {"code": code, "name_zh": zh, "name_en": en, "fare_fen": fen(fare), "stops": list(stops)}
        for code, zh, en, _szh, _sen, fare, stops in TRANSIT_LINES
    ]
    line_info = {t[0]: t for t in TRANSIT_LINES}

    issuers = []
    issuer_names = {}
    for code, kind, zh, en, dest, line, _prefix, _n in STUB_ISSUERS:
        if kind == "transit_line":
            zh = f"{line_info[line][1]}（{line}）"
            en = f"{line_info[line][2]} ({line})"
        issuer_names[code] = (zh, en)
        issuers.append(
            {
                "code": code,
                "kind": kind,
                "name_zh": zh,
                "name_en": en,
                "destination": dest,
                "transit_line": line,
            }
        )

    stubs = []
    seq = 0
    for code, _kind, _zh, _en, _dest, _line, prefix, n in STUB_ISSUERS:
        for i in range(n):
            if i == 0:
                offset = 0
            else:
                offset = STUB_OFFSETS[seq % len(STUB_OFFSETS)]
            persons = STUB_PERSONS[(seq + i) % len(STUB_PERSONS)]
            if i:
                seq += 1
            stubs.append(
                {
                    "code": f"STUB-{prefix}-{i + 1:04d}",
                    "issuer": code,
                    "visit_offset_days": offset,
                    "persons": persons,
                }
            )

    for code, issuer, visit_date, persons in FIXED_STUBS:
        stubs.append({"code": code, "issuer": issuer, "visit_date": visit_date, "persons": persons})

    changbai = [d["slug"] for d in destinations if "changbai" in d["corridors"]]
    rules = base_rules(changbai)
    issuer_kind = {t[0]: t[1] for t in STUB_ISSUERS}
    for key, issuer, on_lines, kinds, bps, days in TICKET_STUB_DEALS:
        izh, ien = issuer_names[issuer]
        if issuer_kind[issuer] == "transit_line":
            line = line_info[next(t[5] for t in STUB_ISSUERS if t[0] == issuer)]
            stub_zh, stub_en, when_zh, when_en = (
                f"{line[3]}车票",
                line[4].removeprefix("the "),
                "乘车",
                "ride",
            )
        else:
            stub_zh, stub_en, when_zh, when_en = f"{izh}门票", ien, "游览", "visit"
        title_en = stub_en[0].upper() + stub_en[1:]
        day_en = "day" if days == 1 else "days"
        if on_lines:
            target_zh = "、".join(line_info[c][3] for c in on_lines)
            target_en = " or ".join(line_info[c][4] for c in on_lines)
            deal_zh = f"免费乘坐{target_zh}" if bps == 10000 else f"乘坐{target_zh}享{zhe(bps)}"
            deal_en = f"ride {target_en} free" if bps == 10000 else f"get {pct_en(bps)} {target_en}"
            name = (
                f"{stub_zh}票根·{deal_zh}",
                f"{title_en} ticket stub: {'free rides on' if bps == 10000 else pct_en(bps)} {target_en}",
            )
            desc = (
                f"凭{stub_zh}票根，{when_zh}当天起{days}天内{deal_zh}，优惠人数以票根所含人数为限。",
                f"With a {stub_en} ticket stub, {deal_en} within {days} {day_en} of the {when_en}, for as many riders as the stub covers.",
            )
        else:
            target_zh = "或".join(PACK_KIND_NAMES[k][0] for k in kinds)
            target_en = " or ".join(PACK_KIND_NAMES[k][1] for k in kinds)
            name = (
                f"{stub_zh}票根·{target_zh}{zhe(bps)}",
                f"{title_en} ticket stub: {pct_en(bps)} a {target_en}",
            )
            desc = (
                f"凭{stub_zh}票根，{when_zh}当天起{days}天内入住，可为一项{target_zh}享{zhe(bps)}。",
                f"With a {stub_en} ticket stub, check in within {days} {day_en} of the {when_en} for {pct_en(bps)} one {target_en}.",
            )
        rules.append(
            R(
                key,
                "ticket_stub",
                name,
                desc,
                bps=bps,
                issuer=issuer,
                transit_lines=on_lines,
                pack_kinds=kinds,
                valid_days=days,
            )
        )

    return {
        "format": FORMAT,
        "destinations": destinations,
        "certifications": {
            k: {"name_zh": zh, "name_en": en} for k, (zh, en) in CERTIFICATIONS.items()
        },
        "themes": {k: {"name_zh": zh, "name_en": en} for k, (zh, en) in THEMES.items()},
        "pilot_kinds": {k: {"name_zh": zh, "name_en": en} for k, (zh, en) in PILOT_KINDS.items()},
        "packs": packs,
        "products": products,
        "transit_lines": lines,
        "stub_issuers": issuers,
        "ticket_stubs": stubs,
        "discount_rules": rules,
        "routes": [
            {
                "slug": slug,
                "corridor": corridor,
                "name_zh": name[0],
                "name_en": name[1],
                "description_zh": desc[0],
                "description_en": desc[1],
                "stops": [{"destination": d, "suggested_nights": n} for d, n in stops],
            }
            for slug, corridor, name, desc, stops in ROUTES
        ],
    }


# --------------------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------------------


def render(cat: dict) -> str:
    return json.dumps(cat, ensure_ascii=False, indent=1) + "\n"


def counts_table(cat: dict) -> str:
    def count(items, key):
        out: dict[str, int] = {}
        for it in items:
            out[key(it)] = out.get(key(it), 0) + 1
        return out

    kind_of = {d["slug"]: d["pilot_kind"] for d in cat["destinations"]}
    rows = [("destinations", len(cat["destinations"]))]
    rows += [
        (f"destinations, {k}", n)
        for k, n in count(cat["destinations"], lambda d: d["pilot_kind"]).items()
    ]
    rows += [
        (f"destinations, {k}", n)
        for k, n in count(cat["destinations"], lambda d: d["directory_status"]).items()
    ]
    rows.append(("products", len(cat["products"])))
    by_theme = count(cat["products"], lambda p: p["theme"])
    rows += [(f"products, theme {k}", by_theme.get(k, 0)) for k in THEMES]
    by_kind = count(cat["products"], lambda p: kind_of[p["destination"]])
    rows += [(f"products, pilot kind {k}", by_kind.get(k, 0)) for k in PILOT_KINDS]
    by_unit = count(cat["products"], lambda p: p["unit_type"])
    rows += [(f"products, unit {k}", by_unit.get(k, 0)) for k in UNIT_TYPES]
    rows.append(
        ("products with duration modules", sum(1 for p in cat["products"] if p["duration_modules"]))
    )
    rows.append(
        (
            "products with a min/max range",
            sum(1 for p in cat["products"] if not p["duration_modules"]),
        )
    )
    rows.append(("packs", len(cat["packs"])))
    by_pk = count(cat["packs"], lambda p: p["kind"])
    rows += [(f"packs, kind {k}", by_pk.get(k, 0)) for k in PACK_KINDS]
    by_basis = count(cat["packs"], lambda p: p["basis"])
    rows += [(f"packs, basis {k}", by_basis.get(k, 0)) for k in PACK_BASES]
    rows.append(("destinations with packs", len({p["destination"] for p in cat["packs"]})))
    rows.append(("transit lines", len(cat["transit_lines"])))
    rows.append(("stub issuers", len(cat["stub_issuers"])))
    by_ik = count(cat["stub_issuers"], lambda i: i["kind"])
    rows += [(f"stub issuers, {k}", by_ik.get(k, 0)) for k in ISSUER_KINDS]
    rows.append(("ticket stubs", len(cat["ticket_stubs"])))
    rows.append(
        (
            "ticket stubs usable on the load day (offset <= 0)",
            sum(1 for s in cat["ticket_stubs"] if s.get("visit_offset_days", 1) <= 0),
        )
    )
    rows.append(("discount rules", len(cat["discount_rules"])))
    by_rk = count(cat["discount_rules"], lambda r: r["kind"])
    rows += [(f"discount rules, {k}", by_rk.get(k, 0)) for k in RULE_KINDS]
    width = max(len(r[0]) for r in rows)
    out = [f"| {'what'.ljust(width)} | count |", f"| {'-' * width} | ----: |"]
    out += [f"| {name.ljust(width)} | {n:5d} |" for name, n in rows]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    cat = build()
    check(cat)
    text = render(cat)
    if "--check" in argv:
        current = OUT_PATH.read_text(encoding="utf-8") if OUT_PATH.exists() else None
        if current != text:
            print(
                f"{OUT_PATH.name} is out of date: run python -m catalog.demo.build", file=sys.stderr
            )
            return 1
        print(f"{OUT_PATH.name} is up to date")
        return 0
    OUT_PATH.write_text(text, encoding="utf-8", newline="\n")
    print(f"wrote {OUT_PATH}")
    print(counts_table(cat))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
