"""The audit log's dates: ``changed_from``/``changed_to`` are Asia/Shanghai days, both
in, for ``GET /v1/admin/audit`` and the console's log alike (``operators.lists.
AuditFilters``); a bad date or range is refused by both, beside its field on the page,
and the cursor walks the filtered log, each entry once. Both databases."""

from datetime import UTC, datetime

from service.clock import Clock
from tests.service.test_audit_filter import _entries
from tests.support.clock import FixedClock
from tests.support.console import log_in, pager_link, refused_alike, said_beside
from tests.support.operators import world

API = "/v1/admin/audit"
# (UTC instant, its Asia/Shanghai day): the day turns at 16:00 UTC
INSTANTS = [
    (datetime(2026, 12, 1, 15, 59, tzinfo=UTC), "2026-12-01"),  # 23:59 in Shanghai
    *((datetime(2026, 12, 1, 16 + h, 0, tzinfo=UTC), "2026-12-02") for h in range(0, 8, 2)),
    *((datetime(2026, 12, 2, h, 30, tzinfo=UTC), "2026-12-02") for h in (3, 9, 15)),
    (datetime(2026, 12, 2, 16, 0, tzinfo=UTC), "2026-12-03"),  # 00:00 in Shanghai
]


def _changes(client, w) -> dict[int, str]:
    """A's product retired and put back once per instant: each entry's id and day."""
    pid, h = w.a.product_id, w.a.admin.headers
    for n, (at, _day) in enumerate(INSTANTS):
        client.app.state.clock = FixedClock(at)
        step = "retire" if n % 2 == 0 else "reinstate"
        assert client.post(f"/v1/admin/products/{pid}/{step}", headers=h).status_code == 200
    client.app.state.clock = Clock()
    log = client.get(f"{API}?entity=product&limit=100", headers=h).json()["items"]
    assert len(log) == len(INSTANTS)
    return {e["id"]: day for e, (_at, day) in zip(log, reversed(INSTANTS), strict=True)}


def _walk(client, w, query: str, limit: int) -> list[int]:
    ids, cursor = [], ""
    for _ in range(20):
        page = client.get(f"{API}?{query}&limit={limit}&cursor={cursor}", headers=w.a.admin.headers)
        assert page.status_code == 200, page.text
        ids += [e["id"] for e in page.json()["items"]]
        if (cursor := page.json()["next"]) is None:
            return ids
    raise AssertionError("the walk did not end")


def test_the_days_are_shanghai_days_both_in_and_the_walk_lists_each_entry_once(db, client):
    w = world(db)
    day_of = _changes(client, w)
    newest_first = sorted(day_of, reverse=True)
    for query, days in [
        ("changed_from=2026-12-02", {"2026-12-02", "2026-12-03"}),
        ("changed_to=2026-12-01", {"2026-12-01"}),
        ("changed_from=2026-12-02&changed_to=2026-12-02", {"2026-12-02"}),
        (
            "changed_from=2026-12-01&changed_to=2026-12-03",
            {"2026-12-01", "2026-12-02", "2026-12-03"},
        ),
        ("changed_from=2026-12-04", set()),
    ]:
        want = [i for i in newest_first if day_of[i] in days]
        for limit in (2, 3, 100):
            assert _walk(client, w, f"entity=product&{query}", limit) == want, (query, limit)
    # a cursor belongs to its filters: another day's walk does not take it
    first = client.get(
        f"{API}?entity=product&changed_from=2026-12-02&limit=2", headers=w.a.admin.headers
    ).json()
    moved = client.get(
        f"{API}?entity=product&changed_from=2026-12-01&limit=2&cursor={first['next']}",
        headers=w.a.admin.headers,
    )
    assert (moved.status_code, moved.json()["code"]) == (422, "invalid_cursor")


def test_a_bad_date_or_range_is_refused_by_the_api_and_beside_the_field(db, client):
    w = world(db)
    _changes(client, w)
    h = w.a.admin.headers
    cases = [
        ("changed_from=2026-02-30", 422, "changed_from", "changed_from"),
        ("changed_to=12%2F01%2F2026", 422, "changed_to", "changed_to"),
        ("changed_from=2026-12-05&changed_to=2026-12-01", 422, "changed_to", "changed_to"),
    ]
    assert log_in(client, w.a.admin.login).status_code == 303
    refused_alike(client, API, "/console/audit", cases, h, _entries)
    en = client.get(f"{API}?changed_from=2026-12-05&changed_to=2026-12-01",
                    headers=h | {"Accept-Language": "en"})  # fmt: skip
    assert en.headers["content-type"] == "application/problem+json"
    assert en.json()["code"] == "invalid_range"
    assert en.json()["detail"] == (
        "The last day (2026-12-01) cannot be before the first day (2026-12-05)."
    )
    page = client.get("/console/audit?changed_from=2026-12-05&changed_to=2026-12-01").text
    assert said_beside(page, "changed_to") == "错误：结束日期不能早于开始日期。"
    page = client.get("/console/audit?changed_from=2026-02-30", headers={"Accept-Language": "en"})
    assert said_beside(page.text, "changed_from")
    assert 'value="2026-02-30"' in page.text  # kept as typed, to correct


def test_the_console_log_filters_by_day_and_pages_with_the_days_kept(db, client, monkeypatch):
    from service.console import lists

    w = world(db)
    day_of = _changes(client, w)
    monkeypatch.setattr(lists, "PAGE_SIZE", 2)
    assert log_in(client, w.a.admin.login).status_code == 303
    form = client.get("/console/audit").text
    assert 'name="changed_from"' in form and 'type="date"' in form
    address = "/console/audit?entity=product&changed_from=2026-12-02&changed_to=2026-12-02"
    html, shown = client.get(address).text, 0
    for _ in range(10):
        shown += _entries(html)
        if (nxt := pager_link(html, "next")) is None:
            break
        assert "changed_from=2026-12-02" in nxt and "changed_to=2026-12-02" in nxt
        html = client.get(nxt).text
    assert shown == sum(1 for d in day_of.values() if d == "2026-12-02")


def test_a_cursor_kept_from_before_the_days_is_taken_while_they_are_unset(db, client):
    """A next-page link of the log from before ``changed_from``/``changed_to`` existed
    (bound to the account, its filters without them) still walks on; with a day set it
    is another walk's cursor, 422 ``invalid_cursor``."""
    from service.pagination import Listing

    w = world(db)
    day_of = _changes(client, w)
    h = w.a.admin.headers
    first = client.get(f"{API}?entity=product&limit=2", headers=h).json()
    key = [first["items"][-1]["id"]]
    kept = Listing(
        API, {"account_id": w.a.admin.account_id, "destination_id": None, "entity": "product"}
    ).cursor(key)
    assert kept != first["next"]  # the tag changed with the days
    taken = client.get(f"{API}?entity=product&limit=100&cursor={kept}", headers=h)
    assert taken.status_code == 200, taken.text
    later = client.get(f"{API}?entity=product&limit=100&cursor={first['next']}", headers=h)
    assert [e["id"] for e in taken.json()["items"]] == [e["id"] for e in later.json()["items"]]
    assert len(taken.json()["items"]) == len(day_of) - 2
    dated = client.get(
        f"{API}?entity=product&changed_from=2026-12-01&limit=100&cursor={kept}", headers=h
    )
    assert (dated.status_code, dated.json()["code"]) == (422, "invalid_cursor"), dated.text
