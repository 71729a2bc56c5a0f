"""The demo catalogue's self-checks: every problem is collected, then the build fails
loudly with all of them."""

# ruff: noqa: E501  (bilingual messages read better unwrapped)

from __future__ import annotations

import datetime as dt
import re

from catalog.demo.places import DESTINATIONS, read_csv
from catalog.demo.vocab import (
    CHANNELS,
    DIRECTORY_STATUSES,
    ISSUER_KINDS,
    MIN_PRODUCTS,
    MIN_PRODUCTS_PER_DESTINATION,
    MIN_TICKET_STUB_RULES,
    MIN_TRANSIT_LINES,
    PACK_BASES,
    PACK_KINDS,
    PILOT_KINDS,
    RATE_BANDS,
    RULE_KINDS,
    STUB_OFFSET_RANGE,
    THEMES,
    UNIT_TYPES,
)
from catalog.vocab import PREFECTURE_NAMES, reads_as_id

# --------------------------------------------------------------------------------------
# Self-checks: every problem is collected, then the build fails loudly with all of them.
# --------------------------------------------------------------------------------------

MD_RE = re.compile(r"\d\d-\d\d")
SLUG_RE = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


def md_days(start: str, end: str) -> set[int]:
    """Day numbers (0..365, in a leap reference year) covered by [start, end), wrapping."""
    ref = 2024
    s = dt.date(ref, int(start[:2]), int(start[3:]))
    e = dt.date(ref, int(end[:2]), int(end[3:]))
    first, last = dt.date(ref, 1, 1), dt.date(ref, 12, 31)
    if s < e:
        spans = [(s, e)]
    else:
        spans = [(s, last + dt.timedelta(days=1)), (first, e)]
    days: set[int] = set()
    for a, b in spans:
        days.update(range((a - first).days, (b - first).days))
    return days


