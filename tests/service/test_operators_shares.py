"""Who is paid what of a trip across destinations (``service.bookings.shares``): every
stay's share of the total, a transfer's fare with the stay the traveller boards it from,
the shares summing to the total; each operator sees its own destination's amount, never
the trip's, in the admin API and in the console, paid at the property or online."""

from datetime import date, time, timedelta
from types import SimpleNamespace

from sqlmodel import select

from service.auth import ANONYMOUS
from service.bookings.models import BookingItem, BookingLeg
from service.bookings.shares import carrier, shares
from service.operators.bookings import split_exactly
from service.pages.formats import yuan
from tests.factories import make_line
from tests.service.booking_support import book_in_service, booking_row, item, make_quote
from tests.support.clock import FixedClock
from tests.support.console import log_in, post_form
from tests.support.operators import FIRST, move_leg, world
from tests.support.pages import page_text

FARE = 5_600  # the test line's fare, per rider


def _stay(index, first, nights, net=1_000):
    return SimpleNamespace(
        item_index=index,
        check_in=first,
        check_out=first + timedelta(days=nights),
        net_fen=net,
    )


def _leg(index, day, net=100):
    return SimpleNamespace(leg_index=index, travel_date=day, net_fen=net)


def test_a_fare_goes_with_the_stay_the_traveller_boards_it_from():
    d = date(2027, 7, 1)
    changbai, yanji = _stay(0, d, 14, 400_620), _stay(1, d + timedelta(days=14), 28, 555_206)
    stays = [changbai, yanji]
    # on the day they move (Changbai's check-out, Yanji's check-in): Changbai's
    assert carrier(stays, _leg(0, d + timedelta(days=14))) == 0
    # the ride there, on or before the first check-in: the first stay's
    assert carrier(stays, _leg(0, d)) == 0
    assert carrier(stays, _leg(0, d - timedelta(days=1))) == 0
    # a day trip during a stay, and the ride home on the last day: where they stay
    assert carrier(stays, _leg(0, d + timedelta(days=20))) == 1
    assert carrier(stays, _leg(0, d + timedelta(days=42))) == 1
    # the order the stays are listed in does not matter, only their days
    assert carrier([yanji, changbai], _leg(0, d + timedelta(days=14))) == 0
    # two rooms at one destination from the same day: the stay listed first
    twin = _stay(2, d, 14)
    assert carrier([twin, changbai, yanji], _leg(0, d + timedelta(days=3))) == 0
    split = shares(stays, [_leg(0, d + timedelta(days=14), 11_200)])
    assert split.fen == {0: 411_820, 1: 555_206} and split.carrier == {0: 0}
    assert sum(split.fen.values()) == 400_620 + 555_206 + 11_200  # the tester's ¥9,670.26
    assert split.legs_with([changbai]) == [0] and split.legs_with([yanji]) == []


def _trip(db, w, *, riders=2):
    """A's stay (FIRST, 5 nights), then B's (4 nights), the transfer between them on the
    day they move, boarding at A and alighting at B; paid at the property."""
    move, leg = move_leg(db, w, riders=riders)
    quote = make_quote(
        db,
        ANONYMOUS,
        item(w.a.product_id, check_in=FIRST, nights=5),
        item(w.b.product_id, check_in=move, nights=4),
        legs=[leg],
    )
    reference = book_in_service(db, ANONYMOUS, quote)
    assert reference.startswith("JL-"), reference
    return reference


def _rows(db, reference):
    row = booking_row(db, reference)
    with db.session() as s:
        items = s.exec(select(BookingItem).where(BookingItem.booking_id == row.id)).all()
        legs = s.exec(select(BookingLeg).where(BookingLeg.booking_id == row.id)).all()
    return row, sorted(items, key=lambda i: i.item_index), legs


