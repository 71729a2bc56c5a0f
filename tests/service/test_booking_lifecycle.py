"""The booking lifecycle as a state machine (hypothesis ``RuleBasedStateMachine``).

Travellers quote and book the last units of a product through the API, Stripe's events
arrive in any order and more than once, the injectable clock runs past holds, the sweeper
and the worker (reconciliation, refunds at Stripe) run, travellers cancel and pay late.
After every step, on SQLite and on PostgreSQL:

* the inventory taken on every night equals the units of the live bookings
  (``pending_payment`` and ``confirmed``), and only live bookings hold inventory;
* each payment settles once: a booking is confirmed at most once, a Stripe event is
  processed once, and a payment's status never moves back;
* refunds never exceed what was paid: per booking, in our records and at Stripe;
* a hold that ended unpaid cannot be paid once the worker has cancelled its
  PaymentIntent (the payer's attempt is refused).

Everything is real: the API in-process, the databases, the fake Stripe server (its SDK
over HTTP) and signed Stripe events.
"""

import uuid
from datetime import UTC, datetime, timedelta

from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    consumes,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlmodel import func, select

from catalog.models import InventoryNight
from service.bookings import service as bookings
from service.bookings.models import Booking, BookingItem
from service.bookings.outbox import OutboxEvent
from service.payments.models import PAYMENT_RANK, Payment, Refund, StripeEvent
from service.worker import run_once
from tests.support.bounded import bounded
from tests.support.payments import (
    LEAD,
    event_for,
    fake_stripe,
    intent_dict,
    make_stay,
    pay_at_fake,
    pay_client,
    post_event,
    stripe_sdk,
    stripe_settings,
)

FIXTURES = (fake_stripe, pay_client, stripe_settings)  # used by name below
UNITS = 3
LIVE = ("pending_payment", "confirmed")


class SteppedClock:
    """The app's clock, moved forward by the state machine."""

    def __init__(self) -> None:
        self.at = datetime.now(UTC)

    def now(self) -> datetime:
        return self.at


