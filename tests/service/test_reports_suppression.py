"""Small cells in reports that leave the province: hidden, and not recoverable.

``suppress_table`` hides every cell of 1 to 4 people (primary) and then complements
(secondary) so that no hidden cell can be worked out from what is published: the
visible cells and the sums of every line (the total row; in a two-way table every row
and column that the one-way reports, suppressed the same way, show). Proven against brute force: for
generated one- and two-way tables, every integer solution of the published equations
is enumerated, and each hidden cell that counts someone must take at least two values
among them.
"""

import itertools
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from service.reports.exports import SMALL, suppress_table, suppressed
from service.reports.service import Report

PEOPLE = "person_trips"
COMPANIONS = ("stays", "person_nights")

cell = st.one_of(st.integers(0, 4), st.integers(0, 9))  # many small cells, some zeros


def _rows(shape: tuple[int, ...], values: list[int]) -> tuple[list[dict[str, Any]], list[str]]:
    dims = ["month", "pilot_kind"][: len(shape)]
    keys = list(itertools.product(*[range(n) for n in shape]))
    rows = [
        {"group": dict(zip(dims, k, strict=True)), PEOPLE: v, "stays": v, "person_nights": 7 * v}
        for k, v in zip(keys, values, strict=False)
    ]
    return rows, dims


