"""Idempotency-Key: the same request replays, a different one is refused, scoped per client."""

import hashlib
import json
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import func, select

from service.bookings.models import Booking
from service.errors import Conflict, Unprocessable
from service.idempotency import runner as idempotency
from service.idempotency import sql, table
from tests.service.booking_support import (
    ID_NUMBER,
    LEAD,
    add_partner,
    add_product,
    booking_body,
    item,
    post_booking,
    quote_http,
)

SECRET = "a test secret"


def _bookings(db) -> int:
    with db.session() as s:
        return s.exec(select(func.count()).select_from(Booking)).one()


def test_one_key_and_body_sent_fifty_times_at_once_books_once_with_identical_responses(db, client):
    product = add_product(db, units=10)
    quote_id = quote_http(client, item(product))["id"]
    start = threading.Barrier(50)

    def send(_):
        start.wait()
        r = post_booking(client, quote_id, key="same-key-50")
        return r.status_code, r.text

    with ThreadPoolExecutor(max_workers=50) as pool:
        results = list(pool.map(send, range(50)))

    assert {status for status, _ in results} == {201}
    assert len({body for _, body in results}) == 1
    assert _bookings(db) == 1


def test_a_retry_replays_the_first_response_and_says_so(db, client):
    quote_id = quote_http(client, item(add_product(db)))["id"]
    first = post_booking(client, quote_id, key="k-replay")
    again = post_booking(client, quote_id, key="k-replay")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert _bookings(db) == 1


def test_the_recorded_response_holds_no_token_or_personal_data_in_clear(db, client):
    quote_id = quote_http(client, item(add_product(db)))["id"]
    first = post_booking(client, quote_id, key="k-sealed")
    assert first.status_code == 201
    token = first.json()["token"]
    with db.session() as s:
        (stored,) = s.exec(select(table.IdempotencyRecord.response_body)).all()
    for secret in (token, LEAD["phone"], ID_NUMBER, LEAD["name"], first.json()["reference"]):
        assert secret not in stored
    again = post_booking(client, quote_id, key="k-sealed")
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.content == first.content  # byte for byte


def test_a_record_sealed_under_another_secret_counts_as_expired(db):
    claim = idempotency.try_claim(db, scope="anonymous", key="k", fp="f", now=NOW)
    with db.session() as s:
        sql.finish(s, claim, 201, '{"ok":true}', lang="en", secret_key="an-older-secret-key")
        s.commit()
    again = idempotency.try_claim(db, scope="anonymous", key="k", fp="f", now=NOW)
    assert isinstance(again, sql.Claimed) and again.token != claim.token


def test_the_same_key_with_a_different_body_is_422_and_writes_nothing(db, client):
    quote_id = quote_http(client, item(add_product(db)))["id"]
    assert post_booking(client, quote_id, key="k-reused").status_code == 201
    other = booking_body(quote_id, guests=[{"name": "另一位"}])
    r = post_booking(client, quote_id, key="k-reused", body=other)
    assert r.status_code == 422
    assert r.json()["code"] == "idempotency_key_reused"
    assert r.json()["field"] == "Idempotency-Key"
    assert _bookings(db) == 1


def test_key_order_and_spacing_of_the_body_do_not_change_the_fingerprint():
    a = idempotency.fingerprint("POST", "/v1/bookings", b'{"a": 1, "b": [1, 2]}', SECRET)
    b = idempotency.fingerprint("POST", "/v1/bookings", b'{"b":[1,2],"a":1}', SECRET)
    c = idempotency.fingerprint(
        "POST", "/v1/bookings/JL-X/cancel", b'{"a": 1, "b": [1, 2]}', SECRET
    )
    assert a == b != c


def _unkeyed_fingerprint(body: dict) -> str:
    """What the table held before fingerprints were keyed: the sha256 of the request,
    which anyone with the table can recompute for guessed names and phone numbers."""
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(f"POST\n/v1/bookings\n{canonical}".encode()).hexdigest()


