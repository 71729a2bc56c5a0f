"""Use cases of the catalogue's availability and prices by date: a product's nights
(``availability_calendar``), the check of a stay or of a quote's stays booked together
(``check_availability``, ``check_stays``), the search of a theme's products for a stay
(``theme_availability``), the price calendar (``price_calendar``), and the probes that
tell a kept page showing them is still right (``availability_probe``, ``units_probe``).
Products are resolved and shaped as the browsing reads do (``service.catalog.service``).
"""

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

import pricing
from catalog import inventory, sale_calendars, sellability
from catalog import queries as q
from catalog import terms as catalog_terms
from catalog.models import Product
from planner.model import Offer, PlanRequest
from planner.search import stay_prices
from pricing.labels import counted
from service.catalog import schemas as out
from service.catalog.service import check_range, find_product, page_of, product_summaries
from service.db import Probe, joined
from service.errors import Unprocessable
from service.i18n import Lang
from service.lru import MISSING, PerEngine
from service.pagination import Listing
from service.text import LAST_DAY, OUT_OF_CALENDAR


def _nights(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days)]


def availability_calendar(s: Session, key: str, start: date, end: date) -> out.AvailabilityCalendar:
    check_range(start, end, end_field="to", start_field="from")
    p = find_product(s, key)
    rows = q.inventory_nights(s, p.id, start, end)
    nights = []
    for night in _nights(start, end):
        row = rows.get(night)
        nights.append(
            out.NightAvailability(
                night=night,
                total_units=row.total_units if row else 0,
                units_left=max(row.units_left, 0) if row else 0,
                on_sale=row is not None,
            )
        )
    return out.AvailabilityCalendar(
        product_id=p.id, product_slug=p.slug, date_from=start, date_to=end, nights=nights
    )


def first_check_in(today: date, sold_from: date | None) -> date:
    """The first check-in date a quote of the product takes: today (Asia/Shanghai; an
    earlier one is ``check_in_in_past``, the pricing contract's rule), or its first
    night on sale when that is later. The product page's calendar and quote form start
    there."""
    return max(today, sold_from) if sold_from else today


def last_night_on_sale(s: Session, product_id: int, sold_until: date | None) -> date | None:
    """The product's last night on sale: the last night published with units, or its
    ``sold_until`` when that is earlier (None: nothing published). An index read."""
    last = q.last_published_night(s, product_id)
    if last is None or sold_until is None:
        return last
    return min(last, sold_until)


def last_check_in(last_night: date | None, nights: int) -> date | None:
    """The last check-in date of a stay of ``nights`` that may be on sale: the one whose
    last night is the product's last night on sale (``last_night_on_sale``). No stay of
    that length checking in later is on sale (a night of it is past that night); one
    checking in on it or earlier is judged by the quote's own check
    (``catalog.sellability``). None when nothing is published. A 14-night stay of a
    product on sale up to the night of 5 June checks in on 23 May at the latest."""
    if last_night is None:
        return None
    return last_night - timedelta(days=max(nights, 1) - 1)


def _unbookable_reason(
    today: date, check_in: date, problem: sellability.Unsellable | None
) -> str | None:
    """Why a stay cannot be booked, or None: ``check_in_in_past`` (the problem code a
    quote of it gets), else ``problem``'s, the first reason of ``catalog.sellability``."""
    if check_in < today:
        return "check_in_in_past"
    return problem.reason if problem else None


def _nights_units(dialect: str, product: str, start: str, end: str) -> str:
    """SQL for the units of a product's nights ``start <= night < end`` (the bound
    parameters so named) as one text, ``night:total:taken`` per night in order:
    PostgreSQL's ``string_agg``, SQLite's ``group_concat`` over the ordered nights. On
    PostgreSQL the night is its day number from ``start`` (an integer: formatting a
    date as text was a fifth of the probe's time on the server; the same nights, the
    same text)."""
    nights = (
        f"FROM inventory_night WHERE product_id = :{product}"
        f" AND night >= :{start} AND night < :{end}"
    )
    if dialect == "sqlite":
        each = "night || ':' || total_units || ':' || taken_units"
        ordered = f"SELECT {each} AS u {nights} ORDER BY night"
        return f"(SELECT group_concat(u, ',') FROM ({ordered}))"  # noqa: S608 (names only)
    each = f"(night - :{start}) || ':' || total_units || ':' || taken_units"
    return f"(SELECT string_agg({each}, ',' ORDER BY night) {nights})"


