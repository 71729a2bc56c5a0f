"""The one stopped clock of the tests: the service's ``Clock`` at a fixed instant.

Set it on ``app.state.clock`` (or hand it to the worker's steps) where a test needs an
instant freezegun cannot give (a clock the app reads while a server thread runs, a rate
limit's minute). Its ``today`` is ``Clock``'s: the Asia/Shanghai date of ``now``, never
the UTC one (from 16:00 UTC they differ)."""

from datetime import UTC, date, datetime, time

from service.clock import SHANGHAI, Clock


class FixedClock(Clock):
    """Says ``instant`` (aware; kept in UTC) every time it is asked."""

    def __init__(self, instant: datetime) -> None:
        if instant.tzinfo is None:
            raise ValueError("a fixed clock's instant says its time zone")
        self.instant = instant.astimezone(UTC)

    @classmethod
    def on(cls, day: date, at: time = time(12)) -> "FixedClock":
        """Stopped at ``at`` (noon by default) in Shanghai on ``day``: ``today()`` is
        ``day``."""
        return cls(datetime.combine(day, at, SHANGHAI))

    def now(self) -> datetime:
        return self.instant
