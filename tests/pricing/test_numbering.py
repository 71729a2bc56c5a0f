"""People count from 1: the engine's texts name ``items[0]`` "stay 1" / "第 1 段住宿" and
``seasons[0]`` "season 1" / "第 1 个季节", in both languages, while the field keeps the
index (``pricing.labels.nth``, the one numbering)."""

from datetime import date

import pytest

from pricing import PricingError, Season, validate_seasons
from pricing.labels import leg_said, season_said, stay_said

from .factories import SPA, item, quote, request


def test_the_first_of_each_part_is_number_one_in_both_languages():
    assert stay_said(0) == ("第 1 段住宿", "stay 1")
    assert leg_said(1) == ("第 2 段行程", "leg 2")
    assert season_said(2) == ("第 3 个季节", "season 3")


def test_overlapping_stays_name_both_stays_from_one():
    # items[0] the cabin 05-01..05-08, items[1] the spa (another destination) from 05-07.
    with pytest.raises(PricingError) as caught:
        quote(request(item(), item(date(2027, 5, 7), product_id=SPA.id)))
    err = caught.value
    assert err.field == "items[1]"
    assert err.detail.startswith("Stay 2 (2027-05-07 to ") and "with stay 1 (2027-05-01" in (
        err.detail
    )
    assert err.detail_zh.startswith("第 2 段住宿（2027-05-07 至 ")
    assert "另一目的地的第 1 段住宿（2027-05-01" in err.detail_zh


@pytest.mark.parametrize(
    "season, en, zh",
    [
        (Season(date(2027, 7, 1), date(2027, 7, 1), 48_000), "Season 1 starts", "第 1 个季节从"),
        (Season(date(2027, 7, 1), date(2027, 8, 1), -1), "Season 1 has a", "第 1 个季节的"),
    ],
)
def test_a_bad_season_is_named_from_one(season, en, zh):
    with pytest.raises(PricingError) as caught:
        validate_seasons((season,))
    assert caught.value.detail.startswith(en) and caught.value.detail_zh.startswith(zh)
