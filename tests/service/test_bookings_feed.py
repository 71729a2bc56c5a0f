"""The partner feed never skips a change that commits late (real SQLite and PostgreSQL).

The feed used to follow ``(updated_at, id)``: a change stamped earlier but committed
after a later one fell behind a cursor already past it, and was never delivered. It now
follows the order changes commit in (``booking.change_seq``, set by trigger).
"""

import base64
import json
from datetime import UTC, datetime, timedelta

from sqlmodel import select

from service.bookings import feed as bookings_feed
from service.bookings import service as bookings
from service.bookings.models import Booking
from service.bookings.schemas import BookingIn
from service.bookings.transitions import touch
from tests.service.booking_support import (
    add_partner,
    add_product,
    booking_body,
    item,
    make_quote,
)

NOW = datetime.now(UTC).replace(microsecond=0)


def _feed(client, partner, cursor: str | None = None) -> dict:
    params = {"cursor": cursor} if cursor else {}
    r = client.get("/v1/bookings", params=params, headers=partner.headers)
    assert r.status_code == 200, r.text
    return r.json()


def _book(db, partner, product: int, now: datetime) -> str:
    quote_id = make_quote(db, partner.caller, item(product), now=now)
    with db.write_session() as s:
        view = bookings.create_booking(
            s,
            partner.caller,
            BookingIn.model_validate(booking_body(quote_id)),
            now=now,
            settings=db.settings,
        )
        s.commit()
        return view.booking.reference


def _poll(db, partner, cursor: str) -> bookings_feed.FeedPage:
    with db.session() as s:
        return bookings_feed.list_bookings(
            s, partner.caller, updated_since=None, cursor=cursor, limit=20
        )


def _seen(page: dict) -> list[tuple[str, int]]:
    return [(b["reference"], b["version"]) for b in page["items"]]


def test_a_change_stamped_earlier_but_committed_later_is_not_skipped(db, client):
    """Booking B is stamped 10:00:01 but commits after booking A, stamped 10:00:05 (its
    request read the clock, then waited for a lock): a poll between the two returned A,
    and the next poll from its cursor still returns B."""
    partner = add_partner(db, "ota-feed")
    product = add_product(db, units=5)
    a = _book(db, partner, product, NOW + timedelta(seconds=5))
    first = _feed(client, partner)
    assert _seen(first) == [(a, 1)]
    b = _book(db, partner, product, NOW + timedelta(seconds=1))
    second = _feed(client, partner, first["poll_cursor"])
    assert _seen(second) == [(b, 1)]
    assert second["next"] is None
    # Nothing new: the same position, and nothing comes twice.
    third = _feed(client, partner, second["poll_cursor"])
    assert third["items"] == [] and third["poll_cursor"] == second["poll_cursor"]


def test_an_open_writer_holds_the_feed_back_until_it_commits(db, client):
    """A writer changes booking A and keeps its transaction open. On PostgreSQL another
    writer meanwhile books B and commits; the feed does not pass B while A's change may
    still commit before it. Once A's writer commits, the next poll returns both changes.
    (SQLite has one writer at a time: B commits after A's writer.)"""
    partner = add_partner(db, "ota-feed")
    product = add_product(db, units=5)
    a = _book(db, partner, product, NOW)
    start = _feed(client, partner)
    assert _seen(start) == [(a, 1)]

    open_writer = db.write_session()
    try:
        row = open_writer.exec(select(Booking).where(Booking.reference == a)).one()
        touch(row, NOW + timedelta(seconds=1))
        row.status_reason = "operator_note"
        open_writer.add(row)
        open_writer.flush()  # written, not committed
        # Read in the service (an HTTP request would count its rate limit, a write that
        # SQLite makes wait for the open writer).
        assert _poll(db, partner, start["poll_cursor"]).views == []
        if db.dialect == "postgresql":
            b = _book(db, partner, product, NOW + timedelta(seconds=2))
            while_open = _poll(db, partner, start["poll_cursor"])
            assert while_open.views == []  # B waits behind the open writer
            assert while_open.poll_cursor == start["poll_cursor"]
        open_writer.commit()
    finally:
        open_writer.close()
    if db.dialect != "postgresql":
        b = _book(db, partner, product, NOW + timedelta(seconds=2))
    after = _feed(client, partner, start["poll_cursor"])
    assert _seen(after) == [(a, 2), (b, 1)]


def test_pages_of_the_feed_follow_the_commit_order_and_updated_since_still_filters(db, client):
    partner = add_partner(db, "ota-feed")
    product = add_product(db, units=10)
    refs = [_book(db, partner, product, NOW + timedelta(seconds=10 - n)) for n in range(5)]
    seen, cursor = [], None
    while True:
        r = client.get(
            "/v1/bookings",
            params={"limit": 2, **({"cursor": cursor} if cursor else {})},
            headers=partner.headers,
        ).json()
        seen += [b["reference"] for b in r["items"]]
        if r["next"] is None:
            break
        cursor = r["next"]
    assert seen == refs  # commit order, although each was stamped earlier than the last
    since = (NOW + timedelta(seconds=8)).isoformat()
    recent = client.get(
        "/v1/bookings", params={"updated_since": since}, headers=partner.headers
    ).json()
    assert [b["reference"] for b in recent["items"]] == refs[:3]


