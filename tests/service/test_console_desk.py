"""The console's front desk: bookings of the operator's destinations only, the guests'
data on the detail, check-in and completion from the check-in date, cancellation with
the refund shown first (the same numbers the cancellation then records), on the terms
of who asks for it."""

import re
from datetime import time, timedelta

import pytest

from service.logs import mask_phone
from service.pages.formats import long_date, yuan
from service.worker import run_once
from tests.service.booking_support import ID_NUMBER, LEAD
from tests.service.test_operators_bookings import book, paid_online
from tests.support.clock import FixedClock
from tests.support.console import csrf_of, form_fields, log_in, post_form, said_beside
from tests.support.operators import FIRST, world
from tests.support.pages import page_text
from tests.support.payments import booking_row, fake_stripe, pay_client, refunds_of, stripe_settings

FIXTURES = (fake_stripe, pay_client, stripe_settings)  # used by name below


def test_list_and_detail_show_own_bookings_and_their_guests(db, client):
    w = world(db)
    mine = book(db, w.a.product_id)
    theirs = book(db, w.b.product_id)
    log_in(client, w.a.staff.login)
    listed = client.get("/console/bookings").text
    assert mine in listed and theirs not in listed
    assert LEAD["name"] not in listed  # masked in the list
    detail = client.get(f"/console/bookings/{mine}").text
    assert LEAD["name"] in detail and LEAD["phone"] in detail
    r = client.get(f"/console/bookings/{theirs}")
    assert r.status_code == 404 and LEAD["phone"] not in r.text


def test_an_inverted_arriving_range_is_shown_at_the_field(db, client):
    w = world(db)
    book(db, w.a.product_id)
    log_in(client, w.a.staff.login)
    page = client.get(
        "/console/bookings",
        params={"arriving_from": "2031-05-02", "arriving_to": "2031-05-01"},
        headers={"Accept-Language": "en"},
    )
    assert page.status_code == 422
    # said in the form's words, not the API's field names
    assert "The end date must not be before the start date." in page.text
    assert "arriving_to must not be before" not in page.text


def test_the_province_sees_a_booking_with_its_personal_data_masked(db, client):
    w = world(db)
    ref = book(db, w.a.product_id)
    log_in(client, w.province.login)
    detail = client.get(f"/console/bookings/{ref}")
    assert detail.status_code == 200 and ref in detail.text
    for clear in (LEAD["phone"], ID_NUMBER, LEAD["name"]):
        assert clear not in detail.text
    assert mask_phone(LEAD["phone"]) in detail.text
    client.post("/console/logout", data={"csrf_token": csrf_of(detail.text)})
    log_in(client, w.a.staff.login)
    own = client.get(f"/console/bookings/{ref}").text
    assert LEAD["phone"] in own and ID_NUMBER in own


def test_front_desk_checks_in_then_completes(db, client):
    w = world(db)
    ref = book(db, w.a.product_id)
    log_in(client, w.a.staff.login)
    page = f"/console/bookings/{ref}"
    early = post_form(
        client, f"{page}/stay-status", {"item_index": "0", "status": "checked_in"}, page
    )
    assert early.status_code == 409 and 'role="alert"' in early.text
    client.app.state.clock = FixedClock.on(FIRST, time(10))
    r = post_form(client, f"{page}/stay-status", {"item_index": "0", "status": "checked_in"}, page)
    assert r.status_code == 303
    assert re.search(r'id="stay-0">(已入住|Checked in)<', client.get(page).text)
    r = post_form(client, f"{page}/stay-status", {"item_index": "0", "status": "completed"}, page)
    assert r.status_code == 303
    assert 'id="stay-0">已离店<' in client.get(page).text


