"""The demo catalogue: what it must hold, and that loading it twice changes nothing."""

from datetime import date, timedelta

import sqlalchemy as sa
from sqlmodel import SQLModel, func, select

from catalog.demo.loader import INVENTORY_DAYS, load_demo, read_catalogue, season_windows
from catalog.models import (
    AddOnPack,
    Destination,
    DestinationTheme,
    DiscountRuleVersion,
    InventoryNight,
    Product,
    Season,
    StubIssuer,
    TransitLine,
)
from catalog.vocab import PilotKind, Theme

TODAY = date(2026, 11, 23)


def _count(session, model) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def _table_digest(session) -> dict[str, int]:
    out = {}
    for table in SQLModel.metadata.sorted_tables:
        out[table.name] = session.execute(sa.select(func.count()).select_from(table)).scalar_one()
    return out


def test_loading_twice_changes_nothing(db):
    with db.write_session() as s:
        first = load_demo(s, today=TODAY)
        s.commit()
        before = _table_digest(s)
        nights_before = s.exec(select(func.max(InventoryNight.night))).one()
    with db.write_session() as s:
        second = load_demo(s, today=TODAY)
        s.commit()
        assert _table_digest(s) == before
        assert s.exec(select(func.max(InventoryNight.night))).one() == nights_before
    assert first["destinations"] == 33
    assert all(v == 0 for v in second.values()), second


def test_demo_catalogue_covers_every_destination_theme_and_pilot_kind(demo_db):
    with demo_db.session() as s:
        assert _count(s, Destination) == 33
        kinds = set(s.exec(select(Destination.pilot_kind).distinct()).all())
        assert kinds == {k.value for k in PilotKind}
        product_themes = set(s.exec(select(Product.theme).distinct()).all())
        assert product_themes == {t.value for t in Theme}
        assert _count(s, Product) >= 80
        dest_without_products = s.exec(
            select(func.count())
            .select_from(Destination)
            .where(~Destination.id.in_(select(Product.destination_id)))
        ).one()
        assert dest_without_products == 0


def test_every_product_theme_is_one_of_its_destinations_themes(demo_db):
    with demo_db.session() as s:
        mismatched = s.exec(
            select(func.count())
            .select_from(Product)
            .where(
                ~sa.exists().where(
                    DestinationTheme.destination_id == Product.destination_id,
                    DestinationTheme.theme == Product.theme,
                )
            )
        ).one()
        assert mismatched == 0


def test_demo_has_packs_of_all_three_kinds_and_every_basis(demo_db):
    with demo_db.session() as s:
        assert set(s.exec(select(AddOnPack.kind).distinct()).all()) == {
            "therapy",
            "dining",
            "culture",
        }
        assert set(s.exec(select(AddOnPack.basis).distinct()).all()) == {
            "per_stay",
            "per_guest",
            "per_night",
            "per_guest_night",
            "per_week",
        }


def test_demo_has_transit_lines_stub_issuers_and_every_rule_kind(demo_db):
    with demo_db.session() as s:
        assert _count(s, TransitLine) >= 6
        assert {"transit_line", "scenic_area"} <= set(
            s.exec(select(StubIssuer.kind).distinct()).all()
        )
        kinds = s.exec(select(DiscountRuleVersion.kind)).all()
        for kind in ("long_stay", "advance_booking", "trip_bundle", "pack_bundle"):
            assert kind in kinds
        assert kinds.count("ticket_stub") >= 6


def test_demo_inventory_covers_eighteen_months_for_every_product(demo_db):
    with demo_db.session() as s:
        per_product = s.exec(
            select(InventoryNight.product_id, func.count()).group_by(InventoryNight.product_id)
        ).all()
        assert len(per_product) == _count(s, Product)
        assert {n for _, n in per_product} == {INVENTORY_DAYS}


def test_summer_retreat_peaks_in_july_august_and_ice_snow_in_winter():
    data = read_catalogue()
    for p in data["products"]:
        windows = {(s["start_md"], s["end_md"]) for s in p["seasons"]}
        if p["theme"] == "summer_retreat":
            assert any(a <= "07-01" and (b >= "09-01" or b < a) for a, b in windows), p["slug"]
        if p["theme"] == "ice_snow":
            assert any(a >= "11-01" and b <= "04-01" for a, b in windows), p["slug"]


def test_seasons_of_the_demo_never_overlap(demo_db):
    with demo_db.session() as s:
        rows = s.exec(
            select(Season.product_id, Season.start_date, Season.end_date).order_by(
                Season.product_id, Season.start_date
            )
        ).all()
    last: dict[int, date] = {}
    for pid, start, end in rows:
        assert start >= last.get(pid, date.min), pid
        last[pid] = end


def test_a_season_pattern_that_wraps_the_year_end_becomes_dated_windows():
    windows = season_windows("12-01", "03-01", date(2026, 11, 23), date(2027, 5, 1))
    assert (date(2026, 12, 1), date(2027, 3, 1)) in windows
    assert all(end - start < timedelta(days=100) for start, end in windows)
