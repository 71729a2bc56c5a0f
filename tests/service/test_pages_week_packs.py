"""The product page says a per-week pack is charged per started week (the pricing
contract's ceil(nights / 7), docs/pricing.md "Lines" 2), with an example counted by the
engine, in both languages; other bases say nothing of weeks. Both databases."""

import pytest

from pricing import pack_multiplier
from pricing.money import format_yuan
from tests.service.test_pages_trip import PRODUCT, pages, pages_db  # noqa: F401
from tests.support.pages import page_text

SAID = {
    "zh-CN": "{price} 每周，不足一周按一周计（住 15 晚按 3 周计）。",
    "en": "{price} per week, charged per started week (15 nights = 3 weeks). ",
}


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_a_per_week_pack_is_said_to_be_charged_per_started_week(pages, lang):  # noqa: F811
    assert pack_multiplier("per_week", 1, 15) == 3  # the example is the engine's count
    product = pages.get(f"/v1/products/{PRODUCT}").json()
    weekly = [pk for pk in product["packs"] if pk["basis"] == "per_week"]
    others = [pk for pk in product["packs"] if pk["basis"] != "per_week"]
    assert weekly and others, product["packs"]
    text = page_text(pages.get(f"/products/{PRODUCT}", headers={"Accept-Language": lang}).text)
    for pk in weekly:
        assert SAID[lang].format(price=format_yuan(pk["price_fen"])) in text + " ", text
    started = "不足一周按一周计" if lang == "zh-CN" else "per started week"
    assert text.count(started) == len(weekly)