def test_cancel_of_a_booking_nothing_was_paid_for_says_so_to_the_operator(db, client):
    """Paid at the property (nothing paid yet): no refund lines, no ¥0.00 and no refund
    terms, only that the guest paid nothing and cancelling charges nothing, in words to
    the operator (docs/operators.md), whoever asks to cancel, in both languages; the
    cancellation then records no refund."""
    w = world(db)
    ref = book(db, w.a.product_id)
    log_in(client, w.a.admin.login)
    page = f"/console/bookings/{ref}/cancel"
    for params in ({}, {"on_behalf_of_traveller": "on"}):
        preview = client.get(page, params=params)
        assert preview.status_code == 200
        assert _said(preview.text, "nothing-to-pay") == (
            "旅客没有为这笔预订付过款：没有需要退的钱，取消也不向旅客收取任何费用。"
        )
        for absent in ('id="refund-now"', 'id="refund-terms"', "¥0.00", "您"):
            assert absent not in preview.text
    english = client.get(
        page, params={"on_behalf_of_traveller": "on"}, headers={"Accept-Language": "en"}
    )
    assert _said(english.text, "nothing-to-pay") == (
        "The guest has paid nothing for this booking: there is nothing to refund, and "
        "cancelling charges the guest nothing."
    )
    assert "you have not paid" not in english.text and "¥0.00" not in english.text
    r = post_form(client, page, {"reason": "road closed"}, page)
    assert r.status_code == 303
    api = client.get(f"/v1/admin/bookings/{ref}", headers=w.a.admin.headers).json()
    assert api["status"] == "cancelled" and api["cancellation"]["refund_fen"] == 0
    # the booking's page then says the same, not "this cancellation refunds ¥0.00"
    detail = client.get(f"/console/bookings/{ref}").text
    assert _said(detail, "nothing-to-pay").startswith("旅客没有为这笔预订付过款")
    assert 'id="refund-given"' not in detail and "¥0.00" not in detail


def test_cancel_shows_the_refund_first_then_records_it(db, pay_client, stripe_settings):
    w = world(db)
    client = pay_client
    ref = paid_online(pay_client, stripe_settings, w)["reference"]
    log_in(client, w.a.admin.login)
    preview = client.get(f"/console/bookings/{ref}/cancel")
    assert preview.status_code == 200
    shown = re.search(r'id="refund-now">([^<]+)<', preview.text).group(1)
    assert shown != yuan(0)
    # The reason is returned to the booking's traveller, channel and the province, less
    # its personal data: the field says so.
    hint = re.search(r'id="reason-hint">([^<]+)<', preview.text).group(1)
    assert hint.startswith("旅客、预订渠道和省级主管部门都会看到") and "***" in hint
    assert 'aria-describedby="reason-hint"' in preview.text
    r = post_form(
        client,
        f"/console/bookings/{ref}/cancel",
        {"reason": "road closed"},
        f"/console/bookings/{ref}/cancel",
    )
    assert r.status_code == 303
    detail = client.get(f"/console/bookings/{ref}").text
    assert re.search(r'id="booking-status">已取消<', detail)
    assert re.search(r'id="refund-given">([^<]+)<', detail).group(1) == shown
    api = client.get(f"/v1/admin/bookings/{ref}", headers=w.a.admin.headers).json()
    assert api["status"] == "cancelled"


def _alert(html: str) -> str:
    found = re.search(r'role="alert"[^>]*>(.*?)</div>', html, re.S)
    return page_text(found.group(1)) if found else ""


def test_front_desk_refusals_name_the_statuses_in_words(db, client):
    w = world(db)
    ref = book(db, w.a.product_id)
    log_in(client, w.a.staff.login)
    page = f"/console/bookings/{ref}"
    early = post_form(
        client, f"{page}/stay-status", {"item_index": "0", "status": "checked_in"}, page
    )
    assert early.status_code == 409 and "此前不能办理入住" in _alert(early.text)
    client.app.state.clock = FixedClock.on(FIRST, time(10))
    skip = post_form(
        client, f"{page}/stay-status", {"item_index": "0", "status": "completed"}, page
    )
    assert skip.status_code == 409 and "这段住宿尚未办理入住，不能办理离店。" in _alert(skip.text)
    for said in (_alert(early.text), _alert(skip.text)):
        assert not re.search(r"checked_in|completed|no_show", said), said
    api = client.post(
        f"/v1/admin/bookings/{ref}/stay-status",
        json={"item_index": 0, "status": "completed"},
        headers={**w.a.staff.headers, "Accept-Language": "en"},
    ).json()
    assert api["detail"] == "This stay has not been checked in yet, so it cannot be checked out."


