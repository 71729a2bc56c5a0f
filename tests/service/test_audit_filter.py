"""The audit log's ``entity`` filter takes only the kinds of entry the services write:
any other is a 422 naming ``entity`` and listing them (API), or said beside the choice
(console), never an empty page read as "nothing changed". The console's log reads its
filters and pages by the API's rules (``operators.lists.AuditFilters``, ``audit_page``):
what ``GET /v1/admin/audit`` refuses, the page refuses. Both databases."""

import re
from pathlib import Path

from service.operators.audit import ENTITIES
from tests.service.test_console_sales import _rule
from tests.support.console import log_in, pager_link, refused_alike, said_beside, summary_of
from tests.support.operators import rule_body, world

ROOT = Path(__file__).resolve().parents[2]


def test_an_unknown_entity_is_422_naming_it_and_listing_the_kinds_in_both_languages(db, client):
    w = world(db)
    h = w.a.admin.headers
    en = client.get("/v1/admin/audit?entity=rules", headers=h | {"Accept-Language": "en"})
    assert en.status_code == 422, en.text
    assert en.headers["content-type"] == "application/problem+json"
    body = en.json()
    assert (body["code"], body["field"]) == ("validation_error", "entity")
    assert all(f"'{e}'" in body["detail"] for e in ENTITIES), body["detail"]
    assert "must be one of" in body["detail"]
    zh = client.get("/v1/admin/audit?entity=Rule", headers=h)
    assert zh.status_code == 422 and zh.json()["field"] == "entity"
    assert "应为以下之一" in zh.json()["detail"] and "'season'" in zh.json()["detail"]


def test_a_known_entity_filters_the_log(db, client):
    w = world(db)
    _rule(client, w)
    items = client.get("/v1/admin/audit?entity=rule", headers=w.a.admin.headers).json()["items"]
    assert items and {e["entity"] for e in items} == {"rule"}
    none = client.get("/v1/admin/audit?entity=pack", headers=w.a.admin.headers).json()
    assert none["items"] == []


def test_every_entity_the_services_write_is_one_the_filter_takes():
    written: set[str] = set()
    for path in (ROOT / "service").rglob("*.py"):
        text = path.read_text()
        written |= set(re.findall(r'\bentity="([a-z_]+)"', text))
        written |= set(re.findall(r'"entity": "([a-z_]+)"', text))
    assert written and written <= set(ENTITIES), written - set(ENTITIES)


def test_the_console_says_an_unknown_entity_beside_the_choice(db, client):
    w = world(db)
    _rule(client, w)
    log_in(client, w.a.admin.login)
    page = client.get("/console/audit?entity=rules", headers={"Accept-Language": "en"})
    assert page.status_code == 422
    assert said_beside(page.text, "entity").endswith("Please choose from the list.")
    zh = client.get("/console/audit?entity=rules")
    assert said_beside(zh.text, "entity").endswith("请从列表中选择。")
    ok = client.get("/console/audit?entity=rule")
    assert ok.status_code == 200 and 'id="entity-error"' not in ok.text


def _entries(html: str) -> int:
    return html.count('<li class="card">')


def test_the_console_log_takes_and_refuses_the_apis_filters(db, client):
    """Until December 2026 the page read ``entity`` itself and paged by a raw entry id:
    another destination's id, ``abc``, a cursor of no walk or a misspelt filter gave
    the whole log."""
    w = world(db)
    _rule(client, w)
    assert log_in(client, w.a.admin.login).status_code == 303
    assert _entries(client.get("/console/audit").text) >= 1
    cases = [
        (f"destination_id={w.b.destination_id}", 404, "destination_id", "destination_id"),
        ("destination_id=abc", 422, "destination_id", "destination_id"),
        ("entity=rules", 422, "entity", "entity"),
        ("cursor=garbage", 422, "cursor", "_form"),
        ("foo=1", 422, "foo", "_form"),
    ]
    refused_alike(client, "/v1/admin/audit", "/console/audit", cases, w.a.admin.headers, _entries)
    zh = client.get("/console/audit?foo=1").text
    assert "本页不接受的筛选条件“foo”" in summary_of(zh)
    en = client.get("/console/audit?before=3", headers={"Accept-Language": "en"}).text
    assert "this page does not take, “before”" in summary_of(en)  # the former paging
    mine = client.get(f"/console/audit?destination_id={w.a.destination_id}&entity=rule")
    assert mine.status_code == 200 and _entries(mine.text) >= 1
    assert 'name="destination_id"' not in client.get("/console/audit").text  # one place


def test_the_console_log_pages_by_the_apis_cursor_both_ways(db, client, monkeypatch):
    """Newest first, a page at a time: "older entries" is the API's own cursor (the
    API's next page from it has the same entries), "newer entries" leads back to the
    pages walked, the filters kept in both."""
    from service.console import lists

    w = world(db)
    for n in range(5):
        body = rule_body(w, key=f"walked-{n}", destination_ids=[w.a.destination_id])
        assert client.post("/v1/admin/rules", json=body, headers=w.a.admin.headers).is_success
    monkeypatch.setattr(lists, "PAGE_SIZE", 2)
    assert log_in(client, w.a.admin.login).status_code == 303
    every = client.get("/v1/admin/audit?entity=rule&limit=100", headers=w.a.admin.headers)
    ids = [e["id"] for e in every.json()["items"]]
    assert len(ids) >= 5
    first = client.get("/console/audit?entity=rule")
    pages, html = [first.text], first.text
    assert pager_link(html, "prev") is None
    while (nxt := pager_link(html, "next")) is not None:
        assert "entity=rule" in nxt and "cursor=" in nxt
        cursor = nxt.split("cursor=")[1]
        api = client.get(f"/v1/admin/audit?entity=rule&limit=2&cursor={cursor}",
                         headers=w.a.admin.headers).json()  # fmt: skip
        html = client.get(nxt).text
        assert _entries(html) == len(api["items"])
        pages.append(html)
        assert len(pages) < 10
    assert sum(_entries(p) for p in pages) == len(ids)
    back, last = [html], None
    while (prev := pager_link(html, "prev")) is not None:
        assert "entity=rule" in prev
        html, last = client.get(prev).text, prev
        back.append(html)
    assert [_entries(p) for p in back] == [_entries(p) for p in reversed(pages)]
    assert last == "/console/audit?entity=rule"  # the first page: no cursor
