"""Operators' bookings: only their destinations', guests' data in the detail only, the
front-desk transitions, cancellation by the operator (everything paid refunded, or the
policy's refund when the traveller asked)."""

from datetime import time, timedelta

from sqlmodel import select

from service.auth import ANONYMOUS
from service.bookings.outbox import OutboxEvent
from service.logs import mask_id_number, mask_name, mask_phone
from service.payments.refunds import execute_refunds
from tests.service.booking_support import (
    ID_NUMBER,
    LEAD,
    book_in_service,
    item,
    make_quote,
)
from tests.support.clock import FixedClock
from tests.support.operators import FIRST, world
from tests.support.payments import (
    Stay,
    booking_row,
    fake_stripe,
    paid_and_confirmed,
    pay_client,
    refunds_of,
    stripe_settings,
)

FIXTURES = (fake_stripe, pay_client, stripe_settings)  # used by name below


def book(db, *product_ids, first=FIRST, nights=3):
    quote = make_quote(
        db, ANONYMOUS, *[item(p, check_in=first, nights=nights) for p in product_ids]
    )
    reference = book_in_service(db, ANONYMOUS, quote)
    assert reference.startswith("JL-"), reference
    return reference


def test_list_and_detail_show_only_the_operators_bookings(db, client):
    w = world(db)
    ref_a = book(db, w.a.product_id)
    ref_b = book(db, w.b.product_id)
    listed = client.get("/v1/admin/bookings", headers=w.a.admin.headers).json()["items"]
    assert [b["reference"] for b in listed] == [ref_a]
    assert listed[0]["lead_name"] != LEAD["name"]  # masked in lists
    detail = client.get(f"/v1/admin/bookings/{ref_a}", headers=w.a.staff.headers).json()
    assert detail["lead_phone"] == LEAD["phone"] and detail["guests"][0]["name"] == LEAD["name"]
    assert client.get(f"/v1/admin/bookings/{ref_b}", headers=w.a.admin.headers).status_code == 404
    province = client.get("/v1/admin/bookings", headers=w.province.headers).json()["items"]
    assert {b["reference"] for b in province} == {ref_a, ref_b}


def test_the_province_reads_a_booking_with_its_personal_data_masked(db, client):
    w = world(db)
    ref = book(db, w.a.product_id)
    r = client.get(f"/v1/admin/bookings/{ref}", headers=w.province.headers)
    assert r.status_code == 200
    body = r.json()
    for clear in (LEAD["phone"], ID_NUMBER, LEAD["name"]):
        assert clear not in r.text
    assert body["lead_phone"] == mask_phone(LEAD["phone"])
    assert body["lead_name"] == mask_name(LEAD["name"])
    assert body["guests"][0] == {
        "name": mask_name(LEAD["name"]),
        "id_number": mask_id_number(ID_NUMBER),
    }
    assert body["guests"][1]["id_number"] is None
    # The operator of the booked destination still reads them in full.
    own = client.get(f"/v1/admin/bookings/{ref}", headers=w.a.admin.headers).json()
    assert own["lead_phone"] == LEAD["phone"] and own["guests"][0]["id_number"] == ID_NUMBER


def test_a_trip_over_two_destinations_shows_each_operator_its_own_stay(db, client):
    w = world(db)
    ref = book(db, w.a.product_id)
    two = make_quote(
        db,
        ANONYMOUS,
        item(w.a.product_id, check_in=FIRST + timedelta(days=5), nights=2),
        item(w.b.product_id, check_in=FIRST + timedelta(days=7), nights=2),
    )
    both = book_in_service(db, ANONYMOUS, two)
    a_view = client.get(f"/v1/admin/bookings/{both}", headers=w.a.admin.headers).json()
    assert [i["product_id"] for i in a_view["items"]] == [w.a.product_id]
    assert a_view["spans_other_destinations"] is True
    r = client.post(f"/v1/admin/bookings/{both}/cancel", headers=w.a.admin.headers)
    assert r.status_code == 409 and r.json()["code"] == "booking_spans_other_destinations"
    arriving = client.get(
        "/v1/admin/bookings",
        params={"arriving_from": FIRST.isoformat(), "arriving_to": FIRST.isoformat()},
        headers=w.a.admin.headers,
    ).json()["items"]
    assert [b["reference"] for b in arriving] == [ref]


