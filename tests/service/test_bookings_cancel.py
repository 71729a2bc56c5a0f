"""Cancelling: refund by the product's policy, nights and stubs back, refunded once."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from catalog.models import TicketStub
from service.auth import ANONYMOUS
from service.bookings import service as bookings
from service.bookings.models import Booking
from service.bookings.outbox import OutboxEvent
from service.cli import main as cli
from service.clock import Clock
from service.errors import Conflict
from tests.service.booking_support import (
    add_partner,
    add_product,
    add_stub_line,
    book_in_service,
    booking_row,
    item,
    make_quote,
    post_booking,
    quote_http,
    taken,
)
from tests.support.console import log_in
from tests.support.operators import FIRST, world


def _cancel(client, ref: str, headers: dict, key: str | None = None):
    return client.post(
        f"/v1/bookings/{ref}/cancel",
        json={"reason": "行程有变"},
        headers={**headers, "Idempotency-Key": key or str(uuid.uuid4())},
    )


def _cancel_events(db) -> int:
    with db.session() as s:
        return len(
            list(s.exec(select(OutboxEvent).where(OutboxEvent.event_type == "booking.cancelled")))
        )


def test_a_traveller_cancels_and_the_nights_come_back(db, client):
    product = add_product(db, units=3, nights=3)
    created = post_booking(client, quote_http(client, item(product, nights=3))["id"]).json()
    r = _cancel(client, created["reference"], {"X-Booking-Token": created["token"]})
    body = r.json()
    assert r.status_code == 200
    assert (body["status"], body["status_reason"]) == ("cancelled", "cancelled_by_traveller")
    assert set(taken(db, product).values()) == {0}
    assert _cancel_events(db) == 1


def test_pay_at_property_cancellation_states_no_refund_of_money_never_paid(db, client):
    """Nothing was paid: no refund lines ("refunded in full, ¥…") and nothing refundable,
    in the cancel's answer, every later read and the admin API (newcomer finding 7)."""
    product = add_product(db)  # policy: 30 days 100%, 7 days 50%, 0 days 0%
    created = post_booking(client, quote_http(client, item(product))["id"]).json()
    token = {"X-Booking-Token": created["token"], "Accept-Language": "en"}
    r = _cancel(client, created["reference"], token)
    c = r.json()["cancellation"]
    assert (c["paid_fen"], c["refund_fen"], c["refund_method"]) == (0, 0, "none")
    assert (c["refundable_fen"], c["lines"]) == (0, [])
    assert r.json()["refunded_fen"] == 0
    read = client.get(f"/v1/bookings/{created['reference']}", headers=token).json()
    assert read["cancellation"] == c
    # A cancellation recorded before the rule (lines and refundable stored) reads the same.
    with db.write_session() as s:
        row = s.exec(select(Booking).where(Booking.reference == created["reference"])).one()
        row.cancellation = {
            **row.cancellation,
            "refundable_fen": created["total_fen"],
            "lines": [
                {
                    "kind": "item",
                    "index": 0,
                    "label_zh": "x",
                    "label_en": "x",
                    "base_fen": created["total_fen"],
                    "refund_bps": 10000,
                    "amount_fen": created["total_fen"],
                    "days_before": 60,
                    "tier_min_days": 30,
                }
            ],
        }
        s.add(row)
        s.commit()
    old = client.get(f"/v1/bookings/{created['reference']}", headers=token).json()
    assert (old["cancellation"]["refundable_fen"], old["cancellation"]["lines"]) == (0, [])


def test_a_paid_cancellation_itemises_the_policy(db, client):
    partner = add_partner(db, "merchant", merchant_collects=True)
    product = add_product(db)  # 60 days ahead: the 100% tier
    quote = quote_http(client, item(product), headers=partner.headers)
    created = post_booking(client, quote["id"], headers=partner.headers).json()
    c = _cancel(client, created["reference"], partner.headers).json()["cancellation"]
    assert c["paid_fen"] == c["refundable_fen"] == c["refund_fen"] == created["total_fen"]
    assert c["lines"][0]["refund_bps"] == 10000 and c["lines"][0]["tier_min_days"] == 30


def test_a_merchant_partner_cancellation_refunds_by_the_tier_met(db, client):
    partner = add_partner(db, "merchant", merchant_collects=True)
    check_in = Clock().today() + timedelta(days=10)  # the 7-day tier: 50%
    product = add_product(db, first=check_in, nights=5)
    quote = quote_http(client, item(product, check_in=check_in), headers=partner.headers)
    created = post_booking(client, quote["id"], headers=partner.headers).json()
    body = _cancel(client, created["reference"], partner.headers).json()
    net = quote["items"][0]["net_fen"]
    assert body["cancellation"]["refund_method"] == "partner"
    assert body["cancellation"]["lines"][0]["refund_bps"] == 5000
    assert (
        body["refunded_fen"] == body["cancellation"]["refund_fen"] == (net * 5000 + 5000) // 10000
    )
    assert body["status_reason"] == "cancelled_by_partner"


