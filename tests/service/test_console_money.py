"""The console's one money parser (``service.console.forms.fen``): commas only as
well-grouped thousands separators, full-width digits read after NFKC, anything else said
beside the field and nothing saved."""

import pytest

from service.console import forms
from tests.service.test_console_bad_input import _beside
from tests.service.test_console_catalogue import _product_form
from tests.support.console import log_in, post_form
from tests.support.operators import world


@pytest.mark.parametrize(
    ("typed", "fen"),
    [
        ("380", 38_000),
        ("380.5", 38_050),
        ("¥380.00", 38_000),
        ("1,234.50", 123_450),
        ("12,345,678", 1_234_567_800),
        ("１，２３４．５０", 123_450),
        ("￥３８０", 38_000),
        (" 0.01 ", 1),
    ],
)
def test_money_reads_digits_and_well_grouped_thousands(typed, fen):
    assert forms.fen(typed) == fen


@pytest.mark.parametrize("typed", ["380,00", "380,0", "3,80", "1,23,456", ",380", "380,", "1,2345"])
def test_a_comma_that_groups_no_thousands_is_refused(typed):
    with pytest.raises(forms.Unreadable) as refused:
        forms.fen(typed)
    assert refused.value.key == "error_money_grouping"


# (a well-formed number of many digits is read, for the field's limit to refuse it:
# test_console_too_large)
@pytest.mark.parametrize("typed", ["380.005", "abc", "3 80", "1e3", "9" * 10 + "x", "²", "٣٨٠"])
def test_other_unreadable_amounts_are_refused(typed):
    with pytest.raises(forms.Unreadable) as refused:
        forms.fen(typed)
    assert refused.value.key == "error_money"


def test_a_negative_amount_is_read_as_typed_for_the_field_to_say_its_rule():
    """A rate's rule is "at least ¥0.01", a fee's "0 or more": the request model says
    which (tests/service/test_console_form_rules.py), never the reader."""
    assert forms.fen("-380") == -38_000
    assert forms.fen("-1,234.5") == -123_450


@pytest.mark.parametrize("typed", ["380,00", "380,0", "3,80"])
def test_a_base_rate_with_a_stray_comma_is_said_beside_it_and_not_saved(db, client, typed):
    w = world(db)
    log_in(client, w.a.admin.login)
    page = f"/console/products/{w.a.product_id}"
    r = post_form(client, page, _product_form(base_rate_fen=typed, filed_rate_fen=""))
    assert r.status_code == 422 and _beside(r.text, "base_rate_fen"), typed
    assert "1,234.50" in r.text
    api = client.get(f"/v1/admin/products/{w.a.product_id}", headers=w.a.admin.headers).json()
    assert api["base_rate_fen"] == 38_000


def test_a_well_grouped_base_rate_is_saved(db, client):
    w = world(db)
    log_in(client, w.a.admin.login)
    page = f"/console/products/{w.a.product_id}"
    r = post_form(client, page, _product_form(base_rate_fen="1,234.50", filed_rate_fen=""))
    assert r.status_code == 303, r.text
    api = client.get(f"/v1/admin/products/{w.a.product_id}", headers=w.a.admin.headers).json()
    assert api["base_rate_fen"] == 123_450
