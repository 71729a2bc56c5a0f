"""The console's rules list is one walk by id (``operators.rules.list_rules`` with the
province-wide rules): an operator's own rules and the active province-wide rules that
price its products, each on exactly one page, the province's marked read only. Until
December 2026 the province-wide rules were listed apart, every one on the first page and
none on the others, however many there were. Both databases."""

import re

from catalog.models import DiscountRule, DiscountRuleVersion
from tests.support.console import log_in, pager_link
from tests.support.operators import rule_body, world


def _province_wide(db, rule_id: int, *, product_ids=(), retired=False) -> None:
    """Made province-wide, as the province's loader does (the API names destinations)."""
    with db.write_session() as s:
        row = s.get(DiscountRuleVersion, (rule_id, 1))
        row.destination_ids, row.product_ids = [], list(product_ids)
        s.add(row)
        if retired:
            rule = s.get(DiscountRule, rule_id)
            rule.is_active = False
            s.add(rule)
        s.commit()


def _rules(client, db, w) -> tuple[list[str], list[str], list[str]]:
    """A's own rules and the province's, made in turn so their ids interleave: the names
    A sees as its own, as the province's (read only), and the names it must not see."""
    own, province, unseen = [], [], []
    for n in range(9):
        name = f"规则{n:02d}"
        body = rule_body(w, key=f"rule-{n}", name_zh=name)
        r = client.post("/v1/admin/rules", json=body, headers=w.a.admin.headers)
        assert r.status_code == 201, r.text
        if n % 3 == 0:
            own.append(name)
        elif n in (4, 7):  # another operator's products only, or retired: not A's to read
            _province_wide(db, r.json()["id"], product_ids=[w.b.product_id], retired=n == 7)
            unseen.append(name)
        else:
            products = [w.a.product_id] if n == 5 else []
            _province_wide(db, r.json()["id"], product_ids=products)
            province.append(name)
    return own, province, unseen


def _cards(html: str) -> list[tuple[str, bool]]:
    """Each rule listed: its name and whether it is the province's (no link, marked)."""
    out = []
    for card in re.findall(r'<li class="card">(.*?)</li>', html, re.S):
        linked = re.search(r'<h3><a href="/console/rules/\d+">([^<]+)</a></h3>', card)
        name = linked.group(1) if linked else re.search(r"<h3>([^<]+)</h3>", card).group(1)
        read_only = linked is None
        assert read_only == ("全省通用的优惠规则（只能查看）" in card), card
        out.append((name, read_only))
    return out


def _walk(browser) -> list[list[tuple[str, bool]]]:
    html = browser.get("/console/rules").text
    pages = [_cards(html)]
    while (nxt := pager_link(html, "next")) is not None:
        html = browser.get(nxt).text
        pages.append(_cards(html))
        assert len(pages) < 20
    back = [pages[-1]]
    while (prev := pager_link(html, "prev")) is not None:
        html = browser.get(prev).text
        back.append(_cards(html))
    assert back == list(reversed(pages))  # "previous page" walks the same pages back
    return pages


def test_every_page_of_an_operators_rules_lists_each_rule_once(db, client, monkeypatch):
    from service.console import lists

    w = world(db)
    own, province, unseen = _rules(client, db, w)
    monkeypatch.setattr(lists, "PAGE_SIZE", 2)
    assert log_in(client, w.a.admin.login).status_code == 303
    pages = _walk(client)
    listed = [card for page in pages for card in page]
    assert sorted(listed) == sorted([(n, False) for n in own] + [(n, True) for n in province])
    assert [name for name, _ in listed] == sorted(own + province)  # by id, each once
    assert not {name for name, _ in listed} & set(unseen)
    assert all(len(p) == 2 for p in pages[:-1]) and len(pages) == 4
    assert [any(ro for _, ro in p) for p in pages].count(True) >= 2  # past the first page
    first = client.get("/console/rules").text
    assert "您的目的地没有自己的优惠规则。" not in first


def test_the_province_walks_every_rule_as_its_own(db, client, monkeypatch):
    from service.console import lists

    w = world(db)
    own, province, unseen = _rules(client, db, w)
    monkeypatch.setattr(lists, "PAGE_SIZE", 4)
    assert log_in(client, w.province.login).status_code == 303
    listed = [card for page in _walk(client) for card in page]
    assert listed == [(n, False) for n in sorted(own + province + unseen)]


def test_an_operator_with_no_rule_of_its_own_is_told_so_above_the_provinces(db, client):
    w = world(db)
    _rules(client, db, w)
    assert log_in(client, w.b.admin.login).status_code == 303
    page = client.get("/console/rules").text
    assert "您的目的地没有自己的优惠规则。" in page
    # rule 4 names B's product, 1, 2 and 8 name none; 5 names A's, and 7 is retired
    assert [name for name, ro in _cards(page) if ro] == ["规则01", "规则02", "规则04", "规则08"]
