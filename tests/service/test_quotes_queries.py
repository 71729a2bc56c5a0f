"""What one quote costs the database, whatever its size: a few batched SELECTs and one
INSERT the first time, then (catalogue terms cached under the catalogue version) one
SELECT of the version with the presented stubs, one of the published inventory of its
nights (never cached: whether a night is on sale is read at quoting time), and the
INSERT."""

from collections import Counter

import pytest
import sqlalchemy as sa
from freezegun import freeze_time

from tests.service.test_quotes_api import BOOKING_MOMENT, Example, build_worked_example


@pytest.fixture
def example(session) -> Example:
    return build_worked_example(session)


def statements_during(db, fn) -> Counter:
    seen: Counter = Counter()

    def count(_conn, _cursor, statement, *_args):
        verb = statement.lstrip().split(None, 1)[0].upper()
        if verb in {"SELECT", "INSERT", "UPDATE", "DELETE"}:
            seen[verb] += 1

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        fn()
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)
    return seen


def _post(client, body) -> None:
    with freeze_time(BOOKING_MOMENT):
        assert client.post("/v1/quotes", json=body).status_code == 201


def test_a_first_quote_is_seven_selects_and_one_insert(client, db, example):
    """Catalogue version with the stubs, products, seasons, offered packs, lines, rules,
    the inventory of the stay's nights."""
    seen = statements_during(db, lambda: _post(client, example.body()))
    assert seen == Counter({"SELECT": 7, "INSERT": 1})


def test_the_next_quote_reads_only_the_version_the_stubs_and_the_inventory(client, db, example):
    _post(client, example.body())
    seen = statements_during(db, lambda: _post(client, example.body()))
    assert seen == Counter({"SELECT": 2, "INSERT": 1})
    seen = statements_during(db, lambda: _post(client, example.body(stubs=[])))
    assert seen == Counter({"SELECT": 2, "INSERT": 1})


def test_more_items_legs_and_stubs_do_not_add_queries(client, db, example):
    body = example.body()
    body["items"] = body["items"] * 3
    body["legs"] = body["legs"] * 3

    assert statements_during(db, lambda: _post(client, body)) == Counter({"SELECT": 7, "INSERT": 1})
    assert statements_during(db, lambda: _post(client, body)) == Counter({"SELECT": 2, "INSERT": 1})


def test_a_catalogue_change_reads_the_terms_again(client, db, example):
    _post(client, example.body())
    with db.engine.begin() as conn:
        conn.execute(sa.text("UPDATE transit_line SET fare_fen = fare_fen + 100"))
    seen = statements_during(db, lambda: _post(client, example.body()))
    assert seen == Counter({"SELECT": 7, "INSERT": 1})


def test_reading_a_quote_is_one_select(client, db, example):
    with freeze_time(BOOKING_MOMENT):
        location = client.post("/v1/quotes", json=example.body()).headers["location"]
    seen = statements_during(db, lambda: client.get(location))
    assert seen == Counter({"SELECT": 1})


def test_unknown_stubs_read_the_version_apart(client, db, example):
    _post(client, example.body())

    def post():
        with freeze_time(BOOKING_MOMENT):
            r = client.post("/v1/quotes", json=example.body(stubs=["NO-SUCH-STUB"]))
        assert (r.status_code, r.json()["code"]) == (422, "unknown_stub")

    assert statements_during(db, post) == Counter({"SELECT": 2})