def test_a_cursor_in_the_old_updated_at_form_is_invalid_cursor(db, client):
    from service.bookings.feed import FEED

    partner = add_partner(db, "ota-feed")
    old = FEED.cursor([NOW.isoformat(), 1])
    r = client.get("/v1/bookings", params={"cursor": old}, headers=partner.headers)
    assert (r.status_code, r.json()["code"], r.json()["field"]) == (422, "invalid_cursor", "cursor")


def _untagged(key: list) -> str:
    """A feed cursor as issued before cursors were tagged (f56a479^:
    ``encode_cursor([change_seq, id])``): base64url JSON of the key alone."""
    raw = json.dumps(key, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def test_a_poll_cursor_saved_before_cursors_were_tagged_continues_where_it_left_off(db, client):
    """A partner's poller kept its ``poll_cursor`` across the deploy: the untagged
    ``[change_seq, id]`` returns exactly the changes after it (the same page the tagged
    cursor returns), and every cursor answered is a tagged one from then on."""
    from service.bookings.feed import feed_listing
    from service.pagination import ROW_ID, SEQUENCE

    partner = add_partner(db, "ota-feed")
    feed = feed_listing(partner.id)
    product = add_product(db, units=10)
    a = _book(db, partner, product, NOW)
    saved = _feed(client, partner)["poll_cursor"]
    old = _untagged(feed.key(saved, (SEQUENCE, ROW_ID)))
    assert old != saved

    nothing = _feed(client, partner, old)  # no change yet: same position, tagged
    assert nothing["items"] == [] and nothing["poll_cursor"] == saved

    later = [_book(db, partner, product, NOW + timedelta(seconds=n)) for n in (1, 2, 3)]
    resumed = client.get(
        "/v1/bookings", params={"cursor": old, "limit": 2}, headers=partner.headers
    ).json()
    tagged = client.get(
        "/v1/bookings", params={"cursor": saved, "limit": 2}, headers=partner.headers
    ).json()
    assert resumed == tagged
    assert _seen(resumed) == [(later[0], 1), (later[1], 1)]  # nothing before, none skipped
    assert a not in {ref for ref, _ in _seen(resumed)}
    for cursor in (resumed["next"], resumed["poll_cursor"]):
        assert feed.key(cursor, (SEQUENCE, ROW_ID)) is not None
        assert len(json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))) == 3
    rest = _feed(client, partner, resumed["next"])
    assert _seen(rest) == [(later[2], 1)] and rest["next"] is None


def test_an_untagged_cursor_of_another_shape_is_still_invalid_cursor_at_the_feed(db, client):
    partner = add_partner(db, "ota-feed")
    for key in ([NOW.isoformat(), 1], [7], [1.5, 3], [1, 2, 3]):
        r = client.get("/v1/bookings", params={"cursor": _untagged(key)}, headers=partner.headers)
        assert (r.status_code, r.json()["code"], r.json()["field"]) == (
            422,
            "invalid_cursor",
            "cursor",
        ), key


def test_a_partners_cursor_is_invalid_cursor_in_another_partners_feed(db, client):
    """Client A's ``poll_cursor`` sent with client B's key was a 200 with no items (B's
    rows after A's position): the cursor is bound to the partner whose feed it is."""
    a, b = add_partner(db, "ota-a"), add_partner(db, "ota-b")
    product = add_product(db, units=10)
    _book(db, a, product, NOW)
    _book(db, b, product, NOW)
    mine = _feed(client, a)
    r = client.get("/v1/bookings", params={"cursor": mine["poll_cursor"]}, headers=b.headers)
    assert (r.status_code, r.json()["code"], r.json()["field"]) == (422, "invalid_cursor", "cursor")
    assert _feed(client, a, mine["poll_cursor"])["items"] == []  # its own: still taken


def test_a_feed_cursor_tagged_before_it_was_bound_to_the_partner_continues(db, client):
    """A ``poll_cursor`` answered between 2026-12-07 (tagged for the feed alone) and its
    binding to the partner is still taken (through 2027-03-31) and answered with a bound
    one: the same rows as the bound cursor at that position."""
    from service.bookings.feed import FEED, feed_listing
    from service.pagination import ROW_ID, SEQUENCE

    partner = add_partner(db, "ota-feed")
    product = add_product(db, units=10)
    _book(db, partner, product, NOW)
    saved = _feed(client, partner)["poll_cursor"]
    former = FEED.cursor(feed_listing(partner.id).key(saved, (SEQUENCE, ROW_ID)))
    assert former != saved
    later = _book(db, partner, product, NOW + timedelta(seconds=1))
    resumed = _feed(client, partner, former)
    assert resumed == _feed(client, partner, saved) and _seen(resumed) == [(later, 1)]
