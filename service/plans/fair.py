"""Anonymous callers' fair share of the trip planner, by client address.

A search may spend the planner's whole work budget before it is refused as too broad
(``plan_too_broad``: ``planner.budget``, a few tenths of a second of CPU on the demo
catalogue, seconds for a refusal made of thousands of small products), and a worker runs
only ``JL_PLANNER_CONCURRENCY`` searches at once (``service.plans.slots``). Without a
share, one anonymous client looping such requests kept every slot taken and every other
traveller got 503 ``planner_busy`` (newcomer finding 4). So an anonymous planner request
(``POST /v1/plans`` without a key, and the ``/plan`` page's search) is admitted only
within its client address's share (``client_address``; behind a proxy, its forwarded
address):

* ``JL_PLANNER_ANONYMOUS_AT_ONCE`` searches at once in this worker, running or waiting
  for a slot (1 of the 2 slots: another address always finds one that this one cannot
  hold), checked first, in memory;
* ``JL_PLANNER_ANONYMOUS_PER_MINUTE`` planner requests a minute, counted in the database
  like the API keys' limit (``service.ratelimit``: every worker and server together).

Past either, 429 ``rate_limited`` with ``Retry-After`` (``limit`` says the number), in
both languages, before the request is checked; nothing is searched and no slot is
taken. A caller with an API key is
not counted here: its key's per-minute limit (``JL_RATE_LIMIT_PER_MINUTE``) counted it
already. Addresses are kept only as HMACs (``hash_address``), as the operators' login
attempts are.
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime

from starlette.requests import Request

from service import ratelimit, runner
from service.auth import Caller
from service.clients.keys import hash_address
from service.errors import DomainError, TooManyRequests
from service.metrics import PLANNER_LIMITED


def _per_minute_refused(limit: int) -> DomainError:
    return TooManyRequests(
        f"More than {limit} trip searches this minute from your network address; "
        "please try again in a minute.",
        zh=f"本分钟从您的网络地址发起的行程搜索已超过 {limit} 次，请一分钟后再试。",
        code="rate_limited",
        limit=limit,
    )


def _at_once_refused(limit: int, retry_after_s: int) -> DomainError:
    n = retry_after_s
    searches = "search" if limit == 1 else f"{limit} searches"
    return TooManyRequests(
        f"Your network address already has {'a' if limit == 1 else 'its'} {searches} "
        f"running; please try again in {n} second{'s' if n != 1 else ''}, when "
        f"{'it has' if limit == 1 else 'one has'} ended.",
        zh=f"您的网络地址已有 {limit} 个行程搜索正在进行，请 {n} 秒后再试。",
        code="rate_limited",
        limit=limit,
        headers={"Retry-After": str(n)},
    )


class AddressShare:
    """One per app (``app.state.planner_share``, from the settings), so the at-once
    count is per worker process, as the search slots are; the per-minute count is the
    database's, shared.

    What a refusal costs matters too: an address looping requests back to back sends
    thousands a minute once refused. So the at-once cap is checked first, in memory,
    and a request it refuses is not counted (nor is a traveller's second click while the
    first search runs); and an address found past its minute is remembered in this
    worker until the minute ends, its further requests refused without a write (the
    database's count only grows within a minute, so the answer is the same)."""

    def __init__(self, per_minute: int, at_once: int, retry_after_s: int) -> None:
        self.per_minute = per_minute
        self.at_once = at_once
        self.retry_after_s = retry_after_s  # the slots' (``SearchSlots.retry_after_s``)
        self._lock = threading.Lock()
        self._running: dict[str, int] = {}
        self._spent: dict[str, datetime] = {}  # address -> the end of its spent minute

    def running(self, key: str) -> int:
        """Searches of the address ``key`` running or waiting now."""
        return self._running.get(key, 0)

    @asynccontextmanager
    async def admitted(self, request: Request, caller: Caller) -> AsyncIterator[None]:
        """The block (the search, its wait for a slot included) run within the caller's
        share: an anonymous caller's request held as one of its address's searches at
        once until the block ends, and counted against the address's minute; 429
        ``rate_limited`` past either. A caller with a key passes uncounted."""
        if not caller.is_anonymous:
            yield
            return
        state = request.app.state
        key = hash_address(ratelimit.client_address(request) or "", state.settings.secret_key)
        now = state.clock.now()
        with self._lock:
            if self._running.get(key, 0) >= self.at_once:
                PLANNER_LIMITED.labels("at_once").inc()
                raise _at_once_refused(self.at_once, self.retry_after_s)
            self._running[key] = self._running.get(key, 0) + 1
            spent = self._spent.get(key)
        try:
            try:
                if spent is not None and now < spent:
                    raise ratelimit.retry_after(_per_minute_refused(self.per_minute), now)
                await runner.in_thread(self._count, state.db, key, now)
            except TooManyRequests:
                PLANNER_LIMITED.labels("per_minute").inc()
                raise
            yield
        finally:
            with self._lock:
                left = self._running[key] - 1
                if left:
                    self._running[key] = left
                else:
                    del self._running[key]

    def _count(self, db, key: str, now: datetime) -> None:
        try:
            with runner.autocommit(db, write=True) as conn:
                ratelimit.hit(
                    conn,
                    scope=f"plan-from:{key[:24]}",
                    now=now,
                    limit=self.per_minute,
                    refused=_per_minute_refused,
                )
        except TooManyRequests:
            with self._lock:
                if len(self._spent) >= 4096:  # only minutes not ended are kept
                    self._spent = {k: end for k, end in self._spent.items() if now < end}
                self._spent[key] = ratelimit.window_start(now) + ratelimit.WINDOW
            raise
