"""Catalogue terms cached across quotes, keyed by the catalogue version that database
triggers bump: any change to the terms, even by plain SQL, is seen by the very next
quote, on every worker; stubs are never cached; the cache is bounded."""

from datetime import date

import pytest
import sqlalchemy as sa
from freezegun import freeze_time

from catalog.models import DiscountRuleVersion
from service.app import create_app
from service.db import Database
from service.migrate import downgrade, upgrade
from service.quotes.cache import TermsCache
from tests.service.test_quotes_api import BOOKING_MOMENT, Example, build_worked_example
from tests.support.quotes import quote_lines

VERSIONED_TABLES = (
    "product",
    "season",
    "add_on_pack",
    "product_pack",
    "transit_line",
    "discount_rule",
    "discount_rule_version",
    "destination",
)


@pytest.fixture
def example(session) -> Example:
    return build_worked_example(session)


def version(db: Database) -> int | None:
    with db.engine.connect() as conn:
        return conn.execute(sa.text("SELECT version FROM catalogue_version")).scalar()


def plain_sql(db: Database, sql: str, **params) -> None:
    """A change made outside our code, as an operator's SQL console would make it."""
    with db.engine.begin() as conn:
        conn.execute(sa.text(sql), params)


def quote(client, body):
    with freeze_time(BOOKING_MOMENT):
        return client.post("/v1/quotes", json=body)


def ok(client, body) -> dict:
    r = quote(client, body)
    assert r.status_code == 201, r.text
    return r.json()


# --- the version --------------------------------------------------------------------


@pytest.mark.parametrize("table", VERSIONED_TABLES)
def test_any_write_to_a_terms_table_bumps_the_version(db, example, table):
    first_column = next(iter(sa.inspect(db.engine).get_columns(table)))["name"]
    before = version(db)
    plain_sql(db, f'UPDATE "{table}" SET "{first_column}" = "{first_column}"')
    after = version(db)
    assert before is not None and after is not None and after != before


def test_inserts_and_deletes_bump_the_version(db, example):
    v0 = version(db)
    plain_sql(db, "DELETE FROM product_pack WHERE pack_id = :p", p=example.dining_id)
    v1 = version(db)
    plain_sql(
        db,
        "INSERT INTO product_pack (product_id, pack_id) VALUES (:product, :p)",
        product=example.product_id,
        p=example.dining_id,
    )
    v2 = version(db)
    assert len({v0, v1, v2}) == 3


def test_stubs_inventory_and_quotes_do_not_bump_the_version(client, db, example):
    before = version(db)
    plain_sql(db, "UPDATE ticket_stub SET persons = persons")
    plain_sql(
        db,
        "INSERT INTO inventory_night (product_id, night, total_units, taken_units) "
        "VALUES (:p, :night, 3, 0)",
        p=example.product_id,
        night=date(2027, 12, 1),
    )
    plain_sql(db, "UPDATE inventory_night SET taken_units = 1")
    ok(client, example.body())
    assert version(db) == before


def test_a_missing_version_row_is_recreated_by_the_next_write(client, db, example):
    plain_sql(db, "DELETE FROM catalogue_version")
    first = ok(client, example.body())  # no version: nothing cached, terms read each time
    assert version(db) is None
    plain_sql(db, "UPDATE season SET nightly_rate_fen = nightly_rate_fen + 1000")
    assert version(db) is not None
    assert ok(client, example.body())["subtotal_fen"] == first["subtotal_fen"] + 8 * 1000


# --- changes by plain SQL are seen by the very next quote ------------------------------


def test_a_rate_change_is_seen_by_the_next_quote(client, db, example):
    first = ok(client, example.body())
    assert first["subtotal_fen"] == 995_200
    plain_sql(db, "UPDATE season SET nightly_rate_fen = 50000")
    # 8 of the 14 nights (07-01 .. 07-08) are in the season: 8 x 2,000 fen more.
    assert ok(client, example.body())["subtotal_fen"] == 995_200 + 8 * 2_000
    plain_sql(db, "UPDATE product SET base_rate_fen = 40000")
    # and the 6 nights before it at the base rate: 6 x 2,000 fen more.
    assert ok(client, example.body())["subtotal_fen"] == 995_200 + 14 * 2_000