def test_an_inverted_arriving_range_is_a_422_naming_arriving_to(db, client):
    """Like every other date range: ``arriving_to`` before ``arriving_from`` is refused,
    not answered with an empty page; one day (from = to, both inclusive) is a range."""
    w = world(db)
    book(db, w.a.product_id)
    r = client.get(
        "/v1/admin/bookings",
        params={
            "arriving_from": (FIRST + timedelta(days=1)).isoformat(),
            "arriving_to": FIRST.isoformat(),
        },
        headers={**w.a.admin.headers, "Accept-Language": "en"},
    )
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert (r.json()["code"], r.json()["field"]) == ("invalid_range", "arriving_to")
    # both dates in words ("arriving_to must not be before arriving_from." until December
    # 2026), as the console says the range
    assert r.json()["detail"] == (
        f"The end date ({FIRST}) cannot be before the start date ({FIRST + timedelta(days=1)})."
    )


def test_front_desk_checks_in_and_completes_a_stay(db, client):
    w = world(db)
    ref = book(db, w.a.product_id)
    url = f"/v1/admin/bookings/{ref}/stay-status"
    h = w.a.staff.headers
    early = client.post(url, json={"item_index": 0, "status": "checked_in"}, headers=h)
    assert early.status_code == 409 and early.json()["code"] == "too_early"
    # each status said in proper words, in the caller's language ("it cannot be no-show
    # before." until December 2026)
    said = {
        ("checked_in", "en"): "the guest cannot be checked in before then.",
        ("no_show", "en"): "it cannot be marked as a no-show before then.",
        ("checked_in", "zh-CN"): "此前不能办理入住。",
        ("no_show", "zh-CN"): "此前不能标记为未到店。",
    }
    for (status, lang), words in said.items():
        r = client.post(
            url, json={"item_index": 0, "status": status}, headers={**h, "Accept-Language": lang}
        )
        opening = {"en": f"The stay begins on {FIRST}; ", "zh-CN": f"入住日期为 {FIRST}，"}[lang]
        assert (r.status_code, r.json()["code"], r.json()["field"]) == (409, "too_early", "status")
        assert r.json()["detail"] == opening + words
    client.app.state.clock = FixedClock.on(FIRST, time(10))
    skip = client.post(url, json={"item_index": 0, "status": "completed"}, headers=h)
    assert skip.status_code == 409 and skip.json()["code"] == "invalid_transition"
    r = client.post(url, json={"item_index": 0, "status": "checked_in"}, headers=h)
    assert r.status_code == 200 and r.json()["items"][0]["stay_status"] == "checked_in"
    r = client.post(url, json={"item_index": 0, "status": "completed"}, headers=h)
    assert r.json()["items"][0]["stay_status"] == "completed"
    assert (
        client.post(url, json={"item_index": 3, "status": "no_show"}, headers=h).status_code == 404
    )
    log = client.get("/v1/admin/audit", headers=w.a.admin.headers).json()["items"]
    assert [e["action"] for e in log[:2]] == ["stay_completed", "stay_checked_in"]
    assert LEAD["phone"] not in str(log) and LEAD["name"] not in str(log)


# Every change the front desk may not make, said in words in both languages ("A stay
# that is no-show cannot become checked in." until December 2026): (the stay's status,
# the status asked) -> (English, zh-CN).
REFUSED_CHANGES = {
    (None, "completed"): (
        "This stay has not been checked in yet, so it cannot be checked out.",
        "这段住宿尚未办理入住，不能办理离店。",
    ),
    ("checked_in", "checked_in"): ("This stay is already checked in.", "这段住宿已办理入住。"),
    ("checked_in", "no_show"): (
        "This stay is already checked in, so it cannot be marked as a no-show.",
        "这段住宿已办理入住，不能标记为未到店。",
    ),
    ("completed", "completed"): ("This stay is already checked out.", "这段住宿已办理离店。"),
    ("completed", "no_show"): (
        "This stay is already checked out, so it cannot be marked as a no-show.",
        "这段住宿已办理离店，不能标记为未到店。",
    ),
    ("no_show", "completed"): (
        "This stay is already marked as a no-show, so it cannot be checked out.",
        "这段住宿已标记为未到店，不能办理离店。",
    ),
    ("no_show", "no_show"): (
        "This stay is already marked as a no-show.",
        "这段住宿已标记为未到店。",
    ),
    # a no-show or a check-in is undone, back to expected; a check-out, back to checked
    # in (test_desk_undo): one step back at a time
    (None, "expected"): ("This stay has not been checked in yet.", "这段住宿尚未办理入住。"),
    ("completed", "expected"): (
        "This stay is already checked out, so it cannot be put back to expected (undo the "
        "check-out first, back to checked in).",
        "这段住宿已办理离店，不能改回待入住（请先撤销离店，改回已入住）。",
    ),
}


