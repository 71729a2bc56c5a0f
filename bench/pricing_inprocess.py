"""In-process benchmark of the pure pricing engine.

    .venv/bin/python bench/pricing_inprocess.py [-n 20000] [--warmup 2000] [--cpu N]

Prices one realistic quote over and over: a 28-night stay crossing a season edge, with
3 add-on packs, 2 transit legs and 1 ticket stub, against 10 active discount rules (two
of each kind). Beside it, in the same run and the same number of times, two trivial
baselines: a no-op function call, and building the ``QuoteRequest`` only (what any
caller pays before pricing). Each measure does ``--warmup`` untimed calls, then ``-n``
calls timed one by one with ``time.perf_counter_ns``. Reports calls per second twice:
over the timed loop's wall time, and over the CPU time this process spent in it
(``time.process_time_ns``: what one core delivers, unaffected by other processes taking
the core on a shared machine); median and p99 (nearest rank) latency in microseconds;
and each median's ratio to the no-op baseline's median. The target is checked on the
CPU-time rate. One thread; the engine has no I/O, so this is its whole cost.

"On one core": the process pins itself to one CPU (``os.sched_setaffinity``; by default
the CPU it is running on, else ``--cpu``) so the figures are what a single core delivers,
and prints which CPU, the load average and the UTC time beside them.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import math
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from pricing import (  # noqa: E402
    DiscountRule,
    PackBasis,
    PackKind,
    PackOffer,
    ProductTerms,
    QuoteRequest,
    RuleKind,
    Season,
    StayItemRequest,
    StubInfo,
    Tier,
    TransitLegRequest,
    TransitLineTerms,
    price_quote,
)

TARGET_QUOTES_PER_SECOND = 5_000
BOOKING_DATE = date(2027, 4, 20)
ISSUER = 7

PRODUCT = ProductTerms(
    id=1,
    destination_id=10,
    theme="forest_healing",
    name_zh="森林疗愈小屋",
    name_en="Forest-healing cabin",
    base_rate_fen=38_000,
    base_occupancy=2,
    max_occupancy=3,
    extra_guest_fee_fen=8_000,
    seasons=(
        Season(date(2027, 7, 1), date(2027, 9, 1), 48_000, "夏季", "Summer"),
        Season(date(2027, 12, 20), date(2028, 3, 1), 52_000, "冰雪季", "Snow season"),
    ),
    duration_modules=(7, 14, 21, 28),
    packs=(
        PackOffer(
            101, "THERAPY", PackKind.therapy, "森林疗愈", "Therapy", 60_000, PackBasis.per_week
        ),
        PackOffer(
            102, "DINING", PackKind.dining, "药膳", "Dining", 9_000, PackBasis.per_guest_night
        ),
        PackOffer(103, "CULTURE", PackKind.culture, "文化", "Culture", 25_000, PackBasis.per_stay),
    ),
)
LINES = {
    1: TransitLineTerms(1, "L1", "接驳专线L1", "Shuttle L1", 5_600),
    2: TransitLineTerms(2, "L2", "接驳专线L2", "Shuttle L2", 3_000),
}


def _rule(rule_id: int, kind: RuleKind, **fields) -> DiscountRule:
    return DiscountRule(rule_id, 1, kind, f"规则{rule_id}", f"Rule {rule_id}", **fields)


RULES = [
    _rule(1, RuleKind.long_stay, tiers=(Tier(10, 500), Tier(21, 1000), Tier(28, 1500))),
    _rule(2, RuleKind.long_stay, tiers=(Tier(14, 800),), themes=frozenset({"forest_healing"})),
    _rule(3, RuleKind.advance_booking, tiers=(Tier(30, 500), Tier(60, 800))),
    _rule(4, RuleKind.advance_booking, tiers=(Tier(90, 1000),), channels=frozenset({"direct"})),
    _rule(5, RuleKind.trip_bundle, min_destinations=2, bps=500),
    _rule(6, RuleKind.trip_bundle, min_destinations=3, bps=800),
    _rule(7, RuleKind.pack_bundle, min_packs=2, bps=1000),
    _rule(8, RuleKind.pack_bundle, min_packs=3, bps=1200),
    _rule(
        9,
        RuleKind.ticket_stub,
        issuer_id=ISSUER,
        transit_line_ids=frozenset({1, 2}),
        valid_days=3,
        bps=5000,
    ),
    _rule(
        10,
        RuleKind.ticket_stub,
        issuer_id=ISSUER,
        pack_kinds=frozenset({"culture"}),
        valid_days=30,
        bps=2000,
    ),
]
PRODUCTS = {PRODUCT.id: PRODUCT}


def make_request() -> QuoteRequest:
    return QuoteRequest(
        items=(
            StayItemRequest(
                product_id=1,
                check_in=date(2027, 6, 20),
                check_out=date(2027, 7, 18),
                guests=3,
                units=1,
                pack_ids=(101, 102, 103),
            ),
        ),
        legs=(
            TransitLegRequest(line_id=1, travel_date=date(2027, 6, 20), riders=3),
            TransitLegRequest(line_id=2, travel_date=date(2027, 7, 18), riders=3),
        ),
        stubs=(StubInfo("CBN-0001", ISSUER, date(2027, 6, 19), 2),),
        booking_date=BOOKING_DATE,
    )


REQUEST = make_request()


def price_once() -> object:
    return price_quote(REQUEST, PRODUCTS, LINES, RULES)


def noop() -> None:
    return None


def pin_to_one_cpu(cpu: int | None) -> str:
    """Pin this process to one CPU; return a phrase saying which (or why not)."""
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned (no sched_setaffinity here)"
    allowed = sorted(os.sched_getaffinity(0))
    if cpu is None:
        try:
            with open("/proc/self/stat") as f:  # field 39: the CPU last run on
                cpu = int(f.read().rsplit(")", 1)[1].split()[36])
        except (OSError, IndexError, ValueError):
            cpu = allowed[-1]
        if cpu not in allowed:
            cpu = allowed[-1]
    os.sched_setaffinity(0, {cpu})
    return f"pinned to CPU {cpu} (of {allowed})"


def percentile(values: list[int], pct: float) -> int:
    """Nearest-rank percentile of a sorted list."""
    return values[max(0, math.ceil(pct / 100 * len(values)) - 1)]


def measure(call: Callable[[], object], n: int, warmup: int) -> dict:
    for _ in range(warmup):
        call()
    samples = [0] * n
    clock = time.perf_counter_ns
    gc.collect()
    cpu_start = time.process_time_ns()
    start = clock()
    for i in range(n):
        t0 = clock()
        call()
        samples[i] = clock() - t0
    wall_ns = clock() - start
    cpu_ns = time.process_time_ns() - cpu_start
    samples.sort()
    return {
        "per_second": n / (wall_ns / 1e9),
        "per_cpu_second": n / (max(cpu_ns, 1) / 1e9),
        "median_us": statistics.median(samples) / 1000,
        "p99_us": percentile(samples, 99) / 1000,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=20_000, help="timed calls per measure")
    parser.add_argument("--warmup", type=int, default=2_000, help="untimed calls first")
    parser.add_argument("--cpu", type=int, default=None, help="CPU to pin to (default: current)")
    args = parser.parse_args(argv)
    pinned = pin_to_one_cpu(args.cpu)

    quote = price_once()
    lines = len(quote.lines)  # type: ignore[attr-defined]
    print(
        f"python {platform.python_version()} on {platform.machine()}; "
        f"n={args.n:,} after {args.warmup:,} warm-up calls; one quote = 1 item x 28 nights, "
        f"3 packs, 2 legs, 1 stub, {len(RULES)} rules -> {lines} lines, "
        f"total {quote.total_fen:,} fen"  # type: ignore[attr-defined]
    )
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    print(f"{now}; {pinned}; load average {load} (1, 5, 15 min) on {os.cpu_count()} CPUs")
    results = {
        "baseline: no-op call": measure(noop, args.n, args.warmup),
        "baseline: build QuoteRequest": measure(make_request, args.n, args.warmup),
        "price_quote": measure(price_once, args.n, args.warmup),
    }
    base = results["baseline: no-op call"]["median_us"]
    print()
    print("| measure | calls/s (wall) | calls/s (CPU) | median us | p99 us | x no-op median |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name, r in results.items():
        ratio = r["median_us"] / base if base else float("inf")
        print(
            f"| {name} | {r['per_second']:,.0f} | {r['per_cpu_second']:,.0f} | "
            f"{r['median_us']:.2f} | {r['p99_us']:.2f} | {ratio:,.1f} |"
        )
    priced = results["price_quote"]["per_cpu_second"]
    request_only = results["baseline: build QuoteRequest"]["median_us"]
    print()
    print(
        f"price_quote median is {results['price_quote']['median_us'] / request_only:,.1f}x "
        f"building the request; {priced:,.0f} quotes per CPU-second on one core vs target "
        f"{TARGET_QUOTES_PER_SECOND:,}: {'met' if priced >= TARGET_QUOTES_PER_SECOND else 'MISSED'}"
    )
    return 0 if priced >= TARGET_QUOTES_PER_SECOND else 1


if __name__ == "__main__":
    raise SystemExit(main())
