"""zh-CN or English by ``Accept-Language`` (zh-CN is the default audience)."""

import re
from typing import Annotated, Literal

from fastapi import Depends, Header

Lang = Literal["zh-CN", "en"]
QVALUE = re.compile(r"0(\.[0-9]{0,3})?|1(\.0{0,3})?")


def negotiate(accept_language: str | None) -> Lang:
    """Pick the best of zh-CN / en by q-value; missing or unmatched -> zh-CN. ``*``
    (RFC 4647) stands for each language the header does not name, at its q-value:
    ``*;q=0.5, en;q=0.1`` is zh-CN (it was English, the one tag named), ``zh;q=0, *`` is
    English."""
    if not accept_language:
        return "zh-CN"
    named: dict[Lang, tuple[float, int]] = {}
    star: tuple[float, int] | None = None
    for pos, part in enumerate(accept_language.split(",")):
        bits = part.strip().split(";")
        tag = bits[0].strip().lower()
        q = 1.0
        for b in bits[1:]:
            b = b.strip()
            if b.startswith("q="):
                # RFC 9110 §12.4.2: a weight is 0 to 1, three decimals at most; an element
                # with any other (``q=abc``, ``q=2``, ``q=inf``) is invalid: never chosen.
                q = float(b[2:]) if QVALUE.fullmatch(b[2:]) else 0.0
        if tag == "*":
            star = star or (q, -pos)
            continue
        lang: Lang | None = (
            "zh-CN" if tag.startswith("zh") else "en" if tag.startswith("en") else None
        )
        if lang and (lang not in named or (q, -pos) > named[lang]):
            named[lang] = (q, -pos)
    ranked: list[tuple[float, int, Lang]] = []
    for lang in ("zh-CN", "en"):  # zh-CN first: the default when both rank alike
        q_pos = named.get(lang, star)
        if q_pos is not None and q_pos[0] > 0:
            ranked.append((q_pos[0], q_pos[1], lang))
    return max(ranked, key=lambda r: (r[0], r[1]))[2] if ranked else "zh-CN"


async def get_lang(accept_language: Annotated[str | None, Header()] = None) -> Lang:
    return negotiate(accept_language)


LangDep = Annotated[Lang, Depends(get_lang)]


def pick(lang: Lang, zh: str, en: str) -> str:
    return zh if lang == "zh-CN" else en
