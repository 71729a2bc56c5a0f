"""The quote and book pages say each stay's refund terms in words, before anything is
booked (newcomer finding: a traveller learnt them only when cancelling, and a planner
user never sees a product page): the product page's words by the same macro
(``_refund.html``), of the tiers the quote kept, in both languages, on both databases."""

import re

import pytest
from sqlmodel import select

from service.pages.messages import text_for
from service.pages.refund_text import policy_words
from service.quotes.models import Quote
from tests.service.test_pages_content import _trip_quote
from tests.service.test_pages_trip import PRODUCT, _quote, pages, pages_db  # noqa: F401
from tests.support.pages import page_text

WORDS = {
    "zh-CN": ("如果取消这处住宿", "如果取消：", r"入住前 \d+ 天或更早取消：退还 \d+%"),
    "en": (
        "If you cancel this stay",
        "If you cancel: ",
        r"\d+ days? or more before check-in: \d+% back",
    ),
}


def _policy_list(html: str) -> str:
    """The refund policy's list, as the macro writes it (one on these pages)."""
    [found] = re.findall(r'<ul class="refund-policy">.*?</ul>', html, re.S)
    return found


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_the_quote_and_book_pages_say_the_stays_refund_terms_in_the_product_pages_words(
    pages,  # noqa: F811
    lang,
):
    headers = {"Accept-Language": lang}
    product_page = pages.get(f"/products/{PRODUCT}", headers=headers).text
    quote_url = _quote(pages, lang).headers["location"]
    quote_id = quote_url.rsplit("/", 1)[1]
    body = pages.get(f"/v1/quotes/{quote_id}", headers=headers).json()
    [stay] = body["items"]
    product = pages.get(f"/v1/products/{stay['product_id']}").json()
    assert stay["refund_policy"] == product["refund_policy"]
    quote_page = pages.get(quote_url, headers=headers).text
    book_page = pages.get(f"{quote_url}/book", headers=headers).text
    words = _policy_list(product_page)
    assert "<li>" in words
    title, book_title, first_band = WORDS[lang]
    for html, heading in ((quote_page, title), (book_page, book_title + stay["product_name"])):
        assert _policy_list(html) == words  # the product page's words, the same markup
        text = page_text(html)
        assert heading in text and re.search(first_band, text), text
        net = f"{stay['net_fen'] // 100:,}.{stay['net_fen'] % 100:02d}"
        assert f"¥{net}" in page_text(re.search(r'id="item-0-refund".*?</ul>', html, re.S)[0])
    # Said before the form: the terms come before the traveller books.
    assert book_page.index('class="refund-policy"') < book_page.index('action="/quotes/')


def _keep_in_quote(pages_db, quote_id: str, policy) -> None:  # noqa: F811
    with pages_db.write_session() as s:
        row = s.exec(select(Quote).where(Quote.id == quote_id)).one()
        items = [dict(i) for i in row.priced["items"]]
        for i in items:
            if policy is None:
                i.pop("refund_policy", None)
            else:
                i["refund_policy"] = policy
        row.priced = {**row.priced, "items": items}
        s.add(row)
        s.commit()


