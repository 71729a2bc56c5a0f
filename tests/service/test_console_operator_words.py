"""The console speaks in the operator's words, not a developer's (finding 18 of the
newcomer's evaluation): the reports page says what each measure means on the page,
never "definitions in docs/metrics.md"; the rules page says whom to ask for a new rule,
not "POST /v1/admin/rules"; the audit log's filter names the kinds of entry as words,
and each entry says what it is about by name, not "product 1". Both databases, both
languages."""

import re
from html import unescape

import pytest

from service.console.reports import SHOWN
from tests.service.test_console_sales import _rule
from tests.support.console import log_in
from tests.support.operators import world


def _get(client, path: str, lang: str) -> str:
    r = client.get(path, headers={"Accept-Language": lang})
    assert r.status_code == 200, r.text
    return unescape(r.text)


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_reports_and_rules_say_it_in_the_operators_words(db, client, lang):
    w = world(db)
    log_in(client, w.a.admin.login)
    reports = _get(client, "/console/reports", lang)
    assert "docs/" not in reports and ".md" not in reports
    words = re.search(
        r'<details class="measure-words" id="measure-words">(.*?)</details>', reports, re.S
    )
    assert words, "no measure words on the reports page"
    said = re.findall(r"<dd>([^<]+)</dd>", words.group(1))
    assert len(said) == len(SHOWN) and all(s.strip() for s in said)
    assert ("10 晚" if lang == "zh-CN" else "10 nights") in words.group(1)  # the long stays'
    rules = _get(client, "/console/rules", lang)
    assert "/v1/" not in rules and "POST" not in rules
    rule_new = re.search(r'id="rule-new">([^<]+)<', rules).group(1)
    assert ("技术人员" if lang == "zh-CN" else "ask the people who run this system") in rule_new


def test_the_audit_log_names_what_each_entry_is_about(db, client):
    w = world(db)
    _rule(client, w)  # "Long stay" / 长住
    renamed = client.patch(
        f"/v1/admin/products/{w.a.product_id}",
        json={"name_zh": "松花湖康养小屋", "name_en": "Songhua Lake wellness cabin"},
        headers=w.a.admin.headers,
    )
    assert renamed.status_code == 200, renamed.text
    log_in(client, w.a.admin.login)
    english = _get(client, "/console/audit", "en")
    options = re.findall(r'<option value="([a-z]+)"[^>]*>([^<]+)</option>', english)
    named = dict(options)
    assert named["pack"] == "Add-on pack" and named["rule"] == "Discount rule"
    assert all(word[0].isupper() for word in named.values()), named
    what = [re.sub(r"\s+", " ", w_) for w_ in re.findall(r'class="audit-what">([^<]+)<', english)]
    assert any(w_.startswith("Product “Songhua Lake wellness cabin”") for w_ in what), what
    assert not any(w_.startswith(f"Product {w.a.product_id} ") for w_ in what), what
    assert any(w_.startswith("Discount rule “Long stay”") for w_ in what), what
    chinese = _get(client, "/console/audit", "zh-CN")
    what = re.findall(r'class="audit-what">([^<]+)<', chinese)
    assert any(w_.startswith("产品 「松花湖康养小屋」") for w_ in what), what
    assert any(w_.startswith("优惠规则 「长住」") for w_ in what), what
