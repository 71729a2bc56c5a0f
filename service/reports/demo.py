"""A plausible year of bookings for the reports (``jilin demo-year``, tests, bench).

For every active product, stays are placed night by night against the product's
capacity (its inventory cells; missing cells of the year are created with the
product's usual units), with seasons (summer for retreats and forests, winter for ice
and snow), stay lengths from the product's modules, one to three guests, and some
trips continuing at a second destination the day the first stay ends (in the same
booking, or for some in a second booking by the same traveller). Past stays are
completed (a few no-shows), some bookings cancelled, future ones confirmed; a third of
the ended stays answer the survey. Deterministic for a seed. Taken units are written
back to the inventory, so the nights sold never exceed the nights on sale.
"""

import hashlib
import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from sqlmodel import Session, select

from catalog.models import InventoryNight, Product
from service.bookings.models import (
    CANCELLED,
    COMPLETED,
    CONFIRMED,
    MODE_PAY_AT_PROPERTY,
    Booking,
    BookingItem,
)
from service.clients.keys import hash_traveller
from service.personal_data import strip_personal_data
from service.quotes.models import Quote
from service.reports.models import ASPECTS, SurveyResponse
from service.reports.survey import COMMENT_MAX

CHANNELS = (("direct", 50), ("miniprogram", 30), ("ota", 20))
COMMENTS = (
    "空气好，睡得香，医生每周来两次。",
    "房间适老化做得细，扶手和夜灯都有。",
    "饭菜清淡合口，就是周末人多。",
    "Forest walks every morning; the clinic nearby was reassuring.",
    "活动丰富，但离医院有点远。",
    "价格公道，明码标价，没有额外收费。",
    "",
)
SEASON_PEAK = {
    "summer_retreat": (6, 7, 8),
    "forest_healing": (6, 7, 8, 9),
    "ice_snow": (12, 1, 2),
    "hot_spring": (11, 12, 1, 2, 3),
}


@dataclass
class Generated:
    bookings: int = 0
    stays: int = 0
    cancelled: int = 0
    surveys: int = 0
    inventory_cells: int = 0


def _weight(theme: str, d: date) -> float:
    peak = SEASON_PEAK.get(theme)
    if peak is None:
        return 0.55
    return 0.9 if d.month in peak else 0.3


def _lengths(p: Product) -> list[int]:
    if p.duration_modules:
        return list(p.duration_modules)
    lo = max(p.min_nights or 3, 1)
    hi = min(p.max_nights or 30, 35)
    return sorted({lo, min(hi, max(lo, 7)), min(hi, max(lo, 10)), min(hi, max(lo, 14)), hi})


