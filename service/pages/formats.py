"""How the pages and the console write money, percentages, distances, dates and times for
people: yuan from integer fen, basis points as a percentage, kilometres, dates and Beijing
times in the page's language (the templates' filters and ``t()``'s helpers, and the
console's words).
"""

from datetime import date, datetime, timedelta

from catalog.geo import distance_words
from pricing.money import format_percent
from service.clock import SHANGHAI
from service.i18n import Lang


def yuan(fen: int | None) -> str:
    """``123456`` -> ``¥1,234.56`` (integer arithmetic, no float)."""
    if fen is None:
        return ""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(int(fen)), 100)
    return f"{sign}¥{whole:,}.{cents:02d}"


def percent(bps: int | None) -> str:
    """Basis points as a percentage: ``1250`` -> ``12.5%``, ``1000`` -> ``10%``."""
    return "" if bps is None else format_percent(bps)


def km(distance: float | None, lang: Lang) -> str:
    """A distance in kilometres as people read it (``catalog.geo.distance_words``: one
    decimal, ``under 0.1 km`` / ``不到 0.1 公里`` below it), in the page's language: the
    templates' ``km()``, the console's audit log."""
    if distance is None:
        return ""
    zh, en = distance_words(distance)
    return zh if lang == "zh-CN" else en


def local_time(instant: datetime | str | None, lang: Lang) -> str:
    if instant is None:
        return ""
    if isinstance(instant, str):
        instant = datetime.fromisoformat(instant)
    at = instant.astimezone(SHANGHAI)
    if lang == "zh-CN":
        return f"{at.year}年{at.month}月{at.day}日 {at:%H:%M}（北京时间）"
    return f"{at:%d %b %Y, %H:%M} (Beijing time)"


def night_before(day: date) -> date:
    """The night before ``day``: a season's last night, as its ``end_date`` is the first
    night after it (the templates' filter ``night_before``)."""
    return day - timedelta(days=1)


def long_date(day: date | str | None, lang: Lang) -> str:
    if day is None:
        return ""
    if isinstance(day, str):
        day = date.fromisoformat(day)
    if lang == "zh-CN":
        weekday = "一二三四五六日"[day.weekday()]
        return f"{day.year}年{day.month}月{day.day}日（周{weekday}）"
    return f"{day:%a %d %b %Y}"


def year_month(month: str, lang: Lang) -> str:
    """A report's month (ISO ``2025-01``, as the API and the exports keep it) in the
    page's language: ``2025年1月``, ``Jan 2025`` (the templates' and the charts' words;
    ``long_date``'s month names)."""
    day = date.fromisoformat(f"{month}-01")
    if lang == "zh-CN":
        return f"{day.year}年{day.month}月"
    return f"{day:%b %Y}"
