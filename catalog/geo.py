"""Distances on the Earth's surface (pure)."""

import math
from decimal import ROUND_HALF_UP, Decimal

EARTH_RADIUS_KM = 6371.0088


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km between two points given in degrees."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def distance_words(km: float) -> tuple[str, str]:
    """A distance as people read it, zh-CN and English: to one decimal, half up, without
    a trailing ``.0`` and with thousands grouped (``3.5 公里`` / ``3.5 km``, ``12 km``,
    ``1,000 km``); a distance that rounds below 0.1 km (under 0.05 km: on site or next
    door, or a value stored finer than anyone measures) is ``不到 0.1 公里`` / ``under
    0.1 km``, never ``0 km`` nor ``1e-07 km``. The one way a distance is written for
    people: the destination pages, the trip planner's reasons and the console."""
    tenths = int(Decimal(repr(float(km))).quantize(Decimal("0.1"), ROUND_HALF_UP) * 10)
    if tenths < 1:
        return "不到 0.1 公里", "under 0.1 km"
    whole, tenth = divmod(tenths, 10)
    shown = f"{whole:,}" if tenth == 0 else f"{whole:,}.{tenth}"
    return f"{shown} 公里", f"{shown} km"