def generate_year(
    session: Session,
    year: int,
    *,
    today: date,
    pepper: str,
    seed: int = 2027,
    scale: float = 1.0,
    default_units: int = 8,
) -> Generated:
    """Bookings of ``year`` for every active product, through ``session`` (flushed,
    not committed). ``scale`` thins the stays (1.0: about as busy as a good year).
    ``pepper``: the application's secret, which the travellers' hashes are made with."""
    rng = random.Random(seed)  # noqa: S311 (demo data, not a secret)
    # Travellers' phones, and which trips are booked as two bookings: drawn apart, so
    # the stays themselves are the same as without them.
    people = random.Random(seed + 1)  # noqa: S311
    out = Generated()
    first, end = date(year, 1, 1), date(year + 1, 1, 1)
    nights = [first + timedelta(days=i) for i in range((end - first).days)]
    products = list(session.exec(select(Product).where(Product.is_active).order_by(Product.id)))
    if not products:
        return out
    cells = defaultdict(dict)
    for c in session.exec(
        select(InventoryNight).where(InventoryNight.night >= first, InventoryNight.night < end)
    ):
        cells[c.product_id][c.night] = c
    free: dict[int, dict[date, int]] = {}
    usual: dict[int, int] = {}
    for p in products:
        have = cells[p.id]
        usual[p.id] = max((c.total_units for c in have.values()), default=default_units)
        for d in nights:
            if d not in have:
                have[d] = InventoryNight(product_id=p.id, night=d, total_units=usual[p.id])
                session.add(have[d])
                out.inventory_cells += 1
        free[p.id] = {d: have[d].total_units - have[d].taken_units for d in nights}
    session.flush()

    def fits(pid: int, start: date, n: int, units: int) -> bool:
        f = free[pid]
        return all(f.get(start + timedelta(days=k), 0) >= units for k in range(n))

    def take(pid: int, start: date, n: int, units: int) -> None:
        for k in range(n):
            free[pid][start + timedelta(days=k)] -= units

    by_destination = defaultdict(list)
    for p in products:
        by_destination[p.destination_id].append(p)
    channels = [c for c, w in CHANNELS for _ in range(w)]
    stamp = hashlib.sha256(f"{year}:{seed}".encode()).hexdigest()[:4]
    seq = 0
    trips: list[list[tuple[Product, date, int, int, int]]] = []
    for p in products:
        lengths = _lengths(p)
        attempts = int(usual[p.id] * 365 / 12 * scale)
        for _ in range(attempts):
            start = nights[rng.randrange(len(nights))]
            if rng.random() > _weight(p.theme, start):
                continue
            n = rng.choice(lengths)
            units = 1 if rng.random() < 0.9 else 2
            if start + timedelta(days=n) > end or not fits(p.id, start, n, units):
                continue
            # a guest a room at least, as quotes ask (``pricing.check_rooms``)
            guests = min(p.max_occupancy * units, max(units, rng.choice((1, 2, 2, 2, 2, 3))))
            take(p.id, start, n, units)
            trip = [(p, start, n, units, guests)]
            if rng.random() < 0.2:  # the trip goes on at another destination
                others = [o for d, ps in by_destination.items() if d != p.destination_id
                          for o in ps]  # fmt: skip
                if others:
                    q = rng.choice(others)
                    m = rng.choice(_lengths(q))
                    s2 = start + timedelta(days=n)
                    if s2 + timedelta(days=m) <= end and fits(q.id, s2, m, 1):
                        take(q.id, s2, m, 1)
                        trip.append((q, s2, m, 1, min(guests, q.max_occupancy)))
            trips.append(trip)

    plans = []
    quotes, bookings = [], []
    for trip in trips:
        first_in = trip[0][1]
        created = datetime.combine(first_in - timedelta(days=rng.randint(3, 60)), time(2), UTC)
        ended = trip[-1][1] + timedelta(days=trip[-1][2]) <= today
        roll = rng.random()
        status = CANCELLED if roll < 0.07 else (COMPLETED if ended else CONFIRMED)
        channel = rng.choice(channels)
        phone = f"139{people.randrange(10**8):08d}"
        # a trip that goes on elsewhere is, one time in three, booked as two bookings
        split = len(trip) > 1 and people.random() < 1 / 3
        parts = [(0, 1), (1, len(trip))] if split else [(0, len(trip))]
        lines = []
        for stay in trip:
            p, start, n, units, guests = stay
            rate = p.base_rate_fen + (p.extra_guest_fee_fen if guests > p.base_occupancy else 0)
            discount = 9000 if n >= 14 else 10000
            net = rate * n * units * discount // 10000
            no_show = status != CANCELLED and start <= today and rng.random() < 0.02
            stay_status = "no_show" if no_show else ("completed" if ended else None)
            lines.append((p, start, n, units, guests, net, stay_status))
        for a, b in parts:
            seq += 1
            items = [(i, *line) for i, line in enumerate(lines[a:b])]
            total = sum(line[5] for line in lines[a:b])
            if status == CANCELLED:  # its nights were released
                for _i, p, start, n, units, *_ in items:
                    for k in range(n):
                        free[p.id][start + timedelta(days=k)] += units
            qid = f"q_demo_{year}_{stamp}_{seq}"
            quotes.append(
                Quote(
                    id=qid,
                    created_at=created,
                    expires_at=created + timedelta(minutes=30),
                    booking_date=created.date(),
                    channel="direct",
                    request={"generated": True},
                    priced={},
                    subtotal_fen=total,
                    discount_total_fen=0,
                    total_fen=total,
                )
            )
            booking = Booking(
                reference=f"JY{stamp}{seq:06d}"[:12],
                token_hash=hashlib.sha256(f"{qid}".encode()).hexdigest(),
                channel=channel,
                quote_id=qid,
                status=status,
                payment_mode=MODE_PAY_AT_PROPERTY,
                total_fen=total,
                inventory_held=status != CANCELLED,
                status_reason="cancelled_by_traveller" if status == CANCELLED else None,
                traveller_hash=hash_traveller(phone, pepper),
                lead_name="演示旅客",
                lead_phone=phone,
                guests=[],
                created_at=created,
                updated_at=created,
            )
            bookings.append(booking)
            plans.append((booking, status, items))
    session.add_all(quotes)
    session.flush()
    session.add_all(bookings)
    session.flush()
    out.bookings = len(bookings)
    stays_added = []
    for booking, status, items in plans:
        for i, p, start, n, units, guests, net, stay_status in items:
            item = BookingItem(
                booking_id=booking.id,
                item_index=i,
                product_id=p.id,
                check_in=start,
                check_out=start + timedelta(days=n),
                units=units,
                guests=guests,
                net_fen=net,
                product_name_zh=p.name_zh,
                product_name_en=p.name_en,
                refund_policy=list(p.refund_policy or []),
                stay_status=stay_status,
            )
            stays_added.append((booking, status, item))
    session.add_all([item for _b, _s, item in stays_added])
    session.flush()
    answers = []
    for booking, status, item in stays_added:
        out.stays += 1
        if status == CANCELLED:
            out.cancelled += 1
        elif item.stay_status == "completed" and rng.random() < 0.35:
            scores = {a: rng.choice((3, 4, 4, 5, 5)) for a in ASPECTS if rng.random() < 0.9}
            answers.append(
                SurveyResponse(
                    booking_item_id=item.id,
                    booking_id=booking.id,
                    overall=rng.choice((3, 4, 4, 4, 5, 5, 2)),
                    comment=strip_personal_data(rng.choice(COMMENTS), max_length=COMMENT_MAX),
                    submitted_at=datetime.combine(item.check_out, time(4), UTC),
                    **scores,
                )
            )
    session.add_all(answers)
    out.surveys = len(answers)
    session.flush()
    changed = []
    for p in products:
        have = cells[p.id]
        for d in nights:
            taken = have[d].total_units - free[p.id][d]
            if taken != have[d].taken_units:
                changed.append({"product_id": p.id, "night": d, "taken_units": taken})
    if changed:  # one UPDATE by primary key, executed for every changed cell
        session.execute(sa.update(InventoryNight), changed)
    session.flush()
    return out
