"""What report_stay's triggers add to a write, on the province-scale bench database.

    .venv/bin/python bench/report_stay_writes.py [--changes 2000] [--rounds 3]

Needs ``jl_bench_reports`` kept by ``reports_year.py --keep`` (1,000,000 stays, the
summary and its triggers). In one transaction per round, rolled back, it changes one
stay of ``--changes`` random bookings (``UPDATE booking_item SET guests = guests``,
which the item trigger sees as a change of a stay's facts), once with the triggers
and once without (``session_replication_role = replica`` switches user triggers off),
alternating; the difference per change is what the summary costs a writer.
"""

import argparse
import os
import random
import sys
import time
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from catalog_generate import ADMIN_URL, bench_url, conninfo
from reports_year import NAME


def one_round(conn, ids: list[int], triggers: bool) -> float:
    with conn.transaction(force_rollback=True):
        if not triggers:
            conn.execute("SET LOCAL session_replication_role = replica")
        t = time.perf_counter()
        for booking_id in ids:
            conn.execute(
                "UPDATE booking_item SET guests = guests WHERE booking_id = %s AND item_index = 0",
                (booking_id,),
            )
        return (time.perf_counter() - t) * 1000 / len(ids)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--changes", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    load = os.getloadavg()[0]
    rng = random.Random(13)
    with psycopg.connect(conninfo(bench_url(ADMIN_URL, NAME))) as conn:
        top = conn.execute("SELECT max(id) FROM booking").fetchone()[0]
        got = {True: [], False: []}
        for _ in range(args.rounds):
            for triggers in (False, True):
                ids = [rng.randint(1, top) for _ in range(args.changes)]
                got[triggers].append(one_round(conn, ids, triggers))
    for triggers, values in got.items():
        label = "with triggers" if triggers else "without"
        print(f"{label:14} ms per changed stay: " + ", ".join(f"{v:.3f}" for v in values))
    print(f"load average {load:.2f} -> {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
