"""Every console page in Chromium in both languages (axe: WCAG 2.1 AA, 0 violations;
44px targets; nothing off the origin; screenshots), and the rule journey: change a
discount rule on its page, and a new quote uses the new version while an old quote
keeps its price (checked through the public API of the same server)."""

from datetime import timedelta

import httpx
import pytest

from tests.browser.bookings import post_quote, today
from tests.browser.conftest import PHONE
from tests.browser.test_console import log_in
from tests.browser.test_console_journeys import token
from tests.support.quotes import quote_lines

pytestmark = pytest.mark.browser

RIVERSIDE = "demo-jilin-riverside-community"
PAGES_LOGIN = "demo-beidahu"
SAVE = {"zh-CN": "保存为新版本", "en": "Save as a new version"}


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_every_console_page_passes_axe(visit, server, lang):
    v = visit(PHONE, lang, label=f"console-phone-{lang}")
    v.go("/console/products")
    log_in(v, lang, login=PAGES_LOGIN)
    v.page.wait_for_url(server.base + "/console/products")
    v.check("10-products")
    headers = token(server, PAGES_LOGIN)
    product = httpx.get(server.base + "/v1/admin/products?limit=1", headers=headers).json()
    v.go(f"/console/products/{product['items'][0]['id']}")
    v.check("11-product")
    for n, path in enumerate(
        (
            "/console/packs",
            "/console/rules",
            "/console/stubs",
            "/console/audit",
            "/console/bookings",
            "/console/destinations",
            f"/console/destinations/{product['items'][0]['destination_id']}",
            "/console/password",
        ),
        start=12,
    ):
        v.go(path)
        v.check(f"{n}-{path.rsplit('/', 1)[1]}")
    # a pack's page: its facts, the products that offer it, its form
    pack = httpx.get(server.base + "/v1/admin/packs?limit=1", headers=headers).json()
    v.go(f"/console/packs/{pack['items'][0]['id']}")
    v.check("21-pack")
    # a reference found nowhere: said beside the find field, the list below
    assert v.go("/console/bookings?reference=JL-NONE00").status == 404
    v.check("20-bookings-not-found")
    # the arrivals export's form, and a range too long said beside its end
    v.go("/console/arrivals")
    v.check("21-arrivals")
    assert v.go("/console/arrivals?from=2027-03-01&to=2027-05-01&format=csv").status == 422
    v.check("22-arrivals-refused")


def _quote(server, product_id: int, nights: int) -> dict:
    for days in (10, 20, 40):
        r = post_quote(server, product_id, today() + timedelta(days=days), nights)
        if r.status_code == 201 and any(ln["kind"] == "discount" for ln in quote_lines(r.json())):
            return r.json()
    pytest.fail(f"no discounted quote for product {product_id}: {r.text[:300]}")


def _stay_discount(quote: dict, rule_id: int) -> int:
    return sum(
        abs(ln["amount_fen"])
        for ln in quote_lines(quote)
        if ln["kind"] == "discount" and ln.get("rule_id") == rule_id
    )


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_change_a_rule_new_quotes_use_it_old_quotes_keep_their_price(visit, server, lang):
    headers = token(server, RIVERSIDE)
    rule = httpx.get(server.base + "/v1/admin/rules", headers=headers).json()["items"][0]
    products = httpx.get(server.base + "/v1/admin/products?limit=100", headers=headers).json()
    product = next(p for p in products["items"] if 7 in p["duration_modules"])
    old = _quote(server, product["id"], 7)
    before = _stay_discount(old, rule["id"])
    assert before > 0, quote_lines(old)

    v = visit(PHONE, lang, label=f"console-phone-{lang}")
    v.go(f"/console/rules/{rule['id']}")
    log_in(v, lang, login=RIVERSIDE)
    v.page.wait_for_url(server.base + f"/console/rules/{rule['id']}")
    v.check("16-rule")
    pct = v.page.locator("#tier_0_pct")
    pct.fill(str(float(pct.input_value()) + 2))
    v.page.get_by_role("button", name=SAVE[lang]).click()
    v.page.wait_for_url(lambda url: "done=version" in url)
    v.check("17-rule-changed")

    new = _quote(server, product["id"], 7)
    assert _stay_discount(new, rule["id"]) > before
    kept = httpx.get(server.base + f"/v1/quotes/{old['id']}").json()
    assert kept["total_fen"] == old["total_fen"]


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_a_paged_console_list_walks_back_and_on_by_plain_links(visit, server, lang):
    """A console list a page on, by the API's own cursor (after the first row): its
    "previous page" link (and "next page", where more follow) is a plain link, a 44px
    target, that leads back to the first page, without JavaScript; axe passes."""
    headers = token(server, PAGES_LOGIN)
    v = visit(PHONE, lang, label=f"console-pager-{lang}")
    v.go("/console/rules")
    log_in(v, lang, login=PAGES_LOGIN)
    walked = 0
    for api, path in (
        ("/v1/admin/products", "/console/products"),
        ("/v1/admin/packs", "/console/packs"),
        ("/v1/admin/rules", "/console/rules"),
        ("/v1/admin/stub-issuers", "/console/stubs"),
        ("/v1/admin/audit", "/console/audit"),
    ):
        cursor = httpx.get(f"{server.base}{api}?limit=1", headers=headers).json()["next"]
        if cursor is None:
            continue
        v.go(f"{path}?cursor={cursor}")
        prev = v.page.locator('nav.pager a[rel="prev"]')
        assert prev.count() == 1, path
        v.check(f"pager-{path.rsplit('/', 1)[1]}")
        prev.click()
        v.page.wait_for_url(server.base + path)
        assert v.page.locator('nav.pager a[rel="prev"]').count() == 0, path
        walked += 1
    assert walked >= 2
