"""The traveller pages through TestClient on both databases with the demo catalogue:
every page renders in both languages, errors are said beside their field, and the trip
pages agree with the JSON API (the same services underneath)."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from freezegun import freeze_time
from icalendar import Calendar

from service.app import create_app
from service.clock import Clock
from service.pages.formats import yuan
from service.worker import run_once
from tests.service.booking_support import without_anonymous_caps
from tests.support.payments import fake_stripe, stripe_settings_for  # noqa: F401
from tests.support.quotes import quote_lines

PRODUCT = "changbaishan-north-forest-cabin"
PAGES = [
    "/",
    "/destinations",
    "/destinations?theme=hot_spring",
    "/destinations/changbaishan-north",
    f"/products/{PRODUCT}",
    "/manage",
]


def csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def open_with_form(client, reference: str, token: str):
    """Type ``reference`` and ``token`` into the manage form (as a traveller on another
    device): the POST's answer, a 303 to /manage with the booking cookie set."""
    form = client.get("/manage").text
    return client.post(
        "/manage",
        data={"csrf_token": csrf(form), "reference": reference, "token": token},
        follow_redirects=False,
    )


def field_error(html: str, name: str) -> str | None:
    found = re.search(rf'<p class="field-error" id="{name}-error">(.*?)</p>', html, re.S)
    return re.sub(r"<[^>]+>|⚠", "", found.group(1)).strip() if found else None


@pytest.fixture
def pages_db(request, backend):
    """The demo catalogue in a database of these tests' own (they book and cancel, which
    the read-only demo database of other tests must not see)."""
    from catalog.demo.loader import load_demo
    from tests.conftest import _database

    database = _database(request, backend, "pages")
    cache = request.getfixturevalue("database_urls")
    if ("pages-loaded", backend) not in cache:
        with database.write_session() as s:
            load_demo(s)
            s.commit()
        cache[("pages-loaded", backend)] = True
    return database


def _cancel_live_bookings(database) -> None:
    """Cancel, as the operator would (the service's own cancel), the bookings earlier
    tests left confirmed in the kept database: each test books the same product on the
    same nights, which its 12 units could not hold for every test of the suite."""
    from service.bookings.cancellation import BY_OPERATOR, cancel_booking
    from service.bookings.models import Booking
    from service.clock import Clock
    from service.errors import DomainError

    now = Clock().now()
    with database.write_session() as s:
        ids = s.execute(sa.text("SELECT id FROM booking WHERE status = 'confirmed'")).scalars()
        for booking_id in list(ids):
            try:
                cancel_booking(s, s.get(Booking, booking_id), by=BY_OPERATOR, now=now)
            except DomainError:  # a stay started: its nights stay taken
                continue
        s.commit()


@pytest.fixture
def pages(pages_db):
    """The pages as travellers see them, all from TestClient's one address, in a database
    kept across tests (their bookings cancelled first, ``_cancel_live_bookings``): without
    a key and paying at the property, so the anonymous caps are put out of reach (their
    own tests: test_bookings_anonymous_holds.py)."""
    _cancel_live_bookings(pages_db)
    settings = without_anonymous_caps(pages_db.settings)
    with TestClient(create_app(settings, database=pages_db), raise_server_exceptions=False) as c:
        yield c


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
@pytest.mark.parametrize("path", PAGES)
def test_every_page_renders_in_each_language(pages, path, lang):
    r = pages.get(path, headers={"Accept-Language": lang})
    assert r.status_code == 200, r.text[:500]
    assert f'<html lang="{lang}">' in r.text
    assert r.headers["content-type"].startswith("text/html")


@pytest.mark.parametrize("path", ["/destinations/nowhere", "/products/nothing", "/quotes/q_00"])
def test_unknown_records_are_a_404_page(pages, path):
    r = pages.get(path, headers={"Accept-Language": "en"})
    assert r.status_code == 404
    assert "We could not find that page or record." in r.text


def test_the_theme_filter_lists_what_the_api_lists(pages):
    html = pages.get("/destinations?theme=folk_culture").text
    shown = re.findall(r'<a href="/destinations/([\w-]+)">', html)
    api = pages.get("/v1/destinations?theme=folk_culture&limit=100")
    assert shown == [d["slug"] for d in api.json()["items"]]
    assert html.count("<circle") == len(shown) > 0