def availability_probe(dialect: str, stays: Sequence[tuple[int, date, date]]) -> Probe:
    """A value that changes whenever ``check_availability`` of these stays (product id,
    check-in, check-out) may answer otherwise: the catalogue version (sale dates,
    restrictions, stop-sells bump it) and, per stay, the units of each of its nights
    (``_nights_units``: a booking on one night and a release on another both change
    it). ``dialect``: the database's (``sqlite`` binds dates as their ISO text, as it
    stores them). A kept page that shows their availability holds while it is
    unchanged (and while its check-ins are not in the past: the caller bounds it)."""
    parts = ["(SELECT version FROM catalogue_version WHERE id = 1)"]
    params: dict[str, Any] = {}
    for i, (product_id, check_in, check_out) in enumerate(stays):
        # Only bound parameters' names are put in; the values are bound.
        parts.append(_nights_units(dialect, f"p{i}", f"s{i}", f"e{i}"))
        params |= {f"p{i}": product_id, **_bound_dates(dialect, s=check_in, e=check_out, n=i)}
    return Probe(f"SELECT {joined(*parts)}", params)


def probe_version(value: str | None) -> int | None:
    """The catalogue version an ``availability_probe`` read (its value's first part; also
    of a probe made of it and others by ``Probe.and_``, which puts it first), or None (no
    version row)."""
    first = (value or "").split("/", 1)[0]
    return int(first) if first else None


def probe_rest(value: str, stays: int) -> str:
    """What an ``availability_probe`` of ``stays`` stays was joined with (``Probe.and_``,
    the availability first) read: the joined ``value`` past the availability's own parts
    (the version, then one per stay; none of them holds a ``/``)."""
    return value.split("/", stays + 1)[-1]


def _bound_dates(dialect: str, *, n: int | str = "", **dates: date) -> dict[str, Any]:
    """``dates`` as a probe binds them, each name suffixed with ``n``: SQLite's as their
    ISO text, as it stores them (its probe may run on the plain sqlite3 module), else as
    dates."""
    if dialect == "sqlite":
        return {f"{name}{n}": day.isoformat() for name, day in dates.items()}
    return {f"{name}{n}": day for name, day in dates.items()}


def _checked_stays(
    today: date, calendars: Sequence[sellability.SaleCalendar], units: Sequence[int]
) -> list[out.StayCheck]:
    """The checks of stays booked together, each from its calendar (``calendar.start``
    to ``calendar.end``): first ``stay_problem``'s reasons other than units, then the
    units as the booking counts them (``catalog.inventory.short_nights``: on each night,
    the stays of one product need their units together, the earlier ones first), and
    whether a stay sold out is so beside the stays before it (``together``). One stay
    alone is ``stay_problem`` with its units."""
    stays = [
        inventory.StayNights(c.terms.product_id, c.start, c.end, u)
        for c, u in zip(calendars, units, strict=True)
    ]
    shorts = inventory.short_nights(stays, lambda i, night: calendars[i].units_left(night))
    return [
        _checked_stay(today, calendar, stay.units, short)
        for calendar, stay, short in zip(calendars, stays, shorts, strict=True)
    ]


def _unquotable(
    calendar: sellability.SaleCalendar, check_in: date, check_out: date, units: int
) -> sellability.Unsellable | None:
    """Why POST /v1/quotes refuses the stay whatever the units left, or None: the first
    of ``stay_problem``'s reasons other than units (its ``not_on_sale``), else
    ``too_many_units`` on the first night with fewer than ``units`` in all, taken or not
    (``SaleCalendar.fewer_in_all``, the quote's own rule: no waiting and no other booking's
    release makes it bookable). ``calendar``: one whose totals were read."""
    problem = calendar.stay_problem(check_in, check_out, None)
    if problem is not None:
        return problem
    night = calendar.fewer_in_all(check_in, check_out, units)
    if night is None:
        return None
    return sellability.Unsellable(sellability.TOO_MANY_UNITS, night, "units")


def units_before_guests(
    today: date,
    calendar: sellability.SaleCalendar,
    stays: Sequence[tuple[date, date]],
    units: int,
) -> tuple[date, int] | None:
    """The one order a party too large for its units (``pricing.check_guests``) is said
    in, by POST /v1/quotes and the price calendar alike: the units in all first. Of
    ``stays`` (check-in, check-out), those a quote would refuse for their party (checking
    in from ``today``, every night on sale and the length allowed: ``stay_problem``); if
    none of them can ever book ``units`` (``SaleCalendar.short_in_all``), the first night
    short and the most units they can book: the refusal is ``too_many_units`` with that
    ``limit``, not ``too_many_guests``, whose limit would count units that can never be
    booked ("add a room" to 13 of a 12-room product). None: the party's refusal stands.
    ``calendar``: one whose totals were read."""
    quoted = [
        (check_in, check_out)
        for check_in, check_out in stays
        if check_in >= today and calendar.stay_problem(check_in, check_out, None) is None
    ]
    return calendar.short_in_all(quoted, units)