def test_the_stored_fingerprint_is_keyed_with_the_secret_so_a_dump_cannot_test_guesses(db, client):
    quote_id = quote_http(client, item(add_product(db)))["id"]
    assert post_booking(client, quote_id, key="k-keyed").status_code == 201
    with db.session() as s:
        stored = s.exec(select(table.IdempotencyRecord.fingerprint)).one()
    body = json.dumps(booking_body(quote_id)).encode()
    assert stored != _unkeyed_fingerprint(booking_body(quote_id))
    assert stored == idempotency.fingerprint("POST", "/v1/bookings", body, db.settings.secret_key)
    assert stored != idempotency.fingerprint("POST", "/v1/bookings", body, "another secret")


def test_a_key_recorded_with_an_unkeyed_fingerprint_is_a_different_request_never_run_again(
    db, client
):
    """Rows written before fingerprints were keyed (at most 24 hours old) match no new
    fingerprint: a retry of such a request is refused as ``idempotency_key_reused``, and
    nothing is booked or replayed. See docs/architecture.md."""
    quote_id = quote_http(client, item(add_product(db)))["id"]
    scope = idempotency.scope_of(None, f"quote:{quote_id}", secret_key=db.settings.secret_key)
    old = _unkeyed_fingerprint(booking_body(quote_id))
    claimed = idempotency.try_claim(db, scope=scope, key="k-old", fp=old, now=datetime.now(UTC))
    with db.session() as s:
        sql.finish(
            s, claimed, 201, '{"reference":"JL-OLD"}', lang="en", secret_key=db.settings.secret_key
        )
        s.commit()
    r = post_booking(client, quote_id, key="k-old")
    assert (r.status_code, r.json()["code"]) == (422, "idempotency_key_reused")
    assert "JL-OLD" not in r.text and _bookings(db) == 0


def _unkeyed_scope(anonymous_secret: str) -> str:
    """An anonymous caller's scope before it was keyed: a sha256 of the quote id, or of
    the reference and the token as typed, which anyone with the table could test guesses
    against."""
    return "anon:" + hashlib.sha256(anonymous_secret.encode()).hexdigest()[:32]


def _scopes(db) -> list[str]:
    with db.session() as s:
        return list(
            s.exec(select(table.IdempotencyRecord.scope).order_by(table.IdempotencyRecord.id))
        )


def test_an_anonymous_scope_is_keyed_with_the_secret_so_a_dump_cannot_test_guesses(db, client):
    """The secret an anonymous request presents (the quote it books, the reference and
    token it cancels with; a token typed wrongly, or a phone number typed for one) is
    stored as an HMAC under ``JL_SECRET_KEY``, never as a plain hash of it."""
    created = post_booking(client, quote_http(client, item(add_product(db)))["id"], key="k-b")
    assert created.status_code == 201
    reference, quote_id = created.json()["reference"], created.json()["quote_id"]
    typed = "13812345678"  # a phone number typed where the token goes: refused, recorded
    cancel = client.post(
        f"/v1/bookings/{reference}/cancel",
        headers={"X-Booking-Token": typed, "Idempotency-Key": "k-c"},
    )
    assert cancel.status_code == 404, cancel.text

    secrets = [f"quote:{quote_id}", f"cancel:{reference}:{typed}"]
    assert _scopes(db) == [
        idempotency.scope_of(None, secret, secret_key=db.settings.secret_key) for secret in secrets
    ]
    for scope, secret in zip(_scopes(db), secrets, strict=True):
        assert scope != _unkeyed_scope(secret)
        assert scope != idempotency.scope_of(None, secret, secret_key="another secret")
        assert len(scope) <= 40  # the column's width