def test_need_filters_list_what_the_api_lists(pages):
    html = pages.get("/destinations?hospital_km=10&settlement=yes&elder=yes").text
    shown = re.findall(r'<a href="/destinations/([\w-]+)">', html)
    api = pages.get(
        "/v1/destinations?hospital_within_km=10&cross_province_settlement=true"
        "&elder_friendly_rooms=true&limit=100"
    )
    assert shown == [d["slug"] for d in api.json()["items"]]
    assert html.count("<circle") == len(shown) > 0


def test_the_price_calendar_shows_the_apis_totals(pages):
    html = pages.get(f"/products/{PRODUCT}?nights=7&guests=1").text
    rows = re.findall(r"<tr><td>.*?</td><td class=\"num\">(.*?)</td></tr>", html)
    assert len(rows) == 28
    first = re.search(r'id="check_in" name="check_in" value="([^"]+)"', html)
    assert first
    from service.clock import Clock

    start = Clock().today()  # the server's Asia/Shanghai today: the first check-in a quote takes
    api = pages.get(
        f"/v1/products/{PRODUCT}/price-calendar",
        params={
            "from": start.isoformat(),
            "to": (start + timedelta(days=28)).isoformat(),
            "nights": 7,
            "guests": 1,
        },
    ).json()
    for row, day in zip(rows, api["days"], strict=True):
        if day["bookable"] and day["total_fen"] is not None:
            fen = day["total_fen"]
            assert f"¥{fen // 100:,}.{fen % 100:02d}" in row
        else:
            assert "¥" not in row


def _calendar_days(html: str) -> list[str]:
    # a bookable date is a link to the quote form filled with it
    return re.findall(r"<tr><td>(?:<a [^>]+>)?([^<]+)(?:</a>)?</td><td class=\"num\">", html)


def test_the_price_calendar_and_the_quote_form_start_on_the_same_first_day(pages):
    from service.clock import Clock
    from service.pages.formats import long_date

    today = Clock().today()
    html = pages.get(f"/products/{PRODUCT}", headers={"Accept-Language": "en"}).text
    assert f'min="{today.isoformat()}"' in html
    assert _calendar_days(html)[0] == long_date(today, "en")


def test_the_price_calendar_moves_four_weeks_at_a_time_by_plain_links(pages):
    from service.clock import Clock
    from service.pages.formats import long_date

    today = Clock().today()
    en = {"Accept-Language": "en"}
    html = pages.get(f"/products/{PRODUCT}?nights=7&guests=1", headers=en).text
    links = re.findall(r'<a class="button secondary" href="([^"]+)">([^<]+)</a>', html)
    assert [words for _, words in links] == ["Four weeks later →"]
    later = pages.get(links[0][0].replace("&amp;", "&"), headers=en).text
    days = _calendar_days(later)
    assert len(days) == 28 and days[0] == long_date(today + timedelta(days=28), "en")
    assert '<option value="7" selected>' in later  # the length and party are kept
    back = re.findall(r'<a class="button secondary" href="([^"]+)">([^<]+)</a>', later)
    assert [words for _, words in back] == ["← Four weeks earlier", "Four weeks later →"]
    assert "from=" + today.isoformat() in back[0][0]


def test_a_calendar_start_in_the_past_beyond_the_sale_or_not_a_date_is_said(pages):
    from service.clock import Clock
    from service.pages.formats import long_date

    today = Clock().today()
    for lang, beyond, invalid in (
        ("en", "nights are published for check-in up to", "The start date should look like"),
        ("zh-CN", "晚的价格只公布到", "起始日期应写成"),
    ):
        h = {"Accept-Language": lang}
        past = pages.get(f"/products/{PRODUCT}?from=2020-01-01", headers=h).text
        assert _calendar_days(past)[0] == long_date(today, lang)
        assert beyond not in past and invalid not in past
        far = pages.get(f"/products/{PRODUCT}?from=2099-01-01", headers=h).text
        assert beyond in far and len(_calendar_days(far)) == 28
        assert "Four weeks later" not in far and "后四周" not in far
        bad = pages.get(f"/products/{PRODUCT}?from=2027/2-3", headers=h).text
        assert invalid in bad and _calendar_days(bad)[0] == long_date(today, lang)
        no_such = pages.get(f"/products/{PRODUCT}?from=2027-02-30", headers=h).text
        assert invalid not in no_such and _calendar_days(no_such)[0] == long_date(today, lang)
        assert ("that month has no such day" if lang == "en" else "该月没有这一天") in no_such