def test_a_cancellation_says_who_cancelled_and_the_audit_log_what_was_done(db, client):
    w = world(db)
    ref = book(db, w.a.product_id)
    log_in(client, w.a.admin.login)
    cancel = f"/console/bookings/{ref}/cancel"
    assert post_form(client, cancel, {"reason": "road closed"}, cancel).status_code == 303
    detail = client.get(f"/console/bookings/{ref}").text
    assert re.search(r"<dt>取消方</dt><dd>运营方</dd>", detail)
    audit = client.get("/console/audit").text
    assert re.search(rf"预订 {ref} · 取消<", audit) and "· cancel<" not in audit


def test_the_booking_page_says_when_it_was_cancelled_and_the_reason_given(db, client):
    """The reason typed on the cancel page reached the traveller, the channel and the
    province, but the console's own booking page did not show it, nor the day: the next
    person at the desk could not tell why. It is shown as stored, the guest's name and
    phone replaced by *** when it was given."""
    w = world(db)
    ref = book(db, w.a.product_id)
    log_in(client, w.a.admin.login)
    cancel = f"/console/bookings/{ref}/cancel"
    typed = f"锅炉维修，已电话通知{LEAD['name']} {LEAD['phone']}"
    assert post_form(client, cancel, {"reason": typed}, cancel).status_code == 303
    recorded = client.get(f"/v1/admin/bookings/{ref}", headers=w.a.admin.headers).json()
    day = recorded["cancellation"]["cancel_date"]
    for lang in ("zh-CN", "en"):
        page = client.get(f"/console/bookings/{ref}", headers={"Accept-Language": lang}).text
        reason = re.search(r'id="cancel-reason">([^<]*)<', page).group(1)
        assert reason == "锅炉维修，已电话通知*** ***" == recorded["cancellation"]["reason"]
        assert LEAD["phone"] not in reason
        assert f'id="cancelled-on">{long_date(day, lang)}<' in page
    assert "Reason given" in page and "Cancelled on" in page


def test_a_reason_given_on_several_lines_keeps_its_line_breaks_on_the_booking_page(db, client):
    """A reason the API was given on several lines was shown run together on one line:
    the booking page keeps its line breaks (``keeps-lines``: CSS ``white-space:
    pre-line``), escaped as before."""
    w = world(db)
    ref = book(db, w.a.product_id)
    reason = "锅炉维修\n暖气 <明天> 恢复\n请改订"
    r = client.post(
        f"/v1/admin/bookings/{ref}/cancel", json={"reason": reason}, headers=w.a.admin.headers
    )
    assert r.status_code == 200, r.text
    log_in(client, w.a.admin.login)
    page = client.get(f"/console/bookings/{ref}").text
    said = re.search(r'<dd class="keeps-lines" id="cancel-reason">([^<]*)</dd>', page)
    assert said is not None and said.group(1) == "锅炉维修\n暖气 &lt;明天&gt; 恢复\n请改订"
    assert ".keeps-lines { white-space: pre-line; }" in client.get("/static/site.css").text


def test_a_cancel_reason_too_long_is_said_beside_it_with_the_text_kept(db, client):
    """A reason over 200 characters was the generic 422 page ("Something in the link is
    not right") and lost what was typed: now the cancel page again, the reason as typed
    and "at most 200 characters" beside it, in both languages; nothing is cancelled. The
    field says its limit too (``maxlength``), the server's check staying."""
    w = world(db)
    ref = book(db, w.a.product_id)
    log_in(client, w.a.admin.login)
    cancel = f"/console/bookings/{ref}/cancel"
    assert 'maxlength="200"' in client.get(cancel).text
    typed = "旅客来电要求取消" * 26  # 208 characters
    for lang, said in (("zh-CN", "最多 200 个字符"), ("en", "at most 200 characters")):
        r = post_form(client, cancel, {"reason": typed}, headers={"Accept-Language": lang})
        assert r.status_code == 422, r.text[:300]
        assert said in said_beside(r.text, "reason"), said_beside(r.text, "reason")
        assert f'value="{typed}"' in r.text and 'id="error-summary"' in r.text
    assert client.get(f"/console/bookings/{ref}").text.count("取消方") == 0
    r = post_form(client, cancel, {"reason": typed[:200]})
    assert r.status_code == 303


