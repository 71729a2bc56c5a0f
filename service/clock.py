"""The injectable clock. Instants are UTC; the booking date is the Asia/Shanghai date."""

from contextvars import ContextVar
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


class Clock:
    """Real time. Tests freeze it with freezegun or replace ``app.state.clock`` (with
    ``tests/support/clock.py``'s ``FixedClock``, this clock stopped at an instant)."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def today(self) -> date:
        return local_date(self.now())


def local_date(instant: datetime) -> date:
    return instant.astimezone(SHANGHAI).date()


def day_start(day: date) -> datetime:
    """The instant (UTC) the Asia/Shanghai ``day`` begins: the instants of ``day`` are
    ``day_start(day) <= t < day_start(day + 1 day)`` (``local_date`` the other way)."""
    return datetime.combine(day, time(), SHANGHAI).astimezone(UTC)


# The clock of the request being served (``app.state.clock``, set for every request by
# ``service.deps.use_request_clock``): what a request's validation reads for today
# (``request_today``), so a test that replaces the app's clock moves it too.
REQUEST_CLOCK: ContextVar[Clock | None] = ContextVar("jilin_request_clock", default=None)


def request_today() -> date:
    """Today by the clock of the request being served; outside a request, real time."""
    return (REQUEST_CLOCK.get() or Clock()).today()
