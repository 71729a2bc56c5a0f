"""The injectable clock. Instants are UTC; the booking date is the Asia/Shanghai date."""

from datetime import UTC, date, datetime
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
