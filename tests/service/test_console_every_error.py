"""Every console form says every wrong field at once, beside it, in the page's
language: a form posted empty, or with two fields wrong (one the form cannot read, one
the API's request model refuses, or two the request model refuses), is answered in one
round, not one field a post; nothing is written (``forms.attempt``, as the season forms
do in test_console_catalogue)."""

import pytest

from tests.support.console import log_in, post_form, said_beside
from tests.support.operators import FIRST, world

FILL = {"zh-CN": "请填写此项", "en": "Please fill this in"}


def _said(r, fields) -> dict[str, str]:
    assert r.status_code == 422, r.status_code
    return {f: said_beside(r.text, f) for f in fields}


def _audit(client, w, entity: str) -> list:
    got = client.get(f"/v1/admin/audit?entity={entity}", headers=w.a.admin.headers)
    return got.json()["items"]


@pytest.fixture(params=["zh-CN", "en"])
def lang(request):
    return request.param


def _admin(db, client, lang):
    w = world(db)
    log_in(client, w.a.admin.login)
    client.cookies.set("lang", lang)
    return w


# --- products ---------------------------------------------------------------------------

PRODUCT_REQUIRED = ("name_zh", "name_en", "base_rate_fen", "extra_guest_fee_fen",
                    "base_occupancy", "max_occupancy")  # fmt: skip
PRODUCT = (*PRODUCT_REQUIRED, "filed_rate_fen", "min_nights", "max_nights", "duration_modules")


def test_a_product_form_says_every_wrong_field_at_once(db, client, lang):
    from tests.service.test_console_catalogue import _product_form

    w = _admin(db, client, lang)
    page = f"/console/products/{w.a.product_id}"
    before = client.get(f"/v1/admin/products/{w.a.product_id}", headers=w.a.admin.headers).json()
    said = _said(post_form(client, page, dict.fromkeys(PRODUCT, ""), page), PRODUCT)
    # the names (the request model's) with the rate and occupancy (the form's), not the
    # base rate first and the names on the next post; what may be empty is not said
    assert all(FILL[lang] in said[f] for f in PRODUCT_REQUIRED), said
    assert [f for f in PRODUCT if said[f]] == list(PRODUCT_REQUIRED), said
    # one field the form cannot read, one the request model refuses
    form = _product_form(name_en="", base_rate_fen="abc")
    said = _said(post_form(client, page, form, page), PRODUCT)
    assert FILL[lang] in said["name_en"], said
    assert said["base_rate_fen"] and FILL[lang] not in said["base_rate_fen"], said
    assert [f for f in PRODUCT if said[f]] == ["name_en", "base_rate_fen"], said
    # two the request model refuses (a JSON body is refused for both at once too)
    form = _product_form(name_zh="长" * 200, max_nights="9999")
    said = _said(post_form(client, page, form, page), PRODUCT)
    assert [f for f in PRODUCT if said[f]] == ["name_zh", "max_nights"], said
    after = client.get(f"/v1/admin/products/{w.a.product_id}", headers=w.a.admin.headers).json()
    assert after == before and _audit(client, w, "product") == []


NEW_PRODUCT = ("destination_id", "slug", "name_zh", "name_en", "theme", "unit_type",
               "base_occupancy", "max_occupancy", "min_nights", "base_rate_fen",
               "filed_rate_fen")  # fmt: skip


def test_a_new_product_form_says_every_wrong_field_at_once(db, client, lang):
    w = _admin(db, client, lang)
    page = "/console/products"
    said = _said(post_form(client, page, dict.fromkeys(NEW_PRODUCT, ""), page), NEW_PRODUCT)
    wrong = [f for f in NEW_PRODUCT if f not in ("min_nights", "filed_rate_fen")]
    assert all(FILL[lang] in said[f] for f in wrong), said
    assert not said["min_nights"] and not said["filed_rate_fen"], said
    form = {"destination_id": str(w.a.destination_id), "slug": "Not a slug!",
            "name_zh": "新别墅", "name_en": "New villa", "theme": "hot_spring",
            "unit_type": "villa", "base_occupancy": "2", "max_occupancy": "two",
            "base_rate_fen": "800"}  # fmt: skip
    said = _said(post_form(client, page, form, page), NEW_PRODUCT)
    assert [f for f in NEW_PRODUCT if said[f]] == ["slug", "max_occupancy"], said
    assert FILL[lang] not in said["slug"] + said["max_occupancy"], said
    listed = client.get("/v1/admin/products", headers=w.a.admin.headers).json()["items"]
    assert "Not a slug!" not in {p["slug"] for p in listed}