def _total(rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {name: sum(r[name] for r in rows) for name in (PEOPLE, *COMPANIONS)}


@st.composite
def tables(draw):
    shape = draw(st.sampled_from([(1,), (2,), (3,), (5,), (2, 2), (2, 3), (3, 3)]))
    n = 1
    for d in shape:
        n *= d
    values = draw(st.lists(cell, min_size=n, max_size=n))
    return _rows(shape, values)


def _lines(rows: list[dict[str, Any]], dims: list[str]) -> list[tuple[list[int], Any]]:
    """Every set of cells whose sum another report may publish, with which one: the
    total (None), and in a two-way table each row and column ((dimension, value))."""
    lines: list[tuple[list[int], Any]] = [(list(range(len(rows))), None)]
    if len(dims) == 2:
        for d in dims:
            for v in sorted({r["group"][d] for r in rows}):
                lines.append(([i for i, r in enumerate(rows) if r["group"][d] == v], (d, v)))
    return lines


def _published_sums(rows, dims, out_total) -> dict[Any, int]:
    """The line sums an outsider can read: the total (from this report or a one-way one)
    and, of a two-way table, each row and column that its one-way report, suppressed
    the same way, shows."""
    known: dict[Any, int] = {}
    totals = [out_total[PEOPLE]]
    if len(dims) == 2:
        for d in dims:
            values = sorted({r["group"][d] for r in rows})
            one_way = [
                {"group": {d: v}, PEOPLE: sum(r[PEOPLE] for r in rows if r["group"][d] == v)}
                for v in values
            ]
            shown, total = suppress_table(one_way, {PEOPLE: sum(r[PEOPLE] for r in rows)}, [d])
            totals.append(total[PEOPLE])
            known |= {(d, r["group"][d]): r[PEOPLE] for r in shown if r[PEOPLE] is not None}
    if any(t is not None for t in totals):
        known[None] = sum(r[PEOPLE] for r in rows)
    return known


def _solutions(true: list[int], hidden: list[int], checks: list[tuple[list[int], int]]):
    """Every assignment of non-negative integers to the hidden cells that gives the
    published sums ``checks`` (the true table is one)."""
    bound = max([*(s for _, s in checks), *true]) + 1  # an unconstrained cell: one more
    found = []
    values = list(true)

    def fits(partial: int) -> bool:
        assigned = set(hidden[:partial])
        for line, s in checks:
            got = sum(values[i] for i in line if i not in hidden or i in assigned)
            if got > s or (all(i not in hidden or i in assigned for i in line) and got != s):
                return False
        return True

    def walk(k: int) -> None:
        if k == len(hidden):
            found.append(tuple(values[i] for i in hidden))
            return
        for v in range(bound + 1):
            values[hidden[k]] = v
            if fits(k + 1):
                walk(k + 1)
        values[hidden[k]] = true[hidden[k]]

    walk(0)
    return found


@settings(max_examples=120, deadline=None)
@given(tables())
def test_no_hidden_cell_can_be_worked_out(table):
    rows, dims = table
    total = _total(rows)
    out, out_total = suppress_table(rows, total, dims)
    hidden = [i for i, r in enumerate(out) if r[PEOPLE] is None]
    # primary: every small cell is hidden with its companions and listed
    for i, (before, after) in enumerate(zip(rows, out, strict=True)):
        if 0 < before[PEOPLE] < SMALL:
            assert i in hidden
        if i in hidden:
            assert after["stays"] is None and after["person_nights"] is None
            assert after["suppressed"] == [PEOPLE, "stays", "person_nights"]
        else:
            assert after == before  # a visible cell is untouched
    assert rows[0].get("suppressed") is None  # the input is not changed
    if not hidden:
        assert out_total == total
        return
    # secondary: no hidden cell is determined by what is published
    true = [r[PEOPLE] for r in rows]
    known = _published_sums(rows, dims, out_total)
    checks = [(line, known[which]) for line, which in _lines(rows, dims) if which in known]
    solutions = _solutions(true, hidden, checks)
    assert tuple(true[i] for i in hidden) in solutions
    for k, i in enumerate(hidden):
        if true[i] > 0:  # a hidden 0 that a published 0 pins down discloses nobody
            assert len({s[k] for s in solutions}) >= 2, (true, hidden, i)


def test_a_lone_small_row_hides_its_smallest_neighbour_not_the_biggest():
    rows, dims = _rows((4,), [3, 40, 12, 25])
    out, total = suppress_table(rows, _total(rows), dims)
    assert [r[PEOPLE] for r in out] == [None, 40, None, 25]
    assert total[PEOPLE] == 80  # the total stays: 3 and 12 cannot be told apart from it


def test_a_table_of_one_small_row_hides_the_total_too():
    rows, dims = _rows((1,), [2])
    out, total = suppress_table(rows, _total(rows), dims)
    assert out[0][PEOPLE] is None and total[PEOPLE] is None


def test_each_row_and_column_of_a_two_way_table_hides_none_or_two():
    rows, dims = _rows((3, 3), [2, 30, 40, 50, 60, 70, 80, 90, 11])
    out, _ = suppress_table(rows, _total(rows), dims)
    hidden = {i for i, r in enumerate(out) if r[PEOPLE] is None}
    for line, _ in _lines(rows, dims)[1:]:
        assert len(hidden & set(line)) in (0, 2, 3), (line, hidden)
    assert 0 in hidden and len(hidden) == 4  # 2, its row's 30, its column's 50, and 60


def test_a_report_leaving_the_province_is_suppressed_in_every_row_and_the_total():
    rows, dims = _rows((3,), [1, 20, 30])
    report = Report("measures", {"by": dims}, ["month", PEOPLE], rows, _total(rows))
    public = suppressed(report)
    assert public.params["audience"] == "public"
    assert [r[PEOPLE] for r in public.rows] == [None, None, 30]
    assert public.total[PEOPLE] == 51
    assert report.rows[0][PEOPLE] == 1  # the report kept by the province is unchanged


def test_nights_of_stays_that_arrived_before_are_hidden_in_a_month_without_arrivals():
    """July has no arrival of its own, but the person-nights of a June stay of two
    people: who stands behind them is not known, so they are hidden (and June beside
    them: two hidden cells in the line)."""
    rows = [
        {"group": {"month": "2027-06"}, PEOPLE: 2, "stays": 1, "person_nights": 20},
        {"group": {"month": "2027-07"}, PEOPLE: 0, "stays": 0, "person_nights": 16},
        {"group": {"month": "2027-08"}, PEOPLE: 0, "stays": 0, "person_nights": 0},
    ]
    total = {PEOPLE: 2, "stays": 1, "person_nights": 36}
    out, out_total = suppress_table(rows, total, ["month"])
    assert [r["person_nights"] for r in out] == [None, None, 0]
    assert out_total["person_nights"] is None  # the total counts 2 people