def test_a_fare_and_pack_price_change_is_seen_by_the_next_quote(client, db, example):
    first = ok(client, example.body())
    plain_sql(db, "UPDATE transit_line SET fare_fen = fare_fen + 100")
    second = ok(client, example.body())
    assert second["subtotal_fen"] == first["subtotal_fen"] + 2 * 100  # 2 riders
    plain_sql(
        db, "UPDATE add_on_pack SET price_fen = price_fen + 10 WHERE id = :p", p=example.dining_id
    )
    third = ok(client, example.body())
    # The dining pack is per guest-night: 2 guests x 14 nights.
    assert third["subtotal_fen"] == second["subtotal_fen"] + 2 * 14 * 10


def test_a_rule_deactivation_and_a_new_rule_version_are_seen_by_the_next_quote(client, db, example):
    def rules_used(q: dict) -> set:
        return {(ln["rule_id"], ln["rule_version"]) for ln in quote_lines(q) if ln["rule_id"]}

    first = ok(client, example.body())
    assert (example.pack_bundle_id, 1) in rules_used(first)

    plain_sql(
        db,
        "UPDATE discount_rule SET is_active = :f WHERE id = :r",
        f=False,
        r=example.pack_bundle_id,
    )
    second = ok(client, example.body())
    assert example.pack_bundle_id not in {rule for rule, _ in rules_used(second)}
    assert second["total_fen"] > first["total_fen"]

    # A new version with another rate, written the way a plain SQL edit would.
    columns = [c.name for c in DiscountRuleVersion.__table__.c]
    values = ", ".join({"version": "2", "bps": "500"}.get(c, f'"{c}"') for c in columns)
    plain_sql(
        db,
        f"INSERT INTO discount_rule_version ({', '.join(columns)}) "
        f"SELECT {values} FROM discount_rule_version WHERE rule_id = :r AND version = 1",
        r=example.pack_bundle_id,
    )
    plain_sql(
        db,
        "UPDATE discount_rule SET is_active = :t, current_version = 2 WHERE id = :r",
        t=True,
        r=example.pack_bundle_id,
    )
    third = ok(client, example.body())
    assert (example.pack_bundle_id, 2) in rules_used(third)
    bundle = [ln for ln in quote_lines(third) if ln["rule_id"] == example.pack_bundle_id]
    assert [ln["bps"] for ln in bundle] == [500] * len(bundle)


def test_a_deactivation_is_seen_by_the_next_quote(client, db, example):
    ok(client, example.body())
    plain_sql(db, "UPDATE transit_line SET is_active = :f", f=False)
    r = quote(client, example.body())
    assert (r.status_code, r.json()["code"], r.json()["field"]) == (
        422,
        "not_on_sale",
        "legs[0].line_id",
    )
    plain_sql(db, "UPDATE transit_line SET is_active = :t", t=True)
    plain_sql(db, "UPDATE product SET is_active = :f", f=False)
    r = quote(client, example.body())
    assert (r.status_code, r.json()["code"], r.json()["field"]) == (
        422,
        "not_on_sale",
        "items[0].product_id",
    )


def test_a_new_product_is_found_after_it_was_unknown(client, db, example):
    body = example.body(item={"product_id": example.product_id + 1})
    r = quote(client, body)
    assert (r.status_code, r.json()["code"]) == (422, "unknown_product")
    columns = [c for c in sa.inspect(db.engine).get_columns("product") if c["name"] != "id"]
    names = ", ".join(c["name"] for c in columns)
    plain_sql(
        db,
        f"INSERT INTO product ({names}) SELECT {names.replace('slug', 'slug || :s')} "
        f"FROM product WHERE id = :p",
        s="-copy",
        p=example.product_id,
    )
    plain_sql(
        db,
        "INSERT INTO product_pack (product_id, pack_id) "
        "SELECT :new, pack_id FROM product_pack WHERE product_id = :p",
        new=example.product_id + 1,
        p=example.product_id,
    )
    plain_sql(
        db,
        "INSERT INTO inventory_night (product_id, night, total_units, taken_units) "
        "SELECT :new, night, total_units, 0 FROM inventory_night WHERE product_id = :p",
        new=example.product_id + 1,
        p=example.product_id,
    )
    assert ok(client, body)["subtotal_fen"] > 0


