"""CLI: ``jilin demo-year`` generates a plausible year of bookings for the reports."""

import argparse

from pricing.labels import counted
from service import runner
from service.clock import Clock
from service.db import Database
from service.settings import Settings


def cmd_demo_year(args: argparse.Namespace) -> int:
    from service.reports.demo import generate_year

    settings = Settings()
    if settings.env == "production":
        print("error: demo-year makes demo bookings; refused with JL_ENV=production")
        return 2
    today = Clock().today()
    year = args.year or today.year - 1
    db = Database(settings)
    with runner.transaction(db, write=True) as session:
        made = generate_year(session, year, today=today, pepper=settings.secret_key,
                             seed=args.seed, scale=args.scale)  # fmt: skip
    db.dispose()
    print(
        f"{year}: {counted(made.bookings, 'booking')}, {counted(made.stays, 'stay')} "
        f"({made.cancelled} cancelled), {counted(made.surveys, 'survey answer')}, "
        f"{counted(made.inventory_cells, 'inventory night')} added"
    )
    return 0


def register_commands(sub) -> None:
    p = sub.add_parser("demo-year", help="generate a plausible year of demo bookings")
    p.add_argument("--year", type=int, default=None, help="default: last year")
    p.add_argument("--seed", type=int, default=2027)
    p.add_argument("--scale", type=float, default=1.0, help="fewer (<1) or more stays")
    p.set_defaults(func=cmd_demo_year)