def test_a_product_whose_last_date_on_sale_has_passed_says_nothing_is_on_sale(pages):
    from service.clock import Clock

    later = Clock().today() + timedelta(days=3 * 365)  # past every night published
    with freeze_time(later.isoformat() + " 04:00:00"):
        for lang, none in (("en", "Nothing is on sale now"), ("zh-CN", "现在没有可售的日期")):
            h = {"Accept-Language": lang}
            for path in (f"/products/{PRODUCT}", f"/products/{PRODUCT}?from=2099-01-01"):
                html = pages.get(path, headers=h).text
                assert none in html and 'id="nothing-on-sale"' in html, path
                assert "last four weeks" not in html and "最后可售的四周" not in html


def test_a_filter_value_not_offered_is_said_beside_its_field(pages):
    html = pages.get("/destinations?theme=beach", headers={"Accept-Language": "en"}).text
    assert field_error(html, "theme") == "Error: Please choose from the list."
    assert 'id="error-summary"' in html and 'href="#theme"' in html  # and summed up on top


@pytest.mark.parametrize("query", ["settlement=maybe", "elder=no&cert=nope", "insurance=1"])
def test_a_need_neither_ticked_nor_empty_is_said_beside_it(pages, query):
    """A need's box sends ``yes`` or nothing; another value (a link typed by hand) is
    refused beside it (422, the summary on top), never read as "not needed" (newcomer
    finding, 2026-12-07: ``settlement=maybe`` listed every destination)."""
    r = pages.get(f"/destinations?{query}", headers={"Accept-Language": "en"})
    assert r.status_code == 422
    need = query.split("=")[0]
    # The plan page's words for a box given another value (one sentence on both pages).
    assert field_error(r.text, need) == "Error: Please tick this box or leave it empty."
    assert f'aria-describedby="{need}-error"' in r.text
    assert 'id="error-summary"' in r.text and f'href="#{need}"' in r.text


def _quote(pages, lang="zh-CN", **form):
    page = pages.get(f"/products/{PRODUCT}", headers={"Accept-Language": lang}).text
    check_in = (Clock().today() + timedelta(days=60)).isoformat()
    data = {
        "csrf_token": csrf(page),
        "check_in": check_in,
        "nights": "14",
        "guests": "2",
        "units": "1",
        **form,
    }
    return pages.post(
        f"/products/{PRODUCT}/quote",
        data=data,
        headers={"Accept-Language": lang},
        follow_redirects=False,
    )


@pytest.mark.parametrize(
    "lang, message",
    [
        ("zh-CN", "错误：这里每间最多住 3 人，1 间最多住 3 人；请减少人数或增加房间。"),
        ("en", "Error: At most 3 guests per room here, so 3 for 1 room; reduce the guests or "
               "add a room."),
    ],
)  # fmt: skip
def test_a_service_problem_is_said_beside_the_field_it_names(pages, lang, message):
    r = _quote(pages, lang, guests="9")
    assert r.status_code == 422
    assert field_error(r.text, "guests") == message
    assert 'aria-invalid="true"' in r.text and 'aria-describedby="guests-error"' in r.text


@pytest.mark.parametrize(
    "lang, message",
    [
        ("zh-CN", "错误：所选日期中有的晚上总共只有 12 间，请选择 12 间或更少。"),
        ("en", "Error: This stay has only 12 rooms in all on some of its nights; please "
               "choose 12 or fewer."),
    ],
)  # fmt: skip
def test_more_rooms_than_the_stay_has_in_all_are_said_beside_the_rooms(pages, lang, message):
    """The demo cabin has 12 units a night: 13 can never be booked, said when quoted
    beside the rooms (the quote's ``too_many_units``), with the number that fits."""
    r = _quote(pages, lang, units="13", guests="13")  # a guest a room at least
    assert r.status_code == 422
    assert field_error(r.text, "units") == message
    assert field_error(r.text, "check_in") is None
    assert 'aria-describedby="units-error"' in r.text
    assert _quote(pages, lang, units="12", guests="12").status_code == 303
    # 40 guests in 13 rooms: the rooms are said (at most 12), not "add a room" for 39
    r = _quote(pages, lang, units="13", guests="40")
    assert field_error(r.text, "units") == message