def test_a_key_recorded_under_an_unkeyed_scope_is_found_no_more_and_books_nothing_twice(db, client):
    """Rows scoped before the scope was keyed (at most 24 hours old when it shipped) are
    found by no request: a retry of such a booking runs again, is refused as the quote's
    second booking, and nothing is booked or replayed twice. docs/personal-data.md."""
    quote_id = quote_http(client, item(add_product(db)))["id"]
    assert post_booking(client, quote_id, key="k-old-scope").status_code == 201
    with db.session() as s:
        (record,) = s.exec(select(table.IdempotencyRecord)).all()
        record.scope = _unkeyed_scope(f"quote:{quote_id}")  # as written before
        s.add(record)
        s.commit()

    again = post_booking(client, quote_id, key="k-old-scope")
    assert (again.status_code, again.json()["code"]) == (409, "quote_already_booked")
    assert "Idempotent-Replayed" not in again.headers
    assert _bookings(db) == 1


def test_partner_b_using_partner_a_key_string_gets_its_own_booking_never_a_s(db, client):
    a, b = add_partner(db, "ota-a"), add_partner(db, "ota-b")
    product = add_product(db)
    quote_a = quote_http(client, item(product), headers=a.headers)["id"]
    quote_b = quote_http(client, item(product), headers=b.headers)["id"]
    ra = post_booking(client, quote_a, headers=a.headers, key="shared-key")
    rb = post_booking(client, quote_b, headers=b.headers, key="shared-key")
    assert ra.status_code == rb.status_code == 201
    assert rb.json()["reference"] != ra.json()["reference"]
    assert rb.json()["quote_id"] == quote_b
    assert "Idempotent-Replayed" not in rb.headers
    # Even with A's exact body, B gets its own result (here: A's quote is not B's).
    rb2 = post_booking(client, quote_a, headers=b.headers, key="shared-key-2")
    ra2 = post_booking(client, quote_a, headers=a.headers, key="shared-key-2")
    assert rb2.status_code == 422 and rb2.json()["code"] == "quote_not_found"
    # A's own answer: its quote is already booked (by ra), nothing of B's.
    assert ra2.status_code == 409 and ra2.json()["code"] == "quote_already_booked"


def test_a_missing_idempotency_key_is_422_naming_the_header(db, client):
    quote_id = quote_http(client, item(add_product(db)))["id"]
    r = client.post("/v1/bookings", json=booking_body(quote_id))
    assert r.status_code == 422
    assert r.json()["code"] == "missing_idempotency_key"
    assert r.json()["field"] == "Idempotency-Key"
    assert _bookings(db) == 0


def test_a_deterministic_failure_is_replayed_too(db, client):
    product = add_product(db, units=1)
    quote_id, late = (quote_http(client, item(product))["id"] for _ in range(2))
    assert post_booking(client, quote_id).status_code == 201
    first = post_booking(client, late, key="k-sold-out")
    again = post_booking(client, late, key="k-sold-out")
    assert first.status_code == again.status_code == 409
    assert again.json() == first.json()
    assert again.json()["code"] == "sold_out"
    assert again.headers["Idempotent-Replayed"] == "true"


def test_a_replay_says_the_language_of_the_body_it_replays(db, client):
    """The first request's bytes (zh-CN), labelled zh-CN to an English retry; a recorded
    refusal too. A request of its own is still answered in its caller's language."""
    product = add_product(db, units=1)
    quote_id, late = (quote_http(client, item(product))["id"] for _ in range(2))
    zh, en = {"Accept-Language": "zh-CN"}, {"Accept-Language": "en"}
    first = post_booking(client, quote_id, key="k-lang", headers=zh)
    again = post_booking(client, quote_id, key="k-lang", headers=en)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.content == first.content and again.headers["Idempotent-Replayed"] == "true"
    assert first.headers["Content-Language"] == again.headers["Content-Language"] == "zh-CN"

    refused = post_booking(client, late, key="k-lang-refused", headers=zh)
    replayed = post_booking(client, late, key="k-lang-refused", headers=en)
    assert (refused.status_code, replayed.status_code) == (409, 409)
    assert refused.json()["code"] == "sold_out" and replayed.content == refused.content
    assert refused.headers["Content-Language"] == replayed.headers["Content-Language"] == "zh-CN"
    assert any("\u4e00" <= c <= "\u9fff" for c in replayed.json()["detail"])

    other = {**booking_body(late), "guests": []}
    reused = post_booking(client, late, key="k-lang-refused", headers=en, body=other)
    assert reused.json()["code"] == "idempotency_key_reused"
    assert reused.headers["Content-Language"] == "en"

    created = first.json()
    cancel = {"X-Booking-Token": created["token"], "Idempotency-Key": "k-lang-cancel"}
    url = f"/v1/bookings/{created['reference']}/cancel"
    first_cancel = client.post(url, headers={**cancel, **en})
    again_cancel = client.post(url, headers={**cancel, **zh})
    assert again_cancel.content == first_cancel.content
    assert again_cancel.headers["Content-Language"] == "en"