def _buttons(html: str) -> list[str]:
    return re.findall(r'name="status" value="(\w+)"><button', html)


def test_a_cancelled_booking_shows_no_stay_and_no_desk_buttons(db, client):
    w = world(db)
    ref = book(db, w.a.product_id)
    log_in(client, w.a.admin.login)
    page = f"/console/bookings/{ref}"
    cancelled = post_form(client, f"{page}/cancel", {"reason": "road closed"}, f"{page}/cancel")
    assert cancelled.status_code == 303
    client.app.state.clock = FixedClock.on(FIRST, time(10))  # even on the check-in date
    detail = client.get(page).text
    assert 'id="stay-0">已取消，无需入住<' in detail and _buttons(detail) == []
    assert "已取消，无需入住" in client.get("/console/bookings").text
    english = client.get(page, headers={"Accept-Language": "en"}).text
    assert 'id="stay-0">Cancelled: no stay<' in english and "Expected" not in english
    listed = client.get("/console/bookings", headers={"Accept-Language": "en"}).text
    assert "Cancelled: no stay" in listed and "Expected" not in listed


def test_desk_buttons_show_only_what_the_desk_accepts_that_day(db, client):
    w = world(db)
    ref = book(db, w.a.product_id)
    log_in(client, w.a.staff.login)
    page = f"/console/bookings/{ref}"
    before = client.get(page).text  # months before the check-in date
    assert 'id="stay-0">待入住<' in before and _buttons(before) == []
    client.app.state.clock = FixedClock.on(FIRST, time(10))
    assert _buttons(client.get(page).text) == ["checked_in", "no_show"]
    post_form(client, f"{page}/stay-status", {"item_index": "0", "status": "checked_in"}, page)
    assert _buttons(client.get(page).text) == ["completed", "expected"]  # or undo it


def test_a_refused_desk_action_is_said_on_the_page_in_its_language(db, client):
    w = world(db)
    ref = book(db, w.a.product_id)
    log_in(client, w.a.staff.login)
    page = f"/console/bookings/{ref}"
    client.headers["Accept-Language"] = "en"
    early = post_form(client, f"{page}/stay-status", {"item_index": "0", "status": "no_show"}, page)
    assert early.status_code == 409
    day = long_date(FIRST, "en")  # as the console writes dates, not 2027-02-04
    said = f"The stay begins on {day}; it cannot be marked as a no-show before then."
    assert said in _alert(early.text)
    assert _buttons(early.text) == []


def _said(html: str, element_id: str) -> str:
    found = re.search(rf'id="{element_id}">([^<]+)<', html)
    assert found, f"no #{element_id} on the page"
    return found.group(1)