def test_a_date_in_the_past_is_said_beside_check_in(pages):
    r = _quote(pages, "en", check_in="2020-01-01")
    assert field_error(r.text, "check_in") == "Error: The check-in date cannot be in the past."


def test_quote_page_shows_every_line_of_the_api_quote(pages):
    r = _quote(pages, packs=["3"])
    assert r.status_code == 303
    quote_id = r.headers["location"].rsplit("/", 1)[1]
    html = pages.get(r.headers["location"]).text
    api = pages.get(f"/v1/quotes/{quote_id}").json()
    for line in quote_lines(api):
        amount = f"¥{line['amount_fen'] // 100:,}.{line['amount_fen'] % 100:02d}"
        assert amount in html, line["label"]
    for rule in api["rules_used"]:
        assert rule["name_zh"] in html
    assert 'id="quote-total">¥' in html


def _book(pages, quote_url, page=None, **form):
    """Send the book form of ``quote_url`` (``page``: as it was shown earlier; by
    default shown now) filled in, with ``form``'s fields."""
    page = page or pages.get(quote_url + "/book").text
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page).group(1)
    data = {
        "csrf_token": csrf(page),
        "idempotency_key": key,
        "lead_name": "王秀兰",
        "lead_phone": "13912345678",
        "consent": "yes",
        **form,
    }
    return pages.post(quote_url + "/book", data=data, follow_redirects=False), data


def _cancel(pages, preview: str):
    """Confirm the cancellation shown on ``preview`` (the /manage/cancel page)."""
    key = re.search(r'name="idempotency_key" value="([^"]+)"', preview).group(1)
    return pages.post(
        "/manage/cancel",
        data={"csrf_token": csrf(preview), "idempotency_key": key},
        follow_redirects=False,
    )


def test_booking_needs_consent_and_a_phone_said_beside_each_field(pages):
    quote_url = _quote(pages).headers["location"]
    r, _ = _book(pages, quote_url, consent="", lead_phone="12")
    assert r.status_code == 422
    assert field_error(r.text, "consent").startswith("错误：请阅读并同意")
    assert field_error(r.text, "lead_phone") == "错误：请填写完整的电话号码：7 到 15 位数字。"


def test_a_short_phone_and_a_name_with_no_letter_are_said_beside_their_fields(pages):
    quote_url = _quote(pages).headers["location"]
    r, _ = _book(pages, quote_url, lead_phone="139123", lead_name="😀🌲")
    assert r.status_code == 422
    assert field_error(r.text, "lead_phone") == "错误：请填写完整的电话号码：7 到 15 位数字。"
    assert field_error(r.text, "lead_name") == "错误：请填写姓名：至少要有一个字或字母。"


def test_a_name_of_only_spaces_is_said_beside_the_field(pages):
    quote_url = _quote(pages).headers["location"]
    r, _ = _book(pages, quote_url, lead_name="   ")
    assert r.status_code == 422
    assert field_error(r.text, "lead_name") == "错误：请填写此项。"
    assert "/manage" not in r.headers.get("location", "")


@pytest.mark.parametrize("phone", ["", "   ", "\u3000\u3000"])
def test_a_phone_of_only_spaces_is_empty_please_fill_it_in(pages, phone):
    """A phone box left blank with spaces (a full-width one from a Chinese input method
    too) is said as the name's: empty, 「请填写此项」, never 「太短了：至少 7 个字符」 (so
    until December 2026: the spaces were counted as characters the phone lacked)."""
    quote_url = _quote(pages).headers["location"]
    r, _ = _book(pages, quote_url, lead_phone=phone)
    assert r.status_code == 422
    assert field_error(r.text, "lead_phone") == "错误：请填写此项。"


