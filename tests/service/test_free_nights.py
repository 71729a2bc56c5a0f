"""A night is never free (docs/pricing.md, choices 16 and 19): an operator cannot set an
accommodation discount or a product's discount cap of 100%; the engine prices what is
stored exactly as the contract says (a full discount under a full cap comes to 0 fen);
and a quote that comes to 0 fen is refused by the booking, with Stripe or without,
never a 500."""

import sqlalchemy as sa

from catalog.models import DiscountRuleVersion, Product
from tests.factories import make_rule
from tests.service.booking_support import item, quote_http
from tests.service.test_operators_contradictions import field_error
from tests.support.operators import FIRST, rule_body, world
from tests.support.payments import (
    fake_stripe,
    make_stay,
    pay_client,
    post_booking_of,
    stripe_settings,
)
from tests.support.quotes import quote_lines

FIXTURES = (fake_stripe, pay_client, stripe_settings)  # used by name below


def test_a_discount_cap_of_100_percent_is_refused_naming_the_field(db, client):
    w = world(db)
    h = w.a.admin.headers
    url = f"/v1/admin/products/{w.a.product_id}"
    r = client.patch(url, json={"max_discount_bps": 10000}, headers=h)
    assert r.status_code == 422, r.text
    assert field_error(r) == ("validation_error", "max_discount_bps", "discount_gives_nights_away")
    en = client.patch(url, json={"max_discount_bps": 10000}, headers={**h, "Accept-Language": "en"})
    assert "never free" in en.json()["detail"]
    assert "免费" in r.json()["detail"]
    assert client.get(url, headers=h).json()["max_discount_bps"] == 3000
    ok = client.patch(url, json={"max_discount_bps": 9999}, headers=h)
    assert ok.status_code == 200 and ok.json()["max_discount_bps"] == 9999


def test_a_stay_discount_of_100_percent_is_refused_naming_the_tier(db, client):
    w = world(db)
    h = w.a.admin.headers
    tiers = [{"threshold": 3, "bps": 500}, {"threshold": 7, "bps": 10000}]
    r = client.post("/v1/admin/rules", json=rule_body(w, tiers=tiers), headers=h)
    assert r.status_code == 422, r.text
    assert (r.json()["code"], r.json()["field"]) == ("invalid_rule", "tiers[1].bps")
    trip = rule_body(w, kind="trip_bundle", tiers=[], bps=10000, min_destinations=2)
    r = client.post("/v1/admin/rules", json=trip, headers=h)
    assert (r.json()["code"], r.json()["field"]) == ("invalid_rule", "bps")
    with db.session() as s:
        assert s.exec(sa.select(sa.func.count()).select_from(DiscountRuleVersion)).one()[0] == 0


def _quote_of_full_discounts(db, client) -> dict:
    """A quote of 0 fen: a full cap and a full stay discount, stored as legacy data."""
    w = world(db)
    with db.write_session() as s:
        s.get(Product, w.a.product_id).max_discount_bps = 10000
        make_rule(s, "long_stay", tiers=[{"threshold": 7, "bps": 10000}])
        s.commit()
    return quote_http(client, item(w.a.product_id, check_in=FIRST, nights=7, units=2))


def test_stored_full_discounts_price_as_the_contract_says_and_cannot_be_booked(db, client):
    """Stored before the admin side refused them: the contract's cap is the whole
    accommodation, so the quote is 0 fen (the pure engine follows the contract to the
    fen), and the booking refuses it."""
    q = _quote_of_full_discounts(db, client)
    (discount,) = [line for line in quote_lines(q) if line["kind"] == "discount"]
    assert q["total_fen"] == 0 and discount["capped"] is False
    r = client.post(
        "/v1/bookings",
        json={"quote_id": q["id"], "lead_traveller": {"name": "王芳", "phone": "13912345678"}},
        headers={"Idempotency-Key": "free-nights-stored"},
    )
    assert r.status_code == 422, r.text
    assert r.json()["code"] == "quote_total_not_positive"


def _free_product(db, stay):
    """The rate of 0 a product could have before rates were checked (kept as stored)."""
    with db.write_session() as s:
        p = s.get(Product, stay.product_id)
        p.base_rate_fen, p.extra_guest_fee_fen = 0, 0
        s.commit()


def test_booking_a_quote_of_0_fen_with_stripe_is_a_422_not_a_500(db, pay_client):
    stay = make_stay(db)
    _free_product(db, stay)
    r = post_booking_of(pay_client, stay)
    assert r.status_code == 422, r.text
    assert (r.json()["code"], r.json()["field"]) == ("quote_total_not_positive", "quote_id")


def test_booking_a_quote_of_0_fen_without_stripe_books_nothing(db, client):
    stay = make_stay(db)
    _free_product(db, stay)
    r = post_booking_of(client, stay)
    assert r.status_code == 422, r.text
    assert r.json()["code"] == "quote_total_not_positive"
    with db.session() as s:
        assert s.exec(sa.text("SELECT count(*) FROM booking")).one()[0] == 0


def test_the_quote_and_book_pages_say_a_quote_of_0_fen_cannot_be_booked(db, client):
    """The booking service's rule (total_can_be_booked), said on the pages instead of
    a Book button and a form the POST would refuse."""
    q = _quote_of_full_discounts(db, client)
    assert q["total_fen"] == 0
    for lang, words in (("zh-CN", "无法预订"), ("en", "Cannot be booked")):
        h = {"Accept-Language": lang}
        page = client.get(f"/quotes/{q['id']}", headers=h)
        assert page.status_code == 200, page.text
        assert 'id="quote-free"' in page.text and words in page.text
        assert f"/quotes/{q['id']}/book" not in page.text
        book = client.get(f"/quotes/{q['id']}/book", headers=h)
        assert book.status_code == 200, book.text
        assert 'id="quote-free"' in book.text and "<form" not in book.text.split("<main")[-1]