def check(cat: dict) -> None:
    problems: list[str] = []

    def need(ok: bool, msg: str) -> None:
        if not ok:
            problems.append(msg)

    rows = read_csv()
    dests = {d["slug"]: d for d in cat["destinations"]}
    line_pairs = {
        (a, b) for line in cat["transit_lines"] for a in line["stops"] for b in line["stops"]
    }
    routes = cat.get("routes", [])
    need(len(routes) >= 6, f"routes: {len(routes)} < 6")
    for key in [d["slug"] for d in cat["destinations"]] + [r["slug"] for r in routes]:
        need(not reads_as_id(key), f"{key}: a slug of digits alone reads as an id")
    for r in routes:
        stops = [s["destination"] for s in r["stops"]]
        need(all(d in dests for d in stops), f"route {r['slug']}: unknown destination")
        need(len(stops) >= 2, f"route {r['slug']}: fewer than 2 destinations")
        need(
            all((a, b) in line_pairs for a, b in zip(stops, stops[1:], strict=False)),
            f"route {r['slug']}: consecutive destinations without a transit line",
        )
        dests = {d["slug"]: d for d in cat["destinations"]}
    need(
        len(cat["destinations"]) == len(rows) == len(dests),
        "destinations: not one per CSV row, or slugs repeat",
    )
    need(
        set(DESTINATIONS) == set(dests),
        f"destination tables and CSV differ: {set(DESTINATIONS) ^ set(dests)}",
    )
    need(set(cat["themes"]) == set(THEMES), "themes dictionary incomplete")
    need(set(cat["pilot_kinds"]) == set(PILOT_KINDS), "pilot_kinds dictionary incomplete")
    for d in cat["destinations"]:
        s = d["slug"]
        need(d["pilot_kind"] in PILOT_KINDS, f"{s}: unknown pilot kind {d['pilot_kind']}")
        need(d["prefecture"] in PREFECTURE_NAMES, f"{s}: prefecture without names")
        need(
            bool(d["themes"]) and all(t in THEMES for t in d["themes"]),
            f"{s}: unknown theme in {d['themes']}",
        )
        need(
            all(c in cat["certifications"] for c in d["certifications"]),
            f"{s}: unknown certification",
        )
        need(d["directory_status"] in DIRECTORY_STATUSES, f"{s}: bad directory status")
        need(
            d["is_real_place"] or ("（示例）" in d["name_zh"] and "(demo)" in d["name_en"]),
            f"{s}: demo row lost its (demo) naming",
        )
        f = d["facilities"]
        need(0 < f["nearest_hospital_km"] <= 60, f"{s}: implausible hospital distance")
        if d["pilot_kind"] == "eldercare":
            need(
                f["medical_insurance_station"] and f["elder_friendly_rooms"],
                f"{s}: an elder-care institution needs a medical-insurance station and elder-friendly rooms",
            )
        if "sojourn_eldercare_certified" in d["certifications"]:
            need(
                d["pilot_kind"] in ("eldercare", "community"),
                f"{s}: elder-care certification on a {d['pilot_kind']}",
            )

    # packs
    packs = {}
    for p in cat["packs"]:
        need(p["code"] not in packs, f"pack code repeats: {p['code']}")
        packs[p["code"]] = p
        need(p["destination"] in dests, f"pack {p['code']}: unknown destination")
        need(p["kind"] in PACK_KINDS, f"pack {p['code']}: bad kind")
        need(p["basis"] in PACK_BASES, f"pack {p['code']}: bad basis")
        need(isinstance(p["price_fen"], int) and p["price_fen"] > 0, f"pack {p['code']}: bad price")
        need(bool(SLUG_RE.fullmatch(p["code"])), f"pack {p['code']}: code is not a slug")
    need({p["kind"] for p in packs.values()} == set(PACK_KINDS), "not every pack kind is used")
    need({p["basis"] for p in packs.values()} == set(PACK_BASES), "not every pack basis is used")
    with_packs = {p["destination"] for p in packs.values()}
    need(len(with_packs) * 3 >= len(dests) * 2, "packs at fewer than two thirds of destinations")

    # products
    slugs = set()
    per_dest = dict.fromkeys(dests, 0)
    for p in cat["products"]:
        s = p["slug"]
        need(s not in slugs, f"product slug repeats: {s}")
        slugs.add(s)
        need(bool(SLUG_RE.fullmatch(s)) and not reads_as_id(s), f"{s}: slug is not a slug")
        d = dests.get(p["destination"])
        if d is None:
            problems.append(f"{s}: unknown destination {p['destination']}")
            continue
        per_dest[d["slug"]] += 1
        need(
            p["theme"] in d["themes"],
            f"{s}: theme {p['theme']} is not one of {d['slug']}'s themes {d['themes']}",
        )
        need(p["unit_type"] in UNIT_TYPES, f"{s}: bad unit type")
        need(1 <= p["base_occupancy"] <= p["max_occupancy"], f"{s}: bad occupancy")
        need(
            p["max_occupancy"] > p["base_occupancy"] or p["extra_guest_fee_fen"] == 0,
            f"{s}: extra-guest fee with no room for extra guests",
        )
        need(
            p["min_nights"] >= 1
            and (p["max_nights"] is None or p["max_nights"] >= p["min_nights"]),
            f"{s}: bad min/max nights",
        )
        mods = p["duration_modules"]
        if mods:
            need(
                mods == sorted(set(mods))
                and p["min_nights"] == mods[0]
                and p["max_nights"] == mods[-1],
                f"{s}: modules and min/max disagree",
            )
        need(p["max_discount_bps"] in (2500, 3000, 3500), f"{s}: unusual max_discount_bps")
        rp = p["refund_policy"]
        days = [t["min_days_before_check_in"] for t in rp]
        need(
            bool(rp) and days == sorted(set(days), reverse=True) and days[-1] == 0,
            f"{s}: refund tiers must be sorted by days descending, unique, ending at 0",
        )
        need(all(0 <= t["refund_bps"] <= 10000 for t in rp), f"{s}: refund bps out of range")
        need(
            [t["refund_bps"] for t in rp] == sorted((t["refund_bps"] for t in rp), reverse=True),
            f"{s}: refunds should not grow as check-in nears",
        )
        covered: set[int] = set()
        for w in p["seasons"]:
            ok = MD_RE.fullmatch(w["start_md"]) and MD_RE.fullmatch(w["end_md"])
            try:
                ok = (
                    ok
                    and "02-29" not in (w["start_md"], w["end_md"])
                    and w["start_md"] != w["end_md"]
                )
                span = md_days(w["start_md"], w["end_md"]) if ok else set()
            except ValueError:
                ok, span = False, set()
            need(bool(ok), f"{s}: bad season window {w['start_md']}..{w['end_md']}")
            need(not (covered & span), f"{s}: season {w['name_en']} overlaps another season")
            covered |= span
        for code in p["packs"]:
            pk = packs.get(code)
            need(pk is not None, f"{s}: unknown pack {code}")
            need(
                pk is None or pk["destination"] == p["destination"],
                f"{s}: pack {code} belongs to another destination",
            )
        need(len(p["packs"]) == len(set(p["packs"])), f"{s}: pack listed twice")
        need(1 <= p["units_per_night"] <= 60, f"{s}: implausible inventory")
        rates = [p["base_rate_fen"]] + [w["nightly_rate_fen"] for w in p["seasons"]]
        (lo, hi), (plo, phi) = RATE_BANDS[p["unit_type"]]
        need(
            all(lo * 100 <= r <= hi * 100 for r in rates),
            f"{s}: a nightly rate outside {lo}-{hi} CNY: {rates}",
        )
        need(
            plo * 100 <= max(rates) <= phi * 100,
            f"{s}: peak rate {max(rates)} outside {plo}-{phi} CNY",
        )
        need(all(r % 100 == 0 for r in rates), f"{s}: rates should be whole yuan")
        if p["theme"] == "summer_retreat":
            peak = max(p["seasons"], key=lambda w: w["nightly_rate_fen"], default=None)
            need(
                peak is not None
                and md_days("07-15", "08-15") <= md_days(peak["start_md"], peak["end_md"]),
                f"{s}: a summer-retreat product should peak in July-August",
            )
        if p["theme"] == "ice_snow":
            peak = max(p["seasons"], key=lambda w: w["nightly_rate_fen"], default=None)
            need(
                peak is not None
                and md_days("12-20", "02-10") <= md_days(peak["start_md"], peak["end_md"]),
                f"{s}: an ice-and-snow product should peak in December-February",
            )
    need(
        len(cat["products"]) >= MIN_PRODUCTS,
        f"only {len(cat['products'])} products, need {MIN_PRODUCTS}",
    )
    thin = [k for k, n in per_dest.items() if n < MIN_PRODUCTS_PER_DESTINATION]
    need(not thin, f"destinations with fewer than {MIN_PRODUCTS_PER_DESTINATION} products: {thin}")
    need({p["theme"] for p in cat["products"]} == set(THEMES), "not every theme has a product")
    need(
        {
            dests[p["destination"]]["pilot_kind"]
            for p in cat["products"]
            if p["destination"] in dests
        }
        == set(PILOT_KINDS),
        "not every pilot kind has a product",
    )
    need(
        {p["unit_type"] for p in cat["products"]} == set(UNIT_TYPES), "not every unit type is used"
    )
    need(
        any(p["duration_modules"] for p in cat["products"])
        and any(not p["duration_modules"] and p["min_nights"] >= 10 for p in cat["products"]),
        "need both module products and >10-night range products",
    )

    # transit
    lines = {}
    for ln in cat["transit_lines"]:
        need(ln["code"] not in lines, f"line code repeats: {ln['code']}")
        lines[ln["code"]] = ln
        need(
            len(ln["stops"]) >= 2 and len(set(ln["stops"])) == len(ln["stops"]),
            f"line {ln['code']}: bad stops",
        )
        need(all(s in dests for s in ln["stops"]), f"line {ln['code']}: unknown stop")
        need(ln["fare_fen"] > 0, f"line {ln['code']}: bad fare")
    need(len(lines) >= MIN_TRANSIT_LINES, "too few transit lines")

    issuers = {}
    for i in cat["stub_issuers"]:
        need(i["code"] not in issuers, f"issuer code repeats: {i['code']}")
        issuers[i["code"]] = i
        need(i["kind"] in ISSUER_KINDS, f"issuer {i['code']}: bad kind")
        if i["kind"] == "transit_line":
            need(
                i["transit_line"] in lines and i["destination"] is None,
                f"issuer {i['code']}: bad line reference",
            )
        else:
            need(
                i["destination"] in dests and i["transit_line"] is None,
                f"issuer {i['code']}: bad destination reference",
            )
            if i["destination"] in dests:
                want = {"resort": "resort"}.get(i["kind"])
                need(
                    want is None or dests[i["destination"]]["pilot_kind"] == want,
                    f"issuer {i['code']}: a resort issuer at a non-resort destination",
                )
    need(
        {i["kind"] for i in issuers.values()} == set(ISSUER_KINDS), "not every issuer kind is used"
    )

    stub_codes = set()
    lo, hi = STUB_OFFSET_RANGE
    for st in cat["ticket_stubs"]:
        need(st["code"] not in stub_codes, f"stub code repeats: {st['code']}")
        stub_codes.add(st["code"])
        need(st["code"] == st["code"].upper(), f"stub {st['code']}: not uppercase")
        need(st["issuer"] in issuers, f"stub {st['code']}: unknown issuer")
        if "visit_date" in st:  # a fixed date (the worked example's stub)
            need(_is_date(st["visit_date"]), f"stub {st['code']}: visit_date not a date")
        else:
            need(lo <= st["visit_offset_days"] <= hi, f"stub {st['code']}: offset out of range")
        need(1 <= st["persons"] <= 4, f"stub {st['code']}: persons out of range")
    need(35 <= len(stub_codes) <= 50, f"{len(stub_codes)} stubs; about 40 wanted")
    need({st["issuer"] for st in cat["ticket_stubs"]} == set(issuers), "an issuer has no stubs")

    # rules
    keys = set()
    for r in cat["discount_rules"]:
        k = r["key"]
        need(k not in keys, f"rule key repeats: {k}")
        keys.add(k)
        need(bool(SLUG_RE.fullmatch(k)), f"rule {k}: key is not a slug")
        need(r["kind"] in RULE_KINDS, f"rule {k}: bad kind")
        need(all(c in CHANNELS for c in r["channels"]), f"rule {k}: bad channel")
        sc = r["scope"]
        need(all(x in dests for x in sc["destinations"]), f"rule {k}: unknown destination in scope")
        need(all(x in THEMES for x in sc["themes"]), f"rule {k}: unknown theme in scope")
        need(all(x in slugs for x in sc["products"]), f"rule {k}: unknown product in scope")
        for a, b in (
            ("booking_from_offset_days", "booking_to_offset_days"),
            ("check_in_from_offset_days", "check_in_to_offset_days"),
        ):
            need(r[a] is None or r[b] is None or r[a] <= r[b], f"rule {k}: {a} after {b}")
        tiers = [t["threshold"] for t in r["tiers"]]
        if r["kind"] in ("long_stay", "advance_booking"):
            need(bool(tiers) and tiers == sorted(set(tiers)), f"rule {k}: tiers must ascend")
            need(all(0 < t["bps"] < 10000 for t in r["tiers"]), f"rule {k}: bad tier bps")
            need("bps" not in r, f"rule {k}: tiered rule with flat bps")
        else:
            need(not tiers and 0 < r.get("bps", 0) <= 10000, f"rule {k}: needs a flat bps")
        need(
            ("min_destinations" in r) == (r["kind"] == "trip_bundle")
            and r.get("min_destinations", 2) >= 2,
            f"rule {k}: min_destinations",
        )
        need(
            ("min_packs" in r) == (r["kind"] == "pack_bundle") and r.get("min_packs", 2) >= 2,
            f"rule {k}: min_packs",
        )
        if r["kind"] == "ticket_stub":
            need(r.get("issuer") in issuers, f"rule {k}: unknown issuer")
            need(all(c in lines for c in r["transit_lines"]), f"rule {k}: unknown line")
            need(all(c in PACK_KINDS for c in r["pack_kinds"]), f"rule {k}: unknown pack kind")
            need(
                bool(r["transit_lines"]) != bool(r["pack_kinds"]),
                f"rule {k}: name lines or pack kinds",
            )
            need(r.get("valid_days", -1) >= 0, f"rule {k}: valid_days")
            need(not any(sc.values()), f"rule {k}: ticket_stub rules carry no scope")
        else:
            need(
                "issuer" not in r
                and not r["transit_lines"]
                and not r["pack_kinds"]
                and "valid_days" not in r,
                f"rule {k}: stub fields on a {r['kind']} rule",
            )
    kinds = [r["kind"] for r in cat["discount_rules"]]
    need(set(kinds) == set(RULE_KINDS), "not every rule kind is present")
    need(kinds.count("ticket_stub") >= MIN_TICKET_STUB_RULES, "too few ticket-stub rules")
    need(
        any(r["channels"] == ["miniprogram"] for r in cat["discount_rules"]),
        "no mini-program-only rule",
    )
    need(
        {r.get("min_destinations") for r in cat["discount_rules"] if r["kind"] == "trip_bundle"}
        >= {2, 3},
        "trip bundles for 2 and 3 destinations wanted",
    )
    stub_rules = [r for r in cat["discount_rules"] if r["kind"] == "ticket_stub"]
    need(
        any(
            issuers[r.get("issuer")]["kind"] != "transit_line" and r["transit_lines"]
            for r in stub_rules
            if r.get("issuer") in issuers
        ),
        "no scenic-area/resort -> line stub deal",
    )
    need(
        any(
            issuers[r.get("issuer")]["kind"] == "transit_line" and r["pack_kinds"]
            for r in stub_rules
            if r.get("issuer") in issuers
        ),
        "no line -> pack stub deal",
    )

    if problems:
        raise SystemExit("catalogue self-check failed:\n  - " + "\n  - ".join(problems))


def _is_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except (TypeError, ValueError):
        return False
    return True
