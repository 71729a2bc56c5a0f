"""Every figure of the measures report equals an independent recomputation from the raw
rows (tests/support/reports.py: plain SQL, then Python night by night), on SQLite and
PostgreSQL, for every dimension, by month, over ranges that cut months and stays, for
the province and for an operator (its destination only)."""

from datetime import date

import pytest

from service.reports.exports import suppress_table
from tests.support import reports as R
from tests.support.clock import FixedClock

CASES = [
    (date(2026, 1, 1), date(2026, 12, 31), ["month", "pilot_kind"]),
    (date(2026, 1, 1), date(2026, 12, 31), ["theme"]),
    (date(2026, 3, 15), date(2026, 8, 10), ["month"]),
    (date(2026, 2, 1), date(2026, 11, 30), ["prefecture", "channel"]),
    (date(2026, 6, 1), date(2026, 9, 30), ["destination", "month"]),
    (date(2026, 7, 4), date(2026, 7, 4), []),
    (date(2025, 12, 1), date(2027, 1, 31), ["channel"]),
]


def _compare(body: dict, want: dict, by: list[str]) -> int:
    got = {tuple(r["group"][d] for d in by): r for r in body["rows"]}
    assert set(got) == set(want["groups"]), (sorted(got), sorted(want["groups"]))
    checked = 0
    for k, measures in want["groups"].items():
        for name, value in measures.items():
            assert got[k][name] == value, (k, name, got[k][name], value)
            checked += 1
    for name, value in want["total"].items():
        assert body["total"][name] == value, ("total", name, body["total"][name], value)
    return checked


@pytest.fixture
def province(db, app):
    app.state.clock = FixedClock.on(R.TODAY)
    return R.build(db)


def test_every_figure_equals_an_independent_recomputation(db, client, province):
    stays, cells = R.raw_rows(db)
    counted = [r for r in stays if r["status"] in ("confirmed", "completed")]
    # the generated year has what the measures distinguish
    assert len(counted) > 150 and any(r["status"] == "cancelled" for r in stays)
    assert any(r["stay_status"] == "no_show" for r in stays)
    assert any(r["overall"] is not None for r in stays)
    assert len({r["booking_id"] for r in stays}) < len(stays)  # trips of several stays
    checked = 0
    for first, last, by in CASES:
        params = [("from", first.isoformat()), ("to", last.isoformat())] + [("by", d) for d in by]
        r = client.get("/v1/reports/measures", params=params, headers=province.province.headers)
        assert r.status_code == 200, r.text
        checked += _compare(r.json(), R.expected(stays, cells, first, last, by), by)
    assert checked > 2000


def test_an_operator_counts_its_own_destination_only(db, client, province):
    stays, cells = R.raw_rows(db)
    mine = {province.destination_ids["forest-a"]}
    first, last, by = date(2026, 1, 1), date(2026, 12, 31), ["month", "theme"]
    params = [("from", "2026-01-01"), ("to", "2026-12-31"), ("by", "month"), ("by", "theme")]
    r = client.get("/v1/reports/measures", params=params, headers=province.operator.headers)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["audience"] == "public"
    want = R.expected(stays, cells, first, last, by, destinations=mine)
    got = {tuple(row["group"][d] for d in by): row for row in body["rows"]}
    assert set(got) == set(want["groups"])
    keys = [tuple(row["group"][d] for d in by) for row in body["rows"]]  # the report's order
    rows = [{"group": dict(zip(by, k, strict=True)), **want["groups"][k]} for k in keys]
    blanked, total = suppress_table(rows, dict(want["total"]), by)
    for k, row in zip(keys, blanked, strict=True):
        for name in want["groups"][k]:
            assert got[k][name] == row[name], (k, name)
    for name in want["total"]:
        assert body["total"][name] == total[name], ("total", name)
    themes = {row["group"]["theme"] for row in body["rows"]}
    assert themes <= {"forest_healing", "summer_retreat"}
