"""One rule for display names (a product's, a pack's, a rule's, an account's): trimmed
of the white space around them, full-width U+3000 too, and not blank (``name_blank``);
control characters refused as such; a lone surrogate, which no text can hold, refused
with its own reason. Both databases."""

import pytest

from tests.support.operators import world


def _patch(client, w, body, lang="en"):
    return client.patch(
        f"/v1/admin/products/{w.a.product_id}",
        json=body,
        headers=w.a.admin.headers | {"Accept-Language": lang},
    )


@pytest.mark.parametrize("blank", ["   ", "\u3000\u3000", " \u00a0\t", ""])
def test_a_blank_name_is_name_blank_and_the_public_name_is_kept(db, client, blank):
    w = world(db)
    before = client.get(f"/v1/products/{w.a.product_id}", headers={"Accept-Language": "en"})
    r = _patch(client, w, {"name_en": blank})
    if blank == " \u00a0\t":
        # a tab is a control character: said as such, and only that
        assert r.status_code == 422 and "control characters" in r.text
        return
    assert r.status_code == 422, r.text
    (error,) = r.json()["errors"]
    assert (error["field"], error["code"]) == ("name_en", "name_blank")
    assert "control" not in r.text
    zh = _patch(client, w, {"name_en": blank}, lang="zh-CN")
    assert "空白" in zh.text and "控制字符" not in zh.text
    after = client.get(f"/v1/products/{w.a.product_id}", headers={"Accept-Language": "en"})
    assert after.json()["name"] == before.json()["name"]


def test_a_name_is_trimmed_of_full_width_spaces_and_keeps_them_inside(db, client):
    w = world(db)
    r = _patch(client, w, {"name_zh": "\u3000长白山\u3000木屋 ", "name_en": " Cabin\u00a0A "})
    assert r.status_code == 200, r.text
    assert (r.json()["name_zh"], r.json()["name_en"]) == ("长白山\u3000木屋", "Cabin\u00a0A")


def test_a_control_character_is_said_as_one_and_a_lone_surrogate_has_its_own_reason(db, client):
    w = world(db)
    control = _patch(client, w, {"name_en": "Cabin\u0007"})
    assert control.status_code == 422
    assert control.json()["errors"][0]["message"] == "must not contain control characters"
    raw = '{"name_en": "Cabin \\ud800"}'
    surrogate = client.patch(
        f"/v1/admin/products/{w.a.product_id}",
        content=raw.encode(),
        headers=w.a.admin.headers | {"Accept-Language": "en", "Content-Type": "application/json"},
    )
    assert surrogate.status_code == 422, surrogate.text
    message = surrogate.json()["errors"][0]["message"]
    assert "surrogate" in message and "control" not in message
    zh = client.patch(
        f"/v1/admin/products/{w.a.product_id}",
        content=raw.encode(),
        headers=w.a.admin.headers | {"Content-Type": "application/json"},
    )
    assert "代理" in zh.text and "控制字符" not in zh.text


def test_rules_and_accounts_names_follow_the_same_rule(db, client):
    w = world(db)
    h = w.a.admin.headers
    rule = client.post(
        "/v1/admin/rules",
        json={
            "key": "blank-name",
            "kind": "long_stay",
            "name_zh": "\u3000",
            "name_en": "Long stay",
            "destination_ids": [w.a.destination_id],
            "tiers": [{"threshold": 7, "bps": 500}],
        },
        headers=h,
    )
    assert rule.status_code == 422 and rule.json()["errors"][0]["code"] == "name_blank"
    account = client.post(
        "/v1/admin/accounts",
        json={
            "login": "desk-blank",
            "display_name": "  ",
            "role": "operator_staff",
            "destination_ids": [w.a.destination_id],
            "password": "long-enough-pass",
        },
        headers=h,
    )
    assert account.status_code == 422 and account.json()["errors"][0]["code"] == "name_blank"