def test_the_console_asks_who_cancels_and_refunds_on_the_terms_it_showed(
    db, pay_client, stripe_settings
):
    """Ten days before check-in (the policy: 50%), a booking paid online. The preview
    says the operator's cancel refunds everything paid; choosing "the traveller asked"
    (a GET, no JavaScript) shows the policy's refund instead, and confirming that page
    cancels on its terms, through Stripe; the booking's page then says them, in both
    languages."""
    w = world(db)
    booking = paid_online(pay_client, stripe_settings, w)
    ref, total = booking["reference"], booking["total_fen"]
    pay_client.app.state.clock = FixedClock.on(FIRST - timedelta(days=10), time(10))
    log_in(pay_client, w.a.admin.login)
    page = f"/console/bookings/{ref}/cancel"
    ours = pay_client.get(page)
    assert ours.status_code == 200
    assert _said(ours.text, "refund-terms").startswith("运营方取消：已付款项全额退还")
    assert _said(ours.text, "refund-now") == yuan(total)
    assert "（运营方取消：全额退还，" in ours.text
    assert dict(form_fields(ours.text, page))["on_behalf_of_traveller"] == ""
    theirs = pay_client.get(page, params={"on_behalf_of_traveller": "on"})
    half = (total * 5000 + 5000) // 10000
    assert _said(theirs.text, "refund-terms") == "应旅客要求由运营方取消：按产品的退款规则退款。"
    assert _said(theirs.text, "refund-now") == yuan(half)
    assert "入住前10天取消" in theirs.text
    english = pay_client.get(
        page, params={"on_behalf_of_traveller": "on"}, headers={"Accept-Language": "en"}
    )
    assert _said(english.text, "refund-terms") == (
        "Cancelled by the operator at the traveller&#39;s request: the product&#39;s refund "
        "policy applies."
    )
    fields = dict(form_fields(theirs.text, page))
    assert fields["on_behalf_of_traveller"] == "on"
    r = pay_client.post(page, data={**fields, "reason": "旅客来电"}, follow_redirects=False)
    assert r.status_code == 303, r.text
    row = booking_row(db, ref)
    (refund,) = refunds_of(db, row.id)
    assert row.cancellation["refund_terms"] == "policy"
    assert row.refund_requested_fen == refund.amount_fen == half
    detail = pay_client.get(f"/console/bookings/{ref}").text
    assert _said(detail, "refund-given") == yuan(half)
    # Requested, not made yet: the payment says so; once Stripe has made it, refunded.
    assert "退款 " + yuan(half) + " 已向 Stripe 申请，尚未退回旅客" in detail
    run_once(db, stripe_settings, pay_client.app.state.clock.now())  # the refund's time
    detail = pay_client.get(f"/console/bookings/{ref}").text
    assert "已退款 " + yuan(half) + "：Stripe 已退回旅客的付款方式。" in detail
    assert _said(detail, "refund-terms") == "应旅客要求由运营方取消：按产品的退款规则退款。"


def test_the_console_cancels_in_full_by_default(db, client):
    """A form posted without the choice (an older page) is the operator's own cancel."""
    w = world(db)
    ref = book(db, w.a.product_id)
    client.app.state.clock = FixedClock.on(FIRST - timedelta(days=10), time(10))
    log_in(client, w.a.admin.login)
    cancel = f"/console/bookings/{ref}/cancel"
    assert post_form(client, cancel, {"reason": "road closed"}, cancel).status_code == 303
    assert booking_row(db, ref).cancellation["refund_terms"] == "full_refund"
    detail = client.get(f"/console/bookings/{ref}", headers={"Accept-Language": "en"}).text
    assert _said(detail, "refund-terms").startswith("Cancelled by the operator: everything")


def _stay_words(db, ref: str, lang: str) -> tuple[str, str, str]:
    """The product of the booking's first stay and its dates, as the console says them."""
    item = db_items(db, ref)[0]
    product = item.product_name_zh if lang == "zh-CN" else item.product_name_en
    return product, long_date(item.check_in, lang), long_date(item.check_out, lang)


def db_items(db, ref: str):
    from service.bookings.repository import items_of

    row = booking_row(db, ref)
    with db.session() as session:
        return items_of(session, [row.id])[row.id]


# Why a booking is not cancelled, by the stay's front-desk status: the opening of its
# page's notice, with the stay's product and dates.
KEPT_SAID = {
    "checked_in": {
        "zh-CN": "住宿 {}（{} 至 {}）已入住。",
        "en": "The stay {}, {} to {}, is checked in.",
    },
    "no_show": {
        "zh-CN": "住宿 {}（{} 至 {}）已登记未到店。登记了未到店的预订不能取消",
        "en": "The stay {}, {} to {}, is recorded as a no-show. A booking with a no-show cannot",
    },
}


