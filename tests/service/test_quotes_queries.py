"""What one quote costs the database: a few batched SELECTs and one INSERT, whatever its size."""

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


def test_a_quote_is_six_selects_and_one_insert(client, db, example):
    def post():
        with freeze_time(BOOKING_MOMENT):
            assert client.post("/v1/quotes", json=example.body()).status_code == 201

    assert statements_during(db, post) == Counter({"SELECT": 6, "INSERT": 1})


def test_more_items_legs_and_stubs_do_not_add_queries(client, db, example):
    body = example.body()
    body["items"] = body["items"] * 3
    body["legs"] = body["legs"] * 3

    def post():
        with freeze_time(BOOKING_MOMENT):
            assert client.post("/v1/quotes", json=body).status_code == 201

    assert statements_during(db, post) == Counter({"SELECT": 6, "INSERT": 1})


def test_reading_a_quote_is_one_select(client, db, example):
    with freeze_time(BOOKING_MOMENT):
        location = client.post("/v1/quotes", json=example.body()).headers["location"]
    seen = statements_during(db, lambda: client.get(location))
    assert seen == Counter({"SELECT": 1})
