"""The quote page in a traveller's words, on both databases: no "−¥0.00" for a quote
without discounts, the room charge's discount limit said as such, a transfer's day in
the pages' one date format, the contract's terms for the pack bundle (组合优惠, 增值包)
and rooms, not units."""

import re
from datetime import timedelta

import sqlalchemy as sa

from catalog.models import Product, TransitLine
from service.clock import Clock
from tests.service.test_pages_trip import PRODUCT, _quote, pages, pages_db  # noqa: F401
from tests.support.pages import page_text


def _ids(pages_db) -> tuple[int, int]:  # noqa: F811
    with pages_db.write_session() as s:
        product = s.execute(sa.select(Product.id).where(Product.slug == PRODUCT)).scalar_one()
        line = s.execute(sa.select(TransitLine.id).where(TransitLine.code == "L1")).scalar_one()
    return product, line


def test_a_quote_with_a_transfer_and_no_discount_reads_plainly(pages, pages_db):  # noqa: F811
    product, line = _ids(pages_db)
    check_in = Clock().today() + timedelta(days=3)
    body = {
        "items": [
            {
                "product_id": product,
                "check_in": check_in.isoformat(),
                "check_out": (check_in + timedelta(days=7)).isoformat(),
                "guests": 2,
                "units": 1,
            }
        ],
        "legs": [{"line_id": line, "travel_date": check_in.isoformat(), "riders": 2}],
    }
    r = pages.post("/v1/quotes", json=body)
    assert r.status_code == 201, r.text
    quote = r.json()
    assert quote["discount_total_fen"] == 0, quote
    en = page_text(pages.get(f"/quotes/{quote['id']}", headers={"Accept-Language": "en"}).text)
    zh = page_text(pages.get(f"/quotes/{quote['id']}", headers={"Accept-Language": "zh-CN"}).text)
    assert "−¥0.00" not in en and "−¥0.00" not in zh
    assert "All discounts ¥0.00" in en and "Discounts ¥0.00" in en
    assert "Room-charge discount limit" in en and "住宿优惠上限" in zh
    assert "can be discounted by at most" not in en
    assert not re.search(r"\d{4}-\d\d-\d\d", en), re.findall(r".{40}\d{4}-\d\d-\d\d.{20}", en)
    assert not re.search(r"\d{4}-\d\d-\d\d", zh), re.findall(r".{40}\d{4}-\d\d-\d\d.{20}", zh)
    day = check_in.strftime("%a %d %b %Y")
    assert f"Travel on {day}: 2 riders at ¥56.00" in en, en
    assert f"{check_in.year}年{check_in.month}月{check_in.day}日" in zh
    assert "1 room" in en and "at least" in en and re.search(r"at least \d+ rooms? left", en)
    assert not re.search(r"\bunits?\b", en), re.findall(r".{30}\bunits?\b.{30}", en)


def test_the_pack_bundle_is_said_in_the_contracts_terms(pages):  # noqa: F811
    form = pages.get(f"/products/{PRODUCT}").text
    packs = re.findall(r'name="packs" value="([^"]+)"', form)
    assert len(packs) >= 2, packs
    quote_url = _quote(pages, packs=packs).headers["location"]
    zh = page_text(pages.get(quote_url, headers={"Accept-Language": "zh-CN"}).text)
    assert "套餐组合优惠（" not in zh and "个套餐" not in zh
    assert re.search(r"组合优惠（\d+个增值包", zh), zh