@pytest.mark.parametrize("status", KEPT_SAID)
def test_a_stay_begun_or_a_no_show_shows_no_cancel_button_but_why(db, client, status):
    """Checked in (409 ``stay_started``) or marked a no-show (409 ``stay_no_show``), the
    booking cannot be cancelled: its page says which stay (its product and dates in the
    console's date format, as the page lists it; no number) and why instead of offering
    a cancel button that could only fail."""
    w = world(db)
    ref = book(db, w.a.product_id)
    log_in(client, w.a.admin.login)
    page = f"/console/bookings/{ref}"
    assert f'href="{page}/cancel"' in client.get(page).text
    client.app.state.clock = FixedClock.on(FIRST, time(10))
    r = post_form(client, f"{page}/stay-status", {"item_index": "0", "status": status}, page)
    assert r.status_code == 303
    for lang, said in KEPT_SAID[status].items():
        html = client.get(page, headers={"Accept-Language": lang}).text
        assert f'href="{page}/cancel"' not in html
        assert _said(html, "not-cancellable").startswith(said.format(*_stay_words(db, ref, lang)))


def test_a_stale_cancel_of_a_stay_begun_says_which_and_leads_back(db, client):
    """A cancel link opened, or its form posted, after the front desk checked the guest in
    (a stale tab, a bookmark, a forged post): 409, the stay named as the booking's page
    names it (never "item 0"), no "go back and try again" (it can never work), and a way
    back to the booking; nothing is cancelled."""
    w = world(db)
    ref = book(db, w.a.product_id)
    log_in(client, w.a.admin.login)
    page, cancel = f"/console/bookings/{ref}", f"/console/bookings/{ref}/cancel"
    token = csrf_of(client.get(cancel).text)  # the cancel form, opened before check-in
    client.app.state.clock = FixedClock.on(FIRST, time(10))
    r = post_form(client, f"{page}/stay-status", {"item_index": "0", "status": "checked_in"}, page)
    assert r.status_code == 303
    product, first, last = _stay_words(db, ref, "zh-CN")
    begun = f"住宿 {product}（{first} 至 {last}）已入住。已开始的住宿不能取消"
    stale = client.get(cancel)
    assert stale.status_code == 409
    assert "这笔预订不能取消。" in stale.text and begun in stale.text
    assert "第 0" not in stale.text and "请返回重试" not in stale.text
    assert f'<a class="button" href="{page}">返回预订 {ref}</a>' in stale.text
    english = client.get(cancel, headers={"Accept-Language": "en"}).text
    assert ", is checked in." in english and "Item 0" not in english
    assert "Stay 1" not in english
    assert "try again" not in english and f"Back to booking {ref}" in english
    late = client.post(cancel, data={"csrf_token": token}, follow_redirects=False)
    assert late.status_code == 409 and begun in late.text
    assert booking_row(db, ref).status == "confirmed"
    # checked out: said so
    client.app.state.clock = FixedClock.on(FIRST + timedelta(days=3), time(10))
    r = post_form(client, f"{page}/stay-status", {"item_index": "0", "status": "completed"}, page)
    assert r.status_code == 303
    assert f"住宿 {product}（{first} 至 {last}）已离店。" in client.get(cancel).text


def test_a_stale_cancel_of_a_cancelled_booking_names_its_status(db, client):
    w = world(db)
    ref = book(db, w.a.product_id)
    log_in(client, w.a.admin.login)
    cancel = f"/console/bookings/{ref}/cancel"
    token = csrf_of(client.get(cancel).text)
    assert post_form(client, cancel, {}, cancel).status_code == 303
    again = client.get(cancel)
    assert again.status_code == 409 and "这笔预订的状态是「已取消」，不能取消。" in again.text
    assert f"返回预订 {ref}" in again.text
    late = client.post(cancel, data={"csrf_token": token}, follow_redirects=False)
    # a second cancel returns the first (the service's rule): back to the booking
    assert late.status_code == 303


def _trip(db, w) -> str:
    """A booking of A's product then B's (another operator's destination)."""
    from service.auth import ANONYMOUS
    from tests.service.booking_support import book_in_service, item, make_quote

    stays = (
        item(w.a.product_id, check_in=FIRST + timedelta(days=5), nights=2),
        item(w.b.product_id, check_in=FIRST + timedelta(days=7), nights=2),
    )
    return book_in_service(db, ANONYMOUS, make_quote(db, ANONYMOUS, *stays))


