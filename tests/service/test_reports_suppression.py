"""Small cells in reports that leave the province: hidden, and not recoverable.

``suppress_table`` hides every cell of 1 to 4 people or stays with every other sum of
the same bookings (person-nights, unit- and bed-nights, revenue: primary) and the
ratios made from them (ADR, RevPAR, occupancy, ALOS), then complements (secondary) so
that no hidden cell can be worked out from what is published: the visible cells and
the sums of every line (the total row; in a two-way table every row and column that
the one-way reports, suppressed the same way, show). Proven against brute force: for
generated one- and two-way tables, every integer solution of the published equations
is enumerated for each count and sum, and each hidden cell that counts something must
take at least two values among them. A cell of a single booking therefore publishes
nothing the public price calendar could be matched against.
"""

import itertools
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from service.reports.exports import SMALL, suppress_table, suppressed
from service.reports.measures import decimal, ratio
from service.reports.service import Report

PEOPLE = "person_trips"
COMPANIONS = ("stays", "person_nights")
# Every sum of the bookings that person_trips counts, and the ratios made from them.
SUMS = (PEOPLE, "stays", "person_nights", "unit_nights_sold", "bed_nights_sold", "revenue_fen")
RATIOS = ("alos_nights", "occupancy_bps", "bed_occupancy_bps", "adr_fen", "revpar_fen")
ON_SALE = 40  # unit-nights on sale in every cell (supply: counts no booking, published)
BOOKING_MEASURES = (*SUMS, *RATIOS)

cell = st.one_of(st.integers(0, 4), st.integers(0, 9))  # many small cells, some zeros


def _row(group: dict[str, Any], people: int) -> dict[str, Any]:
    """The row of the older examples: its stays and person-nights follow its people."""
    return {"group": group, PEOPLE: people, "stays": people, "person_nights": 7 * people}


def _rows(shape: tuple[int, ...], values: list[int]) -> tuple[list[dict[str, Any]], list[str]]:
    dims = ["month", "pilot_kind"][: len(shape)]
    keys = list(itertools.product(*[range(n) for n in shape]))
    rows = [_row(dict(zip(dims, k, strict=True)), v) for k, v in zip(keys, values, strict=False)]
    return rows, dims


def _measures(people: int, stays: int, nights: int, carried: int) -> dict[str, Any]:
    """One cell's measures as measures_of makes them: ``stays`` stays of ``people``
    guests, each ``nights`` long, and ``carried`` unit-nights (of one guest) of stays
    that arrived in an earlier cell. Small numbers: the brute force enumerates them."""
    unit_nights = stays * nights + carried
    person_nights = people * nights + carried
    revenue = unit_nights + stays  # fen: the rates do not matter, only the sums
    return {
        PEOPLE: people,
        "stays": stays,
        "person_nights": person_nights,
        "unit_nights_sold": unit_nights,
        "bed_nights_sold": unit_nights + stays,
        "revenue_fen": revenue,
        "unit_nights_on_sale": ON_SALE,
        "alos_nights": decimal(people * nights, people, 2),
        "occupancy_bps": ratio(unit_nights, ON_SALE, 10000),
        "bed_occupancy_bps": ratio(person_nights, 2 * ON_SALE, 10000),
        "adr_fen": ratio(revenue, unit_nights),
        "revpar_fen": ratio(revenue, ON_SALE),
    }


@st.composite
def booking_cells(draw) -> dict[str, Any]:
    people = draw(cell)
    stays = draw(st.integers(1, people)) if people else 0
    carried = draw(st.sampled_from([0, 0, 0, 1, 2]))
    return _measures(people, stays, draw(st.integers(1, 2)), carried)


def _total(rows: list[dict[str, Any]], names=(PEOPLE, *COMPANIONS)) -> dict[str, Any]:
    return {name: sum(r[name] for r in rows) for name in names}


