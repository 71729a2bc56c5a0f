"""The province's report over a year at province scale, on PostgreSQL (issue 13).

    .venv/bin/python bench/reports_year.py [--bookings 800000] [--runs 5]
        [--wrk-seconds 30] [--wrk-timeout 60s] [--keep] [--reuse]

Builds ``jl_bench_reports`` (schema up to migration 0015) with the catalogue generator of
``catalog_generate.py``
(150 destinations, 3,000 products, 365 inventory nights each from 2027-01-01), then
fills a year of bookings in SQL (``generate_series`` with a fixed ``setseed``):
``--bookings`` bookings with a first stay at a random product, check-in in 2027, 3-28
nights and 1-3 guests, a quarter of them going on to a second, contiguous stay
elsewhere (about 1,000,000 stays in all), 7% cancelled, 2% of stays no-shows, a
third of the ended stays with a survey answer. The stays are not placed against
capacity (occupancy can pass 100%): the figures are for timing, not for reading.
The bookings are written before migration 0016, which then builds the reports' per-stay
summary (``report_stay``) from them as it would on a live database; that back-fill is
timed (``summary_s``). ``--keep`` keeps the database, ``--reuse`` times a kept one.

Then it times ``GET /v1/reports/measures?from=2027-01-01&to=2027-12-31&by=month&
by=pilot_kind``: in-process (``service.reports.service.measures_report`` through a
fresh session, ``--runs`` times, against ``SELECT 1``) and over HTTP (one uvicorn
worker, ``wrk -t1 -c1``, against ``GET /v1/health`` in the same run).
"""

import argparse
import json
import os
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

import psycopg
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import benchkit
from calendar_bulk_edit import run_wrk
from catalog_generate import ADMIN_URL, bench_url, conninfo, create_database, drop_database, fill

from service.db import Database
from service.migrate import upgrade
from service.operators import accounts
from service.operators.scope import Operator
from service.reports.service import measures_report
from service.settings import Settings

NAME = "jl_bench_reports"
YEAR = 2027
TODAY = date(2028, 1, 15)  # the year has ended: every stay is past
TABLES = ("product", "inventory_night", "booking", "booking_item", "survey_response", "report_stay")
PROVINCE = Operator(account_id=0, login="bench", role="province_admin", destination_ids=None)

_BOOKINGS_SQL = """
SELECT setseed(0.2027);
CREATE TEMP TABLE plan AS
SELECT g AS n,
       (SELECT min(id) FROM product) + floor(random() * 3000)::int AS product_id,
       DATE '2027-01-01' + floor(random() * 360)::int AS check_in,
       (ARRAY[3, 5, 7, 7, 10, 14, 14, 21, 28])[1 + floor(random() * 9)::int] AS nights,
       (ARRAY[1, 2, 2, 2, 3])[1 + floor(random() * 5)::int] AS guests,
       random() AS r_status, random() AS r_more, random() AS r_channel,
       (SELECT min(id) FROM product) + floor(random() * 3000)::int AS next_product,
       (ARRAY[7, 10, 14, 21])[1 + floor(random() * 4)::int] AS next_nights
FROM generate_series(1, %(n)s) AS g;
INSERT INTO quote (id, created_at, expires_at, booking_date, channel, request, terms, priced,
                   rule_versions, subtotal_fen, discount_total_fen, total_fen, currency)
SELECT 'qbench' || n, TIMESTAMPTZ '2026-12-01', TIMESTAMPTZ '2026-12-01 00:30', DATE '2026-12-01',
       'direct', '{}', '{}', '{}', '[]', nights * 40000, 0, nights * 40000, 'CNY' FROM plan;
INSERT INTO booking (id, reference, token_hash, channel, quote_id, status, payment_mode,
                     total_fen, currency, refunded_fen, inventory_held, lead_name, lead_phone,
                     guests, created_at, updated_at, version)
SELECT n, 'JB' || lpad(n::text, 9, '0'), md5(n::text) || md5(n::text),
       CASE WHEN r_channel < 0.5 THEN 'direct' WHEN r_channel < 0.8 THEN 'miniprogram'
            ELSE 'ota' END,
       'qbench' || n, CASE WHEN r_status < 0.07 THEN 'cancelled' ELSE 'completed' END,
       'pay_at_property', nights * 40000, 'CNY', 0, r_status >= 0.07, '演示', '13800000000',
       '[]', TIMESTAMPTZ '2026-12-01', TIMESTAMPTZ '2026-12-01', 1
FROM plan;
SELECT setval(pg_get_serial_sequence('booking', 'id'), (SELECT max(id) FROM booking));
INSERT INTO booking_item (booking_id, item_index, product_id, check_in, check_out, units, guests,
                          net_fen, product_name_zh, product_name_en, refund_policy, stay_status)
SELECT n, 0, product_id, check_in, check_in + nights, 1, guests, nights * 40000, '产品', 'Product',
       '[]'::jsonb, CASE WHEN r_status >= 0.07 AND r_more > 0.98 THEN 'no_show' ELSE 'completed' END
FROM plan
UNION ALL
SELECT n, 1, next_product, check_in + nights, check_in + nights + next_nights, 1, guests,
       next_nights * 40000, '产品', 'Product', '[]'::jsonb, 'completed'
FROM plan WHERE r_more < 0.25;
INSERT INTO survey_response (booking_item_id, booking_id, overall, accommodation, medical_access,
                             food, activities, value, elder_friendliness, comment, submitted_at)
SELECT i.id, i.booking_id, 2 + floor(random() * 4)::int, 2 + floor(random() * 4)::int,
       2 + floor(random() * 4)::int, 2 + floor(random() * 4)::int, 2 + floor(random() * 4)::int,
       2 + floor(random() * 4)::int, 2 + floor(random() * 4)::int, '', TIMESTAMPTZ '2028-01-01'
FROM booking_item i JOIN booking b ON b.id = i.booking_id
WHERE b.status = 'completed' AND i.stay_status = 'completed' AND random() < 0.33;
"""