def test_the_pages_say_the_terms_the_quote_kept_not_the_products_now(pages, pages_db):  # noqa: F811
    """A stay the quote kept as not refunded says so though the product refunds today;
    a quote made before quotes kept the terms says none rather than guess. (Each quote
    is made in one language, whose page is kept as it is made, and read in the other.)"""
    quote_url = _quote(pages, "en").headers["location"]
    _keep_in_quote(pages_db, quote_url.rsplit("/", 1)[1], [])
    for url in (quote_url, f"{quote_url}/book"):
        text = page_text(pages.get(url, headers={"Accept-Language": "zh-CN"}).text)
        assert "此产品预订后不可退款。" in text
        assert "退还 " not in text
    old_url = _quote(pages, "zh-CN").headers["location"]
    _keep_in_quote(pages_db, old_url.rsplit("/", 1)[1], None)
    for url in (old_url, f"{old_url}/book"):
        html = pages.get(url, headers={"Accept-Language": "en"}).text
        assert 'class="refund-policy"' not in html and "If you cancel" not in html


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_the_quote_and_book_pages_say_a_transfers_refund_rule(pages, lang):  # noqa: F811
    """Newcomer finding: a transfer's refund rule (its net in full until the day before
    travel, then nothing: pricing.refunds) was said nowhere before booking; the API's
    cancellation preview applied it. Both pages say it under the transfer, with its net."""
    quote = _trip_quote(pages)
    [leg] = quote["legs"]
    net = f"¥{leg['net_fen'] // 100:,}.{leg['net_fen'] % 100:02d}"
    rule = {
        "zh-CN": f"出行前 1 天或更早取消：全额退还这段交通的应付金额 {net}。"
        "出行前不到 1 天取消：不退。",
        "en": f"Cancel 1 day or more before the day of travel: this transfer's {net} comes "
        "back in full. Later than that: nothing back.",
    }[lang]
    title = {"zh-CN": "如果取消这段交通", "en": "If you cancel this transfer"}[lang]
    name = leg["line_name_zh" if lang == "zh-CN" else "line_name_en"]
    book_title = {"zh-CN": "如果取消：", "en": "If you cancel: "}[lang] + name
    headers = {"Accept-Language": lang}
    for url, heading in (
        (f"/quotes/{quote['id']}", title),
        (f"/quotes/{quote['id']}/book", book_title),
    ):
        html = pages.get(url, headers=headers).text
        said = page_text(re.search(r'id="leg-0-refund".*?</p>', html, re.S)[0])
        assert heading in said and rule in said, said


@pytest.mark.parametrize(
    ("tiers", "zh", "en"),
    [
        (
            [(7, 10000), (3, 8000), (1, 5000), (0, 0)],
            [
                "入住前 7 天或更早取消：退还 100%",
                "入住前 3–6 天取消：退还 80%",
                "入住前 1–2 天取消：退还 50%",
                "入住当天取消：退还 0%",
            ],
            [
                "7 days or more before check-in: 100% back",
                "3 to 6 days before check-in: 80% back",
                "1 to 2 days before check-in: 50% back",
                "On the day of check-in: 0% back",
            ],
        ),
        (
            [(7, 10000), (1, 9000), (0, 5000)],
            [
                "入住前 7 天或更早取消：退还 100%",
                "入住前 1–6 天取消：退还 90%",
                "入住当天取消：退还 50%",
            ],
            [
                "7 days or more before check-in: 100% back",
                "1 to 6 days before check-in: 90% back",
                "On the day of check-in: 50% back",
            ],
        ),
        (
            [(3, 10000), (2, 5000), (0, 2000)],
            [
                "入住前 3 天或更早取消：退还 100%",
                "入住前 2 天取消：退还 50%",
                "入住前 1 天至入住当天取消：退还 20%",
            ],
            [
                "3 days or more before check-in: 100% back",
                "2 days before check-in: 50% back",
                "From 1 day before check-in to the day itself: 20% back",
            ],
        ),
        (
            [(2, 10000)],
            ["入住前 2 天或更早取消：退还 100%", "入住前不足 2 天取消：不退款"],
            [
                "2 days or more before check-in: 100% back",
                "Fewer than 2 days before check-in: nothing back",
            ],
        ),
        (
            [(1, 10000)],
            ["入住前 1 天或更早取消：退还 100%", "入住当天取消：不退款"],
            ["1 day or more before check-in: 100% back", "On the day of check-in: nothing back"],
        ),
        (
            [(0, 10000)],
            ["入住当天或更早取消：退还 100%"],
            ["Any time up to the day of check-in: 100% back"],
        ),
    ],
)
def test_a_refund_policy_says_the_day_of_check_in_and_a_one_day_band_in_words(tiers, zh, en):
    """Never 「入住前 0–0 天取消」 / "0 to 0 days before check-in" (a stay of the demo
    catalogue whose last tier is 0 days said so on the quote and book pages until
    December 2026), nor "1 to 1 day": the day of check-in is said as the cancellation's
    own line says it."""
    given = [{"min_days_before_check_in": d, "refund_bps": b} for d, b in tiers]
    assert policy_words(given, text_for("zh-CN")) == zh
    assert policy_words(given, text_for("en")) == en