def _checked_stay(
    today: date, calendar: sellability.SaleCalendar, units: int, short: inventory.Short | None
) -> out.StayCheck:
    """A stay's check from its calendar and its first night ``short`` of units, if any."""
    check_in, check_out = calendar.start, calendar.end
    problem = _unquotable(calendar, check_in, check_out, units)
    if problem is None and short is not None:
        problem = sellability.Unsellable(sellability.SOLD_OUT, short.night, "check_in", short.left)
    reason = _unbookable_reason(today, check_in, problem)
    too_many = reason == sellability.TOO_MANY_UNITS
    return out.StayCheck(
        product_id=calendar.terms.product_id,
        check_in=check_in,
        check_out=check_out,
        units=units,
        nights=(check_out - check_in).days,
        bookable=reason is None,
        reason=reason,
        sold_out_night=problem.day if reason == sellability.SOLD_OUT else None,
        not_on_sale_night=problem.day if reason == sellability.NOT_ON_SALE else None,
        too_many_units_night=problem.day if too_many else None,
        limit=calendar.most_in_all(check_in, check_out) if too_many else None,
        min_units_left=min(calendar.units_left(n) for n in _nights(check_in, check_out)),
        together=reason == sellability.SOLD_OUT and short is not None and short.earlier > 0,
    )


def _refused(err: pricing.PricingError) -> Unprocessable:
    """The engine's refusal of what a caller asked (its field and numbers) as the 422."""
    return Unprocessable(err.detail, zh=err.detail_zh, field=err.field, code=err.code, **err.values)


def _stay_dates(check_in: date, check_out: date) -> None:
    try:
        pricing.check_stay_dates(check_in, check_out)
    except pricing.PricingError as err:
        raise _refused(err) from err


def check_availability(
    s: Session, today: date, key: str, check_in: date, check_out: date, units: int
) -> out.AvailabilityCheck:
    """Can ``units`` units be booked for every night of [check_in, check_out)?  The
    reason is ``check_in_in_past``, else the first of ``catalog.sellability``'s:
    not_on_sale (naming the night), duration_not_allowed, the day restrictions,
    too_many_units (naming the first night with fewer than ``units`` in all, and its
    ``limit``: what the quote refuses, ``_unquotable``), sold_out (naming the first
    night with fewer than ``units`` left). Its dates are checked as a quote's stay
    (``invalid_dates``, ``stay_too_long``)."""
    _stay_dates(check_in, check_out)
    p = find_product(s, key)
    terms = sellability.SaleTerms.of(p)
    calendars = sale_calendars.stays_calendars(s.connection(), [(terms, check_in, check_out)])
    [check] = _checked_stays(today, calendars, [units])
    return check


# The products' terms of sale (``sale_calendars.sale_terms``) by catalogue version and
# product id: every write of a product bumps the version in its own transaction (the
# migrations' triggers), so what is kept under a version is never older than it, and
# entries of past versions are no longer looked up and age out.
_terms_for = PerEngine(4096)


def _sale_terms(
    conn: sa.Connection, product_ids: Sequence[int], version: int | None
) -> dict[int, sellability.SaleTerms]:
    """The products' terms of sale now: read (one statement), or, given the catalogue
    ``version`` the caller read on ``conn`` before, those kept under it (read, and kept,
    only for the products not kept yet). A product that does not exist has none."""
    if version is None:
        return sale_calendars.sale_terms(conn, product_ids)
    kept = _terms_for(conn.engine)
    found: dict[int, sellability.SaleTerms] = {}
    missing = []
    for pid in set(product_ids):
        terms = kept.get((version, pid))
        if terms is MISSING:
            missing.append(pid)
        elif terms is not None:
            found[pid] = terms
    if missing:
        read = sale_calendars.sale_terms(conn, missing)
        for pid in missing:
            kept.put((version, pid), read.get(pid))
        found |= read
    return found


