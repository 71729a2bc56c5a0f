"""A well-formed number too large for a console field is "too large" with the field's
limit, in both languages, on every numeric field of every console form: never "enter an
amount in yuan" (a format error) because it has many digits, nor "too large." without
the limit (the newcomer's findings: a rate of 99999999999 was a format error, 999999999
"too large: at most ¥1,000,000.00"; 999999999999999999 rooms "too large." alone).
Nothing is written."""

import pytest

from service.console import forms
from service.pages import forms as page_forms
from tests.service.test_console_every_error import _admin
from tests.service.test_console_form_rules import _beside
from tests.support.console import post_form
from tests.support.operators import FIRST

# as reported (11 digits), past the digits read exactly (``pages.forms._MOST_DIGITS``),
# grouped by thousands, full width, with decimals, and far past any column
HUGE = ("99999999999", "999999999999999999", "1,000,000,000,000,000", "９" * 14, "9" * 400)
LIMIT_WORDS = {"zh-CN": "数值太大：最多为 {}。", "en": "Too large: at most {}."}
YUAN_MOST = "¥1,000,000.00"


def _too_large(client, lang, path, page, form, limits: dict[str, str]) -> None:
    for huge in HUGE:
        fields = dict(limits)
        if "," in huge:  # a list of stay lengths separates them by commas: not one number
            fields.pop("duration_modules", None)
        r = post_form(client, path, {**form, **dict.fromkeys(fields, huge)}, page)
        assert r.status_code == 422, (huge, r.status_code)
        said = {f: _beside(r.text, f) for f in fields}
        want = {f: LIMIT_WORDS[lang].format(limit) for f, limit in fields.items()}
        assert said == want, huge


def test_readers_read_a_number_of_any_length_as_a_number():
    past = page_forms.PAST_EVERY_LIMIT
    assert forms.fen("99999999999") == 9_999_999_999_900
    assert forms.fen("9" * 400) == past * 100 and forms.fen("-" + "9" * 40) == -past * 100
    assert forms.hundredths("1" + "0" * 30) == past * 100
    assert forms.fen("1,000,000,000,000,000.50") == past * 100 + 50
    assert forms.whole("1,000,000") == 1_000_000 and forms.whole("-１００,０００") == -100_000
    assert forms.whole("999999999999999999") == past == forms.whole("0" * 50 + "9" * 13)
    assert forms.whole("999999999999") == 999_999_999_999  # within the digits read exactly
    for garbled in ("9" * 20 + "x", "99,99999999999", "9" * 20 + ".123"):
        with pytest.raises(forms.Unreadable):
            forms.fen(garbled)
    # a ticked box is a choice, not a number typed: none is past an id
    assert forms.whole_list(["7", "2147483647"]) == [7, 2**31 - 1]
    for boxes in (["1", "2147483648"], ["9" * 20]):
        with pytest.raises(forms.Unreadable, match="error_choose_listed"):
            forms.whole_list(boxes)
    for garbled in ("9" * 20 + ".5", "1,00", "12,3456"):
        with pytest.raises(forms.Unreadable):
            forms.whole(garbled)


LANGS = pytest.mark.parametrize("lang", ["zh-CN", "en"])


@LANGS
def test_the_calendar_says_too_large_with_the_limit(db, client, lang):
    from tests.service.test_console_calendar import edit

    w = _admin(db, client, lang)
    limits = {"rate": YUAN_MOST, "units": "100,000", "min_stay_arrival": "365",
              "min_stay_through": "365", "max_stay": "365"}  # fmt: skip
    _too_large(client, lang, "/console/calendar/preview", "/console/calendar", edit(w), limits)
    _too_large(client, lang, "/console/calendar/apply", "/console/calendar", edit(w), limits)
    assert client.get("/v1/admin/audit", headers=w.a.admin.headers).json()["items"] == []


@LANGS
def test_a_product_says_too_large_with_the_limit(db, client, lang):
    from tests.service.test_console_catalogue import _product_form

    w = _admin(db, client, lang)
    page = f"/console/products/{w.a.product_id}"
    before = client.get(f"/v1/admin/products/{w.a.product_id}", headers=w.a.admin.headers).json()
    limits = {"base_rate_fen": YUAN_MOST, "filed_rate_fen": YUAN_MOST,
              "extra_guest_fee_fen": YUAN_MOST, "base_occupancy": "20", "max_occupancy": "20",
              "min_nights": "400", "max_nights": "400", "duration_modules": "400",
              "refund_0_days": "365", "refund_0_pct": "100%"}  # fmt: skip
    _too_large(client, lang, page, page, _product_form(), limits)
    after = client.get(f"/v1/admin/products/{w.a.product_id}", headers=w.a.admin.headers).json()
    assert after == before


@LANGS
def test_a_pack_a_rule_a_stub_batch_and_a_destination_say_too_large_with_the_limit(
    db, client, lang
):
    from catalog.models import Destination
    from tests.factories import make_issuer
    from tests.service.test_console_bad_input import _pack_form
    from tests.service.test_console_sales import _rule

    w = _admin(db, client, lang)
    _too_large(client, lang, "/console/packs", "/console/packs", _pack_form(w),
               {"price_fen": YUAN_MOST})  # fmt: skip
    rule = f"/console/rules/{_rule(client, w)}"
    form = {"name_zh": "长住", "name_en": "Long stay"}
    _too_large(client, lang, f"{rule}/versions", rule, form,
               {"tier_0_threshold": "3,650", "tier_0_pct": "100%"})  # fmt: skip
    page = f"/console/destinations/{w.a.destination_id}"
    _too_large(client, lang, page, page, {"description_zh": "", "description_en": ""},
               {"nearest_hospital_km": "1,000"})  # fmt: skip
    with db.write_session() as s:
        issuer = str(make_issuer(s, destination=s.get(Destination, w.a.destination_id)).id)
        s.commit()
    # the stub form's fields take 12 characters: the most a number there has
    form = {"issuer_id": issuer, "visit_date": FIRST.isoformat()}
    r = post_form(client, "/console/stubs", {**form, "count": "9" * 12, "persons": "9" * 12})
    assert r.status_code == 422
    assert _beside(r.text, "count") == LIMIT_WORDS[lang].format("1,000")
    assert _beside(r.text, "persons") == LIMIT_WORDS[lang].format("50")
    audit = client.get("/v1/admin/audit", headers=w.a.admin.headers).json()["items"]
    assert [e["entity"] for e in audit] == ["rule"]  # made by the test, nothing since
