"""How many trip-planner searches run at once in this worker process: load shedding.

A search is CPU-bound and may spend its whole work budget (``planner.budget``: seconds
under load, a request refused as too broad included, bench/results/planner.md). Run side
by side in the thread pool without a limit, a burst of them slows every search and every other
request of the worker. So each search, ``POST /v1/plans``'s and the planner page's
alike, runs in one of ``size`` slots (``JL_PLANNER_CONCURRENCY``); a request finding
them all taken waits, first come first served, up to ``wait_s`` (``JL_PLANNER_WAIT_S``)
for one to free, and is otherwise refused 503 ``planner_busy`` with ``Retry-After``
(``PlannerBusy``; the page says it on its form). Counted in
``jilin_planner_searches_running`` and ``jilin_planner_shed_total`` (``service.metrics``).
Whose searches take the slots is ``service.plans.fair``'s: an anonymous client address
has at most one of them at once, and a number a minute.

Only a request that could be searched is shed: one finding no slot free is first checked
(``run_checked``: the request's refusals that need no search, by the same code the
search runs first, ``service.plans.service.check_request``), in the thread pool, before
it waits. A request in the past, or naming an unknown destination, gets its 422 whether
the planner is busy or not; with a slot free the search refuses it itself.

The wait is on the event loop, not in a thread: a thread-pool thread parked on a
``threading.BoundedSemaphore`` for each waiting request would let a burst of shed
requests fill the pool (40 threads) and stall the worker's other requests, the harm
this guard is for. An ``asyncio.Semaphore`` cannot serve either: it is bound to the one
loop it first waits on, and a slot could not be taken or given back from a thread (a
test holding the slots, ``taken``). So the count is kept under a ``threading.Lock``,
whoever takes or gives back, and each waiter is a future of its own loop, woken by
``call_soon_threadsafe``: a slot freed is handed to the first waiter directly (the
count does not drop, so no newcomer slips in before it).
"""

from __future__ import annotations

import asyncio
import math
import threading
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

from service import runner
from service.errors import DomainError
from service.metrics import PLANNER_RUNNING, PLANNER_SHED

P = ParamSpec("P")
R = TypeVar("R")


class PlannerBusy(DomainError):
    status, code, title, title_zh = 503, "planner_busy", "Planner busy", "行程规划繁忙"


class _Waiter:
    __slots__ = ("loop", "future", "granted")

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.future: asyncio.Future[None] = loop.create_future()
        self.granted = False  # set under the lock, when a slot is handed to it


def _wake(future: asyncio.Future[None]) -> None:
    if not future.done():  # not if its wait has ended (timed out, cancelled)
        future.set_result(None)


class SearchSlots:
    """At most ``size`` searches at once; a request waits up to ``wait_s`` for a slot.
    One per app (``app.state.planner_slots``, made from the settings), so one per worker
    process."""

    def __init__(self, size: int, wait_s: float) -> None:
        if size < 1:
            raise ValueError("a planner needs at least one search slot")
        self.size = size
        self.wait_s = wait_s
        # Seconds a refused request is told to wait: as long as it waited, at least 1.
        self.retry_after_s = max(1, math.ceil(wait_s))
        self._lock = threading.Lock()
        self._running = 0
        self._waiting: deque[_Waiter] = deque()

    @property
    def running(self) -> int:
        """Slots taken now."""
        return self._running

    @property
    def waiting(self) -> int:
        """Requests waiting for a slot now."""
        return len(self._waiting)

    async def run(self, fn: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
        """``fn`` run in the thread pool (``runner.in_thread``) in a slot taken on the
        event loop; ``PlannerBusy`` when none freed in time. The slot is given back when
        ``fn`` has returned or raised (a request cancelled meanwhile waits for its
        thread: the search is not abandoned while it still runs)."""
        return await self.run_checked(None, fn, *args, **kwargs)

    async def run_checked(
        self,
        check: Callable[[], object] | None,
        fn: Callable[P, R],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> R:
        """``run``, but a request finding no slot free is first ``check``-ed, in the
        thread pool, before it waits: what ``check`` raises (the request's own 4xx) is
        raised, with no slot taken, no wait and nothing shed. With a slot free ``fn``
        runs at once, unchecked: ``check`` is the part of ``fn`` that needs no search,
        and ``fn`` refuses the request itself."""
        if not self._take_if_free():
            if check is not None:
                await runner.in_thread(check)
            await self._take()
        try:
            return await runner.in_thread(fn, *args, **kwargs)
        finally:
            self._give_back()

    @contextmanager
    def taken(self) -> Iterator[None]:
        """One slot taken now, from any thread, and given back at the block's end (what
        a test holds to fill the slots); ``PlannerBusy`` if none is free."""
        if not self._take_if_free():
            raise self.busy()
        try:
            yield
        finally:
            self._give_back()

    def busy(self) -> PlannerBusy:
        n = self.retry_after_s
        return PlannerBusy(
            "Too many trip searches are running right now; please try again in "
            f"{n} second{'s' if n != 1 else ''}.",
            zh=f"当前同时进行的行程搜索太多，请 {n} 秒后再试。",
            headers={"Retry-After": str(n)},
        )

    def _free(self) -> bool:
        return self._running < self.size and not self._waiting

    def _take_one(self) -> None:
        self._running += 1
        PLANNER_RUNNING.inc()

    def _take_if_free(self) -> bool:
        with self._lock:
            if not self._free():
                return False
            self._take_one()
            return True

    async def _take(self) -> None:
        with self._lock:
            if self._free():
                self._take_one()
                return
            waiter = _Waiter(asyncio.get_running_loop())
            self._waiting.append(waiter)
        try:
            await asyncio.wait_for(waiter.future, self.wait_s)
        except BaseException as exc:  # timed out, or the request was cancelled
            with self._lock:
                granted = waiter.granted  # else it is still queued: take it out
                if not granted:
                    self._waiting.remove(waiter)
            if granted and isinstance(exc, TimeoutError):
                return  # a slot was handed over as the wait ran out: use it
            if granted:
                self._give_back()
            if isinstance(exc, TimeoutError):
                PLANNER_SHED.inc()
                raise self.busy() from None
            raise

    def _give_back(self) -> None:
        with self._lock:
            while self._waiting:
                waiter = self._waiting.popleft()
                try:
                    waiter.loop.call_soon_threadsafe(_wake, waiter.future)
                except RuntimeError:  # its loop has closed: nobody waits there any more
                    continue
                waiter.granted = True  # the slot passes to it: the count stays
                return
            self._running -= 1
            PLANNER_RUNNING.dec()
