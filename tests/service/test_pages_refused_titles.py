"""Every traveller form refused keeps the page's name in its ``<title>``, after the
error prefix, in both languages ("Error: Who is travelling · Jilin Sojourn", never
"Error: Jilin Sojourn"): a screen reader says the title first. TestClient on both
databases, the demo catalogue."""

import html as htmllib
import re

import pytest

from tests.service.test_pages_trip import PRODUCT, _book, _quote, csrf, pages, pages_db  # noqa: F401

SITE = {"zh-CN": "吉林旅居康养", "en": "Jilin Sojourn"}
PREFIX = {"zh-CN": "错误：", "en": "Error: "}
NAMES = {
    "book": {"zh-CN": "填写入住人信息", "en": "Who is travelling"},
    "manage": {"zh-CN": "我的预订", "en": "My booking"},
    "survey": {"zh-CN": "住宿评价", "en": "Rate your stay"},
    "plan": {"zh-CN": "规划几周的行程", "en": "Plan a trip of several weeks"},
    "product": {"zh-CN": "长白山北坡森林疗愈木屋·周模块康养", "en": None},
}


def _title(page: str) -> str:
    return htmllib.unescape(re.search(r"<title>(.*?)</title>", page, re.S).group(1))


def _refused(pages, lang: str, form: str):  # noqa: F811
    """The form ``form`` sent so that it is refused, in ``lang``."""
    if form == "product":
        return _quote(pages, lang, check_in="", nights="", guests="", units="")
    if form == "plan":
        return pages.get("/plan?start=no-date&end=&nights=&guests=2&units=1")
    if form == "manage":
        page = pages.get("/manage").text
        return pages.post("/manage", data={"csrf_token": csrf(page)})
    quote_url = _quote(pages, lang).headers["location"]
    if form == "book":
        page = pages.get(quote_url + "/book").text
        return pages.post(quote_url + "/book", data={"csrf_token": csrf(page)})
    assert _book(pages, quote_url)[0].status_code == 303  # the booking in the cookie
    page = pages.get("/manage").text  # a form's CSRF token (no stay has ended yet)
    return pages.post("/manage/survey", data={"csrf_token": csrf(page), "item_index": "x"})


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
@pytest.mark.parametrize("form", ["product", "plan", "manage", "book", "survey"])
def test_a_refused_form_keeps_the_page_name_in_its_title(pages, lang, form):  # noqa: F811
    pages.cookies.set("lang", lang)
    r = _refused(pages, lang, form)
    assert r.status_code == 422, r.text[:300]
    title = _title(r.text)
    name = NAMES[form][lang] or re.search(r"<h1>(.*?)</h1>", r.text).group(1)
    assert title == f"{PREFIX[lang]}{name} · {SITE[lang]}", title
