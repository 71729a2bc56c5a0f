"""Operator accounts and tokens for tests: two destinations A and B, each with a product,
an operator admin and a staff account; the province."""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

from service.clock import Clock
from service.db import Database
from service.operators import accounts, passwords
from tests.factories import make_destination, make_line, make_product

PASSWORD = "correct-horse-battery"
_HASH = passwords.hash_password(PASSWORD)  # once per run: argon2 is slow on purpose
FIRST = Clock().today() + timedelta(days=60)


@dataclass(frozen=True)
class Op:
    account_id: int
    login: str
    token: str
    destination_ids: tuple[int, ...]

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def add_operator(db: Database, login: str, role: str, destination_ids=()) -> Op:
    now = datetime.now(UTC)
    with db.write_session() as s:
        account = accounts.insert_account(
            s,
            login=login,
            display_name=login,
            role=role,
            password_hash=_HASH,
            destination_ids=list(destination_ids),
            now=now,
        )
        issued = accounts.issue_token(s, account, pepper=db.settings.secret_key, now=now)
        s.commit()
        return Op(account.id, login, issued.plaintext, tuple(destination_ids))


@dataclass
class Place:
    destination_id: int
    product_id: int
    admin: Op
    staff: Op


@dataclass
class World:
    a: Place
    b: Place
    province: Op
    extra: dict = field(default_factory=dict)


def world(db: Database, *, nights: int = 60, units: int = 5) -> World:
    places = []
    for tag in ("a", "b"):
        with db.write_session() as s:
            d = make_destination(s, slug=f"dest-{tag}")
            p = make_product(
                s,
                d,
                slug=f"product-{tag}",
                inventory=(FIRST, nights, units),
                seasons=[(FIRST + timedelta(days=10), FIRST + timedelta(days=20), 45_000)],
            )
            s.commit()
            d_id, p_id = d.id, p.id
        places.append(
            Place(
                d_id,
                p_id,
                add_operator(db, f"admin-{tag}", "operator_admin", [d_id]),
                add_operator(db, f"staff-{tag}", "operator_staff", [d_id]),
            )
        )
    return World(places[0], places[1], add_operator(db, "province", "province_admin"))


def move_leg(db: Database, w: World, *, riders: int = 2) -> tuple[date, dict]:
    """A trip's move from A to B: the day (A's 5 nights from FIRST done), and the leg of
    a new line stopping at A then B that rides it, boarding at A, as a quote takes it."""
    with db.write_session() as s:
        stops = [SimpleNamespace(id=w.a.destination_id), SimpleNamespace(id=w.b.destination_id)]
        line_id = make_line(s, stops=stops).id
        s.commit()
    move = FIRST + timedelta(days=5)
    leg = {
        "line_id": line_id,
        "travel_date": move.isoformat(),
        "riders": riders,
        "from_destination_id": w.a.destination_id,
        "to_destination_id": w.b.destination_id,
    }
    return move, leg


def rule_body(w: World, **over) -> dict:
    """A long-stay rule of A's destination (5% from 7 nights), as POST /v1/admin/rules
    takes it; ``over`` changes or adds its fields."""
    body = {
        "key": "a-long-stay",
        "kind": "long_stay",
        "name_zh": "长住优惠",
        "name_en": "Long stay",
        "destination_ids": [w.a.destination_id],
        "tiers": [{"threshold": 7, "bps": 500}],
    }
    body.update(over)
    return body


def rule_terms(body: dict) -> dict:
    """A rule's ``body`` as a new version of it takes it (no key or kind)."""
    return {k: v for k, v in body.items() if k not in ("key", "kind")}


# A new product as POST /v1/admin/products takes it, without its destination_id.
PRODUCT_BODY = {
    "slug": "intruder-cabin",
    "name_zh": "木屋",
    "name_en": "Cabin",
    "theme": "forest_healing",
    "unit_type": "cabin",
    "base_occupancy": 2,
    "max_occupancy": 2,
    "base_rate_fen": 10000,
}