def test_cancel_with_the_same_key_replays_the_cancellation(db, client):
    created = post_booking(client, quote_http(client, item(add_product(db)))["id"]).json()
    headers = {"X-Booking-Token": created["token"], "Idempotency-Key": "cancel-1"}
    first = client.post(f"/v1/bookings/{created['reference']}/cancel", headers=headers)
    again = client.post(f"/v1/bookings/{created['reference']}/cancel", headers=headers)
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()


NOW = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)


def test_a_request_arriving_while_the_first_still_runs_sees_it_in_progress(db):
    first = idempotency.try_claim(db, scope="client:1", key="k", fp="f", now=NOW)
    second = idempotency.try_claim(db, scope="client:1", key="k", fp="f", now=NOW)
    assert isinstance(first, sql.Claimed)
    assert isinstance(second, sql.Busy)


def test_keys_are_scoped_per_client(db):
    a = idempotency.try_claim(db, scope="client:1", key="k", fp="f1", now=NOW)
    b = idempotency.try_claim(db, scope="client:2", key="k", fp="f2", now=NOW)
    assert isinstance(a, sql.Claimed) and isinstance(b, sql.Claimed)


def test_a_key_is_remembered_for_24_hours_then_forgotten(db):
    claim = idempotency.try_claim(db, scope="anonymous", key="k", fp="f", now=NOW)
    with db.session() as s:
        sql.finish(s, claim, 201, '{"ok":true}', lang="zh-CN", secret_key=db.settings.secret_key)
        s.commit()
    later = NOW + timedelta(hours=23, minutes=59)
    assert idempotency.try_claim(db, scope="anonymous", key="k", fp="f", now=later) == sql.Replay(
        201, '{"ok":true}', "zh-CN"
    )
    with pytest.raises(Unprocessable):
        idempotency.try_claim(db, scope="anonymous", key="k", fp="other", now=later)
    after = NOW + timedelta(hours=24)
    assert isinstance(
        idempotency.try_claim(db, scope="anonymous", key="k", fp="other", now=after),
        sql.Claimed,
    )


def test_a_stale_claim_is_taken_over_and_the_old_request_can_no_longer_finish(db):
    old = idempotency.try_claim(db, scope="anonymous", key="k", fp="f", now=NOW)
    new = idempotency.try_claim(db, scope="anonymous", key="k", fp="f", now=NOW + table.STALE_AFTER)
    assert isinstance(new, sql.Claimed) and new.token != old.token
    with db.session() as s, pytest.raises(Conflict):
        sql.finish(s, old, 201, "{}", lang="en", secret_key=db.settings.secret_key)


def _claim_in_flight(db, quote_id: str, key: str):
    """Claim ``key`` for exactly this booking request, as another worker running it would."""
    body = json.dumps(booking_body(quote_id)).encode()
    fp = idempotency.fingerprint("POST", "/v1/bookings", body, db.settings.secret_key)
    scope = idempotency.scope_of(
        None, f"quote:{quote_id}", secret_key=db.settings.secret_key
    )  # an anonymous booking's scope
    claimed = idempotency.try_claim(db, scope=scope, key=key, fp=fp, now=datetime.now(UTC))
    assert isinstance(claimed, sql.Claimed)
    return claimed