def test_cancelling_twice_refunds_once(db, client):
    partner = add_partner(db, "merchant", merchant_collects=True)
    quote_id = quote_http(client, item(add_product(db)), headers=partner.headers)["id"]
    ref = post_booking(client, quote_id, headers=partner.headers).json()["reference"]
    first = _cancel(client, ref, partner.headers).json()
    second = _cancel(client, ref, partner.headers).json()  # a new key: not a replay
    assert second["cancellation"] == first["cancellation"]
    assert second["refunded_fen"] == first["refunded_fen"]
    assert second["version"] == first["version"]
    assert _cancel_events(db) == 1


def test_an_expired_hold_cannot_be_cancelled(db):
    product = add_product(db)
    ref = book_in_service(db, ANONYMOUS, make_quote(db, ANONYMOUS, item(product)))
    with db.write_session() as s:
        b = s.exec(select(Booking).where(Booking.reference == ref)).one()
        b.status, b.inventory_held = "expired", False
        s.add(b)
        s.commit()
        with pytest.raises(Conflict) as err:
            bookings.cancel_booking(s, b, by="operator", now=datetime.now(UTC))
    assert err.value.code == "not_cancellable"


def test_an_operator_cancels_from_the_command_line(db, monkeypatch, capsys):
    product = add_product(db, units=1, nights=3)
    ref = book_in_service(db, ANONYMOUS, make_quote(db, ANONYMOUS, item(product, nights=3)))
    monkeypatch.setenv("DATABASE_URL", db.settings.database_url)
    assert cli(["cancel-booking", ref, "--reason", "设施维修"]) == 0
    assert cli(["cancel-booking", ref]) == 0
    out = capsys.readouterr().out
    assert "already cancelled" in out and "(full_refund)" in out
    assert booking_row(db, ref).status_reason == "cancelled_by_operator"
    assert booking_row(db, ref).cancellation["refund_terms"] == "full_refund"
    assert set(taken(db, product).values()) == {0}
    # The traveller asked: the product's policy, as the admin API's on_behalf_of_traveller.
    asked = book_in_service(db, ANONYMOUS, make_quote(db, ANONYMOUS, item(product, nights=3)))
    assert cli(["cancel-booking", asked, "--on-behalf-of-traveller"]) == 0
    assert "(policy)" in capsys.readouterr().out
    assert booking_row(db, asked).cancellation["refund_terms"] == "policy"


def test_a_cancel_from_the_command_line_is_in_the_audit_log(db, client, monkeypatch, capsys):
    """As every operator's cancel: one entry in each booked destination's log, under the
    command's name (no account), a trip across two destinations too (the command has no
    scope: the people who run the system run it). It wrote none until December 2026."""
    w = world(db)
    quote = make_quote(
        db,
        ANONYMOUS,
        item(w.a.product_id, check_in=FIRST, nights=2),
        item(w.b.product_id, check_in=FIRST + timedelta(days=2), nights=2),
    )
    ref = book_in_service(db, ANONYMOUS, quote)
    monkeypatch.setenv("DATABASE_URL", db.settings.database_url)
    assert cli(["cancel-booking", ref]) == 0
    assert cli(["cancel-booking", ref]) == 0  # again: nothing changes, nothing more logged
    assert cli(["cancel-booking", "JL-NOSUCH"]) == 2
    assert "error: no booking JL-NOSUCH" in capsys.readouterr().err
    for place in (w.a, w.b):
        entries = client.get(
            "/v1/admin/audit", params={"entity": "booking"}, headers=place.admin.headers
        ).json()["items"]
        assert [(e["entity_id"], e["action"], e["account_id"]) for e in entries] == [
            (ref, "cancel", None)
        ]
        assert entries[0]["account_login"] == "jilin cancel-booking"
        assert entries[0]["destination_id"] == place.destination_id
        assert entries[0]["after"] == {
            "status": "cancelled",
            "refund_fen": 0,
            "refund_terms": "full_refund",
        }
    log_in(client, w.a.admin.login)
    page = client.get("/console/audit")
    assert page.status_code == 200 and "jilin cancel-booking" in page.text and ref in page.text


def test_cancelling_gives_the_ticket_stub_back(db, client):
    legs, stub_code = add_stub_line(db)
    product = add_product(db)
    # Two quotes presenting the same stub, both made while it is unused.
    quote, rival = (
        quote_http(client, item(product), legs=legs, stubs=[stub_code]) for _ in range(2)
    )
    created = post_booking(client, quote["id"]).json()
    assert created["stubs"] == [stub_code]
    assert created["legs"][0]["net_fen"] == quote["legs"][0]["net_fen"]
    again = post_booking(client, rival["id"])
    assert (again.status_code, again.json()["code"]) == (409, "stub_already_used")
    _cancel(client, created["reference"], {"X-Booking-Token": created["token"]})
    with db.session() as s:
        assert s.exec(select(TicketStub)).one().used_by_booking_id is None
    assert post_booking(client, rival["id"]).status_code == 201