def check_stays(
    conn: sa.Connection,
    today: date,
    stays: Sequence[tuple[int, date, date, int]],
    *,
    version: int | None = None,
) -> list[out.StayCheck]:
    """``check_availability`` of several stays (product id, check-in, check-out, units)
    booked together, e.g. a quote's: two statements in all (the products' terms of sale,
    then every stay's days), no ORM. A product that no longer exists is not on sale.
    ``version``: the catalogue version the caller read on ``conn`` before this (e.g. in
    the page's probe, ``probe_version``): the terms of sale are then those kept under
    it, read only once per version and product, so one statement (the days).

    Units are counted as a booking of all the stays takes them, by its own rule
    (``catalog.inventory.short_nights``, which ``inventory.take`` applies): stays of
    one product that share a night need their units together that night, so two stays
    each bookable alone may not be bookable together. Every stay counts, even one not
    bookable for another reason (the booking takes all the units before it checks the
    rest). A stay is ``sold_out`` when it does not fit beside the stays before it in
    the given order, ``sold_out_night`` the first night it does not, and ``together``
    when the stays before it of its product need units that night too (the night need
    not be sold out alone); the stays before it are not named for it. So no stay is
    ``sold_out`` exactly when the booking's units can be taken, and the first stay short
    of units is the item and night that a booking's 409 ``sold_out`` names.
    ``min_units_left`` is still each stay's units left, whoever else needs them."""
    for _, check_in, check_out, _ in stays:
        _stay_dates(check_in, check_out)
    found = _sale_terms(conn, [pid for pid, *_ in stays], version)
    calendars = sale_calendars.stays_calendars(
        conn,
        [
            (found.get(pid) or sellability.SaleTerms(pid, is_active=False), check_in, check_out)
            for pid, check_in, check_out, _ in stays
        ],
    )
    return _checked_stays(today, calendars, [units for *_, units in stays])


def theme_availability(
    s: Session,
    lang: Lang,
    today: date,
    *,
    theme: str,
    start: date,
    end: date,
    units: int,
    bookable_only: bool,
    cursor: str | None,
    limit: int,
) -> out.ThemeAvailabilityPage:
    """Each active product of ``theme`` (id order) with the stay ``[start, end)`` checked
    exactly as the per-product check does it (``_checked_stays``, on the product's sale
    calendar of those days): a check-in before ``today`` (Asia/Shanghai) is
    ``check_in_in_past``, else ``catalog.sellability``'s first reason (sale dates,
    inventory, allowed stay length, restrictions, units). ``bookable_only`` keeps the
    bookable ones: products are read in chunks until the page is full."""
    check_range(start, end, end_field="to", start_field="from")
    listing = Listing(
        "/v1/availability",
        {"theme": theme, "from": start, "to": end, "units": units, "bookable": bookable_only},
    )
    after = listing.after_id(cursor)
    found: list[tuple[Product, out.AvailabilityCheck]] = []
    chunk = limit + 1
    while len(found) <= limit:
        rows = q.list_products(s, q.ProductFilter(theme=theme), after_id=after, limit=chunk)
        if not rows:
            break
        calendars = sale_calendars.load_calendars(
            s.connection(), [sellability.SaleTerms.of(p) for p in rows], start, end, totals=True
        )
        for p in rows:
            [check] = _checked_stays(today, [calendars[p.id]], [units])
            if bookable_only and not check.bookable:
                continue
            found.append((p, check))
            if len(found) > limit:
                break
        after = rows[-1].id
        if len(rows) < chunk:
            break
        chunk = min(chunk * 2, 400)
    page, nxt = page_of(found, limit, lambda r: [r[0].id], listing)
    summaries = product_summaries(s, lang, [r[0] for r in page])
    return out.ThemeAvailabilityPage(
        items=[
            out.ThemeAvailabilityItem(
                product=summary,
                min_units_left=check.min_units_left,
                bookable=check.bookable,
                reason=check.reason,
            )
            for summary, (_, check) in zip(summaries, page, strict=True)
        ],
        next=nxt,
    )


# --- the price calendar ------------------------------------------------------------------

MAX_CALENDAR_DAYS = 366


def _too_many_units(product_id: int, units: int, night: date, limit: int) -> Unprocessable:
    """The price calendar's ``too_many_units`` (``units_before_guests``): no check-in
    date's stay can ever have ``units``; ``limit`` is the most one of them can book."""
    return Unprocessable(
        f"Product {product_id} has fewer than {counted(units, 'unit')} in all on {night}; "
        f"the stays of this calendar can book at most {counted(limit, 'unit')}.",
        zh=f"产品 {product_id} 在 {night} 总共不足 {units} 间；此日历的入住最多只能订 {limit} 间。",
        field="units",
        code="too_many_units",
        night=night.isoformat(),
        product_id=product_id,
        limit=limit,
        asked_units=units,
    )


