"""A pack's console page (``/console/packs/{pack_id}``): its form changes what ``PATCH
/v1/admin/packs/{pack_id}`` changes, through the same request model and service, so it
is refused by the same rules (said beside the field, in the page's language) and
audited as the API's edit; another destination's pack is 404, as an unknown id; staff
and the province read it but get no form, and a forged post is 403."""

import re

from service.console.packs import pack_changes
from tests.service.test_console_bad_input import _pack_form
from tests.support.console import csrf_of, form_fields, log_in, post_form, said_beside
from tests.support.operators import world


def _a_pack(client, w) -> tuple[int, str]:
    """A pack at A's destination made on the console, offered by A's product: its id
    and page."""
    assert post_form(client, "/console/packs", _pack_form(w), "/console/packs").status_code == 303
    pack_id = client.get("/v1/admin/packs", headers=w.a.admin.headers).json()["items"][0]["id"]
    product = f"/console/products/{w.a.product_id}"
    assert (
        post_form(client, f"{product}/packs", {"pack_ids": str(pack_id)}, product).status_code
        == 303
    )
    return pack_id, f"/console/packs/{pack_id}"


def _api_pack(client, w, pack_id: int) -> dict:
    items = client.get("/v1/admin/packs", headers=w.a.admin.headers).json()["items"]
    return next(p for p in items if p["id"] == pack_id)


def _pack_audit(client, w) -> list[dict]:
    entries = client.get("/v1/admin/audit?entity=pack", headers=w.a.admin.headers).json()
    return entries["items"]


def test_the_pack_page_changes_the_pack_as_the_api_does_and_is_audited_alike(db, client):
    w = world(db)
    log_in(client, w.a.admin.login)
    pack_id, page = _a_pack(client, w)
    listed = client.get("/console/packs").text
    assert f'<h3><a href="/console/packs/{pack_id}">茶点</a></h3>' in listed
    shown = client.get(page).text
    assert f'href="/console/products/{w.a.product_id}"' in shown  # offered by A's product
    assert 'id="pack-code">a-tea<' in shown

    # Saved unchanged (what a browser sends, the CSRF token too): nothing changes,
    # nothing is audited beyond the creation.
    fields = dict(form_fields(shown, page))
    assert fields["price_fen"] == "88.00" and fields["basis"] == "per_stay"
    assert client.post(page, data=fields, follow_redirects=False).status_code == 303
    assert [e["action"] for e in _pack_audit(client, w)] == ["create"]

    # Changed, a description added.
    change = {
        **fields,
        "name_en": "Afternoon tea",
        "price_fen": "¥96.50",
        "basis": "per_guest",
        "description_zh": "下午茶，含点心。",
    }
    r = client.post(page, data=change, follow_redirects=False)
    assert (r.status_code, r.headers["location"]) == (303, f"{page}?done=saved")
    assert "增值包已保存。" in client.get(r.headers["location"]).text
    api = _api_pack(client, w, pack_id)
    assert (api["name_en"], api["price_fen"], api["basis"]) == ("Afternoon tea", 9650, "per_guest")
    assert api["description_zh"] == "下午茶，含点心。" and api["code"] == "a-tea"
    assert api["product_ids"] == [w.a.product_id]
    entry = _pack_audit(client, w)[0]
    assert (entry["action"], entry["entity_id"]) == ("update", str(pack_id))
    assert entry["before"] == {
        "name_en": "Tea",
        "price_fen": 8800,
        "basis": "per_stay",
        "description_zh": "",
    }
    assert entry["after"]["price_fen"] == 9650 and entry["after"]["basis"] == "per_guest"

    # The API's PATCH of the same field is audited the same way.
    patched = client.patch(
        f"/v1/admin/packs/{pack_id}", json={"price_fen": 9900}, headers=w.a.admin.headers
    )
    assert patched.status_code == 200
    api_entry = _pack_audit(client, w)[0]
    assert (api_entry["action"], api_entry["before"], api_entry["after"]) == (
        "update",
        {"price_fen": 9650},
        {"price_fen": 9900},
    )


def test_every_wrong_field_is_said_beside_it_in_both_languages_and_nothing_changes(db, client):
    w = world(db)
    log_in(client, w.a.admin.login)
    pack_id, page = _a_pack(client, w)
    before = _api_pack(client, w, pack_id)
    wrong = {
        **dict(form_fields(client.get(page).text, page)),
        "name_zh": "   ",
        "price_fen": "abc",
        "kind": "spa",
        "description_zh": "第一行\r\n第二行",  # the API's Description: no line breaks
        "description_en": "x" * 4001,
    }
    said = {
        "zh-CN": {"name_zh": "请填写", "price_fen": "元", "kind": "请从列表中选择"},
        "en": {
            "name_zh": "Please fill this in",
            "price_fen": "yuan",
            "kind": "choose from the list",
        },
    }
    for lang, words in said.items():
        r = client.post(page, data=wrong, headers={"Accept-Language": lang}, follow_redirects=False)
        assert r.status_code == 422, lang
        for field, text in words.items():
            assert text in said_beside(r.text, field), (lang, field, said_beside(r.text, field))
        assert said_beside(r.text, "description_en"), lang
        assert "U+000D" in said_beside(r.text, "description_zh"), lang
        assert said_beside(r.text, "name_en") == ""
    assert _api_pack(client, w, pack_id) == before
    assert [e["action"] for e in _pack_audit(client, w)] == ["create"]


def test_only_the_packs_operator_may_open_or_change_it(db, client):
    w = world(db)
    log_in(client, w.a.admin.login)
    pack_id, page = _a_pack(client, w)
    before = _api_pack(client, w, pack_id)
    change = {**_pack_form(w), "name_en": "Taken over", "description_zh": "", "description_en": ""}

    # Another destination's operator: 404, exactly as an unknown id, on GET and POST.
    client.cookies.clear()
    log_in(client, w.b.admin.login)
    token = csrf_of(client.get("/console/packs").text)
    assert client.get(page).status_code == 404
    assert client.get("/console/packs/999999").status_code == 404
    r = client.post(page, data={**change, "csrf_token": token}, follow_redirects=False)
    assert r.status_code == 404
    assert 'action="/console/packs/' not in client.get("/console/packs").text

    # Staff of the pack's destination read it without a form; a forged post is 403.
    client.cookies.clear()
    log_in(client, w.a.staff.login)
    shown = client.get(page)
    assert shown.status_code == 200 and f'action="{page}"' not in shown.text
    token = csrf_of(client.get("/console/password").text)
    r = client.post(page, data={**change, "csrf_token": token}, follow_redirects=False)
    assert r.status_code == 403 and re.search(r'role="alert"', r.text)

    # Without the form's CSRF token: refused before anything is read.
    client.cookies.clear()
    log_in(client, w.a.admin.login)
    assert client.post(page, data=change, follow_redirects=False).status_code == 403
    assert _api_pack(client, w, pack_id) == before


def test_the_form_reads_what_the_api_takes():
    body, unreadable = pack_changes(
        {"kind": " dining ", "name_zh": "茶", "name_en": "Tea", "price_fen": "1,234.50",
         "basis": "per_week", "description_zh": " 一、二 ", "description_en": ""}
    )  # fmt: skip
    assert unreadable == {}
    assert body == {
        "kind": "dining",
        "name_zh": "茶",
        "name_en": "Tea",
        "basis": "per_week",
        "description_zh": " 一、二 ",
        "description_en": "",
        "price_fen": 123450,
    }