# --- packs ------------------------------------------------------------------------------

PACK = ("destination_id", "code", "kind", "name_zh", "name_en", "price_fen", "basis")


def test_a_pack_form_says_every_wrong_field_at_once(db, client, lang):
    from tests.service.test_console_bad_input import _pack_form

    w = _admin(db, client, lang)
    page = "/console/packs"
    said = _said(post_form(client, page, dict.fromkeys(PACK, ""), page), PACK)
    assert all(FILL[lang] in said[f] for f in PACK), said  # the price too, not "an amount"
    said = _said(post_form(client, page, _pack_form(w, code="A tea", price_fen="abc"), page), PACK)
    assert [f for f in PACK if said[f]] == ["code", "price_fen"], said
    assert FILL[lang] not in said["code"] + said["price_fen"], said
    said = _said(post_form(client, page, _pack_form(w, kind="spa", basis="per_hour"), page), PACK)
    assert [f for f in PACK if said[f]] == ["kind", "basis"], said
    assert client.get("/v1/admin/packs", headers=w.a.admin.headers).json()["items"] == []


# --- ticket stubs -----------------------------------------------------------------------

STUB = ("issuer_id", "count", "visit_date", "persons")


def test_a_stub_batch_form_says_every_wrong_field_at_once(db, client, lang):
    from catalog.models import Destination
    from tests.factories import make_issuer

    w = _admin(db, client, lang)
    with db.write_session() as s:
        issuer = str(make_issuer(s, destination=s.get(Destination, w.a.destination_id)).id)
        s.commit()
    page = "/console/stubs"
    said = _said(post_form(client, page, dict.fromkeys(STUB, ""), page), STUB)
    assert all(FILL[lang] in said[f] for f in STUB), said  # the date too, and the numbers
    form = {"issuer_id": issuer, "count": "abc", "visit_date": "2027-02-30", "persons": "2"}
    said = _said(post_form(client, page, form, page), STUB)
    assert [f for f in STUB if said[f]] == ["count", "visit_date"], said
    assert FILL[lang] not in said["count"] + said["visit_date"], said
    form = {**form, "count": "0", "visit_date": FIRST.isoformat(), "persons": "99"}
    said = _said(post_form(client, page, form, page), STUB)
    assert [f for f in STUB if said[f]] == ["count", "persons"], said
    assert _audit(client, w, "issuer") == []


# --- discount rules ---------------------------------------------------------------------

RULE = ("name_zh", "name_en", "tier_0_threshold", "tier_0_pct", "tier_1_threshold",
        "tier_1_pct", "check_in_from", "check_in_to", "booking_from", "booking_to")  # fmt: skip


def test_a_rule_version_form_says_every_wrong_field_at_once(db, client, lang):
    from tests.service.test_console_sales import _rule

    w = _admin(db, client, lang)
    rule_id = _rule(client, w)
    page = f"/console/rules/{rule_id}"
    post = f"{page}/versions"
    said = _said(post_form(client, post, dict.fromkeys(RULE, ""), page), RULE)
    # both names (the request model's); empty tier rows and dates are no terms to it
    assert [f for f in RULE if said[f]] == ["name_zh", "name_en"], said
    assert all(FILL[lang] in said[f] for f in ("name_zh", "name_en")), said
    form = {"name_zh": "", "name_en": "Long stay", "tier_0_threshold": "3",
            "tier_0_pct": "lots", "tier_1_threshold": "7", "tier_1_pct": "12"}  # fmt: skip
    said = _said(post_form(client, post, form, page), RULE)
    assert [f for f in RULE if said[f]] == ["name_zh", "tier_0_pct"], said
    assert FILL[lang] not in said["tier_0_pct"], said
    form = {**form, "name_zh": "长住", "tier_0_pct": "5", "tier_1_pct": "120",
            "check_in_from": "2027-02-30"}  # fmt: skip
    said = _said(post_form(client, post, form, page), RULE)
    assert [f for f in RULE if said[f]] == ["tier_1_pct", "check_in_from"], said
    api = client.get(f"/v1/admin/rules/{rule_id}", headers=w.a.admin.headers).json()
    assert api["current_version"] == 1


