"""Generate a province-scale catalogue in PostgreSQL for the catalogue benchmark.

    .venv/bin/python bench/catalog_generate.py [--seed 2] [--start YYYY-MM-DD]

Creates the database ``jl_bench_catalog`` next to the admin database (dropping it first
if it exists), migrates it with the project's migrations, and fills it with COPY:
150 destinations (themes, corridors, 2-3 packs each), 3,000 products spread over the
7 themes, 2 seasons and 0-3 packs per product, and 365 inventory nights per product
(1,095,000 rows, some units taken). Randomness is seeded: the same seed gives the
same catalogue. Ends with ANALYZE and prints how long each step took.

The admin URL is ``JL_BENCH_ADMIN_URL`` (default
``postgresql+psycopg://postgres@127.0.0.1:5432/test``). Nothing here reads files outside
the repository.
"""

import argparse
import json
import os
import random
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import psycopg
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from catalog.vocab import PilotKind, Theme, UnitType  # noqa: E402
from service.migrate import upgrade  # noqa: E402

ADMIN_URL = os.environ.get(
    "JL_BENCH_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
DB_NAME = "jl_bench_catalog"
N_DESTINATIONS = 150
N_PRODUCTS = 3000
N_NIGHTS = 365

THEMES = [t.value for t in Theme]
# Weights follow the plan's targets per pilot kind (6 / 6 / 10 / 20 / 30 / 80).
PILOT_KIND_WEIGHTS = {
    PilotKind.county: 6,
    PilotKind.resort: 6,
    PilotKind.scenic_cluster: 10,
    PilotKind.village: 20,
    PilotKind.community: 30,
    PilotKind.eldercare: 80,
}
PREFECTURES = [
    "长春市",
    "吉林市",
    "四平市",
    "辽源市",
    "通化市",
    "白山市",
    "松原市",
    "白城市",
    "延边朝鲜族自治州",
]
CORRIDORS = [
    "changbai_mountain",
    "yalu_river",
    "songhua_lake",
    "tumen_river",
    "western_grassland",
    "changji_city",
    "ring_changbai_highway",
]
PACK_KINDS = ["therapy", "dining", "culture"]
# The pricing engine's pack bases (pricing.PackBasis).
PACK_BASIS = ["per_stay", "per_guest", "per_night", "per_guest_night", "per_week"]
DURATION_MODULES = [[7, 14, 21, 28], [7, 14], [14, 21, 28], [10, 20, 30], [14, 28]]
NIGHT_RANGES = [(1, 30), (3, 60), (7, 90), (10, None), (None, 45)]
REFUND_POLICY = [
    {"min_days_before_check_in": 30, "refund_bps": 10000},
    {"min_days_before_check_in": 7, "refund_bps": 5000},
    {"min_days_before_check_in": 0, "refund_bps": 0},
]


def bench_url(admin_url: str = ADMIN_URL, name: str = DB_NAME) -> str:
    """The SQLAlchemy URL of the benchmark database."""
    return sa.make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def conninfo(url: str) -> str:
    """A libpq connection string for psycopg from a SQLAlchemy URL."""
    return sa.make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def drop_database(admin_url: str = ADMIN_URL, name: str = DB_NAME) -> None:
    with psycopg.connect(conninfo(admin_url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def create_database(admin_url: str = ADMIN_URL, name: str = DB_NAME) -> None:
    drop_database(admin_url, name)
    with psycopg.connect(conninfo(admin_url), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')


def shanghai_today() -> date:
    return datetime.now(ZoneInfo("Asia/Shanghai")).date()


# --- rows ----------------------------------------------------------------------------


def destination_rows(rng: random.Random) -> tuple[list[tuple], list[tuple], list[tuple]]:
    kinds = list(PILOT_KIND_WEIGHTS)
    weights = list(PILOT_KIND_WEIGHTS.values())
    dests, themes, corridors = [], [], []
    for i in range(1, N_DESTINATIONS + 1):
        kind = rng.choices(kinds, weights)[0].value
        dests.append(
            (
                i,
                f"bench-dest-{i:03d}",
                f"基准目的地{i:03d}",
                f"Bench destination {i:03d}",
                f"基准目的地{i:03d}的简介。",
                f"About bench destination {i:03d}.",
                kind,
                rng.choice(PREFECTURES),
                round(rng.uniform(41.0, 46.0), 5),
                round(rng.uniform(122.0, 131.0), 5),
                round(rng.uniform(0.5, 60.0), 1),
                rng.random() < 0.6,
                rng.random() < 0.5,
                rng.random() < 0.7,
                rng.random() < 0.8,
                json.dumps(
                    rng.sample(
                        ["AAAA", "AAAAA", "national_forest_wellness_base", "hot_spring_star"],
                        rng.randint(0, 2),
                    )
                ),
                "mature" if rng.random() < 0.85 else "reserve",
                False,
            )
        )
        # Every theme has destinations: theme i % 7 first, then 0-2 more.
        own = {THEMES[i % len(THEMES)], *rng.sample(THEMES, rng.randint(0, 2))}
        themes.extend((i, t) for t in sorted(own))
        corridors.extend((i, c) for c in sorted(rng.sample(CORRIDORS, rng.randint(0, 2))))
    return dests, themes, corridors


def pack_rows(rng: random.Random) -> tuple[list[tuple], dict[int, list[int]]]:
    packs, by_dest = [], {}
    pack_id = 0
    for dest_id in range(1, N_DESTINATIONS + 1):
        by_dest[dest_id] = []
        for kind in rng.sample(PACK_KINDS, rng.randint(2, 3)):
            pack_id += 1
            packs.append(
                (
                    pack_id,
                    f"bench-pack-{pack_id:04d}",
                    dest_id,
                    kind,
                    f"增值包{pack_id}",
                    f"Pack {pack_id}",
                    "",
                    "",
                    rng.randrange(20_000, 200_000, 1_000),
                    rng.choice(PACK_BASIS),
                )
            )
            by_dest[dest_id].append(pack_id)
    return packs, by_dest


def product_rows(
    rng: random.Random, dest_themes: list[tuple], packs_by_dest: dict[int, list[int]], start: date
) -> tuple[list[tuple], list[tuple], list[tuple], list[int]]:
    dests_of_theme: dict[str, list[int]] = {t: [] for t in THEMES}
    for dest_id, theme in dest_themes:
        dests_of_theme[theme].append(dest_id)
    units = [t.value for t in UnitType]
    products, seasons, product_packs, units_per_night = [], [], [], []
    season_id = 0
    year = start.year
    for i in range(1, N_PRODUCTS + 1):
        theme = THEMES[i % len(THEMES)]
        dest_id = rng.choice(dests_of_theme[theme])
        base_occ = rng.choice([1, 2, 2, 2, 3, 4])
        if rng.random() < 0.5:
            modules, (min_n, max_n) = rng.choice(DURATION_MODULES), (None, None)
        else:
            modules, (min_n, max_n) = [], rng.choice(NIGHT_RANGES)
        base_rate = rng.randrange(15_000, 120_000, 500)
        products.append(
            (
                i,
                f"bench-product-{i:04d}",
                dest_id,
                theme,
                f"基准产品{i:04d}",
                f"Bench product {i:04d}",
                "",
                "",
                rng.choice(units),
                base_occ,
                base_occ + rng.randint(0, 2),
                min_n,
                max_n,
                json.dumps(modules),
                base_rate,
                rng.randrange(0, 15_000, 500),
                rng.choice([2000, 3000, 4000]),
                json.dumps(REFUND_POLICY),
                None,
                None,
                rng.random() < 0.97,
            )
        )
        for name_zh, name_en, sd, ed, factor in (
            ("夏季旺季", "Summer peak", date(year, 7, 1), date(year, 9, 1), 1.3),
            ("冬季旺季", "Winter peak", date(year, 12, 15), date(year + 1, 3, 1), 1.2),
        ):
            season_id += 1
            seasons.append((season_id, i, name_zh, name_en, sd, ed, int(base_rate * factor)))
        offered = packs_by_dest[dest_id]
        for pack_id in rng.sample(offered, rng.randint(0, len(offered))):
            product_packs.append((i, pack_id))
        units_per_night.append(rng.choice([2, 4, 6, 8, 10, 12, 20]))
    return products, seasons, product_packs, units_per_night


def copy_rows(cur: psycopg.Cursor, table: str, columns: list[str], rows) -> int:
    n = 0
    with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as cp:
        for row in rows:
            cp.write_row(row)
            n += 1
    return n


def inventory_rows(rng: random.Random, units_per_night: list[int], start: date):
    """365 nights per product: about a third of nights have taken units, 1% are sold out
    (so about half of the products are bookable on every night of a 60-night window)."""
    nights = [start + timedelta(days=d) for d in range(N_NIGHTS)]
    for product_id, total in enumerate(units_per_night, start=1):
        for night in nights:
            r = rng.random()
            if r < 0.01:
                taken = total
            elif r < 0.35:
                taken = rng.randint(1, total - 1)
            else:
                taken = 0
            yield (product_id, night, total, taken)


COLUMNS = {
    "destination": [
        "id",
        "slug",
        "name_zh",
        "name_en",
        "description_zh",
        "description_en",
        "pilot_kind",
        "prefecture",
        "lat",
        "lon",
        "nearest_hospital_km",
        "medical_insurance_station",
        "cross_province_settlement",
        "elder_friendly_rooms",
        "has_5g",
        "certifications",
        "directory_status",
        "is_real_place",
    ],
    "destination_theme": ["destination_id", "theme"],
    "destination_corridor": ["destination_id", "corridor"],
    "add_on_pack": [
        "id",
        "code",
        "destination_id",
        "kind",
        "name_zh",
        "name_en",
        "description_zh",
        "description_en",
        "price_fen",
        "basis",
    ],
    "product": [
        "id",
        "slug",
        "destination_id",
        "theme",
        "name_zh",
        "name_en",
        "description_zh",
        "description_en",
        "unit_type",
        "base_occupancy",
        "max_occupancy",
        "min_nights",
        "max_nights",
        "duration_modules",
        "base_rate_fen",
        "extra_guest_fee_fen",
        "max_discount_bps",
        "refund_policy",
        "sold_from",
        "sold_until",
        "is_active",
    ],
    "season": [
        "id",
        "product_id",
        "name_zh",
        "name_en",
        "start_date",
        "end_date",
        "nightly_rate_fen",
    ],
    "product_pack": ["product_id", "pack_id"],
    "inventory_night": ["product_id", "night", "total_units", "taken_units"],
}


def fill(url: str, seed: int, start: date) -> dict[str, int]:
    rng = random.Random(seed)
    dests, themes, corridors = destination_rows(rng)
    packs, packs_by_dest = pack_rows(rng)
    products, seasons, product_packs, units = product_rows(rng, themes, packs_by_dest, start)
    counts: dict[str, int] = {}
    with psycopg.connect(conninfo(url)) as conn, conn.cursor() as cur:
        for table, rows in (
            ("destination", dests),
            ("destination_theme", themes),
            ("destination_corridor", corridors),
            ("add_on_pack", packs),
            ("product", products),
            ("season", seasons),
            ("product_pack", product_packs),
        ):
            counts[table] = copy_rows(cur, table, COLUMNS[table], rows)
        t0 = time.perf_counter()
        counts["inventory_night"] = copy_rows(
            cur, "inventory_night", COLUMNS["inventory_night"], inventory_rows(rng, units, start)
        )
        print(
            f"  inventory COPY {counts['inventory_night']:,} rows "
            f"in {time.perf_counter() - t0:.1f} s"
        )
        for table in ("destination", "add_on_pack", "product", "season"):
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"
            )
        conn.commit()
    with psycopg.connect(conninfo(url), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=2)
    parser.add_argument(
        "--start",
        type=date.fromisoformat,
        default=None,
        help="first inventory night (default: today in Asia/Shanghai)",
    )
    args = parser.parse_args(argv)
    start = args.start or shanghai_today()
    url = bench_url()
    t_all = time.perf_counter()
    t0 = time.perf_counter()
    create_database()
    print(f"created {DB_NAME} in {time.perf_counter() - t0:.1f} s")
    t0 = time.perf_counter()
    upgrade(url)
    print(f"migrated to head in {time.perf_counter() - t0:.1f} s")
    t0 = time.perf_counter()
    counts = fill(url, args.seed, start)
    print(
        f"filled and analyzed in {time.perf_counter() - t0:.1f} s: "
        + ", ".join(f"{k} {v:,}" for k, v in counts.items())
    )
    print(f"inventory nights {start} .. {start + timedelta(days=N_NIGHTS - 1)}; seed {args.seed}")
    print(
        f"total {time.perf_counter() - t_all:.1f} s; database "
        f"{sa.make_url(url).render_as_string(hide_password=True)}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