def _full_total(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The total row of generated cells, ratios made from its sums."""
    s = _total(rows, SUMS)
    n = len(rows)
    return {
        **s,
        "unit_nights_on_sale": ON_SALE * n,
        "alos_nights": decimal(s["person_nights"], s[PEOPLE], 2),
        "occupancy_bps": ratio(s["unit_nights_sold"], ON_SALE * n, 10000),
        "bed_occupancy_bps": ratio(s["person_nights"], 2 * ON_SALE * n, 10000),
        "adr_fen": ratio(s["revenue_fen"], s["unit_nights_sold"]),
        "revpar_fen": ratio(s["revenue_fen"], ON_SALE * n),
    }


@st.composite
def tables(draw):
    shape = draw(st.sampled_from([(1,), (2,), (3,), (5,), (2, 2), (2, 3), (3, 3)]))
    n = 1
    for d in shape:
        n *= d
    dims = ["month", "pilot_kind"][: len(shape)]
    keys = list(itertools.product(*[range(k) for k in shape]))
    cells = draw(st.lists(booking_cells(), min_size=n, max_size=n))
    groups = [dict(zip(dims, k, strict=True)) for k in keys]
    rows = [{"group": g, **c} for g, c in zip(groups, cells, strict=True)]
    return rows, dims


def _lines(rows: list[dict[str, Any]], dims: list[str]) -> list[tuple[list[int], Any]]:
    """Every set of cells whose sum another report may publish, with which one: the
    total (None), and in a two-way table each row and column ((dimension, value))."""
    lines: list[tuple[list[int], Any]] = [(list(range(len(rows))), None)]
    if len(dims) == 2:
        for d in dims:
            for v in sorted({r["group"][d] for r in rows}):
                lines.append(([i for i, r in enumerate(rows) if r["group"][d] == v], (d, v)))
    return lines


def _published_sums(rows, dims, out_total, name) -> dict[Any, int]:
    """The line sums of ``name`` an outsider can read: the total (from this report or a
    one-way one) and, of a two-way table, each row and column that its one-way report,
    suppressed the same way, shows."""
    known: dict[Any, int] = {}
    totals = [out_total.get(name)]
    names = [n for n in SUMS if n in rows[0]]
    if len(dims) == 2:
        for d in dims:
            values = sorted({r["group"][d] for r in rows})
            one_way = [
                {"group": {d: v}, **_total([r for r in rows if r["group"][d] == v], names)}
                for v in values
            ]
            shown, total = suppress_table(one_way, _total(rows, names), [d])
            totals.append(total[name])
            known |= {(d, r["group"][d]): r[name] for r in shown if r[name] is not None}
    if any(t is not None for t in totals):
        known[None] = sum(r[name] for r in rows)
    return known


def _can_differ(true: list[int], hidden: list[int], checks: list[tuple[list[int], int]], i):
    """Whether the published sums ``checks`` allow the hidden cell ``i`` another value than
    its own: a search, by brute force, for non-negative integers for the hidden cells
    that give every published sum with ``i`` changed. Cell ``i`` is tried first at each
    other value (nearest first); a cell that is the last open one of a line takes the
    value that line leaves; any other cell every value up to its lines' smallest sum (a
    cell in no published line is free: one more than the largest value seen)."""
    free = max([*(s for _, s in checks), *true]) + 1
    bound = {j: min([s for line, s in checks if j in line], default=free) for j in hidden}
    order = [i, *(j for j in hidden if j != i)]
    value: dict[int, int | None] = dict.fromkeys(hidden)

    def known(j: int) -> int | None:
        return value[j] if j in value else true[j]

    def consistent() -> bool:
        for line, s in checks:
            got = sum(known(j) or 0 for j in line)
            if got > s or (all(known(j) is not None for j in line) and got != s):
                return False
        return True

    def candidates(k: int, j: int):
        if k == 0:
            return sorted((v for v in range(bound[j] + 1) if v != true[j]),
                          key=lambda v: abs(v - true[j]))  # fmt: skip
        for line, s in checks:
            if j in line and all(known(m) is not None for m in line if m != j):
                return [s - sum(known(m) for m in line if m != j)]
        return range(bound[j] + 1)

    def walk(k: int) -> bool:
        if k == len(order):
            return True
        j = order[k]
        for v in candidates(k, j):
            if 0 <= v <= bound[j]:
                value[j] = v
                if consistent() and walk(k + 1):
                    return True
        value[j] = None
        return False

    return walk(0)


def _assert_not_worked_out(rows, dims, out, out_total, name) -> None:
    """No hidden cell of ``name`` that counts something is pinned down by the visible
    cells and the published line sums."""
    hidden = [i for i, r in enumerate(out) if r[name] is None]
    true = [r[name] for r in rows]
    known = _published_sums(rows, dims, out_total, name) if hidden else {}
    checks = [(line, known[which]) for line, which in _lines(rows, dims) if which in known]
    for i in hidden:
        if true[i] > 0:  # a hidden 0 that a published 0 pins down discloses nobody
            assert _can_differ(true, hidden, checks, i), (name, true, hidden, i)


@settings(max_examples=300, deadline=None)
@given(tables())
def test_no_hidden_cell_can_be_worked_out(table):
    """Primary: a cell of 1 to 4 people or stays, or of none with nights of its own, is
    hidden in every measure of its bookings and listed. Secondary: no hidden cell's
    count, nights or revenue is pinned down by subtraction, so a single booking's cell
    gives the price calendar nothing to match."""
    rows, dims = table
    total = _full_total(rows)
    out, out_total = suppress_table(rows, total, dims)
    hidden = [i for i, r in enumerate(out) if r[PEOPLE] is None]
    for i, (before, after) in enumerate(zip(rows, out, strict=True)):
        few = any(0 < before[n] < SMALL for n in (PEOPLE, "stays"))
        unexplained = before[PEOPLE] == 0 and before["unit_nights_sold"] > 0
        if few or unexplained:
            assert i in hidden
        if i in hidden:
            assert all(after[n] is None for n in BOOKING_MEASURES), after
            assert set(after["suppressed"]) == set(BOOKING_MEASURES)
            assert after["unit_nights_on_sale"] == ON_SALE  # supply counts no booking
        else:
            assert after == before  # a visible cell is untouched
        if before["stays"] == 1:  # one booking: nothing to look up in the price calendar
            assert i in hidden
    assert all("suppressed" not in r for r in rows)  # the input is not changed
    if not hidden:
        assert out_total == total
        return
    for name in SUMS:
        _assert_not_worked_out(rows, dims, out, out_total, name)


@settings(max_examples=60, deadline=None)
@given(st.lists(booking_cells(), min_size=1, max_size=6))
def test_a_hidden_total_hides_every_measure_of_its_bookings(cells):
    """A table whose total is hidden (a lone small row) hides the total's ratios too."""
    rows = [{"group": {"month": i}, **c} for i, c in enumerate(cells)]
    total = _full_total(rows)
    _, out_total = suppress_table(rows, total, ["month"])
    if out_total[PEOPLE] is None:
        assert all(out_total[n] is None for n in BOOKING_MEASURES)
    else:
        assert out_total == total


