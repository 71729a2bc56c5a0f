"""The console's product form shows every refund tier (and an empty row to add one,
without JavaScript), and saving it unchanged changes nothing that is stored."""

from catalog.models import Product
from tests.support.console import form_fields, log_in
from tests.support.operators import world

FIVE_TIERS = [
    {"min_days_before_check_in": 60, "refund_bps": 10000},
    {"min_days_before_check_in": 30, "refund_bps": 9000},
    {"min_days_before_check_in": 14, "refund_bps": 7550},
    {"min_days_before_check_in": 7, "refund_bps": 5000},
    {"min_days_before_check_in": 0, "refund_bps": 0},
]


def _stored(db, product_id):
    with db.session() as s:
        return s.get(Product, product_id).model_dump()


def _save_unchanged(client, page, **change):
    fields = dict(form_fields(client.get(page).text, page))  # no repeated names here
    return client.post(page, data={**fields, **change}, follow_redirects=False)


def test_saving_a_product_unchanged_keeps_all_five_refund_tiers(db, client):
    w = world(db)
    url = f"/v1/admin/products/{w.a.product_id}"
    h = w.a.admin.headers
    r = client.patch(url, json={"refund_policy": FIVE_TIERS}, headers=h)
    assert r.status_code == 200, r.text
    before = _stored(db, w.a.product_id)
    log_in(client, w.a.admin.login)
    page = f"/console/products/{w.a.product_id}"
    html = client.get(page).text
    for i in range(5):
        assert f'name="refund_{i}_days"' in html
    assert 'name="refund_5_days" type="text" value=""' in html  # one empty row to add a tier
    assert _save_unchanged(client, page).status_code == 303
    assert _stored(db, w.a.product_id) == before
    assert client.get(url, headers=h).json()["refund_policy"] == FIVE_TIERS


def test_the_zero_day_zero_percent_tier_survives_a_save(db, client):
    w = world(db)  # the factory's policy ends with 0 days / 0%, as the demo's does
    tiers = [*FIVE_TIERS[:3], {"min_days_before_check_in": 0, "refund_bps": 0}]
    client.patch(
        f"/v1/admin/products/{w.a.product_id}",
        json={"refund_policy": tiers},
        headers=w.a.admin.headers,
    )
    before = _stored(db, w.a.product_id)
    log_in(client, w.a.admin.login)
    page = f"/console/products/{w.a.product_id}"
    assert _save_unchanged(client, page).status_code == 303
    assert _stored(db, w.a.product_id) == before


def test_a_tier_is_added_in_the_empty_row(db, client):
    w = world(db)
    client.patch(
        f"/v1/admin/products/{w.a.product_id}",
        json={"refund_policy": FIVE_TIERS},
        headers=w.a.admin.headers,
    )
    log_in(client, w.a.admin.login)
    page = f"/console/products/{w.a.product_id}"
    r = _save_unchanged(client, page, refund_5_days="3", refund_5_pct="20")
    assert r.status_code == 303, r.text
    policy = _stored(db, w.a.product_id)["refund_policy"]
    assert len(policy) == 6 and {"min_days_before_check_in": 3, "refund_bps": 2000} in policy
    assert 'name="refund_6_days" type="text" value=""' in client.get(page).text
