"""A hold past its time holds nothing, swept or not (``service.holds``): its ticket stub
is free for a new quote, the metrics no longer count it; and ``jilin serve`` sweeps it
in-process (``worker.sweep_in_background``, run by the app's lifespan)."""

import ast
import asyncio
import contextlib
import logging
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from sqlmodel import select

from catalog.models import TicketStub
from service import holds, worker
from service.app import create_app
from service.auth import ANONYMOUS
from service.bookings import models
from tests.service.booking_support import (
    add_product,
    add_stub_line,
    book_in_service,
    booking_row,
    item,
    make_hold,
    make_quote,
    post_booking,
    quote_http,
    taken,
)
from tests.service.test_operations import _sample
from tests.support.clock import FixedClock

T0 = datetime.now(UTC).replace(microsecond=0) + timedelta(days=1)  # before FIRST_NIGHT
HOLD = timedelta(minutes=15)


def _stub_hold(db, client) -> tuple[str, list[dict], str]:
    """A hold (until T0 + HOLD) whose quote used the one ticket stub."""
    legs, stub = add_stub_line(db)
    product = add_product(db)
    booked = post_booking(client, quote_http(client, item(product), legs=legs, stubs=[stub])["id"])
    assert booked.status_code == 201, booked.text
    make_hold(db, booked.json()["reference"], T0 + HOLD)
    return booked.json()["reference"], legs, stub


def test_a_lapsed_holds_stub_is_free_for_a_quote_before_any_sweep(db, client):
    ref, legs, stub = _stub_hold(db, client)
    product = add_product(db)
    body = {"items": [item(product)], "legs": legs, "stubs": [stub]}
    client.app.state.clock = FixedClock(T0 + HOLD - timedelta(seconds=1))
    running = client.post("/v1/quotes", json=body)
    assert (running.status_code, running.json()["code"]) == (422, "stub_already_used")
    client.app.state.clock = FixedClock(T0 + HOLD)  # its expiry: the hold no longer counts
    lapsed = client.post("/v1/quotes", json=body)
    assert lapsed.status_code == 201, lapsed.text
    assert [u["applied"] for u in lapsed.json()["stubs"]] == [True]
    assert booking_row(db, ref).status == "pending_payment"  # nothing swept it


def test_metrics_count_a_lapsed_hold_as_expired_and_its_units_as_free(db, client):
    product = add_product(db, units=5)
    running = post_booking(client, quote_http(client, item(product, units=2))["id"]).json()
    lapsed = post_booking(client, quote_http(client, item(product, units=3))["id"]).json()
    make_hold(db, running["reference"], T0 + HOLD + timedelta(minutes=5))
    make_hold(db, lapsed["reference"], T0 + HOLD)
    client.app.state.clock = FixedClock(T0 + HOLD)
    text = client.get("/metrics").text
    assert _sample(text, "jilin_bookings", status="pending_payment") == 1
    assert _sample(text, "jilin_bookings", status="expired") == 1
    assert _sample(text, "jilin_held_units") == 2


def test_the_in_process_sweeper_frees_a_lapsed_hold(db, caplog):
    product = add_product(db, units=3, nights=3)
    ref = book_in_service(db, ANONYMOUS, make_quote(db, ANONYMOUS, item(product, nights=3), now=T0))
    make_hold(db, ref, T0 + HOLD)
    assert (
        asyncio.run(worker.sweep_step(db, FixedClock(T0 + HOLD - timedelta(seconds=1))))["expired"]
        == 0
    )
    assert set(taken(db, product).values()) == {1}
    with caplog.at_level(logging.INFO, logger="jilin.worker"):
        done = asyncio.run(worker.sweep_step(db, FixedClock(T0 + HOLD)))
    assert done["expired"] == 1
    assert (booking_row(db, ref).status, set(taken(db, product).values())) == ("expired", {0})
    assert [r.fields["expired"] for r in caplog.records if r.message == "sweep"] == [1]


def test_a_failing_sweep_is_logged_and_the_sweeper_goes_on(db, monkeypatch, caplog):
    def broken(_db, _clock):
        raise RuntimeError("database gone")

    monkeypatch.setattr(worker, "sweep_once", broken)
    with caplog.at_level(logging.ERROR, logger="jilin.worker"):
        assert asyncio.run(worker.sweep_step(db, FixedClock(T0))) is None
    assert [r.message for r in caplog.records] == ["sweep failed"]


def test_the_app_runs_its_sweeper_while_it_serves_and_stops_it_at_shutdown(db):
    settings = db.settings.model_copy(update={"sweeper": True, "sweep_interval_s": 3600})
    app = create_app(settings, database=db)
    with TestClient(app) as client:
        sweeper = client.app.state.sweeper
        assert sweeper.get_name() == "jilin-sweeper" and not sweeper.done()
        assert client.get("/v1/health").status_code == 200
    assert sweeper.cancelled()


def test_stopping_the_sweeper_waits_for_the_pass_under_way(db, monkeypatch):
    # The app's lifespan cancels the sweeper and then disposes of the database: a pass in
    # its thread must have ended (its transaction with it) when the cancel returns.
    started, ended = threading.Event(), []

    def slow(_db, _clock):
        started.set()
        time.sleep(0.3)
        ended.append("ended")
        return {"expired": 0}

    monkeypatch.setattr(worker, "sweep_once", slow)

    async def stop_during_a_pass() -> list[str]:
        sweeper = asyncio.create_task(worker.sweep_in_background(db, FixedClock(T0), 3600))
        await asyncio.to_thread(started.wait, 5)
        sweeper.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await sweeper
        assert sweeper.cancelled()
        return list(ended)

    assert asyncio.run(stop_during_a_pass()) == ["ended"]


def test_an_app_made_without_the_sweeper_setting_runs_none(client):
    assert client.app.state.sweeper is None


def test_a_booking_frees_the_lapsed_hold_that_has_its_quotes_stub_even_past_the_inline_sweep(
    db, client, monkeypatch
):
    # The quote takes a lapsed hold's stub as free (service.holds); the booking must then
    # expire that hold itself, even when its inline sweep stops before it (more lapsed
    # holds than INLINE_SWEEP_LIMIT, or a sweeper skipping it): 0 here.
    from service.bookings import service as bookings_service

    ref, legs, stub = _stub_hold(db, client)
    product = add_product(db)
    client.app.state.clock = FixedClock(T0 + HOLD + timedelta(minutes=1))
    body = {"items": [item(product)], "legs": legs, "stubs": [stub]}
    quote = client.post("/v1/quotes", json=body)
    assert quote.status_code == 201, quote.text
    monkeypatch.setattr(bookings_service, "INLINE_SWEEP_LIMIT", 0)
    booked = post_booking(client, quote.json()["id"])
    assert booked.status_code == 201, booked.text
    new = booking_row(db, booked.json()["reference"])
    assert booking_row(db, ref).status == "expired"
    with db.session() as s:
        holder = s.exec(select(TicketStub.used_by_booking_id).where(TicketStub.code == stub)).one()
    assert holder == new.id


def test_a_holds_status_is_defined_once():
    """``service.holds`` reads the status the bookings write: one definition (in the
    shared module, which bookings import; a shared module imports no capability)."""
    assert models.PENDING_PAYMENT is holds.PENDING_PAYMENT == "pending_payment"
    root = Path(__file__).resolve().parents[2] / "service"
    defined = [
        path.relative_to(root).as_posix()
        for path in root.rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == "PENDING_PAYMENT" for t in node.targets)
    ]
    assert defined == ["holds.py"]
