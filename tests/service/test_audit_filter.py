"""The audit log's ``entity`` filter takes only the kinds of entry the services write:
any other is a 422 naming ``entity`` and listing them (API), or said beside the choice
(console), never an empty page read as "nothing changed". Both databases."""

import re
from pathlib import Path

from service.operators.audit import ENTITIES
from tests.service.test_console_sales import _rule
from tests.support.console import log_in, said_beside
from tests.support.operators import world

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