def test_every_refused_front_desk_change_is_said_in_words(db, client):
    w = world(db)
    h = w.a.staff.headers
    client.app.state.clock = FixedClock.on(FIRST, time(10))
    on_the_way = {  # the stay's status -> the changes that bring a new stay there
        None: (),
        "checked_in": ("checked_in",),
        "completed": ("checked_in", "completed"),
        "no_show": ("no_show",),
    }
    for was, way in on_the_way.items():
        url = f"/v1/admin/bookings/{book(db, w.a.product_id)}/stay-status"
        for status in way:
            r = client.post(url, json={"item_index": 0, "status": status}, headers=h)
            assert r.status_code == 200, r.text
        for (at, status), (en, zh) in REFUSED_CHANGES.items():
            if at != was:
                continue
            for lang, words in (("en", en), ("zh-CN", zh)):
                r = client.post(
                    url,
                    json={"item_index": 0, "status": status},
                    headers={**h, "Accept-Language": lang},
                )
                problem = r.json()
                assert (r.status_code, problem["code"], problem["field"]) == (
                    409,
                    "invalid_transition",
                    "status",
                )
                assert problem["detail"] == words


def test_operator_cancels_and_cancelling_again_returns_the_first_cancellation(db, client):
    w = world(db)
    ref = book(db, w.a.product_id)
    r = client.post(
        f"/v1/admin/bookings/{ref}/cancel", json={"reason": "维修"}, headers=w.a.admin.headers
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["status"] == "cancelled"
    assert body["cancellation"]["cancelled_by"] == "operator"
    assert body["cancellation"]["refund_terms"] == "full_refund"
    assert body["cancellation"]["was_status"] == "confirmed"
    # Pay at property: nothing was paid, so nothing is refunded, whatever the terms.
    assert (body["cancellation"]["refundable_fen"], body["cancellation"]["lines"]) == (0, [])
    assert (body["cancellation"]["paid_fen"], body["cancellation"]["refund_fen"]) == (0, 0)
    read = client.get(f"/v1/admin/bookings/{ref}", headers=w.a.admin.headers).json()
    assert (read["cancellation"]["refundable_fen"], read["cancellation"]["lines"]) == (0, [])
    again = client.post(f"/v1/admin/bookings/{ref}/cancel", headers=w.a.admin.headers)
    assert again.status_code == 200 and again.json()["cancellation"] == body["cancellation"]
    assert (
        client.post(f"/v1/admin/bookings/{ref}/cancel", headers=w.province.headers).status_code
        == 403
    )


def paid_online(client, settings, w) -> dict:
    """A booking of A's product from ``FIRST`` for 3 nights, paid at the fake Stripe."""
    stay = Stay(w.a.product_id, FIRST.isoformat(), (FIRST + timedelta(days=3)).isoformat())
    booking, _ = paid_and_confirmed(client, settings, stay)
    return booking


def test_operator_cancelling_a_paid_booking_refunds_it_through_stripe(
    db, pay_client, stripe_settings
):
    """The operator's cancel hands the payments port to bookings, as the traveller's
    does: a booking paid online gets its refund requested in the same transaction."""
    w = world(db)
    booking = paid_online(pay_client, stripe_settings, w)
    r = pay_client.post(
        f"/v1/admin/bookings/{booking['reference']}/cancel", headers=w.a.admin.headers
    )
    assert r.status_code == 200, r.text
    row = booking_row(db, booking["reference"])
    (refund,) = refunds_of(db, row.id)
    assert row.status == "cancelled" and refund.amount_fen == row.refund_requested_fen
    assert (row.refunded_fen, row.refund_status) == (0, "pending")  # the worker makes it
    read = pay_client.get(
        f"/v1/admin/bookings/{booking['reference']}", headers=w.a.admin.headers
    ).json()
    assert (read["refunded_fen"], read["refund_requested_fen"], read["refund_status"]) == (
        0,
        row.total_fen,
        "pending",
    )


def test_the_operator_cancelling_refunds_everything_paid_whatever_the_policy(
    db, pay_client, stripe_settings
):
    """Ten days before check-in the product's policy gives 50%; the operator cancelling
    of its own accord refunds all of it through Stripe (paid by the worker at the fake
    Stripe), and says so: the cancellation's terms and lines, the event, the audit."""
    w = world(db)
    booking = paid_online(pay_client, stripe_settings, w)
    ref, total = booking["reference"], booking["total_fen"]
    at = FixedClock.on(FIRST - timedelta(days=10), time(10))
    pay_client.app.state.clock = at
    r = pay_client.post(
        f"/v1/admin/bookings/{ref}/cancel",
        json={"reason": "锅炉检修"},
        headers={**w.a.admin.headers, "Accept-Language": "en"},
    )
    assert r.status_code == 200, r.text
    c = r.json()["cancellation"]
    assert (c["cancelled_by"], c["refund_terms"]) == ("operator", "full_refund")
    assert (c["paid_fen"], c["refundable_fen"], c["refund_fen"]) == (total, total, total)
    assert c["refund_method"] == "stripe" and c["reason"] == "锅炉检修"
    assert c["refund_terms_note"] == c["refund_terms_note_en"]
    assert c["refund_terms_note_en"].startswith("Cancelled by the operator: everything paid")
    assert c["refund_terms_note_zh"].startswith("运营方取消：已付款项全额退还")
    (line,) = c["lines"]
    assert (line["refund_bps"], line["amount_fen"], line["days_before"]) == (10000, total, 10)
    assert "(cancelled by the operator: refunded in full, ¥" in line["label"]
    row = booking_row(db, ref)
    assert (row.status, row.status_reason, row.refund_requested_fen) == (
        "cancelled",
        "cancelled_by_operator",
        total,
    )
    with db.session() as s:
        event = s.exec(
            select(OutboxEvent).where(
                OutboxEvent.booking_id == row.id, OutboxEvent.event_type == "booking.cancelled"
            )
        ).one()
    assert (event.payload["refund_fen"], event.payload["refund_terms"]) == (total, "full_refund")
    log = pay_client.get("/v1/admin/audit", headers=w.a.admin.headers).json()["items"]
    assert log[0]["after"] == {
        "status": "cancelled",
        "refund_fen": total,
        "refund_terms": "full_refund",
    }
    # The traveller reads the same cancellation, in their language (zh-CN by default).
    mine = pay_client.get(f"/v1/bookings/{ref}", headers={"X-Booking-Token": booking["token"]})
    assert mine.json()["cancellation"]["refund_terms"] == "full_refund"
    assert mine.json()["cancellation"]["refund_terms_note"] == c["refund_terms_note_zh"]
    execute_refunds(db, stripe_settings, at.now())
    (refund,) = refunds_of(db, row.id)
    assert (refund.status, refund.amount_fen) == ("succeeded", total)


def test_cancelling_at_the_travellers_request_applies_the_policy(db, pay_client, stripe_settings):
    """``on_behalf_of_traveller``: the refund is exactly the traveller's own cancel's on
    that day (the same computation): 50% ten days before check-in, through Stripe."""
    from service.bookings.cancellation import BY_TRAVELLER, cancellation_terms
    from service.bookings.repository import items_of, legs_of

    w = world(db)
    booking = paid_online(pay_client, stripe_settings, w)
    ref, total = booking["reference"], booking["total_fen"]
    at = FixedClock.on(FIRST - timedelta(days=10), time(10))
    pay_client.app.state.clock = at
    row = booking_row(db, ref)
    with db.session() as s:
        items, legs = items_of(s, [row.id])[row.id], legs_of(s, [row.id])[row.id]
        own = cancellation_terms(s, row, items, legs, by=BY_TRAVELLER, now=at.now())
    r = pay_client.post(
        f"/v1/admin/bookings/{ref}/cancel",
        json={"on_behalf_of_traveller": True},
        headers=w.a.admin.headers,
    )
    assert r.status_code == 200, r.text
    c = r.json()["cancellation"]
    assert (c["cancelled_by"], c["refund_terms"]) == ("operator", "policy")
    assert c["refund_terms_note"] == "应旅客要求由运营方取消：按产品的退款规则退款。"
    assert c["refund_fen"] == own["refund_fen"] == (total * 5000 + 5000) // 10000
    assert [ln["label_zh"] for ln in c["lines"]] == [ln["label_zh"] for ln in own["lines"]]
    (refund,) = refunds_of(db, row.id)
    assert refund.amount_fen == own["refund_fen"] < total


def test_on_behalf_of_traveller_takes_only_a_json_boolean(db, client):
    w = world(db)
    ref = book(db, w.a.product_id)
    r = client.post(
        f"/v1/admin/bookings/{ref}/cancel",
        json={"on_behalf_of_traveller": "yes"},
        headers={**w.a.admin.headers, "Accept-Language": "en"},
    )
    assert r.status_code == 422, r.text
    assert r.json()["field"] == "on_behalf_of_traveller"
    assert booking_row(db, ref).status == "confirmed"


def test_a_checked_in_stay_is_never_cancelled_nor_put_back_on_sale(db, client):
    """Once the front desk checks an item in, cancelling is 409 ``stay_started`` for the
    operator and the traveller alike (the preview too); nothing changes, the nights stay
    taken."""
    from service.bookings import errors as booking_errors
    from service.bookings.cancellation import BY_TRAVELLER, cancel_booking, cancellation_terms
    from service.bookings.repository import items_of, legs_of
    from service.errors import DomainError
    from tests.service.booking_support import booking_row as row_of
    from tests.service.booking_support import taken

    w = world(db)
    ref = book(db, w.a.product_id)
    client.app.state.clock = arrival = FixedClock.on(FIRST, time(10))
    url = f"/v1/admin/bookings/{ref}/stay-status"
    r = client.post(url, json={"item_index": 0, "status": "checked_in"}, headers=w.a.staff.headers)
    assert r.status_code == 200, r.text
    before = taken(db, w.a.product_id)
    r = client.post(f"/v1/admin/bookings/{ref}/cancel", headers=w.a.admin.headers)
    assert r.status_code == 409 and r.json()["code"] == "stay_started", r.text
    assert r.json()["field"] == "items[0]"
    assert r.json()["detail"].startswith("此预订的第 1 段住宿已入住："), r.text  # never 第 0 项
    r = client.post(
        f"/v1/admin/bookings/{ref}/cancel",
        headers={**w.a.admin.headers, "Accept-Language": "en"},
    )
    assert r.json()["detail"].startswith("Stay 1 of this booking is checked in:"), r.text
    with db.session() as session:
        b = row_of(db, ref)
        items, legs = items_of(session, [b.id])[b.id], legs_of(session, [b.id])[b.id]
        for attempt in (
            lambda: cancellation_terms(session, b, items, legs, by=BY_TRAVELLER, now=arrival.now()),
            lambda: cancel_booking(session, b, by=BY_TRAVELLER, now=arrival.now()),
        ):
            try:
                attempt()
            except DomainError as exc:
                assert exc.code == booking_errors.STAY_STARTED
            else:
                raise AssertionError("a checked-in stay was cancelled")
        session.rollback()
    assert row_of(db, ref).status == "confirmed"
    assert taken(db, w.a.product_id) == before


def test_the_operators_cancel_is_idempotent_by_itself_and_reads_no_idempotency_key(db, client):
    """A retry, with any Idempotency-Key or none and another body, returns the first
    cancellation on its terms: one cancellation, one audit entry. The operation does not
    declare the header (its description says why)."""
    w = world(db)
    ref = book(db, w.a.product_id)
    url = f"/v1/admin/bookings/{ref}/cancel"
    h = w.a.admin.headers
    first = client.post(url, json={"reason": "维修"}, headers={**h, "Idempotency-Key": "k-1"})
    again = client.post(
        url, json={"on_behalf_of_traveller": True}, headers={**h, "Idempotency-Key": "k-2"}
    )
    bare = client.post(url, headers=h)
    assert first.status_code == again.status_code == bare.status_code == 200, first.text
    assert (
        again.json()["cancellation"] == bare.json()["cancellation"] == first.json()["cancellation"]
    )
    assert first.json()["cancellation"]["refund_terms"] == "full_refund"
    audit = client.get("/v1/admin/audit?entity=booking", headers=h).json()["items"]
    assert [e["action"] for e in audit if e["entity_id"] == ref] == ["cancel"]
    op = client.get("/openapi.json").json()["paths"]["/v1/admin/bookings/{reference}/cancel"]
    assert "Idempotency-Key" not in {p["name"] for p in op["post"].get("parameters", [])}
    assert "no `Idempotency-Key`" in op["post"]["description"]


def test_operator_cancel_reason_refuses_control_characters_and_keeps_newlines(db, client):
    w = world(db)
    ref = book(db, w.a.product_id)
    url = f"/v1/admin/bookings/{ref}/cancel"
    bad = client.post(url, json={"reason": "维修\u0000"}, headers=w.a.admin.headers)
    assert bad.status_code == 422, bad.text
    assert bad.headers["content-type"].startswith("application/problem+json")
    assert bad.json()["field"] == "reason"
    assert (
        client.get(f"/v1/admin/bookings/{ref}", headers=w.a.admin.headers).json()["status"]
        == "confirmed"
    )
    ok = client.post(url, json={"reason": "设施维修\n无法接待"}, headers=w.a.admin.headers)
    assert ok.status_code == 200 and ok.json()["status"] == "cancelled", ok.text
