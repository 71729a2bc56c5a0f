"""The partners' bookings feed (``GET /v1/bookings``): a partner's bookings in the order
their changes committed, polled with cursors bound to the partner."""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from service.auth import Caller
from service.bookings import repository
from service.bookings.service import BookingView
from service.pagination import ROW_ID, SEQUENCE, Listing

# The feed's cursors. Not bound to ``updated_since``: that filter only starts a walk,
# and a poll passes the last ``poll_cursor`` alone (or with it: the same rows). Bound to
# the partner whose feed it is: another partner's cursor is 422 ``invalid_cursor``, as
# another list's is (it was a 200 with no items, or other rows than the walk's). Partners
# keep a ``poll_cursor`` between polls, so two former forms are still taken
# (docs/api-changes.md: through 2027-03-31): the untagged ``[change_seq, id]`` issued
# before cursors were tagged (the only old cursor of two integers) and the one tagged
# for the feed alone (``FEED``, 2026-12-07), which says no partner; every answer gives
# a bound one.
FEED = Listing("/v1/bookings")


def feed_listing(client_id: int) -> Listing:
    """The feed of the API client ``client_id``: its cursors, and the ones it takes."""
    return Listing(
        "/v1/bookings", {"client_id": client_id}, takes_untagged=True, takes_former=(FEED,)
    )


@dataclass
class FeedPage:
    views: list[BookingView]
    next: str | None  # more rows now: pass back as ``cursor``
    poll_cursor: str | None  # where the next poll starts (None: nothing seen yet)


def list_bookings(
    session: Session,
    caller: Caller,
    *,
    updated_since: datetime | None,
    cursor: str | None,
    limit: int,
) -> FeedPage:
    """The caller's bookings in the order their changes committed (``change_seq``, id):
    a feed partners poll, that never skips a change committing late (see
    ``repository.feed``)."""
    assert caller.client_id is not None
    feed = feed_listing(caller.client_id)
    key = feed.key(cursor, (SEQUENCE, ROW_ID))
    after = None if key is None else (key[0], key[1])
    rows = repository.feed(
        session,
        client_id=caller.client_id,
        updated_since=updated_since,
        after=after,
        limit=limit + 1,
    )
    page, more = rows[:limit], len(rows) > limit
    ids = [b.id for b in page]
    items, legs = repository.items_of(session, ids), repository.legs_of(session, ids)
    views = [BookingView(b, items[b.id], legs[b.id]) for b in page]
    last = feed.cursor([page[-1].change_seq, page[-1].id]) if page else None
    # An empty poll keeps its position, as a bound cursor even when given an old one.
    here = last or (None if after is None else feed.cursor(list(after)))
    return FeedPage(views, last if more else None, here)