def test_one_booking_of_two_people_publishes_nothing_of_it():
    """The newcomer's case (docs/metrics.md): a destination whose month holds one
    booking, 1 room for 14 nights of 2 guests at ¥3,303.72, beside two busy ones. The
    public report hid its people but gave its revenue 330372, ADR 23598, 14 unit-nights
    and 28 bed-nights: the price calendar's one stay of 14 nights for 2 at 330372."""
    lone = {PEOPLE: 2, "stays": 1, "person_nights": 28, "unit_nights_sold": 14,
            "bed_nights_sold": 28, "revenue_fen": 330372, "adr_fen": 23598,
            "unit_nights_on_sale": 434, "occupancy_bps": 323, "revpar_fen": 761,
            "alos_nights": 14.0, "bed_occupancy_bps": 323}  # fmt: skip
    busy = [
        {**lone, PEOPLE: 40, "stays": 20, "person_nights": 560, "unit_nights_sold": 280,
         "bed_nights_sold": 560, "revenue_fen": 6607440 + k, "adr_fen": 23598,
         "occupancy_bps": 6452, "revpar_fen": 15224, "bed_occupancy_bps": 6452}
        for k in (0, 1)
    ]  # fmt: skip
    rows = [{"group": {"destination": d}, **r} for d, r in zip("ABC", [lone, *busy], strict=True)]
    total = {n: sum(r[n] for r in rows) for n in SUMS}
    out, out_total = suppress_table(rows, total, ["destination"])
    published = [v for r in [*out, out_total] for v in r.values() if isinstance(v, int)]
    assert 330372 not in published and 23598 * 14 not in published
    for n in BOOKING_MEASURES:
        assert out[0][n] is None, n
    # a neighbour is hidden with it, so the total less the visible rows is two bookings'
    assert sum(r[PEOPLE] is None for r in out) == 2
    visible = sum(r["revenue_fen"] for r in out if r["revenue_fen"] is not None)
    assert out_total["revenue_fen"] - visible != 330372


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


def test_a_rate_is_hidden_wherever_a_count_it_is_made_of_is():
    """The cancellation rate beside published stays and cancellations gives the
    no-shows back, the response rate the ended stays: each is hidden where any count
    it is made of is, and nothing else of the row with it."""
    base = {PEOPLE: 40, "stays": 20, "cancelled_stays": 10, "cancelled_person_trips": 20,
            "no_shows": 0, "cancellation_bps": 3333, "survey_answers": 12,
            "response_bps": 6000, "satisfaction_index": 80.0}  # fmt: skip
    rows = [
        {"group": {"destination": "a"}, **base, "no_shows": 1, "cancellation_bps": 3226},
        {"group": {"destination": "b"}, **base},
        {"group": {"destination": "c"}, **base, "no_shows": 6, "cancellation_bps": 2778},
    ]
    total = {n: sum(r[n] for r in rows) for n in (PEOPLE, "stays", "no_shows")}
    out, _ = suppress_table(rows, total, ["destination"])
    # the lone no-show and its complement (the smallest that counts someone)
    assert [r["no_shows"] for r in out] == [None, 0, None]
    assert [r["cancellation_bps"] for r in out] == [None, 3333, None]
    assert [r["stays"] for r in out] == [20, 20, 20]
    assert [r["response_bps"] for r in out] == [6000, 6000, 6000]
    assert out[0]["suppressed"] == ["no_shows", "cancellation_bps"]