def test_the_booking_page_says_what_to_collect_at_the_property(db, client):
    """Pay at the property: the page says so and the amount to collect at check-in (the
    whole booking; for a trip that also stays elsewhere, this destination's stays); once
    cancelled, that nothing is to collect."""
    w = world(db)
    ref = book(db, w.a.product_id)
    trip = _trip(db, w)
    log_in(client, w.a.admin.login)
    total = booking_row(db, ref).total_fen
    page = client.get(f"/console/bookings/{ref}").text
    assert 'id="payment"><strong>到店付款</strong>' in page
    assert f"入住时向旅客收取 {yuan(total)}。本系统不记录到店收款。" in page
    english = client.get(f"/console/bookings/{ref}", headers={"Accept-Language": "en"}).text
    assert "Pay at the property" in english and f"Collect {yuan(total)} from the guest" in english
    mine = db_items(db, trip)[0]
    shared = client.get(f"/console/bookings/{trip}").text
    assert mine.net_fen < booking_row(db, trip).total_fen
    assert f"入住时向旅客收取 {yuan(mine.net_fen)}（本目的地住宿的金额" in shared
    cancel = f"/console/bookings/{ref}/cancel"
    assert post_form(client, cancel, {}, cancel).status_code == 303
    assert "无需收款：没有付过款，也没有需要退的钱。" in client.get(f"/console/bookings/{ref}").text


def test_the_booking_page_says_what_was_paid_online_and_refunded(db, pay_client, stripe_settings):
    """Stripe: waiting for the payment (until when), then paid (nothing to collect at
    check-in), then, cancelled by the operator, what was refunded and how."""
    from tests.support.payments import Stay
    from tests.support.payments import book as book_over_http

    w = world(db)
    stay = Stay(
        w.a.product_id,
        (FIRST + timedelta(days=7)).isoformat(),
        (FIRST + timedelta(days=10)).isoformat(),
    )
    waiting = book_over_http(pay_client, stay)
    booking = paid_online(pay_client, stripe_settings, w)
    ref, total = booking["reference"], booking["total_fen"]
    log_in(pay_client, w.a.admin.login)
    held = pay_client.get(f"/console/bookings/{waiting['reference']}").text
    assert "<strong>在线支付（Stripe）</strong>" in held
    assert f"等待旅客在线付款 {yuan(waiting['total_fen'])}，保留至 " in held
    page = pay_client.get(f"/console/bookings/{ref}").text
    assert f"已在线付款 {yuan(total)}；入住时无需收款。" in page
    cancel = f"/console/bookings/{ref}/cancel"
    assert post_form(pay_client, cancel, {}, cancel).status_code == 303
    page = pay_client.get(f"/console/bookings/{ref}").text
    assert f"已在线付款 {yuan(total)}；退款 {yuan(total)} 已向 Stripe 申请，尚未退回旅客" in page
    assert "<dt>已退款</dt>" not in page  # requested, not made
    run_once(db, stripe_settings)
    page = pay_client.get(f"/console/bookings/{ref}").text
    assert f"已在线付款 {yuan(total)}；已退款 {yuan(total)}：Stripe 已退回旅客的付款方式。" in page
    english = pay_client.get(f"/console/bookings/{ref}", headers={"Accept-Language": "en"}).text
    assert f"refunded: {yuan(total)}, made by Stripe to the way the guest paid." in english