def _after(seconds: float, fn) -> threading.Timer:
    timer = threading.Timer(seconds, fn)
    timer.start()
    return timer


def test_a_booking_sent_while_the_same_one_is_in_flight_waits_and_replays_its_response(db, client):
    quote_id = quote_http(client, item(add_product(db)))["id"]
    claimed = _claim_in_flight(db, quote_id, "k-in-flight")

    def first_request_finishes():
        with db.session() as s:
            sql.finish(
                s,
                claimed,
                201,
                '{"reference":"JL-FIRST"}',
                lang="en",
                secret_key=db.settings.secret_key,
            )
            s.commit()

    timer = _after(0.3, first_request_finishes)
    r = post_booking(client, quote_id, key="k-in-flight")
    timer.join()
    assert r.status_code == 201
    assert r.text == '{"reference":"JL-FIRST"}'
    assert r.headers["Idempotent-Replayed"] == "true"
    assert _bookings(db) == 0  # the waiting request booked nothing itself


def test_a_booking_whose_key_is_released_while_it_waits_runs_itself(db, client):
    quote_id = quote_http(client, item(add_product(db)))["id"]
    claimed = _claim_in_flight(db, quote_id, "k-released")
    timer = _after(0.3, lambda: idempotency.release(db, claimed))
    r = post_booking(client, quote_id, key="k-released")
    timer.join()
    assert r.status_code == 201
    assert "Idempotent-Replayed" not in r.headers
    assert _bookings(db) == 1
    again = post_booking(client, quote_id, key="k-released")
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == r.json()


def test_a_booking_still_in_flight_after_the_wait_is_409_in_progress(db, client, monkeypatch):
    monkeypatch.setattr(idempotency, "WAIT_SECONDS", 0.2)
    quote_id = quote_http(client, item(add_product(db)))["id"]
    _claim_in_flight(db, quote_id, "k-stuck")
    r = post_booking(client, quote_id, key="k-stuck")
    assert r.status_code == 409
    assert r.json()["code"] == "idempotency_in_progress"
    assert r.json()["field"] == "Idempotency-Key"
    assert r.headers["Retry-After"] == "1"
    assert _bookings(db) == 0


def test_the_wait_for_a_key_in_flight_counts_the_time_its_attempts_take(db, client, monkeypatch):
    """``WAIT_SECONDS`` is the time waited, the claim attempts included, not the pauses
    between them alone: each attempt is a transaction in a thread (on PostgreSQL about
    half the 20 ms pause again), so a retry documented to wait up to 10 seconds was
    answered 409 after 16 (over HTTP, 3 workers, the first request stalled at Stripe).
    Here each attempt takes a second of a stand-in clock: the wait ends after 10."""
    quote_id = quote_http(client, item(add_product(db)))["id"]
    _claim_in_flight(db, quote_id, "k-slow")
    elapsed = [0.0]
    monkeypatch.setattr(idempotency, "monotonic", lambda: elapsed[0], raising=False)
    attempts = []
    real_try_claim = idempotency.try_claim

    def slow_try_claim(*args, **kwargs):
        attempts.append(elapsed[0])
        elapsed[0] += 1.0
        return real_try_claim(*args, **kwargs)

    monkeypatch.setattr(idempotency, "try_claim", slow_try_claim)
    r = post_booking(client, quote_id, key="k-slow")
    assert (r.status_code, r.json()["code"]) == (409, "idempotency_in_progress")
    assert len(attempts) == idempotency.WAIT_SECONDS == 10
    assert _bookings(db) == 0