def test_book_twice_with_one_form_books_once_and_manage_cancel_agree_with_the_api(pages):
    quote_url = _quote(pages).headers["location"]
    r, data = _book(pages, quote_url)
    assert r.status_code == 303 and r.headers["location"] == "/manage"
    again = pages.post(quote_url + "/book", data=data, follow_redirects=False)
    assert again.status_code == 303  # the same form posted twice: replayed, not rebooked
    html = pages.get("/manage").text
    assert 'id="item-0-refund"' not in html  # paid at the property: no refund to speak of
    reference = re.search(r'id="booking-reference"><strong>([^<]+)', html).group(1)
    token = re.search(r'id="booking-token"><strong>([^<]+)', html).group(1)
    assert f"<strong>{token}</strong>" in pages.get("/manage").text  # still there, folded
    booking = pages.get(f"/v1/bookings/{reference}", headers={"X-Booking-Token": token}).json()
    assert booking["status"] == "confirmed"

    ics = pages.get("/manage/calendar.ics")
    assert ics.headers["content-type"].startswith("text/calendar")
    events = Calendar.from_ical(ics.content).walk("VEVENT")
    assert [str(e["dtstart"].dt) for e in events] == [i["check_in"] for i in booking["items"]]
    assert "13912345678" not in ics.text and "王秀兰" not in ics.text

    preview = pages.get("/manage/cancel").text
    assert 'id="nothing-to-pay"' in preview and 'id="refund-now"' not in preview
    assert _cancel(pages, preview).status_code == 303
    after = pages.get(f"/v1/bookings/{reference}", headers={"X-Booking-Token": token}).json()
    assert after["status"] == "cancelled"
    assert after["cancellation"]["refund_fen"] == 0  # paid at the property: nothing paid


NOTHING_PAID = {
    "zh-CN": (
        "您还没有为这笔预订付款，所以无需付款，也没有需要退的钱；取消不会向您收取任何费用。",
        "这笔预订没有付过款：没有需要退的钱，您也不欠任何费用。",
        "您取消了这笔预订。",
    ),
    "en": (
        "You have not paid anything for this booking, so there is nothing to pay and nothing "
        "to refund; cancelling it costs you nothing and nothing will be charged.",
        "Nothing was paid for this booking: nothing is refunded, and nothing is owed.",
        "You cancelled this booking.",
    ),
}


def _main(html: str) -> str:
    return re.search(r"<main[^>]*>(.*?)</main>", html, re.S).group(1)


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_cancelling_what_was_not_paid_says_nothing_is_refunded_before_and_after(pages, lang):
    """The report: paying at the property, the preview said "refunded in full,
    ¥2,627.52", and after cancelling "the refund is shown below" then "Refund: ¥0.00".
    Nothing was paid: before and after say so, with no refund amount."""
    check_in = (Clock().today() + timedelta(days=40)).isoformat()
    quote_url = _quote(pages, lang, check_in=check_in).headers["location"]
    assert _book(pages, quote_url)[0].status_code == 303
    pages.get("/manage")  # the first view, with the token
    preview = pages.get("/manage/cancel", headers={"Accept-Language": lang}).text
    before, after, who = NOTHING_PAID[lang]
    assert re.search(r'id="nothing-to-pay">([^<]+)<', preview).group(1) == before
    assert "¥" not in _main(preview) and 'id="refund-now"' not in preview
    assert _cancel(pages, preview).status_code == 303
    html = pages.get("/manage", headers={"Accept-Language": lang}).text
    assert re.search(r'id="nothing-to-refund">([^<]+)<', html).group(1) == after
    assert re.search(r'id="cancelled-by">([^<]+)<', html).group(1) == who
    # no refund rule announced and withdrawn in the next sentence
    assert 'id="refund-terms"' not in html and 'id="paid"' not in html
    for alarming in ("¥0.00", "退款：", "Refund:", "shown below", "见下方", "退款规则", "policy"):
        assert alarming not in html, alarming