def test_a_no_show_paid_at_the_property_has_nothing_to_collect(db, client):
    """Pay at the property, the guest never came: once the desk records the no-show the
    page no longer says to collect the amount; it says the no-show and that nothing is
    collected (there is no no-show charge). A booking with a stay still to come collects
    that stay's net price only."""
    from service.auth import ANONYMOUS
    from tests.service.booking_support import book_in_service, item, make_quote

    w = world(db)
    ref = book(db, w.a.product_id)
    two = book_in_service(
        db,
        ANONYMOUS,
        make_quote(
            db,
            ANONYMOUS,
            item(w.a.product_id, check_in=FIRST, nights=2),
            item(w.a.product_id, check_in=FIRST + timedelta(days=5), nights=2),
        ),
    )
    log_in(client, w.a.staff.login)
    client.app.state.clock = FixedClock.on(FIRST, time(10))
    for booking in (ref, two):
        page = f"/console/bookings/{booking}"
        status = {"item_index": "0", "status": "no_show"}
        assert post_form(client, f"{page}/stay-status", status, page).status_code == 303
    zh = page_text(client.get(f"/console/bookings/{ref}").text)
    assert "已登记未到店：旅客没有入住，前台无需收款。本预订没有未到店费用，也没有付过款。" in zh
    assert "收取" not in zh.split("已登记未到店：")[1]
    en = page_text(client.get(f"/console/bookings/{ref}", headers={"Accept-Language": "en"}).text)
    assert "No-show recorded: the guest did not arrive, so there is nothing to collect" in en
    assert "Collect " not in en
    later = db_items(db, two)[1]
    rest = page_text(client.get(f"/console/bookings/{two}").text)
    assert f"入住时向旅客收取 {yuan(later.net_fen)}（尚待入住的住宿的金额；" in rest


def test_a_no_show_is_not_cancelled_until_the_desk_undoes_it(db, client):
    """Marked a no-show, a stale cancel link (or its form) is 409, says which stay and
    leads back; nothing is cancelled. The stay's buttons: check in (the guest came late)
    and undo the no-show, which puts it back to expected, said on the page, and the
    cancel button is back; the audit log says it in words."""
    w = world(db)
    ref = book(db, w.a.product_id)
    log_in(client, w.a.admin.login)
    page, cancel = f"/console/bookings/{ref}", f"/console/bookings/{ref}/cancel"
    token = csrf_of(client.get(cancel).text)  # the cancel form, opened before the no-show
    client.app.state.clock = FixedClock.on(FIRST, time(21))
    r = post_form(client, f"{page}/stay-status", {"item_index": "0", "status": "no_show"}, page)
    assert r.status_code == 303
    for lang, undo in (("zh-CN", "撤销未到店"), ("en", "Undo the no-show")):
        html = client.get(page, headers={"Accept-Language": lang}).text
        assert _buttons(html) == ["checked_in", "expected"] and undo in html
    stale = client.get(cancel)
    assert stale.status_code == 409 and "）已登记未到店。登记了未到店的预订不能取消" in stale.text
    assert f"返回预订 {ref}" in stale.text
    late = client.post(cancel, data={"csrf_token": token}, follow_redirects=False)
    assert late.status_code == 409 and "）已登记未到店。登记了未到店的预订不能取消" in late.text
    assert booking_row(db, ref).status == "confirmed"
    r = post_form(client, f"{page}/stay-status", {"item_index": "0", "status": "expected"}, page)
    assert r.status_code == 303 and r.headers["location"].endswith("?done=expected")
    html = client.get(r.headers["location"]).text
    assert "已撤销未到店，这段住宿改回待入住。" in html and 'id="stay-0">待入住<' in html
    assert _buttons(html) == ["checked_in", "no_show"] and f'href="{cancel}"' in html
    audit = client.get("/console/audit", headers={"Accept-Language": "en"}).text
    assert "no-show undone" in audit and "Stay: expected" in audit


def test_a_no_show_is_not_undone_on_its_check_out_day(db, client):
    w = world(db)
    ref = book(db, w.a.product_id)  # 3 nights from FIRST
    log_in(client, w.a.staff.login)
    page = f"/console/bookings/{ref}"
    client.app.state.clock = FixedClock.on(FIRST, time(21))
    post_form(client, f"{page}/stay-status", {"item_index": "0", "status": "no_show"}, page)
    client.app.state.clock = FixedClock.on(FIRST + timedelta(days=2), time(21))
    assert _buttons(client.get(page).text) == ["checked_in", "expected"]  # its last night
    client.app.state.clock = FixedClock.on(FIRST + timedelta(days=3), time(8))
    assert _buttons(client.get(page).text) == []
    client.headers["Accept-Language"] = "en"
    r = post_form(client, f"{page}/stay-status", {"item_index": "0", "status": "expected"}, page)
    assert r.status_code == 409
    assert "from that day its no-show can no longer be undone." in _alert(r.text)