def run_lifecycle(db, client, stripe_settings_, examples: int, steps: int) -> None:
    # Each example is other travellers on another product; the holds of earlier examples
    # (same test client address) must not count against the per-address cap here (the
    # cap has tests of its own).
    client.app.state.settings = client.app.state.settings.model_copy(
        update={"max_anonymous_units_held_per_address": 1_000_000}
    )

    class Lifecycle(RuleBasedStateMachine):
        booked = Bundle("booked")
        events = Bundle("events")

        def __init__(self) -> None:
            super().__init__()
            self.clock = SteppedClock()
            client.app.state.clock = self.clock
            self.stay = make_stay(db, units=UNITS, nights=3)
            self.references: list[str] = []
            self.tokens: dict[str, str] = {}
            self.payment_status: dict[str, str] = {}

        # -- what people and systems do ----------------------------------------------------

        @initialize(target=booked, units=st.integers(1, UNITS))
        def first_booking(self, units):
            return self.quote_and_book(units)

        @rule(target=booked, units=st.integers(1, UNITS))
        def quote_and_book(self, units):
            q = client.post(
                "/v1/quotes",
                json={
                    "items": [
                        {
                            "product_id": self.stay.product_id,
                            "check_in": self.stay.check_in,
                            "check_out": self.stay.check_out,
                            "guests": units,
                            "units": units,
                        }
                    ]
                },
            )
            assert q.status_code == 201, q.text
            r = client.post(
                "/v1/bookings",
                headers={"Idempotency-Key": str(uuid.uuid4())},
                json={"quote_id": q.json()["id"], "lead_traveller": LEAD},
            )
            if r.status_code == 409:
                assert r.json()["code"] == "sold_out", r.text
                assert self.free_units() < units
                return None
            assert r.status_code == 201, r.text
            booking = r.json()
            assert booking["status"] == "pending_payment"
            self.references.append(booking["reference"])
            self.tokens[booking["reference"]] = booking["token"]
            return booking

        @rule(target=events, booking=booked, event_lost=st.booleans())
        def pay(self, booking, event_lost):
            """The traveller pays at Stripe; Stripe sends ``payment_intent.succeeded``, or
            the event is lost and only the worker's reconciliation can find the payment."""
            if booking is None or self.paid_at_stripe(booking):
                return None
            if self.canceled_at_stripe(booking):  # its hold ended unpaid: not payable
                row = self.booking(booking["reference"])
                assert row.status in ("cancelled", "expired"), row.status
                return None
            intent = pay_at_fake(stripe_settings_, booking["payment"]["payment_intent_id"])
            if event_lost:
                return None
            event = event_for(intent.to_dict(for_json=True))
            self.post(event)
            return event

        @rule(target=events, booking=booked)
        def payment_fails(self, booking):
            if booking is None:
                return None
            row = self.booking(booking["reference"])
            intent = intent_dict(
                booking["payment"]["payment_intent_id"],
                row.total_fen,
                row.id,
                status="requires_payment_method",
            )
            event = event_for(intent, "payment_intent.payment_failed")
            self.post(event)
            return event

        @rule(event=events)
        def stripe_sends_it_again(self, event):
            if event is not None:
                self.post(event)

        @rule(minutes=st.sampled_from([1, 5, 14, 16, 30]))
        def time_passes(self, minutes):
            self.clock.at += timedelta(minutes=minutes)

        @rule(worker=st.booleans())
        def in_the_background(self, worker):
            """The hold sweeper, or a whole worker pass (reconciliation, expiry, refunds
            at Stripe)."""
            if worker:
                run_once(db, stripe_settings_, self.clock.now())
                self.check_refunds_at_stripe()
            else:
                with db.write_session() as s:
                    bookings.release_expired_holds(s, now=self.clock.now())
                    s.commit()

        @rule(booking=consumes(booked))
        def traveller_cancels(self, booking):
            if booking is None:
                return
            r = client.post(
                f"/v1/bookings/{booking['reference']}/cancel",
                headers={
                    "X-Booking-Token": booking["token"],
                    "Idempotency-Key": str(uuid.uuid4()),
                },
                json={"reason": "plans changed"},
            )
            assert r.status_code in (200, 409), r.text
            if r.status_code == 409:
                assert r.json()["code"] == "not_cancellable"
                assert r.json()["field"] == "status"
            else:
                assert r.json()["status"] == "cancelled"

        @precondition(lambda self: self.references)
        @rule(data=st.data())
        def traveller_reads(self, data):
            reference = data.draw(st.sampled_from(self.references))
            token = self.tokens[reference]
            r = client.get(f"/v1/bookings/{reference}", headers={"X-Booking-Token": token})
            assert r.status_code == 200, r.text
            row = self.booking(reference)
            assert r.json()["status"] == row.status

        # -- invariants ----------------------------------------------------------------------

        @invariant()
        def inventory_taken_is_the_units_of_live_bookings(self):
            with db.session() as s:
                taken = dict(
                    s.exec(
                        select(InventoryNight.night, InventoryNight.taken_units).where(
                            InventoryNight.product_id == self.stay.product_id
                        )
                    ).all()
                )
                live_units = s.exec(
                    select(func.coalesce(func.sum(BookingItem.units), 0))
                    .join(Booking, Booking.id == BookingItem.booking_id)
                    .where(
                        BookingItem.product_id == self.stay.product_id,
                        Booking.status.in_(LIVE),
                    )
                ).one()
                rows = s.exec(self.product_bookings()).all()
            assert set(taken.values()) == {live_units}, (taken, live_units)
            for b in rows:
                assert b.inventory_held == (b.status in LIVE), (b.reference, b.status)

        @invariant()
        def each_payment_settles_once(self):
            with db.session() as s:
                for b in s.exec(self.product_bookings()).all():
                    confirmed = s.exec(
                        select(func.count()).where(
                            OutboxEvent.booking_id == b.id,
                            OutboxEvent.event_type == "booking.confirmed",
                        )
                    ).one()
                    assert confirmed <= 1, b.reference
                    payment = s.exec(select(Payment).where(Payment.booking_id == b.id)).one()
                    before = self.payment_status.get(b.reference, payment.status)
                    assert PAYMENT_RANK[payment.status] >= PAYMENT_RANK[before], b.reference
                    self.payment_status[b.reference] = payment.status
                    if b.status == "confirmed":
                        assert payment.status == "succeeded", b.reference
                unhandled = s.exec(
                    select(func.count()).where(StripeEvent.handled_at.is_(None))
                ).one()
                assert unhandled == 0

        @invariant()
        def refunds_never_exceed_what_was_paid(self):
            with db.session() as s:
                for b in s.exec(self.product_bookings()).all():
                    payment = s.exec(select(Payment).where(Payment.booking_id == b.id)).one()
                    refunded = s.exec(
                        select(func.coalesce(func.sum(Refund.amount_fen), 0)).where(
                            Refund.booking_id == b.id
                        )
                    ).one()
                    assert refunded <= payment.amount_received_fen, b.reference
                    assert b.refunded_fen <= payment.amount_received_fen, b.reference
                    if payment.status != "succeeded":
                        assert refunded == 0, b.reference

        # -- helpers -------------------------------------------------------------------------

        def post(self, event: str) -> None:
            r = post_event(client, event)
            assert r.status_code == 200, r.text

        def product_bookings(self):
            return (
                select(Booking)
                .join(BookingItem, BookingItem.booking_id == Booking.id)
                .where(BookingItem.product_id == self.stay.product_id)
            )

        def booking(self, reference: str) -> Booking:
            with db.session() as s:
                return s.exec(select(Booking).where(Booking.reference == reference)).one()

        def free_units(self) -> int:
            with db.session() as s:
                taken = s.exec(
                    select(func.max(InventoryNight.taken_units)).where(
                        InventoryNight.product_id == self.stay.product_id
                    )
                ).one()
            return UNITS - taken

        def paid_at_stripe(self, booking) -> bool:
            intent = stripe_sdk(stripe_settings_).v1.payment_intents.retrieve(
                booking["payment"]["payment_intent_id"]
            )
            return intent.status == "succeeded"

        def canceled_at_stripe(self, booking) -> bool:
            intent = stripe_sdk(stripe_settings_).v1.payment_intents.retrieve(
                booking["payment"]["payment_intent_id"]
            )
            return intent.status == "canceled"

        def check_refunds_at_stripe(self) -> None:
            sdk = stripe_sdk(stripe_settings_)
            with db.session() as s:
                for b in s.exec(self.product_bookings()).all():
                    payment = s.exec(select(Payment).where(Payment.booking_id == b.id)).one()
                    if payment.status != "succeeded":
                        continue  # nothing taken: nothing to refund (the fake lists none)
                    found = sdk.v1.refunds.list({"payment_intent": payment.payment_intent_id})
                    at_stripe = sum(r.amount for r in found.auto_paging_iter())
                    assert at_stripe <= payment.amount_received_fen, b.reference

    run_state_machine_as_test(
        Lifecycle,
        settings=bounded(examples, stateful_step_count=steps),
    )


def test_the_lifecycle_keeps_its_invariants_at_every_step(db, pay_client, stripe_settings):
    run_lifecycle(db, pay_client, stripe_settings, examples=15, steps=20)
