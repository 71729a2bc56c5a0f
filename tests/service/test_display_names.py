"""One rule for display names (a product's, a pack's, a season's, a rule's, an
account's): trimmed of the white space around them, full-width U+3000 too, and not
blank (``name_blank``); control characters refused as such; a lone surrogate, which no
text can hold, refused with its own reason. Both databases."""

import re
from datetime import timedelta

import pytest

from tests.support.console import csrf_of, log_in, said_beside
from tests.support.operators import FIRST, world


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
    [error] = control.json()["errors"]
    assert (error["code"], error["message"]) == (
        "control_character",
        "must not contain control characters: it holds U+0007 BEL",
    )
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


def _season(w, **names):
    start = FIRST + timedelta(days=30)
    return {
        **names,
        "start_date": start.isoformat(),
        "end_date": (start + timedelta(days=7)).isoformat(),
        "nightly_rate_fen": 40_000,
    }


def test_season_names_follow_the_same_rule(db, client):
    w = world(db)
    url = f"/v1/admin/products/{w.a.product_id}/seasons"
    h = w.a.admin.headers | {"Accept-Language": "en"}

    def refused(body, *, path=url, method="post"):
        r = getattr(client, method)(path, json=body, headers=h)
        assert r.status_code == 422, r.text
        return [(e["field"], e["code"]) for e in r.json()["errors"]]

    assert refused(_season(w)) == [("name_zh", "missing"), ("name_en", "missing")]
    assert refused(_season(w, name_zh="\u3000", name_en="Autumn")) == [("name_zh", "name_blank")]
    assert refused(_season(w, name_zh="秋", name_en="")) == [("name_en", "name_blank")]
    assert refused(_season(w, name_zh="秋\u0007", name_en="Autumn")) == [
        ("name_zh", "control_character")
    ]
    assert refused(_season(w, name_zh="秋" * 81, name_en="Autumn")) == [
        ("name_zh", "string_too_long")
    ]
    made = client.post(url, json=_season(w, name_zh=" 秋\u3000", name_en=" Autumn "), headers=h)
    assert made.status_code == 201, made.text
    assert made.json()["name"] == "Autumn"
    product = f"/v1/admin/products/{w.a.product_id}"
    zh = client.get(product, headers=w.a.admin.headers).json()["seasons"]
    assert "秋" in {s["name"] for s in zh}
    one = f"{url}/{made.json()['id']}"
    assert refused({"name_en": "   "}, path=one, method="patch") == [("name_en", "name_blank")]
    kept = client.get(product, headers=h).json()["seasons"]
    assert "Autumn" in {s["name"] for s in kept}
    renamed = client.patch(one, json={"name_en": "Golden autumn "}, headers=h)
    assert renamed.status_code == 200 and renamed.json()["name"] == "Golden autumn"


def test_the_console_asks_for_a_season_s_names_beside_them(db, client):
    w = world(db)
    log_in(client, w.a.admin.login)
    page = f"/console/products/{w.a.product_id}"
    form = client.get(page, headers={"Accept-Language": "en"}).text
    assert re.search(r'<input id="new_name_zh" name="new_name_zh"[^>]* required', form)
    blank = {"new_" + k: v for k, v in _season(w, name_zh="  ", name_en="").items()}
    r = client.post(
        f"{page}/seasons",
        data={**blank, "csrf_token": csrf_of(form)},
        headers={"Accept-Language": "en"},
        follow_redirects=False,
    )
    assert r.status_code == 422
    assert "fill this in" in said_beside(r.text, "new_name_zh")
    assert "fill this in" in said_beside(r.text, "new_name_en")
    seasons = client.get(f"/v1/admin/products/{w.a.product_id}", headers=w.a.admin.headers)
    assert len(seasons.json()["seasons"]) == 1  # the world's own, nothing added
