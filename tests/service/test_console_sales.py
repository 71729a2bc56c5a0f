"""The console's discount rules (a change is a new version: new quotes use it, a stored
quote keeps its price), ticket stub batches with the CSV register, and the audit log."""

import re
from datetime import timedelta

from tests.service.booking_support import item, quote_http
from tests.support.console import log_in, post_form, said_beside
from tests.support.operators import FIRST, rule_body, world
from tests.support.quotes import quote_lines


def _rule(client, w):
    r = client.post(
        "/v1/admin/rules",
        json=rule_body(w, name_zh="长住", tiers=[{"threshold": 3, "bps": 500}]),
        headers=w.a.admin.headers,
    )
    assert r.status_code == 201, r.text
    return r.json()["id"]


def _discount(quote):
    return sum(ln["amount_fen"] for ln in quote_lines(quote) if ln["kind"] == "discount")


def test_a_rule_changed_on_the_page_prices_new_quotes_and_spares_old_ones(db, client):
    w = world(db)
    rule_id = _rule(client, w)
    stay = item(w.a.product_id, check_in=FIRST + timedelta(days=1), nights=3)
    old = quote_http(client, stay)
    log_in(client, w.a.admin.login)
    page = f"/console/rules/{rule_id}"
    assert "长住" in client.get("/console/rules").text
    form = {
        "name_zh": "长住加码",
        "name_en": "Long stay, more",
        "tier_0_threshold": "3",
        "tier_0_pct": "12.5",
    }
    r = post_form(client, f"{page}/versions", form, page)
    assert r.status_code == 303, r.text
    shown = client.get(page).text
    assert "第 2 版" in shown and "12.5%" in shown
    new = quote_http(client, stay)
    assert abs(_discount(new)) > abs(_discount(old))
    again = client.get(f"/v1/quotes/{old['id']}").json()
    assert again["total_fen"] == old["total_fen"]


def test_bad_rule_terms_are_said_beside_the_field(db, client):
    w = world(db)
    rule_id = _rule(client, w)
    log_in(client, w.a.admin.login)
    page = f"/console/rules/{rule_id}"
    r = post_form(
        client,
        f"{page}/versions",
        {"name_zh": "长住", "name_en": "x", "tier_0_threshold": "3", "tier_0_pct": "lots"},
        page,
    )
    assert r.status_code == 422 and 'id="tier_0_pct-error"' in r.text
    r = post_form(
        client,
        f"{page}/versions",
        {"name_zh": "", "name_en": "x", "tier_0_threshold": "3", "tier_0_pct": "5"},
        page,
    )
    assert r.status_code == 422 and 'id="name_zh-error"' in r.text
    # staff read rules but change none
    client.cookies.clear()
    log_in(client, w.a.staff.login)
    assert "保存为新版本" not in client.get(page).text


def test_stub_batch_and_its_csv(db, client):
    from catalog.models import Destination
    from tests.factories import make_issuer

    w = world(db)
    with db.write_session() as s:
        issuer = make_issuer(s, destination=s.get(Destination, w.a.destination_id)).id
        s.commit()
    log_in(client, w.a.admin.login)
    day = FIRST.isoformat()
    r = post_form(
        client,
        "/console/stubs",
        {"issuer_id": str(issuer), "count": "3", "visit_date": day, "persons": "2"},
        "/console/stubs",
    )
    assert r.status_code == 200
    codes = re.findall(r"<code>(STUB-[A-Z0-9]+)</code>", r.text)
    assert len(codes) == 3
    csv = client.get(f"/console/stubs/{issuer}/stubs.csv")
    assert csv.headers["content-type"].startswith("text/csv")
    assert all(c in csv.text for c in codes)
    r = post_form(
        client,
        "/console/stubs",
        {"issuer_id": str(issuer), "count": "0", "visit_date": day, "persons": "2"},
        "/console/stubs",
    )
    assert r.status_code == 422 and 'id="count-error"' in r.text


def test_audit_log_shows_own_entries(db, client):
    w = world(db)
    _rule(client, w)
    client.post(
        "/v1/admin/rules",
        json={
            "key": "b-rule",
            "kind": "long_stay",
            "name_zh": "乙",
            "name_en": "B",
            "destination_ids": [w.b.destination_id],
            "tiers": [{"threshold": 3, "bps": 500}],
        },
        headers=w.b.admin.headers,
    )
    log_in(client, w.a.staff.login)
    page = client.get("/console/audit?entity=rule").text
    assert "admin-a" in page and "admin-b" not in page


def test_rule_terms_the_engine_refuses_are_said_in_the_page_language(db, client):
    w = world(db)
    rule_id = _rule(client, w)
    log_in(client, w.a.admin.login)
    page = f"/console/rules/{rule_id}"
    form = {"name_zh": "长住", "name_en": "Long stay", "tier_0_threshold": "7",
            "tier_0_pct": "5", "tier_1_threshold": "7", "tier_1_pct": "8"}  # fmt: skip
    r = post_form(client, f"{page}/versions", form, page)
    assert r.status_code == 422
    # beside the tier at fault (the second 7-night row), not on the tiers' heading
    said = said_beside(r.text, "tier_1_threshold")
    assert said == "错误：每一档须比前一档住得更久：第 2 档为 7 晚，第 1 档为 7 晚。", said
    assert said_beside(r.text, "tiers") == ""
    client.cookies.set("lang", "en")
    r = post_form(client, f"{page}/versions", form, page)
    assert said_beside(r.text, "tier_1_threshold") == (
        "Error: Each tier must be for more nights than the one before: tier 2 is for "
        "7 nights, tier 1 for 7 nights."
    )