@pytest.mark.parametrize(
    "lang, plain, refund_words",
    [
        (
            "en",
            r"Refund: .+ \(you cancel 14 days before check-in: 80% of (¥[\d,.]+) is refunded, "
            r"(¥[\d,.]+)\)",
            (
                "A refund of {amount} has been requested and is on its way to the card or "
                "account you paid with; it can take a few days to arrive.",
                "Refunded: {amount}, back to the card or account you paid with.",
            ),
        ),
        (
            "zh-CN",
            r"退款：.+（入住前14天取消：退还(¥[\d,.]+)的80%，即(¥[\d,.]+)）",
            (
                "已申请退款 {amount}，正在退回您付款所用的银行卡或账户，到账可能需要几天。",
                "已退款 {amount}，已退回您付款所用的银行卡或账户。",
            ),
        ),
    ],
)
def test_the_refund_preview_of_a_paid_booking_says_in_plain_words_what_comes_back(
    stripe_pages, lang, plain, refund_words
):
    """Paid online: the preview says line by line what comes back, and the booking's
    page after cancelling says the same refund: requested and on its way until Stripe
    has made it (no worker has run), then refunded."""
    from tests.support.payments import pay_and_confirm

    c = stripe_pages
    # 14 days from the app's today (Asia/Shanghai): from 16:00 UTC the machine's date is a
    # day behind it, and the stay was 13 days away, refunded by the next tier.
    check_in = (c.app.state.clock.today() + timedelta(days=14)).isoformat()
    quote_url = _quote(c, lang, check_in=check_in).headers["location"]
    assert _book(c, quote_url)[0].status_code == 303
    html = c.get("/manage").text
    reference = re.search(r'id="booking-reference"><strong>([^<]+)', html).group(1)
    token = re.search(r'id="booking-token"><strong>([^<]+)', html).group(1)
    with c.app.state.db.write_session() as s:  # the payer's app has it from the booking
        intent_id = s.execute(
            sa.text(
                "SELECT p.payment_intent_id FROM payment p JOIN booking b"
                " ON b.id = p.booking_id WHERE b.reference = :r"
            ),
            {"r": reference},
        ).scalar_one()
    pay_and_confirm(c, c.app.state.settings, intent_id)

    preview = c.get("/manage/cancel", headers={"Accept-Language": lang}).text
    line = re.search(plain, preview)
    assert line, preview
    base, back = (int(re.sub(r"[¥,.]", "", m)) for m in line.groups())
    assert back == (base * 8000 + 5000) // 10000
    for jargon in ("tier", "档", "≥", "→", "×"):
        assert jargon not in re.search(r"<table>.*</table>", preview, re.S).group(0)
    shown = re.search(r'id="refund-now">([^<]+)<', preview).group(1)
    assert 'id="nothing-to-pay"' not in preview
    assert _cancel(c, preview).status_code == 303
    after = c.get(f"/v1/bookings/{reference}", headers={"X-Booking-Token": token}).json()
    refund = after["cancellation"]["refund_fen"]
    assert shown == f"¥{refund // 100:,}.{refund % 100:02d}" and refund > 0
    assert 'id="refund-to-card"' in preview
    page = c.get("/manage", headers={"Accept-Language": lang}).text
    requested, made = refund_words
    assert requested.format(amount=shown) in page
    assert made.format(amount=shown) not in page
    assert 'id="nothing-to-refund"' not in page
    # The arithmetic, as the preview said it: the line, what was paid, refunded and not.
    paid = after["cancellation"]["paid_fen"]
    assert paid == after["total_fen"] and paid > refund
    said = {
        k: re.search(rf'id="{k}">([^<]+)<', page).group(1) for k in ("paid", "refund-due", "kept")
    }
    assert said == {"paid": yuan(paid), "refund-due": shown, "kept": yuan(paid - refund)}
    assert re.search(plain, page)  # the line, in the words of the preview
    payment = {"zh-CN": f"已付 {yuan(paid)}；这笔预订已取消", "en": f"Paid {yuan(paid)}; this"}
    assert payment[lang] in page
    run_once(c.app.state.db, c.app.state.settings)
    page = c.get("/manage", headers={"Accept-Language": lang}).text
    assert made.format(amount=shown) in page and requested.format(amount=shown) not in page


def _reference_of(page: str) -> str:
    return re.search(r'id="booking-reference"><strong>([^<]+)', page).group(1)