def test_each_operator_reads_its_own_amount_and_the_fare_is_collected_once(db, client):
    """The tester's JL-DE6Z7A: paid at the property, A's desk collects A's stay and the
    transfer that leaves A, B's desk B's stay; together the total, to the fen. Neither
    reads the trip's total; the province, which sees every stay, does."""
    w = world(db)
    ref = _trip(db, w)
    row, (a, b), (leg,) = _rows(db, ref)
    assert row.payment_mode == "pay_at_property" and leg.net_fen == 2 * FARE
    assert a.net_fen + b.net_fen + leg.net_fen == row.total_fen
    seen = {}
    for place, own in ((w.a, a.net_fen + leg.net_fen), (w.b, b.net_fen)):
        detail = client.get(f"/v1/admin/bookings/{ref}", headers=place.admin.headers).json()
        assert detail["total_fen"] is None and detail["spans_other_destinations"] is True
        assert detail["destination_total_fen"] == own == detail["to_collect_fen"]
        listed = client.get("/v1/admin/bookings", headers=place.admin.headers).json()["items"]
        assert [(x["total_fen"], x["destination_total_fen"]) for x in listed] == [(None, own)]
        seen[place.destination_id] = detail
    assert [i["leg_indexes"] for i in seen[w.a.destination_id]["items"]] == [[0]]
    assert [i["leg_indexes"] for i in seen[w.b.destination_id]["items"]] == [[]]
    assert sum(d["to_collect_fen"] for d in seen.values()) == row.total_fen
    province = client.get(f"/v1/admin/bookings/{ref}", headers=w.province.headers).json()
    assert province["total_fen"] == province["destination_total_fen"] == row.total_fen
    assert province["spans_other_destinations"] is False
    assert [i["leg_indexes"] for i in province["items"]] == [[0], []]


def test_the_console_shows_each_operator_its_own_amount_and_who_takes_the_fare(db, client):
    w = world(db)
    ref = _trip(db, w)
    row, (a, b), (leg,) = _rows(db, ref)
    page = f"/console/bookings/{ref}"
    log_in(client, w.a.staff.login)
    mine = a.net_fen + leg.net_fen
    zh = page_text(client.get(page).text)
    assert f"本目的地金额 {yuan(mine)}" in zh
    assert f"入住时向旅客收取 {yuan(mine)}（本目的地住宿的金额，含从这里出发的交通车费；" in zh
    # the stay it is paid with by what the page shows of it, its product and dates
    assert f"车费 {yuan(leg.net_fen)}，计入本目的地金额（随住宿 {a.product_name_zh}（" in zh
    en = page_text(client.get(page, headers={"Accept-Language": "en"}).text)
    assert f"Collect {yuan(mine)} from the guest at check-in" in en
    said = f"Fare {yuan(leg.net_fen)}, part of your destination's amount (paid with the stay "
    assert said + f"{a.product_name_en}, " in en and "stay 1" not in en.lower()
    listed = page_text(client.get("/console/bookings").text)
    assert f"{yuan(mine)} 本目的地部分" in listed
    assert "总价" not in zh  # the list's column says it, each row the amount it is
    for text in (zh, en, listed):
        assert yuan(row.total_fen) not in text
    client.cookies.clear()
    log_in(client, w.b.staff.login)
    zh = page_text(client.get(page).text)
    assert f"本目的地金额 {yuan(b.net_fen)}" in zh
    assert f"入住时向旅客收取 {yuan(b.net_fen)}（" in zh
    assert "车费计入行程中其他目的地的金额。" in zh
    listed = page_text(client.get("/console/bookings").text)
    for text in (zh, listed):
        assert yuan(row.total_fen) not in text and yuan(leg.net_fen) not in text
    # B's one stay is the trip's second: its page names it, never "stay 2" (it lists one)
    client.app.state.clock = FixedClock.on(b.check_in, time(10))
    status = {"item_index": str(b.item_index), "status": "checked_in"}
    assert post_form(client, f"{page}/stay-status", status, page).status_code == 303
    zh = page_text(client.get(page).text)
    en = page_text(client.get(page, headers={"Accept-Language": "en"}).text)
    assert f"住宿 {b.product_name_zh}（" in zh and "第 2 段" not in zh
    assert f"The stay {b.product_name_en}, " in en and "Stay 2" not in en


