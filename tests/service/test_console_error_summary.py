"""The error summary at the top of a console form, as the traveller forms' (one macro,
``form_summary``): the heading, then one link per error to its field's id, in the page's
order, each saying the field's label and the same words said beside the field. Both
databases, both languages."""

import html as markup
import re

from tests.service.test_console_catalogue import _product_form
from tests.service.test_console_every_error import _admin, lang  # noqa: F401
from tests.support.console import post_form, said_beside

HEADING = {"zh-CN": "有以下问题", "en": "There is a problem"}
PREFIX = {"zh-CN": "错误：", "en": "Error: "}


def summary(page: str) -> tuple[str, list[tuple[str, str]]]:
    """The summary's heading and its links, each (target id, text)."""
    box = re.search(r'<div class="form-summary"[^>]*>(.*?)</div>', page, re.S).group(1)
    heading = re.sub(r"<[^>]+>|⚠", "", re.search(r"<h2.*?</h2>", box, re.S).group(0)).strip()
    links = re.findall(r'<li><a href="#([^"]+)">(.*?)</a></li>', box, re.S)
    return heading, [(target, markup.unescape(text)) for target, text in links]


def label_of(page: str, target: str) -> str:
    found = re.search(rf'<label for="{target}">(.*?)</label>', page, re.S)
    label = re.sub(r'<span class="req">.*?</span>', "", found.group(1))  # "(required)"
    return markup.unescape(re.sub(r"<[^>]+>", "", label)).strip()


def check(page: str, language: str, fields: list[str]) -> None:
    heading, links = summary(page)
    assert heading == HEADING[language]
    assert [target for target, _ in links] == fields  # the page's order
    for target, text in links:
        assert f'id="{target}"' in page, target
        beside = said_beside(page, target).removeprefix(PREFIX[language])
        label = label_of(page, target)
        assert beside and text.startswith(label) and text.endswith(beside), (text, label, beside)


def test_a_product_form_summary_names_each_field_in_the_page_order(db, client, lang):  # noqa: F811
    w = _admin(db, client, lang)
    page = f"/console/products/{w.a.product_id}"
    r = post_form(client, page, _product_form(name_en="", base_rate_fen="abc"), page)
    assert r.status_code == 422
    check(r.text, lang, ["name_en", "base_rate_fen"])


def test_a_new_product_form_summary_lists_every_field_in_the_page_order(db, client, lang):  # noqa: F811
    _admin(db, client, lang)
    r = post_form(client, "/console/products", {"slug": "", "name_zh": "", "max_occupancy": "x"})
    assert r.status_code == 422
    fields = [target for target, _ in summary(r.text)[1]]
    page_order = [f for f in re.findall(r'<(?:input|select) id="([^"]+)"', r.text) if f in fields]
    assert fields == page_order and {"slug", "name_zh", "max_occupancy"} <= set(fields)
    check(r.text, lang, fields)
