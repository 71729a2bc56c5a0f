"""Human-checkable line labels, in Chinese and English.

A label repeats what a person needs to recompute the line: nights and units, the
multiplier, the riders, the tier and the percentage (zh in bps, en in percent).
"""

from __future__ import annotations

from datetime import date

from pricing.money import format_bps, format_yuan
from pricing.types import PackBasis, PackOffer, ProductTerms, RuleKind, TransitLineTerms


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def accommodation(terms: ProductTerms, nights: int, units: int, extra_guests: int):
    zh = f"住宿：{terms.name_zh}（{nights}晚 × {units}间"
    en = f"Accommodation: {terms.name_en} ({_plural(nights, 'night')} × {_plural(units, 'unit')}"
    if extra_guests:
        fee = format_yuan(terms.extra_guest_fee_fen)
        zh += f"，加客{extra_guests}人 × {fee}/晚"
        en += f", {_plural(extra_guests, 'extra guest')} × {fee}/night"
    return zh + "）", en + ")"


_BASIS_ZH = {
    PackBasis.per_stay: "每次入住",
    PackBasis.per_guest: "{g}人",
    PackBasis.per_night: "{n}晚",
    PackBasis.per_guest_night: "{g}人 × {n}晚",
    PackBasis.per_week: "{w}周，共{n}晚",
}
_BASIS_EN = {
    PackBasis.per_stay: "per stay",
    PackBasis.per_guest: "{g}",
    PackBasis.per_night: "{n}",
    PackBasis.per_guest_night: "{g} × {n}",
    PackBasis.per_week: "{w} for {n}",
}


def pack(offer: PackOffer, guests: int, nights: int, multiplier: int):
    basis = offer.basis  # a PackBasis, or its plain string: both find the dict entries
    price = format_yuan(offer.price_fen)
    zh_args = {"g": guests, "n": nights, "w": multiplier}
    en_args = {
        "g": _plural(guests, "guest"),
        "n": _plural(nights, "night"),
        "w": _plural(multiplier, "week"),
    }
    zh = f"附加套餐：{offer.name_zh}（{price} × {_BASIS_ZH[basis].format(**zh_args)}）"
    en = f"Add-on pack: {offer.name_en} ({price} × {_BASIS_EN[basis].format(**en_args)})"
    return zh, en


def transit(line: TransitLineTerms, travel_date: date, riders: int):
    fare = format_yuan(line.fare_fen)
    zh = f"交通：{line.name_zh}（{travel_date.isoformat()}，{riders}人 × {fare}）"
    en = f"Transit: {line.name_en} ({travel_date.isoformat()}, {_plural(riders, 'rider')} × {fare})"
    return zh, en


def discount(kind: RuleKind, bps: int, measure: int, capped: bool, stub_code: str | None = None):
    """``measure`` is what the rule looked at: nights (long_stay), days ahead
    (advance_booking), distinct destinations (trip_bundle), packs (pack_bundle), riders
    covered (stub on a leg; 0 for a stub on a pack)."""
    pct = format_bps(bps)
    if kind == RuleKind.long_stay:
        zh, en = f"长住折扣（{measure}晚", f"Long-stay discount ({_plural(measure, 'night')}"
    elif kind == RuleKind.advance_booking:
        zh = f"预定优惠（提前{measure}天"
        en = f"Advance-booking discount ({_plural(measure, 'day')} ahead"
    elif kind == RuleKind.trip_bundle:
        zh = f"组合优惠（{measure}个目的地"
        en = f"Multi-destination bundle ({_plural(measure, 'destination')}"
    elif kind == RuleKind.pack_bundle:
        zh, en = f"套餐组合优惠（{measure}个套餐", f"Pack bundle ({_plural(measure, 'pack')}"
    else:
        zh, en = f"票根联动优惠（票根 {stub_code}", f"Ticket-stub discount (stub {stub_code}"
        if measure:
            zh += f"，{measure}人"
            en += f", {_plural(measure, 'rider')}"
    zh += f"，{bps}bps"
    en += f", {pct}"
    if capped:
        zh += "，已封顶"
        en += ", capped"
    return zh + "）", en + ")"