def test_an_operator_reads_a_transfer_fare_only_when_it_is_its_own(db, client):
    """The admin API as the console: the transfer A's stay carries shows its fare to A
    and to the province, to B (whose amount it is not part of) null."""
    w = world(db)
    ref = _trip(db, w)
    _row, _items, (leg,) = _rows(db, ref)
    fares = {}
    for who, headers in (("a", w.a.admin.headers), ("b", w.b.admin.headers)):
        detail = client.get(f"/v1/admin/bookings/{ref}", headers=headers).json()
        fares[who] = [g["net_fen"] for g in detail["legs"]]
    province = client.get(f"/v1/admin/bookings/{ref}", headers=w.province.headers).json()
    fares["province"] = [g["net_fen"] for g in province["legs"]]
    assert fares == {"a": [leg.net_fen], "b": [None], "province": [leg.net_fen]}
    assert leg.net_fen == 2 * FARE


def test_one_destination_collects_the_whole_total_fare_included(db, client):
    """The same rule for one destination: its desk collects every stay and every fare,
    the total; a stay recorded as a no-show is not collected, nor the fare that goes
    with it (the ride after it), while a later stay's is."""
    w = world(db)
    with db.write_session() as s:
        line_id = make_line(s).id
        s.commit()
    quote = make_quote(
        db,
        ANONYMOUS,
        item(w.a.product_id, check_in=FIRST, nights=2),
        item(w.a.product_id, check_in=FIRST + timedelta(days=5), nights=2),
        legs=[
            {"line_id": line_id, "travel_date": FIRST.isoformat(), "riders": 1},
            {
                "line_id": line_id,
                "travel_date": (FIRST + timedelta(days=6)).isoformat(),
                "riders": 2,
            },
        ],
    )
    ref = book_in_service(db, ANONYMOUS, quote)
    row, (first, later), legs = _rows(db, ref)
    ride_there, day_trip = sorted(legs, key=lambda g: g.leg_index)
    detail = client.get(f"/v1/admin/bookings/{ref}", headers=w.a.admin.headers).json()
    assert detail["total_fen"] == detail["destination_total_fen"] == row.total_fen
    assert detail["to_collect_fen"] == row.total_fen
    assert [i["leg_indexes"] for i in detail["items"]] == [[0], [1]]
    log_in(client, w.a.staff.login)
    page = f"/console/bookings/{ref}"
    zh = page_text(client.get(page).text)
    assert f"总价 {yuan(row.total_fen)}" in zh
    assert f"入住时向旅客收取 {yuan(row.total_fen)}。" in zh
    assert f"车费 {yuan(ride_there.net_fen)}。" in zh
    client.app.state.clock = FixedClock.on(FIRST, time(10))
    status = {"item_index": "0", "status": "no_show"}
    assert post_form(client, f"{page}/stay-status", status, page).status_code == 303
    rest = later.net_fen + day_trip.net_fen
    assert f"入住时向旅客收取 {yuan(rest)}（尚待入住的住宿的金额；" in page_text(
        client.get(page).text
    )
    detail = client.get(f"/v1/admin/bookings/{ref}", headers=w.a.admin.headers).json()
    assert detail["to_collect_fen"] == rest and detail["destination_total_fen"] == row.total_fen
    assert first.net_fen + ride_there.net_fen + rest == row.total_fen


def _paid_as(db, reference, mode):
    """The booking written as a payment online (Stripe) or the partner's collection
    leaves it: confirmed, paid, nothing to collect."""
    with db.write_session() as s:
        row = s.merge(booking_row(db, reference))
        row.payment_mode = mode
        s.add(row)
        s.commit()


