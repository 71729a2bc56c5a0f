"""Every admin list pages the same way (README, lists): `items` and `next`, `limit` 1-100
and `cursor`, a stable order (by id), the cursor bound to the list, its filters and the
account that walked it. Until December 2026 `GET /v1/admin/rules`, `/v1/admin/packs` and
`/v1/admin/accounts` answered every row with no `next`, and `?limit=2` was 422
`unknown_parameter`; there was no list of stub issuers (`GET /v1/admin/stub-issuers`
was 404) although a batch is issued by an issuer's id."""

import re

import pytest

from tests.support.operators import add_operator, rule_body, world

LISTS = ("/v1/admin/rules", "/v1/admin/packs", "/v1/admin/accounts", "/v1/admin/stub-issuers")


def _seed(db, client, w) -> None:
    """At least five rows of each list at A (products too), and some at B (never listed
    to A)."""
    from catalog.models import Destination
    from tests.factories import make_issuer, make_line, make_pack, make_product

    for n in range(5):
        for place, tag in ((w.a, "a"), (w.b, "b")):
            body = rule_body(w, key=f"rule-{tag}-{n}", destination_ids=[place.destination_id])
            assert client.post("/v1/admin/rules", json=body, headers=place.admin.headers).is_success
    with db.write_session() as s:
        for d_id in (w.a.destination_id, w.b.destination_id):
            d = s.get(Destination, d_id)
            for n in range(5):
                make_pack(s, d)
                make_issuer(s, destination=d)
                make_product(s, d, slug=f"more-{d_id}-{n}")
        make_issuer(s, kind="transit_line", line=make_line(s))  # the province's only
        s.commit()
    for n in range(3):
        add_operator(db, f"desk-a-{n}", "operator_staff", [w.a.destination_id])
        add_operator(db, f"desk-b-{n}", "operator_staff", [w.b.destination_id])


def _walk(client, url: str, headers: dict, limit: int) -> list[dict]:
    items, cursor, pages = [], None, 0
    while True:
        sep = "&" if "?" in url else "?"
        r = client.get(f"{url}{sep}limit={limit}" + (f"&cursor={cursor}" if cursor else ""),
                       headers=headers)  # fmt: skip
        assert r.status_code == 200, r.text
        page = r.json()
        assert set(page) == {"items", "next"}
        assert len(page["items"]) <= limit
        items += page["items"]
        pages += 1
        cursor = page["next"]
        if cursor is None:
            return items
        assert pages < 100


@pytest.mark.parametrize("url", LISTS)
def test_each_list_walks_in_pages_by_id_to_the_same_rows(db, client, url):
    w = world(db)
    _seed(db, client, w)
    for caller in (w.a.admin, w.province):
        whole = client.get(f"{url}?limit=100", headers=caller.headers).json()
        assert whole["next"] is None and len(whole["items"]) >= 5
        walked = _walk(client, url, caller.headers, limit=2)
        ids = [i["id"] for i in walked]
        assert ids == sorted(set(ids)) == [i["id"] for i in whole["items"]]
        assert walked == whole["items"]
    # the default page is 20, and the first page says there is more when there is
    first = client.get(f"{url}?limit=1", headers=w.a.admin.headers).json()
    assert len(first["items"]) == 1 and first["next"]


def test_an_operator_lists_only_its_own_issuers_the_province_every_one(db, client):
    w = world(db)
    _seed(db, client, w)
    mine = _walk(client, "/v1/admin/stub-issuers", w.a.admin.headers, limit=3)
    assert {i["destination_id"] for i in mine} == {w.a.destination_id}
    every = _walk(client, "/v1/admin/stub-issuers", w.province.headers, limit=3)
    assert {i["destination_id"] for i in every} == {w.a.destination_id, w.b.destination_id, None}
    assert len(mine) == 5 and len(every) == 11
    issuer = mine[0]
    assert set(issuer) == {
        "id", "code", "kind", "name", "name_zh", "name_en", "destination_id", "transit_line_id",
    }  # fmt: skip
    # its id is the one a batch is issued by
    r = client.post(
        f"/v1/admin/stub-issuers/{issuer['id']}/batches",
        json={"count": 2, "visit_date": "2030-01-01"},
        headers=w.a.admin.headers,
    )
    assert r.status_code == 201 and r.json()["issuer_id"] == issuer["id"]


