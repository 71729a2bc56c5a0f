"""Traveller pages: a product page says its room's published facts (step-free access,
lift, grab bars, twin beds, wheelchair-accessible bathroom), those it has and those not
published, exactly as ``GET /v1/products/{id}``'s ``accessibility`` gives them and in
the planner's words for them. Until December 2026 the page said none of them: a
wheelchair user who browsed to a stay (rather than planning with "the room must have")
could not tell whether its bathroom was accessible (newcomer finding)."""

import html
import re

import pytest

from catalog.vocab import ROOM_FACT_NAMES

WORDS = {"zh-CN": ("具备：", "未登记：", "、"), "en": ("It has ", "Not published: ", ", ")}


def _said(page: str) -> str:
    found = re.search(r'<dd id="room-facts">(.*?)</dd>', page, re.S)
    assert found, "the product page says its room's facts"
    return html.unescape(found[1]).strip()


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
@pytest.mark.parametrize(
    "slug",
    [
        "changbaishan-north-forest-cabin",  # none published
        "changbaishan-north-summer-apartment",  # all but the accessible bathroom
        "changbaishan-north-hot-spring-room",  # all of them
    ],
)
def test_the_product_page_says_the_room_facts_the_api_gives(demo_client, lang, slug):
    headers = {"Accept-Language": lang}
    facts = demo_client.get(f"/v1/products/{slug}", headers=headers).json()["accessibility"]
    r = demo_client.get(f"/products/{slug}", headers=headers)
    assert r.status_code == 200
    said = _said(r.text)
    has_words, missing_words, sep = WORDS[lang]
    i = 0 if lang == "zh-CN" else 1
    has = [ROOM_FACT_NAMES[c][i] for c in ROOM_FACT_NAMES if facts[c]]
    missing = [ROOM_FACT_NAMES[c][i] for c in ROOM_FACT_NAMES if not facts[c]]
    end = "。" if lang == "zh-CN" else "."
    expected = [has_words + sep.join(has) + end] if has else []
    expected += [missing_words + sep.join(missing) + end] if missing else []
    assert said == ("" if lang == "zh-CN" else " ").join(expected)
    if lang == "en":  # nothing Chinese in the English page's words, and the reverse
        assert not re.search(r"[\u4e00-\u9fff]", said)
    else:
        assert not re.search(r"[A-Za-z]", said)