def test_a_trip_paid_online_shows_each_operator_its_own_part_only(db, client):
    w = world(db)
    ref = _trip(db, w)
    row, (a, b), (leg,) = _rows(db, ref)
    page = f"/console/bookings/{ref}"
    for mode, zh_said, en_said in (
        (
            "stripe",
            "已在线付款，其中本目的地的金额为 {}；入住时无需收款。",
            "Paid online; your destination's part: {}.",
        ),
        (
            "merchant_collects",
            "合作渠道已向旅客收款，其中本目的地的金额为 {}；入住时无需收款。",
            "The booking partner collected the payment from the traveller; your "
            "destination's part: {}.",
        ),
    ):
        _paid_as(db, ref, mode)
        for place, own in ((w.a, a.net_fen + leg.net_fen), (w.b, b.net_fen)):
            client.cookies.clear()
            log_in(client, place.staff.login)
            zh = page_text(client.get(page).text)
            en = page_text(client.get(page, headers={"Accept-Language": "en"}).text)
            assert zh_said.format(yuan(own)) in zh and en_said.format(yuan(own)) in en
            assert yuan(row.total_fen) not in zh + en
            detail = client.get(f"/v1/admin/bookings/{ref}", headers=place.admin.headers).json()
            assert (detail["total_fen"], detail["destination_total_fen"]) == (None, own)
            assert detail["to_collect_fen"] is None


def _cancelled_trip(db, w):
    """The two-destination trip, paid to the partner and cancelled by it."""
    from datetime import UTC, datetime

    from service.bookings.cancellation import BY_PARTNER, cancel_booking

    ref = _trip(db, w)
    _paid_as(db, ref, "merchant_collects")
    with db.write_session() as s:
        cancel_booking(s, s.merge(booking_row(db, ref)), by=BY_PARTNER, now=datetime.now(UTC))
        s.commit()
    return ref


def test_a_cancelled_trip_shows_each_operator_its_own_refund(db, client):
    """Paid to the partner, cancelled by the traveller: each operator reads its own lines
    of the cancellation (its stays, the transfers paid with them) and its part of what
    was paid and refunded; the parts add up to the trip's, and neither operator's page
    says the trip's."""
    w = world(db)
    ref = _cancelled_trip(db, w)
    row, (a, b), (leg,) = _rows(db, ref)
    whole = row.cancellation
    assert row.status == "cancelled" and whole["refund_fen"] == row.refunded_fen > 0
    parts = {}
    for place, lines in ((w.a, [("item", 0), ("leg", 0)]), (w.b, [("item", 1)])):
        detail = client.get(f"/v1/admin/bookings/{ref}", headers=place.admin.headers).json()
        mine = detail["cancellation"]
        assert [(x["kind"], x["index"]) for x in mine["lines"]] == lines
        assert mine["refund_fen"] == sum(x["amount_fen"] for x in mine["lines"])
        assert mine["paid_fen"] == detail["destination_total_fen"]
        assert detail["refunded_fen"] == mine["refund_fen"]
        parts[place.destination_id] = (mine["paid_fen"], mine["refund_fen"])
        client.cookies.clear()
        log_in(client, place.staff.login)
        zh = page_text(client.get(f"/console/bookings/{ref}").text)
        assert f"本次取消应退 {yuan(mine['refund_fen'])}" in zh
        assert yuan(row.total_fen) not in zh and yuan(whole["refund_fen"]) not in zh
    assert [sum(p) for p in zip(*parts.values(), strict=True)] == [
        row.total_fen,
        whole["refund_fen"],
    ]
    province = client.get(f"/v1/admin/bookings/{ref}", headers=w.province.headers).json()
    assert province["cancellation"]["refund_fen"] == whole["refund_fen"]
    assert len(province["cancellation"]["lines"]) == 3