# --- destinations -----------------------------------------------------------------------

FACTS = ("description_zh", "description_en", "nearest_hospital_km", "certifications")


def test_a_destination_form_says_every_wrong_field_at_once(db, client, lang):
    w = _admin(db, client, lang)
    page = f"/console/destinations/{w.a.destination_id}"
    before = client.get(f"/v1/admin/destinations/{w.a.destination_id}", headers=w.a.admin.headers)
    # empty descriptions and no certification are facts; the distance is needed
    said = _said(post_form(client, page, dict.fromkeys(FACTS[:3], "")), FACTS)
    assert [f for f in FACTS if said[f]] == ["nearest_hospital_km"], said
    assert FILL[lang] in said["nearest_hospital_km"], said
    form = {"description_zh": "林" * 4001, "description_en": "", "nearest_hospital_km": "far"}
    said = _said(post_form(client, page, form), FACTS)
    assert [f for f in FACTS if said[f]] == ["description_zh", "nearest_hospital_km"], said
    form = {**form, "description_en": "w" * 4001, "nearest_hospital_km": "5000"}
    said = _said(post_form(client, page, form), FACTS)
    assert [f for f in FACTS if said[f]] == list(FACTS[:3]), said
    after = client.get(f"/v1/admin/destinations/{w.a.destination_id}", headers=w.a.admin.headers)
    assert after.json() == before.json() and _audit(client, w, "destination") == []


# --- the calendar's bulk edit -----------------------------------------------------------

EDIT = ("product_ids", "edit_from", "edit_to", "weekdays", "units", "min_stay_arrival")


def test_a_bulk_edit_says_every_wrong_field_at_once(db, client, lang):
    from tests.service.test_console_calendar import edit

    w = _admin(db, client, lang)
    preview = "/console/calendar/preview"
    said = _said(
        post_form(client, preview, {"edit_from": "", "edit_to": ""}, "/console/calendar"), EDIT
    )
    assert [f for f in EDIT if said[f]] == list(EDIT[:4]), said
    assert FILL[lang] in said["edit_from"] and FILL[lang] in said["edit_to"], said
    form = edit(w, units="abc", edit_from="2027-02-30")
    said = _said(post_form(client, preview, form, "/console/calendar"), EDIT)
    assert [f for f in EDIT if said[f]] == ["edit_from", "units"], said
    # two BulkEditIn refuses (the apply form too), as it refuses a JSON body
    form = edit(w, edit_to="soon", min_stay_arrival="400")
    said = _said(post_form(client, "/console/calendar/apply", form, "/console/calendar"), EDIT)
    assert [f for f in EDIT if said[f]] == ["edit_to", "min_stay_arrival"], said
    assert _audit(client, w, "calendar") == []


def test_a_name_of_spaces_alone_is_said_as_empty(db, client, lang):
    """A name typed as spaces only (an ASCII space, the full-width U+3000 of a Chinese
    input method) is a name left empty: 「请填写此项」 beside it, as the API's
    ``name_blank`` says "must not be blank", never "the format is not right", which
    sent an operator looking for a wrong character in a field that shows none."""
    from tests.service.test_console_catalogue import _product_form

    w = _admin(db, client, lang)
    page = f"/console/products/{w.a.product_id}"
    form = _product_form(name_zh=" \u3000 ", name_en="   ")
    said = _said(post_form(client, page, form, page), PRODUCT)
    assert FILL[lang] in said["name_zh"] and FILL[lang] in said["name_en"], said
    assert [f for f in PRODUCT if said[f]] == ["name_zh", "name_en"], said
