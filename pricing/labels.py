"""Human-checkable line labels, in Chinese and English.

A label repeats what a person needs to recompute the line: nights and units, the
multiplier, the riders, the tier and the percentage (as a percentage in both languages:
basis points are for machines).

Every quote makes about ten of these, so each is one f-string per language with the
plural written inline (``1 night``, ``2 nights``) rather than a chain of helpers.
"""

from __future__ import annotations

from datetime import date

from pricing.money import format_bps, format_yuan
from pricing.types import PackOffer, ProductTerms, RuleKind, TransitLineTerms


def counted(n: int, one: str, many: str | None = None) -> str:
    """``n`` and its word, singular for one (``1 night``, ``2 nights``): the one way an
    English text of ours counts (labels, problem details, the planner's words)."""
    return f"{n} {one}" if n == 1 else f"{n} {many or one + 's'}"


def nth(index: int, zh: str, en: str) -> tuple[str, str]:
    """The one numbering of a request's parts in words (zh-CN, English): people count
    from 1, so ``items[0]`` is ``第 1 段住宿`` / ``stay 1`` in both languages, while a
    problem's ``field`` keeps the index (``items[0].units``). ``zh``: the measure word
    and noun (``段住宿``), ``en`` the noun (``stay``)."""
    n = index + 1
    return f"第 {n} {zh}", f"{en} {n}"


def stay_said(index: int) -> tuple[str, str]:
    """``items[index]`` in words: (``第 1 段住宿``, ``stay 1``) for index 0."""
    return nth(index, "段住宿", "stay")


def leg_said(index: int) -> tuple[str, str]:
    """``legs[index]`` in words: (``第 1 段行程``, ``leg 1``) for index 0."""
    return nth(index, "段行程", "leg")


def season_said(index: int) -> tuple[str, str]:
    """``seasons[index]`` in words: (``第 1 个季节``, ``season 1``) for index 0."""
    return nth(index, "个季节", "season")


def accommodation(terms: ProductTerms, nights: int, units: int, extra_guests: int):
    n_s = "" if nights == 1 else "s"
    u_s = "" if units == 1 else "s"
    if not extra_guests:
        return (
            f"住宿：{terms.name_zh}（{nights}晚 × {units}间）",
            f"Accommodation: {terms.name_en} ({nights} night{n_s} × {units} room{u_s})",
        )
    fee = format_yuan(terms.extra_guest_fee_fen)
    g_s = "" if extra_guests == 1 else "s"
    return (
        f"住宿：{terms.name_zh}（{nights}晚 × {units}间，加客{extra_guests}人 × {fee}/晚）",
        f"Accommodation: {terms.name_en} ({nights} night{n_s} × {units} room{u_s}, "
        f"{extra_guests} extra guest{g_s} × {fee}/night)",
    )


def pack(offer: PackOffer, guests: int, nights: int, multiplier: int):
    basis = offer.basis  # a PackBasis, or its plain string: a StrEnum equals its string
    if basis == "per_stay":
        zh, en = "每次入住", "per stay"
    elif basis == "per_guest":
        zh, en = f"{guests}人", counted(guests, "guest")
    elif basis == "per_night":
        zh, en = f"{nights}晚", counted(nights, "night")
    elif basis == "per_guest_night":
        zh = f"{guests}人 × {nights}晚"
        en = f"{counted(guests, 'guest')} × {counted(nights, 'night')}"
    elif basis == "per_week":
        zh = f"{multiplier}周，共{nights}晚"
        en = f"{counted(multiplier, 'week')} for {counted(nights, 'night')}"
    else:
        raise KeyError(basis)
    price = format_yuan(offer.price_fen)
    return (
        f"增值包：{offer.name_zh}（{price} × {zh}）",
        f"Add-on pack: {offer.name_en} ({price} × {en})",
    )


def transit(line: TransitLineTerms, travel_date: date, riders: int):
    fare = format_yuan(line.fare_fen)
    day = travel_date.isoformat()
    r_s = "" if riders == 1 else "s"
    return (
        f"交通：{line.name_zh}（{day}，{riders}人 × {fare}）",
        f"Transit: {line.name_en} ({day}, {riders} rider{r_s} × {fare})",
    )


def discount(kind: RuleKind, bps: int, measure: int, capped: bool, stub_code: str | None = None):
    """``measure`` is what the rule looked at: nights (long_stay), days ahead
    (advance_booking), distinct destinations (trip_bundle), packs (pack_bundle), riders
    covered (stub on a leg; 0 for a stub on a pack)."""
    s = "" if measure == 1 else "s"
    if kind == "long_stay":
        zh, en = f"长住折扣（{measure}晚", f"Long-stay discount ({measure} night{s}"
    elif kind == "advance_booking":
        zh = f"预订优惠（提前{measure}天"
        en = f"Advance-booking discount ({measure} day{s} ahead"
    elif kind == "trip_bundle":
        zh = f"组合优惠（{measure}个目的地"
        en = f"Multi-destination bundle ({measure} destination{s}"
    elif kind == "pack_bundle":
        zh, en = f"组合优惠（{measure}个增值包", f"Pack bundle ({measure} pack{s}"
    elif measure:
        zh = f"票根联动优惠（票根 {stub_code}，{measure}人"
        en = f"Ticket-stub discount (stub {stub_code}, {measure} rider{s}"
    else:
        zh, en = f"票根联动优惠（票根 {stub_code}", f"Ticket-stub discount (stub {stub_code}"
    pct = format_bps(bps)
    if capped:
        return f"{zh}，{pct}，已封顶）", f"{en}, {pct}, capped)"
    return f"{zh}，{pct}）", f"{en}, {pct})"