def price_calendar(
    s: Session,
    today: date,
    channel: str,
    key: str,
    start: date,
    end: date,
    nights: int,
    guests: int,
    units: int,
) -> out.PriceCalendar:
    """Per check-in date of [start, end): the total of a one-item quote (computed in
    bulk by the planner's stay costs, which equal the engine's to the fen) and the
    sellability check, the availability check's reasons (``too_many_units`` where
    ``units`` is more than a night has in all). A date is quoted only where POST
    /v1/quotes would quote it (``_unquotable``). More ``units`` than ``guests`` is 422
    ``more_rooms_than_guests`` naming ``units`` (``pricing.check_rooms``, the quote's
    rule). A party too large for ``units`` is 422
    ``too_many_guests`` naming ``guests``, said after the units as the quote says them
    (``units_before_guests``): where no date's stay can ever have ``units``, 422
    ``too_many_units`` naming ``units``, with the most one of them can book."""
    check_range(
        start,
        end,
        end_field="to",
        start_field="from",
        most=MAX_CALENDAR_DAYS,
        unit=("check-in dates", "个入住日期"),
    )
    _check_out_in_calendar(end - timedelta(days=1), nights)
    p = find_product(s, key)
    try:
        pricing.check_rooms(guests, units, "units")
    except pricing.PricingError as err:
        raise _refused(err) from err
    conn = s.connection()
    terms = catalog_terms.load_terms(conn, [p.id], []).products[p.id]
    last = end + timedelta(days=nights)
    calendar = sale_calendars.load_calendars(
        conn, [sellability.SaleTerms.of(p)], start, last, totals=True
    )[p.id]
    try:
        pricing.check_guests(guests, units, terms.max_occupancy, "guests")
    except pricing.PricingError as err:
        stays = [(day, day + timedelta(days=nights)) for day in _nights(start, end)]
        short = units_before_guests(today, calendar, stays, units)
        if short is not None:
            raise _too_many_units(p.id, units, *short) from err
        raise _refused(err) from err
    rules = catalog_terms.rules_in_force(conn, today)
    request = PlanRequest(
        earliest_check_in=start,
        latest_check_out=end - timedelta(days=1) + timedelta(days=nights),
        nights_min=nights,
        nights_max=nights,
        booking_date=today,
        guests=guests,
        units=units,
        min_nights_per_stay=1,
        channel=pricing.Channel(channel),
    )
    totals = stay_prices(request, Offer(terms, calendar), rules)
    out_days = []
    for i, total in enumerate(totals):
        check_in = start + timedelta(days=i)
        check_out = check_in + timedelta(days=nights)
        problem = _unquotable(calendar, check_in, check_out, units)
        quotable = check_in >= today and problem is None
        problem = problem or calendar.stay_problem(check_in, check_out, units)
        reason = _unbookable_reason(today, check_in, problem)
        out_days.append(
            out.PriceDay(
                check_in=check_in,
                check_out=check_out,
                total_fen=total if quotable else None,
                bookable=reason is None,
                reason=reason,
            )
        )
    return out.PriceCalendar(
        product_id=p.id, nights=nights, guests=guests, units=units, days=out_days
    )


def _check_out_in_calendar(last_check_in: date, nights: int) -> None:
    """422 ``validation_error`` on ``nights`` when the last check-in's stay would check
    out after 2100-12-31 (``service.text.LAST_DAY``): a check-out no date field takes,
    as ``POST /v1/quotes`` refuses it in ``items[i].check_out``."""
    check_out = last_check_in + timedelta(days=nights)
    if check_out > LAST_DAY:
        raise Unprocessable(
            f"The stay from {last_check_in} (the last check-in) would check out "
            f"on {check_out}; a check-out {OUT_OF_CALENDAR}.",
            zh=f"从 {last_check_in}（最后一个入住日期）入住将于 {check_out} 退房；"
            f"退房日期应为 2000-01-01 至 2100-12-31 之间的日期。",
            field="nights",
            code="validation_error",
        )


def units_probe(dialect: str, product_id: int, start: date, end: date) -> Probe:
    """The product's last night published with units (what ``last_night_on_sale`` reads) and
    the units of its nights ``start <= night < end`` (what
    ``catalog.queries.inventory_nights`` reads) as one value, a ``Probe`` that reads the
    same exactly while those rows are unchanged: the last night, then
    ``night:total:taken`` per night, in order (the product page's check of a kept page
    without a thread hop, ``service.catalog.responses.Vary``). ``dialect``: the
    database's (``sqlite`` binds dates as their ISO text, as it stores them)."""
    last = (
        "(SELECT max(night) FROM inventory_night"
        " WHERE product_id = :product_id AND total_units > 0)"
    )
    nights = _nights_units(dialect, "product_id", "start", "end")
    params = {"product_id": product_id, **_bound_dates(dialect, start=start, end=end)}
    return Probe(f"SELECT {joined(last, nights)}", params)