def test_a_stub_used_since_the_last_quote_is_refused(client, db, example):
    ok(client, example.body())
    plain_sql(db, "UPDATE ticket_stub SET used_by_booking_id = 1")
    r = quote(client, example.body())
    assert (r.status_code, r.json()["code"], r.json()["field"]) == (
        422,
        "stub_already_used",
        "stubs[0]",
    )


def test_every_worker_sees_a_change_made_through_another(client, db, example):
    """Two apps with their own engines and caches on one database, as two workers."""
    other_db = Database(db.settings)
    try:
        from fastapi.testclient import TestClient

        with TestClient(create_app(db.settings, database=other_db)) as other:
            assert ok(client, example.body())["subtotal_fen"] == 995_200
            assert ok(other, example.body())["subtotal_fen"] == 995_200
            with other_db.write_session() as s:  # a write through the other worker's engine
                s.execute(sa.text("UPDATE season SET nightly_rate_fen = 49000"))
                s.commit()
            assert ok(client, example.body())["subtotal_fen"] == 995_200 + 8 * 1_000
            assert ok(other, example.body())["subtotal_fen"] == 995_200 + 8 * 1_000
    finally:
        other_db.dispose()


# --- the cache itself ---------------------------------------------------------------


def test_the_cache_is_bounded_and_keeps_what_was_used_last():
    cache = TermsCache(max_entries=3)
    for k in range(3):
        cache.put((1, "p", k), k)
    assert cache.get((1, "p", 0)) == 0  # used: now the most recent
    for k in range(3, 10):
        cache.put((1, "p", k), k)
        assert len(cache) <= 3
    assert len(cache) == 3
    assert [cache.get((1, "p", k)) for k in (7, 8, 9)] == [7, 8, 9]
    cache.put((2, "p", 0), "new")
    cache.get((2, "p", 0))
    assert len(cache) == 3


def test_a_cache_of_zero_entries_is_refused():
    with pytest.raises(ValueError):
        TermsCache(max_entries=0)


# --- the migration ------------------------------------------------------------------


def _triggers(engine: sa.Engine) -> set[str]:
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            rows = conn.execute(sa.text("SELECT name FROM sqlite_master WHERE type = 'trigger'"))
        else:
            rows = conn.execute(
                sa.text(
                    "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal UNION ALL "
                    "SELECT proname FROM pg_proc WHERE proname = 'bump_catalogue_version'"
                )
            )
        return {r[0] for r in rows}


def test_downgrade_from_0005_drops_the_triggers_and_upgrade_restores_them(request, backend):
    if backend == "sqlite":
        url = f"sqlite:///{request.getfixturevalue('tmp_path')}/v.db"
    else:
        url = request.getfixturevalue("pg_server").create("cv")
    upgrade(url)
    engine = sa.create_engine(url)
    try:
        at_head = _triggers(engine)
        assert all(any(table in name for name in at_head) for table in VERSIONED_TABLES)
        downgrade(url, "0004")
        assert _triggers(engine) == set()
        assert "catalogue_version" not in sa.inspect(engine).get_table_names()
        with engine.begin() as conn:  # the terms tables are writable without the version
            conn.execute(sa.text("UPDATE product SET is_active = is_active"))
        upgrade(url)
        assert _triggers(engine) == at_head
    finally:
        engine.dispose()


def test_a_withdrawn_product_is_refused_before_an_unknown_stub(client, db, example):
    """Stubs are read with the version, first; they are still judged after the terms."""
    plain_sql(db, "UPDATE product SET is_active = :f", f=False)
    r = quote(client, example.body(stubs=["NO-SUCH-STUB"]))
    assert (r.status_code, r.json()["code"]) == (422, "not_on_sale")