def test_a_booking_the_operator_cancelled_says_so(pages):
    """The operator cancelled of its own accord a booking paid at the property: the
    traveller's page says the operator cancelled it and that nothing was paid, so
    nothing is refunded or owed, in the page's language; no refund terms (they are said,
    with the refund, when something was paid)."""
    from service.bookings.cancellation import BY_OPERATOR, FULL_REFUND, cancel_booking
    from service.bookings.models import Booking
    from service.clock import Clock

    quote_url = _quote(pages).headers["location"]
    assert _book(pages, quote_url)[0].status_code == 303
    reference = _reference_of(pages.get("/manage").text)  # the first view, with the token
    with pages.app.state.db.write_session() as s:
        row = s.execute(sa.select(Booking).where(Booking.reference == reference)).scalar_one()
        cancel_booking(s, row, by=BY_OPERATOR, now=Clock().now(), refund_terms=FULL_REFUND)
        s.commit()
    for lang, words in (
        ("zh-CN", "目的地运营方取消了这笔预订。"),
        ("en", "The destination&#39;s operator cancelled this booking."),
    ):
        html = pages.get("/manage", headers={"Accept-Language": lang}).text
        assert re.search(r'id="cancelled-by">([^<]+)<', html).group(1) == words
        assert 'id="nothing-to-refund"' in html and 'id="refund-terms"' not in html