def test_a_waiting_booking_cancelled_once_its_key_is_released_to_it_leaves_no_claim(
    db, monkeypatch
):
    """A request that waited for a key in flight, and is cancelled (client gone, server
    shutting down) just as the released key is claimed for it, must not leave that claim
    behind: a retry with the key runs at once instead of 409 for a minute.

    The claim and the work run in one thread call, which a cancellation does not stop:
    the task ends at once but the thread still finishes (and commits, or releases) in the
    background. The test waits for that thread by events, never by sleeping."""
    import asyncio
    import threading

    from starlette.requests import Request

    from service.app import create_app

    app = create_app(db.settings, database=db)
    fp = idempotency.fingerprint("POST", "/v1/bookings", b"{}", db.settings.secret_key)
    first = idempotency.try_claim(
        db, scope="anonymous", key="k-cancel", fp=fp, now=datetime.now(UTC)
    )
    real_try_claim = idempotency.try_claim
    real_first_pass = idempotency._first_pass
    real_execute = idempotency.execute
    found_busy = threading.Event()  # the first pass met the key in flight
    cancelled = threading.Event()  # the task was cancelled just after its claim
    executed = threading.Event()  # the thread holding the claim has finished

    def first_pass(*args, **kwargs):
        outcome = real_first_pass(*args, **kwargs)
        if isinstance(outcome, idempotency._Waiting):
            found_busy.set()
        return outcome

    def execute(*args, **kwargs):
        try:
            return real_execute(*args, **kwargs)
        finally:
            executed.set()

    monkeypatch.setattr(idempotency, "_first_pass", first_pass)
    monkeypatch.setattr(idempotency, "execute", execute)

    async def main() -> None:
        loop = asyncio.get_running_loop()
        task: asyncio.Task | None = None

        def try_claim_then_cancel(*args, **kwargs):
            outcome = real_try_claim(*args, **kwargs)
            if isinstance(outcome, sql.Claimed):
                loop.call_soon_threadsafe(task.cancel)
                cancelled.set()
            return outcome

        monkeypatch.setattr(idempotency, "try_claim", try_claim_then_cancel)

        async def receive():
            return {"type": "http.request", "body": b"{}", "more_body": False}

        scope = {
            "type": "http",
            "method": "POST",
            "path": "/v1/bookings",
            "headers": [],
            "query_string": b"",
            "app": app,
        }
        request = Request(scope, receive)
        task = asyncio.create_task(
            idempotency.run_idempotent(
                request,
                credentials=None,
                idempotency_key="k-cancel",
                work=lambda session, caller: (201, {"ok": True}),
                anonymous_secret=None,
            )
        )
        assert await asyncio.to_thread(found_busy.wait, 30)  # now it polls the key
        await asyncio.to_thread(idempotency.release, db, first)
        try:
            await task  # done, or cancelled: either way nothing may stay claimed
        except asyncio.CancelledError:
            pass

    asyncio.run(main())
    assert cancelled.wait(30)  # set by the claiming thread, which may still be running
    assert executed.wait(30)  # the claim's thread outlives the cancelled task
    with db.session() as s:
        left = s.exec(
            select(table.IdempotencyRecord.status).where(table.IdempotencyRecord.key == "k-cancel")
        ).all()
    assert table.IN_PROGRESS not in left


@pytest.mark.parametrize(
    "key",
    ["é".encode(), "ключ-🙂".encode(), "é".encode("latin-1"), b"a\x7fb", b"k\tey", b"x" * 201],
)
def test_a_key_of_other_than_printable_ascii_is_422_and_books_nothing(db, client, key):
    quote_id = quote_http(client, item(add_product(db)))["id"]
    for lang, words in (("en", "printable ASCII"), ("zh-CN", "ASCII")):
        headers = {"Idempotency-Key": key, "Accept-Language": lang}
        r = client.post("/v1/bookings", json=booking_body(quote_id), headers=headers)
        assert r.status_code == 422, r.text
        assert (r.json()["code"], r.json()["field"]) == (
            "invalid_idempotency_key",
            "Idempotency-Key",
        )
        assert words in r.json()["detail"]
    assert _bookings(db) == 0


@pytest.mark.parametrize("key", [" ~", "a b", "x" * 200, "550e8400-e29b-41d4-a716-446655440000"])
def test_a_key_of_printable_ascii_is_taken(db, client, key):
    quote_id = quote_http(client, item(add_product(db)))["id"]
    assert post_booking(client, quote_id, key=key).status_code == 201