def test_a_refund_made_in_part_is_split_to_the_fen():
    """The largest remainder method: the parts always sum to what was made, whatever the
    amounts (one fen, odd amounts, one fen short of the whole), never more than a fen
    from the exact proportion, and the same weights in the same order split the same."""
    cases = [[1, 1], [3, 3, 3], [411_820, 555_206], [1, 0, 2], [7, 5], [100_000, 100_000, 1]]
    for weights in cases:
        whole = sum(weights)
        for total in sorted({0, 1, 2, 3, whole // 2, whole // 3 + 1, whole - 1, whole}):
            if not 0 <= total <= whole:
                continue
            parts = split_exactly(total, weights)
            assert sum(parts) == total, (total, weights, parts)
            for part, w in zip(parts, weights, strict=True):
                assert 0 <= part - total * w // whole <= 1 and (w or not part)
    assert split_exactly(1, [1, 1]) == [1, 0]  # never both 0
    assert split_exactly(100_001, [100_000, 100_000, 2]) == [50_000, 50_000, 1]
    assert split_exactly(5, [0, 0]) == [0, 0]


def test_a_refund_made_in_part_reads_in_parts_that_sum_to_it(db, client):
    """A failed refund of a cancelled trip after a part was made: each operator's
    `refunded_fen` is its part of what was made, and the parts sum to it exactly (one
    fen, odd amounts), where rounding each down lost a fen or both read 0."""
    w = world(db)
    ref = _cancelled_trip(db, w)
    asked = booking_row(db, ref).cancellation["refund_fen"]
    assert asked > 3
    for made in (1, 2, 3, asked // 2 + 1, asked - 1):
        with db.write_session() as s:  # as a Stripe refund that failed after a part was made
            row = s.merge(booking_row(db, ref))
            row.refund_requested_fen, row.refunded_fen, row.refund_status = asked, made, "failed"
            s.add(row)
            s.commit()
        parts = [
            client.get(f"/v1/admin/bookings/{ref}", headers=place.admin.headers).json()
            for place in (w.a, w.b)
        ]
        assert sum(p["refunded_fen"] for p in parts) == made, (made, parts)
        for p in parts:
            assert 0 <= p["refunded_fen"] <= p["refund_requested_fen"]
        assert sum(p["refund_requested_fen"] for p in parts) == asked


def test_a_retried_refund_of_a_trip_across_destinations_says_and_audits_the_part(
    db, client, monkeypatch
):
    """The trip's refund is one payment: retried, it is asked for whole, but the page's
    hint says so with B's part as the amount, and the audit entry filed under B's
    destination records B's part of what was refunded and asked again, never the
    trip's."""
    from service.operators.models import AuditEntry
    from service.payments import refunds

    w = world(db)
    ref = _cancelled_trip(db, w)
    row, (_a, b), _legs = _rows(db, ref)
    asked = row.cancellation["refund_fen"]
    with db.write_session() as s:  # as a Stripe refund that failed after 1 fen was made
        row = s.merge(booking_row(db, ref))
        row.payment_mode, row.refund_status = "stripe", "failed"
        row.refund_requested_fen, row.refunded_fen = asked, 1
        s.add(row)
        s.commit()
    b_part = client.get(f"/v1/admin/bookings/{ref}", headers=w.b.admin.headers).json()
    owed = b_part["refund_requested_fen"] - b_part["refunded_fen"]
    assert b_part["refund_requested_fen"] == b.net_fen < asked and owed > 0
    page = f"/console/bookings/{ref}"
    log_in(client, w.b.staff.login)
    zh = page_text(client.get(page).text)
    assert "请 Stripe 再次办理整个行程失败的退款" in zh
    assert f"其中本目的地的部分为 {yuan(owed)}" in zh
    en = page_text(client.get(page, headers={"Accept-Language": "en"}).text)
    assert "as one payment for the whole trip (the other destinations' parts too); of it, " in en
    assert f"{yuan(owed)} is your destination's part." in en
    assert yuan(asked - 1) not in zh + en

    def retried(session, booking, now):  # the refund rows are the payments' own tests'
        booking.refund_status = "pending"
        session.add(booking)
        return [SimpleNamespace(amount_fen=asked - 1)]

    monkeypatch.setattr(refunds, "retry_failed", retried)
    r = client.post(f"/v1/admin/bookings/{ref}/retry-refund", headers=w.b.admin.headers)
    assert r.status_code == 200 and r.json()["refund_status"] == "pending", r.text
    with db.session() as s:
        (entry,) = s.exec(select(AuditEntry).where(AuditEntry.action == "retry_refund")).all()
    assert entry.before == {"refund_status": "failed", "refunded_fen": b_part["refunded_fen"]}
    assert entry.after == {"refund_status": "pending", "refund_fen": owed}