def test_manage_by_reference_and_token_posted_never_in_the_url(pages):
    quote_url = _quote(pages).headers["location"]
    _book(pages, quote_url)
    html = pages.get("/manage").text
    reference = re.search(r'id="booking-reference"><strong>([^<]+)', html).group(1)
    token = re.search(r'id="booking-token"><strong>([^<]+)', html).group(1)
    pages.cookies.clear()
    opened = pages.get("/manage").text
    assert 'name="token"' in opened and 'method="post"' in opened
    wrong = pages.post(
        "/manage",
        data={"csrf_token": csrf(opened), "reference": reference, "token": "nope"},
        headers={"Accept-Language": "en"},
    )
    assert wrong.status_code == 422
    assert "The reference or the token is not right" in wrong.text
    r = pages.post(
        "/manage",
        data={"csrf_token": csrf(opened), "reference": reference.lower(), "token": token},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == "/manage"
    cookie = r.headers["set-cookie"]
    assert "HttpOnly" in cookie and "Path=/manage" in cookie and "SameSite=strict" in cookie
    assert "已确认" in pages.get("/manage").text


def test_a_forged_booking_cookie_opens_nothing(pages):
    pages.cookies.set("jl_booking", "eyJhIjoxfQ.forged.sig", path="/manage")
    r = pages.get("/manage/cancel", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/manage"
    assert 'name="token"' in pages.get("/manage").text  # the sign-in form, nothing opened


@pytest.fixture
def stripe_pages(pages_db, fake_stripe):  # noqa: F811
    """The pages of an app that takes payments with Stripe (the fake Stripe server);
    the anonymous caps out of reach, as for ``pages``."""
    settings = without_anonymous_caps(
        stripe_settings_for(pages_db.settings.database_url, fake_stripe)
    )
    with TestClient(create_app(settings), raise_server_exceptions=False) as c:
        yield c


def test_in_stripe_mode_the_pages_say_how_to_pay_and_show_the_payment_status(stripe_pages):
    """Said in full, in both languages, paid and refunded: test_pages_stripe.py."""
    c = stripe_pages
    quote_url = _quote(c).headers["location"]
    assert "本网站暂时还不能付款" in c.get(quote_url + "/book").text
    r, _ = _book(c, quote_url)
    assert r.status_code == 303
    html = c.get("/manage").text
    assert 'id="booking-status">待付款<' in html and "预订成功！" not in html
    payment = re.search(r'<dt>付款</dt><dd id="payment">(.*?)</dd>', html, re.S)
    assert "保留至" in html and "无法在这里付款" in payment[1]


def test_a_cancelled_trip_gives_a_calendar_file_that_removes_its_events(pages):
    from service.quotes.examples import REQUEST_EXAMPLES

    tour = REQUEST_EXAMPLES["demo_tour"]["value"]  # a stay and a shuttle leg
    quote = pages.post("/v1/quotes", json=tour)
    assert quote.status_code == 201, quote.text
    r, _ = _book(pages, f"/quotes/{quote.json()['id']}")
    assert r.status_code == 303

    def events() -> tuple[str | None, dict[str, tuple[str, str, int]]]:
        cal = Calendar.from_ical(pages.get("/manage/calendar.ics").content)
        return cal.get("method"), {
            str(e["uid"]).split("@")[0].rsplit("-", 2)[-2]: (
                str(e["uid"]),
                str(e["status"]),
                int(e["sequence"]),
            )
            for e in cal.walk("VEVENT")
        }

    method, added = events()
    assert method is None  # imported as events
    assert {kind: status for kind, (_, status, _) in added.items()} == {
        "stay": "CONFIRMED",
        "leg": "CONFIRMED",
    }
    assert "加入手机日历" in pages.get("/manage").text
    assert _cancel(pages, pages.get("/manage/cancel").text).status_code == 303
    # RFC 5546: a CANCEL of the same UIDs at a higher SEQUENCE, so a phone removes them.
    method, removed = events()
    assert method == "CANCEL"
    for kind, (uid, status, sequence) in removed.items():
        assert uid == added[kind][0] and status == "CANCELLED" and sequence > added[kind][2]
    assert set(removed) == {"stay", "leg"}
    cal = Calendar.from_ical(pages.get("/manage/calendar.ics").content)
    assert all(str(e["organizer"]).startswith("mailto:") for e in cal.walk("VEVENT"))
    html = pages.get("/manage").text
    assert "从手机日历删除" in html and "加入手机日历" not in html


@pytest.mark.parametrize(
    "lang, words",
    [
        ("zh-CN", ("票根 CBN-0001 没有用于这次报价", "原因：这次报价里没有它能优惠的")),
        ("en", ("Ticket stub CBN-0001 was not used", "Why: this quote has no add-on pack")),
    ],
)
def test_a_stub_that_does_not_apply_is_said_on_the_quote_page(pages, lang, words):
    r = _quote(pages, lang, stubs="cbn-0001")  # a Changbai north stub; nothing it discounts
    assert r.status_code == 303
    quote_id = r.headers["location"].rsplit("/", 1)[1]
    api = pages.get(f"/v1/quotes/{quote_id}").json()
    stubs = [(s["code"], s["applied"], s["reason"]) for s in api["stubs"]]
    assert stubs == [("CBN-0001", False, "nothing_it_discounts")]
    html = pages.get(r.headers["location"], headers={"Accept-Language": lang}).text
    notice = re.search(r'<div class="warning" id="stubs-not-used">(.*?)</div>', html, re.S)
    assert notice, "the quote page says nothing about the stub"
    said = re.sub(r"<[^>]+>", " ", notice.group(1))
    assert all(w in said for w in words), said


def test_a_stub_that_applies_gets_no_not_used_notice(pages):
    from service.quotes.examples import REQUEST_EXAMPLES

    tour = REQUEST_EXAMPLES["worked_example"]["value"]  # CBN-0001 on its L1 ride
    quote = pages.post("/v1/quotes", json=tour).json()
    assert [s["applied"] for s in quote["stubs"]] == [True]
    html = pages.get(f"/quotes/{quote['id']}").text
    assert "stubs-not-used" not in html and "使用票根：CBN-0001" in html


def _footer(html: str) -> str:
    return re.sub(r"<[^>]+>", "", re.search(r'<footer class="site">(.*?)</footer>', html, re.S)[1])


FOOTER_PAGES = [*PAGES, "/plan", "/destinations/nowhere"]


def test_the_footer_says_pay_at_the_property_without_stripe(pages):
    quote_url = _quote(pages).headers["location"]
    for path in [*FOOTER_PAGES, quote_url]:
        footer = _footer(pages.get(path).text)
        assert "入住时付款" in footer and "在线支付" not in footer, path


def test_in_stripe_mode_the_footer_says_pay_online_on_every_page(stripe_pages):
    quote_url = _quote(stripe_pages).headers["location"]
    for path in [*FOOTER_PAGES, quote_url, quote_url + "/book"]:
        for lang, online, offline in (
            ("zh-CN", "在线支付", "入住时付款"),
            ("en", "Pay online", "pay at the property"),
        ):
            footer = _footer(stripe_pages.get(path, headers={"Accept-Language": lang}).text)
            assert online in footer and offline not in footer, (path, lang, footer)