def test_a_cursor_belongs_to_its_list_its_filters_and_its_account(db, client):
    w = world(db)
    _seed(db, client, w)
    other_admin = add_operator(db, "admin-a-too", "operator_admin", [w.a.destination_id])
    cursors = {
        url: client.get(f"{url}?limit=1", headers=w.a.admin.headers).json()["next"] for url in LISTS
    }
    for url, cursor in cursors.items():
        assert cursor
        # another account that sees the very same rows
        r = client.get(f"{url}?cursor={cursor}", headers=other_admin.headers)
        assert (r.status_code, r.json()["code"], r.json()["field"]) == (
            422, "invalid_cursor", "cursor",
        ), url  # fmt: skip
        # another list's cursor
        other = next(c for u, c in cursors.items() if u != url)
        r = client.get(f"{url}?cursor={other}", headers=w.a.admin.headers)
        assert r.json()["code"] == "invalid_cursor", url
        r = client.get(f"{url}?cursor=garbage", headers=w.a.admin.headers)
        assert r.json()["code"] == "invalid_cursor", url
        r = client.get(f"{url}?limit=0", headers=w.a.admin.headers)
        assert (r.status_code, r.json()["field"]) == (422, "limit"), url
        r = client.get(f"{url}?foo=1", headers=w.a.admin.headers)
        assert (r.status_code, r.json()["code"]) == (422, "unknown_parameter"), url
    # the packs' filter is part of their cursor
    packs = cursors["/v1/admin/packs"]
    r = client.get(
        f"/v1/admin/packs?destination_id={w.a.destination_id}&cursor={packs}",
        headers=w.a.admin.headers,
    )
    assert r.json()["code"] == "invalid_cursor"


def test_staff_are_refused_the_accounts_before_their_cursor_is_read(db, client):
    w = world(db)
    r = client.get("/v1/admin/accounts?cursor=garbage", headers=w.a.staff.headers)
    assert (r.status_code, r.json()["code"]) == (403, "forbidden_role")


# The console's page of each list, and how it shows a row (the row's id, else its name).
CONSOLE = {
    "/v1/admin/rules": ("/console/rules", r'href="/console/rules/(\d+)"', "id"),
    "/v1/admin/packs": ("/console/packs", r'<h3><a href="/console/packs/\d+">([^<]+)</a>', "name"),
    "/v1/admin/stub-issuers": ("/console/stubs", r'href="/console/stubs/(\d+)/stubs\.csv"', "id"),
    "/v1/admin/products": ("/console/products", r'href="/console/products/(\d+)"', "id"),
}


@pytest.mark.parametrize("url", list(CONSOLE))
def test_the_console_pages_each_list_by_the_apis_cursor_both_ways(db, client, monkeypatch, url):
    """The console's rules, packs, stub issuers and products a page at a time (they
    showed every row at once until December 2026): "next page" is the API's own cursor
    (the API's page from it has the same rows), "previous page" walks back through the
    same pages to the first, whose address has no cursor; each a plain link. A cursor
    that is no place in the list is said above it, with nothing listed."""
    from service.console import lists
    from tests.support.console import log_in, pager_link, summary_of

    w = world(db)
    _seed(db, client, w)
    monkeypatch.setattr(lists, "PAGE_SIZE", 2)
    path, pattern, key = CONSOLE[url]
    for caller in (w.a.admin, w.province):
        browser = client.__class__(client.app, base_url=str(client.base_url))
        assert log_in(browser, caller.login).status_code == 303
        headers = caller.headers | {"Accept-Language": "zh-CN"}
        whole = client.get(f"{url}?limit=100", headers=headers).json()["items"]
        html = browser.get(path).text
        assert pager_link(html, "prev") is None
        pages = [re.findall(pattern, html)]
        while (nxt := pager_link(html, "next")) is not None:
            cursor = nxt.split("cursor=")[1]
            api = client.get(f"{url}?limit=2&cursor={cursor}", headers=headers).json()
            html = browser.get(nxt).text
            pages.append(re.findall(pattern, html))
            assert pages[-1] == [str(i[key]) for i in api["items"]], url
            assert len(pages) < 20
        assert [r for p in pages for r in p] == [str(i[key]) for i in whole]
        assert all(len(p) == 2 for p in pages[:-1]) and len(pages) >= 3
        back, last = [pages[-1]], None
        while (prev := pager_link(html, "prev")) is not None:
            html, last = browser.get(prev).text, prev
            back.append(re.findall(pattern, html))
        assert back == list(reversed(pages)) and last == path  # the first: no cursor
    refused = browser.get(f"{path}?cursor=garbage", headers={"Accept-Language": "en"})
    assert refused.status_code == 422 and not re.findall(pattern, refused.text)
    assert "start again from the first page" in summary_of(refused.text)
