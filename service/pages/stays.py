"""Whether a quote's stays can be booked now, as its pages say it (the quote page, kept
while it holds, and the book page): the availability check's own service over all the
quote's stays at once (``availability.check_stays``, which counts their units as booking
the quote would), in the page's words; and the names of the discount rules its price
used (``rule_names``)."""

from datetime import date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from fastapi import Request
from sqlmodel import Session

from catalog import sellability
from service.catalog import availability
from service.catalog import service as catalog
from service.clock import SHANGHAI
from service.db import Probe
from service.pages import web
from service.pages.routes import REASONS


def as_date(value: date | str) -> date:
    """A date of a quote's body (a ``date``, or its ISO text once dumped as JSON)."""
    return value if isinstance(value, date) else date.fromisoformat(value)


def _stays_of(q: dict[str, Any]) -> list[tuple[int, date, date]]:
    return [(i["product_id"], as_date(i["check_in"]), as_date(i["check_out"])) for i in q["items"]]


def checked_now(
    request: Request, conn: sa.Connection, q: dict[str, Any], version: int | None = None
) -> list[dict[str, Any]]:
    """The stays of quote ``q`` checked now as one booking of them all would take them
    (``availability.check_stays``: ``GET /v1/products/{id}/availability/check``'s check
    of each stay, with the units of the quote's stays of one product counted together on
    the nights they share). ``version``: the catalogue version read on ``conn`` before
    (``held``'s), for the products' terms of sale kept under it."""
    today = request.app.state.clock.today()
    stays = [(*stay, i["units"]) for stay, i in zip(_stays_of(q), q["items"], strict=True)]
    checks = availability.check_stays(conn, today, stays, version=version)
    return [check.model_dump(mode="json") for check in checks]


def unbookable(
    request: Request, conn: sa.Connection, q: dict[str, Any], stays: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The stays that cannot be booked now, with their product's name (the quote page's
    and the book page's warning). A stay ``sold_out`` on a night earlier stays of the
    quote's of the same product need too is ``together`` (``availability.check_stays``,
    by the booking's rule): that night has too few units left for them together, though it
    need not be sold out, and the page says so. A stay of a product retired since
    (``product_retired``) has its product's ``destination`` (name and slug): the way
    back to the other stays there."""
    found = [
        {**stay, "name": item["product_name"]}
        for stay, item in zip(stays, q["items"], strict=True)
        if not stay["bookable"]
    ]
    retired = [s for s in found if s["reason"] == sellability.PRODUCT_RETIRED]
    if retired:
        lang = web.page_lang(request)
        with Session(bind=conn) as session:
            for s in retired:
                product = catalog.get_product(session, lang, str(s["product_id"]))
                s["destination"] = product.destination.model_dump(mode="json")
    return found


def held(
    request: Request, conn: sa.Connection, q: dict[str, Any], *, also: Probe | None = None
) -> dict[str, Any]:
    """What a kept page showing whether quote ``q``'s stays can be booked holds by, read
    before the checks (``checked_now``, which the caller makes after, given ``version``):
    the probe of those products' availability (and ``also``, read with it: what else the
    page shows), its value, SQLite's ``data_version``, the catalogue version the probe
    read, what ``also`` read in it (``also``'s value), and until when (a stay checking
    in today is ``check_in_in_past`` from the next Shanghai midnight on)."""
    stays_of = _stays_of(q)
    probe = availability.availability_probe(conn.dialect.name, stays_of)
    if also is not None:
        probe = probe.and_(also)
    seen = web.data_version(request)
    value = probe.read(conn)
    today = request.app.state.clock.today()
    first = min(check_in for _, check_in, _ in stays_of)
    until = (
        datetime.combine(today + timedelta(days=1), time(), SHANGHAI) if first == today else None
    )
    version = availability.probe_version(value)
    held = {"probe": probe, "state": value, "seen": seen, "version": version, "until": until}
    held["also"] = None if also is None else availability.probe_rest(value, len(stays_of))
    return held


def rule_names(body: dict[str, Any]) -> dict[tuple[int, int], str]:
    """The names of the discount rules a quote's body used, by (rule id, version): what
    the price explained (``_price.html``) calls each discount, on the quote page and on
    my booking."""
    return {(r["rule_id"], r["version"]): r["name"] for r in body["rules_used"]}


def reason_words(request: Request) -> dict[str, str]:
    """Each reason a stay cannot be booked, in the page's words."""
    t = web.text(request)
    return {r: t("reason_" + r) for r in REASONS}