def build(bookings: int) -> tuple[str, dict]:
    url = bench_url(ADMIN_URL, NAME)
    t0 = time.perf_counter()
    create_database(ADMIN_URL, NAME)
    upgrade(url, "0015")
    fill(url, 2, date(YEAR, 1, 1))
    catalogue_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    with psycopg.connect(conninfo(url)) as conn, conn.cursor() as cur:
        for statement in _BOOKINGS_SQL.split(";\n"):
            if statement.strip():
                cur.execute(statement, {"n": bookings} if "%(n)s" in statement else None)
        conn.commit()
    bookings_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    upgrade(url)  # 0016: report_stay back-filled from the rows above, triggers created
    summary_s = time.perf_counter() - t0
    with psycopg.connect(conninfo(url), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
        counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
    counts["catalogue_s"] = round(catalogue_s, 1)
    counts["bookings_s"] = round(bookings_s, 1)
    counts["summary_s"] = round(summary_s, 1)
    return url, counts


def ms_stats(values: list[float]) -> dict:
    return {
        "median_ms": round(sorted(values)[len(values) // 2], 1),
        "p95_ms": round(benchkit.percentile(values, 95), 1),
        "runs": len(values),
    }


def in_process(db: Database, runs: int) -> dict:
    report, base = [], []
    for _ in range(runs):
        t = time.perf_counter()
        with db.session() as s:
            s.execute(sa.text("SELECT 1"))
        base.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        with db.session() as s:
            r = measures_report(
                s, PROVINCE, first=date(YEAR, 1, 1), last=date(YEAR, 12, 31),
                by=["month", "pilot_kind"], today=TODAY, long_nights=10,
            )  # fmt: skip
        report.append((time.perf_counter() - t) * 1000)
    total = r.total or {}
    return {
        "baseline": ms_stats(base),
        "report": ms_stats(report),
        "rows": len(r.rows),
        "stays": total.get("stays"),
        "person_nights": total.get("person_nights"),
        "long_trip_person_trips": total.get("long_trip_person_trips"),
    }


def over_http(url: str, db: Database, seconds: int, timeout: str) -> dict:
    now = datetime.now(UTC)
    with db.write_session() as s:
        account = accounts.insert_account(s, login=f"bench-{now:%H%M%S}", display_name="bench",
                                          role="province_admin", password_hash="x",
                                          destination_ids=[], now=now)  # fmt: skip
        token = accounts.issue_token(s, account, pepper=db.settings.secret_key, now=now).plaintext
        s.commit()
    port = benchkit.free_port()
    tmp = Path(tempfile.mkdtemp(prefix="jl-bench-reports-"))
    script = tmp / "report.lua"
    script.write_text(f'wrk.headers["Authorization"] = "Bearer {token}"\n')
    server = benchkit.start_server(url, port, tmp / "server.log",
                                   env={"JL_RATE_LIMIT_PER_MINUTE": "100000"})  # fmt: skip
    try:
        base = f"http://{benchkit.HOST}:{port}"
        q = f"/v1/reports/measures?from={YEAR}-01-01&to={YEAR}-12-31&by=month&by=pilot_kind"
        return {
            "baseline": run_wrk(f"{base}/v1/health", seconds, None),
            "report": run_wrk(base + q, seconds, str(script), timeout),
        }
    finally:
        benchkit.stop_server(server)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bookings", type=int, default=800_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--wrk-seconds", type=int, default=30)
    parser.add_argument("--wrk-timeout", default="60s")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--reuse", action="store_true", help="time a database kept before")
    args = parser.parse_args()
    load_start = os.getloadavg()[0]
    if args.reuse:
        url, counts = bench_url(ADMIN_URL, NAME), {"reused": True}
        upgrade(url)
    else:
        url, counts = build(args.bookings)
    print("built:", counts)
    db = Database(Settings(env="development", database_url=url))
    try:
        result = {"data": counts, "in_process": in_process(db, args.runs)}
        print("in-process:", result["in_process"])
        result["http"] = over_http(url, db, args.wrk_seconds, args.wrk_timeout)
        print("http:", result["http"])
    finally:
        db.dispose()
        if not (args.keep or args.reuse):
            drop_database(ADMIN_URL, NAME)
    result["load"] = [round(load_start, 2), round(os.getloadavg()[0], 2)]
    out = benchkit.ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    (out / f"reports_year-{stamp}.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
